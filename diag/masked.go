package diag

import (
	"bytes"
	"sort"
)

// Masked returns the whole content with every secret span replaced by
// Mask, and every known secret value elsewhere masked too. It is what a
// reviewer may see (shipseal textconv).
func (s *Source) Masked() []byte {
	spans := append([]span(nil), s.secrets...)
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var out bytes.Buffer
	at := 0
	for _, sp := range spans {
		if sp.end <= at {
			continue
		}
		if sp.start > at {
			out.Write(s.data[at:sp.start])
		}
		// A span that overlaps the one just masked only extends it.
		if sp.start >= at {
			out.WriteString(Mask)
		}
		at = sp.end
	}
	out.Write(s.data[at:])
	return []byte(s.Mask(out.String()))
}
