package envfile

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/shipseal/shipseal/diag"
)

// templateError is a compose interpolation failure. Its text names
// variables, never values: format is shipseal's words, args the names.
type templateError struct {
	code   string
	format string
	args   []any
	hint   string
}

func (e *templateError) Error() string { return fmt.Sprintf(e.format, e.args...) }

// expander does compose's ${VAR} interpolation. It remembers the names it
// found unset, for a warning.
type expander struct {
	lookup func(string) (string, bool)
	// outside is set when lookup has only the file's own variables: a
	// name it does not have comes from the environment where compose
	// runs, which validation does not see. It is then not unset but
	// unknown: taken as empty, and ${NAME:?} of it is not an error.
	outside bool
	unset   []string // names lookup does not have, used bare or in ${NAME}
	// required are the names lookup does not have in ${NAME:?} or
	// ${NAME?}, when outside: compose stops unless its environment has
	// them.
	required []string
	depth    int // ${...} nesting, bounded so that a crafted value cannot take quadratic time
}

// maxNesting is how deep ${A:-${B:-...}} defaults may nest.
const maxNesting = 32

func isNameStart(b byte) bool { return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
func isNameByte(b byte) bool  { return isNameStart(b) || b >= '0' && b <= '9' }

// expand replaces $$, $VAR and ${VAR...} in s. A $ that starts none of
// them stays.
func (x *expander) expand(s string) (string, error) {
	if strings.IndexByte(s, '$') < 0 {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			i++
			continue
		}
		switch n := s[i+1]; {
		case n == '$':
			b.WriteByte('$')
			i += 2
		case isNameStart(n):
			j := i + 1
			for j < len(s) && isNameByte(s[j]) {
				j++
			}
			b.WriteString(x.get(s[i+1 : j]))
			i = j
		case n == '{':
			end := closingBrace(s, i+1)
			if end < 0 {
				return "", &templateError{code: CodeBadTemplate, format: "unterminated ${ in the value", hint: "close it with }, or write $$ for a literal $"}
			}
			v, err := x.braced(s[i+2 : end])
			if err != nil {
				return "", err
			}
			b.WriteString(v)
			i = end + 1
		default:
			b.WriteByte('$')
			i++
		}
	}
	return b.String(), nil
}

func (x *expander) get(name string) string {
	v, ok := x.lookup(name)
	if !ok {
		x.unset = appendNew(x.unset, name)
	}
	return v
}

// appendNew appends name to names unless it is there already.
func appendNew(names []string, name string) []string {
	for _, n := range names {
		if n == name {
			return names
		}
	}
	return append(names, name)
}

// closingBrace returns the index of the } that closes the { at open.
func closingBrace(s string, open int) int {
	depth := 0
	for j := open; j < len(s); j++ {
		switch s[j] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// braced expands the inside of ${...}: NAME, then optionally one of
// :- - :+ + :? ? and a word that is itself expanded when used.
func (x *expander) braced(in string) (string, error) {
	n := 0
	if n < len(in) && isNameStart(in[n]) {
		for n < len(in) && isNameByte(in[n]) {
			n++
		}
	}
	name, rest := in[:n], in[n:]
	bad := &templateError{code: CodeBadTemplate, format: "malformed ${...} in the value",
		hint: "write ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:+alt}, ${NAME+alt}, ${NAME:?error} or ${NAME?error}; $$ is a literal $"}
	if name == "" {
		return "", bad
	}
	if rest == "" {
		return x.get(name), nil
	}
	op := rest[:1]
	if rest[0] == ':' {
		if len(rest) < 2 {
			return "", bad
		}
		op = rest[:2]
	}
	word := rest[len(op):]
	if x.depth++; x.depth > maxNesting {
		return "", &templateError{code: CodeBadTemplate, format: "${...} defaults nested too deeply", hint: "nest at most 32 levels of ${...}"}
	}
	defer func() { x.depth-- }()
	v, ok := x.lookup(name)
	switch op {
	case ":-", "-":
		if !ok || op == ":-" && v == "" {
			return x.expand(word)
		}
		return v, nil
	case ":+", "+":
		if ok && (op == "+" || v != "") {
			return x.expand(word)
		}
		return v, nil
	case ":?", "?":
		switch {
		case !ok && x.outside:
			// Not the file's: whether compose stops depends on the
			// environment where it runs.
			x.required = appendNew(x.required, name)
			return "", nil
		case x.outside && op == ":?" && v == "":
			return "", &templateError{code: CodeRequired, format: "required variable %s is empty: this file sets it empty before this use, so compose stops here", args: []any{name},
				hint: "give the variable a value where the file sets it, or drop the :? check"}
		case !ok || op == ":?" && v == "":
			how := "unset"
			if op == ":?" {
				how = "unset or empty"
			}
			return "", &templateError{code: CodeRequired, format: "required variable %s is %s", args: []any{name, diag.Phrase(how)},
				hint: "set it earlier in the file or in the environment, or drop the " + op + " check"}
		}
		return v, nil
	}
	return "", bad
}

var escapeSeq = regexp.MustCompile(`\\(?:[abcfnrtv$"\\]|0[0-9]{0,3})`)

// unescape applies compose's escapes in a double-quoted value: \n \t \r
// \a \b \f \v \" \\ \$ and \0ddd octal. \$ becomes $$ so that expand reads
// a literal $. A \0 not followed by three octal digits loses its 0, as in
// compose. Anything else keeps its backslash.
func unescape(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	return escapeSeq.ReplaceAllStringFunc(s, func(m string) string {
		switch m[1] {
		case '$':
			return "$$"
		case 'a':
			return "\a"
		case 'b':
			return "\b"
		case 'f':
			return "\f"
		case 'n':
			return "\n"
		case 'r':
			return "\r"
		case 't':
			return "\t"
		case 'v':
			return "\v"
		case '"':
			return `"`
		case '\\':
			return `\`
		case '0':
			if len(m) == 5 {
				if v, err := strconv.ParseUint(m[2:], 8, 8); err == nil {
					return string(rune(v))
				}
			}
			// Compose rewrites \0ddd to \ddd before unquoting it, and
			// keeps the rewritten text when that fails: \0 is \, \012 is \12.
			return `\` + m[2:]
		}
		return m
	})
}
