package shellquote

import (
	"os/exec"
	"testing"
)

var cases = []struct {
	in, quote, single string
}{
	{"", "''", "''"},
	{"docker/config.json", "docker/config.json", "'docker/config.json'"},
	{".env.production", ".env.production", "'.env.production'"},
	{"v1.2+build:x,y@z%20=a_b", "v1.2+build:x,y@z%20=a_b", "'v1.2+build:x,y@z%20=a_b'"},
	{"with space.env", "'with space.env'", "'with space.env'"},
	{"it's.env", `'it'\''s.env'`, `'it'\''s.env'`},
	{"''", `''\'''\'''`, `''\'''\'''`},
	{`say "hi"`, `'say "hi"'`, `'say "hi"'`},
	{"$HOME.env", "'$HOME.env'", "'$HOME.env'"},
	{"a*b", "'a*b'", "'a*b'"},
	{"~/key", "'~/key'", "'~/key'"},
	{"a\nb", "'a\nb'", "'a\nb'"},
	{"back\\slash", `'back\slash'`, `'back\slash'`},
	{"ünïcode.env", "'ünïcode.env'", "'ünïcode.env'"},
	{"-rf", "-rf", "'-rf'"},
}

func TestQuote(t *testing.T) {
	for _, c := range cases {
		if got := Quote(c.in); got != c.quote {
			t.Errorf("Quote(%q) = %s, want %s", c.in, got, c.quote)
		}
		if got := Single(c.in); got != c.single {
			t.Errorf("Single(%q) = %s, want %s", c.in, got, c.single)
		}
	}
}

// TestShellReadsBack has sh read each quoted word back: one argument,
// equal to the input.
func TestShellReadsBack(t *testing.T) {
	for _, c := range cases {
		for _, word := range []string{Quote(c.in), Single(c.in)} {
			out, err := exec.Command("sh", "-c", "set -- "+word+`; printf '%d:%s' "$#" "$1"`).Output()
			if err != nil {
				t.Fatalf("sh reading %s: %v", word, err)
			}
			if want := "1:" + c.in; string(out) != want {
				t.Errorf("sh read %s as %q, want %q", word, out, want)
			}
		}
	}
}
