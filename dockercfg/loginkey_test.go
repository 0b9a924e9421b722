package dockercfg

import (
	"bytes"
	"testing"

	"github.com/docker/cli/cli/config/configfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dockerFinds says whether docker's own lookup (configfile.GetAuthConfig,
// as docker pull calls it with the image's host as written) finds user's
// credentials in the config.json data for host.
func dockerFinds(t *testing.T, data []byte, host, user string) bool {
	t.Helper()
	docker := configfile.New("config.json")
	require.NoError(t, docker.LoadFromReader(bytes.NewReader(data)))
	got, err := docker.GetAuthConfig(host)
	require.NoError(t, err)
	return got.Username == user
}

// The keys that shipseal writes for a registry typed by a user are those
// docker login stores: host and port as typed, letter case kept (Docker
// Hub's under DockerHubKey), because docker pull looks a key up exactly as
// the image names the host. A lower-cased key is not found for an image
// named with capitals.
func TestLoginKeyIsDockers(t *testing.T) {
	t.Setenv("DOCKER_AUTH_CONFIG", "") // docker's lookup would read it
	for _, c := range []struct {
		typed, key string
		host       string // reference.Domain of an image of that registry
	}{
		{"registry.example.com", "registry.example.com", "registry.example.com"},
		{"Registry.Example.com", "Registry.Example.com", "Registry.Example.com"},
		{" https://Registry.Example.com:5000/v2/ ", "Registry.Example.com:5000", "Registry.Example.com:5000"},
		{"http://[::1]:5000", "[::1]:5000", "[::1]:5000"},
		{"docker.io", DockerHubKey, "docker.io"},
		{"Docker.IO", DockerHubKey, "docker.io"},
		{"https://index.docker.io/v1/", DockerHubKey, "docker.io"},
	} {
		key := LoginKey(c.typed)
		assert.Equal(t, c.key, key, "LoginKey(%q)", c.typed)
		cfg := &Config{Format: FormatConfigJSON}
		cfg.Set(key, AuthConfig{Username: "ci", Password: "pw"})
		data, err := cfg.Marshal(FormatConfigJSON)
		require.NoError(t, err)
		assert.True(t, dockerFinds(t, data, c.host, "ci"), "docker pull of %s/app does not find the key %q written for %q", c.host, key, c.typed)
	}
	// Normalize still takes both spellings for the same registry.
	assert.Equal(t, Normalize("Registry.Example.com"), Normalize(LoginKey("registry.example.com")))
}

// Inline asks a credsStore, and writes, the key docker login stored for a
// registry that the config does not spell (--registry as typed), not its
// lower-cased Normalize.
func TestInlineAsksTheLoginKey(t *testing.T) {
	t.Setenv("DOCKER_AUTH_CONFIG", "")
	cfg, _ := Validate("laptop.json", []byte(`{"credsStore": "desktop"}`), Options{})
	require.NotNil(t, cfg)
	var asked []string
	helper := func(name, server string) (AuthConfig, error) {
		asked = append(asked, name+" "+server)
		if server == "Registry.Example.com:5000" { // as docker login stored it
			return AuthConfig{Username: "ci", Password: "pw"}, nil
		}
		return AuthConfig{}, ErrNotFound
	}
	out, n, err := cfg.Inline([]string{"https://Registry.Example.com:5000/v2/"}, helper)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, []string{"desktop Registry.Example.com:5000"}, asked)
	require.Len(t, out.Auths, 1)
	assert.Equal(t, "Registry.Example.com:5000", out.Auths[0].Registry)
	data, err := out.Marshal(FormatConfigJSON)
	require.NoError(t, err)
	assert.True(t, dockerFinds(t, data, "Registry.Example.com:5000", "ci"))
}
