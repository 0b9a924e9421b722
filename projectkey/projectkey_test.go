package projectkey_test

import (
	"bytes"
	"fmt"
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

// env is a LookupEnv over vars: a name in vars with "" is set but empty.
func env(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}

// warnings collects what a Finder warns about.
type warnings []string

func (w *warnings) warnf(format string, args ...any) { *w = append(*w, fmt.Sprintf(format, args...)) }

// TestPrecedence removes the winning source one at a time: flag, then
// $SHIPSEAL_KEY, $SHIPSEAL_KEY_PATH, ./codeship.aes, the git root's.
func TestPrecedence(t *testing.T) {
	sub, k, files := project(t)
	vars := map[string]string{
		projectkey.EnvKey:     strings.TrimSpace(string(k.env.Encode())),
		projectkey.EnvKeyPath: files["envPath"],
	}
	var warned warnings
	find := func(flag string) *projectkey.Found {
		t.Helper()
		f, err := projectkey.Finder{Path: flag, LookupEnv: env(vars), Dir: sub, Warnf: warned.warnf}.Find()
		require.NoError(t, err)
		return f
	}

	f := find(files["flag"])
	require.True(t, k.flag.Equal(f.Key), "the flag beats everything")
	require.Equal(t, "--key-path "+files["flag"], f.Origin)
	require.Equal(t, files["flag"], f.Path)
	require.Empty(t, warned, "the flag is chosen on purpose: no warning about the variables")

	f = find("")
	require.True(t, k.env.Equal(f.Key), "$SHIPSEAL_KEY beats $SHIPSEAL_KEY_PATH and files")
	require.Equal(t, "$SHIPSEAL_KEY", f.Origin)
	require.Empty(t, f.Path)
	require.Equal(t, warnings{"$SHIPSEAL_KEY and $SHIPSEAL_KEY_PATH are both set, to different keys: using key " + k.env.Fingerprint() +
		" from $SHIPSEAL_KEY, not key " + k.envPath.Fingerprint() + " from " + files["envPath"] + "; unset the one you do not mean"}, warned)
	warned = nil

	delete(vars, projectkey.EnvKey)
	f = find("")
	require.True(t, k.envPath.Equal(f.Key), "$SHIPSEAL_KEY_PATH beats files")
	require.Equal(t, "$SHIPSEAL_KEY_PATH "+files["envPath"], f.Origin)
	require.Empty(t, warned)

	delete(vars, projectkey.EnvKeyPath)
	f = find("")
	require.True(t, k.cwd.Equal(f.Key), "./codeship.aes beats the git root's")
	require.Equal(t, files["cwd"], f.Path)

	require.NoError(t, os.Remove(files["cwd"]))
	f = find("")
	require.True(t, k.root.Equal(f.Key), "the git root's codeship.aes is the last resort")
	require.Equal(t, files["root"], f.Path)

	require.NoError(t, os.Remove(files["root"]))
	_, err := projectkey.Finder{LookupEnv: env(vars), Dir: sub}.Find()
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
	f, err := projectkey.Finder{LookupEnv: env(nil)}.Find()
	require.NoError(t, err)
	require.True(t, k.Equal(f.Key))
}

// TestNoKeyMessage says every place it looked.
func TestNoKeyMessage(t *testing.T) {
	sub, _, files := project(t)
	require.NoError(t, os.Remove(files["cwd"]))
	require.NoError(t, os.Remove(files["root"]))
	_, err := projectkey.Finder{LookupEnv: env(nil), Dir: sub}.Find()
	require.ErrorIs(t, err, projectkey.ErrNoKey)
	require.Equal(t, "no key found: looked for --key-path, $SHIPSEAL_KEY, $SHIPSEAL_KEY_PATH, "+
		files["cwd"]+", "+files["root"], err.Error())

	// Outside a git repository only the directory itself is searched.
	lone := t.TempDir()
	_, err = projectkey.Finder{LookupEnv: env(nil), Dir: lone}.Find()
	require.ErrorIs(t, err, projectkey.ErrNoKey)
	require.True(t, strings.HasSuffix(err.Error(), ", "+filepath.Join(lone, projectkey.DefaultName)), err.Error())

	// A program without a --key-path flag does not say it looked for one.
	_, err = projectkey.Finder{NoFlag: true, LookupEnv: env(nil), Dir: sub}.Find()
	require.ErrorIs(t, err, projectkey.ErrNoKey)
	require.Equal(t, "no key found: looked for $SHIPSEAL_KEY, $SHIPSEAL_KEY_PATH, "+
		files["cwd"]+", "+files["root"], err.Error())
	_, err = projectkey.Finder{NoFlag: true, LookupEnv: env(map[string]string{projectkey.EnvKey: ""}), Dir: sub}.Find()
	require.ErrorIs(t, err, projectkey.ErrEmptyEnv)
	require.NotContains(t, err.Error(), "--key-path")
}

// TestNamedKeyMissing: a key path that is given but missing is an error,
// not a reason to look elsewhere.
func TestNamedKeyMissing(t *testing.T) {
	sub, k, _ := project(t)
	missing := filepath.Join(t.TempDir(), "nope.aes")
	for name, finder := range map[string]projectkey.Finder{
		"flag": {Path: missing, LookupEnv: env(map[string]string{projectkey.EnvKey: string(k.env.Encode())}), Dir: sub},
		"env":  {LookupEnv: env(map[string]string{projectkey.EnvKeyPath: missing}), Dir: sub},
	} {
		_, err := finder.Find()
		require.ErrorIs(t, err, projectkey.ErrNoKey, name)
		require.NotErrorIs(t, err, projectkey.ErrEmptyEnv, name)
	}
	_, err := projectkey.Finder{Path: missing, LookupEnv: env(nil), Dir: sub}.Find()
	require.EqualError(t, err, "no key found: --key-path "+missing+" does not exist")
	_, err = projectkey.Finder{LookupEnv: env(map[string]string{projectkey.EnvKeyPath: missing}), Dir: sub}.Find()
	require.EqualError(t, err, "no key found: $SHIPSEAL_KEY_PATH "+missing+" does not exist")
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
		{"flag short", projectkey.Finder{Path: short}, "--key-path " + short + ": invalid key: the key decodes to 16 bytes, want 32", "c2hvcnRr"},
		{"flag junk", projectkey.Finder{Path: junk}, "--key-path " + junk + ": invalid key: the key is not base64", "not base64 at all"},
		{"flag empty", projectkey.Finder{Path: empty}, "--key-path " + empty + ": invalid key: the key is empty", ""},
		{"env path", projectkey.Finder{LookupEnv: env(map[string]string{projectkey.EnvKeyPath: short})}, "$SHIPSEAL_KEY_PATH " + short + ": invalid key: the key decodes to 16 bytes", "c2hvcnRr"},
		{"env key", projectkey.Finder{LookupEnv: env(map[string]string{projectkey.EnvKey: "bm90IGEga2V5"})}, "$SHIPSEAL_KEY: invalid key: the key decodes to 9 bytes, want 32", "bm90IGEga2V5"},
		{"env key junk", projectkey.Finder{LookupEnv: env(map[string]string{projectkey.EnvKey: "hunter2!"})}, "$SHIPSEAL_KEY: invalid key: the key is not base64", "hunter2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.finder.Dir = sub // a good ./codeship.aes must not rescue a bad named key
			if c.finder.LookupEnv == nil {
				c.finder.LookupEnv = env(nil)
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
	_, err := projectkey.Finder{Path: dir, LookupEnv: env(nil)}.Find()
	require.ErrorIs(t, err, projectkey.ErrUnreadable)
	require.NotErrorIs(t, err, projectkey.ErrNoKey)
	require.EqualError(t, err, "--key-path "+dir+": cannot read the key: is a directory")
}

func TestEnvironmentDefault(t *testing.T) {
	k := newKey(t, 11)
	t.Setenv(projectkey.EnvKey, " "+string(k.Encode())) // whitespace is fine
	t.Setenv(projectkey.EnvKeyPath, "")
	f, err := projectkey.Finder{Dir: t.TempDir()}.Find()
	require.NoError(t, err)
	require.True(t, k.Equal(f.Key), "a nil Getenv reads the process environment")
}

// TestBothVariables: with $SHIPSEAL_KEY and $SHIPSEAL_KEY_PATH both set,
// $SHIPSEAL_KEY is used, as documented; one warning says so unless the
// file holds the same key. No warning ever shows a key's text.
func TestBothVariables(t *testing.T) {
	sub, k, files := project(t)
	text := strings.TrimSpace(string(k.env.Encode()))
	same := filepath.Join(t.TempDir(), "same.aes")
	require.NoError(t, os.WriteFile(same, k.env.Encode(), 0o600))
	bad := filepath.Join(t.TempDir(), "bad.aes")
	require.NoError(t, os.WriteFile(bad, []byte("c2hvcnRrZXlzaG9ydGtleQ==\n"), 0o600))
	missing := filepath.Join(t.TempDir(), "missing.aes")

	for _, c := range []struct {
		name, path string
		want       []string
	}{
		{"the same key", same, nil},
		{"another key", files["envPath"], []string{"to different keys: using key " + k.env.Fingerprint() + " from $SHIPSEAL_KEY, not key " + k.envPath.Fingerprint() + " from " + files["envPath"]}},
		{"a malformed key", bad, []string{"both set: using key " + k.env.Fingerprint() + " from $SHIPSEAL_KEY; $SHIPSEAL_KEY_PATH names " + bad + ", which holds no usable key (invalid key: the key decodes to 16 bytes, want 32)"}},
		{"a missing file", missing, []string{"both set: using key " + k.env.Fingerprint() + " from $SHIPSEAL_KEY; $SHIPSEAL_KEY_PATH names " + missing + ", which does not exist"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var warned warnings
			f, err := projectkey.Finder{
				LookupEnv: env(map[string]string{projectkey.EnvKey: text, projectkey.EnvKeyPath: c.path}),
				Dir:       sub,
				Warnf:     warned.warnf,
			}.Find()
			require.NoError(t, err)
			require.True(t, k.env.Equal(f.Key))
			require.Len(t, warned, len(c.want))
			for i, w := range c.want {
				require.Contains(t, warned[i], w)
				require.NotContains(t, warned[i], text[:8])
				require.NotContains(t, warned[i], "c2hvcnRr")
			}
		})
	}

	// A nil Warnf is fine.
	f, err := projectkey.Finder{LookupEnv: env(map[string]string{projectkey.EnvKey: text, projectkey.EnvKeyPath: files["envPath"]}), Dir: sub}.Find()
	require.NoError(t, err)
	require.True(t, k.env.Equal(f.Key))
}

// TestEmptyVariables: a variable set to "" (a CI secret this build does
// not get) counts as unset, and the error about a missing key says so.
func TestEmptyVariables(t *testing.T) {
	sub, k, files := project(t)

	// With a key file around, the search goes on to it, silently.
	var warned warnings
	f, err := projectkey.Finder{LookupEnv: env(map[string]string{projectkey.EnvKey: "", projectkey.EnvKeyPath: ""}), Dir: sub, Warnf: warned.warnf}.Find()
	require.NoError(t, err)
	require.True(t, k.cwd.Equal(f.Key))
	require.Empty(t, warned)
	f, err = projectkey.Finder{LookupEnv: env(map[string]string{projectkey.EnvKey: "", projectkey.EnvKeyPath: files["envPath"]}), Dir: sub}.Find()
	require.NoError(t, err)
	require.True(t, k.envPath.Equal(f.Key), "an empty $SHIPSEAL_KEY does not hide $SHIPSEAL_KEY_PATH")

	require.NoError(t, os.Remove(files["cwd"]))
	require.NoError(t, os.Remove(files["root"]))
	looked := "looked for --key-path, $SHIPSEAL_KEY, $SHIPSEAL_KEY_PATH, " + files["cwd"] + ", " + files["root"]
	for _, c := range []struct {
		name string
		vars map[string]string
		msg  string
	}{
		{"key", map[string]string{projectkey.EnvKey: ""},
			"no key found: $SHIPSEAL_KEY is set but empty (is the CI secret available to this build?); " + looked},
		{"path", map[string]string{projectkey.EnvKeyPath: ""},
			"no key found: $SHIPSEAL_KEY_PATH is set but empty (is the CI secret available to this build?); " + looked},
		{"both", map[string]string{projectkey.EnvKey: "", projectkey.EnvKeyPath: ""},
			"no key found: $SHIPSEAL_KEY and $SHIPSEAL_KEY_PATH are set but empty (are the CI secrets available to this build?); " + looked},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := projectkey.Finder{LookupEnv: env(c.vars), Dir: sub}.Find()
			require.ErrorIs(t, err, projectkey.ErrNoKey)
			require.ErrorIs(t, err, projectkey.ErrEmptyEnv)
			require.EqualError(t, err, c.msg)
		})
	}

	// Unset variables are not mentioned.
	_, err = projectkey.Finder{LookupEnv: env(nil), Dir: sub}.Find()
	require.NotErrorIs(t, err, projectkey.ErrEmptyEnv)
	require.NotContains(t, err.Error(), "empty")

	// Nor is an empty variable when the flag names a missing file.
	_, err = projectkey.Finder{Path: files["cwd"], LookupEnv: env(map[string]string{projectkey.EnvKey: ""}), Dir: sub}.Find()
	require.EqualError(t, err, "no key found: --key-path "+files["cwd"]+" does not exist")
}

// TestKeyFileText: a key file saved by Notepad (a UTF-8 byte order mark,
// CRLF) or with trailing blanks is read as the key it holds.
func TestKeyFileText(t *testing.T) {
	k := newKey(t, 12)
	text := strings.TrimSpace(string(k.Encode()))
	dir := t.TempDir()
	for name, content := range map[string]string{
		"bom.aes":      "\uFEFF" + text + "\r\n",
		"crlf.aes":     text + "\r\n",
		"trailing.aes": text + " \t\n\n",
	} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		f, err := projectkey.Finder{Path: p, LookupEnv: env(nil)}.Find()
		require.NoError(t, err, name)
		require.True(t, k.Equal(f.Key), name)
	}
}

// TestUnreadableDefaultKey: a codeship.aes that cannot be read is an error,
// not a reason to go on to the git root's.
func TestUnreadableDefaultKey(t *testing.T) {
	sub, _, files := project(t)
	require.NoError(t, os.Remove(files["cwd"]))
	require.NoError(t, os.Mkdir(files["cwd"], 0o700))
	_, err := projectkey.Finder{LookupEnv: env(nil), Dir: sub}.Find()
	require.ErrorIs(t, err, projectkey.ErrUnreadable)
	require.EqualError(t, err, files["cwd"]+": cannot read the key: is a directory")
}

// TestGetenv: a Finder with only a getenv finds the same keys; an empty
// variable is unset, and is not reported as set but empty.
func TestGetenv(t *testing.T) {
	sub, k, files := project(t)
	vars := map[string]string{projectkey.EnvKey: "", projectkey.EnvKeyPath: files["envPath"]}
	getenv := func(name string) string { return vars[name] }
	f, err := projectkey.Finder{Getenv: getenv, Dir: sub}.Find()
	require.NoError(t, err)
	require.True(t, k.envPath.Equal(f.Key))

	require.NoError(t, os.Remove(files["cwd"]))
	require.NoError(t, os.Remove(files["root"]))
	vars[projectkey.EnvKeyPath] = ""
	_, err = projectkey.Finder{Getenv: getenv, Dir: sub}.Find()
	require.ErrorIs(t, err, projectkey.ErrNoKey)
	require.NotErrorIs(t, err, projectkey.ErrEmptyEnv)

	// LookupEnv wins over Getenv.
	_, err = projectkey.Finder{Getenv: getenv, LookupEnv: env(vars), Dir: sub}.Find()
	require.ErrorIs(t, err, projectkey.ErrEmptyEnv)
}
