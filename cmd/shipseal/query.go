package main

import (
	"fmt"
	"strings"

	"github.com/tidwall/gjson"
)

// checkQuery reports what makes path malformed as a gjson path
// (https://github.com/tidwall/gjson/blob/master/SYNTAX.md), or nil.
//
// gjson has no validator of its own: a malformed path such as
// "registries.#(" quietly matches nothing, which reads as "no such data"
// when it is a typo. gjson is lenient where the intent is clear (an
// unquoted query value, say), so this checks only what gjson cannot make
// sense of either: an empty path or component, brackets, parentheses and
// strings that are never closed or never opened, a dangling escape, a
// query operator without a value, text glued to a query's ")", and an
// unknown @modifier.
func checkQuery(path string) error {
	if path == "" {
		return fmt.Errorf("the query is empty")
	}
	p := &queryParser{s: path}
	if err := p.path(""); err != nil {
		return err
	}
	if p.i < len(p.s) {
		return p.errorf("unexpected %q", p.s[p.i])
	}
	return nil
}

type queryParser struct {
	s string
	i int
}

func (p *queryParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%s at offset %d", fmt.Sprintf(format, args...), p.i+1)
}

func (p *queryParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *queryParser) done(stop string) bool {
	return p.i >= len(p.s) || strings.IndexByte(stop, p.s[p.i]) >= 0
}

// path reads components separated by "." or "|" up to the end or a byte
// of stop, which the caller handles.
func (p *queryParser) path(stop string) error {
	for {
		if err := p.component(stop); err != nil {
			return err
		}
		if c := p.peek(); c != '.' && c != '|' {
			return nil
		}
		p.i++
	}
}

func (p *queryParser) component(stop string) error {
	if p.done(stop) || p.peek() == '.' || p.peek() == '|' {
		return p.errorf("empty path component")
	}
	switch p.peek() {
	case '#':
		p.i++
		switch p.peek() {
		case '(':
			return p.query(')', stop)
		case '[':
			return p.query(']', stop)
		}
		return p.key(stop)
	case '@':
		return p.modifier(stop)
	case '{':
		return p.multipath('}', stop)
	case '[':
		return p.multipath(']', stop)
	case '!':
		p.i++
		if err := p.value(); err != nil {
			return err
		}
		return p.end(stop)
	}
	return p.key(stop)
}

// key reads a name with wildcards and escapes.
func (p *queryParser) key(stop string) error {
	for !p.done(stop) {
		switch c := p.peek(); c {
		case '.', '|':
			return nil
		case '\\':
			p.i++
			if p.i >= len(p.s) {
				p.i--
				return p.errorf(`lone \ at the end`)
			}
		case ')', ']', '}':
			return p.errorf("%q without its opening bracket", c)
		case '(', '[', '{', '"':
			return p.errorf("unexpected %q in a name (escape it with \\)", c)
		}
		p.i++
	}
	return nil
}

// end checks what follows a bracketed component: a separator, a stop byte
// or the end.
func (p *queryParser) end(stop string) error {
	switch c := p.peek(); {
	case p.done(stop) || c == '.' || c == '|':
		return nil
	case c == ')' || c == ']' || c == '}':
		return p.errorf("%q without its opening bracket", c)
	}
	return p.errorf("unexpected %q after %q", p.peek(), p.s[p.i-1])
}

// query reads #(...) or #[...] and an optional # after it.
func (p *queryParser) query(closer byte, stop string) error {
	open := p.i - 1
	p.i++
	p.spaces()
	if !p.done(string(closer) + "=!<>%") {
		if err := p.path(string(closer) + "=!<>% "); err != nil {
			return err
		}
		p.spaces()
	}
	if p.i >= len(p.s) {
		p.i = open
		return p.errorf("%q is never closed", p.s[open:open+2])
	}
	if p.peek() != closer {
		op := ""
		for _, o := range []string{"==", "!=", "<=", ">=", "!%", "=", "<", ">", "%"} {
			if strings.HasPrefix(p.s[p.i:], o) {
				op = o
				break
			}
		}
		if op == "" {
			return p.errorf("unexpected %q in a query (want an operator: == != < <= > >= %% !%%)", p.peek())
		}
		p.i += len(op)
		p.spaces()
		if p.done(string(closer)) {
			if p.i < len(p.s) {
				return p.errorf("the query operator %s has no value", op)
			}
			p.i = open
			return p.errorf("%q is never closed", p.s[open:open+2])
		}
		if p.peek() == '"' {
			if err := p.str(); err != nil {
				return err
			}
		} else {
			// gjson reads an unquoted value, or ~true and the like, as
			// it is; a nested query may hold brackets.
			depth := 0
			for p.i < len(p.s) && (depth > 0 || p.s[p.i] != closer) {
				switch p.s[p.i] {
				case '(', '[', '{':
					depth++
				case ')', ']', '}':
					depth--
				case '"':
					if err := p.str(); err != nil {
						return err
					}
					continue
				}
				p.i++
			}
		}
		p.spaces()
		if p.i >= len(p.s) {
			p.i = open
			return p.errorf("%q is never closed", p.s[open:open+2])
		}
		if p.peek() != closer {
			return p.errorf("unexpected %q in a query, after its value", p.peek())
		}
	}
	p.i++ // the closer
	if p.peek() == '#' {
		p.i++
	}
	return p.end(stop)
}

// modifier reads @name and its optional :argument.
func (p *queryParser) modifier(stop string) error {
	start := p.i
	p.i++
	for !p.done(stop) && !strings.ContainsRune(".|:", rune(p.peek())) {
		p.i++
	}
	name := p.s[start+1 : p.i]
	if !gjson.ModifierExists(name, nil) {
		p.i = start
		return p.errorf("unknown modifier @%s", name)
	}
	if p.peek() != ':' {
		return nil
	}
	p.i++
	switch p.peek() {
	case '{', '[', '"':
		if err := p.value(); err != nil {
			return err
		}
		return p.end(stop)
	}
	for !p.done(stop) && p.peek() != '.' && p.peek() != '|' {
		p.i++
	}
	return nil
}

// multipath reads {a,"name":b,!literal} or [a,b].
func (p *queryParser) multipath(closer byte, stop string) error {
	open := p.i
	p.i++
	p.spaces()
	for p.peek() != closer {
		if p.i >= len(p.s) {
			p.i = open
			return p.errorf("%q is never closed", p.s[open])
		}
		if closer == '}' && p.peek() == '"' {
			// An optional "name": before the path.
			save := p.i
			if err := p.str(); err != nil {
				return err
			}
			if p.spaces(); p.peek() == ':' {
				p.i++
				p.spaces()
			} else {
				p.i = save
			}
		}
		if err := p.path(", " + string(closer)); err != nil {
			if p.i >= len(p.s) {
				p.i = open
				return p.errorf("%q is never closed", p.s[open])
			}
			return err
		}
		p.spaces()
		if p.peek() == ',' {
			p.i++
			p.spaces()
			continue
		}
		if p.i < len(p.s) && p.peek() != closer {
			return p.errorf("unexpected %q in a multipath (want , or %q)", p.peek(), closer)
		}
	}
	p.i++
	return p.end(stop)
}

// value reads a JSON value: a literal after !, or a modifier's argument.
func (p *queryParser) value() error {
	start := p.i
	switch p.peek() {
	case '"':
		return p.str()
	case '{', '[':
		depth := 0
		for p.i < len(p.s) {
			switch p.s[p.i] {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			case '"':
				if err := p.str(); err != nil {
					return err
				}
				continue
			}
			p.i++
			if depth == 0 {
				if !gjson.Valid(p.s[start:p.i]) {
					p.i = start
					return p.errorf("invalid JSON")
				}
				return nil
			}
		}
		p.i = start
		return p.errorf("%q is never closed", p.s[start])
	}
	for p.i < len(p.s) && !strings.ContainsRune(".|,}]) ", rune(p.s[p.i])) {
		p.i++
	}
	if !gjson.Valid(p.s[start:p.i]) {
		p.i = start
		return p.errorf("a literal must be JSON (true, false, null, a number or a \"string\")")
	}
	return nil
}

// str reads a JSON string, escapes and all.
func (p *queryParser) str() error {
	start := p.i
	p.i++
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case '\\':
			p.i++
		case '"':
			p.i++
			return nil
		}
		p.i++
	}
	p.i = start
	return p.errorf("string is never closed")
}

func (p *queryParser) spaces() {
	for p.peek() == ' ' {
		p.i++
	}
}
