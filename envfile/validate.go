package envfile

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shipseal/shipseal/diag"
)

// Options say how Validate reads a file.
type Options struct {
	Dialect Dialect
	// Decrypted says that data was just decrypted: bytes that are not text
	// then mean the key is probably wrong, and the diagnostic says so.
	Decrypted bool
	// KeyFingerprint names the key used to decrypt, for that diagnostic.
	KeyFingerprint string
	// Lookup is the environment the file is read in (shipseal exec's):
	// it resolves bare NAME lines and, in the compose dialect, ${VAR}
	// references. Nil means that the environment is not known: the file
	// is validated for where it will be read (CI), not for this process.
	// Bare NAME lines are then left out, and a ${VAR} the file does not
	// define is taken as empty, with a warning that compose takes it from
	// its environment; ${VAR:?msg} of one is a warning too, not an error.
	Lookup func(string) (string, bool)
}

// Validate parses data, the content of the file called name, and reports
// everything wrong or suspicious in it. The File is nil when the report
// has errors.
func Validate(name string, data []byte, opts Options) (*File, *diag.Report) {
	c := newChecker(name, data, opts)
	c.run()
	c.finish()
	r := &diag.Report{File: name, Kind: "env", Encrypted: opts.Decrypted, Source: c.src, Diagnostics: c.diags}
	if !r.Valid() {
		return nil, r
	}
	return c.file, r
}

// Parse parses data in dialect d. It fails when Validate would report an
// error; warnings are ignored. It knows no environment (see
// Options.Lookup): bare NAME lines are left out, and a compose ${VAR} that
// the file does not define is empty.
func Parse(data []byte, d Dialect) (*File, error) {
	return parseFile(data, d, nil)
}

func parseFile(data []byte, d Dialect, lookup func(string) (string, bool)) (*File, error) {
	c := newChecker("", data, Options{Dialect: d, Lookup: lookup})
	c.run()
	c.finish()
	var errs []diag.Diagnostic
	for _, dg := range c.diags {
		if dg.Severity == diag.Error {
			errs = append(errs, dg)
		}
	}
	if len(errs) > 0 {
		e := &ParseError{Code: errs[0].Code, Line: errs[0].Pos.Line, Column: errs[0].Pos.Column,
			Message: c.src.MaskMessage(errs[0]), More: len(errs) - 1}
		return nil, e
	}
	return c.file, nil
}

// ParseError is the first error that made Parse fail. Its text never holds
// a value.
type ParseError struct {
	Code         string
	Line, Column int
	Message      string
	// More counts the errors after this one.
	More int
}

func (e *ParseError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d:%d: ", e.Line, e.Column)
	}
	fmt.Fprintf(&b, "%s (%s)", e.Message, e.Code)
	if e.More > 0 {
		fmt.Fprintf(&b, " and %d more error", e.More)
		if e.More > 1 {
			b.WriteString("s")
		}
	}
	return b.String()
}

// ErrInvalid is what a *ParseError matches with errors.Is.
var ErrInvalid = errors.New("invalid env file")

// Is makes errors.Is(err, ErrInvalid) true for a *ParseError.
func (e *ParseError) Is(target error) bool { return target == ErrInvalid }

type checker struct {
	data  []byte
	src   *diag.Source
	opts  Options
	diags []diag.Diagnostic
	file  *File
	// openEnd is where the line after a possibly unfinished value starts
	// (after NAME= with nothing, an unclosed quote, a stray value line).
	openEnd int

	counts    map[string]int // warnings emitted, by code
	summaries map[string]int // index in diags of each code's summary

	// composeOK says whether compose's dialect reads the file without an
	// error (composeReads): 0 not known yet, 1 yes, -1 no.
	composeOK int
	// runMisses counts the multi-line values whose end findRun did not
	// find.
	runMisses int
}

func newChecker(name string, data []byte, opts Options) *checker {
	return &checker{
		data: data,
		src:  diag.NewSource(name, data),
		opts: opts,
		file: &File{Dialect: opts.Dialect, raw: data, lookup: opts.Lookup},
	}
}

func (c *checker) errorf(code string, off int, hint, format string, args ...any) {
	c.emit(diag.Errorf(code, c.src.Position(off), hint, format, args...))
}

func (c *checker) warnf(code string, off int, hint, format string, args ...any) {
	c.emit(diag.Warnf(code, c.src.Position(off), hint, format, args...))
}

func (c *checker) add(e Entry, p place) {
	c.file.Entries = append(c.file.Entries, e)
	c.file.places = append(c.file.places, p)
}

const latin1Hint = "the file is probably Latin-1 or Windows-1252: convert it with iconv -f WINDOWS-1252 -t UTF-8"

func (c *checker) run() {
	data := c.data
	if kind, bom := utf16Kind(data); kind != "" {
		how := diag.Phrase("without a byte order mark")
		if bom {
			how = "with a byte order mark"
		}
		c.src.MarkSecret(0, len(data))
		c.diags = append(c.diags, diag.Errorf(CodeUTF16, diag.Position{}, "save it as UTF-8 (in Notepad: Save As, Encoding UTF-8), or convert it: iconv -f "+kind+" -t UTF-8",
			"the file is %s text %s (Notepad's \"Unicode\"): %s reads it as garbage", diag.Phrase(kind), how, c.opts.Dialect))
		return
	}
	if !utf8.Valid(data) && !looksLikeText(data) || c.opts.Decrypted && controlHeavy(data) {
		off := invalidUTF8(data, 0)
		what := diag.Phrase(fmt.Sprintf("invalid UTF-8 at %s", c.src.Position(off)))
		if off < 0 {
			off = firstControl(data)
			what = diag.Phrase(fmt.Sprintf("control bytes, the first at %s", c.src.Position(off)))
		}
		c.src.MarkSecret(0, len(data))
		if c.opts.Decrypted {
			key := diag.Phrase("the key used")
			if c.opts.KeyFingerprint != "" {
				key = diag.Phrase("key " + c.opts.KeyFingerprint)
			}
			d := diag.Errorf(CodeNotUTF8, c.src.Position(off),
				"decrypt with the key this file was encrypted with; "+string(key)+" does not seem to be it",
				"decrypted content is not text (%s): wrong key? (decrypted with %s)", what, key)
			d.WrongKey = true
			c.diags = append(c.diags, d)
			return
		}
		c.errorf(CodeNotUTF8, off, "an env file is UTF-8 text; if this file is encrypted, validate it with its key",
			"not a text file (%s)", what)
		return
	}
	if len(data) >= 3 && string(data[:3]) == string(utf8BOM) {
		c.warnf(CodeBOM, 0, "save the file as UTF-8 without BOM; other tools that read it (shells, older parsers) take the BOM as part of the first name",
			"the file starts with a UTF-8 byte order mark; %s ignores it", c.opts.Dialect)
	}
	if i := bytes.Index(data, []byte("\r\n")); i >= 0 {
		hint := "docker drops the CR, but shells and other tools keep it at the end of each value: convert the file with dos2unix"
		if c.opts.Dialect == Compose {
			hint = "compose drops the CR outside quotes, but keeps it inside a quoted multi-line value, and shells keep it: convert the file with dos2unix"
		}
		c.warnf(CodeCRLF, i, hint, "the file has Windows (CRLF) line ends")
	}
	c.checkUTF8()
	c.maskPEM()
	switch c.opts.Dialect {
	case Compose:
		c.compose()
	default:
		c.docker()
	}
	c.duplicates()
}

// maxPerCode is how many warnings of one code a report shows: a
// thousand-line file with the same likely mistake on every line gets a
// summary. Errors are never cut: each is a reason the file is refused.
const maxPerCode = 20

// emit adds d to the report. An error always goes in; a warning does
// unless maxPerCode warnings of its code are there already: the next one
// becomes a summary, at its own place, that counts it and the rest. Each
// code is emitted in file order, so the ones kept are the first.
func (c *checker) emit(d diag.Diagnostic) {
	if d.Severity == diag.Error {
		c.diags = append(c.diags, d)
		return
	}
	if c.counts == nil {
		c.counts = map[string]int{}
		c.summaries = map[string]int{}
	}
	c.counts[d.Code]++
	switch n := c.counts[d.Code]; {
	case n <= maxPerCode:
		c.diags = append(c.diags, d)
	case n == maxPerCode+1:
		c.summaries[d.Code] = len(c.diags)
		c.diags = append(c.diags, d)
	}
}

// finish writes the summaries' messages and sorts the diagnostics by
// position, whole-file ones first.
func (c *checker) finish() {
	for code, i := range c.summaries {
		d := &c.diags[i]
		n := c.counts[code] - maxPerCode
		what := diag.Phrase("warnings")
		if n == 1 {
			what = "warning"
		}
		sum := diag.Warnf(code, d.Pos, d.Hint, "%d more %s like this (%s), from here on, not shown", n, what, diag.Phrase(code))
		sum.WrongKey = d.WrongKey
		*d = sum
	}
	sort.SliceStable(c.diags, func(i, j int) bool {
		a, b := c.diags[i].Pos, c.diags[j].Pos
		if (a.Line == 0) != (b.Line == 0) {
			return a.Line == 0
		}
		return a.Offset < b.Offset
	})
}

// invalidUTF8 returns the offset of the first byte in data[from:] that is
// not part of valid UTF-8, or -1.
func invalidUTF8(data []byte, from int) int {
	for i := from; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// checkUTF8 reports the first byte that is not UTF-8 on each line, as
// docker checks every line, comments included.
func (c *checker) checkUTF8() {
	data := c.data
	for off := 0; off < len(data); {
		end := lineEnd(data, off)
		if i := invalidUTF8(data[:end], off); i >= 0 {
			if c.opts.Dialect == Docker {
				c.errorf(CodeNotUTF8, i, latin1Hint, "invalid UTF-8: docker refuses the whole file")
			} else {
				c.errorf(CodeNotUTF8, i, latin1Hint, "invalid UTF-8")
			}
		}
		off = end
	}
}

// maskComment hides what follows the first = in a comment line: a
// commented-out variable still holds a value.
func (c *checker) maskComment(start, end int) {
	if i := bytes.IndexByte(c.data[start:end], '='); i >= 0 {
		c.src.MarkSecret(start+i+1, end)
	}
}

// checkBytes reports the first NUL byte in data[start:end].
func (c *checker) checkBytes(start, end int, what string) {
	for i := start; i < end; i++ {
		if c.data[i] == 0 {
			c.errorf(CodeNUL, i, "remove the NUL byte: the environment cannot carry one, so the container would not start",
				"%s holds a NUL byte", what)
			break
		}
	}
}

func (c *checker) duplicates() {
	seen := map[string]int{}
	for i, e := range c.file.Entries {
		if c.file.places[i].hidden {
			continue // a line of a multi-line value: its "name" is a secret
		}
		if prev, ok := seen[e.Name]; ok {
			c.warnf(CodeDuplicate, c.file.places[i].start, fmt.Sprintf("delete one of the two lines; if both are meant, line %d is dead", prev),
				"duplicate %s: it shadows line %d, the last value wins", quoteName(e.Name), prev)
		}
		seen[e.Name] = e.Line
	}
}

// quoteName shows a name in a message: plain when it is a portable name,
// Go-quoted when it is an odd name (so that control bytes are visible),
// and masked when it is not a name at all but text that sits where a name
// goes and may hold a secret.
func quoteName(n string) string {
	switch {
	case isPortableName(n):
		return n
	case shownName(n):
		return fmt.Sprintf("%q", n)
	}
	return diag.Mask
}

// shownName reports whether a name may be printed: any name, portable or
// not (my-var, app.name, 1ST, CAFÉ), but not a token (looksLikeValue) nor
// text with characters no name has. A JSON dockercfg read as an env file
// has "names" like {"auths":{"r.io":{"auth":"dXNlcjpw (cut at the
// base64 padding's =), and YAML has password:"hunter2.
func shownName(n string) bool {
	if isPortableName(n) {
		return true
	}
	if looksLikeValue(n) {
		return false
	}
	for _, r := range n {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("_-.[]", r) {
			return false
		}
	}
	return true
}

// name returns quoteName(n) for the name at offset at, and masks the name
// in excerpts too when it is not shown.
func (c *checker) name(n string, at int) string {
	if !shownName(n) {
		c.src.MarkSecret(at, at+len(n))
	}
	return quoteName(n)
}

// isPortableName reports whether n is [A-Za-z_][A-Za-z0-9_]*, the names
// every shell and program accepts.
func isPortableName(n string) bool {
	if n == "" {
		return false
	}
	for i := 0; i < len(n); i++ {
		b := n[i]
		switch {
		case b == '_', b >= 'A' && b <= 'Z', b >= 'a' && b <= 'z':
		case b >= '0' && b <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
