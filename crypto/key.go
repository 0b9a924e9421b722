package crypto

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// KeySize is the size of a project key in bytes (AES-256).
const KeySize = 32

// ErrInvalidKey is wrapped by every error about a malformed key.
var ErrInvalidKey = errors.New("invalid key")

// Key is a project's AES-256 key, as kept base64-encoded in codeship.aes.
//
// Its String, GoString and Format methods print only its fingerprint, so a
// Key cannot leak through a log line or an error message by accident.
type Key struct {
	raw   [KeySize]byte
	block cipher.Block
}

// utf8BOM is the byte order mark some editors (Notepad) put at the start of
// a UTF-8 file.
var utf8BOM = []byte("\uFEFF")

// ParseKey parses the text of a key file: the standard base64 encoding of
// 32 bytes, with any surrounding whitespace (a trailing newline, CRLF) and
// a leading UTF-8 byte order mark ignored. Errors never include the key's
// text: they name the mistake instead (the = padding cut off, quotes, a
// NAME=value line, a space, URL-safe base64, UTF-16), and where it is by
// its byte, counted from the key's first character.
//
// Accepting the byte order mark is safe: it only changes how the key is
// read, never the key, so what shipseal encrypts with it stays readable by
// jet.
func ParseKey(text []byte) (*Key, error) {
	orig := text
	text = bytes.TrimSpace(text)
	if bytes.HasPrefix(text, utf8BOM) {
		text = bytes.TrimSpace(text[len(utf8BOM):])
	}
	if bytes.HasPrefix(text, []byte{0xff, 0xfe}) || bytes.HasPrefix(text, []byte{0xfe, 0xff}) {
		return nil, fmt.Errorf("%w: the key is UTF-16 text: save it as plain text (ASCII or UTF-8)", ErrInvalidKey)
	}
	if len(text) == 0 {
		return nil, fmt.Errorf("%w: the key is empty", ErrInvalidKey)
	}
	raw := make([]byte, base64.StdEncoding.DecodedLen(len(text)))
	n, err := base64.StdEncoding.Decode(raw, text)
	if err != nil {
		var ce base64.CorruptInputError
		switch {
		case looksUTF16(orig):
			return nil, fmt.Errorf("%w: the key is UTF-16 text without a byte order mark: save it as plain text (ASCII or UTF-8)", ErrInvalidKey)
		case !errors.As(err, &ce):
			return nil, fmt.Errorf("%w: the key is not base64", ErrInvalidKey)
		}
		return nil, fmt.Errorf("%w: %s", ErrInvalidKey, keyMistake(text, int(ce)))
	}
	if n != KeySize {
		return nil, fmt.Errorf("%w: the key decodes to %d bytes, want %d", ErrInvalidKey, n, KeySize)
	}
	return newKey(raw[:n])
}

// keyMistake says why text, which base64 refused at byte at, is not a key,
// naming the mistake and never a character of the key. The mistakes
// looked for are the common ones: quotes or a NAME= kept from an env file
// or a shell line, the = padding cut off, URL-safe base64, a blank inside.
func keyMistake(text []byte, at int) string {
	// Line breaks are not part of base64's text: the decoder skips them,
	// and so does this.
	flat := []byte(lineBreaks.Replace(string(text)))
	switch {
	case len(flat) >= 2 && (flat[0] == '"' || flat[0] == '\'') && flat[len(flat)-1] == flat[0]:
		return "the key is quoted: remove the quotes"
	case envAssignment.Match(flat):
		return "the key looks like NAME=value from an env file: keep only the value"
	}
	if pad := bytes.IndexByte(text, '='); pad >= 0 && bytes.ContainsAny(text[pad:], stdAlphabet) {
		return fmt.Sprintf("the key is not base64: it has = padding before its end, at byte %d (two keys, or a key and more text?)", pad+1)
	}
	if len(bytes.Trim(bytes.TrimRight(flat, "="), stdAlphabet)) == 0 {
		// Only the length is wrong.
		if d, err := base64.RawStdEncoding.DecodeString(string(flat)); err == nil && len(d) == KeySize {
			return "the key is not base64: the = padding at the end is missing"
		}
		return fmt.Sprintf("the key is not base64: it has %d characters, want %d (cut short, or more than a key?)",
			len(flat), base64.StdEncoding.EncodedLen(KeySize))
	}
	if len(bytes.Trim(bytes.TrimRight(flat, "="), urlAlphabet)) == 0 {
		return "the key is URL-safe base64 (- or _): use standard base64 (+ and /)"
	}
	pos := at + 1
	if at < len(text) {
		switch c := text[at]; {
		case c == ' ':
			return fmt.Sprintf("the key is not base64: it contains a space at byte %d", pos)
		case c == '\t':
			return fmt.Sprintf("the key is not base64: it contains a tab at byte %d", pos)
		case c == '"' || c == '\'':
			return fmt.Sprintf("the key is not base64: it contains a quote at byte %d", pos)
		case c == '-' || c == '_':
			return fmt.Sprintf("the key is not base64: it contains a URL-safe - or _ at byte %d (standard base64 has + and / there)", pos)
		case c >= 0x80:
			return fmt.Sprintf("the key is not base64: it contains a non-ASCII character at byte %d", pos)
		case c < ' ' || c == 0x7f:
			return fmt.Sprintf("the key is not base64: it contains a control character at byte %d", pos)
		case !strings.ContainsRune(stdAlphabet, rune(c)):
			return fmt.Sprintf("the key is not base64: it contains a character base64 does not use at byte %d", pos)
		}
	}
	// A character of the alphabet where the text must end: too long or
	// cut short, or its padding is wrong.
	return fmt.Sprintf("the key is not base64 (bad length or padding at byte %d)", pos)
}

// lineBreaks removes line breaks, which base64 decoding skips.
var lineBreaks = strings.NewReplacer("\r", "", "\n", "")

const (
	stdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	urlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
)

// envAssignment is a line of an env file or a shell (NAME=value, export
// NAME=value), which base64 never is: its = padding only ends it. A name
// is shorter than a key, so that two keys run together are not taken for
// one.
var envAssignment = regexp.MustCompile(`^(export[ \t]+)?[A-Za-z_][A-Za-z0-9_]{0,39}[ \t]*=[ \t]*[^ \t=]`)

// looksUTF16 reports whether text is ASCII saved as UTF-16 without a byte
// order mark (iconv -t UTF-16LE, or a tool that drops the mark): every
// other byte is zero.
func looksUTF16(text []byte) bool {
	if len(text) < 4 {
		return false
	}
	var zeros [2]int
	for i, c := range text {
		if c == 0 {
			zeros[i%2]++
		}
	}
	half := len(text) / 2
	return zeros[0] == 0 && zeros[1] >= half-1 || zeros[1] == 0 && zeros[0] >= half-1
}

// GenerateKey returns a new random key read from rand (crypto/rand.Reader
// in production).
func GenerateKey(rand io.Reader) (*Key, error) {
	var raw [KeySize]byte
	if _, err := io.ReadFull(rand, raw[:]); err != nil {
		return nil, fmt.Errorf("reading randomness for a new key: %w", err)
	}
	return newKey(raw[:])
}

func newKey(raw []byte) (*Key, error) {
	k := &Key{}
	copy(k.raw[:], raw)
	b, err := aes.NewCipher(k.raw[:])
	if err != nil {
		return nil, fmt.Errorf("crypto: internal error: %w", err)
	}
	k.block = b
	return k, nil
}

// Encode returns the key file's text: base64 and a trailing newline.
func (k *Key) Encode() []byte {
	return []byte(base64.StdEncoding.EncodeToString(k.raw[:]) + "\n")
}

// Fingerprint identifies the key in messages without revealing it: the
// first 8 hex digits of SHA-256 over the raw key. Knowing it does not help
// to guess the key.
func (k *Key) Fingerprint() string {
	sum := sha256.Sum256(k.raw[:])
	return hex.EncodeToString(sum[:4])
}

// Equal reports whether two keys are the same.
func (k *Key) Equal(o *Key) bool { return k != nil && o != nil && k.raw == o.raw }

// String returns "key " followed by the fingerprint.
func (k Key) String() string { return "key " + k.Fingerprint() }

// GoString is like String, so %#v does not print the raw bytes.
//
// String, GoString and Format have value receivers so that a Key copied
// by value (a struct field of type Key, or *k) prints no key bytes either.
func (k Key) GoString() string { return k.String() }

// Format prints the fingerprint for every verb (%x and %s included).
func (k Key) Format(f fmt.State, verb rune) { io.WriteString(f, k.String()) }
