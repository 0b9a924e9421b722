package crypto

// expandKey256 returns the 15 round keys of AES-256 (FIPS 197, §5.2), in
// the byte order the AES-NI instructions take them. crypto/aes keeps its
// schedule private; the CFB assembly needs one to keep every round key in
// a register.
func expandKey256(key *[KeySize]byte) (rk [15 * 16]byte) {
	sbox := aesSbox()
	copy(rk[:], key[:])
	rcon := byte(1)
	for i := KeySize; i < len(rk); i += 4 {
		t := [4]byte{rk[i-4], rk[i-3], rk[i-2], rk[i-1]}
		switch i % KeySize {
		case 0:
			t = [4]byte{sbox[t[1]] ^ rcon, sbox[t[2]], sbox[t[3]], sbox[t[0]]}
			rcon = xtime(rcon)
		case 16:
			t = [4]byte{sbox[t[0]], sbox[t[1]], sbox[t[2]], sbox[t[3]]}
		}
		for j := range 4 {
			rk[i+j] = rk[i-KeySize+j] ^ t[j]
		}
	}
	return rk
}

// aesSbox computes the AES S-box: the inverse in GF(2^8) followed by the
// affine map. p walks the field's nonzero elements as powers of 3 while q
// walks the same powers of 3's inverse, so q is p's inverse at each step.
func aesSbox() (s [256]byte) {
	p, q := byte(1), byte(1)
	for {
		p ^= xtime(p) // p *= 3
		q ^= q << 1   // q /= 3
		q ^= q << 2
		q ^= q << 4
		if q&0x80 != 0 {
			q ^= 0x09
		}
		s[p] = q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4) ^ 0x63
		if p == 1 {
			break
		}
	}
	s[0] = 0x63
	return s
}

// xtime multiplies by x (2) in AES's field.
func xtime(b byte) byte {
	if b&0x80 != 0 {
		return b<<1 ^ 0x1b
	}
	return b << 1
}

func rotl8(b byte, n uint) byte { return b<<n | b>>(8-n) }
