package main

import (
	"io"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/internal/shellquote"
)

// textProbe watches the plaintext that encrypt --v1 reads, with decrypt's
// own test (crypto.TextGuard), so that encrypt can say when the file it
// wrote will need decrypt --binary: a v1 file has no checksum, and decrypt
// takes plaintext that is not text for a wrong key unless told. A v2 file
// needs nothing of the kind, so a nil probe (v2) watches nothing.
type textProbe struct {
	guard   *crypto.TextGuard
	notText bool
}

// newTextProbe returns a probe for a file written in version, or nil.
func newTextProbe(version crypto.Version) *textProbe {
	if version != crypto.V1 {
		return nil
	}
	return &textProbe{guard: crypto.NewTextGuard(io.Discard, 0)}
}

// reader returns r with its reads watched.
func (p *textProbe) reader(r io.Reader) io.Reader {
	if p == nil {
		return r
	}
	return &probeReader{r, p}
}

// seeker returns rs with its reads watched. v1 reads its input once, from
// the start: a seek is passed on, and the probe does not follow it.
func (p *textProbe) seeker(rs io.ReadSeeker) io.ReadSeeker {
	if p == nil {
		return rs
	}
	return &probeSeeker{probeReader{rs, p}, rs}
}

func (p *textProbe) see(b []byte) {
	if !p.notText && len(b) > 0 {
		if _, err := p.guard.Write(b); err != nil {
			p.notText = true
		}
	}
}

// note says, after a v1 file was written, that decrypting it will need
// --binary, when what was read is not text.
func (p *textProbe) note(s *streams, in, out string) {
	if p == nil {
		return
	}
	if !p.notText && p.guard.Close() == nil {
		return
	}
	file := "the output"
	if out != stdio {
		file = shellquote.Quote(out)
	}
	infof(s.err, "%s is not text: decrypting %s will need --binary (a v1 file has no checksum, so decrypt checks for text; v2, the default, needs no flag)",
		displayName(in), file)
}

type probeReader struct {
	r io.Reader
	p *textProbe
}

func (r *probeReader) Read(b []byte) (int, error) {
	n, err := r.r.Read(b)
	r.p.see(b[:n])
	return n, err
}

type probeSeeker struct {
	probeReader
	s io.Seeker
}

func (r *probeSeeker) Seek(off int64, whence int) (int64, error) { return r.s.Seek(off, whence) }
