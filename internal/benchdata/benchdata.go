// Package benchdata makes the inputs that benchmarks share, so that the
// packages measuring the same job measure it on the same bytes.
package benchdata

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// Dockercfg returns a valid config.json of about size bytes: many
// registries, each with an auth and an email, as a CI machine that logs
// into every customer's registry might hold. bench/run.sh writes the same
// shape for `shipseal validate`.
func Dockercfg(size int) []byte {
	var b strings.Builder
	b.WriteString("{\n\t\"auths\": {\n")
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		auth := base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "robot-%d:password-%d-%s", i, i, strings.Repeat("x", 40)))
		fmt.Fprintf(&b, "\t\t\"registry-%d.example.com:5000\": {\n\t\t\t\"auth\": %q,\n\t\t\t\"email\": \"ci-%d@example.com\"\n\t\t}", i, auth, i)
	}
	b.WriteString("\n\t}\n}\n")
	return []byte(b.String())
}
