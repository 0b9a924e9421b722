package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/validate"
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newValidateCommand) }

type validateOptions struct {
	key   keyOptions
	flags validateFlags
}

func newValidateCommand(s *streams) *cobra.Command {
	opts := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check dockercfg and env files, plain or encrypted",
		Long: `Validate dockercfg and env files. An encrypted file is decrypted in memory,
never on disk; if it does not decrypt to valid content, validate says whether
the key is wrong or the content is malformed, where, and how to fix it.
Secrets are never printed.

Exit codes: 0 valid, 2 usage (a key file such as codeship.aes given as FILE),
3 key missing or malformed, 4 cannot decrypt (wrong key, corrupt), 5 invalid
content.`,
		Example: `  # before "jet encrypt", or after Codeship said "Failed to parse dockercfg"
  shipseal validate dockercfg.encrypted
  shipseal validate --type env --dialect compose .env
  shipseal validate --format json docker/config.json`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runValidate(s, opts, args) },
	}
	f := cmd.Flags()
	opts.key.register(f)
	opts.flags.bind(f, true, "docker")
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
	var reports []*diag.Report
	for _, name := range args {
		data, err := readAll(s, name)
		if err != nil {
			return err
		}
		r, err := validate.File(displayName(name), data, vopts)
		if err != nil {
			return keyFileError(err, "validate", "validate the files encrypted with it (such as dockercfg.encrypted); shipseal finds the key by itself, or takes it with --key-path")
		}
		reports = append(reports, r)
	}
	if err := opts.flags.write(s.out, reports); err != nil {
		return err
	}
	code := exitOK
	for _, r := range reports {
		switch {
		case r.WrongKey():
			code = exitDecrypt
		case !r.Valid() && code == exitOK:
			code = exitInvalid
		}
	}
	if code != exitOK {
		return exitError{code: code}
	}
	if !opts.flags.json() {
		for _, r := range reports {
			fmt.Fprintf(s.err, "%s: ok (%s%s)\n", r.File, r.Kind, encryptedNote(r))
		}
	}
	return nil
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
