//go:build unix

package atomicfile

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// checkSymlink applies fs.protected_symlinks to the link at path: in a
// sticky, world-writable directory, only a link owned by the running user
// or by the directory's owner is followed.
func checkSymlink(path string, link fs.FileInfo) error {
	ls, ok := link.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	dir := filepath.Dir(path)
	dst, err := os.Stat(dir)
	if err != nil {
		return nil // the link was just read there: a race, and the rename will fail
	}
	ds, ok := dst.Sys().(*syscall.Stat_t)
	if !ok || dst.Mode()&fs.ModeSticky == 0 || dst.Mode().Perm()&0o002 == 0 {
		return nil
	}
	if int(ls.Uid) == os.Geteuid() || ls.Uid == ds.Uid {
		return nil
	}
	return &SymlinkError{Link: path, LinkUID: int(ls.Uid), Dir: dir, DirUID: int(ds.Uid)}
}
