package casebook

import (
	"errors"
	"fmt"
)

// Sentinel errors. Callers test with errors.Is; the UI maps each to a
// translated message, so their text is for logs and the CLI.
var (
	// ErrNotFound: no case, dispute or setting with that id.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: input that does not make sense (a bad code, a missing field).
	ErrInvalid = errors.New("invalid input")
	// ErrTransition: the closed loop does not allow that step from the case's status.
	ErrTransition = errors.New("step not allowed")
	// ErrClockSkew: a remote timestamp is too far ahead of this device's clock.
	ErrClockSkew = errors.New("clock skew too large")
)

// FieldError is a validation failure tied to one input field, so that forms
// can show it next to the field and the CLI can name the flag.
type FieldError struct {
	Field string // the field code, as in CaseInput's json tags
	Msg   string // English explanation for logs and the CLI
}

func (e *FieldError) Error() string { return fmt.Sprintf("%s: %s", e.Field, e.Msg) }

// Unwrap makes every FieldError an ErrInvalid.
func (e *FieldError) Unwrap() error { return ErrInvalid }

// FieldErrors collects every problem of one form so the user sees them all at once.
type FieldErrors []*FieldError

func (es FieldErrors) Error() string {
	s := ""
	for i, e := range es {
		if i > 0 {
			s += "; "
		}
		s += e.Error()
	}
	return s
}

// Unwrap lets errors.Is and errors.As see each field error.
func (es FieldErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// For returns the error for one field, or nil.
func (es FieldErrors) For(field string) *FieldError {
	for _, e := range es {
		if e.Field == field {
			return e
		}
	}
	return nil
}
