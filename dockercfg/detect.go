package dockercfg

import "bytes"

// Detect says whether data looks like a docker credentials file, so that
// a file can be validated as one without being told. It is generous: a
// broken dockercfg (a BOM, UTF-16, text after the object) is still one, so
// that Validate can say what is wrong with it.
func Detect(data []byte) bool {
	if kind := utf16Kind(data); kind != "" {
		data = asciiOfUTF16(data)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	data = bytes.TrimLeft(data, " \t\r\n")
	if len(data) == 0 || data[0] != '{' {
		return false
	}
	if root, ok := parse(data, 0); ok {
		if root.kind != kindObject || len(root.members) == 0 {
			return false
		}
		return isConfigJSON(root) || isLegacy(root)
	}
	// Broken JSON: look for the field names only a dockercfg has, near
	// the start.
	head := data[:min(len(data), 4096)]
	for _, k := range []string{`"auths"`, `"credsStore"`, `"credHelpers"`, `"auth"`} {
		if bytes.Contains(head, []byte(k)) {
			return true
		}
	}
	return false
}

// asciiOfUTF16 drops the byte order mark and the NUL half of each UTF-16
// code unit: enough to recognise ASCII field names.
func asciiOfUTF16(data []byte) []byte {
	out := make([]byte, 0, len(data)/2)
	for _, c := range data {
		if c != 0 && c != 0xff && c != 0xfe {
			out = append(out, c)
		}
	}
	return out
}
