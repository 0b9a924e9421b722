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
	MOVUPS (SI), X14
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
	AESENC 208(AX), X0
	AESENCLAST 224(AX), X0
	PXOR   X14, X0
	MOVUPS X0, (DI)
	ADDQ   $16, SI
	ADDQ   $16, DI
	DECQ   CX
	JNZ    loop

	MOVUPS X0, (BX)

done:
	RET
