package diag

import (
	"bytes"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Mask is what every secret is replaced with.
const Mask = "****"

// minMaskLen is the shortest secret that Source.Mask looks for inside free
// text: shorter values ("a", "1") would mask innocent words while their
// excerpt spans are still masked by position.
const minMaskLen = 3

// Source is the text of a file being validated, with the byte ranges that
// hold secrets. It turns offsets into positions and renders masked excerpts.
type Source struct {
	name    string
	data    []byte
	lines   []int    // offset of the start of each line
	secrets []span   // disjoint and sorted when merged is true
	merged  bool     // secrets are disjoint and sorted
	values  []string // secret values; distinct and longest first when sorted
	sorted  bool
}

type span struct{ start, end int }

// NewSource returns a Source for data, displayed as name.
func NewSource(name string, data []byte) *Source {
	s := &Source{name: name, data: data, lines: []int{0}}
	for i, b := range data {
		if b == '\n' {
			s.lines = append(s.lines, i+1)
		}
	}
	return s
}

// Name is the file name shown in diagnostics.
func (s *Source) Name() string { return s.name }

// Data is the file's content. It holds secrets: never print it.
func (s *Source) Data() []byte { return s.data }

// MarkSecret records that data[start:end] is a secret value. Excerpts show
// it as Mask, and messages that contain it have it replaced.
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
	s.secrets = append(s.secrets, span{start, end})
	s.merged = false
	s.AddSecretValue(string(s.data[start:end]))
}

// AddSecretValue records a secret that may not appear literally in the
// data (a decoded password, say) so that Mask still hides it.
func (s *Source) AddSecretValue(v string) {
	v = strings.TrimSpace(v)
	if len(v) < minMaskLen {
		return
	}
	// A 1 MiB config holds thousands of secrets: no per-call scan or
	// sort, or marking them all takes seconds. Mask sorts and drops
	// duplicates once.
	s.values = append(s.values, v)
	s.sorted = false
}

// Mask replaces every known secret value in text with Mask.
func (s *Source) Mask(text string) string {
	if !s.sorted {
		// Longest first, so a secret that contains another is
		// masked whole.
		sort.Slice(s.values, func(i, j int) bool {
			if len(s.values[i]) != len(s.values[j]) {
				return len(s.values[i]) > len(s.values[j])
			}
			return s.values[i] < s.values[j]
		})
		s.values = slices.Compact(s.values)
		s.sorted = true
	}
	for _, v := range s.values {
		text = strings.ReplaceAll(text, v, Mask)
	}
	return text
}

// Position converts a byte offset into a line and column.
func (s *Source) Position(offset int) Position {
	if offset < 0 {
		offset = 0
	}
	if offset > len(s.data) {
		offset = len(s.data)
	}
	line := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > offset }) - 1
	return Position{Offset: offset, Line: line + 1, Column: offset - s.lines[line] + 1}
}

// LineStart returns the offset of the first byte of the 1-based line n.
func (s *Source) LineStart(n int) int {
	if n < 1 || n > len(s.lines) {
		return len(s.data)
	}
	return s.lines[n-1]
}

// maxExcerpt bounds the width of an excerpt line, so that a 1 MiB
// single-line file does not print 1 MiB.
const maxExcerpt = 120

// Excerpt returns up to two lines ending at pos's line, secrets masked and
// non-printable bytes escaped, and a third line with a caret under pos.
// It returns nil when pos has no line.
func (s *Source) Excerpt(pos Position) []string {
	if pos.Line == 0 || pos.Line > len(s.lines) {
		return nil
	}
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
// byte at offset (or 0 if offset is not on the line).
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
	return s.Mask(b.String()), utf8.RuneCountInString(b.String()[:caret])
}

func (s *Source) secretAt(i int) (span, bool) {
	if !s.merged {
		s.mergeSecrets()
	}
	k := sort.Search(len(s.secrets), func(k int) bool { return s.secrets[k].end > i })
	if k < len(s.secrets) && s.secrets[k].start <= i {
		return s.secrets[k], true
	}
	return span{}, false
}

// mergeSecrets sorts the secret spans and joins those that overlap, so
// that secretAt can search them.
func (s *Source) mergeSecrets() {
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
	s.merged = true
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
