package precommit_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipseal/shipseal/internal/e2etest"
)

// These tests commit through the real pre-commit framework, with this
// repository's current tree (committed to a throw-away clone) as the hook
// repository, and through shipseal's own git hook.

const (
	projectKey = "u8JjMHWUSvf9bAZ/mgGuonxbIij3gbkQXNzR+UQYifo=\n"
	otherKey   = "rA4OjsW7U4iESP/g5pjmFdSq0UEEcNH0CHtYyQCIo0g=\n"
	dockercfg  = `{"auths": {"registry.example.com": {"auth": "YWxpY2U6aHVudGVyMmh1bnRlcjI="}}}` + "\n"
	// The secrets that must never appear in any output.
	secretAuth = "YWxpY2U6aHVudGVyMmh1bnRlcjI="
	secretPass = "hunter2hunter2"
)

// env is a hermetic environment for git, pre-commit and go: HOME is a
// temporary directory (pre-commit caches hook environments under it), the
// Go caches stay where they are so that the module is not downloaded again.
type env struct {
	t    *testing.T
	vars []string
	bin  string // holds the shipseal binary
}

func newEnv(t *testing.T) *env {
	t.Helper()
	goBin := e2etest.LookPath(t, "go", "install Go")
	e2etest.LookPath(t, "git", "apt-get install git")
	home := t.TempDir()
	e := &env{t: t, bin: t.TempDir()}
	keep := map[string]bool{"PATH": true, "GOPROXY": true, "GOFLAGS": true, "GONOSUMDB": true, "GOPRIVATE": true,
		"GONOSUMCHECK": true, "GOSUMDB": true, "TMPDIR": true, "LANG": true, "SHIPSEAL_E2E": true}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); keep[k] {
			e.vars = append(e.vars, kv)
		}
	}
	for _, k := range []string{"GOMODCACHE", "GOCACHE"} {
		out, err := exec.Command(goBin, "env", k).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", k, err)
		}
		e.vars = append(e.vars, k+"="+strings.TrimSpace(string(out)))
	}
	e.vars = append(e.vars, "HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "SHIPSEAL_KEY=", "SHIPSEAL_KEY_PATH=")
	// The shipseal under test, for fixtures and the language: system hook.
	e.run(moduleRoot(t), "go", "build", "-o", filepath.Join(e.bin, "shipseal"), "./cmd/shipseal")
	return e
}

// cmd runs name in dir and returns its combined output and error.
func (e *env) cmd(dir, name string, args ...string) (string, error) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if name == "shipseal" {
		name = filepath.Join(e.bin, name) // the one under test, not one on PATH
	}
	c := exec.CommandContext(ctx, name, args...)
	c.Dir = dir
	c.Env = append([]string{}, e.vars...)
	for i, kv := range c.Env {
		if strings.HasPrefix(kv, "PATH=") {
			c.Env[i] = "PATH=" + e.bin + string(os.PathListSeparator) + kv[len("PATH="):]
		}
	}
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	err := c.Run()
	return out.String(), err
}

// run is cmd that must succeed.
func (e *env) run(dir, name string, args ...string) string {
	e.t.Helper()
	out, err := e.cmd(dir, name, args...)
	if err != nil {
		e.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func moduleRoot(t *testing.T) string {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	return root
}

// hookRepo commits the current tree of this repository (tracked and new
// files, as they are on disk) to a new repository and returns its path and
// the commit, so that the hook pre-commit builds is the code under test.
func (e *env) hookRepo() (dir, rev string) {
	e.t.Helper()
	root := moduleRoot(e.t)
	dir = e.t.TempDir()
	list := e.run(root, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	for _, name := range strings.Split(list, "\x00") {
		if name == "" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			continue // deleted in the work tree
		}
		dst := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			e.t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			e.t.Fatal(err)
		}
	}
	e.run(dir, "git", "init", "-q", ".")
	e.run(dir, "git", "add", "-A")
	e.run(dir, "git", "commit", "-q", "-m", "shipseal under test")
	return dir, strings.TrimSpace(e.run(dir, "git", "rev-parse", "HEAD"))
}

// userRepo makes a project with its key (ignored by git) and returns it.
func (e *env) userRepo() string {
	e.t.Helper()
	dir := e.t.TempDir()
	e.run(dir, "git", "init", "-q", ".")
	write(e.t, dir, "codeship.aes", projectKey)
	write(e.t, dir, ".gitignore", "/codeship.aes\n/other.aes\n/plain/\n")
	write(e.t, dir, "other.aes", otherKey)
	write(e.t, dir, "plain/cfg.json", dockercfg)
	write(e.t, dir, "plain/broken.json", `{"auths": {"registry.example.com": {"auth": "YWxpY2U6aHVudGVyMmh1bnRlcjI=" "email": "x"}}}`+"\n")
	return dir
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// commitCase is one commit attempt: the files it stages, made by prepare,
// and what the hook must say.
type commitCase struct {
	name    string
	prepare func(e *env, dir string) []string
	pass    bool
	want    []string // regexp-free substrings of the hook's output
}

var commitCases = []commitCase{
	{"valid encrypted dockercfg", func(e *env, dir string) []string {
		e.run(dir, "shipseal", "encrypt", "plain/cfg.json", "dockercfg.encrypted")
		return []string{".gitignore", "dockercfg.encrypted"}
	}, true, nil},
	{"encrypted with another project's key", func(e *env, dir string) []string {
		e.run(dir, "shipseal", "encrypt", "--key-path", "other.aes", "plain/cfg.json", "foreign.encrypted")
		return []string{"foreign.encrypted"}
	}, false, []string{"foreign.encrypted: error EN002: the key does not decrypt this file", "encrypted with another key"}},
	{"malformed dockercfg, encrypted", func(e *env, dir string) []string {
		e.run(dir, "shipseal", "encrypt", "--no-validate", "plain/broken.json", "broken.dockercfg.encrypted")
		return []string{"broken.dockercfg.encrypted"}
	}, false, []string{"broken.dockercfg.encrypted:1:", "error DC001"}},
	{"corrupt encrypted file", func(e *env, dir string) []string {
		write(e.t, dir, "corrupt.encrypted", "codeship:v2\nthis is not base64!\n")
		return []string{"corrupt.encrypted"}
	}, false, []string{"corrupt.encrypted: error EN001"}},
	{"a key file", func(e *env, dir string) []string {
		write(e.t, dir, "config/prod-key.txt", projectKey)
		return []string{"config/prod-key.txt"}
	}, false, []string{"config/prod-key.txt: error CK001: this is the project key"}},
	{"a plaintext credential file", func(e *env, dir string) []string {
		write(e.t, dir, "docker/config.json", dockercfg)
		return []string{"docker/config.json"}
	}, false, []string{"docker/config.json:1:12: error CK002: plaintext credentials for registry.example.com"}},
	{"a plaintext env file with a password", func(e *env, dir string) []string {
		write(e.t, dir, ".env", "LOG_LEVEL=info\nDB_PASSWORD="+secretPass+"\n")
		return []string{".env"}
	}, false, []string{".env:2:1: error CK006: DB_PASSWORD holds a password in plaintext"}},
	{"an env file template", func(e *env, dir string) []string {
		write(e.t, dir, ".env.example", "DB_PASSWORD=not-a-real-one\n")
		return []string{".env.example"}
	}, true, nil},
}

// commitAll runs every case in a fresh user repository that is set up by
// install: each case stages its files and commits; a blocked commit must
// leave the history alone and say why, without a secret.
func commitAll(t *testing.T, parent *env, install func(e *env, dir string)) {
	e := &env{t: t, vars: parent.vars, bin: parent.bin}
	dir := e.userRepo()
	install(e, dir)
	for _, c := range commitCases {
		files := c.prepare(e, dir)
		e.run(dir, "git", append([]string{"add", "--"}, files...)...)
		before, _ := e.cmd(dir, "git", "rev-parse", "-q", "--verify", "HEAD")
		out, err := e.cmd(dir, "git", "commit", "-m", c.name)
		after, _ := e.cmd(dir, "git", "rev-parse", "-q", "--verify", "HEAD")
		switch {
		case c.pass && err != nil:
			t.Errorf("%s: commit blocked, want it to pass:\n%s", c.name, out)
		case c.pass && !strings.Contains(out, "shipseal check") && !strings.Contains(out, "shipseal: check:"):
			t.Errorf("%s: commit passed, but the hook did not run:\n%s", c.name, out)
		case !c.pass && err == nil:
			t.Errorf("%s: commit passed, want it blocked:\n%s", c.name, out)
		case !c.pass && before != after:
			t.Errorf("%s: a blocked commit moved HEAD", c.name)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", c.name, w, out)
			}
		}
		for _, s := range []string{secretAuth, secretPass, strings.TrimSpace(projectKey), strings.TrimSpace(otherKey)} {
			if strings.Contains(out, s) {
				t.Errorf("%s: the output shows a secret:\n%s", c.name, out)
			}
		}
		if !c.pass {
			e.run(dir, "git", "rm", "-q", "--cached", "--", files[0])
		}
	}
}

// TestPreCommitFramework commits through the pre-commit framework with
// both hooks of .pre-commit-hooks.yaml: shipseal-check, built by
// pre-commit with go install, and shipseal-check-system.
func TestPreCommitFramework(t *testing.T) {
	e2etest.Require(t, !testing.Short(), "-short: this test builds shipseal through pre-commit")
	preCommit := e2etest.LookPath(t, "pre-commit", "apt-get install pre-commit")
	e := newEnv(t)
	hookDir, rev := e.hookRepo()
	for _, id := range []string{"shipseal-check", "shipseal-check-system"} {
		t.Run(id, func(t *testing.T) {
			commitAll(t, e, func(e *env, dir string) {
				write(t, dir, ".pre-commit-config.yaml",
					"repos:\n- repo: "+hookDir+"\n  rev: "+rev+"\n  hooks:\n  - id: "+id+"\n")
				e.run(dir, "git", "add", ".pre-commit-config.yaml")
				e.run(dir, preCommit, "install")
			})
		})
	}
}

// TestGitHook commits through shipseal's own git hook.
func TestGitHook(t *testing.T) {
	e := newEnv(t)
	commitAll(t, e, func(e *env, dir string) {
		e.run(dir, "shipseal", "hook", "install")
	})
}
