package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// dockercfg inline against a real credential helper (Debian's
// docker-credential-pass over a throw-away pass store): a credsStore entry
// becomes inline credentials; a registry the helper does not know fails
// the run and writes nothing.
func TestDockercfgInlineFromRealHelper(t *testing.T) {
	const user, secret = "robot", "s3cret-from-pass"
	cli := genCLI(t)
	run := genPassStore(t)
	run(`{"ServerURL":"reg.test:5000","Username":"`+user+`","Secret":"`+secret+`"}`, "docker-credential-pass", "store")

	dir := t.TempDir()
	in := filepath.Join(dir, "config.json")
	if err := os.WriteFile(in, []byte(`{"auths": {"reg.test:5000": {}}, "credsStore": "pass"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "ci.json")
	log, err := exec.Command(cli, "dockercfg", "inline", in, "-o", out).CombinedOutput()
	if err != nil {
		t.Fatalf("dockercfg inline: %v\n%s", err, log)
	}
	if strings.Contains(string(log), secret) {
		t.Errorf("the log holds the secret:\n%s", log)
	}
	genCheckFile(t, out, "reg.test:5000", user, secret)
	if data := mustRead(t, out); strings.Contains(string(data), "credsStore") {
		t.Errorf("the inlined file still names the credential store:\n%s", data)
	}

	// Debian's helper answers an unknown registry with an empty user and
	// secret instead of "not found": still not found.
	if err := os.WriteFile(in, []byte(`{"auths": {"nope.test": {}}, "credsStore": "pass"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	nope := filepath.Join(dir, "nope.json")
	log, err = exec.Command(cli, "dockercfg", "inline", in, "-o", nope).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 ||
		!strings.Contains(string(log), "no credentials for nope.test (docker-credential-pass has none)") {
		t.Errorf("unknown registry: %v\n%s", err, log)
	}
	if _, err := os.Stat(nope); err == nil {
		t.Error("the failed run wrote the file")
	}
}
