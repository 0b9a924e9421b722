package dockercfg

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInline(t *testing.T) {
	cfg, _ := Validate("laptop.json", []byte(`{
		"auths": {"https://index.docker.io/v1/": {}, "ghcr.io": {"email": "me@example.com"}, "inline.example.com": {"auth": "`+EncodeAuth("ci", "inline-pass")+`"}},
		"credsStore": "desktop",
		"credHelpers": {"123.dkr.ecr.us-east-1.amazonaws.com": "ecr-login"}
	}`), Options{})
	require.NotNil(t, cfg)
	var asked []string
	helper := func(name, server string) (AuthConfig, error) {
		asked = append(asked, name+" "+server)
		switch server {
		case "ghcr.io":
			return AuthConfig{Username: "octocat", Password: "ghp-pass"}, nil
		case DockerHubKey:
			return AuthConfig{IdentityToken: "hub-token"}, nil
		case "123.dkr.ecr.us-east-1.amazonaws.com":
			return AuthConfig{Username: "AWS", Password: "ecr-token"}, nil
		}
		return AuthConfig{}, ErrNotFound
	}
	out, n, err := cfg.Inline(nil, helper)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	assert.Equal(t, []string{"desktop https://index.docker.io/v1/", "desktop ghcr.io", "desktop inline.example.com",
		"ecr-login 123.dkr.ecr.us-east-1.amazonaws.com"}, asked)
	assert.Empty(t, out.CredsStore)
	assert.Empty(t, out.CredHelpers)
	require.Len(t, out.Auths, 4)
	assert.Equal(t, "me@example.com", out.Lookup("ghcr.io").Email, "the file's email is kept")
	u, p, err := out.Lookup("inline.example.com").Credentials()
	require.NoError(t, err)
	assert.Equal(t, []string{"ci", "inline-pass"}, []string{u, p}, "inline credentials the helper lacks are kept")

	data, err := out.Marshal(FormatConfigJSON)
	require.NoError(t, err)
	_, r := Validate("out.json", data, Options{})
	assert.True(t, r.Valid(), "%v", r.Diagnostics)

	// --registry: any spelling, and registries only a helper knows.
	asked = nil
	out, _, err = cfg.Inline([]string{"docker.io", "https://123.dkr.ecr.us-east-1.amazonaws.com/v2/"}, helper)
	require.NoError(t, err)
	require.Len(t, out.Auths, 2)
	assert.Equal(t, DockerHubKey, out.Auths[0].Registry)
	assert.Equal(t, "123.dkr.ecr.us-east-1.amazonaws.com", out.Auths[1].Registry)

	// Nothing anywhere: a MissingError naming the registry and helper.
	_, _, err = cfg.Inline([]string{"quay.io"}, helper)
	var missing *MissingError
	require.True(t, errors.As(err, &missing))
	assert.Equal(t, map[string]string{"quay.io": "desktop"}, missing.Registries)

	// A helper that fails (not "not found") stops everything.
	_, _, err = cfg.Inline(nil, func(string, string) (AuthConfig, error) { return AuthConfig{}, errors.New("keychain locked") })
	assert.ErrorContains(t, err, "keychain locked")
}
