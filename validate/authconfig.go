package validate

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/envfile"
)

// AuthConfigVar is the env file variable that holds a whole dockercfg as
// JSON: what shipseal generate reads (source 2, docs/generator.md), and
// GitLab's convention.
const AuthConfigVar = "DOCKER_AUTH_CONFIG"

// checkAuthConfig validates the value of every DOCKER_AUTH_CONFIG in f, an
// env file parsed from data, as a dockercfg, and adds what dockercfg
// finds to r, the env file's report: the same codes (DC…), the message
// prefixed with the variable's name and masked as dockercfg masks it
// (only what it quotes from the value), at
// the place in the env file where the value has the problem. A value the
// dialect changed (escapes, ${VAR}) cannot be mapped byte for byte: the
// finding is then at the value's start and its message says where in the
// value it is. An empty or inherited (bare NAME) entry is not checked:
// there is nothing in the file to check.
func checkAuthConfig(r *diag.Report, f *envfile.File, data []byte) {
	if r.Source == nil {
		return
	}
	added := false
	for _, e := range f.Entries {
		if e.Name != AuthConfigVar || e.Inherit || len(bytes.TrimSpace([]byte(e.Value))) == 0 {
			continue
		}
		_, dr := dockercfg.Validate(AuthConfigVar, []byte(e.Value), dockercfg.Options{})
		if len(dr.Diagnostics) == 0 {
			continue
		}
		start, verbatim := valueStart(data, r.Source.LineStart(e.Line), e.Value)
		for _, d := range dr.Diagnostics {
			at, where := start, ""
			switch {
			case d.Pos.Line == 0:
			case verbatim:
				at = start + d.Pos.Offset
			default:
				where = fmt.Sprintf(" (at line %d, column %d of the value)", d.Pos.Line, d.Pos.Column)
			}
			// dockercfg's report has masked what its message quotes from
			// the value: the rest, and the hint, are its own words and
			// shipseal's, to show as they are.
			nd := diag.Errorf(d.Code, r.Source.Position(at), dr.Hint(d), "%s: %s%s",
				diag.Phrase(AuthConfigVar), diag.Phrase(dr.Message(d)), diag.Phrase(where))
			nd.Severity = d.Severity
			r.Add(nd)
			added = true
		}
	}
	if added {
		// In file order, whole-file findings first, as envfile sorts them.
		sort.SliceStable(r.Diagnostics, func(i, j int) bool {
			a, b := r.Diagnostics[i].Pos, r.Diagnostics[j].Pos
			if (a.Line == 0) != (b.Line == 0) {
				return a.Line == 0
			}
			return a.Offset < b.Offset
		})
	}
}

// valueStart finds where value, as the dialect read it, starts in the
// entry whose line starts at offset line: just after the first "=", past
// the spaces and the quote before it. verbatim is true when the value is
// there byte for byte, so that an offset in it is one in data.
func valueStart(data []byte, line int, value string) (start int, verbatim bool) {
	eq := bytes.IndexByte(data[line:], '=')
	if eq < 0 {
		return line, false
	}
	start = line + eq + 1
	i := start
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '"' || data[i] == '\'') && i-start < 8 {
		i++
	}
	for j := start; j <= i; j++ {
		if bytes.HasPrefix(data[j:], []byte(value)) {
			return j, true
		}
	}
	return i, false
}
