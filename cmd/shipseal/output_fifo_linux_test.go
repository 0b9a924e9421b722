package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shipseal/shipseal/crypto"
)

// TestInterruptOpeningAPipeOutput signals encrypt and decrypt while they
// wait to open an OUT that is a named pipe nothing reads: open(2) waits
// for a reader, after they have taken charge of interrupts. They must end
// as after a signal anywhere else (TestInterruptStopsTheRun): say in one
// line that OUT was left as it was, leave the directory as it was, and die
// of the signal; they used to wait on, deaf to Ctrl-C, until SIGKILL.
//
// The signal goes once a thread of shipseal waits in the kernel to open
// the pipe (/proc/PID/task/*/wchan, see waitOpeningPipe).
func TestInterruptOpeningAPipeOutput(t *testing.T) {
	for _, c := range []struct {
		name string
		sig  syscall.Signal
		args []string // IN and OUT are appended
		in   func(k *crypto.Key) []byte
	}{
		{"encrypt/SIGINT", syscall.SIGINT, []string{"encrypt"}, func(*crypto.Key) []byte { return []byte("A=1\n") }},
		{"encrypt-v1/SIGTERM", syscall.SIGTERM, []string{"encrypt", "--v1"}, func(*crypto.Key) []byte { return []byte("A=1\n") }},
		{"decrypt/SIGINT", syscall.SIGINT, []string{"decrypt"}, func(k *crypto.Key) []byte {
			var sealed bytes.Buffer
			if err := crypto.Encrypt(&sealed, strings.NewReader("A=1\n"), k, crypto.WriteOptions{Version: crypto.V2}); err != nil {
				t.Fatal(err)
			}
			return sealed.Bytes()
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			key := writeKey(t, dir)
			text, err := os.ReadFile(key)
			if err != nil {
				t.Fatal(err)
			}
			k, err := crypto.ParseKey(text)
			if err != nil {
				t.Fatal(err)
			}
			in := filepath.Join(dir, "in.env")
			if err := os.WriteFile(in, c.in(k), 0o600); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			mkfifo(t, out)
			before := dirNames(t, dir)

			args := append(slices.Clone(c.args), "--key-path", key, in, out)
			run := startGenerate(t, dir, args, nil)
			run.waitOpeningPipe(t)
			if err := run.cmd.Process.Signal(c.sig); err != nil {
				t.Fatal(err)
			}
			end := waitEnd(t, run.cmd, 10*time.Second)
			lines := run.stderrLines(t)
			if end != killedBy(c.sig) {
				t.Errorf("%v after %v, want %v\n%s", end, c.sig, killedBy(c.sig), strings.Join(lines, "\n"))
			}
			if want := "shipseal: interrupted; " + out + " was not changed"; !slices.Equal(lines, []string{want}) {
				t.Errorf("standard error:\n%s\nwant:\n%s", strings.Join(lines, "\n"), want)
			}
			if after := dirNames(t, dir); !slices.Equal(after, before) {
				t.Errorf("the directory held %v, and holds %v after the signal", before, after)
			}
		})
	}
}
