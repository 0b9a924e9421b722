package credhelper

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// maxLinks is how many symbolic links realPath follows before it gives up,
// as the kernel's ELOOP does.
const maxLinks = 40

// realPath returns path with every symbolic link in it followed, also when
// the file does not exist yet or is a link to a file that does not exist
// yet (atomicfile follows such a link and creates its target). Every
// spelling of one store then gives the same path.
func realPath(path string, hops int) (string, error) {
	path, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	real, err := filepath.EvalSymlinks(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return real, err
	}
	parent := filepath.Dir(path)
	if parent == path {
		return path, nil
	}
	dir, err := realPath(parent, hops)
	if err != nil {
		return "", err
	}
	target, err := os.Readlink(path)
	if err != nil { // not there yet
		return filepath.Join(dir, filepath.Base(path)), nil
	}
	if hops == 0 {
		return "", &fs.PathError{Op: "resolve", Path: path, Err: syscall.ELOOP}
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(dir, target)
	}
	return realPath(target, hops-1)
}
