//go:build unix

package faulttest

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/crypto"
	"github.com/stretchr/testify/require"
)

// shipseal is the binary under test, built by TestMain.
var shipseal string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "shipseal-faulttest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shipseal = filepath.Join(dir, "shipseal")
	build := exec.Command("go", "build", "-o", shipseal, "../../cmd/shipseal")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building shipseal: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	// Other users (TestUnreadableInput runs it as nobody) may run it.
	os.Chmod(dir, 0o755)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is how a run of shipseal ended.
type result struct {
	code           int
	stdout, stderr string
}

// command prepares a shipseal run in dir with a clean environment: no key
// or credentials leak in from the caller's.
func command(dir string, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(shipseal, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TMPDIR=" + os.TempDir()}, env...)
	return cmd
}

func run(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	return runCmd(t, command(dir, env, args...))
}

func runCmd(t *testing.T, cmd *exec.Cmd) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if cmd.Stdout == nil {
		cmd.Stdout = &stdout
	}
	cmd.Stderr = &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		require.NoError(t, err, "running shipseal")
	}
	return r
}

func mustRun(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	r := run(t, dir, env, args...)
	require.Equal(t, 0, r.code, "shipseal %s: %s", strings.Join(args, " "), r.stderr)
	return r
}

// newKey writes a fresh key file and returns it.
func newKey(t *testing.T, path string) *crypto.Key {
	t.Helper()
	k, err := crypto.GenerateKey(rand.Reader)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, k.Encode(), 0o600))
	return k
}

// writeRandom writes n random bytes (seeded) to path and returns their MD5.
func writeRandom(t *testing.T, path string, n int64, seed uint64) string {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	defer f.Close()
	h := md5.New()
	_, err = io.Copy(io.MultiWriter(f, h), io.LimitReader(seeded(seed), n))
	require.NoError(t, err)
	return hex.EncodeToString(h.Sum(nil))
}

func md5File(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	h := md5.New()
	_, err = io.Copy(h, f)
	require.NoError(t, err)
	return hex.EncodeToString(h.Sum(nil))
}

// decryptMD5 decrypts an encrypted file in-process and returns the MD5 of
// its plaintext, or the error that stopped it.
func decryptMD5(path string, key *crypto.Key) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	r, err := crypto.NewReader(f, key)
	if err != nil {
		return "", err
	}
	h := md5.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// temps lists atomicfile's temporary files in dir.
func temps(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		if m, _ := filepath.Match(".*.shipseal-*.tmp", e.Name()); m {
			out = append(out, e.Name())
		}
	}
	return out
}

// mountTmpfs mounts a tmpfs of the given size (root only) on a new
// directory, or reports why it cannot.
func mountTmpfs(t *testing.T, opts string) (string, error) {
	t.Helper()
	if os.Geteuid() != 0 {
		return "", errors.New("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir).CombinedOutput(); err != nil {
		return "", fmt.Errorf("mount -t tmpfs: %v: %s", err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() { unmount(dir) })
	return dir, nil
}

// seeded is a deterministic stream of pseudo-random bytes.
func seeded(seed uint64) io.Reader {
	var s [32]byte
	for i := range 8 {
		s[i] = byte(seed >> (8 * i))
	}
	return mrand.NewChaCha8(s)
}
