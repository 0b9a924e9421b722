// Package projectkey finds the project's key the way every shipseal command
// does: a --key-path flag beats the environment (SHIPSEAL_KEY, the base64
// key itself, then SHIPSEAL_KEY_PATH), which beats the default search
// (codeship.aes in the current directory, then at the root of the enclosing
// git repository).
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

// ErrEnvKey is wrapped, with crypto.ErrInvalidKey, by the error about a
// malformed $SHIPSEAL_KEY, so that advice can speak of the variable and
// not of a key file.
var ErrEnvKey = errors.New("$" + EnvKey)

// Finder says where to look.
type Finder struct {
	// Path is the --key-path flag; empty if not given.
	Path string
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// Dir is where the default search starts; empty means the working
	// directory.
	Dir string
}

// Found is a key and where it came from ("--key-path codeship.aes",
// "$SHIPSEAL_KEY", ...), for messages.
type Found struct {
	Key    *crypto.Key
	Origin string
	// Path is the file the key was read from, empty for $SHIPSEAL_KEY.
	Path string
}

// Find returns the project key. A key that is present but malformed is an
// error wrapping crypto.ErrInvalidKey; no key at all is ErrNoKey, with the
// places looked in the message.
func (f Finder) Find() (*Found, error) {
	getenv := f.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if f.Path != "" {
		return load(f.Path, "--key-path "+f.Path)
	}
	if text := getenv(EnvKey); text != "" {
		k, err := crypto.ParseKey([]byte(text))
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrEnvKey, err)
		}
		return &Found{Key: k, Origin: "$" + EnvKey}, nil
	}
	if p := getenv(EnvKeyPath); p != "" {
		return load(p, "$"+EnvKeyPath+" "+p)
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
	return nil, fmt.Errorf("%w: looked for --key-path, $%s, $%s, %s", ErrNoKey, EnvKey, EnvKeyPath, strings.Join(looked, ", "))
}

func load(path, origin string) (*Found, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s does not exist", ErrNoKey, path)
		}
		return nil, fmt.Errorf("reading the key: %w", err)
	}
	k, err := crypto.ParseKey(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Found{Key: k, Origin: origin, Path: path}, nil
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
