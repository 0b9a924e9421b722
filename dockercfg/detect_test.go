package dockercfg

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestShaped: a JSON file whose name does not say dockercfg is one only
// by docker's own fields or a legacy file's registries; another program's
// JSON, even with a "password" or docker's display settings in it, is not.
func TestShaped(t *testing.T) {
	for _, file := range corpus(t) {
		if name := filepath.Base(file); strings.HasPrefix(name, "good_") {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			assert.True(t, Shaped(data), name)
		}
	}
	utf16 := []byte{0xff, 0xfe}
	for _, c := range `{"auths": {}}` {
		utf16 = append(utf16, byte(c), 0)
	}
	for data, want := range map[string]bool{
		`{"auths": {}}`:                          true,
		`{"AUTHS": {"r.io": {"auth": "dTpw"}}}`:  true, // docker reads field names in any case
		`{"credsStore": "desktop"}`:              true,
		`{"credHelpers": {"gcr.io": "gcloud"}}`:  true,
		"\xef\xbb\xbf {\"auths\": {}}":           true,
		string(utf16):                            true,
		`{"auths": {"r.io": {"auth": "dTpw",}}}`: true, // broken, but docker's: Validate says why
		`{"https://index.docker.io/v1/": {"auth": "dTpw", "email": "a@b.c"}}`: true,
		`{"localhost:5000": {"email": "a@b.c"}, "quay.io": {"Auth": "dTpw"}}`: true,

		`{"type": "service_account", "project_id": "p", "private_key": "-----BEGIN PRIVATE KEY-----\n", "auth_uri": "https://accounts.google.com/o/oauth2/auth"}`: false,
		`{"name": "app", "version": "1.0.0"}`:                       false,
		`{"production": {"username": "app", "password": "pw"}}`:     false, // not a registry
		`{"db.example.com": {"username": "app", "password": "pw"}}`: false, // no auth, no email
		`{"r.io": {"auth": "dTpw"}, "name": "app"}`:                 false, // not every key a registry
		`{"r.io": "dTpw"}`:                  false,
		`{"features": {"x": true}}`:         false, // docker's settings, but no credentials field
		`{"plugins": ["react"]}`:            false,
		`{}`:                                false,
		`[{"auths": {}}]`:                   false,
		`{"name": "x",`:                     false, // broken, with none of docker's fields
		`// creds` + "\n" + `{"auths": {}}`: false, // not JSON at all
		"":                                  false,
	} {
		assert.Equal(t, want, Shaped([]byte(data)), data)
	}
}
