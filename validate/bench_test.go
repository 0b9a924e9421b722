package validate_test

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/validate"
)

// bigDockercfg returns a valid config.json of about size bytes, the same
// as dockercfg's benchmark input and bench/run.sh's: many registries, each
// with an auth and an email.
func bigDockercfg(size int) []byte {
	var b strings.Builder
	b.WriteString("{\n\t\"auths\": {\n")
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		auth := dockercfg.EncodeAuth(fmt.Sprintf("robot-%d", i), fmt.Sprintf("password-%d-%s", i, strings.Repeat("x", 40)))
		fmt.Fprintf(&b, "\t\t\"registry-%d.example.com:5000\": {\n\t\t\t\"auth\": %q,\n\t\t\t\"email\": \"ci-%d@example.com\"\n\t\t}", i, auth, i)
	}
	b.WriteString("\n\t}\n}\n")
	return []byte(b.String())
}

// BenchmarkFile1MiBDockercfg is what `shipseal validate big.json` does
// after reading the file: detect its kind, validate it, print the report.
func BenchmarkFile1MiBDockercfg(b *testing.B) {
	data := bigDockercfg(1 << 20)
	r, err := validate.File("big.json", data, validate.Options{})
	if err != nil || !r.Valid() || r.Kind != string(validate.Dockercfg) {
		b.Fatalf("benchmark input: kind %q, err %v, diagnostics %v", r.Kind, err, r.Diagnostics)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r, _ := validate.File("big.json", data, validate.Options{})
		if err := diag.WriteText(io.Discard, []*diag.Report{r}); err != nil {
			b.Fatal(err)
		}
	}
}
