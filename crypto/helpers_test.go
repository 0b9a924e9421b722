package crypto_test

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"math/rand/v2"
	"testing"

	"github.com/shipseal/shipseal/crypto"
	"github.com/stretchr/testify/require"
)

// seededKey returns a key derived from seed, so a failing case can be
// reproduced.
func seededKey(t testing.TB, seed uint64) *crypto.Key {
	t.Helper()
	k, err := crypto.GenerateKey(seededRand(seed))
	require.NoError(t, err)
	return k
}

// seededRand is a deterministic stream of bytes (an io.Reader).
func seededRand(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	for i := range 8 {
		s[i] = byte(seed >> (8 * i))
	}
	return rand.NewChaCha8(s)
}

// randomBytes returns n deterministic pseudo-random bytes.
func randomBytes(seed uint64, n int) []byte {
	b := make([]byte, n)
	seededRand(seed).Read(b)
	return b
}

// rawKey is the key's 32 bytes, for tools that want them (openssl -K).
func rawKey(t testing.TB, k *crypto.Key) []byte {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(k.Encode())))
	require.NoError(t, err)
	require.Len(t, raw, crypto.KeySize)
	return raw
}

// encryptWithIV encrypts plain with a fixed IV through crypto.Encrypt.
func encryptWithIV(t testing.TB, key *crypto.Key, v crypto.Version, iv, plain []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	err := crypto.Encrypt(&out, bytes.NewReader(plain), key, crypto.WriteOptions{Version: v, Rand: bytes.NewReader(iv)})
	require.NoError(t, err)
	return out.Bytes()
}

// writeOptions returns the options a Writer needs for plain.
func writeOptions(v crypto.Version, iv, plain []byte) crypto.WriteOptions {
	opts := crypto.WriteOptions{Version: v, Rand: bytes.NewReader(iv)}
	if v == crypto.V2 {
		sum := md5.Sum(plain)
		opts.Checksum = sum[:]
	}
	return opts
}

var versions = []crypto.Version{crypto.V1, crypto.V2}

// encryptPayloadV2 is the v2 ciphertext after the IV, for tests that
// corrupt it before encoding.
func encryptPayloadV2(t testing.TB, key *crypto.Key, iv, plain []byte) []byte {
	t.Helper()
	return decodeV2(t, encryptWithIV(t, key, crypto.V2, iv, plain))[16:]
}

// decodeV2 returns a v2 file's decoded payload: IV, then ciphertext.
func decodeV2(t testing.TB, file []byte) []byte {
	t.Helper()
	body, ok := bytes.CutPrefix(file, []byte(crypto.HeaderV2+"\n"))
	require.True(t, ok, "not a v2 file")
	payload, err := base64.StdEncoding.DecodeString(string(body))
	require.NoError(t, err)
	return payload
}

// v2File encodes a payload as a v2 file.
func v2File(payload []byte) []byte {
	return []byte(crypto.HeaderV2 + "\n" + base64.StdEncoding.EncodeToString(payload))
}
