package dockercfg

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/docker/cli/cli/config/configfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/internal/leaktest"
)

func TestRedactRegistry(t *testing.T) {
	for _, c := range []struct{ in, redacted, bare, problem string }{
		{"https://robot:s3cret@registry.example.com:5000", "https://robot:****@registry.example.com:5000", "https://registry.example.com:5000", "it holds a user name and password"},
		{"http://robot:s3cret@r.io/v2/", "http://robot:****@r.io/v2/", "http://r.io/v2/", "it holds a user name and password"},
		{"robot:s3cret@127.0.0.1:5077", "robot:****@127.0.0.1:5077", "127.0.0.1:5077", "it holds a user name and password"},
		{"https://robot:p@ss@r.io", "https://robot:****@r.io", "https://r.io", "it holds a user name and password"},
		// A / in a password ends net/url's authority early; it is
		// still hidden. So is what follows a port, where a path holds
		// an @: the safe mistake.
		{"https://robot:ab/cd@r.io", "https://robot:****@r.io", "https://r.io", "it holds a user name and password"},
		{"r.io:5000/team@x", "r.io:****@x", "x", "it holds a user name and password"},
		{"https://ci@quay.io", "https://ci@quay.io", "https://quay.io", "it holds a user name"},
		{"https://robot:@r.io", "https://robot:@r.io", "https://r.io", "it holds a user name and password"},
		{"registry.example.com:5000", "registry.example.com:5000", "registry.example.com:5000", ""},
		{"https://r.io/v2/team@sha256", "https://r.io/v2/team@sha256", "https://r.io/v2/team@sha256", ""},
		{"ci@example.com", "ci@example.com", "example.com", "it holds a user name"},
	} {
		assert.Equal(t, c.redacted, RedactRegistry(c.in), c.in)
		assert.Equal(t, c.bare, withoutUserinfo(c.in), c.in)
		assert.Equal(t, c.problem, registryKeyProblem(c.in), c.in)
	}
	err := CheckRegistry("https://robot:s3cret@r.io")
	require.Error(t, err)
	assert.Equal(t, `registry "https://robot:****@r.io" is not a host name or URL: it holds a user name and password`, err.Error())
}

func TestRedactKey(t *testing.T) {
	for _, c := range []struct{ registry, want string }{
		{"https://robot:s3cret@registry.example.com:5000", "registry.example.com:5000"},
		{"https://robot:s3cret@index.docker.io/v1/", DockerHubKey},
		{"robot:s3cret@127.0.0.1:5077", "robot:****@127.0.0.1:5077"},
		{"https://robot:ab/cd@r.io", "robot:****"},
		{"registry.example.com", "registry.example.com"},
	} {
		assert.Equal(t, c.want, RedactKey(c.registry, Normalize(c.registry)), c.registry)
	}
	// docker's ConvertToHostname keeps the letter case.
	assert.Equal(t, "Registry.Example.com", RedactKey("https://robot:s3cret@Registry.Example.com", "Registry.Example.com"))
}

// TestRegistryUserinfoMatchesDocker asks docker's configfile which
// credentials it uses for a registry whose key holds a user name and
// password: DC025 is a warning exactly when docker matches the key (and
// then logs in with the entry's auth, never with what the key holds), an
// error when it never does.
func TestRegistryUserinfoMatchesDocker(t *testing.T) {
	for _, c := range []struct{ key, lookup string }{
		{"https://robot:key-pass@127.0.0.1:5077", "127.0.0.1:5077"},
		{"http://robot:key-pass@registry.example.com/v2/", "registry.example.com"},
		{"https://ci@quay.io", "quay.io"},
		{"robot:key-pass@127.0.0.1:5077", "127.0.0.1:5077"},
		{"https://robot:key-pass@index.docker.io/v1/", DockerHubKey},
		{"https://robot:key/pass@ghcr.io", "ghcr.io"},
		{"https://robot:key%zzpass@ghcr.io", "ghcr.io"},
	} {
		data := fmt.Sprintf(`{"auths": {%q: {"auth": %q}}}`, c.key, EncodeAuth("entry-user", "entry-pass"))
		docker := configfile.New("config.json")
		require.NoError(t, docker.LoadFromReader(strings.NewReader(data)), c.key)
		got, err := docker.GetAuthConfig(c.lookup)
		require.NoError(t, err, c.key)
		matched := got.Username != ""
		if matched {
			assert.Equal(t, "entry-user", got.Username, "%s: docker logs in with the entry's credentials", c.key)
			assert.Equal(t, "entry-pass", got.Password, c.key)
		}

		_, r := Validate("config.json", []byte(data), Options{})
		require.Len(t, r.Diagnostics, 1, "%s: %v", c.key, r.Diagnostics)
		d := r.Diagnostics[0]
		assert.Equal(t, CodeRegistryUserinfo, d.Code, c.key)
		want := diag.Error
		if matched {
			want = diag.Warning
		}
		assert.Equal(t, want, d.Severity, "%s: docker matches it: %v; %s", c.key, matched, r.Message(d))
	}
}

// TestHelperSetMatchesDocker checks DC022 against docker's configfile:
// it names exactly the registries with inline credentials that docker
// sends to a helper, and a credHelpers entry of "" is the file. It also
// pins what the warning says of a helper that is not installed: docker's
// GetAuthConfig returns the file's credentials beside the error, which
// docker 28 uses and docker 29's pull returns.
func TestHelperSetMatchesDocker(t *testing.T) {
	auth := EncodeAuth("ci", "inline-pass")
	data := `{"auths": {"own.example.com": {"auth": "` + auth + `"}, "store.example.com": {"auth": "` + auth + `"},
		"helped.example.com": {"auth": "` + auth + `"}},
		"credsStore": "absent-helper",
		"credHelpers": {"own.example.com": "", "helped.example.com": "other-absent-helper"}}`
	docker := configfile.New("config.json")
	require.NoError(t, docker.LoadFromReader(strings.NewReader(data)))
	_, r := Validate("config.json", []byte(data), Options{})
	var warned []string
	for _, d := range r.Diagnostics {
		require.Equal(t, CodeHelperSet, d.Code, r.Message(d))
		warned = append(warned, r.Message(d))
	}
	require.Len(t, warned, 2)
	for _, registry := range []string{"own.example.com", "store.example.com", "helped.example.com"} {
		store := fmt.Sprintf("%T", docker.GetCredentialsStore(registry))
		helped := !strings.HasSuffix(store, "fileStore")
		named := 0
		for _, w := range warned {
			named += strings.Count(w, `"`+registry+`"`)
		}
		assert.Equal(t, helped, named == 1, "%s: docker uses %s, DC022 names it %d times: %q", registry, store, named, warned)
	}
	all := strings.Join(warned, "\n")
	assert.Contains(t, all, `credHelpers sends "helped.example.com" to docker-credential-other-absent-helper: where it is installed, docker asks it instead of this file`)
	assert.Contains(t, all, `credsStore sends "store.example.com" to docker-credential-absent-helper: where it is installed`)

	t.Setenv("PATH", t.TempDir()) // no docker-credential-absent-helper
	got, err := docker.GetAuthConfig("store.example.com")
	require.Error(t, err, "docker 29's pull fails with this error")
	assert.Contains(t, err.Error(), "error getting credentials")
	assert.Equal(t, "ci", got.Username, "docker 28 ignores the error and uses the file's credentials")
	assert.Equal(t, "inline-pass", got.Password)
}

func TestRegistryList(t *testing.T) {
	for n, want := range []string{
		``, `"a.io"`, `"a.io" and "b.io"`, `"a.io", "b.io" and "c.io"`, `"a.io", "b.io", "c.io" and 1 more`,
		`"a.io", "b.io", "c.io" and 2 more`,
	} {
		names := []string{"a.io", "b.io", "c.io", "d.io", "e.io"}[:n]
		format, args := registryList(names)
		assert.Equal(t, want, fmt.Sprintf(format, args...))
	}
	format, args := registryList([]string{"https://u:pw@r.io"})
	assert.Equal(t, `"https://u:****@r.io"`, fmt.Sprintf(format, args...))
}

// TestHeldHint checks that DC016's hint gives a command that works as it
// is printed: with this file's path, shell-quoted, and an output that is
// not that file; and that for shipseal's own helper it names its
// encrypted store instead.
func TestHeldHint(t *testing.T) {
	data := []byte(`{"auths": {"ghcr.io": {}}, "credsStore": "desktop"}`)
	for path, want := range map[string]string{
		"dk/config.json":     "`shipseal dockercfg inline dk/config.json -o dockercfg.json`",
		"my config.json":     "`shipseal dockercfg inline 'my config.json' -o dockercfg.json`",
		"it's.json":          "`shipseal dockercfg inline 'it'\\''s.json' -o dockercfg.json`",
		"dockercfg.json":     "`shipseal dockercfg inline dockercfg.json -o dockercfg.inline.json`",
		"./dockercfg.json":   "`shipseal dockercfg inline ./dockercfg.json -o dockercfg.inline.json`",
		"ci/dockercfg.json":  "`shipseal dockercfg inline ci/dockercfg.json -o dockercfg.json`",
		"":                   "`shipseal dockercfg inline ~/.docker/config.json -o dockercfg.json`",
		"-rf":                "`shipseal dockercfg inline -rf -o dockercfg.json`",
		"$HOME/config.json":  "`shipseal dockercfg inline '$HOME/config.json' -o dockercfg.json`",
		"~/.docker/cfg.json": "`shipseal dockercfg inline '~/.docker/cfg.json' -o dockercfg.json`",
	} {
		_, r := Validate("x", data, Options{Path: path})
		require.Len(t, r.Diagnostics, 1)
		d := r.Diagnostics[0]
		assert.Equal(t, CodeHelperHeld, d.Code)
		assert.Contains(t, r.Hint(d), want, path)
		assert.NotContains(t, r.Hint(d), "keychain", "the helper need not be a keychain")
	}
	for _, data := range []string{
		`{"auths": {"ghcr.io": {}}, "credsStore": "shipseal"}`,
		`{"auths": {"ghcr.io": {}}, "credsStore": "desktop", "credHelpers": {"ghcr.io": "shipseal"}}`,
		`{"credsStore": "shipseal"}`,
	} {
		_, r := Validate("x", []byte(data), Options{Path: "config.json"})
		require.Len(t, r.Diagnostics, 1, data)
		d := r.Diagnostics[0]
		assert.Equal(t, CodeHelperHeld, d.Code, data)
		assert.Contains(t, r.Hint(d), "$SHIPSEAL_DOCKERCFG", data)
		assert.NotContains(t, r.Hint(d), "dockercfg inline", data)
	}
}

// TestUserinfoNeverShown plants random passwords in registry keys and
// URLs, in every place a dockercfg can hold one (an auths key, a legacy
// key, a credHelpers key, a value, a key written with escapes, broken
// JSON around it), and checks that no report, Parse error or show-like
// use of RedactRegistry shows a piece of one.
func TestUserinfoNeverShown(t *testing.T) {
	shapes := []string{
		`{"auths":{"%K":{"auth":"%A"}}}`,
		`{"auths":{"%K":{}},"credsStore":"desktop"}`,
		`{"auths":{"%K":{"auth":"%A"},"%K":{"auth":"%A"}}}`,
		`{"auths":{"%K":{"username":"ci"}}}`,
		`{"auths":{"%K":"x"}}`,
		`{"auths":{"%K":{"auth":"%A","emial":"x"}}}`,
		`{"%K":{"auth":"%A","email":""}}`,
		`{"auths":{"r.io":{"auth":"%A"}},"credHelpers":{"%K":"desktop"}}`,
		`{"auths":{"r.io":{"auth":"%A","serveraddress":"%K"}}}`,
		`{"auths":{"r.io":{"auth":"%A"}},"proxies":{"default":{"httpProxy":"%K"}}}`,
		`{"auths":{"%E":{"auth":"%A"}}}`,
		`{"auths":{"%K":{"auth":"%A"}}`,
		`{"auths":{"%K":{"auth":"%A",}}}`,
		`{"auths":{"%K":{"auth":"%A"}}} {"x":1}`,
		"{\n  \"auths\": {\n    \"%K\": {\n      \"auth\": \"%A\"\n    }\n  }\n}\n",
	}
	forms := []string{"https://%U:%P@registry.example.com:5000", "http://%U:%P@r.io/v2/", "%U:%P@127.0.0.1:5077",
		"https://%U:%P@index.docker.io/v1/", "https://%U:%P@[::1]:5000", "%U:%P@localhost"}
	r := rand.New(rand.NewPCG(25, 25))
	for range 3000 {
		pass := strings.ReplaceAll(leaktest.Token(r), "@", "")
		user := []string{"robot", "ci", "x", "my+org"}[r.IntN(4)]
		key := strings.NewReplacer("%U", user, "%P", pass).Replace(forms[r.IntN(len(forms))])
		escaped, _ := json.Marshal(key)
		escaped = bytes.ReplaceAll(escaped[1:len(escaped)-1], []byte("@"), []byte(`\u0040`))
		shape := shapes[r.IntN(len(shapes))]
		auth := EncodeAuth("ci", "auth-"+pass[:len(pass)/2])
		data := []byte(strings.NewReplacer("%K", jsonText(key), "%E", string(escaped), "%A", auth).Replace(shape))
		c := leaktest.Case{Data: data, Secrets: []string{pass}}
		cfg, rep := Validate("leak.json", data, Options{})
		leaktest.Check(t, c, "Validate", leaktest.Render(t, rep))
		leaktest.Check(t, c, "Masked", string(rep.Source.Masked()))
		if _, err := Parse(data); err != nil {
			leaktest.Check(t, c, "Parse", err.Error())
		}
		if cfg != nil {
			for _, e := range cfg.Auths {
				leaktest.Check(t, c, "RedactRegistry", RedactRegistry(e.Registry)+" "+RedactKey(e.Registry, e.Key))
			}
		}
		if t.Failed() {
			return
		}
	}
}

// jsonText is s as the inside of a JSON string.
func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
