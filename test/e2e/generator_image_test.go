// Package e2e holds end-to-end tests against real components: the Docker
// engine, a registry, credential helpers. They skip with a reason when a
// component is missing, and fail instead when SHIPSEAL_E2E=require.
package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/internal/e2etest"
)

// genImageTag is the generator image the tests build with `make image`.
const genImageTag = "shipseal-e2e-generator:test"

// genMaxImageSize is the limit for the image.
const genMaxImageSize = 10_000_000

var (
	genImageOnce sync.Once
	genImageErr  error
	genImageLog  []byte
)

// genRepoRoot is the module's root, two levels up.
func genRepoRoot(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// genImage builds the image once per test binary with the Makefile's image
// target, the way users and CI build it.
func genImage(t *testing.T) string {
	t.Helper()
	e2etest.Docker(t)
	e2etest.LookPath(t, "make", "apt-get install make")
	genImageOnce.Do(func() {
		exec.Command("docker", "rmi", "-f", genImageTag).Run()
		cmd := exec.Command("make", "image", "IMAGE="+genImageTag)
		cmd.Dir = genRepoRoot(t)
		genImageLog, genImageErr = cmd.CombinedOutput()
	})
	if genImageErr != nil {
		t.Fatalf("make image: %v\n%s", genImageErr, genImageLog)
	}
	return genImageTag
}

// genDocker runs docker and returns its output and exit code.
func genDocker(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "docker", args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return o.String(), e.String(), ee.ExitCode()
		}
		t.Fatalf("docker %s: %v", strings.Join(args, " "), err)
	}
	return o.String(), e.String(), 0
}

// genMustDocker runs docker and fails the test if it fails.
func genMustDocker(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := genDocker(t, args...)
	if code != 0 {
		t.Fatalf("docker %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// genEnvArgs turns variables into docker run -e flags.
func genEnvArgs(vars map[string]string) []string {
	var names []string
	for k := range vars {
		names = append(names, k)
	}
	sort.Strings(names)
	var args []string
	for _, k := range names {
		args = append(args, "-e", k+"="+vars[k])
	}
	return args
}

// genCheckFile checks a generated dockercfg's mode and credentials.
func genCheckFile(t *testing.T, path, registry, user, password string) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no file written: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %#o, want 0600", path, st.Mode().Perm())
	}
	genCheckContent(t, path, mustRead(t, path), registry, user, password)
}

func genCheckContent(t *testing.T, name string, data []byte, registry, user, password string) {
	t.Helper()
	cfg, err := dockercfg.Parse(data)
	if err != nil {
		t.Fatalf("%s does not parse: %v", name, err)
	}
	e := cfg.Lookup(registry)
	if e == nil {
		t.Fatalf("%s has no entry for %s", name, registry)
	}
	if u, p, err := e.Credentials(); err != nil || u != user || p != password {
		t.Errorf("%s holds user %q, password right: %v (%v); want user %q", name, u, p == password, err, user)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// genEncrypt encrypts plaintext to dir/name with a new key; it returns the
// file's path and the key's base64 text.
func genEncrypt(t *testing.T, dir, name string, plaintext []byte) (string, string) {
	t.Helper()
	key, err := crypto.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := crypto.Encrypt(&b, bytes.NewReader(plaintext), key, crypto.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, string(key.Encode())
}

func genAuthConfig(registry, user, password string) string {
	return fmt.Sprintf(`{"auths": {%q: {"auth": %q}}}`, registry, dockercfg.EncodeAuth(user, password))
}

// genVolume creates a fresh named volume, removed at the end of the test.
func genVolume(t *testing.T) string {
	t.Helper()
	name := fmt.Sprintf("shipseal-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())
	genMustDocker(t, "volume", "create", name)
	t.Cleanup(func() { exec.Command("docker", "volume", "rm", "-f", name).Run() })
	return name
}

// genReadVolume copies a file out of a volume with docker cp: the image has
// no shell to cat it with.
func genReadVolume(t *testing.T, image, volume, path string) ([]byte, os.FileMode, bool) {
	t.Helper()
	cid := strings.TrimSpace(genMustDocker(t, "create", "-v", volume+":/data", image, "/data/unused"))
	defer exec.Command("docker", "rm", "-f", cid).Run()
	dst := filepath.Join(t.TempDir(), "copy")
	if _, _, code := genDocker(t, "cp", cid+":"+path, dst); code != 0 {
		return nil, 0, false
	}
	st, err := os.Stat(dst)
	if err != nil {
		t.Fatal(err)
	}
	return mustRead(t, dst), st.Mode().Perm(), true
}

func TestImageSizeAndMetadata(t *testing.T) {
	image := genImage(t)
	var info []struct {
		Size   int64
		Config struct {
			User       string
			Entrypoint []string
			Cmd        []string
			Labels     map[string]string
		}
		RootFS struct{ Layers []string }
	}
	if err := json.Unmarshal([]byte(genMustDocker(t, "image", "inspect", image)), &info); err != nil || len(info) != 1 {
		t.Fatalf("docker image inspect: %v", err)
	}
	img := info[0]
	t.Logf("image size: %d bytes (%.2f MB)", img.Size, float64(img.Size)/1e6)
	if img.Size > genMaxImageSize {
		t.Errorf("the image is %d bytes, over %d", img.Size, genMaxImageSize)
	}
	if len(img.RootFS.Layers) != 1 {
		t.Errorf("the image has %d layers, want 1 (the binary on scratch)", len(img.RootFS.Layers))
	}
	if strings.Join(img.Config.Entrypoint, " ") != "/shipseal generate" {
		t.Errorf("entrypoint %q", img.Config.Entrypoint)
	}
	if img.Config.User != "0:0" {
		t.Errorf("user %q, want 0:0 (documented)", img.Config.User)
	}
	for _, l := range []string{"title", "description", "source", "version", "revision"} {
		if img.Config.Labels["org.opencontainers.image."+l] == "" {
			t.Errorf("no org.opencontainers.image.%s label", l)
		}
	}
}

func TestImageWithoutArgumentPrintsUsage(t *testing.T) {
	image := genImage(t)
	_, stderr, code := genDocker(t, "run", "--rm", image)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(stderr, "Usage:") || !strings.Contains(stderr, "generate PATH") ||
		!strings.Contains(stderr, "missing the output PATH") {
		t.Errorf("no usage on stderr:\n%s", stderr)
	}
}

// The three kinds of target Codeship may mount.
func TestImageWritesToEveryKindOfMount(t *testing.T) {
	image := genImage(t)
	vars := map[string]string{"DOCKER_REGISTRY": "registry.example.com", "DOCKER_USERNAME": "ci", "DOCKER_PASSWORD": "pw-mount-test"}

	t.Run("root-owned bind mount", func(t *testing.T) {
		dir := t.TempDir()
		os.Chmod(dir, 0o755)
		args := append([]string{"run", "--rm", "-v", dir + ":/opt/data"}, genEnvArgs(vars)...)
		genMustDocker(t, append(args, image, "/opt/data/dockercfg")...)
		genCheckFile(t, filepath.Join(dir, "dockercfg"), "registry.example.com", "ci", "pw-mount-test")
		if names := genDirNames(t, dir); len(names) != 1 {
			t.Errorf("the mount holds %q", names)
		}
	})
	t.Run("world-writable like /tmp", func(t *testing.T) {
		dir := t.TempDir()
		os.Chmod(dir, 0o777|os.ModeSticky) // os.Chmod ignores a numeric 0o1000
		args := append([]string{"run", "--rm", "-v", dir + ":/opt/data"}, genEnvArgs(vars)...)
		genMustDocker(t, append(args, image, "/opt/data/dockercfg")...)
		genCheckFile(t, filepath.Join(dir, "dockercfg"), "registry.example.com", "ci", "pw-mount-test")
	})
	t.Run("world-writable, as nobody", func(t *testing.T) {
		dir := t.TempDir()
		os.Chmod(dir, 0o777|os.ModeSticky) // os.Chmod ignores a numeric 0o1000
		args := append([]string{"run", "--rm", "--user", "65534:65534", "-v", dir + ":/opt/data"}, genEnvArgs(vars)...)
		genMustDocker(t, append(args, image, "/opt/data/dockercfg")...)
		genCheckFile(t, filepath.Join(dir, "dockercfg"), "registry.example.com", "ci", "pw-mount-test")
	})
	t.Run("root-owned, as nobody, fails and writes nothing", func(t *testing.T) {
		// Why the image runs as root: other users cannot write there.
		if os.Geteuid() != 0 {
			t.Skip("skipping: needs the test to own the directory as root")
		}
		dir := t.TempDir()
		os.Chmod(dir, 0o755)
		args := append([]string{"run", "--rm", "--user", "65534:65534", "-v", dir + ":/opt/data"}, genEnvArgs(vars)...)
		_, stderr, code := genDocker(t, append(args, image, "/opt/data/dockercfg")...)
		if code == 0 || !strings.Contains(stderr, "permission denied") {
			t.Errorf("exit %d, stderr:\n%s", code, stderr)
		}
		if names := genDirNames(t, dir); len(names) != 0 {
			t.Errorf("the failed run wrote %q", names)
		}
	})
	t.Run("fresh named volume", func(t *testing.T) {
		vol := genVolume(t)
		args := append([]string{"run", "--rm", "-v", vol + ":/opt/data"}, genEnvArgs(vars)...)
		genMustDocker(t, append(args, image, "/opt/data/dockercfg")...)
		data, mode, ok := genReadVolume(t, image, vol, "/data/dockercfg")
		if !ok {
			t.Fatal("no file in the volume")
		}
		if mode != 0o600 {
			t.Errorf("mode %#o in the volume", mode)
		}
		genCheckContent(t, "the volume's dockercfg", data, "registry.example.com", "ci", "pw-mount-test")
	})
}

func genDirNames(t *testing.T, dir string) []string {
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

// Each source, in the container, as codeship-services.yml would pass it.
func TestImageSources(t *testing.T) {
	image := genImage(t)
	const reg, user, pw = "registry.example.com", "ci", "pw-source-test"
	secrets := t.TempDir()
	enc, keyText := genEncrypt(t, secrets, "dockercfg.encrypted", []byte(genAuthConfig(reg, user, pw)))
	keyFile := filepath.Join(secrets, "codeship.aes")
	os.WriteFile(keyFile, []byte(keyText), 0o600)

	// The custom-image recipe from docs/generator.md.
	custom := "shipseal-e2e-generator-custom:test"
	ctxDir := t.TempDir()
	os.WriteFile(filepath.Join(ctxDir, "Dockerfile"), []byte("FROM "+image+"\nCOPY dockercfg.encrypted /etc/shipseal/\n"), 0o644)
	os.WriteFile(filepath.Join(ctxDir, "dockercfg.encrypted"), mustRead(t, enc), 0o644)
	genMustDocker(t, "build", "-q", "-t", custom, ctxDir)
	t.Cleanup(func() { exec.Command("docker", "rmi", "-f", custom).Run() })

	for _, c := range []struct {
		name   string
		image  string
		args   []string
		vars   map[string]string
		source string
	}{
		{"encrypted file baked in, SHIPSEAL_KEY", custom, nil, map[string]string{"SHIPSEAL_KEY": keyText}, "encrypted dockercfg /etc/shipseal/dockercfg.encrypted"},
		{"encrypted file mounted, SHIPSEAL_KEY_PATH", image, []string{"-v", secrets + ":/secrets:ro"},
			map[string]string{"SHIPSEAL_DOCKERCFG": "/secrets/dockercfg.encrypted", "SHIPSEAL_KEY_PATH": "/secrets/codeship.aes"},
			"encrypted dockercfg /secrets/dockercfg.encrypted ($SHIPSEAL_DOCKERCFG), key"},
		{"DOCKER_AUTH_CONFIG", image, nil, map[string]string{"DOCKER_AUTH_CONFIG": genAuthConfig(reg, user, pw)}, "$DOCKER_AUTH_CONFIG"},
		{"DOCKER_REGISTRY, DOCKER_USERNAME, DOCKER_PASSWORD", image, nil,
			map[string]string{"DOCKER_REGISTRY": reg, "DOCKER_USERNAME": user, "DOCKER_PASSWORD": pw, "DOCKER_EMAIL": "ci@example.com"},
			"$DOCKER_REGISTRY, $DOCKER_USERNAME, $DOCKER_PASSWORD, $DOCKER_EMAIL"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"run", "--rm", "-v", out + ":/opt/data"}, c.args...)
			args = append(args, genEnvArgs(c.vars)...)
			_, stderr, code := genDocker(t, append(args, c.image, "/opt/data/dockercfg")...)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			genCheckFile(t, filepath.Join(out, "dockercfg"), reg, user, pw)
			if !strings.Contains(stderr, "using "+c.source) || !strings.Contains(stderr, "wrote /opt/data/dockercfg") {
				t.Errorf("the log does not name the source and the file:\n%s", stderr)
			}
			for _, s := range []string{pw, keyText, dockercfg.EncodeAuth(user, pw)} {
				if strings.Contains(stderr, s) {
					t.Errorf("the log holds a secret:\n%s", stderr)
				}
			}
		})
	}

	t.Run("wrong key", func(t *testing.T) {
		_, otherKey := genEncrypt(t, t.TempDir(), "x", []byte("x"))
		for _, existing := range []bool{false, true} {
			out := t.TempDir()
			if existing {
				os.WriteFile(filepath.Join(out, "dockercfg"), []byte("previous\n"), 0o600)
			}
			_, stderr, code := genDocker(t, "run", "--rm", "-v", out+":/opt/data", "-e", "SHIPSEAL_KEY="+otherKey, custom, "/opt/data/dockercfg")
			if code != 4 {
				t.Errorf("exit %d, want 4\n%s", code, stderr)
			}
			names := genDirNames(t, out)
			if existing {
				if got := mustRead(t, filepath.Join(out, "dockercfg")); string(got) != "previous\n" || len(names) != 1 {
					t.Errorf("the failure changed the mount: %q %q", names, got)
				}
			} else if len(names) != 0 {
				t.Errorf("the failure wrote %q", names)
			}
			if strings.Contains(stderr, otherKey) {
				t.Error("the log holds the key")
			}
		}
	})
	t.Run("baked-in file without a key", func(t *testing.T) {
		out := t.TempDir()
		_, stderr, code := genDocker(t, "run", "--rm", "-v", out+":/opt/data", custom, "/opt/data/dockercfg")
		if code != 3 || !strings.Contains(stderr, "$SHIPSEAL_KEY") {
			t.Errorf("exit %d, want 3 naming $SHIPSEAL_KEY\n%s", code, stderr)
		}
		if names := genDirNames(t, out); len(names) != 0 {
			t.Errorf("the failure wrote %q", names)
		}
	})
	t.Run("incomplete variables", func(t *testing.T) {
		out := t.TempDir()
		_, stderr, code := genDocker(t, "run", "--rm", "-v", out+":/opt/data", "-e", "DOCKER_USERNAME=ci", image, "/opt/data/dockercfg")
		if code != 2 || !strings.Contains(stderr, "$DOCKER_REGISTRY and $DOCKER_PASSWORD are not") {
			t.Errorf("exit %d\n%s", code, stderr)
		}
		if names := genDirNames(t, out); len(names) != 0 {
			t.Errorf("the failure wrote %q", names)
		}
	})
}

// How long a docker run takes until the file is written: the cost a
// Codeship build pays per dockercfg_service use. The same container
// printing its version is the engine's share.
func TestImageRunTime(t *testing.T) {
	image := genImage(t)
	out := t.TempDir()
	const runs = 5
	measure := func(args ...string) (min, median, max time.Duration) {
		var times []time.Duration
		for i := 0; i < runs; i++ {
			os.Remove(filepath.Join(out, "dockercfg"))
			start := time.Now()
			genMustDocker(t, args...)
			times = append(times, time.Since(start))
		}
		sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
		return times[0].Round(time.Millisecond), times[runs/2].Round(time.Millisecond), times[runs-1].Round(time.Millisecond)
	}
	lo, med, hi := measure("run", "--rm", "-v", out+":/opt/data", "-e", "DOCKER_AUTH_CONFIG="+genAuthConfig("r.example.com", "u", "p"),
		image, "/opt/data/dockercfg")
	if _, err := os.Stat(filepath.Join(out, "dockercfg")); err != nil {
		t.Fatal(err)
	}
	t.Logf("docker run to a written file, %d runs: min %s, median %s, max %s", runs, lo, med, hi)
	lo, med, hi = measure("run", "--rm", "--entrypoint", "/shipseal", image, "version")
	t.Logf("docker run of the same image printing its version (the engine's share): min %s, median %s, max %s", lo, med, hi)
}

// `make image` in a git repository without commits (a fresh `git init` of
// an unpacked release): the revision label says "unknown".
func TestImageBuildsWithoutCommits(t *testing.T) {
	e2etest.Docker(t)
	e2etest.LookPath(t, "make", "apt-get install make")
	e2etest.LookPath(t, "git", "apt-get install git")
	src := t.TempDir()
	// The committed tree, so that other work in the checkout cannot break
	// the build.
	archive := exec.Command("sh", "-c", `git -C "$1" archive HEAD | tar -x -C "$2"`, "sh", genRepoRoot(t), src)
	if out, err := archive.CombinedOutput(); err != nil {
		t.Fatalf("git archive: %v\n%s", err, out)
	}
	if out, err := exec.Command("git", "init", "-q", src).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	const tag = "shipseal-e2e-generator-norev:test"
	t.Cleanup(func() { exec.Command("docker", "rmi", "-f", tag).Run() })
	cmd := exec.Command("make", "image", "IMAGE="+tag)
	cmd.Dir = src
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make image without commits: %v\n%s", err, out)
	}
	labels := genMustDocker(t, "image", "inspect", "-f",
		`{{index .Config.Labels "org.opencontainers.image.revision"}} {{index .Config.Labels "org.opencontainers.image.version"}}`, tag)
	if got := strings.TrimSpace(labels); got != "unknown dev" {
		t.Errorf("revision and version labels %q, want \"unknown dev\"", got)
	}
}

// The volume misconfigurations a dockercfg_service meets end with the fix,
// in the real image: a read-only mount, --user on a root-owned directory,
// a root run's stale file in a sticky directory, and a link another user
// planted there (not followed by the image's root).
func TestImageWriteProblemsSayWhatToDo(t *testing.T) {
	image := genImage(t)
	if os.Geteuid() != 0 {
		t.Skip("skipping: needs the test to own directories and links as root")
	}
	vars := map[string]string{"DOCKER_REGISTRY": "registry.example.com", "DOCKER_USERNAME": "ci", "DOCKER_PASSWORD": "pw-hint-test"}
	run := func(t *testing.T, dir string, extra ...string) string {
		t.Helper()
		args := append([]string{"run", "--rm"}, extra...)
		args = append(append(args, genEnvArgs(vars)...), image, "/opt/data/dockercfg")
		_, stderr, code := genDocker(t, args...)
		if code != 1 {
			t.Errorf("exit %d, want 1; stderr:\n%s", code, stderr)
		}
		if strings.Contains(stderr, "pw-hint-test") {
			t.Errorf("the password is in the log:\n%s", stderr)
		}
		return stderr
	}
	want := func(t *testing.T, stderr string, lines ...string) {
		t.Helper()
		for _, l := range lines {
			if !strings.Contains(stderr, l+"\n") {
				t.Errorf("stderr lacks %q:\n%s", l, stderr)
			}
		}
	}

	t.Run("read-only mount", func(t *testing.T) {
		dir := t.TempDir()
		os.Chmod(dir, 0o755)
		stderr := run(t, dir, "-v", dir+":/opt/data:ro")
		want(t, stderr,
			"shipseal: error: writing the dockercfg: cannot create a file in /opt/data: read-only file system",
			"shipseal: hint: /opt/data is mounted read-only: drop :ro from the -v mount")
	})
	t.Run("--user on a root-owned directory", func(t *testing.T) {
		dir := t.TempDir()
		os.Chmod(dir, 0o755)
		stderr := run(t, dir, "--user", "1000", "-v", dir+":/opt/data")
		want(t, stderr, "shipseal: hint: /opt/data belongs to uid 0 and this runs as uid 1000: run the image as its default user (root), or chown the directory")
		if names := genDirNames(t, dir); len(names) != 0 {
			t.Errorf("the failed run wrote %q", names)
		}
	})
	t.Run("stale root-owned file in a sticky directory", func(t *testing.T) {
		dir := t.TempDir()
		os.Chmod(dir, 0o777|os.ModeSticky) // os.Chmod ignores a numeric 0o1000
		os.WriteFile(filepath.Join(dir, "dockercfg"), []byte("stale"), 0o600)
		stderr := run(t, dir, "--user", "65534:65534", "-v", dir+":/opt/data")
		want(t, stderr,
			"shipseal: error: writing the dockercfg: writing /opt/data/dockercfg: operation not permitted",
			"shipseal: hint: /opt/data/dockercfg exists and belongs to uid 0 in a sticky directory: remove it, or use another path")
		if got := string(mustRead(t, filepath.Join(dir, "dockercfg"))); got != "stale" {
			t.Errorf("the file changed: %q", got)
		}
	})
	t.Run("another user's link in a sticky directory", func(t *testing.T) {
		dir := t.TempDir()
		os.Chmod(dir, 0o777|os.ModeSticky) // os.Chmod ignores a numeric 0o1000
		evil := filepath.Join(dir, "evil")
		os.Mkdir(evil, 0o777)
		os.Chown(evil, 1000, 1000)
		link := filepath.Join(dir, "dockercfg")
		if err := os.Symlink("/opt/data/evil/grab", link); err != nil {
			t.Fatal(err)
		}
		os.Lchown(link, 1000, 1000)
		stderr := run(t, dir, "-v", dir+":/opt/data")
		want(t, stderr,
			"shipseal: error: writing the dockercfg: not following the symbolic link /opt/data/dockercfg: it belongs to uid 1000, in /opt/data, a sticky directory anyone can write to")
		if names := genDirNames(t, evil); len(names) != 0 {
			t.Errorf("the credentials were written through the link: %q", names)
		}
	})
}
