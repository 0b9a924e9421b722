package crypto

import (
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
