//go:build amd64 && !purego

#include "textflag.h"

// The whitespace scan of dropSpace, 64 bytes a step: the unsigned minimum
// of the step's two 32-byte halves has a byte ≤ 0x20 exactly when one of
// the 64 bytes is ≤ 0x20, and VPMINUB with 0x20 leaves such a byte
// unchanged (and lowers any other), so VPCMPEQB marks exactly those.

DATA scanspace<>+0(SB)/4, $0x20202020
GLOBL scanspace<>(SB), RODATA|NOPTR, $4

// func scanNoSpaceAVX2(b []byte) int
TEXT ·scanNoSpaceAVX2(SB), NOSPLIT, $0-32
	MOVQ b_base+0(FP), SI
	MOVQ b_len+8(FP), CX
	XORQ AX, AX
	SHRQ $6, CX // whole 64-byte steps
	JZ   done

	// Y0..Y3 only; X15 is left alone (Go code expects it zero).
	VPBROADCASTD scanspace<>(SB), Y3

loop:
	VMOVDQU (SI)(AX*1), Y0
	VPMINUB 32(SI)(AX*1), Y0, Y0 // the smaller byte of each pair of halves
	VPMINUB Y3, Y0, Y1           // min(byte, 0x20)
	VPCMPEQB Y0, Y1, Y1          // 0xff where the byte is ≤ 0x20
	VPTEST Y1, Y1
	JNZ  stop                    // this step has one: leave it to the caller
	ADDQ $64, AX
	DECQ CX
	JNZ  loop

stop:
	VZEROUPPER

done:
	MOVQ AX, ret+24(FP)
	RET
