package credhelper

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/shipseal/shipseal/internal/owner"
)

// accessError is the error of doing (read, lock) the store at path, with
// what to do about the causes a person can fix: a store they may not read
// (typically made by root, with `sudo docker login`) and a directory where
// the store should be.
func accessError(doing, path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && (pe.Path == path || pe.Path == filepath.Dir(path)) {
		err = pe.Err // the message names path already
	}
	switch {
	case errors.Is(err, syscall.EISDIR):
		example := ""
		if filepath.Base(path) != "dockercfg.encrypted" { // a directory named as the store's own
			example = fmt.Sprintf(" (%s, say)", filepath.Join(path, "dockercfg.encrypted"))
		}
		return fmt.Errorf("cannot %s the credential store %s: %w; the store is a file: set $%s to a file's path%s, or move the directory away",
			doing, path, err, EnvStore, example)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot %s the credential store %s: %w; %s", doing, path, err, permissionHint(path))
	}
	return fmt.Errorf("cannot %s the credential store %s: %w", doing, path, err)
}

// permissionHint says how to make the store at path readable and writable
// again: whom it or its directory belongs to, or what mode it needs.
func permissionHint(path string) string {
	uid := os.Geteuid()
	foreign := func(info fs.FileInfo) bool {
		fileUID, ok := owner.Of(info)
		return ok && fileUID != uid
	}
	dir := filepath.Dir(path)
	dirInfo, dirErr := os.Stat(dir)
	info, err := os.Stat(path)
	switch {
	case dirErr == nil && foreign(dirInfo) && (err != nil || foreign(info)):
		// The rename that replaces the store needs the directory too.
		return chownHint(dir, dirInfo, "-R ")
	case err == nil && foreign(info):
		return chownHint(path, info, "")
	case dirErr == nil && dirInfo.Mode().Perm()&0o700 != 0o700:
		return fmt.Sprintf("let yourself in with `chmod u+rwx %s`", dir)
	case err == nil && info.Mode().Perm()&0o600 != 0o600:
		return fmt.Sprintf("make it readable and writable with `chmod 600 %s`", path)
	}
	return fmt.Sprintf("check the permissions of %s and of the directories above it", path)
}

func chownHint(path string, info fs.FileInfo, flags string) string {
	ownerUID, _ := owner.Of(info)
	return fmt.Sprintf("%s belongs to uid %d (made by `sudo docker login`?), not to you: give it back with `sudo chown %s%d:%d %s`",
		path, ownerUID, flags, os.Geteuid(), os.Getegid(), path)
}
