package crypto_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/shipseal/shipseal/crypto"
	"github.com/stretchr/testify/require"
)

// TestInspect: without a key, Inspect gives the version and the
// plaintext's size of good files of every size, both versions.
func TestInspect(t *testing.T) {
	key := seededKey(t, 60)
	for _, v := range versions {
		for _, size := range []int{0, 1, 2, 3, 16, 17, 100, 70_000} {
			file := encryptWithIV(t, key, v, randomBytes(61, 16), randomBytes(62, size))
			for name, f := range map[string][]byte{"as written": file, "re-wrapped": rewrap(file, 76, "\r\n", "\n", "\n")} {
				env, err := crypto.Inspect(bytes.NewReader(f))
				require.NoError(t, err, "%v %d %s", v, size, name)
				require.Equal(t, v, env.Version)
				require.Equal(t, int64(size), env.PlaintextSize, "%v %d %s", v, size, name)
			}
		}
	}
}

// TestInspectErrors: whatever is wrong with an envelope, Inspect says so
// with one of crypto's decrypt errors (validate shows them as EN001…),
// never a bare I/O error such as "unexpected EOF".
func TestInspectErrors(t *testing.T) {
	key := seededKey(t, 63)
	for _, v := range versions {
		file := encryptWithIV(t, key, v, randomBytes(64, 16), randomBytes(65, 40))
		for n := range len(file) {
			_, err := crypto.Inspect(bytes.NewReader(file[:n]))
			if err != nil {
				requireDecryptError(t, err, "%v cut to %d of %d bytes", v, n, len(file))
			}
		}
		for off := range file {
			bad := bytes.Clone(file)
			bad[off] ^= 0x80 // never a base64 character
			_, err := crypto.Inspect(bytes.NewReader(bad))
			requireDecryptError(t, err, "%v byte %d", v, off)
		}
	}
	for _, c := range []struct {
		file string
		want error
	}{
		{"", crypto.ErrNotEncrypted},
		{"codeship:v3\nAAAA", crypto.ErrUnsupportedVersion},
		{"codeship:v3", crypto.ErrUnsupportedVersion},
		{"codeship:v\nAAAA", crypto.ErrUnsupportedVersion},
		// A v2 file cut inside its header is truncated, not from the future.
		{"codeship:v", crypto.ErrTruncated},
		{"codeship:", crypto.ErrTruncated},
		{"  codeship:v\r", crypto.ErrTruncated},
		{"QUJD", crypto.ErrNotEncrypted},
		{"codeship:v2\n" + fmt.Sprintf("%024d", 0), crypto.ErrTruncated},
	} {
		_, err := crypto.Inspect(bytes.NewReader([]byte(c.file)))
		require.ErrorIs(t, err, c.want, "%q", c.file)
	}
}
