package envfile

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/internal/leaktest"
)

// TestReportsNeverShowSecrets reads files of every shape (env lines, JSON
// dockercfgs, broken JSON, YAML, CRLF, a BOM, duplicates, stray lines)
// as env files in both dialects, and checks that no report or Parse error
// shows a piece of a planted token, of its base64 auth, or of the auth's
// decoded password.
func TestReportsNeverShowSecrets(t *testing.T) {
	for _, c := range leaktest.Cases(1, 3000) {
		for _, d := range []Dialect{Docker, Compose} {
			for _, decrypted := range []bool{false, true} {
				_, r := Validate("leak.env", c.Data, Options{Dialect: d, Decrypted: decrypted, KeyFingerprint: "fp", Lookup: testLookup})
				leaktest.Check(t, c, "Validate ("+d.String()+")", leaktest.Render(t, r))
			}
			if _, err := Parse(c.Data, d); err != nil {
				leaktest.Check(t, c, "Parse ("+d.String()+")", err.Error())
			}
		}
		if t.Failed() {
			return
		}
	}
}

// garbleShapes are env files whose secret (%W) is one of leaktest.Words,
// a word of the names, messages and hints around it, with mistakes in
// both dialects.
var garbleShapes = []string{
	"DOCKER_HOST=%W\nRUNTIME=\"%W\"\nMY VAR=1\nexport NAME=%W\nA=%W # docker keeps the comment\nDB_PASSWORD=%W\nDB_PASSWORD= %W\n",
	"A=\"%W\nB=1\n",
	"A=${UNSET_ONE}%W\nB=${NOPE:?}\nC='%W'x\n",
	"\xef\xbb\xbfA=%W\r\nB=%W\r\n# OLD=%W\n",
	"A=\xff%W\n",
	strings.Repeat("X= %W\n", 25),
}

// TestReportsDoNotGarble checks that a secret that is a common word is
// masked at its place and nowhere else: the report, Parse's error and
// textconv's masked content are the same as with a secret that is no
// word at all.
func TestReportsDoNotGarble(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for _, shape := range garbleShapes {
		for _, w := range leaktest.Words {
			stranger := leaktest.Stranger(r, w)
			for _, d := range []Dialect{Docker, Compose} {
				render := func(secret string) (report, parse, masked string) {
					data := []byte(strings.ReplaceAll(shape, "%W", secret))
					_, rep := Validate("garble.env", data, Options{Dialect: d})
					if len(rep.Diagnostics) == 0 {
						t.Fatalf("%q (%s): no diagnostic to check", shape, d)
					}
					if _, err := Parse(data, d); err != nil {
						parse = err.Error()
					}
					return leaktest.Render(t, rep), parse, string(rep.Source.Masked())
				}
				what := fmt.Sprintf("%q (%s) with %q", shape, d, w)
				report, parse, masked := render(w)
				wantReport, wantParse, wantMasked := render(stranger)
				leaktest.Unchanged(t, what, w, report, wantReport)
				leaktest.Unchanged(t, what+" (Parse)", w, parse, wantParse)
				leaktest.Unchanged(t, what+" (masked content)", w, masked, wantMasked)
			}
		}
	}
}
