//go:build unix

// Package owner tells which user owns a file, for the hints that say whose
// file stands in the way and for the sweeps that remove only one's own.
package owner

import (
	"io/fs"
	"syscall"
)

// Of returns the user id that owns the file info describes.
func Of(info fs.FileInfo) (uid int, ok bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}
