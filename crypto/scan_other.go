//go:build !amd64 || purego

package crypto

func useScanAsm() bool { return false }

func scanNoSpaceAVX2(b []byte) int {
	panic("crypto: internal error: no whitespace scan assembly on this platform")
}
