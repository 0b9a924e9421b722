package main

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/rekey"
)

// TestOutputHints: an output that cannot be written says what to do next,
// for every command, with the paths quoted for the shell. The failures
// that a test running as root cannot cause (a directory it may not write
// to, a read-only mount, a full disk) are made up here; the scripts and
// internal/faulttest cause the real ones.
func TestOutputHints(t *testing.T) {
	file := filepath.Join(t.TempDir(), "out")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		err       error
		msg, hint string
	}{
		{
			err:  &atomicfile.Error{Op: "create", Path: "missing/dir/env.encrypted", Dir: "missing/dir", Err: syscall.ENOENT},
			msg:  "cannot create a file in missing/dir: no such file or directory",
			hint: "create it first: mkdir -p missing/dir",
		},
		{
			err:  &atomicfile.Error{Op: "create", Path: "my dir/x", Dir: "my dir", Err: syscall.ENOENT},
			msg:  "cannot create a file in my dir: no such file or directory",
			hint: "create it first: mkdir -p 'my dir'",
		},
		{
			err:  &atomicfile.Error{Op: "create", Path: "ro/x.enc", Dir: "ro", Err: syscall.EACCES},
			msg:  "cannot create a file in ro: permission denied",
			hint: "write somewhere you can, or check the directory's permissions: ls -ld ro",
		},
		{
			err:  &atomicfile.Error{Op: "create", Path: "it's/x", Dir: "it's", Err: syscall.EPERM},
			msg:  "cannot create a file in it's: operation not permitted",
			hint: `write somewhere you can, or check the directory's permissions: ls -ld 'it'\''s'`,
		},
		{
			err:  &atomicfile.Error{Op: "create", Path: "notes.txt/x", Dir: "notes.txt", Err: syscall.ENOTDIR},
			msg:  "cannot create a file in notes.txt: not a directory",
			hint: "a part of notes.txt is a file, not a directory: give another path",
		},
		{
			err:  &atomicfile.Error{Op: "create", Path: "/mnt/x", Dir: "/mnt", Err: syscall.EROFS},
			msg:  "cannot create a file in /mnt: read-only file system",
			hint: "/mnt is on a read-only file system: write the output somewhere else",
		},
		{
			err:  fmt.Errorf("writing x: %w", &atomicfile.Error{Op: "write", Path: file, Dir: filepath.Dir(file), Err: syscall.ENOSPC}),
			msg:  "writing x: writing " + file + ": no space left on device",
			hint: "free some space on that file system (df -h " + filepath.Dir(file) + "), or write the output somewhere else",
		},
		{
			// A full device is written in place: there is no space to free.
			err: &atomicfile.Error{Op: "write", Path: filepath.Dir(file), Dir: "/", Err: syscall.ENOSPC},
			msg: "writing " + filepath.Dir(file) + ": no space left on device",
		},
		{
			// A rename that failed: the message says why; no guess.
			err: &atomicfile.Error{Op: "replace", Path: "x", Dir: ".", Err: syscall.EBUSY},
			msg: "writing x: device or resource busy",
		},
		{
			err:  &outputDirError{dir: "outdir/", suggest: "x"},
			msg:  "outdir/ is a directory: give a file name",
			hint: "write to a file in it, such as outdir/x",
		},
		{
			err:  &outputDirError{dir: "my dir", suggest: "env.encrypted"},
			msg:  "my dir is a directory: give a file name",
			hint: "write to a file in it, such as 'my dir/env.encrypted'",
		},
		{
			err: &outputDirError{dir: "outdir"},
			msg: "outdir is a directory: give a file name",
		},
	} {
		var out bytes.Buffer
		if code := report(&out, c.err, "shipseal encrypt"); code != exitFailure {
			t.Errorf("%v: exit %d, want %d", c.err, code, exitFailure)
		}
		want := "shipseal: error: " + c.msg + "\n"
		if c.hint != "" {
			want += "shipseal: hint: " + c.hint + "\n"
		}
		if out.String() != want {
			t.Errorf("got\n%s\nwant\n%s", out.String(), want)
		}
	}
}

// TestSuggestName: the file name offered in a directory given as OUT.
func TestSuggestName(t *testing.T) {
	for _, c := range []struct {
		in         string
		decrypting bool
		want       string
	}{
		{"x.encrypted", true, "x"},
		{"secrets/prod.env.encrypted", true, "prod.env"},
		{"dockercfg.enc", true, "dockercfg"},
		{"notes", true, ""},
		{"-", true, ""},
		{"env", false, "env.encrypted"},
		{"config/.env", false, ".env.encrypted"},
		{"-", false, ""},
	} {
		if got := suggestName(c.in, c.decrypting); got != c.want {
			t.Errorf("suggestName(%q, %v) = %q, want %q", c.in, c.decrypting, got, c.want)
		}
	}
}

// TestRekeyFailureHints: rekey names each file it could not stage, with
// the same hint as any command.
func TestRekeyFailureHints(t *testing.T) {
	key, err := crypto.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	err = errors.Join(&rekey.FileError{Name: "ro/a.encrypted",
		Err: &atomicfile.Error{Op: "create", Path: "ro/a.encrypted", Dir: "ro", Err: syscall.EACCES}})
	var stderr bytes.Buffer
	err = rekeyFailure(&streams{err: &stderr}, err, key)
	want := "shipseal: error: ro/a.encrypted: cannot create a file in ro: permission denied\n" +
		"shipseal: hint: write somewhere you can, or check the directory's permissions: ls -ld ro\n"
	if stderr.String() != want {
		t.Errorf("got\n%s\nwant\n%s", stderr.String(), want)
	}
	if !strings.Contains(err.Error(), "1 of the files cannot be rotated") {
		t.Errorf("summary: %v", err)
	}
}
