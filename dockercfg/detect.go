package dockercfg

import (
	"bytes"
	"strings"
)

// Detect says whether data looks like a docker credentials file, so that
// a file can be validated as one without being told. It is generous: a
// broken dockercfg (a BOM, UTF-16, text after the object) is still one, so
// that Validate can say what is wrong with it.
func Detect(data []byte) bool {
	return detect(data, func(root *node) bool { return isConfigJSON(root) || isLegacy(root) })
}

// Shaped is Detect for a JSON file whose name does not say that it is a
// dockercfg: it has docker's shape, or it is another program's JSON (a
// package.json, a service-account key, a secrets.json), which is none of
// a dockercfg's business. Docker's shape is one of a config.json's own
// fields at the top level ("auths", "credsStore", "credHelpers", in any
// letter case, as docker reads them), or a legacy .dockercfg: every
// top-level key a registry, each holding an object with "auth" or "email".
// A broken file is judged as by Detect, by docker's field names near its
// start, so that Validate can say what is wrong with it.
func Shaped(data []byte) bool {
	return detect(data, func(root *node) bool { return hasConfigField(root) || isStrictLegacy(root) })
}

// detect prepares data as docker would read it and asks shaped about its
// top-level object; broken JSON is judged by its field names.
func detect(data []byte, shaped func(root *node) bool) bool {
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
		return shaped(root)
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

// hasConfigField is true when root has a field that only docker's
// config.json has: auths, credsStore or credHelpers.
func hasConfigField(root *node) bool {
	for im := range root.members {
		if canonicalField(root.members[im].key, "auths", "credsStore", "credHelpers") != "" {
			return true
		}
	}
	return false
}

// isStrictLegacy is true for {REGISTRY: {"auth": ...}, ...}: every key
// looks like a registry, and every entry is an object with auth or email.
func isStrictLegacy(root *node) bool {
	for im := range root.members {
		m := &root.members[im]
		if !registryShaped(m.key) || m.val.kind != kindObject || m.val.get("auth") == nil && m.val.get("email") == nil {
			return false
		}
	}
	return true
}

// registryShaped is true for a key that names a registry and looks like
// one: a host with a dot or a port, or localhost.
func registryShaped(key string) bool {
	return registryKeyProblem(key) == "" && (strings.ContainsAny(key, ".:") || strings.HasPrefix(key, "localhost"))
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
