// Package secretdir makes private temporary directories for plaintext that
// a command must put on disk for another program (an editor, docker): mode
// 0700, on a memory file system (/dev/shm) when there is one, so that the
// plaintext never reaches a disk, and removed, contents and all, by Remove.
//
// A process killed with SIGKILL cannot remove its directory. So that such
// plaintext does not outlive the next run, a directory's name holds the PID
// of its creator, and New removes the directories of its own pattern whose
// creator is gone and that are more than a minute old (the age spares a
// directory whose creator runs in another PID namespace and is only
// starting). Only the running user's directories are touched.
//
// macOS and the BSDs have no /dev/shm: the directories go to $TMPDIR (on
// macOS a directory of the user's own), on disk. On Windows they go to
// %TEMP%, and mode 0700 is not what keeps others out (the directory's
// access control list is: %TEMP% in the user's profile is private). Its
// files have no uid to tell the running user's directories from others', so
// New removes no stale directory there: a killed run's stays until it is
// removed by hand.
package secretdir

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/shipseal/shipseal/internal/owner"
	"github.com/shipseal/shipseal/internal/process"
)

// shm is the memory-backed file system Linux mounts for everyone.
var shm = "/dev/shm"

// Dir is a private temporary directory.
type Dir struct {
	path string
}

// staleAfter is how old a directory of a process that is gone must be
// before New removes it.
var staleAfter = time.Minute

// New creates a directory named after pattern (as os.MkdirTemp takes it,
// with the PID inserted where the random part goes: "shipseal-edit-*"
// gives "shipseal-edit-PID-RANDOM") with mode 0700, in /dev/shm when it is
// a writable directory, otherwise in os.TempDir. It first removes the
// stale directories of the same pattern that killed processes left.
func New(pattern string) (*Dir, error) {
	base := Base()
	prefix, suffix := splitPattern(pattern)
	removeStale(base, prefix, suffix)
	p, err := os.MkdirTemp(base, prefix+strconv.Itoa(os.Getpid())+"-*"+suffix)
	if err != nil {
		return nil, fmt.Errorf("creating a private temporary directory: %w", err)
	}
	// MkdirTemp already uses 0700; the umask can only take bits away, but
	// say it explicitly since secrets depend on it.
	if err := os.Chmod(p, 0o700); err != nil {
		os.RemoveAll(p)
		return nil, fmt.Errorf("creating a private temporary directory: %w", err)
	}
	return &Dir{path: p}, nil
}

// Base returns where New creates directories: /dev/shm if it is usable,
// or the system's temporary directory.
func Base() string {
	if st, err := os.Stat(shm); err == nil && st.IsDir() {
		if f, err := os.CreateTemp(shm, ".shipseal-probe-*"); err == nil {
			f.Close()
			os.Remove(f.Name())
			return shm
		}
	}
	return os.TempDir()
}

// Path is the directory's path.
func (d *Dir) Path() string { return d.path }

// Join returns the path of name inside the directory.
func (d *Dir) Join(name string) string { return filepath.Join(d.path, name) }

// WriteFile writes a file of mode 0600 into the directory.
func (d *Dir) WriteFile(name string, data []byte) (string, error) {
	p := d.Join(name)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return "", err
	}
	return p, f.Close()
}

// Remove deletes the directory and everything in it. It can be called more
// than once.
func (d *Dir) Remove() error {
	if d.path == "" {
		return nil
	}
	err := os.RemoveAll(d.path)
	if err == nil {
		d.path = ""
	}
	return err
}

// splitPattern splits a MkdirTemp pattern around its last "*"; without
// one, the random part goes at the end.
func splitPattern(pattern string) (prefix, suffix string) {
	if i := strings.LastIndex(pattern, "*"); i >= 0 {
		return pattern[:i], pattern[i+1:]
	}
	return pattern, ""
}

// removeStale removes the directories in base named prefix+PID-RANDOM+suffix
// that belong to the running user, whose process PID is gone, and that
// have not changed for staleAfter.
func removeStale(base, prefix, suffix string) {
	entries, err := os.ReadDir(base)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		// A symbolic link with such a name is not ours: never follow it.
		if !e.IsDir() || !strings.HasPrefix(name, prefix) || !strings.HasSuffix(name, suffix) ||
			len(name) < len(prefix)+len(suffix) {
			continue
		}
		pidText, _, ok := strings.Cut(name[len(prefix):len(name)-len(suffix)], "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || process.Alive(pid) {
			continue
		}
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) <= staleAfter {
			continue
		}
		if uid, ok := owner.Of(info); !ok || uid != os.Geteuid() {
			continue
		}
		os.RemoveAll(filepath.Join(base, name))
	}
}
