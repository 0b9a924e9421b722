package envfile

import (
	"unicode/utf16"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// utf16Kind reports whether data looks like UTF-16 text, and which byte
// order: "UTF-16LE", "UTF-16BE" or "". With a byte order mark the content
// must also decode to text, so that random bytes (a decryption with the
// wrong key) starting with FF FE are not taken for UTF-16. Without one,
// ASCII text in UTF-16 has a NUL in every other byte.
func utf16Kind(data []byte) (kind string, bom bool) {
	if len(data) >= 2 {
		switch {
		case data[0] == 0xFF && data[1] == 0xFE:
			if utf16Text(data[2:], false) {
				return "UTF-16LE", true
			}
		case data[0] == 0xFE && data[1] == 0xFF:
			if utf16Text(data[2:], true) {
				return "UTF-16BE", true
			}
		}
	}
	sample := data[:min(len(data), 1024)]
	if len(sample) < 4 {
		return "", false
	}
	var even, odd int
	for i, b := range sample {
		if b != 0 {
			continue
		}
		if i%2 == 0 {
			even++
		} else {
			odd++
		}
	}
	half := len(sample) / 2
	switch {
	case odd*10 >= half*6 && even*10 < half:
		return "UTF-16LE", false
	case even*10 >= half*6 && odd*10 < half:
		return "UTF-16BE", false
	}
	return "", false
}

// utf16Text reports whether b decodes as UTF-16 to mostly printable text.
func utf16Text(b []byte, bigEndian bool) bool {
	b = b[:min(len(b), 2048)&^1]
	if len(b) == 0 {
		return true
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	good := 0
	rs := utf16.Decode(u)
	for _, r := range rs {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0x7f && r != 0xFFFD && (r < 0x80 || r >= 0xA0) {
			good++
		}
	}
	return good*10 >= len(rs)*9
}

// looksLikeText reports whether data is mostly printable ASCII, as an env
// file in any ASCII-compatible encoding (UTF-8, Latin-1) is, and as the
// output of decrypting with the wrong key is not.
func looksLikeText(data []byte) bool {
	sample := data[:min(len(data), 4096)]
	if len(sample) == 0 {
		return true
	}
	good := 0
	for _, b := range sample {
		if b == '\t' || b == '\n' || b == '\r' || b >= 0x20 && b < 0x7f {
			good++
		}
	}
	return good*100 >= len(sample)*85
}

// controlHeavy reports whether more than 5% of data's first 4 KiB are
// control bytes other than tab, CR and LF: random bytes that happen to be
// valid UTF-8 (a short file decrypted with the wrong key), not a text file.
func controlHeavy(data []byte) bool {
	sample := data[:min(len(data), 4096)]
	n := 0
	for _, b := range sample {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' || b == 0x7f {
			n++
		}
	}
	return n*20 > len(sample)
}

// firstControl returns the offset of the first control byte other than
// tab, CR and LF, or 0.
func firstControl(data []byte) int {
	for i, b := range data {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' || b == 0x7f {
			return i
		}
	}
	return 0
}
