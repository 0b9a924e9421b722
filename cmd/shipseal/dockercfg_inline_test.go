package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/internal/e2etest"
)

// TestDockercfgInlineWithPass runs inline against a real credential helper:
// Debian's docker-credential-pass, over pass and a throw-away gpg key made
// in batch mode in the test's own HOME. CI installs the Debian packages
// golang-docker-credential-helpers, pass and gnupg.
func TestDockercfgInlineWithPass(t *testing.T) {
	const hint = "apt-get install golang-docker-credential-helpers pass gnupg"
	for _, p := range []string{"docker-credential-pass", "pass", "gpg", "gpgconf"} {
		e2etest.LookPath(t, p, hint)
	}
	home := t.TempDir()
	gnupg := filepath.Join(home, "g")
	require.NoError(t, os.Mkdir(gnupg, 0o700))
	t.Setenv("HOME", home)
	t.Setenv("GNUPGHOME", gnupg)
	t.Setenv("PASSWORD_STORE_DIR", filepath.Join(home, "store"))
	t.Cleanup(func() { exec.Command("gpgconf", "--kill", "gpg-agent").Run() })

	run := func(stdin, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s %s: %s", name, strings.Join(args, " "), out)
		return string(out)
	}
	run("", "gpg", "--batch", "--passphrase", "", "--quick-gen-key", "shipseal test <test@example.com>", "default", "default", "never")
	var fpr string
	for _, line := range strings.Split(run("", "gpg", "--list-keys", "--with-colons"), "\n") {
		if f := strings.Split(line, ":"); len(f) > 9 && f[0] == "fpr" {
			fpr = f[9]
			break
		}
	}
	require.NotEmpty(t, fpr, "no gpg key fingerprint")
	run("", "pass", "init", fpr)
	const secret = "s3cret-from-pass"
	run(`{"ServerURL":"reg.test:5000","Username":"robot","Secret":"`+secret+`"}`, "docker-credential-pass", "store")

	dir := t.TempDir()
	in := filepath.Join(dir, "config.json")
	require.NoError(t, os.WriteFile(in, []byte(`{"auths": {"reg.test:5000": {}}, "credsStore": "pass"}`), 0o600))

	out := filepath.Join(dir, "ci.json")
	var stdout, stderr bytes.Buffer
	code := execute([]string{"dockercfg", "inline", in, "-o", out}, strings.NewReader(""), &stdout, &stderr)
	require.Equal(t, exitOK, code, "stderr: %s", stderr.String())
	assert.NotContains(t, stderr.String(), secret)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	cfg, err := dockercfg.Parse(data)
	require.NoError(t, err)
	e := cfg.Lookup("reg.test:5000")
	require.NotNil(t, e)
	user, pass, err := e.Credentials()
	require.NoError(t, err)
	assert.Equal(t, "robot", user)
	assert.Equal(t, secret, pass)
	assert.Empty(t, cfg.CredsStore)

	// This docker-credential-pass answers an unknown registry with an
	// empty user and secret instead of "not found": still not found.
	require.NoError(t, os.WriteFile(in, []byte(`{"auths": {"nope.test": {}}, "credsStore": "pass"}`), 0o600))
	stderr.Reset()
	code = execute([]string{"dockercfg", "inline", in, "-o", filepath.Join(dir, "nope.json")}, strings.NewReader(""), &stdout, &stderr)
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stderr.String(), "no credentials for nope.test (docker-credential-pass has none)")
	assert.NoFileExists(t, filepath.Join(dir, "nope.json"))
}
