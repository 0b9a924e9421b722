package rekey

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/validate"
)

// Find lists the encrypted files of the git work tree that holds dir:
// tracked files and untracked ones that are not ignored, recognised by
// their content (validate.IsEncrypted), not their names. Files that are a
// key themselves (a codeship.aes is base64 too) are left out, and so are
// the temporary files of an interrupted shipseal run (atomicfile.IsTemp:
// a killed rekey leaves its staged files, encrypted with the new key). The
// names are relative to dir, sorted.
func Find(dir string) ([]string, error) {
	top, err := gitOutput(dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("--all needs a git work tree: %w", err)
	}
	root := strings.TrimSpace(string(top))
	list, err := gitOutput(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	if err != nil {
		return nil, fmt.Errorf("listing the files of %s: %w", root, err)
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for _, rel := range strings.Split(string(list), "\x00") {
		if rel == "" || seen[rel] || atomicfile.IsTemp(rel) {
			continue
		}
		seen[rel] = true
		p := filepath.Join(root, filepath.FromSlash(rel))
		st, err := os.Lstat(p)
		if err != nil || !st.Mode().IsRegular() {
			continue // deleted from the work tree, a link, a submodule
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		if !validate.IsEncrypted(data) {
			continue
		}
		if _, err := crypto.ParseKey(bytes.TrimSpace(data)); err == nil {
			continue
		}
		if r, err := filepath.Rel(absDir, p); err == nil {
			p = r
		}
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}

func gitOutput(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("git %s: %s", args[0], msg)
		}
		return nil, fmt.Errorf("git %s: %w", args[0], err)
	}
	return out, nil
}
