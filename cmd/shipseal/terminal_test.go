//go:build unix

package main

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/shipseal/shipseal/crypto"
)

// These tests run shipseal on a real terminal (a pty), for what only
// happens there: the progress bar and edit's question.

// terminal is the controlling side of a pty and everything read from it.
type terminal struct {
	ptmx *os.File
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
}

// startOnTerminal starts cmd with its standard streams on a new pty (its
// controlling terminal, in a session of its own).
func startOnTerminal(t *testing.T, cmd *exec.Cmd) *terminal {
	t.Helper()
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 120})
	if err != nil {
		t.Fatalf("starting %v on a pty: %v", cmd.Args, err)
	}
	term := &terminal{ptmx: ptmx, done: make(chan struct{})}
	go func() {
		defer close(term.done)
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			term.mu.Lock()
			term.out.Write(buf[:n])
			term.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { ptmx.Close() })
	return term
}

func (term *terminal) output() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.out.String()
}

// waitFor waits until the terminal has shown s.
func (term *terminal) waitFor(t *testing.T, s string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(term.output(), s) {
			return
		}
	}
	t.Fatalf("the terminal never showed %q; it shows:\n%s", s, term.output())
}

// wait waits for cmd to exit and for its output to be read, and returns
// its exit code.
func (term *terminal) wait(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	end := term.waitEnd(t, cmd)
	if end.sig != 0 {
		t.Fatalf("%v, want an exit code:\n%s", end, term.output())
	}
	return end.code
}

// waitEnd waits for cmd to end and for its output to be read, and returns
// how it ended.
func (term *terminal) waitEnd(t *testing.T, cmd *exec.Cmd) ending {
	t.Helper()
	err := cmd.Wait()
	select {
	case <-term.done:
	case <-time.After(5 * time.Second):
	}
	return processEnd(t, err)
}

func writeKey(t *testing.T, dir string) string {
	t.Helper()
	k, err := crypto.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "codeship.aes")
	if err := os.WriteFile(p, k.Encode(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// bigFile writes a text file just over the progress bar's threshold.
func bigFile(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "big.txt")
	line := bytes.Repeat([]byte("0123456789abcdef"), 4)
	line = append(line, '\n')
	data := bytes.Repeat(line, progressMin/len(line)+1024)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProgressBarOnTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and encrypts 64 MiB")
	}
	dir := t.TempDir()
	key := writeKey(t, dir)
	big := bigFile(t, dir)

	// On a terminal: a bar, for encrypt and for decrypt.
	for _, args := range [][]string{
		{"encrypt", "--key-path", key, big, filepath.Join(dir, "big.enc")},
		{"decrypt", "--key-path", key, filepath.Join(dir, "big.enc"), filepath.Join(dir, "big.out")},
	} {
		cmd := exec.Command("shipseal", args...)
		term := startOnTerminal(t, cmd)
		if code := term.wait(t, cmd); code != 0 {
			t.Fatalf("shipseal %s: exit %d:\n%s", args[0], code, term.output())
		}
		out := term.output()
		if !regexp.MustCompile(`shipseal: ` + args[0] + ` +\d+% \|`).MatchString(out) {
			t.Errorf("shipseal %s on a terminal showed no progress bar:\n%q", args[0], out)
		}
		if strings.Contains(out, "\x1b[") {
			t.Errorf("shipseal %s printed escape sequences (colour?):\n%q", args[0], out)
		}
	}
	if !sameContent(t, big, filepath.Join(dir, "big.out")) {
		t.Fatal("the round trip under a terminal changed the data")
	}

	// In a pipe: no bar, not one carriage return.
	for _, args := range [][]string{
		{"encrypt", "--key-path", key, big, filepath.Join(dir, "big2.enc")},
		{"decrypt", "--key-path", key, filepath.Join(dir, "big.enc"), filepath.Join(dir, "big2.out")},
	} {
		var stderr bytes.Buffer
		cmd := exec.Command("shipseal", args...)
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("shipseal %s: %v\n%s", args[0], err, stderr.String())
		}
		if strings.Contains(stderr.String(), "\r") || strings.Contains(stderr.String(), "%") {
			t.Errorf("shipseal %s into a pipe drew a progress bar:\n%q", args[0], stderr.String())
		}
	}
}

// The bar needs both a terminal and a large input.
func TestProgressThreshold(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("opening a pty: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for _, c := range []struct {
		err  *os.File
		size int64
		want bool
	}{
		{tty, progressMin, true},
		{tty, progressMin - 1, false},
		{tty, -1, false},
		{w, progressMin * 4, false},
	} {
		bar := newProgress(&streams{err: c.err}, c.size, "test")
		if (bar != nil) != c.want {
			t.Errorf("newProgress(terminal=%v, size=%d) gave a bar: %v, want %v", c.err == tty, c.size, bar != nil, c.want)
		}
	}
}

// The bar is one line, redrawn in place after a carriage return, that
// Finish clears.
func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{w: &buf, what: "encrypt", total: 100 << 20, start: time.Now().Add(-2 * time.Second)}
	p.Set64(50 << 20)
	line := buf.String()
	if !regexp.MustCompile(`^\rshipseal: encrypt  50% \|={10} {10}\| 50/100 MiB, 2[45] MiB/s$`).MatchString(line) {
		t.Errorf("half way, after 2 s, the bar is\n%q", line)
	}
	buf.Reset()
	p.Finish()
	if want := "\r" + strings.Repeat(" ", len(line)-1) + "\r"; buf.String() != want {
		t.Errorf("Finish wrote %q, want %q", buf.String(), want)
	}
	buf.Reset()
	p.drawn = time.Time{}
	p.Add64(1)
	if buf.Len() != 0 {
		t.Errorf("the bar was drawn again after Finish: %q", buf.String())
	}

	p = &progress{w: &buf, what: "decrypt", total: 4 << 30, start: time.Now()}
	p.Set64(1 << 30)
	if want := "\rshipseal: decrypt  25% |=====               | 1.0/4.0 GiB"; buf.String() != want {
		t.Errorf("at 1 GiB of 4, the bar is\n%q, want\n%q", buf.String(), want)
	}
}

func sameContent(t *testing.T, a, b string) bool {
	t.Helper()
	da, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	db, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(da, db)
}

// editSetup makes an encrypted env file and an editor script.
func editSetup(t *testing.T, script string) (dir, key, file string, env []string) {
	t.Helper()
	dir = t.TempDir()
	key = writeKey(t, dir)
	plain := filepath.Join(dir, "env")
	os.WriteFile(plain, []byte("A=1\n"), 0o600)
	file = filepath.Join(dir, "env.encrypted")
	if out, err := exec.Command("shipseal", "encrypt", "--key-path", key, plain, file).CombinedOutput(); err != nil {
		t.Fatalf("encrypt: %v\n%s", err, out)
	}
	ed := filepath.Join(dir, "editor.sh")
	if err := os.WriteFile(ed, []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	env = append(os.Environ(), "VISUAL=", "EDITOR="+ed, "DIR="+dir)
	return dir, key, file, env
}

// invalidThenValid writes an invalid env file the first time, a valid one
// the second.
const invalidThenValid = `if [ -e "$DIR/once" ]; then printf 'A=2\n' > "$1"; else touch "$DIR/once"; printf '=broken\n' > "$1"; fi
ln -sf "$1" "$DIR/plain.link"
`

func TestEditReopensOnTerminal(t *testing.T) {
	dir, key, file, env := editSetup(t, invalidThenValid)
	cmd := exec.Command("shipseal", "edit", "--key-path", key, file)
	cmd.Env = env
	term := startOnTerminal(t, cmd)
	term.waitFor(t, "[Y/n]")
	term.ptmx.Write([]byte("y\n"))
	if code := term.wait(t, cmd); code != 0 {
		t.Fatalf("edit: exit %d:\n%s", code, term.output())
	}
	out, err := exec.Command("shipseal", "decrypt", "--key-path", key, file).Output()
	if err != nil || string(out) != "A=2\n" {
		t.Fatalf("after reopening, the file decrypts to %q (%v), want A=2", out, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "plain.link")); err == nil {
		t.Error("the plaintext is still on disk")
	}
}

func TestEditAbortOnTerminal(t *testing.T) {
	dir, key, file, env := editSetup(t, invalidThenValid)
	before, _ := os.ReadFile(file)
	cmd := exec.Command("shipseal", "edit", "--key-path", key, file)
	cmd.Env = env
	term := startOnTerminal(t, cmd)
	term.waitFor(t, "[Y/n]")
	term.ptmx.Write([]byte("n\n"))
	if code := term.wait(t, cmd); code != exitInvalid {
		t.Fatalf("edit answered n: exit %d, want %d:\n%s", code, exitInvalid, term.output())
	}
	if after, _ := os.ReadFile(file); !bytes.Equal(before, after) {
		t.Error("an aborted edit changed the file")
	}
	if _, err := os.Stat(filepath.Join(dir, "plain.link")); err == nil {
		t.Error("the plaintext is still on disk")
	}
}

// Ctrl-C on the terminal reaches the editor too; an editor that it ends
// ends edit, which removes the plaintext and leaves the file alone.
func TestEditCtrlC(t *testing.T) {
	dir, key, file, env := editSetup(t, `ln -sf "$1" "$DIR/plain.link"
touch "$DIR/started"
i=0; while [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
printf 'A=3\n' > "$1"
`)
	before, _ := os.ReadFile(file)
	cmd := exec.Command("shipseal", "edit", "--key-path", key, file)
	cmd.Env = env
	term := startOnTerminal(t, cmd)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(dir, "started")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the editor never started:\n%s", term.output())
		}
	}
	term.ptmx.Write([]byte{3}) // ^C
	// Killed by SIGINT (not exit 130): a script that ran edit stops.
	if end := term.waitEnd(t, cmd); end != killedBy(syscall.SIGINT) {
		t.Fatalf("edit after ^C: %v, want %v:\n%s", end, killedBy(syscall.SIGINT), term.output())
	}
	if !strings.Contains(term.output(), "the file was left unchanged and the plaintext removed") {
		t.Errorf("edit did not say what happened:\n%s", term.output())
	}
	if after, _ := os.ReadFile(file); !bytes.Equal(before, after) {
		t.Error("an interrupted edit changed the file")
	}
	if _, err := os.Stat(filepath.Join(dir, "plain.link")); err == nil {
		t.Error("the plaintext is still on disk")
	}
}

// Ctrl-C at edit's question aborts too.
func TestEditCtrlCAtQuestion(t *testing.T) {
	dir, key, file, env := editSetup(t, invalidThenValid)
	before, _ := os.ReadFile(file)
	cmd := exec.Command("shipseal", "edit", "--key-path", key, file)
	cmd.Env = env
	term := startOnTerminal(t, cmd)
	term.waitFor(t, "[Y/n]")
	term.ptmx.Write([]byte{3}) // ^C
	if end := term.waitEnd(t, cmd); end != killedBy(syscall.SIGINT) {
		t.Fatalf("^C at the question: %v, want %v:\n%s", end, killedBy(syscall.SIGINT), term.output())
	}
	if after, _ := os.ReadFile(file); !bytes.Equal(before, after) {
		t.Error("an interrupted edit changed the file")
	}
	if _, err := os.Stat(filepath.Join(dir, "plain.link")); err == nil {
		t.Error("the plaintext is still on disk")
	}
}

// countInts is a command that counts the SIGINTs it gets in $DIR/ints and
// exits 0 a moment after the first.
const countInts = `trap 'echo int >> "$DIR/ints"; got=1' INT
touch "$DIR/started"
i=0
while [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i+1))
	if [ -n "$got" ]; then j=$((j+1)); [ $j -gt 5 ] && exit 0; fi
done
exit 9
`

func execSetup(t *testing.T) (dir string, cmd *exec.Cmd) {
	t.Helper()
	dir = t.TempDir()
	key := writeKey(t, dir)
	env := filepath.Join(dir, "env")
	os.WriteFile(env, []byte("A=1\n"), 0o600)
	script := filepath.Join(dir, "child.sh")
	os.WriteFile(script, []byte("#!/bin/sh\n"+countInts), 0o755)
	cmd = exec.Command("shipseal", "exec", "--key-path", key, "--env-file", env, "--", script)
	cmd.Env = append(os.Environ(), "DIR="+dir)
	return dir, cmd
}

func waitStarted(t *testing.T, dir string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(dir, "started")); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the command never started")
		}
	}
}

func readInts(t *testing.T, dir string) int {
	t.Helper()
	data, _ := os.ReadFile(filepath.Join(dir, "ints"))
	return strings.Count(string(data), "int")
}

// On a terminal, Ctrl-C reaches the command, and exec ends with the
// command's exit code. (That it arrives once, not also forwarded, cannot be
// seen here: two SIGINTs so close together merge into one pending signal.
// TestForwardSignal checks the rule.)
func TestExecCtrlC(t *testing.T) {
	dir, cmd := execSetup(t)
	term := startOnTerminal(t, cmd)
	waitStarted(t, dir)
	term.ptmx.Write([]byte{3}) // ^C
	if code := term.wait(t, cmd); code != 0 {
		t.Fatalf("exec: exit %d, want the command's 0:\n%s", code, term.output())
	}
	if n := readInts(t, dir); n != 1 {
		t.Errorf("the command got SIGINT %d times, want once", n)
	}
}

// Without a terminal, a SIGINT sent to shipseal is passed on.
func TestExecForwardsInterrupt(t *testing.T) {
	dir, cmd := execSetup(t)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // no controlling terminal
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitStarted(t, dir)
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exec: %v, want the command's exit 0\n%s", err, stderr.String())
	}
	if n := readInts(t, dir); n != 1 {
		t.Errorf("the command got SIGINT %d times, want once", n)
	}
}

func TestForwardSignal(t *testing.T) {
	yes := func() bool { return true }
	no := func() bool { return false }
	for _, c := range []struct {
		sig        os.Signal
		foreground func() bool
		want       bool
	}{
		{syscall.SIGINT, yes, false},
		{syscall.SIGQUIT, yes, false},
		{syscall.SIGWINCH, yes, false},
		{syscall.SIGINT, no, true},
		{syscall.SIGTERM, yes, true},
		{syscall.SIGHUP, yes, true},
		{syscall.SIGUSR1, yes, true},
	} {
		if got := forwardSignal(c.sig, c.foreground); got != c.want {
			t.Errorf("forwardSignal(%v, foreground=%v) = %v, want %v", c.sig, c.foreground(), got, c.want)
		}
	}
}

// TestInTerminalForeground runs this test binary as a helper on a pty
// (where it is the foreground job) and in a session without a terminal.
func TestInTerminalForeground(t *testing.T) {
	helper := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestTerminalForegroundHelper$")
		cmd.Env = append(os.Environ(), "SHIPSEAL_TEST_FOREGROUND_HELPER=1")
		return cmd
	}
	cmd := helper()
	term := startOnTerminal(t, cmd)
	term.wait(t, cmd)
	if !strings.Contains(term.output(), "foreground=true") {
		t.Errorf("on a pty, as its foreground job: %q, want foreground=true", term.output())
	}
	cmd = helper()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	out, _ := cmd.CombinedOutput()
	if !strings.Contains(string(out), "foreground=false") {
		t.Errorf("without a terminal: %q, want foreground=false", out)
	}
}

func TestTerminalForegroundHelper(t *testing.T) {
	if os.Getenv("SHIPSEAL_TEST_FOREGROUND_HELPER") != "1" {
		t.Skip("a helper process for TestInTerminalForeground")
	}
	fmt.Printf("foreground=%v\n", inTerminalForeground())
}
