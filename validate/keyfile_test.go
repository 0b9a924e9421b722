package validate

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"

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
	// bytes (an IV and the ciphertext). Its IV is fixed: the other key's
	// noise from a random one is valid UTF-8 in about 1 run in 25,000,
	// which would take the file for a v1 file of that key.
	var tiny bytes.Buffer
	w, err := crypto.NewWriter(&tiny, key, crypto.WriteOptions{Version: crypto.V1, Rand: bytes.NewReader(make([]byte, 16))})
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
	// And a key saved by Notepad (EN008 for validate), under any name.
	for _, data := range [][]byte{append([]byte("\uFEFF"), key.Encode()...), bytes.ReplaceAll(key.Encode(), []byte("\n"), []byte("\r\n"))} {
		_, err = File("notes/key.txt", data, Options{Key: func() (*crypto.Key, error) { return key, nil }, NoKeyIsError: true})
		if !errors.As(err, &kf) || !kf.Project {
			t.Errorf("File(notes/key.txt, %q) = %v, want the project's KeyFileError", data, err)
		}
		_, err = File("notes/key.txt", data, Options{})
		if !errors.As(err, &kf) || kf.Project {
			t.Errorf("File(notes/key.txt, %q) without a key = %v, want a KeyFileError", data, err)
		}
	}
}

// v1 encrypts plain with key in the v1 format.
func v1(t *testing.T, key *crypto.Key, plain string) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := crypto.Encrypt(&out, strings.NewReader(plain), key, crypto.WriteOptions{Version: crypto.V1}); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestKeyRule pins the one rule for a key file that validate (EN008),
// decrypt and check (CK001) share, with the cases where validate and check
// used to disagree: how text is told from a key's noise, what an editor
// may add around a key, and path names.
func TestKeyRule(t *testing.T) {
	key, err := crypto.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	other, err := crypto.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{9}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.TrimSpace(string(key.Encode()))
	otherText := strings.TrimSpace(string(other.Encode()))
	for _, tc := range []struct {
		name    string
		data    []byte
		project *crypto.Key
		want    string // "project", "key", or "-" for no key
	}{
		// What an editor adds around a key: a byte order mark (Notepad),
		// CRLF, blank space, blank lines.
		{"notes/k.txt", []byte("\uFEFF" + text + "\r\n"), key, "project"},
		{"notes/k.txt", []byte("\uFEFF" + text), nil, "key"},
		{"notes/k.txt", []byte(text + "\r\n"), other, "key"},
		{"notes/k.txt", []byte(" \uFEFF\t" + otherText + " \r\n\r\n"), key, "key"},
		{"notes/k.txt", []byte("\uFEFF\r\n" + otherText + "\n"), nil, "key"},
		{"notes/k.txt", []byte(text + strings.Repeat("\n", 300)), nil, "key"},
		// Not a line break inside the text, nor anything else around it.
		{"notes/k.txt", []byte(text[:20] + "\n" + text[20:] + "\n"), key, "-"},
		{"notes/k.txt", []byte(text[:20] + "\r\n" + text[20:]), nil, "-"},
		{"notes/k.txt", []byte("key: " + text), nil, "-"},
		{"notes/k.txt", []byte(text + text), nil, "-"},
		// A v1 file of 16 bytes that the project key decrypts to text is
		// no key: text is what decrypt takes for the right key's output,
		// valid UTF-8 without NUL bytes, control characters allowed.
		{"pin.txt", v1(t, key, "0123456789abcdef"), key, "-"},
		{"pin.txt", v1(t, key, "0123456789abcde\x01"), key, "-"},
		{"pin.txt", v1(t, key, "\x7f\x1b[0m0123456789a"), key, "-"},
		{"pin.txt", v1(t, key, "héllo wörld 1234"), key, "-"},
		// Not valid UTF-8, or a NUL: decrypt would say the key is wrong.
		{"pin.txt", v1(t, key, "0123456789abcde\xff"), key, "key"},
		{"pin.txt", v1(t, key, "0123456789abcde\x00"), key, "key"},
		{"pin.txt", v1(t, key, "0123456789abcdef"), nil, "key"},
		// Named as encrypted, decrypting judges it; *.aes, the key's own
		// extension, is a key by its shape, even one that decrypts to text.
		{"pin.encrypted", v1(t, key, "0123456789abcde\xff"), key, "-"},
		{"pin.ENC", v1(t, key, "0123456789abcdef"), nil, "-"},
		{"pin.aes", v1(t, key, "0123456789abcdef"), key, "key"},
		{"pin.encrypted", []byte("\uFEFF" + text + "\r\n"), key, "project"},
		// Names: a git path, a Windows path name, any letter case, on
		// every system; codeship.aes is the key by its name whatever it
		// holds.
		{"deploy/ci/codeship.aes", []byte("not a key"), nil, "project"},
		{`C:\work\repo\CodeShip.AES`, []byte(""), nil, "project"},
		{`deploy\codeship.aes`, []byte(otherText), key, "project"},
		{"codeship.aes.bak", []byte("not a key"), nil, "-"},
		{`deploy\codeship.aes.bak`, []byte("not a key"), nil, "-"},
		{"deploy/my-codeship.aes", []byte("not a key"), nil, "-"},
		// UTF-16, as Notepad's "Unicode" (little-endian, a byte order
		// mark, CRLF), PowerShell's Out-File or iconv -t UTF-16LE (no
		// mark) save it: decoded, then judged by the same rule.
		{"notes/k.txt", utf16Text(text+"\r\n", binary.LittleEndian, true), key, "project"},
		{"notes/k.txt", utf16Text(text+"\r\n", binary.LittleEndian, true), nil, "key"},
		{"notes/k.txt", utf16Text(otherText, binary.LittleEndian, false), key, "key"},
		{"notes/k.txt", utf16Text(" "+text+"\n\n", binary.BigEndian, true), key, "project"},
		{"notes/k.txt", utf16Text(otherText+"\n", binary.BigEndian, false), nil, "key"},
		{"notes/k.txt", utf16Text("\uFEFF"+text, binary.LittleEndian, false), key, "project"},
		{"notes/k.txt", utf16Text(text+strings.Repeat("\r\n", 300), binary.LittleEndian, true), nil, "key"},
		// Decoded, what is no key in UTF-8 is none in UTF-16 either.
		{"notes/k.txt", utf16Text(text[:20]+"\r\n"+text[20:], binary.LittleEndian, true), key, "-"},
		{"notes/k.txt", utf16Text("key: "+text, binary.LittleEndian, false), nil, "-"},
		{"notes/k.txt", utf16Text(strings.Repeat(text, 8), binary.LittleEndian, true), nil, "-"},
		{"notes/hello.txt", utf16Text("hello, world\r\n", binary.LittleEndian, true), nil, "-"},
		{"pin.txt", utf16Text(string(v1(t, key, "0123456789abcdef")), binary.LittleEndian, true), key, "-"},
		{"pin.txt", utf16Text(string(v1(t, key, "0123456789abcdef")), binary.LittleEndian, true), nil, "key"},
		{"pin.encrypted", utf16Text(otherText, binary.LittleEndian, true), key, "-"},
		{"pin.aes", utf16Text(otherText, binary.LittleEndian, true), key, "key"},
		// Half a key's UTF-16 (an odd length), or NULs where the text is,
		// are not UTF-16 text.
		{"notes/k.txt", utf16Text(otherText, binary.LittleEndian, true)[1:], nil, "-"},
		{"notes/k.txt", bytes.ReplaceAll(utf16Text(otherText, binary.LittleEndian, false), []byte{'Q', 0}, []byte{0, 0}), nil, "-"},
		// An env file is a key only in the one shape that is both: a
		// variable with an empty value whose name is 43 letters and digits
		// (base64 of 32 bytes ends in one '='). That has always been so.
		{".env", []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFG=\n"), nil, "key"},
		{".env", []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEF=1\n"), nil, "-"},
		{".env", []byte("A_B=" + text + "\n"), nil, "-"},
		{".env", []byte("A=\n"), nil, "-"},
	} {
		err := KeyFile(tc.name, tc.data, tc.project)
		got := "-"
		var kf *KeyFileError
		switch {
		case errors.As(err, &kf) && kf.Project:
			got = "project"
		case err != nil:
			got = "key"
		}
		if got != tc.want {
			t.Errorf("KeyFile(%s, %q, project %v) = %v, want %s", tc.name, tc.data, tc.project, err, tc.want)
		}
		// KeyContent is the rule for the content: the same verdict, but
		// for a name that is a key's whatever the content.
		k := KeyContent(tc.name, tc.data, tc.project)
		if IsKeyName(tc.name) {
			if k != nil && !LooksLikeKey(tc.data) {
				t.Errorf("KeyContent(%s, %q) = %v, though the content has no key's shape", tc.name, tc.data, k)
			}
			continue
		}
		if (k != nil) != (got != "-") || k != nil && k.Equal(tc.project) != (got == "project") {
			t.Errorf("KeyContent(%s, %q, project %v) = %v, want the verdict %s", tc.name, tc.data, tc.project, k, tc.want)
		}
	}
}

// utf16Text is text in UTF-16 in that byte order, with a byte order mark
// or without.
func utf16Text(text string, order binary.AppendByteOrder, bom bool) []byte {
	var out []byte
	if bom {
		out = order.AppendUint16(out, 0xfeff)
	}
	for _, u := range utf16.Encode([]rune(text)) {
		out = order.AppendUint16(out, u)
	}
	return out
}

// TestUTF16KeyFile checks that a key saved as UTF-16 is a key file for
// validate (EN008) while the key loader still refuses it, with its
// message: the rule for a file is not the rule for a key to use.
func TestUTF16KeyFile(t *testing.T) {
	key, err := crypto.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.TrimSpace(string(key.Encode()))
	for _, tc := range []struct {
		data []byte
		msg  string // crypto.ParseKey's
	}{
		{utf16Text(text+"\r\n", binary.LittleEndian, true), "the key is UTF-16 text: save it as plain text"},
		{utf16Text(text, binary.BigEndian, true), "the key is UTF-16 text: save it as plain text"},
		{utf16Text(text+"\n", binary.LittleEndian, false), "the key is UTF-16 text without a byte order mark: save it as plain text"},
	} {
		if _, err := crypto.ParseKey(tc.data); !errors.Is(err, crypto.ErrInvalidKey) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("ParseKey(%q) = %v, want the loader's refusal %q", tc.data, err, tc.msg)
		}
		_, err := File("notes/key.txt", tc.data, Options{Key: func() (*crypto.Key, error) { return key, nil }, NoKeyIsError: true})
		var kf *KeyFileError
		if !errors.As(err, &kf) || !kf.Project {
			t.Errorf("File(notes/key.txt, %q) = %v, want the project's KeyFileError", tc.data, err)
		}
		if !LooksLikeKey(tc.data) {
			t.Errorf("LooksLikeKey(%q) = false, want true", tc.data)
		}
	}
}

// TestKeyShapeIsNoEncryptedFile checks that an encrypted file never has a
// key's shape, but for the one known case, a v1 file of 16 bytes (see
// KeyContent): a v2 file starts with codeship:v2, and a v1 file is one
// line of base64 whose length is that of its plaintext and an IV.
func TestKeyShapeIsNoEncryptedFile(t *testing.T) {
	key, err := crypto.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []crypto.Version{crypto.V1, crypto.V2} {
		for n := range 100 {
			var out bytes.Buffer
			plain := strings.Repeat("a", n)
			if err := crypto.Encrypt(&out, strings.NewReader(plain), key, crypto.WriteOptions{Version: v}); err != nil {
				t.Fatal(err)
			}
			want := v == crypto.V1 && n == 16
			if got := LooksLikeKey(out.Bytes()); got != want {
				t.Errorf("%v file of %d bytes: LooksLikeKey = %v, want %v", v, n, got, want)
			}
			// With a CRLF, as git may check it out on Windows.
			if got := LooksLikeKey(bytes.ReplaceAll(out.Bytes(), []byte("\n"), []byte("\r\n"))); got != want {
				t.Errorf("%v file of %d bytes, CRLF: LooksLikeKey = %v, want %v", v, n, got, want)
			}
		}
	}
}
