package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/internal/shellquote"
	"github.com/shipseal/shipseal/projectkey"
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newKeygenCommand) }

type keygenOptions struct {
	output string
	force  bool
}

func newKeygenCommand(s *streams) *cobra.Command {
	opts := &keygenOptions{}
	cmd := &cobra.Command{
		Use:   "keygen [-o PATH]",
		Short: "Create a new project key",
		Long: `Create a new random 32-byte AES key, written base64-encoded with mode 0600.
It prints the key's fingerprint, never the key (unless the output is "-").

A Codeship project already has a key: download it from the project's settings
instead. Use keygen for tests, for other CI systems, and to rotate keys
(see "shipseal rekey").`,
		Example: `  shipseal keygen                  # writes ./codeship.aes
  shipseal keygen -o ci/codeship.aes
  shipseal keygen -o - | vault kv put secret/ci key=-`,
		Args: keygenArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runKeygen(s, opts) },
	}
	cmd.Flags().StringVarP(&opts.output, "output", "o", projectkey.DefaultName, `where to write the key ("-" for standard output)`)
	cmd.Flags().BoolVar(&opts.force, "force", false, "replace an existing key file")
	return cmd
}

// keygenArgs refuses arguments, guessing that one is where the key should
// go: jet users and age-keygen users both write the output as an argument.
func keygenArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return withHint(usageErrorf("unexpected argument %q", args[0]),
			"did you mean `shipseal keygen -o %s`?", shellquote.Quote(args[0]))
	}
	return nil
}

func runKeygen(s *streams, opts *keygenOptions) error {
	key, err := crypto.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	if opts.output == stdio {
		_, err := s.out.Write(key.Encode())
		return err
	}
	if st, err := os.Stat(opts.output); err == nil && st.IsDir() {
		// --force cannot help: a key never replaces a directory.
		return withHint(fmt.Errorf("%s is a directory: keygen writes a key file", opts.output),
			"name the file: `shipseal keygen -o %s`", shellquote.Quote(filepath.Join(opts.output, projectkey.DefaultName)))
	}
	var o []atomicfile.Option
	if !opts.force {
		o = append(o, atomicfile.NoClobber())
	}
	if err := atomicfile.WriteFile(opts.output, key.Encode(), 0o600, o...); err != nil {
		if errors.Is(err, fs.ErrExist) {
			// Not err itself: it would say "already exists" twice.
			return withHint(fmt.Errorf("%s already exists; keygen does not replace a key", opts.output),
				"files encrypted with that key become unreadable without it: pass --force if you really mean to replace it, or -o PATH to write elsewhere")
		}
		return err
	}
	infof(s.err, "wrote a new key to %s (%v)", opts.output, key)
	if line := notIgnoredLine(opts.output); line != "" {
		warnf(s.err, "git does not ignore %s: once committed, anyone who can read the repository can decrypt its secrets", opts.output)
		fmt.Fprintf(s.err, "shipseal: hint: add this line to the .gitignore at the root of the repository: %s\n", line)
	}
	return nil
}

// notIgnoredLine returns the .gitignore line that would ignore the file at
// name when name is in a git work tree that does not ignore it, and ""
// otherwise: outside a work tree, when git is not installed, or when git
// fails. Only a key that git would commit costs a second git run.
func notIgnoredLine(name string) string {
	if _, err := exec.LookPath("git"); err != nil {
		return ""
	}
	dir, base := filepath.Split(name)
	if dir == "" {
		dir = "."
	}
	// Exit 0: ignored; 1: not ignored; 128: not a work tree, or an error.
	check := exec.Command("git", "check-ignore", "-q", "--", base)
	check.Dir = dir
	var ee *exec.ExitError
	if err := check.Run(); !errors.As(err, &ee) || ee.ExitCode() != 1 {
		return ""
	}
	prefix := exec.Command("git", "rev-parse", "--show-prefix")
	prefix.Dir = dir
	out, err := prefix.Output()
	if err != nil {
		return ""
	}
	return "/" + gitignoreEscape(strings.TrimSuffix(string(out), "\n")+base)
}

// gitignoreEscape escapes the characters that a .gitignore pattern would
// read as wildcards, so that the line matches name only.
func gitignoreEscape(name string) string {
	var b strings.Builder
	for _, r := range name {
		if strings.ContainsRune(`\*?[`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
