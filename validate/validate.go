// Package validate says what a secret file is and whether it is right: it
// decrypts an encrypted file in memory (never on disk), recognises a
// dockercfg or an env file by name and content, and runs the matching
// validator. Every command that validates (validate, encrypt, check, edit,
// rekey) goes through it, so they all agree.
package validate

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/envfile"
	"github.com/shipseal/shipseal/projectkey"
)

// Kind is what a file holds.
type Kind string

// The kinds of file shipseal knows.
const (
	Auto      Kind = ""
	Dockercfg Kind = "dockercfg"
	Env       Kind = "env"
	Encrypted Kind = "encrypted"
	Unknown   Kind = "unknown"
)

// ParseKind parses a --type value.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(strings.ToLower(s)); k {
	case Auto, "auto":
		return Auto, nil
	case Dockercfg, Env:
		return k, nil
	case "dotenv", "envfile":
		return Env, nil
	}
	return "", fmt.Errorf("unknown type %q: want dockercfg, env or auto", s)
}

// Options configure validation.
type Options struct {
	// Kind forces the kind of the (decrypted) content; Auto detects it.
	Kind Kind
	// Dialect is the env file dialect.
	Dialect envfile.Dialect
	// AutoDialect picks the dialect from each file's name instead
	// (DialectFromName): the --dialect auto that most commands default to.
	AutoDialect bool
	// Strict turns warnings into errors.
	Strict bool
	// Key returns the project key; it is only called for encrypted input.
	// A nil Key, or one that returns an error wrapping projectkey.ErrNoKey,
	// means the content is not checked (the envelope still is); any other
	// error is returned by File.
	Key func() (*crypto.Key, error)
	// NoKeyIsError makes a missing key an error returned by File instead of
	// a note (validate needs the key, check does not).
	NoKeyIsError bool
	// Explicit is for files named to be validated (shipseal validate), not
	// met among others: with Strict, a file of no known kind is then an
	// error (EN006), not a note.
	Explicit bool
	// Path is the file the data was read from, as a command would name
	// it, for the commands that hints suggest (dockercfg's DC016); empty
	// for standard input. File leaves it out for an encrypted file's
	// content.
	Path string
}

// Codes of the findings about the encrypted envelope itself.
const (
	CodeNotEncrypted   = "EN001" // not base64 or too short, or named as encrypted but plaintext or empty
	CodeWrongKey       = "EN002" // v2 checksum does not decrypt
	CodeChecksum       = "EN003" // v2 checksum mismatch: corrupt
	CodeVersion        = "EN004" // unsupported version
	CodeNotText        = "EN005" // v1 decrypts to non-text: wrong key
	CodeUnknownContent = "EN006" // neither a dockercfg nor an env file (an error with Options.Explicit and Strict)
	CodeUnreadable     = "EN007" // the file cannot be read
	CodeKeyFile        = "EN008" // a key file where a file to check goes
)

// File validates one file: name is shown in diagnostics (and used to guess
// the kind), data is its content. A key file is not validated: File
// returns a *KeyFileError. A file named as encrypted that is not (see
// CheckNamed) is an error, EN001, whatever its content.
func File(name string, data []byte, opts Options) (*diag.Report, error) {
	if err := keyFile(name, data, opts); err != nil {
		return nil, err
	}
	if err := CheckNamed(name, data); err != nil {
		return notEncrypted(name, data, opts, err.(*NotEncryptedError)), nil
	}
	if !IsEncrypted(data) {
		return Plain(name, data, opts, nil), nil
	}
	r := &diag.Report{File: name, Kind: string(Encrypted), Encrypted: true}
	env, err := crypto.Inspect(bytes.NewReader(data))
	if err != nil {
		r.Add(envelopeDiag(err, nil))
		return r, nil
	}
	r.Version = int(env.Version)
	var key *crypto.Key
	if opts.Key != nil {
		key, err = opts.Key()
	} else {
		err = projectkey.ErrNoKey
	}
	if err != nil {
		if opts.NoKeyIsError || !errors.Is(err, projectkey.ErrNoKey) {
			return nil, err
		}
		r.Notes = append(r.Notes, fmt.Sprintf("encrypted (%v, %d bytes of plaintext); content not checked: no key", env.Version, env.PlaintextSize))
		return r, nil
	}
	plain, version, err := Decrypt(data, key)
	if err != nil {
		r.Add(envelopeDiag(err, key))
		return r, nil
	}
	// A v2 checksum has proved the key right: content that is not text
	// or not JSON is then what was encrypted, not a sign of a wrong key.
	unverified := key
	if version == crypto.V2 {
		unverified = nil
	}
	if opts.AutoDialect {
		// By the file's own name: the name Plain gets has lost a suffix.
		opts.Dialect, opts.AutoDialect = DialectFromName(name), false
	}
	opts.Path = "" // the content is in no file of its own
	inner := Plain(strings.TrimSuffix(name, filepath.Ext(name)), plain, opts, unverified)
	inner.File, inner.Encrypted, inner.Version = name, true, int(version)
	return inner, nil
}

// notEncrypted is the report on a file named as encrypted that is not
// (ne): that error, then what its content is, since the secrets in it are
// to be encrypted as they are. An empty file has no content to report on.
func notEncrypted(name string, data []byte, opts Options, ne *NotEncryptedError) *diag.Report {
	var r *diag.Report
	if ne.Empty {
		kind := KindFromName(name)
		if kind == Auto {
			kind = Unknown
		}
		r = &diag.Report{File: name, Kind: string(kind)}
	} else {
		r = Plain(name, data, opts, nil)
		r.Notes = nil // "not validated (use --type)" is beside the point
	}
	r.Diagnostics = append([]diag.Diagnostic{ne.Diagnostic()}, r.Diagnostics...)
	return r
}

// Decrypt decrypts a whole file in memory.
func Decrypt(data []byte, key *crypto.Key) ([]byte, crypto.Version, error) {
	r, err := crypto.NewReader(bytes.NewReader(data), key)
	if err != nil {
		return nil, 0, err
	}
	var out bytes.Buffer
	if _, err := out.ReadFrom(r); err != nil {
		return nil, r.Version(), err
	}
	return out.Bytes(), r.Version(), nil
}

// Plain validates plaintext. key is the key it was decrypted with when
// nothing has checked that key (a v1 file), so that content that is not
// text is reported as a wrong key; it is nil for a file that was never
// encrypted, or whose v2 checksum matched.
func Plain(name string, data []byte, opts Options, key *crypto.Key) *diag.Report {
	r, _ := PlainEnv(name, data, opts, key)
	return r
}

// PlainEnv is Plain that also returns the env file it parsed, for a caller
// that goes on to read its variables (shipseal check's search for secrets
// in them): data is parsed once. The file is nil when data was not read as
// an env file, or when the env file's parser found errors in it (as for
// envfile.Validate; its warnings, promoted by Strict or not, do not count).
func PlainEnv(name string, data []byte, opts Options, key *crypto.Key) (*diag.Report, *envfile.File) {
	kind := opts.Kind
	if kind == Auto {
		kind = DetectKind(name, data)
	}
	fp := ""
	if key != nil {
		fp = key.Fingerprint()
	}
	if opts.AutoDialect {
		opts.Dialect = DialectFromName(name)
	}
	var r *diag.Report
	var f *envfile.File
	switch kind {
	case Dockercfg:
		_, r = dockercfg.Validate(name, data, dockercfg.Options{Decrypted: key != nil, KeyFingerprint: fp, Path: opts.Path})
	case Env:
		f, r = envfile.Validate(name, data, envfile.Options{Dialect: opts.Dialect, Decrypted: key != nil, KeyFingerprint: fp})
		if f != nil {
			checkAuthConfig(r, f, data)
		}
	default:
		r = &diag.Report{File: name, Kind: string(Unknown)}
		if key != nil {
			// A v1 file has no checksum: content that is not text is
			// binary content or a wrong key's noise, told apart by its
			// shape (crypto.NotTextError.Binary) when they can be.
			var nt *crypto.NotTextError
			if err := crypto.CheckText(data); errors.As(err, &nt) && !nt.Binary() {
				r.Add(diag.Diagnostic{Code: CodeNotText, Severity: diag.Error, WrongKey: true,
					Message: fmt.Sprintf("decrypted data is not text: a binary file or the wrong key (key %s)", fp),
					Hint: "a v1 file has no checksum, so shipseal cannot tell which: check that this is the project's key; " +
						"a binary file has nothing to validate (decrypt it with --binary)"})
			} else if nt != nil {
				unknownContent(r, "decrypted content is a binary file, neither a dockercfg nor an env file", opts)
			} else {
				unknownContent(r, "decrypted content is neither a dockercfg nor an env file", opts)
			}
		} else {
			unknownContent(r, "neither a dockercfg nor an env file", opts)
		}
	}
	if opts.Strict {
		r.Promote()
	}
	return r, f
}

// unknownContent says in r that its content was not validated: a note,
// or an error for a file named to be checked strictly.
func unknownContent(r *diag.Report, what string, opts Options) {
	if opts.Explicit && opts.Strict {
		r.Add(diag.Errorf(CodeUnknownContent, diag.Position{}, "say which it is with --type dockercfg or --type env, or leave the file out",
			"%s: nothing was validated", diag.Phrase(what)))
		return
	}
	r.Notes = append(r.Notes, what+"; not validated (use --type)")
}

// Skipped reports whether r is about a file that was not validated: of no
// known kind, with nothing found.
func Skipped(r *diag.Report) bool {
	return r.Kind == string(Unknown) && len(r.Diagnostics) == 0
}

// Unreadable is the report on a file that could not be read (err): an
// error, since nothing in it was checked.
func Unreadable(name string, err error) *diag.Report {
	reason, hint := "", ""
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		reason, hint = "no such file", "check the name"
	case errors.Is(err, fs.ErrPermission):
		reason, hint = "permission denied", "check the file's permissions"
	case errors.Is(err, syscall.EISDIR):
		reason, hint = "it is a directory", "name the files in it"
	case errors.As(err, &pe):
		reason = pe.Err.Error() // the name is said already
	default:
		reason = err.Error()
	}
	r := &diag.Report{File: name, Kind: string(Unknown)}
	r.Add(diag.Errorf(CodeUnreadable, diag.Position{}, hint, "cannot read: %s", diag.Phrase(reason)))
	return r
}

func envelopeDiag(err error, key *crypto.Key) diag.Diagnostic {
	d := diag.Diagnostic{Severity: diag.Error, WrongKey: true, Message: err.Error()}
	switch {
	case errors.Is(err, crypto.ErrWrongKey):
		d.Code = CodeWrongKey
		d.Hint = "this file was encrypted with another key: use the project's own codeship.aes, or re-encrypt the plaintext with it"
	case errors.Is(err, crypto.ErrChecksum):
		d.Code = CodeChecksum
		d.Hint = "the file is corrupt (edited by hand, truncated, or a merge conflict?): restore it from git or encrypt it again"
	case errors.Is(err, crypto.ErrUnsupportedVersion):
		d.Code = CodeVersion
		d.Hint = "this file was written by a newer tool; upgrade shipseal"
	default:
		d.Code = CodeNotEncrypted
		d.Hint = "restore the file from git or encrypt it again; line breaks and spaces are fine, other characters are not"
	}
	if key != nil && d.Code == CodeWrongKey {
		d.Message = fmt.Sprintf("the key does not decrypt this file (key %s)", key.Fingerprint())
	}
	return d
}
