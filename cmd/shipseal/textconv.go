package main

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/projectkey"
	"github.com/shipseal/shipseal/validate"
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newTextconvCommand) }

type textconvOptions struct {
	key     keyOptions
	reveal  bool
	kind    string
	dialect string
}

func newTextconvCommand(s *streams) *cobra.Command {
	opts := &textconvOptions{}
	cmd := &cobra.Command{
		Use:   "textconv FILE",
		Short: "Print an encrypted file's content with its secrets masked, for git diff",
		Long: `Print what FILE holds, decrypted in memory, with every secret replaced by
****: a dockercfg's auth, password and token values, an env file's values.
Registry names, user names and variable names stay visible, so that a
review shows what changed. Content that is neither a dockercfg nor an env
file is not shown at all, only its size. --reveal prints everything.

Made for git's diff.shipseal.textconv (set up by "shipseal git setup"; see
docs/git.md). It does not fail a diff: without the key, or with a key
that does not decrypt the file, it prints a one-line summary instead. A
file named as encrypted (*.encrypted, *.enc, *.aes) that holds plaintext
is shown masked after a first line saying that it is not encrypted; an
empty one is that line alone.`,
		Example: `  shipseal textconv dockercfg.encrypted
  shipseal textconv --reveal env.encrypted
  git config diff.shipseal.textconv "shipseal textconv"   # what git setup does`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("textconv takes exactly one FILE, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runTextconv(s, opts, args[0]) },
	}
	f := cmd.Flags()
	opts.key.register(f, s)
	f.BoolVar(&opts.reveal, "reveal", false, "print the secrets too")
	f.StringVar(&opts.kind, "type", "auto", "what the file holds: auto, dockercfg or env")
	f.StringVar(&opts.dialect, "dialect", "auto", dialectUsage)
	return cmd
}

func runTextconv(s *streams, opts *textconvOptions, name string) error {
	vopts, err := validationOptions(opts.kind, opts.dialect, false)
	if err != nil {
		return err
	}
	data, err := readAll(s, name)
	if err != nil {
		return err
	}
	plain := data
	var key *crypto.Key
	if validate.IsEncrypted(data) {
		env, err := crypto.Inspect(bytes.NewReader(data))
		if err != nil {
			fmt.Fprintf(s.out, "# shipseal: not a valid encrypted file (%v)\n", err)
			return nil
		}
		found, err := opts.key.find()
		if err != nil {
			if errors.Is(err, projectkey.ErrNoKey) {
				fmt.Fprintf(s.out, "# shipseal: encrypted %v file, %d bytes of plaintext; no key here to show it\n", env.Version, env.PlaintextSize)
				return nil
			}
			return err
		}
		key = found.Key
		plain, _, err = decryptText(data, key)
		if err != nil {
			fmt.Fprintf(s.out, "# shipseal: encrypted %v file that %v does not decrypt (another key, or a corrupt file)\n", env.Version, key)
			return nil
		}
	} else if err := validate.CheckNamed(name, data); err != nil {
		// Shown masked, it would read as the decrypted content of an
		// encrypted file. The note does not name the file: git gives
		// textconv one side of a diff under a temporary name.
		var ne *validate.NotEncryptedError
		if errors.As(err, &ne) && ne.Empty {
			fmt.Fprintf(s.out, "# shipseal: named as an encrypted file but empty: Codeship cannot decrypt it\n")
			return nil
		}
		fmt.Fprintf(s.out, "# shipseal: named as an encrypted file but not encrypted: Codeship cannot decrypt it\n")
	}
	if opts.reveal {
		_, err := s.out.Write(plain)
		return err
	}
	_, err = s.out.Write(maskedText(name, plain, vopts))
	return err
}

// maskedText is plain with its secrets masked, or a summary when shipseal
// cannot tell which parts are secret.
func maskedText(name string, plain []byte, vopts validate.Options) []byte {
	r := validate.Plain(name, plain, vopts, nil)
	if (r.Kind == string(validate.Dockercfg) || r.Kind == string(validate.Env)) && r.Source != nil {
		return r.Source.Masked()
	}
	return fmt.Appendf(nil, "# shipseal: %d bytes, %d lines, neither a dockercfg nor an env file: hidden (textconv --reveal shows it)\n",
		len(plain), bytes.Count(plain, []byte("\n")))
}
