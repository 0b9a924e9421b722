package envfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Dialect says which program's rules a file is read with.
type Dialect int

const (
	// Docker is `docker run --env-file` (and Codeship's encrypted_env_file):
	// values are taken literally up to the end of the line.
	Docker Dialect = iota
	// Compose is Docker Compose's .env format.
	Compose
)

func (d Dialect) String() string {
	switch d {
	case Docker:
		return "docker"
	case Compose:
		return "compose"
	}
	return fmt.Sprintf("dialect(%d)", int(d))
}

// ParseDialect turns "docker" or "compose" (the --dialect flag) into a
// Dialect.
func ParseDialect(s string) (Dialect, error) {
	switch strings.ToLower(s) {
	case "", "docker":
		return Docker, nil
	case "compose":
		return Compose, nil
	}
	return 0, fmt.Errorf("unknown env file dialect %q: use docker or compose", s)
}

// Entry is one variable of a file.
type Entry struct {
	Name string
	// Value is the value after the dialect's processing (quotes, escapes,
	// interpolation). It is a secret. It is empty when Inherit is set.
	Value string
	// Inherit is set for a bare NAME line: the variable takes its value
	// from the environment of the program that reads the file, and is left
	// out when that environment does not have it.
	Inherit bool
	// Line is the 1-based line where the entry starts.
	Line int
}

// place is where an entry lives in the raw bytes, for writing back.
type place struct {
	start    int // first byte of the entry's first line
	nameEnd  int // just after the name; a value is inserted here for Inherit
	valStart int // the raw value, quotes included
	valEnd   int
	end      int // just after the entry's last line, line end included
	// hidden is set for a line of a multi-line value that docker reads as
	// a variable of its own (see valueRun): its name is never shown.
	hidden bool
}

// File is a parsed env file. It keeps the bytes it was parsed from, so that
// Bytes returns them unchanged and Set and Delete touch only the lines of
// the variables they change.
type File struct {
	Dialect Dialect
	// Entries are in file order. A name may appear more than once; the last
	// one wins.
	Entries []Entry

	raw    []byte
	places []place // parallel to Entries
	lookup func(string) (string, bool)
}

// Get returns the value of the last entry named name, and whether there is
// one. An inherited entry counts only when lookup has the name (lookup may
// be nil); when it does not, the entry before it counts.
func (f *File) Get(name string, lookup func(string) (string, bool)) (string, bool) {
	for i := len(f.Entries) - 1; i >= 0; i-- {
		e := f.Entries[i]
		if e.Name != name {
			continue
		}
		if !e.Inherit {
			return e.Value, true
		}
		if lookup != nil {
			if v, ok := lookup(name); ok {
				return v, true
			}
		}
		// Not in the environment: the entry is dropped and an earlier
		// one, if any, stands.
	}
	return "", false
}

// Environ returns the variables as NAME=value strings in file order,
// duplicates included, the way docker passes them to a container. Inherited
// entries are resolved with lookup (nil means an empty environment) and left
// out when it does not have them.
func (f *File) Environ(lookup func(string) (string, bool)) []string {
	var out []string
	for _, e := range f.Entries {
		v := e.Value
		if e.Inherit {
			if lookup == nil {
				continue
			}
			var ok bool
			if v, ok = lookup(e.Name); !ok {
				continue
			}
		}
		out = append(out, e.Name+"="+v)
	}
	return out
}

// Bytes returns the file's content, with the changes made by Set and
// Delete. It holds secrets.
func (f *File) Bytes() []byte { return bytes.Clone(f.raw) }

// WriteTo writes the file's content to w.
func (f *File) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(f.raw)
	return int64(n), err
}

// Set gives name the value value. When the file has name, only the value
// of its last entry changes (an inherited entry gains "=value"); otherwise a
// NAME=value line is added at the end. Every other byte stays as it was.
func (f *File) Set(name, value string) error {
	if !isPortableName(name) {
		return fmt.Errorf("cannot set %q: a variable name is letters, digits and _, not starting with a digit", name)
	}
	enc, err := encodeValue(f.Dialect, value)
	if err != nil {
		return fmt.Errorf("cannot set %s: %w", name, err)
	}
	var next []byte
	if i := f.last(name); i >= 0 {
		p := f.places[i]
		if f.Entries[i].Inherit {
			next = splice(f.raw, p.nameEnd, p.nameEnd, "="+enc)
		} else {
			next = splice(f.raw, p.valStart, p.valEnd, enc)
		}
	} else {
		nl := f.lineEnd()
		next = bytes.Clone(f.raw)
		if len(next) > 0 && next[len(next)-1] != '\n' {
			next = append(next, nl...)
		}
		next = append(next, name+"="+enc+nl...)
	}
	g, err := parseFile(next, f.Dialect, f.lookup)
	if err != nil {
		return fmt.Errorf("cannot set %s: %w", name, err)
	}
	if v, ok := g.Get(name, nil); !ok || v != value {
		// encodeValue is meant to round-trip; a value it cannot write is
		// refused above, so this is a bug.
		panic("envfile: internal error: value does not round-trip")
	}
	*f = *g
	return nil
}

// Delete removes every entry named name, whole lines included, and reports
// whether there was one.
func (f *File) Delete(name string) (bool, error) {
	next := f.raw
	found := false
	for i := len(f.Entries) - 1; i >= 0; i-- {
		if f.Entries[i].Name == name {
			next = splice(next, f.places[i].start, f.places[i].end, "")
			found = true
		}
	}
	if !found {
		return false, nil
	}
	g, err := parseFile(next, f.Dialect, f.lookup)
	if err != nil {
		return false, fmt.Errorf("cannot delete %s: %w", name, err)
	}
	*f = *g
	return true, nil
}

func (f *File) last(name string) int {
	for i := len(f.Entries) - 1; i >= 0; i-- {
		if f.Entries[i].Name == name {
			return i
		}
	}
	return -1
}

// lineEnd is the line end the file already uses.
func (f *File) lineEnd() string {
	if i := bytes.IndexByte(f.raw, '\n'); i > 0 && f.raw[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

func splice(b []byte, start, end int, s string) []byte {
	out := make([]byte, 0, len(b)-(end-start)+len(s))
	out = append(out, b[:start]...)
	out = append(out, s...)
	return append(out, b[end:]...)
}

// encodeValue writes value so that the dialect reads it back unchanged.
func encodeValue(d Dialect, value string) (string, error) {
	if strings.IndexByte(value, 0) >= 0 {
		return "", errors.New("a value cannot hold a NUL byte")
	}
	if d == Docker {
		switch {
		case strings.ContainsAny(value, "\n"):
			return "", errors.New("a docker env file value cannot span lines: use the compose dialect or a file mount")
		case strings.HasSuffix(value, "\r"):
			return "", errors.New("docker drops a carriage return at the end of a line")
		}
		return value, nil
	}
	if value != "" && strings.IndexFunc(value, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_./:@%+,=-", r))
	}) < 0 {
		return value, nil
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`, "\n", `\n`, "\r", `\r`)
	return `"` + r.Replace(value) + `"`, nil
}
