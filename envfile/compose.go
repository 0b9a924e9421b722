package envfile

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// composeSpace is the whitespace compose skips inside a line: unicode
// spaces except the line break.
func composeSpace(r rune) bool {
	switch r {
	case '\t', '\v', '\f', '\r', ' ', 0x85, 0xA0:
		return true
	}
	return false
}

// compose reads the file the way Docker Compose reads .env: statements
// separated by whitespace and # comment lines, an optional "export "
// prefix, NAME=value or NAME: value, values unquoted (to the end of the
// line, " #" starting a comment, trailing space trimmed), 'single-quoted'
// (literal) or "double-quoted" (escapes, interpolation), quoted values
// spanning lines.
func (c *checker) compose() {
	data := c.data
	pos := 0
	if bytes.HasPrefix(data, utf8BOM) {
		pos = len(utf8BOM)
	}
	vars := map[string]string{}
	for {
		for pos < len(data) {
			r, size := utf8.DecodeRune(data[pos:])
			if !unicode.IsSpace(r) {
				break
			}
			pos += size
		}
		if pos >= len(data) {
			return
		}
		if data[pos] == '#' {
			e := lineEnd(data, pos)
			c.maskComment(pos, e-1)
			pos = e
			continue
		}
		pos = c.composeStatement(pos, vars)
	}
}

// lineEnd returns the offset just after the \n that ends the line holding
// off, or len(data).
func lineEnd(data []byte, off int) int {
	if i := bytes.IndexByte(data[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(data)
}

func lineStart(data []byte, off int) int {
	return bytes.LastIndexByte(data[:off], '\n') + 1
}

// composeStatement reads one statement starting at pos and returns where
// the next one may start.
func (c *checker) composeStatement(pos int, vars map[string]string) int {
	data := c.data
	start := lineStart(data, pos)
	line := c.src.Position(pos).Line
	s := pos
	if bytes.HasPrefix(data[s:], []byte("export")) && s+6 < len(data) && strings.IndexByte("\t\n\f\r ", data[s+6]) >= 0 {
		s += 6
		for s < len(data) {
			r, size := utf8.DecodeRune(data[s:])
			if !composeSpace(r) {
				break
			}
			s += size
		}
	}
	next := lineEnd(data, s)
	// The name ends at =, : (compose also reads "NAME: value") or the end
	// of the line.
	i := s
	term := byte(0)
	for i < len(data) {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == '=' || r == ':' || r == '\n':
			term = byte(r)
		case composeSpace(r), r == '_', r == '.', r == '-', r == '[', r == ']', unicode.IsLetter(r), unicode.IsNumber(r):
			i += size
			continue
		default:
			c.composeBadName(s, i, r, size, next)
			return next
		}
		break
	}
	nameEnd := i
	for nameEnd > s {
		r, size := utf8.DecodeLastRune(data[s:nameEnd])
		if !unicode.IsSpace(r) {
			break
		}
		nameEnd -= size
	}
	name := string(data[s:nameEnd])
	c.checkBytes(s, nameEnd, "the name")
	if term != '=' && term != ':' {
		// A bare NAME: inherited from the environment.
		if name == "" {
			c.errorf(CodeEmptyName, pos, "write NAME=value, or delete the line", "\"export\" without a variable name")
			return next
		}
		if strings.IndexFunc(name, unicode.IsSpace) >= 0 {
			c.src.MarkSecret(s, nameEnd)
			c.errorf(CodeValueOnly, s, "write NAME=value; a value on its own line is not read",
				"the line is not NAME=value: it has no = and compose refuses it")
			return next
		}
		c.bareName(name, line, start, s, nameEnd, next)
		if c.opts.Lookup != nil {
			if v, ok := c.opts.Lookup(name); ok {
				vars[name] = v
			}
		}
		return next
	}
	if name == "" {
		c.src.MarkSecret(i+1, next)
		c.errorf(CodeEmptyName, s, "put the variable's name before the =", "the line has no variable name before the %c", term)
		return next
	}
	if strings.IndexFunc(name, unicode.IsSpace) >= 0 {
		c.src.MarkSecret(i+1, next)
		const hint = "a variable name cannot hold spaces or tabs: use _ instead"
		if shownSpacedName(name) {
			c.errorf(CodeNameSpace, s, hint, "the name %q contains whitespace: compose refuses it", name)
			return next
		}
		c.src.MarkSecret(s, nameEnd)
		c.errorf(CodeNameSpace, s, hint, "the name contains whitespace: compose refuses it")
		return next
	}
	if looksLikeValue(name) {
		c.src.MarkSecret(s, nameEnd)
		c.warnf(CodeValueOnly, s, "a value on its own line is not read as one: write NAME=value, with multi-line values in double quotes",
			"the line looks like a value (base64?) rather than NAME=value")
	} else {
		c.portable(name, s, true)
	}
	v := i + 1
	for v < len(data) {
		r, size := utf8.DecodeRune(data[v:])
		if !composeSpace(r) {
			break
		}
		v += size
	}
	var value string
	var valEnd int
	if v < len(data) && (data[v] == '"' || data[v] == '\'') {
		var ok bool
		value, valEnd, next, ok = c.composeQuoted(v, vars)
		if !ok {
			return next
		}
	} else {
		e := lineEnd(data, v)
		le := e
		if le > v && data[le-1] == '\n' {
			le--
		}
		c.src.MarkSecret(v, le)
		raw := data[v:le]
		if j := bytes.Index(raw, []byte(" #")); j >= 0 {
			raw = raw[:j]
		}
		raw = bytes.TrimRightFunc(raw, unicode.IsSpace)
		valEnd = v + len(raw)
		c.checkBytes(v, le, "the value")
		var err error
		value, err = c.interpolate(string(raw), v, vars)
		if err != nil {
			return e
		}
		next = e
	}
	c.src.AddSecretValue(value)
	if valEnd == v {
		c.openEnd = next
	}
	if j := strings.IndexByte(value, '\r'); j >= 0 {
		c.warnf(CodeCR, v, "remove the carriage return from the value (a CRLF line end inside quotes is kept)",
			"carriage return inside the value")
	}
	vars[name] = value
	c.add(Entry{Name: name, Value: value, Line: line}, place{start: start, nameEnd: nameEnd, valStart: v, valEnd: valEnd, end: next})
	return next
}

// bareName records an inherited NAME line, warning when it does not look
// like a name.
func (c *checker) bareName(name string, line, start, s, nameEnd, next int) {
	if looksLikeValue(name) || c.continues(start, name) || !isPortableName(name) && utf8.ValidString(name) && strings.IndexByte(name, 0) < 0 {
		c.openEnd = next
		c.src.MarkSecret(s, nameEnd)
		c.warnf(CodeValueOnly, s, "write NAME=value; a line without = is the name of a variable to copy from the environment",
			"the line has no =: %s takes it as a variable name to inherit, and drops it when that is not set", c.opts.Dialect)
	}
	c.add(Entry{Name: name, Inherit: true, Line: line}, place{start: start, nameEnd: nameEnd, valStart: nameEnd, valEnd: nameEnd, end: next})
}

// composeBadName reports a character compose refuses in a name at i.
func (c *checker) composeBadName(s, i int, r rune, size, next int) {
	le := next
	if le > s && c.data[le-1] == '\n' {
		le--
	}
	line := c.data[s:le]
	switch {
	case r == utf8.RuneError && size <= 1:
		c.src.MarkSecret(s, le)
		c.checkBytes(s, le, "the line")
	case r == 0:
		c.src.MarkSecret(s, le)
		c.checkBytes(s, le, "the line")
	case bytes.IndexAny(line, "=:") < 0:
		c.src.MarkSecret(s, le)
		c.errorf(CodeValueOnly, s, "write NAME=value; multi-line values go in double quotes",
			"the line is not NAME=value: it has no = and compose refuses it")
	default:
		eq := bytes.IndexAny(line, "=:")
		c.src.MarkSecret(s+eq+1, le)
		if looksLikeValue(string(line[:eq])) {
			// A line of base64 (a pasted key) cut at its padding's =.
			c.src.MarkSecret(s, s+eq)
		}
		if eq < i-s {
			// The bad character is after the separator: cannot happen,
			// the scan stops at the first separator.
			panic("envfile: internal error: name scan passed the separator")
		}
		c.errorf(CodeNameChar, i, "use letters, digits and _ in names (compose also allows . - [ ])",
			"compose refuses the character %q in a variable name", r)
	}
}

// composeQuoted reads the quoted value starting at v. It returns the value,
// the end of the raw value (after the closing quote), where the next
// statement may start and whether the value was read.
func (c *checker) composeQuoted(v int, vars map[string]string) (string, int, int, bool) {
	data := c.data
	q := data[v]
	var chars []byte
	esc := false
	j := v + 1
	for ; j < len(data); j++ {
		b := data[j]
		if b != q || esc {
			if esc {
				esc = false
				if b != q {
					chars = append(chars, '\\')
				}
			} else if b == '\\' {
				esc = true
				continue
			}
			chars = append(chars, b)
			continue
		}
		break
	}
	if j >= len(data) {
		c.src.MarkSecret(v, len(data))
		c.errorf(CodeUnterminated, v, fmt.Sprintf("add the closing %c; a %c inside the value is written \\%c", q, q, q),
			"the quoted value has no closing %c: compose reads to the end of the file", q)
		return "", 0, len(data), false
	}
	valEnd := j + 1
	c.src.MarkSecret(v, valEnd)
	c.checkBytes(v, valEnd, "the value")
	next := lineEnd(data, valEnd)
	// After the closing quote only spaces and a comment may follow.
	k := valEnd
	for k < len(data) {
		r, size := utf8.DecodeRune(data[k:])
		if !composeSpace(r) {
			break
		}
		k += size
	}
	if k < len(data) && data[k] != '\n' && data[k] != '#' {
		le := next
		if le > k && data[le-1] == '\n' {
			le--
		}
		c.src.MarkSecret(k, le)
		c.errorf(CodeAfterQuote, k, "put the whole value inside the quotes, or start a comment with #",
			"text after the closing quote: compose reads it as a new line")
		return "", valEnd, next, false
	}
	value := string(chars)
	if q == '"' {
		var err error
		if value, err = c.interpolate(unescape(value), v, vars); err != nil {
			return "", valEnd, next, false
		}
	}
	return value, valEnd, next, true
}

// interpolate expands ${VAR} in a value at offset at, as compose does:
// against the environment first, then the file's earlier entries. Without
// a Lookup the environment is compose's, where it runs, which validation
// does not see: a variable the file does not define is taken as empty, and
// the findings about it say that compose takes it from its environment.
func (c *checker) interpolate(s string, at int, vars map[string]string) (string, error) {
	x := &expander{outside: c.opts.Lookup == nil, lookup: func(name string) (string, bool) {
		if c.opts.Lookup != nil {
			if v, ok := c.opts.Lookup(name); ok {
				return v, true
			}
		}
		v, ok := vars[name]
		return v, ok
	}}
	out, err := x.expand(s)
	if err != nil {
		var te *templateError
		if errors.As(err, &te) {
			c.errorf(te.code, at, te.hint, te.format, te.args...)
		}
		return "", err
	}
	for _, name := range x.required {
		c.warnf(CodeRequired, at, "make sure the variable is set in the environment compose runs in (CI's settings); to give it a value in this file instead, define it on an earlier line or write ${NAME:-default}",
			"%s is not defined earlier in this file: compose stops unless %s is set where it runs", name, name)
	}
	for _, name := range x.unset {
		if x.outside {
			c.warnf(CodeUnset, at, "nothing to do if the environment compose runs in sets it; otherwise define it on an earlier line, give it a default, ${NAME:-default}, or write $$ for a literal $",
				"%s is not defined earlier in this file: compose takes it from the environment where it runs (empty if unset there)", name)
			continue
		}
		c.warnf(CodeUnset, at, "define it earlier in the file or in the environment, write $$ for a literal $, or give it a default: ${NAME:-default}",
			"%s is not set: compose substitutes an empty string", name)
	}
	return out, nil
}
