package precommit

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/internal/shellquote"
)

// hookMarker is the line that says a hook is shipseal's own: install
// replaces and uninstall removes only hooks that have it.
const hookMarker = "# shipseal-hook: written by `shipseal hook install`"

// hookBackupSuffix is added to a foreign hook's name when install --force
// moves it aside; uninstall puts it back.
const hookBackupSuffix = ".shipseal-backup"

// ErrForeignHook is wrapped by ForeignHookError.
var ErrForeignHook = errors.New("a pre-commit hook that shipseal did not write is installed")

// ErrNoHook means there is no shipseal hook to uninstall.
var ErrNoHook = errors.New("no pre-commit hook is installed")

// ForeignHookError is a pre-commit hook that shipseal did not write and so
// will not replace or remove.
type ForeignHookError struct {
	Path string
	// Framework is set when the hook is the pre-commit framework's.
	Framework bool
}

func (e *ForeignHookError) Error() string {
	if e.Framework {
		return fmt.Sprintf("%s is the pre-commit framework's hook, not shipseal's", e.Path)
	}
	return fmt.Sprintf("%s: %v", e.Path, ErrForeignHook)
}

func (e *ForeignHookError) Is(target error) bool { return target == ErrForeignHook }

// HookScript returns the text of shipseal's pre-commit hook. It runs the
// shipseal on PATH, or else exe when that is non-empty (the binary that
// installed the hook), with check and args.
func HookScript(exe string, args []string) []byte {
	var b strings.Builder
	cmdline := "check"
	for _, a := range args {
		cmdline += " " + shellquote.Single(a)
	}
	fmt.Fprintf(&b, "#!/bin/sh\n%s; remove it with `shipseal hook uninstall`.\n", hookMarker)
	b.WriteString("# It checks the staged files for broken or leaked secrets (see shipseal's docs/pre-commit.md).\n")
	b.WriteString("# To commit once without the check: git commit --no-verify\n")
	fmt.Fprintf(&b, "if command -v shipseal >/dev/null 2>&1; then\n\texec shipseal %s\nfi\n", cmdline)
	if exe != "" {
		fmt.Fprintf(&b, "if [ -x %s ]; then\n\texec %s %s\nfi\n", shellquote.Single(exe), shellquote.Single(exe), cmdline)
	}
	b.WriteString("echo 'shipseal: error: the pre-commit hook cannot find shipseal' >&2\n")
	b.WriteString("echo 'shipseal: hint: install shipseal on your PATH, or remove the hook with `shipseal hook uninstall`' >&2\n")
	b.WriteString("exit 1\n")
	return []byte(b.String())
}

// HookPath returns the path of the repository's pre-commit hook, honouring
// core.hooksPath.
func (r *Repo) HookPath() (string, error) {
	dir, err := r.HooksDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "pre-commit"), nil
}

// InstallHook writes shipseal's pre-commit hook (see HookScript). It
// replaces an earlier shipseal hook, and refuses to replace any other
// hook unless force is set; then that hook is moved aside, to be put back
// by UninstallHook, and backup is its new name.
func (r *Repo) InstallHook(exe string, args []string, force bool) (hook, backup string, err error) {
	hook, err = r.HookPath()
	if err != nil {
		return "", "", err
	}
	if err := checkOurs(hook); err != nil {
		if !errors.Is(err, ErrForeignHook) || !force {
			return hook, "", err
		}
		backup = hook + hookBackupSuffix
		if _, err := os.Lstat(backup); err == nil {
			return hook, "", fmt.Errorf("%s already exists, from an earlier install --force: move it away first", backup)
		}
		if err := os.Rename(hook, backup); err != nil {
			return hook, "", fmt.Errorf("moving the existing hook aside: %w", err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(hook), 0o755); err != nil {
		return hook, backup, fmt.Errorf("creating the hooks directory: %w", err)
	}
	if err := atomicfile.WriteFile(hook, HookScript(exe, args), 0o755); err != nil {
		return hook, backup, fmt.Errorf("writing the hook: %w", err)
	}
	return hook, backup, nil
}

// UninstallHook removes shipseal's pre-commit hook, and puts back the
// hook that install --force moved aside, if any (restored is then its
// path). It returns ErrNoHook when there is no hook, and a
// ForeignHookError for a hook that is not shipseal's.
func (r *Repo) UninstallHook() (hook, restored string, err error) {
	hook, err = r.HookPath()
	if err != nil {
		return "", "", err
	}
	if _, err := os.Lstat(hook); errors.Is(err, fs.ErrNotExist) {
		return hook, "", fmt.Errorf("%s: %w", hook, ErrNoHook)
	}
	if err := checkOurs(hook); err != nil {
		return hook, "", err
	}
	if err := os.Remove(hook); err != nil {
		return hook, "", fmt.Errorf("removing the hook: %w", err)
	}
	backup := hook + hookBackupSuffix
	if _, err := os.Lstat(backup); err == nil {
		if err := os.Rename(backup, hook); err != nil {
			return hook, "", fmt.Errorf("putting back %s: %w", backup, err)
		}
		restored = hook
	}
	return hook, restored, nil
}

// checkOurs returns nil when there is no hook at path or when it is
// shipseal's, and a ForeignHookError otherwise.
func checkOurs(path string) error {
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, lerr := os.Lstat(path); lerr == nil {
			return &ForeignHookError{Path: path} // a dangling symbolic link
		}
		return nil
	case err != nil:
		return fmt.Errorf("reading the existing hook: %w", err)
	case bytes.Contains(data, []byte(hookMarker)):
		return nil
	}
	return &ForeignHookError{Path: path,
		Framework: bytes.Contains(data, []byte("File generated by pre-commit")) || bytes.Contains(data, []byte("pre-commit.com"))}
}
