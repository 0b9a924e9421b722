package e2e

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/internal/e2etest"
	"github.com/shipseal/shipseal/internal/registrytest"
)

// genConfigFor runs the image to write DIR/config.json for a registry and
// returns DIR, ready for docker --config and skopeo --authfile.
func genConfigFor(t *testing.T, image, registry, user, password string) string {
	t.Helper()
	dir := t.TempDir()
	_, stderr, code := genDocker(t, "run", "--rm", "-v", dir+":/opt/data",
		"-e", "DOCKER_REGISTRY="+registry, "-e", "DOCKER_USERNAME="+user, "-e", "DOCKER_PASSWORD="+password,
		image, "/opt/data/config.json")
	if code != 0 {
		t.Fatalf("the generator failed: exit %d\n%s", code, stderr)
	}
	return dir
}

// genPushable builds a tiny FROM-scratch image tagged for the registry:
// the engine cannot pull one.
func genPushable(t *testing.T, ref string) {
	t.Helper()
	ctxDir := t.TempDir()
	os.WriteFile(filepath.Join(ctxDir, "hello.txt"), []byte("shipseal e2e\n"), 0o644)
	os.WriteFile(filepath.Join(ctxDir, "Dockerfile"), []byte("FROM scratch\nCOPY hello.txt /\n"), 0o644)
	genMustDocker(t, "build", "-q", "-t", ref, ctxDir)
	t.Cleanup(func() { exec.Command("docker", "rmi", "-f", ref).Run() })
}

// The dockercfg the image writes authenticates with a real registry and a
// real client; the same file with a wrong password is refused.
func TestGeneratedConfigAuthenticatesWithRegistry(t *testing.T) {
	const user, password = "robot", "s3cret-registry-pass"
	image := genImage(t)
	r := registrytest.Start(t, user, password)

	good := genConfigFor(t, image, r.Host, user, password)
	bad := genConfigFor(t, image, r.Host, user, "not-the-password")

	// The file's own credentials, straight to the registry's API.
	for _, c := range []struct {
		dir  string
		want int
	}{{good, http.StatusOK}, {bad, http.StatusUnauthorized}} {
		cfg, err := dockercfg.Parse(mustRead(t, filepath.Join(c.dir, "config.json")))
		if err != nil {
			t.Fatal(err)
		}
		e := cfg.Lookup(r.Host)
		if e == nil {
			t.Fatalf("no entry for %s", r.Host)
		}
		u, p, _ := e.Credentials()
		if code, err := r.Ping(u, p); err != nil || code != c.want {
			t.Errorf("GET /v2/ with the generated credentials: %d (%v), want %d", code, err, c.want)
		}
	}

	ref := r.Host + "/shipseal-e2e/hello:1"
	genPushable(t, ref)

	t.Run("docker push and pull", func(t *testing.T) {
		// The registry answers 401 to the wrong password; docker says so.
		_, stderr, code := genDocker(t, "--config", bad, "push", ref)
		if code == 0 || !strings.Contains(strings.ToLower(stderr), "unauthorized") {
			t.Errorf("push with the wrong password: exit %d\n%s", code, stderr)
		}
		t.Logf("push with the wrong password: exit %d: %s", code, strings.TrimSpace(stderr))
		out := genMustDocker(t, "--config", good, "push", ref)
		if !strings.Contains(out, "digest: sha256:") {
			t.Errorf("push printed no digest:\n%s", out)
		}
		genMustDocker(t, "rmi", ref)
		if _, stderr, code := genDocker(t, "--config", bad, "pull", ref); code == 0 || !strings.Contains(strings.ToLower(stderr), "unauthorized") {
			t.Errorf("pull with the wrong password: exit %d\n%s", code, stderr)
		}
		genMustDocker(t, "--config", good, "pull", ref)
		genMustDocker(t, "image", "inspect", ref)
	})

	t.Run("skopeo", func(t *testing.T) {
		skopeo := e2etest.LookPath(t, "skopeo", "apt-get install skopeo")
		inspect := func(dir string) (string, error) {
			out, err := exec.Command(skopeo, "inspect", "--tls-verify=false", "--authfile", filepath.Join(dir, "config.json"),
				"docker://"+ref).CombinedOutput()
			return string(out), err
		}
		if out, err := inspect(good); err != nil || !strings.Contains(out, `"Digest"`) {
			t.Errorf("skopeo inspect with the generated file: %v\n%s", err, out)
		}
		out, err := inspect(bad)
		t.Logf("skopeo with the wrong password: %s", strings.TrimSpace(out))
		if err == nil || !strings.Contains(strings.ToLower(out), "unauthorized") {
			t.Errorf("skopeo inspect with the wrong password: %v\n%s", err, out)
		}
	})
}
