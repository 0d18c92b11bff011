package words

import (
	"unicode"

	"fyne.io/fyne/v2/lang"

	"casebook/casebook"
)

// Display names of the domain's codes in the current language.
//
// casebook/ has Chinese() and English() names for every code, but they are
// the ledger's canonical names (exports stay Chinese whatever the UI says);
// the screen's names go through the translation catalogues like every other
// string, so a translator can change "feedback given" without touching the
// domain core. An unknown code (from a newer version, via sync) is shown as
// it is rather than hidden.

func StatusName(s casebook.Status) string {
	switch s {
	case casebook.StatusReceived:
		return lang.X("status.received", "Received")
	case casebook.StatusResponded:
		return lang.X("status.responded", "Signed for")
	case casebook.StatusDispatched:
		return lang.X("status.dispatched", "Dispatched")
	case casebook.StatusInProgress:
		return lang.X("status.in_progress", "In progress")
	case casebook.StatusResolved:
		return lang.X("status.resolved", "Resolved")
	case casebook.StatusUnresolvable:
		return lang.X("status.unresolvable", "Cannot be resolved")
	case casebook.StatusFeedback:
		return lang.X("status.feedback", "Feedback given")
	case casebook.StatusEvaluated:
		return lang.X("status.evaluated", "Evaluated")
	case casebook.StatusClosed:
		return lang.X("status.closed", "Closed out")
	case casebook.StatusReturned:
		return lang.X("status.returned", "Returned")
	}
	return string(s)
}

func ChannelName(c casebook.Channel) string {
	switch c {
	case casebook.Channel12345:
		return lang.X("channel.12345", "12345 dispatch")
	case casebook.ChannelWalkIn:
		return lang.X("channel.walk-in", "Walk-in / phone")
	case casebook.ChannelGrid:
		return lang.X("channel.grid", "Grid worker")
	case casebook.ChannelOnline:
		return lang.X("channel.online", "Online platform")
	case casebook.ChannelBox:
		return lang.X("channel.box", "Appeal point / box")
	case casebook.ChannelReport:
		return lang.X("channel.report-meeting", "Report meeting")
	case casebook.ChannelDeliberation:
		return lang.X("channel.deliberation", "Deliberation meeting")
	case casebook.ChannelProactive:
		return lang.X("channel.proactive", "Proactive")
	}
	return string(c)
}

func TypeName(t casebook.AppealType) string {
	switch t {
	case casebook.TypeComplaint:
		return lang.X("type.complaint", "Complaint")
	case casebook.TypeHelp:
		return lang.X("type.help", "Request for help")
	case casebook.TypeSuggestion:
		return lang.X("type.suggestion", "Suggestion")
	case casebook.TypeConsultation:
		return lang.X("type.consultation", "Consultation")
	}
	return string(t)
}

func UrgencyName(u casebook.Urgency) string {
	switch u {
	case casebook.UrgencyEmergency:
		return lang.X("urgency.emergency", "Emergency")
	case casebook.UrgencyUtility:
		return lang.X("urgency.utility", "Water, power, gas, heating")
	case casebook.UrgencyGeneral, "":
		return lang.X("urgency.general", "General")
	case casebook.UrgencyComplex:
		return lang.X("urgency.complex", "Complex")
	}
	return string(u)
}

func LevelName(l casebook.Level) string {
	switch l {
	case casebook.LevelCommunity:
		return lang.X("level.community", "Community")
	case casebook.LevelStreet:
		return lang.X("level.street", "Street office")
	case casebook.LevelDistrict:
		return lang.X("level.district", "District")
	case casebook.LevelCity:
		return lang.X("level.city", "City")
	}
	return string(l)
}

func SolvedName(s casebook.Solved) string {
	switch s {
	case casebook.SolvedYes:
		return lang.X("solved.yes", "Solved")
	case casebook.SolvedPartly:
		return lang.X("solved.partly", "Partly solved")
	case casebook.SolvedNo:
		return lang.X("solved.no", "Not solved")
	}
	return string(s)
}

func SatisfactionName(s casebook.Satisfaction) string {
	switch s {
	case casebook.Satisfied:
		return lang.X("satisfaction.satisfied", "Satisfied")
	case casebook.BasicSatisfied:
		return lang.X("satisfaction.basic", "Basically satisfied")
	case casebook.NotSatisfied:
		return lang.X("satisfaction.unsatisfied", "Unsatisfied")
	}
	return string(s)
}

func LinkKindName(k casebook.LinkKind) string {
	switch k {
	case casebook.LinkDuplicate:
		return lang.X("link.duplicate", "Duplicate")
	case casebook.LinkRecurring:
		return lang.X("link.recurring", "Recurring")
	case casebook.LinkOpposing:
		return lang.X("link.opposing", "Opposing side")
	case casebook.LinkRelated:
		return lang.X("link.related", "Related")
	}
	return string(k)
}

// ActionName is the name of a loop step as a button and a timeline entry.
func ActionName(a casebook.Action) string {
	switch a {
	case casebook.ActReceive:
		return lang.X("action.receive", "Received")
	case casebook.ActRespond:
		return lang.X("action.respond", "Sign for")
	case casebook.ActDispatch:
		return lang.X("action.dispatch", "Dispatch")
	case casebook.ActProgress:
		return lang.X("action.progress", "Progress note")
	case casebook.ActResolve:
		return lang.X("action.resolve", "Resolve")
	case casebook.ActUnresolvable:
		return lang.X("action.unresolvable", "Cannot be resolved")
	case casebook.ActFeedback:
		return lang.X("action.feedback", "Feedback to resident")
	case casebook.ActEvaluate:
		return lang.X("action.evaluate", "Evaluation (callback)")
	case casebook.ActEscalate:
		return lang.X("action.escalate", "Escalate")
	case casebook.ActClose:
		return lang.X("action.close", "Close out")
	case casebook.ActReopen:
		return lang.X("action.reopen", "Reopen")
	case casebook.ActNote:
		return lang.X("action.note", "Note")
	case casebook.ActReturn:
		return lang.X("action.return", "Return")
	case casebook.ActReturnDecided:
		return lang.X("action.return_decided", "Return decided")
	case casebook.ActContest:
		return lang.X("action.contest", "Contest")
	case casebook.ActContestDecided:
		return lang.X("action.contest_decided", "Contest decided")
	case casebook.ActExtend:
		return lang.X("action.extend", "Ask for an extension")
	case casebook.ActExtendDecided:
		return lang.X("action.extend_decided", "Extension decided")
	case casebook.ActMerge:
		return lang.X("action.merge", "Merge into another")
	case casebook.ActMergeIn:
		return lang.X("action.merge_in", "Merged in")
	case casebook.ActWhistle:
		return lang.X("action.whistle", "Whistle")
	case casebook.ActArrive:
		return lang.X("action.arrive", "Department reported")
	case casebook.ActWhistleResult:
		return lang.X("action.whistle_result", "Joint handling result")
	}
	return string(a)
}

// FieldName is the label of a case field or of a loop step's input.
func FieldName(f string) string {
	switch f {
	case casebook.FieldNumber:
		return lang.X("field.number", "Number")
	case casebook.FieldReceived:
		return lang.X("field.received", "Received")
	case casebook.FieldChannel:
		return lang.X("field.channel", "Channel")
	case casebook.FieldWorkOrder:
		return lang.X("field.workorder", "12345 work order")
	case casebook.FieldType:
		return lang.X("field.type", "Type")
	case casebook.FieldCategory:
		return lang.X("field.category", "Category")
	case casebook.FieldBuilding:
		return lang.X("field.building", "Building")
	case casebook.FieldUnit:
		return lang.X("field.unit", "Unit / door")
	case casebook.FieldLocation:
		return lang.X("field.location", "Location")
	case casebook.FieldSummary:
		return lang.X("field.summary", "Summary")
	case casebook.FieldDetails:
		return lang.X("field.details", "Details")
	case casebook.FieldComplainant:
		return lang.X("field.complainant", "Complainant")
	case casebook.FieldPhone:
		return lang.X("field.phone", "Phone")
	case casebook.FieldUrgency:
		return lang.X("field.urgency", "Urgency")
	case casebook.FieldHandler:
		return lang.X("field.handler", "Handler")
	case casebook.FieldMeeting:
		return lang.X("field.meeting", "Report meeting (place)")
	case "at":
		return lang.X("field.at", "Time")
	case "note":
		return lang.X("field.note", "Note")
	case "to":
		return lang.X("field.to", "To")
	case "solved":
		return lang.X("field.solved", "Solved?")
	case "satisfaction":
		return lang.X("field.satisfaction", "Satisfaction")
	case "status":
		return lang.X("field.status", "Status")
	case "deadline":
		return lang.X("field.deadline", "Due by")
	case "reason":
		return lang.X("field.reason", "Reason")
	case "return_to":
		return lang.X("field.return_to", "Reassign to")
	case "evidence":
		return lang.X("field.evidence", "Evidence")
	case "until":
		return lang.X("field.until", "Until (day)")
	case "accepted":
		return lang.X("field.accepted", "Decision")
	case "departments":
		return lang.X("field.departments", "Departments")
	case "department":
		return lang.X("field.department", "Department")
	case "into":
		return lang.X("field.into", "Main appeal")
	case "result":
		return lang.X("field.result", "Joint result")
	case "ratings":
		return lang.X("field.ratings", "Ratings")
	case "callback":
		return lang.X("field.callback", "Callback")
	}
	return f
}

// DecisionName is the name of a decision on a request.
func DecisionName(d casebook.Decision) string {
	switch d {
	case casebook.DecisionAccepted:
		return lang.X("decision.accepted", "Accepted")
	case casebook.DecisionRefused:
		return lang.X("decision.refused", "Refused")
	}
	return string(d)
}

// CallbackName is the name of a callback without a verdict.
func CallbackName(c casebook.Callback) string {
	switch c {
	case casebook.CallbackNone:
		return lang.X("callback.unevaluated", "Not evaluated")
	case casebook.CallbackUnreachable:
		return lang.X("callback.unreachable", "Not reached")
	case casebook.CallbackRefused:
		return lang.X("callback.refused", "Declined to evaluate")
	}
	return string(c)
}

// Choice is a pick-list of codes with their display names, for a Select:
// the select shows names, the code is looked up by the chosen index.
type Choice[T comparable] struct {
	Codes []T
	Names []string
}

func NewChoice[T comparable](codes []T, name func(T) string) Choice[T] {
	c := Choice[T]{Codes: codes, Names: make([]string, len(codes))}
	for i, code := range codes {
		c.Names[i] = name(code)
	}
	return c
}

// Code returns the code at a Select's index, or the zero value.
func (c Choice[T]) Code(i int) T {
	var zero T
	if i < 0 || i >= len(c.Codes) {
		return zero
	}
	return c.Codes[i]
}

// Index returns the position of a code, or -1.
func (c Choice[T]) Index(code T) int {
	for i, x := range c.Codes {
		if x == code {
			return i
		}
	}
	return -1
}

// DisputeStatusName is a dispute status in the current language.
func DisputeStatusName(s casebook.DisputeStatus) string {
	if Language() == LangEnglish {
		return Capitalize(s.English())
	}
	return s.Chinese()
}

// Capitalize upper-cases the first letter of a code's English name, which
// the core writes in lower case for sentences ("negotiating"): a status
// standing alone reads "Negotiating".
func Capitalize(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// RuleChoiceName is the name of a choice of the assessment basis's rule set.
func RuleChoiceName(c casebook.RuleChoice) string {
	switch c {
	case casebook.RuleExcluded:
		return lang.X("rule.excluded", "left out")
	case casebook.RuleCounted:
		return lang.X("rule.counted", "counted")
	case casebook.RuleOnce:
		return lang.X("rule.once", "one handling, each its own evaluation")
	case casebook.RuleEach:
		return lang.X("rule.each", "each counted")
	case casebook.RuleUnsatisfied:
		return lang.X("rule.unsatisfied", "counted as not solved, unsatisfied")
	case casebook.RuleSatisfied:
		return lang.X("rule.satisfied", "counted as solved, satisfied")
	case casebook.RuleApproved:
		return lang.X("rule.approved", "against the approved deadline")
	case casebook.RuleOriginal:
		return lang.X("rule.original", "against the original deadline")
	}
	return string(c)
}

// RuleName is the name of a rule of the assessment basis.
func RuleName(rule string) string {
	switch rule {
	case casebook.RuleReturned:
		return lang.X("rule.name.returned", "Returned appeals")
	case casebook.RuleContested:
		return lang.X("rule.name.contested", "Contested appeals (accepted)")
	case casebook.RuleMerged:
		return lang.X("rule.name.merged", "Merged appeals")
	case casebook.RuleUnevaluated:
		return lang.X("rule.name.unevaluated", "Callbacks without a verdict")
	case casebook.RuleExtended:
		return lang.X("rule.name.extended", "Extended appeals")
	case casebook.RuleArrive:
		return lang.X("rule.name.arrive", "Minutes to report after a whistle")
	}
	return rule
}
