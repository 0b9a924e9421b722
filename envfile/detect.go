package envfile

import (
	"bytes"
	"unicode/utf16"
)

// Detect reports whether data looks like an env file: most of its
// non-blank, non-comment lines are NAME=value (or export NAME=value, or a
// bare NAME). UTF-16 text is decoded first, so that a file saved by Notepad
// is still recognised and then reported as UTF-16.
func Detect(data []byte) bool {
	if kind, bom := utf16Kind(data); kind != "" {
		data = decodeUTF16(data, kind == "UTF-16BE", bom)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return false // JSON, or an INI/TOML section
	}
	var lines, good int
	for len(data) > 0 && lines < 200 {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte("\n"))
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		lines++
		if looksLikeAssignment(line) {
			good++
		}
	}
	return good > 0 && good*3 >= lines*2
}

// looksLikeAssignment reports whether line is [export ]NAME[=...] with a
// name made of the characters names are usually made of.
func looksLikeAssignment(line []byte) bool {
	if rest, ok := bytes.CutPrefix(line, []byte("export")); ok && len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\t') {
		line = bytes.TrimLeft(rest, " \t")
	}
	name, _, hasValue := bytes.Cut(line, []byte("="))
	if !hasValue {
		return isPortableName(string(name))
	}
	name = bytes.TrimRight(name, " \t")
	if len(name) == 0 {
		return false
	}
	for i, b := range name {
		switch {
		case isNameByte(b) && !(i == 0 && b >= '0' && b <= '9'), b == '.', b == '-':
		default:
			return false
		}
	}
	return true
}

func decodeUTF16(data []byte, bigEndian, bom bool) []byte {
	if bom {
		data = data[2:]
	}
	u := make([]uint16, len(data)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		} else {
			u[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
		}
	}
	return []byte(string(utf16.Decode(u)))
}
