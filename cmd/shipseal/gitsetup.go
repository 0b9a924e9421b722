package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newGitCommand) }

type gitSetupOptions struct {
	patterns []string
	command  string
}

func newGitCommand(s *streams) *cobra.Command {
	git := &cobra.Command{
		Use:   "git",
		Short: "Git integration: readable diffs of encrypted files",
		Long: `Git integration. "shipseal git setup" makes git diff, git log -p and git
show print encrypted files decrypted, with their secrets masked (through
"shipseal textconv"). See docs/git.md. jet has no equivalent.`,
		Example: `  shipseal git setup && git diff HEAD~1 -- env.encrypted`,
		Args:    subcommandArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	opts := &gitSetupOptions{}
	setup := &cobra.Command{
		Use:   "setup",
		Short: "Make git diff show encrypted files decrypted, secrets masked",
		Long: `Set up the git repository in the current directory so that "git diff",
"git log -p" and "git show" show encrypted files through "shipseal
textconv": decrypted, with secrets masked. It adds one line per pattern to
the .gitattributes at the top of the work tree (commit it, so everyone
shares it):

    *.encrypted diff=shipseal

and sets, in the repository's own .git/config (not shared by git):

    git config diff.shipseal.textconv "shipseal textconv"

Running it again changes nothing. See docs/git.md.`,
		Example: `  shipseal git setup
  shipseal git setup --pattern '*.encrypted' --pattern 'secrets/*'
  shipseal git setup --command "$HOME/bin/shipseal textconv"`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runGitSetup(s, opts) },
	}
	setup.Flags().StringArrayVar(&opts.patterns, "pattern", []string{"*.encrypted"}, "a gitattributes pattern of encrypted files (repeatable)")
	setup.Flags().StringVar(&opts.command, "command", "shipseal textconv", "the textconv command git runs")
	git.AddCommand(setup)
	return git
}

func runGitSetup(s *streams, opts *gitSetupOptions) error {
	for _, p := range opts.patterns {
		if p == "" || strings.ContainsAny(p, " \t\n") {
			return usageErrorf("invalid --pattern %q: a gitattributes pattern is one word", p)
		}
	}
	top, err := gitRun("", "rev-parse", "--show-toplevel")
	if err != nil {
		return withHint(fmt.Errorf("not in a git work tree: %w", err), "run it inside the repository that holds the encrypted files")
	}
	top = strings.TrimSpace(top)
	attrs := filepath.Join(top, ".gitattributes")
	old, err := os.ReadFile(attrs)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return inputError(attrs, err)
	}
	have := map[string]bool{}
	for _, l := range strings.Split(string(old), "\n") {
		have[strings.Join(strings.Fields(l), " ")] = true
	}
	var add bytes.Buffer
	for _, p := range opts.patterns {
		line := p + " diff=shipseal"
		if !have[line] {
			add.WriteString(line + "\n")
			have[line] = true
		}
	}
	if add.Len() > 0 {
		content := old
		if len(content) > 0 && !bytes.HasSuffix(content, []byte("\n")) {
			content = append(content, '\n')
		}
		content = append(content, add.Bytes()...)
		if err := atomicfile.WriteFile(attrs, content, 0o666, atomicfile.KeepMode()); err != nil {
			return writingError(attrs, err)
		}
		for _, l := range strings.Split(strings.TrimSpace(add.String()), "\n") {
			infof(s.err, "added to .gitattributes: %s", l)
		}
	} else {
		infof(s.err, ".gitattributes already has the patterns")
	}
	if _, err := gitRun(top, "config", "--local", "diff.shipseal.textconv", opts.command); err != nil {
		return fmt.Errorf("setting diff.shipseal.textconv: %w", err)
	}
	infof(s.err, "set diff.shipseal.textconv to %q in .git/config; commit .gitattributes to share it", opts.command)
	return nil
}

// gitRun runs git in dir ("" for the current directory) and returns its
// output; an error holds git's own message.
func gitRun(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return "", errors.New(msg)
		}
		return "", err
	}
	return string(out), nil
}
