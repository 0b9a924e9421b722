package envfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSetKeepsEveryOtherByte sets one variable in every valid corpus file
// and checks that only that variable's value changed.
func TestSetKeepsEveryOtherByte(t *testing.T) {
	for _, path := range corpusFiles(t) {
		name := filepath.Base(path)
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		opts := corpusOptions(name)
		f, r := Validate(name, data, opts)
		if !r.Valid() {
			continue
		}
		t.Run(name, func(t *testing.T) {
			require.Equal(t, data, f.Bytes(), "unchanged file writes back byte for byte")
			if len(f.Entries) == 0 {
				return
			}
			e := f.Entries[len(f.Entries)/2]
			if !isPortableName(e.Name) {
				return
			}
			p := f.places[f.last(e.Name)]
			require.NoError(t, f.Set(e.Name, "changed-value"))
			got := f.Bytes()
			assert.Equal(t, string(data[:p.valStart]), string(got[:p.valStart]))
			assert.Equal(t, string(data[p.valEnd:]), string(got[len(got)-(len(data)-p.valEnd):]))
			v, ok := f.Get(e.Name, nil)
			assert.True(t, ok)
			assert.Equal(t, "changed-value", v)
		})
	}
}

func TestSet(t *testing.T) {
	tests := []struct {
		name    string
		dialect Dialect
		in      string
		set     [2]string
		want    string
	}{
		{"existing", Docker, "A=1\nB=2\nC=3\n", [2]string{"B", "two"}, "A=1\nB=two\nC=3\n"},
		{"last of duplicates", Docker, "B=1\nB=2\n", [2]string{"B", "x"}, "B=1\nB=x\n"},
		{"new at end", Docker, "A=1\n", [2]string{"B", "2"}, "A=1\nB=2\n"},
		{"new without final newline", Docker, "A=1", [2]string{"B", "2"}, "A=1\nB=2\n"},
		{"new in crlf file", Docker, "A=1\r\n", [2]string{"B", "2"}, "A=1\r\nB=2\r\n"},
		{"into empty file", Docker, "", [2]string{"A", "1"}, "A=1\n"},
		{"inherited", Docker, "A\nB=1\n", [2]string{"A", "x"}, "A=x\nB=1\n"},
		{"crlf kept", Docker, "A=1\r\nB=2\r\n", [2]string{"A", "x y"}, "A=x y\r\nB=2\r\n"},
		{"compose quoted", Compose, "export A='old' # note\n", [2]string{"A", "new value $x"}, "export A=\"new value \\$x\" # note\n"},
		{"compose plain", Compose, "A = old # note\n", [2]string{"A", "new"}, "A = new # note\n"},
		{"compose multi-line", Compose, "A=\"l1\nl2\"\nB=2\n", [2]string{"A", "x\ny"}, "A=\"x\\ny\"\nB=2\n"},
		{"compose empty", Compose, "A=x # c\n", [2]string{"A", ""}, "A=\"\" # c\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.in), tt.dialect)
			require.NoError(t, err)
			require.NoError(t, f.Set(tt.set[0], tt.set[1]))
			assert.Equal(t, tt.want, string(f.Bytes()))
			v, ok := f.Get(tt.set[0], nil)
			assert.True(t, ok)
			assert.Equal(t, tt.set[1], v)
		})
	}
}

func TestSetRefuses(t *testing.T) {
	f, err := Parse([]byte("A=1\n"), Docker)
	require.NoError(t, err)
	assert.Error(t, f.Set("BAD NAME", "x"))
	assert.Error(t, f.Set("A", "two\nlines"))
	assert.Error(t, f.Set("A", "cr\r"))
	assert.Error(t, f.Set("A", "nul\x00"))
	assert.Equal(t, "A=1\n", string(f.Bytes()), "a refused Set changes nothing")
}

func TestDelete(t *testing.T) {
	f, err := Parse([]byte("# c\nA=1\nB=2\r\nA=3\nC"), Docker)
	require.NoError(t, err)
	ok, err := f.Delete("A")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "# c\nB=2\r\nC", string(f.Bytes()))
	ok, err = f.Delete("C")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "# c\nB=2\r\n", string(f.Bytes()))
	ok, err = f.Delete("nope")
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestParseError(t *testing.T) {
	_, err := Parse([]byte("A=hunter2-secret\nexport B=hunter2-secret\n=x\n"), Docker)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrInvalid))
	var pe *ParseError
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, CodeExport, pe.Code)
	assert.Equal(t, 2, pe.Line)
	assert.Equal(t, `line 2:1: "export B": docker takes the whole "export ..." as the name and refuses it (EV008) and 1 more error`, err.Error())
	assert.NotContains(t, err.Error(), "hunter2")
}

func TestEnviron(t *testing.T) {
	f, err := Parse([]byte("A=1\nHOME\nNOPE\nA=2\n"), Docker)
	require.NoError(t, err)
	assert.Equal(t, []string{"A=1", "HOME=/home/ci", "A=2"}, f.Environ(testLookup))
	assert.Equal(t, []string{"A=1", "A=2"}, f.Environ(nil))
}

func TestParseDialect(t *testing.T) {
	for in, want := range map[string]Dialect{"": Docker, "docker": Docker, "Compose": Compose} {
		d, err := ParseDialect(in)
		require.NoError(t, err)
		assert.Equal(t, want, d)
		assert.Equal(t, want.String(), d.String())
	}
	_, err := ParseDialect("shell")
	assert.Error(t, err)
}

func TestDetect(t *testing.T) {
	yes := []string{
		"A=1\n", "# c\nexport A=1\nB=2\n", "my-var=1\nX=2\n", "NAME\nOTHER=1\n",
		"\xff\xfeA\x00=\x001\x00\n\x00", // Notepad UTF-16LE
		"A=1\nsome stray line\nB=2\n",
	}
	no := []string{
		"", "# only a comment\n", `{"auths": {}}`, "[section]\nkey = value\n",
		"hello world\nthis is prose\n", "\x00\x01\x02\x03garbage\xff", "-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n",
	}
	for _, s := range yes {
		assert.True(t, Detect([]byte(s)), "%q", s)
	}
	for _, s := range no {
		assert.False(t, Detect([]byte(s)), "%q", s)
	}
}

// TestDetectCorpus: every text corpus file is recognised as an env file.
func TestDetectCorpus(t *testing.T) {
	for _, path := range corpusFiles(t) {
		name := filepath.Base(path)
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		switch name {
		case "empty.env", "only_comments.env", "binary.env", "decrypted_wrong_key.env", "value_only.env", "compose_value_only.env", "empty_name.env", "multiline_pem.env", "multiline_json.env":
			continue
		}
		assert.True(t, Detect(data), name)
	}
}

func TestWrongKey(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpusDir, "decrypted_wrong_key.env"))
	require.NoError(t, err)
	f, r := Validate("x.env", data, Options{Decrypted: true, KeyFingerprint: "SHA256:abc"})
	assert.Nil(t, f)
	assert.True(t, r.WrongKey())
	assert.Contains(t, r.Diagnostics[0].Message, "key SHA256:abc")
	// The same bytes, not decrypted, are just not text.
	_, r = Validate("x.env", data, Options{})
	assert.False(t, r.WrongKey())
	assert.False(t, r.Valid())
	// Random bytes can be valid UTF-8 when short: control bytes give
	// them away.
	_, r = Validate("x.env", []byte("\x01\x02A\x03\x1b=\x05\x06\x07"), Options{Decrypted: true})
	assert.True(t, r.WrongKey())
	// A Latin-1 file decrypted with the right key is not a wrong key.
	_, r = Validate("x.env", []byte("A=caf\xe9\n"), Options{Decrypted: true})
	assert.False(t, r.WrongKey())
	assert.False(t, r.Valid())
}

func TestCapPerCode(t *testing.T) {
	var data []byte
	for i := 0; i < 50; i++ {
		data = append(data, "my-var=1\n"...)
	}
	data = append(data, "bad name=1\n"...)
	_, r := Validate("x.env", data, Options{})
	var n int
	for _, d := range r.Diagnostics {
		if d.Code == CodeNotPortable {
			n++
		}
	}
	assert.Equal(t, maxPerCode+1, n)
	assert.False(t, r.Valid())
}

func TestNestingLimit(t *testing.T) {
	ok := "A=" + strings.Repeat("${X:-", maxNesting) + "v" + strings.Repeat("}", maxNesting) + "\n"
	f, err := Parse([]byte(ok), Compose)
	require.NoError(t, err)
	v, _ := f.Get("A", nil)
	assert.Equal(t, "v", v)
	deep := "A=" + strings.Repeat("${X:-", maxNesting+1) + "v" + strings.Repeat("}", maxNesting+1) + "\n"
	_, err = Parse([]byte(deep), Compose)
	var pe *ParseError
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, CodeBadTemplate, pe.Code)
}
