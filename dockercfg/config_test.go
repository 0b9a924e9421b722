package dockercfg

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"https://index.docker.io/v1/":       DockerHubKey,
		"index.docker.io":                   DockerHubKey,
		"docker.io":                         DockerHubKey,
		"registry-1.docker.io":              DockerHubKey,
		"https://registry-1.docker.io/v2/":  DockerHubKey,
		"registry.example.com:5000":         "registry.example.com:5000",
		"https://registry.example.com:5000": "registry.example.com:5000",
		"http://registry.example.com/v2/":   "registry.example.com",
		"Registry.Example.COM":              "registry.example.com",
		"quay.io/myorg/myrepo":              "quay.io",
		"https://[::1]:5000/v2/":            "[::1]:5000",
		"localhost:5000":                    "localhost:5000",
		" ghcr.io ":                         "ghcr.io",
	} {
		assert.Equal(t, want, Normalize(in), in)
	}
}

func TestRegistryKeyProblem(t *testing.T) {
	for _, ok := range []string{"registry.example.com", "https://index.docker.io/v1/", "localhost:5000",
		"10.0.0.1:443", "[::1]:5000", "http://my_registry.local/v2", "123456789012.dkr.ecr.us-east-1.amazonaws.com"} {
		assert.Empty(t, registryKeyProblem(ok), ok)
	}
	for _, bad := range []string{"", " x", "a b", "ftp://x.org", "https://", "x.org:", "x.org:0", "x.org:port",
		"a..b", "-a.b", "[zz]:1", "ré.example", ":1", "[]:5000", "https://:443/v2/"} {
		assert.NotEmpty(t, registryKeyProblem(bad), bad)
	}
}

func TestAuthRoundTrip(t *testing.T) {
	enc := EncodeAuth("user", "pa:ss")
	u, p, err := DecodeAuth(enc)
	require.NoError(t, err)
	assert.Equal(t, "user", u)
	assert.Equal(t, "pa:ss", p)

	for auth, want := range map[string]error{
		"not base64!":             ErrAuthNotBase64,
		EncodeAuth("nocolon", ""): nil,            // "nocolon:" has a colon
		"bm9jb2xvbg==":            ErrAuthNoColon, // "nocolon"
		EncodeAuth("", "p"):       ErrAuthEmptyUser,
		EncodeAuth("u", ""):       ErrAuthEmptyPassword,
	} {
		_, _, err := DecodeAuth(auth)
		if want == nil {
			assert.Error(t, err)
			continue
		}
		assert.True(t, errors.Is(err, want), "%q: %v", auth, err)
	}
}

func TestParseRejectsWithoutSecrets(t *testing.T) {
	data := []byte(`{"auths": {"r.example.com": {"auth": "` + EncodeAuth("", "parse-secret") + `", "password": "other-secret"}}}`)
	_, err := Parse(data)
	require.Error(t, err)
	var pe *Error
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, CodeEmptyCredential, pe.Code)
	assert.NotContains(t, err.Error(), "parse-secret")
	assert.NotContains(t, err.Error(), "other-secret")
	assert.Equal(t, 1, pe.Line)
}

func TestParseWrongKey(t *testing.T) {
	_, err := Parse([]byte{0x00, 0x9f, 0x33})
	require.Error(t, err)
	_, r := Validate("x", []byte{0x9f, 0x33}, Options{Decrypted: true, KeyFingerprint: "SHA256:abc"})
	require.True(t, r.WrongKey())
	assert.Contains(t, r.Diagnostics[0].Message, "key SHA256:abc")
	assert.Contains(t, r.Diagnostics[0].Message, "wrong key?")
}

// TestMarshalRoundTrip writes every valid corpus file back in its own
// format and checks that it reads back the same.
func TestMarshalRoundTrip(t *testing.T) {
	for _, file := range corpus(t) {
		if !strings.HasPrefix(filepath.Base(file), "good_") {
			continue
		}
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		cfg, err := Parse(data)
		require.NoError(t, err, file)
		out, err := cfg.Marshal(cfg.Format)
		require.NoError(t, err, file)
		assert.True(t, strings.HasSuffix(string(out), "}\n"), file)
		again, err := Parse(out)
		require.NoError(t, err, "%s written back:\n%s", file, out)
		assert.Equal(t, cfg.Format, again.Format, file)
		assert.Equal(t, cfg.CredsStore, again.CredsStore, file)
		assert.Equal(t, cfg.Extra != nil, again.Extra != nil, file)
		require.Len(t, again.Auths, len(cfg.Auths), file)
		for i, e := range cfg.Auths {
			u1, p1, err1 := e.Credentials()
			u2, p2, err2 := again.Auths[i].Credentials()
			assert.Equal(t, []any{u1, p1, err1}, []any{u2, p2, err2}, file)
			assert.Equal(t, e.Registry, again.Auths[i].Registry)
			assert.Equal(t, e.IdentityToken, again.Auths[i].IdentityToken)
		}
	}
}

func TestMarshalFormats(t *testing.T) {
	cfg := &Config{}
	cfg.Set("registry.example.com", AuthConfig{Username: "ci", Password: "pw"})
	out, err := cfg.Marshal(FormatConfigJSON)
	require.NoError(t, err)
	assert.Equal(t, "{\n\t\"auths\": {\n\t\t\"registry.example.com\": {\n\t\t\t\"auth\": \"Y2k6cHc=\"\n\t\t}\n\t}\n}\n", string(out))
	out, err = cfg.Marshal(FormatLegacy)
	require.NoError(t, err)
	assert.Equal(t, "{\n\t\"registry.example.com\": {\n\t\t\"auth\": \"Y2k6cHc=\"\n\t}\n}\n", string(out))

	cfg.CredsStore = "desktop"
	_, err = cfg.Marshal(FormatLegacy)
	assert.Error(t, err)

	cfg.Set("https://registry.example.com/v2/", AuthConfig{Auth: EncodeAuth("ci", "new")})
	require.Len(t, cfg.Auths, 1, "Set replaces the entry docker would use")
	assert.Equal(t, "registry.example.com", cfg.Auths[0].Registry)
}

func TestLookup(t *testing.T) {
	cfg, err := Parse([]byte(`{"auths": {"https://index.docker.io/v1/": {"auth": "` + EncodeAuth("hub", "hubpass") + `"},
		"registry.example.com:5000": {"auth": "` + EncodeAuth("ci", "cipass") + `"}}}`))
	require.NoError(t, err)
	for _, name := range []string{"docker.io", "index.docker.io", "https://index.docker.io/v1/", "registry-1.docker.io"} {
		e := cfg.Lookup(name)
		require.NotNil(t, e, name)
		assert.Equal(t, "https://index.docker.io/v1/", e.Registry)
	}
	e := cfg.Lookup("https://registry.example.com:5000/v2/")
	require.NotNil(t, e)
	u, _, err := e.Credentials()
	require.NoError(t, err)
	assert.Equal(t, "ci", u)
	assert.Nil(t, cfg.Lookup("registry.example.com"), "the port is part of the key")
}

func TestDetect(t *testing.T) {
	for _, file := range corpus(t) {
		name := filepath.Base(file)
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		want := true
		switch {
		case strings.Contains(name, "empty"), strings.Contains(name, "whitespace"), strings.Contains(name, "binary"),
			strings.Contains(name, "decrypted_garbage"), strings.Contains(name, "not_json"), strings.Contains(name, "top_"),
			strings.Contains(name, "unknown_format"), strings.Contains(name, "_no_registries"), strings.Contains(name, "syntax_missing_comma"),
			strings.Contains(name, "unterminated"), strings.Contains(name, "latin1"):
			continue // no claim either way
		}
		assert.Equal(t, want, Detect(data), name)
	}
	for _, no := range []string{"", "FOO=bar\n", `{"name": "x", "version": "1.0.0"}`, `[1,2]`, `{"compilerOptions": {"strict": true}}`} {
		assert.False(t, Detect([]byte(no)), no)
	}
}
