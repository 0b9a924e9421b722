package crypto_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/crypto"
	"github.com/stretchr/testify/require"
)

// requireNoKeyMaterial fails if s holds the key in any usual spelling:
// its base64 text (or a long piece of it), its bytes in hex, as Go
// prints a byte slice, or raw.
func requireNoKeyMaterial(t testing.TB, s string, k *crypto.Key) {
	t.Helper()
	text := strings.TrimSpace(string(k.Encode()))
	raw, err := base64.StdEncoding.DecodeString(text)
	require.NoError(t, err)
	spellings := map[string]string{
		"base64":        text,
		"base64 start":  text[:16],
		"base64 end":    text[len(text)-17 : len(text)-1],
		"hex":           hex.EncodeToString(raw[:8]),
		"HEX":           strings.ToUpper(hex.EncodeToString(raw[:8])),
		"raw":           string(raw[:8]),
		"byte list":     strings.Trim(fmt.Sprint(raw[:6]), "[]"),
		"hex byte list": fmt.Sprintf("%#x, %#x, %#x", raw[0], raw[1], raw[2]),
		"quoted raw":    strings.Trim(fmt.Sprintf("%q", raw[:8]), `"`),
	}
	for name, sp := range spellings {
		require.NotContains(t, s, sp, "the output holds the key (%s)", name)
	}
}

const goodKey = "2bUT6mLvQxGmGEbDMy00LnxDMD0mgaWiDkqV8vUrJJo="

func TestParseKeyAcceptsSurroundingWhitespace(t *testing.T) {
	want, err := crypto.ParseKey([]byte(goodKey))
	require.NoError(t, err)
	for _, text := range []string{
		goodKey + "\n",
		goodKey + "\r\n",
		goodKey + "\n\n",
		" " + goodKey,
		"\t" + goodKey + " \r\n",
		"\n" + goodKey + "\n",
		"\r\n\r\n" + goodKey + "\r\n\r\n",
		"\v\f" + goodKey + "\f\v",
		// Notepad saves UTF-8 with a byte order mark; whitespace may come
		// on either side of it.
		"\uFEFF" + goodKey + "\r\n",
		" \uFEFF" + goodKey,
		"\uFEFF\n" + goodKey + "\n",
	} {
		k, err := crypto.ParseKey([]byte(text))
		require.NoError(t, err, "%q", text)
		require.True(t, want.Equal(k), "%q parses to another key", text)
	}
	// The round trip through Encode.
	k, err := crypto.ParseKey(want.Encode())
	require.NoError(t, err)
	require.True(t, want.Equal(k))
	require.Equal(t, goodKey+"\n", string(want.Encode()))
}

// utf16 encodes ASCII text as UTF-16, as Notepad's "Unicode" saves it.
func utf16(order binary.AppendByteOrder, text string) string {
	var b []byte
	for _, r := range text {
		b = order.AppendUint16(b, uint16(r))
	}
	return string(b)
}

func TestParseKeyRejects(t *testing.T) {
	b64 := func(n int) string { return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0xa5}, n)) }
	urlSafe := strings.NewReplacer("+", "-", "/", "_").Replace("+/+/" + goodKey[4:])
	for _, c := range []struct {
		name, text, msg string
	}{
		{"empty", "", "the key is empty"},
		{"whitespace only", " \r\n\t\n", "the key is empty"},
		{"16 bytes (AES-128)", b64(16), "the key decodes to 16 bytes, want 32"},
		{"24 bytes (AES-192)", b64(24), "the key decodes to 24 bytes, want 32"},
		{"31 bytes", b64(31), "the key decodes to 31 bytes, want 32"},
		{"33 bytes", b64(33), "the key decodes to 33 bytes, want 32"},
		{"64 bytes", b64(64), "the key decodes to 64 bytes, want 32"},
		{"1 byte", b64(1), "the key decodes to 1 bytes, want 32"},
		{"a hex key", strings.Repeat("ab", 32), "the key decodes to 48 bytes, want 32"},

		// The common mistakes are named, with where they are; never with
		// a character of the key.
		{"missing padding", strings.TrimRight(goodKey, "="), "the key is not base64: the = padding at the end is missing"},
		{"missing padding, CRLF", strings.TrimRight(goodKey, "=") + "\r\n", "the key is not base64: the = padding at the end is missing"},
		{"double quotes", `"` + goodKey + `"`, "the key is quoted: remove the quotes"},
		{"single quotes", "'" + goodKey + "'\n", "the key is quoted: remove the quotes"},
		{"an opening quote", `"` + goodKey, "the key is not base64: it contains a quote at byte 1"},
		{"a closing quote", goodKey + `"`, "the key is not base64: it contains a quote at byte 45"},
		{"an env line", "AES_KEY=" + goodKey, "the key looks like NAME=value from an env file: keep only the value"},
		{"an env line with blanks", "SHIPSEAL_KEY = " + goodKey + "\n", "the key looks like NAME=value from an env file: keep only the value"},
		{"a shell line", "export SHIPSEAL_KEY=" + goodKey, "the key looks like NAME=value from an env file: keep only the value"},
		{"an env line, quoted", `SHIPSEAL_KEY="` + goodKey + `"`, "the key looks like NAME=value from an env file: keep only the value"},
		{"space inside", goodKey[:20] + " " + goodKey[20:], "the key is not base64: it contains a space at byte 21"},
		{"tab inside", goodKey[:5] + "\t" + goodKey[5:], "the key is not base64: it contains a tab at byte 6"},
		{"a space for a character", goodKey[:20] + " " + goodKey[21:], "the key is not base64: it contains a space at byte 21"},
		{"url-safe alphabet", urlSafe, "the key is URL-safe base64 (- or _): use standard base64 (+ and /)"},
		{"url-safe, unpadded", strings.TrimRight(urlSafe, "="), "the key is URL-safe base64 (- or _): use standard base64 (+ and /)"},
		{"one url-safe character", goodKey[:3] + "+/-" + goodKey[6:], "the key is not base64: it contains a URL-safe - or _ at byte 6 (standard base64 has + and / there)"},
		{"two keys", goodKey + "\n" + goodKey, "the key is not base64: it has = padding before its end, at byte 44 (two keys, or a key and more text?)"},
		{"two keys on a line", goodKey + goodKey, "the key is not base64: it has = padding before its end, at byte 44 (two keys, or a key and more text?)"},
		{"two keys on a line, the first of letters and digits", "Kyc4vVtb6GVS3Kz1ZnMNiXWhXVbqXx3aMDtLhOamNr0=" + goodKey,
			"the key is not base64: it has = padding before its end, at byte 44 (two keys, or a key and more text?)"},
		{"cut short", goodKey[:30], "the key is not base64: it has 30 characters, want 44 (cut short, or more than a key?)"},
		{"a character lost", goodKey[:10] + goodKey[11:], "the key is not base64: it has 43 characters, want 44 (cut short, or more than a key?)"},
		{"a character too many", goodKey[:10] + "A" + goodKey[10:], "the key is not base64: it has 45 characters, want 44 (cut short, or more than a key?)"},
		{"a stray character", goodKey[:10] + "#" + goodKey[11:], "the key is not base64: it contains a character base64 does not use at byte 11"},
		{"not base64", "this is#not base64 at all, but it is long en", "the key is not base64: it contains a space at byte 5"},
		{"a control character", goodKey[:9] + "\x00" + goodKey[9:], "the key is not base64: it contains a control character at byte 10"},
		{"a non-ASCII character", goodKey[:9] + "é" + goodKey[10:], "the key is not base64: it contains a non-ASCII character at byte 10"},
		{"two byte order marks", "\uFEFF\uFEFF" + goodKey, "the key is not base64: it contains a non-ASCII character at byte 1"},
		{"UTF-16 little-endian", utf16(binary.LittleEndian, "\uFEFF"+goodKey+"\r\n"), "the key is UTF-16 text: save it as plain text (ASCII or UTF-8)"},
		{"UTF-16 big-endian", utf16(binary.BigEndian, "\uFEFF"+goodKey), "the key is UTF-16 text: save it as plain text (ASCII or UTF-8)"},
		{"UTF-16 little-endian without a byte order mark", utf16(binary.LittleEndian, goodKey+"\r\n"),
			"the key is UTF-16 text without a byte order mark: save it as plain text (ASCII or UTF-8)"},
		{"UTF-16 big-endian without a byte order mark", utf16(binary.BigEndian, goodKey),
			"the key is UTF-16 text without a byte order mark: save it as plain text (ASCII or UTF-8)"},
		{"UTF-16 with a newline added", utf16(binary.LittleEndian, goodKey) + "\n",
			"the key is UTF-16 text without a byte order mark: save it as plain text (ASCII or UTF-8)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			k, err := crypto.ParseKey([]byte(c.text))
			require.Nil(t, k)
			require.ErrorIs(t, err, crypto.ErrInvalidKey)
			require.Equal(t, "invalid key: "+c.msg, err.Error())
			requireNoKeyText(t, err.Error(), c.text)
		})
	}
}

// requireNoKeyText fails if msg holds 5 characters in a row of goodKey,
// in either alphabet, or the first 8 of text.
func requireNoKeyText(t *testing.T, msg, text string) {
	t.Helper()
	for _, k := range []string{goodKey, strings.NewReplacer("+", "-", "/", "_").Replace(goodKey)} {
		for i := 0; i+5 <= len(k); i++ {
			require.NotContains(t, msg, k[i:i+5], "the error quotes the key")
		}
	}
	if text = strings.TrimSpace(text); len(text) >= 8 {
		require.NotContains(t, msg, text[:8], "the error quotes the key")
	}
}

// TestKeyNeverPrinted formats a key every way fmt can, directly and
// inside values that hold it: only the fingerprint comes out.
func TestKeyNeverPrinted(t *testing.T) {
	k := seededKey(t, 40)
	type holder struct {
		Name string
		Key  *crypto.Key
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v"} {
		for name, arg := range map[string]any{
			"pointer":           k,
			"slice":             []*crypto.Key{k},
			"map":               map[string]*crypto.Key{"k": k},
			"struct":            holder{"k", k},
			"pointer to struct": &holder{"k", k},
			"error":             fmt.Errorf("using %v: %w", k, errors.New("boom")),
		} {
			out := fmt.Sprintf(verb, arg)
			requireNoKeyMaterial(t, out, k)
			if verb == "%v" && name == "pointer" {
				require.Equal(t, "key "+k.Fingerprint(), out)
			}
		}
	}
	require.Equal(t, "key "+k.Fingerprint(), k.String())
	require.Equal(t, k.String(), k.GoString())
	require.Regexp(t, `^[0-9a-f]{8}$`, k.Fingerprint())
}

// TestKeyValueNeverPrinted: a Key copied by value (a struct field of type
// crypto.Key, or *k) prints its fingerprint too, not its bytes.
func TestKeyValueNeverPrinted(t *testing.T) {
	k := seededKey(t, 41)
	type holder struct{ Key crypto.Key }
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x"} {
		requireNoKeyMaterial(t, fmt.Sprintf(verb, *k), k)
		requireNoKeyMaterial(t, fmt.Sprintf(verb, holder{*k}), k)
	}
}

func TestFingerprint(t *testing.T) {
	a, b := seededKey(t, 42), seededKey(t, 43)
	require.NotEqual(t, a.Fingerprint(), b.Fingerprint())
	a2, err := crypto.ParseKey(a.Encode())
	require.NoError(t, err)
	require.Equal(t, a.Fingerprint(), a2.Fingerprint(), "the fingerprint is a function of the key")
	require.True(t, a.Equal(a2))
	require.False(t, a.Equal(b))
	require.False(t, a.Equal(nil))
}

func TestGenerateKeyUsesRand(t *testing.T) {
	raw := bytes.Repeat([]byte{7}, 32)
	k, err := crypto.GenerateKey(bytes.NewReader(raw))
	require.NoError(t, err)
	require.Equal(t, base64.StdEncoding.EncodeToString(raw)+"\n", string(k.Encode()))
}
