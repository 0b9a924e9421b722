package projectkey_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/projectkey"
	"github.com/stretchr/testify/require"
)

// keys are five distinct keys, one per place a key can come from.
type keys struct {
	flag, env, envPath, cwd, root *crypto.Key
}

func newKey(t *testing.T, b byte) *crypto.Key {
	t.Helper()
	k, err := crypto.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{b}, 32)))
	require.NoError(t, err)
	return k
}

// project makes repo/.git, repo/codeship.aes, repo/sub/codeship.aes and
// two more key files outside, and returns repo/sub.
func project(t *testing.T) (sub string, k keys, files map[string]string) {
	t.Helper()
	base := t.TempDir()
	repo := filepath.Join(base, "repo")
	sub = filepath.Join(repo, "sub")
	require.NoError(t, os.MkdirAll(filepath.Join(repo, ".git"), 0o755))
	require.NoError(t, os.MkdirAll(sub, 0o755))
	k = keys{newKey(t, 1), newKey(t, 2), newKey(t, 3), newKey(t, 4), newKey(t, 5)}
	files = map[string]string{
		"flag":    filepath.Join(base, "flag.aes"),
		"envPath": filepath.Join(base, "env.aes"),
		"cwd":     filepath.Join(sub, projectkey.DefaultName),
		"root":    filepath.Join(repo, projectkey.DefaultName),
	}
	for name, key := range map[string]*crypto.Key{"flag": k.flag, "envPath": k.envPath, "cwd": k.cwd, "root": k.root} {
		require.NoError(t, os.WriteFile(files[name], key.Encode(), 0o600))
	}
	return sub, k, files
}

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

// TestPrecedence removes the winning source one at a time: flag, then
// $SHIPSEAL_KEY, $SHIPSEAL_KEY_PATH, ./codeship.aes, the git root's.
func TestPrecedence(t *testing.T) {
	sub, k, files := project(t)
	vars := map[string]string{
		projectkey.EnvKey:     strings.TrimSpace(string(k.env.Encode())),
		projectkey.EnvKeyPath: files["envPath"],
	}
	find := func(flag string) *projectkey.Found {
		t.Helper()
		f, err := projectkey.Finder{Path: flag, Getenv: env(vars), Dir: sub}.Find()
		require.NoError(t, err)
		return f
	}

	f := find(files["flag"])
	require.True(t, k.flag.Equal(f.Key), "the flag beats everything")
	require.Equal(t, "--key-path "+files["flag"], f.Origin)
	require.Equal(t, files["flag"], f.Path)

	f = find("")
	require.True(t, k.env.Equal(f.Key), "$SHIPSEAL_KEY beats $SHIPSEAL_KEY_PATH and files")
	require.Equal(t, "$SHIPSEAL_KEY", f.Origin)
	require.Empty(t, f.Path)

	delete(vars, projectkey.EnvKey)
	f = find("")
	require.True(t, k.envPath.Equal(f.Key), "$SHIPSEAL_KEY_PATH beats files")
	require.Equal(t, "$SHIPSEAL_KEY_PATH "+files["envPath"], f.Origin)

	delete(vars, projectkey.EnvKeyPath)
	f = find("")
	require.True(t, k.cwd.Equal(f.Key), "./codeship.aes beats the git root's")
	require.Equal(t, files["cwd"], f.Path)

	require.NoError(t, os.Remove(files["cwd"]))
	f = find("")
	require.True(t, k.root.Equal(f.Key), "the git root's codeship.aes is the last resort")
	require.Equal(t, files["root"], f.Path)

	require.NoError(t, os.Remove(files["root"]))
	_, err := projectkey.Finder{Getenv: env(vars), Dir: sub}.Find()
	require.ErrorIs(t, err, projectkey.ErrNoKey)
}

// TestWorkingDirectory: with no Dir, the search starts in the working
// directory; a .git file (a worktree or submodule) marks a root too.
func TestWorkingDirectory(t *testing.T) {
	repo := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(repo, ".git"), []byte("gitdir: /elsewhere\n"), 0o644))
	deep := filepath.Join(repo, "a", "b")
	require.NoError(t, os.MkdirAll(deep, 0o755))
	k := newKey(t, 9)
	require.NoError(t, os.WriteFile(filepath.Join(repo, projectkey.DefaultName), k.Encode(), 0o600))
	t.Chdir(deep)
	f, err := projectkey.Finder{Getenv: env(nil)}.Find()
	require.NoError(t, err)
	require.True(t, k.Equal(f.Key))
}

// TestNoKeyMessage says every place it looked.
func TestNoKeyMessage(t *testing.T) {
	sub, _, files := project(t)
	require.NoError(t, os.Remove(files["cwd"]))
	require.NoError(t, os.Remove(files["root"]))
	_, err := projectkey.Finder{Getenv: env(nil), Dir: sub}.Find()
	require.ErrorIs(t, err, projectkey.ErrNoKey)
	require.Equal(t, "no key found: looked for --key-path, $SHIPSEAL_KEY, $SHIPSEAL_KEY_PATH, "+
		files["cwd"]+", "+files["root"], err.Error())

	// Outside a git repository only the directory itself is searched.
	lone := t.TempDir()
	_, err = projectkey.Finder{Getenv: env(nil), Dir: lone}.Find()
	require.ErrorIs(t, err, projectkey.ErrNoKey)
	require.True(t, strings.HasSuffix(err.Error(), ", "+filepath.Join(lone, projectkey.DefaultName)), err.Error())
}

// TestNamedKeyMissing: a key path that is given but missing is an error,
// not a reason to look elsewhere.
func TestNamedKeyMissing(t *testing.T) {
	sub, k, _ := project(t)
	missing := filepath.Join(t.TempDir(), "nope.aes")
	for name, finder := range map[string]projectkey.Finder{
		"flag": {Path: missing, Getenv: env(map[string]string{projectkey.EnvKey: string(k.env.Encode())}), Dir: sub},
		"env":  {Getenv: env(map[string]string{projectkey.EnvKeyPath: missing}), Dir: sub},
	} {
		_, err := finder.Find()
		require.ErrorIs(t, err, projectkey.ErrNoKey, name)
		require.EqualError(t, err, "no key found: "+missing+" does not exist", name)
	}
}

// TestMalformedKeys: a malformed key where one is named is an error that
// says where it came from and what is wrong, and never shows the text.
func TestMalformedKeys(t *testing.T) {
	sub, _, _ := project(t)
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o600))
		return p
	}
	short := write("short.aes", "c2hvcnRrZXlzaG9ydGtleQ==\n")
	junk := write("junk.aes", "this is#not base64 at all\n")
	empty := write("empty.aes", "\r\n")

	for _, c := range []struct {
		name   string
		finder projectkey.Finder
		msg    string
		secret string
	}{
		{"flag short", projectkey.Finder{Path: short}, short + ": invalid key: the key decodes to 16 bytes, want 32", "c2hvcnRr"},
		{"flag junk", projectkey.Finder{Path: junk}, junk + ": invalid key: the key is not base64", "not base64 at all"},
		{"flag empty", projectkey.Finder{Path: empty}, empty + ": invalid key: the key is empty", ""},
		{"env path", projectkey.Finder{Getenv: env(map[string]string{projectkey.EnvKeyPath: short})}, short + ": invalid key: the key decodes to 16 bytes", "c2hvcnRr"},
		{"env key", projectkey.Finder{Getenv: env(map[string]string{projectkey.EnvKey: "bm90IGEga2V5"})}, "$SHIPSEAL_KEY: invalid key: the key decodes to 9 bytes, want 32", "bm90IGEga2V5"},
		{"env key junk", projectkey.Finder{Getenv: env(map[string]string{projectkey.EnvKey: "hunter2!"})}, "$SHIPSEAL_KEY: invalid key: the key is not base64", "hunter2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.finder.Dir = sub // a good ./codeship.aes must not rescue a bad named key
			if c.finder.Getenv == nil {
				c.finder.Getenv = env(nil)
			}
			_, err := c.finder.Find()
			require.ErrorIs(t, err, crypto.ErrInvalidKey)
			require.NotErrorIs(t, err, projectkey.ErrNoKey)
			require.Contains(t, err.Error(), c.msg)
			if strings.HasPrefix(c.name, "env key") {
				require.ErrorIs(t, err, projectkey.ErrEnvKey)
			} else {
				require.NotErrorIs(t, err, projectkey.ErrEnvKey)
			}
			if c.secret != "" {
				require.NotContains(t, err.Error(), c.secret)
			}
		})
	}
}

// TestUnreadableKey: a key path that cannot be read says so.
func TestUnreadableKey(t *testing.T) {
	dir := t.TempDir() // a directory is never readable as a file, even by root
	_, err := projectkey.Finder{Path: dir, Getenv: env(nil)}.Find()
	require.Error(t, err)
	require.NotErrorIs(t, err, projectkey.ErrNoKey)
	require.Contains(t, err.Error(), "reading the key")
}

func TestEnvironmentDefault(t *testing.T) {
	k := newKey(t, 11)
	t.Setenv(projectkey.EnvKey, " "+string(k.Encode())) // whitespace is fine
	t.Setenv(projectkey.EnvKeyPath, "")
	f, err := projectkey.Finder{Dir: t.TempDir()}.Find()
	require.NoError(t, err)
	require.True(t, k.Equal(f.Key), "a nil Getenv reads the process environment")
}
