package main

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/docker/docker-credential-helpers/client"
	"github.com/docker/docker-credential-helpers/credentials"

	"github.com/shipseal/shipseal/crypto"
)

// helperBin is docker-credential-shipseal, built once by TestMain: the
// protocol is tested through the program docker runs, not through Go
// calls.
var helperBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "docker-credential-shipseal-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	helperBin = filepath.Join(dir, "docker-credential-shipseal")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		gobin = "go"
	}
	build := exec.Command(gobin, "build", "-o", helperBin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building docker-credential-shipseal:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// setup is a store path and a key file in a temporary directory, and the
// environment that points the helper at them.
type setup struct {
	dir, store, keyPath string
	key                 *crypto.Key
	env                 map[string]string
}

func newSetup(t *testing.T) *setup {
	t.Helper()
	dir := t.TempDir()
	key, err := crypto.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s := &setup{dir: dir, store: filepath.Join(dir, "config", "dockercfg.encrypted"), keyPath: filepath.Join(dir, "codeship.aes"), key: key}
	if err := os.WriteFile(s.keyPath, key.Encode(), 0o600); err != nil {
		t.Fatal(err)
	}
	// SHIPSEAL_KEY would beat SHIPSEAL_KEY_PATH: empty is unset.
	s.env = map[string]string{"SHIPSEAL_DOCKERCFG": s.store, "SHIPSEAL_KEY_PATH": s.keyPath, "SHIPSEAL_KEY": ""}
	return s
}

// program runs the built helper the way docker does, through the official
// client package.
func (s *setup) program() client.ProgramFunc {
	return client.NewShellProgramFuncWithEnv(helperBin, &s.env)
}

func (s *setup) decrypt(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(s.store)
	if err != nil {
		t.Fatal(err)
	}
	r, err := crypto.NewReader(bytes.NewReader(data), s.key)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(plain)
}

func TestProtocol(t *testing.T) {
	s := newSetup(t)
	p := s.program()
	for _, c := range []credentials.Credentials{
		{ServerURL: "127.0.0.1:5000", Username: "robot", Secret: "s3cret-one"},
		{ServerURL: "https://index.docker.io/v1/", Username: "hubuser", Secret: "s3cret-two"},
		{ServerURL: "ghcr.io", Username: "<token>", Secret: "s3cret-token"},
	} {
		if err := client.Store(p, &c); err != nil {
			t.Fatalf("store %s: %v", c.ServerURL, err)
		}
	}
	raw, err := os.ReadFile(s.store)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"s3cret", "robot", base64.StdEncoding.EncodeToString([]byte("robot:s3cret-one"))} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the store shows %q", secret)
		}
	}

	for server, want := range map[string][2]string{
		"127.0.0.1:5000":  {"robot", "s3cret-one"},
		"docker.io":       {"hubuser", "s3cret-two"},
		"https://ghcr.io": {"<token>", "s3cret-token"},
	} {
		got, err := client.Get(p, server)
		if err != nil {
			t.Fatalf("get %s: %v", server, err)
		}
		if got.Username != want[0] || got.Secret != want[1] || got.ServerURL != server {
			t.Errorf("get %s = %+v, want %v", server, *got, want)
		}
	}
	list, err := client.List(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := "map[127.0.0.1:5000:robot ghcr.io:<token> https://index.docker.io/v1/:hubuser]"; fmt.Sprint(list) != want {
		t.Errorf("list = %v, want %s", list, want)
	}

	if err := client.Erase(p, "127.0.0.1:5000"); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Get(p, "127.0.0.1:5000"); !credentials.IsErrCredentialsNotFound(err) {
		t.Errorf("get after erase: %v, want credentials not found", err)
	}
	if err := client.Erase(p, "127.0.0.1:5000"); err == nil || !strings.Contains(err.Error(), "credentials not found") {
		t.Errorf("second erase: %v, want credentials not found", err)
	}
	if got, err := client.Get(p, "index.docker.io"); err != nil || got.Secret != "s3cret-two" {
		t.Errorf("erase lost docker hub: %v, %v", got, err)
	}
}

func TestProtocolUnknownAndMissing(t *testing.T) {
	s := newSetup(t)
	os.Remove(s.keyPath) // nothing to decrypt, so no key is needed
	p := s.program()
	if _, err := client.Get(p, "127.0.0.1:5000"); !credentials.IsErrCredentialsNotFound(err) {
		t.Errorf("get from a missing store: %v, want credentials not found", err)
	}
	if list, err := client.List(p); err != nil || len(list) != 0 {
		t.Errorf("list of a missing store = %v, %v", list, err)
	}
	// client.Get wraps this one with %v, so only its text is left.
	if _, err := client.Get(p, ""); err == nil || !strings.Contains(err.Error(), "no credentials server URL") {
		t.Errorf("get without a server: %v", err)
	}
	err := client.Store(p, &credentials.Credentials{ServerURL: "127.0.0.1:5000", Username: "robot", Secret: "s3cret"})
	if err == nil || !strings.Contains(err.Error(), "no key found") {
		t.Errorf("store without a key: %v", err)
	}
	if _, err := os.Stat(s.store); err == nil {
		t.Error("a failed store created the store")
	}
}

// With no key anywhere, the helper lists the places it looked at, which
// are only those it consults (it has no --key-path flag), and says how to
// give it a key: through docker's environment.
func TestProtocolNoKeyAnywhere(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "dockercfg.encrypted")
	cmd := exec.Command(helperBin, "store")
	cmd.Env = append(os.Environ(), "SHIPSEAL_DOCKERCFG="+store, "SHIPSEAL_KEY=", "SHIPSEAL_KEY_PATH=")
	cmd.Dir = dir // not in a git repository: no codeship.aes here or above
	cmd.Stdin = strings.NewReader(`{"ServerURL":"127.0.0.1:5000","Username":"robot","Secret":"s3cret"}`)
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("exit %v, want 1", err)
	}
	text := string(out)
	for _, want := range []string{
		"cannot create the credential store " + store + ": no key found: $SHIPSEAL_KEY and $SHIPSEAL_KEY_PATH are set but empty",
		"; looked for $SHIPSEAL_KEY, $SHIPSEAL_KEY_PATH, ",
		"codeship.aes; set $SHIPSEAL_KEY_PATH (a key file) or $SHIPSEAL_KEY (the base64 key) in the environment docker runs in",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("%q does not say %q", text, want)
		}
	}
	if strings.Contains(text, "--key-path") {
		t.Errorf("%q names a --key-path flag, which the helper does not have", text)
	}
}

// A broken setup reaches docker as one line on standard output (which
// docker quotes in its own error) that says what to do and holds no
// secret; the helper exits 1.
func TestProtocolErrors(t *testing.T) {
	const secret = "s3cret-do-not-show"
	other, err := crypto.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, s *setup)
		want  string
	}{
		{"wrong key", func(t *testing.T, s *setup) {
			if err := os.WriteFile(s.keyPath, other.Encode(), 0o600); err != nil {
				t.Fatal(err)
			}
		}, "cannot decrypt the credential store %STORE%: the key does not decrypt this file (key " + other.Fingerprint() + ")"},
		{"no key", func(t *testing.T, s *setup) {
			os.Remove(s.keyPath)
		}, "no key found"},
		{"damaged store", func(t *testing.T, s *setup) {
			data, _ := os.ReadFile(s.store)
			os.WriteFile(s.store, append(data[:40], "!!"...), 0o600)
		}, "is damaged"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSetup(t)
			if err := client.Store(s.program(), &credentials.Credentials{ServerURL: "127.0.0.1:5000", Username: "robot", Secret: secret}); err != nil {
				t.Fatal(err)
			}
			c.setup(t, s)
			want := strings.ReplaceAll(c.want, "%STORE%", s.store)
			for _, action := range []string{"get", "list", "erase", "store"} {
				input := "127.0.0.1:5000"
				if action == "store" {
					input = `{"ServerURL":"127.0.0.1:5000","Username":"robot","Secret":"` + secret + `"}`
				}
				cmd := exec.Command(helperBin, action)
				cmd.Env = append(os.Environ(), "SHIPSEAL_DOCKERCFG="+s.store, "SHIPSEAL_KEY_PATH="+s.keyPath, "SHIPSEAL_KEY=")
				cmd.Dir = s.dir // no codeship.aes to find here
				cmd.Stdin = strings.NewReader(input)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				out, err := cmd.Output()
				if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
					t.Errorf("%s: exit %v, want 1", action, err)
				}
				text := string(out)
				if strings.Count(text, "\n") != 1 || !strings.HasSuffix(text, "\n") {
					t.Errorf("%s: output is not one line: %q", action, text)
				}
				if !strings.Contains(text, want) {
					t.Errorf("%s: %q does not say %q", action, text, want)
				}
				if strings.Contains(text+stderr.String(), secret) || strings.Contains(text, string(s.key.Encode())) {
					t.Errorf("%s: output shows a secret: %q", action, text)
				}
			}
		})
	}
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"version", "--version"} {
		out, err := exec.Command(helperBin, arg).Output()
		if err != nil {
			t.Fatalf("%s: %v", arg, err)
		}
		if want := "docker-credential-shipseal (github.com/shipseal/shipseal) dev\n"; string(out) != want {
			t.Errorf("%s = %q, want %q", arg, out, want)
		}
	}
}

// TestBothKeyVariables: the helper finds the key as every shipseal command
// does. With $SHIPSEAL_KEY and $SHIPSEAL_KEY_PATH both set, to different
// keys, it uses $SHIPSEAL_KEY and warns on standard error, leaving standard
// output to the protocol.
func TestBothKeyVariables(t *testing.T) {
	s := newSetup(t)
	if err := client.Store(s.program(), &credentials.Credentials{ServerURL: "127.0.0.1:5000", Username: "robot", Secret: "s3cret-one"}); err != nil {
		t.Fatal(err)
	}
	other, err := crypto.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	otherPath := filepath.Join(s.dir, "other.aes")
	if err := os.WriteFile(otherPath, other.Encode(), 0o600); err != nil {
		t.Fatal(err)
	}
	keyText := strings.TrimSpace(string(s.key.Encode()))
	cmd := exec.Command(helperBin, "get")
	cmd.Env = append(os.Environ(), "SHIPSEAL_DOCKERCFG="+s.store, "SHIPSEAL_KEY="+keyText, "SHIPSEAL_KEY_PATH="+otherPath)
	cmd.Dir = s.dir
	cmd.Stdin = strings.NewReader("127.0.0.1:5000")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("get: %v\n%s%s", err, out, stderr.String())
	}
	if !strings.Contains(string(out), `"Secret":"s3cret-one"`) {
		t.Errorf("get answered %q", out)
	}
	want := "docker-credential-shipseal: warning: $SHIPSEAL_KEY and $SHIPSEAL_KEY_PATH are both set, to different keys: using key " +
		s.key.Fingerprint() + " from $SHIPSEAL_KEY, not key " + other.Fingerprint() + " from " + otherPath + "; unset the one you do not mean\n"
	if stderr.String() != want {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
}
