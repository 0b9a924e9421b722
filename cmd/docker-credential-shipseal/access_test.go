//go:build unix

package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/docker/docker-credential-helpers/client"
	"github.com/docker/docker-credential-helpers/credentials"
)

// A store the user may not read — typically made by root with `sudo docker
// login` — gets a one-line error that says whose it is and the command
// that gives it back, or the chmod that lets the user in again. As root,
// the helper runs as another user (nobody) against root's files; as any
// other user, it runs as itself against files it has shut itself out of.
func TestProtocolUnreadableStore(t *testing.T) {
	root := os.Geteuid() == 0
	const nobody = 65534
	uid, gid := os.Geteuid(), os.Getegid()
	if root {
		uid, gid = nobody, nobody
	}
	for _, c := range []struct {
		name     string
		rootOnly bool
		setup    func(t *testing.T, dir, store string) // dir holds store
		want     string
	}{
		{"directory made by root", true, func(t *testing.T, dir, store string) {}, // root's 0700 directory
			"permission denied; %DIR% belongs to uid 0 (made by `sudo docker login`?), not to you: give it back with `sudo chown -R %UID%:%GID% %DIR%`"},
		{"store made by root in the user's directory", true, func(t *testing.T, dir, store string) {
			chown(t, dir, nobody)
		}, "permission denied; %STORE% belongs to uid 0 (made by `sudo docker login`?), not to you: give it back with `sudo chown %UID%:%GID% %STORE%`"},
		{"directory without permissions", false, func(t *testing.T, dir, store string) {
			chown(t, store, uid)
			chown(t, dir, uid)
			chmod(t, dir, 0o000)
		}, "permission denied; let yourself in with `chmod u+rwx %DIR%`"},
		{"store without permissions", false, func(t *testing.T, dir, store string) {
			chown(t, store, uid)
			chown(t, dir, uid)
			chmod(t, store, 0o000)
		}, "permission denied; make it readable and writable with `chmod 600 %STORE%`"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.rootOnly && !root {
				t.Skip("skipping: a store that belongs to another user needs root to make")
			}
			shared, bin := sharedHelper(t)
			s := newSetup(t)
			if err := client.Store(s.program(), &credentials.Credentials{ServerURL: "127.0.0.1:5000", Username: "robot", Secret: "s3cret"}); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(shared, "store")
			store := filepath.Join(dir, "dockercfg.encrypted")
			if err := os.Rename(filepath.Dir(s.store), dir); err != nil {
				t.Fatal(err)
			}
			c.setup(t, dir, store)
			t.Cleanup(func() { os.Chmod(dir, 0o700) })
			want := strings.NewReplacer("%DIR%", dir, "%STORE%", store, "%UID%", strconv.Itoa(uid), "%GID%", strconv.Itoa(gid)).Replace(c.want)
			for _, action := range []string{"get", "list", "erase", "store"} {
				input := "127.0.0.1:5000"
				if action == "store" {
					input = `{"ServerURL":"127.0.0.1:5000","Username":"robot","Secret":"s3cret"}`
				}
				cmd := exec.Command(bin, action)
				cmd.Env = append(os.Environ(), "SHIPSEAL_DOCKERCFG="+store, "SHIPSEAL_KEY_PATH="+s.keyPath, "SHIPSEAL_KEY=")
				cmd.Dir = shared
				cmd.Stdin = strings.NewReader(input)
				if root {
					cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
				}
				out, err := cmd.Output()
				if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
					t.Errorf("%s: exit %v, want 1", action, err)
				}
				text := string(out)
				if strings.Count(text, "\n") != 1 || !strings.HasSuffix(text, "\n") {
					t.Errorf("%s: output is not one line: %q", action, text)
				}
				if !strings.HasPrefix(text, "cannot ") || !strings.Contains(text, " the credential store "+store+": ") || !strings.HasSuffix(text, want+"\n") {
					t.Errorf("%s: %q\ndoes not end with %q", action, text, want)
				}
				if strings.Contains(text, "s3cret") {
					t.Errorf("%s: output shows the password: %q", action, text)
				}
			}
		})
	}
}

// A directory where the store should be: the error says the store is a
// file, with an example path when the directory is not itself named as
// the store.
func TestProtocolDirectoryAtStorePath(t *testing.T) {
	s := newSetup(t)
	project := filepath.Join(s.dir, "project")
	for _, c := range []struct{ store, want string }{
		{s.store, "cannot read the credential store " + s.store + ": is a directory; the store is a file: " +
			"set $SHIPSEAL_DOCKERCFG to a file's path, or move the directory away"},
		{project, "cannot read the credential store " + project + ": is a directory; the store is a file: " +
			"set $SHIPSEAL_DOCKERCFG to a file's path (" + filepath.Join(project, "dockercfg.encrypted") + ", say), or move the directory away"},
	} {
		if err := os.MkdirAll(c.store, 0o700); err != nil {
			t.Fatal(err)
		}
		s.env["SHIPSEAL_DOCKERCFG"] = c.store
		// docker's client package quotes the helper's output in its error.
		if _, err := client.Get(s.program(), "127.0.0.1:5000"); err == nil || !strings.HasSuffix(err.Error(), "`"+c.want+"`") {
			t.Errorf("get: %v\nwant %s", err, c.want)
		}
		err := client.Store(s.program(), &credentials.Credentials{ServerURL: "127.0.0.1:5000", Username: "robot", Secret: "s3cret"})
		if err == nil || !strings.HasSuffix(err.Error(), "`"+c.want+"`") {
			t.Errorf("store: %v\nwant %s", err, c.want)
		}
	}
}

// sharedHelper returns a directory every user can enter, holding a copy of
// the helper that every user can run.
func sharedHelper(t *testing.T) (dir, bin string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "docker-credential-shipseal-shared-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	chmod(t, dir, 0o755)
	bin = filepath.Join(dir, "docker-credential-shipseal")
	in, err := os.Open(helperBin)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(bin, os.O_WRONLY|os.O_CREATE, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, bin
}

func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func chown(t *testing.T, path string, uid int) {
	t.Helper()
	if err := os.Chown(path, uid, uid); err != nil {
		t.Fatal(err)
	}
}
