package envfile

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shipseal/shipseal/diag"
)

// valueRun is a run of lines that continue the value of the NAME=value
// line before them: a PEM block, a JSON document or a quoted text pasted
// as a multi-line value. Docker reads one line per variable, so each of
// those lines is a variable of its own to docker (or a reason to refuse
// the file); the run is reported once, and its lines are secrets.
type valueRun struct {
	name      string // the variable whose value the lines continue, as shown
	start     int    // offset of the run's first line
	end       int    // offset just after the run's last line
	firstLine int
	lastLine  int
	// refused counts the run's lines that docker refuses; only the first
	// is reported, with the count of the others.
	refused  int
	reported bool
}

// maxRunMisses is how many times a file may open a multi-line value whose
// end is not found before shipseal stops looking: each miss reads to the
// end of the file, and a crafted file must not take quadratic time.
const maxRunMisses = 20

// pemBegin and pemEnd start the first and last line of a PEM block.
const (
	pemBegin = "-----BEGIN "
	pemEnd   = "-----END "
)

// findRun reports whether the value v of a NAME=value line, whose next
// line starts at next, opens a multi-line value that the following lines
// continue and close: a PEM block (-----BEGIN ... to -----END ..., several
// blocks in a row too, or NAME= alone with the block from the next line),
// a JSON object or array whose brackets close on a later line, or a quote
// that a later line closes. The run is returned when its end is found,
// nil otherwise.
func (c *checker) findRun(v string, next int) *valueRun {
	if next >= len(c.data) || c.runMisses >= maxRunMisses {
		return nil
	}
	t := strings.TrimSpace(v)
	end := -1
	switch {
	case t == "" && bytes.HasPrefix(bytes.TrimLeft(c.data[next:lineEnd(c.data, next)], " \t"), []byte(pemBegin)):
		end = c.pemRunEnd(lineEnd(c.data, next))
	case strings.HasPrefix(strings.TrimLeft(t, `"'`), pemBegin):
		if strings.Contains(t, pemEnd) {
			return nil
		}
		end = c.pemRunEnd(next)
	case t != "" && (t[0] == '"' || t[0] == '\''):
		if strings.IndexByte(t[1:], t[0]) >= 0 {
			return nil
		}
		end = c.quoteRunEnd(t[0], next)
	case t != "" && (t[0] == '{' || t[0] == '['):
		var s jsonScan
		if s.feed([]byte(t)) >= 0 || s.depth <= 0 {
			return nil // closed on its own line, or not JSON
		}
		end = c.jsonRunEnd(&s, next)
	default:
		return nil
	}
	if end < 0 {
		c.runMisses++
		return nil
	}
	return &valueRun{start: next, end: end, firstLine: c.src.Position(next).Line, lastLine: c.src.Position(end - 1).Line}
}

// lines calls f with the start and end (line end excluded) of each line
// from off on, until f returns false.
func (c *checker) lines(off int, f func(start, end int) bool) {
	for off < len(c.data) {
		e := lineEnd(c.data, off)
		le := e
		if le > off && c.data[le-1] == '\n' {
			le--
		}
		if !f(off, le) {
			return
		}
		off = e
	}
}

// pemRunEnd returns the end of the line that closes the PEM block whose
// body starts at off (-----END ...), taking in the blocks that follow it
// directly (a certificate chain), or -1. A line that is no part of a PEM
// body (see pemBodyLine) ends the search: what follows is not the key's.
func (c *checker) pemRunEnd(off int) int {
	end := -1
	inBlock := true
	c.lines(off, func(s, e int) bool {
		t := bytes.TrimSpace(c.data[s:e])
		switch {
		case inBlock && bytes.HasPrefix(t, []byte(pemEnd)):
			end, inBlock = lineEnd(c.data, s), false
		case inBlock:
			return pemBodyLine(t)
		case bytes.HasPrefix(t, []byte(pemBegin)):
			inBlock = true
		default:
			return false
		}
		return true
	})
	// A block after the first without its end is left out: the run is
	// the blocks that are complete.
	return end
}

// maskPEM marks the body of every PEM block in the file as secret, in
// either dialect and wherever it stands: a key pasted into an env file
// has lines that read as names (a short last line of base64, cut at its
// padding's =), and no line of it may be shown, not even in an excerpt.
func (c *checker) maskPEM() {
	data := c.data
	for off := 0; off < len(data); {
		i := bytes.Index(data[off:], []byte(pemBegin))
		if i < 0 {
			return
		}
		start := lineEnd(data, off+i)
		end := start
		c.lines(start, func(s, e int) bool {
			t := bytes.TrimSpace(data[s:e])
			if bytes.Contains(t, []byte(pemEnd)) || !pemBodyLine(t) {
				return false
			}
			// A message may quote the line, or its part before an =
			// as a name.
			if len(t) > 0 {
				name, _, _ := bytes.Cut(t, []byte("="))
				c.src.AddSecretValue(string(t))
				c.src.AddSecretValue(string(name))
			}
			end = lineEnd(data, s)
			return true
		})
		if end > start {
			c.src.MarkSecret(start, end)
		}
		off = end
	}
}

// pemBodyLine reports whether t, a line without its surrounding blanks,
// may be inside a PEM block: base64 (padding at the end only), a blank
// line, or a header such as "Proc-Type: 4,ENCRYPTED".
func pemBodyLine(t []byte) bool {
	if name, _, ok := bytes.Cut(t, []byte(": ")); ok {
		return len(name) > 0 && bytes.IndexFunc(name, func(r rune) bool {
			return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '-')
		}) < 0
	}
	t = bytes.TrimRight(t, "=")
	return bytes.IndexFunc(t, func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+' || r == '/')
	}) < 0
}

// quoteRunEnd returns the end of the first line from off on that holds
// the quote q, when that line ends with it (trailing blanks aside), or -1:
// a quote in the middle of a line is no closing quote of a value.
func (c *checker) quoteRunEnd(q byte, off int) int {
	i := bytes.IndexByte(c.data[off:], q)
	if i < 0 {
		return -1
	}
	i += off
	e := lineEnd(c.data, i)
	if t := bytes.TrimRightFunc(c.data[i:e], unicode.IsSpace); len(t) != 1 {
		return -1
	}
	return e
}

// jsonRunEnd returns the end of the line from off on where the JSON
// scanned so far closes, with nothing but blanks after it, or -1.
func (c *checker) jsonRunEnd(s *jsonScan, off int) int {
	end := -1
	c.lines(off, func(ls, le int) bool {
		i := s.feed(c.data[ls:le])
		if i < 0 {
			return true
		}
		if len(bytes.TrimSpace(c.data[ls+i+1:le])) == 0 {
			end = lineEnd(c.data, ls)
		}
		return false
	})
	return end
}

// jsonScan follows the brackets of JSON text, skipping strings.
type jsonScan struct {
	depth      int
	inStr, esc bool
}

// feed scans b and returns the index in it where the outermost bracket
// closes (or a closing bracket has no opening one), or -1.
func (s *jsonScan) feed(b []byte) int {
	for i, ch := range b {
		switch {
		case s.esc:
			s.esc = false
		case s.inStr:
			switch ch {
			case '\\':
				s.esc = true
			case '"':
				s.inStr = false
			}
		case ch == '"':
			s.inStr = true
		case ch == '{' || ch == '[':
			s.depth++
		case ch == '}' || ch == ']':
			if s.depth--; s.depth <= 0 {
				return i
			}
		}
	}
	return -1
}

// startRun reports the run r, which continues the value of name (at at),
// once, at its first line: a warning, since docker reads its lines (as
// variables of their own) unless one of them is an error, which is
// reported as well.
func (c *checker) startRun(r *valueRun, name string, at int) {
	r.name = c.name(name, at)
	c.src.MarkSecret(r.start, r.end)
	c.lines(r.start, func(s, e int) bool {
		if s >= r.end {
			return false
		}
		if e-s <= maxDockerLine && dockerRefuses(c.data[s:e]) {
			r.refused++
		}
		return true
	})
	const fix = `put the value on one line (e.g. base64 it, or \n escapes if the app unescapes them) or mount it as a file`
	hint := fix
	if c.composeReads() {
		hint = "compose would read this file, but Codeship reads encrypted env files as docker --env-file does " +
			"(one line per variable, no quotes): " + fix + ", or pass --dialect compose if only compose reads this file"
	}
	if r.firstLine == r.lastLine {
		c.warnf(CodeValueOnly, r.start, hint, "line %d continues %s's value: docker's --env-file reads one line per variable",
			r.firstLine, r.name)
		return
	}
	c.warnf(CodeValueOnly, r.start, hint, "lines %d–%d continue %s's value: docker's --env-file reads one line per variable",
		r.firstLine, r.lastLine, r.name)
}

// dockerRunLine reads a line of the run r as docker does, which takes it
// for a variable of its own: the entry docker makes of it is kept (so
// that the file reads as docker reads it), the errors docker raises are
// reported, without the line, and nothing else is.
func (c *checker) dockerRunLine(r *valueRun, line, off, end, next int) {
	data := c.data
	c.src.MarkSecret(off, end)
	s := off
	for s < end {
		ch, size := utf8.DecodeRune(data[s:end])
		if !unicode.IsSpace(ch) {
			break
		}
		s += size
	}
	if s == end || data[s] == '#' {
		return
	}
	c.checkBytes(s, end, "the line")
	eq := bytes.IndexByte(data[s:end], '=')
	key := data[s:end]
	if eq >= 0 {
		key = data[s : s+eq]
	}
	switch {
	case eq == 0:
		c.refuse(r, CodeEmptyName, s, "it starts with =, so it has no variable name")
	case bytes.ContainsAny(key, " \t") && eq < 0:
		c.refuse(r, CodeValueOnly, s, "a line without = is a variable name to docker, and a name cannot hold whitespace")
	case bytes.ContainsAny(key, " \t"):
		c.refuse(r, CodeNameSpace, s, "what is before the = is a variable name to docker, and a name cannot hold whitespace")
	case eq < 0:
		c.add(Entry{Name: string(key), Inherit: true, Line: line}, place{start: off, nameEnd: end, valStart: end, valEnd: end, end: next, hidden: true})
	default:
		vs := s + eq + 1
		c.add(Entry{Name: string(key), Value: string(data[vs:end]), Line: line}, place{start: off, nameEnd: s + eq, valStart: vs, valEnd: end, end: next, hidden: true})
	}
}

// dockerRefuses reports whether docker refuses line (its line end
// dropped): a name that is empty or holds a space or tab.
func dockerRefuses(line []byte) bool {
	t := bytes.TrimLeftFunc(line, unicode.IsSpace)
	if len(t) == 0 || t[0] == '#' {
		return false
	}
	key, _, _ := bytes.Cut(t, []byte("="))
	return len(key) == 0 || bytes.ContainsAny(key, " \t")
}

// refuse reports the first line of the run r that docker refuses (why),
// an error, with the count of the others: the file is refused there.
func (c *checker) refuse(r *valueRun, code string, at int, why diag.Phrase) {
	if r.reported {
		return
	}
	r.reported = true
	const hint = "docker reads each line of a multi-line value as a variable of its own: put the value on one line, or mount it as a file"
	if more := r.refused - 1; more > 0 {
		c.errorf(code, at, hint, "docker refuses the file at this line of %s's value: %s (and at %d more of its lines)", r.name, why, more)
		return
	}
	c.errorf(code, at, hint, "docker refuses the file at this line of %s's value: %s", r.name, why)
}
