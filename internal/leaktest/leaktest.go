// Package leaktest makes files that hold known secrets in many shapes (env
// lines, dockercfg JSON, broken JSON, YAML-ish lines, CRLF, a BOM,
// duplicates, stray lines, truncation) and checks that no report of a
// validator shows any of them. The envfile and dockercfg tests feed every
// case to their own validator, whatever kind the case really is: a JSON
// dockercfg read as an env file must not show its auth either.
package leaktest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/diag"
)

// Case is one generated file and every string it must never show.
type Case struct {
	Data []byte
	// Secrets are the secret tokens, the base64 of each user:token auth
	// (with and without its padding).
	Secrets []string
}

// Window is the length of the pieces of a secret that Check looks for: a
// piece of a token that long is shown only by a leak (a name cut at an
// = inside a token, say), never by chance.
const Window = 10

// tokenAlphabet holds what passwords and tokens are made of, = and the
// base64 symbols included so that a token can be cut where a parser cuts.
const tokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+/="

// Token returns a random secret of 20 to 40 characters.
func Token(r *rand.Rand) string {
	b := make([]byte, 20+r.IntN(21))
	for i := range b {
		b[i] = tokenAlphabet[r.IntN(len(tokenAlphabet))]
	}
	return string(b)
}

// ValueToken returns a token to put alone on a line, where an env file
// has a name: one with a / (as base64 has) near its start, and no =.
// Without the / it could be a name ("abc123", to inherit), even when the
// file is cut inside it, and with an = docker reads it as NAME=value, and
// the part before the = is a name, which is shown.
func ValueToken(r *rand.Rand) string {
	b := []byte(strings.ReplaceAll(Token(r), "=", "Q"))
	b[r.IntN(4)] = '/'
	return string(b)
}

// names are the variable names and registries of the generated files:
// printable, never secret.
var (
	names      = []string{"DB_PASSWORD", "API_TOKEN", "my-var", "app.name", "1ST", "CAFÉ", "x", "export"}
	registries = []string{"r.io", "my_reg.io", "https://index.docker.io/v1/", "localhost:5000", "ghcr.io"}
)

// Shapes: %N is a name, %S a token, %V a token alone on its line, %B the
// base64 of user:token, %R a registry. Each is one chunk of a file.
var shapes = []string{
	// env, docker and compose
	"%N=%S", `%N="%S"`, "%N='%S'", "export %N=%S", "%N = %S", "%N: %S", "%V", "%N=\n%V", "# %N=%S",
	"%N=%S # note", `%N="%S`, `%N="%S"x`, "%N= %S ", "NA ME=%S", "%N=%S\r", `%N="a\n%S"`, "%N=$$%S",
	"%N=%B", "export %V", "%N=%S\x00", "%N=\xff%S",
	// dockercfg JSON, valid
	`{"auths":{"%R":{"auth":"%B"}}}`,
	`{"auths":{"%R":{"username":"ci","password":"%S"}}}`,
	"{\n  \"auths\": {\n    \"%R\": {\n      \"auth\": \"%B\"\n    }\n  }\n}",
	"{\n\t\"auths\": {\n\t\t\"%R\": {\n\t\t\t\"identitytoken\": \"%S\"\n\t\t}\n\t}\n}",
	`{"%R":{"auth":"%B","email":"ci@example.com"}}`,
	`{"auths":{"%R":{"registrytoken":"%S"}},"credsStore":"desktop"}`,
	// dockercfg JSON, broken
	`{"auths":{"%R":{"auth":"%B"}}`, `{"auths":{"%R":{"auth":"%B",}}}`, `{"auths":{"%R":{"password":%S}}}`,
	`{'auths':{'%R':{'auth':'%B'}}}`, `"auth":"%B"`, `"password": "%S"`, `"password":"%S",`, `{"auths":{"%R":{"auth":"%B`,
	// YAML-ish
	"password: %S", "auth: %B", "  password: \"%S\"",
}

// junk are stray lines put between chunks.
var junk = []string{"}", "{", ",", "=", `"`, "'", "]", "garbage words here", "\x00", "\xff\xfe", "#", "export", ":"}

// Cases returns n cases made from seed: the same seed, the same cases.
func Cases(seed uint64, n int) []Case {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	out := make([]Case, n)
	for i := range out {
		out[i] = one(r)
	}
	return out
}

func one(r *rand.Rand) Case {
	var c Case
	var chunks []string
	for range 1 + r.IntN(4) {
		chunk, secrets := fill(r, shapes[r.IntN(len(shapes))])
		chunks = append(chunks, chunk)
		c.Secrets = append(c.Secrets, secrets...)
		if r.IntN(4) == 0 {
			chunks = append(chunks, junk[r.IntN(len(junk))])
		}
		if r.IntN(5) == 0 {
			chunks = append(chunks, chunk) // a duplicate
		}
	}
	sep := "\n"
	if r.IntN(3) == 0 {
		sep = "\r\n"
	}
	data := strings.Join(chunks, sep)
	if r.IntN(2) == 0 {
		data += sep
	}
	if sep == "\r\n" {
		data = strings.ReplaceAll(data, "\r\r\n", "\r\n")
	}
	if r.IntN(6) == 0 {
		data = "\xef\xbb\xbf" + data
	}
	if r.IntN(8) == 0 {
		data = data[:r.IntN(len(data)+1)] // cut anywhere, inside a secret too
	}
	c.Data = []byte(data)
	return c
}

// fill replaces the placeholders of a shape with fresh values and returns
// the secrets it planted.
func fill(r *rand.Rand, shape string) (string, []string) {
	var secrets []string
	var b strings.Builder
	for i := 0; i < len(shape); i++ {
		if shape[i] != '%' || i+1 == len(shape) {
			b.WriteByte(shape[i])
			continue
		}
		i++
		switch shape[i] {
		case 'N':
			b.WriteString(names[r.IntN(len(names))])
		case 'R':
			b.WriteString(registries[r.IntN(len(registries))])
		case 'S':
			tok := Token(r)
			secrets = append(secrets, tok)
			b.WriteString(tok)
		case 'V':
			tok := ValueToken(r)
			secrets = append(secrets, tok)
			b.WriteString(tok)
		case 'B':
			tok := Token(r)
			auth := base64.StdEncoding.EncodeToString([]byte("ci:" + tok))
			secrets = append(secrets, tok, auth)
			b.WriteString(auth)
		default:
			b.WriteByte('%')
			b.WriteByte(shape[i])
		}
	}
	return b.String(), secrets
}

// Leak returns the first piece of a secret that out shows, or "".
func Leak(out string, secrets []string) string {
	for _, s := range secrets {
		s = strings.TrimRight(s, "=")
		for i := 0; i+Window <= len(s); i++ {
			if strings.Contains(out, s[i:i+Window]) {
				return s[i : i+Window]
			}
		}
	}
	return ""
}

// Render returns the text and the JSON form of a report, as the CLI
// prints them.
func Render(t testing.TB, r *diag.Report) string {
	t.Helper()
	var text, js bytes.Buffer
	if err := diag.WriteText(&text, []*diag.Report{r}); err != nil {
		t.Fatal(err)
	}
	if err := diag.WriteJSON(&js, []*diag.Report{r}); err != nil {
		t.Fatal(err)
	}
	return text.String() + js.String()
}

// Check fails t when out shows a piece of one of c's secrets; what says
// what produced out.
func Check(t testing.TB, c Case, what, out string) {
	t.Helper()
	if leak := Leak(out, c.Secrets); leak != "" {
		t.Errorf("%s shows %q of a secret\ninput: %q\noutput:\n%s", what, leak, c.Data, out)
	}
}

// String describes a case for a failure message.
func (c Case) String() string { return fmt.Sprintf("%q", c.Data) }

// Words are secrets that are also words of what a report prints: of
// shipseal's messages and hints (docker, uses, value), of field names
// (pass in password, auth), of registries (registry and example in
// registry.example.com, docker.io in index.docker.io) and of variable
// names (PASSWORD in DB_PASSWORD). Masking them wherever they show would garble
// the report and, by where the **** stands, tell the secret.
var Words = []string{
	"docker", "registry", "example", "pass", "auth", "password", "docker.io", "index", "word",
	"uses", "the", "and", "ignores", "field", "unknown", "entry", "delete", "value", "name",
	"line", "keeps", "quotes", "PASSWORD", "HOST", "refuses", "more", "like", "this", "shown", "set",
}

// Stranger returns a secret as long as w that is no word of anything a
// report prints: random letters from a few that words rarely hold.
func Stranger(r *rand.Rand, w string) string {
	b := make([]byte, len(w))
	for i := range b {
		b[i] = "qxzjvk"[r.IntN(6)]
	}
	return string(b)
}

// Unchanged fails t unless the output made with the secret word is the
// output made with a stranger in its place, byte for byte: where a
// secret is masked by its place, which one it is changes nothing, and a
// word masked elsewhere would show as a difference. what names the input
// and the output.
func Unchanged(t testing.TB, what, word, withWord, withStranger string) {
	t.Helper()
	if withWord != withStranger {
		t.Errorf("%s: with the secret %q the output differs from the one with a secret of no word:\n%s\nwant\n%s",
			what, word, withWord, withStranger)
	}
}
