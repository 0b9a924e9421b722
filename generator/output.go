package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/internal/owner"
)

// checkName warns when the file's name says one form and Format writes
// the other: docker finds no credentials in a config.json without
// "auths", and reads a .dockercfg only in the legacy form.
func (g *Generator) checkName(path string) {
	switch base := filepath.Base(path); {
	case base == "config.json" && g.format() == dockercfg.FormatLegacy:
		g.warnf("%s is named config.json, but the legacy form has no \"auths\", so docker finds no credentials in it: drop --format legacy", path)
	case base == ".dockercfg" && g.format() == dockercfg.FormatConfigJSON:
		g.warnf("%s is named .dockercfg, which docker reads only in the legacy form ({REGISTRY: {...}}): pass --format legacy, or name it config.json", path)
	}
}

// writeHint says what to do when the dockercfg cannot be put in place,
// for the ways a dockercfg_service's volume is usually misconfigured, or
// returns "".
func writeHint(err error) string {
	var se *atomicfile.SymlinkError
	if errors.As(err, &se) {
		return fmt.Sprintf("uid %d could point that link anywhere: remove it, or mount a directory only the build can write to instead of a shared one such as /tmp", se.LinkUID)
	}
	var ae *atomicfile.Error
	if !errors.As(err, &ae) {
		return ""
	}
	uid := os.Geteuid()
	switch {
	case errors.Is(ae.Err, syscall.EROFS):
		return fmt.Sprintf("%s is mounted read-only: drop :ro from the -v mount", ae.Dir)
	case ae.Op == "create" && errors.Is(ae.Err, syscall.EACCES):
		if owner, ok := ownerOf(ae.Dir); ok && owner != uid {
			return fmt.Sprintf("%s belongs to uid %d and this runs as uid %d: run the image as its default user (root), or chown the directory",
				ae.Dir, owner, uid)
		}
		return fmt.Sprintf("make %s writable by uid %d", ae.Dir, uid)
	case ae.Op == "replace" && (errors.Is(ae.Err, syscall.EPERM) || errors.Is(ae.Err, syscall.EACCES)):
		// In a sticky directory, only a file's owner (or the directory's)
		// may replace it: a stale file from a run as another user.
		if st, err := os.Stat(ae.Dir); err == nil && st.Mode()&fs.ModeSticky != 0 {
			if owner, ok := ownerOf(ae.Path); ok && owner != uid {
				return fmt.Sprintf("%s exists and belongs to uid %d in a sticky directory: remove it, or use another path", ae.Path, owner)
			}
		}
	}
	return ""
}

// ownerOf returns the uid that owns path (not following a link).
func ownerOf(path string) (int, bool) {
	st, err := os.Lstat(path)
	if err != nil {
		return 0, false
	}
	return owner.Of(st)
}
