package crypto

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"math/rand/v2"
	"testing"
)

// TestCFBMatchesStdlib compares the hand-rolled CFB (assembly and portable
// Go, encryption and decryption, in place and not) with crypto/cipher's,
// over random keys, IVs, lengths and ways of cutting the input into calls.
func TestCFBMatchesStdlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		var raw [KeySize]byte
		for i := range raw {
			raw[i] = byte(rng.Uint32())
		}
		k, err := newKey(raw[:])
		if err != nil {
			t.Fatal(err)
		}
		iv := make([]byte, ivSize)
		for i := range iv {
			iv[i] = byte(rng.Uint32())
		}
		plain := make([]byte, rng.IntN(3000))
		for i := range plain {
			plain[i] = byte(rng.Uint32())
		}
		want := make([]byte, len(plain))
		cipher.NewCFBEncrypter(k.block, iv).XORKeyStream(want, plain) //nolint:staticcheck // the reference

		for _, asm := range []bool{false, true} {
			if asm && !useAsm() {
				continue
			}
			enc := newCFBEncrypter(k, iv)
			if !asm {
				enc.rk = nil
			}
			got := feed(rng, enc, plain, trial%2 == 0)
			if !bytes.Equal(got, want) {
				t.Fatalf("trial %d (asm %v, %d bytes): encryption differs from crypto/cipher", trial, asm, len(plain))
			}
		}
		back := feed(rng, newCFBDecrypter(k.block, iv), want, trial%3 == 0)
		if !bytes.Equal(back, plain) {
			t.Fatalf("trial %d (%d bytes): decryption does not give the plaintext back", trial, len(plain))
		}
	}
}

// feed runs data through s in calls of random sizes, in place or not.
func feed(rng *rand.Rand, s *cfbStream, data []byte, inPlace bool) []byte {
	out := make([]byte, len(data))
	if inPlace {
		copy(out, data)
	}
	for off := 0; off < len(data); {
		n := min(len(data)-off, rng.IntN(100))
		if rng.IntN(4) == 0 {
			n = min(len(data)-off, rng.IntN(1000))
		}
		src := data[off : off+n]
		if inPlace {
			src = out[off : off+n]
		}
		s.XORKeyStream(out[off:off+n], src)
		off += n
	}
	return out
}

// TestExpandKey256 checks the key schedule through the assembly: the
// first CFB block of a zero plaintext is the encryption of the IV.
func TestExpandKey256(t *testing.T) {
	if !useAsm() {
		t.Skip("no CFB assembly on this platform; the portable path uses crypto/aes")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100 {
		var raw [KeySize]byte
		var iv [blockSize]byte
		for i := range raw {
			raw[i] = byte(rng.Uint32())
		}
		for i := range iv {
			iv[i] = byte(rng.Uint32())
		}
		b, err := aes.NewCipher(raw[:])
		if err != nil {
			t.Fatal(err)
		}
		want := make([]byte, blockSize)
		b.Encrypt(want, iv[:])
		rk := expandKey256(&raw)
		fb := iv
		got := make([]byte, blockSize)
		cfbEncryptAsm(&rk, &fb, got, make([]byte, blockSize))
		if !bytes.Equal(got, want) {
			t.Fatalf("key %x: AES-NI with our schedule gives %x, crypto/aes %x", raw, got, want)
		}
	}
}

// TestDropSpace compares the word-at-a-time filter with a plain one.
func TestDropSpace(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	alphabet := []byte("ABCxyz019+/=\x00\x1f!~\x80\xff \t\n\v\f\r")
	for range 2000 {
		b := make([]byte, rng.IntN(200))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
			if rng.IntN(40) > 0 {
				b[i] = 'A' + byte(rng.IntN(26))
			}
		}
		var want []byte
		for _, c := range b {
			if !isSpace(c) {
				want = append(want, c)
			}
		}
		got := append([]byte(nil), b...)
		got = got[:dropSpace(got)]
		if !bytes.Equal(got, want) {
			t.Fatalf("dropSpace(%q) = %q, want %q", b, got, want)
		}
	}
}

// TestCFBDecryptBlocks compares the parallel block decryption, assembly
// and Go, with crypto/cipher for every count of blocks around the
// assembly's groups of eight, on buffers at odd addresses.
func TestCFBDecryptBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	k, err := newKey(bytes.Repeat([]byte{0x5a}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	for blocks := range 40 {
		var prev [blockSize]byte
		for i := range prev {
			prev[i] = byte(rng.Uint32())
		}
		n := blocks * blockSize
		src := make([]byte, n+1)[1:] // unaligned on purpose
		for i := range src {
			src[i] = byte(rng.Uint32())
		}
		want := make([]byte, n)
		cipher.NewCFBDecrypter(k.block, prev[:]).XORKeyStream(want, src) //nolint:staticcheck // the reference
		for _, rk := range []*[15 * blockSize]byte{nil, roundKeys(k)} {
			dst := make([]byte, n+3)[3:]
			cfbDecryptBlocks(k.block, rk, &prev, dst, src)
			if !bytes.Equal(dst, want) {
				t.Fatalf("%d blocks (assembly %v): differs from crypto/cipher", blocks, rk != nil)
			}
		}
	}
}

// TestEncodeBase64 compares the Writer's encoder with encoding/base64 for
// every length up to 300 and a large buffer.
func TestEncodeBase64(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	src := make([]byte, 1<<16+5)
	for i := range src {
		src[i] = byte(rng.Uint32())
	}
	for n := 0; n <= 300; n++ {
		checkEncode(t, src[len(src)-n:])
	}
	checkEncode(t, src)
}

func checkEncode(t *testing.T, src []byte) {
	t.Helper()
	want := b64.EncodeToString(src)
	got := make([]byte, b64.EncodedLen(len(src)))
	encodeBase64(got, src)
	if string(got) != want {
		t.Fatalf("%d bytes: encodeBase64 differs from encoding/base64", len(src))
	}
}
