package validate_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/envfile"
	"github.com/shipseal/shipseal/internal/leaktest"
	"github.com/shipseal/shipseal/validate"
)

// garbleFiles are files whose secret (%W; %A is the base64 of ci:%W, %U
// of user:%W) is one of leaktest.Words: a DOCKER_AUTH_CONFIG checked as a
// dockercfg inside an env file, and files named as encrypted that hold
// plaintext (EN001).
var garbleFiles = []struct{ name, data string }{
	{"ci.env", `DOCKER_AUTH_CONFIG={"auths":{"r.io":{"auth":"%U","username":"other"}}}` + "\n"},
	{"ci.env", `DOCKER_AUTH_CONFIG={"auths":{"registry.example.com":{"auth":"%A","emial":"ci@example.com"}}}` + "\n"},
	{"ci.env", "A=1\n" + `DOCKER_AUTH_CONFIG='{"auths":{"docker.example.com":{"username":"ci","password":"%W"}}'` + "\n"},
	{"ci.env", `DOCKER_AUTH_CONFIG="{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"%A\",\"Password\":\"%W\"}}}"` + "\n"},
	{"ci.env.encrypted", "DB_PASSWORD=%W\n"},
	{"ci.env.encrypted", `DOCKER_AUTH_CONFIG={"auths":{"r.io":{"auth":"%U","username":"other"}}}` + "\n"},
	{"dockercfg.encrypted", `{"auths":{"r.io":{"auth":"%U","username":"other","password":"x"}}}`},
}

// TestReportsDoNotGarble checks that a secret that is a common word is
// masked at its place and nowhere else: what validate adds to the
// validators' reports (DOCKER_AUTH_CONFIG's findings, EN001) is the same
// as with a secret that is no word at all.
func TestReportsDoNotGarble(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 6))
	for _, f := range garbleFiles {
		for _, w := range leaktest.Words {
			stranger := leaktest.Stranger(r, w)
			for _, d := range []envfile.Dialect{envfile.Docker, envfile.Compose} {
				render := func(secret string) string {
					data := strings.NewReplacer("%W", secret, "%A", dockercfg.EncodeAuth("ci", secret),
						"%U", dockercfg.EncodeAuth("user", secret)).Replace(f.data)
					rep, err := validate.File(f.name, []byte(data), validate.Options{Dialect: d})
					if err != nil {
						t.Fatal(err)
					}
					if len(rep.Diagnostics) == 0 {
						t.Fatalf("%s %q (%s): no diagnostic to check", f.name, f.data, d)
					}
					return leaktest.Render(t, rep)
				}
				what := fmt.Sprintf("%s %q (%s) with %q", f.name, f.data, d, w)
				leaktest.Unchanged(t, what, w, render(w), render(stranger))
			}
		}
	}
}

// TestAuthConfigKeepsHints spells out the audit's example: a
// DOCKER_AUTH_CONFIG whose password is "docker" printed
// "hint: **** ignores it".
func TestAuthConfigKeepsHints(t *testing.T) {
	data := `DOCKER_AUTH_CONFIG={"auths":{"r.io":{"username":"ci","password":"docker","emial":"x"}}}` + "\n"
	rep := validate.Plain("ci.env", []byte(data), validate.Options{Kind: validate.Env, Dialect: envfile.Docker}, nil)
	out := rendered(t, rep)
	for _, want := range []string{"hint: docker ignores it; delete it if it is a typo", "DOCKER_AUTH_CONFIG: "} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, `"docker"`) {
		t.Errorf("the report shows the password:\n%s", out)
	}
}
