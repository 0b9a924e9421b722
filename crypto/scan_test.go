package crypto

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// scanPaths are the ways dropSpace can run here: always the portable one,
// and the assembly where the CPU has it.
func scanPaths() []bool {
	if useScanAsm() {
		return []bool{false, true}
	}
	return []bool{false}
}

// dropSpaceRef appends to out the bytes of b that are not whitespace:
// dropSpace written plainly.
func dropSpaceRef(out, b []byte) []byte {
	for _, c := range b {
		if !isSpace(c) {
			out = append(out, c)
		}
	}
	return out
}

// spaceChecker compares dropSpaceWith with the bytes it should keep,
// reusing its buffer: the tests make millions of comparisons.
type spaceChecker struct{ buf []byte }

// The guard around the bytes given to dropSpace is not whitespace, so
// that a scan reading past the end would skip it and go too far.
const spaceGuard, guardByte = 80, '#'

// check runs dropSpaceWith on a copy of src inside a guarded buffer at an
// odd address, and compares the kept bytes with want; nothing outside the
// copy may change.
func (c *spaceChecker) check(t testing.TB, asm bool, src, want []byte) {
	if cap(c.buf) < 1+len(src)+spaceGuard {
		c.buf = make([]byte, 1+2*len(src)+spaceGuard)
	}
	buf := c.buf[:1+len(src)+spaceGuard]
	for i := range buf {
		buf[i] = guardByte
	}
	b := buf[1 : 1+len(src)]
	copy(b, src)
	n := dropSpaceWith(asm, b)
	if n != len(want) || !bytes.Equal(b[:n], want) {
		t.Helper() // here only: it costs more than the check
		t.Fatalf("asm %v, %q: got %q, want %q", asm, src, b[:n], want)
	}
	if bytes.Count(buf[1+len(src):], []byte{guardByte}) != spaceGuard || buf[0] != guardByte {
		t.Helper()
		t.Fatalf("asm %v, %q: wrote outside the slice", asm, src)
	}
}

// checkDropSpace compares dropSpaceWith with dropSpaceRef on src.
func checkDropSpace(t testing.TB, asm bool, src []byte) {
	t.Helper()
	new(spaceChecker).check(t, asm, src, dropSpaceRef(nil, src))
}

// boundaryBytes are the bytes around the scan's limit: all of 0x00..0x21
// (whitespace, the other control bytes and ' ', which dropSpace keeps or
// drops by isSpace, and '!', the first byte the scan passes), and those
// whose signed value or low bits look like them (0x7f..0x81, 0xa0, 0xff).
var boundaryBytes = func() []byte {
	var b []byte
	for c := range 0x22 {
		b = append(b, byte(c))
	}
	return append(b, 0x7f, 0x80, 0x81, 0x89, 0x8a, 0x8d, 0xa0, 0xa1, 0xff)
}()

// base64Text is n characters of base64 with no whitespace.
func base64Text(n int) []byte {
	text := []byte(b64.EncodeToString(benchData(n)))
	return text[:n]
}

// TestDropSpaceEveryPosition puts each of boundaryBytes at every position
// of texts of every length up to 300 (across the assembly's 64-byte steps
// and its tail), and every byte value at every position of three steps,
// so that each byte of both 32-byte halves of a step is checked with
// every value.
func TestDropSpaceEveryPosition(t *testing.T) {
	var sc spaceChecker
	// want is text with c at p, or without p when c is whitespace: what
	// dropSpaceRef would say, without its cost.
	want := func(dst, text []byte, p int, c byte) []byte {
		dst = append(dst[:0], text[:p]...)
		if !isSpace(c) {
			dst = append(dst, c)
		}
		return append(dst, text[p+1:]...)
	}
	var w []byte
	for _, asm := range scanPaths() {
		for n := 0; n <= 300; n++ {
			text := base64Text(n)
			sc.check(t, asm, text, text)
			in := bytes.Clone(text)
			for p := range in {
				for _, c := range boundaryBytes {
					in[p] = c
					w = want(w, text, p, c)
					sc.check(t, asm, in, w)
				}
				in[p] = text[p]
			}
		}
		text := base64Text(3*64 + 5)
		in := bytes.Clone(text)
		for p := range in {
			for c := range 256 {
				in[p] = byte(c)
				w = want(w, text, p, byte(c))
				sc.check(t, asm, in, w)
			}
			in[p] = text[p]
		}
	}
}

// TestDropSpaceRuns drops runs of whitespace of every length up to 130 at
// the start, inside and at the end of texts up to 300 bytes, two runs per
// text, and random mixtures of runs and control bytes.
func TestDropSpaceRuns(t *testing.T) {
	const space = " \t\n\v\f\r"
	for _, asm := range scanPaths() {
		for run := 1; run <= 130; run++ {
			ws := make([]byte, run)
			for i := range ws {
				ws[i] = space[(i+run)%len(space)]
			}
			for _, n := range []int{0, 1, 63, 64, 65, 127, 128, 200, 300} {
				text := base64Text(n)
				for _, p := range []int{0, n / 3, n / 2, n - n%64, n} {
					if p > n {
						continue
					}
					in := append(append(append([]byte{}, text[:p]...), ws...), text[p:]...)
					checkDropSpace(t, asm, in)
					// A second run further on, after a control byte.
					q := p + run + (n-p)/2
					in = append(append(append([]byte{}, in[:q]...), append([]byte{0x1f}, ws...)...), in[q:]...)
					checkDropSpace(t, asm, in)
				}
			}
		}
		rng := rand.New(rand.NewPCG(11, 12))
		for range 3000 {
			in := base64Text(rng.IntN(600))
			for range rng.IntN(8) {
				at, run := rng.IntN(len(in)+1), rng.IntN(100)
				ws := make([]byte, run)
				for i := range ws {
					ws[i] = boundaryBytes[rng.IntN(len(boundaryBytes))]
					if rng.IntN(3) > 0 {
						ws[i] = space[rng.IntN(len(space))]
					}
				}
				in = append(in[:at], append(ws, in[at:]...)...)
			}
			checkDropSpace(t, asm, in)
		}
	}
}

// TestDropSpaceWrapped drops the line ends of base64 wrapped as PEM (64
// columns) and MIME (76) write it, with CRLF or LF, with and without a
// final line end and an indent, and gets the one-line text back.
func TestDropSpaceWrapped(t *testing.T) {
	for _, asm := range scanPaths() {
		for _, size := range []int{0, 1, 47, 48, 100, 1000, decChunkBytes} {
			text := b64.EncodeToString(benchData(size))
			for _, cols := range []int{64, 76} {
				for _, eol := range []string{"\r\n", "\n"} {
					for _, indent := range []string{"", "  ", "\t"} {
						var w bytes.Buffer
						for rest := text; len(rest) > 0; rest = rest[min(cols, len(rest)):] {
							w.WriteString(indent + rest[:min(cols, len(rest))] + eol)
						}
						for _, in := range [][]byte{w.Bytes(), bytes.TrimSuffix(w.Bytes(), []byte(eol))} {
							b := bytes.Clone(in)
							if n := dropSpaceWith(asm, b); string(b[:n]) != text {
								t.Fatalf("asm %v, %d bytes wrapped at %d, %q, indent %q: not the one-line text", asm, size, cols, eol, indent)
							}
							if size < 1000 {
								checkDropSpace(t, asm, in)
							}
						}
					}
				}
			}
		}
	}
}

// TestScanNoSpaceAVX2 checks the assembly's contract exactly, since
// dropSpace would still be right if it stopped too early (the word loop
// would do its work): it returns the 64-byte steps before the first one
// that holds a byte ≤ 0x20, for every byte value at every position, for
// texts of one repeated byte and of random bytes above 0x20, and it reads
// nothing past the end of b (the text after b has no byte ≤ 0x20, so a
// scan that read it would return too much).
func TestScanNoSpaceAVX2(t *testing.T) {
	if !useScanAsm() {
		t.Skip("no whitespace scan assembly on this CPU or platform")
	}
	buf := make([]byte, 1+300+64)
	for n := 0; n <= 300; n++ {
		copy(buf, base64Text(len(buf)))
		b := buf[1 : 1+n] // at an odd address
		if got := scanNoSpaceAVX2(b); got != n&^63 {
			t.Fatalf("%d bytes, none ≤ 0x20: got %d, want %d", n, got, n&^63)
		}
		for p := range n {
			for c := range 256 {
				old := b[p]
				b[p] = byte(c)
				want := n &^ 63
				if c <= 0x20 {
					want = min(want, p&^63)
				}
				if got := scanNoSpaceAVX2(b); got != want {
					t.Fatalf("%d bytes, %#02x at %d: got %d, want %d", n, c, p, got, want)
				}
				b[p] = old
			}
		}
	}
	for c := range 256 {
		b := bytes.Repeat([]byte{byte(c)}, 200)
		want := 192
		if c <= 0x20 {
			want = 0
		}
		if got := scanNoSpaceAVX2(b); got != want {
			t.Fatalf("200 bytes %#02x: got %d, want %d", c, got, want)
		}
	}
	rng := rand.New(rand.NewPCG(13, 14))
	for range 2000 {
		b := make([]byte, rng.IntN(300))
		for i := range b {
			b[i] = byte(0x21 + rng.IntN(256-0x21))
		}
		want := len(b) &^ 63
		if len(b) > 0 && rng.IntN(2) == 0 {
			p := rng.IntN(len(b))
			b[p] = byte(rng.IntN(0x21))
			want = min(want, p&^63)
		}
		if got := scanNoSpaceAVX2(b); got != want {
			t.Fatalf("%q: got %d, want %d", b, got, want)
		}
	}
}

// FuzzDropSpace compares dropSpace, with and without the assembly, with
// dropSpaceRef on the input and on the input mapped mostly into the base64
// alphabet (each byte below 0xf0 becomes a base64 character, the others
// one of 16 whitespace and control bytes), so that the fuzzer reaches long
// stretches without whitespace and the odd byte in them.
func FuzzDropSpace(f *testing.F) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	special := []byte(" \t\n\v\f\r\x00\x08\x0e\x1f!\x7f\x80\xa0\xff=")
	f.Fuzz(func(t *testing.T, data []byte) {
		mapped := make([]byte, len(data))
		for i, b := range data {
			if b < 0xf0 {
				mapped[i] = alphabet[b%64]
			} else {
				mapped[i] = special[b&15]
			}
		}
		for _, asm := range scanPaths() {
			checkDropSpace(t, asm, data)
			checkDropSpace(t, asm, mapped)
		}
		if useScanAsm() {
			for _, in := range [][]byte{data, mapped} {
				want := len(in) &^ 63
				for i, c := range in {
					if c <= 0x20 {
						want = min(want, i&^63)
						break
					}
				}
				if got := scanNoSpaceAVX2(in); got != want {
					t.Fatalf("scanNoSpaceAVX2(%q) = %d, want %d", in, got, want)
				}
			}
		}
	})
}
