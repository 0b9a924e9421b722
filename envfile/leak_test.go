package envfile

import (
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
