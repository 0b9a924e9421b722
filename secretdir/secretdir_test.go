package secretdir

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDir(t *testing.T) {
	d, err := New("shipseal-test-*")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Remove()
	st, err := os.Stat(d.Path())
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %#o, want 0700", st.Mode().Perm())
	}
	if filepath.Dir(d.Path()) != Base() {
		t.Errorf("directory %s is not in %s", d.Path(), Base())
	}
	p, err := d.WriteFile("config.json", []byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v (%v), want 0600", st.Mode().Perm(), err)
	}
	if _, err := d.WriteFile("config.json", []byte("again")); err == nil {
		t.Error("WriteFile replaced an existing file")
	}
	path := d.Path()
	if err := d.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the directory is still there after Remove: %v", err)
	}
	if err := d.Remove(); err != nil {
		t.Errorf("a second Remove: %v", err)
	}
}

// Base prefers the memory file system, and falls back to the system's
// temporary directory when there is none.
func TestBase(t *testing.T) {
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if got := Base(); got != "/dev/shm" {
			t.Errorf("Base() = %q with a usable /dev/shm", got)
		}
	}
	old := shm
	defer func() { shm = old }()
	shm = filepath.Join(t.TempDir(), "missing")
	if got := Base(); got != os.TempDir() {
		t.Errorf("Base() without /dev/shm = %q, want %q", got, os.TempDir())
	}
}

// deadPID is above Linux's largest pid_max (2^22): no process has it.
const deadPID = 999999999

// New removes the directories of its pattern that a killed process left
// (PID gone, older than staleAfter), and nothing else.
func TestNewRemovesStaleDirectories(t *testing.T) {
	old := shm
	defer func() { shm = old }()
	shm = t.TempDir()
	long := time.Now().Add(-2 * staleAfter)
	plant := func(name string, mtime time.Time) string {
		p := filepath.Join(shm, name)
		if err := os.Mkdir(p, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, "plain.env"), []byte("TOKEN=secret\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stale := plant(fmt.Sprintf("shipseal-edit-%d-123", deadPID), long)
	kept := map[string]string{
		"a fresh directory of a dead process": plant(fmt.Sprintf("shipseal-edit-%d-456", deadPID), time.Now()),
		"a running process's directory":       plant(fmt.Sprintf("shipseal-edit-%d-789", os.Getpid()), long),
		"another pattern's directory":         plant(fmt.Sprintf("shipseal-docker-%d-123", deadPID), long),
		"a name without a PID":                plant("shipseal-edit-abc", long),
	}
	target := plant("target", long)
	link := filepath.Join(shm, fmt.Sprintf("shipseal-edit-%d-999", deadPID))
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	kept["a symbolic link"] = link
	kept["the link's target"] = target

	d, err := New("shipseal-edit-*")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Remove()
	if _, err := os.Lstat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale directory %s is still there (%v)", stale, err)
	}
	for what, p := range kept {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s (%s) was removed: %v", what, p, err)
		}
	}
	if _, err := os.Stat(filepath.Join(target, "plain.env")); err != nil {
		t.Errorf("the link's target lost its content: %v", err)
	}
}

// A directory's name holds its creator's PID, for the sweep.
func TestNewNamesThePID(t *testing.T) {
	d, err := New("shipseal-test-*.d")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Remove()
	name := filepath.Base(d.Path())
	prefix := fmt.Sprintf("shipseal-test-%d-", os.Getpid())
	if !strings.HasPrefix(name, prefix) || !strings.HasSuffix(name, ".d") || len(name) == len(prefix)+len(".d") {
		t.Errorf("directory %s, want %sRANDOM.d", name, prefix)
	}
}
