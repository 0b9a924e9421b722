package crypto

import (
	"crypto/cipher"
	"encoding/binary"
)

// AES-CFB with full-block (128-bit) feedback: the mode of openssl's
// aes-256-cfb and of jet. crypto/cipher deprecates its CFB because the mode
// is unauthenticated, and its implementation is generic (a keystream
// buffer and a byte loop); the formats we must be compatible with use CFB,
// so it lives here, written for speed:
//
//   - encryption is serial by nature (each block's keystream is the
//     encryption of the previous ciphertext block), so cfbStream keeps the
//     feedback in two words and does one block call and two 64-bit XORs
//     per 16 bytes;
//   - decryption is not: plaintext block i is E(C[i-1]) XOR C[i], every
//     block independent of the others, so cfbDecryptBlocks lets the CPU
//     overlap the block calls, and the Reader splits a file across cores.

const blockSize = 16

// cfbStream is a CFB-128 stream cipher with the cipher.Stream contract.
type cfbStream struct {
	b       cipher.Block
	rk      *[15 * blockSize]byte // round keys for the assembly, or nil
	fb      [blockSize]byte       // the previous ciphertext block (the IV at first)
	ks      [blockSize]byte       // keystream of the block in progress
	used    int                   // bytes of ks already used; blockSize when none is left
	decrypt bool
}

func newCFBEncrypter(k *Key, iv []byte) *cfbStream {
	s := &cfbStream{b: k.block, used: blockSize}
	copy(s.fb[:], iv)
	s.rk = roundKeys(k)
	return s
}

func newCFBDecrypter(b cipher.Block, iv []byte) *cfbStream {
	s := &cfbStream{b: b, used: blockSize, decrypt: true}
	copy(s.fb[:], iv)
	return s
}

// XORKeyStream encrypts or decrypts src into dst, which may be the same
// slice (but must not otherwise overlap it).
func (s *cfbStream) XORKeyStream(dst, src []byte) {
	if len(dst) < len(src) {
		panic("crypto: internal error: CFB output smaller than input")
	}
	dst = dst[:len(src)]
	// Finish a block left partly used by the previous call.
	for len(src) > 0 && s.used < blockSize {
		s.xorByte(&dst[0], src[0])
		dst, src = dst[1:], src[1:]
	}
	if n := len(src) &^ (blockSize - 1); n > 0 {
		if s.decrypt {
			s.decryptBlocks(dst[:n], src[:n])
		} else {
			s.encryptBlocks(dst[:n], src[:n])
		}
		dst, src = dst[n:], src[n:]
	}
	if len(src) > 0 {
		s.b.Encrypt(s.ks[:], s.fb[:])
		s.used = 0
		for i := range src {
			s.xorByte(&dst[i], src[i])
		}
	}
}

func (s *cfbStream) xorByte(dst *byte, src byte) {
	c := src
	if !s.decrypt {
		c ^= s.ks[s.used]
	}
	*dst = src ^ s.ks[s.used]
	s.fb[s.used] = c
	s.used++
}

// encryptBlocks encrypts whole blocks: the serial hot loop of encryption.
func (s *cfbStream) encryptBlocks(dst, src []byte) {
	if s.rk != nil {
		cfbEncryptAsm(s.rk, &s.fb, dst, src)
		s.used = blockSize
		return
	}
	b, ks := s.b, s.ks[:]
	f0 := binary.LittleEndian.Uint64(s.fb[:8])
	f1 := binary.LittleEndian.Uint64(s.fb[8:])
	fb := s.fb[:]
	for i := 0; i+blockSize <= len(src); i += blockSize {
		binary.LittleEndian.PutUint64(fb[:8], f0)
		binary.LittleEndian.PutUint64(fb[8:], f1)
		b.Encrypt(ks, fb)
		p := src[i : i+blockSize : i+blockSize]
		f0 = binary.LittleEndian.Uint64(p[:8]) ^ binary.LittleEndian.Uint64(ks[:8])
		f1 = binary.LittleEndian.Uint64(p[8:]) ^ binary.LittleEndian.Uint64(ks[8:])
		c := dst[i : i+blockSize : i+blockSize]
		binary.LittleEndian.PutUint64(c[:8], f0)
		binary.LittleEndian.PutUint64(c[8:], f1)
	}
	binary.LittleEndian.PutUint64(fb[:8], f0)
	binary.LittleEndian.PutUint64(fb[8:], f1)
	s.used = blockSize
}

// decryptBlocks decrypts whole blocks, in place or not.
func (s *cfbStream) decryptBlocks(dst, src []byte) {
	n := len(src)
	if &dst[0] != &src[0] {
		cfbDecryptBlocks(s.b, nil, &s.fb, dst, src)
		copy(s.fb[:], src[n-blockSize:])
		s.used = blockSize
		return
	}
	// In place, each ciphertext block must be saved before it is
	// overwritten: it is the next block's feedback.
	var ks [blockSize]byte
	for i := 0; i < n; i += blockSize {
		s.b.Encrypt(ks[:], s.fb[:])
		c := dst[i : i+blockSize : i+blockSize]
		c0, c1 := binary.LittleEndian.Uint64(c[:8]), binary.LittleEndian.Uint64(c[8:])
		binary.LittleEndian.PutUint64(c[:8], c0^binary.LittleEndian.Uint64(ks[:8]))
		binary.LittleEndian.PutUint64(c[8:], c1^binary.LittleEndian.Uint64(ks[8:]))
		binary.LittleEndian.PutUint64(s.fb[:8], c0)
		binary.LittleEndian.PutUint64(s.fb[8:], c1)
	}
	s.used = blockSize
}

// cfbDecryptBlocks decrypts the whole blocks of src into dst, which must
// not overlap it; prev is the ciphertext block before src (or the IV).
// The blocks do not depend on each other: with round keys rk the assembly
// runs eight at a time, and without them the block calls still overlap in
// the CPU.
func cfbDecryptBlocks(b cipher.Block, rk *[15 * blockSize]byte, prev *[blockSize]byte, dst, src []byte) {
	n := len(src)
	if n == 0 {
		return
	}
	if n%blockSize != 0 || len(dst) < n {
		panic("crypto: internal error: CFB decryption of a partial block")
	}
	dst = dst[:n]
	if rk != nil {
		cfbDecryptAsm(rk, dst[:blockSize], prev[:], src[:blockSize])
		cfbDecryptAsm(rk, dst[blockSize:], src[:n-blockSize], src[blockSize:])
		return
	}
	var ks [blockSize]byte
	b.Encrypt(ks[:], prev[:])
	for i := 0; ; i += blockSize {
		c := src[i : i+blockSize : i+blockSize]
		p := dst[i : i+blockSize : i+blockSize]
		binary.LittleEndian.PutUint64(p[:8], binary.LittleEndian.Uint64(c[:8])^binary.LittleEndian.Uint64(ks[:8]))
		binary.LittleEndian.PutUint64(p[8:], binary.LittleEndian.Uint64(c[8:])^binary.LittleEndian.Uint64(ks[8:]))
		if i+blockSize == n {
			return
		}
		b.Encrypt(ks[:], c)
	}
}

// roundKeys returns k's AES-256 round keys for the assembly, or nil where
// there is none.
func roundKeys(k *Key) *[15 * blockSize]byte {
	if !useAsm() {
		return nil
	}
	rk := expandKey256(&k.raw)
	return &rk
}
