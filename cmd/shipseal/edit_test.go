package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

// A graphical launcher without its wait flag (code without --wait) that
// returns before the user could do anything, without saving, is an error,
// not "unchanged": the file it left open in a window is about to be
// removed. Any other editor that does so (true, a script's no-op) left the
// file unchanged: exit 0. editorMinWait is set per case instead of timing
// the editors; a fake code on $PATH returns at once.
func TestEditEditorReturnedAtOnce(t *testing.T) {
	t.Chdir(t.TempDir())
	run := func(args ...string) (stderr string, code int) {
		var out, errb bytes.Buffer
		code = execute(args, strings.NewReader(""), &out, &errb)
		return errb.String(), code
	}
	if stderr, code := run("keygen"); code != exitOK {
		t.Fatalf("keygen: exit %d: %s", code, stderr)
	}
	writeFile(t, "plain.env", "TOKEN=s3cr3t\n")
	if stderr, code := run("encrypt", "plain.env", "env.encrypted"); code != exitOK {
		t.Fatalf("encrypt: exit %d: %s", code, stderr)
	}
	before, err := os.ReadFile("env.encrypted")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SHIPSEAL_KEY", "")
	t.Setenv("SHIPSEAL_KEY_PATH", "")
	t.Setenv("VISUAL", "")
	bin := t.TempDir()
	writeFile(t, bin+"/code", "#!/bin/sh\n[ \"$1\" = --slow ] && sleep 0.2\nexit 0\n")
	if err := os.Chmod(bin+"/code", 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+":"+os.Getenv("PATH"))
	old := editorMinWait
	defer func() { editorMinWait = old }()

	const atOnce = "returned at once"
	for _, c := range []struct {
		name    string
		minWait time.Duration
		editor  string
		file    string
		code    int
		stderr  string
	}{
		{"launcher without --wait, nothing saved", time.Hour, "code", "env.encrypted", exitFailure, atOnce},
		{"launcher without --wait, nothing saved, new file", time.Hour, "code -n", "new.env.encrypted", exitFailure, atOnce},
		{"launcher with --wait, nothing saved", time.Hour, "code --wait", "env.encrypted", exitOK, "env.encrypted unchanged: nothing re-encrypted"},
		{"no-op editor", time.Hour, "true", "env.encrypted", exitOK, "env.encrypted unchanged: nothing re-encrypted"},
		{"no-op editor, new file", time.Hour, "true", "new.env.encrypted", exitFailure, "new.env.encrypted not created: the editor left it empty or as the template was"},
		{"launcher took longer than editorMinWait", 10 * time.Millisecond, "code --slow", "env.encrypted", exitOK, "env.encrypted unchanged"},
		{"launcher saved unchanged", time.Hour, "code -n; touch", "env.encrypted", exitOK, "env.encrypted unchanged"},
		{"launcher saved a change", time.Hour, `code -n; sh -c 'printf "TOKEN=n3w\n" > "$1"' sh`, "env.encrypted", exitOK, "encrypted the changes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := os.WriteFile("env.encrypted", before, 0o644); err != nil {
				t.Fatal(err)
			}
			editorMinWait = c.minWait
			t.Setenv("EDITOR", c.editor)
			stderr, code := run("edit", c.file)
			if code != c.code || !strings.Contains(stderr, c.stderr) {
				t.Fatalf("edit: exit %d, want %d with %q:\n%s", code, c.code, c.stderr, stderr)
			}
			if c.stderr != atOnce {
				if strings.Contains(stderr, atOnce) {
					t.Errorf("an editor that waited or saved is said to have returned at once:\n%s", stderr)
				}
				return
			}
			if want := "give it its wait flag, EDITOR='" + c.editor + " --wait'"; !strings.Contains(stderr, want) {
				t.Errorf("no hint %q:\n%s", want, stderr)
			}
			if strings.Contains(stderr, "unchanged:") || strings.Contains(stderr, "s3cr3t") {
				t.Errorf("stderr says %q or shows the secret:\n%s", "unchanged:", stderr)
			}
			if now, err := os.ReadFile("env.encrypted"); err != nil || !bytes.Equal(now, before) {
				t.Errorf("env.encrypted changed (%v)", err)
			}
			if _, err := os.Stat("new.env.encrypted"); !os.IsNotExist(err) {
				t.Errorf("new.env.encrypted was created (%v)", err)
			}
		})
	}
}
