package precommit

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestQuotedAt compares quotedAt with a search per name.
func TestQuotedAt(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	word := func() string {
		b := make([]byte, r.IntN(4))
		for i := range b {
			b[i] = `ab"`[r.IntN(3)]
		}
		return string(b)
	}
	for range 20000 {
		var data strings.Builder
		for range r.IntN(12) {
			data.WriteString(word())
		}
		names := []string{word(), word(), word()}
		at := quotedAt([]byte(data.String()), names)
		for _, n := range names {
			want := bytes.Index([]byte(data.String()), []byte(`"`+n+`"`))
			if got, ok := at[n]; ok != (want >= 0) || ok && got != want {
				t.Fatalf("quotedAt(%q, %q) = %d (%v), want %d", data.String(), n, got, ok, want)
			}
		}
	}
}

// BenchmarkCheckLargeDockercfg checks a plaintext 1 MiB config.json of
// ~9,000 registries, each reported as CK002 at its place.
func BenchmarkCheckLargeDockercfg(b *testing.B) {
	var data bytes.Buffer
	data.WriteString("{\n\t\"auths\": {\n")
	for i := 0; data.Len() < 1<<20; i++ {
		if i > 0 {
			data.WriteString(",\n")
		}
		auth := base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "robot-%d:password-%d-%s", i, i, strings.Repeat("x", 40)))
		fmt.Fprintf(&data, "\t\t\"registry-%d.example.com:5000\": {\n\t\t\t\"auth\": %q,\n\t\t\t\"email\": \"ci-%d@example.com\"\n\t\t}", i, auth, i)
	}
	data.WriteString("\n\t}\n}\n")
	c := &Checker{}
	b.SetBytes(int64(data.Len()))
	for b.Loop() {
		r, err := c.Check("docker/config.json", data.Bytes())
		if err != nil || r.Valid() {
			b.Fatalf("%v, valid %v", err, r != nil && r.Valid())
		}
	}
}
