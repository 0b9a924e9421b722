//go:build !amd64 || purego

package crypto

func useAsm() bool { return false }

func cfbEncryptAsm(rk *[15 * 16]byte, fb *[blockSize]byte, dst, src []byte) {
	panic("crypto: internal error: no CFB assembly on this platform")
}

func cfbDecryptAsm(rk *[15 * 16]byte, dst, in, x []byte) {
	panic("crypto: internal error: no CFB assembly on this platform")
}
