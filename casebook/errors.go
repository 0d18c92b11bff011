package casebook

import (
	"errors"
	"fmt"
	"strings"
)

// Errors follow the upspin style: each names its operation ("create
// dispute: …", "respond case 20260301-001: …"), wraps its cause with %w, and
// is one of the sentinels below (errors.Is). A refusal the user can act on
// also carries a stable Code and its arguments in a FieldError (invalid
// input) or a StepError (a step the loop does not allow), found with
// errors.As. The UI maps codes to translated text; it never reads the
// English, which is for logs and the CLI and may be reworded.

// Sentinel errors. Callers test with errors.Is.
var (
	// ErrNotFound: no case, dispute or setting with that id.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: input that does not make sense (a bad code, a missing field).
	ErrInvalid = errors.New("invalid input")
	// ErrTransition: the closed loop does not allow that step from the case's status.
	ErrTransition = errors.New("step not allowed")
	// ErrClockSkew: a remote timestamp is too far ahead of this device's clock.
	ErrClockSkew = errors.New("clock skew too large")
	// ErrNoChange: an edit that changes nothing. It is an ErrInvalid and a
	// FieldError with CodeNoChange.
	ErrNoChange error = &FieldError{Code: CodeNoChange, Msg: "nothing to change"}
)

// Code names what is wrong with an input or a step, for the UI's table of
// translated texts. Codes are stable: a new problem gets a new code, an old
// code keeps its meaning and its arguments. The comment of each code lists
// its Args.
type Code string

// Codes of FieldError (invalid input; errors.Is(err, ErrInvalid)).
const (
	CodeInvalid        Code = "invalid"             // not valid, with no more precise code
	CodeRequired       Code = "required"            // a value is needed (Field says which)
	CodeTooLong        Code = "too_long"            // Args: the most characters allowed (int)
	CodeTooMany        Code = "too_many"            // Args: the most items allowed (int)
	CodeTooFew         Code = "too_few"             // Args: the fewest items allowed (int)
	CodeFuture         Code = "future"              // a time later than now
	CodeBeforeReceived Code = "before_received"     // a step dated before the appeal was received
	CodeBeforeMeeting  Code = "before_meeting"      // a vote dated before its meeting
	CodeBeforeStart    Code = "before_start"        // a term that ends before it starts
	CodeNotInList      Code = "not_in_list"         // Args: the value (string): not a category of the settings, or not a code of its table
	CodeRepeated       Code = "repeated"            // Args: the value (string), empty or listed twice
	CodeNegative       Code = "negative"            // a count below zero
	CodeOutOfRange     Code = "out_of_range"        // Args: the lowest and the highest allowed (int, or float64 for fractions)
	CodeWeightsSum     Code = "weights_sum"         // Args: what the composite weights add up to (float64)
	CodeBadTime        Code = "bad_time"            // a time that cannot be read
	CodeBadDate        Code = "bad_date"            // Args: the text (string): a date that cannot be read or does not exist
	CodeBadLimit       Code = "bad_limit"           // a deadline limit that cannot be read (2h, 7d)
	CodeNotANumber     Code = "not_a_number"        // a number, rate or count that cannot be read
	CodeBadRange       Code = "bad_range"           // Args: the text (string): a range of building numbers that cannot be read
	CodeBadAttendee    Code = "bad_attendee"        // an attendance line that cannot be read
	CodeBadPhone       Code = "bad_phone"           // a phone number with characters other than digits, +, - and spaces
	CodeBadID          Code = "bad_id"              // Args: the text (string) that is not an id
	CodeHolidayWorkday Code = "holiday_and_workday" // Args: the day (string) listed both as a holiday and as a workday
	CodeUnknownField   Code = "unknown_field"       // a field that cannot be set
	CodeNoVotes        Code = "no_votes"            // a vote with every count zero
	CodeNotOnRecord    Code = "not_on_record"       // a meeting or plan version the dispute does not hold
	CodeAlreadyLinked  Code = "already_linked"      // a link that exists already
	CodeSelfLink       Code = "self_link"           // a case linked to itself
	CodeAlreadyMarked  Code = "already_marked"      // Args: the task's title (string), already marked so
	CodeNoChange       Code = "no_change"           // an edit that changes nothing (ErrNoChange)
	CodeBeforeSummoned Code = "before_summoned"     // a department reporting before it was summoned
	CodeUntilEarly     Code = "until_early"         // Args: the handling deadline's day (string): an extension must run past it
)

// Codes of StepError (errors.Is(err, ErrTransition)).
const (
	CodeNotAllowed       Code = "not_allowed"       // Args: the action and the status (string): not allowed from that status
	CodeNotAStep         Code = "not_a_step"        // Args: the action (string), which is not a step of the loop
	CodeNeedPlan         Code = "need_plan"         // an agreement before any plan version is on the table
	CodeNeedAgreement    Code = "need_agreement"    // tasks, implementing or resolving before an agreement
	CodeTasksUndone      Code = "tasks_undone"      // Args: the titles of the tasks not done ([]string)
	CodePlanNotOnTable   Code = "plan_not_on_table" // Args: the plan version's id (string)
	CodeAlreadyEscalated Code = "already_escalated" // Args: the level it is at (string)
	CodeCallbackUnsolved Code = "callback_unsolved" // closing a case the resident's callback called not solved
	CodeUnresolvable     Code = "unresolvable"      // closing, for a dispute, a case found unresolvable
	CodeNotResolved      Code = "not_resolved"      // Args: the dispute's status (string); closing its cases needs it resolved

	// The 12345 rules (rules_loop.go).
	CodePending     Code = "pending"       // Args: the request (string: return, contest, extend), already waiting for its decision
	CodeNoRequest   Code = "no_request"    // Args: the request (string): none is waiting for a decision
	CodeMerged      Code = "merged"        // Args: the other appeal's id (string): already merged (into it, or it into this one)
	CodeIsMain      Code = "is_main"       // Args: how many appeals were merged into this one (int); it cannot be merged itself
	CodeMainNotOpen Code = "main_not_open" // Args: the main appeal's status (string); merging needs it open
	CodeContested   Code = "contested"     // a contest of the appeal was accepted already
	CodeHandled     Code = "handled"       // an extension of an appeal already handled
	CodeSummoned    Code = "summoned"      // Args: the department (string), summoned and not reported yet
	CodeArrived     Code = "arrived"       // Args: the department (string), reported already
	CodeNotSummoned Code = "not_summoned"  // Args: the department (string), never summoned to this appeal
	CodeNoWhistle   Code = "no_whistle"    // a joint handling result with no department summoned
)

// FieldError is a problem with an input, tied to one field when Field is
// set, so that forms can show it next to the field and the CLI can name
// the flag. Every FieldError is an ErrInvalid.
type FieldError struct {
	Field string // the field code, as in CaseInput's json tags; "" when no one field is at fault
	Code  Code   // what is wrong, for translated text
	Args  []any  // the code's arguments, as its comment lists
	Msg   string // English explanation for logs and the CLI
}

func (e *FieldError) Error() string {
	if e.Field == "" {
		return ErrInvalid.Error() + ": " + e.Msg
	}
	return e.Field + ": " + e.Msg
}

// Unwrap makes every FieldError an ErrInvalid.
func (e *FieldError) Unwrap() error { return ErrInvalid }

// Int returns argument i as an int (0 if there is none or it is not one),
// for codes such as too_long whose argument is a limit.
func (e *FieldError) Int(i int) int { return intArg(e.Args, i) }

func intArg(args []any, i int) int {
	if i < len(args) {
		if n, ok := args[i].(int); ok {
			return n
		}
	}
	return 0
}

// fieldErr makes a FieldError; args follow the code's comment.
func fieldErr(field string, code Code, msg string, args ...any) *FieldError {
	return &FieldError{Field: field, Code: code, Args: args, Msg: msg}
}

// invalid makes a FieldError that no one field is at fault for (a parser's
// error, before its caller names the field).
func invalid(code Code, msg string, args ...any) *FieldError {
	return &FieldError{Code: code, Args: args, Msg: msg}
}

// asField ties err (a parser's error) to a field, keeping its code and
// arguments; msg prefixes the English.
func asField(field, msg string, err error) *FieldError {
	fe := &FieldError{Field: field, Code: CodeInvalid, Msg: msg + err.Error()}
	var inner *FieldError
	if errors.As(err, &inner) {
		fe.Code, fe.Args = inner.Code, inner.Args
	}
	return fe
}

// FieldErrors collects every problem of one form so the user sees them all at once.
type FieldErrors []*FieldError

func (es FieldErrors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "; ")
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

// add appends a FieldError.
func (es *FieldErrors) add(field string, code Code, msg string, args ...any) {
	*es = append(*es, fieldErr(field, code, msg, args...))
}

// StepError is a step that the closed loop, or a dispute's course, does not
// allow now: the code says why. Every StepError is an ErrTransition.
type StepError struct {
	Code Code  // why not, for translated text
	Args []any // the code's arguments, as its comment lists
	Msg  string
}

func (e *StepError) Error() string { return ErrTransition.Error() + ": " + e.Msg }

// Unwrap makes every StepError an ErrTransition.
func (e *StepError) Unwrap() error { return ErrTransition }

// stepErr makes a StepError; args follow the code's comment.
func stepErr(code Code, msg string, args ...any) *StepError {
	return &StepError{Code: code, Args: args, Msg: msg}
}

// stepErrf is stepErr with the English made by fmt.Sprintf(format, fargs...).
func stepErrf(code Code, args []any, format string, fargs ...any) *StepError {
	return stepErr(code, fmt.Sprintf(format, fargs...), args...)
}
