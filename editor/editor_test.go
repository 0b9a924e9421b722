package editor

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestFind(t *testing.T) {
	for _, c := range []struct {
		term, visual, editor, want string
	}{
		{"xterm", "", "", Default},
		{"xterm", "", "nano", "nano"},
		{"xterm", "code --wait", "nano", "code --wait"},
		{"xterm", "  ", " vim ", "vim"},
		{"xterm", "vim", "", "vim"},
		// git's rule: $VISUAL only on a terminal that is not dumb.
		{"dumb", "vim", "ed", "ed"},
		{"", "vim", "ed", "ed"},
		{"dumb", "vim", "", Default},
	} {
		env := map[string]string{"TERM": c.term, "VISUAL": c.visual, "EDITOR": c.editor}
		if got := Find(func(k string) string { return env[k] }); got != c.want {
			t.Errorf("Find(TERM=%q, VISUAL=%q, EDITOR=%q) = %q, want %q", c.term, c.visual, c.editor, got, c.want)
		}
	}
}

func TestCommandArgs(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		spec string
		want []string
	}{
		{"vim", []string{"vim", "/tmp/x y"}},
		{"code --wait", []string{"/bin/sh", "-c", `code --wait "$@"`, "code --wait", "/tmp/x y"}},
		{"$HOME/bin/ed", []string{"/bin/sh", "-c", `$HOME/bin/ed "$@"`, "$HOME/bin/ed", "/tmp/x y"}},
	} {
		if got := Command(ctx, c.spec, "/tmp/x y").Args; !reflect.DeepEqual(got, c.want) {
			t.Errorf("Command(%q).Args = %q, want %q", c.spec, got, c.want)
		}
	}
}

// An editor given with arguments gets the file, spaces and all, as its
// last argument.
func TestCommandRunsThroughShell(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a file")
	cmd := Command(context.Background(), `sh -c 'printf edited > "$1"' sh`, file)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("running the editor: %v\n%s", err, out)
	}
	got, err := os.ReadFile(file)
	if err != nil || string(got) != "edited" {
		t.Fatalf("the editor wrote %q (%v), want %q", got, err, "edited")
	}
}

// TestMissingWait: a known graphical launcher without its wait flag is
// told apart from one with it, and from any other editor.
func TestMissingWait(t *testing.T) {
	for spec, want := range map[string]string{
		"code":                             "--wait",
		"code -n":                          "--wait",
		"/usr/local/bin/code":              "--wait",
		`"C:\Program Files\Code\code.exe"`: "--wait",
		"codium --new-window":              "--wait",
		"subl":                             "-w",
		"subl -n":                          "-w",
		"gvim":                             "-f",
		"gvim -font x":                     "-f",
		"open -a TextEdit":                 "-W",
		"idea.sh":                          "--wait",
		"gedit":                            "-s",

		"code --wait":            "",
		"code -w":                "",
		"subl -nw":               "",
		"subl --wait":            "",
		"gvim -f":                "",
		"gvim --nofork":          "",
		"open -W -n -a TextEdit": "",
		"gedit -s":               "",
		"kate --block":           "",
		"true":                   "",
		"vim":                    "",
		"nano":                   "",
		"emacsclient -t":         "",
		"sed -i s/a/b/":          "",
		"":                       "",
	} {
		if got := MissingWait(spec); got != want {
			t.Errorf("MissingWait(%q) = %q, want %q", spec, got, want)
		}
	}
}
