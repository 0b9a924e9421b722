//go:build unix

package validate_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/shipseal/shipseal/validate"
	"github.com/stretchr/testify/require"
)

// walk returns what Walk passes to its function: paths relative to dir,
// in order, and the paths that came with an error.
func walk(t *testing.T, dir string) (files, failed []string) {
	t.Helper()
	err := validate.Walk(dir, func(path string, err error) error {
		rel, rerr := filepath.Rel(dir, path)
		require.NoError(t, rerr)
		if err != nil {
			failed = append(failed, rel)
		} else {
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	require.NoError(t, err)
	return files, failed
}

// TestWalk: a directory is walked as a linter does: the files validate
// recognises by name, in lexical order; version control directories,
// symbolic links to directories, special files and shipseal's own
// temporary files are left alone.
func TestWalk(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{
		"env", "env.encrypted", ".env", ".env.production", "app.env", "codeship.aes",
		"dockercfg", "dockercfg.json", "ci/prod-dockercfg.json", ".dockercfg", "config.json", "app/config/config.json",
		"secrets.json.enc", "sub/deep/staging.env.encrypted",
		// Not recognised, or not the project's.
		"notes.txt", "package.json", ".envrc", "docs/dockercfg.md", "dockercfg_test.go", "README",
		".git/env", ".git/config.json", "sub/.hg/x.env", "vendor/.svn/env.encrypted",
		".env.shipseal-123-0123abcd.tmp",
	} {
		p := filepath.Join(dir, f)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte("A=1\n"), 0o644))
	}
	require.NoError(t, os.Mkdir(filepath.Join(dir, "elsewhere"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "elsewhere", "linked.env"), []byte("A=1\n"), 0o644))
	require.NoError(t, os.Symlink(filepath.Join(dir, "elsewhere"), filepath.Join(dir, "sub", "dirlink")))
	require.NoError(t, os.Symlink(filepath.Join(dir, "env"), filepath.Join(dir, "sub", "filelink.env")))
	require.NoError(t, os.Symlink(filepath.Join(dir, "missing"), filepath.Join(dir, "sub", "dangling.env")))
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "sub", "fifo.env"), 0o600))

	files, failed := walk(t, dir)
	require.Empty(t, failed)
	require.Equal(t, []string{
		".dockercfg", ".env", ".env.production", "app/config/config.json", "app.env", "ci/prod-dockercfg.json",
		"codeship.aes", "config.json", "dockercfg", "dockercfg.json", "elsewhere/linked.env", "env", "env.encrypted",
		"secrets.json.enc", "sub/deep/staging.env.encrypted", "sub/filelink.env",
	}, files)

	// A link to a directory, named as the directory to walk, is followed;
	// the paths keep its name.
	link := filepath.Join(t.TempDir(), "link")
	require.NoError(t, os.Symlink(filepath.Join(dir, "sub"), link))
	files, failed = walk(t, link)
	require.Empty(t, failed)
	require.Equal(t, []string{"deep/staging.env.encrypted", "filelink.env"}, files)
	require.NoError(t, validate.Walk(link, func(path string, err error) error {
		require.Equal(t, filepath.Join(link, "deep", "staging.env.encrypted"), path)
		return filepath.SkipAll
	}))

	// A directory that does not exist is the walk's one error.
	files, failed = walk(t, filepath.Join(dir, "nothing"))
	require.Empty(t, files)
	require.Equal(t, []string{"."}, failed)
}

// TestForeign: met in a walk, another program's config.json is left
// alone; docker's, by its directory or its content, is not, nor is any
// other recognised file.
func TestForeign(t *testing.T) {
	other := []byte(`{"development": {"username": "app", "password": "s3cr3t", "database": "db"}}`)
	docker := []byte(`{"auths": {"registry.example.com": {"auth": "dTpw"}}}`)
	for _, c := range []struct {
		path    string
		data    []byte
		foreign bool
	}{
		{"config/config.json", other, true},
		{"Config.JSON", []byte(`{"name": "x"}`), true},
		{"config.json", nil, true},
		{"config/config.json", docker, false},
		{".docker/config.json", other, false},
		{"ci/docker/config.json", nil, false},
		{"dockercfg.json", other, false},
		{"config.json.encrypted", other, false},
	} {
		require.Equal(t, c.foreign, validate.Foreign(c.path, c.data), c.path)
	}
}
