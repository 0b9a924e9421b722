//go:build unix

package faulttest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestInterruptSignals sends SIGINT (Ctrl-C) and SIGTERM at random points
// during encrypt and decrypt. Unlike SIGKILL, shipseal can clean up: it
// must end soon after (exit 0 if it had finished; otherwise killed by the
// signal, as a shell expects of a program that Ctrl-C stopped: after one
// line saying what it left if it had opened its input, silently if the
// signal came before), the output must be the old or the complete new
// content, and no temporary file may remain.
// (cmd/shipseal's TestInterruptStopsTheRun signals runs that cannot have
// finished.)
func TestInterruptSignals(t *testing.T) {
	f := newFixture(t, 16<<20)
	key := mustKey(t, f.key)
	out := filepath.Join(f.dir, "out")
	oldContent := []byte("old content\n")
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		for _, c := range []struct {
			name  string
			args  []string
			isNew func() bool
		}{
			{"encrypt", []string{"encrypt", "--no-validate", f.plain, out}, func() bool {
				sum, err := decryptMD5(out, key)
				return err == nil && sum == f.plainMD5
			}},
			{"decrypt", []string{"decrypt", f.enc, out}, func() bool { return md5File(t, out) == f.plainMD5 }},
		} {
			t.Run(fmt.Sprintf("%v/%s", sig, c.name), func(t *testing.T) {
				codes := map[int]int{}
				for range 4 {
					require.NoError(t, os.WriteFile(out, oldContent, 0o644))
					cmd := command(f.dir, f.env, c.args...)
					var stderr strings.Builder
					cmd.Stderr = &stderr
					require.NoError(t, cmd.Start())
					time.Sleep(time.Duration(rnd.Int64N(int64(300 * time.Millisecond))))
					sent := time.Now()
					cmd.Process.Signal(sig)
					done := make(chan error, 1)
					go func() { done <- cmd.Wait() }()
					var err error
					select {
					case err = <-done:
					case <-time.After(60 * time.Second):
						cmd.Process.Kill()
						t.Fatalf("shipseal %s did not end after %v", c.name, sig)
					}
					took := time.Since(sent)
					code := 0
					var ee *exec.ExitError
					if errors.As(err, &ee) {
						code = ee.ExitCode()
						ws, _ := ee.Sys().(syscall.WaitStatus)
						// Not exit 128+N: bash would go on with a script.
						require.True(t, ws.Signaled() && ws.Signal() == sig, "after %v: %v, want killed by it: %s", sig, err, stderr.String())
						// Silent if the signal came before shipseal had opened
						// its input, so before it wrote anything.
						require.Contains(t, []string{"", "shipseal: interrupted; " + out + " was not changed\n"}, stderr.String())
					}
					// Not 2 s: a signal that lands while the 16 MiB output is
					// synced to disk waits for the fsync, which nothing cuts
					// short and which a CI disk shared with image builds can
					// stretch to seconds. How promptly a copy stops is
					// TestInterruptStopsTheRun's check, on endless input.
					require.Less(t, took, 10*time.Second, "shipseal took too long to stop after %v", sig)
					codes[code]++
					got, err := os.ReadFile(out)
					require.NoError(t, err)
					if string(got) != string(oldContent) {
						require.True(t, c.isNew(), "torn output after %v (%d bytes)", sig, len(got))
					} else {
						require.NotEqual(t, 0, code, "exit 0 but the old content is still there")
					}
					require.Empty(t, temps(t, f.dir), "a run stopped by %v must remove its temporary file", sig)
				}
				// Exit 0 means the signal was only noticed at the end: the run
				// completed; -1, killed by it. Record it; shipseal's safety
				// does not depend on it.
				t.Logf("%v during %s: exit codes %v", sig, c.name, codes)
			})
		}
	}
	f.requireInputsIntact(t)
}
