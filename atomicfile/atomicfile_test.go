//go:build unix

package atomicfile_test

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/internal/e2etest"
	"github.com/stretchr/testify/require"
)

// temps lists the temporary files atomicfile left in dir.
func temps(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		if strings.Contains(e.Name(), ".shipseal-") && strings.HasSuffix(e.Name(), ".tmp") {
			out = append(out, e.Name())
		}
	}
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

func TestCommit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	f, err := atomicfile.Create(path, 0o600)
	require.NoError(t, err)
	require.Equal(t, path, f.Path())

	// While it is written, the content lives in a private temporary file
	// in the same directory, and the destination does not exist yet.
	st, err := os.Stat(f.Name())
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "the temporary file is private from the start")
	require.Equal(t, dir, filepath.Dir(f.Name()))
	_, err = f.Write([]byte("secret"))
	require.NoError(t, err)
	require.NoFileExists(t, path)

	require.NoError(t, f.Commit())
	require.Equal(t, "secret", readFile(t, path))
	require.Empty(t, temps(t, dir))
	require.Error(t, f.Commit(), "a second Commit is an error")
	f.Abort() // a no-op after Commit, so it can be deferred
	require.Equal(t, "secret", readFile(t, path))
}

// TestModes: the committed file gets exactly the mode asked for,
// whatever the umask and whatever mode the file it replaces had.
func TestModes(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	dir := t.TempDir()
	for _, perm := range []os.FileMode{0o600, 0o644, 0o640, 0o400} {
		path := filepath.Join(dir, fmt.Sprintf("f%o", perm))
		require.NoError(t, os.WriteFile(path, []byte("old"), 0o666))
		require.NoError(t, os.Chmod(path, 0o666))
		require.NoError(t, atomicfile.WriteFile(path, []byte("new"), perm))
		st, err := os.Stat(path)
		require.NoError(t, err)
		require.Equal(t, perm, st.Mode().Perm())
		require.Equal(t, "new", readFile(t, path))
	}
}

func TestAbortKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o644))
	for _, end := range []func(*atomicfile.File){
		(*atomicfile.File).Abort,
		func(f *atomicfile.File) { f.Close() }, // Close is Abort
	} {
		f, err := atomicfile.Create(path, 0o600)
		require.NoError(t, err)
		_, err = f.Write([]byte("new and unfinished"))
		require.NoError(t, err)
		end(f)
		require.Equal(t, "old", readFile(t, path))
		require.Empty(t, temps(t, dir))
		require.Error(t, f.Commit(), "Commit after Abort is an error")
		require.Equal(t, "old", readFile(t, path))
	}
}

func TestAbortLeavesNothingNew(t *testing.T) {
	dir := t.TempDir()
	f, err := atomicfile.Create(filepath.Join(dir, "new"), 0o600)
	require.NoError(t, err)
	f.Abort()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Empty(t, entries)
}

func TestNoClobber(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "codeship.aes")
	require.NoError(t, atomicfile.WriteFile(path, []byte("first"), 0o600, atomicfile.NoClobber()))
	require.Equal(t, "first", readFile(t, path))

	err := atomicfile.WriteFile(path, []byte("second"), 0o600, atomicfile.NoClobber())
	require.ErrorIs(t, err, fs.ErrExist)
	require.Contains(t, err.Error(), "already exists")
	require.Equal(t, "first", readFile(t, path))
	require.Empty(t, temps(t, dir))

	// The check is at Commit: a file that appears while another is being
	// written wins, and the late writer fails.
	path2 := filepath.Join(dir, "late")
	f, err := atomicfile.Create(path2, 0o600, atomicfile.NoClobber())
	require.NoError(t, err)
	_, _ = f.Write([]byte("late"))
	require.NoError(t, os.WriteFile(path2, []byte("early"), 0o600))
	require.ErrorIs(t, f.Commit(), fs.ErrExist)
	require.Equal(t, "early", readFile(t, path2))
	require.Empty(t, temps(t, dir))
}

// TestSymlinkFollowed: writing through a symbolic link replaces the file
// it points to and keeps the link, for relative, absolute, chained and
// dangling links.
func TestSymlinkFollowed(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "real"), 0o755))
	target := filepath.Join(dir, "real", "config.json")
	require.NoError(t, os.WriteFile(target, []byte("old"), 0o644))
	require.NoError(t, os.Symlink("real/config.json", filepath.Join(dir, "rel")))
	require.NoError(t, os.Symlink(target, filepath.Join(dir, "abs")))
	require.NoError(t, os.Symlink("rel", filepath.Join(dir, "chain")))

	for _, link := range []string{"rel", "abs", "chain"} {
		path := filepath.Join(dir, link)
		f, err := atomicfile.Create(path, 0o600)
		require.NoError(t, err)
		require.Equal(t, target, filepath.Clean(f.Path()))
		require.Equal(t, filepath.Join(dir, "real"), filepath.Dir(f.Name()), "the temporary file is beside the target")
		_, _ = f.Write([]byte("via " + link))
		require.NoError(t, f.Commit())

		st, err := os.Lstat(path)
		require.NoError(t, err)
		require.NotZero(t, st.Mode()&fs.ModeSymlink, "%s is still a link", link)
		require.Equal(t, "via "+link, readFile(t, target))
		require.Empty(t, temps(t, dir))
		require.Empty(t, temps(t, filepath.Join(dir, "real")))
	}

	// A dangling link: the file it names is created.
	require.NoError(t, os.Symlink("real/new.json", filepath.Join(dir, "dangling")))
	require.NoError(t, atomicfile.WriteFile(filepath.Join(dir, "dangling"), []byte("created"), 0o600))
	require.Equal(t, "created", readFile(t, filepath.Join(dir, "real", "new.json")))

	// A loop is an error, and nothing is written.
	require.NoError(t, os.Symlink("loop2", filepath.Join(dir, "loop1")))
	require.NoError(t, os.Symlink("loop1", filepath.Join(dir, "loop2")))
	err := atomicfile.WriteFile(filepath.Join(dir, "loop1"), []byte("x"), 0o600)
	require.ErrorContains(t, err, "too many levels of symbolic links")
}

// deadPID returns the id of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	require.NoError(t, cmd.Run())
	return cmd.Process.Pid
}

// TestStaleTempCleanup: Create removes temporary files of the same
// destination left by dead processes once they are old enough, and keeps
// those of live processes, recent ones, and other destinations'.
func TestStaleTempCleanup(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-2 * time.Hour)
	mk := func(name string, mtime time.Time) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte("partial"), 0o600))
		require.NoError(t, os.Chtimes(p, mtime, mtime))
		return name
	}
	dead := deadPID(t)
	stale := mk(fmt.Sprintf(".out.json.shipseal-%d-0123456789ab.tmp", dead), old)
	recent := mk(fmt.Sprintf(".out.json.shipseal-%d-aaaaaaaaaaaa.tmp", dead), time.Now())
	alive := mk(fmt.Sprintf(".out.json.shipseal-%d-bbbbbbbbbbbb.tmp", os.Getpid()), old)
	other := mk(fmt.Sprintf(".other.json.shipseal-%d-cccccccccccc.tmp", dead), old)
	notOurs := mk(".out.json.shipseal-notapid-dddd.tmp", old)

	require.NoError(t, atomicfile.WriteFile(filepath.Join(dir, "out.json"), []byte("{}"), 0o600))
	require.NoFileExists(t, filepath.Join(dir, stale), "a dead process's old temporary file is removed")
	for _, keep := range []string{recent, alive, other, notOurs} {
		require.FileExists(t, filepath.Join(dir, keep))
	}
}

// TestRemoveStale: the sweep Create does, on demand, says what it removed
// and which orphans it kept because they are recent.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-2 * time.Hour)
	dead := deadPID(t)
	mk := func(name string, mtime time.Time) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte("partial"), 0o600))
		require.NoError(t, os.Chtimes(p, mtime, mtime))
		return p
	}
	stale := mk(fmt.Sprintf(".env.encrypted.shipseal-%d-0123456789ab.tmp", dead), old)
	recent := mk(fmt.Sprintf(".env.encrypted.shipseal-%d-aaaaaaaaaaaa.tmp", dead), time.Now())
	alive := mk(fmt.Sprintf(".env.encrypted.shipseal-%d-bbbbbbbbbbbb.tmp", os.Getpid()), old)
	other := mk(fmt.Sprintf(".other.shipseal-%d-cccccccccccc.tmp", dead), old)

	removed, kept := atomicfile.RemoveStale(filepath.Join(dir, "env.encrypted"))
	require.Equal(t, []string{stale}, removed)
	require.Equal(t, []string{recent}, kept)
	require.NoFileExists(t, stale)
	for _, p := range []string{recent, alive, other} {
		require.FileExists(t, p)
	}
	removed, kept = atomicfile.RemoveStale(filepath.Join(dir, "missing", "x"))
	require.Empty(t, removed)
	require.Empty(t, kept)
}

// TestIsTemp: Create's own temporary names, and nothing else.
func TestIsTemp(t *testing.T) {
	dir := t.TempDir()
	f, err := atomicfile.Create(filepath.Join(dir, "env.encrypted"), 0o600)
	require.NoError(t, err)
	defer f.Abort()
	require.True(t, atomicfile.IsTemp(f.Name()), "Create's temporary file %s", f.Name())
	for _, name := range []string{
		".env.encrypted.shipseal-3091-50a57b19c886.tmp",
		"ci/.big1.env.encrypted.shipseal-1-0123456789ab.tmp",
		".x.shipseal-1-ab.tmp.shipseal-77-cd.tmp",
	} {
		require.True(t, atomicfile.IsTemp(name), name)
	}
	for _, name := range []string{
		"env.encrypted",
		"env.encrypted.shipseal-3091-50a57b19c886.tmp",   // no leading dot
		"..shipseal-3091-50a57b19c886.tmp",               // no destination
		".env.encrypted.shipseal-3091-50a57b19c886",      // no .tmp
		".env.encrypted.shipseal-notapid-dddd.tmp",       // no PID
		".env.encrypted.shipseal-0-50a57b19c886.tmp",     // no process has PID 0
		".env.encrypted.shipseal-3091-.tmp",              // no random part
		".env.encrypted.shipseal-3091-xyz.tmp",           // not hexadecimal
		".env.encrypted.shipseal-+3091-50a57b19c886.tmp", // a sign
		".tmp",
	} {
		require.False(t, atomicfile.IsTemp(name), name)
	}
}

func TestCreateErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := atomicfile.Create(filepath.Join(dir, "missing", "out"), 0o600)
	require.ErrorIs(t, err, fs.ErrNotExist)
	require.ErrorContains(t, err, "cannot create a file in "+filepath.Join(dir, "missing")+": ")
	_, err = atomicfile.Create(dir+"/missing//out", 0o600)
	require.ErrorContains(t, err, "cannot create a file in "+filepath.Join(dir, "missing")+": ", "no doubled or trailing slash")
}

// readOnlyDir returns a directory where files cannot be created: a
// read-only tmpfs when root (permissions do not stop root), else a
// directory without write permission.
func readOnlyDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if os.Geteuid() != 0 {
		require.NoError(t, os.Chmod(dir, 0o555))
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
		return dir
	}
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", dir).CombinedOutput()
	e2etest.Require(t, err == nil, "cannot mount a read-only tmpfs: "+strings.TrimSpace(string(out)))
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	return dir
}

func TestUnwritableDirectory(t *testing.T) {
	dir := readOnlyDir(t)
	_, err := atomicfile.Create(filepath.Join(dir, "out"), 0o600)
	require.Error(t, err)
	require.ErrorContains(t, err, "cannot create a file in "+dir)
	require.NotContains(t, err.Error(), ".shipseal-", "the message names the directory, not our temporary file")
}

// tinyFS mounts a 1 MiB tmpfs (root only) and returns its path.
func tinyFS(t *testing.T) string {
	t.Helper()
	e2etest.Require(t, os.Geteuid() == 0, "mounting a tiny tmpfs needs root")
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput()
	e2etest.Require(t, err == nil, "cannot mount a tmpfs: "+strings.TrimSpace(string(out)))
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	return dir
}

// TestDiskFull: a write that does not fit fails, the existing file is
// untouched and no temporary file remains.
func TestDiskFull(t *testing.T) {
	dir := tinyFS(t)
	path := filepath.Join(dir, "out")
	require.NoError(t, atomicfile.WriteFile(path, []byte("old"), 0o600))
	err := atomicfile.WriteFile(path, bytes.Repeat([]byte("x"), 2<<20), 0o600)
	require.ErrorIs(t, err, syscall.ENOSPC)
	require.ErrorContains(t, err, "no space left on device")
	require.Equal(t, "old", readFile(t, path))
	require.Empty(t, temps(t, dir))
}

// TestConcurrentWriters: 32 writers replace one file while readers poll
// it; every read sees one writer's complete content.
func TestConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "shared")
	content := func(i int) []byte { return bytes.Repeat([]byte{byte('A' + i%26)}, 64<<10+i) }
	require.NoError(t, atomicfile.WriteFile(path, content(0), 0o600))
	valid := map[string]bool{}
	for i := range 32 {
		valid[string(content(i))] = true
	}

	stop := make(chan struct{})
	var readers sync.WaitGroup
	reads := make([]int, 4)
	for r := range reads {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				b, err := os.ReadFile(path)
				if err != nil || !valid[string(b)] {
					t.Errorf("a reader saw a torn or missing file (%d bytes, %v)", len(b), err)
					return
				}
				reads[r]++
			}
		}()
	}
	var writers sync.WaitGroup
	for i := range 32 {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for range 5 {
				if err := atomicfile.WriteFile(path, content(i), 0o600); err != nil {
					t.Errorf("writer %d: %v", i, err)
				}
			}
		}()
	}
	writers.Wait()
	close(stop)
	readers.Wait()
	require.True(t, valid[readFile(t, path)])
	require.Empty(t, temps(t, dir))
	t.Logf("reads: %v", reads)
}

// TestWriteErrorNamesTheDestination: a failed Write says which file could
// not be written, not the temporary file's name.
func TestWriteErrorNamesTheDestination(t *testing.T) {
	dir := tinyFS(t)
	path := filepath.Join(dir, "out.json")
	f, err := atomicfile.Create(path, 0o600)
	require.NoError(t, err)
	defer f.Abort()
	_, err = f.Write(bytes.Repeat([]byte("x"), 2<<20))
	require.ErrorIs(t, err, syscall.ENOSPC)
	require.EqualError(t, err, "writing "+path+": no space left on device")

	g, err := atomicfile.Create(filepath.Join(dir, "other"), 0o600)
	require.NoError(t, err)
	defer g.Abort()
	_, err = g.ReadFrom(bytes.NewReader(bytes.Repeat([]byte("x"), 2<<20)))
	require.ErrorIs(t, err, syscall.ENOSPC)
	require.NotContains(t, err.Error(), ".shipseal-")
}

// TestErrorSaysWhatFailed: a failure is an *atomicfile.Error naming the
// step, the directory and the system's reason, so callers can advise.
func TestErrorSaysWhatFailed(t *testing.T) {
	dir := readOnlyDir(t)
	_, err := atomicfile.Create(filepath.Join(dir, "out"), 0o600)
	var ae *atomicfile.Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, "create", ae.Op)
	require.Equal(t, dir, ae.Dir)
	require.Equal(t, filepath.Join(dir, "out"), ae.Path)
	if os.Geteuid() == 0 {
		require.ErrorIs(t, err, syscall.EROFS)
	} else {
		require.ErrorIs(t, err, syscall.EACCES)
	}

	full := tinyFS(t)
	err = atomicfile.WriteFile(filepath.Join(full, "big"), bytes.Repeat([]byte("x"), 2<<20), 0o600)
	require.ErrorAs(t, err, &ae)
	require.Equal(t, "write", ae.Op)
	require.ErrorIs(t, err, syscall.ENOSPC)

	// Replacing a directory: the rename fails.
	other := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(other, "sub"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(other, "sub", "x"), nil, 0o600))
	err = atomicfile.WriteFile(filepath.Join(other, "sub"), []byte("x"), 0o600)
	require.ErrorAs(t, err, &ae)
	require.Equal(t, "replace", ae.Op)
	require.NotContains(t, err.Error(), "already exists", "only NoClobber says that")
	require.Empty(t, temps(t, other))
}

// stickyDir returns a directory like /tmp: mode 1777, owned by root.
func stickyDir(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipping: giving a symbolic link to another user (chown -h) needs root")
	}
	dir := filepath.Join(t.TempDir(), "tmp")
	require.NoError(t, os.Mkdir(dir, 0o755))
	require.NoError(t, os.Chmod(dir, 0o777|fs.ModeSticky))
	st, err := os.Stat(dir)
	require.NoError(t, err)
	require.NotZero(t, st.Mode()&fs.ModeSticky)
	return dir
}

// TestSymlinkPlantedByAnotherUser: as fs.protected_symlinks does, a link
// in a sticky world-writable directory is not followed when it belongs
// to neither the running user nor the directory's owner; such a link in
// a chain is refused too. Nothing is written, and the link is kept.
func TestSymlinkPlantedByAnotherUser(t *testing.T) {
	tmp := stickyDir(t)
	const other = 1000
	elsewhere := filepath.Join(filepath.Dir(tmp), "elsewhere")
	require.NoError(t, os.Mkdir(elsewhere, 0o777))
	grab := filepath.Join(elsewhere, "grab")

	planted := filepath.Join(tmp, "dockercfg")
	require.NoError(t, os.Symlink(grab, planted))
	require.NoError(t, os.Lchown(planted, other, other))
	mine := filepath.Join(tmp, "mine")
	require.NoError(t, os.Symlink("dockercfg", mine)) // root's own link to the planted one

	for _, path := range []string{planted, mine} {
		err := atomicfile.WriteFile(path, []byte("secret"), 0o600)
		var se *atomicfile.SymlinkError
		require.ErrorAs(t, err, &se, path)
		require.Equal(t, planted, se.Link)
		require.Equal(t, other, se.LinkUID)
		require.Equal(t, tmp, se.Dir)
		require.Equal(t, 0, se.DirUID)
		require.EqualError(t, err, "not following the symbolic link "+planted+": it belongs to uid 1000, in "+tmp+
			", a sticky directory anyone can write to")
		require.NoFileExists(t, grab)
		target, err := os.Readlink(planted)
		require.NoError(t, err)
		require.Equal(t, grab, target)
		require.Empty(t, temps(t, tmp))
		require.Empty(t, temps(t, elsewhere))
	}
}

// TestSymlinkAllowedInStickyDirectory: the links fs.protected_symlinks
// lets through are followed: the running user's own, one owned by the
// sticky directory's owner, and any link outside a sticky directory.
func TestSymlinkAllowedInStickyDirectory(t *testing.T) {
	tmp := stickyDir(t)
	const other = 1000
	target := filepath.Join(filepath.Dir(tmp), "target")

	own := filepath.Join(tmp, "own")
	require.NoError(t, os.Symlink(target, own))
	require.NoError(t, atomicfile.WriteFile(own, []byte("own"), 0o600))
	require.Equal(t, "own", readFile(t, target))

	// A user's link in a sticky directory that user owns.
	theirs := filepath.Join(tmp, "theirs")
	require.NoError(t, os.Mkdir(theirs, 0o755))
	require.NoError(t, os.Chmod(theirs, 0o777|fs.ModeSticky))
	require.NoError(t, os.Chown(theirs, other, other))
	link := filepath.Join(theirs, "link")
	require.NoError(t, os.Symlink(target, link))
	require.NoError(t, os.Lchown(link, other, other))
	require.NoError(t, atomicfile.WriteFile(link, []byte("dir owner's"), 0o600))
	require.Equal(t, "dir owner's", readFile(t, target))

	// Another user's link in a world-writable directory without the
	// sticky bit (anyone may replace any file there anyway).
	open := filepath.Join(filepath.Dir(tmp), "open")
	require.NoError(t, os.Mkdir(open, 0o755))
	require.NoError(t, os.Chmod(open, 0o777))
	link = filepath.Join(open, "link")
	require.NoError(t, os.Symlink(target, link))
	require.NoError(t, os.Lchown(link, other, other))
	require.NoError(t, atomicfile.WriteFile(link, []byte("not sticky"), 0o600))
	require.Equal(t, "not sticky", readFile(t, target))
}

// TestDeviceOrPipeIsWrittenInPlace: a destination that is not a regular
// file (a named pipe here; /dev/null or /dev/stdout in use) is written
// directly, never replaced by a regular file, also through a symbolic
// link and through /proc's links to an open pipe.
func TestDeviceOrPipeIsWrittenInPlace(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	link := filepath.Join(dir, "link")
	require.NoError(t, os.Symlink("fifo", link))

	for _, path := range []string{fifo, link} {
		got := make(chan []byte)
		go func() {
			r, err := os.Open(fifo)
			if err != nil {
				got <- nil
				return
			}
			data, _ := io.ReadAll(r)
			r.Close() // before the next round opens the pipe to write
			got <- data
		}()
		require.NoError(t, atomicfile.WriteFile(path, []byte("through "+path), 0o600), path)
		st, err := os.Stat(fifo)
		require.NoError(t, err)
		require.Equal(t, fs.ModeNamedPipe, st.Mode().Type(), "the pipe was replaced")
		require.Equal(t, fs.FileMode(0o644), st.Mode().Perm(), "the pipe's mode was changed")
		select {
		case data := <-got:
			require.Equal(t, "through "+path, string(data))
		case <-time.After(time.Minute):
			t.Fatalf("%s: nothing reached the pipe's reader", path)
		}
	}
	require.Empty(t, temps(t, dir))

	// /proc/self/fd/N, as /dev/stdout is when output goes to a pipe.
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	proc := fmt.Sprintf("/proc/self/fd/%d", w.Fd())
	if _, err := os.Stat(proc); err != nil {
		w.Close()
		t.Skipf("skipping the /proc case: %v", err)
	}
	f, err := atomicfile.Create(proc, 0o600)
	require.NoError(t, err)
	_, err = f.Write([]byte("to the pipe"))
	require.NoError(t, err)
	require.NoError(t, f.Commit())
	w.Close()
	data, err := io.ReadAll(r)
	require.NoError(t, err)
	require.Equal(t, "to the pipe", string(data))
}
