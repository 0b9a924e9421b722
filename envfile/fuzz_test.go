package envfile

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"testing"

	"github.com/docker/cli/pkg/kvfile"
	"github.com/stretchr/testify/require"

	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/internal/leaktest"
)

// planted is a value added to every fuzz input: no output may show it.
const planted = "PLANTED-s3cr3t-Zq9"

// plantedJSON is a dockercfg line added to every fuzz input, its auth
// base64 of "ci:"+planted: a JSON file read as an env file must not show
// the auth, not even its part before the padding's = that docker reads
// as a name.
var plantedJSON = `{"auths":{"my_reg.io":{"auth":"` + base64.StdEncoding.EncodeToString([]byte("ci:"+planted)) + `"}}}`

func FuzzEnvfileDocker(f *testing.F)  { fuzzEnvfile(f, Docker) }
func FuzzEnvfileCompose(f *testing.F) { fuzzEnvfile(f, Compose) }

func fuzzEnvfile(f *testing.F, d Dialect) {
	for _, path := range corpusFiles(f) {
		data, err := os.ReadFile(path)
		require.NoError(f, err)
		if len(data) < 4096 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in := append(bytes.Clone(data), "\nSECRET_PLANTED="+planted+"\n"+plantedJSON+"\n"...)
		for _, decrypted := range []bool{false, true} {
			fl, r := Validate("fuzz.env", in, Options{Dialect: d, Decrypted: decrypted, KeyFingerprint: "fp", Lookup: testLookup})
			var text, js bytes.Buffer
			require.NoError(t, diag.WriteText(&text, []*diag.Report{r}))
			require.NoError(t, diag.WriteJSON(&js, []*diag.Report{r}))
			require.True(t, json.Valid(js.Bytes()))
			secrets := []string{planted, base64.StdEncoding.EncodeToString([]byte("ci:" + planted))}
			if leak := leaktest.Leak(text.String()+js.String(), secrets); leak != "" {
				t.Fatalf("the planted secret leaked (%q):\n%s", leak, text.String())
			}
			if perr := parseErr(in, d); (perr == nil) != (fl != nil) && !decrypted {
				t.Fatalf("Parse and Validate disagree: %v", perr)
			}
			if fl != nil {
				require.Equal(t, in, fl.Bytes(), "a parsed file writes back unchanged")
				checkSet(t, fl)
			}
		}
		if d == Docker {
			want, err := kvfile.ParseFromReader(bytes.NewReader(in), testLookup)
			compareDocker(t, in, want, err)
		}
	})
}

func parseErr(data []byte, d Dialect) error {
	_, err := parseFile(data, d, testLookup)
	return err
}

// checkSet sets the first entry to a new value and checks that only its
// value's bytes changed.
func checkSet(t *testing.T, f *File) {
	for _, e := range f.Entries {
		if !isPortableName(e.Name) {
			continue
		}
		before := f.Bytes()
		p := f.places[f.last(e.Name)]
		value := "new value #$\\\"'"
		if f.Dialect == Docker {
			value = "new-value"
		}
		if err := f.Set(e.Name, value); err != nil {
			// A later entry with the same name may not round-trip through
			// interpolation (compose); that is refused, not corrupted.
			require.Equal(t, before, f.Bytes())
			return
		}
		after := f.Bytes()
		require.Equal(t, string(before[:p.valStart]), string(after[:p.valStart]))
		require.Equal(t, string(before[p.valEnd:]), string(after[len(after)-(len(before)-p.valEnd):]))
		return
	}
}
