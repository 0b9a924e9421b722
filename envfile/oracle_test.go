package envfile

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/docker/cli/pkg/kvfile"
	"github.com/sirupsen/logrus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/shipseal/shipseal/diag"
)

// shipsealOnlyDocker are the errors shipseal reports where docker accepts
// the file: it reads them, but the result cannot be what was meant.
var shipsealOnlyDocker = map[string]string{
	CodeNUL:   "a NUL byte cannot be passed in an environment; docker only fails when the container starts",
	CodeUTF16: "UTF-16 without a byte order mark is valid UTF-8 (ASCII and NULs) to docker, read as garbage names",
}

// TestDockerOracle reads every corpus file with docker/cli's own parser
// (pkg/kvfile, what `docker run --env-file` uses through
// opts.ReadKVEnvStrings) and with the docker dialect: docker must accept
// exactly the files shipseal finds no docker-level error in, and produce
// the same variables, in order, duplicates and inherited ones included.
func TestDockerOracle(t *testing.T) {
	for _, path := range corpusFiles(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			checkDockerOracle(t, path, data)
		})
	}
}

func checkDockerOracle(t *testing.T, path string, data []byte) {
	t.Helper()
	want, dockerErr := kvfile.Parse(path, testLookup)
	compareDocker(t, data, want, dockerErr)
}

// compareDocker compares what docker made of data (want, dockerErr) with
// what the docker dialect makes of it.
func compareDocker(t *testing.T, data []byte, want []string, dockerErr error) {
	t.Helper()
	opts := Options{Dialect: Docker, Lookup: testLookup}
	f, r := Validate("oracle.env", data, opts)
	var dockerLevel, only []string
	for _, d := range r.Diagnostics {
		if d.Severity != diag.Error {
			continue
		}
		if _, ok := shipsealOnlyDocker[d.Code]; ok {
			only = append(only, d.Code)
		} else {
			dockerLevel = append(dockerLevel, d.Code)
		}
	}
	if dockerErr != nil {
		assert.NotEmpty(t, append(dockerLevel, only...), "docker refuses the file (%v) but shipseal finds no error", dockerErr)
		return
	}
	assert.Empty(t, dockerLevel, "docker accepts the file but shipseal reports docker-level errors")
	if len(only) > 0 {
		return
	}
	require.NotNil(t, f)
	got := f.Environ(testLookup)
	if len(want) == 0 {
		want = nil
	}
	assert.Equal(t, want, got)
}

// TestDockerOracleProcessEnv runs the oracle the way `docker run` does it,
// with bare NAME lines resolved from the process environment
// (os.LookupEnv), set and unset here.
func TestDockerOracleProcessEnv(t *testing.T) {
	for name, v := range testEnv {
		t.Setenv(name, v)
	}
	t.Setenv("TOKEN", "")
	require.NoError(t, os.Unsetenv("TOKEN"))
	data := []byte("HOME\nINHERITED\nTOKEN=a\nTOKEN\nINHERIT_ME=x\n")
	path := filepath.Join(t.TempDir(), "p.env")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	want, err := kvfile.Parse(path, os.LookupEnv)
	require.NoError(t, err)
	f, err := Parse(data, Docker)
	require.NoError(t, err)
	assert.Equal(t, want, f.Environ(os.LookupEnv))
	assert.Equal(t, []string{"HOME=/home/ci", "INHERITED=inherited-from-env", "TOKEN=a", "INHERIT_ME=x"}, want)
}

// TestDockerOracleLineLength checks the longest line docker reads, at the
// limit and one byte past it, with and without a final newline.
func TestDockerOracleLineLength(t *testing.T) {
	dir := t.TempDir()
	for i, n := range []int{maxDockerLine - 1, maxDockerLine, maxDockerLine + 1} {
		for j, tail := range []string{"", "\n", "\r\n", "\nB=2\n"} {
			data := append([]byte("A="), bytes.Repeat([]byte("v"), n-2)...)
			data = append(data, tail...)
			path := filepath.Join(dir, string(rune('a'+i))+string(rune('a'+j))+".env")
			require.NoError(t, os.WriteFile(path, data, 0o600))
			checkDockerOracle(t, path, data)
		}
	}
}

// composeDifferences are the corpus files where shipseal's compose dialect
// knowingly parts from compose-go's dotenv package; docs/envfile.md lists
// them too.
var composeDifferences = map[string]string{
	// shipseal refuses what compose reads without complaint but not as meant.
	"compose_after_quote.env": "compose reads text after a closing quote as the next statement; shipseal refuses it (EV025)",
	"compose_export_only.env": "compose reads a lone \"export\" as an inherited variable with an empty name",
	"empty_name.env":          "compose accepts =value, storing it under an empty name; shipseal refuses it (EV005)",
	"comment_latin1.env":      "compose does not check UTF-8; shipseal refuses invalid UTF-8 (EV001)",
	"latin1.env":              "compose does not check UTF-8; shipseal refuses invalid UTF-8 (EV001)",
	"decrypted_latin1.env":    "compose does not check UTF-8; shipseal refuses invalid UTF-8 (EV001)",
	"nul.env":                 "compose keeps a NUL in a value; shipseal refuses it (EV004)",
	"utf16le_nobom.env":       "compose reads BOM-less UTF-16 as garbage; shipseal refuses it (EV002)",
}

// TestComposeOracle reads every corpus file with compose-go's dotenv (what
// docker compose uses for .env) and with the compose dialect.
func TestComposeOracle(t *testing.T) {
	for _, path := range corpusFiles(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			checkComposeOracle(t, name, data)
		})
	}
}

func checkComposeOracle(t *testing.T, name string, data []byte) {
	t.Helper()
	want, composeErr := dotenv.ParseWithLookup(bytes.NewReader(data), testLookup)
	opts := Options{Dialect: Compose, Lookup: testLookup}
	f, r := Validate(name, data, opts)
	if why, ok := composeDifferences[name]; ok {
		t.Logf("known difference: %s", why)
		return
	}
	if composeErr != nil {
		assert.False(t, r.Valid(), "compose refuses the file (%v) but shipseal finds no error", composeErr)
		return
	}
	var codes []string
	for _, d := range r.Diagnostics {
		if d.Severity == diag.Error {
			codes = append(codes, d.Code)
		}
	}
	require.Empty(t, codes, "compose accepts the file but shipseal reports errors")
	got := map[string]string{}
	for _, e := range f.Entries {
		if v, ok := f.Get(e.Name, testLookup); ok {
			got[e.Name] = v
		} else {
			delete(got, e.Name)
		}
	}
	assert.Equal(t, want, got)
}

func TestMain(m *testing.M) {
	// compose-go logs unset variables through logrus.
	logrus.SetOutput(io.Discard)
	os.Exit(m.Run())
}

// TestComposeDifferences pins down the documented differences from
// compose-go (docs/envfile.md): compose reads each input as shown, and
// shipseal refuses it with the given code or reads it as said.
func TestComposeDifferences(t *testing.T) {
	tests := []struct {
		in      string
		compose map[string]string
		code    string // shipseal's error, or "" when it reads the file
		entries []string
	}{
		{"=value\n", map[string]string{"": "value"}, CodeEmptyName, nil},
		{"export\nB=1\n", map[string]string{"B": "1"}, CodeEmptyName, nil},
		{"A=\"abc\"def\n", map[string]string{"A": "abc"}, CodeAfterQuote, nil},
		{"A=ok\x00\n", map[string]string{"A": "ok\x00"}, CodeNUL, nil},
		{"A=caf\xe9\n", map[string]string{"A": "caf\xe9"}, CodeNotUTF8, nil},
		{"A\tB=1\n", map[string]string{"A\tB": "1"}, CodeNameSpace, nil},
		{"A=1\nNAME", map[string]string{"A": "1", "": "NAME"}, "", []string{"A=1"}},
		{"A=${X:-{}\n", map[string]string{"A": "{"}, CodeBadTemplate, nil},
	}
	for _, tt := range tests {
		m, err := dotenv.ParseWithLookup(bytes.NewReader([]byte(tt.in)), nil)
		require.NoError(t, err, "%q", tt.in)
		assert.Equal(t, tt.compose, m, "%q", tt.in)
		f, r := Validate("x.env", []byte(tt.in), Options{Dialect: Compose})
		if tt.code == "" {
			require.NotNil(t, f, "%q", tt.in)
			assert.Equal(t, tt.entries, f.Environ(nil), "%q", tt.in)
			continue
		}
		require.Nil(t, f, "%q", tt.in)
		var codes []string
		for _, d := range r.Diagnostics {
			codes = append(codes, d.Code)
		}
		assert.Contains(t, codes, tt.code, "%q", tt.in)
	}
}

// FuzzComposeOracle compares the compose dialect with compose-go on any
// input: what compose refuses, shipseal refuses; what both read, they
// read the same. compose-go's own quirk of storing a last bare NAME under
// the empty name is left out.
func FuzzComposeOracle(f *testing.F) {
	for _, path := range corpusFiles(f) {
		data, err := os.ReadFile(path)
		require.NoError(f, err)
		if len(data) < 4096 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, composeErr := dotenv.ParseWithLookup(bytes.NewReader(data), testLookup)
		fl, r := Validate("fuzz.env", data, Options{Dialect: Compose, Lookup: testLookup})
		if composeErr != nil {
			require.False(t, r.Valid(), "compose refuses %q (%v), shipseal reads it", data, composeErr)
			return
		}
		if fl == nil {
			return // shipseal is stricter; docs/envfile.md lists how
		}
		if _, ok := want[""]; ok {
			return
		}
		got := map[string]string{}
		for _, e := range fl.Entries {
			if v, ok := fl.Get(e.Name, testLookup); ok {
				got[e.Name] = v
			}
		}
		require.Equal(t, want, got, "%q", data)
	})
}
