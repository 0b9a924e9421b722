package crypto

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// changingSeeker yields its data, and after a rewind the same data with
// one byte changed: a file edited between Encrypt's two passes.
type changingSeeker struct {
	*bytes.Reader
	data   []byte
	rewind int
	at     int // the byte to change
}

func (c *changingSeeker) Seek(off int64, whence int) (int64, error) {
	if whence == io.SeekStart && off == 0 {
		c.rewind++
		if c.rewind == 1 {
			d := bytes.Clone(c.data)
			d[c.at] ^= 1
			c.Reader = bytes.NewReader(d)
		}
	}
	return c.Reader.Seek(off, whence)
}

// TestEncryptNoticesChangedInput: the CRC pair that replaced the second
// MD5 still catches a change anywhere, in the first chunk or a later one.
func TestEncryptNoticesChangedInput(t *testing.T) {
	k, err := newKey(bytes.Repeat([]byte{1}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	data := benchData(3*encChunkSize + 100)
	for _, at := range []int{0, encChunkSize - 1, 2*encChunkSize + 7, len(data) - 1} {
		src := &changingSeeker{Reader: bytes.NewReader(data), data: data, at: at}
		err := Encrypt(io.Discard, src, k, WriteOptions{})
		if !errors.Is(err, ErrChecksumMismatch) {
			t.Errorf("byte %d changed between the passes: got %v, want ErrChecksumMismatch", at, err)
		}
	}
	// Unchanged, the same source encrypts.
	if err := Encrypt(io.Discard, bytes.NewReader(data), k, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestHashInputReadError: a read error in the first pass is returned, and
// the read-ahead goroutine does not hang on it.
func TestHashInputReadError(t *testing.T) {
	boom := errors.New("boom")
	src := io.MultiReader(bytes.NewReader(benchData(5*encChunkSize)), errReader{boom})
	if _, _, err := hashInput(src); !errors.Is(err, boom) {
		t.Fatalf("got %v, want the read error", err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// TestReaderTextAfterPadding: padding ends the base64, so text after it
// is an error, whether the padding falls inside the first characters, in
// a chunk, or exactly at the end of a chunk (where each chunk decodes
// cleanly on its own and only the Reader can tell).
func TestReaderTextAfterPadding(t *testing.T) {
	k, err := newKey(bytes.Repeat([]byte{2}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	// A payload (IV and ciphertext) of 3n-1 bytes ends in one "=".
	atChunkEnd := (headText+decChunkText)/4*3 - 1 - ivSize
	for _, size := range []int{10, 1000, atChunkEnd} {
		var file bytes.Buffer
		if err := Encrypt(&file, bytes.NewReader(benchData(size)), k, WriteOptions{Version: V1}); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasSuffix(file.Bytes(), []byte("=")) {
			t.Fatalf("%d bytes: the test needs a padded file", size)
		}
		file.WriteString("QUJD")
		r, err := NewReader(bytes.NewReader(file.Bytes()), k)
		if err == nil {
			_, err = io.Copy(io.Discard, r)
		}
		if !errors.Is(err, ErrNotEncrypted) {
			t.Errorf("%d bytes, then text after the padding: got %v, want ErrNotEncrypted", size, err)
		}
	}
}
