//go:build unix

package generator_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/generator"
	"github.com/shipseal/shipseal/internal/e2etest"
)

// envChild makes the test binary a generator run as another user:
// generate $SHIPSEAL_TEST_GENERATE from the environment, print the error
// and its hint, exit 1 on failure.
const envChild = "SHIPSEAL_TEST_GENERATE"

func TestMain(m *testing.M) {
	if path := os.Getenv(envChild); path != "" {
		g := &generator.Generator{DefaultFile: "/nonexistent/dockercfg.encrypted"}
		if _, err := g.Generate(context.Background(), path); err != nil {
			fmt.Printf("error: %v\nhint: %s\n", err, generator.Hint(err))
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// needRoot skips a test that acts as several users.
func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipping: running the generator as other users and chown need root")
	}
}

// sharedDir returns a directory every user can enter, holding a copy of
// the test binary that every user can run.
func sharedDir(t *testing.T) (dir, binary string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "shipseal-generator-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer self.Close()
	binary = filepath.Join(dir, "generator.test")
	out, err := os.OpenFile(binary, os.O_WRONLY|os.O_CREATE, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, self); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, binary
}

// generateAs runs the generator as uid:uid to write path from
// $DOCKER_AUTH_CONFIG and returns what it printed.
func generateAs(t *testing.T, binary string, uid int, path string) string {
	t.Helper()
	cmd := exec.Command(binary, "-test.run=^$")
	cmd.Env = []string{envChild + "=" + path, generator.EnvAuthConfig + "=" + authConfig(reg, user, password)}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(uid)}}
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("generating %s as uid %d: %v, want exit 1\n%s", path, uid, err, out)
	}
	return string(out)
}

func mustContain(t *testing.T, got, want string) {
	t.Helper()
	if !strings.Contains(got, want) {
		t.Errorf("got\n%s\nwant it to contain\n%s", got, want)
	}
}

// TestWriteHints: the volume misconfigurations a dockercfg_service meets
// on Codeship end with the fix, and write nothing.
func TestWriteHints(t *testing.T) {
	needRoot(t)
	dir, binary := sharedDir(t)

	t.Run("directory owned by another user", func(t *testing.T) {
		// docker run --user 1000 on a root-owned volume.
		out := filepath.Join(dir, "rootonly")
		if err := os.Mkdir(out, 0o755); err != nil {
			t.Fatal(err)
		}
		got := generateAs(t, binary, 1000, filepath.Join(out, "dockercfg"))
		mustContain(t, got, "error: writing the dockercfg: cannot create a file in "+out+": permission denied\n")
		mustContain(t, got, "hint: "+out+" belongs to uid 0 and this runs as uid 1000: run the image as its default user (root), or chown the directory\n")
		if names := dirEntries(t, out); len(names) != 0 {
			t.Errorf("wrote %q", names)
		}
	})

	t.Run("stale file of another user in a sticky directory", func(t *testing.T) {
		// A bind-mounted /tmp where a run as root left the file.
		tmp := filepath.Join(dir, "tmp")
		if err := os.Mkdir(tmp, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(tmp, 0o777|fs.ModeSticky); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(tmp, "dockercfg")
		const stale = "a root run's dockercfg"
		if err := os.WriteFile(path, []byte(stale), 0o600); err != nil {
			t.Fatal(err)
		}
		got := generateAs(t, binary, 65534, path)
		mustContain(t, got, "error: writing the dockercfg: writing "+path+": operation not permitted\n")
		mustContain(t, got, "hint: "+path+" exists and belongs to uid 0 in a sticky directory: remove it, or use another path\n")
		if data, _ := os.ReadFile(path); string(data) != stale {
			t.Errorf("the file changed: %q", data)
		}
		if names := dirEntries(t, tmp); len(names) != 1 {
			t.Errorf("left %q", names)
		}
	})

	t.Run("read-only mount", func(t *testing.T) {
		// docker run -v /tmp:/opt/data:ro
		ro := t.TempDir()
		msg, err := exec.Command("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", ro).CombinedOutput()
		e2etest.Require(t, err == nil, "cannot mount a read-only tmpfs: "+strings.TrimSpace(string(msg)))
		t.Cleanup(func() { exec.Command("umount", ro).Run() })
		g := newGenerator(t, env{generator.EnvAuthConfig: authConfig(reg, user, password)}, &logs{})
		_, err = g.Generate(context.Background(), filepath.Join(ro, "dockercfg"))
		if !errors.Is(err, syscall.EROFS) {
			t.Fatalf("error %v, want EROFS", err)
		}
		if h, want := generator.Hint(err), ro+" is mounted read-only: drop :ro from the -v mount"; h != want {
			t.Errorf("hint %q, want %q", h, want)
		}
	})
}

// TestPlantedSymlinkIsNotFollowed: run as root, the generator does not
// write through a link another user left at PATH in a sticky directory
// (a bind-mounted /tmp), and says why.
func TestPlantedSymlinkIsNotFollowed(t *testing.T) {
	needRoot(t)
	base := t.TempDir()
	tmp := filepath.Join(base, "tmp")
	evil := filepath.Join(base, "evil")
	for _, d := range []string{tmp, evil} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(tmp, 0o777|fs.ModeSticky); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(tmp, "dockercfg")
	grab := filepath.Join(evil, "grab")
	if err := os.Symlink(grab, path); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(path, 1000, 1000); err != nil {
		t.Fatal(err)
	}
	l := &logs{}
	_, err := newGenerator(t, env{generator.EnvAuthConfig: authConfig(reg, user, password)}, l).Generate(context.Background(), path)
	var se *atomicfile.SymlinkError
	if !errors.As(err, &se) {
		t.Fatalf("error %v, want a SymlinkError", err)
	}
	want := "writing the dockercfg: not following the symbolic link " + path + ": it belongs to uid 1000, in " + tmp + ", a sticky directory anyone can write to"
	if err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	mustContain(t, generator.Hint(err), "uid 1000 could point that link anywhere: remove it, or mount a directory only the build can write to")
	if _, err := os.Lstat(grab); err == nil {
		t.Error("the credentials were written through the link")
	}
	if names := dirEntries(t, evil); len(names) != 0 {
		t.Errorf("wrote %q where the link points", names)
	}
}

// TestNameAndFormatDisagree: a config.json in the legacy form, or a
// .dockercfg in config.json form, is written with a warning.
func TestNameAndFormatDisagree(t *testing.T) {
	for _, c := range []struct {
		name   string
		format dockercfg.Format
		warn   string
	}{
		{"config.json", dockercfg.FormatLegacy, "is named config.json, but the legacy form has no \"auths\", so docker finds no credentials in it: drop --format legacy"},
		{".dockercfg", dockercfg.FormatConfigJSON, "is named .dockercfg, which docker reads only in the legacy form ({REGISTRY: {...}}): pass --format legacy, or name it config.json"},
		{".dockercfg", 0, "is named .dockercfg"},
		{"config.json", dockercfg.FormatConfigJSON, ""},
		{".dockercfg", dockercfg.FormatLegacy, ""},
		{"dockercfg", dockercfg.FormatLegacy, ""},
		{"dockercfg", dockercfg.FormatConfigJSON, ""},
	} {
		l := &logs{}
		g := newGenerator(t, env{generator.EnvAuthConfig: authConfig(reg, user, password)}, l)
		g.Format = c.format
		path := filepath.Join(t.TempDir(), c.name)
		if _, err := g.Generate(context.Background(), path); err != nil {
			t.Fatal(err)
		}
		warned := strings.Contains(l.String(), "warning: ")
		switch {
		case c.warn == "" && warned:
			t.Errorf("%s as %v: unexpected warning\n%s", c.name, c.format, l)
		case c.warn != "" && !strings.Contains(l.String(), "warning: "+path+" "+c.warn):
			t.Errorf("%s as %v: no warning %q\n%s", c.name, c.format, c.warn, l)
		}
	}
}
