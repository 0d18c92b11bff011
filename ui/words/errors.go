package words

import (
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/lang"

	"casebook/casebook"
	"casebook/casebook/store"
)

// The domain and the store explain failures in English for logs and the
// CLI, and mark them with sentinels (errors.Is), FieldErrors and
// StepErrors that carry a stable code and its arguments (errors.As). The
// screen never shows, nor reads, those texts: it maps each sentinel and
// each code to a translated sentence, so that a cadre reads
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
		var se *casebook.StepError
		if errors.As(err, &se) {
			return StepErrorText(se)
		}
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

// FieldErrorText translates one field problem, a short phrase shown by its
// field ("不能晚于当前时间"). It reads the problem's stable code and
// arguments (casebook.Code), never the English message; a required value
// is named by its field.
func FieldErrorText(fe *casebook.FieldError) string {
	n := map[string]any{"N": FmtInt(fe.Int(0))}
	switch fe.Code {
	case casebook.CodeRequired:
		return requiredText(fe.Field)
	case casebook.CodeTooLong:
		return lang.X("ferr.too_long", "at most {{.N}} characters", n)
	case casebook.CodeTooMany:
		return lang.X("ferr.too_many", "at most {{.N}} items", n)
	case casebook.CodeTooFew:
		if fe.Field == "categories" {
			return lang.X("ferr.categories_empty", "at least one category")
		}
		return lang.X("ferr.too_few", "at least {{.N}} items", n)
	case casebook.CodeFuture:
		return lang.X("ferr.future", "cannot be later than now")
	case casebook.CodeBeforeReceived:
		return lang.X("ferr.before_received", "cannot be earlier than when the appeal was received")
	case casebook.CodeBeforeMeeting:
		return lang.X("ferr.before_meeting", "cannot be earlier than its meeting")
	case casebook.CodeBeforeStart:
		return lang.X("ferr.term_end", "the term ends before it starts")
	case casebook.CodeNotInList:
		if fe.Field == casebook.FieldCategory {
			return lang.X("ferr.category_unknown", "not in the category list (add it in Settings)")
		}
		return lang.X("ferr.not_in_list", "not one of the choices")
	case casebook.CodeRepeated:
		return lang.X("ferr.categories_repeat", "a category is empty or listed twice")
	case casebook.CodeNegative:
		return lang.X("ferr.negative", "cannot be negative")
	case casebook.CodeOutOfRange:
		return rangeText(fe)
	case casebook.CodeWeightsSum:
		return lang.X("ferr.weights_sum", "the three composite weights must add up to 1")
	case casebook.CodeBadTime:
		return lang.X("ferr.time", "write a time like 2026-03-02 14:30")
	case casebook.CodeBadDate:
		return MsgDate()
	case casebook.CodeBadLimit:
		return MsgLimit()
	case casebook.CodeNotANumber:
		return lang.X("ferr.number", "write a number")
	case casebook.CodeBadRange:
		return lang.X("ferr.range", "write buildings like 1-30 or 1号楼、2号楼")
	case casebook.CodeBadAttendee:
		return lang.X("ferr.attendee", "write each line like 物业 李经理 or 14号楼居民 12")
	case casebook.CodeBadPhone:
		return lang.X("ferr.phone", "only digits, +, - and spaces")
	case casebook.CodeHolidayWorkday:
		return lang.X("ferr.holiday_workday", "{{.Day}} is listed as a holiday and as a workday", map[string]any{"Day": argString(fe.Args, 0)})
	case casebook.CodeUnknownField:
		return lang.X("ferr.unknown_field", "this field cannot be changed")
	case casebook.CodeNoVotes:
		return lang.X("ferr.no_votes", "write how many voted")
	case casebook.CodeAlreadyLinked:
		return lang.X("ferr.already_linked", "already linked")
	case casebook.CodeSelfLink:
		return lang.X("ferr.self_link", "an appeal cannot be linked to itself")
	case casebook.CodeNoChange:
		return lang.X("ferr.no_change", "nothing was changed")
	case casebook.CodeBeforeSummoned:
		return lang.X("ferr.before_summoned", "cannot be earlier than the whistle that summoned it")
	case casebook.CodeUntilEarly:
		return lang.X("ferr.until_early", "must be later than {{.Day}}", map[string]any{"Day": argString(fe.Args, 0)})
	}
	return lang.X("ferr.generic", "please check this entry")
}

// requiredText asks for the value of a field.
func requiredText(field string) string {
	switch field {
	case casebook.FieldChannel:
		return lang.X("ferr.channel", "choose a channel")
	case casebook.FieldType:
		return lang.X("ferr.type", "choose a type")
	case casebook.FieldUrgency:
		return lang.X("ferr.urgency", "choose an urgency")
	case casebook.FieldCategory:
		return lang.X("ferr.category", "choose a category")
	case casebook.FieldSummary:
		return lang.X("ferr.summary", "write a short summary")
	case casebook.FieldWorkOrder:
		return lang.X("ferr.workorder", "a 12345 dispatch needs its work-order number")
	case "to":
		return lang.X("ferr.dispatch_to", "say to whom it is dispatched")
	case "note":
		return lang.X("ferr.explain", "explain why")
	case "solved":
		return lang.X("ferr.solved", "choose whether it was solved")
	case "satisfaction":
		return lang.X("ferr.satisfaction", "choose how satisfied the resident is")
	case "level":
		return lang.X("ferr.level", "choose a higher level")
	case casebook.FieldReceived, "at":
		return lang.X("ferr.time", "write a time like 2026-03-02 14:30")
	}
	return lang.X("ferr.required", "required")
}

// rangeText says what range a value must be in: a fraction, a percentage
// for the baseline rates, else the two bounds.
func rangeText(fe *casebook.FieldError) string {
	if fe.Field == "baseline" || strings.HasPrefix(fe.Field, "baseline.") {
		return lang.X("ferr.baseline", "rates are between 0 % and 100 %")
	}
	switch fe.Field {
	case casebook.FieldReceived, "at", "due":
		return lang.X("ferr.year_range", "the year must be {{.Lo}} to {{.Hi}}", map[string]any{"Lo": strconv.Itoa(fe.Int(0)), "Hi": strconv.Itoa(fe.Int(1))})
	}
	if len(fe.Args) == 2 {
		if _, isFloat := fe.Args[1].(float64); isFloat {
			return lang.X("ferr.fraction", "must be between 0 and 1")
		}
		return lang.X("ferr.range_int", "must be {{.Lo}} to {{.Hi}}", map[string]any{"Lo": FmtInt(fe.Int(0)), "Hi": FmtInt(fe.Int(1))})
	}
	return lang.X("ferr.generic", "please check this entry")
}

// argString is argument i as a string, or "".
func argString(args []any, i int) string {
	if i < len(args) {
		if s, ok := args[i].(string); ok {
			return s
		}
	}
	return ""
}

// StepErrorText translates why a step is refused (a casebook.StepError),
// by its code.
func StepErrorText(se *casebook.StepError) string {
	switch se.Code {
	case casebook.CodeNeedPlan:
		return lang.X("step.err.need_plan", "Put a plan version on the table first.")
	case casebook.CodeNeedAgreement:
		return lang.X("dispute.err.agreement", "An agreement is needed first.")
	case casebook.CodeTasksUndone:
		return lang.X("dispute.err.tasks", "Every task must be done first.")
	case casebook.CodePlanNotOnTable:
		return lang.X("dispute.err.plan", "Choose a plan version.")
	case casebook.CodeAlreadyEscalated:
		return lang.X("step.err.escalated", "The appeal is at that level or higher already.")
	case casebook.CodeCallbackUnsolved:
		return lang.X("step.err.callback_unsolved", "The resident's callback said it is not solved: handle it again (Reopen) before closing out.")
	case casebook.CodeUnresolvable:
		return lang.X("step.err.unresolvable", "An appeal found impossible to resolve is not closed out with the dispute.")
	case casebook.CodeNotResolved:
		return lang.X("step.err.not_resolved", "The dispute must be resolved first.")
	}
	return ruleStepText(se)
}

// ruleStepText translates why a step of the 12345 rules is refused.
func ruleStepText(se *casebook.StepError) string {
	switch se.Code {
	case casebook.CodePending:
		return lang.X("step.err.pending", "A request of this kind is already waiting for its decision.")
	case casebook.CodeNoRequest:
		return lang.X("step.err.no_request", "No request of this kind is waiting for a decision.")
	case casebook.CodeMerged:
		return lang.X("step.err.merged", "This appeal is already merged (into another, or that one into it).")
	case casebook.CodeIsMain:
		return lang.X("step.err.is_main", "Other appeals were merged into this one: it stays the main appeal.")
	case casebook.CodeMainNotOpen:
		return lang.X("step.err.main_not_open", "The main appeal is closed out or returned: merge into an open one.")
	case casebook.CodeContested:
		return lang.X("step.err.contested", "A contest of this appeal was accepted already.")
	case casebook.CodeHandled:
		return lang.X("step.err.handled", "The appeal was handled already: its handling deadline is met.")
	case casebook.CodeSummoned:
		return lang.X("step.err.summoned", "{{.Dept}} was summoned and has not reported yet.", map[string]any{"Dept": argString(se.Args, 0)})
	case casebook.CodeArrived:
		return lang.X("step.err.arrived", "{{.Dept}} has reported already.", map[string]any{"Dept": argString(se.Args, 0)})
	case casebook.CodeNotSummoned:
		return lang.X("step.err.not_summoned", "{{.Dept}} was not summoned to this appeal.", map[string]any{"Dept": argString(se.Args, 0)})
	case casebook.CodeNoWhistle:
		return lang.X("step.err.no_whistle", "No department was summoned yet.")
	}
	return lang.X("err.transition", "This step is not allowed at the appeal's current status.")
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
	var se *casebook.StepError
	if errors.As(err, &se) && se.Code != casebook.CodeNotAllowed {
		return StepErrorText(se)
	}
	if errors.Is(err, casebook.ErrTransition) {
		return lang.X("dispute.err.transition", "This step is not allowed at the dispute's current status.")
	}
	return ErrorMessage(err)
}

// DisputeFieldErrorText translates a problem with a dispute's input as a
// sentence for the dialog, by its code.
func DisputeFieldErrorText(fe *casebook.FieldError) string {
	n := map[string]any{"N": FmtInt(fe.Int(0))}
	switch fe.Code {
	case casebook.CodeTooLong:
		return lang.X("dispute.err.long", "At most {{.N}} characters.", n)
	case casebook.CodeTooMany:
		return lang.X("dispute.err.too_many", "At most {{.N}} appeals at a time.", n)
	case casebook.CodeBeforeMeeting:
		return lang.X("dispute.err.before_meeting", "The vote cannot be before its meeting.")
	case casebook.CodeFuture:
		return lang.X("dispute.err.future", "The time cannot be later than now.")
	case casebook.CodeAlreadyLinked:
		return lang.X("dispute.err.linked", "The appeals picked are linked already.")
	case casebook.CodeNotOnRecord:
		if fe.Field == "meeting" {
			return lang.X("dispute.err.meeting", "Choose a meeting.")
		}
		return lang.X("dispute.err.plan", "Choose a plan version.")
	case casebook.CodeRequired:
		switch fe.Field {
		case "title":
			return lang.X("disputes.err.title", "Give the dispute a title.")
		case "name":
			return lang.X("dispute.err.name", "Write the party's name.")
		case "signed_off":
			return lang.X("dispute.err.signed", "Name who signed off.")
		case "text", "minutes":
			return lang.X("dispute.err.minutes", "Write what to add to the minutes.")
		case "plan":
			return lang.X("dispute.err.plan", "Choose a plan version.")
		case "meeting":
			return lang.X("dispute.err.meeting", "Choose a meeting.")
		}
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
