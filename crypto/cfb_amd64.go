//go:build amd64 && !purego

package crypto

import "sync"

// hasAESNI reports whether the CPU has the AES-NI instructions.
func hasAESNI() bool

// cfbEncryptAsm encrypts the whole blocks of src into dst (which may be
// src) with the round keys rk, starting from the feedback block fb, and
// leaves the last ciphertext block in fb. Round keys stay in registers,
// so each block costs the 14 rounds' latency and nothing else.
//
//go:noescape
func cfbEncryptAsm(rk *[15 * 16]byte, fb *[blockSize]byte, dst, src []byte)

// cfbDecryptAsm sets each block of dst to the encryption of the same
// block of in XOR the same block of x: CFB decryption when in is the
// ciphertext shifted by one block. Eight blocks go through the rounds
// together. dst must not overlap in or x.
//
//go:noescape
func cfbDecryptAsm(rk *[15 * 16]byte, dst, in, x []byte)

// useAsm reports whether the assembly can run. It is asked on first use,
// not at start-up: under a hypervisor CPUID traps, and most runs of the
// command never encrypt.
var useAsm = sync.OnceValue(hasAESNI)
