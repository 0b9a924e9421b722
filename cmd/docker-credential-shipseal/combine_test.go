package main

import (
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/docker/docker-credential-helpers/client"
	"github.com/docker/docker-credential-helpers/credentials"

	"github.com/shipseal/shipseal/dockercfg"
)

// What the helper stores, shipseal's own commands give back: dockercfg
// inline asks it as docker would, generate --from-helper too, and generate
// reads its store directly through $SHIPSEAL_DOCKERCFG.

var (
	shipsealOnce sync.Once
	shipsealBin  string
	shipsealErr  error
)

// shipseal builds cmd/shipseal beside the helper, once.
func shipseal(t *testing.T) string {
	t.Helper()
	shipsealOnce.Do(func() {
		shipsealBin = filepath.Join(filepath.Dir(helperBin), "shipseal")
		gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(gobin); err != nil {
			gobin = "go"
		}
		out, err := exec.Command(gobin, "build", "-o", shipsealBin, "../shipseal").CombinedOutput()
		if err != nil {
			shipsealErr = err
			t.Logf("%s", out)
		}
	})
	if shipsealErr != nil {
		t.Fatalf("building shipseal: %v", shipsealErr)
	}
	return shipsealBin
}

// run runs shipseal with the helper on PATH and the store's environment.
func (s *setup) run(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(shipseal(t), args...)
	cmd.Dir = s.dir
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(helperBin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	for k, v := range s.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("shipseal %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	if strings.Contains(string(out), "s3cret") {
		t.Errorf("shipseal %s shows the password:\n%s", strings.Join(args, " "), out)
	}
	return string(out)
}

// storeLogins stores what docker login would, and writes the config.json
// docker leaves beside it.
func storeLogins(t *testing.T, s *setup) (configPath string) {
	t.Helper()
	for _, c := range []credentials.Credentials{
		{ServerURL: "127.0.0.1:5000", Username: "robot", Secret: "s3cret-one"},
		{ServerURL: "https://index.docker.io/v1/", Username: "hubuser", Secret: "s3cret-two"},
	} {
		if err := client.Store(s.program(), &c); err != nil {
			t.Fatal(err)
		}
	}
	configPath = filepath.Join(s.dir, "config.json")
	config := `{"auths": {"127.0.0.1:5000": {}, "https://index.docker.io/v1/": {}}, "credsStore": "shipseal"}`
	if err := os.WriteFile(configPath, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return configPath
}

func readDockercfg(t *testing.T, path string) *dockercfg.Config {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := dockercfg.Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return cfg
}

func wantCredentials(t *testing.T, cfg *dockercfg.Config, registry, user, password string) {
	t.Helper()
	e := cfg.Lookup(registry)
	if e == nil {
		t.Errorf("%s is missing", registry)
		return
	}
	u, p, err := e.Credentials()
	if err != nil || u != user || p != password {
		t.Errorf("%s = %q, %q, %v; want %q, %q", registry, u, p, err, user, password)
	}
	if want := base64.StdEncoding.EncodeToString([]byte(user + ":" + password)); e.Auth != want {
		t.Errorf("%s: auth %q, want %q", registry, e.Auth, want)
	}
}

func TestDockercfgInlineOverTheHelper(t *testing.T) {
	s := newSetup(t)
	config := storeLogins(t, s)
	out := filepath.Join(s.dir, "inline.json")
	s.run(t, "dockercfg", "inline", config, "-o", out)
	cfg := readDockercfg(t, out)
	if cfg.CredsStore != "" || len(cfg.Auths) != 2 {
		t.Errorf("inline wrote credsStore %q and %d registries", cfg.CredsStore, len(cfg.Auths))
	}
	wantCredentials(t, cfg, "127.0.0.1:5000", "robot", "s3cret-one")
	wantCredentials(t, cfg, "docker.io", "hubuser", "s3cret-two")
}

func TestGenerateFromTheHelper(t *testing.T) {
	s := newSetup(t)
	storeLogins(t, s)
	out := filepath.Join(s.dir, "generated.json")
	s.run(t, "generate", "--source", "helper", "--from-helper", "shipseal", "--registry", "127.0.0.1:5000", out)
	cfg := readDockercfg(t, out)
	wantCredentials(t, cfg, "127.0.0.1:5000", "robot", "s3cret-one")
	if len(cfg.Auths) != 1 {
		t.Errorf("generate --registry 127.0.0.1:5000 wrote %d registries", len(cfg.Auths))
	}
}

// The helper's store is an encrypted dockercfg like any other: generate
// reads it from the same $SHIPSEAL_DOCKERCFG, with no helper involved.
func TestGenerateFromTheStore(t *testing.T) {
	s := newSetup(t)
	storeLogins(t, s)
	out := filepath.Join(s.dir, "generated.json")
	s.run(t, "generate", "--source", "file", out)
	cfg := readDockercfg(t, out)
	wantCredentials(t, cfg, "127.0.0.1:5000", "robot", "s3cret-one")
	wantCredentials(t, cfg, "https://index.docker.io/v1/", "hubuser", "s3cret-two")
}
