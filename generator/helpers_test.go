package generator_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker-credential-helpers/client"
	"github.com/docker/docker-credential-helpers/credentials"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/generator"
)

// env is a fake process environment.
type env map[string]string

func (e env) get(name string) string { return e[name] }

// logs collects what the generator logs.
type logs struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logs) infof(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(&l.b, "info: "+format+"\n", args...)
}

func (l *logs) warnf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(&l.b, "warning: "+format+"\n", args...)
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newGenerator returns a generator reading e, whose default encrypted
// file does not exist unless the test creates it, logging to l.
func newGenerator(t *testing.T, e env, l *logs) *generator.Generator {
	t.Helper()
	return &generator.Generator{
		Getenv:      e.get,
		DefaultFile: filepath.Join(t.TempDir(), "etc", "dockercfg.encrypted"),
		Infof:       l.infof,
		Warnf:       l.warnf,
	}
}

// fakeHelper plays docker-credential-NAME for the client library.
type fakeHelper struct {
	mu    sync.Mutex
	calls int
	creds map[string][2]string // server → user, secret
	delay time.Duration
	// hold, when set, keeps every get waiting until it is closed.
	hold chan struct{}
	fail string // when set, every get fails with this message
	// emptyNotFound answers an unknown server as Debian's old
	// docker-credential-pass does: empty credentials, exit 0.
	emptyNotFound bool
}

func (f *fakeHelper) program(name string) client.ProgramFunc {
	return func(args ...string) client.Program { return &fakeProgram{f: f, args: args} }
}

func (f *fakeHelper) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

type fakeProgram struct {
	f    *fakeHelper
	args []string
	in   []byte
}

func (p *fakeProgram) Input(r io.Reader) { p.in, _ = io.ReadAll(r) }

func (p *fakeProgram) Output() ([]byte, error) {
	if len(p.args) != 1 || p.args[0] != "get" {
		return []byte("unexpected command"), errors.New("exit status 1")
	}
	p.f.mu.Lock()
	p.f.calls++
	c, ok := p.f.creds[strings.TrimSpace(string(p.in))]
	p.f.mu.Unlock()
	time.Sleep(p.f.delay)
	if p.f.hold != nil {
		<-p.f.hold
	}
	if p.f.fail != "" {
		return []byte(p.f.fail), errors.New("exit status 1")
	}
	if !ok && p.f.emptyNotFound {
		return json.Marshal(credentials.Credentials{ServerURL: string(p.in)})
	}
	if !ok {
		return []byte(credentials.NewErrCredentialsNotFound().Error()), errors.New("exit status 1")
	}
	return json.Marshal(credentials.Credentials{ServerURL: string(p.in), Username: c[0], Secret: c[1]})
}

// testKey returns a fresh key and its base64 text.
func testKey(t testing.TB) (*crypto.Key, string) {
	t.Helper()
	k, err := crypto.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k, string(k.Encode())
}

// encryptFile writes plaintext encrypted with key to path.
func encryptFile(t testing.TB, path string, plaintext []byte, key *crypto.Key, v crypto.Version) {
	t.Helper()
	var b bytes.Buffer
	if err := crypto.Encrypt(&b, bytes.NewReader(plaintext), key, crypto.WriteOptions{Version: v}); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// authConfig returns a config.json dockercfg for one registry.
func authConfig(registry, user, password string) string {
	return fmt.Sprintf(`{"auths": {%q: {"auth": %q}}}`, registry, dockercfg.EncodeAuth(user, password))
}

// readCredentials parses the written file and returns user and password for
// registry.
func readCredentials(t testing.TB, path, registry string) (string, string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := dockercfg.Parse(data)
	if err != nil {
		t.Fatalf("the written file does not parse: %v\n%s", err, data)
	}
	e := cfg.Lookup(registry)
	if e == nil {
		t.Fatalf("no entry for %s in\n%s", registry, data)
	}
	u, p, err := e.Credentials()
	if err != nil {
		t.Fatal(err)
	}
	return u, p
}

// dirEntries lists a directory's names.
func dirEntries(t testing.TB, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range des {
		names = append(names, d.Name())
	}
	return names
}
