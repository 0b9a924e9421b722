package main

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
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

// newProgress returns a progress bar on standard error for a job of size
// bytes, or nil when there should be none: a small job, an unknown size,
// or standard error that is not a terminal (a pipe, a log, CI). The bar
// has no colour, so NO_COLOR has nothing to turn off.
func newProgress(s *streams, size int64, what string) *progressbar.ProgressBar {
	if size < progressMin || !isTerminal(s.err) {
		return nil
	}
	return progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(s.err),
		progressbar.OptionSetDescription("shipseal: "+what),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowTotalBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionEnableColorCodes(false),
		progressbar.OptionClearOnFinish(),
	)
}

// withProgress wraps the input of a command with a progress bar when
// newProgress gives one. size is the input's size, or -1 if unknown. Call
// done when the copy ends, whatever happened.
func withProgress(s *streams, r io.Reader, size int64, what string) (io.Reader, func()) {
	bar := newProgress(s, size, what)
	if bar == nil {
		return r, func() {}
	}
	pr := progressbar.NewReader(r, bar)
	return &pr, func() { bar.Finish() }
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
	return &progressSeeker{rs: rs, bar: bar}, func() { bar.Finish() }
}

type progressSeeker struct {
	rs  io.ReadSeeker
	bar *progressbar.ProgressBar
}

func (p *progressSeeker) Read(b []byte) (int, error) {
	n, err := p.rs.Read(b)
	p.bar.Add(n)
	return n, err
}

func (p *progressSeeker) Seek(off int64, whence int) (int64, error) {
	pos, err := p.rs.Seek(off, whence)
	if err == nil {
		p.bar.Set64(pos)
	}
	return pos, err
}
