package envfile

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/shipseal/shipseal/diag"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/envfile")

const corpusDir = "testdata/envfile"

// testEnv is the environment every corpus file is read against.
var testEnv = map[string]string{
	"HOME":       "/home/ci",
	"INHERITED":  "inherited-from-env",
	"INHERIT_ME": "inherit-me-value",
}

func testLookup(name string) (string, bool) {
	v, ok := testEnv[name]
	return v, ok
}

const testFingerprint = "SHA256:jz0Hn2Ifo2wNZVBmDnTUqB1gDbXF"

// corpusOptions gives a corpus file its options from its name: compose_*
// files are read as compose, decrypted_* ones as just decrypted.
func corpusOptions(name string) Options {
	opts := Options{Lookup: testLookup}
	if strings.HasPrefix(name, "compose_") {
		opts.Dialect = Compose
	}
	if strings.HasPrefix(name, "decrypted_") {
		opts.Decrypted = true
		opts.KeyFingerprint = testFingerprint
	}
	return opts
}

func corpusFiles(t testing.TB) []string {
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.env"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

// entriesOf parses data as Validate does and returns the entries even when
// the file has errors, for the secret checks.
func entriesOf(data []byte, opts Options) []Entry {
	c := newChecker("", data, opts)
	c.run()
	return c.file.Entries
}

func renderEntries(f *File) string {
	if f == nil {
		return "(invalid)\n"
	}
	var b strings.Builder
	for _, e := range f.Entries {
		if e.Inherit {
			fmt.Fprintf(&b, "%d %s (inherit)\n", e.Line, e.Name)
			continue
		}
		fmt.Fprintf(&b, "%d %s=%q\n", e.Line, e.Name, e.Value)
	}
	return b.String()
}

// TestCorpus checks every corpus file's diagnostics (WriteText output) and
// entries against its goldens; go test -update rewrites them.
func TestCorpus(t *testing.T) {
	for _, path := range corpusFiles(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			f, r := Validate(name, data, corpusOptions(name))
			var text bytes.Buffer
			require.NoError(t, diag.WriteText(&text, []*diag.Report{r}))
			var js bytes.Buffer
			require.NoError(t, diag.WriteJSON(&js, []*diag.Report{r}))
			assert.True(t, json.Valid(js.Bytes()))

			golden := strings.TrimSuffix(path, ".env")
			entries := renderEntries(f)
			if *update {
				require.NoError(t, os.WriteFile(golden+".golden", text.Bytes(), 0o644))
				require.NoError(t, os.WriteFile(golden+".entries", []byte(entries), 0o644))
			}
			want, err := os.ReadFile(golden + ".golden")
			require.NoError(t, err, "run go test ./envfile -run TestCorpus -update")
			assert.Equal(t, string(want), text.String())
			want, err = os.ReadFile(golden + ".entries")
			require.NoError(t, err)
			assert.Equal(t, string(want), entries)

			assert.Equal(t, r.Valid(), f != nil, "a File comes back exactly when the report is valid")
			// Only the diagnostics can leak: the rest of the JSON is
			// structure ("valid": true would match a value "true").
			diags, err := json.Marshal(r.JSON().Diagnostics)
			require.NoError(t, err)
			for _, e := range entriesOf(data, corpusOptions(name)) {
				assertNoSecret(t, e.Value, text.String(), string(diags))
			}
		})
	}
}

// assertNoSecret checks that value shows in neither output. Values shorter
// than three bytes are masked by position only and may occur by chance.
func assertNoSecret(t *testing.T, value string, outputs ...string) {
	t.Helper()
	v := strings.TrimSpace(value)
	if len(v) < 3 {
		return
	}
	for _, out := range outputs {
		assert.NotContains(t, out, v, "a value leaked into the output")
	}
}

// TestEveryCodeHasACase makes sure that the corpus shows every diagnostic
// code, so that each has a golden.
func TestEveryCodeHasACase(t *testing.T) {
	seen := map[string]bool{}
	for _, path := range corpusFiles(t) {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		name := filepath.Base(path)
		_, r := Validate(name, data, corpusOptions(name))
		for _, d := range r.Diagnostics {
			seen[d.Code] = true
		}
	}
	for _, code := range allCodes {
		assert.True(t, seen[code], "no corpus file shows %s", code)
	}
}

var allCodes = []string{
	CodeNotUTF8, CodeUTF16, CodeBOM, CodeNUL, CodeEmptyName, CodeNameSpace, CodeNotPortable, CodeExport,
	CodeQuotes, CodeCR, CodeCRLF, CodeDuplicate, CodeValueOnly, CodeLineTooLong, CodeSpaceInValue,
	CodeInlineComment, CodeDollarDocker, CodeUnterminated, CodeNameChar, CodeBadTemplate, CodeRequired,
	CodeUnset, CodeAfterQuote,
}

// TestDocsListEveryCode keeps docs/envfile.md in step with the codes.
func TestDocsListEveryCode(t *testing.T) {
	doc, err := os.ReadFile("../docs/envfile.md")
	require.NoError(t, err)
	for _, code := range allCodes {
		assert.Contains(t, string(doc), "### "+code, "docs/envfile.md does not explain %s", code)
	}
}
