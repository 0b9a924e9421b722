package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/shipseal/shipseal/internal/e2etest"
	"github.com/shipseal/shipseal/internal/registrytest"
)

var (
	genCLIOnce sync.Once
	genCLIPath string
	genCLIErr  error
	genCLIOut  []byte
)

// genCLI builds the shipseal command once per test binary.
func genCLI(t *testing.T) string {
	t.Helper()
	genCLIOnce.Do(func() {
		dir, err := os.MkdirTemp("", "shipseal-e2e-cli-")
		if err != nil {
			genCLIErr = err
			return
		}
		genCLIPath = filepath.Join(dir, "shipseal")
		cmd := exec.Command("go", "build", "-o", genCLIPath, "./cmd/shipseal")
		cmd.Dir = genRepoRoot(t)
		genCLIOut, genCLIErr = cmd.CombinedOutput()
	})
	if genCLIErr != nil {
		t.Fatalf("go build ./cmd/shipseal: %v\n%s", genCLIErr, genCLIOut)
	}
	return genCLIPath
}

// genPassStore sets up pass over a throw-away gpg key in the test's own
// HOME, for Debian's docker-credential-pass (recipe:
// /work/shared/recipes/credential-helper.md).
func genPassStore(t *testing.T) func(stdin, name string, args ...string) string {
	const hint = "apt-get install golang-docker-credential-helpers pass gnupg"
	for _, p := range []string{"docker-credential-pass", "pass", "gpg", "gpgconf"} {
		e2etest.LookPath(t, p, hint)
	}
	home := t.TempDir()
	gnupg := filepath.Join(home, "g")
	if err := os.Mkdir(gnupg, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	t.Setenv("GNUPGHOME", gnupg)
	t.Setenv("PASSWORD_STORE_DIR", filepath.Join(home, "store"))
	t.Cleanup(func() { exec.Command("gpgconf", "--kill", "gpg-agent").Run() })
	run := func(stdin, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("", "gpg", "--batch", "--passphrase", "", "--quick-gen-key", "shipseal generator test <test@example.com>", "default", "default", "never")
	var fpr string
	for _, line := range strings.Split(run("", "gpg", "--list-keys", "--with-colons"), "\n") {
		if f := strings.Split(line, ":"); len(f) > 9 && f[0] == "fpr" {
			fpr = f[9]
			break
		}
	}
	if fpr == "" {
		t.Fatal("no gpg key fingerprint")
	}
	run("", "pass", "init", fpr)
	return run
}

// --from-helper pass: credentials kept by a real helper become a dockercfg
// that a real registry accepts; a registry the helper does not know is an
// error that writes nothing.
func TestGeneratorFromRealHelper(t *testing.T) {
	const user, password = "robot", "s3cret-in-pass"
	cli := genCLI(t)
	e2etest.Docker(t)
	run := genPassStore(t)
	r := registrytest.Start(t, user, password)
	run(`{"ServerURL":"`+r.Host+`","Username":"`+user+`","Secret":"`+password+`"}`, "docker-credential-pass", "store")

	dir := t.TempDir()
	cmd := exec.Command(cli, "generate", "--from-helper", "pass", "--registry", r.Host, filepath.Join(dir, "config.json"))
	stderr, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("generate --from-helper pass: %v\n%s", err, stderr)
	}
	if strings.Contains(string(stderr), password) {
		t.Errorf("the log holds the password:\n%s", stderr)
	}
	genCheckFile(t, filepath.Join(dir, "config.json"), r.Host, user, password)

	ref := r.Host + "/shipseal-e2e/helper:1"
	genPushable(t, ref)
	out := genMustDocker(t, "--config", dir, "push", ref)
	if !strings.Contains(out, "digest: sha256:") {
		t.Errorf("push printed no digest:\n%s", out)
	}

	// Debian's helper answers an unknown server with empty credentials.
	missing := filepath.Join(t.TempDir(), "config.json")
	cmd = exec.Command(cli, "generate", "--from-helper", "pass", "--registry", "unknown.example.com", missing)
	stderr, err = cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 ||
		!strings.Contains(string(stderr), "docker-credential-pass has no credentials for unknown.example.com") {
		t.Errorf("unknown registry: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("the failed run wrote the file")
	}
}
