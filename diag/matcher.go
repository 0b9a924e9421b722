package diag

import (
	"slices"
	"strings"
)

// matcher finds secret values in text. A 1 MiB config holds tens of
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

// longest returns the length of the longest value that text starts with,
// or 0. text is at least minMaskLen bytes long.
func (m *matcher) longest(text string) int {
	r, ok := m.byPrefix[prefix(text)]
	if !ok {
		return 0
	}
	// values[lo:hi] all start with text[:d]; sorted, the one that is
	// text[:d] itself, if any, comes first.
	lo, hi, best := int(r.lo), int(r.hi), 0
	for d := minMaskLen; ; d++ {
		if len(m.values[lo]) == d {
			best = d
			lo++
		}
		if lo == hi || d == len(text) {
			return best
		}
		// The rest are longer than d: keep those with text's byte at d.
		c := text[d]
		lo += search(m.values[lo:hi], func(v string) bool { return v[d] >= c })
		hi = lo + search(m.values[lo:hi], func(v string) bool { return v[d] > c })
		if lo == hi {
			return best
		}
	}
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

// replace returns text with every stretch that secret values cover
// replaced by Mask. Overlapping values make one stretch; two that only
// touch make two.
func (m *matcher) replace(text string) string {
	if len(m.values) == 0 {
		return text
	}
	var b strings.Builder
	at := 0            // text[:at] is written
	start, end := 0, 0 // the stretch being covered, if end > 0
	for i := 0; i+minMaskLen <= len(text); i++ {
		if pair := uint(text[i])<<8 | uint(text[i+1]); m.pairs[pair/64]&(1<<(pair%64)) == 0 {
			continue
		}
		n := m.longest(text[i:])
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
