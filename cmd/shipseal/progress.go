package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// progressMin is the smallest input that gets a progress bar: secrets
// files take milliseconds, and a bar that flashes is noise.
const progressMin = 64 << 20

// isTerminal reports whether a standard stream is a terminal.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress is a one-line progress bar, redrawn in place with a carriage
// return, at most every progressEvery:
//
//	shipseal: encrypt  42% |========            | 27/64 MiB, 310 MiB/s
//
// It has no colour and no other escape sequence, so NO_COLOR has nothing
// to turn off. Its methods may be called from any goroutine.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	what  string
	total int64
	n     int64
	start time.Time
	drawn time.Time // when the line was last drawn
	width int       // the length of the line drawn, to clear it
	ended bool      // Finish was called: draw no more
}

const (
	progressEvery = 100 * time.Millisecond
	progressBar   = 20 // characters between the bars
)

// newProgress returns a progress bar on standard error for a job of size
// bytes, or nil when there should be none: a small job, an unknown size,
// or standard error that is not a terminal (a pipe, a log, CI).
func newProgress(s *streams, size int64, what string) *progress {
	if size < progressMin || !isTerminal(s.err) {
		return nil
	}
	p := &progress{w: s.err, what: what, total: size, start: time.Now()}
	p.draw(p.start)
	return p
}

// Add64 counts n more bytes done.
func (p *progress) Add64(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.set(p.n + n)
}

// Set64 sets the bytes done to n. Going back (an input read again) starts
// the rate's clock again.
func (p *progress) Set64(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n < p.n {
		p.start = time.Now()
	}
	p.set(n)
}

func (p *progress) set(n int64) {
	p.n = min(max(n, 0), p.total)
	if now := time.Now(); !p.ended && now.Sub(p.drawn) >= progressEvery {
		p.draw(now)
	}
}

func (p *progress) draw(now time.Time) {
	p.drawn = now
	done := int(p.n * progressBar / p.total)
	line := fmt.Sprintf("shipseal: %s %3d%% |%s%s| %s", p.what, p.n*100/p.total,
		strings.Repeat("=", done), strings.Repeat(" ", progressBar-done), byteCount(p.n, p.total))
	if secs := now.Sub(p.start).Seconds(); secs >= 0.5 {
		line += fmt.Sprintf(", %.0f MiB/s", float64(p.n)/secs/(1<<20))
	}
	pad := max(p.width-len(line), 0)
	p.width = len(line)
	fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", pad))
}

// Finish clears the bar's line: what the command says next replaces it.
func (p *progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.ended {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
		p.ended = true
	}
}

// byteCount is "27/64 MiB" or "1.3/4.0 GiB", in the unit of total.
func byteCount(n, total int64) string {
	if total >= 1<<30 {
		return fmt.Sprintf("%.1f/%.1f GiB", float64(n)/(1<<30), float64(total)/(1<<30))
	}
	return fmt.Sprintf("%d/%d MiB", n>>20, total>>20)
}

// withProgress wraps the input of a command with a progress bar when
// newProgress gives one. size is the input's size, or -1 if unknown. Call
// done when the copy ends, whatever happened.
func withProgress(s *streams, r io.Reader, size int64, what string) (io.Reader, func()) {
	bar := newProgress(s, size, what)
	if bar == nil {
		return r, func() {}
	}
	return &progressReader{r: r, bar: bar}, bar.Finish
}

type progressReader struct {
	r   io.Reader
	bar *progress
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.bar.Add64(int64(n))
	return n, err
}

// inputSize is the size of an input that is a regular file, or -1.
func inputSize(v any) int64 {
	f, ok := v.(*os.File)
	if !ok {
		return -1
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return -1
	}
	return st.Size()
}

// fileSize is a named file's size, or 0 if it cannot be read.
func fileSize(name string) int64 {
	st, err := os.Stat(name)
	if err != nil {
		return 0
	}
	return st.Size()
}

// streamSize is the size of a command's input: the named file, or
// standard input when file is nil; -1 when it is not a regular file.
func streamSize(s *streams, file *os.File) int64 {
	if file != nil {
		return inputSize(file)
	}
	return inputSize(s.in)
}

// withProgressSeeker is withProgress for an input read more than once (v2
// encryption hashes it first): the bar starts again when the input is
// rewound.
func withProgressSeeker(s *streams, rs io.ReadSeeker, what string) (io.ReadSeeker, func()) {
	bar := newProgress(s, inputSize(rs), what)
	if bar == nil {
		return rs, func() {}
	}
	return &progressSeeker{progressReader{r: rs, bar: bar}, rs}, bar.Finish
}

type progressSeeker struct {
	progressReader
	s io.Seeker
}

func (p *progressSeeker) Seek(off int64, whence int) (int64, error) {
	pos, err := p.s.Seek(off, whence)
	if err == nil {
		p.bar.Set64(pos)
	}
	return pos, err
}
