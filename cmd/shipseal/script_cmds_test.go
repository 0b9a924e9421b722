package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/shipseal/shipseal/internal/e2etest"
)

func vectorsDir(t *testing.T) string {
	abs, err := filepath.Abs("../../testdata/vectors")
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// ending is how a process ended: killed by a signal, or exited with a
// code. A shell reports both a process killed by signal N and one that
// exited 128+N as 128+N; bash's handling of Ctrl-C in scripts does not.
type ending struct {
	code int
	sig  syscall.Signal
}

func exited(code int) ending             { return ending{code: code} }
func killedBy(sig syscall.Signal) ending { return ending{code: -1, sig: sig} }

func (e ending) String() string {
	if e.sig != 0 {
		return fmt.Sprintf("killed by %v", e.sig)
	}
	return fmt.Sprintf("exit %d", e.code)
}

// scriptEnd runs a command (like exec) and returns how it ended.
func scriptEnd(ts *testscript.TestScript, args []string) ending {
	err := ts.Exec(args[0], args[1:]...)
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		ts.Fatalf("running %s: %v", args[0], err)
	}
	if ee != nil {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return killedBy(ws.Signal())
		}
		return exited(ee.ExitCode())
	}
	return exited(0)
}

// scriptCommands are the checks the scenarios need beyond testscript's own.
func scriptCommands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		// perm FILE MODE: the file's permission bits are MODE (octal).
		"perm": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 2 {
				ts.Fatalf("usage: perm FILE MODE")
			}
			st, err := os.Stat(ts.MkAbs(args[0]))
			ts.Check(err)
			want, err := strconv.ParseUint(args[1], 8, 32)
			ts.Check(err)
			got := st.Mode().Perm()
			if (got == os.FileMode(want)) == neg {
				ts.Fatalf("%s has mode %#o, want %s%#o", args[0], got, map[bool]string{true: "not ", false: ""}[neg], want)
			}
		},
		// flipbyte FILE OFFSET: flip the bits of the byte at OFFSET (negative
		// counts from the end).
		"flipbyte": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 2 {
				ts.Fatalf("usage: flipbyte FILE OFFSET")
			}
			path := ts.MkAbs(args[0])
			data, err := os.ReadFile(path)
			ts.Check(err)
			off, err := strconv.Atoi(args[1])
			ts.Check(err)
			if off < 0 {
				off += len(data)
			}
			// Inside base64 text, swap for another base64 character, so the
			// file stays decodable and only its content changes.
			const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
			if i := strings.IndexByte(alphabet, data[off]); i >= 0 {
				data[off] = alphabet[(i+1)%len(alphabet)]
			} else {
				data[off] ^= 0x01
			}
			ts.Check(os.WriteFile(path, data, 0o644))
		},
		// nosecret FILE SECRET...: none of the secrets occurs in FILE.
		"nosecret": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) < 2 {
				ts.Fatalf("usage: nosecret FILE SECRET...")
			}
			data := ts.ReadFile(args[0])
			for _, s := range args[1:] {
				if s != "" && strings.Contains(data, s) {
					ts.Fatalf("%s contains the secret %q", args[0], s)
				}
			}
		},
		// exitcode N CMD ARGS...: run CMD (like exec) and check that it
		// exits with status N.
		"exitcode": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) < 2 {
				ts.Fatalf("usage: exitcode N CMD ARGS...")
			}
			want, err := strconv.Atoi(args[0])
			ts.Check(err)
			got := scriptEnd(ts, args[1:])
			if got != exited(want) {
				ts.Fatalf("%s: %v, want %v", args[1], got, exited(want))
			}
		},
		// killedby SIGNAL CMD ARGS...: run CMD (like exec) and check that
		// a signal killed it (SIGINT, SIGTERM, ...), which a shell
		// reports as 128+N too.
		"killedby": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) < 2 {
				ts.Fatalf("usage: killedby SIGNAL CMD ARGS...")
			}
			want := signalNum(args[0])
			if want == 0 {
				ts.Fatalf("killedby: unknown signal %s", args[0])
			}
			if got := scriptEnd(ts, args[1:]); got != killedBy(want) {
				ts.Fatalf("%s: %v, want %v", args[1], got, killedBy(want))
			}
		},
		// waitfile FILE: wait (up to 30s) until FILE exists, for a
		// background command to reach a point (an editor that started).
		"waitfile": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 1 {
				ts.Fatalf("usage: waitfile FILE")
			}
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				if _, err := os.Stat(ts.MkAbs(args[0])); err == nil {
					return
				}
				if time.Now().After(deadline) {
					ts.Fatalf("%s did not appear within 30s", args[0])
				}
			}
		},
		// need PROGRAM: fail the scenario when PROGRAM is not installed
		// and SHIPSEAL_E2E=require (CI installs them all); otherwise the
		// scenario goes on to its own "[!exec:PROGRAM] skip" line.
		"need": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 1 {
				ts.Fatalf("usage: need PROGRAM")
			}
			if _, err := exec.LookPath(args[0]); err != nil && e2etest.Required() {
				ts.Fatalf("%s is not installed (required: %s=require)", args[0], e2etest.Env)
			}
		},
		// crlf FILE: turn every LF in FILE into CRLF (as git's autocrlf or a
		// Windows editor does).
		"crlf": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 1 {
				ts.Fatalf("usage: crlf FILE")
			}
			path := ts.MkAbs(args[0])
			data, err := os.ReadFile(path)
			ts.Check(err)
			ts.Check(os.WriteFile(path, []byte(strings.ReplaceAll(string(data), "\n", "\r\n")), 0o644))
		},
		// truncate FILE N: keep the first N bytes of FILE (negative: drop
		// -N bytes from the end).
		"truncate": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 2 {
				ts.Fatalf("usage: truncate FILE N")
			}
			path := ts.MkAbs(args[0])
			data, err := os.ReadFile(path)
			ts.Check(err)
			n, err := strconv.Atoi(args[1])
			ts.Check(err)
			if n < 0 {
				n += len(data)
			}
			ts.Check(os.WriteFile(path, data[:n], 0o644))
		},
		// notmp DIR: no temporary files are left in DIR.
		"notmp": func(ts *testscript.TestScript, neg bool, args []string) {
			entries, err := os.ReadDir(ts.MkAbs(args[0]))
			ts.Check(err)
			for _, e := range entries {
				if m, _ := filepath.Match(".*.shipseal-*.tmp", e.Name()); m {
					ts.Fatalf("temporary file left behind: %s", e.Name())
				}
			}
		},
	}
}
