package diag

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Mask is what every secret is replaced with.
const Mask = "****"

// minMaskLen is the shortest secret that Source.Mask looks for away from
// its place in the file. A password of one or two bytes ("1", "ci") is
// masked where it stands, by position, but not wherever the same token
// shows: that would mask every such number or word around it, and the
// Masks would point at it.
const minMaskLen = 3

// Source is the text of a file being validated, with the byte ranges that
// hold secrets. It turns offsets into positions and renders masked excerpts.
//
// A valid 1 MiB file prints nothing, so the work that only printing needs
// (the line table, finding secrets, sorting them) happens on first use.
type Source struct {
	name    string
	data    []byte
	lines   []int    // offset of the start of each line; nil until needed
	finders []func() // FindSecretsLater's functions, not yet run
	spans   []span   // as marked
	values  []string // as added
	public  []string // AddPublicWords' words, lower case
	// What masking reads, made from spans and values by prepare: the
	// spans sorted and joined, and every distinct secret value.
	ready   bool
	secrets []span
	match   matcher
}

type span struct{ start, end int }

// NewSource returns a Source for data, displayed as name.
func NewSource(name string, data []byte) *Source {
	return &Source{name: name, data: data}
}

// Name is the file name shown in diagnostics.
func (s *Source) Name() string { return s.name }

// Data is the file's content. It holds secrets: never print it.
func (s *Source) Data() []byte { return s.data }

// MarkSecret records that data[start:end] is a secret value. Excerpts show
// it as Mask, and what quotes it elsewhere (see Mask) has it replaced.
func (s *Source) MarkSecret(start, end int) {
	if start < 0 {
		start = 0
	}
	if end > len(s.data) {
		end = len(s.data)
	}
	if start >= end {
		return
	}
	s.spans = append(s.spans, span{start, end})
	s.ready = false
}

// AddSecretValue records a secret that may not appear literally in the
// data (a decoded password, say) so that Mask still hides it.
func (s *Source) AddSecretValue(v string) {
	v = strings.TrimSpace(v)
	if len(v) < minMaskLen {
		return
	}
	s.values = append(s.values, v)
	s.ready = false
}

// AddPublicWords records words that any file of this kind may hold, such
// as a format's field names ("auth", "password") or keywords ("null"),
// in any letter case. A secret that is one of them is masked where it
// stands, but not wherever the word shows: there the Mask would hide
// nothing a reader does not know, and would point at the secret.
func (s *Source) AddPublicWords(words ...string) {
	for _, w := range words {
		s.public = append(s.public, strings.ToLower(w))
	}
	s.ready = false
}

// isPublic reports whether v is a public word, in any letter case.
func (s *Source) isPublic(v string) bool {
	var buf [32]byte
	if len(v) > len(buf) {
		return false
	}
	lower := buf[:len(v)]
	for i := range len(v) {
		c := v[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	for _, w := range s.public {
		if string(lower) == w {
			return true
		}
	}
	return false
}

// FindSecretsLater registers find, which marks secrets with MarkSecret and
// AddSecretValue, to run before anything reads them: Mask, Excerpt or
// Masked. A validator whose checks do not need the secrets found uses it,
// so that a file with nothing to print costs nothing to mask.
func (s *Source) FindSecretsLater(find func()) {
	s.finders = append(s.finders, find)
	s.ready = false
}

// prepare runs the pending finders, then sorts and joins the spans and
// indexes every secret value for Mask, unless that is done already.
func (s *Source) prepare() {
	for len(s.finders) > 0 {
		find := s.finders[0]
		s.finders = s.finders[1:]
		find()
	}
	if s.ready {
		return
	}
	// Each span's text is a value too: a message may quote it. One copy
	// of the data gives them all without an allocation each.
	values := make([]string, 0, len(s.values)+len(s.spans))
	values = append(values, s.values...)
	if len(s.spans) > 0 {
		text := string(s.data)
		for _, sp := range s.spans {
			if v := strings.TrimSpace(text[sp.start:sp.end]); len(v) >= minMaskLen {
				values = append(values, v)
			}
		}
	}
	if len(s.public) > 0 {
		values = slices.DeleteFunc(values, s.isPublic)
	}
	s.match = newMatcher(values)
	s.secrets = append(s.secrets[:0], s.spans...)
	sort.Slice(s.secrets, func(i, j int) bool { return s.secrets[i].start < s.secrets[j].start })
	out := s.secrets[:0]
	for _, sp := range s.secrets {
		if n := len(out); n > 0 && sp.start < out[n-1].end {
			out[n-1].end = max(out[n-1].end, sp.end)
			continue
		}
		out = append(out, sp)
	}
	s.secrets = out
	s.ready = true
}

// Mask replaces every whole occurrence of a known secret value in text
// with Mask: one that does not start or end inside a word (a run of
// letters, digits, _ . - and non-ASCII bytes), so that the password "pass"
// leaves "password" alone and the password "registry" leaves
// "registry.example.com" alone. Where secret values overlap in text, the
// whole stretch they cover becomes one Mask.
//
// Mask is for text that may quote the file anywhere; a diagnostic's own
// words are not masked (see MaskMessage).
func (s *Source) Mask(text string) string {
	s.prepare()
	return s.match.replace(text)
}

// lineStarts returns the offset of the start of each line.
func (s *Source) lineStarts() []int {
	if s.lines == nil {
		lines := make([]int, 1, bytes.Count(s.data, []byte{'\n'})+1)
		for i := 0; ; {
			j := bytes.IndexByte(s.data[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			lines = append(lines, i)
		}
		s.lines = lines
	}
	return s.lines
}

// Position converts a byte offset into a line and column.
func (s *Source) Position(offset int) Position {
	if offset < 0 {
		offset = 0
	}
	if offset > len(s.data) {
		offset = len(s.data)
	}
	lines := s.lineStarts()
	line := sort.SearchInts(lines, offset+1) - 1
	return Position{Offset: offset, Line: line + 1, Column: offset - lines[line] + 1}
}

// LineStart returns the offset of the first byte of the 1-based line n.
func (s *Source) LineStart(n int) int {
	lines := s.lineStarts()
	if n < 1 || n > len(lines) {
		return len(s.data)
	}
	return lines[n-1]
}

// maxExcerpt bounds the width of an excerpt line, so that a 1 MiB
// single-line file does not print 1 MiB.
const maxExcerpt = 120

// Excerpt returns up to two lines ending at pos's line, secrets masked and
// non-printable bytes escaped, and a third line with a caret under pos.
// It returns nil when pos has no line.
func (s *Source) Excerpt(pos Position) []string {
	if pos.Line == 0 || pos.Line > len(s.lineStarts()) {
		return nil
	}
	s.prepare()
	var out []string
	if pos.Line > 1 {
		prev, _ := s.render(pos.Line-1, -1)
		if strings.TrimSpace(prev) != "" {
			out = append(out, prev)
		}
	}
	cur, caret := s.render(pos.Line, pos.Offset)
	out = append(out, cur, strings.Repeat(" ", caret)+"^")
	return out
}

// render returns line n masked and escaped, and the display column of the
// byte at offset (or 0 if offset is not on the line). s is prepared.
func (s *Source) render(n, offset int) (string, int) {
	start := s.lines[n-1]
	end := len(s.data)
	if n < len(s.lines) {
		end = s.lines[n] - 1
	}
	// Keep the window around the offset when the line is long.
	if offset >= start && end-start > maxExcerpt {
		from := offset - maxExcerpt/2
		if from > start {
			start = from
		}
	}
	var b strings.Builder
	caret := 0
	i := start
	for i < end && b.Len() < maxExcerpt {
		if i == offset {
			caret = b.Len()
		}
		if sp, ok := s.secretAt(i); ok {
			b.WriteString(Mask)
			if offset > i && offset < sp.end {
				caret = b.Len() - len(Mask)
			}
			i = sp.end
			continue
		}
		r, size := utf8.DecodeRune(s.data[i:end])
		switch {
		case r == '\t':
			b.WriteString("    ")
		case r == utf8.RuneError && size <= 1, r < 0x20, r == 0x7f, r == 0xfeff:
			b.WriteString(escapeByte(s.data[i : i+max(size, 1)]))
		default:
			b.Write(s.data[i : i+size])
		}
		i += max(size, 1)
	}
	if offset >= end && offset >= start {
		caret = b.Len()
	}
	return s.match.replace(b.String()), utf8.RuneCountInString(b.String()[:caret])
}

// secretAt returns the secret span that holds byte i. s is prepared.
func (s *Source) secretAt(i int) (span, bool) {
	k := sort.Search(len(s.secrets), func(k int) bool { return s.secrets[k].end > i })
	if k < len(s.secrets) && s.secrets[k].start <= i {
		return s.secrets[k], true
	}
	return span{}, false
}

func escapeByte(b []byte) string {
	var out bytes.Buffer
	for _, c := range b {
		const hex = "0123456789abcdef"
		out.WriteString(`\x`)
		out.WriteByte(hex[c>>4])
		out.WriteByte(hex[c&0xf])
	}
	return out.String()
}

// MaskMessage returns d's message as it may be shown. For a diagnostic
// made by Errorf or Warnf, whose words are shipseal's own, only what it
// quotes (its string, []byte and error arguments, but not a Phrase) is
// masked; any other message, or one changed since, is masked whole (see
// Mask). A nil Source has no secrets.
func (s *Source) MaskMessage(d Diagnostic) string {
	m := d.made
	if s == nil {
		return d.Message
	}
	if !m.ok || m.message != d.Message {
		return s.Mask(d.Message)
	}
	var args []any
	for i, a := range m.args {
		masked, ok := s.maskArg(a)
		if !ok {
			continue
		}
		if args == nil {
			args = slices.Clone(m.args)
		}
		args[i] = masked
	}
	if args == nil {
		return d.Message
	}
	return fmt.Sprintf(m.format, args...)
}

// MaskHint returns d's hint as it may be shown: as it is when Errorf or
// Warnf made it (a hint never quotes the file), else masked whole.
func (s *Source) MaskHint(d Diagnostic) string {
	if s == nil || d.Hint == "" || d.made.ok && d.made.hint == d.Hint {
		return d.Hint
	}
	return s.Mask(d.Hint)
}

// maskArg returns a, quoted from the file, with secrets masked, and
// whether that changed it. Strings, byte slices and errors may quote the
// file; other values (a Phrase, numbers, positions, shipseal's own
// Stringers such as a dialect or a key's fingerprint) are shipseal's.
func (s *Source) maskArg(a any) (any, bool) {
	var text string
	switch a := a.(type) {
	case string:
		text = a
	case []byte:
		text = string(a)
	case error:
		text = a.Error()
	case Phrase, fmt.Stringer:
		return a, false
	default:
		v := reflect.ValueOf(a)
		if v.Kind() != reflect.String {
			return a, false
		}
		text = v.String()
	}
	masked := s.Mask(text)
	if masked == text {
		return a, false
	}
	return masked, true
}
