package main

import (
	"bytes"
	"crypto/rand"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/shipseal/shipseal/crypto"
)

// TestPlantedSymlink: an output path that is another user's symbolic link
// in a sticky, world-writable directory is refused with a hint that says
// why, and nothing is written where the link points.
func TestPlantedSymlink(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("skipping: giving a symbolic link to another user (chown -h) needs root")
	}
	dir := t.TempDir()
	k, err := crypto.GenerateKey(rand.Reader)
	require.NoError(t, err)
	keyPath := filepath.Join(dir, "codeship.aes")
	require.NoError(t, os.WriteFile(keyPath, k.Encode(), 0o600))
	in := filepath.Join(dir, "app.env")
	require.NoError(t, os.WriteFile(in, []byte("A=1\n"), 0o600))

	tmp := filepath.Join(dir, "tmp")
	require.NoError(t, os.Mkdir(tmp, 0o755))
	require.NoError(t, os.Chmod(tmp, 0o777|fs.ModeSticky))
	grab := filepath.Join(dir, "grab")
	link := filepath.Join(tmp, "app.env.encrypted")
	require.NoError(t, os.Symlink(grab, link))
	require.NoError(t, os.Lchown(link, 1000, 1000))

	var stdout, stderr bytes.Buffer
	code := execute([]string{"encrypt", "--key-path", keyPath, in, link}, strings.NewReader(""), &stdout, &stderr)
	require.Equal(t, exitFailure, code, stderr.String())
	require.Contains(t, stderr.String(), "not following the symbolic link "+link)
	require.Contains(t, stderr.String(), "shipseal: hint: another user may have planted the link")
	require.NoFileExists(t, grab)
	target, err := os.Readlink(link)
	require.NoError(t, err)
	require.Equal(t, grab, target, "the link was changed")
}
