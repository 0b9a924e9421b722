package main

import (
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
	return projectkey.Finder{Path: k.path}.Find()
}
