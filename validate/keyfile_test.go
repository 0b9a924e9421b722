package validate

import (
	"bytes"
	"errors"
	"testing"

	"github.com/shipseal/shipseal/crypto"
)

func TestKeyFile(t *testing.T) {
	key, err := crypto.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	other, err := crypto.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{9}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	// A v1 file of 16 bytes is, like a key, one line of base64 of 32
	// bytes (an IV and the ciphertext).
	var tiny bytes.Buffer
	w, err := crypto.NewWriter(&tiny, key, crypto.WriteOptions{Version: crypto.V1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("DB_PASS=hunter2\n")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !LooksLikeKey(tiny.Bytes()) {
		t.Fatalf("the tiny v1 file %q does not have a key's shape: the test shows nothing", tiny.Bytes())
	}
	for _, tc := range []struct {
		name    string
		data    []byte
		project *crypto.Key
		want    string // the error, or "" for none
	}{
		{"codeship.aes", key.Encode(), key, "codeship.aes is the project key, not an encrypted file or secret"},
		{"dir/CODESHIP.AES", []byte("not even a key"), nil, "dir/CODESHIP.AES is the project key, not an encrypted file or secret"},
		{"key.txt", key.Encode(), key, "key.txt is the project key, not an encrypted file or secret"},
		{"key.txt", other.Encode(), key, "key.txt is an AES key, not an encrypted file or secret"},
		{"key.txt", key.Encode(), nil, "key.txt is an AES key, not an encrypted file or secret"},
		{"other.aes", key.Encode(), other, "other.aes is an AES key, not an encrypted file or secret"},
		{"tiny.encrypted", tiny.Bytes(), key, ""},
		// Named as encrypted (not *.aes), a key's shape is no key: with
		// the wrong key, or none, decrypting says what is wrong.
		{"tiny.encrypted", tiny.Bytes(), other, ""},
		{"tiny.encrypted", tiny.Bytes(), nil, ""},
		{"dir/TINY.ENC", tiny.Bytes(), other, ""},
		{"key.encrypted", other.Encode(), key, ""},
		// Unless it is the project key itself.
		{"key.encrypted", key.Encode(), key, "key.encrypted is the project key, not an encrypted file or secret"},
		// Not so *.aes, the key's own extension: its shape is a key.
		{"tiny.aes", tiny.Bytes(), other, "tiny.aes is an AES key, not an encrypted file or secret"},
		{"tiny.aes", tiny.Bytes(), nil, "tiny.aes is an AES key, not an encrypted file or secret"},
		// Nor a name that does not say: it is a key unless the project key
		// decrypts it to text.
		{"tiny", tiny.Bytes(), key, ""},
		{"tiny", tiny.Bytes(), other, "tiny is an AES key, not an encrypted file or secret"},
		{"two-lines.txt", append(key.Encode(), key.Encode()...), key, ""},
		{"env", []byte("A=1\n"), key, ""},
	} {
		err := KeyFile(tc.name, tc.data, tc.project)
		got := ""
		if err != nil {
			got = err.Error()
			var kf *KeyFileError
			if !errors.As(err, &kf) {
				t.Errorf("KeyFile(%s): %T, want *KeyFileError", tc.name, err)
			}
		}
		if got != tc.want {
			t.Errorf("KeyFile(%s, project %v) = %q, want %q", tc.name, tc.project, got, tc.want)
		}
	}
	// File reads a tiny file named as encrypted with the wrong key as
	// what it is: a file the key does not decrypt.
	r, err := File("tiny.encrypted", tiny.Bytes(), Options{Key: func() (*crypto.Key, error) { return other, nil }, NoKeyIsError: true})
	if err != nil || r.Valid() || !r.WrongKey() {
		t.Errorf("File(tiny.encrypted) with the wrong key = %+v, %v; want a wrong key", r, err)
	}
	// File refuses a key file before anything else.
	_, err = File("codeship.aes", key.Encode(), Options{Key: func() (*crypto.Key, error) { return key, nil }, NoKeyIsError: true})
	var kf *KeyFileError
	if !errors.As(err, &kf) || !kf.Project {
		t.Errorf("File(codeship.aes) = %v, want the project's KeyFileError", err)
	}
}
