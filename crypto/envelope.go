package crypto

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
)

// Envelope describes an encrypted file without decrypting it.
type Envelope struct {
	Version Version
	// PlaintextSize is the size of the plaintext the file holds.
	PlaintextSize int64
}

// Inspect checks an encrypted file's envelope (header, base64, length)
// without a key: what can be known about a file that cannot be decrypted.
func Inspect(src io.Reader) (Envelope, error) {
	br := bufio.NewReaderSize(src, chunkSize)
	v, err := readHeader(br)
	if err != nil {
		return Envelope{}, err
	}
	n, err := io.CopyBuffer(io.Discard, base64.NewDecoder(base64.StdEncoding, &spaceFilter{r: br}), make([]byte, chunkSize))
	if err != nil {
		// encoding/base64 reports text that stops inside a group as
		// io.ErrUnexpectedEOF: that is a broken file, not an I/O error.
		return Envelope{}, notEncrypted(err, "its base64 text ends inside a 4-character group (truncated or corrupt)")
	}
	overhead := int64(ivSize)
	if v == V2 {
		overhead += checksumSize
	}
	if n < ivSize {
		return Envelope{}, fmt.Errorf("%w: shorter than its 16-byte IV", ErrNotEncrypted)
	}
	if n < overhead {
		return Envelope{}, fmt.Errorf("%w: the file ends before its checksum", ErrTruncated)
	}
	return Envelope{Version: v, PlaintextSize: n - overhead}, nil
}
