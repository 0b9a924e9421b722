package diag

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	for _, c := range []struct {
		values []string
		text   string
		want   string
	}{
		{nil, "nothing to hide", "nothing to hide"},
		{[]string{"hunter22"}, "hunter22 and hunter22", "**** and ****"},
		// A secret that holds another is masked whole.
		{[]string{"pass", "user:pass"}, `"user:pass" or "pass"`, `"****" or "****"`},
		// Overlapping secrets hide the whole stretch, not a piece of it.
		{[]string{"abc de", "de fg"}, "x abc de fg y", "x **** y"},
		// Secrets that only touch are two.
		{[]string{"abc"}, "abc:abc", "****:****"},
		// Many secrets with a common prefix: the longest that matches.
		{[]string{"password-1", "password-10", "password-100"}, "password-100, password-1 password-10: password-", "****, **** ****: password-"},
		// ... that is whole: "abc de" is not, in "abc def".
		{[]string{"abc", "abc de"}, "abc def", "**** def"},
		// Short and white-space values are not looked for in text.
		{[]string{"ab", "  ", " xyz\n"}, "ab xyz", "ab ****"},
		{[]string{"end"}, "at the end", "at the ****"},
		{[]string{"\xff\xfe\xfd"}, "a \xff\xfe\xfd b", "a **** b"},
		// A secret inside a longer word is not masked: words are made of
		// letters, digits, _ . - and non-ASCII bytes.
		{[]string{"pass"}, `"password":"pass"`, `"password":"****"`},
		{[]string{"registry"}, `{"registry.example.com": {}}`, `{"registry.example.com": {}}`},
		{[]string{"registry"}, "my-registry and registry_2 and 1registry", "my-registry and registry_2 and 1registry"},
		{[]string{"aaa"}, "aaaa", "aaaa"},
		{[]string{"abc"}, "abcabc", "abcabc"},
		{[]string{"CAF"}, "CAFÉ=1", "CAFÉ=1"},
		{[]string{"hunter22"}, "x/hunter22+y=hunter22@z", "x/****+y=****@z"},
		// A secret that starts or ends with a non-word byte cuts no word
		// there.
		{[]string{"/abc", "de:"}, "x/abc de:f", "x**** ****f"},
	} {
		s := NewSource("x", nil)
		for _, v := range c.values {
			s.AddSecretValue(v)
		}
		if got := s.Mask(c.text); got != c.want {
			t.Errorf("values %q: Mask(%q) = %q, want %q", c.values, c.text, got, c.want)
		}
	}
}

// TestMaskCoversEveryOccurrence compares Mask with its definition: every
// byte inside any whole occurrence of any secret value (one that cuts no
// word in two) is hidden, each run of hidden bytes shown as one Mask
// (overlapping occurrences make one run).
func TestMaskCoversEveryOccurrence(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "ab:\xff"[r.IntN(4)]
		}
		return string(b)
	}
	for range 2000 {
		s := NewSource("x", nil)
		var values []string
		for range r.IntN(8) {
			v := word(3 + r.IntN(5))
			values = append(values, v)
			s.AddSecretValue(v)
		}
		text := word(r.IntN(40))
		if got, want := s.Mask(text), maskNaive(text, values); got != want {
			t.Fatalf("values %q: Mask(%q) = %q, want %q", values, text, got, want)
		}
	}
}

func maskNaive(text string, values []string) string {
	type run struct{ start, end int }
	word := func(c byte) bool { return c != ':' } // the alphabet is ab:\xff
	cuts := func(i int) bool { return i > 0 && i < len(text) && word(text[i-1]) && word(text[i]) }
	var runs []run // by start, as occurrences are found left to right
	for i := range len(text) {
		for _, v := range values {
			if !strings.HasPrefix(text[i:], v) || cuts(i) || cuts(i+len(v)) {
				continue
			}
			if n := len(runs); n > 0 && i < runs[n-1].end {
				runs[n-1].end = max(runs[n-1].end, i+len(v))
			} else {
				runs = append(runs, run{i, i + len(v)})
			}
		}
	}
	var b strings.Builder
	at := 0
	for _, r := range runs {
		b.WriteString(text[at:r.start] + Mask)
		at = r.end
	}
	b.WriteString(text[at:])
	return b.String()
}

func TestAddPublicWords(t *testing.T) {
	// The password is "auth", a field name every reader knows: masking
	// the field would only point at the password.
	data := []byte(`{"auth": "c2VjcmV0", "password": "auth", "Auth": "x", "note": "auth again"}`)
	s := NewSource("x", data)
	s.AddPublicWords("AUTH", "password")
	s.MarkSecret(10, 18)
	s.MarkSecret(34, 38)
	want := `{"auth": "****", "password": "****", "Auth": "x", "note": "auth again"}`
	if got := string(s.Masked()); got != want {
		t.Errorf("Masked() =\n%s\nwant\n%s", got, want)
	}
	if got := s.Mask(`field "auth" and c2VjcmV0`); got != `field "auth" and ****` {
		t.Errorf("Mask = %q", got)
	}
}

func TestFindSecretsLater(t *testing.T) {
	data := []byte("user: ci\npassword: hunter22\n")
	s := NewSource("x", data)
	runs := 0
	s.FindSecretsLater(func() {
		runs++
		s.MarkSecret(19, 27)
	})
	if got := s.Position(19); got != (Position{Offset: 19, Line: 2, Column: 11}) {
		t.Errorf("Position(19) = %+v", got)
	}
	if runs != 0 {
		t.Fatalf("secrets found before anything needed them")
	}
	if got, want := s.Excerpt(s.Position(19)), []string{"user: ci", "password: ****", "          ^"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Excerpt = %q, want %q", got, want)
	}
	if got := s.Mask("was hunter22"); got != "was ****" {
		t.Errorf("Mask = %q", got)
	}
	if got := string(s.Masked()); got != "user: ci\npassword: ****\n" {
		t.Errorf("Masked = %q", got)
	}
	if runs != 1 {
		t.Errorf("finder ran %d times, want once", runs)
	}
	// A secret marked after masking has been used counts too.
	s.AddSecretValue("ci-user")
	if got := s.Mask("ci-user and hunter22"); got != "**** and ****" {
		t.Errorf("Mask after AddSecretValue = %q", got)
	}
}

func TestPosition(t *testing.T) {
	s := NewSource("x", []byte("ab\n\ncd"))
	for _, c := range []struct {
		offset int
		want   Position
	}{
		{-1, Position{0, 1, 1}},
		{0, Position{0, 1, 1}},
		{2, Position{2, 1, 3}}, // the newline ends line 1
		{3, Position{3, 2, 1}},
		{4, Position{4, 3, 1}},
		{6, Position{6, 3, 3}},
		{99, Position{6, 3, 3}},
	} {
		if got := s.Position(c.offset); got != c.want {
			t.Errorf("Position(%d) = %+v, want %+v", c.offset, got, c.want)
		}
	}
	for n, want := range map[int]int{0: 6, 1: 0, 2: 3, 3: 4, 4: 6} {
		if got := s.LineStart(n); got != want {
			t.Errorf("LineStart(%d) = %d, want %d", n, got, want)
		}
	}
	if got := NewSource("empty", nil).Position(0); got != (Position{0, 1, 1}) {
		t.Errorf("empty: Position(0) = %+v", got)
	}
}

// BenchmarkMaskManyValues masks a diagnostic's message, hint and excerpt
// with the secrets of a 1 MiB config (27,000 values): a report of
// thousands of diagnostics does this for each.
func BenchmarkMaskManyValues(b *testing.B) {
	s := NewSource("big", nil)
	for i := range 9000 {
		s.AddSecretValue(fmt.Sprintf("password-%d-%s", i, strings.Repeat("x", 40)))
		s.AddSecretValue(fmt.Sprintf("robot-%d:password-%d-%s", i, i, strings.Repeat("x", 40)))
		s.AddSecretValue(fmt.Sprintf("cm9ib3QtJWQ6cGFzc3dvcmQtJWQt%06d", i))
	}
	text := `unknown field "emial" in the entry for "registry-4711.example.com:5000"` +
		"docker ignores it; delete it if it is a typo" +
		`			"auth": "****",` + `			"emial": "ci-4711@example.com"`
	s.Mask(text)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		s.Mask(text)
	}
}
