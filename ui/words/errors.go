package words

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2/lang"

	"casebook/casebook"
	"casebook/casebook/store"
)

// The domain and the store explain failures in English for logs and the
// CLI, and mark them with sentinels (errors.Is) and FieldErrors
// (errors.As). The screen never shows those texts: it maps each sentinel
// and each field problem to a translated sentence, so that a cadre reads
// "请填写诉求摘要" next to the summary box, not "summary: write a short
// summary". The English detail is kept for the "details" line of error
// screens, where a support person may need it.

// ErrorMessage is the translated, one-sentence explanation of err.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	if fes := FieldErrors(err); len(fes) > 0 {
		parts := make([]string, len(fes))
		for i, fe := range fes {
			parts[i] = FieldName(fe.Field) + lang.X("fmt.colon", ": ") + FieldErrorText(fe)
		}
		return strings.Join(parts, lang.X("fmt.list_sep", "; "))
	}
	switch {
	case errors.Is(err, store.ErrLocked):
		return lang.X("err.locked", "The casebook file is in use by another program, probably another Casebook window. Close it and try again.")
	case errors.Is(err, store.ErrNotCasebook):
		return lang.X("err.not_casebook", "This file is not a casebook. It was left untouched.")
	case errors.Is(err, store.ErrCorrupt):
		return lang.X("err.corrupt", "The casebook file is damaged. It was left untouched: restore it from a backup, or open another file.")
	case errors.Is(err, store.ErrTooNew):
		return lang.X("err.too_new", "The casebook file was written by a newer version of Casebook. Update the program to open it.")
	case errors.Is(err, store.ErrClosed):
		return lang.X("err.closed", "The casebook is closed.")
	case errors.Is(err, store.ErrDuplicate):
		return lang.X("err.duplicate", "This 12345 work order is already in the casebook.")
	case errors.Is(err, casebook.ErrClockSkew):
		return lang.X("err.clock_skew", "The other device's clock is far from this computer's. Check the clocks.")
	case errors.Is(err, casebook.ErrTransition):
		return lang.X("err.transition", "This step is not allowed at the appeal's current status.")
	case errors.Is(err, casebook.ErrNotFound):
		return lang.X("err.not_found", "The appeal was not found.")
	case errors.Is(err, casebook.ErrInvalid):
		return lang.X("err.invalid", "Some input is not valid.")
	}
	return lang.X("err.other", "Something went wrong.")
}

// FieldErrors extracts the field problems in err, if any: a FieldErrors
// list or a single FieldError.
func FieldErrors(err error) casebook.FieldErrors {
	var fes casebook.FieldErrors
	if errors.As(err, &fes) {
		return fes
	}
	var fe *casebook.FieldError
	if errors.As(err, &fe) {
		return casebook.FieldErrors{fe}
	}
	return nil
}

// FieldErrorText translates one field problem. The domain's messages are
// matched by their stable beginnings; a message this version does not know
// gets a generic sentence rather than English (TestFieldErrorTexts lists the
// messages the domain produces today, so a change there is noticed).
func FieldErrorText(fe *casebook.FieldError) string {
	m := fe.Msg
	has := func(prefix string) bool { return strings.HasPrefix(m, prefix) }
	switch {
	case m == "received time is in the future" || m == "time is in the future":
		return lang.X("ferr.future", "cannot be later than now")
	case m == "time is before the appeal was received":
		return lang.X("ferr.before_received", "cannot be earlier than when the appeal was received")
	case has("choose a channel"):
		return lang.X("ferr.channel", "choose a channel")
	case has("choose a type"):
		return lang.X("ferr.type", "choose a type")
	case m == "choose a category":
		return lang.X("ferr.category", "choose a category")
	case strings.Contains(m, "is not in the list"):
		return lang.X("ferr.category_unknown", "not in the category list (add it in Settings)")
	case m == "write a short summary":
		return lang.X("ferr.summary", "write a short summary")
	case has("summary is longer than"):
		return lang.X("ferr.summary_long", "at most 200 characters")
	case has("details are longer than"):
		return lang.X("ferr.details_long", "at most 5,000 characters")
	case m == "a 12345 dispatch needs its work-order number":
		return lang.X("ferr.workorder", "a 12345 dispatch needs its work-order number")
	case has("phone number has"):
		return lang.X("ferr.phone", "only digits, +, - and spaces")
	case has("longer than"):
		return lang.X("ferr.short_long", "at most 64 characters")
	case m == "location is too long":
		return lang.X("ferr.location_long", "at most 200 characters")
	case m == "say to whom it is dispatched":
		return lang.X("ferr.dispatch_to", "say to whom it is dispatched")
	case m == "explain why":
		return lang.X("ferr.explain", "explain why")
	case m == "write the note":
		return lang.X("ferr.note", "write the note")
	case m == "note is too long":
		return lang.X("ferr.note_long", "at most 5,000 characters")
	case m == "must be between 0 and 1":
		return lang.X("ferr.fraction", "must be between 0 and 1")
	case has("composite weights add up"):
		return lang.X("ferr.weights_sum", "the three composite weights must add up to 1")
	case m == "must be 0 to 366":
		return lang.X("ferr.repeat_days", "must be 0 to 366")
	case m == "at least one category":
		return lang.X("ferr.categories_empty", "at least one category")
	case has("empty or repeated category"):
		return lang.X("ferr.categories_repeat", "a category is empty or listed twice")
	case m == "cannot be negative":
		return lang.X("ferr.negative", "cannot be negative")
	case m == "term ends before it starts":
		return lang.X("ferr.term_end", "the term ends before it starts")
	case m == "rates are fractions between 0 and 1":
		return lang.X("ferr.baseline", "rates are between 0 % and 100 %")
	case m == "unknown field":
		return lang.X("ferr.unknown_field", "this field cannot be changed")
	}
	switch fe.Field {
	case casebook.FieldUrgency:
		return lang.X("ferr.urgency", "choose an urgency")
	case "to":
		return lang.X("ferr.level", "choose a higher level")
	case "solved":
		return lang.X("ferr.solved", "choose whether it was solved")
	case "satisfaction":
		return lang.X("ferr.satisfaction", "choose how satisfied the resident is")
	case casebook.FieldReceived, "at":
		return lang.X("ferr.time", "write a time like 2026-03-02 14:30")
	}
	return lang.X("ferr.generic", "please check this entry")
}

// ErrorDetail is the untranslated text of err, for a details line.
func ErrorDetail(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// ErrMissing is an input a form itself found missing or wrong; Msg is
// already in the user's language.
type ErrMissing struct{ Msg string }

func (e ErrMissing) Error() string { return e.Msg }

// DisputeErrorMessage translates a failed dispute step.
func DisputeErrorMessage(err error) string {
	var m ErrMissing
	if errors.As(err, &m) {
		return m.Msg
	}
	if fes := FieldErrors(err); len(fes) > 0 {
		parts := make([]string, len(fes))
		for i, fe := range fes {
			parts[i] = DisputeFieldErrorText(fe)
		}
		return strings.Join(parts, lang.X("fmt.list_sep", "; "))
	}
	if errors.Is(err, casebook.ErrTransition) {
		return lang.X("dispute.err.transition", "This step is not allowed at the dispute's current status.") + " (" + ErrorDetail(err) + ")"
	}
	return ErrorMessage(err)
}

// DisputeFieldErrorText translates the domain's messages about dispute
// inputs, by their stable beginnings.
func DisputeFieldErrorText(fe *casebook.FieldError) string {
	m := fe.Msg
	switch {
	case strings.HasPrefix(m, "every task must be done"), strings.Contains(m, "not done"):
		return lang.X("dispute.err.tasks", "Every task must be done first.")
	case strings.Contains(m, "agreement"):
		return lang.X("dispute.err.agreement", "An agreement is needed first.")
	case m == "choose a plan version on the table":
		return lang.X("dispute.err.plan", "Choose a plan version.")
	case m == "before the meeting it was taken at":
		return lang.X("dispute.err.before_meeting", "The vote cannot be before its meeting.")
	case m == "choose a meeting on record":
		return lang.X("dispute.err.meeting", "Choose a meeting.")
	case m == "name who signed off":
		return lang.X("dispute.err.signed", "Name who signed off.")
	case m == "the title cannot be empty":
		return lang.X("disputes.err.title", "Give the dispute a title.")
	case m == "name the party":
		return lang.X("dispute.err.name", "Write the party's name.")
	case m == "write the addition":
		return lang.X("dispute.err.minutes", "Write what to add to the minutes.")
	case m == "no appeal that is not linked already":
		return lang.X("dispute.err.linked", "The appeals picked are linked already.")
	}
	// The dispute's limits differ by field (200 characters for a title,
	// 5,000 for a summary), so the number comes from the message.
	var n int
	if _, err := fmt.Sscanf(m, "longer than %d characters", &n); err == nil {
		return lang.X("dispute.err.long", "At most {{.N}} characters.", map[string]any{"N": FmtInt(n)})
	}
	if _, err := fmt.Sscanf(m, "more than %d appeals", &n); err == nil {
		return lang.X("dispute.err.too_many", "At most {{.N}} appeals at a time.", map[string]any{"N": FmtInt(n)})
	}
	return FieldErrorText(fe)
}

// Need is an ErrMissing with msg if text is blank, else nil.
func Need(text, msg string) error {
	if strings.TrimSpace(text) == "" {
		return ErrMissing{msg}
	}
	return nil
}

// Messages of the forms' own checks, before the core sees the input.

// MsgNumber asks for a whole number.
func MsgNumber() string { return lang.X("settings.err.number", "write a whole number") }

// MsgPercent asks for a percentage.
func MsgPercent() string { return lang.X("settings.err.percent", "write a percentage from 0 to 100") }

// MsgDate asks for a date.
func MsgDate() string { return lang.X("settings.err.date", "write a date like 2026-03-02") }

// MsgLimit asks for a deadline limit.
func MsgLimit() string { return lang.X("settings.err.limit", "write a limit like 7d or 24h") }
