// Package rekey moves a set of encrypted files from one key to another,
// all or nothing: every file is decrypted with the old key, checked,
// encrypted with the new key in the version it had, and verified by
// decrypting it again before any file is replaced.
package rekey

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/validate"
)

// Action is what rekey does, or would do, to a file.
type Action string

const (
	// Rekey: the file decrypts with the old key and is re-encrypted.
	Rekey Action = "rekey"
	// Current: the file already decrypts with the new key (a rerun after
	// an interrupted rotation); it is left alone.
	Current Action = "current"
	// Fail: the file cannot be rotated (File.Err says why). Only a dry
	// run's failed Set holds such files.
	Fail Action = "fail"
)

// Options configure a rotation.
type Options struct {
	Old, New *crypto.Key
	// Check validates a decrypted file; a report with errors stops the
	// whole set. Nil checks nothing.
	Check func(name string, plain []byte) *diag.Report
	// DryRun plans without staging any file.
	DryRun bool
	// Progress, if set, is called with each file's size once it is done.
	Progress func(n int64)
}

// File is one file of the set.
type File struct {
	Name    string
	Version crypto.Version
	Action  Action
	// Size is the encrypted file's size in bytes.
	Size int64
	// Report is the content check's report, when there was one.
	Report *diag.Report
	// Err is why a file whose Action is Fail cannot be rotated.
	Err *FileError

	pending *atomicfile.File
}

// Set is a prepared rotation: every new file written and verified,
// waiting to replace the old ones on Commit.
type Set struct {
	Files []*File
}

// FileError is why one file of the set cannot be rotated.
type FileError struct {
	Name string
	Err  error
	// Report holds the content check's findings for an invalid file.
	Report *diag.Report

	version crypto.Version // when it is known
}

func (e *FileError) Error() string { return e.Name + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// ErrInvalid is wrapped by a FileError whose content failed the check.
var ErrInvalid = errors.New("the decrypted content is invalid")

// ErrAmbiguous is wrapped by a FileError for a v1 file that decrypts to
// text with both keys, so that which one it uses cannot be told.
var ErrAmbiguous = errors.New("it decrypts to text with both the old and the new key")

// Prepare plans the rotation of names and, unless opts.DryRun, stages
// every new file. It checks every file, even after one failed, and
// returns all their errors joined (each a *FileError); on any error
// nothing is staged and nothing will change. A dry run that fails returns
// its plan too, every file in order, those that fail with Action Fail, so
// that the whole picture can be shown; any other failed run returns no Set.
func Prepare(names []string, opts Options) (*Set, error) {
	return PrepareContext(context.Background(), names, opts)
}

// PrepareContext is Prepare that stops when ctx is done: between files and
// between the steps of each, it returns context.Cause(ctx), with nothing
// staged.
func PrepareContext(ctx context.Context, names []string, opts Options) (*Set, error) {
	if opts.Old == nil || opts.New == nil {
		return nil, errors.New("rekey: both keys are needed")
	}
	if opts.Old.Equal(opts.New) {
		return nil, errors.New("the old and the new key are the same key")
	}
	set := &Set{}
	var errs []error
	seen := map[string]bool{}
	for _, name := range names {
		// A file named twice is rotated once.
		if abs, err := filepath.Abs(name); err == nil {
			if seen[abs] {
				continue
			}
			seen[abs] = true
		}
		f, err := prepare(ctx, name, opts)
		if f != nil {
			set.Files = append(set.Files, f)
		}
		if err := stopped(ctx); err != nil {
			set.Abort()
			return nil, err
		}
		if err != nil {
			errs = append(errs, err)
			var fe *FileError
			if opts.DryRun && errors.As(err, &fe) {
				set.Files = append(set.Files, &File{Name: name, Version: fe.version, Action: Fail, Size: fileSize(name), Report: fe.Report, Err: fe})
			}
		}
	}
	if len(errs) > 0 {
		set.Abort()
		if opts.DryRun {
			return set, errors.Join(errs...)
		}
		return nil, errors.Join(errs...)
	}
	return set, nil
}

func prepare(ctx context.Context, name string, opts Options) (*File, error) {
	var version crypto.Version
	fail := func(err error) (*File, error) { return nil, &FileError{Name: name, Err: err, version: version} }
	st, err := os.Stat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return fail(errors.New("no such file"))
	}
	if err != nil {
		return fail(err)
	}
	if !st.Mode().IsRegular() {
		return fail(errors.New("not a regular file"))
	}
	sealed, err := os.ReadFile(name)
	if err != nil {
		return fail(err)
	}
	if opts.Progress != nil {
		defer opts.Progress(int64(len(sealed)))
	}
	f := &File{Name: name, Size: int64(len(sealed)), Action: Rekey}
	plain, version, err := decrypt(sealed, opts.Old)
	if err != nil {
		if version == 0 {
			version = headerVersion(sealed)
		}
		if _, v, errNew := decrypt(sealed, opts.New); errNew == nil {
			f.Version, f.Action = v, Current
			return f, nil
		}
		return fail(fmt.Errorf("decrypting with the old key: %w", err))
	}
	// A v1 file has no checksum: a short one can decrypt to text with a
	// key it was not encrypted with (four random bytes are text one time
	// in ten). Taking the old key's text then would, on a rerun, encrypt
	// noise over a file that already uses the new key.
	if version == crypto.V1 {
		if _, _, errNew := decrypt(sealed, opts.New); errNew == nil {
			return fail(fmt.Errorf("%w: a v1 file this short cannot show which key it was encrypted with; "+
				"move it by hand (shipseal decrypt with the key it uses, then shipseal encrypt with the new key) or leave it out", ErrAmbiguous))
		}
	}
	f.Version = version
	if err := stopped(ctx); err != nil {
		return nil, err
	}
	if opts.Check != nil {
		f.Report = opts.Check(name, plain)
		if f.Report != nil && !f.Report.Valid() {
			return nil, &FileError{Name: name, Err: ErrInvalid, Report: f.Report, version: version}
		}
	}
	var buf bytes.Buffer
	if err := crypto.Encrypt(&buf, bytes.NewReader(plain), opts.New, crypto.WriteOptions{Version: version}); err != nil {
		return fail(fmt.Errorf("encrypting with the new key: %w", err))
	}
	if err := stopped(ctx); err != nil {
		return nil, err
	}
	back, _, err := validate.Decrypt(buf.Bytes(), opts.New)
	if err != nil || !bytes.Equal(back, plain) {
		return fail(fmt.Errorf("the re-encrypted file does not decrypt to the same content (%v)", err))
	}
	if opts.DryRun {
		return f, nil
	}
	if err := stopped(ctx); err != nil {
		return nil, err
	}
	// Staged next to the file, so that Commit is only renames. An
	// encrypted file is not secret: it keeps the mode its owner gave it.
	p, err := atomicfile.Create(name, 0o666, atomicfile.KeepMode())
	if err != nil {
		return fail(err)
	}
	if _, err := p.Write(buf.Bytes()); err != nil {
		p.Abort()
		return fail(err)
	}
	f.pending = p
	return f, nil
}

// headerVersion tells a file's version from its header alone, for a file
// that a key did not open: 0 when it is neither v1 nor v2.
func headerVersion(sealed []byte) crypto.Version {
	head := bytes.TrimLeft(sealed, " \t\r\n")
	switch {
	case bytes.HasPrefix(head, []byte(crypto.HeaderV2+"\n")), bytes.HasPrefix(head, []byte(crypto.HeaderV2+"\r\n")):
		return crypto.V2
	case bytes.HasPrefix(head, []byte("codeship:")), !validate.IsEncrypted(sealed):
		return 0
	}
	return crypto.V1
}

// fileSize is the size of the file at name, or 0 when it cannot be told.
func fileSize(name string) int64 {
	if st, err := os.Stat(name); err == nil {
		return st.Size()
	}
	return 0
}

// stopped returns why ctx is done, or nil.
func stopped(ctx context.Context) error {
	if ctx.Err() == nil {
		return nil
	}
	return context.Cause(ctx)
}

// Commit replaces every file that changes. A rename can still fail (a
// full disk, a file removed meanwhile): Commit then stops, discards the
// rest, and returns an error naming what was and was not replaced; running
// the rotation again finishes it, since replaced files count as Current.
func (s *Set) Commit() error {
	var done []string
	for i, f := range s.Files {
		if f.pending == nil {
			continue
		}
		if err := f.pending.Commit(); err != nil {
			for _, rest := range s.Files[i+1:] {
				if rest.pending != nil {
					rest.pending.Abort()
				}
			}
			return fmt.Errorf("replacing %s: %w (already replaced: %d of %d files; run the same rekey again to finish)",
				f.Name, err, len(done), s.Changed())
		}
		f.pending = nil
		done = append(done, f.Name)
	}
	return nil
}

// Abort discards every staged file; nothing changes. It can be deferred.
func (s *Set) Abort() {
	if s == nil {
		return
	}
	for _, f := range s.Files {
		if f.pending != nil {
			f.pending.Abort()
			f.pending = nil
		}
	}
}

// Changed counts the files the rotation replaces.
func (s *Set) Changed() int {
	n := 0
	for _, f := range s.Files {
		if f.Action == Rekey {
			n++
		}
	}
	return n
}

// decrypt decrypts a whole file. A v1 file has no checksum, so a wrong key
// shows only as plaintext that is not text (decrypt's own test).
func decrypt(sealed []byte, key *crypto.Key) ([]byte, crypto.Version, error) {
	plain, version, err := validate.Decrypt(sealed, key)
	if err != nil || version != crypto.V1 {
		return plain, version, err
	}
	if err := crypto.CheckText(plain); err != nil {
		return nil, version, err
	}
	return plain, version, nil
}
