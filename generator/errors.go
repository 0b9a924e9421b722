package generator

import (
	"errors"

	"github.com/shipseal/shipseal/diag"
)

// ErrConfig is wrapped by every error about how the generator is
// configured: conflicting, incomplete or missing sources. The message names
// the flags and variables involved.
var ErrConfig = errors.New("configuration error")

// ErrInvalid is wrapped by InvalidError: the credentials were found but do
// not make a usable dockercfg.
var ErrInvalid = errors.New("invalid credentials")

// InvalidError carries the validator's report on the credentials, secrets
// masked; print it with diag.WriteText.
type InvalidError struct {
	// What names the credentials ("$DOCKER_AUTH_CONFIG", a file name).
	What   string
	Report *diag.Report
	// err is what the error wraps besides ErrInvalid (crypto.ErrWrongKey
	// when the content looks like a wrong key's output).
	err error
}

func (e *InvalidError) Error() string {
	if e.err != nil {
		return e.What + " is not a valid dockercfg: " + e.err.Error()
	}
	return e.What + " is not a valid dockercfg"
}

// Unwrap returns ErrInvalid and, for a wrong key, crypto.ErrWrongKey.
func (e *InvalidError) Unwrap() []error {
	if e.err != nil {
		return []error{ErrInvalid, e.err}
	}
	return []error{ErrInvalid}
}

// configError wraps ErrConfig with a message and advice on what to do.
type configError struct {
	msg, hint string
}

func (e *configError) Error() string { return e.msg }
func (e *configError) Unwrap() error { return ErrConfig }

// Hint says what to do about the error.
func (e *configError) Hint() string { return e.hint }

// Hint returns the advice attached to an error from this package, or "".
func Hint(err error) string {
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		return h.Hint()
	}
	return ""
}
