package casebook

import (
	"fmt"
	"slices"
)

// Status is where a case stands in the closed loop (闭环).
type Status string

// Statuses in loop order.
const (
	StatusReceived     Status = "received"     // 已受理
	StatusResponded    Status = "responded"    // 已签收
	StatusDispatched   Status = "dispatched"   // 已交办
	StatusInProgress   Status = "in_progress"  // 办理中
	StatusResolved     Status = "resolved"     // 已办结
	StatusUnresolvable Status = "unresolvable" // 无法解决
	StatusFeedback     Status = "feedback"     // 已反馈
	StatusEvaluated    Status = "evaluated"    // 已评价
	StatusClosed       Status = "closed"       // 已销号
	// StatusReturned: the hotline accepted the community's return (退单):
	// the work order left the community's books (it was reassigned, 改派).
	// It stays in the ledger as 已退单.
	StatusReturned Status = "returned" // 已退单
)

var StatusCodes = &CodeTable[Status]{
	what: "status",
	names: []codeName{
		{string(StatusReceived), "已受理", "received"},
		{string(StatusResponded), "已签收", "responded"},
		{string(StatusDispatched), "已交办", "dispatched"},
		{string(StatusInProgress), "办理中", "in progress"},
		{string(StatusResolved), "已办结", "resolved"},
		{string(StatusUnresolvable), "无法解决", "unresolvable"},
		{string(StatusFeedback), "已反馈", "feedback given"},
		{string(StatusEvaluated), "已评价", "evaluated"},
		{string(StatusClosed), "已销号", "closed out"},
		{string(StatusReturned), "已退单", "returned"},
	},
	aliases: map[string]string{"in-progress": "in_progress", "inprogress": "in_progress", "feedback_given": "feedback"},
}

// Statuses lists every status in loop order.
func Statuses() []Status { return StatusCodes.Codes() }

// ParseStatus accepts a status code or its Chinese name; "open" is not a
// status (use Filter.Open).
func ParseStatus(s string) (Status, error) { return StatusCodes.Parse(s) }

// Chinese returns the status name used in ledgers.
func (s Status) Chinese() string { return StatusCodes.Chinese(s) }

// English returns the English status name.
func (s Status) English() string { return StatusCodes.English(s) }

// Open reports whether the case still needs work (not closed out, not
// returned). A resolved case still awaits feedback and evaluation, so it
// stays open.
func (s Status) Open() bool { return s != StatusClosed && s != StatusReturned }

// Action is one step of the closed loop, recorded as a timeline event.
type Action string

// Actions.
const (
	ActReceive      Action = "receive"      // 受理: the first event, made with the case
	ActRespond      Action = "respond"      // 签收
	ActDispatch     Action = "dispatch"     // 分流交办 (To: whom)
	ActProgress     Action = "progress"     // 办理进展
	ActResolve      Action = "resolve"      // 办结
	ActUnresolvable Action = "unresolvable" // 无法解决 (explained in the note)
	ActFeedback     Action = "feedback"     // 反馈: the result (or, while open, the plan/progress) told to the resident
	ActEvaluate     Action = "evaluate"     // 评价/回访
	ActEscalate     Action = "escalate"     // 提级 (To: street|district|city)
	ActClose        Action = "close"        // 销号
	ActReopen       Action = "reopen"       // 重新办理
	ActNote         Action = "note"         // 备注: a note that changes nothing

	// The 12345 rules (rules.go, rules_loop.go).
	ActReturn         Action = "return"          // 退单: the community asks to return the work order (Note: why; To: the unit it belongs to)
	ActReturnDecided  Action = "return_decided"  // 退单审核: accepted (改派: it leaves the books) or refused
	ActContest        Action = "contest"         // 申诉: the appeal is contested as unreasonable (不合理诉求)
	ActContestDecided Action = "contest_decided" // 申诉审核: accepted (out of the assessment basis) or refused
	ActExtend         Action = "extend"          // 延期: more time asked, until a day
	ActExtendDecided  Action = "extend_decided"  // 延期审批: approved (the handling deadline moves) or refused
	ActMerge          Action = "merge"           // 并单: this appeal joins the handling of the main one (Ref)
	ActMergeIn        Action = "merge_in"        // 并入: the appeal Ref was merged into this one
	ActWhistle        Action = "whistle"         // 吹哨: departments summoned (To: their names, comma-separated)
	ActArrive         Action = "arrive"          // 报到: a summoned department reported to the scene (To)
	ActWhistleResult  Action = "whistle_result"  // 联合处置结果: the joint handling's result, and each department rated
)

var ActionCodes = &CodeTable[Action]{
	what: "action",
	names: []codeName{
		{string(ActReceive), "受理", "receive"},
		{string(ActRespond), "签收", "respond"},
		{string(ActDispatch), "交办", "dispatch"},
		{string(ActProgress), "办理进展", "progress"},
		{string(ActResolve), "办结", "resolve"},
		{string(ActUnresolvable), "无法解决", "unresolvable"},
		{string(ActFeedback), "反馈", "feedback"},
		{string(ActEvaluate), "评价", "evaluate"},
		{string(ActEscalate), "提级", "escalate"},
		{string(ActClose), "销号", "close out"},
		{string(ActReopen), "重新办理", "reopen"},
		{string(ActNote), "备注", "note"},
		{string(ActReturn), "退单", "return"},
		{string(ActReturnDecided), "退单审核", "return decided"},
		{string(ActContest), "申诉", "contest"},
		{string(ActContestDecided), "申诉审核", "contest decided"},
		{string(ActExtend), "延期申请", "ask for an extension"},
		{string(ActExtendDecided), "延期审批", "extension decided"},
		{string(ActMerge), "并单", "merge"},
		{string(ActMergeIn), "并入", "merged in"},
		{string(ActWhistle), "吹哨", "whistle"},
		{string(ActArrive), "报到", "report to the scene"},
		{string(ActWhistleResult), "联合处置结果", "joint handling result"},
	},
}

// Chinese returns the action's name in the timeline.
func (a Action) Chinese() string { return ActionCodes.Chinese(a) }

// English returns the English action name.
func (a Action) English() string { return ActionCodes.English(a) }

// ParseAction accepts an action code or its Chinese name.
func ParseAction(s string) (Action, error) { return ActionCodes.Parse(s) }

func knownAction(a Action) bool {
	_, ok := ActionCodes.name(a)
	return ok
}

var (
	handling = []Status{StatusResponded, StatusDispatched, StatusInProgress}
	finished = []Status{StatusResolved, StatusUnresolvable, StatusFeedback, StatusEvaluated, StatusClosed}
	notDone  = []Status{StatusReceived, StatusResponded, StatusDispatched, StatusInProgress, StatusResolved, StatusUnresolvable, StatusFeedback, StatusEvaluated}
	// unhandled: the community has it and has not handled it yet.
	unhandled = []Status{StatusReceived, StatusResponded, StatusDispatched, StatusInProgress}
	// onBooks: every status but returned (closed included: a contest, a
	// decision or a rating may come after close-out).
	onBooks = append(slices.Clone(notDone), StatusClosed)
	// taken: signed for, in the community's hands or done with.
	taken = append(slices.Clone(handling), finished...)
)

// transitions is the closed loop: for each action, the statuses it may be
// taken from and the status it leads to ("" keeps the status).
var transitions = map[Action]struct {
	from []Status
	to   Status
}{
	ActRespond:      {[]Status{StatusReceived}, StatusResponded},
	ActDispatch:     {handling, StatusDispatched},
	ActProgress:     {handling, StatusInProgress},
	ActResolve:      {handling, StatusResolved},
	ActUnresolvable: {handling, StatusUnresolvable},
	// Feedback while handling is the plan/progress a complex case owes the
	// resident within 15 days; it keeps the status.
	ActFeedback: {append([]Status{StatusResolved, StatusUnresolvable}, handling...), StatusFeedback},
	ActEvaluate: {[]Status{StatusFeedback}, StatusEvaluated},
	// Close out needs the result told to the resident; a callback may be
	// impossible (resident unreachable), so evaluation is not required.
	ActClose:    {[]Status{StatusFeedback, StatusEvaluated}, StatusClosed},
	ActEscalate: {notDone, ""},
	ActReopen:   {finished, StatusInProgress},
	ActNote:     {append(slices.Clone(notDone), StatusClosed, StatusReturned), ""},

	// The 12345 rules keep the status, but for an accepted return; what
	// else they need (a request pending, a department summoned) is checked
	// by Case.ruleRefusal.
	ActReturn:         {unhandled, ""},
	ActReturnDecided:  {onBooks, ""},
	ActContest:        {onBooks, ""},
	ActContestDecided: {onBooks, ""},
	ActExtend:         {unhandled, ""},
	ActExtendDecided:  {onBooks, ""},
	ActMerge:          {notDone, ""},
	ActMergeIn:        {notDone, ""},
	ActWhistle:        {handling, ""},
	ActArrive:         {taken, ""},
	ActWhistleResult:  {taken, ""},
}

// Allowed lists the actions the loop allows from a status, in display order.
func Allowed(s Status) []Action {
	var out []Action
	for _, a := range ActionCodes.Codes() {
		if t, ok := transitions[a]; ok && contains(t.from, s) {
			out = append(out, a)
		}
	}
	return out
}

// Next returns the status after taking action a from status s, or an
// ErrTransition error that says why not.
func Next(s Status, a Action) (Status, error) {
	t, ok := transitions[a]
	if !ok {
		return s, stepErr(CodeNotAStep, fmt.Sprintf("%s is not a step of the loop", a), string(a))
	}
	if !contains(t.from, s) {
		return s, stepErr(CodeNotAllowed, fmt.Sprintf("cannot %s a case that is %s", a, s), string(a), string(s))
	}
	if t.to == "" {
		return s, nil
	}
	if a == ActFeedback && s != StatusResolved && s != StatusUnresolvable {
		return s, nil
	}
	return t.to, nil
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
