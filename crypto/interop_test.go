package crypto_test

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/internal/e2etest"
	"github.com/stretchr/testify/require"
)

// interopSizes are the plaintext sizes checked against openssl: the empty
// file, around the AES block (16), around the v2 checksum (32) and
// base64's 3-byte groups, around the 64 KiB steps that implementations
// stream in, and random sizes up to 1 MiB.
func interopSizes() []int {
	sizes := []int{0, 1, 2, 3, 15, 16, 17, 31, 32, 33, 47, 48, 49, 4095, 4096, 4097,
		65535, 65536, 65537, 3 << 16, 1<<20 - 1, 1 << 20}
	r := seededRand(20261125)
	for range 14 {
		sizes = append(sizes, int(r.Uint64()%(1<<20)))
	}
	return sizes
}

// openssl runs `openssl enc` in AES-256-CFB mode on in.
func openssl(t *testing.T, bin string, decrypt bool, key, iv, in []byte) []byte {
	t.Helper()
	args := []string{"enc", "-aes-256-cfb", "-K", hex.EncodeToString(key), "-iv", hex.EncodeToString(iv)}
	if decrypt {
		args = append(args, "-d")
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "openssl %s: %s", strings.Join(args[:2], " "), stderr.String())
	return out
}

// TestInteropShipsealToOpenSSL checks that what shipseal writes is the
// format of docs/format.md, read by an independent implementation:
// openssl decrypts the payload to the plaintext (v1) or to its hex MD5
// followed by the plaintext (v2).
func TestInteropShipsealToOpenSSL(t *testing.T) {
	bin := e2etest.LookPath(t, "openssl", "apt-get install openssl")
	key := seededKey(t, 1)
	raw := rawKey(t, key)
	for i, size := range interopSizes() {
		for _, v := range versions {
			t.Run(fmt.Sprintf("%v/%d", v, size), func(t *testing.T) {
				t.Parallel() // openssl's start-up dominates
				plain := randomBytes(uint64(1000+i), size)
				iv := randomBytes(uint64(2000+i), 16)
				file := encryptWithIV(t, key, v, iv, plain)

				body := file
				if v == crypto.V2 {
					require.True(t, bytes.HasPrefix(file, []byte("codeship:v2\n")), "a v2 file starts with its header line")
					body = file[len("codeship:v2\n"):]
				}
				require.NotContains(t, string(body), "\n", "the base64 is one line with no trailing newline")
				payload, err := base64.StdEncoding.Strict().DecodeString(string(body))
				require.NoError(t, err)
				require.Equal(t, iv, payload[:16], "the IV comes first, in the clear")

				want := plain
				if v == crypto.V2 {
					sum := md5.Sum(plain)
					want = append([]byte(hex.EncodeToString(sum[:])), plain...)
				}
				got := openssl(t, bin, true, raw, iv, payload[16:])
				require.True(t, bytes.Equal(want, got), "openssl decrypts shipseal's file to something else")
			})
		}
	}
}

// TestInteropOpenSSLToShipseal builds files with openssl as docs/format.md
// ("Reproducing with OpenSSL") describes and decrypts them with shipseal.
func TestInteropOpenSSLToShipseal(t *testing.T) {
	bin := e2etest.LookPath(t, "openssl", "apt-get install openssl")
	key := seededKey(t, 2)
	raw := rawKey(t, key)
	for i, size := range interopSizes() {
		for _, v := range versions {
			t.Run(fmt.Sprintf("%v/%d", v, size), func(t *testing.T) {
				t.Parallel() // openssl's start-up dominates
				plain := randomBytes(uint64(3000+i), size)
				iv := randomBytes(uint64(4000+i), 16)
				in := plain
				if v == crypto.V2 {
					sum := md5.Sum(plain)
					in = append([]byte(hex.EncodeToString(sum[:])), plain...)
				}
				ct := openssl(t, bin, false, raw, iv, in)
				require.Len(t, ct, len(in), "CFB has no padding")
				file := base64.StdEncoding.EncodeToString(append(append([]byte(nil), iv...), ct...))
				if v == crypto.V2 {
					file = "codeship:v2\n" + file
				}
				got, gotV, err := decryptAll(t, key, []byte(file))
				require.NoError(t, err)
				require.Equal(t, v, gotV)
				require.True(t, bytes.Equal(plain, got), "shipseal decrypts openssl's file to something else")

				// And shipseal, given the same IV, writes the same file.
				require.Equal(t, file, string(encryptWithIV(t, key, v, iv, plain)))
			})
		}
	}
}
