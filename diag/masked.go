package diag

import "bytes"

// Masked returns the whole content with every secret span replaced by
// Mask, and every whole occurrence of a known secret value elsewhere
// masked too (see Mask), so that registry and variable names stay as they
// are. It is what a reviewer may see (shipseal textconv).
func (s *Source) Masked() []byte {
	s.prepare()
	var out bytes.Buffer
	out.Grow(len(s.data))
	at := 0
	for _, sp := range s.secrets {
		out.Write(s.data[at:sp.start])
		out.WriteString(Mask)
		at = sp.end
	}
	out.Write(s.data[at:])
	return []byte(s.match.replace(out.String()))
}
