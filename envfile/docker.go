package envfile

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shipseal/shipseal/diag"
)

// maxDockerLine is the longest line docker reads: bufio.Scanner's default
// buffer holds bufio.MaxScanTokenSize bytes, line end included.
const maxDockerLine = 64*1024 - 1

// docker reads the file the way docker/cli's kvfile package does: lines
// split at \n with one trailing \r dropped, a BOM dropped from the first
// line, leading whitespace trimmed, # comments and blank lines skipped,
// NAME=value split at the first =, a bare NAME inherited.
//
// The lines that continue a multi-line value (see findRun) are read the
// same way, but reported once, as a run.
func (c *checker) docker() {
	data := c.data
	var run *valueRun
	for line, off := 1, 0; off < len(data); line++ {
		end, next := len(data), len(data)
		if i := bytes.IndexByte(data[off:], '\n'); i >= 0 {
			end, next = off+i, off+i+1
		}
		cend := end
		if cend > off && data[cend-1] == '\r' {
			cend--
		}
		if end-off > maxDockerLine {
			c.src.MarkSecret(off, end)
			c.errorf(CodeLineTooLong, off, "docker reads lines of at most 65535 bytes; put a large value in a file and mount it",
				"line is %d bytes long: docker refuses the file", end-off)
			off = next
			continue
		}
		if run != nil && off < run.end {
			c.dockerRunLine(run, line, off, cend, next)
		} else {
			run = c.dockerLine(line, off, cend, next)
		}
		off = next
	}
}

// dockerLine reads one line, and returns the run of lines after it that
// continue its value, if it opens one.
func (c *checker) dockerLine(line, off, end, next int) *valueRun {
	data := c.data
	s := off
	if line == 1 && bytes.HasPrefix(data[off:end], utf8BOM) {
		s += len(utf8BOM)
	}
	for s < end {
		r, size := utf8.DecodeRune(data[s:end])
		if !unicode.IsSpace(r) {
			break
		}
		s += size
	}
	if s == end {
		return nil
	}
	if data[s] == '#' {
		c.maskComment(s, end)
		return nil
	}
	eq := bytes.IndexByte(data[s:end], '=')
	if eq < 0 {
		c.dockerBare(line, off, s, end, next)
		return nil
	}
	eq += s
	name := string(data[s:eq])
	vs, ve := eq+1, end
	c.src.MarkSecret(vs, ve)
	c.checkBytes(s, eq, "the name")
	c.checkBytes(vs, ve, "the value")
	switch {
	case name == "":
		c.errorf(CodeEmptyName, s, "put the variable's name before the =; if the line is part of the previous value, docker cannot read multi-line values",
			"the line has no variable name before the =")
		return nil
	case strings.ContainsAny(name, " \t"):
		c.nameSpace(name, s)
		return nil
	}
	if looksLikeValue(name) {
		c.src.MarkSecret(s, eq)
		c.warnf(CodeValueOnly, s, "a value on its own line is not read as one: docker env files hold one NAME=value per line",
			"the line looks like a value (base64?) rather than NAME=value")
	} else {
		c.portable(name, s, false)
	}
	value := string(data[vs:ve])
	run := c.findRun(value, next)
	c.dockerValue(value, vs, run != nil)
	c.add(Entry{Name: name, Value: value, Line: line}, place{start: off, nameEnd: eq, valStart: vs, valEnd: ve, end: next})
	if run != nil {
		c.startRun(run, name, s)
		return run
	}
	if value == "" || (value[0] == '"' || value[0] == '\'') && !strings.HasSuffix(value[1:], value[:1]) {
		c.openEnd = next
	}
	return nil
}

// continues reports whether a bare line at off holding name is more likely
// the rest of the value on the line before it (which was empty, opened a
// quote, or was itself a stray value) than a variable to inherit: names
// to inherit are usually upper case.
func (c *checker) continues(off int, name string) bool {
	return off > 0 && off == c.openEnd && strings.ToUpper(name) != name
}

// nameSpace reports a docker name holding a space or tab, which docker
// refuses.
func (c *checker) nameSpace(name string, at int) {
	if rest, ok := cutExport(name); ok {
		c.errorf(CodeExport, at, c.dialectHint(`remove "export "`, "remove \"export \": docker does not run the file through a shell; or read it with --dialect compose"),
			"\"export %s\": docker takes the whole \"export ...\" as the name and refuses it", c.name(rest, at+len(name)-len(rest)))
		return
	}
	if t := strings.TrimRight(name, " \t"); !strings.ContainsAny(t, " \t") {
		c.errorf(CodeNameSpace, at+len(t), "remove the space before the =: docker keeps every byte of the line",
			"space between the name %s and the =: docker refuses the name", c.name(t, at))
		return
	}
	const hint = "a variable name cannot hold spaces or tabs: use _ instead"
	if shownSpacedName(name) {
		c.errorf(CodeNameSpace, at, hint, "the name %q contains whitespace: docker refuses it", name)
		return
	}
	c.src.MarkSecret(at, at+len(name))
	c.errorf(CodeNameSpace, at, hint, "the name contains whitespace: docker refuses it")
}

// shownSpacedName reports whether a name holding spaces or tabs may be
// printed: when each of its words may be (MY VAR), not when one looks
// like a value (a token, JSON, YAML's password: hunter2).
func shownSpacedName(n string) bool {
	words := strings.Fields(n)
	for _, w := range words {
		if !shownName(w) {
			return false
		}
	}
	return len(words) > 0
}

// cutExport reports whether name is "export NAME" (space or tab) and
// returns NAME.
func cutExport(name string) (string, bool) {
	if !strings.HasPrefix(name, "export") || len(name) < 7 || (name[6] != ' ' && name[6] != '\t') {
		return "", false
	}
	rest := strings.TrimLeft(name[6:], " \t")
	if rest == "" || strings.ContainsAny(rest, " \t") {
		return "", false
	}
	return rest, true
}

// dockerBare handles a line without =: docker reads it as the name of a
// variable to take from the environment.
func (c *checker) dockerBare(line, off, s, end, next int) {
	name := string(c.data[s:end])
	if rest, ok := cutExport(name); ok && isPortableName(rest) {
		c.errorf(CodeExport, s, c.dialectHint(`remove "export "`, "remove \"export \": docker does not run the file through a shell"),
			"\"export %s\": docker takes the whole line as the name and refuses it", rest)
		return
	}
	if !isPortableName(name) || looksLikeValue(name) || c.continues(off, name) {
		// Not a name: most likely a value on its own line (the rest of a
		// multi-line value, a pasted key), so it is a secret.
		c.src.MarkSecret(s, end)
		c.checkBytes(s, end, "the line")
		if strings.ContainsAny(name, " \t") {
			c.errorf(CodeValueOnly, s, "write NAME=value on one line; docker cannot read multi-line values (use the compose dialect, or a file mount)",
				"the line is not NAME=value: it has no = and docker refuses it")
			return
		}
		c.warnf(CodeValueOnly, s, "write NAME=value; a line without = is the name of a variable to copy from the environment where docker runs",
			"the line has no =: docker takes it as a variable name to inherit, and drops it when that is not set")
		c.add(Entry{Name: name, Inherit: true, Line: line}, place{start: off, nameEnd: end, valStart: end, valEnd: end, end: next})
		c.openEnd = next
		return
	}
	c.add(Entry{Name: name, Inherit: true, Line: line}, place{start: off, nameEnd: end, valStart: end, valEnd: end, end: next})
}

func (c *checker) portable(name string, at int, compose bool) {
	if isPortableName(name) || !utf8.ValidString(name) || strings.IndexByte(name, 0) >= 0 {
		return
	}
	who := diag.Phrase("docker accepts it")
	if compose {
		who = "compose accepts it"
	}
	if !shownName(name) {
		c.name(name, at)
		c.warnf(CodeNotPortable, at, "use letters, digits and _ only, not starting with a digit; if the file is JSON (a dockercfg), validate it with --type dockercfg",
			"the name is not a portable variable name, nor text that looks like a name (JSON? a value?): %s, but shells and many programs cannot read it", who)
		return
	}
	c.warnf(CodeNotPortable, at, "use letters, digits and _ only, not starting with a digit",
		"%s is not a portable variable name: %s, but shells and many programs cannot read it", quoteName(name), who)
}

var dockerTemplate = regexp.MustCompile(`\$\{[A-Za-z_]`)

// dockerValue warns about values that docker keeps literally but that were
// probably written for a shell or for compose. A value that opens a
// multi-line value (run) gets no warning for its opening quote: the run's
// says what is wrong.
func (c *checker) dockerValue(v string, vs int, run bool) {
	if i := strings.IndexByte(v, '\r'); i >= 0 {
		where := diag.Phrase("inside")
		if strings.TrimRight(v, "\r") != v {
			where = "at the end of"
		}
		c.warnf(CodeCR, vs+i, "remove the carriage return: docker keeps it as part of the value (a stray CR, or a CR CR LF line end)",
			"carriage return %s the value", where)
	}
	if len(v) >= 1 && (v[0] == '"' || v[0] == '\'') && !run {
		q := v[:1]
		how := diag.Phrase("an opening quote")
		if len(v) >= 2 && strings.HasSuffix(v, q) {
			how = "quotes"
		}
		c.warnf(CodeQuotes, vs, c.dialectHint("write the value bare", "remove the quotes: docker takes everything after the = literally; or read the file with --dialect compose"),
			"the value is in %s that docker keeps as part of it", how)
	}
	if strings.TrimLeft(v, " \t") != v || strings.TrimRight(v, " \t") != v {
		c.warnf(CodeSpaceInValue, vs, "remove the spaces or tabs around the value: docker keeps them",
			"the value starts or ends with whitespace that docker keeps")
	}
	const commentHint = "docker has no inline comments: put the comment on its own line above"
	if i := strings.Index(v, " #"); i >= 0 {
		c.warnf(CodeInlineComment, vs+i, commentHint,
			"\" #\" after the value: docker keeps the comment as part of the value")
	} else if i := strings.Index(v, "\t#"); i >= 0 {
		c.warnf(CodeInlineComment, vs+i, commentHint,
			"\"\\t#\" after the value: docker keeps the comment as part of the value")
	}
	if loc := dockerTemplate.FindStringIndex(v); loc != nil {
		c.warnf(CodeDollarDocker, vs+loc[0], c.dialectHint("write the value itself", "docker does not expand variables in env files: write the value itself, or read the file with --dialect compose"),
			"${...} in the value: docker keeps it literally")
	}
}

// composeHint is the hint of a docker-dialect finding about compose
// syntax when compose's dialect reads the whole file without an error:
// the file was written for compose, and is read as docker reads it. %s is
// the fix for the finding.
const composeHint = "compose would read this file, but Codeship reads encrypted env files as docker --env-file does " +
	"(no quotes, no ${…}, no export): %s, or pass --dialect compose if only compose reads this file"

// dialectHint returns the hint of a docker-dialect finding about what
// compose would read differently: composeHint with fix when compose's
// dialect reads the file without an error, else hint.
func (c *checker) dialectHint(fix, hint string) string {
	if c.composeReads() {
		return fmt.Sprintf(composeHint, fix)
	}
	return hint
}

// composeReads reports whether the file is read in the docker dialect and
// compose's dialect would read it without an error. It is worked out once,
// when a finding first asks.
func (c *checker) composeReads() bool {
	if c.opts.Dialect != Docker {
		return false
	}
	if c.composeOK == 0 {
		k := newChecker("", c.data, Options{Dialect: Compose, Lookup: c.opts.Lookup})
		k.run()
		c.composeOK = 1
		for _, d := range k.diags {
			if d.Severity == diag.Error {
				c.composeOK = -1
				break
			}
		}
	}
	return c.composeOK > 0
}

// looksLikeValue reports whether a would-be name is more likely a secret
// value on a line of its own (a base64 chunk, a token).
func looksLikeValue(name string) bool {
	if strings.ContainsAny(name, "+/") {
		return true
	}
	if len(name) < 24 || strings.ContainsRune(name, '_') {
		return false
	}
	var lower, upper, digit bool
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		}
	}
	return lower && upper && digit
}
