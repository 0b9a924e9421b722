package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/shipseal/shipseal/crypto"
)

// TestInterruptStopsTheRun sends SIGINT (Ctrl-C) or SIGTERM to an encrypt
// or decrypt in the middle of its copy, once its temporary output exists.
// The run must stop within a fraction of a second (not finish the file),
// exit 128+N, say in one line what it left, keep the destination's old
// content (or not create it), and remove its temporary file.
//
// The input is a named pipe (or standard input) that the test keeps
// filling, so the copy is still going on when the signal comes, however
// fast the machine.
// (internal/faulttest's TestInterruptSignals sends signals at random
// points of runs on regular files.)
func TestInterruptStopsTheRun(t *testing.T) {
	for _, c := range []struct {
		name    string
		sig     syscall.Signal
		args    []string // IN and OUT are appended
		feed    func(*testing.T, *crypto.Key, io.Writer)
		oldDest bool
		stdin   bool // read standard input, not the named pipe
		idle    bool // the pipe sends nothing: shipseal waits in a read
	}{
		{"encrypt/SIGINT", syscall.SIGINT, []string{"encrypt", "--v1", "--no-validate"}, feedPlain, true, false, false},
		{"decrypt/SIGINT", syscall.SIGINT, []string{"decrypt"}, feedSealed, true, false, false},
		{"decrypt/SIGTERM", syscall.SIGTERM, []string{"decrypt"}, feedSealed, false, false, false},
		// v2 copies standard input to an unlinked file before it writes
		// anything: the signal comes while it does.
		{"encrypt-stdin/SIGTERM", syscall.SIGTERM, []string{"encrypt", "--no-validate"}, feedPlain, true, true, false},
		// A pipe or a terminal that sends nothing (a mistyped command
		// waiting for standard input) must not make shipseal deaf.
		{"encrypt-idle/SIGINT", syscall.SIGINT, []string{"encrypt", "--v1", "--no-validate"}, nil, true, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			key := writeKey(t, dir)
			text, _ := os.ReadFile(key)
			k, err := crypto.ParseKey(text)
			if err != nil {
				t.Fatal(err)
			}
			in := filepath.Join(dir, "in")
			if err := syscall.Mkfifo(in, 0o600); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			want := "shipseal: interrupted; " + out + " was not created\n"
			if c.oldDest {
				if err := os.WriteFile(out, []byte("old content\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				want = "shipseal: interrupted; " + out + " was not changed\n"
			}

			src := in
			if c.stdin {
				src = "-"
			}
			args := append(append([]string{}, c.args...), "--key-path", key, src, out)
			cmd := exec.Command("shipseal", args...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			var stdin io.WriteCloser
			if c.stdin {
				if stdin, err = cmd.StdinPipe(); err != nil {
					t.Fatal(err)
				}
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			fed := &countingWriter{}
			done, exited := make(chan struct{}), make(chan struct{})
			stopFeeding := sync.OnceFunc(func() { close(exited) })
			defer stopFeeding()
			go func() {
				defer close(done)
				// Opening blocks until shipseal opens its end; writing
				// fails once shipseal has exited (EPIPE).
				w := stdin
				if w == nil {
					f, err := os.OpenFile(in, os.O_WRONLY, 0)
					if err != nil {
						return
					}
					w = f
				}
				defer w.Close()
				fed.w = w
				if c.idle {
					<-exited
					return
				}
				c.feed(t, k, fed)
			}()
			// Signal once shipseal has read a few MiB (more than the pipe
			// holds) and, for a file, once its temporary output exists.
			for deadline := time.Now().Add(30 * time.Second); (!c.idle && fed.count() < 4<<20) || (!c.stdin && len(tempFiles(t, dir)) == 0); time.Sleep(5 * time.Millisecond) {
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatal("shipseal never got going")
				}
			}

			sent := time.Now()
			cmd.Process.Signal(c.sig)
			code := waitCode(t, cmd, 10*time.Second)
			took := time.Since(sent)
			stopFeeding()
			<-done
			if took > 2*time.Second {
				t.Errorf("shipseal took %v to stop after %v", took.Round(time.Millisecond), c.sig)
			}
			if code != 128+int(c.sig) {
				t.Errorf("exit %d after %v, want %d\n%s", code, c.sig, 128+int(c.sig), stderr.String())
			}
			if stderr.String() != want {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), want)
			}
			got, err := os.ReadFile(out)
			switch {
			case c.oldDest && string(got) != "old content\n":
				t.Errorf("the destination holds %d bytes, not its old content (%v)", len(got), err)
			case !c.oldDest && !errors.Is(err, os.ErrNotExist):
				t.Errorf("the destination was created (%d bytes)", len(got))
			}
			if tmps := tempFiles(t, dir); len(tmps) > 0 {
				t.Errorf("temporary files left behind: %v", tmps)
			}
		})
	}
}

// feedPlain writes lines of text until the reader goes away.
func feedPlain(_ *testing.T, _ *crypto.Key, w io.Writer) {
	block := bytes.Repeat([]byte("A_VARIABLE=some plain text value\n"), 2048)
	for {
		if _, err := w.Write(block); err != nil {
			return
		}
	}
}

// feedSealed writes a v2 file of endless text: its checksum would fail at
// the end, which never comes.
func feedSealed(t *testing.T, k *crypto.Key, w io.Writer) {
	cw, err := crypto.NewWriter(w, k, crypto.WriteOptions{Version: crypto.V2, Checksum: make([]byte, 16)})
	if err != nil {
		t.Error(err)
		return
	}
	feedPlain(t, k, cw)
}

// countingWriter counts what went through it, for another goroutine.
type countingWriter struct {
	w io.Writer
	n atomic.Int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}

func (c *countingWriter) count() int64 { return c.n.Load() }

// waitCode waits for cmd and returns its exit code, killing it after
// limit.
func waitCode(t *testing.T, cmd *exec.Cmd, limit time.Duration) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(limit):
		cmd.Process.Kill()
		<-done
		t.Fatalf("shipseal did not end within %v", limit)
	}
	return processExitCode(t, err)
}

// processExitCode is the exit code of a process that cmd.Wait returned
// err for; an error other than the process's exit fails the test.
func processExitCode(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0
}

// tempFiles lists atomicfile's temporary files in dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var tmps []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") && strings.HasSuffix(e.Name(), ".tmp") && strings.Contains(e.Name(), ".shipseal-") {
			tmps = append(tmps, e.Name())
		}
	}
	return tmps
}

// BenchmarkInterruptible measures what the interrupt check costs the copies:
// v2 encryption (two passes) and decryption of 32 MiB, read directly and
// through interruptible.
func BenchmarkInterruptible(b *testing.B) {
	k, err := crypto.GenerateKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	plain := bytes.Repeat([]byte("A_VARIABLE=some plain text value\n"), 32<<20/33)
	var sealed bytes.Buffer
	if err := crypto.Encrypt(&sealed, bytes.NewReader(plain), k, crypto.WriteOptions{}); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, wrap := range []bool{false, true} {
		name := map[bool]string{false: "direct", true: "interruptible"}[wrap]
		b.Run("encrypt/"+name, func(b *testing.B) {
			b.SetBytes(int64(len(plain)))
			for b.Loop() {
				var src io.ReadSeeker = bytes.NewReader(plain)
				if wrap {
					src = interruptibleSeeker(ctx, src)
				}
				if err := crypto.Encrypt(io.Discard, src, k, crypto.WriteOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("decrypt/"+name, func(b *testing.B) {
			b.SetBytes(int64(len(plain)))
			for b.Loop() {
				var src io.Reader = bytes.NewReader(sealed.Bytes())
				if wrap {
					src = interruptible(ctx, src)
				}
				r, err := crypto.NewReader(src, k)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// An input read in a goroutine of its own (a pipe) still yields exactly
// what was written, in reads of any size, and then io.EOF.
func TestInterruptibleInputKeepsTheBytes(t *testing.T) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	want := make([]byte, 3<<20+17)
	rand.Read(want)
	go func() {
		pw.Write(want)
		pw.Close()
	}()
	in := interruptibleInput(context.Background(), pr)
	if _, ok := in.(*waitingReader); !ok {
		t.Fatalf("a pipe is read as %T, want a waitingReader", in)
	}
	var got []byte
	buf := make([]byte, 1<<20)
	for size := 1; ; size = size*7%(1<<20) + 1 {
		n, err := in.Read(buf[:size])
		got = append(got, buf[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("read %d bytes, not the %d written", len(got), len(want))
	}
	if n, err := in.Read(buf); n != 0 || err != io.EOF {
		t.Errorf("a read after the end: %d, %v; want 0, EOF", n, err)
	}
}
