package crypto

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"testing"
)

// Bytes that are not in the standard alphabet, some of which
// encoding/base64 treats specially ('=' pads, CR and LF are skipped), and
// the alphabet's neighbours in ASCII.
var notBase64 = []byte("=\n\r \t\x00\x7f\x80\xff@[`{*,-.:_")

// decodePaths are the ways decodeBase64 can run here: always the portable
// one, and the assembly where the CPU has it.
func decodePaths() []bool {
	if useBase64Asm() {
		return []bool{false, true}
	}
	return []bool{false}
}

// checkDecode compares decodeBase64With with encoding/base64 on src: the
// same n, the same bytes in dst[:n], the same error value; and nothing
// written past len(dst).
func checkDecode(t testing.TB, asm bool, src []byte) {
	t.Helper()
	size := b64.DecodedLen(len(src))
	want := make([]byte, size)
	wantN, wantErr := b64.Decode(want, src)

	const guard = 64
	buf := make([]byte, size+guard)
	for i := range buf {
		buf[i] = 0xa5
	}
	n, err := decodeBase64With(asm, buf[:size], src)
	if n != wantN || err != wantErr {
		t.Fatalf("asm %v, %q: got %d, %v; encoding/base64 says %d, %v", asm, src, n, err, wantN, wantErr)
	}
	if !bytes.Equal(buf[:n], want[:n]) {
		t.Fatalf("asm %v, %q: the %d decoded bytes differ from encoding/base64's", asm, src, n)
	}
	if !bytes.Equal(buf[size:], bytes.Repeat([]byte{0xa5}, guard)) {
		t.Fatalf("asm %v, %q: wrote past the end of dst", asm, src)
	}
}

// TestDecodeBase64MatchesStdlib runs decodeBase64 on encoded text of every
// length up to 200 (across the assembly's 32-character blocks), whole, cut
// short, with each of notBase64 at every position, with padding inside,
// and on a larger text with a bad byte in one of its last blocks.
func TestDecodeBase64MatchesStdlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	raw := make([]byte, 300)
	for i := range raw {
		raw[i] = byte(rng.Uint32())
	}
	for _, asm := range decodePaths() {
		for n := 0; n <= 150; n++ {
			text := []byte(b64.EncodeToString(raw[:n]))
			checkDecode(t, asm, text)
			for cut := 1; cut <= 3 && cut <= len(text); cut++ {
				checkDecode(t, asm, text[:len(text)-cut])
			}
			for p := range text {
				for _, c := range notBase64 {
					bad := bytes.Clone(text)
					bad[p] = c
					checkDecode(t, asm, bad)
				}
			}
			// Padding followed by more text: an error at the padding.
			if n%3 != 0 {
				checkDecode(t, asm, append(bytes.Clone(text), text...))
			}
		}
		big := []byte(b64.EncodeToString(raw))
		big = append(append(big, big...), big...) // 1200 characters, no padding
		for _, p := range []int{len(big) - 1, len(big) - 30, len(big) - 33, len(big) - 64, 640, 0} {
			bad := bytes.Clone(big)
			bad[p] = '\n'
			checkDecode(t, asm, bad)
			checkDecode(t, asm, bad[1:]) // src at an odd address
		}
	}
}

// TestDecodeBase64EveryByte puts each of the 256 byte values at each
// position of two blocks of the assembly, and changes every character of
// the alphabet at every position, so that each byte of the validation and
// translation tables is checked in both 128-bit lanes.
func TestDecodeBase64EveryByte(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	text := []byte(b64.EncodeToString(bytes.Repeat([]byte{0x5a, 0x0f, 0xc3}, 24))) // 96 characters
	for _, asm := range decodePaths() {
		for p := range 64 {
			for c := range 256 {
				in := bytes.Clone(text)
				in[p] = byte(c)
				checkDecode(t, asm, in)
			}
		}
		// Every character in every position: the output says each one's
		// value was right.
		in := make([]byte, 64*64)
		for i := range in {
			in[i] = alphabet[(i+i/64)%64]
		}
		checkDecode(t, asm, in)
	}
}

// TestDecodeBase64Long decodes chunks of the Reader's size, whole and
// with one bad byte near the end, where the assembly stops and
// encoding/base64 must report the offset in the whole text.
func TestDecodeBase64Long(t *testing.T) {
	raw := make([]byte, decChunkBytes)
	for i := range raw {
		raw[i] = byte(i*131 + i>>9)
	}
	text := []byte(b64.EncodeToString(raw))
	for _, asm := range decodePaths() {
		checkDecode(t, asm, text)
		for _, p := range []int{0, 31, 32, 1000, len(text) - 40, len(text) - 1} {
			bad := bytes.Clone(text)
			bad[p] = '*'
			got := make([]byte, len(raw))
			_, err := decodeBase64With(asm, got, bad)
			if want := base64.CorruptInputError(p); err != want {
				t.Fatalf("asm %v, bad byte at %d: got %v, want %v", asm, p, err, want)
			}
		}
	}
}

// TestDecodeBase64AVX2Stops checks that the assembly decodes every block
// up to the first one with a byte outside the alphabet, and no further: the
// comparisons with encoding/base64 would pass if it decoded nothing.
func TestDecodeBase64AVX2Stops(t *testing.T) {
	if !useBase64Asm() {
		t.Skip("no base64 assembly on this CPU or platform")
	}
	raw := make([]byte, 24*40)
	for i := range raw {
		raw[i] = byte(i * 7)
	}
	text := []byte(b64.EncodeToString(raw))
	dst := make([]byte, len(raw)+8)
	if got := decodeBase64AVX2(dst, text); got != 40 || !bytes.Equal(dst[:len(raw)], raw) {
		t.Fatalf("valid text: decoded %d blocks of 40, or the wrong bytes", got)
	}
	for p := range text {
		for _, c := range notBase64 {
			bad := bytes.Clone(text)
			bad[p] = c
			if got := decodeBase64AVX2(dst, bad); got != p/32 {
				t.Fatalf("%q at %d: decoded %d blocks, want %d", c, p, got, p/32)
			}
		}
	}
}

// FuzzDecodeBase64 compares decodeBase64 with encoding/base64 on the input
// and on the input mapped mostly into the alphabet (each byte below 0xf8
// becomes a base64 character, the others one of eight bytes that are not),
// so that the fuzzer reaches whole blocks of valid text with the odd bad
// byte.
func FuzzDecodeBase64(f *testing.F) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	special := []byte("=\n\r \x00\x80\xff@")
	f.Fuzz(func(t *testing.T, data []byte) {
		mapped := make([]byte, len(data))
		for i, b := range data {
			if b < 0xf8 {
				mapped[i] = alphabet[b%64]
			} else {
				mapped[i] = special[b&7]
			}
		}
		for _, asm := range decodePaths() {
			checkDecode(t, asm, data)
			checkDecode(t, asm, mapped)
		}
	})
}
