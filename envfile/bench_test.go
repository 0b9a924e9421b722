package envfile

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/diag"
)

// bigEnv returns an env file of about size bytes: variables and comments;
// with mistakes, each variable also has a duplicate, a space before the =,
// an export and a quoted value (which docker keeps quoted).
func bigEnv(size int, mistakes bool) []byte {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "VAR_%d=secret-value-%d-%s\n# a comment\nURL_%d=https://example.com/%d?a=b&c=d\n", i, i, strings.Repeat("y", 30), i, i)
		if mistakes {
			fmt.Fprintf(&b, "VAR_%d=again\nS_%d = spaced\nexport E_%d=x\nQ_%d=\"quoted ${VAR_%d}\"\n", i, i, i, i, i)
		}
	}
	return []byte(b.String())
}

// BenchmarkValidateLarge validates and prints 1 and 4 MiB env files in
// each dialect, valid and with thousands of mistakes (the report shows
// every error, and 20 warnings of each kind). MB/s must not fall with the
// size: no quadratic path.
func BenchmarkValidateLarge(b *testing.B) {
	for _, mistakes := range []bool{false, true} {
		for _, d := range []Dialect{Docker, Compose} {
			for _, mib := range []int{1, 4} {
				b.Run(fmt.Sprintf("%s/mistakes=%v/%dMiB", d, mistakes, mib), func(b *testing.B) {
					data := bigEnv(mib<<20, mistakes)
					if _, r := Validate("big.env", data, Options{Dialect: d}); (len(r.Diagnostics) > 0) != mistakes {
						b.Fatalf("%d diagnostics, mistakes %v", len(r.Diagnostics), mistakes)
					}
					b.SetBytes(int64(len(data)))
					for b.Loop() {
						_, r := Validate("big.env", data, Options{Dialect: d})
						if err := diag.WriteText(io.Discard, []*diag.Report{r}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}
