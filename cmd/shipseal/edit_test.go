package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

// An editor that returns before the user could do anything, without
// saving (code without --wait), is an error, not "not changed": the file
// it left open in a window is about to be removed. editorMinWait is set
// per case instead of timing the editors.
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
		{"quick, nothing saved", time.Hour, "true", "env.encrypted", exitFailure, atOnce},
		{"quick, nothing saved, new file", time.Hour, "true", "new.env.encrypted", exitFailure, atOnce},
		{"took longer than editorMinWait", 10 * time.Millisecond, "sh -c 'sleep 0.2' sh", "env.encrypted", exitOK, "env.encrypted not changed"},
		{"quick, saved unchanged", time.Hour, "touch", "env.encrypted", exitOK, "env.encrypted not changed"},
		{"quick, saved a change", time.Hour, `sh -c 'printf "TOKEN=n3w\n" > "$1"' sh`, "env.encrypted", exitOK, "encrypted the changes"},
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
			if !strings.Contains(stderr, "hint: your editor returned at once: give it a wait flag, e.g. EDITOR='code --wait'") {
				t.Errorf("no hint about a wait flag:\n%s", stderr)
			}
			if strings.Contains(stderr, "not changed") || strings.Contains(stderr, "s3cr3t") {
				t.Errorf("stderr says %q or shows the secret:\n%s", "not changed", stderr)
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
