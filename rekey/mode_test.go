//go:build unix

package rekey

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/shipseal/shipseal/crypto"
)

// TestRotationKeepsModes: a re-encrypted file keeps the mode its owner
// gave it, whatever the umask (which belongs to the process: this test
// does not run in parallel).
func TestRotationKeepsModes(t *testing.T) {
	old, nk := newKey(t), newKey(t)
	for _, umask := range []int{0o077, 0o022} {
		for _, mode := range []os.FileMode{0o600, 0o640, 0o644, 0o664} {
			t.Run(fmt.Sprintf("umask %03o, mode %03o", umask, mode), func(t *testing.T) {
				name := filepath.Join(t.TempDir(), "env.encrypted")
				seal(t, name, []byte("A=1\n"), old, crypto.V2)
				if err := os.Chmod(name, mode); err != nil {
					t.Fatal(err)
				}
				prev := syscall.Umask(umask)
				defer syscall.Umask(prev)
				set, err := Prepare([]string{name}, Options{Old: old, New: nk})
				if err != nil {
					t.Fatal(err)
				}
				if err := set.Commit(); err != nil {
					t.Fatal(err)
				}
				if plain, _, err := open(t, name, nk); err != nil || string(plain) != "A=1\n" {
					t.Fatalf("not re-encrypted: %q, %v", plain, err)
				}
				st, err := os.Stat(name)
				if err != nil {
					t.Fatal(err)
				}
				if st.Mode().Perm() != mode {
					t.Errorf("mode %#o, want %#o", st.Mode().Perm(), mode)
				}
			})
		}
	}
}
