package validate

import (
	"bytes"
	"path/filepath"
	"strings"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/projectkey"
)

// KeyFileError is File's error for a key file (codeship.aes): it is
// neither an encrypted file nor a secret, and has nothing to validate.
type KeyFileError struct {
	// Name is the file's name as shown.
	Name string
	// Project is true when the file is the project's key (by its name,
	// or its content equal to the key in use).
	Project bool
}

func (e *KeyFileError) Error() string {
	what := "an AES key"
	if e.Project {
		what = "the project key"
	}
	return e.Name + " is " + what + ", not an encrypted file or secret"
}

// Report is the key file's report: an error, since nothing in it can be
// validated (validate exits with 2, usage, for it: the wrong file was
// named). hint says what to do instead.
func (e *KeyFileError) Report(hint string) *diag.Report {
	what := "an AES key"
	if e.Project {
		what = "the project key"
	}
	r := &diag.Report{File: e.Name, Kind: "key"}
	r.Add(diag.Errorf(CodeKeyFile, diag.Position{}, hint, "this is %s, not an encrypted file or secret; nothing to validate", diag.Phrase(what)))
	return r
}

// maxKeyFile bounds what is parsed as a key: a key file is 44 bytes of
// base64 and a line end.
const maxKeyFile = 256

// LooksLikeKey reports whether data is shaped like a key file: one line of
// base64 that decodes to 32 bytes.
func LooksLikeKey(data []byte) bool {
	t := bytes.TrimSpace(data)
	if len(t) > maxKeyFile || bytes.ContainsAny(t, "\r\n") {
		return false
	}
	_, err := crypto.ParseKey(t)
	return err == nil
}

// IsKeyName reports whether name is a key file's: codeship.aes, in any
// letter case.
func IsKeyName(name string) bool {
	return strings.EqualFold(filepath.Base(name), projectkey.DefaultName)
}

// KeyFile returns a *KeyFileError when data, the content of the file
// called name, is a key: by its name (codeship.aes), by being project
// (the key in use, or nil), or by its shape. A v1 file of 16 bytes has a
// key's shape too, so the shape alone does not make a key of a file named
// as encrypted (*.encrypted, *.enc: see NamedEncrypted), which decrypting
// then judges, nor of one that project decrypts to text. *.aes, the key's
// own extension, is a key by its shape.
func KeyFile(name string, data []byte, project *crypto.Key) error {
	byName := IsKeyName(name)
	if !byName && !LooksLikeKey(data) {
		return nil
	}
	k, _ := crypto.ParseKey(data)
	if byName || k.Equal(project) {
		return &KeyFileError{Name: name, Project: true}
	}
	if !strings.EqualFold(filepath.Ext(name), ".aes") {
		if NamedEncrypted(name) {
			return nil // a tiny v1 file, or a wrong key: decrypting says which
		}
		if project != nil {
			if plain, _, err := Decrypt(data, project); err == nil && textCheck(plain) == nil {
				return nil // a tiny v1 file
			}
		}
	}
	return &KeyFileError{Name: name}
}

func keyFile(name string, data []byte, opts Options) error {
	if !IsKeyName(name) && !LooksLikeKey(data) {
		return nil
	}
	var project *crypto.Key
	if opts.Key != nil {
		project, _ = opts.Key() // a key file is one whatever the key
	}
	return KeyFile(name, data, project)
}
