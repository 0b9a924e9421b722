package crypto_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/crypto"
	"github.com/stretchr/testify/require"
)

// The vectors are a copy of ../shared/vectors (see its README for their
// provenance): real files written by jet, and OpenSSL-made edge cases.
const vectors = "testdata/vectors"

func loadKey(t testing.TB, path string) *crypto.Key {
	t.Helper()
	text, err := os.ReadFile(path)
	require.NoError(t, err)
	k, err := crypto.ParseKey(text)
	require.NoError(t, err)
	return k
}

func decryptAll(t testing.TB, key *crypto.Key, enc []byte) ([]byte, crypto.Version, error) {
	t.Helper()
	r, err := crypto.NewReader(bytes.NewReader(enc), key)
	if err != nil {
		return nil, 0, err
	}
	out, err := io.ReadAll(r)
	return out, r.Version(), err
}

func TestJetV1Vectors(t *testing.T) {
	key := loadKey(t, filepath.Join(vectors, "jet-v1/codeship.aes"))
	for enc, plain := range map[string]string{
		"env.env.enc":           "env.env",
		"environment.encrypted": "environment.decrypted",
	} {
		t.Run(enc, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(vectors, "jet-v1", enc))
			require.NoError(t, err)
			want, err := os.ReadFile(filepath.Join(vectors, "jet-v1", plain))
			require.NoError(t, err)
			got, v, err := decryptAll(t, key, data)
			require.NoError(t, err)
			require.Equal(t, crypto.V1, v)
			require.Equal(t, want, got)
		})
	}
}

func TestJetV2Vector(t *testing.T) {
	dir := filepath.Join(vectors, "jet-v2/graasp-app-pdfjs")
	key := loadKey(t, filepath.Join(dir, "codeship.aes"))
	data, err := os.ReadFile(filepath.Join(dir, "env.local.encrypted"))
	require.NoError(t, err)
	got, v, err := decryptAll(t, key, data)
	require.NoError(t, err)
	require.Equal(t, crypto.V2, v)
	sum := sha256.Sum256(got)
	// From PROVENANCE.md: the plaintext is not published, its hash is.
	require.Equal(t, "524d583923e5c16a31c90436f327bdf722aa099d8099c4ab3bf28609106cc10c", hex.EncodeToString(sum[:]))
	require.Len(t, got, 99)

	// Re-encrypting with the IV from PROVENANCE.md gives jet's bytes.
	iv, _ := hex.DecodeString("757c8b3e3c3df1bc377d140dc96b054c")
	var out bytes.Buffer
	require.NoError(t, crypto.Encrypt(&out, bytes.NewReader(got), key, crypto.WriteOptions{Rand: bytes.NewReader(iv)}))
	require.Equal(t, string(data), out.String())
}

type opensslCase struct{ name, iv string }

func readIVs(t testing.TB, dir string) []opensslCase {
	f, err := os.Open(filepath.Join(dir, "ivs.txt"))
	require.NoError(t, err)
	defer f.Close()
	var cases []opensslCase
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) == 2 {
			cases = append(cases, opensslCase{fields[0], fields[1]})
		}
	}
	require.NotEmpty(t, cases)
	return cases
}

func TestOpenSSLVectors(t *testing.T) {
	for _, v := range []crypto.Version{crypto.V1, crypto.V2} {
		dir := filepath.Join(vectors, "openssl-"+v.String())
		key := loadKey(t, filepath.Join(dir, "codeship.aes"))
		for _, c := range readIVs(t, dir) {
			t.Run(v.String()+"/"+c.name, func(t *testing.T) {
				plain, err := os.ReadFile(filepath.Join(dir, c.name+".plain"))
				require.NoError(t, err)
				enc, err := os.ReadFile(filepath.Join(dir, c.name+".encrypted"))
				require.NoError(t, err)

				got, gotV, err := decryptAll(t, key, enc)
				require.NoError(t, err)
				require.Equal(t, v, gotV)
				require.Equal(t, plain, got)

				iv, err := hex.DecodeString(c.iv)
				require.NoError(t, err)
				var out bytes.Buffer
				err = crypto.Encrypt(&out, bytes.NewReader(plain), key, crypto.WriteOptions{Version: v, Rand: bytes.NewReader(iv)})
				require.NoError(t, err)
				require.Equal(t, string(enc), out.String(), "encrypting with the vector's IV must give the vector byte for byte")
			})
		}
	}
}
