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
	"strings"
	"sync"
	"sync/atomic"
)

// Reader decrypts an encrypted file of either version as it is read.
//
// For V2, NewReader has already checked that the key decrypts the
// checksum to hex, so a wrong key fails before any plaintext is released;
// the checksum itself is compared at the end, and a mismatch is returned by
// the Read that would otherwise return io.EOF. A caller that writes the
// plaintext somewhere must therefore treat only io.EOF as success.
//
// CFB decryption is parallel: each plaintext block is the encryption of
// the previous ciphertext block XOR the current one. The Reader cuts the
// base64 text into chunks of decChunkText characters (whole 48-byte
// groups, so each chunk decodes on its own), notes each chunk's last
// ciphertext block as the next chunk's feedback, and decodes and decrypts
// up to pipelineDepth chunks at once in short-lived goroutines, while the
// caller consumes them in order. WriteTo (and so io.Copy) also writes, and
// for V2 hashes, the plaintext in goroutines of its own while it reads the
// next chunks, and waits for them before it returns. Memory is bounded by
// the depth, and nothing is left running when a Reader is abandoned
// half-read.
//
// Once an error occurs, every later call returns it.
type Reader struct {
	src     *bufio.Reader
	block   cipher.Block
	rk      *[15 * blockSize]byte // round keys for the assembly, or nil
	version Version
	sum     hash.Hash
	want    [md5.Size]byte
	err     error

	pending []byte      // decrypted, not yet returned
	served  *decChunk   // the chunk pending points into
	queue   []*decJob   // started, in order
	free    []*decChunk // buffers to reuse
	chunks  int         // buffers allocated

	seed    [blockSize]byte // the last ciphertext block read so far
	textOff int64           // base64 characters read so far, whitespace aside
	eof     bool            // no more input
	padded  bool            // the last text read ended with padding
}

// NewReader reads the header, the IV and (for V2) the checksum from src.
func NewReader(src io.Reader, key *Key) (*Reader, error) {
	br := bufio.NewReaderSize(src, chunkSize)
	version, err := readHeader(br)
	if err != nil {
		return nil, err
	}
	r := &Reader{src: br, block: key.block, rk: roundKeys(key), version: version}

	// The first 64 characters hold the IV and 32 bytes after it: the
	// checksum in v2. Reading exactly that much keeps the chunks after it
	// aligned on 48-byte groups.
	var text [headText]byte
	n, err := r.fill(text[:])
	if err != nil {
		return nil, err
	}
	var raw [headText / 4 * 3]byte
	m, err := b64.Decode(raw[:], text[:n])
	var ce base64.CorruptInputError
	if errors.As(err, &ce) && r.eof && n%4 != 0 && int(ce) >= n-n%4 {
		// Cut inside a group: judge by what was there, as a stream would.
		err = io.ErrUnexpectedEOF
	}
	r.padded = n > 0 && text[n-1] == '='
	switch {
	case err != nil && err != io.ErrUnexpectedEOF:
		return nil, r.corrupt(err)
	case m < ivSize:
		return nil, fmt.Errorf("%w: shorter than its 16-byte IV", ErrNotEncrypted)
	case version == V2 && m < ivSize+checksumSize:
		return nil, fmt.Errorf("%w: the file ends before its checksum", ErrTruncated)
	case err != nil:
		return nil, r.corrupt(err)
	}
	r.textOff = int64(n)
	copy(r.seed[:], raw[m-blockSize:m])
	rest := raw[ivSize:m]
	newCFBDecrypter(key.block, raw[:ivSize]).XORKeyStream(rest, rest)
	if version == V2 {
		if !isLowerHex(rest) {
			// Not hex: the key is not the one the checksum was
			// encrypted with (hex that does not match is ErrChecksum).
			return nil, fmt.Errorf("%w (%v): it was encrypted with another key", ErrWrongKey, key)
		}
		hex.Decode(r.want[:], rest)
		r.sum = md5.New()
	} else {
		r.pending = rest
	}
	return r, nil
}

// headText is how much base64 NewReader reads: 48 bytes.
const headText = 64

// decChunkText is the base64 decoded per step: a multiple of 64
// characters, so a chunk is whole 48-byte groups of three blocks.
const (
	decChunkText  = 1 << 18 // 256 KiB
	decChunkBytes = decChunkText / 4 * 3
)

// Version is the format of the file being read.
func (r *Reader) Version() Version { return r.version }

// Read decrypts into p.
func (r *Reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	for len(r.pending) == 0 {
		if err := r.next(); err != nil {
			r.err = err
			return 0, err
		}
	}
	n := copy(p, r.pending)
	r.pending = r.pending[n:]
	return n, nil
}

// WriteTo writes the plaintext to w, straight from the Reader's buffers.
// It returns nil at the end of a good file, and the checksum error (or any
// other) otherwise.
//
// While w writes one chunk, WriteTo reads and decrypts the next ones (and
// for V2 another goroutine computes the MD5): w.Write is called from a
// goroutine of WriteTo's, one call at a time and in order, and every call
// has returned when WriteTo returns. A write error is sticky, like the
// Reader's own: the chunks decrypted after it are lost.
func (r *Reader) WriteTo(w io.Writer) (int64, error) {
	var n int64
	// What Read calls left, and the start of a v1 file, go first.
	if len(r.pending) > 0 && r.err == nil {
		m, err := w.Write(r.pending)
		n += int64(m)
		r.pending = r.pending[m:]
		if err == nil && len(r.pending) > 0 {
			err = io.ErrShortWrite
		}
		if err != nil {
			r.err = err
		}
	}
	if r.err != nil {
		if r.err == io.EOF {
			return n, nil
		}
		return n, r.err
	}
	if r.served != nil {
		r.free = append(r.free, r.served)
		r.served = nil
	}
	s := startSink(w, r.sum)
	var err error
	for !s.failed.Load() {
		r.free = s.reclaim(r.free)
		var j *decJob
		if j, err = r.nextJob(); err != nil {
			break
		}
		s.send(j)
	}
	r.queue = nil // after an error, later chunks are moot; their goroutines finish alone
	m, werr, panicked := s.wait()
	n += m
	r.free = s.reclaim(r.free)
	switch {
	case panicked != nil:
		r.err = errWriterPanicked
		panic(panicked) // in the caller's goroutine, as if it had called w.Write
	case werr != nil:
		r.err = werr
	case err == io.EOF:
		r.err = r.end()
	default:
		r.err = err
	}
	if r.err == io.EOF {
		return n, nil
	}
	return n, r.err
}

// next makes the next chunk's plaintext pending, or returns io.EOF at the
// end (ErrChecksum instead when the v2 checksum does not match).
func (r *Reader) next() error {
	if r.served != nil {
		r.free = append(r.free, r.served)
		r.served = nil
	}
	j, err := r.nextJob()
	if err == io.EOF {
		return r.end()
	}
	if err != nil {
		return err
	}
	r.served = j.chunk
	r.pending = j.plain
	if r.sum != nil {
		r.sum.Write(j.plain)
	}
	return nil
}

// nextJob returns the next chunk's job once it is done, or io.EOF when
// there are no more.
func (r *Reader) nextJob() (*decJob, error) {
	r.startJobs()
	if len(r.queue) == 0 {
		return nil, io.EOF
	}
	j := r.queue[0]
	r.queue = r.queue[1:]
	<-j.done
	if j.err != nil {
		r.queue = nil // later chunks are moot; their goroutines finish alone
		return nil, j.err
	}
	return j, nil
}

// end is the Reader's last word: io.EOF, or ErrChecksum when the v2
// checksum does not match the plaintext.
func (r *Reader) end() error {
	if r.sum != nil && subtle.ConstantTimeCompare(r.sum.Sum(nil), r.want[:]) != 1 {
		return ErrChecksum
	}
	return io.EOF
}

// startJobs reads chunks of text and starts decrypting them until the
// pipeline is full or the input ends.
func (r *Reader) startJobs() {
	for !r.eof && len(r.queue) < pipelineDepth() {
		c := r.chunk()
		n, err := r.fill(c.text[:decChunkText])
		j := &decJob{chunk: c, done: make(chan struct{}), seed: r.seed, off: r.textOff}
		r.queue = append(r.queue, j)
		c.text = c.text[:n]
		switch {
		case err != nil:
			j.err = err
			r.eof = true
		case n > 0 && r.padded:
			// Padding ends the base64; text after it is not ours.
			j.err = fmt.Errorf("%w: invalid base64 near byte %d of the encoded data", ErrNotEncrypted, r.textOff+1)
			r.eof = true
		}
		if j.err != nil {
			close(j.done)
			return
		}
		if n > 0 {
			r.padded = c.text[n-1] == '='
			if n >= 24 {
				// Each chunk's last block seeds the next; a chunk is whole
				// groups, so its last 24 characters decode on their own.
				var tail [18]byte
				if _, err := b64.Decode(tail[:], c.text[n-24:n]); err == nil {
					copy(r.seed[:], tail[2:])
				}
			}
		}
		r.textOff += int64(n)
		if r.eof && len(r.queue) == 1 {
			j.run(r.block, r.rk, true) // the only chunk: no goroutine needed
			return
		}
		go j.run(r.block, r.rk, r.eof)
	}
}

// chunk returns a free buffer set, allocating up to the pipeline depth
// plus the one being served (with WriteTo, the three at most that its
// writer holds).
func (r *Reader) chunk() *decChunk {
	if n := len(r.free); n > 0 {
		c := r.free[n-1]
		r.free = r.free[:n-1]
		return c
	}
	r.chunks++
	return &decChunk{
		text:  make([]byte, decChunkText),
		ct:    make([]byte, decChunkBytes),
		plain: make([]byte, decChunkBytes),
	}
}

// fill reads base64 text into buf until it is full or the input ends,
// dropping whitespace. It sets r.eof at the end; io.EOF is not an error.
func (r *Reader) fill(buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.src.Read(buf[n:])
		n += dropSpace(buf[n : n+m])
		if err == io.EOF {
			r.eof = true
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// corrupt turns a base64 error at an offset in the text after r.textOff
// into a user-facing one.
func (r *Reader) corrupt(err error) error {
	var ce base64.CorruptInputError
	if errors.As(err, &ce) {
		return fmt.Errorf("%w: invalid base64 near byte %d of the encoded data", ErrNotEncrypted, r.textOff+int64(ce)+1)
	}
	if err == io.ErrUnexpectedEOF {
		return errCutInGroup
	}
	return err
}

var errWriterPanicked = errors.New("crypto: an earlier WriteTo's writer panicked")

var errCutInGroup = fmt.Errorf("%w: its base64 text ends inside a 4-character group (truncated or corrupt)", ErrNotEncrypted)

// decChunk is the buffers of one step of the Reader's pipeline.
type decChunk struct {
	text  []byte // base64, whitespace dropped
	ct    []byte // decoded: ciphertext
	plain []byte
}

// decJob decodes and decrypts one chunk; done is closed when plain or err
// is set.
type decJob struct {
	chunk *decChunk
	seed  [blockSize]byte // the ciphertext block before the chunk
	off   int64           // offset of the chunk's text, for messages
	done  chan struct{}
	plain []byte
	err   error
}

func (j *decJob) run(b cipher.Block, rk *[15 * blockSize]byte, final bool) {
	defer close(j.done)
	c := j.chunk
	n, err := decodeBase64(c.ct, c.text)
	if err != nil {
		var ce base64.CorruptInputError
		if final && len(c.text)%4 != 0 && errors.As(err, &ce) && int(ce) >= len(c.text)-len(c.text)%4 {
			j.err = errCutInGroup
		} else if errors.As(err, &ce) {
			j.err = fmt.Errorf("%w: invalid base64 near byte %d of the encoded data", ErrNotEncrypted, j.off+int64(ce)+1)
		} else {
			j.err = err
		}
		return
	}
	whole := n &^ (blockSize - 1)
	cfbDecryptBlocks(b, rk, &j.seed, c.plain, c.ct[:whole])
	if whole < n {
		// The end of the file, inside a block.
		fb := j.seed
		if whole > 0 {
			copy(fb[:], c.ct[whole-blockSize:whole])
		}
		var ks [blockSize]byte
		b.Encrypt(ks[:], fb[:])
		for i := whole; i < n; i++ {
			c.plain[i] = c.ct[i] ^ ks[i-whole]
		}
	}
	j.plain = c.plain[:n]
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
	atEOF := err == io.EOF
	line = bytes.TrimRight(line, "\r\n")
	if string(line) == HeaderV2 {
		return V2, nil
	}
	if atEOF && strings.HasPrefix(HeaderV2, string(line)) {
		// "codeship:v" and nothing after: a v2 file cut in its header,
		// not a version from the future.
		return 0, fmt.Errorf("%w: the file ends inside its %q header", ErrTruncated, HeaderV2)
	}
	// The advice to upgrade is the caller's hint, not part of the error.
	return 0, fmt.Errorf("%w %q: this shipseal reads v1 and v2", ErrUnsupportedVersion, truncate(line, 32))
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

// sink is WriteTo's output: one goroutine writes the chunks to w in order
// and, for V2, another hashes them, each through a channel that holds one
// chunk, so that the calling goroutine waits only when both are behind.
// A chunk goes back to the Reader's free buffers when every stage has
// passed it: each stage counts the chunks it has finished.
type sink struct {
	stages []chan *decJob
	done   []atomic.Int64 // chunks finished, per stage
	sent   []*decChunk    // sent and not yet reclaimed, oldest first
	nsent  int64          // chunks sent, in all
	wg     sync.WaitGroup
	failed atomic.Bool // the write failed: stop sending

	n      int64 // written; read after wg.Wait
	err    error
	panicv any
}

func startSink(w io.Writer, sum hash.Hash) *sink {
	count := 1
	if sum != nil {
		count = 2
	}
	s := &sink{stages: make([]chan *decJob, count), done: make([]atomic.Int64, count)}
	for i := range s.stages {
		s.stages[i] = make(chan *decJob, 1)
	}
	s.wg.Add(count)
	go s.write(w, s.stages[0], &s.done[0])
	if sum != nil {
		go s.hash(sum, s.stages[1], &s.done[1])
	}
	return s
}

func (s *sink) write(w io.Writer, in chan *decJob, done *atomic.Int64) {
	defer s.wg.Done()
	defer func() {
		if v := recover(); v != nil {
			// For WriteTo's caller to see, in its own goroutine.
			s.panicv = v
			s.failed.Store(true)
			done.Add(1)
			for range in {
				done.Add(1)
			}
		}
	}()
	for j := range in {
		if s.err == nil {
			m, err := w.Write(j.plain)
			s.n += int64(m)
			if err == nil && m < len(j.plain) {
				err = io.ErrShortWrite
			}
			if err != nil {
				s.err = err
				s.failed.Store(true)
			}
		}
		done.Add(1)
	}
}

func (s *sink) hash(h hash.Hash, in chan *decJob, done *atomic.Int64) {
	defer s.wg.Done()
	for j := range in {
		h.Write(j.plain)
		done.Add(1)
	}
}

// send hands a decrypted chunk to every stage.
func (s *sink) send(j *decJob) {
	s.sent = append(s.sent, j.chunk)
	s.nsent++
	for _, c := range s.stages {
		c <- j
	}
}

// reclaim appends to free the chunks that every stage has finished.
func (s *sink) reclaim(free []*decChunk) []*decChunk {
	passed := s.nsent
	for i := range s.done {
		passed = min(passed, s.done[i].Load())
	}
	// s.sent holds the chunks numbered nsent-len(sent) .. nsent-1.
	k := int(passed - (s.nsent - int64(len(s.sent))))
	free = append(free, s.sent[:k]...)
	s.sent = s.sent[k:]
	return free
}

// wait stops the stages once they have finished what was sent, and
// returns what was written, the write error, and the value w.Write
// panicked with, if it did.
func (s *sink) wait() (int64, error, any) {
	for _, c := range s.stages {
		close(c)
	}
	s.wg.Wait()
	return s.n, s.err, s.panicv
}
