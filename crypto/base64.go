package crypto

import (
	"encoding/base64"
	"encoding/binary"
	"sync"
)

// encodeBase64 is encoding/base64's StdEncoding.Encode, about twice as
// fast: it looks up twelve bits (two characters) at a time, and turns six
// bytes into eight characters with one load and one store. It is the
// Writer's output stage, which runs beside the cipher and must keep up
// with it. dst must have room for b64.EncodedLen(len(src)).
func encodeBase64(dst, src []byte) {
	t := pairTable()
	i, j := 0, 0
	// Each step reads 8 bytes and uses 6, so stop 8 bytes before the end.
	for ; i+8 <= len(src); i, j = i+6, j+8 {
		v := binary.BigEndian.Uint64(src[i:])
		binary.LittleEndian.PutUint64(dst[j:], uint64(t[v>>52])|
			uint64(t[v>>40&0xfff])<<16|
			uint64(t[v>>28&0xfff])<<32|
			uint64(t[v>>16&0xfff])<<48)
	}
	// i is a multiple of 3, so the rest encodes on its own, with padding.
	b64.Encode(dst[j:], src[i:])
}

// pairTable maps 12 bits to their two base64 characters, the first in the
// low byte. It is built on first use (8 KiB, a few microseconds).
var pairTable = sync.OnceValue(func() *[1 << 12]uint16 {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	var t [1 << 12]uint16
	for i := range t {
		t[i] = uint16(alphabet[i>>6]) | uint16(alphabet[i&63])<<8
	}
	return &t
})

// decodeBase64 is encoding/base64's StdEncoding.Decode, several times
// faster where the CPU has AVX2: the same n, the same bytes in dst[:n] and
// the same error, CorruptInputError offset included, for every input. It
// is the Reader's decoding stage, which with encoding/base64 took most of
// decryption's CPU time.
// dst must have room for b64.DecodedLen(len(src)).
func decodeBase64(dst, src []byte) (int, error) {
	return decodeBase64With(useBase64Asm(), dst, src)
}

// decodeBase64With is decodeBase64 with or without the assembly, so that
// tests can check both. The assembly decodes 32 characters into 24 bytes
// at a time, and stops at the first 32 that are not all in the alphabet
// (padding, whitespace, anything else); encoding/base64 decodes the rest,
// so padding and every error are its own. Stopping on a multiple of four
// characters makes that the same as one call over the whole input.
func decodeBase64With(asm bool, dst, src []byte) (int, error) {
	i, j := 0, 0
	// Each block stores 32 bytes of which 24 are output: keep the last
	// store inside dst.
	if blocks := min(len(src)/32, (len(dst)-8)/24); asm && blocks > 0 {
		done := decodeBase64AVX2(dst, src[:32*blocks])
		i, j = 32*done, 24*done
	}
	n, err := b64.Decode(dst[j:], src[i:])
	if ce, ok := err.(base64.CorruptInputError); ok {
		err = ce + base64.CorruptInputError(i)
	}
	return j + n, err
}
