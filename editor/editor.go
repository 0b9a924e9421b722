// Package editor finds and runs the user's text editor the way git does:
// $VISUAL (only on a capable terminal), then $EDITOR, then vi; a value with
// spaces or shell syntax in it ("code --wait") is run by the shell with the
// file as its last argument.
package editor

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Default is the editor used when neither $VISUAL nor $EDITOR is set.
const Default = "vi"

// Find returns the editor command line from getenv (os.Getenv when nil):
// $VISUAL, then $EDITOR, then Default. As git does, $VISUAL (a full-screen
// editor) is skipped when $TERM is unset or "dumb": such a terminal
// (an Emacs shell buffer, a CI log) cannot show it, and $EDITOR is meant
// for it.
func Find(getenv func(string) string) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	vars := []string{"VISUAL", "EDITOR"}
	if term := getenv("TERM"); term == "" || term == "dumb" {
		vars = vars[1:]
	}
	for _, v := range vars {
		if e := strings.TrimSpace(getenv(v)); e != "" {
			return e
		}
	}
	return Default
}

// shellChars are the characters that make git hand a command to the
// shell instead of running it directly.
const shellChars = "|&;<>()$`\\\"' \t\n*?[#~=%"

// Command returns the command that edits file with the editor command line
// spec. Cancelling ctx sends the editor SIGTERM (and SIGKILL if it is still
// running 5 seconds later).
func Command(ctx context.Context, spec, file string) *exec.Cmd {
	var cmd *exec.Cmd
	if strings.ContainsAny(spec, shellChars) {
		// "$@" passes the file as one word, whatever it holds.
		cmd = exec.CommandContext(ctx, "/bin/sh", "-c", spec+` "$@"`, spec, file)
	} else {
		cmd = exec.CommandContext(ctx, spec, file)
	}
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// launchers are the graphical editors whose command returns at once,
// having handed the file to a window, unless it is given a wait flag: the
// flags that make it wait, the first of them the one to suggest.
var launchers = map[string][]string{
	"code": {"--wait", "-w"}, "code-insiders": {"--wait", "-w"}, "codium": {"--wait", "-w"},
	"cursor": {"--wait", "-w"}, "windsurf": {"--wait", "-w"},
	"subl": {"-w", "--wait"}, "sublime_text": {"-w", "--wait"},
	"atom": {"--wait", "-w"}, "zed": {"--wait", "-w"}, "mate": {"-w", "--wait"},
	"gedit": {"-s", "--standalone", "-w", "--wait"}, "kate": {"-b", "--block"},
	"gvim": {"-f", "--nofork"}, "mvim": {"-f", "--nofork"},
	"open": {"-W", "--wait-apps"},
	"idea": {"--wait"}, "pycharm": {"--wait"}, "webstorm": {"--wait"}, "goland": {"--wait"},
	"phpstorm": {"--wait"}, "rubymine": {"--wait"}, "clion": {"--wait"}, "rider": {"--wait"},
}

// MissingWait returns the wait flag that spec, an editor command line,
// lacks, when it runs a known graphical launcher without one ("code" and
// not "code --wait"), or "". Such an editor returns before the user has
// typed anything, and what is typed in its window later is lost. Any other
// editor that returns at once without saving is a script's no-op, or a
// user who left without changing the file.
func MissingWait(spec string) string {
	spec = strings.TrimSpace(spec)
	var program string
	var words []string
	if q := spec[:min(len(spec), 1)]; q == `"` || q == "'" {
		// A quoted program: "C:\Program Files\Microsoft VS Code\Code.exe".
		program, spec, _ = strings.Cut(spec[1:], q)
		words = strings.Fields(spec)
	} else if words = strings.Fields(spec); len(words) > 0 {
		program, words = words[0], words[1:]
	}
	if i := strings.LastIndexAny(program, `/\`); i >= 0 {
		program = program[i+1:]
	}
	name := strings.ToLower(program)
	name = strings.TrimSuffix(strings.TrimSuffix(name, ".exe"), ".cmd")
	name = strings.TrimSuffix(name, ".sh") // idea.sh
	flags, ok := launchers[name]
	if !ok {
		return ""
	}
	for _, w := range words {
		for _, f := range flags {
			if w == f || strings.HasPrefix(w, f+"=") {
				return ""
			}
			// Short flags run together: subl -nw (not -font).
			if len(f) == 2 && len(w) == 3 && w[0] == '-' && w[1] != '-' && strings.ContainsRune(w[1:], rune(f[1])) {
				return ""
			}
		}
	}
	return flags[0]
}
