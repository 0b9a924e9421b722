package dockercfg

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/diag"
)

// plantedSecret is the password FuzzDockercfgValidate hides in every
// input. It must never reach any output.
const plantedSecret = "Pl4nted-S3cret-xq7Z"

// FuzzDockercfgValidate wraps a secret field in fuzzed text on both sides,
// so the secret lands in valid files, broken files, env files read as a
// dockercfg, binary garbage and everything between, and checks that no
// text or JSON report, and no Parse error, ever shows it.
func FuzzDockercfgValidate(f *testing.F) {
	f.Add(`{"auths": {"registry.example.com": {"username": "ci", `, `}}}`, byte(0))
	f.Add(`{"auths": {"r.io": {"auth": "Y2k6aHVudGVyMg=="}}}`, "DB_USER=ci\r\n", byte(4))
	f.Add("\xef\xbb\xbf# env\n", `{"a": "b"}`, byte(5))
	f.Fuzz(func(t *testing.T, prefix, suffix string, form byte) {
		data := []byte(prefix + plantedField(form) + suffix)
		for _, opts := range []Options{{}, {Decrypted: true, KeyFingerprint: "SHA256:fuzz"}} {
			cfg, r := Validate("fuzz.json", data, opts)
			var text, js bytes.Buffer
			if err := diag.WriteText(&text, []*diag.Report{r}); err != nil {
				t.Fatal(err)
			}
			if err := diag.WriteJSON(&js, []*diag.Report{r}); err != nil {
				t.Fatal(err)
			}
			for _, leak := range []string{plantedSecret, EncodeAuth("fuzz", plantedSecret)} {
				if strings.Contains(text.String(), leak) || strings.Contains(js.String(), leak) {
					t.Fatalf("secret in the report of %q:\n%s", data, text.String())
				}
			}
			if r.Valid() {
				if cfg == nil {
					t.Fatalf("valid report without a config for %q", data)
				}
				out, err := cfg.Marshal(cfg.Format)
				if err != nil {
					t.Fatalf("valid config of %q does not marshal: %v", data, err)
				}
				if _, err := Parse(out); err != nil {
					t.Fatalf("valid config of %q, written back, does not parse: %v\n%s", data, err, out)
				}
			}
		}
		if _, err := Parse(data); err != nil && strings.Contains(err.Error(), plantedSecret) {
			t.Fatalf("secret in Parse's error for %q: %v", data, err)
		}
	})
}

// plantedField is a secret field holding plantedSecret in one of the
// forms a dockercfg holds secrets in.
func plantedField(form byte) string { return plantedFieldOf(form, plantedSecret) }

// plantedFieldOf is a secret field holding secret: a dockercfg field, or
// (from form 4 on) a line of an env or YAML file, which is not JSON even
// inside fuzzed JSON.
func plantedFieldOf(form byte, secret string) string {
	switch form % 7 {
	case 1:
		return `"auth": "` + base64.StdEncoding.EncodeToString([]byte("fuzz:"+secret)) + `"`
	case 2:
		return `"identitytoken": "` + secret + `"`
	case 3:
		return `"registrytoken": "` + secret + `"`
	case 4:
		return "\nPASSWORD=" + secret + "\n"
	case 5:
		return "\nexport TOKEN=\"" + secret + "\"\n"
	case 6:
		return "\npassword: " + secret + "\n"
	}
	return `"password": "` + secret + `"`
}
