package dockercfg

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/shipseal/shipseal/diag"
)

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// utf16Kind says whether data looks like UTF-16 text, and how: "" when it
// does not. PowerShell's "> file" and Out-File write UTF-16 LE with a byte
// order mark; other tools write it without one, which shows as a NUL
// byte beside every ASCII character.
func utf16Kind(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		return "UTF-16 (little-endian, with a byte order mark)"
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		return "UTF-16 (big-endian, with a byte order mark)"
	}
	n := min(len(data)/2, 32)
	if n == 0 {
		return ""
	}
	var evenNUL, oddNUL int
	for i := 0; i < 2*n; i += 2 {
		if data[i] == 0 && data[i+1] != 0 {
			evenNUL++
		}
		if data[i] != 0 && data[i+1] == 0 {
			oddNUL++
		}
	}
	switch {
	case oddNUL*4 >= n*3:
		return "UTF-16 (little-endian)"
	case evenNUL*4 >= n*3:
		return "UTF-16 (big-endian)"
	}
	return ""
}

// firstNonText returns the offset of the first byte in data[from:] that
// cannot be in a JSON text file (invalid UTF-8 or a control character other
// than tab, newline and carriage return), or -1.
func firstNonText(data []byte, from int) int {
	for i := from; i < len(data); {
		if i+8 <= len(data) && textWord(binary.LittleEndian.Uint64(data[i:])) {
			i += 8
			continue
		}
		c := data[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// Eight bytes at a time (SWAR): each constant holds a byte in every lane.
const (
	lanes = 0x0101010101010101
	highs = 0x8080808080808080
)

// printableASCII reports whether every byte of x is in 0x20..0x7f.
// x-0x20 sets a byte's high bit where the byte is below 0x20 (a lane
// borrows only from a lower lane that is below 0x20 itself).
func printableASCII(x uint64) bool { return (x|(x-0x20*lanes))&highs == 0 }

// textWord reports whether every byte of x is printable ASCII, a tab, a
// line feed or a carriage return.
func textWord(x uint64) bool {
	if x&highs != 0 {
		return false
	}
	// Adding 0x60 carries into a lane's high bit from 0x20 up, and
	// never into the next lane (0x7f+0x60 < 0x100).
	control := ^(x + 0x60*lanes) & highs
	return control == 0 || control&^(lanesOf(x, '\t')|lanesOf(x, '\n')|lanesOf(x, '\r')) == 0
}

// lanesOf returns the high bit of every lane of x, which is ASCII, that
// holds c. The sum of a lane's low seven bits and 0x7f reaches the high bit
// unless they are zero, and never carries into the next lane.
func lanesOf(x uint64, c byte) uint64 {
	z := x ^ (uint64(c) * lanes)
	return ^((z&^highs + 0x7f*lanes) | z) & highs
}

// hasByte reports whether a byte of x is c: x^c has a zero lane then.
func hasByte(x uint64, c byte) bool {
	y := x ^ (uint64(c) * lanes)
	return (y-lanes)&^y&highs != 0
}

// secretFields are the entry fields whose values are secrets.
var secretFields = []string{"auth", "password", "identitytoken", "registrytoken"}

func isSecretField(name string) bool {
	for _, f := range secretFields {
		if strings.EqualFold(name, f) {
			return true
		}
	}
	return false
}

// maskLexically marks secrets without trusting the document's structure,
// so that excerpts of a file that is not valid JSON hide them too: the
// string after every `"password":` (and the other secret fields), up to
// its closing quote or the end of the line, every string literal that
// decodes from base64 to user:password, and the password of every string
// that is a URL or registry key with one ("https://robot:s3cret@host").
// Every quote is tried as the start of a key and of a literal: in broken
// input, which quotes open strings is anyone's guess.
func maskLexically(src *diag.Source, data []byte) {
	marked := -1 // the start of the last value marked as a secret field's
	for i := bytes.IndexByte(data, '"'); i >= 0; {
		end := stringEnd(data, i)
		content := data[i+1 : max(end-1, i+1)]
		if len(content) <= len("identitytoken") && isSecretField(string(content)) {
			j := skipSpace(data, end)
			if j < len(data) && data[j] == ':' {
				j = skipSpace(data, j+1)
				if j < len(data) && data[j] == '"' {
					marked = j + 1
					src.MarkSecret(marked, stringEnd(data, j)-1)
				}
			}
		}
		if len(content) >= 4 && len(content)%4 == 0 && isBase64(content) {
			addEncodedCredential(src, content, i+1, i+1+len(content), i+1 != marked)
		}
		if bytes.IndexByte(content, '@') >= 0 {
			// A registry key or URL with a password in it:
			// "https://robot:s3cret@registry.example.com".
			if start, end, ok := passwordIn(string(content)); ok {
				src.MarkSecret(i+1+start, i+1+end)
			}
		}
		next := bytes.IndexByte(data[i+1:], '"')
		if next < 0 {
			break
		}
		i += 1 + next
	}
}

// stringEnd returns the offset just past the closing quote of the string
// starting with the quote at i, or the end of the line (or data) if it is
// not closed there.
func stringEnd(data []byte, i int) int {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			if j+1 < len(data) && data[j+1] != '\n' { // a string never holds a line break, escaped or not
				j++
			}
		case '"':
			return j + 1
		case '\n':
			return j + 1
		}
	}
	return len(data) + 1
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// addEncodedCredential adds the decoded forms of s, written at
// data[start:end], as secrets when s is base64 of user:password, and marks
// data[start:end] unless it is marked already.
func addEncodedCredential(src *diag.Source, s []byte, start, end int, mark bool) {
	dec := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
	n, err := base64.StdEncoding.Decode(dec, s)
	if err != nil || !utf8.Valid(dec[:n]) {
		return
	}
	colon := bytes.IndexByte(dec[:n], ':')
	if colon < 0 {
		return
	}
	if mark {
		src.MarkSecret(start, end)
	}
	src.AddSecretValue(string(dec[:n]))
	src.AddSecretValue(strings.Trim(string(dec[colon+1:n]), "\x00"))
}

// maskBareWords marks every word outside quotes that is not a JSON
// literal (true, false, null, a number). Only broken JSON has such words:
// a value written without quotes (`"password": hunter2`) or text pasted
// after the document is as secret as a quoted value, and lexical masking,
// which keys on quoted field names and strings, does not see it. The
// string that is such a word's value (NAME="value", key: "value") is
// masked with it.
func maskBareWords(src *diag.Source, data []byte, from int) {
	inString := false
	for i := from; i < len(data); i++ {
		c := data[i]
		switch {
		case inString:
			switch c {
			case '\\':
				if i+1 < len(data) && data[i+1] != '\n' {
					i++
				}
			case '"', '\n':
				inString = false
			}
		case c == '"':
			inString = true
		case isJSONSeparator(c):
		default:
			j := i
			for j < len(data) && data[j] != '"' && !isJSONSeparator(data[j]) {
				j++
			}
			if !isJSONLiteral(data[i:j]) {
				src.MarkSecret(i, j)
				if k := bareValue(data, j); k >= 0 {
					end := stringEnd(data, k)
					src.MarkSecret(k, end)
					i = end - 1
					continue
				}
			}
			i = j - 1
		}
	}
}

// bareValue returns where the string that is the value of a bare word
// ending at j starts (NAME="value", key: "value", NAME = "value"), or -1.
func bareValue(data []byte, j int) int {
	for j < len(data) && (data[j] == ' ' || data[j] == '\t') {
		j++
	}
	if j < len(data) && (data[j] == ':' || data[j] == '=') {
		j++
		for j < len(data) && (data[j] == ' ' || data[j] == '\t') {
			j++
		}
	}
	if j < len(data) && data[j] == '"' {
		return j
	}
	return -1
}

func isJSONSeparator(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '{', '}', '[', ']', ',', ':':
		return true
	}
	return false
}

func isJSONLiteral(w []byte) bool {
	switch string(w) {
	case "true", "false", "null":
		return true
	}
	return len(w) > 0 && (w[0] == '-' || w[0] >= '0' && w[0] <= '9') && json.Valid(w)
}

func isBase64(s []byte) bool {
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return true
}
