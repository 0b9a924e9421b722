package generator_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docker/cli/cli/config/configfile"
	configcredentials "github.com/docker/cli/cli/config/credentials"

	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/generator"
)

// docker login stores a registry's credentials under the host and port as
// typed, letter case kept (credentials.ConvertToHostname; Docker Hub's
// under https://index.docker.io/v1/), and docker pull looks them up under
// the host exactly as the image names it (reference.Domain keeps its case;
// configfile.GetAuthConfig compares keys as written). Both sources that
// take a registry's name, $DOCKER_REGISTRY and --from-helper --registry,
// must ask and write the key that docker's own lookup finds for an image
// named with the host as typed.
func TestRegistryKeyIsDockers(t *testing.T) {
	t.Setenv("DOCKER_AUTH_CONFIG", "") // docker's lookup would read it
	for _, c := range []struct {
		typed string
		host  string // reference.Domain of an image of that registry
	}{
		{"registry.example.com", "registry.example.com"},
		{"Registry.Example.com", "Registry.Example.com"},
		{"https://Registry.Example.com:5000/v2/", "Registry.Example.com:5000"},
		{"docker.io", "docker.io"},
		{"https://index.docker.io/v1/", "docker.io"},
	} {
		// What docker login left in a credential helper for the
		// registry typed so.
		stored := configcredentials.ConvertToHostname(c.typed)
		if dockercfg.Normalize(c.typed) == dockercfg.DockerHubKey {
			stored = dockercfg.DockerHubKey
		}
		for _, source := range []generator.Source{generator.SourceEnv, generator.SourceHelper} {
			e := env{}
			if source == generator.SourceEnv {
				e = env{generator.EnvRegistry: c.typed, generator.EnvUsername: user, generator.EnvPassword: password}
			}
			l := &logs{}
			g := newGenerator(t, e, l)
			if source == generator.SourceHelper {
				h := &fakeHelper{creds: map[string][2]string{stored: {user, password}}}
				g.Helper, g.HelperProgram, g.Registries = "fake", h.program, []string{c.typed}
			}
			out := filepath.Join(t.TempDir(), "config.json")
			if _, err := g.Generate(context.Background(), out); err != nil {
				t.Errorf("%s %s: %v\n%s", source, c.typed, err, l)
				continue
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			docker := configfile.New(out)
			if err := docker.LoadFromReader(bytes.NewReader(data)); err != nil {
				t.Fatalf("%s %s: docker cannot read the file: %v", source, c.typed, err)
			}
			a, err := docker.GetAuthConfig(c.host)
			if err != nil || a.Username != user || a.Password != password {
				t.Errorf("%s %s: docker finds %q:%q (%v) for %s in\n%s", source, c.typed, a.Username, a.Password, err, c.host, data)
			}
			// The lookup is case-sensitive: lower-casing the key, as
			// shipseal once did for --registry, loses the credentials.
			if lower := strings.ToLower(c.host); lower != c.host {
				if a, _ := docker.GetAuthConfig(lower); a.Username != "" {
					t.Errorf("%s %s: docker also finds the credentials for %s: is its lookup no longer case-sensitive?", source, c.typed, lower)
				}
			}
		}
	}
}
