package main

import (
	"archive/tar"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docker/docker-credential-helpers/client"
	"github.com/docker/docker-credential-helpers/credentials"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/internal/e2etest"
	"github.com/shipseal/shipseal/internal/registrytest"
)

// dockerEnv runs the real docker CLI with its own config directory, whose
// config.json sends every registry to docker-credential-shipseal, found on
// PATH as docker finds helpers.
type dockerEnv struct {
	*setup
	configDir string
}

func newDockerEnv(t *testing.T) *dockerEnv {
	t.Helper()
	e2etest.Docker(t)
	d := &dockerEnv{setup: newSetup(t)}
	d.configDir = filepath.Join(d.dir, "docker")
	if err := os.MkdirAll(d.configDir, 0o700); err != nil {
		t.Fatal(err)
	}
	d.writeConfig(t, `{"credsStore": "shipseal"}`)
	return d
}

func (d *dockerEnv) writeConfig(t *testing.T, config string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(d.configDir, "config.json"), []byte(config+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// docker runs docker --config DIR args with stdin, returning its combined
// output.
func (d *dockerEnv) docker(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("docker", append([]string{"--config", d.configDir}, args...)...)
	cmd.Env = append(os.Environ(),
		"PATH="+filepath.Dir(helperBin)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"SHIPSEAL_DOCKERCFG="+d.store, "SHIPSEAL_KEY_PATH="+d.keyPath, "SHIPSEAL_KEY=", "DOCKER_CONFIG=")
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// seal writes plain as the store.
func (d *dockerEnv) seal(t *testing.T, plain string) {
	t.Helper()
	var b bytes.Buffer
	if err := crypto.Encrypt(&b, strings.NewReader(plain), d.key, crypto.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(d.store), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(d.store, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// importImage makes a one-file image named ref in the engine (which
// cannot pull one) and removes it when the test ends.
func importImage(t *testing.T, d *dockerEnv, ref string) {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	body := []byte("shipseal credential helper test " + ref + "\n")
	tw.WriteHeader(&tar.Header{Name: "hello.txt", Mode: 0o644, Size: int64(len(body))})
	tw.Write(body)
	tw.Close()
	if out, err := d.docker(t, b.String(), "import", "-", ref); err != nil {
		t.Fatalf("docker import: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("docker", "rmi", "-f", ref).Run() })
}

// The whole round, with the helper as docker's store for every registry
// (credsStore) and for this registry only (credHelpers).
func TestDockerLoginPushPullLogout(t *testing.T) {
	for _, c := range []struct{ name, config string }{
		{"credsStore", `{"credsStore": "shipseal"}`},
		// A helper that does not exist would fail every step it took.
		{"credHelpers", `{"credsStore": "no-such-helper", "credHelpers": {"%HOST%": "shipseal"}}`},
	} {
		config := c.config
		t.Run(c.name, func(t *testing.T) {
			d := newDockerEnv(t)
			password := "pw-" + randomHex(t)
			reg := registrytest.Start(t, "robot", password)
			d.writeConfig(t, strings.ReplaceAll(config, "%HOST%", reg.Host))
			loginPushPullLogout(t, d, reg, password)
		})
	}
}

func loginPushPullLogout(t *testing.T, d *dockerEnv, reg *registrytest.Registry, password string) {

	// The team's store already holds another registry, laid out by hand;
	// docker login must leave it exactly as it is.
	const other = `"other.example.com": { "auth": "b3RoZXI6b3RoZXItcHc=", "email": "ci@example.com" }`
	d.seal(t, "{\n  \"auths\": {\n    "+other+"\n  }\n}\n")
	sealed, _ := os.ReadFile(d.store)

	// A wrong password is refused by the registry and stores nothing.
	if out, err := d.docker(t, "wrong-"+password, "login", "-u", "robot", "--password-stdin", reg.Host); err == nil {
		t.Fatalf("docker login with a wrong password succeeded:\n%s", out)
	}
	if now, _ := os.ReadFile(d.store); !bytes.Equal(now, sealed) {
		t.Error("a failed login changed the store")
	}

	out, err := d.docker(t, password, "login", "-u", "robot", "--password-stdin", reg.Host)
	if err != nil || !strings.Contains(out, "Login Succeeded") {
		t.Fatalf("docker login: %v\n%s", err, out)
	}
	if now, _ := os.ReadFile(d.store); bytes.Equal(now, sealed) {
		t.Fatal("docker login did not change the encrypted store")
	}
	plain := d.decrypt(t)
	if !strings.Contains(plain, other) {
		t.Errorf("login changed the other registry's entry:\n%s", plain)
	}
	creds, err := client.Get(d.program(), reg.Host)
	if err != nil || creds.Username != "robot" || creds.Secret != password {
		t.Fatalf("the store does not hold the login: %+v, %v", creds, err)
	}
	noPlaintextIn(t, d.configDir, password)
	noPlaintextIn(t, filepath.Dir(d.store), password)

	ref := reg.Host + "/shipseal-test/credhelper:" + randomHex(t)
	importImage(t, d, ref)
	if out, err := d.docker(t, "", "push", ref); err != nil {
		t.Fatalf("docker push with credentials from the helper: %v\n%s", err, out)
	}
	if out, err := d.docker(t, "", "rmi", ref); err != nil {
		t.Fatalf("docker rmi: %v\n%s", err, out)
	}
	if out, err := d.docker(t, "", "pull", ref); err != nil {
		t.Fatalf("docker pull with credentials from the helper: %v\n%s", err, out)
	}

	if out, err := d.docker(t, "", "logout", reg.Host); err != nil || strings.Contains(out, "WARNING") {
		t.Fatalf("docker logout: %v\n%s", err, out)
	}
	if _, err := client.Get(d.program(), reg.Host); !credentials.IsErrCredentialsNotFound(err) {
		t.Errorf("after logout the store still answers for %s: %v", reg.Host, err)
	}
	if plain := d.decrypt(t); !strings.Contains(plain, other) {
		t.Errorf("logout changed the other registry's entry:\n%s", plain)
	}
	// Without the stored credentials the registry refuses the pull: the
	// pull above was authenticated by the helper, not let through.
	d.docker(t, "", "rmi", ref)
	if out, err := d.docker(t, "", "pull", ref); err == nil {
		t.Errorf("docker pull after logout succeeded:\n%s", out)
	} else if !strings.Contains(out, "no basic auth credentials") && !strings.Contains(out, "unauthorized") {
		t.Errorf("docker pull after logout failed for another reason: %s", out)
	}
}

// A broken store reaches the docker user as one line from the helper.
// (docker pull and push ignore a helper's errors and go on without
// credentials; docker login reports them.)
func TestDockerLoginReportsWrongKey(t *testing.T) {
	d := newDockerEnv(t)
	reg := registrytest.Start(t, "robot", "pw-"+randomHex(t))
	d.seal(t, `{"auths": {"other.example.com": {"auth": "b3RoZXI6b3RoZXItcHc="}}}`)
	sealed, _ := os.ReadFile(d.store)
	other, err := crypto.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(d.keyPath, other.Encode(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := d.docker(t, reg.Password(), "login", "-u", "robot", "--password-stdin", reg.Host)
	t.Logf("docker login with the wrong key:\n%s", out)
	if err == nil {
		t.Fatalf("docker login with a wrong key succeeded:\n%s", out)
	}
	if !strings.Contains(out, "cannot decrypt the credential store "+d.store) || !strings.Contains(out, other.Fingerprint()) {
		t.Errorf("docker does not pass the helper's reason on:\n%s", out)
	}
	if strings.Contains(out, reg.Password()) {
		t.Errorf("docker's output shows the password:\n%s", out)
	}
	if now, _ := os.ReadFile(d.store); !bytes.Equal(now, sealed) {
		t.Error("a failed login changed the store")
	}
}

// docker logout hides a helper's error: with the wrong key it says it
// removes the credentials and exits 0, while the helper failed and the
// credentials stay (observed with docker 28.2.2). docs/credential-helper.md
// says so and how to see the helper's error; this test tells when docker
// changes.
func TestDockerLogoutHidesWrongKey(t *testing.T) {
	d := newDockerEnv(t)
	const registry = "127.0.0.1:5999"
	if err := client.Store(d.program(), &credentials.Credentials{ServerURL: registry, Username: "robot", Secret: "pw-" + randomHex(t)}); err != nil {
		t.Fatal(err)
	}
	d.writeConfig(t, `{"credsStore": "shipseal", "auths": {"`+registry+`": {}}}`)
	sealed, _ := os.ReadFile(d.store)
	right, _ := os.ReadFile(d.keyPath)
	other, err := crypto.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(d.keyPath, other.Encode(), 0o600); err != nil {
		t.Fatal(err)
	}
	version, _ := d.docker(t, "", "version", "--format", "{{.Client.Version}}")
	out, err := d.docker(t, "", "logout", registry)
	t.Logf("docker %s logout with the wrong key: %v\n%s", strings.TrimSpace(version), err, out)
	if err != nil || strings.Contains(out, "cannot decrypt") {
		t.Errorf("docker logout now reports the helper's error (exit %v): update docs/credential-helper.md, which says it hides it", err)
	}
	if now, _ := os.ReadFile(d.store); !bytes.Equal(now, sealed) {
		t.Error("a logout with the wrong key changed the store")
	}

	// What the docs tell the user to run to see the helper's error.
	cmd := exec.Command(helperBin, "erase")
	cmd.Env = append(os.Environ(), "SHIPSEAL_DOCKERCFG="+d.store, "SHIPSEAL_KEY_PATH="+d.keyPath, "SHIPSEAL_KEY=")
	cmd.Stdin = strings.NewReader(registry)
	text, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.HasPrefix(string(text), "cannot decrypt the credential store "+d.store) {
		t.Errorf("docker-credential-shipseal erase with the wrong key: exit %v, %q", err, text)
	}
	if err := os.WriteFile(d.keyPath, right, 0o600); err != nil {
		t.Fatal(err)
	}
	if list, err := client.List(d.program()); err != nil || list[registry] != "robot" {
		t.Errorf("after the failed logout, list = %v, %v; want the credentials still there", list, err)
	}
}

// noPlaintextIn fails if any file under dir holds password, or the
// base64 auth that encodes it.
func noPlaintextIn(t *testing.T, dir, password string) {
	t.Helper()
	auth := base64.StdEncoding.EncodeToString([]byte("robot:" + password))
	filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Error(err)
			return nil
		}
		if bytes.Contains(data, []byte(password)) || bytes.Contains(data, []byte(auth)) {
			t.Errorf("%s holds the password in plain text", path)
		}
		return nil
	})
}

func randomHex(t *testing.T) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
