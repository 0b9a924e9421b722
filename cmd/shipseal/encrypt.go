package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/internal/shellquote"
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
invalid (see "shipseal validate"); --no-validate skips that. An env file
is read as what will read OUT reads it: under a name that says encrypted
(*.encrypted, *.enc), .env.encrypted too, as docker run --env-file does,
which is how Codeship's encrypted_env_file reads it; pass --dialect
compose if only compose reads the file after decrypting it. An encrypted
file is refused: a "codeship:v2" file always (did you mean decrypt?), a v1
file (nothing but base64) unless --no-validate.

Write to a file with OUT or -o, not with a shell redirect: "> OUT" creates
OUT before shipseal runs, and leaves it empty when encrypt fails.`,
		Example: `  # jet encrypt dockercfg.json dockercfg.encrypted
  shipseal encrypt dockercfg.json dockercfg.encrypted
  shipseal encrypt --key-path ci/codeship.aes env -o env.encrypted
  shipseal encrypt .env .env.encrypted               # checked as Codeship reads it: docker's dialect
  vault kv get -field=env secret/ci | shipseal encrypt --type env -o env.encrypted`,
		Args: maxArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error { return runEncrypt(cmd.Context(), s, opts, args) },
	}
	f := cmd.Flags()
	opts.key.register(f, s)
	f.StringVarP(&opts.output, "output", "o", "", "write to this file instead of OUT")
	f.BoolVar(&opts.v1, "v1", false, "write the old v1 format (no checksum) for old tooling")
	f.BoolVar(&opts.noValidate, "no-validate", false, "encrypt even if the input is an invalid dockercfg or env file")
	f.StringVar(&opts.kind, "type", "auto", "what the input is: auto, dockercfg or env")
	f.StringVar(&opts.dialect, "dialect", "auto", dialectUsage)
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
	byOut := vopts.AutoDialect && outName != stdio
	if byOut {
		// An env file is checked as what will read it reads it: the
		// reader of the encrypted OUT (Codeship's encrypted_env_file,
		// shipseal exec), by OUT's name, not IN's.
		vopts.Dialect, vopts.AutoDialect = validate.DialectFromName(outName), false
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
	// The input is open (a named pipe waits for a writer): from here on,
	// every read is interruptible, and a signal stops the run, which
	// then says what it left.
	takeInterrupts(ctx)
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
	gate := encryptGate{in: inName, out: outName, opts: vopts, noValidate: opts.noValidate,
		otherDialect: byOut && inName != stdio && validate.DialectFromName(inName) != vopts.Dialect}
	var guard *headerGuard
	switch {
	case src != nil:
		err = validateSeeker(s, gate, src)
	case opts.noValidate:
		// Nothing is read before the output exists: the header is
		// checked as the stream goes by.
		guard = &headerGuard{r: in, gate: gate}
		in = guard
	default:
		in, err = validateStream(s, gate, in)
	}
	if err != nil {
		return err
	}

	out, err := openOutput(ctx, s, outName, suggestName(inName, false), sealedOutput)
	if err != nil {
		return err
	}
	defer out.Abort()
	wopts := crypto.WriteOptions{Version: version}
	probe := newTextProbe(version)
	if src != nil {
		psrc, done := withProgressSeeker(s, src, "encrypt")
		err = crypto.Encrypt(out, interruptibleSeeker(ctx, probe.seeker(psrc)), found.Key, wopts)
		done()
	} else {
		pin, done := withProgress(s, in, streamSize(s, file), "encrypt")
		err = encryptStream(out, interruptible(ctx, probe.reader(pin)), found.Key, wopts)
		done()
	}
	if guard != nil && guard.err != nil {
		return guard.err
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
	probe.note(s, inName, outName)
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

// refuseEncrypted refuses data that starts with a "codeship:vN" line. It
// is unambiguous, whatever the name and even with --no-validate: no
// plaintext starts so, and a file sealed twice decrypts on Codeship to
// ciphertext. Swapped arguments ("jet decrypt env.encrypted env" typed as
// encrypt) end here.
func (g encryptGate) refuseEncrypted(data []byte) error {
	h := versionHeader(data)
	if h == "" {
		return nil
	}
	return withHint(contentError{fmt.Errorf("%s is already encrypted (%s): did you mean `%s`?", displayName(g.in), h, g.decryptCommand())},
		"a file is encrypted once: encrypting it again would make Codeship decrypt it to ciphertext")
}

// decryptCommand is the command that the user who swapped encrypt for
// decrypt meant.
func (g encryptGate) decryptCommand() string {
	c := "shipseal decrypt"
	switch {
	case g.in != stdio:
		c += " " + shellquote.Quote(g.in)
	case g.out != stdio:
		c += " -"
	}
	if g.out != stdio {
		c += " " + shellquote.Quote(g.out)
	}
	return c
}

// versionHeader returns the "codeship:vN" first line of data, if it has
// one (after blank lines), or "".
func versionHeader(data []byte) string {
	t := bytes.TrimLeft(data, " \t\r\n")
	line, _, _ := bytes.Cut(t, []byte("\n"))
	line = bytes.TrimRight(line, " \t\r")
	v, ok := bytes.CutPrefix(line, []byte("codeship:v"))
	if !ok || len(v) == 0 || len(v) > 4 || len(bytes.Trim(v, "0123456789")) > 0 {
		return ""
	}
	return string(line)
}

func displayName(name string) string {
	if name == stdio {
		return "standard input"
	}
	return name
}

// encryptGate is what encrypt checks its input against before sealing it.
type encryptGate struct {
	in, out    string // the input and output names, for messages
	opts       validate.Options
	noValidate bool // only the codeship: header check
	// otherDialect is set when an env file IN is read in the dialect of
	// OUT's name, not in the one shipseal validate gives IN's.
	otherDialect bool
}

// headerLimit is how much of the input --no-validate reads to look for a
// "codeship:vN" header: enough for the header after blank lines.
const headerLimit = 512

// limit is how much of the input the gate reads.
func (g encryptGate) limit() int64 {
	if g.noValidate {
		return headerLimit
	}
	return validateLimit + 1
}

// headerGuard passes a stream through, but first reads its start and
// fails with the gate's error if that is a "codeship:vN" header: nothing
// reaches the output before that is known.
type headerGuard struct {
	r    io.Reader
	gate encryptGate
	done bool
	err  error // the gate's
}

func (h *headerGuard) Read(p []byte) (int, error) {
	if !h.done {
		h.done = true
		head := make([]byte, headerLimit)
		n, err := io.ReadFull(h.r, head)
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			h.r = io.MultiReader(bytes.NewReader(head[:n]), &failedReader{err})
		} else if h.err = h.gate.refuseEncrypted(head[:n]); h.err == nil {
			h.r = io.MultiReader(bytes.NewReader(head[:n]), h.r)
		}
	}
	if h.err != nil {
		return 0, h.err
	}
	return h.r.Read(p)
}

// failedReader returns the error a read already met.
type failedReader struct{ err error }

func (f *failedReader) Read([]byte) (int, error) { return 0, f.err }

// validateSeeker validates the start of a seekable input, then rewinds it.
func validateSeeker(s *streams, g encryptGate, src io.ReadSeeker) error {
	head, err := io.ReadAll(io.LimitReader(src, g.limit()))
	if err != nil {
		return inputError(displayName(g.in), err)
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return err
	}
	return g.check(s, head)
}

// validateStream validates the start of a stream and returns a reader that
// still yields all of it.
func validateStream(s *streams, g encryptGate, in io.Reader) (io.Reader, error) {
	head, err := io.ReadAll(io.LimitReader(in, g.limit()))
	if err != nil {
		return nil, inputError(displayName(g.in), err)
	}
	if err := g.check(s, head); err != nil {
		return nil, err
	}
	return io.MultiReader(bytes.NewReader(head), in), nil
}

// check is encrypt's gate: an encrypted file, or a broken dockercfg or env
// file, is never sealed. data is the start of the input: all of it unless
// it is larger than the gate's limit.
func (g encryptGate) check(s *streams, data []byte) error {
	name := g.in
	if err := g.refuseEncrypted(data); err != nil {
		return err
	}
	if g.noValidate || len(data) > validateLimit {
		return nil
	}
	// Nothing but base64 is a v1 file, or (rarely) an env file of bare
	// names to inherit, such as "HOME\nPATH\nUSER\nTERM\nLANG\nHOST":
	// refused whatever the name, with a way out.
	if validate.IsEncrypted(data) {
		return withHint(contentError{fmt.Errorf("%s looks already encrypted (v1: it is nothing but base64): did you mean `%s`?", displayName(name), g.decryptCommand())},
			"encrypting it again would make Codeship decrypt it to ciphertext; if it really is plaintext, pass --no-validate to encrypt it as it is")
	}
	opts := g.opts
	if name != stdio {
		opts.Path = name
	}
	r := validate.Plain(displayName(name), data, opts, nil)
	if r.Kind == string(validate.Unknown) {
		// jet seals any file: one line says that this one was not
		// checked (another program's JSON, a certificate, an archive).
		infof(s.err, "%s not validated: neither a dockercfg nor an env file", displayName(name))
		return nil
	}
	if !r.Valid() {
		diag.WriteText(s.err, []*diag.Report{r})
		again := "`shipseal validate` shows them again"
		if g.otherDialect && r.Kind == string(validate.Env) {
			again = fmt.Sprintf("`shipseal validate --dialect %v %s` shows them again: %s is read as %s reads it", g.opts.Dialect, shellquote.Quote(name), g.out, g.opts.Dialect)
		}
		return withHint(contentError{fmt.Errorf("%s is not a valid %s file, so it was not encrypted", displayName(name), r.Kind)},
			"fix the problems above (%s), or pass --no-validate to encrypt it anyway", again)
	}
	if _, w := r.Count(); w > 0 {
		diag.WriteText(s.err, []*diag.Report{r})
	}
	return nil
}
