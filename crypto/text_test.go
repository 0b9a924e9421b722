package crypto_test

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shipseal/shipseal/crypto"
	"github.com/stretchr/testify/require"
)

// guard runs data through a TextGuard in writes of the given size.
func guard(data []byte, holdBack, writeSize int) (out []byte, err error) {
	var buf bytes.Buffer
	g := crypto.NewTextGuard(&buf, holdBack)
	for p := data; len(p) > 0; {
		n := min(writeSize, len(p))
		if _, err := g.Write(p[:n]); err != nil {
			return buf.Bytes(), err
		}
		p = p[n:]
	}
	err = g.Close() // before reading buf: Close writes what was held back
	return buf.Bytes(), err
}

// TestTextGuardAcceptsText: UTF-8 text passes unchanged however it is
// split, including characters split across writes.
func TestTextGuardAcceptsText(t *testing.T) {
	text := []byte(strings.Repeat("DB_PASSWORD=pässwörd ✓ 日本語 🔑\r\n", 50))
	for _, hold := range []int{0, 1, 64, 1 << 20} {
		for _, size := range []int{1, 2, 3, 5, 7, 64, len(text)} {
			out, err := guard(text, hold, size)
			require.NoError(t, err, "hold %d, writes of %d", hold, size)
			require.True(t, bytes.Equal(text, out), "hold %d, writes of %d: the text changed", hold, size)
		}
	}
	out, err := guard(nil, 10, 1)
	require.NoError(t, err)
	require.Empty(t, out)
}

// TestTextGuardRejects: NUL, invalid UTF-8 and text ending inside a
// character fail with ErrNotText, at the right offset, however split.
func TestTextGuardRejects(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		msg  string
	}{
		{"NUL", []byte("A=1\nB=\x002\n"), "NUL byte at offset 6"},
		{"latin-1", []byte("name=J\xf6rg\n"), "invalid UTF-8 at offset 6"},
		{"stray continuation", []byte("ok\x80"), "invalid UTF-8 at offset 2"},
		{"overlong", []byte("x\xc0\xafy"), "invalid UTF-8 at offset 1"},
		{"surrogate", []byte("ab\xed\xa0\x80"), "invalid UTF-8 at offset 2"},
		{"split invalid", []byte("日本\xe8\xaa" + "x"), "invalid UTF-8 at offset 6"},
		{"ends inside a character", []byte("key=日\xe6\x9c"), "ends inside a UTF-8 character"},
	} {
		for _, size := range []int{1, 2, 3, len(c.data)} {
			_, err := guard(c.data, 0, size)
			require.ErrorIs(t, err, crypto.ErrNotText, "%s, writes of %d", c.name, size)
			require.Contains(t, err.Error(), c.msg, "%s, writes of %d", c.name, size)
		}
	}
}

// TestTextGuardNamesBinary: the error says where the text stops and which
// binary format the data starts as; Binary is true for a known format or
// for text long enough to rule out a wrong key, false for a wrong key's
// random bytes.
func TestTextGuardNamesBinary(t *testing.T) {
	tar := append(bytes.Repeat([]byte("a"), 100), make([]byte, 157)...)
	tar = append(tar, "ustar\x0000"...)
	for _, c := range []struct {
		name   string
		data   []byte
		format string
		binary bool
	}{
		{"gzip", []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"), "gzip", true},
		{"zip", []byte("PK\x03\x04\x14\x00\x00\x00"), "zip", true},
		{"p12", []byte("\x30\x82\x0a\x1c\x02\x01\x03\x30"), "PKCS#12 or DER", true},
		{"jks", []byte("\xfe\xed\xfe\xed\x00\x00\x00\x02"), "Java keystore", true},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), "PNG", true},
		{"elf", []byte("\x7fELF\x02\x01\x01\x00"), "ELF", true},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "PDF", true},
		{"tar", tar, "tar", true},
		{"text, then latin-1", []byte(strings.Repeat("NAME=value\n", 6) + "J\xf6rg\n"), "", true},
		{"short text, then NUL", []byte("A=1\x00"), "", false},
	} {
		// The format is told from the writes up to the failing one:
		// the first 8 bytes hold every magic number but tar's.
		sizes := []int{8, len(c.data)}
		if c.name == "tar" {
			sizes = sizes[1:]
		}
		for _, size := range sizes {
			_, err := guard(c.data, 64, size)
			var nt *crypto.NotTextError
			require.ErrorAs(t, err, &nt, "%s, writes of %d", c.name, size)
			require.ErrorIs(t, err, crypto.ErrNotText)
			require.Equal(t, c.format, nt.Format, "%s, writes of %d", c.name, size)
			require.Equal(t, c.binary, nt.Binary(), "%s, writes of %d", c.name, size)
		}
	}
	_, err := guard([]byte("A=1\x00"), 0, 4)
	var nt *crypto.NotTextError
	require.ErrorAs(t, err, &nt)
	require.EqualValues(t, 3, nt.Offset)
	require.EqualError(t, err, "decrypted data is not text: NUL byte at offset 3")

	// A wrong key: random bytes are not binary content, but for the
	// rare key whose output starts with a two-byte magic number.
	binary := 0
	for seed := range uint64(2000) {
		_, err := guard(randomBytes(seed, 4096), 64, 512)
		require.ErrorAs(t, err, &nt, "seed %d", seed)
		if nt.Binary() {
			binary++
		}
	}
	require.Zero(t, binary, "random bytes taken for binary content")
}

// TestTextGuardHoldsBack: with a wrong key (random bytes), nothing at all
// reaches the writer: the first holdBack bytes are checked before any is
// passed on.
func TestTextGuardHoldsBack(t *testing.T) {
	for seed := range uint64(200) {
		garbage := randomBytes(seed, 4096)
		if utf8.Valid(garbage[:64]) && bytes.IndexByte(garbage[:64], 0) < 0 {
			continue // astronomically unlikely
		}
		out, err := guard(garbage, 64, 16)
		require.ErrorIs(t, err, crypto.ErrNotText)
		require.Empty(t, out, "seed %d: random bytes reached the writer", seed)
	}
	// Text shorter than holdBack is only written at Close.
	var buf bytes.Buffer
	g := crypto.NewTextGuard(&buf, 100)
	_, err := g.Write([]byte("short"))
	require.NoError(t, err)
	require.Zero(t, buf.Len())
	require.NoError(t, g.Close())
	require.Equal(t, "short", buf.String())
}

// TestTextGuardSticky: after an error every call returns it, and nothing
// more is written.
func TestTextGuardSticky(t *testing.T) {
	var buf bytes.Buffer
	g := crypto.NewTextGuard(&buf, 0)
	_, err := g.Write([]byte("ok\x00"))
	require.ErrorIs(t, err, crypto.ErrNotText)
	_, err = g.Write([]byte("more text"))
	require.ErrorIs(t, err, crypto.ErrNotText)
	require.ErrorIs(t, g.Close(), crypto.ErrNotText)
	require.Empty(t, buf.String())

	g = crypto.NewTextGuard(&failingWriter{left: 3}, 0)
	_, err = g.Write([]byte("hello"))
	require.ErrorIs(t, err, errDiskFull)
	_, err = g.Write([]byte("x"))
	require.ErrorIs(t, err, errDiskFull)
}

// FuzzTextGuard: whatever the data and however it is split into writes, the
// guard accepts exactly NUL-free valid UTF-8 and passes it on unchanged.
func FuzzTextGuard(f *testing.F) {
	f.Add([]byte("USER=ci\nPASSWORD=héllo wörld ✓\n"), uint8(3))
	f.Add([]byte("abcdefgh\x00ijklmnop"), uint8(8))
	f.Add([]byte("abcdefg\xc3"), uint8(1))
	f.Add([]byte("0123456789abcdef\xff"), uint8(16))
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		out, err := guard(data, 5, int(split)+1)
		want := utf8.Valid(data) && bytes.IndexByte(data, 0) < 0
		if want {
			require.NoError(t, err)
			require.True(t, bytes.Equal(data, out), "the guard changed the text")
		} else {
			require.ErrorIs(t, err, crypto.ErrNotText)
		}
	})
}

func BenchmarkTextGuard(b *testing.B) {
	line := []byte("REGISTRY_PASSWORD=correct-horse-battery-staple # deja vu\n")
	data := bytes.Repeat(line, (1<<20)/len(line))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		g := crypto.NewTextGuard(io.Discard, 0)
		if _, err := g.Write(data); err != nil {
			b.Fatal(err)
		}
	}
}

// CheckText gives a whole buffer the verdict a TextGuard gives a stream.
func TestCheckText(t *testing.T) {
	for _, in := range []string{"", "A=1\n", "héllo\r\n", "\x00", "\xff\xfe", "\x1f\x8b\x08\x00rest", "text then \x00"} {
		g := crypto.NewTextGuard(io.Discard, 0)
		_, want := g.Write([]byte(in))
		if want == nil {
			want = g.Close()
		}
		got := crypto.CheckText([]byte(in))
		if want == nil {
			require.NoError(t, got, "%q", in)
			continue
		}
		require.ErrorIs(t, got, crypto.ErrNotText, "%q", in)
		require.Equal(t, want.Error(), got.Error(), "%q", in)
	}
	var nt *crypto.NotTextError
	require.ErrorAs(t, crypto.CheckText([]byte("\x1f\x8b\x08\x00rest")), &nt)
	require.Equal(t, "gzip", nt.Format)
}
