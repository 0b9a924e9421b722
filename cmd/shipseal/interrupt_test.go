//go:build unix

package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/internal/e2etest"
)

// TestInterruptStopsTheRun sends SIGINT (Ctrl-C) or SIGTERM to an encrypt
// or decrypt in the middle of its copy, once its temporary output exists.
// The run must stop within a fraction of a second (not finish the file),
// say in one line what it left, keep the destination's old content (or not
// create it), remove its temporary file, and then die of the signal (which
// a shell reports as 128+N), as sudo and timeout do.
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
			end := waitEnd(t, cmd, 10*time.Second)
			took := time.Since(sent)
			stopFeeding()
			<-done
			if took > 2*time.Second {
				t.Errorf("shipseal took %v to stop after %v", took.Round(time.Millisecond), c.sig)
			}
			if end != killedBy(c.sig) {
				t.Errorf("%v after %v, want %v\n%s", end, c.sig, killedBy(c.sig), stderr.String())
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

// waitEnd waits for cmd and returns how it ended, killing it after limit.
func waitEnd(t *testing.T, cmd *exec.Cmd, limit time.Duration) ending {
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
	return processEnd(t, err)
}

// processEnd is how a process that cmd.Wait returned err for ended; an
// error other than the process's end fails the test.
func processEnd(t *testing.T, err error) ending {
	t.Helper()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return killedBy(ws.Signal())
		}
		return exited(ee.ExitCode())
	}
	if err != nil {
		t.Fatal(err)
	}
	return exited(0)
}

// TestInterruptEndsWaitingCommands signals commands that wait for input
// that does not come (standard input an idle pipe, as a terminal nobody
// types at; a named pipe nothing opens) before they have written anything.
// They must end at once, killed by the signal, having written nothing.
// Those that have not taken charge of interrupts yet die of it as if they
// had never caught it, saying nothing; generate takes charge from its
// start, and says in one line that PATH was not created before it dies
// of it (TestGenerateInterrupted signals it wherever else it waits).
func TestInterruptEndsWaitingCommands(t *testing.T) {
	for _, c := range []struct {
		name string
		sig  syscall.Signal
		args []string // in dir; KEY is the key file, FIFO a named pipe
		said string   // on standard error
	}{
		{"validate-stdin", syscall.SIGINT, []string{"validate", "-"}, ""},
		{"validate-fifo", syscall.SIGTERM, []string{"validate", "FIFO"}, ""},
		{"textconv-stdin", syscall.SIGINT, []string{"textconv", "--key-path", "KEY", "/dev/stdin"}, ""},
		{"dockercfg-create", syscall.SIGINT, []string{"dockercfg", "create", "--registry", "r.example.com",
			"--username", "me", "--password-stdin", "-o", "out.json"}, ""},
		{"exec-fifo", syscall.SIGINT, []string{"exec", "--key-path", "KEY", "--env-file", "FIFO", "--", "touch", "ran"}, ""},
		{"exec-stdin", syscall.SIGTERM, []string{"exec", "--key-path", "KEY", "--env-file", "/dev/stdin", "--", "touch", "ran"}, ""},
		{"generate-stdin", syscall.SIGINT, []string{"generate", "--key-path", "KEY", "--from-file", "/dev/stdin", "out.json"},
			"shipseal: interrupted; out.json was not created\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			key := writeKey(t, dir)
			fifo := filepath.Join(dir, "fifo")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			args := make([]string, len(c.args))
			for i, a := range c.args {
				args[i] = map[string]string{"KEY": key, "FIFO": fifo}[a]
				if args[i] == "" {
					args[i] = a
				}
			}
			before := dirNames(t, dir)
			pr, pw, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer pw.Close() // idle until the end
			cmd := exec.Command("shipseal", args...)
			cmd.Dir = dir
			cmd.Stdin = pr
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			pr.Close()
			// Nothing shows that shipseal waits in a read or an open:
			// give it ample time to get there (it takes milliseconds).
			time.Sleep(500 * time.Millisecond)
			sent := time.Now()
			cmd.Process.Signal(c.sig)
			end := waitEnd(t, cmd, 10*time.Second)
			if took := time.Since(sent); took > 2*time.Second {
				t.Errorf("shipseal took %v to end after %v", took.Round(time.Millisecond), c.sig)
			}
			if end != killedBy(c.sig) {
				t.Errorf("%v after %v, want %v\n%s", end, c.sig, killedBy(c.sig), stderr.String())
			}
			if stdout.Len() > 0 {
				t.Errorf("wrote on standard output: %q", stdout.String())
			}
			if stderr.String() != c.said {
				t.Errorf("standard error %q, want %q", stderr.String(), c.said)
			}
			if after := dirNames(t, dir); !slices.Equal(after, before) {
				t.Errorf("the directory held %v, and holds %v after the signal", before, after)
			}
		})
	}
}

// dirNames lists the names in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
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

// TestCtrlCStopsAScriptLoop is Ctrl-C in a bash script that runs shipseal
// in a loop: SIGINT to the script's whole process group, as a terminal
// sends it. bash goes on with the script after a child that exited, even
// with 130 (it takes that for a child that handled Ctrl-C), and stops only
// after one that SIGINT killed; shipseal must be killed by it after its
// clean-up, whether the run it stopped was its own (encrypt) or the
// command's (exec).
func TestCtrlCStopsAScriptLoop(t *testing.T) {
	bash := e2etest.LookPath(t, "bash", "install bash")
	for _, c := range []struct {
		name string
		step string // one step of the loop, in dir
		want string // what shipseal says
	}{
		{"exec", `shipseal exec --env-file a.env -- sleep 3`, ""},
		// The input is a named pipe that this test holds open, outside
		// the script's process group: an input that Ctrl-C ended could
		// let encrypt finish first (exit 0), and bash would go on.
		{"encrypt", `shipseal encrypt --v1 --no-validate --key-path codeship.aes in out.encrypted`,
			"shipseal: interrupted; out.encrypted was not created\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeKey(t, dir)
			if err := os.WriteFile(filepath.Join(dir, "a.env"), []byte("A=1\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := syscall.Mkfifo(filepath.Join(dir, "in"), 0o600); err != nil {
				t.Fatal(err)
			}
			script := `for i in 1 2 3; do touch step$i; ` + c.step + `; echo "after $i: $?"; done`
			cmd := exec.Command(bash, "-c", script)
			cmd.Dir = dir
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			// If bash is killed after a timeout, its children may hold
			// its output open.
			cmd.WaitDelay = 2 * time.Second
			var out, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
			if c.name == "encrypt" {
				fifo, writer := filepath.Join(dir, "in"), make(chan *os.File, 1)
				go func() {
					// Opening waits for shipseal's end; the writer
					// then stays open, sending nothing.
					if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
						writer <- w
					}
				}()
				t.Cleanup(func() {
					// A reader of our own ends the wait if shipseal
					// never opened the pipe.
					if r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
						defer r.Close()
					}
					(<-writer).Close()
				})
			}
			// Once the first step's shipseal has got going (encrypt: its
			// output's temporary file exists).
			for deadline := time.Now().Add(30 * time.Second); !childRunning(cmd.Process.Pid, "shipseal") ||
				(c.name == "encrypt" && len(tempFiles(t, dir)) == 0); time.Sleep(20 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("the script's shipseal never got going:\n%s%s", out.String(), stderr.String())
				}
			}
			time.Sleep(200 * time.Millisecond)
			syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
			end := waitEnd(t, cmd, 10*time.Second)
			if end != killedBy(syscall.SIGINT) {
				t.Errorf("bash: %v, want %v (it went on with the script)\n%s%s", end, killedBy(syscall.SIGINT), out.String(), stderr.String())
			}
			if _, err := os.Stat(filepath.Join(dir, "step2")); err == nil {
				t.Errorf("the script went on after Ctrl-C:\n%s%s", out.String(), stderr.String())
			}
			if c.want != "" && stderr.String() != c.want {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), c.want)
			}
			if tmps := tempFiles(t, dir); len(tmps) > 0 {
				t.Errorf("temporary files left behind: %v", tmps)
			}
		})
	}
}

// childRunning reports whether a process named name runs in the process
// group pgid.
func childRunning(pgid int, name string) bool {
	procs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range procs {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...
		s := string(data)
		open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || close < open {
			continue
		}
		fields := strings.Fields(s[close+1:])
		if s[open+1:close] == name && len(fields) > 2 && fields[2] == fmt.Sprint(pgid) {
			return true
		}
	}
	return false
}
