// Package projectkey finds the project's key the way every shipseal command,
// the generator and the credential helper do: a --key-path flag beats the
// environment (SHIPSEAL_KEY, the base64 key itself, then SHIPSEAL_KEY_PATH),
// which beats the default search (codeship.aes in the current directory,
// then at the root of the enclosing git repository). The first key found
// is used; a variable that is set but empty counts as unset. The rule is
// documented once, in docs/cli.md.
//
// Messages name a key file by the path given for it, except a path that
// may be key material: a key's text given where its file's path goes
// (SHIPSEAL_KEY_PATH=<key> for SHIPSEAL_KEY=<key>, an easy slip in an env
// file) must not end up in a CI log. A path is not shown, line breaks
// ignored, when
//
//   - it is, or has in it, a key's base64 text, as crypto.ParseKey reads
//     it or in URL-safe base64 with its = padding: messages name that key
//     by its fingerprint instead ("--key-path holds a key (key eb15d4ea),
//     not a path");
//   - or it reads like random base64 rather than names, as a key with a
//     typo, cut short or without its padding does: in some 40 characters
//     of it (all of it, if shorter, from 24 on), all but at most one of
//     them from base64's alphabets (A-Z a-z 0-9 + / = - _), the number of
//     different characters plus twice the number of changes of kind is at
//     least the number of characters. The kinds are capitals, small
//     letters, digits, and + or =; a small letter after a capital is no
//     change (it is how a word starts), / - _ separate names, and a name
//     of 8 or more hex digits (a hash) counts for nothing.
//
// Random base64 scores about 30 + 2×18 in 40 characters; paths made of
// words, CamelCase, version numbers and hashes stay well below (shown.go
// has the figures). Such a path that names no file is an error wrapping
// ErrKeyNotPath, which says what the text is and where a key goes instead.
package projectkey

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

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

// ErrKeyNotPath is wrapped, with ErrNoKey, by the error about a path given
// for the key (--key-path, $SHIPSEAL_KEY_PATH) that names no file and holds
// a key's text, or looks like it (see the package doc): the text is not
// shown, the key is named by its fingerprint, and the message says where
// a key goes instead.
var ErrKeyNotPath = errors.New("a key where a path goes")

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
	// Path is the file the key was read from, empty for $SHIPSEAL_KEY. It
	// is the path as given, for reading the file: messages name it by
	// Origin, which hides a path that may be key material.
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
// is ErrNoKey, and ErrKeyNotPath as well when the missing file's path is a
// key's text or looks like it; a key file that cannot be read is
// ErrUnreadable.
func (f Finder) Find() (*Found, error) {
	if f.Path != "" {
		return load(f.Path, f.flag(), f.advice(false))
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
		return load(path, "$"+EnvKeyPath, f.advice(true))
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
			return load(p, "", "")
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
	both := fmt.Sprintf("$%s and $%s are both set", EnvKey, EnvKeyPath)
	using := fmt.Sprintf("using %v from $%s", k, EnvKey)
	other, err := readKey(path)
	p := show(path)
	switch {
	case p.masked && missing(err):
		// The likely slip: the key itself in $SHIPSEAL_KEY_PATH too.
		switch {
		case p.whole && p.key.Equal(k):
			f.Warnf("%s: %s; $%s holds that key's text, not a path: unset $%s", both, using, EnvKeyPath, EnvKeyPath)
		case p.whole:
			f.Warnf("%s: %s; $%s holds another key (%v), not a path: unset the one you do not mean", both, using, EnvKeyPath, p.key)
		case p.key != nil:
			f.Warnf("%s: %s; $%s has the text of %v in it, and names no file", both, using, EnvKeyPath, p.key)
		default:
			f.Warnf("%s: %s; $%s names no file, and looks like a key's text (not shown)", both, using, EnvKeyPath)
		}
	case missing(err):
		f.Warnf("%s: %s; $%s names %v, which does not exist", both, using, EnvKeyPath, p)
	case err != nil:
		f.Warnf("%s: %s; $%s names %v, which holds no usable key (%v)", both, using, EnvKeyPath, p, err)
	case !other.Equal(k):
		f.Warnf("%s, to different keys: using %v from $%s, not %v from %v; unset the one you do not mean",
			both, k, EnvKey, other, p)
	}
}

// advice says where a key goes, for the error about a key's text given
// for the flag's path (env false) or $SHIPSEAL_KEY_PATH's.
func (f Finder) advice(env bool) string {
	switch {
	case env:
		return fmt.Sprintf("set $%s to the key instead, or $%s to its file's path", EnvKey, EnvKeyPath)
	case f.Flag == "":
		return fmt.Sprintf("pass the key in $%s, or its file's path here", EnvKey)
	}
	return "give the path of a file that holds the key"
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

// load reads the key file path, given by source ("--key-path",
// "$SHIPSEAL_KEY_PATH"; empty for a file found by the default search), and
// says in errors where it came from. advice says where a key goes, for a
// path that turns out to be a key's text.
func load(path, source, advice string) (*Found, error) {
	p := show(path)
	origin := p.String()
	if source != "" {
		origin = source + " " + origin
	}
	k, err := readKey(path)
	switch {
	case p.masked && missing(err):
		return nil, keyNotPath(source, p, advice)
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%w: %s does not exist", ErrNoKey, origin)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", origin, err)
	}
	return &Found{Key: k, Origin: origin, Path: path}, nil
}

// missing reports whether err says that a path names no file: it does not
// exist, or a part of it that should be a directory is a file, or it is
// too long to be a path at all.
func missing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) || errors.Is(err, syscall.ENAMETOOLONG)
}

// keyNotPath is the error about p, a path given by source that names no
// file and may be key material.
func keyNotPath(source string, p shown, advice string) error {
	var msg string
	switch {
	case p.whole:
		msg = fmt.Sprintf("%s holds a key (%v), not a path", source, p.key)
	case p.key != nil:
		msg = fmt.Sprintf("%s has the text of %v in it, and names no file", source, p.key)
	case p.invalid != "":
		msg = fmt.Sprintf("%s names no file, and looks like a key's text (not shown; as a key it is invalid: %s)", source, p.invalid)
	default:
		msg = fmt.Sprintf("%s names no file, and looks like a key's text (not shown)", source)
	}
	return &keyNotPathError{msg + ": " + advice}
}

// keyNotPathError is the error of keyNotPath.
type keyNotPathError struct{ msg string }

func (e *keyNotPathError) Error() string   { return e.msg }
func (e *keyNotPathError) Unwrap() []error { return []error{ErrNoKey, ErrKeyNotPath} }

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
