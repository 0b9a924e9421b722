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
	// Message is one lower-case line saying what is wrong. It is not
	// masked: show it with Source.MaskMessage (the printers do).
	Message string
	// Hint says how to fix it.
	Hint string
	// WrongKey is set when the finding means that decrypted input is not
	// what was encrypted: the key is probably wrong. Commands exit with
	// code 4 instead of 5 when such a diagnostic is an error.
	WrongKey bool

	// made is how Errorf or Warnf made Message and Hint; zero if they
	// did not. It is a value, not a pointer: a file with a mistake on
	// each of 100,000 lines makes as many diagnostics.
	made made
}

// made records what Errorf and Warnf were given: the format is shipseal's
// own words and the args what it quotes from the file, so that masking
// looks for secrets in the args only. The message and hint they made are
// kept to tell whether someone changed them since.
type made struct {
	format        string
	args          []any
	message, hint string
	ok            bool
}

// Phrase is part of a message that shipseal made at run time, not text
// quoted from the file ("is not text", "docker accepts it", or a
// library's own message such as encoding/json's): as an argument of
// Errorf or Warnf it is shown as it is.
type Phrase string

// Errorf returns an error diagnostic at pos. format is shipseal's own
// words (a constant, as go vet checks) and args what it quotes from the
// file: shown, only the args are masked (except a Phrase), so that a secret that is also a
// common word ("docker") leaves the sentence around it alone. hint is
// shown as it is: it must never quote the file's content.
func Errorf(code string, pos Position, hint, format string, args ...any) Diagnostic {
	return newf(code, Error, pos, hint, format, args)
}

// Warnf returns a warning diagnostic at pos; see Errorf.
func Warnf(code string, pos Position, hint, format string, args ...any) Diagnostic {
	return newf(code, Warning, pos, hint, format, args)
}

func newf(code string, sev Severity, pos Position, hint, format string, args []any) Diagnostic {
	msg := fmt.Sprintf(format, args...)
	return Diagnostic{Code: code, Severity: sev, Pos: pos, Hint: hint, Message: msg,
		made: made{format: format, args: args, message: msg, hint: hint, ok: true}}
}
