package secretdir

import (
	"os"
	"path/filepath"
	"testing"
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
