package dockercfg

import (
	"math/rand/v2"
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
