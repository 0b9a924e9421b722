package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/precommit"
	"github.com/shipseal/shipseal/projectkey"
	"github.com/shipseal/shipseal/validate"
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newCheckCommand) }

type checkOptions struct {
	key   keyOptions
	all   bool
	allow []string
	flags validateFlags
}

func newCheckCommand(s *streams) *cobra.Command {
	opts := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check [FILE...]",
		Short: "Stop broken or leaked secrets before they are committed (the pre-commit hook)",
		Long: `Check files before they are committed: the FILEs given (as the pre-commit
framework passes them), else the files staged in git (their staged content,
read from the index), or with --all every tracked file (as in the work tree).

Encrypted files are validated in memory with the project key when there is
one (a file encrypted with another project's key is an error); without a key
only their envelope is checked, and a note says that their content was not.
Plaintext dockercfg and env files are validated like "shipseal validate".
Hygiene rules stop leaks:

` + hygieneRules() + `
Allow an exception with --allow CODE:GLOB, or in an env file with a comment:
"# shipseal:allow CODE" (the next line) or "# shipseal:allow-file CODE".
Secrets are never printed. See docs/pre-commit.md.

Exit codes: 0 fit to commit (warnings allowed), 5 errors found (including a
file encrypted with another key), 3 the project key is malformed or the
--key-path or $SHIPSEAL_KEY_PATH file does not exist, 2 usage (no FILE
outside a git repository), 1 failure (git, or a file that cannot be read:
that file's error, EN007, and the other files are still checked).`,
		Example: `  shipseal check                      # the staged files, as the git hook does
  shipseal check --all                # every tracked file, in CI
  shipseal check --allow 'CK003:testdata/**' --allow EV016:example.env
  shipseal hook install               # run it before every commit`,
		RunE: func(cmd *cobra.Command, args []string) error { return runCheck(s, opts, args) },
	}
	f := cmd.Flags()
	opts.key.register(f, s)
	f.BoolVar(&opts.all, "all", false, "check every tracked file (in CI) instead of the staged ones")
	f.StringArrayVar(&opts.allow, "allow", nil, "allow diagnostic CODE (or * for all) on files matching GLOB: CODE:GLOB (repeatable)")
	opts.flags.bind(f, false, "auto")
	return cmd
}

// hygieneRules lists precommit's rules for the help, from precommit's own
// table so that a new rule cannot be left out.
func hygieneRules() string {
	var b strings.Builder
	for _, c := range precommit.Codes {
		fmt.Fprintf(&b, "  %s  %s\n", c.Code, c.Title)
	}
	return b.String()
}

// checkInput is one file to check and how to read it.
type checkInput struct {
	name string // as displayed and matched by --allow
	link bool   // a symbolic link: read gives its target's path
	read func() ([]byte, error)
}

func runCheck(s *streams, opts *checkOptions, args []string) error {
	vopts, err := opts.flags.options()
	if err != nil {
		return err
	}
	if opts.all && len(args) > 0 {
		return usageErrorf("give either files or --all, not both")
	}
	var allows []precommit.Allow
	for _, a := range opts.allow {
		rule, err := precommit.ParseAllow(a)
		if err != nil {
			return usageError{err}
		}
		allows = append(allows, rule)
	}
	var (
		key    *crypto.Key
		keyErr error
		looked bool
	)
	vopts.Key = func() (*crypto.Key, error) {
		if !looked {
			looked = true
			var found *projectkey.Found
			found, keyErr = opts.key.find()
			switch {
			case keyErr == nil:
				key = found.Key
			case errors.Is(keyErr, projectkey.ErrNoKey) && (opts.key.path != "" || os.Getenv(projectkey.EnvKeyPath) != ""):
				// A key named explicitly must be there: without it the
				// check would pass on envelopes alone, silently.
				keyErr = withHint(exitError{code: exitKey, msg: keyErr.Error()}, "%s", defaultHint(keyErr))
			}
		}
		return key, keyErr
	}
	checker := &precommit.Checker{Validate: vopts, Allow: allows}

	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	repo, repoErr := precommit.OpenRepo(wd)
	var inputs []checkInput
	switch {
	case len(args) > 0:
		for _, name := range args {
			inputs = append(inputs, checkInput{name: filepath.ToSlash(name), read: func() ([]byte, error) { return checkReadFile(name) }})
		}
	case repoErr != nil:
		return withHint(usageErrorf("nothing to check: %w", repoErr),
			"run shipseal check inside a git repository (it checks the staged files), or name the files to check")
	default:
		inputs, err = repoInputs(repo, checker, opts.all)
		if err != nil {
			return err
		}
		if !opts.all {
			ir, err := repo.ReadIndex()
			if err != nil {
				return err
			}
			defer ir.Close()
			for i := range inputs {
				name := inputs[i].name
				inputs[i].read = func() ([]byte, error) { data, _, err := ir.Read(name); return data, err }
			}
		}
	}

	var reports []*diag.Report
	unread := 0
	for _, in := range inputs {
		data, err := in.read()
		if errors.Is(err, errCheckDeleted) {
			if opts.all {
				continue // deleted in the work tree, not yet in the index
			}
			err = unreadable{fs.ErrNotExist}
		}
		var ue unreadable
		if errors.As(err, &ue) {
			// That file's error (EN007): the others are still checked.
			reports = append(reports, validate.Unreadable(in.name, ue.err))
			unread++
			continue
		}
		if err != nil {
			return err
		}
		check := checker.Check
		if in.link {
			check = checker.CheckLink
		}
		r, err := check(in.name, data)
		if err != nil {
			return err
		}
		if r != nil {
			reports = append(reports, r)
		}
	}
	if repoErr == nil {
		r, err := repo.GitignoreReport(allows)
		if err != nil {
			return err
		}
		if r != nil {
			if opts.flags.strict {
				r.Promote()
			}
			reports = append(reports, r)
		}
	}
	return printCheck(s, opts, reports, len(inputs), unread)
}

// repoInputs lists the staged files (or with all, the tracked ones, read
// from the work tree), named relative to the repository's root, and tells
// the checker which files the project has for the plaintext twin rule.
func repoInputs(repo *precommit.Repo, checker *precommit.Checker, all bool) ([]checkInput, error) {
	tracked, err := repo.Tracked()
	if err != nil {
		return nil, err
	}
	files := tracked
	if !all {
		if files, err = repo.Staged(); err != nil {
			return nil, err
		}
	}
	known := map[string]bool{}
	for _, f := range tracked {
		known[f.Name] = true
	}
	checker.Exists = func(name string) bool {
		if known[name] {
			return true
		}
		_, err := os.Stat(filepath.Join(repo.Root, filepath.FromSlash(name)))
		return err == nil
	}
	inputs := make([]checkInput, len(files))
	for i, f := range files {
		path := filepath.Join(repo.Root, filepath.FromSlash(f.Name))
		read := func() ([]byte, error) { return checkReadFile(path) }
		if f.Link {
			read = func() ([]byte, error) {
				target, err := os.Readlink(path)
				if err != nil {
					// Not a link in this work tree (core.symlinks=false
					// writes the target into a file): its content.
					return checkReadFile(path)
				}
				return []byte(target), nil
			}
		}
		inputs[i] = checkInput{name: f.Name, link: f.Link, read: read}
	}
	return inputs, nil
}

// errCheckDeleted is a file that does not exist (any more).
var errCheckDeleted = errors.New("no such file")

// unreadable is a file that cannot be read from the work tree: that file's
// error, where a failure of git stops the check.
type unreadable struct{ err error }

func (e unreadable) Error() string { return e.err.Error() }
func (e unreadable) Unwrap() error { return e.err }

// checkReadFile reads the file at path, or returns nil content for one
// larger than precommit.MaxSize or not a regular file.
func checkReadFile(path string) ([]byte, error) {
	// Lstat: a symbolic link's content is a path, not a secret (and the
	// index holds it that way too).
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errCheckDeleted
	}
	if err != nil {
		return nil, unreadable{err}
	}
	if st.IsDir() {
		return nil, unreadable{syscall.EISDIR}
	}
	if st.Size() > precommit.MaxSize || !st.Mode().IsRegular() {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, unreadable{err}
	}
	if data == nil {
		data = []byte{} // empty, not unread
	}
	return data, nil
}

// printCheck prints the reports and ends the check: exit 1 when unread
// files could not be read (so they may hold anything), else 5 on errors.
func printCheck(s *streams, opts *checkOptions, reports []*diag.Report, checked, unread int) error {
	if err := opts.flags.write(s.out, reports); err != nil {
		return err
	}
	if unread > 0 {
		if opts.flags.json() {
			return exitError{code: exitFailure}
		}
		return exitError{code: exitFailure, msg: fmt.Sprintf("%d of %d %s could not be read, so %s not checked",
			unread, checked, checkPlural(checked, "file", "files"), checkPlural(unread, "it was", "they were"))}
	}
	bad := 0
	for _, r := range reports {
		if !r.Valid() {
			bad++
		}
	}
	if bad == 0 {
		if !opts.flags.json() {
			infof(s.err, "check: %d %s checked, no errors", checked, checkPlural(checked, "file", "files"))
		}
		return nil
	}
	if opts.flags.json() {
		return errContentInvalid
	}
	return withHint(exitError{code: exitInvalid, msg: fmt.Sprintf("%d of %d checked %s %s errors: fix them before committing",
		bad, checked, checkPlural(checked, "file", "files"), checkPlural(bad, "has", "have"))},
		"to allow an exception, use --allow CODE:GLOB, or a \"# shipseal:allow CODE\" comment in an env file (see docs/pre-commit.md)")
}

func checkPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
