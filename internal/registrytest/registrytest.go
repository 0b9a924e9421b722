// Package registrytest runs a real, password-protected Docker registry
// (Debian's docker-registry, distribution v2) on a free loopback port for
// the length of one test.
//
// When docker-registry is not installed, Start skips the test with the
// reason, or fails it when SHIPSEAL_E2E=require (see internal/e2etest).
package registrytest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/shipseal/shipseal/internal/e2etest"
)

// Registry is a running registry that accepts one user.
type Registry struct {
	// Host is "127.0.0.1:PORT", the registry's name in a dockercfg and in
	// image references (Docker allows plain HTTP to loopback registries).
	Host string
	// Addr is the base URL, "http://127.0.0.1:PORT".
	Addr string
	// Dir holds the configuration, the htpasswd file, the storage and the
	// registry's log.
	Dir string

	user, password string
}

// Start runs a registry accepting user with password (stored as a bcrypt
// htpasswd entry, the only kind the registry accepts), waits until it
// answers on /v2/ and stops it when the test ends.
func Start(t testing.TB, user, password string) *Registry {
	t.Helper()
	bin := e2etest.LookPath(t, "docker-registry", "apt-get install docker-registry")
	dir := t.TempDir()
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatalf("registrytest: hashing the password: %v", err)
	}
	htpasswd := filepath.Join(dir, "htpasswd")
	if err := os.WriteFile(htpasswd, []byte(user+":"+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	// A port taken between closing our listener and the registry binding it
	// makes the registry exit; then we try another one.
	for attempt := 0; attempt < 5; attempt++ {
		port, err := freePort()
		if err != nil {
			t.Fatalf("registrytest: finding a free port: %v", err)
		}
		r := &Registry{
			Host:     "127.0.0.1:" + strconv.Itoa(port),
			Addr:     "http://127.0.0.1:" + strconv.Itoa(port),
			Dir:      dir,
			user:     user,
			password: password,
		}
		if r.start(t, bin, htpasswd) {
			return r
		}
	}
	t.Fatalf("registrytest: docker-registry did not start; its log is in %s", filepath.Join(dir, "registry.log"))
	return nil
}

func (r *Registry) start(t testing.TB, bin, htpasswd string) bool {
	t.Helper()
	config := fmt.Sprintf(`version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: %s}, delete: {enabled: true}}
http: {addr: %s}
auth: {htpasswd: {realm: registrytest, path: %s}}
`, filepath.Join(r.Dir, "data"), r.Host, htpasswd)
	configPath := filepath.Join(r.Dir, "config.yml")
	if err := os.WriteFile(configPath, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	logf, err := os.OpenFile(filepath.Join(r.Dir, "registry.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", configPath)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		t.Fatalf("registrytest: starting docker-registry: %v", err)
	}
	var once sync.Once
	exited := make(chan struct{})
	go func() { cmd.Wait(); logf.Close(); close(exited) }()
	stop := func() {
		once.Do(func() {
			cmd.Process.Kill()
			<-exited
		})
	}

	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		code, err := r.Ping("", "")
		if err == nil && code == http.StatusUnauthorized {
			t.Cleanup(stop)
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	log, _ := os.ReadFile(filepath.Join(r.Dir, "registry.log"))
	t.Fatalf("registrytest: docker-registry did not answer on %s/v2/ within 15s:\n%s", r.Addr, bytes.TrimSpace(log))
	return false
}

// User returns the user name the registry accepts.
func (r *Registry) User() string { return r.user }

// Password returns the password the registry accepts.
func (r *Registry) Password() string { return r.password }

// Ping sends GET /v2/ with basic auth (none when user is empty) and returns
// the HTTP status: 200 for good credentials, 401 for missing or wrong ones.
func (r *Registry) Ping(user, password string) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.Addr+"/v2/", nil)
	if err != nil {
		return 0, err
	}
	if user != "" {
		req.SetBasicAuth(user, password)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	addr, ok := l.Addr().(*net.TCPAddr)
	if !ok {
		return 0, errors.New("not a TCP address")
	}
	return addr.Port, nil
}
