//go:build unix

package dockercfg

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
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

// TestValidate1MiBFast keeps a 1 MiB config inside the CLI's 20 ms
// budget. It counts the process's CPU time, not the wall clock, so that a
// busy machine does not fail it so easily, and allows three times the
// budget for slow or shared CI machines.
func TestValidate1MiBFast(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("timing test")
	}
	data := bigConfig(1 << 20)
	Validate("big.json", data, Options{}) // warm up
	const n = 10
	before := cpuTime(t)
	for range n {
		Validate("big.json", data, Options{})
	}
	per := (cpuTime(t) - before) / n
	t.Logf("validating 1 MiB takes %v of CPU", per)
	if per > 60*time.Millisecond {
		t.Errorf("validating 1 MiB takes %v of CPU, want under 20ms", per)
	}
}

func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Skipf("no CPU time: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
