// Package atomicfile writes files so that a reader sees either the old
// content or the complete new content, never a torn file, and a failed run
// leaves an existing file untouched.
//
// Content goes to a temporary file in the destination's directory (so the
// final rename never crosses a filesystem), created with mode 0600 so that
// a secret is never readable by others even while it is being written.
// Commit syncs it, sets its final mode, renames it over the destination and
// syncs the directory. The final mode is exactly the one Create is given,
// whatever the umask and the mode of the file replaced, unless KeepMode
// says otherwise. Since the destination is replaced by a new file, that
// file belongs to the user who wrote it (with the group a new file gets in
// its directory), not to the old file's owner, as after any editor's
// atomic save; only KeepMode carries anything of the old file over: its
// permission bits. Abort removes the temporary file. A crash (SIGKILL)
// leaves it behind; the next Create of the same destination removes it once
// its process is gone and it is more than a minute old (RemoveStale does it
// on demand, and IsTemp recognises such a file). Temporary files of other
// destinations in the directory are not touched.
//
// A destination that is a symbolic link is followed: the file it points to
// is replaced and the link itself is kept. Following it is refused, as
// Linux's fs.protected_symlinks refuses it, when the link is in a sticky
// directory that anyone can write to (/tmp) and belongs neither to the
// running user nor to the directory's owner (see SymlinkError). The check
// is the same on every Unix; on macOS and the BSDs, whose kernels have no
// such rule, it is the only one.
//
// A destination that exists and is not a regular file or a directory (a
// device such as /dev/null or /dev/stdout, a named pipe, a socket) cannot be
// replaced without destroying it: it is opened and written directly, as
// cat or cp would, and Commit only closes it.
//
// Failures to create, write or replace the file are *Error values that
// wrap the system's reason (a syscall.Errno), so that callers can say what
// to do about a read-only mount or a directory owned by another user.
//
// On Windows the rename is MoveFileEx with MOVEFILE_REPLACE_EXISTING,
// which replaces an existing destination in one step too, but fails
// (ERROR_ACCESS_DENIED) while another program holds the destination open
// without delete sharing (an editor, a virus scanner), or when it has the
// read-only attribute; the destination is then left as it was. Modes are
// not permissions there: only the owner's write bit has an effect (without
// it the file gets the read-only attribute), so 0600 does not keep other
// users out; the access control list the file inherits from its directory
// does. NoClobber needs a file system with hard links, there as anywhere:
// NTFS has them, FAT does not. Symbolic links are followed without the
// check above: there are no sticky directories, and making a link takes
// administrator rights or developer mode.
package atomicfile

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/shipseal/shipseal/internal/process"
)

// File is a pending output file. Write to it, then Commit or Abort.
type File struct {
	*os.File
	path      string
	perm      os.FileMode
	noClobber bool
	keepMode  bool
	direct    bool // written in place: a device, a pipe or a socket
	done      bool
}

// Option changes how Create behaves.
type Option func(*File)

// NoClobber makes Commit fail with fs.ErrExist if the destination exists
// by then, instead of replacing it.
func NoClobber() Option { return func(f *File) { f.noClobber = true } }

// KeepMode is for output that is not secret, such as an encrypted file,
// whose mode is the user's to choose: a destination that exists keeps its
// permission bits (0600, 0640, ...), and a new one gets the mode open(2)
// gives a file created with perm, 0666 say: perm less the umask, or what a
// default ACL of its directory allows. The temporary file of a replacement
// is 0600 until Commit; a new file's has its final mode from the start,
// since the kernel computes it there. Without KeepMode the file gets
// exactly perm: a secret stays 0600 whatever the umask, and a replaced
// file that was more open becomes 0600 too.
func KeepMode() Option { return func(f *File) { f.keepMode = true } }

// Error is a failure to put the destination in place. Op says what
// failed: "create", the temporary file in Dir; "write", its content; or
// "replace", renaming it over Path. Err is the system's reason, usually a
// syscall.Errno (EROFS, EACCES, EPERM, ENOSPC).
type Error struct {
	Op   string
	Path string // the destination, after following symbolic links
	Dir  string // the directory of Path, where the temporary file is
	Err  error
}

func (e *Error) Error() string {
	if e.Op == "create" {
		return "cannot create a file in " + e.Dir + ": " + e.Err.Error()
	}
	return "writing " + e.Path + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// SymlinkError is a symbolic link that Create does not follow: it is in
// Dir, a sticky directory that anyone can write to, and its owner is
// neither the running user nor Dir's owner, so another user may have put
// it there to make a privileged run write where that user chooses. This
// is the kernel's fs.protected_symlinks rule; Create needs its own check
// because it renames into the link's target instead of opening the link.
type SymlinkError struct {
	Link    string
	LinkUID int
	Dir     string
	DirUID  int
}

func (e *SymlinkError) Error() string {
	return fmt.Sprintf("not following the symbolic link %s: it belongs to uid %d, in %s, a sticky directory anyone can write to",
		e.Link, e.LinkUID, e.Dir)
}

// staleAfter is how old an orphaned temporary file must be before Create
// removes it, so that a file another process is still writing is safe even
// if its process is not visible from here (another container).
const staleAfter = time.Minute

// Create starts writing path. The file gets mode perm on Commit (see
// KeepMode for the exception).
func Create(path string, perm os.FileMode, opts ...Option) (*File, error) {
	return CreateContext(context.Background(), path, perm, opts...)
}

// CreateContext is Create that gives up a wait when ctx is done, and then
// returns context.Cause(ctx): opening a destination that is a named pipe
// waits in open(2) until something opens it for reading, for ever if
// nothing does, where no check of ctx would run. That open is made in a
// goroutine of its own, which closes the pipe if it ever opens; a regular
// destination's temporary file is created in the caller's goroutine, so
// that none appears once CreateContext has returned.
func CreateContext(ctx context.Context, path string, perm os.FileMode, opts ...Option) (*File, error) {
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	// The kernel follows the links here: /dev/stdout's chain ends in a
	// pipe or a terminal that has no path of its own.
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() && !st.IsDir() {
		fh, err := openDirect(ctx, path)
		if err != nil {
			if ctx.Err() != nil && errors.Is(err, context.Cause(ctx)) {
				return nil, err
			}
			return nil, &Error{Op: "create", Path: path, Dir: filepath.Dir(path), Err: unwrapPath(err)}
		}
		return &File{File: fh, path: path, direct: true}, nil
	}
	dest, err := resolve(path)
	if err != nil {
		return nil, err
	}
	dir, base := filepath.Split(dest)
	dir = filepath.Clean(dir) // "." for "", and no trailing slash in messages
	removeStale(dir, base)
	var rnd [6]byte
	rand.Read(rnd[:])
	tmp := filepath.Join(dir, fmt.Sprintf("%s%d-%s.tmp", tempPrefix(base), os.Getpid(), hex.EncodeToString(rnd[:])))
	f := &File{path: dest, perm: perm}
	for _, o := range opts {
		o(f)
	}
	mode, fromKernel := os.FileMode(0o600), false
	if f.keepMode {
		if st, err := os.Stat(dest); err == nil {
			f.perm = st.Mode().Perm()
		} else {
			// The umask cannot be read without changing it for every
			// thread: the kernel applies it (or a default ACL) here,
			// and the temporary file's mode is the new file's.
			mode, fromKernel = perm, true
		}
	}
	fh, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return nil, &Error{Op: "create", Path: dest, Dir: dir, Err: unwrapPath(err)}
	}
	f.File = fh
	if fromKernel {
		st, err := fh.Stat()
		if err != nil {
			f.Abort()
			return nil, &Error{Op: "create", Path: dest, Dir: dir, Err: unwrapPath(err)}
		}
		f.perm = st.Mode().Perm()
	}
	return f, nil
}

// openDirect opens a destination that is written in place (a device, a
// named pipe) for writing, or returns context.Cause(ctx) once ctx is done
// first.
func openDirect(ctx context.Context, path string) (*os.File, error) {
	if ctx.Done() == nil { // never done
		return os.OpenFile(path, os.O_WRONLY, 0)
	}
	type result struct {
		fh  *os.File
		err error
	}
	opened := make(chan result, 1)
	go func() {
		fh, err := os.OpenFile(path, os.O_WRONLY, 0)
		opened <- result{fh, err}
	}()
	select {
	case r := <-opened:
		return r.fh, r.err
	case <-ctx.Done():
		// Given up on: a reader that comes later gets end of file at
		// once, not a writer that never writes.
		go func() {
			if r := <-opened; r.fh != nil {
				r.fh.Close()
			}
		}()
		return nil, context.Cause(ctx)
	}
}

// Path is the destination (after following a symbolic link).
func (f *File) Path() string { return f.path }

// Commit makes the written content the destination's.
func (f *File) Commit() error {
	if f.done {
		return errors.New("atomicfile: already committed or aborted")
	}
	f.done = true
	if f.direct {
		if err := f.File.Close(); err != nil {
			return &Error{Op: "write", Path: f.path, Dir: filepath.Dir(f.path), Err: unwrapPath(err)}
		}
		return nil
	}
	tmp := f.Name()
	op, err := "write", f.Sync()
	if err == nil {
		err = f.Chmod(f.perm)
	}
	if cerr := f.File.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		op = "replace"
		if f.noClobber {
			// link(2) fails if the destination exists, atomically.
			if err = os.Link(tmp, f.path); err == nil {
				os.Remove(tmp)
			}
		} else {
			err = os.Rename(tmp, f.path)
		}
	}
	if err != nil {
		os.Remove(tmp)
		if f.noClobber && errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists: %w", f.path, fs.ErrExist)
		}
		return &Error{Op: op, Path: f.path, Dir: filepath.Dir(f.path), Err: unwrapPath(err)}
	}
	syncDir(filepath.Dir(f.path))
	return nil
}

// Abort discards the pending file. It is a no-op after Commit, so it can be
// deferred.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.File.Close()
	if !f.direct {
		os.Remove(f.Name())
	}
}

// Write writes to the pending file. Its errors name the destination, not
// the temporary file (which the user never sees): "writing out.json: no
// space left on device".
func (f *File) Write(p []byte) (int, error) {
	n, err := f.File.Write(p)
	return n, f.writeError(err)
}

// ReadFrom is Write's counterpart for io.Copy.
func (f *File) ReadFrom(r io.Reader) (int64, error) {
	n, err := f.File.ReadFrom(r)
	return n, f.writeError(err)
}

func (f *File) writeError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == f.Name() {
		return &Error{Op: "write", Path: f.path, Dir: filepath.Dir(f.path), Err: pe.Err}
	}
	return err
}

// Close is Abort: a pending file is only kept by Commit.
func (f *File) Close() error {
	f.Abort()
	return nil
}

// WriteFile writes data to path atomically with mode perm.
func WriteFile(path string, data []byte, perm os.FileMode, opts ...Option) error {
	f, err := Create(path, perm, opts...)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.File.Write(data); err != nil {
		return &Error{Op: "write", Path: f.path, Dir: filepath.Dir(f.path), Err: unwrapPath(err)}
	}
	return f.Commit()
}

// resolve follows a symbolic link at path to the file it names (which may
// not exist yet), refusing a link another user may have planted.
func resolve(path string) (string, error) {
	for range 40 {
		st, err := os.Lstat(path)
		if err != nil || st.Mode()&fs.ModeSymlink == 0 {
			return path, nil // not a link (or not there yet)
		}
		if err := checkSymlink(path, st); err != nil {
			return "", err
		}
		target, err := os.Readlink(path)
		if err != nil {
			return "", fmt.Errorf("reading the symbolic link %s: %w", path, unwrapPath(err))
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		path = target
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}

func tempPrefix(base string) string { return "." + base + ".shipseal-" }

// IsTemp reports whether name (a path or a base name) is one of Create's
// temporary files, ".NAME.shipseal-PID-RANDOM.tmp": a file being written,
// or left behind by a process that was killed. Tools that list a
// project's files skip them; they are no file of the project.
func IsTemp(name string) bool {
	_, _, ok := parseTemp(filepath.Base(name))
	return ok
}

// parseTemp splits a temporary file's base name into its destination's
// base name and the PID of the process that created it.
func parseTemp(name string) (base string, pid int, ok bool) {
	rest, found := strings.CutSuffix(name, ".tmp")
	i := strings.LastIndex(rest, ".shipseal-")
	if !found || !strings.HasPrefix(rest, ".") || i < 2 {
		return "", 0, false
	}
	pidText, rnd, found := strings.Cut(rest[i+len(".shipseal-"):], "-")
	pid, err := strconv.Atoi(pidText)
	if !found || err != nil || pid <= 0 || pidText[0] == '+' || rnd == "" {
		return "", 0, false
	}
	if _, err := hex.DecodeString(rnd); err != nil {
		return "", 0, false
	}
	return rest[1:i], pid, true
}

// RemoveStale removes the temporary files that Create made for path and
// that a process which is gone (killed before it could clean up) left
// more than a minute ago; Create does the same before it writes. It
// returns the paths it removed, and those it kept although their process
// is gone because they are recent: they may belong to a process this one
// cannot see (in another container). Temporary files of other
// destinations, and of live processes, are not touched.
func RemoveStale(path string) (removed, kept []string) {
	dest, err := resolve(path)
	if err != nil {
		return nil, nil
	}
	dir, base := filepath.Split(dest)
	return removeStale(filepath.Clean(dir), base)
}

// removeStale is RemoveStale for base in dir.
func removeStale(dir, base string) (removed, kept []string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil
	}
	for _, e := range entries {
		name := e.Name()
		b, pid, ok := parseTemp(name)
		if !ok || b != base || process.Alive(pid) {
			continue
		}
		p := filepath.Join(dir, name)
		info, err := e.Info()
		if err != nil {
			continue
		}
		if time.Since(info.ModTime()) <= staleAfter {
			kept = append(kept, p)
			continue
		}
		if err := os.Remove(p); err == nil {
			removed = append(removed, p)
		}
	}
	return removed, kept
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// unwrapPath drops the *PathError's path (usually our temporary name),
// keeping the reason.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
