package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/validate"
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newEncryptCommand) }

type encryptOptions struct {
	key        keyOptions
	output     string
	v1         bool
	noValidate bool
	kind       string
	dialect    string
}

// validateLimit is the largest input that encrypt validates: credential
// files are small, and a larger input is something else.
const validateLimit = 16 << 20

func newEncryptCommand(s *streams) *cobra.Command {
	opts := &encryptOptions{}
	cmd := &cobra.Command{
		Use:   "encrypt [IN] [OUT]",
		Short: "Encrypt a file with the project key (jet encrypt)",
		Long: `Encrypt IN to OUT with the project key, in the v2 format that current jet
writes and Codeship reads (--v1 for the old format). "-" or a missing argument
means standard input or output. OUT appears only when it is complete.

A dockercfg or env file is validated first and not encrypted if it is
invalid (see "shipseal validate"); --no-validate skips that.`,
		Example: `  # jet encrypt dockercfg.json dockercfg.encrypted
  shipseal encrypt dockercfg.json dockercfg.encrypted
  shipseal encrypt --key-path ci/codeship.aes env -o env.encrypted
  cat .env | shipseal encrypt > .env.encrypted`,
		Args: maxArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error { return runEncrypt(cmd.Context(), s, opts, args) },
	}
	f := cmd.Flags()
	opts.key.register(f)
	f.StringVarP(&opts.output, "output", "o", "", "write to this file instead of OUT")
	f.BoolVar(&opts.v1, "v1", false, "write the old v1 format (no checksum) for old tooling")
	f.BoolVar(&opts.noValidate, "no-validate", false, "encrypt even if the input is an invalid dockercfg or env file")
	f.StringVar(&opts.kind, "type", "auto", "what the input is: auto, dockercfg or env")
	f.StringVar(&opts.dialect, "dialect", "docker", "env file dialect: docker or compose")
	return cmd
}

func runEncrypt(ctx context.Context, s *streams, opts *encryptOptions, args []string) (err error) {
	inName, outName, err := inOut(args, opts.output)
	if err != nil {
		return err
	}
	defer func() { err = outputLeft(err, outName) }()
	vopts, err := validationOptions(opts.kind, opts.dialect, false)
	if err != nil {
		return err
	}
	found, err := opts.key.find()
	if err != nil {
		return err
	}
	in, file, err := openInput(s, inName)
	if err != nil {
		return err
	}
	if file != nil {
		defer file.Close()
	}
	in = interruptibleInput(ctx, in)
	version := crypto.V2
	if opts.v1 {
		version = crypto.V1
	}

	// A v2 file starts with the plaintext's checksum, so the input is read
	// twice: a stream is spooled to an unlinked private file first.
	var src io.ReadSeeker
	if file != nil && isRegular(file) {
		src = file
	} else if version == crypto.V2 {
		sp, err := spool(ctx, in)
		if err != nil {
			return err
		}
		defer sp.Close()
		src = sp
	}
	if !opts.noValidate {
		if src == nil {
			in, err = validateStream(s, inName, in, vopts)
		} else {
			err = validateSeeker(s, inName, src, vopts)
		}
		if err != nil {
			return err
		}
	}

	out, err := openOutput(s, outName, 0o644)
	if err != nil {
		return err
	}
	defer out.Abort()
	wopts := crypto.WriteOptions{Version: version}
	if src != nil {
		psrc, done := withProgressSeeker(s, src, "encrypt")
		err = crypto.Encrypt(out, interruptibleSeeker(ctx, psrc), found.Key, wopts)
		done()
	} else {
		pin, done := withProgress(s, in, streamSize(s, file), "encrypt")
		err = encryptStream(out, interruptible(ctx, pin), found.Key, wopts)
		done()
	}
	if err != nil {
		return fmt.Errorf("encrypting %s: %w", displayName(inName), err)
	}
	// A signal after the last read still stops the run: OUT changes only
	// if no interrupt came before this point.
	if err := interrupted(ctx); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	if outName != stdio {
		infof(s.err, "encrypted %s to %s (%v, %v)", displayName(inName), outName, version, found.Key)
	}
	return nil
}

func encryptStream(dst io.Writer, src io.Reader, key *crypto.Key, opts crypto.WriteOptions) error {
	w, err := crypto.NewWriter(dst, key, opts)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, src); err != nil {
		return err
	}
	return w.Close()
}

func isRegular(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode().IsRegular()
}

func displayName(name string) string {
	if name == stdio {
		return "standard input"
	}
	return name
}

// validateSeeker validates a seekable input if it is small enough, then
// rewinds it.
func validateSeeker(s *streams, name string, src io.ReadSeeker, vopts validate.Options) error {
	head, err := io.ReadAll(io.LimitReader(src, validateLimit+1))
	if err != nil {
		return inputError(displayName(name), err)
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return err
	}
	return refuseInvalid(s, name, head, vopts)
}

// validateStream validates the start of a stream and returns a reader that
// still yields all of it.
func validateStream(s *streams, name string, in io.Reader, vopts validate.Options) (io.Reader, error) {
	head, err := io.ReadAll(io.LimitReader(in, validateLimit+1))
	if err != nil {
		return nil, inputError(displayName(name), err)
	}
	if err := refuseInvalid(s, name, head, vopts); err != nil {
		return nil, err
	}
	return io.MultiReader(bytes.NewReader(head), in), nil
}

// refuseInvalid is encrypt's gate: a broken dockercfg or env file, or an
// already encrypted file, is never sealed.
func refuseInvalid(s *streams, name string, data []byte, vopts validate.Options) error {
	if len(data) > validateLimit {
		return nil
	}
	if validate.IsEncrypted(data) && validate.KindFromName(name) != validate.Env {
		return withHint(contentError{fmt.Errorf("%s is already encrypted", displayName(name))},
			"encrypting it again would make Codeship decrypt it to ciphertext; pass --no-validate if this is really what you want")
	}
	r := validate.Plain(displayName(name), data, vopts, nil)
	if r.Kind == string(validate.Unknown) {
		return nil
	}
	if !r.Valid() {
		diag.WriteText(s.err, []*diag.Report{r})
		return withHint(contentError{fmt.Errorf("%s is not a valid %s file, so it was not encrypted", displayName(name), r.Kind)},
			"fix the problems above (`shipseal validate` shows them again), or pass --no-validate to encrypt it anyway")
	}
	if _, w := r.Count(); w > 0 {
		diag.WriteText(s.err, []*diag.Report{r})
	}
	return nil
}
