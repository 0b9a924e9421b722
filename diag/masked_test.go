package diag

import "testing"

func TestMasked(t *testing.T) {
	data := []byte(`{"auth": "c2VjcmV0", "password": "hunter22", "note": "hunter22 again"}`)
	s := NewSource("x", data)
	// Two overlapping spans and one after them.
	s.MarkSecret(10, 16)
	s.MarkSecret(12, 18)
	s.MarkSecret(34, 42)
	got := string(s.Masked())
	want := `{"auth": "****", "password": "****", "note": "**** again"}`
	if got != want {
		t.Errorf("Masked() =\n%s\nwant\n%s", got, want)
	}
	if got := string(NewSource("y", []byte("plain")).Masked()); got != "plain" {
		t.Errorf("no secrets: Masked() = %q", got)
	}
}
