package precommit_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/internal/e2etest"
	"github.com/shipseal/shipseal/precommit"
)

// gitRepo makes an empty repository with a hermetic git configuration.
func gitRepo(t *testing.T) (string, func(args ...string) string) {
	t.Helper()
	e2etest.LookPath(t, "git", "apt-get install git")
	dir := t.TempDir()
	t.Setenv("HOME", t.TempDir())
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_AUTHOR_NAME", "t")
	t.Setenv("GIT_AUTHOR_EMAIL", "t@example.com")
	t.Setenv("GIT_COMMITTER_NAME", "t")
	t.Setenv("GIT_COMMITTER_EMAIL", "t@example.com")
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	git("init", "-q", ".")
	return dir, git
}

func TestRepoStagedAndIndex(t *testing.T) {
	dir, git := gitRepo(t)
	write(t, dir, "committed.txt", "old\n")
	write(t, dir, "gone.txt", "bye\n")
	git("add", ".")
	git("commit", "-q", "-m", "init")
	write(t, dir, "committed.txt", "staged\n")
	write(t, dir, "with space/and ünïcode.env", "A=1\n")
	write(t, dir, "big.bin", strings.Repeat("x", precommit.MaxSize+1))
	write(t, dir, "untracked.txt", "not staged\n")
	git("add", "committed.txt", "with space", "big.bin")
	git("rm", "-q", "gone.txt")
	write(t, dir, "committed.txt", "work tree\n") // differs from the index

	repo, err := precommit.OpenRepo(filepath.Join(dir, "with space"))
	if err != nil {
		t.Fatal(err)
	}
	staged, err := repo.Staged()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(staged), "big.bin,committed.txt,with space/and ünïcode.env"; got != want {
		t.Errorf("Staged() = %s, want %s (deleted and untracked files left out)", got, want)
	}
	tracked, err := repo.Tracked()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(tracked), "big.bin,committed.txt,with space/and ünïcode.env"; got != want {
		t.Errorf("Tracked() = %s, want %s", got, want)
	}

	ir, err := repo.ReadIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer ir.Close()
	for _, tc := range []struct {
		name     string
		want     string
		wantSize int64
		isNil    bool
	}{
		{"committed.txt", "staged\n", 7, false},
		{"big.bin", "", precommit.MaxSize + 1, true},
		{"with space/and ünïcode.env", "A=1\n", 4, false},
		{"committed.txt", "staged\n", 7, false}, // the stream stays in step after a skipped file
	} {
		data, size, err := ir.Read(tc.name)
		if err != nil {
			t.Fatalf("Read(%s): %v", tc.name, err)
		}
		if string(data) != tc.want || size != tc.wantSize || (data == nil) != tc.isNil {
			t.Errorf("Read(%s) = %q (nil %v), %d; want %q, %d", tc.name, data, data == nil, size, tc.want, tc.wantSize)
		}
	}
	// A name the index does not hold as a blob (a submodule's commit)
	// has no content to check, and the stream stays in step.
	if data, _, err := ir.Read("no/such/file"); data != nil || err != nil {
		t.Errorf("Read of a file not in the index = %q, %v; want nil, nil", data, err)
	}
	if data, _, err := ir.Read("committed.txt"); string(data) != "staged\n" || err != nil {
		t.Errorf("Read after a missing file = %q, %v", data, err)
	}
}

// names lists files by name, a symbolic link marked with " ->".
func names(files []precommit.File) string {
	var s []string
	for _, f := range files {
		if f.Link {
			f.Name += " ->"
		}
		s = append(s, f.Name)
	}
	return strings.Join(s, ",")
}

// A submodule is a commit of another repository in the index, not a file:
// it is left out, initialised or not. A symbolic link is marked so, its
// target being what git records.
func TestRepoSubmodulesAndLinks(t *testing.T) {
	lib, libGit := gitRepo(t)
	write(t, lib, "lib.go", "package lib\n")
	libGit("add", ".")
	libGit("commit", "-q", "-m", "lib")
	dir, git := gitRepo(t)
	write(t, dir, "README", "a project\n")
	if err := os.Symlink("README", filepath.Join(dir, "README.md")); err != nil {
		t.Fatal(err)
	}
	git("add", ".")
	git("-c", "protocol.file.allow=always", "submodule", "add", "-q", lib, "vendor/lib")

	repo, err := precommit.OpenRepo(dir)
	if err != nil {
		t.Fatal(err)
	}
	const want = ".gitmodules,README,README.md ->"
	if staged, err := repo.Staged(); err != nil || names(staged) != want {
		t.Errorf("Staged() = %s, %v; want %s", names(staged), err, want)
	}
	git("commit", "-q", "-m", "with a submodule")
	if tracked, err := repo.Tracked(); err != nil || names(tracked) != want {
		t.Errorf("Tracked() = %s, %v; want %s", names(tracked), err, want)
	}
	// A clone leaves the submodule uninitialised: an empty directory.
	clone := filepath.Join(t.TempDir(), "clone")
	git("clone", "-q", dir, clone)
	cloned, err := precommit.OpenRepo(clone)
	if err != nil {
		t.Fatal(err)
	}
	if tracked, err := cloned.Tracked(); err != nil || names(tracked) != want {
		t.Errorf("Tracked() in a clone = %s, %v; want %s", names(tracked), err, want)
	}
	// A submodule moved to another commit is staged, and still left out.
	write(t, lib, "lib.go", "package lib // v2\n")
	libGit("commit", "-q", "-am", "v2")
	git("-C", "vendor/lib", "pull", "-q")
	git("add", "vendor/lib")
	if out := git("diff", "--cached", "--name-only"); out != "vendor/lib\n" {
		t.Fatalf("the submodule is not staged: %q", out)
	}
	if staged, err := repo.Staged(); err != nil || len(staged) != 0 {
		t.Errorf("Staged() with the submodule moved = %s, %v; want nothing", names(staged), err)
	}
}

func TestRepoNotARepository(t *testing.T) {
	e2etest.LookPath(t, "git", "apt-get install git")
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(t.TempDir()))
	_, err := precommit.OpenRepo(t.TempDir())
	if !errors.Is(err, precommit.ErrNotRepository) {
		t.Errorf("OpenRepo(temp dir) = %v, want ErrNotRepository", err)
	}
}

func TestGitignoreReport(t *testing.T) {
	dir, git := gitRepo(t)
	repo, err := precommit.OpenRepo(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := repo.GitignoreReport(nil)
	if err != nil || codes(r) != "CK004/warning" {
		t.Fatalf("no .gitignore: %q, %v; want a CK004 warning", codes(r), err)
	}
	for _, rule := range []string{"codeship.aes", "/codeship.aes", "*.aes", "/*"} {
		write(t, dir, ".gitignore", "node_modules/\n"+rule+"\n")
		if r, err := repo.GitignoreReport(nil); err != nil || r != nil {
			t.Errorf(".gitignore with %s: %q, %v; want nothing", rule, codes(r), err)
		}
	}
	// A rule that only covers it elsewhere, or negates it, does not count.
	for _, rule := range []string{"sub/codeship.aes", "*.aes\n!codeship.aes"} {
		write(t, dir, ".gitignore", rule+"\n")
		if r, err := repo.GitignoreReport(nil); err != nil || codes(r) != "CK004/warning" {
			t.Errorf(".gitignore with %q: %q, %v; want a CK004 warning", rule, codes(r), err)
		}
	}
	// A tracked key is still reported as ignored by the rules (CK001 is
	// what stops it), and .git/info/exclude counts.
	os.Remove(filepath.Join(dir, ".gitignore"))
	write(t, dir, ".git/info/exclude", "codeship.aes\n")
	if r, err := repo.GitignoreReport(nil); err != nil || r != nil {
		t.Errorf("info/exclude: %q, %v; want nothing", codes(r), err)
	}
	git("status") // the repository is still healthy
}

func TestHookInstallAndUninstall(t *testing.T) {
	dir, git := gitRepo(t)
	repo, err := precommit.OpenRepo(dir)
	if err != nil {
		t.Fatal(err)
	}
	hook, backup, err := repo.InstallHook("/opt/it's here/shipseal", []string{"--allow", "CK003:a b/**"}, false)
	if err != nil || backup != "" {
		t.Fatalf("InstallHook: %v, backup %q", err, backup)
	}
	if want := filepath.Join(dir, ".git", "hooks", "pre-commit"); hook != want {
		t.Errorf("hook at %s, want %s", hook, want)
	}
	st, err := os.Stat(hook)
	if err != nil || st.Mode().Perm() != 0o755 {
		t.Fatalf("hook: %v, mode %v; want 0755", err, st.Mode())
	}
	script, _ := os.ReadFile(hook)
	for _, want := range []string{"exec shipseal check '--allow' 'CK003:a b/**'\n", `exec '/opt/it'\''s here/shipseal' check`} {
		if !bytes.Contains(script, []byte(want)) {
			t.Errorf("hook script lacks %q:\n%s", want, script)
		}
	}
	// The script is valid sh.
	if out, err := exec.Command("sh", "-n", hook).CombinedOutput(); err != nil {
		t.Errorf("sh -n: %v\n%s", err, out)
	}

	// core.hooksPath moves it.
	git("config", "core.hooksPath", ".githooks")
	if p, err := repo.HookPath(); err != nil || p != filepath.Join(dir, ".githooks", "pre-commit") {
		t.Errorf("HookPath with core.hooksPath = %s, %v", p, err)
	}
	git("config", "--unset", "core.hooksPath")

	if _, _, err := repo.UninstallHook(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := repo.UninstallHook(); !errors.Is(err, precommit.ErrNoHook) {
		t.Errorf("second UninstallHook = %v, want ErrNoHook", err)
	}

	// Foreign hooks, including a dangling symbolic link, are left alone.
	write(t, dir, ".git/hooks/pre-commit", "#!/bin/sh\nexit 0\n")
	if _, _, err := repo.InstallHook("", nil, false); !errors.Is(err, precommit.ErrForeignHook) {
		t.Errorf("InstallHook over a foreign hook = %v, want ErrForeignHook", err)
	}
	if _, _, err := repo.UninstallHook(); !errors.Is(err, precommit.ErrForeignHook) {
		t.Errorf("UninstallHook of a foreign hook = %v, want ErrForeignHook", err)
	}
	os.Remove(hook)
	if err := os.Symlink("/nonexistent/hook", hook); err != nil {
		t.Fatal(err)
	}
	if _, _, err := repo.InstallHook("", nil, false); !errors.Is(err, precommit.ErrForeignHook) {
		t.Errorf("InstallHook over a dangling link = %v, want ErrForeignHook", err)
	}
	if target, err := os.Readlink(hook); err != nil || target != "/nonexistent/hook" {
		t.Errorf("the link was touched: %q, %v", target, err)
	}
}
