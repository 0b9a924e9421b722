package crypto

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"
)

// plaintext is n random bytes: no two chunks alike (benchData repeats
// every 128 KiB), so that a chunk's buffer reused too early shows.
func plaintext(n int) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{9}).Read(b)
	return b
}

// writeToFile encrypts plain as version v with a fixed key.
func writeToFile(t *testing.T, v Version, plain []byte) (*Key, []byte) {
	t.Helper()
	k, err := newKey(bytes.Repeat([]byte{3}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	if err := Encrypt(&file, bytes.NewReader(plain), k, WriteOptions{Version: v}); err != nil {
		t.Fatal(err)
	}
	return k, file.Bytes()
}

// seqWriter keeps what it is given and fails the test if two Writes
// overlap; slow makes each Write take a millisecond, so that WriteTo's
// reading and decrypting run ahead of it as far as they may.
type seqWriter struct {
	t     *testing.T
	buf   bytes.Buffer
	busy  atomic.Bool
	calls int
	slow  bool
}

func (w *seqWriter) Write(p []byte) (int, error) {
	if !w.busy.CompareAndSwap(false, true) {
		w.t.Error("two Writes at once")
	}
	defer w.busy.Store(false)
	if w.slow {
		time.Sleep(time.Millisecond)
	}
	w.calls++
	return w.buf.Write(p)
}

// TestWriteToWritesInOrder: WriteTo, whose writing runs beside the
// reading, gives exactly the plaintext, one Write at a time, for files of
// no chunk, one and several, after Reads of part of the first chunk or of
// all of it, with a fast and a slow writer; and its buffers stay bounded.
func TestWriteToWritesInOrder(t *testing.T) {
	for _, v := range []Version{V1, V2} {
		for _, size := range []int{0, 1, 100, decChunkBytes - 40, 5*decChunkBytes + 77, 16 * decChunkBytes} {
			plain := plaintext(size)
			k, file := writeToFile(t, v, plain)
			for _, readFirst := range []int{0, 7, decChunkBytes} {
				for _, slow := range []bool{false, true} {
					r, err := NewReader(bytes.NewReader(file), k)
					if err != nil {
						t.Fatal(err)
					}
					head := make([]byte, min(readFirst, size))
					if _, err := io.ReadFull(r, head); err != nil {
						t.Fatal(err)
					}
					w := &seqWriter{t: t, slow: slow}
					n, err := r.WriteTo(w)
					if err != nil || n != int64(size-len(head)) {
						t.Fatalf("%v, %d bytes, %d read first, slow %v: WriteTo = %d, %v", v, size, len(head), slow, n, err)
					}
					if got := append(head, w.buf.Bytes()...); !bytes.Equal(got, plain) {
						t.Fatalf("%v, %d bytes, %d read first, slow %v: not the plaintext", v, size, len(head), slow)
					}
					// The queue, the one being written, the one waiting
					// for the writer and the one being handed to it.
					if limit := pipelineDepth() + 3; r.chunks > limit {
						t.Errorf("%v, %d bytes, slow %v: %d chunk buffers, want at most %d", v, size, slow, r.chunks, limit)
					}
					if n, err := r.WriteTo(w); n != 0 || err != nil {
						t.Fatalf("WriteTo again at the end = %d, %v, want 0, nil", n, err)
					}
				}
			}
		}
	}
}

// failWriter accepts limit bytes, then fails with its error; it counts the
// calls made after the failure.
type failWriter struct {
	limit int
	short bool // fail by returning less than asked, with no error
	once  bool // and accept everything after that
	buf   bytes.Buffer
	err   error
	after int
}

func (w *failWriter) Write(p []byte) (int, error) {
	if w.buf.Len() >= w.limit && w.err != nil {
		w.after++
	}
	if room := w.limit - w.buf.Len(); len(p) > room {
		w.buf.Write(p[:room])
		if w.short {
			if w.once {
				w.limit = 1 << 62
			}
			return room, nil
		}
		w.err = errors.New("disk full")
		return room, w.err
	}
	return w.buf.Write(p)
}

// TestWriteToWriteError: a write error, in the bytes NewReader decrypted
// (v1), in the first chunk or a later one, is what WriteTo returns, with
// the bytes written before it, which are the plaintext's; w is not called
// again, and the error is sticky. A short write without an error is
// io.ErrShortWrite, as for io.Copy, even when the writer would take the
// rest.
func TestWriteToWriteError(t *testing.T) {
	for _, v := range []Version{V1, V2} {
		plain := plaintext(4*decChunkBytes + 10)
		k, file := writeToFile(t, v, plain)
		for _, limit := range []int{0, 10, decChunkBytes + 5, 3 * decChunkBytes, 4 * decChunkBytes} {
			for _, short := range []bool{false, true} {
				r, err := NewReader(bytes.NewReader(file), k)
				if err != nil {
					t.Fatal(err)
				}
				w := &failWriter{limit: limit, short: short, once: short}
				n, err := r.WriteTo(w)
				want := w.err
				if short {
					want = io.ErrShortWrite
				}
				if err == nil || err != want || n != int64(limit) {
					t.Fatalf("%v, fails at %d, short %v: WriteTo = %d, %v; want %d, %v", v, limit, short, n, err, limit, want)
				}
				if !bytes.Equal(w.buf.Bytes(), plain[:limit]) {
					t.Fatalf("%v, fails at %d: what was written is not the plaintext", v, limit)
				}
				if w.after != 0 {
					t.Fatalf("%v, fails at %d: %d Writes after the failure", v, limit, w.after)
				}
				if _, err := r.Read(make([]byte, 10)); err != want {
					t.Fatalf("%v, fails at %d: Read after it = %v, want the write error", v, limit, err)
				}
				if n, err := r.WriteTo(io.Discard); n != 0 || err != want {
					t.Fatalf("%v, fails at %d: WriteTo after it = %d, %v, want the write error", v, limit, n, err)
				}
			}
		}
	}
}

type panicWriter struct{ calls int }

func (w *panicWriter) Write(p []byte) (int, error) {
	if w.calls++; w.calls == 2 {
		panic("writer bug")
	}
	return len(p), nil
}

// TestWriteToPanic: a panic in w.Write comes out of WriteTo, in the
// caller's goroutine, with its value; the Reader is then done for.
func TestWriteToPanic(t *testing.T) {
	plain := plaintext(3 * decChunkBytes)
	k, file := writeToFile(t, V2, plain)
	r, err := NewReader(bytes.NewReader(file), k)
	if err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() {
			if v := recover(); v != "writer bug" {
				t.Fatalf("WriteTo panicked with %v, want the writer's panic", v)
			}
		}()
		r.WriteTo(&panicWriter{})
		t.Fatal("WriteTo returned after its writer panicked")
	}()
	if _, err := r.Read(make([]byte, 10)); err != errWriterPanicked {
		t.Fatalf("Read after the panic = %v, want errWriterPanicked", err)
	}
}

// TestWriteToChecksum: the v2 checksum is computed beside the writing,
// and a mismatch still comes after all of the plaintext; a bad chunk
// stops the writing after the chunks before it.
func TestWriteToChecksum(t *testing.T) {
	plain := plaintext(3*decChunkBytes + 1000)
	k, file := writeToFile(t, V2, plain)
	// A valid base64 character changed, in the second chunk: the
	// plaintext changes, the checksum does not.
	at := bytes.IndexByte(file, '\n') + 1 + headText + decChunkText + 100
	bad := bytes.Clone(file)
	bad[at] = 'A'
	if file[at] == 'A' {
		bad[at] = 'B'
	}
	r, err := NewReader(bytes.NewReader(bad), k)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	n, err := r.WriteTo(&out)
	if err != ErrChecksum || n != int64(len(plain)) {
		t.Fatalf("one character changed: WriteTo = %d, %v; want %d, ErrChecksum", n, err, len(plain))
	}
	// Not base64: an error in the second chunk, after the first.
	bad[at] = '*'
	r, err = NewReader(bytes.NewReader(bad), k)
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	n, err = r.WriteTo(&out)
	if !errors.Is(err, ErrNotEncrypted) || n != decChunkBytes || !bytes.Equal(out.Bytes(), plain[:n]) {
		t.Fatalf("a '*' in the second chunk: WriteTo = %d, %v; want the first chunk, then ErrNotEncrypted", n, err)
	}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestWriteToStopsAfterWriteError: after a write error WriteTo reads and
// decrypts no more than the chunks already under way, not the rest of a
// large file.
func TestWriteToStopsAfterWriteError(t *testing.T) {
	const chunks = 40
	k, file := writeToFile(t, V1, plaintext(chunks*decChunkBytes))
	src := &countingReader{r: bytes.NewReader(file)}
	r, err := NewReader(src, k)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.WriteTo(&failWriter{limit: 1000}); err == nil {
		t.Fatal("WriteTo into a failing writer succeeded")
	}
	// The chunk written, two more handed to the writer and the queue.
	if limit := (1 + 2 + pipelineDepth() + 1) * decChunkText; src.n > limit {
		t.Fatalf("read %d bytes of %d after a write error in the first chunk, want at most %d", src.n, len(file), limit)
	}
}
