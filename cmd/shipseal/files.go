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

func openOutput(s *streams, name string, perm os.FileMode) (*output, error) {
	if name == stdio {
		return &output{w: s.out, name: "standard output"}, nil
	}
	if st, err := os.Stat(name); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s is a directory: give a file name", name)
	}
	f, err := atomicfile.Create(name, perm)
	if err != nil {
		return nil, err
	}
	return &output{w: f, file: f, name: name}, nil
}

func (o *output) Write(p []byte) (int, error) { return o.w.Write(p) }

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
