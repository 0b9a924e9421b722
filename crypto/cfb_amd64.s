//go:build amd64 && !purego

#include "textflag.h"

// func hasAESNI() bool
TEXT ·hasAESNI(SB), NOSPLIT, $0-1
	MOVL $1, AX
	XORL CX, CX
	CPUID
	SHRL $25, CX
	ANDL $1, CX
	MOVB CX, ret+0(FP)
	RET

// func cfbEncryptAsm(rk *[240]byte, fb *[16]byte, dst, src []byte)
TEXT ·cfbEncryptAsm(SB), NOSPLIT, $0-64
	MOVQ rk+0(FP), AX
	MOVQ fb+8(FP), BX
	MOVQ dst_base+16(FP), DI
	MOVQ src_base+40(FP), SI
	MOVQ src_len+48(FP), CX
	SHRQ $4, CX
	JZ   done
	MOVUPS (BX), X0
	// Round keys 0..12 in X1..X13; 13 and 14 come from memory (L1), off
	// the critical path. X15 is left alone: Go code expects it zero.
	MOVUPS 0(AX), X1
	MOVUPS 16(AX), X2
	MOVUPS 32(AX), X3
	MOVUPS 48(AX), X4
	MOVUPS 64(AX), X5
	MOVUPS 80(AX), X6
	MOVUPS 96(AX), X7
	MOVUPS 112(AX), X8
	MOVUPS 128(AX), X9
	MOVUPS 144(AX), X10
	MOVUPS 160(AX), X11
	MOVUPS 176(AX), X12
	MOVUPS 192(AX), X13

loop:
	PXOR   X1, X0
	AESENC X2, X0
	AESENC X3, X0
	AESENC X4, X0
	AESENC X5, X0
	AESENC X6, X0
	AESENC X7, X0
	AESENC X8, X0
	AESENC X9, X0
	AESENC X10, X0
	AESENC X11, X0
	AESENC X12, X0
	AESENC X13, X0
	// Legacy SSE wants aligned memory operands: go through X14, which
	// renaming makes three independent registers.
	MOVUPS 208(AX), X14
	AESENC X14, X0
	MOVUPS 224(AX), X14
	AESENCLAST X14, X0
	MOVUPS (SI), X14
	PXOR   X14, X0
	MOVUPS X0, (DI)
	ADDQ   $16, SI
	ADDQ   $16, DI
	DECQ   CX
	JNZ    loop

	MOVUPS X0, (BX)

done:
	RET

#define ROUND8(off) \
	MOVUPS off(AX), X8; \
	AESENC X8, X0; AESENC X8, X1; AESENC X8, X2; AESENC X8, X3; \
	AESENC X8, X4; AESENC X8, X5; AESENC X8, X6; AESENC X8, X7

#define LOADXOR(i, reg) \
	MOVUPS (i*16)(SI), reg; PXOR X8, reg

#define XORSTORE(i, reg) \
	MOVUPS (i*16)(DX), X9; PXOR X9, reg; MOVUPS reg, (i*16)(DI)

// func cfbDecryptAsm(rk *[240]byte, dst, in, x []byte)
// dst[k] = AES(in[k]) XOR x[k] for each block k of in; eight blocks at a
// time, so the rounds of independent blocks overlap.
TEXT ·cfbDecryptAsm(SB), NOSPLIT, $0-80
	MOVQ rk+0(FP), AX
	MOVQ dst_base+8(FP), DI
	MOVQ in_base+32(FP), SI
	MOVQ in_len+40(FP), CX
	MOVQ x_base+56(FP), DX
	SHRQ $4, CX

loop8:
	CMPQ CX, $8
	JB   tail
	MOVUPS 0(AX), X8
	LOADXOR(0, X0)
	LOADXOR(1, X1)
	LOADXOR(2, X2)
	LOADXOR(3, X3)
	LOADXOR(4, X4)
	LOADXOR(5, X5)
	LOADXOR(6, X6)
	LOADXOR(7, X7)
	ROUND8(16)
	ROUND8(32)
	ROUND8(48)
	ROUND8(64)
	ROUND8(80)
	ROUND8(96)
	ROUND8(112)
	ROUND8(128)
	ROUND8(144)
	ROUND8(160)
	ROUND8(176)
	ROUND8(192)
	ROUND8(208)
	MOVUPS 224(AX), X8
	AESENCLAST X8, X0
	AESENCLAST X8, X1
	AESENCLAST X8, X2
	AESENCLAST X8, X3
	AESENCLAST X8, X4
	AESENCLAST X8, X5
	AESENCLAST X8, X6
	AESENCLAST X8, X7
	XORSTORE(0, X0)
	XORSTORE(1, X1)
	XORSTORE(2, X2)
	XORSTORE(3, X3)
	XORSTORE(4, X4)
	XORSTORE(5, X5)
	XORSTORE(6, X6)
	XORSTORE(7, X7)
	ADDQ $128, SI
	ADDQ $128, DX
	ADDQ $128, DI
	SUBQ $8, CX
	JMP  loop8

tail:
	TESTQ CX, CX
	JZ    done1
	MOVUPS (SI), X0
	MOVUPS 0(AX), X8
	PXOR   X8, X0
	MOVUPS 16(AX), X8
	AESENC X8, X0
	MOVUPS 32(AX), X8
	AESENC X8, X0
	MOVUPS 48(AX), X8
	AESENC X8, X0
	MOVUPS 64(AX), X8
	AESENC X8, X0
	MOVUPS 80(AX), X8
	AESENC X8, X0
	MOVUPS 96(AX), X8
	AESENC X8, X0
	MOVUPS 112(AX), X8
	AESENC X8, X0
	MOVUPS 128(AX), X8
	AESENC X8, X0
	MOVUPS 144(AX), X8
	AESENC X8, X0
	MOVUPS 160(AX), X8
	AESENC X8, X0
	MOVUPS 176(AX), X8
	AESENC X8, X0
	MOVUPS 192(AX), X8
	AESENC X8, X0
	MOVUPS 208(AX), X8
	AESENC X8, X0
	MOVUPS 224(AX), X8
	AESENCLAST X8, X0
	MOVUPS (DX), X9
	PXOR   X9, X0
	MOVUPS X0, (DI)
	ADDQ $16, SI
	ADDQ $16, DX
	ADDQ $16, DI
	DECQ CX
	JMP  tail

done1:
	RET
