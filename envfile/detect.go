package envfile

import (
	"bytes"
	"unicode/utf16"
)

// Detect reports whether data looks like an env file: at least half of
// its non-blank, non-comment lines are NAME=value (or export NAME=value, or a
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
	var lines, good, assignments int
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
			if bytes.IndexByte(line, '=') >= 0 {
				assignments++
			}
		}
	}
	return assignments > 0 && good*2 >= lines
}

// looksLikeAssignment reports whether line is [export ]NAME=... or a bare
// NAME. The name may be malformed (a space, a stray character): Detect
// routes broken env files to the env validator too, which then says what
// is wrong.
func looksLikeAssignment(line []byte) bool {
	name, _, hasValue := bytes.Cut(line, []byte("="))
	if !hasValue {
		if rest, ok := bytes.CutPrefix(line, []byte("export")); ok && len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\t') {
			line = bytes.TrimLeft(rest, " \t")
		}
		return isPortableName(string(line))
	}
	return len(name) <= 64 && len(name) > 0 && bytes.IndexAny(name, "\"'<>{}();:,+/") < 0
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
