package diag

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteText prints reports in the form editors jump to:
//
//	FILE:LINE:COL: error DC001: message
//	    excerpt line
//	    ^
//	  hint: how to fix it
//
// Excerpts and what messages quote from the file are masked (see
// Source.MaskMessage); notes are masked whole.
func WriteText(w io.Writer, reports []*Report) error {
	var b strings.Builder
	for _, r := range reports {
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "%s: note: %s\n", r.File, r.mask(n))
		}
		for _, d := range r.Diagnostics {
			loc := r.File
			if d.Pos.Line > 0 {
				loc += ":" + d.Pos.String()
			}
			fmt.Fprintf(&b, "%s: %s %s: %s\n", loc, d.Severity, d.Code, r.Message(d))
			if r.Source != nil {
				for _, l := range r.Source.Excerpt(d.Pos) {
					fmt.Fprintf(&b, "    %s\n", l)
				}
			}
			if d.Hint != "" {
				fmt.Fprintf(&b, "  hint: %s\n", r.Hint(d))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// JSONReport is the stable --format json schema of one file's result.
// Fields are only ever added, never renamed or removed.
type JSONReport struct {
	File        string           `json:"file"`
	Kind        string           `json:"kind"`
	Encrypted   bool             `json:"encrypted"`
	Version     int              `json:"version,omitempty"`
	Valid       bool             `json:"valid"`
	Errors      int              `json:"errors"`
	Warnings    int              `json:"warnings"`
	Notes       []string         `json:"notes,omitempty"`
	Diagnostics []JSONDiagnostic `json:"diagnostics"`
}

// JSONDiagnostic is one diagnostic in the --format json schema. A
// finding about the whole file (EN002, CK001) has no position: Line,
// Column and Offset are then nil, and left out, rather than 0, which
// would read as a place (Offset 0 is the first byte).
type JSONDiagnostic struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Line     *int     `json:"line,omitempty"`   // 1-based
	Column   *int     `json:"column,omitempty"` // 1-based, in bytes
	Offset   *int     `json:"offset,omitempty"` // 0-based, in bytes
	Message  string   `json:"message"`
	Hint     string   `json:"hint,omitempty"`
	WrongKey bool     `json:"wrong_key,omitempty"`
	Excerpt  []string `json:"excerpt,omitempty"`
}

// JSON converts a report into its masked JSON form.
func (r *Report) JSON() JSONReport {
	e, w := r.Count()
	out := JSONReport{File: r.File, Kind: r.Kind, Encrypted: r.Encrypted, Version: r.Version,
		Valid: e == 0, Errors: e, Warnings: w, Diagnostics: []JSONDiagnostic{}}
	for _, n := range r.Notes {
		out.Notes = append(out.Notes, r.mask(n))
	}
	for _, d := range r.Diagnostics {
		jd := JSONDiagnostic{Code: d.Code, Severity: d.Severity, Message: r.Message(d), Hint: r.Hint(d), WrongKey: d.WrongKey}
		if d.Pos.Line > 0 {
			pos := d.Pos
			jd.Line, jd.Column, jd.Offset = &pos.Line, &pos.Column, &pos.Offset
		}
		if r.Source != nil {
			jd.Excerpt = r.Source.Excerpt(d.Pos)
		}
		out.Diagnostics = append(out.Diagnostics, jd)
	}
	return out
}

// WriteJSON prints reports as {"files": [...]} with an overall "valid".
func WriteJSON(w io.Writer, reports []*Report) error {
	doc := struct {
		Valid bool         `json:"valid"`
		Files []JSONReport `json:"files"`
	}{Valid: true, Files: []JSONReport{}}
	for _, r := range reports {
		jr := r.JSON()
		doc.Valid = doc.Valid && jr.Valid
		doc.Files = append(doc.Files, jr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // hints hold shell commands: "&&", not "\u0026\u0026"
	return enc.Encode(doc)
}
