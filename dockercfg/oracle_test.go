package dockercfg

import (
	"bytes"
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
	CodeTrailingData:    "docker decodes the first JSON value and ignores what follows",
	CodeNotText:         "encoding/json accepts invalid UTF-8 inside strings",
	CodeEmpty:           "docker reads an empty file as an empty config",
	CodeEntryNotObject:  "docker reads a null entry as an empty one",
	CodeUnknownFormat:   "docker ignores unknown fields, so any object is a config",
	CodeEmptyCredential: "docker accepts an empty password, and a user name without one",
	CodeNoCredential:    "docker accepts an entry without credentials",
	CodeHelperHeld:      "docker asks the credential helper, which CI does not have",
	CodeDuplicateReg:    "docker keeps the last (or a random) one",
	CodeDuplicateKey:    "encoding/json keeps the last one",
	CodeBadRegistryKey:  "docker accepts any string as a key; it never matches",
	CodeNoCredentials:   "docker reads a config without credentials",
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
