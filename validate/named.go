package validate

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/internal/shellquote"
)

// NamedEncrypted reports whether name says that its file is encrypted: it
// ends in .encrypted, .enc or .aes, in any letter case. Such a file is
// given to Codeship to decrypt, so plaintext in it is an error wherever
// shipseal meets it.
func NamedEncrypted(name string) bool {
	base := strings.ToLower(filepath.Base(name))
	for _, s := range encryptedSuffixes {
		if len(base) > len(s) && strings.HasSuffix(base, s) {
			return true
		}
	}
	return false
}

// NotEncryptedError is the error for a file named as encrypted (see
// NamedEncrypted) whose content is not: plaintext, or nothing at all.
// Codeship cannot decrypt it, and a secret in it is in the clear. It
// wraps crypto.ErrNotEncrypted, as decrypt's error for such a file does.
type NotEncryptedError struct {
	// Name is the file's name as shown.
	Name string
	// Empty is true when the file holds nothing but whitespace.
	Empty bool
}

func (e *NotEncryptedError) Error() string {
	return e.Name + " is named as an encrypted file but " + e.what()
}

func (e *NotEncryptedError) what() string {
	if e.Empty {
		return "it is empty: Codeship cannot decrypt it"
	}
	return "it is plaintext: Codeship cannot decrypt it, and what it holds is in the clear"
}

func (e *NotEncryptedError) Unwrap() error { return crypto.ErrNotEncrypted }

// Hint says how to make the file what its name says.
func (e *NotEncryptedError) Hint() string {
	plain := filepath.Join(filepath.Dir(e.Name), BaseName(e.Name))
	if e.Empty {
		return fmt.Sprintf("encrypt the content it should hold (shipseal encrypt PLAINTEXT %s), or delete it", shellquote.Quote(e.Name))
	}
	return fmt.Sprintf("encrypt it under its plaintext name (mv %s %s && shipseal encrypt %s %s) and commit only the encrypted file",
		shellquote.Quote(e.Name), shellquote.Quote(plain), shellquote.Quote(plain), shellquote.Quote(e.Name))
}

// Diagnostic is the error as a finding about the whole file (EN001, as
// for any other file that is not encrypted): exit code 4, like decrypt's
// for the same file.
func (e *NotEncryptedError) Diagnostic() diag.Diagnostic {
	d := diag.Errorf(CodeNotEncrypted, diag.Position{}, e.Hint(), "named as an encrypted file but %s", diag.Phrase(e.what()))
	d.WrongKey = true // cannot be decrypted, as every other EN001
	return d
}

// CheckNamed returns a *NotEncryptedError when name says that its file is
// encrypted and data, its content, is not. Every command that reads an
// encrypted file by name (validate, exec, edit) applies it, so that none
// of them takes such a file for a valid one.
func CheckNamed(name string, data []byte) error {
	if !NamedEncrypted(name) || IsEncrypted(data) {
		return nil
	}
	return &NotEncryptedError{Name: name, Empty: len(bytes.TrimSpace(data)) == 0}
}
