//go:build unix

package faulttest

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/internal/e2etest"
	"github.com/stretchr/testify/require"
)

// fixture is a directory with a key, a plaintext and its encryption.
type fixture struct {
	dir, key, plain, enc string
	plainMD5, encMD5     string
	env                  []string
}

func newFixture(t *testing.T, size int64) *fixture {
	t.Helper()
	dir := t.TempDir()
	f := &fixture{dir: dir, key: filepath.Join(dir, "codeship.aes"), plain: filepath.Join(dir, "plain.bin"), enc: filepath.Join(dir, "plain.enc")}
	newKey(t, f.key)
	f.env = []string{"SHIPSEAL_KEY_PATH=" + f.key}
	f.plainMD5 = writeRandom(t, f.plain, size, 7)
	mustRun(t, dir, f.env, "encrypt", "--no-validate", f.plain, f.enc)
	f.encMD5 = md5File(t, f.enc)
	return f
}

// requireInputsIntact checks that a failed run changed neither input.
func (f *fixture) requireInputsIntact(t *testing.T) {
	t.Helper()
	require.Equal(t, f.plainMD5, md5File(t, f.plain), "the plaintext input changed")
	require.Equal(t, f.encMD5, md5File(t, f.enc), "the encrypted input changed")
}

// TestDiskFull fills a 1 MiB tmpfs: encrypt and decrypt fail with exit 1
// and a message that names the output and the reason; an existing output
// is untouched, no new or temporary file remains, the input is intact.
func TestDiskFull(t *testing.T) {
	full, err := mountTmpfs(t, "size=1m")
	e2etest.Require(t, err == nil, fmt.Sprint("a tiny tmpfs is needed to fill a disk: ", err))
	f := newFixture(t, 4<<20)
	for _, c := range []struct {
		name string
		args func(out string) []string
	}{
		{"encrypt", func(out string) []string { return []string{"encrypt", "--no-validate", f.plain, out} }},
		{"encrypt v1", func(out string) []string { return []string{"encrypt", "--v1", "--no-validate", f.plain, out} }},
		{"decrypt", func(out string) []string { return []string{"decrypt", f.enc, out} }},
	} {
		t.Run(c.name, func(t *testing.T) {
			existing := filepath.Join(full, "existing")
			require.NoError(t, os.WriteFile(existing, []byte("old content\n"), 0o644))
			r := run(t, f.dir, f.env, c.args(existing)...)
			require.Equal(t, 1, r.code, r.stderr)
			require.Contains(t, r.stderr, "shipseal: error: ")
			require.Contains(t, r.stderr, "writing "+existing+": no space left on device")
			require.Contains(t, r.stderr, "shipseal: hint: free some space on that file system (df -h "+full+"), or write the output somewhere else\n")
			require.NotContains(t, r.stderr, ".shipseal-", "the message names the output, not a temporary file")
			got, err := os.ReadFile(existing)
			require.NoError(t, err)
			require.Equal(t, "old content\n", string(got), "the existing output must be untouched")

			fresh := filepath.Join(full, "fresh")
			r = run(t, f.dir, f.env, c.args(fresh)...)
			require.Equal(t, 1, r.code, r.stderr)
			require.NoFileExists(t, fresh, "no partial output")
			require.Empty(t, temps(t, full))
			f.requireInputsIntact(t)
		})
	}
}

// TestStdoutFull writes to /dev/full: a write error on standard output is
// exit 1 with the reason, not a silent truncation.
func TestStdoutFull(t *testing.T) {
	devFull, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	e2etest.Require(t, err == nil, fmt.Sprint("/dev/full is needed: ", err))
	defer devFull.Close()
	f := newFixture(t, 1<<20)
	for _, args := range [][]string{
		{"decrypt", f.enc},
		{"encrypt", "--no-validate", f.plain},
		{"encrypt", "--v1", "--no-validate", f.plain},
	} {
		cmd := command(f.dir, f.env, args...)
		cmd.Stdout = devFull
		r := runCmd(t, cmd)
		require.Equal(t, 1, r.code, "%v: %s", args, r.stderr)
		require.Contains(t, r.stderr, "no space left on device")
	}
	f.requireInputsIntact(t)
}

// nobody is the unprivileged user restricted runs use when the test runs
// as root, for whom permissions do not apply.
const nobody = 65534

// openUp lets nobody reach dir: t.TempDir's directories are 0700.
func openUp(t *testing.T, dir string) {
	t.Helper()
	for d := dir; d != os.TempDir() && d != "/" && d != "."; d = filepath.Dir(d) {
		require.NoError(t, os.Chmod(d, 0o755))
	}
}

// runRestricted runs shipseal where permissions apply: as nobody when
// the test is root, as the test's own user otherwise.
func runRestricted(t *testing.T, f *fixture, args ...string) result {
	t.Helper()
	cmd := command(f.dir, f.env, args...)
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	}
	return runCmd(t, cmd)
}

// restrictedFixture is a fixture whose files nobody can use.
func restrictedFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, 64<<10)
	openUp(t, f.dir)
	if os.Geteuid() == 0 {
		for _, p := range []string{f.dir, f.key, f.plain, f.enc} {
			require.NoError(t, os.Chown(p, nobody, nobody))
		}
	}
	return f
}

// TestUnreadableInput: an input without read permission is exit 1 with
// "cannot read IN: permission denied"; nothing is written.
func TestUnreadableInput(t *testing.T) {
	f := restrictedFixture(t)
	require.NoError(t, os.Chmod(f.plain, 0o000))
	require.NoError(t, os.Chmod(f.enc, 0o000))
	if os.Geteuid() == 0 {
		// Owned by root and unreadable: nobody cannot read it.
		require.NoError(t, os.Chown(f.plain, 0, 0))
		require.NoError(t, os.Chown(f.enc, 0, 0))
	}
	out := filepath.Join(f.dir, "out")
	for _, c := range []struct {
		args []string
		in   string
	}{
		{[]string{"encrypt", "--no-validate", f.plain, out}, f.plain},
		{[]string{"decrypt", f.enc, out}, f.enc},
	} {
		r := runRestricted(t, f, c.args...)
		require.Equal(t, 1, r.code, r.stderr)
		require.Contains(t, r.stderr, "shipseal: error: cannot read "+c.in+": permission denied")
		require.NoFileExists(t, out)
		require.Empty(t, temps(t, f.dir))
	}
	// A directory as input.
	r := run(t, f.dir, f.env, "decrypt", f.dir, out)
	require.Equal(t, 1, r.code)
	require.Contains(t, r.stderr, "cannot read "+f.dir+": it is a directory")
}

// TestUnwritableDirectory: an output directory without write permission
// is exit 1 with "cannot create a file in DIR: permission denied", and an
// existing output there is untouched, even if the file itself is
// writable (replacing it atomically needs the directory).
func TestUnwritableDirectory(t *testing.T) {
	f := restrictedFixture(t)
	locked := filepath.Join(f.dir, "locked")
	require.NoError(t, os.Mkdir(locked, 0o755))
	existing := filepath.Join(locked, "existing")
	require.NoError(t, os.WriteFile(existing, []byte("old"), 0o666))
	require.NoError(t, os.Chmod(existing, 0o666))
	require.NoError(t, os.Chmod(locked, 0o555))
	defer os.Chmod(locked, 0o755)
	for _, out := range []string{existing, filepath.Join(locked, "new")} {
		for _, args := range [][]string{
			{"encrypt", "--no-validate", f.plain, out},
			{"decrypt", f.enc, out},
		} {
			r := runRestricted(t, f, args...)
			require.Equal(t, 1, r.code, r.stderr)
			require.Regexp(t, "shipseal: error: cannot create a file in "+regexp.QuoteMeta(locked)+"/?: permission denied", r.stderr)
			require.Contains(t, r.stderr, "shipseal: hint: write somewhere you can, or check the directory's permissions: ls -ld "+locked+"\n")
		}
	}
	got, err := os.ReadFile(existing)
	require.NoError(t, err)
	require.Equal(t, "old", string(got))
	require.NoFileExists(t, filepath.Join(locked, "new"))
	require.Empty(t, temps(t, locked))
	f.requireInputsIntact(t)
}

// TestReadOnlyFilesystem: a read-only mount is exit 1 with the reason.
func TestReadOnlyFilesystem(t *testing.T) {
	ro, err := mountTmpfs(t, "ro,size=1m")
	e2etest.Require(t, err == nil, fmt.Sprint("a read-only tmpfs is needed: ", err))
	f := newFixture(t, 64<<10)
	r := run(t, f.dir, f.env, "decrypt", f.enc, filepath.Join(ro, "out"))
	require.Equal(t, 1, r.code, r.stderr)
	require.Regexp(t, "cannot create a file in "+regexp.QuoteMeta(ro)+"/?: read-only file system", r.stderr)
	require.Contains(t, r.stderr, "shipseal: hint: "+ro+" is on a read-only file system: write the output somewhere else\n")
}

// TestOtherFilesystem: an output on another filesystem than the input
// (and than the working and temporary directories) works: the temporary
// file is created beside the output, so the final rename never crosses
// filesystems. Through a symbolic link into that filesystem too.
func TestOtherFilesystem(t *testing.T) {
	other, err := mountTmpfs(t, "size=64m")
	e2etest.Require(t, err == nil, fmt.Sprint("a second filesystem (tmpfs) is needed: ", err))
	f := newFixture(t, 8<<20)
	out := filepath.Join(other, "plain.out")
	mustRun(t, f.dir, f.env, "decrypt", f.enc, out)
	require.Equal(t, f.plainMD5, md5File(t, out))
	st, err := os.Stat(out)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	mustRun(t, f.dir, f.env, "encrypt", "--no-validate", f.plain, filepath.Join(other, "plain.enc"))
	sum, err := decryptMD5(filepath.Join(other, "plain.enc"), mustKey(t, f.key))
	require.NoError(t, err)
	require.Equal(t, f.plainMD5, sum)

	link := filepath.Join(f.dir, "link.out")
	require.NoError(t, os.Symlink(filepath.Join(other, "via-link"), link))
	mustRun(t, f.dir, f.env, "decrypt", f.enc, link)
	require.Equal(t, f.plainMD5, md5File(t, filepath.Join(other, "via-link")))
	require.Empty(t, temps(t, other))
	require.Empty(t, temps(t, f.dir))
	f.requireInputsIntact(t)
}

// TestSymlinkedOutput: writing to a symbolic link replaces the file it
// points to (mode 0600 for plaintext) and keeps the link; a dangling link
// creates its target; a link to the input is refused as the same file.
func TestSymlinkedOutput(t *testing.T) {
	f := newFixture(t, 64<<10)
	targetDir := filepath.Join(f.dir, "secrets")
	require.NoError(t, os.Mkdir(targetDir, 0o755))
	target := filepath.Join(targetDir, "plain.txt")
	require.NoError(t, os.WriteFile(target, []byte("old"), 0o644))
	link := filepath.Join(f.dir, "out")
	require.NoError(t, os.Symlink("secrets/plain.txt", link))

	mustRun(t, f.dir, f.env, "decrypt", f.enc, link)
	require.Equal(t, f.plainMD5, md5File(t, target))
	st, err := os.Lstat(link)
	require.NoError(t, err)
	require.NotZero(t, st.Mode()&os.ModeSymlink, "the link is kept")
	st, err = os.Stat(target)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "decrypted content is private")
	require.Empty(t, temps(t, targetDir))
	require.Empty(t, temps(t, f.dir))

	dangling := filepath.Join(f.dir, "dangling")
	require.NoError(t, os.Symlink("secrets/new.txt", dangling))
	mustRun(t, f.dir, f.env, "decrypt", f.enc, dangling)
	require.Equal(t, f.plainMD5, md5File(t, filepath.Join(targetDir, "new.txt")))

	toInput := filepath.Join(f.dir, "to-input")
	require.NoError(t, os.Symlink(f.enc, toInput))
	r := run(t, f.dir, f.env, "decrypt", f.enc, toInput)
	require.Equal(t, 2, r.code, r.stderr)
	require.Contains(t, r.stderr, "input and output are the same file")
	f.requireInputsIntact(t)
}

// TestConcurrentRuns starts 32 runs of one command writing one path while
// readers poll it: every read sees one run's complete output.
func TestConcurrentRuns(t *testing.T) {
	const runs = 32
	f := newFixture(t, 1)
	key := mustKey(t, f.key)
	type job struct {
		name  string
		args  func(i int, out string) []string
		env   func(i int) []string
		valid func(data []byte, path string) bool
	}
	plains := make([]string, runs)
	sums := map[string]bool{}
	for i := range plains {
		plains[i] = filepath.Join(f.dir, fmt.Sprintf("plain%d", i))
		sums[writeRandom(t, plains[i], 256<<10+int64(i), uint64(100+i))] = true
	}
	encs := make([]string, runs)
	for i := range encs {
		encs[i] = plains[i] + ".enc"
		mustRun(t, f.dir, f.env, "encrypt", "--no-validate", plains[i], encs[i])
	}
	registry := func(i int) string { return fmt.Sprintf("r%d.example.com", i) }
	jobs := []job{
		{"decrypt", func(i int, out string) []string { return []string{"decrypt", "--binary", encs[i], out} }, nil,
			func(data []byte, _ string) bool { return sums[md5Bytes(data)] }},
		{"encrypt", func(i int, out string) []string { return []string{"encrypt", "--no-validate", plains[i], out} }, nil,
			func(_ []byte, path string) bool { s, err := decryptMD5(path, key); return err == nil && sums[s] }},
		{"generate", func(_ int, out string) []string { return []string{"generate", out} },
			func(i int) []string {
				return []string{fmt.Sprintf(`DOCKER_AUTH_CONFIG={"auths":{%q:{"auth":"dTpw"}}}`, registry(i))}
			},
			func(data []byte, _ string) bool {
				var cfg struct{ Auths map[string]any }
				if json.Unmarshal(data, &cfg) != nil || len(cfg.Auths) != 1 {
					return false
				}
				for i := range runs {
					if _, ok := cfg.Auths[registry(i)]; ok {
						return true
					}
				}
				return false
			}},
	}
	for _, j := range jobs {
		t.Run(j.name, func(t *testing.T) {
			dir := filepath.Join(f.dir, j.name)
			require.NoError(t, os.Mkdir(dir, 0o755))
			out := filepath.Join(dir, "shared")
			env := func(i int) []string {
				e := append([]string(nil), f.env...)
				if j.env != nil {
					e = append(e, j.env(i)...)
				}
				return e
			}
			mustRun(t, f.dir, env(0), j.args(0, out)...) // readers start from a valid file

			stop := make(chan struct{})
			var readers sync.WaitGroup
			reads := make([]int, 3)
			for r := range reads {
				readers.Add(1)
				go func() {
					defer readers.Done()
					snap := filepath.Join(dir, fmt.Sprintf("snapshot%d", r))
					for {
						select {
						case <-stop:
							return
						default:
						}
						data, err := os.ReadFile(out)
						if err != nil {
							t.Errorf("reader: %v", err)
							return
						}
						// Validate a private copy: the path may change under us.
						if err := os.WriteFile(snap, data, 0o600); err != nil {
							t.Errorf("reader: %v", err)
							return
						}
						if !j.valid(data, snap) {
							t.Errorf("a reader saw an incomplete or invalid file (%d bytes)", len(data))
							return
						}
						reads[r]++
					}
				}()
			}
			var wg sync.WaitGroup
			codes := make([]result, runs)
			for i := range runs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					codes[i] = run(t, f.dir, env(i), j.args(i, out)...)
				}()
			}
			wg.Wait()
			close(stop)
			readers.Wait()
			for i, r := range codes {
				require.Equal(t, 0, r.code, "run %d: %s", i, r.stderr)
			}
			data, err := os.ReadFile(out)
			require.NoError(t, err)
			require.True(t, j.valid(data, out))
			require.Empty(t, temps(t, dir))
			t.Logf("%d concurrent runs; readers checked %v complete files", runs, reads)
		})
	}
}

func md5Bytes(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}

func mustKey(t *testing.T, path string) *crypto.Key {
	t.Helper()
	text, err := os.ReadFile(path)
	require.NoError(t, err)
	k, err := crypto.ParseKey(text)
	require.NoError(t, err)
	return k
}
