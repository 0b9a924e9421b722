package diag

import (
	"errors"
	"strings"
	"testing"
)

type dialect int

func (dialect) String() string { return "docker" }

type name string

// TestMaskMessage checks that a diagnostic's own words stay as they are
// when a secret is the same word, and that what it quotes is masked.
func TestMaskMessage(t *testing.T) {
	s := NewSource("x", nil)
	s.AddSecretValue("docker") // a password that is a common word
	s.AddSecretValue("user:docker")
	const hint = "docker uses auth and ignores username and password: delete them or make them agree"
	for _, c := range []struct {
		d                 Diagnostic
		wantMsg, wantHint string
	}{
		{Errorf("DC014", Position{}, hint, "username %q of %q disagrees with the user %q in its auth", "other", "docker.example.com", "user"),
			`username "other" of "docker.example.com" disagrees with the user "user" in its auth`, hint},
		// What it quotes is masked when it is the secret, or holds it
		// as a whole word.
		{Errorf("DC014", Position{}, hint, "username %q of %q disagrees", "docker", "r.io"),
			`username "****" of "r.io" disagrees`, hint},
		{Warnf("X", Position{}, "", "%s docker %s %v", "a docker b", []byte("user:docker"), errors.New("at docker: x")),
			"a **** b docker **** at ****: x", ""},
		{Errorf("X", Position{}, "", "%s reads it (%s)", dialect(1), name("docker")), "docker reads it (****)", ""},
		{Errorf("X", Position{}, "", "%s %q", Phrase("docker accepts it"), "docker"), `docker accepts it "****"`, ""},
		// A diagnostic not made by Errorf, or changed since, is masked
		// whole.
		{Diagnostic{Message: "docker refuses it", Hint: hint}, "**** refuses it", strings.Replace(hint, "docker", Mask, 1)},
		{func() Diagnostic {
			d := Errorf("X", Position{}, hint, "%d more", 3)
			d.Message, d.Hint = "docker: "+d.Message, "docker"
			return d
		}(), "****: 3 more", Mask},
	} {
		if got := s.MaskMessage(c.d); got != c.wantMsg {
			t.Errorf("MaskMessage(%q) = %q, want %q", c.d.Message, got, c.wantMsg)
		}
		if got := s.MaskHint(c.d); got != c.wantHint {
			t.Errorf("MaskHint(%q) = %q, want %q", c.d.Hint, got, c.wantHint)
		}
	}
	var none *Source
	d := Errorf("X", Position{}, hint, "%s", "docker")
	if none.MaskMessage(d) != "docker" || none.MaskHint(d) != hint {
		t.Errorf("a nil Source masks")
	}
	// The printers use them, in text and JSON.
	r := &Report{File: "f", Source: s, Diagnostics: []Diagnostic{
		Errorf("DC014", Position{}, hint, "username %q of %q disagrees", "docker", "docker.io")}}
	var text strings.Builder
	if err := WriteText(&text, []*Report{r}); err != nil {
		t.Fatal(err)
	}
	if want := "f: error DC014: username \"****\" of \"docker.io\" disagrees\n  hint: " + hint + "\n"; text.String() != want {
		t.Errorf("WriteText:\n%s\nwant\n%s", text.String(), want)
	}
	if j := r.JSON().Diagnostics[0]; j.Message != `username "****" of "docker.io" disagrees` || j.Hint != hint {
		t.Errorf("JSON: %+v", j)
	}
}
