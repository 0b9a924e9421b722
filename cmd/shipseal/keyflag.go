package main

import (
	"errors"

	"github.com/shipseal/shipseal/projectkey"
	"github.com/spf13/pflag"
)

// keyOptions is the --key-path flag shared by every command that needs the
// project key.
type keyOptions struct{ path string }

func (k *keyOptions) register(fs *pflag.FlagSet) {
	fs.StringVar(&k.path, "key-path", "", "the project key file (default: $SHIPSEAL_KEY, $SHIPSEAL_KEY_PATH, ./codeship.aes, then codeship.aes at the git root)")
}

func (k *keyOptions) find() (*projectkey.Found, error) {
	found, err := projectkey.Finder{Path: k.path}.Find()
	if errors.Is(err, projectkey.ErrEnvKey) {
		return nil, withHint(err, "$%s must hold the base64 text of a 32-byte key, exactly as Codeship's project settings give it "+
			"(a key file's content, not its path: a path goes in $%s)", projectkey.EnvKey, projectkey.EnvKeyPath)
	}
	return found, err
}
