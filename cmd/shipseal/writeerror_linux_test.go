package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/internal/e2etest"
)

// An output that cannot be written is named once in the message: the
// errors of atomicfile name it already, so edit, git setup and dockercfg
// create do not add "writing NAME: " in front of them (edit said "writing
// x.encrypted: writing x.encrypted: operation not permitted").
func TestWritingErrorNamesTheFileOnce(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{&atomicfile.Error{Op: "replace", Path: "x.encrypted", Dir: ".", Err: syscall.EPERM}, "writing x.encrypted: operation not permitted"},
		{&atomicfile.Error{Op: "write", Path: "x.encrypted", Dir: ".", Err: syscall.ENOSPC}, "writing x.encrypted: no space left on device"},
		{&atomicfile.Error{Op: "create", Path: "ci/x.encrypted", Dir: "ci", Err: syscall.EACCES}, "cannot create a file in ci: permission denied"},
		{&atomicfile.SymlinkError{Link: "/tmp/x", LinkUID: 1000, Dir: "/tmp"}, "not following the symbolic link /tmp/x: it belongs to uid 1000, in /tmp, a sticky directory anyone can write to"},
		// Standard output's errors say nothing of a file.
		{syscall.EPIPE, "writing standard output: broken pipe"},
	} {
		name := "x.encrypted"
		if errors.Is(c.err, syscall.EPIPE) {
			name = "standard output"
		}
		err := writingError(name, c.err)
		if err.Error() != c.want {
			t.Errorf("writingError(%q, %v) = %q, want %q", name, c.err, err, c.want)
		}
		if !errors.Is(err, c.err) {
			t.Errorf("writingError(%q, %v) does not wrap it", name, c.err)
		}
	}
}

// The real failure: a file that even root may not replace (chattr +i),
// for edit and git setup.
func TestWriteFailureSaidOnce(t *testing.T) {
	dir := t.TempDir()
	probe := filepath.Join(dir, "probe")
	if err := os.WriteFile(probe, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	immutable := exec.Command("chattr", "+i", probe).Run() == nil
	exec.Command("chattr", "-i", probe).Run()
	e2etest.Require(t, immutable, "chattr +i (root, and a file system with the immutable attribute) makes a file that cannot be replaced")

	key := writeKey(t, dir)
	git := exec.Command("git", "init", "-q", dir)
	if out, err := git.CombinedOutput(); err != nil {
		t.Skipf("git init: %v: %s", err, out)
	}
	run := func(env []string, args ...string) string {
		t.Helper()
		cmd := exec.Command("shipseal", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err == nil {
			t.Fatalf("shipseal %s succeeded", strings.Join(args, " "))
		}
		return stderr.String()
	}
	lock := func(name string) {
		t.Helper()
		if out, err := exec.Command("chattr", "+i", name).CombinedOutput(); err != nil {
			t.Fatalf("chattr +i %s: %v: %s", name, err, out)
		}
		t.Cleanup(func() { exec.Command("chattr", "-i", name).Run() })
	}

	sealed := filepath.Join(dir, "app.env.encrypted")
	if out, err := exec.Command("shipseal", "encrypt", "--key-path", key, "-", sealed).CombinedOutput(); err != nil {
		t.Fatalf("encrypt: %v: %s", err, out)
	}
	lock(sealed)
	got := run([]string{`EDITOR=sh -c 'echo B=2 >> "$1"' sh`}, "edit", "--key-path", key, "app.env.encrypted")
	if want := "shipseal: error: writing app.env.encrypted: operation not permitted\n"; !strings.Contains(got, want) {
		t.Errorf("edit said:\n%s\nwant the line %q", got, want)
	}

	attrs := filepath.Join(dir, ".gitattributes")
	if err := os.WriteFile(attrs, []byte("*.enc diff=shipseal\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lock(attrs)
	got = run(nil, "git", "setup")
	if want := "shipseal: error: writing " + attrs + ": operation not permitted\n"; !strings.Contains(got, want) {
		t.Errorf("git setup said:\n%s\nwant the line %q", got, want)
	}
}
