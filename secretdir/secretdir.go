// Package secretdir makes private temporary directories for plaintext that
// a command must put on disk for another program (an editor, docker): mode
// 0700, on a memory file system (/dev/shm) when there is one, so that the
// plaintext never reaches a disk, and removed, contents and all, by Remove.
package secretdir

import (
	"fmt"
	"os"
	"path/filepath"
)

// shm is the memory-backed file system Linux mounts for everyone.
var shm = "/dev/shm"

// Dir is a private temporary directory.
type Dir struct {
	path string
}

// New creates a directory named after pattern (as os.MkdirTemp takes it)
// with mode 0700, in /dev/shm when it is a writable directory, otherwise
// in os.TempDir.
func New(pattern string) (*Dir, error) {
	p, err := os.MkdirTemp(Base(), pattern)
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
