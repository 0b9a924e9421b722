package generator_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/generator"
	"github.com/shipseal/shipseal/projectkey"
)

const (
	reg      = "registry.example.com"
	user     = "ci-robot"
	password = "pw-9f8e7d6c5b4a"
)

func TestSourceFile(t *testing.T) {
	key, keyText := testKey(t)
	plain := []byte(authConfig(reg, user, password))
	for _, v := range []crypto.Version{crypto.V1, crypto.V2} {
		dir := t.TempDir()
		enc := filepath.Join(dir, "dockercfg.encrypted")
		encryptFile(t, enc, plain, key, v)
		keyFile := filepath.Join(dir, "codeship.aes")
		if err := os.WriteFile(keyFile, key.Encode(), 0o600); err != nil {
			t.Fatal(err)
		}
		for name, setup := range map[string]func(g *generator.Generator, e env){
			"SHIPSEAL_DOCKERCFG and SHIPSEAL_KEY": func(g *generator.Generator, e env) {
				e[generator.EnvDockercfg], e[projectkey.EnvKey] = enc, keyText
			},
			"--from-file and SHIPSEAL_KEY_PATH": func(g *generator.Generator, e env) {
				g.File, e[projectkey.EnvKeyPath] = enc, keyFile
			},
			"--from-file and --key-path": func(g *generator.Generator, e env) { g.File, g.KeyPath = enc, keyFile },
			// Both variables: $SHIPSEAL_KEY comes first, as for every
			// command (docs/cli.md), with a warning only if they differ.
			"SHIPSEAL_KEY and SHIPSEAL_KEY_PATH, the same key": func(g *generator.Generator, e env) {
				g.File, e[projectkey.EnvKey], e[projectkey.EnvKeyPath] = enc, keyText, keyFile
			},
			"SHIPSEAL_KEY and SHIPSEAL_KEY_PATH, another key": func(g *generator.Generator, e env) {
				other := filepath.Join(t.TempDir(), "other.aes")
				otherKey, _ := testKey(t)
				if err := os.WriteFile(other, otherKey.Encode(), 0o600); err != nil {
					t.Fatal(err)
				}
				g.File, e[projectkey.EnvKey], e[projectkey.EnvKeyPath] = enc, keyText, other
			},
			"the default file": func(g *generator.Generator, e env) {
				encryptFile(t, g.DefaultFile, plain, key, v)
				e[projectkey.EnvKey] = keyText
			},
		} {
			t.Run(name+" v"+string(rune('0'+v)), func(t *testing.T) {
				e, l := env{}, &logs{}
				g := newGenerator(t, e, l)
				setup(g, e)
				out := filepath.Join(t.TempDir(), "dockercfg")
				res, err := g.Generate(context.Background(), out)
				if err != nil {
					t.Fatalf("%v\n%s", err, l)
				}
				if res.Source != generator.SourceFile {
					t.Errorf("source %s, want file", res.Source)
				}
				if u, p := readCredentials(t, out, reg); u != user || p != password {
					t.Errorf("wrote %s:%s", u, p)
				}
				if !strings.Contains(l.String(), "encrypted dockercfg") || !strings.Contains(l.String(), key.Fingerprint()) {
					t.Errorf("the log does not name the file and the key:\n%s", l)
				}
				differ := strings.HasSuffix(name, "another key")
				if warned := strings.Contains(l.String(), "warning: $SHIPSEAL_KEY and $SHIPSEAL_KEY_PATH are both set, to different keys: using key "+key.Fingerprint()); warned != differ {
					t.Errorf("warned about two keys: %v, want %v:\n%s", warned, differ, l)
				}
			})
		}
	}
}

func TestSourceAuthConfig(t *testing.T) {
	for name, text := range map[string]string{
		"config.json": authConfig(reg, user, password),
		"legacy":      `{"` + reg + `": {"auth": "` + dockercfg.EncodeAuth(user, password) + `", "email": "ci@example.com"}}`,
		"user fields": `{"auths": {"` + reg + `": {"username": "` + user + `", "password": "` + password + `"}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			e, l := env{generator.EnvAuthConfig: text}, &logs{}
			out := filepath.Join(t.TempDir(), "dockercfg")
			res, err := newGenerator(t, e, l).Generate(context.Background(), out)
			if err != nil {
				t.Fatalf("%v\n%s", err, l)
			}
			if res.Source != generator.SourceAuthConfig {
				t.Errorf("source %s", res.Source)
			}
			if u, p := readCredentials(t, out, reg); u != user || p != password {
				t.Errorf("wrote %s:%s", u, p)
			}
		})
	}
}

func TestSourceEnv(t *testing.T) {
	for _, c := range []struct{ registry, key string }{
		{reg, reg},
		{"docker.io", dockercfg.DockerHubKey},
		{"https://index.docker.io/v1/", dockercfg.DockerHubKey},
		{"127.0.0.1:5000", "127.0.0.1:5000"},
		// As docker login stores them: host and port, no scheme or path.
		{"https://registry.example.com/v2/", "registry.example.com"},
		{"http://Registry.Example.com:5000/team", "Registry.Example.com:5000"},
		{"registry.example.com/v2", "registry.example.com"},
		{"https://[::1]:5000/v2/", "[::1]:5000"},
	} {
		e := env{generator.EnvRegistry: c.registry, generator.EnvUsername: user, generator.EnvPassword: password, generator.EnvEmail: "ci@example.com"}
		l := &logs{}
		out := filepath.Join(t.TempDir(), "dockercfg")
		res, err := newGenerator(t, e, l).Generate(context.Background(), out)
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.registry, err, l)
		}
		if len(res.Registries) != 1 || res.Registries[0] != c.key {
			t.Errorf("%s: wrote registries %q, want %q", c.registry, res.Registries, c.key)
		}
		if u, p := readCredentials(t, out, c.key); u != user || p != password {
			t.Errorf("%s: wrote %s:%s", c.registry, u, p)
		}
		data, _ := os.ReadFile(out)
		if !strings.Contains(string(data), `"email": "ci@example.com"`) {
			t.Errorf("%s: no email in\n%s", c.registry, data)
		}
		note := "info: $DOCKER_REGISTRY " + c.registry + " is written as " + c.key + ", the key docker login stores its credentials under\n"
		if got := strings.Contains(l.String(), note); got != (c.key != c.registry) {
			t.Errorf("%s: the log says how the registry was written: %v, want %v\n%s", c.registry, got, c.key != c.registry, l)
		}
	}
}

// A $DOCKER_REGISTRY that docker would turn into no registry at all (a
// password with a '/' leaves "user:part-of-the-password" as the key) is
// refused as invalid content, without showing the password.
func TestSourceEnvBadRegistry(t *testing.T) {
	for _, registry := range []string{"https://robot:ab/s3cr3tpw@registry.example.com", "robot:ab/s3cr3tpw@registry.example.com", "registry example.com"} {
		e := env{generator.EnvRegistry: registry, generator.EnvUsername: user, generator.EnvPassword: password}
		l := &logs{}
		out := filepath.Join(t.TempDir(), "dockercfg")
		_, err := newGenerator(t, e, l).Generate(context.Background(), out)
		if !errors.Is(err, generator.ErrInvalid) {
			t.Fatalf("%s: %v, want ErrInvalid", registry, err)
		}
		all := err.Error() + generator.Hint(err) + l.String()
		if strings.Contains(all, "ab/s3cr3tpw") || strings.Contains(all, "robot:ab") {
			t.Errorf("%s: the password shows in %q", registry, all)
		}
		if !strings.Contains(err.Error(), "$DOCKER_REGISTRY cannot be used") {
			t.Errorf("%s: %v", registry, err)
		}
		if _, serr := os.Stat(out); !os.IsNotExist(serr) {
			t.Errorf("%s: the output was written", registry)
		}
	}
}

// A run whose context ended (shipseal's on Ctrl-C) writes nothing and
// returns the context's cause, whatever the source.
func TestCancelledWritesNothing(t *testing.T) {
	e := env{generator.EnvRegistry: reg, generator.EnvUsername: user, generator.EnvPassword: password}
	dir := t.TempDir()
	out := filepath.Join(dir, "dockercfg")
	os.WriteFile(out, []byte("old"), 0o600)
	stop := errors.New("interrupted by the test")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(stop)
	res, err := newGenerator(t, e, &logs{}).Generate(ctx, out)
	if !errors.Is(err, stop) || res != nil {
		t.Fatalf("Generate after cancel: %v, %v; want the cause", res, err)
	}
	if data, _ := os.ReadFile(out); string(data) != "old" {
		t.Errorf("the output changed to %q", data)
	}
	if names := dirEntries(t, dir); len(names) != 1 {
		t.Errorf("the output directory holds %q", names)
	}
}

func TestSourceHelper(t *testing.T) {
	h := &fakeHelper{creds: map[string][2]string{
		reg:                         {user, password},
		"other.example.com:5000":    {"<token>", "identity-token-123"},
		dockercfg.DockerHubKey:      {"hubuser", "hubpass"},
		"not-asked.example.com":     {"x", "y"},
		"https://other.example.com": {"wrong", "key"},
	}}
	l := &logs{}
	g := newGenerator(t, env{}, l)
	g.Helper, g.HelperProgram = "fake", h.program
	g.Registries = []string{reg, "https://other.example.com:5000/v2/", "docker.io"}
	out := filepath.Join(t.TempDir(), "dockercfg")
	res, err := g.Generate(context.Background(), out)
	if err != nil {
		t.Fatalf("%v\n%s", err, l)
	}
	if want := []string{reg, "other.example.com:5000", dockercfg.DockerHubKey}; strings.Join(res.Registries, " ") != strings.Join(want, " ") {
		t.Errorf("registries %q, want %q", res.Registries, want)
	}
	if u, p := readCredentials(t, out, reg); u != user || p != password {
		t.Errorf("wrote %s:%s", u, p)
	}
	if u, p := readCredentials(t, out, "docker.io"); u != "hubuser" || p != "hubpass" {
		t.Errorf("docker hub: wrote %s:%s", u, p)
	}
	data, _ := os.ReadFile(out)
	cfg, _ := dockercfg.Parse(data)
	if e := cfg.Lookup("other.example.com:5000"); e == nil || e.IdentityToken != "identity-token-123" || e.Auth != "" {
		t.Errorf("a <token> user must become an identity token:\n%s", data)
	}
	if h.count() != 3 {
		t.Errorf("the helper was asked %d times, want 3", h.count())
	}
}

// Every source, configured at once, and which one wins.
func TestPrecedence(t *testing.T) {
	key, keyText := testKey(t)
	full := func(t *testing.T) (*generator.Generator, env, *logs) {
		e := env{
			projectkey.EnvKey:       keyText,
			generator.EnvAuthConfig: authConfig(reg, "from-auth-config", password),
			generator.EnvRegistry:   reg, generator.EnvUsername: "from-env", generator.EnvPassword: password,
		}
		l := &logs{}
		g := newGenerator(t, e, l)
		encryptFile(t, g.DefaultFile, []byte(authConfig(reg, "from-file", password)), key, crypto.V2)
		return g, e, l
	}
	for _, c := range []struct {
		name    string
		change  func(g *generator.Generator, e env)
		want    string
		ignored []string
	}{
		{"all", func(g *generator.Generator, e env) {}, "from-file", []string{"$DOCKER_AUTH_CONFIG", "$DOCKER_REGISTRY, $DOCKER_USERNAME and $DOCKER_PASSWORD"}},
		{"no file", func(g *generator.Generator, e env) { os.Remove(g.DefaultFile) }, "from-auth-config", []string{"$DOCKER_REGISTRY"}},
		{"env only", func(g *generator.Generator, e env) { os.Remove(g.DefaultFile); delete(e, generator.EnvAuthConfig) }, "from-env", nil},
		{"--source env", func(g *generator.Generator, e env) { g.Source = generator.SourceEnv }, "from-env", []string{"--source env selects"}},
		{"--source auth-config", func(g *generator.Generator, e env) { g.Source = generator.SourceAuthConfig }, "from-auth-config", []string{"--source auth-config selects $DOCKER_AUTH_CONFIG"}},
		{"--from-helper beats all", func(g *generator.Generator, e env) {
			g.Helper = "fake"
			g.Registries = []string{reg}
			g.HelperProgram = (&fakeHelper{creds: map[string][2]string{reg: {"from-helper", password}}}).program
		}, "from-helper", []string{"--from-helper selects the credential helper"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, e, l := full(t)
			c.change(g, e)
			out := filepath.Join(t.TempDir(), "dockercfg")
			if _, err := g.Generate(context.Background(), out); err != nil {
				t.Fatalf("%v\n%s", err, l)
			}
			if u, _ := readCredentials(t, out, reg); u != c.want {
				t.Errorf("used %s, want %s", u, c.want)
			}
			for _, s := range c.ignored {
				if !strings.Contains(l.String(), s) {
					t.Errorf("the log does not say %q is ignored:\n%s", s, l)
				}
			}
			if c.ignored == nil && strings.Contains(l.String(), "ignoring") {
				t.Errorf("nothing should be ignored:\n%s", l)
			}
		})
	}
}

func TestConflictsAndIncompleteConfiguration(t *testing.T) {
	enc := filepath.Join(t.TempDir(), "x.encrypted")
	key, _ := testKey(t)
	encryptFile(t, enc, []byte(authConfig(reg, user, password)), key, crypto.V2)
	for _, c := range []struct {
		name   string
		setup  func(g *generator.Generator, e env)
		naming []string
	}{
		{"nothing configured", func(g *generator.Generator, e env) {},
			[]string{"no credentials configured"}},
		{"user without password and registry", func(g *generator.Generator, e env) { e[generator.EnvUsername] = user },
			[]string{"$DOCKER_USERNAME is set but $DOCKER_REGISTRY and $DOCKER_PASSWORD are not"}},
		{"password without user", func(g *generator.Generator, e env) {
			e[generator.EnvRegistry], e[generator.EnvPassword] = reg, password
		}, []string{"$DOCKER_REGISTRY and $DOCKER_PASSWORD are set but $DOCKER_USERNAME is not"}},
		{"email alone", func(g *generator.Generator, e env) { e[generator.EnvEmail] = "a@b.c" },
			[]string{"$DOCKER_EMAIL is set", "$DOCKER_REGISTRY, $DOCKER_USERNAME and $DOCKER_PASSWORD are not"}},
		{"--from-file and --from-helper", func(g *generator.Generator, e env) { g.File, g.Helper = enc, "pass" },
			[]string{"--from-file and --from-helper"}},
		{"--source against --from-file", func(g *generator.Generator, e env) { g.File, g.Source = enc, generator.SourceEnv },
			[]string{"--source env conflicts with --from-file"}},
		{"--registry without helper", func(g *generator.Generator, e env) {
			g.Registries = []string{reg}
			e[generator.EnvAuthConfig] = authConfig(reg, user, password)
		}, []string{"--registry is only used with --from-helper"}},
		{"helper without registry", func(g *generator.Generator, e env) { g.Helper = "pass" },
			[]string{"--from-helper pass needs at least one --registry"}},
		{"--source helper without name", func(g *generator.Generator, e env) { g.Source = generator.SourceHelper },
			[]string{"--source helper needs --from-helper"}},
		{"helper name with a path", func(g *generator.Generator, e env) { g.Helper, g.Registries = "../../bin/sh", []string{reg} },
			[]string{`"../../bin/sh" is not a helper name`}},
		{"registry twice", func(g *generator.Generator, e env) {
			g.Helper, g.Registries = "pass", []string{"docker.io", "index.docker.io"}
		}, []string{"--registry docker.io and --registry index.docker.io name the same registry"}},
		{"--source auth-config, variable unset", func(g *generator.Generator, e env) { g.Source = generator.SourceAuthConfig },
			[]string{"$DOCKER_AUTH_CONFIG is empty"}},
		{"--source env, variables unset", func(g *generator.Generator, e env) {
			g.Source = generator.SourceEnv
			e[generator.EnvAuthConfig] = authConfig(reg, user, password)
		}, []string{"$DOCKER_REGISTRY, $DOCKER_USERNAME and $DOCKER_PASSWORD are not set"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, l := env{}, &logs{}
			g := newGenerator(t, e, l)
			c.setup(g, e)
			dir := t.TempDir()
			out := filepath.Join(dir, "dockercfg")
			_, err := g.Generate(context.Background(), out)
			if !errors.Is(err, generator.ErrConfig) {
				t.Fatalf("got %v, want a configuration error", err)
			}
			for _, s := range c.naming {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
			if generator.Hint(err) == "" {
				t.Errorf("error %q has no hint", err)
			}
			if names := dirEntries(t, dir); len(names) != 0 {
				t.Errorf("a configuration error wrote %q", names)
			}
		})
	}
}

// Every failure leaves an existing file as it was, creates nothing when
// there was none, and leaves no temporary file behind.
func TestFailuresWriteNothing(t *testing.T) {
	key, keyText := testKey(t)
	_, otherKeyText := testKey(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.encrypted")
	encryptFile(t, good, []byte(authConfig(reg, user, password)), key, crypto.V2)
	goodV1 := filepath.Join(dir, "good-v1.encrypted")
	encryptFile(t, goodV1, []byte(authConfig(reg, user, password)), key, crypto.V1)
	invalid := filepath.Join(dir, "invalid.encrypted")
	encryptFile(t, invalid, []byte(`{"auths": {"`+reg+`": {"auth": "bm9jb2xvbg=="}}}`), key, crypto.V2)
	corrupt := filepath.Join(dir, "corrupt.encrypted")
	data, _ := os.ReadFile(good)
	data[len(data)-5] ^= 1
	os.WriteFile(corrupt, data, 0o644)

	for _, c := range []struct {
		name  string
		setup func(g *generator.Generator, e env)
		is    error
	}{
		{"wrong key v2", func(g *generator.Generator, e env) { g.File, e[projectkey.EnvKey] = good, otherKeyText }, crypto.ErrWrongKey},
		{"wrong key v1", func(g *generator.Generator, e env) { g.File, e[projectkey.EnvKey] = goodV1, otherKeyText }, crypto.ErrNotText},
		{"no key", func(g *generator.Generator, e env) { g.File = good }, projectkey.ErrNoKey},
		{"malformed key", func(g *generator.Generator, e env) { g.File, e[projectkey.EnvKey] = good, "c2hvcnQ=" }, crypto.ErrInvalidKey},
		{"corrupt file", func(g *generator.Generator, e env) { g.File, e[projectkey.EnvKey] = corrupt, keyText }, nil},
		{"missing file", func(g *generator.Generator, e env) {
			e[generator.EnvDockercfg], e[projectkey.EnvKey] = dir+"/nope", keyText
		}, nil},
		{"invalid content", func(g *generator.Generator, e env) { g.File, e[projectkey.EnvKey] = invalid, keyText }, generator.ErrInvalid},
		{"invalid DOCKER_AUTH_CONFIG", func(g *generator.Generator, e env) { e[generator.EnvAuthConfig] = `{"auths": ` }, generator.ErrInvalid},
		{"DOCKER_AUTH_CONFIG without credentials", func(g *generator.Generator, e env) { e[generator.EnvAuthConfig] = `{"auths": {}}` }, generator.ErrInvalid},
		{"bad registry name", func(g *generator.Generator, e env) {
			e[generator.EnvRegistry], e[generator.EnvUsername], e[generator.EnvPassword] = "not a host", user, password
		}, generator.ErrInvalid},
		{"colon in user name", func(g *generator.Generator, e env) {
			e[generator.EnvRegistry], e[generator.EnvUsername], e[generator.EnvPassword] = reg, "a:b", password
		}, generator.ErrInvalid},
		{"legacy cannot hold credsStore", func(g *generator.Generator, e env) {
			e[generator.EnvAuthConfig] = `{"auths": {"` + reg + `": {"auth": "` + dockercfg.EncodeAuth(user, password) + `"}}, "psFormat": "x"}`
			g.Format = dockercfg.FormatLegacy
		}, nil},
		{"helper has no credentials", func(g *generator.Generator, e env) {
			g.Helper, g.Registries, g.HelperProgram = "fake", []string{reg, "other.example.com"}, (&fakeHelper{creds: map[string][2]string{reg: {user, password}}}).program
		}, nil},
		{"old helper answers unknown servers with empty credentials", func(g *generator.Generator, e env) {
			g.Helper, g.Registries = "fake", []string{"other.example.com"}
			g.HelperProgram = (&fakeHelper{emptyNotFound: true, creds: map[string][2]string{reg: {user, password}}}).program
		}, nil},
		{"helper fails", func(g *generator.Generator, e env) {
			g.Helper, g.Registries, g.HelperProgram = "fake", []string{reg}, (&fakeHelper{fail: "the keychain is locked"}).program
		}, nil},
		{"helper not installed", func(g *generator.Generator, e env) {
			g.Helper, g.Registries = "shipseal-test-no-such-helper", []string{reg}
		}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, existing := range []bool{false, true} {
				e, l := env{}, &logs{}
				g := newGenerator(t, e, l)
				c.setup(g, e)
				outDir := t.TempDir()
				out := filepath.Join(outDir, "dockercfg")
				const before = "the previous dockercfg\n"
				if existing {
					os.WriteFile(out, []byte(before), 0o600)
				}
				_, err := g.Generate(context.Background(), out)
				if err == nil {
					t.Fatal("Generate succeeded")
				}
				if c.is != nil && !errors.Is(err, c.is) {
					t.Errorf("error %q does not wrap %q", err, c.is)
				}
				names := dirEntries(t, outDir)
				if existing {
					got, _ := os.ReadFile(out)
					if string(got) != before || len(names) != 1 {
						t.Errorf("the failure changed the directory: %q, content %q", names, got)
					}
				} else if len(names) != 0 {
					t.Errorf("the failure wrote %q", names)
				}
				for _, s := range []string{password, dockercfg.EncodeAuth(user, password)} {
					if strings.Contains(err.Error(), s) || strings.Contains(l.String(), s) {
						t.Errorf("a secret appears in the error or the log: %v\n%s", err, l)
					}
				}
			}
		})
	}
}

func TestOutputPathProblems(t *testing.T) {
	e := env{generator.EnvAuthConfig: authConfig(reg, user, password)}
	dir := t.TempDir()
	g := newGenerator(t, e, &logs{})
	if _, err := g.Generate(context.Background(), dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("writing to a directory: %v", err)
	}
	if _, err := g.Generate(context.Background(), filepath.Join(dir, "no", "such", "dockercfg")); err == nil ||
		!strings.Contains(err.Error(), "does not exist") {
		t.Errorf("writing into a missing directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "no")); err == nil {
		t.Error("the generator created the missing directory")
	}
}

func TestModeAndFormat(t *testing.T) {
	e := env{generator.EnvAuthConfig: authConfig(reg, user, password)}
	for _, c := range []struct {
		mode   os.FileMode
		format dockercfg.Format
		want   os.FileMode
	}{
		{0, 0, 0o600},
		{0o640, dockercfg.FormatLegacy, 0o640},
		{0o400, dockercfg.FormatConfigJSON, 0o400},
	} {
		g := newGenerator(t, e, &logs{})
		g.Mode, g.Format = c.mode, c.format
		out := filepath.Join(t.TempDir(), "dockercfg")
		// An existing file with wider permissions gets the new mode too.
		os.WriteFile(out, []byte("old"), 0o666)
		if _, err := g.Generate(context.Background(), out); err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(out)
		if st.Mode().Perm() != c.want {
			t.Errorf("mode %#o, want %#o", st.Mode().Perm(), c.want)
		}
		data, _ := os.ReadFile(out)
		cfg, err := dockercfg.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		wantFormat := c.format
		if wantFormat == 0 {
			wantFormat = dockercfg.FormatConfigJSON
		}
		if cfg.Format != wantFormat {
			t.Errorf("wrote %s, want %s", cfg.Format, wantFormat)
		}
	}
}

// A credsStore copied from a workstation would send docker on CI to a
// helper it does not have; the generator drops it.
func TestCredsStoreIsDropped(t *testing.T) {
	e := env{generator.EnvAuthConfig: `{"auths": {"` + reg + `": {"auth": "` + dockercfg.EncodeAuth(user, password) + `"}},
		"credsStore": "desktop", "psFormat": "table"}`}
	l := &logs{}
	out := filepath.Join(t.TempDir(), "dockercfg")
	if _, err := newGenerator(t, e, l).Generate(context.Background(), out); err != nil {
		t.Fatalf("%v\n%s", err, l)
	}
	data, _ := os.ReadFile(out)
	cfg, err := dockercfg.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.CredsStore != "" {
		t.Errorf("credsStore kept:\n%s", data)
	}
	if len(cfg.Extra) != 1 || cfg.Extra[0].Name != "psFormat" {
		t.Errorf("other fields not kept:\n%s", data)
	}
	if !strings.Contains(l.String(), `dropping "credsStore": "desktop"`) {
		t.Errorf("the log does not say what was dropped:\n%s", l)
	}
	if u, p := readCredentials(t, out, reg); u != user || p != password {
		t.Errorf("wrote %s:%s", u, p)
	}
}

// The log says which source and never holds a secret.
func TestLogsHoldNoSecrets(t *testing.T) {
	key, keyText := testKey(t)
	enc := filepath.Join(t.TempDir(), "d.encrypted")
	encryptFile(t, enc, []byte(authConfig(reg, user, password)), key, crypto.V2)
	e := env{
		generator.EnvDockercfg: enc, projectkey.EnvKey: keyText,
		generator.EnvAuthConfig: authConfig(reg, user, password),
		generator.EnvRegistry:   reg, generator.EnvUsername: user, generator.EnvPassword: password,
	}
	l := &logs{}
	if _, err := newGenerator(t, e, l).Generate(context.Background(), filepath.Join(t.TempDir(), "x")); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{password, keyText, dockercfg.EncodeAuth(user, password)} {
		if strings.Contains(l.String(), s) {
			t.Errorf("the log holds a secret:\n%s", l)
		}
	}
	if !strings.Contains(l.String(), "using encrypted dockercfg "+enc) {
		t.Errorf("the log does not name the source:\n%s", l)
	}
}
