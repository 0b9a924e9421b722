package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/internal/shellquote"
	"github.com/shipseal/shipseal/validate"
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newValidateCommand) }

type validateOptions struct {
	key   keyOptions
	flags validateFlags
	quiet bool
}

func newValidateCommand(s *streams) *cobra.Command {
	opts := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate FILE|DIR...",
		Short: "Check dockercfg and env files, plain or encrypted",
		Long: `Validate dockercfg and env files. An encrypted file is decrypted in memory,
never on disk; if it does not decrypt to valid content, validate says whether
the key is wrong or the content is malformed, where, and how to fix it.
Secrets are never printed.

Each FILE gets its verdict on standard output, in order: its diagnostics,
"FILE: ok (KIND)" when it is valid, or "FILE: skipped: ..." when it is
neither a dockercfg nor an env file (--type says which; with --strict,
such a file is an error). A JSON file is a dockercfg when its name says so
(*dockercfg*, config.json) or it has docker's fields; another program's
JSON is skipped. A file that cannot be read is that file's error (EN007),
and the other files are still checked. A file named *.encrypted, *.enc or
*.aes that holds plaintext, or nothing, is an error (EN001): Codeship
cannot decrypt it. --format json is described in docs/cli.md.

A directory is walked: the dockercfg, env and encrypted files in it, by
their names, are validated, other files skipped silently; version control
directories are skipped and links to directories not followed. A key file
such as codeship.aes met there, or among several FILEs (validate *), is a
warning; named alone, it is a usage error.

Exit codes: 0 valid, 5 invalid content, 4 cannot decrypt (wrong key,
corrupt, not encrypted), 1 a FILE cannot be read, 2 usage (also a key
file such as codeship.aes given alone as FILE), 3 key missing or
malformed. When files fail differently, the code is the first of 2, 1, 4,
5 that one of them has.`,
		Example: `  # before "jet encrypt", or after Codeship said "Failed to parse dockercfg"
  shipseal validate dockercfg.encrypted
  shipseal validate .env app.env   # .env as compose reads it, app.env as docker run --env-file
  shipseal validate --format json docker/config.json
  shipseal validate .              # every dockercfg, env and encrypted file in the project`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runValidate(s, opts, args) },
	}
	f := cmd.Flags()
	opts.key.register(f, s)
	opts.flags.bind(f, true, "auto")
	f.BoolVarP(&opts.quiet, "quiet", "q", false, "print only problems: no \"ok\" or \"skipped\" lines")
	return cmd
}

func runValidate(s *streams, opts *validateOptions, args []string) error {
	vopts, err := opts.flags.options()
	if err != nil {
		return err
	}
	var key *crypto.Key
	vopts.NoKeyIsError = true
	vopts.Key = func() (*crypto.Key, error) {
		if key == nil {
			found, err := opts.key.find()
			if err != nil {
				return nil, err
			}
			key = found.Key
		}
		return key, nil
	}
	vopts.Explicit = true
	reports := make([]*diag.Report, 0, len(args))
	code := exitOK
	add := func(r *diag.Report) {
		if r != nil {
			reports = append(reports, r)
			code = worseExit(code, reportExit(r))
		}
	}
	// A key file named alone is a usage error; met among several FILEs
	// (validate *) or in a directory, it is a warning.
	met := len(args) > 1
	for _, name := range args {
		if isDir(name) {
			found := 0
			err := validate.Walk(name, func(path string, err error) error {
				found++
				if err != nil {
					add(validate.Unreadable(path, err))
					return nil
				}
				r, err := validateFile(s, path, vopts, fileMet)
				add(r)
				return err
			})
			if err != nil {
				return err // the key: no file can be checked without it
			}
			if found == 0 {
				warnf(s.err, "%s holds no dockercfg, env or encrypted file that validate knows by its name: nothing was checked; name a file to check it whatever its name", shellquote.Quote(name))
			}
			continue
		}
		how := fileNamed
		if met {
			how = fileAmong
		}
		r, err := validateFile(s, name, vopts, how)
		if err != nil {
			return err // the key: no file can be checked without it
		}
		add(r)
	}
	if opts.flags.json() {
		if err := opts.flags.write(s.out, reports); err != nil {
			return err
		}
	} else {
		for _, r := range reports {
			if err := writeVerdict(s.out, r, opts.quiet); err != nil {
				return err
			}
		}
	}
	if code != exitOK {
		return exitError{code: code}
	}
	return nil
}

// keyFileHint is what to do instead of validating the key file.
const keyFileHint = "validate the files encrypted with it (such as dockercfg.encrypted); shipseal finds the key by itself, or takes it with --key-path"

// How a file came to be validated: named alone, named among other FILEs
// (validate *), or met in a directory that validate walks.
const (
	fileNamed = iota
	fileAmong
	fileMet
)

// isDir reports whether the FILE name is a directory (or a link to one).
func isDir(name string) bool {
	if name == stdio {
		return false
	}
	st, err := os.Stat(name)
	return err == nil && st.IsDir()
}

// validateFile reads and validates one FILE: a file that cannot be read,
// or is a key file, has a report that says so. A key file named alone is
// an error (EN008, exit 2: the wrong file was named); one named among
// others or met in a directory is a warning. A file met in a directory
// that turns out to be another program's (validate.Foreign) has no
// report. The error is the project key's (missing, malformed), which no
// file can be checked without.
func validateFile(s *streams, name string, vopts validate.Options, how int) (*diag.Report, error) {
	shown := displayName(name)
	var data []byte
	var err error
	if name == stdio {
		data, err = io.ReadAll(s.in)
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return validate.Unreadable(shown, err), nil
	}
	if how == fileMet && validate.Foreign(name, data) {
		return nil, nil
	}
	if name != stdio {
		vopts.Path = name
	}
	r, err := validate.File(shown, data, vopts)
	var kf *validate.KeyFileError
	if errors.As(err, &kf) {
		if how != fileNamed {
			return keyWarning(kf), nil
		}
		return kf.Report(keyFileHint), nil
	}
	return r, err
}

// keyWarning is the report on a key file met among other files: in a
// walked directory, or among the FILEs of a glob in a Codeship project's
// root, where codeship.aes belongs (git-ignored). Nothing in it is
// validated; it is a warning, not an error, even with --strict.
func keyWarning(kf *validate.KeyFileError) *diag.Report {
	what := "an AES key"
	if kf.Project {
		what = "the project key"
	}
	r := &diag.Report{File: kf.Name, Kind: "key"}
	r.Add(diag.Warnf(validate.CodeKeyFile, diag.Position{}, "", "skipped: this is %s; keep it out of the repository", diag.Phrase(what)))
	return r
}

// reportExit is the exit code one file's report calls for.
func reportExit(r *diag.Report) int {
	for _, d := range r.Diagnostics {
		switch {
		case d.Severity != diag.Error:
		case d.Code == validate.CodeKeyFile:
			return exitUsage
		case d.Code == validate.CodeUnreadable:
			return exitFailure
		}
	}
	switch {
	case r.WrongKey():
		return exitDecrypt
	case !r.Valid():
		return exitInvalid
	}
	return exitOK
}

// exitRank orders the exit codes of files that fail differently: the less
// of a file could be looked at, the more its code says. A key file named
// by mistake (usage) beats a file that cannot be read, which beats one
// that cannot be decrypted, which beats content found invalid.
var exitRank = map[int]int{exitOK: 0, exitInvalid: 1, exitDecrypt: 2, exitFailure: 3, exitUsage: 4}

func worseExit(a, b int) int {
	if exitRank[b] > exitRank[a] {
		return b
	}
	return a
}

// writeVerdict prints one file's diagnostics, then "ok" when it is valid
// or "skipped" when it was not validated; quiet leaves those two out.
func writeVerdict(w io.Writer, r *diag.Report, quiet bool) error {
	var err error
	switch {
	case validate.Skipped(r):
		if !quiet {
			what := "neither a dockercfg nor an env file"
			if r.Encrypted {
				what = "decrypted, it is " + what
			}
			_, err = fmt.Fprintf(w, "%s: skipped: %s (use --type to say which)\n", r.File, what)
		}
	case r.Kind == "key":
		err = diag.WriteText(w, []*diag.Report{r}) // a key file met among others: no "ok"
	case r.Valid():
		if err = diag.WriteText(w, []*diag.Report{r}); err == nil && !quiet {
			_, err = fmt.Fprintf(w, "%s: ok (%s%s)\n", r.File, r.Kind, encryptedNote(r))
		}
	default:
		err = diag.WriteText(w, []*diag.Report{r})
	}
	return err
}

// keyFileError makes a *validate.KeyFileError a usage error (exit 2): the
// key was named where a file to verb goes. Other errors pass unchanged.
func keyFileError(err error, verb, hint string) error {
	var kf *validate.KeyFileError
	if !errors.As(err, &kf) {
		return err
	}
	return withHint(usageErrorf("%w; nothing to %s", err, verb), "%s", hint)
}

func encryptedNote(r *diag.Report) string {
	if !r.Encrypted {
		return ""
	}
	return fmt.Sprintf(", encrypted v%d", r.Version)
}

// readAll reads a named file or standard input.
func readAll(s *streams, name string) ([]byte, error) {
	if name == stdio {
		return io.ReadAll(s.in)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, inputError(name, err)
	}
	return data, nil
}
