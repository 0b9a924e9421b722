//go:build unix

package dockercfg

import (
	"fmt"
	"strings"
	"testing"
)

// bigConfig returns a valid config.json of about size bytes: many
// registries, as a CI machine that logs into every customer's registry
// might hold.
func bigConfig(size int) []byte {
	var b strings.Builder
	b.WriteString("{\n\t\"auths\": {\n")
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "\t\t\"registry-%d.example.com:5000\": {\n\t\t\t\"auth\": %q,\n\t\t\t\"email\": \"ci-%d@example.com\"\n\t\t}",
			i, EncodeAuth(fmt.Sprintf("robot-%d", i), fmt.Sprintf("password-%d-%s", i, strings.Repeat("x", 40))), i)
	}
	b.WriteString("\n\t},\n\t\"psFormat\": \"table {{.ID}}\"\n}\n")
	return []byte(b.String())
}

func BenchmarkValidate1MiB(b *testing.B) {
	data := bigConfig(1 << 20)
	if _, r := Validate("big.json", data, Options{}); !r.Valid() {
		b.Fatalf("benchmark input is not valid: %v", r.Diagnostics[0].Message)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		Validate("big.json", data, Options{})
	}
}
