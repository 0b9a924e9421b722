package dockercfg

import (
	"bytes"
	"encoding/base64"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/shipseal/shipseal/diag"
)

var update = flag.Bool("update", false, "rewrite testdata/dockercfg/*.golden from the current output")

// testFingerprint names the key in corpus files validated as decrypted.
const testFingerprint = "SHA256:corpus-test-key"

// corpus returns the corpus files: good_*.json must validate without
// errors, fail_*.json must not. Files with "decrypted" in their name are
// validated as freshly decrypted content; the others as files named by
// their path, which hints use in commands.
func corpus(t testing.TB) []string {
	files, err := filepath.Glob("testdata/dockercfg/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

func corpusOptions(file string) Options {
	if strings.Contains(filepath.Base(file), "decrypted") {
		return Options{Decrypted: true, KeyFingerprint: testFingerprint}
	}
	return Options{Path: filepath.Base(file)}
}

func TestCorpusGolden(t *testing.T) {
	for _, file := range corpus(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			cfg, r := Validate(filepath.Base(file), data, corpusOptions(file))
			var text bytes.Buffer
			require.NoError(t, diag.WriteText(&text, []*diag.Report{r}))

			golden := strings.TrimSuffix(file, ".json") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, text.Bytes(), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to create the golden file")
			assert.Equal(t, string(want), text.String())

			good := strings.HasPrefix(filepath.Base(file), "good_")
			assert.Equal(t, good, r.Valid(), "validity")
			if good {
				require.NotNil(t, cfg)
				assert.NotEmpty(t, cfg.Auths)
			}
			wantFormat := FormatConfigJSON
			if strings.Contains(file, "legacy") {
				wantFormat = FormatLegacy
			}
			if cfg != nil {
				assert.Equal(t, wantFormat, cfg.Format)
			}
			for _, d := range r.Diagnostics {
				assert.Regexp(t, `^DC0\d\d$`, d.Code)
				assert.NotEmpty(t, d.Message)
				if d.Severity == diag.Error {
					assert.NotEmpty(t, d.Hint, "%s has no hint", d.Code)
				}
			}
			assertNoSecrets(t, data, r)
		})
	}
}

// assertNoSecrets checks that no secret of the file shows in its text or
// JSON report. The corpus spells every password with "pass" in it (or is
// a known token), and every auth is base64 of user:password.
func assertNoSecrets(t *testing.T, data []byte, r *diag.Report) {
	t.Helper()
	var text, js bytes.Buffer
	require.NoError(t, diag.WriteText(&text, []*diag.Report{r}))
	require.NoError(t, diag.WriteJSON(&js, []*diag.Report{r}))
	for _, secret := range corpusSecrets(data) {
		assert.NotContains(t, text.String(), secret)
		assert.NotContains(t, js.String(), secret)
	}
}

// corpusSecrets finds the secrets planted in corpus files: words holding
// "pass", "Token" or "TOKEN", "PRIVATE KEY", and their base64 forms.
func corpusSecrets(data []byte) []string {
	var out []string
	words := strings.FieldsFunc(string(data), func(r rune) bool {
		return r == '"' || r == ' ' || r == '\n' || r == '\t' || r == ',' || r == '{' || r == '}' || r == '\r'
	})
	for _, w := range words {
		if dec, err := base64.StdEncoding.DecodeString(w); err == nil && len(w) >= 8 && strings.Contains(string(dec), ":") {
			out = append(out, w)
			if _, p, err := DecodeAuth(w); err == nil {
				out = append(out, p)
			}
		}
		for _, mark := range []string{"pass", "Token", "TOKEN", "token-"} {
			if strings.Contains(w, mark) && len(w) > 8 && w != "password" {
				out = append(out, strings.TrimPrefix(w, "ci:"))
			}
		}
	}
	return out
}

// TestEveryCodeCovered makes sure the corpus shows every diagnostic.
func TestEveryCodeCovered(t *testing.T) {
	seen := map[string]bool{}
	for _, file := range corpus(t) {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		_, r := Validate(file, data, corpusOptions(file))
		for _, d := range r.Diagnostics {
			seen[d.Code] = true
		}
	}
	for _, c := range Codes {
		assert.True(t, seen[c.Code], "no corpus file shows %s (%s)", c.Code, c.Title)
	}
}
