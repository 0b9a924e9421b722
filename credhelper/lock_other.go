//go:build !unix

package credhelper

import (
	"fmt"
	"os"
	"path/filepath"
)

// lock does not lock where flock(2) does not exist: two helpers storing
// at the same moment may lose one update there. It makes a missing
// directory when asked to, as on unix.
func lock(path string, create bool) (unlock func(), err error) {
	if create {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("cannot create the credential store's directory: %w", err)
		}
	}
	return func() {}, nil
}
