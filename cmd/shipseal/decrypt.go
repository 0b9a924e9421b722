package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/validate"
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newDecryptCommand) }

type decryptOptions struct {
	key    keyOptions
	output string
	binary bool
}

// holdBack is how much v1 plaintext is checked before any is written: a
// wrong key is caught within it, so nothing at all reaches the output.
const holdBack = 64 << 10

func newDecryptCommand(s *streams) *cobra.Command {
	opts := &decryptOptions{}
	cmd := &cobra.Command{
		Use:   "decrypt [IN] [OUT]",
		Short: "Decrypt a file with the project key (jet decrypt)",
		Long: `Decrypt IN (v1 or v2, detected by its header) to OUT with the project key.
"-" or a missing argument means standard input or output. OUT is written with
mode 0600 and appears only when it is complete and its checksum matched.

v1 files have no checksum: shipseal checks that what it decrypted is text,
which catches a wrong key. Pass --binary for a v1 file that is not text.`,
		Example: `  # jet decrypt dockercfg.encrypted dockercfg.json
  shipseal decrypt dockercfg.encrypted dockercfg.json
  shipseal decrypt env.encrypted | grep -c =`,
		Args: maxArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error { return runDecrypt(cmd.Context(), s, opts, args) },
	}
	f := cmd.Flags()
	opts.key.register(f, s)
	f.StringVarP(&opts.output, "output", "o", "", "write to this file instead of OUT")
	f.BoolVar(&opts.binary, "binary", false, "do not require a v1 file's plaintext to be text")
	return cmd
}

func runDecrypt(ctx context.Context, s *streams, opts *decryptOptions, args []string) (err error) {
	inName, outName, err := inOut(args, opts.output)
	if err != nil {
		return err
	}
	defer func() { err = outputLeft(err, outName) }()
	found, err := opts.key.find()
	if err != nil {
		return err
	}
	if err := decryptKeyFile(inName, found.Key); err != nil {
		return err
	}
	in, file, err := openInput(s, inName)
	if err != nil {
		return err
	}
	if file != nil {
		defer file.Close()
	}
	// The input is open (a named pipe waits for a writer): from here on,
	// every read is interruptible, and a signal stops the run, which
	// then says what it left.
	takeInterrupts(ctx)
	in, doneProgress := withProgress(s, interruptibleInput(ctx, in), streamSize(s, file), "decrypt")
	defer doneProgress()
	r, err := crypto.NewReader(interruptible(ctx, in), found.Key)
	if err != nil {
		return fmt.Errorf("decrypting %s: %w", displayName(inName), err)
	}
	out, err := openOutput(s, outName, 0o600)
	if err != nil {
		return err
	}
	defer out.Abort()

	var w io.Writer = out
	var guard *crypto.TextGuard
	if r.Version() == crypto.V1 && !opts.binary {
		guard = crypto.NewTextGuard(out, holdBack)
		w = guard
	}
	_, err = io.CopyBuffer(w, r, make([]byte, 64<<10))
	if err == nil && guard != nil {
		err = guard.Close()
	}
	if err != nil {
		if errors.Is(err, crypto.ErrNotText) {
			return withHint(fmt.Errorf("decrypting %s: %w: the key is probably wrong (%v)", displayName(inName), err, found.Key),
				"check that the key is this project's; pass --binary if this file is binary")
		}
		if outName == stdio && errors.Is(err, crypto.ErrChecksum) {
			err = fmt.Errorf("%w; the output above is corrupt, discard it", err)
		}
		return fmt.Errorf("decrypting %s: %w", displayName(inName), err)
	}
	if err := interrupted(ctx); err != nil {
		return err
	}
	return out.Commit()
}

// decryptKeyFile refuses a key file given as the file to decrypt: one
// named codeship.aes, or a small file shaped like a key that is not a v1
// file of 16 bytes (key decrypts that to text).
func decryptKeyFile(name string, key *crypto.Key) error {
	if name == stdio {
		return nil
	}
	var data []byte
	if !validate.IsKeyName(name) {
		// A file that cannot be read is reported when it is opened.
		st, err := os.Stat(name)
		if err != nil || !st.Mode().IsRegular() || st.Size() > 256 {
			return nil
		}
		if data, err = os.ReadFile(name); err != nil {
			return nil
		}
	}
	return keyFileError(validate.KeyFile(displayName(name), data, key), "decrypt",
		"decrypt a file encrypted with it: shipseal decrypt FILE.encrypted OUT (shipseal finds the key by itself, or takes it with --key-path)")
}
