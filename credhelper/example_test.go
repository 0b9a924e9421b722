package credhelper_test

import (
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"

	"github.com/docker/docker-credential-helpers/credentials"

	"github.com/shipseal/shipseal/credhelper"
	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/projectkey"
)

// A Helper is what docker-credential-shipseal serves: docker login calls
// Add, docker pull and push call Get, docker logout calls Delete.
func ExampleHelper() {
	dir, _ := os.MkdirTemp("", "credhelper-example-")
	defer os.RemoveAll(dir)
	key, _ := crypto.GenerateKey(rand.Reader)
	os.WriteFile(filepath.Join(dir, "codeship.aes"), key.Encode(), 0o600)

	h := &credhelper.Helper{
		Path: filepath.Join(dir, "dockercfg.encrypted"),
		Keys: projectkey.Finder{Path: filepath.Join(dir, "codeship.aes")},
	}
	err := h.Add(&credentials.Credentials{ServerURL: "https://index.docker.io/v1/", Username: "octocat", Secret: "hunter2"})
	if err != nil {
		fmt.Println(err)
		return
	}
	user, secret, _ := h.Get("docker.io") // matched as docker matches registries
	fmt.Println(user, secret)

	_, _, err = h.Get("ghcr.io")
	fmt.Println(credentials.IsErrCredentialsNotFound(err))

	h.Delete("index.docker.io")
	list, _ := h.List()
	fmt.Println(len(list))
	// Output:
	// octocat hunter2
	// true
	// 0
}
