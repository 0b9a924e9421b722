package precommit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/projectkey"
)

// ErrNotRepository means the directory is not inside a git work tree.
var ErrNotRepository = errors.New("not in a git repository")

// Repo is a git work tree, driven through the git command.
type Repo struct {
	// Root is the top of the work tree.
	Root string
}

// OpenRepo returns the repository that contains dir.
func OpenRepo(dir string) (*Repo, error) {
	out, err := git(dir, nil, "rev-parse", "--show-toplevel")
	if err != nil {
		if _, lookErr := exec.LookPath("git"); lookErr != nil {
			return nil, fmt.Errorf("git is not installed: %w", lookErr)
		}
		return nil, fmt.Errorf("%s: %w", dir, ErrNotRepository)
	}
	root := strings.TrimSpace(string(out))
	if root == "" {
		return nil, fmt.Errorf("%s: %w (a bare repository has no work tree)", dir, ErrNotRepository)
	}
	return &Repo{Root: root}, nil
}

// git runs git in dir and returns its standard output; the error holds
// its standard error.
func git(dir string, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			return out, fmt.Errorf("git %s: %w", args[0], err)
		}
		return out, fmt.Errorf("git %s: %s: %w", args[0], msg, err)
	}
	return out, nil
}

// File is a file of the repository, as git records it.
type File struct {
	// Name is its path relative to the root, slash-separated.
	Name string
	// Link is set for a symbolic link. What git records, and what a
	// commit publishes, is the path the link points to, not the content
	// there: a link to codeship.aes leaks nothing.
	Link bool
}

// Git's modes for the entries that are not regular files.
const (
	modeLink    = "120000"
	modeGitlink = "160000" // a submodule's commit: its files are another repository's
)

// Staged returns the files added, copied, modified or renamed in the index
// (what the next commit adds), relative to the root. Deleted files are
// not there: they cannot leak. Neither are submodules: the index holds a
// commit of another repository for them, whose files that repository's
// own check covers.
func (r *Repo) Staged() ([]File, error) {
	out, err := git(r.Root, nil, "diff", "--cached", "--raw", "-z", "--no-renames", "--diff-filter=ACMRT")
	if err != nil {
		return nil, fmt.Errorf("listing staged files: %w", err)
	}
	// ":OLDMODE NEWMODE OLDOBJECT NEWOBJECT STATUS" NUL "NAME" NUL, for
	// each file (one name: --no-renames, and no copies are looked for).
	var files []File
	f := bytes.Split(bytes.TrimSuffix(out, []byte{0}), []byte{0})
	for i := 0; i+1 < len(f); i += 2 {
		meta := strings.Fields(string(f[i]))
		if len(meta) != 5 {
			return nil, fmt.Errorf("listing staged files: unexpected git diff output %q", f[i])
		}
		if mode := meta[1]; mode != modeGitlink {
			files = append(files, File{Name: string(f[i+1]), Link: mode == modeLink})
		}
	}
	return files, nil
}

// Tracked returns every file in the index, relative to the root, but for
// submodules (see Staged).
func (r *Repo) Tracked() ([]File, error) {
	out, err := git(r.Root, nil, "ls-files", "-z", "--cached", "--stage")
	if err != nil {
		return nil, fmt.Errorf("listing tracked files: %w", err)
	}
	// "MODE OBJECT STAGE" TAB "NAME" NUL, for each file; a file with a
	// merge conflict comes once per stage, one after the other.
	var files []File
	for _, e := range bytes.Split(out, []byte{0}) {
		meta, name, ok := strings.Cut(string(e), "\t")
		if !ok {
			if len(e) > 0 {
				return nil, fmt.Errorf("listing tracked files: unexpected git ls-files output %q", e)
			}
			continue
		}
		mode, _, _ := strings.Cut(meta, " ")
		if mode == modeGitlink || len(files) > 0 && files[len(files)-1].Name == name {
			continue
		}
		files = append(files, File{Name: name, Link: mode == modeLink})
	}
	return files, nil
}

// IndexReader reads staged content from the index, which may differ from
// the work tree (git add -p): that content is what gets committed.
type IndexReader struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

// ReadIndex starts a reader of the repository's index. Close it.
func (r *Repo) ReadIndex() (*IndexReader, error) {
	cmd := exec.Command("git", "cat-file", "--batch")
	cmd.Dir = r.Root
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("reading the index: %w", err)
	}
	return &IndexReader{cmd: cmd, in: in, out: bufio.NewReader(out)}, nil
}

// Read returns the staged content of name (relative to the root). The
// content is nil, with the size, for a file larger than MaxSize, and nil
// for an entry that is not a file (a submodule's commit).
func (ir *IndexReader) Read(name string) ([]byte, int64, error) {
	if strings.ContainsAny(name, "\n") {
		return nil, 0, fmt.Errorf("reading %q from the index: a newline in a file name", name)
	}
	if _, err := fmt.Fprintf(ir.in, ":%s\n", name); err != nil {
		return nil, 0, fmt.Errorf("reading %s from the index: %w", name, err)
	}
	header, err := ir.out.ReadString('\n')
	if err != nil {
		return nil, 0, fmt.Errorf("reading %s from the index: %w", name, err)
	}
	if strings.HasSuffix(header, " missing\n") {
		return nil, 0, nil // not a blob here (a submodule's commit): nothing to check
	}
	f := strings.Fields(header)
	if len(f) != 3 {
		return nil, 0, fmt.Errorf("reading %s from the index: %s", name, strings.TrimSpace(header))
	}
	size, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil {
		return nil, 0, fmt.Errorf("reading %s from the index: bad size in %q", name, strings.TrimSpace(header))
	}
	if f[1] != "blob" || size > MaxSize {
		// A submodule's commit, or a file too large to be a secret: skip it.
		if _, err := ir.out.Discard(int(size) + 1); err != nil {
			return nil, 0, fmt.Errorf("reading %s from the index: %w", name, err)
		}
		return nil, size, nil
	}
	data := make([]byte, size+1) // and the newline after the object
	if _, err := io.ReadFull(ir.out, data); err != nil {
		return nil, 0, fmt.Errorf("reading %s from the index: %w", name, err)
	}
	data = data[:size]
	return data, size, nil
}

// Close stops the reader.
func (ir *IndexReader) Close() error {
	ir.in.Close()
	// An answer left unread after an error would keep git blocked on a
	// full pipe, and Wait with it.
	io.Copy(io.Discard, ir.out)
	return ir.cmd.Wait()
}

// IgnoresKey reports whether the repository's ignore rules cover
// codeship.aes at its root, whether or not such a file exists or is
// tracked.
func (r *Repo) IgnoresKey() (bool, error) {
	cmd := exec.Command("git", "check-ignore", "-q", "--no-index", projectkey.DefaultName)
	cmd.Dir = r.Root
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &ee) && ee.ExitCode() == 1:
		return false, nil
	}
	return false, fmt.Errorf("git check-ignore: %w", err)
}

// GitignoreReport applies rule CK004 to the repository: a warning report
// about .gitignore when it does not cover codeship.aes, else nil.
func (r *Repo) GitignoreReport(allow []Allow) (*diag.Report, error) {
	ok, err := r.IgnoresKey()
	if err != nil || ok {
		return nil, err
	}
	rep := &diag.Report{File: ".gitignore", Kind: "gitignore"}
	rep.Add(diag.Warnf(CodeGitignore, diag.Position{},
		"add the line /codeship.aes to .gitignore, so that git add . never stages the key",
		".gitignore does not cover %s: the project key is one git add away from a commit", diag.Phrase(projectkey.DefaultName)))
	applyAllows(rep, allow, pragmas{})
	return rep, nil
}

// HooksDir returns the directory git runs hooks from: core.hooksPath when
// it is set, else .git/hooks (of the main work tree for a linked one).
func (r *Repo) HooksDir() (string, error) {
	out, err := git(r.Root, nil, "rev-parse", "--path-format=absolute", "--git-path", "hooks")
	if err != nil {
		return "", fmt.Errorf("finding the hooks directory: %w", err)
	}
	return filepath.Clean(strings.TrimSpace(string(out))), nil
}
