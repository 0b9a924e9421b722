package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/validate"
)

// stdio is the name that means standard input or output.
const stdio = "-"

// inOut resolves the [IN] [OUT] arguments and the -o flag, jet's order.
func inOut(args []string, outFlag string) (in, out string, err error) {
	in, out = stdio, stdio
	if len(args) > 0 {
		in = args[0]
	}
	if len(args) > 1 {
		out = args[1]
	}
	if outFlag != "" {
		if len(args) > 1 {
			return "", "", usageErrorf("give the output either as an argument or with -o, not both")
		}
		out = outFlag
	}
	if in != stdio && out != stdio && sameFile(in, out) {
		return "", "", withHint(usageErrorf("input and output are the same file (%s)", out), "write to another file, then rename it")
	}
	return in, out, nil
}

// sameFile reports whether two paths name one file (or would).
func sameFile(a, b string) bool {
	ai, errA := os.Stat(a)
	bi, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(ai, bi)
	}
	absA, _ := filepath.Abs(a)
	absB, _ := filepath.Abs(b)
	return absA == absB
}

// openInput opens a named file, or standard input for "-".
func openInput(s *streams, name string) (io.Reader, *os.File, error) {
	if name == stdio {
		return s.in, nil, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, inputError(name, err)
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, nil, inputError(name, syscall.EISDIR)
	}
	return f, f, nil
}

func inputError(name string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot read %s: no such file", name)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot read %s: permission denied", name)
	case errors.Is(err, syscall.EISDIR):
		// Not "read NAME: is a directory", which names it twice.
		return fmt.Errorf("cannot read %s: it is a directory", name)
	}
	return fmt.Errorf("cannot read %s: %w", name, err)
}

// output is where a command writes: standard output, or a file that only
// appears (atomically) on Commit.
type output struct {
	w    io.Writer
	file *atomicfile.File
	name string
}

// outputMode says how an output file's permission bits are chosen, by
// docs/cli.md's rules.
type outputMode int

const (
	// secretOutput is plaintext (a decrypted file, a dockercfg): 0600,
	// whatever the umask and the mode of the file it replaces.
	secretOutput outputMode = iota
	// sealedOutput is an encrypted file, which is not secret: a new one
	// gets 0666 less the umask, as any program's output does, and one
	// that is replaced keeps its mode (atomicfile.KeepMode).
	sealedOutput
)

// create starts writing name atomically with the mode m gives it. Opening
// a name that is a named pipe waits for a reader: that wait gives up, with
// ctx's cause, when ctx is done (atomicfile.CreateContext).
func (m outputMode) create(ctx context.Context, name string, opts ...atomicfile.Option) (*atomicfile.File, error) {
	if m == sealedOutput {
		return atomicfile.CreateContext(ctx, name, 0o666, append(opts, atomicfile.KeepMode())...)
	}
	return atomicfile.CreateContext(ctx, name, 0o600, opts...)
}

// writeFile writes data to name atomically with the mode m gives it.
func (m outputMode) writeFile(name string, data []byte, opts ...atomicfile.Option) error {
	if m == sealedOutput {
		return atomicfile.WriteFile(name, data, 0o666, append(opts, atomicfile.KeepMode())...)
	}
	return atomicfile.WriteFile(name, data, 0o600, opts...)
}

// openOutput opens name, or standard output for "-". suggest is the file
// name to offer when name is a directory (see suggestName), or "". A
// command that has taken charge of interrupts passes its context, so that
// a signal ends the wait to open a name that is a named pipe nothing reads
// (the open then returns the interruption); one that has not, a signal
// ends at once anyway.
func openOutput(ctx context.Context, s *streams, name, suggest string, mode outputMode) (*output, error) {
	if name == stdio {
		return &output{w: s.out, name: "standard output"}, nil
	}
	if st, err := os.Stat(name); err == nil && st.IsDir() {
		return nil, &outputDirError{dir: name, suggest: suggest}
	}
	f, err := mode.create(ctx, name)
	if err != nil {
		return nil, err
	}
	return &output{w: f, file: f, name: name}, nil
}

func (o *output) Write(p []byte) (int, error) { return o.w.Write(p) }

// writingError is err from writing the output name, which it names once:
// atomicfile's errors say the file already ("writing out.json: no space
// left on device", "cannot create a file in ci: ..."); others get
// "writing NAME: " in front.
func writingError(name string, err error) error {
	var ae *atomicfile.Error
	var se *atomicfile.SymlinkError
	if errors.As(err, &ae) || errors.As(err, &se) {
		return err
	}
	return fmt.Errorf("writing %s: %w", name, err)
}

// suggestName is the file name to offer when OUT is a directory: IN's,
// without its encrypted suffix (.encrypted, .enc, .aes) for decrypt, with
// .encrypted for encrypt; "" for standard input, or for decrypt of a name
// that has no such suffix.
func suggestName(in string, decrypting bool) string {
	switch base := filepath.Base(in); {
	case in == stdio:
		return ""
	case !decrypting:
		return base + ".encrypted"
	case validate.BaseName(in) != base:
		return validate.BaseName(in)
	}
	return ""
}

// outputDirError is an output that names a directory. suggest, when it is
// not empty, is a file name to write to in it, for the hint.
type outputDirError struct{ dir, suggest string }

func (e *outputDirError) Error() string { return e.dir + " is a directory: give a file name" }

// Commit puts a file output in place.
func (o *output) Commit() error {
	if o.file == nil {
		return nil
	}
	return o.file.Commit()
}

// Abort discards a file output that was not committed; deferrable.
func (o *output) Abort() {
	if o.file != nil {
		o.file.Abort()
	}
}

// spool copies a stream into an unlinked private temporary file, so that it
// can be read twice (v2 hashes before it encrypts) without ever being
// visible in the file system. It copies in steps, to notice an interrupt
// between them; each step is still one io.Copy, which the kernel can do
// alone (copy_file_range, splice).
func spool(ctx context.Context, r io.Reader) (*os.File, error) {
	f, err := spoolFile()
	if err != nil {
		return nil, fmt.Errorf("buffering standard input: %w", err)
	}
	for {
		if err := interrupted(ctx); err != nil {
			f.Close()
			return nil, err
		}
		n, err := io.Copy(f, io.LimitReader(r, spoolStep))
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("buffering standard input: %w", err)
		}
		if n < spoolStep {
			break
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// spoolStep is how much spool copies between two looks for an interrupt:
// a few milliseconds' work.
const spoolStep = 8 << 20
