package diag

import (
	"bytes"
	"testing"
)

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

func BenchmarkMasked(b *testing.B) {
	// A 1 MiB config of 17,000 registries that share one password.
	line := []byte(`"registry.example.com": {"auth": "dXNlcjpodW50ZXIy"},` + "\n")
	at := bytes.Index(line, []byte("dXNl"))
	var data []byte
	for len(data) < 1<<20 {
		data = append(data, line...)
	}
	s := NewSource("big", data)
	for i := 0; i+len(line) <= len(data); i += len(line) {
		s.MarkSecret(i+at, i+at+16)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		s.Masked()
	}
}
