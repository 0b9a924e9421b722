package credhelper

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/projectkey"
	"github.com/shipseal/shipseal/validate"
)

// EnvStore names the encrypted dockercfg the helper serves.
const EnvStore = "SHIPSEAL_DOCKERCFG"

// DefaultPath returns the store's path: $SHIPSEAL_DOCKERCFG, else
// shipseal/dockercfg.encrypted under the user's configuration directory
// (os.UserConfigDir: $XDG_CONFIG_HOME or ~/.config on Linux).
func DefaultPath() (string, error) {
	if p := os.Getenv(EnvStore); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the credential store: %w; set $%s to its path", err, EnvStore)
	}
	return filepath.Join(dir, "shipseal", "dockercfg.encrypted"), nil
}

// newStore is the content that store writes into a store that does not
// exist yet, in docker's own layout.
var newStore = []byte("{\n\t\"auths\": {}\n}\n")

// contents is a decrypted store.
type contents struct {
	path    string
	exists  bool
	plain   []byte // the decrypted dockercfg, as written
	cfg     *dockercfg.Config
	version crypto.Version
	perm    fs.FileMode
	key     *crypto.Key
}

// read decrypts and parses the store. A store that does not exist is
// empty; key is called only when there is a file to decrypt.
func read(path string, key func() (*crypto.Key, error)) (*contents, error) {
	c := &contents{path: path, version: crypto.V2, perm: 0o600}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		c.cfg = &dockercfg.Config{Format: dockercfg.FormatConfigJSON}
		return c, nil
	}
	if err != nil {
		return nil, accessError("read", path, err)
	}
	c.exists = true
	if info, err := os.Stat(path); err == nil {
		c.perm = info.Mode().Perm()
	}
	if c.key, err = key(); err != nil {
		return nil, fmt.Errorf("cannot decrypt the credential store %s: %w", path, err)
	}
	if c.plain, c.version, err = validate.Decrypt(data, c.key); err != nil {
		return nil, c.decryptError(err)
	}
	c.cfg, err = parse(c.plain, c.key)
	if err != nil {
		return nil, c.decryptError(err)
	}
	return c, nil
}

// errWrongKey is what a v1 store, which has no checksum, decrypts to with
// the wrong key: bytes that are not a dockercfg.
var errWrongKey = errors.New("it does not decrypt to text, so the key is not the one it was encrypted with")

// wrongKeyHint follows a wrong key's error. Damage to the start of a v2
// file (its IV or checksum), or anywhere in a v1 file, reads as a wrong
// key too: nothing in the file tells the two apart.
const wrongKeyHint = "point $" + projectkey.EnvKeyPath + " at the key it was encrypted with (if it is that key, the file is damaged: restore it)"

func (c *contents) decryptError(err error) error {
	switch {
	case errors.Is(err, crypto.ErrWrongKey): // names the key already
		return fmt.Errorf("cannot decrypt the credential store %s: %w; %s", c.path, err, wrongKeyHint)
	case errors.Is(err, errWrongKey):
		return fmt.Errorf("cannot decrypt the credential store %s with %v: %w; %s", c.path, c.key, err, wrongKeyHint)
	case errors.Is(err, crypto.ErrChecksum):
		return fmt.Errorf("cannot decrypt the credential store %s with %v: %w; the file is damaged, or the key is not the one it was encrypted with", c.path, c.key, err)
	case errors.Is(err, crypto.ErrNotEncrypted), errors.Is(err, crypto.ErrUnsupportedVersion), errors.Is(err, crypto.ErrTruncated):
		return fmt.Errorf("the credential store %s is damaged: %w; restore it, or encrypt a dockercfg to it with `shipseal encrypt`", c.path, err)
	}
	return fmt.Errorf("the credential store %s is not a valid dockercfg: %w; see `shipseal validate %s`", c.path, err, c.path)
}

// ignored are the errors of dockercfg.Validate that do not stop a file
// from being a credential store: they say that some registry's
// credentials are not in it (held by another helper, an empty entry, none
// at all), which only matters to a file handed to docker as config.json;
// or they fault one entry that docker still reads (an empty password,
// which get answers as not found). One such entry must not stop docker
// from using every other registry in the store. (A username beside auth
// that disagrees with it, DC014, is only a warning: docker uses auth.)
var ignored = map[string]bool{
	dockercfg.CodeNoCredential:    true,
	dockercfg.CodeHelperHeld:      true,
	dockercfg.CodeNoCredentials:   true,
	dockercfg.CodeEmptyCredential: true,
}

// parse reads decrypted store content. Unlike dockercfg.Parse it accepts
// a store without any registry (every one erased), and white space only
// or {} (an emptied legacy file) as an empty store.
func parse(plain []byte, key *crypto.Key) (*dockercfg.Config, error) {
	if trimmed := trimJSONSpace(plain); len(trimmed) == 0 || isEmptyObject(trimmed) {
		return &dockercfg.Config{Format: dockercfg.FormatConfigJSON}, nil
	}
	cfg, r := dockercfg.Validate("", plain, dockercfg.Options{Decrypted: true, KeyFingerprint: key.Fingerprint()})
	for _, d := range r.Diagnostics {
		if d.Severity != diag.Error || ignored[d.Code] {
			continue
		}
		if d.WrongKey {
			return nil, errWrongKey
		}
		msg := d.Code + ": " + r.Message(d)
		if d.Pos.Line > 0 {
			msg = d.Pos.String() + ": " + msg
		}
		return nil, errors.New(msg)
	}
	if cfg == nil {
		return nil, errors.New("it is not a docker credentials file")
	}
	return cfg, nil
}

func isEmptyObject(b []byte) bool {
	return len(b) >= 2 && b[0] == '{' && b[len(b)-1] == '}' && len(trimJSONSpace(b[1:len(b)-1])) == 0
}

// trimJSONSpace trims the white space JSON allows, and no other.
func trimJSONSpace(b []byte) []byte { return bytes.Trim(b, " \t\r\n") }

// registries returns the object that holds the registries in plain: the
// value of "auths", or the top level of a legacy file. It is nil when a
// config.json has no "auths" (or "auths": null).
func registries(plain []byte, format dockercfg.Format) (root, regs *object, err error) {
	start := bytes.IndexByte(plain, '{')
	if start < 0 {
		return nil, nil, errors.New("no JSON object")
	}
	if root, err = readObject(plain, start); err != nil {
		return nil, nil, err
	}
	if format == dockercfg.FormatLegacy {
		return root, root, nil
	}
	i := root.last("auths")
	if i < 0 || plain[root.members[i].valStart] != '{' {
		return root, nil, nil
	}
	regs, err = readObject(plain, root.members[i].valStart)
	return root, regs, err
}

// write encrypts plain into the store atomically, in the store's format
// version. The plaintext never reaches the disk: it is encrypted in memory
// into the temporary file that replaces the store.
func (c *contents) write(plain []byte) error {
	if err := os.MkdirAll(filepath.Dir(c.path), 0o700); err != nil {
		return fmt.Errorf("cannot create the credential store's directory: %w", err)
	}
	f, err := atomicfile.Create(c.path, c.perm)
	if err != nil {
		return fmt.Errorf("cannot write the credential store: %w", err)
	}
	defer f.Abort()
	if err := crypto.Encrypt(f, bytes.NewReader(plain), c.key, crypto.WriteOptions{Version: c.version}); err != nil {
		return fmt.Errorf("cannot write the credential store %s: %w", c.path, err)
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("cannot write the credential store: %w", err)
	}
	return nil
}
