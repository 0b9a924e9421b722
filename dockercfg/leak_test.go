package dockercfg

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/internal/leaktest"
)

// TestReportsNeverShowSecrets reads files of every shape (env files,
// YAML, valid and broken JSON, CRLF, a BOM, duplicates, stray lines) and
// random bytes around secret fields as dockercfgs, and checks that no
// report or Parse error shows a piece of a planted token, of its base64
// auth, or of the auth's decoded password.
func TestReportsNeverShowSecrets(t *testing.T) {
	cases := leaktest.Cases(2, 3000)
	r := rand.New(rand.NewPCG(3, 3))
	for range 1000 {
		// Random bytes on both sides of a secret field.
		tok := leaktest.Token(r)
		field := []byte(plantedFieldOf(byte(r.IntN(7)), tok))
		data := append(randomBytes(r), append(field, randomBytes(r)...)...)
		cases = append(cases, leaktest.Case{Data: data, Secrets: []string{tok, EncodeAuth("fuzz", tok)}})
	}
	for _, c := range cases {
		for _, opts := range []Options{{}, {Decrypted: true, KeyFingerprint: "SHA256:leak"}} {
			_, rep := Validate("leak.json", c.Data, opts)
			leaktest.Check(t, c, "Validate", leaktest.Render(t, rep))
		}
		if _, err := Parse(c.Data); err != nil {
			leaktest.Check(t, c, "Parse", err.Error())
		}
		if t.Failed() {
			return
		}
	}
}

// randomBytes returns up to 40 bytes, mostly JSON punctuation and text.
func randomBytes(r *rand.Rand) []byte {
	const alphabet = "{}[]\":, \n\r\t=#abcXYZ019\\'\x00\xff"
	b := make([]byte, r.IntN(41))
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return b
}

// garbleShapes are dockercfgs whose secret (%W; %A is base64 of ci:%W, %U
// of user:%W) is one of leaktest.Words, a word of the registry names,
// field names, messages and hints around it.
var garbleShapes = []string{
	`{"auths":{"registry.example.com":{"auth":"%A"}},"x":1}`,
	`{"auths":{"r.io":{"auth":"%U","username":"other"}}}`,
	`{"auths":{"r.io":{"auth":"%U","username":"other","password":"x"}}}`,
	"{\n\t\"auths\": {\n\t\t\"https://index.docker.io/v1/\": {\"auth\": \"%A\", \"Password\": \"%W\", \"emial\": \"ci@example.com\"},\n" +
		"\t\t\"ghcr.io\": {\"identitytoken\": \"%W\"},\n\t\t\"quay.io\": {\"username\": \"robot\", \"password\": \"%W\"}\n\t},\n\t\"credsStore\": \"desktop\"\n}\n",
	`{"auths":{"docker.example.com":{"password":"%W"}}`,
	`{"auths":{"registry.example.com":{"registrytoken":"%W"},"registry.example.com":{"auth":"%A"}}} x`,
}

// TestReportsDoNotGarble checks that a secret that is a common word is
// masked at its place and nowhere else: the report, and textconv's
// masked content, are the same as with a secret that is no word at all.
func TestReportsDoNotGarble(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	fill := func(shape, w string) []byte {
		return []byte(strings.NewReplacer("%W", w, "%A", EncodeAuth("ci", w), "%U", EncodeAuth("user", w)).Replace(shape))
	}
	for _, shape := range garbleShapes {
		for _, w := range leaktest.Words {
			stranger := leaktest.Stranger(r, w)
			_, withWord := Validate("garble.json", fill(shape, w), Options{})
			_, withStranger := Validate("garble.json", fill(shape, stranger), Options{})
			if len(withWord.Diagnostics) == 0 && !strings.Contains(shape, `"x"`) {
				t.Fatalf("%s: no diagnostic to check", shape)
			}
			what := fmt.Sprintf("%s with %q", shape, w)
			leaktest.Unchanged(t, what, w, leaktest.Render(t, withWord), leaktest.Render(t, withStranger))
			leaktest.Unchanged(t, what+" (masked content)", w, string(withWord.Source.Masked()), string(withStranger.Source.Masked()))
		}
	}
	// The audit's examples, spelled out.
	_, rep := Validate("m.json", fill(garbleShapes[1], "docker"), Options{})
	out := leaktest.Render(t, rep)
	for _, want := range []string{`username "other" of "r.io" disagrees with the user "user" in its auth; docker uses auth`,
		"hint: delete username and password, or make them agree", `"auth":"****"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	_, rep = Validate("m.json", fill(garbleShapes[0], "registry"), Options{})
	if got, want := string(rep.Source.Masked()), `{"auths":{"registry.example.com":{"auth":"****"}},"x":1}`; got != want {
		t.Errorf("Masked() = %s, want %s", got, want)
	}
}
