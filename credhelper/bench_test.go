package credhelper_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/docker/docker-credential-helpers/credentials"

	"github.com/shipseal/shipseal/crypto"
)

// A team's store of 50 registries: what docker pays per pull (Get) and per
// login (Add, which decrypts, edits, checks and re-encrypts).
func benchStore(b *testing.B) *fixture {
	f := newFixture(b)
	var plain strings.Builder
	plain.WriteString("{\n\t\"auths\": {")
	for i := range 50 {
		if i > 0 {
			plain.WriteByte(',')
		}
		fmt.Fprintf(&plain, "\n\t\t\"r%d.example.com\": {\n\t\t\t\"auth\": \"%s\"\n\t\t}", i, base64Of(fmt.Sprintf("user%d:password-%d", i, i)))
	}
	plain.WriteString("\n\t}\n}\n")
	f.seal(plain.String(), crypto.V2)
	return f
}

func BenchmarkGet(b *testing.B) {
	f := benchStore(b)
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := f.h.Get("r25.example.com"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAdd(b *testing.B) {
	f := benchStore(b)
	creds := &credentials.Credentials{ServerURL: "r25.example.com", Username: "u", Secret: "new-password"}
	b.ResetTimer()
	for b.Loop() {
		if err := f.h.Add(creds); err != nil {
			b.Fatal(err)
		}
	}
}
