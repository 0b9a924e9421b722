package validate

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"strings"
	"unicode/utf16"

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

// maxKeyFile bounds the text parsed as a key, without what surrounds it:
// a key is 44 bytes of base64.
const maxKeyFile = 256

// utf8BOM is the byte order mark that Notepad puts at the start of a
// UTF-8 file.
var utf8BOM = []byte("\uFEFF")

// keyShape returns the key whose text data is, or nil: one line of base64
// that decodes to 32 bytes, with what an editor adds around it allowed (a
// UTF-8 byte order mark, a line end, CRLF too, blank space), in UTF-8 or
// in UTF-16 (see keyText). A line break inside the text makes no key.
func keyShape(data []byte) *crypto.Key {
	t := bytes.TrimSpace(keyText(data))
	t = bytes.TrimSpace(bytes.TrimPrefix(t, utf8BOM))
	if len(t) == 0 || len(t) > maxKeyFile || bytes.ContainsAny(t, "\r\n") {
		return nil
	}
	k, err := crypto.ParseKey(t)
	if err != nil {
		return nil
	}
	return k
}

// keyText returns data as UTF-8 when it is UTF-16 text, as Notepad saves
// "Unicode" and PowerShell's Out-File writes: with a byte order mark (FF FE
// or FE FF), or without one when every other byte is zero and the others
// are ASCII (iconv -t UTF-16LE). Other data is returned as it is. The key
// loader refuses UTF-16 (crypto.ParseKey says to save the key as plain
// text), but committed, such a file leaks the key all the same.
func keyText(data []byte) []byte {
	if len(data) < 2 || len(data)%2 != 0 {
		return data
	}
	var order binary.ByteOrder
	switch {
	case data[0] == 0xff && data[1] == 0xfe:
		order, data = binary.LittleEndian, data[2:]
	case data[0] == 0xfe && data[1] == 0xff:
		order, data = binary.BigEndian, data[2:]
	case asciiUTF16(data, 1):
		order = binary.LittleEndian
	case asciiUTF16(data, 0):
		order = binary.BigEndian
	default:
		return data
	}
	units := make([]uint16, 0, min(len(data)/2, 2*maxKeyFile))
	text := 0 // code units other than blank space: a key's are few
	for i := 0; i < len(data); i += 2 {
		u := order.Uint16(data[i:])
		if u > ' ' {
			if text++; text > maxKeyFile {
				return data // too long for a key's text, which keyShape sees
			}
		}
		units = append(units, u)
	}
	return []byte(string(utf16.Decode(units)))
}

// asciiUTF16 reports whether data, of even length, is ASCII text in UTF-16
// without a byte order mark: the byte at zero (0 or 1) of each pair is
// zero, and the other is an ASCII character other than NUL.
func asciiUTF16(data []byte, zero int) bool {
	for i := 0; i < len(data); i += 2 {
		if c := data[i+1-zero]; data[i+zero] != 0 || c == 0 || c >= 0x80 {
			return false
		}
	}
	return true
}

// LooksLikeKey reports whether data is shaped like a key file: one line of
// base64 that decodes to 32 bytes, as an editor may have saved it (with a
// UTF-8 byte order mark, a line end, CRLF too, or blank space around it,
// or as UTF-16, with or without a byte order mark). The key loader may
// refuse some of that, but committed or given as a file to check, such a
// file is a key all the same.
func LooksLikeKey(data []byte) bool {
	return keyShape(data) != nil
}

// IsKeyName reports whether name is a key file's: codeship.aes, in any
// letter case, in any directory. Both '/' and '\' end a directory's name,
// on every system, so that a git path and a Windows path name get the same
// verdict wherever shipseal runs.
func IsKeyName(name string) bool {
	return strings.EqualFold(pathBase(name), projectkey.DefaultName)
}

// pathBase is the last element of name, a path with '/' or '\' (or the
// system's separator) between its elements.
func pathBase(name string) string {
	base := filepath.Base(name)
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	return base
}

// KeyContent returns the key that data, the content of the file called
// name, holds, or nil when by its content the file is no key: the rule
// that KeyFile (for validate and decrypt) and shipseal check (CK001) both
// apply, so that they agree. data is a key when
// it has a key's shape (LooksLikeKey). A v1 file of 16 bytes has that
// shape too, so the shape alone does not make a key of a file named as
// encrypted (*.encrypted, *.enc: see NamedEncrypted), which decrypting
// then judges, nor of one that project (the key in use, or nil) decrypts
// to text, by decrypt's own test for a wrong key (valid UTF-8 without NUL
// bytes). Neither exception applies to the project key itself, nor to
// *.aes, the key's own extension, where the shape is a key. Text saved as
// UTF-16 is decoded first, then judged by the same rule: the key loader
// refuses such a file, but its content is a key all the same.
func KeyContent(name string, data []byte, project *crypto.Key) *crypto.Key {
	k := keyShape(data)
	if k == nil || k.Equal(project) || strings.EqualFold(filepath.Ext(name), ".aes") {
		return k
	}
	if NamedEncrypted(name) {
		return nil // a tiny v1 file, or a wrong key: decrypting says which
	}
	if project != nil {
		if plain, _, err := Decrypt(keyText(data), project); err == nil && crypto.CheckText(plain) == nil {
			return nil // a tiny v1 file
		}
	}
	return k
}

// KeyFile returns a *KeyFileError when data, the content of the file
// called name, is a key: by its name (codeship.aes: see IsKeyName), or by
// its content (see KeyContent; project is the key in use, or nil).
func KeyFile(name string, data []byte, project *crypto.Key) error {
	if IsKeyName(name) {
		return &KeyFileError{Name: name, Project: true}
	}
	k := KeyContent(name, data, project)
	if k == nil {
		return nil
	}
	return &KeyFileError{Name: name, Project: k.Equal(project)}
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
