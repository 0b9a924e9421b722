//go:build unix

package dockercfg

import (
	"testing"

	"github.com/shipseal/shipseal/internal/benchdata"
)

func BenchmarkValidate1MiB(b *testing.B) {
	data := benchdata.Dockercfg(1 << 20)
	if _, r := Validate("big.json", data, Options{}); !r.Valid() {
		b.Fatalf("benchmark input is not valid: %v", r.Diagnostics[0].Message)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		Validate("big.json", data, Options{})
	}
}
