package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/internal/pipewait"
)

// TestGenerateInterrupted sends SIGINT (Ctrl-C) or SIGTERM to a generate
// run wherever it waits: opening or reading its encrypted input, asking a
// credential helper, waiting for the cache lock, opening PATH. Each time
// it must stop, say in one line that PATH was left as it was, leave PATH
// and the directory as they were, and die of the signal, as the other
// commands do (TestInterruptStopsTheRun).
//
// The signal goes when shipseal has got where the case wants it, known
// from its standard error, from the test's own end of a named pipe, or
// from the kernel (/proc/PID/task/*/wchan: a thread waits to open a pipe).
func TestGenerateInterrupted(t *testing.T) {
	for _, c := range []struct {
		name string
		sig  syscall.Signal
		// setup prepares dir and returns generate's arguments (PATH is
		// appended) and its environment.
		setup func(t *testing.T, dir string) (args, env []string)
		// ready returns once shipseal is where the signal must find it.
		ready   func(t *testing.T, run *generateRun)
		oldDest bool // PATH exists before the run
		pipe    bool // PATH is a named pipe nothing reads
	}{
		{
			// Ctrl-C before the first byte: opening a named pipe waits
			// for a writer, which never comes.
			name: "opening-the-input", sig: syscall.SIGINT,
			setup: func(t *testing.T, dir string) ([]string, []string) {
				mkfifo(t, filepath.Join(dir, "in"))
				return []string{"--key-path", writeKey(t, dir), "--from-file", filepath.Join(dir, "in")}, nil
			},
			ready: func(t *testing.T, run *generateRun) { run.waitOpeningPipe(t) },
		},
		{
			// Half of the encrypted file has come, the rest does not.
			name: "reading-the-input", sig: syscall.SIGTERM, oldDest: true,
			setup: func(t *testing.T, dir string) ([]string, []string) {
				key := writeKey(t, dir)
				mkfifo(t, filepath.Join(dir, "in"))
				return []string{"--key-path", key, "--from-file", filepath.Join(dir, "in")}, nil
			},
			ready: func(t *testing.T, run *generateRun) {
				// Opening blocks until shipseal has opened its end.
				w, err := os.OpenFile(filepath.Join(run.dir, "in"), os.O_WRONLY, 0)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { w.Close() })
				sealed := sealedDockercfg(t, filepath.Join(run.dir, "codeship.aes"))
				if _, err := w.Write(sealed[:len(sealed)/2]); err != nil {
					t.Fatal(err)
				}
			},
		},
		{
			// A helper that never answers: it is killed with the run.
			name: "asking-the-helper", sig: syscall.SIGINT,
			setup: func(t *testing.T, dir string) ([]string, []string) {
				bin := filepath.Join(dir, "bin")
				if err := os.Mkdir(bin, 0o755); err != nil {
					t.Fatal(err)
				}
				helper := "#!/bin/sh\necho \"helper $$ asked\" >&2\nexec sleep 600\n"
				if err := os.WriteFile(filepath.Join(bin, "docker-credential-hang"), []byte(helper), 0o755); err != nil {
					t.Fatal(err)
				}
				return []string{"--from-helper", "hang", "--registry", "registry.example.com"},
					[]string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")}
			},
			ready: func(t *testing.T, run *generateRun) { run.waitLine(t, "helper ") },
		},
		{
			// Another run holds the cache: this one waits its turn.
			name: "waiting-for-the-cache", sig: syscall.SIGTERM, oldDest: true,
			setup: func(t *testing.T, dir string) ([]string, []string) {
				cache := filepath.Join(dir, "cache")
				if err := os.Mkdir(cache, 0o700); err != nil {
					t.Fatal(err)
				}
				lock, err := os.OpenFile(filepath.Join(cache, ".shipseal-generate.lock"), os.O_CREATE|os.O_RDWR, 0o600)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { lock.Close() })
				if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
					t.Fatal(err)
				}
				return []string{"--source", "env", "--cache-dir", cache}, staticCredentials()
			},
			// "using …" comes before the lock is asked for; wherever the
			// run is after it, the outcome must be the same.
			ready: func(t *testing.T, run *generateRun) { run.waitLine(t, "shipseal: using ") },
		},
		{
			// PATH is a named pipe: it is written in place, and opening
			// it waits for a reader, which never comes.
			name: "opening-PATH", sig: syscall.SIGINT, pipe: true,
			setup: func(t *testing.T, dir string) ([]string, []string) {
				return []string{"--source", "env"}, staticCredentials()
			},
			ready: func(t *testing.T, run *generateRun) { run.waitOpeningPipe(t) },
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			if signal.Ignored(c.sig) {
				t.Skipf("%v is ignored in this test process (a background job of a shell without job control), and so in shipseal", c.sig)
			}
			dir := t.TempDir()
			out := filepath.Join(dir, "out")
			args, env := c.setup(t, dir)
			want := "shipseal: interrupted; " + out + " was not created"
			switch {
			case c.pipe:
				mkfifo(t, out)
				want = "shipseal: interrupted; " + out + " was not changed"
			case c.oldDest:
				if err := os.WriteFile(out, []byte("old content\n"), 0o600); err != nil {
					t.Fatal(err)
				}
				want = "shipseal: interrupted; " + out + " was not changed"
			}
			before := dirNames(t, dir)

			run := startGenerate(t, dir, append(append([]string{"generate"}, args...), out), env)
			c.ready(t, run)
			run.cmd.Process.Signal(c.sig)
			end := waitEnd(t, run.cmd, 10*time.Second)
			lines := run.stderrLines(t)

			if end != killedBy(c.sig) {
				t.Errorf("%v after %v, want %v\n%s", end, c.sig, killedBy(c.sig), strings.Join(lines, "\n"))
			}
			if len(lines) == 0 || lines[len(lines)-1] != want {
				t.Errorf("stderr:\n%s\nwant it to end with:\n%s", strings.Join(lines, "\n"), want)
			}
			for _, l := range lines {
				if strings.Contains(l, "error:") {
					t.Errorf("an interrupt is not an error: %q", l)
				}
			}
			st, err := os.Lstat(out)
			switch {
			case c.pipe && (err != nil || st.Mode()&os.ModeNamedPipe == 0):
				t.Errorf("PATH is no longer the named pipe: %v, %v", st, err)
			case c.oldDest:
				if got, _ := os.ReadFile(out); string(got) != "old content\n" {
					t.Errorf("PATH holds %q, not its old content", got)
				}
			case !c.pipe && !errors.Is(err, os.ErrNotExist):
				t.Errorf("PATH was created: %v", err)
			}
			if after := dirNames(t, dir); !slices.Equal(after, before) {
				t.Errorf("the directory held %v, and holds %v after the signal", before, after)
			}
			if cache := filepath.Join(dir, "cache"); slices.Contains(before, "cache") {
				if names := dirNames(t, cache); !slices.Equal(names, []string{".shipseal-generate.lock"}) {
					t.Errorf("the cache holds %v after the signal", names)
				}
			}
			// The helper was killed, and waited for, before shipseal
			// said it was interrupted.
			for _, l := range lines {
				var pid int
				if _, err := fmt.Sscanf(l, "helper %d asked", &pid); err == nil {
					if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
						syscall.Kill(pid, syscall.SIGKILL)
						t.Errorf("the helper (pid %d) outlived the run: %v", pid, err)
					}
				}
			}
		})
	}
}

// generateRun is a running shipseal generate and its standard error.
type generateRun struct {
	dir string
	cmd *exec.Cmd

	mu      sync.Mutex
	lines   []string
	newLine chan struct{} // ticks after each line
	done    chan struct{} // closed at the end of standard error
}

func startGenerate(t *testing.T, dir string, args, env []string) *generateRun {
	t.Helper()
	cmd := exec.Command("shipseal", args...)
	cmd.Dir = dir
	// Only the variables the case sets: none of the developer's
	// SHIPSEAL_* or DOCKER_* may choose another source.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SHIPSEAL_") && !strings.HasPrefix(kv, "DOCKER_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	run := &generateRun{dir: dir, cmd: cmd, newLine: make(chan struct{}, 1), done: make(chan struct{})}
	t.Cleanup(func() {
		cmd.Process.Kill()
		pr.Close()
	})
	go func() {
		defer close(run.done)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			run.mu.Lock()
			run.lines = append(run.lines, sc.Text())
			run.mu.Unlock()
			select {
			case run.newLine <- struct{}{}:
			default:
			}
		}
	}()
	return run
}

// waitLine returns once shipseal has written a line starting with
// prefix on its standard error.
func (run *generateRun) waitLine(t *testing.T, prefix string) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		run.mu.Lock()
		found := slices.ContainsFunc(run.lines, func(l string) bool { return strings.HasPrefix(l, prefix) })
		lines := strings.Join(run.lines, "\n")
		run.mu.Unlock()
		if found {
			return
		}
		select {
		case <-run.newLine:
		case <-run.done:
			t.Fatalf("shipseal ended without writing %q:\n%s", prefix, lines)
		case <-deadline:
			t.Fatalf("shipseal never wrote %q:\n%s", prefix, lines)
		}
	}
}

// waitOpeningPipe returns once a thread of shipseal waits in the kernel to
// open a named pipe. A kernel that does not say where threads wait skips
// the test.
func (run *generateRun) waitOpeningPipe(t *testing.T) {
	t.Helper()
	if err := pipewait.Wait(run.cmd.Process.Pid, 30*time.Second); errors.Is(err, pipewait.ErrNotShown) {
		t.Skip(err)
	} else if err != nil {
		t.Fatalf("shipseal never waited to open a named pipe: %v\n%s", err, strings.Join(run.stderrSoFar(), "\n"))
	}
}

func (run *generateRun) stderrSoFar() []string {
	run.mu.Lock()
	defer run.mu.Unlock()
	return slices.Clone(run.lines)
}

// stderrLines returns all of shipseal's standard error, once the run (and
// anything it started) has closed it.
func (run *generateRun) stderrLines(t *testing.T) []string {
	t.Helper()
	select {
	case <-run.done:
	case <-time.After(10 * time.Second):
		t.Fatalf("something shipseal started still holds its standard error:\n%s", strings.Join(run.stderrSoFar(), "\n"))
	}
	return run.stderrSoFar()
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
}

// staticCredentials is source 3's environment.
func staticCredentials() []string {
	return []string{"DOCKER_REGISTRY=registry.example.com", "DOCKER_USERNAME=ci", "DOCKER_PASSWORD=secret-password"}
}

// sealedDockercfg returns a dockercfg encrypted with the key in keyPath.
func sealedDockercfg(t *testing.T, keyPath string) []byte {
	t.Helper()
	text, err := os.ReadFile(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	k, err := crypto.ParseKey(text)
	if err != nil {
		t.Fatal(err)
	}
	plain := `{"auths": {"registry.example.com": {"auth": "` + dockercfg.EncodeAuth("ci", "secret-password") + `"}}}` + "\n"
	var b bytes.Buffer
	if err := crypto.Encrypt(&b, strings.NewReader(plain), k, crypto.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
