//go:build amd64 && !purego

#include "textflag.h"

// Base64 decoding with AVX2, after Wojciech Muła and Daniel Lemire,
// "Faster Base64 Encoding and Decoding Using AVX2 Instructions" (2018).
// Each step takes 32 characters:
//
//  1. Validate: split each byte into its high and low nibble. b64hi maps
//     the high nibble to a bit naming its class of characters (2x: '+'
//     and '/'; 3x: digits; 4x and 6x: letters from 1; 5x and 7x: letters
//     to 10; anything else), and b64lo maps the low nibble to the classes
//     in which it is not a base64 character (bit 4, for "anything else",
//     is always set). A byte is in the alphabet exactly when the two
//     lookups share no bit.
//  2. Translate: one offset per high nibble turns the character into its
//     6-bit value (b64roll: 'A'-'Z' -65, 'a'-'z' -71, '0'-'9' +4, '+'
//     +19); '/' shares its high nibble with '+', so its index is moved
//     down by one, to the entry for +16.
//  3. Pack: VPMADDUBSW joins pairs of 6-bit values into 12 bits, VPMADDWD
//     pairs of those into 24; VPSHUFB puts each group's three bytes in
//     output (big-endian) order, 12 to a 128-bit lane, and VPERMD brings
//     the two lanes' 12 bytes together.

// The lookup tables, 16 bytes, loaded into both lanes.
DATA b64lo<>+0(SB)/8, $0x1111111111111115
DATA b64lo<>+8(SB)/8, $0x1a1b1b1b1a131111
GLOBL b64lo<>(SB), RODATA|NOPTR, $16

DATA b64hi<>+0(SB)/8, $0x0804080402011010
DATA b64hi<>+8(SB)/8, $0x1010101010101010
GLOBL b64hi<>(SB), RODATA|NOPTR, $16

DATA b64roll<>+0(SB)/8, $0xb9b9bfbf04131000
DATA b64roll<>+8(SB)/8, $0x0000000000000000
GLOBL b64roll<>(SB), RODATA|NOPTR, $16

// Bytes 2,1,0 6,5,4 10,9,8 14,13,12 of each lane, then zeros.
DATA b64pack<>+0(SB)/8, $0x090a040506000102
DATA b64pack<>+8(SB)/8, $0xffffffff0c0d0e08
GLOBL b64pack<>(SB), RODATA|NOPTR, $16

// Dwords 0,1,2 (lane 0's 12 bytes), 4,5,6 (lane 1's), then the rest.
DATA b64perm<>+0(SB)/8, $0x0000000100000000
DATA b64perm<>+8(SB)/8, $0x0000000400000002
DATA b64perm<>+16(SB)/8, $0x0000000600000005
DATA b64perm<>+24(SB)/8, $0x0000000700000003
GLOBL b64perm<>(SB), RODATA|NOPTR, $32

DATA b64nibble<>+0(SB)/4, $0x0f0f0f0f
GLOBL b64nibble<>(SB), RODATA|NOPTR, $4

DATA b64slash<>+0(SB)/4, $0x2f2f2f2f
GLOBL b64slash<>(SB), RODATA|NOPTR, $4

// Byte multipliers 0x40, 0x01: a<<6 | b in each 16-bit word.
DATA b64join12<>+0(SB)/4, $0x01400140
GLOBL b64join12<>(SB), RODATA|NOPTR, $4

// Word multipliers 0x1000, 0x0001: ab<<12 | cd in each 32-bit word.
DATA b64join24<>+0(SB)/4, $0x00011000
GLOBL b64join24<>(SB), RODATA|NOPTR, $4

// func hasAVX2() bool
TEXT ·hasAVX2(SB), NOSPLIT, $0-1
	MOVB $0, ret+0(FP)
	XORL AX, AX
	CPUID
	CMPL AX, $7
	JB   no
	// OSXSAVE (bit 27) and AVX (bit 28) of CPUID 1: XGETBV is there, and
	// so is the VEX encoding.
	MOVL $1, AX
	XORL CX, CX
	CPUID
	ANDL $0x18000000, CX
	CMPL CX, $0x18000000
	JNE  no
	// The OS saves the XMM (bit 1) and YMM (bit 2) state.
	XORL CX, CX
	XGETBV
	ANDL $6, AX
	CMPL AX, $6
	JNE  no
	// AVX2: bit 5 of EBX of CPUID 7.
	MOVL $7, AX
	XORL CX, CX
	CPUID
	SHRL $5, BX
	ANDL $1, BX
	MOVB BX, ret+0(FP)

no:
	RET

// func decodeBase64AVX2(dst, src []byte) int
TEXT ·decodeBase64AVX2(SB), NOSPLIT, $0-56
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	SHRQ $5, CX
	MOVQ CX, R8 // MOVQ leaves SHRQ's flags
	JZ   done

	// Constants in Y6..Y14; X15 is left alone (Go code expects it zero).
	VBROADCASTI128 b64pack<>(SB), Y6
	VMOVDQU        b64perm<>(SB), Y7
	VBROADCASTI128 b64lo<>(SB), Y8
	VBROADCASTI128 b64hi<>(SB), Y9
	VBROADCASTI128 b64roll<>(SB), Y10
	VPBROADCASTD   b64nibble<>(SB), Y11
	VPBROADCASTD   b64slash<>(SB), Y12
	VPBROADCASTD   b64join12<>(SB), Y13
	VPBROADCASTD   b64join24<>(SB), Y14

loop:
	VMOVDQU (SI), Y0
	VPSRLD  $4, Y0, Y1
	VPAND   Y11, Y1, Y1  // high nibbles
	VPAND   Y11, Y0, Y2  // low nibbles
	VPSHUFB Y2, Y8, Y2
	VPSHUFB Y1, Y9, Y3
	VPTEST  Y2, Y3
	JNZ     stop         // a byte outside the alphabet: leave the block

	VPCMPEQB   Y12, Y0, Y2 // -1 at each '/'
	VPADDB     Y2, Y1, Y1
	VPSHUFB    Y1, Y10, Y1
	VPADDB     Y1, Y0, Y0  // 6-bit values
	VPMADDUBSW Y13, Y0, Y0
	VPMADDWD   Y14, Y0, Y0
	VPSHUFB    Y6, Y0, Y0
	VPERMD     Y0, Y7, Y0
	VMOVDQU    Y0, (DI)     // 24 bytes of output, 8 of zeros

	ADDQ $32, SI
	ADDQ $24, DI
	DECQ CX
	JNZ  loop

stop:
	VZEROUPPER

done:
	SUBQ CX, R8
	MOVQ R8, ret+48(FP)
	RET
