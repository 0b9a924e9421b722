package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/internal/shellquote"
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
which catches a wrong key, and cannot tell binary content from a wrong key
(it names a binary format it recognises, such as gzip or PKCS#12). Pass
--binary for a v1 file that is not text; a v2 file needs no flag.`,
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
	out, err := openOutput(ctx, s, outName, suggestName(inName, true), secretOutput)
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
		var nt *crypto.NotTextError
		if errors.As(err, &nt) {
			return notTextError(inName, outName, opts.key.path, nt, found.Key)
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

// notTextError is decrypt's error for v1 plaintext that is not text (nt):
// a v1 file has no checksum, so that is binary content or a wrong key. The
// message says binary first when the plaintext's shape does (a known
// format's magic number, or text too long for a wrong key's output), both
// otherwise. keyPath is --key-path, kept in the command it suggests. The
// exit code is 4 either way.
func notTextError(in, out, keyPath string, nt *crypto.NotTextError, key *crypto.Key) error {
	name := displayName(in)
	command := "shipseal decrypt --binary"
	if keyPath != "" {
		command += " --key-path " + shellquote.Quote(keyPath)
	}
	command += " " + shellquote.Quote(in)
	if out != stdio {
		command += " " + shellquote.Quote(out)
	}
	switch {
	case nt.Format != "":
		return withHint(fmt.Errorf("decrypting %s: %w: this looks like a binary file (%s): pass --binary", name, crypto.ErrNotText, nt.Format),
			"run `%s`: a v1 file has no checksum, so decrypt checks that it is text unless told it is binary", command)
	case nt.Binary():
		return withHint(fmt.Errorf("decrypting %s: %w at offset %d: this looks like a binary file, not a wrong key (which garbles the first bytes): pass --binary",
			name, crypto.ErrNotText, nt.Offset), "run `%s`: a v1 file has no checksum, so decrypt checks that it is text unless told it is binary", command)
	}
	return withHint(fmt.Errorf("decrypting %s: %w: a binary file (pass --binary) or the wrong key (%v)", name, crypto.ErrNotText, key),
		"a v1 file has no checksum, so shipseal cannot tell which: for a binary file (a .p12, .jks, .tar.gz) run `%s`; "+
			"otherwise check that the key is this project's (each Codeship project has its own)", command)
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
