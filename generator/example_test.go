package generator_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/shipseal/shipseal/generator"
)

// Static credentials from the environment, as Codeship's encrypted_env_file
// passes them, written where dockercfg_service expects the file.
func ExampleGenerator_Generate() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	vars := map[string]string{
		generator.EnvRegistry: "registry.example.com",
		generator.EnvUsername: "ci",
		generator.EnvPassword: "hunter2",
	}
	g := &generator.Generator{
		Getenv:      func(name string) string { return vars[name] },
		DefaultFile: filepath.Join(dir, "none"), // no encrypted dockercfg baked in
		Infof:       func(format string, args ...any) { fmt.Printf("log: "+format+"\n", args...) },
	}
	res, err := g.Generate(context.Background(), filepath.Join(dir, "dockercfg"))
	if err != nil {
		log.Fatal(err)
	}
	data, _ := os.ReadFile(res.Path)
	fmt.Printf("%s, mode %#o, registries %q:\n%s", res.Source, res.Mode, res.Registries, data)
	// Output:
	// log: using $DOCKER_REGISTRY, $DOCKER_USERNAME, $DOCKER_PASSWORD
	// env, mode 0600, registries ["registry.example.com"]:
	// {
	// 	"auths": {
	// 		"registry.example.com": {
	// 			"auth": "Y2k6aHVudGVyMg=="
	// 		}
	// 	}
	// }
}
