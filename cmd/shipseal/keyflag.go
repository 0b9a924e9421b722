package main

import (
	"errors"
	"io"

	"github.com/shipseal/shipseal/projectkey"
	"github.com/spf13/pflag"
)

// keyOptions is the --key-path flag shared by every command that needs the
// project key.
type keyOptions struct {
	path string
	// flag is the flag's name in messages when it is not --key-path.
	flag string
	// stderr is the command's error stream, for the lookup's warning.
	stderr io.Writer

	// The first find's answer, kept so that a command asking again (once
	// per file) warns once and reads the key once.
	looked bool
	found  *projectkey.Found
	err    error
}

// register adds --key-path to fs; s is the command's streams, where find
// warns.
func (k *keyOptions) register(fs *pflag.FlagSet, s *streams) {
	k.stderr = s.err
	fs.StringVar(&k.path, "key-path", "", "the project key file (default: $SHIPSEAL_KEY, $SHIPSEAL_KEY_PATH, ./codeship.aes, then codeship.aes at the git root)")
}

// find looks the key up by the rule of every command (docs/cli.md, "The
// key"). Its one warning goes to the command's stderr (see register).
func (k *keyOptions) find() (*projectkey.Found, error) {
	if !k.looked {
		k.looked = true
		if k.stderr == nil {
			panic("shipseal: internal error: keyOptions.find before register gave it the command's streams")
		}
		k.found, k.err = projectkey.Finder{
			Path:  k.path,
			Flag:  k.flag,
			Warnf: func(format string, args ...any) { warnf(k.stderr, format, args...) },
		}.Find()
		k.err = keyHint(k.err)
	}
	return k.found, k.err
}

// keyHint gives the advice for a malformed $SHIPSEAL_KEY, which the
// default one (about a key file) does not fit.
func keyHint(err error) error {
	if errors.Is(err, projectkey.ErrEnvKey) {
		return withHint(err, "$%s must hold the base64 text of a 32-byte key, exactly as Codeship's project settings give it "+
			"(a key file's content, not its path: a path goes in $%s)", projectkey.EnvKey, projectkey.EnvKeyPath)
	}
	return err
}
