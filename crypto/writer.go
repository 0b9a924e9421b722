package crypto

import (
	"bufio"
	"crypto/cipher"
	"crypto/md5"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
)

// WriteOptions configure a Writer.
type WriteOptions struct {
	// Version is the format to write; zero means V2.
	Version Version
	// Checksum is the MD5 of the whole plaintext, required for V2 because
	// the format puts it before the first ciphertext byte. Encrypt computes
	// it for you.
	Checksum []byte
	// Rand supplies the IV; nil means crypto/rand. Tests fix it to compare
	// output byte for byte.
	Rand io.Reader
}

// chunkSize is how much plaintext is encrypted per step. It bounds the
// Writer's memory; larger inputs stream through it.
const chunkSize = 64 << 10

// Writer encrypts what is written to it and writes the encrypted file to
// the underlying writer. Close must be called to flush the final base64
// block; for V2 it also checks that the plaintext matched the checksum.
//
// Once an error occurs, every later call returns it.
type Writer struct {
	out     *bufio.Writer
	b64     io.WriteCloser
	stream  cipher.Stream
	buf     []byte
	want    []byte    // declared checksum (V2)
	sum     hash.Hash // running MD5 of the plaintext (V2)
	err     error
	started bool
}

var errClosed = errors.New("crypto: writer already closed")

// ErrChecksumMismatch means a V2 Writer was given a plaintext whose MD5 is
// not the declared Checksum: the input changed between hashing and
// encrypting. The output must be discarded.
var ErrChecksumMismatch = errors.New("the input changed while it was being encrypted")

// NewWriter returns a Writer that encrypts to dst with key. The header and
// IV are written at once.
func NewWriter(dst io.Writer, key *Key, opts WriteOptions) (*Writer, error) {
	v := opts.Version
	if v == 0 {
		v = V2
	}
	if v != V1 && v != V2 {
		return nil, fmt.Errorf("%w: %v", ErrUnsupportedVersion, v)
	}
	if v == V2 && len(opts.Checksum) != md5.Size {
		return nil, errors.New("crypto: a v2 writer needs the plaintext's MD5 checksum")
	}
	r := opts.Rand
	if r == nil {
		r = rand.Reader
	}
	iv := make([]byte, ivSize)
	if _, err := io.ReadFull(r, iv); err != nil {
		return nil, fmt.Errorf("reading randomness for the IV: %w", err)
	}
	w := &Writer{out: bufio.NewWriterSize(dst, chunkSize), buf: make([]byte, chunkSize)}
	if v == V2 {
		w.out.WriteString(HeaderV2 + "\n")
	}
	w.b64 = base64.NewEncoder(base64.StdEncoding, w.out)
	w.stream = newCFBEncrypter(key.block, iv)
	if _, err := w.b64.Write(iv); err != nil {
		return nil, err
	}
	if v == V2 {
		w.want = append([]byte(nil), opts.Checksum...)
		w.sum = md5.New()
		hexsum := make([]byte, checksumSize)
		hex.Encode(hexsum, opts.Checksum)
		w.stream.XORKeyStream(hexsum, hexsum)
		if _, err := w.b64.Write(hexsum); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// Write encrypts p.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n := 0
	for len(p) > 0 {
		c := copy(w.buf, p)
		if w.sum != nil {
			w.sum.Write(p[:c])
		}
		w.stream.XORKeyStream(w.buf[:c], p[:c])
		if _, err := w.b64.Write(w.buf[:c]); err != nil {
			w.err = err
			return n, err
		}
		n += c
		p = p[c:]
	}
	return n, nil
}

// Close flushes the output. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	w.err = errClosed
	if err := w.b64.Close(); err != nil {
		return err
	}
	if err := w.out.Flush(); err != nil {
		return err
	}
	if w.sum != nil && subtle.ConstantTimeCompare(w.sum.Sum(nil), w.want) != 1 {
		return ErrChecksumMismatch
	}
	return nil
}

// Encrypt encrypts all of src to dst. For V2 it reads src twice: once to
// compute the checksum, then again from the start to encrypt it, so src
// must be seekable (spool a stream to a private file first).
func Encrypt(dst io.Writer, src io.ReadSeeker, key *Key, opts WriteOptions) error {
	if opts.Version == 0 {
		opts.Version = V2
	}
	if opts.Version == V2 && opts.Checksum == nil {
		start, err := src.Seek(0, io.SeekCurrent)
		if err != nil {
			return fmt.Errorf("reading the input: %w", err)
		}
		h := md5.New()
		if _, err := io.Copy(h, src); err != nil {
			return fmt.Errorf("reading the input: %w", err)
		}
		if _, err := src.Seek(start, io.SeekStart); err != nil {
			return fmt.Errorf("reading the input: %w", err)
		}
		opts.Checksum = h.Sum(nil)
	}
	w, err := NewWriter(dst, key, opts)
	if err != nil {
		return err
	}
	if _, err := io.CopyBuffer(w, onlyReader{src}, make([]byte, chunkSize)); err != nil {
		return err
	}
	return w.Close()
}

// onlyReader hides WriterTo/ReaderFrom so io.CopyBuffer uses our buffer.
type onlyReader struct{ io.Reader }
