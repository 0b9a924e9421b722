//go:build amd64 && !purego

package crypto

// scanNoSpaceAVX2 returns the length of a prefix of b known to hold no
// byte ≤ 0x20 (the range of every ASCII whitespace character, which
// dropSpace removes): a multiple of 64, the bytes of the whole 64-byte
// steps of b before the first step that holds such a byte. So it stops up
// to 63 bytes short of that byte, and len(b)%64 bytes short of the end
// when there is none; the caller scans the rest. It reads nothing outside
// b. It needs AVX2, with the YMM state saved by the OS: see useScanAsm.
//
//go:noescape
func scanNoSpaceAVX2(b []byte) int

// useScanAsm reports whether scanNoSpaceAVX2 can run: the check the
// base64 decoder makes (hasAVX2, asked once, on first use).
func useScanAsm() bool { return useBase64Asm() }
