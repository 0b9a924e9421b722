package crypto

import (
	"bufio"
	"bytes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
)

// Reader decrypts an encrypted file of either version as it is read.
//
// For V2, NewReader has already checked that the key decrypts the
// checksum to hex, so a wrong key fails before any plaintext is released;
// the checksum itself is compared at the end, and a mismatch is returned by
// the Read that would otherwise return io.EOF. A caller that writes the
// plaintext somewhere must therefore treat only io.EOF as success.
type Reader struct {
	src     io.Reader // base64-decoded ciphertext
	stream  cipher.Stream
	version Version
	sum     hash.Hash
	want    [md5.Size]byte
	err     error
}

// NewReader reads the header, the IV and (for V2) the checksum from src.
func NewReader(src io.Reader, key *Key) (*Reader, error) {
	br := bufio.NewReaderSize(src, chunkSize)
	version, err := readHeader(br)
	if err != nil {
		return nil, err
	}
	r := &Reader{version: version, src: base64.NewDecoder(base64.StdEncoding, &spaceFilter{r: br})}
	iv := make([]byte, ivSize)
	if _, err := io.ReadFull(r.src, iv); err != nil {
		return nil, notEncrypted(err, "shorter than its 16-byte IV")
	}
	r.stream = newCFBDecrypter(key.block, iv)
	if version == V2 {
		hexsum := make([]byte, checksumSize)
		if _, err := io.ReadFull(r.src, hexsum); err != nil {
			if isCorrupt(err) {
				return nil, notEncrypted(err, "")
			}
			return nil, fmt.Errorf("%w: the file ends before its checksum", ErrTruncated)
		}
		r.stream.XORKeyStream(hexsum, hexsum)
		if !isLowerHex(hexsum) {
			return nil, fmt.Errorf("%w (%v): its checksum does not decrypt", ErrWrongKey, key)
		}
		hex.Decode(r.want[:], hexsum)
		r.sum = md5.New()
	}
	return r, nil
}

// Version is the format of the file being read.
func (r *Reader) Version() Version { return r.version }

// Read decrypts into p.
func (r *Reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.src.Read(p)
	if n > 0 {
		r.stream.XORKeyStream(p[:n], p[:n])
		if r.sum != nil {
			r.sum.Write(p[:n])
		}
	}
	switch {
	case err == io.EOF:
		if r.sum != nil && subtle.ConstantTimeCompare(r.sum.Sum(nil), r.want[:]) != 1 {
			err = ErrChecksum
		}
		r.err = err
	case err != nil:
		if isCorrupt(err) {
			err = notEncrypted(err, "")
		} else if err == io.ErrUnexpectedEOF {
			// encoding/base64 says so when the text stops inside a group.
			err = fmt.Errorf("%w: its base64 text ends inside a 4-character group (truncated or corrupt)", ErrNotEncrypted)
		}
		r.err = err
	}
	return n, err
}

// readHeader consumes a "codeship:vN" line if there is one, after any
// leading whitespace.
func readHeader(br *bufio.Reader) (Version, error) {
	for {
		b, err := br.Peek(1)
		if err != nil {
			if err == io.EOF {
				return 0, fmt.Errorf("%w: the file is empty", ErrNotEncrypted)
			}
			return 0, err
		}
		if !isSpace(b[0]) {
			break
		}
		br.ReadByte()
	}
	head, _ := br.Peek(len(headerPrefix))
	if string(head) != headerPrefix {
		return V1, nil
	}
	line, err := br.ReadSlice('\n')
	if err != nil && err != io.EOF {
		return 0, fmt.Errorf("%w: its header line is too long", ErrNotEncrypted)
	}
	line = bytes.TrimRight(line, "\r\n")
	if string(line) == HeaderV2 {
		return V2, nil
	}
	return 0, fmt.Errorf("%w %q: this shipseal reads v1 and v2; upgrade shipseal", ErrUnsupportedVersion, truncate(line, 32))
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

func isCorrupt(err error) bool {
	var ce base64.CorruptInputError
	return errors.As(err, &ce)
}

func notEncrypted(err error, why string) error {
	var ce base64.CorruptInputError
	switch {
	case errors.As(err, &ce):
		return fmt.Errorf("%w: invalid base64 near byte %d of the encoded data", ErrNotEncrypted, int64(ce)+1)
	case why != "" && (err == io.EOF || err == io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: %s", ErrNotEncrypted, why)
	}
	return err
}

func isLowerHex(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// spaceFilter drops ASCII whitespace, so line-wrapped or indented base64
// decodes (encoding/base64 itself skips only CR and LF).
type spaceFilter struct{ r io.Reader }

func (f *spaceFilter) Read(p []byte) (int, error) {
	for {
		n, err := f.r.Read(p)
		w := 0
		for _, c := range p[:n] {
			if !isSpace(c) {
				p[w] = c
				w++
			}
		}
		if w > 0 || err != nil {
			return w, err
		}
	}
}
