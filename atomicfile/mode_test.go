//go:build unix

package atomicfile_test

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/stretchr/testify/require"
)

// withUmask runs f under umask mask. The umask belongs to the process, so
// the tests that change it do not run in parallel.
func withUmask(t *testing.T, mask int, f func()) {
	t.Helper()
	old := syscall.Umask(mask)
	defer syscall.Umask(old)
	f()
}

func modeOf(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	require.NoError(t, err)
	return st.Mode().Perm()
}

// TestKeepMode: with KeepMode, a new file gets perm less the umask, as
// open(2) would create it, and a file replaced keeps its permission bits;
// without it, the file gets exactly perm in every case.
func TestKeepMode(t *testing.T) {
	const none = os.FileMode(1 << 31) // no file there before
	for _, tc := range []struct {
		umask    int
		old      os.FileMode
		perm     os.FileMode
		keepMode bool
		want     os.FileMode
	}{
		// Output that is not secret (encrypted files): the user's mode.
		{umask: 0o022, old: none, perm: 0o666, keepMode: true, want: 0o644},
		{umask: 0o077, old: none, perm: 0o666, keepMode: true, want: 0o600},
		{umask: 0o027, old: none, perm: 0o666, keepMode: true, want: 0o640},
		{umask: 0o002, old: none, perm: 0o666, keepMode: true, want: 0o664},
		{umask: 0o022, old: 0o600, perm: 0o666, keepMode: true, want: 0o600},
		{umask: 0o077, old: 0o600, perm: 0o666, keepMode: true, want: 0o600},
		{umask: 0o022, old: 0o640, perm: 0o666, keepMode: true, want: 0o640},
		{umask: 0o077, old: 0o640, perm: 0o666, keepMode: true, want: 0o640},
		{umask: 0o077, old: 0o664, perm: 0o666, keepMode: true, want: 0o664},
		{umask: 0o022, old: 0o444, perm: 0o666, keepMode: true, want: 0o444},
		// A secret (decrypted files, keys): 0600 whatever came before.
		{umask: 0o022, old: none, perm: 0o600, want: 0o600},
		{umask: 0o077, old: none, perm: 0o600, want: 0o600},
		{umask: 0o000, old: none, perm: 0o600, want: 0o600},
		{umask: 0o022, old: 0o644, perm: 0o600, want: 0o600},
		{umask: 0o077, old: 0o644, perm: 0o600, want: 0o600},
		{umask: 0o022, old: 0o666, perm: 0o600, want: 0o600},
		// Exactly perm, even where the umask would take bits away.
		{umask: 0o077, old: none, perm: 0o644, want: 0o644},
		{umask: 0o077, old: 0o600, perm: 0o755, want: 0o755},
	} {
		name := fmt.Sprintf("umask %03o, old %03o, perm %03o, KeepMode %v", tc.umask, tc.old, tc.perm, tc.keepMode)
		if tc.old == none {
			name = fmt.Sprintf("umask %03o, new, perm %03o, KeepMode %v", tc.umask, tc.perm, tc.keepMode)
		}
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "out")
			if tc.old != none {
				require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))
				require.NoError(t, os.Chmod(path, tc.old))
			}
			var opts []atomicfile.Option
			if tc.keepMode {
				opts = append(opts, atomicfile.KeepMode())
			}
			withUmask(t, tc.umask, func() {
				require.NoError(t, atomicfile.WriteFile(path, []byte("new"), tc.perm, opts...))
			})
			require.Equal(t, tc.want, modeOf(t, path))
			require.Equal(t, "new", readFile(t, path))
		})
	}
}

// TestKeepModeWhileWriting: a replacement is private until Commit, even
// when the file it replaces is not; a new file has its final mode at once,
// since the kernel is what applies the umask.
func TestKeepModeWhileWriting(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing")
	require.NoError(t, os.WriteFile(existing, []byte("old"), 0o600))
	require.NoError(t, os.Chmod(existing, 0o644))
	withUmask(t, 0o022, func() {
		f, err := atomicfile.Create(existing, 0o666, atomicfile.KeepMode())
		require.NoError(t, err)
		defer f.Abort()
		require.Equal(t, os.FileMode(0o600), modeOf(t, f.Name()))
		require.NoError(t, f.Commit())
		require.Equal(t, os.FileMode(0o644), modeOf(t, existing))

		f, err = atomicfile.Create(filepath.Join(dir, "new"), 0o666, atomicfile.KeepMode())
		require.NoError(t, err)
		defer f.Abort()
		require.Equal(t, os.FileMode(0o644), modeOf(t, f.Name()))
	})
}

// TestKeepModeThroughSymlink: the mode kept is that of the file the link
// points to (a link's own mode is always 0777), and the link stays.
func TestKeepModeThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	require.NoError(t, os.WriteFile(target, []byte("old"), 0o600))
	require.NoError(t, os.Chmod(target, 0o640))
	link := filepath.Join(dir, "link")
	require.NoError(t, os.Symlink("target", link))
	withUmask(t, 0o077, func() {
		require.NoError(t, atomicfile.WriteFile(link, []byte("new"), 0o666, atomicfile.KeepMode()))
	})
	require.Equal(t, os.FileMode(0o640), modeOf(t, target))
	require.Equal(t, "new", readFile(t, target))
	st, err := os.Lstat(link)
	require.NoError(t, err)
	require.Equal(t, os.ModeSymlink, st.Mode().Type())
}

// TestKeepModeNoClobber: a new file made with NoClobber gets the umask's
// mode too.
func TestKeepModeNoClobber(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new")
	withUmask(t, 0o027, func() {
		require.NoError(t, atomicfile.WriteFile(path, []byte("new"), 0o666, atomicfile.KeepMode(), atomicfile.NoClobber()))
	})
	require.Equal(t, os.FileMode(0o640), modeOf(t, path))
}
