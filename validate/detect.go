package validate

import (
	"bytes"
	"encoding/base64"
	"path/filepath"
	"strings"

	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/envfile"
)

// encryptedSuffixes are stripped from a name before guessing its kind from
// it: "prod.env.encrypted" is an env file.
var encryptedSuffixes = []string{".encrypted", ".enc", ".aes"}

// BaseName returns a file's name without an encrypted-file suffix.
func BaseName(name string) string {
	base := filepath.Base(name)
	for _, s := range encryptedSuffixes {
		if t := strings.TrimSuffix(base, s); t != base && t != "" {
			return t
		}
	}
	return base
}

// KindFromName guesses a kind from a file name alone, or Auto.
func KindFromName(name string) Kind {
	base := strings.ToLower(BaseName(name))
	switch {
	case base == "env" || base == "environment" || strings.HasSuffix(base, ".env") || strings.HasPrefix(base, ".env"):
		return Env
	case strings.Contains(base, "dockercfg") || base == "config.json" || strings.Contains(base, "docker-config") || strings.Contains(base, "docker_config"):
		return Dockercfg
	}
	return Auto
}

// DialectFromName says which dialect an env file is read in when nothing
// else says, by what will read it. A name that says encrypted (see
// NamedEncrypted: *.encrypted, *.enc, *.aes) is docker's, whatever comes
// before the suffix (".env.encrypted", ".env.local.enc"): compose never
// reads an encrypted file, Codeship's encrypted_env_file and shipseal exec
// do, and they read it as docker run --env-file does. Otherwise ".env" and
// ".env.*" (".env.production") are compose's, since compose is what reads
// them, and every other env file is docker's. Every command applies this
// one rule for --dialect auto; encrypt applies it to its output's name.
func DialectFromName(name string) envfile.Dialect {
	if NamedEncrypted(name) {
		return envfile.Docker
	}
	base := strings.ToLower(filepath.Base(name))
	if base == ".env" || strings.HasPrefix(base, ".env.") {
		return envfile.Compose
	}
	return envfile.Docker
}

// DetectKind says what plaintext data holds. A file whose name says
// dockercfg (KindFromName) is one. Otherwise its content decides first:
// docker's shape (dockercfg.Shaped) makes a dockercfg, whatever the name,
// and so does a *.json file that names docker's fields but is not JSON (a
// comment line first): its parse error says why docker cannot read it.
// Other JSON is another program's file (a package.json, a service-account
// key), not a dockercfg, unless its name says env file; then the name,
// then an env file's shape.
func DetectKind(name string, data []byte) Kind {
	byName := KindFromName(name)
	switch {
	case byName == Dockercfg, dockercfg.Shaped(data), commentedDockercfg(name, data):
		return Dockercfg
	case byName != Auto:
		return byName
	case looksLikeJSON(data):
		return Unknown
	case envfile.Detect(data):
		return Env
	}
	return Unknown
}

// commentedDockercfg is true for a file named *.json that does not start
// as JSON does but names docker's fields near its start, such as
// "// prod creds" above a config.json's object.
func commentedDockercfg(name string, data []byte) bool {
	if !strings.EqualFold(filepath.Ext(name), ".json") || looksLikeJSON(data) {
		return false
	}
	head := data[:min(len(data), 4096)]
	for _, k := range []string{`"auths"`, `"credsStore"`, `"credHelpers"`, `"auth"`} {
		if bytes.Contains(head, []byte(k)) {
			return true
		}
	}
	return false
}

func looksLikeJSON(data []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// IsEncrypted reports whether data looks like an encrypted file: a
// "codeship:" header, or nothing but base64 (and whitespace) that decodes
// to at least an IV.
func IsEncrypted(data []byte) bool {
	t := bytes.TrimSpace(data)
	if bytes.HasPrefix(t, []byte("codeship:")) {
		return true
	}
	if len(t) < 24 {
		return false
	}
	n := 0
	for _, c := range t {
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '+', c == '/', c == '=':
			n++
		case c == ' ', c == '\t', c == '\r', c == '\n':
		default:
			return false
		}
	}
	compact := make([]byte, 0, n)
	for _, c := range t {
		if c > ' ' {
			compact = append(compact, c)
		}
	}
	_, err := base64.StdEncoding.DecodeString(string(compact))
	return err == nil
}
