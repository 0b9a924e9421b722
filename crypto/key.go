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
// text.
//
// Accepting the byte order mark is safe: it only changes how the key is
// read, never the key, so what shipseal encrypts with it stays readable by
// jet.
func ParseKey(text []byte) (*Key, error) {
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
		if errors.As(err, &ce) {
			return nil, fmt.Errorf("%w: the key is not base64 (bad character or padding at byte %d)", ErrInvalidKey, int64(ce)+1)
		}
		return nil, fmt.Errorf("%w: the key is not base64", ErrInvalidKey)
	}
	if n != KeySize {
		return nil, fmt.Errorf("%w: the key decodes to %d bytes, want %d", ErrInvalidKey, n, KeySize)
	}
	return newKey(raw[:n])
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
