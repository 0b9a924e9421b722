package dockercfg

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docker/cli/cli/config/configfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/shipseal/shipseal/diag"
)

// stricterThanDocker are the errors that docker's own parser does not
// make: files with only these errors are read by docker, but refused by
// shipseal. docs/dockercfg.md lists them with the reasons.
var stricterThanDocker = map[string]string{
	CodeTrailingData:     "docker decodes the first JSON value and ignores what follows",
	CodeNotText:          "encoding/json accepts invalid UTF-8 inside strings",
	CodeEmpty:            "docker reads an empty file as an empty config",
	CodeEntryNotObject:   "docker reads a null entry as an empty one",
	CodeUnknownFormat:    "docker ignores unknown fields, so any object is a config",
	CodeEmptyCredential:  "docker accepts an empty password, and a user name without one",
	CodeNoCredential:     "docker accepts an entry without credentials",
	CodeHelperHeld:       "docker asks the credential helper, which CI does not have",
	CodeDuplicateReg:     "docker keeps the last (or a random) one",
	CodeDuplicateKey:     "encoding/json keeps the last one",
	CodeBadRegistryKey:   "docker accepts any string as a key; it never matches",
	CodeRegistryUserinfo: "docker accepts any string as a key; with a user name before the host it never matches",
	CodeNoCredentials:    "docker reads a config without credentials",
}

// TestDockerOracle checks shipseal against docker's own config parser on
// every config.json in the corpus: whatever docker rejects, shipseal
// rejects; what shipseal accepts, docker accepts with the same user names
// and passwords; and where only shipseal rejects, it is for a documented
// reason. Legacy files are left out: docker v23 dropped their reader.
func TestDockerOracle(t *testing.T) {
	for _, file := range corpus(t) {
		if strings.Contains(filepath.Base(file), "legacy") {
			continue
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			cfg, r := Validate(file, data, corpusOptions(file))
			docker := configfile.New("config.json")
			dockerErr := docker.LoadFromReader(bytes.NewReader(data))

			if dockerErr != nil {
				assert.False(t, r.Valid(), "docker rejects the file (%v), shipseal accepts it", dockerErr)
				return
			}
			if !r.Valid() {
				for _, d := range r.Diagnostics {
					if d.Severity == diag.Error {
						_, ok := stricterThanDocker[d.Code]
						assert.True(t, ok, "only shipseal rejects the file, with %s, which is not a documented difference", d.Code)
					}
				}
				return
			}
			require.NotNil(t, cfg)
			assert.Len(t, docker.AuthConfigs, len(cfg.Auths))
			for _, e := range cfg.Auths {
				want, ok := docker.AuthConfigs[e.Registry]
				require.True(t, ok, "docker has no entry %q", e.Registry)
				user, pass, err := e.Credentials()
				require.NoError(t, err)
				assert.Equal(t, want.Username, user, e.Registry)
				assert.Equal(t, want.Password, pass, e.Registry)
				assert.Equal(t, want.IdentityToken, e.IdentityToken, e.Registry)
				assert.Equal(t, want.RegistryToken, e.RegistryToken, e.Registry)
			}
			assert.Equal(t, docker.CredentialsStore, cfg.CredsStore)
		})
	}
}

// TestDockerOracleDifferencesDocumented keeps docs/dockercfg.md in step
// with stricterThanDocker.
func TestDockerOracleDifferencesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/dockercfg.md")
	if os.IsNotExist(err) {
		t.Skip("docs/dockercfg.md not written yet")
	}
	require.NoError(t, err)
	section := string(doc)
	if i := strings.Index(section, "## Differences from docker"); i >= 0 {
		section = section[i:]
	}
	for code := range stricterThanDocker {
		assert.Contains(t, section, code, "docs/dockercfg.md does not list %s among the differences from docker", code)
	}
	for _, c := range Codes {
		assert.Contains(t, string(doc), "### "+c.Code, "docs/dockercfg.md does not explain %s", c.Code)
	}
}

// TestHelperForMatchesDocker asks docker's configfile which store it uses
// for each registry of a config with credsStore and credHelpers, one of
// them "": docker then reads the file's own credentials, not credsStore.
func TestHelperForMatchesDocker(t *testing.T) {
	data := []byte(`{"auths": {"own.example.com": {"auth": "` + EncodeAuth("ci", "pw") + `"}},
		"credsStore": "desktop",
		"credHelpers": {"gcr.io": "gcloud", "own.example.com": "", "null.example.com": null}}`)
	cfg, _ := Validate("config.json", data, Options{}) // DC016 for gcr.io: its helper holds it
	require.NotNil(t, cfg)
	docker := configfile.New("config.json")
	require.NoError(t, docker.LoadFromReader(bytes.NewReader(data)))
	for _, registry := range []string{"gcr.io", "own.example.com", "null.example.com", "other.example.com"} {
		helper := cfg.HelperFor(registry)
		store := fmt.Sprintf("%T", docker.GetCredentialsStore(registry))
		// docker's file store is *credentials.fileStore, a helper's
		// *credentials.nativeStore.
		assert.Equal(t, helper == "", strings.HasSuffix(store, "fileStore"),
			"%s: shipseal says helper %q, docker uses %s", registry, helper, store)
	}
	assert.Equal(t, "", cfg.HelperFor("own.example.com"))
	assert.Equal(t, "", cfg.HelperFor("null.example.com"))
	assert.Equal(t, "gcloud", cfg.HelperFor("gcr.io"))
	assert.Equal(t, "desktop", cfg.HelperFor("other.example.com"))
	// Spelled another way, the entry still counts; of two that normalise
	// alike, the one spelled as asked wins, else the first in byte order.
	assert.Equal(t, "", cfg.HelperFor("https://OWN.example.com/v2/"))
	two := &Config{CredsStore: "desktop", CredHelpers: map[string]string{"https://r.io": "b", "r.io": "", "HTTPS://r.io": "a"}}
	assert.Equal(t, "", two.HelperFor("r.io"))
	assert.Equal(t, "b", two.HelperFor("https://r.io"))
	assert.Equal(t, "a", two.HelperFor("http://r.io"))
	assert.Equal(t, "desktop", (&Config{CredsStore: "desktop"}).HelperFor("r.io"))

	// So an empty entry whose credHelpers entry is "" holds no
	// credential (DC015): docker does not ask credsStore for it.
	_, r := Validate("config.json", []byte(`{"auths": {"r.io": {}}, "credsStore": "desktop", "credHelpers": {"r.io": ""}}`), Options{})
	var codes []string
	for _, d := range r.Diagnostics {
		codes = append(codes, d.Code)
	}
	assert.Equal(t, []string{CodeNoCredential}, codes)
}
