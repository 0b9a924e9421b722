package crypto

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// ErrNotText means decrypted data is not UTF-8 text. A v1 file has no
// checksum, so that is how a wrong key shows, or the file is binary: a
// TextGuard's *NotTextError says which is likely.
var ErrNotText = errors.New("decrypted data is not text")

// NotTextError is a TextGuard's error, ErrNotText with where the data
// stops being text and, by its first bytes, what it may be instead.
type NotTextError struct {
	// Offset is where the first byte that is not text is in the stream
	// (for data that ends inside a character, where that character
	// starts).
	Offset int64
	// Format names the binary format that the data starts as, by its
	// magic number ("gzip", "zip", "PKCS#12 or DER"), or is "". It is
	// told from the writes up to the one that failed: give the guard a
	// few hundred bytes at a time, as io.Copy does, for it to know.
	Format string
	reason string
}

func (e *NotTextError) Error() string { return ErrNotText.Error() + ": " + e.reason }

func (e *NotTextError) Unwrap() error { return ErrNotText }

// Binary reports whether the data is, all but surely, binary content
// decrypted with the right key rather than what a wrong key makes of a v1
// file: it starts with a known format's magic number, or with textProof
// bytes of text. A wrong key's output is random, and a random byte is
// text with a chance of about one in two, so it fails within a few bytes
// and starts with a given two-byte magic number once in 65,536 keys.
func (e *NotTextError) Binary() bool { return e.Format != "" || e.Offset >= textProof }

// textProof is how many bytes of text rule out a wrong key's output:
// random bytes are that much text about once in 10^16.
const textProof = 64

// magicHead is how much of the data is kept to recognise a binary format:
// tar's magic number is at offset 257.
const magicHead = 512

// magics are the binary formats that binaryFormat recognises: the ones
// that CI secrets come in (certificates, keystores, archives) and a few
// other common ones.
var magics = []struct {
	offset int
	magic  string
	format string
}{
	{0, "\x1f\x8b", "gzip"},
	{0, "PK\x03\x04", "zip"},
	{0, "\x30\x82", "PKCS#12 or DER"},
	{0, "\xfe\xed\xfe\xed", "Java keystore"},
	{0, "\x89PNG\r\n\x1a\n", "PNG"},
	{0, "\xff\xd8\xff", "JPEG"},
	{0, "\x7fELF", "ELF"},
	{0, "%PDF-", "PDF"},
	{0, "BZh", "bzip2"},
	{0, "\xfd7zXZ\x00", "xz"},
	{0, "\x28\xb5\x2f\xfd", "zstd"},
	{257, "ustar", "tar"},
}

// binaryFormat names the binary format that head, the start of some data,
// is in by its magic number, or returns "".
func binaryFormat(head []byte) string {
	for _, m := range magics {
		if len(head) >= m.offset && bytes.HasPrefix(head[m.offset:], []byte(m.magic)) {
			return m.format
		}
	}
	return ""
}

// TextGuard passes text through to an io.Writer and fails with ErrNotText at
// the first byte that is not part of valid, NUL-free UTF-8. It holds back
// the first bytes until they are checked, so that a wrong key (whose output
// is random and fails within a few bytes) never reaches the writer at all.
//
// Once an error occurs, every later call returns it.
type TextGuard struct {
	w        io.Writer
	holdBack int
	held     []byte
	tail     []byte // the start of a character split across writes
	offset   int64  // stream offset just past what was checked
	head     []byte // the first magicHead bytes, to name a binary format
	err      error
}

// CheckText applies a TextGuard's test to the whole of p: nil when p is
// text, else the guard's *NotTextError (which is ErrNotText). It is the
// test for a wrong key's noise in a v1 file decrypted in memory.
func CheckText(p []byte) error {
	g := NewTextGuard(io.Discard, 0)
	if _, err := g.Write(p); err != nil {
		return err
	}
	return g.Close()
}

// NewTextGuard returns a TextGuard writing to w that holds back the first
// holdBack bytes.
func NewTextGuard(w io.Writer, holdBack int) *TextGuard {
	return &TextGuard{w: w, holdBack: holdBack}
}

// Write checks p and passes it on.
func (g *TextGuard) Write(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if len(g.head) < magicHead {
		g.head = append(g.head, p[:min(len(p), magicHead-len(g.head))]...)
	}
	if g.err = g.check(p); g.err != nil {
		return 0, g.err
	}
	if g.holdBack > 0 {
		g.held = append(g.held, p...)
		if len(g.held) < g.holdBack {
			return len(p), nil
		}
		p, g.held, g.holdBack = g.held, nil, 0
	}
	if _, err := g.w.Write(p); err != nil {
		g.err = err
		return 0, err
	}
	return len(p), nil
}

// Close checks that the text did not end inside a character and writes
// what was held back.
func (g *TextGuard) Close() error {
	if g.err != nil {
		return g.err
	}
	if len(g.tail) > 0 {
		g.err = g.notText(g.offset-int64(len(g.tail)), "it ends inside a UTF-8 character")
		return g.err
	}
	g.holdBack = 0
	if len(g.held) > 0 {
		if _, err := g.w.Write(g.held); err != nil {
			g.err = err
			return err
		}
		g.held = nil
	}
	return nil
}

func (g *TextGuard) check(p []byte) error {
	base := g.offset - int64(len(g.tail)) // stream offset of the first unchecked byte
	g.offset += int64(len(p))
	if len(g.tail) > 0 {
		buf := append(append([]byte(nil), g.tail...), p[:min(len(p), utf8.UTFMax)]...)
		if !utf8.FullRune(buf) {
			g.tail = buf
			return nil
		}
		r, size := utf8.DecodeRune(buf)
		if r == utf8.RuneError && size <= 1 {
			return g.notText(base, fmt.Sprintf("invalid UTF-8 at offset %d", base))
		}
		p = p[size-len(g.tail):]
		base += int64(size)
		g.tail = nil
	}
	for i := 0; i < len(p); {
		i += asciiPrefix(p[i:])
		if i == len(p) {
			break
		}
		c := p[i]
		switch {
		case c == 0:
			return g.notText(base+int64(i), fmt.Sprintf("NUL byte at offset %d", base+int64(i)))
		case c < utf8.RuneSelf:
			i++
		case !utf8.FullRune(p[i:]):
			g.tail = append([]byte(nil), p[i:]...)
			return nil
		default:
			r, size := utf8.DecodeRune(p[i:])
			if r == utf8.RuneError && size <= 1 {
				return g.notText(base+int64(i), fmt.Sprintf("invalid UTF-8 at offset %d", base+int64(i)))
			}
			i += size
		}
	}
	return nil
}

// notText is the error for data that stops being text at offset.
func (g *TextGuard) notText(offset int64, reason string) *NotTextError {
	return &NotTextError{Offset: offset, Format: binaryFormat(g.head), reason: reason}
}

// asciiPrefix returns the length of p's longest prefix, in whole 8-byte
// words, of ASCII bytes other than NUL: text is mostly ASCII, and a word at
// a time checks it several times faster than a byte at a time.
func asciiPrefix(p []byte) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	n := 0
	for ; len(p)-n >= 8; n += 8 {
		x := binary.LittleEndian.Uint64(p[n:])
		// x&hi: a byte ≥ 0x80; (x-lo)&^x&hi: a zero byte (exact once no
		// byte has its top bit set).
		if (x|(x-lo)&^x)&hi != 0 {
			break
		}
	}
	return n
}
