package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// keyCommands run every command that looks the project key up, each so
// that it does: with a key file the command can use.
var keyCommands = map[string][]string{
	"shipseal check":          {"check", "a.enc"},
	"shipseal decrypt":        {"decrypt", "a.enc", "out.env"},
	"shipseal dockercfg show": {"dockercfg", "show", "cfg.enc"},
	"shipseal edit":           {"edit", "a.enc"},
	"shipseal encrypt":        {"encrypt", "plain.env", "out.enc"},
	"shipseal exec":           {"exec", "--env-file", "a.enc", "--", "true"},
	"shipseal generate":       {"generate", "--from-file", "cfg.enc", "out.json"},
	"shipseal rekey":          {"rekey", "--new-key-path", "c.aes", "--dry-run", "a.enc"},
	"shipseal textconv":       {"textconv", "a.enc"},
	"shipseal validate":       {"validate", "a.enc"},
}

// TestKeyWarningGoesToTheCommandsStderr checks that the warning about
// $SHIPSEAL_KEY and $SHIPSEAL_KEY_PATH set to different keys goes to the
// stderr the command was given, once, for every command that finds the
// key: execute's, not the process's.
func TestKeyWarningGoesToTheCommandsStderr(t *testing.T) {
	t.Chdir(t.TempDir())
	run := func(args ...string) (stdout, stderr string, code int) {
		var out, errb bytes.Buffer
		code = execute(args, strings.NewReader(""), &out, &errb)
		return out.String(), errb.String(), code
	}
	for _, name := range []string{"a.aes", "b.aes", "c.aes"} {
		if _, stderr, code := run("keygen", "-o", name); code != exitOK {
			t.Fatalf("keygen: exit %d: %s", code, stderr)
		}
	}
	writeFile(t, "plain.env", "A=1\n")
	writeFile(t, "cfg.json", `{"auths":{"r.io":{"auth":"dXNlcjpwYXNz"}}}`+"\n")
	for _, args := range [][]string{{"plain.env", "a.enc"}, {"cfg.json", "cfg.enc"}} {
		if _, stderr, code := run(append([]string{"encrypt", "--key-path", "a.aes"}, args...)...); code != exitOK {
			t.Fatalf("encrypt %v: exit %d: %s", args, code, stderr)
		}
	}
	keyA, err := os.ReadFile("a.aes")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SHIPSEAL_KEY", strings.TrimSpace(string(keyA)))
	t.Setenv("SHIPSEAL_KEY_PATH", "b.aes")
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", "touch") // saves the file unchanged: "not changed"
	for _, v := range []string{"SHIPSEAL_DOCKERCFG", "SHIPSEAL_CACHE_DIR", "DOCKER_AUTH_CONFIG", "DOCKER_REGISTRY"} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}

	// Every command with --key-path is in keyCommands.
	var missing []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Flags().Lookup("key-path") != nil {
			if _, ok := keyCommands[c.CommandPath()]; !ok {
				missing = append(missing, c.CommandPath())
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCommand(&streams{}))
	if len(missing) > 0 {
		t.Fatalf("commands with --key-path that this test does not run: %v", missing)
	}

	const warning = "shipseal: warning: $SHIPSEAL_KEY and $SHIPSEAL_KEY_PATH are both set, to different keys"
	for name, args := range keyCommands {
		_, stderr, code := run(args...)
		if code != exitOK {
			t.Errorf("%s: exit %d:\n%s", name, code, stderr)
		}
		if n := strings.Count(stderr, warning); n != 1 {
			t.Errorf("%s: the warning is on the command's stderr %d times, want once:\n%s", name, n, stderr)
		}
		if strings.Contains(stderr, string(keyA[:20])) {
			t.Errorf("%s: stderr shows the key:\n%s", name, stderr)
		}
	}
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}
