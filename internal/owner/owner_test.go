//go:build unix

package owner_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/shipseal/shipseal/internal/owner"
)

func TestOf(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if uid, ok := owner.Of(info); !ok || uid != os.Geteuid() {
		t.Errorf("Of(a file just made) = %d, %v; want %d, true", uid, ok, os.Geteuid())
	}
	if os.Geteuid() == 0 {
		if err := os.Chown(path, 1000, 1000); err != nil {
			t.Fatal(err)
		}
		info, _ = os.Stat(path)
		if uid, ok := owner.Of(info); !ok || uid != 1000 {
			t.Errorf("Of(a file given to uid 1000) = %d, %v", uid, ok)
		}
	}
}
