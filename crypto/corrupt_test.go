package crypto_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/shipseal/shipseal/crypto"
	"github.com/stretchr/testify/require"
)

// decryptErr decrypts file and returns the plaintext and the first error,
// from NewReader or from any Read. Reading stops at the first error, as a
// careful consumer does.
func decryptErr(key *crypto.Key, file []byte) ([]byte, error) {
	r, err := crypto.NewReader(bytes.NewReader(file), key)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// decryptErrors are the errors that mean "this file cannot be decrypted".
var decryptErrors = []error{crypto.ErrNotEncrypted, crypto.ErrUnsupportedVersion, crypto.ErrWrongKey,
	crypto.ErrChecksum, crypto.ErrTruncated}

func requireDecryptError(t *testing.T, err error, msgAndArgs ...any) {
	t.Helper()
	require.Error(t, err, msgAndArgs...)
	for _, e := range decryptErrors {
		if errors.Is(err, e) {
			return
		}
	}
	require.Fail(t, fmt.Sprintf("error %q is not one of crypto's decrypt errors", err), msgAndArgs...)
}

// lastQuantum is where the final base64 group starts: only its padding
// bits may change without changing the decoded bytes.
func lastQuantum(file []byte) int { return len(file) - 4 }

// TestFlippedByteIsCaught changes every byte of small v2 files (header,
// IV, checksum, body, padding) in several ways. Each change must be
// reported as an error by NewReader or a Read, or (only for the unused
// bits of the last base64 group, which decode to the same bytes) give
// exactly the original plaintext: never a different plaintext without an
// error.
func TestFlippedByteIsCaught(t *testing.T) {
	key := seededKey(t, 20)
	// 40 bytes: a 2-byte final group ("XYZ="), 41: a 1-byte one ("XY=="),
	// 42: no padding, 0: the checksum alone.
	for _, size := range []int{0, 1, 40, 41, 42, 100} {
		plain := randomBytes(uint64(size)+21, size)
		file := encryptWithIV(t, key, crypto.V2, randomBytes(uint64(size)+22, 16), plain)
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			caught, same := 0, 0
			for off := range file {
				for _, mask := range []byte{0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xff} {
					bad := bytes.Clone(file)
					bad[off] ^= mask
					got, err := decryptErr(key, bad)
					if err != nil {
						requireDecryptError(t, err, "byte %d ^ %#x", off, mask)
						caught++
						continue
					}
					require.GreaterOrEqual(t, off, lastQuantum(file), "byte %d ^ %#x: decrypted without an error", off, mask)
					require.True(t, bytes.Equal(plain, got), "byte %d ^ %#x: decrypted to a different plaintext without an error", off, mask)
					same++
				}
			}
			t.Logf("%d changes caught, %d in base64 padding bits decode to the same bytes", caught, same)
		})
	}
}

// TestFlippedBitInPayload flips every bit of the decoded payload (IV,
// checksum, plaintext) and re-encodes it, so that every change reaches
// the cipher: all must be caught.
func TestFlippedBitInPayload(t *testing.T) {
	key := seededKey(t, 23)
	for _, size := range []int{0, 1, 17, 64} {
		plain := randomBytes(uint64(size)+24, size)
		iv := randomBytes(uint64(size)+25, 16)
		payload := append(bytes.Clone(iv), encryptPayloadV2(t, key, iv, plain)...)
		for bit := range len(payload) * 8 {
			bad := bytes.Clone(payload)
			bad[bit/8] ^= 1 << (bit % 8)
			_, err := decryptErr(key, v2File(bad))
			requireDecryptError(t, err, "size %d, payload bit %d", size, bit)
		}
	}
}

// TestTruncationIsCaught cuts v2 files at every length: all must fail.
func TestTruncationIsCaught(t *testing.T) {
	key := seededKey(t, 26)
	for _, size := range []int{0, 1, 2, 3, 40, 100, 1000} {
		plain := randomBytes(uint64(size)+27, size)
		file := encryptWithIV(t, key, crypto.V2, randomBytes(uint64(size)+28, 16), plain)
		for n := range len(file) {
			_, err := decryptErr(key, file[:n])
			requireDecryptError(t, err, "size %d cut to %d of %d bytes", size, n, len(file))
		}
		// A payload cut at any byte and correctly re-encoded, so that the
		// base64 itself is valid.
		payload := decodeV2(t, file)
		for n := range len(payload) {
			_, err := decryptErr(key, v2File(payload[:n]))
			requireDecryptError(t, err, "size %d, payload cut to %d of %d bytes", size, n, len(payload))
		}
	}
}

// TestTruncatedErrors: what each truncation is called.
func TestTruncatedErrors(t *testing.T) {
	key := seededKey(t, 29)
	payload := decodeV2(t, encryptWithIV(t, key, crypto.V2, randomBytes(30, 16), []byte("plain")))
	for _, c := range []struct {
		n    int
		want error
	}{
		{0, crypto.ErrNotEncrypted},  // no IV
		{15, crypto.ErrNotEncrypted}, // part of the IV
		{16, crypto.ErrTruncated},    // no checksum
		{47, crypto.ErrTruncated},    // part of the checksum
		{48, crypto.ErrChecksum},     // checksum, no plaintext
		{52, crypto.ErrChecksum},     // all but the last plaintext byte
		{len(payload), nil},          // complete
	} {
		_, err := decryptErr(key, v2File(payload[:c.n]))
		if c.want == nil {
			require.NoError(t, err)
			continue
		}
		require.ErrorIs(t, err, c.want, "payload of %d bytes", c.n)
	}
}

// TestChecksumErrorOnlyAtTheEnd: a corrupt body releases plaintext (it is
// a stream) but the Read that reaches the end fails instead of returning
// io.EOF, and keeps failing.
func TestChecksumErrorOnlyAtTheEnd(t *testing.T) {
	key := seededKey(t, 31)
	plain := randomBytes(32, 300_000)
	payload := decodeV2(t, encryptWithIV(t, key, crypto.V2, randomBytes(33, 16), plain))
	payload[len(payload)-1000] ^= 0x40
	r, err := crypto.NewReader(bytes.NewReader(v2File(payload)), key)
	require.NoError(t, err, "the checksum decrypts: the key is right")
	_, err = io.Copy(io.Discard, r)
	require.ErrorIs(t, err, crypto.ErrChecksum)
	_, err = r.Read(make([]byte, 10))
	require.ErrorIs(t, err, crypto.ErrChecksum, "the error is sticky")
}

// TestWrongKey: a v2 file under another key fails in NewReader, before
// any plaintext; its message names the key by fingerprint only.
func TestWrongKey(t *testing.T) {
	right, wrong := seededKey(t, 34), seededKey(t, 35)
	for _, size := range []int{0, 1, 1000} {
		file := encryptWithIV(t, right, crypto.V2, randomBytes(36, 16), randomBytes(37, size))
		r, err := crypto.NewReader(bytes.NewReader(file), wrong)
		require.Nil(t, r)
		require.ErrorIs(t, err, crypto.ErrWrongKey)
		require.Contains(t, err.Error(), wrong.Fingerprint())
		requireNoKeyMaterial(t, err.Error(), wrong)
		requireNoKeyMaterial(t, err.Error(), right)
	}
}
