//go:build unix

package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/internal/e2etest"
	"github.com/shipseal/shipseal/internal/registrytest"
)

// TestExecDockerConfigReachesRegistry runs real clients under
// "shipseal exec --dockercfg" against a password-protected registry: the
// DOCKER_CONFIG that exec prepares (from an encrypted legacy .dockercfg,
// converted) authenticates, and a wrong password does not.
func TestExecDockerConfigReachesRegistry(t *testing.T) {
	reg := registrytest.Start(t, "robot", "s3cret-pw")
	skopeo := e2etest.LookPath(t, "skopeo", "apt-get install skopeo")
	dir := t.TempDir()
	key := writeKey(t, dir)

	seal := func(name, password string) string {
		auth := base64.StdEncoding.EncodeToString([]byte("robot:" + password))
		// The legacy form, as Codeship's encrypted_dockercfg_path often is.
		plain := filepath.Join(dir, name+".json")
		os.WriteFile(plain, fmt.Appendf(nil, `{"%s": {"auth": "%s", "email": "ci@example.com"}}`, reg.Host, auth), 0o600)
		enc := filepath.Join(dir, name+".encrypted")
		if out, err := exec.Command("shipseal", "encrypt", "--key-path", key, plain, enc).CombinedOutput(); err != nil {
			t.Fatalf("encrypt: %v\n%s", err, out)
		}
		return enc
	}
	run := func(enc string, args ...string) string {
		cmd := exec.Command("shipseal", append([]string{"exec", "--key-path", key, "--dockercfg", enc, "--"}, args...)...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		cmd.Run() // the commands fail either way: there is no image
		return out.String()
	}
	good, bad := seal("good", "s3cret-pw"), seal("bad", "wrong-pw")
	image := "docker://" + reg.Host + "/no/such-image:latest"
	inspect := []string{"sh", "-c", `exec "$0" inspect --tls-verify=false --authfile "$DOCKER_CONFIG/config.json" "$1"`, skopeo, image}

	if out := run(good, inspect...); !strings.Contains(out, "manifest unknown") {
		t.Errorf("skopeo with the decrypted credentials: want \"manifest unknown\" (authenticated), got:\n%s", out)
	}
	if out := run(bad, inspect...); !strings.Contains(strings.ToLower(out), "unauthorized") {
		t.Errorf("skopeo with a wrong password: want \"unauthorized\", got:\n%s", out)
	}

	// The docker CLI reads DOCKER_CONFIG and hands the credentials to the
	// engine for a pull.
	e2etest.Docker(t)
	ref := reg.Host + "/no/such-image:latest"
	out := run(good, "docker", "pull", ref)
	if strings.Contains(strings.ToLower(out), "unauthorized") || strings.Contains(out, "no basic auth credentials") ||
		!(strings.Contains(out, "manifest unknown") || strings.Contains(out, "not found")) {
		t.Errorf("docker pull with the decrypted credentials: want an authenticated \"not found\", got:\n%s", out)
	}
	if out := run(bad, "docker", "pull", ref); !strings.Contains(strings.ToLower(out), "unauthorized") &&
		!strings.Contains(out, "no basic auth credentials") {
		t.Errorf("docker pull with a wrong password: want \"unauthorized\", got:\n%s", out)
	}
}
