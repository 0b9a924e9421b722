package diag

import (
	"slices"
	"strings"
)

// matcher finds whole occurrences of secret values in text (see replace).
// A 1 MiB config holds tens of
// thousands of them (each auth, its decoded user:password and password),
// and a report of thousands of diagnostics masks every message: a search
// for each value in each message would be quadratic. The matcher looks at
// each position of the text once instead, and searches only the values
// that start with the bytes there.
type matcher struct {
	values []string // distinct, sorted; each at least minMaskLen bytes
	// pairs has bit a<<8|b set when a value starts with a, b: most
	// positions of a text fail this test and cost nothing more.
	pairs []uint64
	// byPrefix holds, for the first minMaskLen bytes of the values, the
	// range of values that start with them.
	byPrefix map[[minMaskLen]byte]valueRange
}

type valueRange struct{ lo, hi int32 }

func newMatcher(values []string) matcher {
	if len(values) == 0 {
		return matcher{}
	}
	values = slices.Clone(values)
	slices.Sort(values)
	values = slices.Compact(values)
	m := matcher{values: values, pairs: make([]uint64, 1<<16/64), byPrefix: make(map[[minMaskLen]byte]valueRange)}
	for i := 0; i < len(values); {
		p := prefix(values[i])
		j := i + 1
		for j < len(values) && prefix(values[j]) == p {
			j++
		}
		m.byPrefix[p] = valueRange{int32(i), int32(j)}
		pair := int(p[0])<<8 | int(p[1])
		m.pairs[pair/64] |= 1 << (pair % 64)
		i = j
	}
	return m
}

func prefix(s string) (p [minMaskLen]byte) {
	copy(p[:], s)
	return p
}

// longest returns the length of the longest value that text[i:] starts
// with and that ends at a word boundary (see bounded), or 0. text[i:] is at
// least minMaskLen bytes long.
func (m *matcher) longest(text string, i int) int {
	r, ok := m.byPrefix[prefix(text[i:])]
	if !ok {
		return 0
	}
	// values[lo:hi] all start with text[i:i+d]; sorted, the one that is
	// text[i:i+d] itself, if any, comes first.
	lo, hi, best := int(r.lo), int(r.hi), 0
	for d := minMaskLen; ; d++ {
		if len(m.values[lo]) == d {
			if bounded(text, i+d) {
				best = d
			}
			lo++
		}
		if lo == hi || i+d == len(text) {
			return best
		}
		// The rest are longer than d: keep those with text's byte at d.
		c := text[i+d]
		lo += search(m.values[lo:hi], func(v string) bool { return v[d] >= c })
		hi = lo + search(m.values[lo:hi], func(v string) bool { return v[d] > c })
		if lo == hi {
			return best
		}
	}
}

// wordBytes are the bytes that words are made of: letters, digits, _ . -
// and the bytes of multi-byte characters. A registry
// (registry.example.com), a field name (password) and a variable name
// (DB_PASSWORD) are each one word.
var wordBytes = func() (w [256]bool) {
	for c := range 256 {
		w[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '_' || c == '.' || c == '-' || c >= 0x80
	}
	return w
}()

// bounded reports whether text can be cut at i without cutting a word in
// two: i is at an end of text, or one of the bytes on either side of it is
// not a word byte.
func bounded(text string, i int) bool {
	return i == 0 || i == len(text) || !wordBytes[text[i-1]] || !wordBytes[text[i]]
}

// search returns the first i at which f(values[i]) is true; f is false,
// then true, along values.
func search(values []string, f func(string) bool) int {
	lo, hi := 0, len(values)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if !f(values[h]) {
			lo = h + 1
		} else {
			hi = h
		}
	}
	return lo
}

// replace returns text with every whole occurrence of a secret value
// replaced by Mask: one that does not cut a word of text in two. A secret
// inside a longer word is not one ("pass" in "password", "registry" in
// "registry.example.com"): masking it would garble the text and, by
// where the Mask stands, tell the secret. Overlapping occurrences make
// one stretch; two that only touch make two.
func (m *matcher) replace(text string) string {
	if len(m.values) == 0 {
		return text
	}
	var b strings.Builder
	at := 0            // text[:at] is written
	start, end := 0, 0 // the stretch being covered, if end > 0
	for i := 0; i+minMaskLen <= len(text); i++ {
		if pair := uint(text[i])<<8 | uint(text[i+1]); m.pairs[pair/64]&(1<<(pair%64)) == 0 || !bounded(text, i) {
			continue
		}
		n := m.longest(text, i)
		if n == 0 {
			continue
		}
		if i < end {
			end = max(end, i+n)
			continue
		}
		if end > 0 {
			b.WriteString(text[at:start])
			b.WriteString(Mask)
			at = end
		}
		start, end = i, i+n
	}
	if end == 0 {
		return text
	}
	b.WriteString(text[at:start])
	b.WriteString(Mask)
	b.WriteString(text[end:])
	return b.String()
}
