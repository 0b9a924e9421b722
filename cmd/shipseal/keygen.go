package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/crypto"
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
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runKeygen(s, opts) },
	}
	cmd.Flags().StringVarP(&opts.output, "output", "o", projectkey.DefaultName, `where to write the key ("-" for standard output)`)
	cmd.Flags().BoolVar(&opts.force, "force", false, "replace an existing key file")
	return cmd
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
	return nil
}
