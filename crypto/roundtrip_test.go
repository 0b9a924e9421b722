package crypto_test

import (
	"bytes"
	"crypto/md5"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/shipseal/shipseal/crypto"
	"github.com/stretchr/testify/require"
)

// writePattern splits a plaintext into the Write calls a caller makes.
type writePattern struct {
	name  string
	sizes func(i int) int // size of the i-th write
}

var writePatterns = []writePattern{
	{"one write", func(int) int { return 1 << 62 }},
	{"1-byte writes", func(int) int { return 1 }},
	{"odd writes", func(i int) int { return []int{7, 1, 13, 3, 4097, 65537, 5}[i%7] }},
	{"block writes", func(int) int { return 16 }},
	{"64 KiB+1 writes", func(int) int { return 64<<10 + 1 }},
}

func writeIn(t testing.TB, w io.Writer, p []byte, pat writePattern) {
	t.Helper()
	for i := 0; len(p) > 0; i++ {
		n := min(pat.sizes(i), len(p))
		m, err := w.Write(p[:n])
		require.NoError(t, err)
		require.Equal(t, n, m, "a Writer must consume all it is given")
		p = p[n:]
	}
}

// roundTripSizes are small sizes around every boundary plus larger ones.
func roundTripSizes() []int {
	var sizes []int
	for n := 0; n <= 70; n++ {
		sizes = append(sizes, n)
	}
	return append(sizes, 1000, 4096, 65535, 65536, 65537, 200_003, 1<<20+17)
}

// TestRoundTrip: for every size and way of writing, decrypting what the
// Writer wrote gives the plaintext back, and the output does not depend on
// how the plaintext was split into writes (nor on Encrypt vs Writer).
func TestRoundTrip(t *testing.T) {
	key := seededKey(t, 3)
	for _, v := range versions {
		for _, size := range roundTripSizes() {
			plain := randomBytes(uint64(size), size)
			iv := randomBytes(uint64(size)+1, 16)
			reference := encryptWithIV(t, key, v, iv, plain)
			for _, pat := range writePatterns {
				if pat.name == "1-byte writes" && size > 70_000 {
					continue // slow, and no boundary left to find
				}
				t.Run(fmt.Sprintf("%v/%d/%s", v, size, pat.name), func(t *testing.T) {
					var out bytes.Buffer
					w, err := crypto.NewWriter(&out, key, writeOptions(v, iv, plain))
					require.NoError(t, err)
					writeIn(t, w, plain, pat)
					require.NoError(t, w.Close())
					require.True(t, bytes.Equal(reference, out.Bytes()), "the output depends on how the plaintext was written")

					got, gotV, err := decryptAll(t, key, out.Bytes())
					require.NoError(t, err)
					require.Equal(t, v, gotV)
					require.True(t, bytes.Equal(plain, got), "round trip changed the plaintext")
				})
			}
		}
	}
}

// TestRoundTripRandom is a seeded property test: random sizes, random
// write splits, random read buffer sizes, both versions.
func TestRoundTripRandom(t *testing.T) {
	r := seededRand(42)
	trials := 300
	if testing.Short() {
		trials = 50
	}
	for trial := range trials {
		v := versions[trial%2]
		size := int(r.Uint64() % (1 << uint(r.Uint64()%18+1)))
		plain := randomBytes(uint64(trial)<<8, size)
		iv := randomBytes(uint64(trial)<<8|1, 16)
		key := seededKey(t, uint64(trial))
		var out bytes.Buffer
		w, err := crypto.NewWriter(&out, key, writeOptions(v, iv, plain))
		require.NoError(t, err)
		maxWrite := int(r.Uint64()%5000) + 1
		writeIn(t, w, plain, writePattern{"random", func(int) int { return int(r.Uint64()%uint64(maxWrite)) + 1 }})
		require.NoError(t, w.Close())

		rd, err := crypto.NewReader(&out, key)
		require.NoError(t, err, "trial %d (%v, %d bytes)", trial, v, size)
		got, err := readIn(rd, int(r.Uint64()%300)+1)
		require.NoError(t, err, "trial %d (%v, %d bytes)", trial, v, size)
		require.True(t, bytes.Equal(plain, got), "trial %d (%v, %d bytes): round trip changed the plaintext", trial, v, size)
	}
}

// readIn reads r to the end with a buffer of n bytes.
func readIn(r io.Reader, n int) ([]byte, error) {
	var out []byte
	buf := make([]byte, n)
	for {
		m, err := r.Read(buf)
		out = append(out, buf[:m]...)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

// TestReaderTinyReads reads through 1-byte and small buffers, and with a
// source that returns one byte per Read, and checks io.Reader's contract
// with testing/iotest.
func TestReaderTinyReads(t *testing.T) {
	key := seededKey(t, 4)
	for _, v := range versions {
		for _, size := range []int{0, 1, 15, 16, 17, 33, 1000, 70_000} {
			plain := randomBytes(uint64(size)+7, size)
			file := encryptWithIV(t, key, v, randomBytes(uint64(size)+8, 16), plain)
			t.Run(fmt.Sprintf("%v/%d", v, size), func(t *testing.T) {
				for _, n := range []int{1, 2, 3, 7, 16, 17} {
					r, err := crypto.NewReader(bytes.NewReader(file), key)
					require.NoError(t, err)
					got, err := readIn(r, n)
					require.NoError(t, err)
					require.True(t, bytes.Equal(plain, got), "reading %d bytes at a time changed the plaintext", n)
				}
				// A source that hands out one byte per Read, and one that
				// returns data together with io.EOF.
				for name, src := range map[string]io.Reader{
					"one byte": iotest.OneByteReader(bytes.NewReader(file)),
					"data+EOF": iotest.DataErrReader(bytes.NewReader(file)),
					"half":     iotest.HalfReader(bytes.NewReader(file)),
				} {
					r, err := crypto.NewReader(src, key)
					require.NoError(t, err, name)
					got, err := io.ReadAll(r)
					require.NoError(t, err, name)
					require.True(t, bytes.Equal(plain, got), "source %s changed the plaintext", name)
				}
				r, err := crypto.NewReader(bytes.NewReader(file), key)
				require.NoError(t, err)
				require.NoError(t, iotest.TestReader(r, plain))
			})
		}
	}
}

// rewrap re-formats a file's base64 line the ways files are found in
// repositories: wrapped at 64 or 76 columns, CRLF, indented, with
// surrounding whitespace.
func rewrap(file []byte, width int, eol, lead, trail string) []byte {
	s := string(file)
	header := ""
	if rest, ok := strings.CutPrefix(s, "codeship:v2\n"); ok {
		// The header is a line: it ends with LF or CRLF, whatever the body does.
		header, s = "codeship:v2\n", rest
		if strings.HasPrefix(eol, "\r\n") {
			header = "codeship:v2\r\n"
		}
		if strings.HasPrefix(eol, "\n") {
			header += eol[1:]
		}
	}
	var b strings.Builder
	b.WriteString(lead + header)
	for len(s) > 0 {
		n := min(width, len(s))
		b.WriteString(s[:n])
		s = s[n:]
		if len(s) > 0 {
			b.WriteString(eol)
		}
	}
	b.WriteString(trail)
	return []byte(b.String())
}

func TestReaderAcceptsReformattedBase64(t *testing.T) {
	key := seededKey(t, 5)
	for _, v := range versions {
		for _, size := range []int{0, 1, 47, 48, 100, 5000} {
			plain := randomBytes(uint64(size)+9, size)
			file := encryptWithIV(t, key, v, randomBytes(uint64(size)+10, 16), plain)
			for _, f := range []struct {
				name             string
				width            int
				eol, lead, trail string
			}{
				{"64 columns", 64, "\n", "", "\n"},
				{"76 columns", 76, "\n", "", ""},
				{"76 columns CRLF", 76, "\r\n", "", "\r\n"},
				{"1 column", 1, "\n", "", ""},
				{"trailing newline", 1 << 30, "\n", "", "\n"},
				{"CRLF", 1 << 30, "\r\n", "", "\r\n"},
				{"surrounded by whitespace", 1 << 30, "\n", " \t\r\n\n", " \n\t \r\n"},
				{"indented lines", 60, "\n    ", "  ", "\n"},
				{"tabs and vertical space", 40, "\t\v\f", "\f", "\v"},
			} {
				t.Run(fmt.Sprintf("%v/%d/%s", v, size, f.name), func(t *testing.T) {
					got, gotV, err := decryptAll(t, key, rewrap(file, f.width, f.eol, f.lead, f.trail))
					require.NoError(t, err)
					require.Equal(t, v, gotV)
					require.True(t, bytes.Equal(plain, got))
				})
			}
		}
	}
}

// TestWriterRejectsChangedInput: a v2 Writer given a plaintext other than
// the one its checksum was computed from fails at Close.
func TestWriterRejectsChangedInput(t *testing.T) {
	key := seededKey(t, 6)
	sum := md5.Sum([]byte("the plaintext that was hashed"))
	w, err := crypto.NewWriter(io.Discard, key, crypto.WriteOptions{Checksum: sum[:]})
	require.NoError(t, err)
	_, err = w.Write([]byte("the plaintext that was written"))
	require.NoError(t, err)
	require.ErrorIs(t, w.Close(), crypto.ErrChecksumMismatch)
}

func TestWriterNeedsChecksumForV2(t *testing.T) {
	key := seededKey(t, 7)
	_, err := crypto.NewWriter(io.Discard, key, crypto.WriteOptions{Version: crypto.V2})
	require.Error(t, err)
	_, err = crypto.NewWriter(io.Discard, key, crypto.WriteOptions{Version: 3})
	require.ErrorIs(t, err, crypto.ErrUnsupportedVersion)
}

// TestWriterStickyError: once the destination fails, every later call
// fails, and Close reports it.
func TestWriterStickyError(t *testing.T) {
	key := seededKey(t, 8)
	for _, v := range versions {
		plain := randomBytes(9, 1<<20)
		dst := &failingWriter{left: 100 << 10}
		w, err := crypto.NewWriter(dst, key, writeOptions(v, randomBytes(10, 16), plain))
		require.NoError(t, err)
		var werr error
		for p := plain; len(p) > 0 && werr == nil; p = p[min(len(p), 4096):] {
			_, werr = w.Write(p[:min(len(p), 4096)])
		}
		cerr := w.Close()
		require.True(t, werr != nil || cerr != nil, "%v: a failing destination must fail the Writer", v)
		if werr != nil {
			_, again := w.Write([]byte("more"))
			require.Error(t, again, "%v: a Writer that failed must keep failing", v)
			require.Error(t, cerr, "%v: Close after a failed Write must fail", v)
		}
		require.ErrorIs(t, errors2(werr, cerr), errDiskFull)
	}
}

// errors2 returns the first non-nil error.
func errors2(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

var errDiskFull = fmt.Errorf("no space left on device (injected)")

// failingWriter accepts left bytes, then fails like a full disk.
type failingWriter struct{ left int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.left {
		n := f.left
		f.left = 0
		return n, errDiskFull
	}
	f.left -= len(p)
	return len(p), nil
}

// TestEncryptPropagatesDestinationError: Encrypt returns a failing
// destination's error (disk full) instead of reporting success.
func TestEncryptPropagatesDestinationError(t *testing.T) {
	key := seededKey(t, 11)
	plain := randomBytes(12, 3<<20)
	for _, v := range versions {
		err := crypto.Encrypt(&failingWriter{left: 1 << 20}, bytes.NewReader(plain), key, crypto.WriteOptions{Version: v})
		require.ErrorIs(t, err, errDiskFull, "%v", v)
	}
}

// TestEncryptSeeksBackToStart: Encrypt encrypts src from its current
// offset, which it restores after hashing for v2.
func TestEncryptFromOffset(t *testing.T) {
	key := seededKey(t, 13)
	data := []byte("skip me|the plaintext")
	for _, v := range versions {
		src := bytes.NewReader(data)
		_, err := src.Seek(8, io.SeekStart)
		require.NoError(t, err)
		var out bytes.Buffer
		require.NoError(t, crypto.Encrypt(&out, src, key, crypto.WriteOptions{Version: v}))
		got, _, err := decryptAll(t, key, out.Bytes())
		require.NoError(t, err)
		require.Equal(t, "the plaintext", string(got))
	}
}

// TestFreshIVs: without a fixed Rand, two encryptions of one plaintext
// differ (a random IV each time) and both decrypt.
func TestFreshIVs(t *testing.T) {
	key := seededKey(t, 14)
	plain := []byte(`{"auths":{}}`)
	for _, v := range versions {
		var a, b bytes.Buffer
		require.NoError(t, crypto.Encrypt(&a, bytes.NewReader(plain), key, crypto.WriteOptions{Version: v}))
		require.NoError(t, crypto.Encrypt(&b, bytes.NewReader(plain), key, crypto.WriteOptions{Version: v}))
		require.NotEqual(t, a.String(), b.String())
		for _, f := range [][]byte{a.Bytes(), b.Bytes()} {
			got, _, err := decryptAll(t, key, f)
			require.NoError(t, err)
			require.Equal(t, plain, got)
		}
	}
}

// TestRandErrors: a failing randomness source is an error, not a zero IV.
func TestRandErrors(t *testing.T) {
	key := seededKey(t, 15)
	_, err := crypto.NewWriter(io.Discard, key, crypto.WriteOptions{Version: crypto.V1, Rand: bytes.NewReader(make([]byte, 5))})
	require.Error(t, err)
	_, err = crypto.GenerateKey(bytes.NewReader(make([]byte, 31)))
	require.Error(t, err)
}

// TestReaderLargeReformatted re-wraps large files, and sprinkles
// whitespace at random places, so that line breaks and spaces fall on
// every boundary a chunked or parallel reader may have.
func TestReaderLargeReformatted(t *testing.T) {
	key := seededKey(t, 70)
	sizes := []int{64<<10 - 1, 200_003, 1<<20 + 5, 3<<20 + 1}
	if testing.Short() {
		sizes = sizes[:2]
	}
	for _, v := range versions {
		for _, size := range sizes {
			plain := randomBytes(uint64(size)+71, size)
			file := encryptWithIV(t, key, v, randomBytes(uint64(size)+72, 16), plain)
			variants := map[string][]byte{
				"64 LF":    rewrap(file, 64, "\n", "", "\n"),
				"76 CRLF":  rewrap(file, 76, "\r\n", "\r\n", "\r\n"),
				"sprinkle": sprinkle(file, uint64(size)),
			}
			for name, f := range variants {
				t.Run(fmt.Sprintf("%v/%d/%s", v, size, name), func(t *testing.T) {
					got, gotV, err := decryptAll(t, key, f)
					require.NoError(t, err)
					require.Equal(t, v, gotV)
					require.True(t, bytes.Equal(plain, got), "re-formatting changed the plaintext")
					r, err := crypto.NewReader(iotest.HalfReader(bytes.NewReader(f)), key)
					require.NoError(t, err)
					got, err = readIn(r, 4093)
					require.NoError(t, err)
					require.True(t, bytes.Equal(plain, got), "odd reads of a re-formatted file changed the plaintext")
				})
			}
		}
	}
}

// sprinkle inserts runs of whitespace at random points of a file's base64
// (after the header line).
func sprinkle(file []byte, seed uint64) []byte {
	r := seededRand(seed)
	head := 0
	if bytes.HasPrefix(file, []byte(crypto.HeaderV2+"\n")) {
		head = len(crypto.HeaderV2) + 1
	}
	out := append([]byte(nil), file[:head]...)
	ws := []string{" ", "\n", "\r\n", "\t", "  \n  ", "\v\f"}
	for _, c := range file[head:] {
		if r.Uint64()%97 == 0 {
			out = append(out, ws[r.Uint64()%uint64(len(ws))]...)
		}
		out = append(out, c)
	}
	return out
}
