//go:build amd64 && !purego

package crypto

// hasAESNI reports whether the CPU has the AES-NI instructions.
func hasAESNI() bool

// cfbEncryptAsm encrypts the whole blocks of src into dst (which may be
// src) with the round keys rk, starting from the feedback block fb, and
// leaves the last ciphertext block in fb. Round keys stay in registers,
// so each block costs the 14 rounds' latency and nothing else.
//
//go:noescape
func cfbEncryptAsm(rk *[15 * 16]byte, fb *[blockSize]byte, dst, src []byte)

var useAsm = hasAESNI()
