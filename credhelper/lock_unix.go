//go:build unix

package credhelper

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lock takes an exclusive lock on the store's directory, so that two
// helpers storing at once (parallel docker logins) cannot lose each
// other's update. The directory is locked, not the file: the file is
// replaced by a rename, which a lock on it would not survive. path must
// be the store's real path (realPath): the directory of a symbolic link is
// not the one the rename happens in. With create, a missing directory is
// made (mode 0700).
func lock(path string, create bool) (unlock func(), err error) {
	dir := filepath.Dir(path)
	if create {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("cannot create the credential store's directory: %w", err)
		}
	}
	d, err := os.Open(dir)
	if os.IsNotExist(err) && !create {
		return func() {}, nil // no store to change
	}
	if err != nil {
		return nil, accessError("lock", path, err)
	}
	for {
		err = syscall.Flock(int(d.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("cannot lock the credential store's directory %s: %w", dir, err)
	}
	return func() {
		syscall.Flock(int(d.Fd()), syscall.LOCK_UN)
		d.Close()
	}, nil
}
