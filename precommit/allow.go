package precommit

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/shipseal/shipseal/diag"
)

// Allow is an exception: diagnostics with Code on files whose path matches
// Glob are not reported. It is the parsed form of --allow CODE:GLOB.
type Allow struct {
	Code string
	Glob string
}

// codePattern is a diagnostic code. It is compiled on first use, not at
// every start of the shipseal command.
var codePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z]{2}[0-9]{3}$`) })

// ParseAllow parses CODE:GLOB, as in --allow CK003:testdata/**. CODE is a
// diagnostic code (CK001, DC020, EV005, ...), or * for every code.
func ParseAllow(s string) (Allow, error) {
	code, glob, ok := strings.Cut(s, ":")
	code = strings.ToUpper(strings.TrimSpace(code))
	if !ok || glob == "" {
		return Allow{}, fmt.Errorf("allow rule %q is not CODE:GLOB (for example CK003:testdata/**)", s)
	}
	if code != "*" && !codePattern().MatchString(code) {
		return Allow{}, fmt.Errorf("allow rule %q: %q is not a diagnostic code like CK001, DC020 or EV005", s, code)
	}
	if _, err := path.Match(strings.ReplaceAll(glob, "**", "*"), ""); err != nil {
		return Allow{}, fmt.Errorf("allow rule %q: bad glob: %w", s, err)
	}
	return Allow{Code: code, Glob: glob}, nil
}

func (a Allow) String() string { return a.Code + ":" + a.Glob }

// Matches reports whether the rule allows code on the file called name (a
// slash-separated path relative to the repository root). A glob without a
// slash matches the base name in any directory, as in .gitignore; "**"
// matches any number of directories.
func (a Allow) Matches(code, name string) bool {
	if a.Code != code && a.Code != "*" {
		return false
	}
	name = path.Clean(strings.TrimPrefix(name, "./"))
	glob := strings.TrimPrefix(a.Glob, "./")
	if !strings.Contains(glob, "/") {
		return matchSegments([]string{glob}, []string{path.Base(name)})
	}
	return matchSegments(strings.Split(glob, "/"), strings.Split(name, "/"))
}

// matchSegments matches path segments against glob segments, where a "**"
// segment stands for zero or more whole segments.
func matchSegments(glob, name []string) bool {
	for len(glob) > 0 {
		if glob[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchSegments(glob[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(glob[0], name[0]); !ok {
			return false
		}
		glob, name = glob[1:], name[1:]
	}
	return len(name) == 0
}

// pragmas are the exceptions an env file grants itself in comments:
//
//	# shipseal:allow EV005 EV007       the next line
//	# shipseal:allow-file CK003        the whole file
type pragmas struct {
	file  map[string]bool
	lines map[int]map[string]bool // line number → codes
}

const pragmaPrefix = "shipseal:allow"

// parsePragmas reads the pragma comments of an env file. A pragma stacked
// on another applies to the same next line.
func parsePragmas(data []byte) pragmas {
	p := pragmas{file: map[string]bool{}, lines: map[int]map[string]bool{}}
	var pending []string
	for n, line := range bytes.Split(data, []byte("\n")) {
		lineNo := n + 1
		t := strings.TrimSpace(string(line))
		codes, fileWide, ok := parsePragma(t)
		if !ok {
			if len(pending) > 0 {
				if p.lines[lineNo] == nil {
					p.lines[lineNo] = map[string]bool{}
				}
				for _, c := range pending {
					p.lines[lineNo][c] = true
				}
				pending = nil
			}
			continue
		}
		if fileWide {
			for _, c := range codes {
				p.file[c] = true
			}
		} else {
			pending = append(pending, codes...)
		}
	}
	return p
}

// parsePragma parses one trimmed line; ok is false when it is not a
// pragma.
func parsePragma(line string) (codes []string, fileWide, ok bool) {
	rest, found := strings.CutPrefix(line, "#")
	if !found {
		return nil, false, false
	}
	rest, found = strings.CutPrefix(strings.TrimSpace(rest), pragmaPrefix)
	if !found {
		return nil, false, false
	}
	if r, f := strings.CutPrefix(rest, "-file"); f {
		rest, fileWide = r, true
	}
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return nil, false, false // shipseal:allowed, say: not ours
	}
	for _, f := range strings.FieldsFunc(rest, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' }) {
		if c := strings.ToUpper(f); codePattern().MatchString(c) {
			codes = append(codes, c)
		}
	}
	return codes, fileWide, true
}

func (p pragmas) allows(d diag.Diagnostic) bool {
	return p.file[d.Code] || (d.Pos.Line > 0 && p.lines[d.Pos.Line][d.Code])
}

// applyAllows drops the diagnostics that an --allow rule or a pragma
// allows, leaving a note for each so that the exception stays visible.
func applyAllows(r *diag.Report, allows []Allow, p pragmas) {
	kept := r.Diagnostics[:0]
	for _, d := range r.Diagnostics {
		why := ""
		for _, a := range allows {
			if a.Matches(d.Code, r.File) {
				why = "--allow " + a.String()
				break
			}
		}
		if why == "" && p.allows(d) {
			why = "a # " + pragmaPrefix + " comment"
		}
		if why == "" {
			kept = append(kept, d)
			continue
		}
		at := ""
		if d.Pos.Line > 0 {
			at = fmt.Sprintf(" at line %d", d.Pos.Line)
		}
		r.Notes = append(r.Notes, fmt.Sprintf("%s%s allowed by %s", d.Code, at, why))
	}
	r.Diagnostics = kept
}
