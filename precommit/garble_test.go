package precommit_test

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/internal/leaktest"
)

// garbleFiles are staged files whose secret (%W; %A is the base64 of
// ci:%W, %U of user:%W) is one of leaktest.Words, each with the rules it
// gets: CK005 (named as encrypted, with EN001's finding on the same
// content when validated), CK002, CK003, CK006, and DOCKER_AUTH_CONFIG's
// DC findings, in plaintext and encrypted (enc: encrypted with the
// project key before the check).
var garbleFiles = []struct {
	name, data   string
	enc          bool
	placeholders bool // CK006 applies, except to ck006Placeholders
}{
	{"ci.env.encrypted", "DB_PASSWORD=%W\n", false, false},
	{"dockercfg.encrypted", `{"auths":{"r.io":{"auth":"%U","username":"other"}}}`, false, false},
	{".docker/config.json", `{"auths":{"registry.example.com":{"auth":"%A"}}}`, false, false},
	{".docker/config.json", `{"auths":{"registry.example.com":{"password":"%W"}}`, false, false},
	{"deploy/docker", `{"auths":{"r.io":{"auth":"%A"}}}`, false, false}, // a name that is a word
	{"ci.env", "DB_PASSWORD=%W\nDOCKER_AUTH_CONFIG={\"auths\":{\"r.io\":{\"auth\":\"%U\",\"username\":\"other\"}}}\n", false, true},
	{"prod.env", "API_KEY=%W\n", false, true},
	{"prod.env", "DB_PASSWORD=\"%W\" # the password\n", false, true},
	{"ci.env.encrypted", "DOCKER_AUTH_CONFIG={\"auths\":{\"r.io\":{\"auth\":\"%A\",\"emial\":\"x\"}}}\n", true, false},
	{"dockercfg.encrypted", `{"auths":{"docker.example.com":{"password":"%W"}}`, true, false},
}

// ck006Placeholders are the leaktest.Words that CK006 takes for
// placeholders, not secrets ("password", "example").
var ck006Placeholders = map[string]bool{"pass": true, "password": true, "example": true}

// TestReportsDoNotGarble checks that a secret that is a common word is
// masked at its place and nowhere else: check's reports (CKnnn, and the
// ENnnn, DCnnn and EVnnn findings it gets from validate) are the same as
// with a secret that is no word at all.
func TestReportsDoNotGarble(t *testing.T) {
	key := mustKey(t, projectKey)
	r := rand.New(rand.NewPCG(7, 7))
	for _, f := range garbleFiles {
		for _, w := range leaktest.Words {
			stranger := leaktest.Stranger(r, w)
			render := func(secret string) string {
				data := strings.NewReplacer("%W", secret, "%A", basicAuth("ci", secret),
					"%U", basicAuth("user", secret)).Replace(f.data)
				content := []byte(data)
				if f.enc {
					content = encrypt(t, key, crypto.V2, data)
				}
				// The plaintext twin rule (CK003) applies to every
				// file not named as encrypted.
				rep, err := checker(key, f.name+".encrypted").Check(f.name, content)
				if err != nil {
					t.Fatal(err)
				}
				if rep == nil || len(rep.Diagnostics) == 0 {
					t.Fatalf("%s %q: no diagnostic to check", f.name, data)
				}
				return leaktest.Render(t, rep)
			}
			what := fmt.Sprintf("%s %q with %q", f.name, f.data, w)
			if f.placeholders && ck006Placeholders[strings.ToLower(w)] {
				// No secret to CK006, unlike the stranger: the reports
				// differ by a rule, not by masking.
				if out := render(w); strings.Contains(out, "CK006") {
					t.Errorf("%s: CK006 for a placeholder:\n%s", what, out)
				}
				continue
			}
			leaktest.Unchanged(t, what, w, render(w), render(stranger))
		}
	}
}

// basicAuth is a dockercfg's auth for user and password.
func basicAuth(user, password string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
}
