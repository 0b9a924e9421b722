package dockercfg_test

import (
	"fmt"
	"os"

	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/dockercfg"
)

func ExampleParse() {
	cfg, err := dockercfg.Parse([]byte(`{
	"auths": {
		"https://index.docker.io/v1/": {"auth": "b2N0b2NhdDpodW50ZXIy"}
	}
}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	e := cfg.Lookup("docker.io")
	user, _, _ := e.Credentials()
	fmt.Println(cfg.Format, e.Registry, user)
	// Output: config.json https://index.docker.io/v1/ octocat
}

func ExampleValidate() {
	data := []byte(`{"auths": {"registry.example.com": {"auth": "b2N0b2NhdDpodW50ZXIy"}}}
{"auths": {}}
`)
	_, report := dockercfg.Validate("config.json", data, dockercfg.Options{})
	diag.WriteText(os.Stdout, []*diag.Report{report})
	// Output:
	// config.json:2:1: error DC002: invalid character '{' after top-level value: the JSON object that starts at 1:1 ends at 1:69, and '{' follows at 2:1
	//     {"auths": {"registry.example.com": {"auth": "****"}}}
	//     {"auths": {}}
	//     ^
	//   hint: two JSON documents in one file? Keep one, or move the second one's registries into the first one's "auths"
}

func ExampleConfig_Marshal() {
	cfg := &dockercfg.Config{}
	cfg.Set("registry.example.com:5000", dockercfg.AuthConfig{Username: "ci", Password: "hunter2"})
	out, _ := cfg.Marshal(dockercfg.FormatConfigJSON)
	fmt.Print(string(out))
	// Output:
	// {
	// 	"auths": {
	// 		"registry.example.com:5000": {
	// 			"auth": "Y2k6aHVudGVyMg=="
	// 		}
	// 	}
	// }
}
