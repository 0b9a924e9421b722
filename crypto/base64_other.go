//go:build !amd64 || purego

package crypto

func useBase64Asm() bool { return false }

func decodeBase64AVX2(dst, src []byte) int {
	panic("crypto: internal error: no base64 assembly on this platform")
}
