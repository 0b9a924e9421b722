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
	for _, c := range []struct {
		name, text, msg string
	}{
		{"empty", "", "invalid key: the key is empty"},
		{"whitespace only", " \r\n\t\n", "invalid key: the key is empty"},
		{"not base64", "this is#not base64 at all, but it is long en", "invalid key: the key is not base64"},
		{"url-safe alphabet", strings.NewReplacer("+", "-", "/", "_").Replace("+/+/" + goodKey[4:]), "invalid key: the key is not base64"},
		{"missing padding", strings.TrimRight(goodKey, "="), "invalid key: the key is not base64"},
		{"space inside", goodKey[:20] + " " + goodKey[20:], "invalid key: the key is not base64"},
		{"two keys", goodKey + "\n" + goodKey, "invalid key: the key is not base64"},
		{"16 bytes (AES-128)", b64(16), "invalid key: the key decodes to 16 bytes, want 32"},
		{"24 bytes (AES-192)", b64(24), "invalid key: the key decodes to 24 bytes, want 32"},
		{"31 bytes", b64(31), "invalid key: the key decodes to 31 bytes, want 32"},
		{"33 bytes", b64(33), "invalid key: the key decodes to 33 bytes, want 32"},
		{"64 bytes", b64(64), "invalid key: the key decodes to 64 bytes, want 32"},
		{"1 byte", b64(1), "invalid key: the key decodes to 1 bytes, want 32"},
		{"a hex key", strings.Repeat("ab", 32), "invalid key: the key decodes to 48 bytes, want 32"},
		{"two byte order marks", "\uFEFF\uFEFF" + goodKey, "invalid key: the key is not base64 (bad character or padding at byte 1)"},
		{"UTF-16 little-endian", utf16(binary.LittleEndian, "\uFEFF"+goodKey+"\r\n"), "invalid key: the key is UTF-16 text: save it as plain text (ASCII or UTF-8)"},
		{"UTF-16 big-endian", utf16(binary.BigEndian, "\uFEFF"+goodKey), "invalid key: the key is UTF-16 text: save it as plain text (ASCII or UTF-8)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			k, err := crypto.ParseKey([]byte(c.text))
			require.Nil(t, k)
			require.ErrorIs(t, err, crypto.ErrInvalidKey)
			require.Contains(t, err.Error(), c.msg)
			if text := strings.TrimSpace(c.text); len(text) >= 8 {
				require.NotContains(t, err.Error(), text[:8], "the error quotes the key")
			}
			require.Equal(t, strings.ToLower(err.Error()[:1]), err.Error()[:1], "errors start in lower case")
		})
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
