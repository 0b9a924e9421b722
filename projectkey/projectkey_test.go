package projectkey_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/projectkey"
	"github.com/stretchr/testify/require"
)

// randomKey is a key with random-looking text, the same for each seed.
func randomKey(t *testing.T, seed byte) *crypto.Key {
	t.Helper()
	var s [32]byte
	s[0] = seed
	k, err := crypto.GenerateKey(rand.NewChaCha8(s))
	require.NoError(t, err)
	return k
}

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
	// Keys with random-looking text, as real ones are.
	k.env, k.envPath = randomKey(t, 2), randomKey(t, 3)
	require.NoError(t, os.WriteFile(files["envPath"], k.envPath.Encode(), 0o600))
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
		// The key's text in both (SHIPSEAL_KEY_PATH=<key>, a slip).
		{"the same key's text", text, []string{"both set: using key " + k.env.Fingerprint() + " from $SHIPSEAL_KEY; $SHIPSEAL_KEY_PATH holds that key's text, not a path: unset $SHIPSEAL_KEY_PATH"}},
		{"another key's text", strings.TrimSpace(string(k.envPath.Encode())), []string{"both set: using key " + k.env.Fingerprint() + " from $SHIPSEAL_KEY; $SHIPSEAL_KEY_PATH holds another key (key " +
			k.envPath.Fingerprint() + "), not a path: unset the one you do not mean"}},
		{"a path with a key's text", "/tmp/" + text, []string{"both set: using key " + k.env.Fingerprint() + " from $SHIPSEAL_KEY; $SHIPSEAL_KEY_PATH has the text of key " +
			k.env.Fingerprint() + " in it, and names no file"}},
		{"a broken key's text", strings.TrimSuffix(text, "="), []string{"both set: using key " + k.env.Fingerprint() + " from $SHIPSEAL_KEY; $SHIPSEAL_KEY_PATH names no file, and looks like a key's text (not shown)"}},
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
				requireNoKeyText(t, warned[i], text)
				requireNoKeyText(t, warned[i], string(k.envPath.Encode()))
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

// requireNoKeyText fails if msg holds 8 characters in a row of text, the
// key's text or a broken one.
func requireNoKeyText(t *testing.T, msg, text string) {
	t.Helper()
	for i := 0; i+8 <= len(text); i++ {
		require.NotContains(t, msg, text[i:i+8], "the message shows the key")
	}
}

// TestKeyAsPath: a key's text given where its file's path goes, by the
// flag or $SHIPSEAL_KEY_PATH, is an error that names the key by its
// fingerprint, says where a key goes, and never shows the text; so is text
// that contains a key, or reads like a broken one.
func TestKeyAsPath(t *testing.T) {
	sub, _, _ := project(t) // a good ./codeship.aes must not be used instead
	key := randomKey(t, 1)
	text := strings.TrimSpace(string(key.Encode()))
	fp := key.Fingerprint()
	const (
		flagAdvice  = ": pass the key in $SHIPSEAL_KEY, or its file's path here"
		envAdvice   = ": set $SHIPSEAL_KEY to the key instead, or $SHIPSEAL_KEY_PATH to its file's path"
		otherAdvice = ": give the path of a file that holds the key"
	)
	for _, c := range []struct {
		name, value, msg string
	}{
		{"the key", text, "holds a key (key " + fp + "), not a path"},
		{"the key and a newline", text + "\n", "holds a key (key " + fp + "), not a path"},
		{"the key, quoted", `"` + text + `"`, "holds a key (key " + fp + "), not a path"},
		{"the key, URL-safe", strings.NewReplacer("+", "-", "/", "_").Replace(text), "holds a key (key " + fp + "), not a path"},
		{"a path with the key", "/tmp/" + text, "has the text of key " + fp + " in it, and names no file"},
		{"the key as a file name", text + ".aes", "has the text of key " + fp + " in it, and names no file"},
		{"the key without its padding", strings.TrimSuffix(text, "="),
			"names no file, and looks like a key's text (not shown; as a key it is invalid: the key is not base64: the = padding at the end is missing)"},
		{"the key with a space", text[:20] + " " + text[21:],
			"names no file, and looks like a key's text (not shown; as a key it is invalid: the key is not base64: it contains a space at byte 21)"},
		{"the key cut short", text[:36],
			"names no file, and looks like a key's text (not shown; as a key it is invalid: the key decodes to 27 bytes, want 32)"},
		{"a path with a broken key", "/run/" + text[:30] + "." + text[31:],
			"names no file, and looks like a key's text (not shown; as a key it is invalid: the key is not base64: it contains a character base64 does not use at byte 36)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, f := range []struct {
				source, advice string
				finder         projectkey.Finder
			}{
				{"--key-path", flagAdvice, projectkey.Finder{Path: c.value, LookupEnv: env(nil)}},
				{"--new-key-path", otherAdvice, projectkey.Finder{Path: c.value, Flag: "--new-key-path", LookupEnv: env(nil)}},
				{"$SHIPSEAL_KEY_PATH", envAdvice, projectkey.Finder{LookupEnv: env(map[string]string{projectkey.EnvKeyPath: c.value})}},
				{"$SHIPSEAL_KEY_PATH", envAdvice, projectkey.Finder{NoFlag: true, LookupEnv: env(map[string]string{projectkey.EnvKeyPath: c.value})}},
			} {
				f.finder.Dir = sub
				found, err := f.finder.Find()
				require.Nil(t, found)
				require.ErrorIs(t, err, projectkey.ErrKeyNotPath)
				require.ErrorIs(t, err, projectkey.ErrNoKey, "a missing key, as far as callers are concerned (exit 3)")
				require.EqualError(t, err, f.source+" "+c.msg+f.advice)
				requireNoKeyText(t, err.Error(), c.value)
			}
		})
	}
}

// TestMaskedPathThatExists: a file whose path holds a key's text, or looks
// like one, is read, and named without its path.
func TestMaskedPathThatExists(t *testing.T) {
	k := randomKey(t, 4)
	dir := t.TempDir()
	t.Chdir(dir)
	named := "Xb9sWPCe2QTSYnK9lLN7qTaQGfHPtsqUnsEZpbM80W4" // reads like a key (no padding)
	require.NoError(t, os.WriteFile(named, k.Encode(), 0o600))
	f, err := projectkey.Finder{Path: named, LookupEnv: env(nil)}.Find()
	require.NoError(t, err)
	require.True(t, k.Equal(f.Key))
	require.Equal(t, "--key-path (text that looks like a key's, not shown)", f.Origin)
	require.Equal(t, named, f.Path, "Path is for reading the file")

	// One that cannot be read says so, without its path.
	require.NoError(t, os.Remove(named))
	require.NoError(t, os.Mkdir(named, 0o700))
	_, err = projectkey.Finder{LookupEnv: env(map[string]string{projectkey.EnvKeyPath: named})}.Find()
	require.ErrorIs(t, err, projectkey.ErrUnreadable)
	require.EqualError(t, err, "$SHIPSEAL_KEY_PATH (text that looks like a key's, not shown): cannot read the key: is a directory")

	// A key's own text as a file name (a key without a /).
	for seed := byte(5); strings.Contains(string(k.Encode()), "/"); seed++ {
		k = randomKey(t, seed)
	}
	text := strings.TrimSpace(string(k.Encode()))
	require.NoError(t, os.WriteFile(text, k.Encode(), 0o600))
	f, err = projectkey.Finder{Path: text, LookupEnv: env(nil)}.Find()
	require.NoError(t, err)
	require.Equal(t, "--key-path (the text of key "+k.Fingerprint()+", not shown)", f.Origin)
}

// TestOrdinaryPathsInMessages: paths that hold no key are shown as given.
func TestOrdinaryPathsInMessages(t *testing.T) {
	for _, p := range []string{
		"/home/runner/work/shipseal/shipseal/codeship.aes",
		"/Users/JaneDoe/Documents/Projects/MyApp2024/codeship.aes",
		"/builds/MyGroup/MySubGroup/MyProject.tmp/SHIPSEAL_KEY_PATH",
	} {
		_, err := projectkey.Finder{Path: p, LookupEnv: env(nil)}.Find()
		require.EqualError(t, err, "no key found: --key-path "+p+" does not exist")
		require.NotErrorIs(t, err, projectkey.ErrKeyNotPath)
	}
}
