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
