package crypto

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/subtle"
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

// chunkSize is the read size of the envelope scanner (Inspect).
const chunkSize = 64 << 10

// Writer encrypts what is written to it and writes the encrypted file to
// the underlying writer. Close must be called to flush the final base64
// block; for V2 it also checks that the plaintext matched the checksum.
//
// Encryption itself is serial (CFB), so the Writer runs it in the calling
// goroutine and hands each filled chunk to a goroutine that base64-encodes
// and writes it while the next chunk is encrypted: on two cores the cost
// of encoding and output disappears behind the cipher. At most
// pipelineDepth chunks exist, so memory does not grow with the input.
//
// Once an error occurs, every later call returns it.
type Writer struct {
	dst    io.Writer
	stream *cfbStream
	cur    *encChunk // being filled
	prefix []byte    // the header, written before the first chunk
	queue  []queuedChunk
	last   *encJob // the most recently started job, nil before the first
	chunks int     // chunks allocated
	check  inputCheck
	err    error
}

var errClosed = errors.New("crypto: writer already closed")

// ErrChecksumMismatch means a V2 Writer was given a plaintext whose MD5 is
// not the declared Checksum: the input changed between hashing and
// encrypting. The output must be discarded.
var ErrChecksumMismatch = errors.New("the input changed while it was being encrypted")

// NewWriter returns a Writer that encrypts to dst with key. The header and
// IV are written with the first chunk of output, at the latest by Close.
func NewWriter(dst io.Writer, key *Key, opts WriteOptions) (*Writer, error) {
	var check inputCheck
	if opts.Version == V2 || opts.Version == 0 {
		if len(opts.Checksum) != md5.Size {
			return nil, errors.New("crypto: a v2 writer needs the plaintext's MD5 checksum")
		}
		check = &md5Check{h: md5.New(), want: append([]byte(nil), opts.Checksum...)}
	}
	return newWriter(dst, key, opts, check)
}

// newWriter is NewWriter with the check of the plaintext chosen by the
// caller (Encrypt has a cheaper one than MD5).
func newWriter(dst io.Writer, key *Key, opts WriteOptions, check inputCheck) (*Writer, error) {
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
	w := &Writer{dst: dst, stream: newCFBEncrypter(key, iv), check: check}
	w.cur = w.newChunk()
	// The encoded stream is IV || ciphertext; the IV goes out in clear.
	w.cur.raw = append(w.cur.raw, iv...)
	if v == V2 {
		w.prefix = []byte(HeaderV2 + "\n")
		hexsum := make([]byte, checksumSize)
		hex.Encode(hexsum, opts.Checksum)
		w.cur.raw = w.cur.raw[:ivSize+checksumSize]
		w.stream.XORKeyStream(w.cur.raw[ivSize:], hexsum)
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
		if err := w.room(); err != nil {
			return n, err
		}
		c := w.cur
		start := len(c.raw)
		m := min(len(p), encChunkSize-start)
		c.raw = c.raw[:start+m]
		if w.check != nil {
			w.check.write(p[:m])
		}
		w.stream.XORKeyStream(c.raw[start:], p[:m])
		n += m
		p = p[m:]
	}
	return n, nil
}

// ReadFrom encrypts everything r yields, reading it straight into the
// Writer's buffers. It returns the first read or write error; reaching
// io.EOF is not an error, and the Writer still has to be closed.
func (w *Writer) ReadFrom(r io.Reader) (int64, error) {
	var n int64
	for {
		if w.err != nil {
			return n, w.err
		}
		if err := w.room(); err != nil {
			return n, err
		}
		c := w.cur
		start := len(c.raw)
		m, err := r.Read(c.raw[start:encChunkSize])
		if m > 0 {
			plain := c.raw[start : start+m]
			if w.check != nil {
				w.check.write(plain)
			}
			w.stream.XORKeyStream(plain, plain)
			c.raw = c.raw[:start+m]
			n += int64(m)
		}
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// room makes sure the current chunk has space, handing a full one to the
// output pipeline. An error is the output's, and is sticky.
func (w *Writer) room() error {
	if len(w.cur.raw) < encChunkSize {
		return nil
	}
	w.start(w.cur, true)
	w.cur = nil
	if w.chunks < pipelineDepth() {
		w.cur = w.newChunk()
		return nil
	}
	oldest := w.queue[0]
	w.queue = w.queue[1:]
	<-oldest.job.done
	if oldest.job.err != nil {
		w.err = oldest.job.err
		return w.err
	}
	oldest.chunk.raw = oldest.chunk.raw[:0]
	w.cur = oldest.chunk
	return nil
}

// Close flushes the output. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	w.err = errClosed
	// A small file is a single chunk: encode it here, without a goroutine.
	w.start(w.cur, len(w.queue) > 0)
	w.cur = nil
	for _, q := range w.queue {
		<-q.job.done
		if q.job.err != nil {
			return q.job.err
		}
	}
	w.queue = nil
	if w.check != nil && !w.check.ok() {
		return ErrChecksumMismatch
	}
	return nil
}

// start encodes and writes c after the chunks started before it, in a
// goroutine if async.
func (w *Writer) start(c *encChunk, async bool) {
	j := &encJob{done: make(chan struct{})}
	prev, prefix := w.last, w.prefix
	w.last, w.prefix = j, nil
	w.queue = append(w.queue, queuedChunk{c, j})
	if async {
		go c.encode(w.dst, prefix, j, prev)
	} else {
		c.encode(w.dst, prefix, j, prev)
	}
}

func (w *Writer) newChunk() *encChunk {
	w.chunks++
	return &encChunk{
		raw: make([]byte, 0, encChunkSize),
		out: make([]byte, 0, len(HeaderV2)+1+encodedChunkSize),
	}
}

// encChunkSize is the amount of IV and ciphertext encoded per step. It is
// a multiple of 3, so the base64 of consecutive chunks concatenates
// without padding in between.
const (
	encChunkSize     = 3 << 16 // 192 KiB
	encodedChunkSize = encChunkSize / 3 * 4
)

// encChunk is a buffer of the pipeline: raw bytes in, base64 out.
type encChunk struct {
	raw []byte // IV and ciphertext, at most encChunkSize
	out []byte
}

// encJob is one trip of a chunk through the pipeline; a chunk is reused,
// a job is not, so a later job can still look at this one's outcome.
type encJob struct {
	done chan struct{}
	err  error // valid once done is closed
}

type queuedChunk struct {
	chunk *encChunk
	job   *encJob
}

// encode base64-encodes c, waits for the previous chunk to be written,
// and writes c after it, unless that failed.
func (c *encChunk) encode(dst io.Writer, prefix []byte, j, prev *encJob) {
	defer close(j.done)
	out := append(c.out[:0], prefix...)
	n := b64.EncodedLen(len(c.raw))
	out = out[:len(prefix)+n]
	encodeBase64(out[len(prefix):], c.raw)
	c.out = out
	if prev != nil {
		<-prev.done
		if prev.err != nil {
			j.err = prev.err
			return
		}
	}
	if _, err := dst.Write(out); err != nil {
		j.err = err
	}
}

// inputCheck verifies that a V2 Writer encrypts the plaintext whose
// checksum it wrote at the start.
type inputCheck interface {
	write(p []byte)
	ok() bool
}

// md5Check compares the plaintext's MD5 with the declared checksum.
type md5Check struct {
	h    hash.Hash
	want []byte
}

func (c *md5Check) write(p []byte) { c.h.Write(p) }
func (c *md5Check) ok() bool       { return subtle.ConstantTimeCompare(c.h.Sum(nil), c.want) == 1 }

// Encrypt encrypts all of src to dst. For V2 it reads src twice: once to
// compute the checksum, then again from the start to encrypt it, so src
// must be seekable (spool a stream to a private file first). If src
// changes between the two passes, Encrypt fails with ErrChecksumMismatch.
func Encrypt(dst io.Writer, src io.ReadSeeker, key *Key, opts WriteOptions) error {
	if opts.Version == 0 {
		opts.Version = V2
	}
	var w *Writer
	var err error
	if opts.Version == V2 && opts.Checksum == nil {
		// The first pass computes the MD5 the format needs and a CRC
		// pair, 40 times cheaper, that the second pass recomputes to
		// notice a change: MD5 twice would cost a third of the speed.
		start, err := src.Seek(0, io.SeekCurrent)
		if err != nil {
			return fmt.Errorf("reading the input: %w", err)
		}
		sum, crc, err := hashInput(src)
		if err != nil {
			return fmt.Errorf("reading the input: %w", err)
		}
		if _, err := src.Seek(start, io.SeekStart); err != nil {
			return fmt.Errorf("reading the input: %w", err)
		}
		opts.Checksum = sum
		w, err = newWriter(dst, key, opts, &crcCheck{want: crc})
		if err != nil {
			return err
		}
	} else if w, err = NewWriter(dst, key, opts); err != nil {
		return err
	}
	if _, err := w.ReadFrom(src); err != nil {
		return err
	}
	return w.Close()
}

// hashInput returns the MD5 and the CRC pair of everything src yields.
// MD5 is serial and the slowest part, so it alone runs in the calling
// goroutine; reading and the CRCs run ahead of it in another, through a
// few recycled buffers.
func hashInput(src io.Reader) ([]byte, uint64, error) {
	type block struct {
		b   []byte
		err error
	}
	const depth = 4
	free, full := make(chan []byte, depth), make(chan block, depth)
	for range depth {
		free <- make([]byte, encChunkSize)
	}
	c := &crcCheck{}
	go func() {
		for b := range free {
			n, err := io.ReadFull(src, b)
			c.write(b[:n])
			full <- block{b[:n], err}
			if err != nil {
				return // the last block: the reader stops here
			}
		}
	}()
	h := md5.New()
	for {
		blk := <-full
		h.Write(blk.b)
		switch blk.err {
		case nil:
			free <- blk.b[:cap(blk.b)]
		case io.EOF, io.ErrUnexpectedEOF:
			return h.Sum(nil), c.sum(), nil
		default:
			return nil, 0, blk.err
		}
	}
}
