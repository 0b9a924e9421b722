// Package projectkey finds the project's key the way every shipseal command,
// the generator and the credential helper do: a --key-path flag beats the
// environment (SHIPSEAL_KEY, the base64 key itself, then SHIPSEAL_KEY_PATH),
// which beats the default search (codeship.aes in the current directory,
// then at the root of the enclosing git repository). The first key found
// is used; a variable that is set but empty counts as unset. The rule is
// documented once, in docs/cli.md.
package projectkey

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/shipseal/shipseal/crypto"
)

// DefaultName is the key file's name, as Codeship's project settings
// download it.
const DefaultName = "codeship.aes"

// Environment variables that name the key.
const (
	EnvKey     = "SHIPSEAL_KEY"
	EnvKeyPath = "SHIPSEAL_KEY_PATH"
)

// ErrNoKey means no key was found anywhere it was looked for.
var ErrNoKey = errors.New("no key found")

// ErrEmptyEnv is wrapped, with ErrNoKey, by the error about a missing key
// when $SHIPSEAL_KEY or $SHIPSEAL_KEY_PATH is set but empty: typically a
// CI secret that this build does not get, such as a fork's pull request.
var ErrEmptyEnv = errors.New("set but empty")

// ErrUnreadable means a key file exists but cannot be read (permissions,
// a directory).
var ErrUnreadable = errors.New("cannot read the key")

// ErrEnvKey is wrapped, with crypto.ErrInvalidKey, by the error about a
// malformed $SHIPSEAL_KEY, so that advice can speak of the variable and
// not of a key file.
var ErrEnvKey = errors.New("$" + EnvKey)

// Finder says where to look.
type Finder struct {
	// Path is the --key-path flag; empty if not given.
	Path string
	// NoFlag says the program has no --key-path flag (the credential
	// helper), so the error about a missing key does not list one among
	// the places looked at.
	NoFlag bool
	// Flag is the flag's name in messages, "--key-path" if empty (rekey
	// finds its new key with --new-key-path).
	Flag string
	// LookupEnv reads the environment; nil means os.LookupEnv. A variable
	// that is set but empty counts as unset, and the error about a
	// missing key says it was empty.
	LookupEnv func(string) (string, bool)
	// Getenv, when LookupEnv is nil, reads the environment instead, for
	// callers that have only a getenv; it cannot tell an empty variable
	// from an unset one, so the error does not say a variable was empty.
	Getenv func(string) string
	// Dir is where the default search starts; empty means the working
	// directory.
	Dir string
	// Warnf receives the warning, never holding a secret, that
	// $SHIPSEAL_KEY and $SHIPSEAL_KEY_PATH are both set and
	// $SHIPSEAL_KEY_PATH holds another key (or none): the first one in
	// the documented order is used, but both set is likely a mistake. Nil
	// discards it.
	Warnf func(format string, args ...any)
}

// Found is a key and where it came from ("--key-path codeship.aes",
// "$SHIPSEAL_KEY", ...), for messages.
type Found struct {
	Key    *crypto.Key
	Origin string
	// Path is the file the key was read from, empty for $SHIPSEAL_KEY.
	Path string
}

func (f Finder) flag() string {
	if f.Flag == "" {
		return "--key-path"
	}
	return f.Flag
}

// Find returns the project key: the first of --key-path, $SHIPSEAL_KEY,
// $SHIPSEAL_KEY_PATH, ./codeship.aes and codeship.aes at the git root.
// Errors say which of these the key came from and never hold its text. A
// key that is present but malformed is an error wrapping
// crypto.ErrInvalidKey; a named key file that is missing, or no key at all,
// is ErrNoKey; a key file that cannot be read is ErrUnreadable.
func (f Finder) Find() (*Found, error) {
	if f.Path != "" {
		return load(f.Path, f.flag()+" "+f.Path)
	}
	lookup := f.LookupEnv
	switch {
	case lookup != nil:
	case f.Getenv != nil:
		lookup = func(name string) (string, bool) {
			v := f.Getenv(name)
			return v, v != ""
		}
	default:
		lookup = os.LookupEnv
	}
	var empty []string
	getenv := func(name string) string {
		v, ok := lookup(name)
		if ok && v == "" {
			empty = append(empty, "$"+name)
		}
		return v
	}
	text, path := getenv(EnvKey), getenv(EnvKeyPath)
	if text != "" {
		k, err := crypto.ParseKey([]byte(text))
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrEnvKey, err)
		}
		if path != "" {
			f.warnBoth(k, path)
		}
		return &Found{Key: k, Origin: "$" + EnvKey}, nil
	}
	if path != "" {
		return load(path, "$"+EnvKeyPath+" "+path)
	}
	dir := f.Dir
	if dir == "" {
		var err error
		if dir, err = os.Getwd(); err != nil {
			return nil, fmt.Errorf("finding the key: %w", err)
		}
	}
	looked := []string{filepath.Join(dir, DefaultName)}
	if root := gitRoot(dir); root != "" && root != dir {
		looked = append(looked, filepath.Join(root, DefaultName))
	}
	for _, p := range looked {
		if _, err := os.Stat(p); err == nil {
			return load(p, p)
		}
	}
	places := append([]string{"$" + EnvKey, "$" + EnvKeyPath}, looked...)
	if !f.NoFlag {
		places = append([]string{f.flag()}, places...)
	}
	where := "looked for " + strings.Join(places, ", ")
	if len(empty) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrNoKey, where)
	}
	return nil, &emptyEnvError{fmt.Sprintf("%v: %s %s set but empty (%s the CI %s available to this build?); %s",
		ErrNoKey, strings.Join(empty, " and "), plural(len(empty), "is", "are"),
		plural(len(empty), "is", "are"), plural(len(empty), "secret", "secrets"), where)}
}

// warnBoth warns that $SHIPSEAL_KEY, k, is used while $SHIPSEAL_KEY_PATH
// names path too, unless path holds the same key.
func (f Finder) warnBoth(k *crypto.Key, path string) {
	if f.Warnf == nil {
		return
	}
	other, err := readKey(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f.Warnf("$%s and $%s are both set: using %v from $%s; $%s names %s, which does not exist",
			EnvKey, EnvKeyPath, k, EnvKey, EnvKeyPath, path)
	case err != nil:
		f.Warnf("$%s and $%s are both set: using %v from $%s; $%s names %s, which holds no usable key (%v)",
			EnvKey, EnvKeyPath, k, EnvKey, EnvKeyPath, path, err)
	case !other.Equal(k):
		f.Warnf("$%s and $%s are both set, to different keys: using %v from $%s, not %v from %s; unset the one you do not mean",
			EnvKey, EnvKeyPath, k, EnvKey, other, path)
	}
}

// emptyEnvError is the missing key's error when a key variable was empty.
type emptyEnvError struct{ msg string }

func (e *emptyEnvError) Error() string   { return e.msg }
func (e *emptyEnvError) Unwrap() []error { return []error{ErrNoKey, ErrEmptyEnv} }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// load reads the key file path, named by origin in errors.
func load(path, origin string) (*Found, error) {
	k, err := readKey(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%w: %s does not exist", ErrNoKey, origin)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", origin, err)
	}
	return &Found{Key: k, Origin: origin, Path: path}, nil
}

// readKey reads and parses a key file. Its errors do not name the file: a
// missing one is fs.ErrNotExist, one that cannot be read ErrUnreadable
// with the reason, and a malformed one crypto.ErrInvalidKey.
func readKey(path string) (*crypto.Key, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the caller names the file
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	return crypto.ParseKey(text)
}

// gitRoot returns the top of the git work tree containing dir, or "".
func gitRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}
