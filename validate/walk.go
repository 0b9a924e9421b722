package validate

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/dockercfg"
)

// vcsDirs are the directories of version control systems, which a walk
// skips: their files are the history's, not the project's.
var vcsDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true, ".bzr": true, "_darcs": true, "CVS": true,
	".jj": true, ".pijul": true, ".sl": true, ".fslckout": true,
}

// depDirs hold other projects' files, installed by a package manager: a
// walk skips them, as linters do (dotenv's own test .env files live in
// node_modules).
var depDirs = map[string]bool{"node_modules": true, "bower_components": true}

// Walk calls fn, in lexical order, for every file under dir that validate
// recognises by its name (see Recognised), as a linter walks a directory:
// the directories of version control systems (.git, .hg, .svn, ...) and
// of installed dependencies (node_modules, bower_components) are skipped, a symbolic link to a directory is not followed (one to a file
// is), and what is not a regular file (a named pipe, a device) or is a
// temporary file of an interrupted shipseal run is left alone. A
// directory below dir that cannot be read is passed to fn with its error,
// and the walk goes on; an error that fn returns stops it. dir itself may
// be a symbolic link to a directory.
func Walk(dir string, fn func(path string, err error) error) error {
	root := dir
	if st, err := os.Lstat(dir); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		root = dir + string(filepath.Separator) // named, so followed
	}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if p == root {
			p = dir
		}
		switch {
		case err != nil:
			return fn(p, err) // dir, or a directory below whose entries cannot be read
		case d.IsDir():
			if p != dir && (vcsDirs[d.Name()] || depDirs[d.Name()]) {
				return filepath.SkipDir
			}
			return nil
		case !Recognised(p) || atomicfile.IsTemp(p):
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
				return nil // a link to a directory, or to nothing
			}
		case !d.Type().IsRegular():
			return nil
		}
		return fn(p, nil)
	})
}

// Recognised reports whether a file met in a walk, rather than named, is
// one that validate checks, by its path: a name that says encrypted (see
// NamedEncrypted), or one that says dockercfg or env file (KindFromName),
// with the care of shipseal check, which meets every file of a project
// too: direnv's .envrc is a shell script, not an env file, and a name with
// dockercfg in it is a dockercfg only with no extension or as .json
// (dockercfg.md and dockercfg_test.go are not). config.json, which many
// programs have, is recognised; its content decides (see Foreign).
func Recognised(p string) bool {
	if NamedEncrypted(p) {
		return true
	}
	base := strings.ToLower(filepath.Base(p))
	switch KindFromName(p) {
	case Env:
		return base != ".envrc"
	case Dockercfg:
		ext := path.Ext(base)
		return base == "config.json" || ext == "" || ext == ".json" || strings.HasPrefix(base, ".dockercfg")
	}
	return false
}

// Foreign reports whether data, the content of a file that a walk met at
// path, is another program's file to leave alone, although Recognised
// took it by its name: a plaintext config.json outside a .docker or docker
// directory without docker's shape (dockercfg.Shaped). Another program's
// config.json is no dockercfg, as for shipseal check.
func Foreign(p string, data []byte) bool {
	if !strings.EqualFold(filepath.Base(p), "config.json") {
		return false
	}
	switch filepath.Base(filepath.Dir(p)) {
	case ".docker", "docker":
		return false
	}
	return !dockercfg.Shaped(data)
}
