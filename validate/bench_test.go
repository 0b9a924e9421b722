package validate_test

import (
	"io"
	"testing"

	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/internal/benchdata"
	"github.com/shipseal/shipseal/validate"
)

// BenchmarkFile1MiBDockercfg is what `shipseal validate big.json` does
// after reading the file: detect its kind, validate it, print the report.
func BenchmarkFile1MiBDockercfg(b *testing.B) {
	data := benchdata.Dockercfg(1 << 20)
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
