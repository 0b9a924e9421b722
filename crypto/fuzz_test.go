package crypto_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"regexp"
	"testing"

	"github.com/shipseal/shipseal/crypto"
)

// fuzzKey is the key FuzzDecrypt decrypts with; the seeds in
// testdata/fuzz/FuzzDecrypt are encrypted with it.
const fuzzKey = "bH6Yh1ZtmKPJbm4ygl5DoxAZWBnQjS1XLbD0HpwW0RI="

// referenceDecrypt is docs/format.md's "Reading", written plainly and
// without streaming: the oracle FuzzDecrypt compares crypto.Reader with.
func referenceDecrypt(raw, file []byte) (plain []byte, v crypto.Version, ok bool) {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' }
	i := 0
	for i < len(file) && isSpace(file[i]) {
		i++
	}
	file, v = file[i:], crypto.V1
	if bytes.HasPrefix(file, []byte("codeship:")) {
		line, rest, _ := bytes.Cut(file, []byte("\n"))
		if string(bytes.TrimRight(line, "\r\n")) != crypto.HeaderV2 {
			return nil, 0, false
		}
		file, v = rest, crypto.V2
	}
	var text []byte
	for _, c := range file {
		if !isSpace(c) {
			text = append(text, c)
		}
	}
	payload, err := base64.StdEncoding.DecodeString(string(text))
	if err != nil || len(payload) < 16 {
		return nil, v, false
	}
	block, _ := aes.NewCipher(raw)
	data := payload[16:]
	cipher.NewCFBDecrypter(block, payload[:16]).XORKeyStream(data, data) //nolint:staticcheck // the format's mode
	if v == crypto.V1 {
		return data, v, true
	}
	if len(data) < 32 {
		return nil, v, false
	}
	sum := md5.Sum(data[32:])
	if string(data[:32]) != hex.EncodeToString(sum[:]) {
		return nil, v, false
	}
	return data[32:], v, true
}

// FuzzDecrypt decrypts arbitrary input with a fixed key. It must never
// panic; it must fail with one of crypto's errors exactly when the
// reference decoder fails, and otherwise give the reference's plaintext:
// in particular a v2 success always has a matching checksum.
func FuzzDecrypt(f *testing.F) {
	key, err := crypto.ParseKey([]byte(fuzzKey))
	if err != nil {
		f.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(fuzzKey)
	for _, s := range [][]byte{
		nil, []byte("codeship:v2\n"), []byte("codeship:v3\nAAAA"), []byte("  \r\n"),
		[]byte(crypto.HeaderV2 + "\r\n" + base64.StdEncoding.EncodeToString(make([]byte, 48))),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, file []byte) {
		r, err := crypto.NewReader(bytes.NewReader(file), key)
		var plain []byte
		if err == nil {
			plain, err = io.ReadAll(r)
		}
		want, wantV, ok := referenceDecrypt(raw, file)
		if err != nil {
			if ok {
				t.Fatalf("%q: shipseal fails (%v), the reference decrypts it", file, err)
			}
			if !isDecryptError(err) {
				t.Fatalf("%q: error %q is not one of crypto's decrypt errors", file, err)
			}
			return
		}
		if !ok {
			t.Fatalf("%q: shipseal decrypts it (%v), the reference does not", file, r.Version())
		}
		if r.Version() != wantV || !bytes.Equal(plain, want) {
			t.Fatalf("%q: shipseal and the reference decrypt it differently", file)
		}
		if r.Version() == crypto.V2 {
			// Belt and braces: the checksum in the file is the plaintext's.
			payload := referencePayload(file)
			sum := md5.Sum(plain)
			got := make([]byte, 32)
			block, _ := aes.NewCipher(raw)
			cipher.NewCFBDecrypter(block, payload[:16]).XORKeyStream(got, payload[16:48]) //nolint:staticcheck
			if string(got) != hex.EncodeToString(sum[:]) {
				t.Fatalf("%q: v2 success with a checksum that does not match", file)
			}
		}
	})
}

// referencePayload decodes a file the reference accepted.
func referencePayload(file []byte) []byte {
	_, rest, _ := bytes.Cut(bytes.TrimLeft(file, " \t\r\n\v\f"), []byte("\n"))
	var text []byte
	for _, c := range rest {
		if !bytes.ContainsRune([]byte(" \t\r\n\v\f"), rune(c)) {
			text = append(text, c)
		}
	}
	p, _ := base64.StdEncoding.DecodeString(string(text))
	return p
}

func isDecryptError(err error) bool {
	for _, e := range []error{crypto.ErrNotEncrypted, crypto.ErrUnsupportedVersion, crypto.ErrWrongKey,
		crypto.ErrChecksum, crypto.ErrTruncated} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// keyError is every message ParseKey may give: none echoes the input.
var keyError = regexp.MustCompile(`^invalid key: (the key is empty|the key decodes to \d+ bytes, want 32|` +
	`the key is UTF-16 text( without a byte order mark)?: save it as plain text \(ASCII or UTF-8\)|` +
	`the key is quoted: remove the quotes|the key looks like NAME=value from an env file: keep only the value|` +
	`the key is URL-safe base64 \(- or _\): use standard base64 \(\+ and /\)|` +
	`the key is not base64(: the = padding at the end is missing|` +
	`: it has \d+ characters, want 44 \(cut short, or more than a key\?\)|` +
	`: it has = padding before its end, at byte \d+ \(two keys, or a key and more text\?\)|` +
	`: it contains (a space|a tab|a quote|a non-ASCII character|a control character|a character base64 does not use) at byte \d+|` +
	`: it contains a URL-safe - or _ at byte \d+ \(standard base64 has \+ and / there\)|` +
	` \(bad length or padding at byte \d+\))?)$`)

// FuzzParseKey: ParseKey never panics; it accepts exactly the standard
// base64 of 32 bytes with surrounding whitespace (and a UTF-8 byte order
// mark before it), and its errors never
// repeat the input.
func FuzzParseKey(f *testing.F) {
	for _, s := range []string{"", fuzzKey, fuzzKey + "\r\n", " \t" + fuzzKey, fuzzKey[:43], fuzzKey + "=", "not base64!", "\uFEFF" + fuzzKey + "\r\n", "\xff\xfe",
		`"` + fuzzKey + `"`, "KEY=" + fuzzKey, fuzzKey[:20] + " " + fuzzKey[20:], "a-b_", fuzzKey + fuzzKey, "K\x00E\x00Y\x00=\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		k, err := crypto.ParseKey(text)
		// Whitespace around the key, and a UTF-8 byte order mark before it
		// (Notepad), are not part of it.
		trimmed := bytes.TrimSpace(text)
		trimmed = bytes.TrimSpace(bytes.TrimPrefix(trimmed, []byte("\uFEFF")))
		raw, decErr := base64.StdEncoding.Strict().DecodeString(string(trimmed))
		valid := decErr == nil && len(raw) == crypto.KeySize
		if err != nil {
			if !errors.Is(err, crypto.ErrInvalidKey) || !keyError.MatchString(err.Error()) {
				t.Fatalf("%q: unexpected error %q", text, err)
			}
			if valid {
				t.Fatalf("%q: a valid key is rejected: %v", text, err)
			}
			return
		}
		if !bytes.Equal(k.Encode(), append(append([]byte(nil), trimmed...), '\n')) {
			// Non-strict base64 accepts non-zero padding bits; the key is
			// then the decoded bytes, and Encode gives the canonical text.
			d, derr := base64.StdEncoding.DecodeString(string(trimmed))
			if derr != nil || len(d) != crypto.KeySize || string(k.Encode()) != base64.StdEncoding.EncodeToString(d)+"\n" {
				t.Fatalf("%q: accepted, but Encode gives %q", text, k.Encode())
			}
		}
		k2, err := crypto.ParseKey(k.Encode())
		if err != nil || !k.Equal(k2) {
			t.Fatalf("%q: Encode does not round-trip: %v", text, err)
		}
	})
}
