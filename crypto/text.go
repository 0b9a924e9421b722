package crypto

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// ErrNotText means decrypted data is not UTF-8 text. For a v1 file, which
// has no checksum, that almost always means the key is wrong.
var ErrNotText = errors.New("decrypted data is not text")

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
	err      error
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
		g.err = fmt.Errorf("%w: it ends inside a UTF-8 character", ErrNotText)
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
			return fmt.Errorf("%w: invalid UTF-8 at offset %d", ErrNotText, base)
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
			return fmt.Errorf("%w: NUL byte at offset %d", ErrNotText, base+int64(i))
		case c < utf8.RuneSelf:
			i++
		case !utf8.FullRune(p[i:]):
			g.tail = append([]byte(nil), p[i:]...)
			return nil
		default:
			r, size := utf8.DecodeRune(p[i:])
			if r == utf8.RuneError && size <= 1 {
				return fmt.Errorf("%w: invalid UTF-8 at offset %d", ErrNotText, base+int64(i))
			}
			i += size
		}
	}
	return nil
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
