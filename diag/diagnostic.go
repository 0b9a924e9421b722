package diag

import (
	"encoding/json"
	"fmt"
)

// Severity says whether a diagnostic makes the file invalid.
type Severity int

const (
	// Warning is a likely mistake that does not stop the file from working.
	// --strict turns warnings into errors.
	Warning Severity = iota + 1
	// Error makes the file invalid.
	Error
)

func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalJSON writes the severity as its name.
func (s Severity) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// Position is a place in a file. Line and Column are 1-based; Column counts
// bytes, like go/token. A zero Line means the diagnostic is about the whole
// file.
type Position struct {
	Offset int `json:"offset"`
	Line   int `json:"line"`
	Column int `json:"column"`
}

func (p Position) String() string {
	if p.Line == 0 {
		return ""
	}
	return fmt.Sprintf("%d:%d", p.Line, p.Column)
}

// Diagnostic is one finding about a file.
type Diagnostic struct {
	// Code is stable across releases (DC001, EV001, ...): scripts and
	// --allow rules match on it.
	Code     string
	Severity Severity
	Pos      Position
	// Message is one lower-case line saying what is wrong.
	Message string
	// Hint says how to fix it.
	Hint string
	// WrongKey is set when the finding means that decrypted input is not
	// what was encrypted: the key is probably wrong. Commands exit with
	// code 4 instead of 5 when such a diagnostic is an error.
	WrongKey bool
}

// Errorf returns an error diagnostic at pos.
func Errorf(code string, pos Position, hint, format string, args ...any) Diagnostic {
	return Diagnostic{Code: code, Severity: Error, Pos: pos, Hint: hint, Message: fmt.Sprintf(format, args...)}
}

// Warnf returns a warning diagnostic at pos.
func Warnf(code string, pos Position, hint, format string, args ...any) Diagnostic {
	return Diagnostic{Code: code, Severity: Warning, Pos: pos, Hint: hint, Message: fmt.Sprintf(format, args...)}
}
