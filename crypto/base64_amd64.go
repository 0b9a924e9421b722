//go:build amd64 && !purego

package crypto

import "sync"

// hasAVX2 reports whether the CPU has AVX2 and the OS saves the YMM
// registers.
func hasAVX2() bool

// decodeBase64AVX2 decodes src, whole blocks of 32 base64 characters,
// into 24 bytes each in dst, and returns how many blocks it decoded: it
// stops before the first block with a byte outside the standard alphabet
// ('=' and whitespace included). Each block stores 32 bytes, so dst must
// have room for 24 bytes per block plus 8.
//
//go:noescape
func decodeBase64AVX2(dst, src []byte) int

// useBase64Asm reports whether decodeBase64AVX2 can run. Like useAsm, it
// is asked on first use, not at start-up.
var useBase64Asm = sync.OnceValue(hasAVX2)
