package casebook

// Disputes (矛盾纠纷) and negotiated solutions (协商方案)
//
// Recurring appeals often hide two sides with opposing demands (DOMAIN.md:
// the slope between buildings 14 and 15). A Dispute gathers those appeals
// and records the negotiation: the parties (当事方) with their positions
// (诉求/立场) and underlying interests (关切), the plan versions (方案) with
// what changed and why, the meetings (议事会) with attendees, minutes and
// show-of-hands votes (举牌表决), the agreement (协议) and the implementation
// tasks (落实任务).
//
// It follows the same rules as a Case (DESIGN.md, "operations, not
// overwrites"): every change is an operation whose data travels in
// Op.Payload; scalar values (title, place, summary, each party's fields,
// each task's done mark) are registers, last-writer-wins with concurrent
// losers kept as conflicts; everything else (links, parties, plan versions,
// meetings, minutes, votes, tasks, status steps) is an append-only log kept
// in merge order (HLC, origin, id). The status and the plan numbers follow
// from replaying the log in that order, and a step that the replay does not
// allow at its place (two devices acted concurrently) stays in the log,
// marked Refused, and changes nothing.

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Dispute operation kinds. They share the "dispute." prefix, by which
// Op.Validate hands them to validateDispute; a kind this version does not
// know is kept in the log and ignored, as for cases.
const (
	OpDisputeCreate    OpKind = "dispute.create"    // a new dispute: title, place, summary and the appeals it gathers
	OpDisputeSet       OpKind = "dispute.set"       // change registers: title, place, summary, a party's fields, a task's done mark
	OpDisputeLink      OpKind = "dispute.link"      // link more appeals (append-only)
	OpDisputeParty     OpKind = "dispute.party"     // add a party (当事方) with its first field values
	OpDisputePlan      OpKind = "dispute.plan"      // add a plan version (方案)
	OpDisputeMeeting   OpKind = "dispute.meeting"   // record a meeting (小院议事厅/协商会/听证会)
	OpDisputeMinutes   OpKind = "dispute.minutes"   // add to a meeting's minutes (纪要补充); minutes are never edited
	OpDisputeVote      OpKind = "dispute.vote"      // record a vote on a plan version at a meeting (表决)
	OpDisputeAgree     OpKind = "dispute.agree"     // the agreement (协议): which plan version, who signed off
	OpDisputeTask      OpKind = "dispute.task"      // add an implementation task (落实任务)
	OpDisputeImplement OpKind = "dispute.implement" // implementation has begun (开始实施)
	OpDisputeStall     OpKind = "dispute.stall"     // the talks are stuck (搁置), with the reason
	OpDisputeResume    OpKind = "dispute.resume"    // the talks resume (恢复协商)
	OpDisputeResolve   OpKind = "dispute.resolve"   // the dispute is resolved (化解)
)

var disputeKinds = []OpKind{
	OpDisputeCreate, OpDisputeSet, OpDisputeLink, OpDisputeParty, OpDisputePlan, OpDisputeMeeting,
	OpDisputeMinutes, OpDisputeVote, OpDisputeAgree, OpDisputeTask, OpDisputeImplement,
	OpDisputeStall, OpDisputeResume, OpDisputeResolve,
}

// Dispute field codes: the registers of the dispute itself.
const (
	DisputeFieldTitle   = "title"   // 纠纷名称
	DisputeFieldPlace   = "place"   // 地点, e.g. "14号楼与15号楼之间坡地"
	DisputeFieldSummary = "summary" // 情况概述
)

// DisputeFields lists the dispute's own field codes in form order.
var DisputeFields = []string{DisputeFieldTitle, DisputeFieldPlace, DisputeFieldSummary}

// Party field codes: the last part of a party's register key
// "party/<id>/<field>". Every field is a register, so that one device can
// update a position while another fixes the name, and two devices updating
// the same position concurrently show a conflict instead of losing one.
const (
	PartyFieldName     = "name"     // 名称, e.g. "14号楼居民"
	PartyFieldKind     = "kind"     // 类别 (PartyKind)
	PartyFieldBuilding = "building" // 楼号
	PartyFieldSide     = "side"     // 哪一方, e.g. "A", "B", "中立"
	PartyFieldPosition = "position" // 诉求/立场: what they ask for
	PartyFieldInterest = "interest" // 关切: why they ask for it
)

// PartyFields lists the party field codes in form order.
var PartyFields = []string{PartyFieldName, PartyFieldKind, PartyFieldBuilding, PartyFieldSide, PartyFieldPosition, PartyFieldInterest}

// PartyKey is the register key of one field of a party.
func PartyKey(partyID, field string) string { return "party/" + partyID + "/" + field }

// TaskDoneKey is the register key of a task's done mark: the time it was
// done (RFC 3339 UTC), or "" while it is not.
func TaskDoneKey(taskID string) string { return "task/" + taskID + "/done" }

// AgreementField names the agreement in Conflicts: concurrent agreements are
// a conflict like concurrent edits of a field.
const AgreementField = "agreement"

// splitDisputeKey reads a register key: a dispute field, "party/<id>/<field>"
// or "task/<id>/done". ok is false for any other key.
func splitDisputeKey(k string) (group, id, field string, ok bool) {
	if contains(DisputeFields, k) {
		return "", "", k, true
	}
	parts := strings.Split(k, "/")
	if len(parts) != 3 || !isExactID(parts[1]) {
		return "", "", "", false
	}
	switch {
	case parts[0] == "party" && contains(PartyFields, parts[2]):
		return "party", parts[1], parts[2], true
	case parts[0] == "task" && parts[2] == "done":
		return "task", parts[1], "done", true
	}
	return "", "", "", false
}

// isExactID reports whether s is an id exactly as NewID writes it, so that
// one record cannot appear under two spellings of its id.
func isExactID(s string) bool {
	id, err := ParseID(s)
	return err == nil && id == s
}

// DisputeStatus is where a dispute stands.
type DisputeStatus string

// Dispute statuses. Stalled can be entered from open, negotiating or
// implementing, and left only by resuming the talks.
const (
	DisputeOpen         DisputeStatus = "open"         // 已登记: gathered from the appeals, no plan yet
	DisputeNegotiating  DisputeStatus = "negotiating"  // 协商中: at least one plan version on the table
	DisputeAgreed       DisputeStatus = "agreed"       // 已达成协议
	DisputeImplementing DisputeStatus = "implementing" // 实施中
	DisputeResolved     DisputeStatus = "resolved"     // 已化解
	DisputeStalled      DisputeStatus = "stalled"      // 搁置: the talks are stuck
)

var disputeStatusNames = []codeName{
	{string(DisputeOpen), "已登记", "open"},
	{string(DisputeNegotiating), "协商中", "negotiating"},
	{string(DisputeAgreed), "已达成协议", "agreed"},
	{string(DisputeImplementing), "实施中", "implementing"},
	{string(DisputeResolved), "已化解", "resolved"},
	{string(DisputeStalled), "搁置", "stalled"},
}

// DisputeStatuses lists every dispute status in display order.
func DisputeStatuses() []DisputeStatus {
	return codesOf[DisputeStatus](disputeStatusNames)
}

// ParseDisputeStatus accepts a dispute status code or its Chinese name.
func ParseDisputeStatus(s string) (DisputeStatus, error) {
	c, err := parseCode("dispute status", s, disputeStatusNames, map[string]string{"化解": "resolved", "僵持": "stalled", "协商": "negotiating"})
	return DisputeStatus(c), err
}

// Chinese returns the status name used in ledgers.
func (s DisputeStatus) Chinese() string { return zhName(string(s), disputeStatusNames) }

// English returns the English status name.
func (s DisputeStatus) English() string { return enName(string(s), disputeStatusNames) }

// Open reports whether the dispute still needs work (not resolved).
func (s DisputeStatus) Open() bool { return s != DisputeResolved }

// DisputeAction is a step that may change a dispute's status.
type DisputeAction string

// Dispute actions.
const (
	DisputeActPlan      DisputeAction = "plan"      // 提出方案: a plan version
	DisputeActAgree     DisputeAction = "agree"     // 达成协议
	DisputeActTask      DisputeAction = "task"      // 添加任务
	DisputeActTaskDone  DisputeAction = "task_done" // 完成任务 (or take the mark back)
	DisputeActImplement DisputeAction = "implement" // 开始实施
	DisputeActStall     DisputeAction = "stall"     // 搁置
	DisputeActResume    DisputeAction = "resume"    // 恢复协商
	DisputeActResolve   DisputeAction = "resolve"   // 化解
)

var disputeActionNames = []codeName{
	{string(DisputeActPlan), "提出方案", "propose a plan"},
	{string(DisputeActAgree), "达成协议", "agree"},
	{string(DisputeActTask), "添加任务", "add a task"},
	{string(DisputeActTaskDone), "完成任务", "mark a task"},
	{string(DisputeActImplement), "开始实施", "start implementing"},
	{string(DisputeActStall), "搁置", "stall"},
	{string(DisputeActResume), "恢复协商", "resume"},
	{string(DisputeActResolve), "化解", "resolve"},
}

// Chinese returns the action's name on buttons and in the record.
func (a DisputeAction) Chinese() string { return zhName(string(a), disputeActionNames) }

// English returns the English action name.
func (a DisputeAction) English() string { return enName(string(a), disputeActionNames) }

// disputeTransitions: for each action, the statuses it may be taken from
// and the status each leads to.
var disputeTransitions = map[DisputeAction]map[DisputeStatus]DisputeStatus{
	// A plan version opens the talks. While stalled, drafting a new plan is
	// how the talks get unstuck, so it is allowed and keeps the status;
	// once agreed, a new plan would reopen what was signed off, so it is not.
	DisputeActPlan: {DisputeOpen: DisputeNegotiating, DisputeNegotiating: DisputeNegotiating, DisputeStalled: DisputeStalled},
	// A later agreement supersedes the earlier one (more sign-offs, say);
	// during implementation that keeps the work going.
	DisputeActAgree: {DisputeNegotiating: DisputeAgreed, DisputeAgreed: DisputeAgreed, DisputeImplementing: DisputeImplementing},
	DisputeActTask:  {DisputeAgreed: DisputeAgreed, DisputeImplementing: DisputeImplementing},
	// The first task done shows the work has begun.
	DisputeActTaskDone:  {DisputeAgreed: DisputeImplementing, DisputeImplementing: DisputeImplementing},
	DisputeActImplement: {DisputeAgreed: DisputeImplementing},
	DisputeActStall:     {DisputeOpen: DisputeStalled, DisputeNegotiating: DisputeStalled, DisputeImplementing: DisputeStalled},
	// Whatever it stalled from, the talks resume: what was agreed may no
	// longer hold, and a new agreement is needed before implementing again.
	DisputeActResume:  {DisputeStalled: DisputeNegotiating},
	DisputeActResolve: {DisputeAgreed: DisputeResolved, DisputeImplementing: DisputeResolved},
}

// NextDispute returns the status after taking action a from status s, or an
// ErrTransition error that says why not. The conditions beyond the status
// (an agreement needs its plan version; resolving needs every task done)
// are checked by the author and the replay.
func NextDispute(s DisputeStatus, a DisputeAction) (DisputeStatus, error) {
	t, ok := disputeTransitions[a]
	if !ok {
		return s, stepErr(CodeNotAStep, fmt.Sprintf("%s is not a dispute step", a), string(a))
	}
	next, ok := t[s]
	if !ok {
		return s, stepErr(disputeRefusal(s, a), fmt.Sprintf("cannot %s: the dispute is %s", a.English(), s), string(a), string(s))
	}
	return next, nil
}

// disputeRefusal is the code of a step the status does not allow: the
// steps after an agreement need one, an agreement needs a plan version.
func disputeRefusal(s DisputeStatus, a DisputeAction) Code {
	before := s == DisputeOpen || s == DisputeNegotiating
	switch {
	case a == DisputeActAgree && s == DisputeOpen:
		return CodeNeedPlan
	case before && (a == DisputeActTask || a == DisputeActTaskDone || a == DisputeActImplement || a == DisputeActResolve):
		return CodeNeedAgreement
	}
	return CodeNotAllowed
}

// DisputeAllowed lists the actions allowed from a status, in display order.
func DisputeAllowed(s DisputeStatus) []DisputeAction {
	var out []DisputeAction
	for _, n := range disputeActionNames {
		if _, err := NextDispute(s, DisputeAction(n.code)); err == nil {
			out = append(out, DisputeAction(n.code))
		}
	}
	return out
}

// PartyKind is what kind of party a side of the dispute is.
type PartyKind string

// Party kinds.
const (
	PartyHousehold       PartyKind = "household"        // 居民户
	PartyBuilding        PartyKind = "building"         // 楼栋 (the residents of a building together)
	PartyProperty        PartyKind = "property"         // 物业
	PartyOwnersCommittee PartyKind = "owners_committee" // 业委会
	PartyStreetDept      PartyKind = "street_dept"      // 街道部门 (城管, 城建科, 综治 ...)
	PartyDeveloper       PartyKind = "developer"        // 开发商
	PartyOther           PartyKind = "other"            // 其他
)

var partyKindNames = []codeName{
	{string(PartyHousehold), "居民户", "household"},
	{string(PartyBuilding), "楼栋", "building"},
	{string(PartyProperty), "物业", "property management"},
	{string(PartyOwnersCommittee), "业委会", "owners' committee"},
	{string(PartyStreetDept), "街道部门", "street department"},
	{string(PartyDeveloper), "开发商", "developer"},
	{string(PartyOther), "其他", "other"},
}

// PartyKinds lists the party kinds in display order.
func PartyKinds() []PartyKind {
	return codesOf[PartyKind](partyKindNames)
}

// ParsePartyKind accepts a party kind code or its Chinese name.
func ParsePartyKind(s string) (PartyKind, error) {
	c, err := parseCode("party kind", s, partyKindNames, map[string]string{
		"居民": "household", "住户": "household", "物业公司": "property", "业主委员会": "owners_committee",
		"街道": "street_dept", "owners committee": "owners_committee",
	})
	return PartyKind(c), err
}

// Chinese returns the party kind's Chinese name.
func (k PartyKind) Chinese() string { return zhName(string(k), partyKindNames) }

// English returns the party kind's English name.
func (k PartyKind) English() string { return enName(string(k), partyKindNames) }

// MeetingKind is the form of a meeting.
type MeetingKind string

// Meeting kinds.
const (
	MeetingCourtyard    MeetingKind = "courtyard"    // 小院议事厅
	MeetingConsultation MeetingKind = "consultation" // 协商会
	MeetingHearing      MeetingKind = "hearing"      // 听证会
	MeetingOther        MeetingKind = "other"        // 其他
)

var meetingKindNames = []codeName{
	{string(MeetingCourtyard), "小院议事厅", "courtyard deliberation"},
	{string(MeetingConsultation), "协商会", "consultation meeting"},
	{string(MeetingHearing), "听证会", "hearing"},
	{string(MeetingOther), "其他", "other"},
}

// MeetingKinds lists the meeting kinds in display order.
func MeetingKinds() []MeetingKind {
	return codesOf[MeetingKind](meetingKindNames)
}

// ParseMeetingKind accepts a meeting kind code or its Chinese name.
func ParseMeetingKind(s string) (MeetingKind, error) {
	c, err := parseCode("meeting kind", s, meetingKindNames, map[string]string{"议事厅": "courtyard", "议事会": "courtyard", "协商议事会": "consultation"})
	return MeetingKind(c), err
}

// Chinese returns the meeting kind's Chinese name.
func (k MeetingKind) Chinese() string { return zhName(string(k), meetingKindNames) }

// English returns the meeting kind's English name.
func (k MeetingKind) English() string { return enName(string(k), meetingKindNames) }

// VoteMethod is how a vote was taken.
type VoteMethod string

// Vote methods.
const (
	VoteShowOfHands VoteMethod = "show_of_hands" // 举牌表决
	VoteBallot      VoteMethod = "ballot"        // 投票表决
	VoteOther       VoteMethod = "other"         // 其他
)

var voteMethodNames = []codeName{
	{string(VoteShowOfHands), "举牌表决", "show of hands"},
	{string(VoteBallot), "投票表决", "ballot"},
	{string(VoteOther), "其他", "other"},
}

// ParseVoteMethod accepts a vote method code or its Chinese name; empty
// means a show of hands, the usual way at a 小院议事厅.
func ParseVoteMethod(s string) (VoteMethod, error) {
	if strings.TrimSpace(s) == "" {
		return VoteShowOfHands, nil
	}
	c, err := parseCode("vote method", s, voteMethodNames, map[string]string{"举手表决": "show_of_hands", "举手": "show_of_hands", "举牌": "show_of_hands", "无记名投票": "ballot"})
	return VoteMethod(c), err
}

// Chinese returns the vote method's Chinese name.
func (m VoteMethod) Chinese() string { return zhName(string(m), voteMethodNames) }

// English returns the vote method's English name.
func (m VoteMethod) English() string { return enName(string(m), voteMethodNames) }

// Party is one side, or one stakeholder, of a dispute. Its id is the id of
// the operation that added it; every other field is a register.
type Party struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Kind     PartyKind `json:"kind"`
	Building string    `json:"building,omitempty"`
	Side     string    `json:"side,omitempty"`
	Position string    `json:"position,omitempty"` // 诉求/立场
	Interest string    `json:"interest,omitempty"` // 关切: the interest behind the position
}

// PlanVersion is one version of the proposed solution. Versions are never
// edited: a revision is a new version that says what changed and why, which
// is the record of how the sides were brought together.
type PlanVersion struct {
	ID          string    `json:"id,omitempty"` // the op id
	N           int       `json:"n,omitempty"`  // 第N版: 1, 2, 3 … in merge order; derived, never sent
	Title       string    `json:"title,omitempty"`
	Description string    `json:"description"`
	Changes     string    `json:"changes,omitempty"` // what changed from the previous version
	Reason      string    `json:"reason,omitempty"`  // why
	Cost        string    `json:"cost,omitempty"`    // 费用, free text ("约2.3万元")
	Funding     string    `json:"funding,omitempty"` // 资金来源 (专项经费, 捐款 ...)
	Upkeep      string    `json:"upkeep,omitempty"`  // 后期管护 (who maintains it)
	At          time.Time `json:"at,omitzero"`
	Author      string    `json:"author,omitempty"`
}

// Attendee is one line of a meeting's attendance: a role with a name (物业
// 李经理) or a head count (14号楼居民, 12人).
type Attendee struct {
	Role  string `json:"role"`
	Name  string `json:"name,omitempty"`
	Count int    `json:"count,omitempty"`
}

// Meeting is a meeting about the dispute. Its minutes are append-only:
// later additions are MinutesAddendum records, never edits.
type Meeting struct {
	ID        string            `json:"id,omitempty"`
	At        time.Time         `json:"at,omitzero"` // when it took place
	Place     string            `json:"place"`
	Kind      MeetingKind       `json:"kind"`
	Attendees []Attendee        `json:"attendees,omitempty"`
	Minutes   string            `json:"minutes,omitempty"`
	Addenda   []MinutesAddendum `json:"addenda,omitempty"` // derived in Meetings(), never sent
	Author    string            `json:"author,omitempty"`
}

// MinutesAddendum is an addition to a meeting's minutes.
type MinutesAddendum struct {
	ID      string    `json:"id,omitempty"`
	Meeting string    `json:"meeting"`
	Text    string    `json:"text"`
	At      time.Time `json:"at,omitzero"`
	Author  string    `json:"author,omitempty"`
}

// Vote is the count of one vote on one plan version at one meeting.
type Vote struct {
	ID      string     `json:"id,omitempty"`
	Meeting string     `json:"meeting"`
	Plan    string     `json:"plan"`
	For     int        `json:"for"`
	Against int        `json:"against"`
	Abstain int        `json:"abstain"`
	Method  VoteMethod `json:"method"`
	At      time.Time  `json:"at,omitzero"`
	Author  string     `json:"author,omitempty"`
}

// Passed reports whether more than half of the votes cast were for the plan
// (过半数同意); abstentions count as votes cast, not as support.
func (v Vote) Passed() bool { return v.For > v.Against+v.Abstain }

// Total is the number of votes cast.
func (v Vote) Total() int { return v.For + v.Against + v.Abstain }

// Agreement is what the sides agreed to: a plan version and who signed off.
// There is one agreement; a later one supersedes it.
type Agreement struct {
	ID        string    `json:"id,omitempty"` // the op id
	Plan      string    `json:"plan"`
	SignedOff []string  `json:"signed_off"`
	At        time.Time `json:"at,omitzero"`
	Author    string    `json:"author,omitempty"`
	HLC       HLC       `json:"hlc,omitzero"` // merge position, for "plan versions before the agreement"
}

// Task is an implementation task. It is created once; its done mark is a
// register (TaskDoneKey), so ticking it on two devices merges like a field.
type Task struct {
	ID     string    `json:"id,omitempty"`
	Title  string    `json:"title"`
	Owner  string    `json:"owner"` // 责任人/责任单位
	Due    Date      `json:"due"`
	Done   bool      `json:"done,omitempty"`   // derived from the register
	DoneAt time.Time `json:"done_at,omitzero"` // derived from the register
	At     time.Time `json:"at,omitzero"`      // when it was added
	Author string    `json:"author,omitempty"`
}

// DisputeEvent is one entry of a dispute's record (记录): every dispute
// operation except register edits. Entries are append-only and kept in
// merge order; the record kept by each kind is in its own field.
type DisputeEvent struct {
	ID        string           `json:"id"` // the op id
	HLC       HLC              `json:"hlc"`
	Origin    string           `json:"origin"`
	Kind      OpKind           `json:"kind"`
	At        time.Time        `json:"at,omitzero"` // when it happened, as the user says (UTC)
	Actor     string           `json:"actor,omitempty"`
	Note      string           `json:"note,omitempty"`
	Cases     []string         `json:"cases,omitempty"` // create, link: appeal case ids
	Plan      *PlanVersion     `json:"plan,omitempty"`
	Meeting   *Meeting         `json:"meeting,omitempty"`
	Minutes   *MinutesAddendum `json:"minutes,omitempty"`
	Vote      *Vote            `json:"vote,omitempty"`
	Agreement *Agreement       `json:"agreement,omitempty"`
	Task      *Task            `json:"task,omitempty"`
	Bases     []string         `json:"bases,omitempty"` // agree: the agreements its writer saw
	// Refused is set when, replayed in merge order, the step was not
	// allowed; the entry stays, marked, and changes nothing.
	Refused string `json:"refused,omitempty"`
}

// disputePayload is what an operation carries in Op.Payload: the user's
// part of a DisputeEvent. Ids, clocks and derived values come from the op.
type disputePayload struct {
	At        time.Time        `json:"at,omitzero"`
	Actor     string           `json:"actor,omitempty"`
	Note      string           `json:"note,omitempty"`
	Cases     []string         `json:"cases,omitempty"`
	Plan      *PlanVersion     `json:"plan,omitempty"`
	Meeting   *Meeting         `json:"meeting,omitempty"`
	Minutes   *MinutesAddendum `json:"minutes,omitempty"`
	Vote      *Vote            `json:"vote,omitempty"`
	Agreement *Agreement       `json:"agreement,omitempty"`
	Task      *Task            `json:"task,omitempty"`
}

// Dispute is one dispute (矛盾纠纷): its registers and record, and the view
// derived from them. Only Apply changes it.
type Dispute struct {
	ID        string               `json:"id"`
	Registers map[string]*Register `json:"registers"`
	Log       []DisputeEvent       `json:"log"`

	// Derived by derive(); stored so a loaded dispute needs no replay.
	Status         DisputeStatus `json:"status"`
	Cases          []string      `json:"cases"`                    // linked appeals, in the order linked
	Agreement      *Agreement    `json:"agreement,omitempty"`      // the one in force
	Agreements     Register      `json:"agreements"`               // every accepted agreement, for LWW and conflicts
	CreatedAt      time.Time     `json:"created_at,omitzero"`      // when it was registered
	ImplementingAt time.Time     `json:"implementing_at,omitzero"` // when implementation last began
	StalledAt      time.Time     `json:"stalled_at,omitzero"`      // when it stalled, while stalled
	ResolvedAt     time.Time     `json:"resolved_at,omitzero"`
}

// NewDispute makes an empty dispute ready to Apply its operations.
func NewDispute(id string) *Dispute {
	return &Dispute{ID: id, Registers: map[string]*Register{}, Status: DisputeOpen}
}

// Field returns the current value of a register.
func (d *Dispute) Field(key string) string {
	if r, ok := d.Registers[key]; ok {
		return r.Value()
	}
	return ""
}

// Title is the dispute's name.
func (d *Dispute) Title() string { return d.Field(DisputeFieldTitle) }

// Place is where the dispute is about.
func (d *Dispute) Place() string { return d.Field(DisputeFieldPlace) }

// Summary is the short account of the dispute.
func (d *Dispute) Summary() string { return d.Field(DisputeFieldSummary) }

// label names the dispute in error messages.
func (d *Dispute) label() string {
	if t := d.Title(); t != "" {
		return t
	}
	return d.ID
}

// Linked reports whether the appeal case is linked to the dispute.
func (d *Dispute) Linked(caseID string) bool { return contains(d.Cases, caseID) }

// Parties lists the parties in the order they were added.
func (d *Dispute) Parties() []Party {
	var out []Party
	for i := range d.Log {
		if e := &d.Log[i]; e.Kind == OpDisputeParty {
			out = append(out, d.party(e.ID))
		}
	}
	return out
}

// Party returns one party.
func (d *Dispute) Party(id string) (Party, bool) {
	for i := range d.Log {
		if e := &d.Log[i]; e.Kind == OpDisputeParty && e.ID == id {
			return d.party(id), true
		}
	}
	return Party{}, false
}

func (d *Dispute) party(id string) Party {
	return Party{
		ID: id, Name: d.Field(PartyKey(id, PartyFieldName)), Kind: PartyKind(d.Field(PartyKey(id, PartyFieldKind))),
		Building: d.Field(PartyKey(id, PartyFieldBuilding)), Side: d.Field(PartyKey(id, PartyFieldSide)),
		Position: d.Field(PartyKey(id, PartyFieldPosition)), Interest: d.Field(PartyKey(id, PartyFieldInterest)),
	}
}

// Plans lists the plan versions on the table, in merge order (N = 1, 2, …).
// Versions refused on replay are in the Log only.
func (d *Dispute) Plans() []PlanVersion {
	var out []PlanVersion
	for i := range d.Log {
		e := &d.Log[i]
		if e.Kind != OpDisputePlan || e.Plan == nil || e.Refused != "" {
			continue
		}
		p := *e.Plan
		p.ID, p.At, p.Author = e.ID, e.At, e.Actor
		out = append(out, p)
	}
	return out
}

// Plan returns one plan version on the table.
func (d *Dispute) Plan(id string) (PlanVersion, bool) {
	for _, p := range d.Plans() {
		if p.ID == id {
			return p, true
		}
	}
	return PlanVersion{}, false
}

// Meetings lists the meetings in merge order, each with its minutes addenda.
func (d *Dispute) Meetings() []Meeting {
	var out []Meeting
	index := map[string]int{}
	for i := range d.Log {
		e := &d.Log[i]
		switch {
		case e.Kind == OpDisputeMeeting && e.Meeting != nil:
			m := *e.Meeting
			m.ID, m.At, m.Author = e.ID, e.At, e.Actor
			m.Attendees = append([]Attendee(nil), m.Attendees...)
			m.Addenda = nil
			index[m.ID] = len(out)
			out = append(out, m)
		case e.Kind == OpDisputeMinutes && e.Minutes != nil:
			// An addendum follows its meeting in merge order (its writer
			// saw the meeting), so the meeting is already indexed.
			if j, ok := index[e.Minutes.Meeting]; ok {
				a := *e.Minutes
				a.ID, a.At, a.Author = e.ID, e.At, e.Actor
				out[j].Addenda = append(out[j].Addenda, a)
			}
		}
	}
	return out
}

// Meeting returns one meeting with its addenda.
func (d *Dispute) Meeting(id string) (Meeting, bool) {
	for _, m := range d.Meetings() {
		if m.ID == id {
			return m, true
		}
	}
	return Meeting{}, false
}

// Votes lists the votes in merge order.
func (d *Dispute) Votes() []Vote {
	var out []Vote
	for i := range d.Log {
		e := &d.Log[i]
		if e.Kind == OpDisputeVote && e.Vote != nil {
			v := *e.Vote
			v.ID, v.At, v.Author = e.ID, e.At, e.Actor
			out = append(out, v)
		}
	}
	return out
}

// Tasks lists the implementation tasks in the order added, with their done
// marks. Tasks refused on replay are in the Log only.
func (d *Dispute) Tasks() []Task {
	var out []Task
	for i := range d.Log {
		e := &d.Log[i]
		if e.Kind != OpDisputeTask || e.Task == nil || e.Refused != "" {
			continue
		}
		t := *e.Task
		t.ID, t.At, t.Author = e.ID, e.At, e.Actor
		t.Done, t.DoneAt = false, time.Time{}
		if v := d.Field(TaskDoneKey(e.ID)); v != "" {
			t.Done = true
			t.DoneAt, _ = time.Parse(time.RFC3339, v)
		}
		out = append(out, t)
	}
	return out
}

// Task returns one task.
func (d *Dispute) Task(id string) (Task, bool) {
	for _, t := range d.Tasks() {
		if t.ID == id {
			return t, true
		}
	}
	return Task{}, false
}

// undoneTitles lists the titles of tasks not done.
func undoneTitles(tasks []Task) []string {
	var out []string
	for _, t := range tasks {
		if !t.Done {
			out = append(out, t.Title)
		}
	}
	return out
}

// tasksUndone is the refusal to resolve while tasks (quoted titles) are open.
func tasksUndone(titles []string) *StepError {
	quoted := make([]string, len(titles))
	for i, t := range titles {
		quoted[i] = fmt.Sprintf("%q", t)
	}
	return stepErr(CodeTasksUndone, "tasks not done: "+strings.Join(quoted, ", "), titles)
}

// Conflicts lists the concurrent edits waiting to be settled: the dispute's
// fields, each party's fields and each task's done mark (Field is the
// register key), and concurrent agreements (Field is AgreementField, values
// described in words since they are not a single field).
func (d *Dispute) Conflicts() []Conflict {
	var out []Conflict
	add := func(key string) {
		heads := d.Registers[key].Heads()
		for _, h := range heads[min(1, len(heads)):] {
			out = append(out, Conflict{Field: key, Shown: heads[0].Value, Value: h.Value, Origin: h.Origin, HLC: h.HLC})
		}
	}
	for _, f := range DisputeFields {
		add(f)
	}
	for _, p := range d.Parties() {
		for _, f := range PartyFields {
			add(PartyKey(p.ID, f))
		}
	}
	for _, t := range d.Tasks() {
		add(TaskDoneKey(t.ID))
	}
	heads := d.Agreements.Heads()
	for _, h := range heads[min(1, len(heads)):] {
		out = append(out, Conflict{Field: AgreementField, Shown: d.describeAgreement(heads[0].Value),
			Value: d.describeAgreement(h.Value), Origin: h.Origin, HLC: h.HLC})
	}
	return out
}

// describeAgreement renders a stored agreement as "方案第3版；签字：甲、乙".
func (d *Dispute) describeAgreement(v string) string {
	var a Agreement
	if json.Unmarshal([]byte(v), &a) != nil {
		return v
	}
	plan := a.Plan
	if p, ok := d.Plan(a.Plan); ok {
		plan = fmt.Sprintf("方案第%d版", p.N)
	}
	return plan + "；签字：" + strings.Join(a.SignedOff, "、")
}

// Created reports whether the dispute's create operation has been applied;
// see Case.Created.
func (d *Dispute) Created() bool {
	for i := range d.Log {
		if d.Log[i].Kind == OpDisputeCreate {
			return true
		}
	}
	return false
}

// Apply adds an operation to the dispute. It is idempotent and commutative:
// any replica that has applied the same set of ops, in any order, holds the
// same dispute. It reports whether anything changed.
func (d *Dispute) Apply(op *Op) (bool, error) {
	if op.Entity != d.ID {
		return false, fmt.Errorf("apply op %s: %w: entity %s is not dispute %s", op.ID, ErrInvalid, op.Entity, d.ID)
	}
	if !contains(disputeKinds, op.Kind) {
		return false, nil // unknown kinds are kept in the log by the store, ignored here
	}
	var ev *DisputeEvent
	if op.Kind != OpDisputeSet && !d.hasEvent(op.ID) {
		e, err := disputeEventOf(op)
		if err != nil {
			return false, err
		}
		ev = &e
	}
	if d.Registers == nil {
		d.Registers = map[string]*Register{}
	}
	changed := false
	for f, v := range op.Fields {
		if !registerAllowed(op, f) {
			continue
		}
		r := d.Registers[f]
		if r == nil {
			r = &Register{}
			d.Registers[f] = r
		}
		if r.add(Version{Op: op.ID, HLC: op.HLC, Origin: op.Origin, Value: v, Bases: op.Bases[f]}) {
			changed = true
		}
	}
	if ev != nil {
		d.insertEvent(*ev)
		changed = true
	}
	if changed {
		d.derive()
	}
	return changed, nil
}

// registerAllowed says which registers an op may write: a create op the
// dispute's fields, a party op only its own party's fields, a set op any
// known register. Anything else is ignored, so that a malformed op cannot
// write a party it did not create or a field nobody reads.
func registerAllowed(op *Op, key string) bool {
	group, id, _, ok := splitDisputeKey(key)
	if !ok {
		return false
	}
	switch op.Kind {
	case OpDisputeCreate:
		return group == ""
	case OpDisputeParty:
		return group == "party" && id == op.ID
	case OpDisputeSet:
		return true
	}
	return false
}

// disputeEventOf decodes an op's payload into its record entry. Values the
// op must not choose (ids, plan numbers, derived marks) are cleared so that
// the record depends only on the op.
func disputeEventOf(op *Op) (DisputeEvent, error) {
	var p disputePayload
	if len(op.Payload) > 0 {
		if err := json.Unmarshal(op.Payload, &p); err != nil {
			return DisputeEvent{}, fmt.Errorf("apply op %s: %w: bad payload: %v", op.ID, ErrInvalid, err)
		}
	}
	e := DisputeEvent{ID: op.ID, HLC: op.HLC, Origin: op.Origin, Kind: op.Kind, At: p.At.UTC(), Actor: p.Actor, Note: p.Note}
	missing := func(what string) (DisputeEvent, error) {
		return DisputeEvent{}, fmt.Errorf("apply op %s: %w: %s without %s", op.ID, ErrInvalid, op.Kind, what)
	}
	switch op.Kind {
	case OpDisputeCreate, OpDisputeLink:
		e.Cases = p.Cases
	case OpDisputePlan:
		if p.Plan == nil {
			return missing("a plan")
		}
		e.Plan = p.Plan
		e.Plan.ID, e.Plan.N, e.Plan.At, e.Plan.Author = "", 0, time.Time{}, ""
	case OpDisputeMeeting:
		if p.Meeting == nil {
			return missing("a meeting")
		}
		e.Meeting = p.Meeting
		e.Meeting.ID, e.Meeting.At, e.Meeting.Author, e.Meeting.Addenda = "", time.Time{}, "", nil
	case OpDisputeMinutes:
		if p.Minutes == nil {
			return missing("minutes")
		}
		e.Minutes = p.Minutes
		e.Minutes.ID, e.Minutes.At, e.Minutes.Author = "", time.Time{}, ""
	case OpDisputeVote:
		if p.Vote == nil {
			return missing("a vote")
		}
		e.Vote = p.Vote
		e.Vote.ID, e.Vote.At, e.Vote.Author = "", time.Time{}, ""
	case OpDisputeAgree:
		if p.Agreement == nil {
			return missing("an agreement")
		}
		e.Agreement = p.Agreement
		e.Agreement.ID, e.Agreement.At, e.Agreement.Author, e.Agreement.HLC = "", time.Time{}, "", HLC{}
		e.Bases = op.Bases[AgreementField]
	case OpDisputeTask:
		if p.Task == nil {
			return missing("a task")
		}
		e.Task = p.Task
		e.Task.ID, e.Task.At, e.Task.Author, e.Task.Done, e.Task.DoneAt = "", time.Time{}, "", false, time.Time{}
	}
	return e, nil
}

func (d *Dispute) hasEvent(id string) bool {
	for i := range d.Log {
		if d.Log[i].ID == id {
			return true
		}
	}
	return false
}

func (d *Dispute) insertEvent(e DisputeEvent) {
	i := sort.Search(len(d.Log), func(i int) bool { return disputeEventBefore(&e, &d.Log[i]) })
	d.Log = append(d.Log, DisputeEvent{})
	copy(d.Log[i+1:], d.Log[i:])
	d.Log[i] = e
}

func disputeEventBefore(a, b *DisputeEvent) bool {
	if c := a.HLC.Compare(b.HLC); c != 0 {
		return c < 0
	}
	if a.Origin != b.Origin {
		return a.Origin < b.Origin
	}
	return a.ID < b.ID
}

// complete reports whether an entry carries the record its kind needs.
func (e *DisputeEvent) complete() bool {
	switch e.Kind {
	case OpDisputePlan:
		return e.Plan != nil
	case OpDisputeMeeting:
		return e.Meeting != nil
	case OpDisputeMinutes:
		return e.Minutes != nil
	case OpDisputeVote:
		return e.Vote != nil
	case OpDisputeAgree:
		return e.Agreement != nil
	case OpDisputeTask:
		return e.Task != nil
	}
	return true
}

// replayStep is one input of the replay: a record entry, or one version of
// a task's done mark (ticking a task is a step too: it starts implementing).
type replayStep struct {
	hlc            HLC
	origin, op     string
	key            string // the register key of a done mark; "" for an entry
	ev             *DisputeEvent
	task, doneMark string
}

func (s *replayStep) before(t *replayStep) bool {
	if c := s.hlc.Compare(t.hlc); c != 0 {
		return c < 0
	}
	if s.origin != t.origin {
		return s.origin < t.origin
	}
	if s.op != t.op {
		return s.op < t.op
	}
	return s.key < t.key
}

// derive replays the record and the done marks in merge order to get the
// status, the plan numbers, the linked appeals and the agreement in force.
// Steps refused at their place in the merged order are marked and skipped.
//
// A done mark taken back after the dispute was resolved (only possible
// concurrently: the author refuses it) reopens the implementation, so that
// "resolved" always means every task is done.
func (d *Dispute) derive() {
	steps := make([]replayStep, 0, len(d.Log))
	for i := range d.Log {
		e := &d.Log[i]
		steps = append(steps, replayStep{hlc: e.HLC, origin: e.Origin, op: e.ID, ev: e})
	}
	for key, r := range d.Registers {
		group, id, _, ok := splitDisputeKey(key)
		if !ok || group != "task" {
			continue
		}
		for _, v := range r.Versions {
			steps = append(steps, replayStep{hlc: v.HLC, origin: v.Origin, op: v.Op, key: key, task: id, doneMark: v.Value})
		}
	}
	sort.Slice(steps, func(i, j int) bool { return steps[i].before(&steps[j]) })

	s := DisputeOpen
	d.Cases, d.Agreement, d.Agreements = nil, nil, Register{}
	d.CreatedAt, d.ImplementingAt, d.StalledAt, d.ResolvedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	plans := map[string]bool{}
	var tasks []Task // accepted so far, with done marks as of this point
	taskIndex := map[string]int{}
	n := 0
	for _, st := range steps {
		if st.ev == nil {
			j, ok := taskIndex[st.task]
			if !ok {
				continue // a mark for a task not (yet) on record
			}
			tasks[j].Done = st.doneMark != ""
			switch {
			case tasks[j].Done && s == DisputeAgreed:
				s = DisputeImplementing
				d.ImplementingAt, _ = time.Parse(time.RFC3339, st.doneMark)
			case !tasks[j].Done && s == DisputeResolved:
				s, d.ResolvedAt = DisputeImplementing, time.Time{}
			}
			continue
		}
		e := st.ev
		e.Refused = ""
		if !e.complete() {
			// Only a damaged stored dispute lacks its record: Apply
			// refuses such ops. Skip it rather than trust it.
			continue
		}
		var action DisputeAction
		switch e.Kind {
		case OpDisputeCreate, OpDisputeLink:
			if e.Kind == OpDisputeCreate && d.CreatedAt.IsZero() {
				d.CreatedAt = e.At
			}
			for _, c := range e.Cases {
				if !contains(d.Cases, c) {
					d.Cases = append(d.Cases, c)
				}
			}
			continue
		case OpDisputePlan:
			action = DisputeActPlan
			e.Plan.N = 0
		case OpDisputeAgree:
			action = DisputeActAgree
		case OpDisputeTask:
			action = DisputeActTask
		case OpDisputeImplement:
			action = DisputeActImplement
		case OpDisputeStall:
			action = DisputeActStall
		case OpDisputeResume:
			action = DisputeActResume
		case OpDisputeResolve:
			action = DisputeActResolve
		default:
			continue // parties, meetings, minutes and votes are records only
		}
		next, err := NextDispute(s, action)
		switch {
		case err != nil:
		case action == DisputeActAgree && !plans[e.Agreement.Plan]:
			err = stepErr(CodePlanNotOnTable, fmt.Sprintf("plan version %s is not on the table", e.Agreement.Plan), e.Agreement.Plan)
		case action == DisputeActResolve:
			if undone := undoneTitles(tasks); len(undone) > 0 {
				err = tasksUndone(undone)
			}
		}
		if err != nil {
			e.Refused = err.Error()
			continue
		}
		switch action {
		case DisputeActPlan:
			n++
			e.Plan.N = n
			plans[e.ID] = true
		case DisputeActAgree:
			a := *e.Agreement
			a.ID, a.At, a.Author, a.HLC = e.ID, e.At, e.Actor, e.HLC
			b, _ := json.Marshal(a) // plain strings and times: cannot fail
			d.Agreements.add(Version{Op: e.ID, HLC: e.HLC, Origin: e.Origin, Value: string(b), Bases: e.Bases})
		case DisputeActTask:
			t := *e.Task
			t.ID = e.ID
			taskIndex[e.ID] = len(tasks)
			tasks = append(tasks, t)
		case DisputeActImplement:
			d.ImplementingAt = e.At
		case DisputeActStall:
			d.StalledAt = e.At
		case DisputeActResume:
			d.StalledAt = time.Time{}
		case DisputeActResolve:
			d.ResolvedAt = e.At
		}
		s = next
	}
	d.Status = s
	if v := d.Agreements.Value(); v != "" {
		var a Agreement
		if json.Unmarshal([]byte(v), &a) == nil {
			d.Agreement = &a
		}
	}
}

// Form limits for disputes, beyond the case limits they reuse.
const (
	MaxAttendees   = 200 // attendance lines of one meeting
	MaxSignOffs    = 100 // names on one agreement
	MaxLinkedCases = 500 // appeals linked by one operation
)

// textCheck trims a form value and checks it: need, when not empty, is the
// message for a missing value; max bounds its length in characters.
// Control characters are removed: line breaks stay in long text (more than
// a summary's length), short values are one line.
func textCheck(errs *FieldErrors, field, v string, max int, need string) string {
	if max > MaxSummaryRunes {
		v = CleanText(v)
	} else {
		v = CleanLine(v)
	}
	t := strings.TrimSpace(v)
	switch {
	case t == "" && need != "":
		errs.add(field, CodeRequired, need)
	case TooLong(t, max):
		errs.add(field, CodeTooLong, fmt.Sprintf("longer than %d characters", max), max)
	}
	return t
}

// disputeAt defaults a zero time to now and refuses a time in the future: a
// record says what happened, which cannot be ahead of the clock.
func (a *Author) disputeAt(errs *FieldErrors, field string, at time.Time) time.Time {
	now := a.now()
	if at.IsZero() {
		at = now
	}
	if at.After(now.Add(DefaultMaxSkew)) {
		errs.add(field, CodeFuture, "time is in the future")
	}
	if at.Before(EarliestTime) {
		errs.add(field, CodeOutOfRange, "time is before 2000", EarliestTime.Year(), LatestYear)
	}
	return at.UTC().Truncate(time.Second)
}

// disputeOp makes an operation on dispute d carrying payload p.
func (a *Author) disputeOp(kind OpKind, d *Dispute, p disputePayload) (Op, error) {
	op := a.op(kind, d.ID)
	p.Actor = a.Actor
	b, err := json.Marshal(p)
	if err != nil {
		return Op{}, fmt.Errorf("%s dispute %s: encode: %w", kind, d.label(), err)
	}
	op.Payload = b
	return op, nil
}

// normalizeCaseIDs checks appeal ids and removes repeats, keeping order.
func normalizeCaseIDs(errs *FieldErrors, ids []string) []string {
	var out []string
	for _, s := range ids {
		id, err := ParseID(s)
		if err != nil {
			errs.add("cases", CodeBadID, fmt.Sprintf("%q is not a case id", s), s)
			continue
		}
		if !contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// NewDispute registers a dispute gathered from the ledger: at least two
// appeals (the two sides, or the same complaint filed again and again); the
// new dispute's id is the op's Entity.
func (a *Author) NewDispute(title, place, summary string, caseIDs []string) (Op, error) {
	var errs FieldErrors
	fields := map[string]string{}
	fields[DisputeFieldTitle] = textCheck(&errs, DisputeFieldTitle, title, MaxSummaryRunes, "give the dispute a title")
	if v := textCheck(&errs, DisputeFieldPlace, normalizeWidth(place), MaxSummaryRunes, ""); v != "" {
		fields[DisputeFieldPlace] = v
	}
	if v := textCheck(&errs, DisputeFieldSummary, summary, MaxDetailRunes, ""); v != "" {
		fields[DisputeFieldSummary] = v
	}
	cases := normalizeCaseIDs(&errs, caseIDs)
	if len(cases) < 2 {
		errs.add("cases", CodeTooFew, "link at least two appeals", 2)
	} else if len(cases) > MaxLinkedCases {
		errs.add("cases", CodeTooMany, fmt.Sprintf("more than %d appeals", MaxLinkedCases), MaxLinkedCases)
	}
	if len(errs) > 0 {
		return Op{}, fmt.Errorf("create dispute: %w", errs)
	}
	now := a.now()
	d := &Dispute{ID: NewID(now)}
	op, err := a.disputeOp(OpDisputeCreate, d, disputePayload{At: now.UTC().Truncate(time.Second), Cases: cases})
	if err != nil {
		return Op{}, fmt.Errorf("create dispute: %w", err)
	}
	op.Fields = fields
	return made(op)
}

// SetDisputeFields changes the title, place or summary. Like Author.Set it
// cites the values it replaces, so it settles any conflict on those fields.
func (a *Author) SetDisputeFields(d *Dispute, changes map[string]string) (Op, error) {
	wrap := func(err error) error { return fmt.Errorf("set dispute %s: %w", d.label(), err) }
	if len(changes) == 0 {
		return Op{}, wrap(ErrNoChange)
	}
	var errs FieldErrors
	fields := map[string]string{}
	for f, v := range changes {
		switch f {
		case DisputeFieldTitle:
			fields[f] = textCheck(&errs, f, v, MaxSummaryRunes, "the title cannot be empty")
		case DisputeFieldPlace:
			fields[f] = textCheck(&errs, f, normalizeWidth(v), MaxSummaryRunes, "")
		case DisputeFieldSummary:
			fields[f] = textCheck(&errs, f, v, MaxDetailRunes, "")
		default:
			errs.add(f, CodeUnknownField, "unknown field")
		}
	}
	if len(errs) > 0 {
		return Op{}, wrap(errs)
	}
	return a.setRegisters(d, fields)
}

// setRegisters makes a set op citing the current heads of each register.
func (a *Author) setRegisters(d *Dispute, fields map[string]string) (Op, error) {
	op := a.op(OpDisputeSet, d.ID)
	op.Fields, op.Bases = fields, map[string][]string{}
	for f := range fields {
		if heads := d.Registers[f].HeadIDs(); len(heads) > 0 {
			op.Bases[f] = heads
		}
	}
	return made(op)
}

// LinkCase links more appeals to the dispute, such as a new complaint about
// the same slope; links are never removed.
func (a *Author) LinkCase(d *Dispute, caseIDs ...string) (Op, error) {
	wrap := func(err error) error { return fmt.Errorf("link cases to dispute %s: %w", d.label(), err) }
	var errs FieldErrors
	ids := normalizeCaseIDs(&errs, caseIDs)
	if len(errs) > 0 {
		return Op{}, wrap(errs)
	}
	var fresh []string
	for _, id := range ids {
		if !d.Linked(id) {
			fresh = append(fresh, id)
		}
	}
	switch {
	case len(fresh) == 0:
		return Op{}, wrap(fieldErr("cases", CodeAlreadyLinked, "no appeal that is not linked already"))
	case len(fresh) > MaxLinkedCases:
		return Op{}, wrap(fieldErr("cases", CodeTooMany, fmt.Sprintf("more than %d appeals", MaxLinkedCases), MaxLinkedCases))
	}
	op, err := a.disputeOp(OpDisputeLink, d, disputePayload{At: a.now().UTC().Truncate(time.Second), Cases: fresh})
	if err != nil {
		return Op{}, wrap(err)
	}
	return made(op)
}

// checkPartyField validates one party field value and returns it normalized.
func checkPartyField(errs *FieldErrors, f, v string) string {
	switch f {
	case PartyFieldName:
		return textCheck(errs, f, v, MaxShortRunes, "name the party")
	case PartyFieldKind:
		k, err := ParsePartyKind(v)
		if err != nil {
			*errs = append(*errs, asField(f, "choose a kind: ", err))
		}
		return string(k)
	case PartyFieldBuilding, PartyFieldSide:
		// Full-width "１４号楼" must match the cases' "14号楼".
		return textCheck(errs, f, normalizeWidth(v), MaxShortRunes, "")
	case PartyFieldPosition, PartyFieldInterest:
		return textCheck(errs, f, v, MaxDetailRunes, "")
	}
	errs.add(f, CodeUnknownField, "unknown field")
	return ""
}

// AddParty adds a party; its id is the op's id.
func (a *Author) AddParty(d *Dispute, p Party) (Op, error) {
	var errs FieldErrors
	values := map[string]string{
		PartyFieldName: p.Name, PartyFieldKind: string(p.Kind), PartyFieldBuilding: p.Building,
		PartyFieldSide: p.Side, PartyFieldPosition: p.Position, PartyFieldInterest: p.Interest,
	}
	checked := map[string]string{}
	for _, f := range PartyFields {
		checked[f] = checkPartyField(&errs, f, values[f])
	}
	if len(errs) > 0 {
		return Op{}, fmt.Errorf("add party to dispute %s: %w", d.label(), errs)
	}
	op, err := a.disputeOp(OpDisputeParty, d, disputePayload{At: a.now().UTC().Truncate(time.Second)})
	if err != nil {
		return Op{}, fmt.Errorf("add party to dispute %s: %w", d.label(), err)
	}
	op.Fields = map[string]string{}
	for f, v := range checked {
		if v != "" {
			op.Fields[PartyKey(op.ID, f)] = v
		}
	}
	return made(op)
}

// SetParty changes fields of a party (PartyField codes), typically its
// position or interest as the talks move on.
func (a *Author) SetParty(d *Dispute, partyID string, changes map[string]string) (Op, error) {
	wrap := func(err error) error { return fmt.Errorf("set party of dispute %s: %w", d.label(), err) }
	if _, ok := d.Party(partyID); !ok {
		return Op{}, wrap(fmt.Errorf("party %s: %w", partyID, ErrNotFound))
	}
	if len(changes) == 0 {
		return Op{}, wrap(ErrNoChange)
	}
	var errs FieldErrors
	fields := map[string]string{}
	for f, v := range changes {
		fields[PartyKey(partyID, f)] = checkPartyField(&errs, f, v)
	}
	if len(errs) > 0 {
		return Op{}, wrap(errs)
	}
	return a.setRegisters(d, fields)
}

// AddPlan puts a plan version on the table. A revision must say what
// changed from the previous version and why: that is the record of how the
// sides were brought together.
func (a *Author) AddPlan(d *Dispute, p PlanVersion) (Op, error) {
	wrap := func(err error) error { return fmt.Errorf("add plan to dispute %s: %w", d.label(), err) }
	if _, err := NextDispute(d.Status, DisputeActPlan); err != nil {
		return Op{}, wrap(err)
	}
	var errs FieldErrors
	revision := len(d.Plans()) > 0
	need := func(msg string) string {
		if revision {
			return msg
		}
		return ""
	}
	plan := PlanVersion{
		Title:       textCheck(&errs, "title", p.Title, MaxSummaryRunes, ""),
		Description: textCheck(&errs, "description", p.Description, MaxDetailRunes, "describe the plan"),
		Changes:     textCheck(&errs, "changes", p.Changes, MaxDetailRunes, need("say what changed from the previous version")),
		Reason:      textCheck(&errs, "reason", p.Reason, MaxDetailRunes, need("say why it changed")),
		Cost:        textCheck(&errs, "cost", p.Cost, MaxSummaryRunes, ""),
		Funding:     textCheck(&errs, "funding", p.Funding, MaxSummaryRunes, ""),
		Upkeep:      textCheck(&errs, "upkeep", p.Upkeep, MaxSummaryRunes, ""),
	}
	at := a.disputeAt(&errs, "at", p.At)
	if len(errs) > 0 {
		return Op{}, wrap(errs)
	}
	op, err := a.disputeOp(OpDisputePlan, d, disputePayload{At: at, Plan: &plan})
	if err != nil {
		return Op{}, wrap(err)
	}
	return made(op)
}

// AddMeeting records a meeting that took place (not one being planned).
func (a *Author) AddMeeting(d *Dispute, m Meeting) (Op, error) {
	var errs FieldErrors
	rec := Meeting{
		Place:   textCheck(&errs, "place", m.Place, MaxSummaryRunes, "say where the meeting was held"),
		Minutes: textCheck(&errs, "minutes", m.Minutes, MaxDetailRunes, ""),
	}
	if strings.TrimSpace(string(m.Kind)) == "" {
		errs.add("kind", CodeRequired, "choose the kind of meeting")
	} else if k, err := ParseMeetingKind(string(m.Kind)); err != nil {
		errs = append(errs, asField("kind", "", err))
	} else {
		rec.Kind = k
	}
	at := a.disputeAt(&errs, "at", m.At)
	if len(m.Attendees) > MaxAttendees {
		errs.add("attendees", CodeTooMany, fmt.Sprintf("more than %d lines", MaxAttendees), MaxAttendees)
	}
	for i, att := range m.Attendees {
		field := fmt.Sprintf("attendees[%d]", i)
		sub := FieldErrors{}
		x := Attendee{
			Role: textCheck(&sub, field, att.Role, MaxShortRunes, "say who attended (a role such as 14号楼居民)"),
			Name: textCheck(&sub, field, att.Name, MaxShortRunes, ""), Count: att.Count,
		}
		switch {
		case att.Count < 0:
			sub.add(field, CodeNegative, "a head count cannot be negative")
		case x.Name == "" && att.Count == 0:
			sub.add(field, CodeRequired, "give a name or a head count")
		}
		errs = append(errs, sub...)
		rec.Attendees = append(rec.Attendees, x)
	}
	if len(errs) > 0 {
		return Op{}, fmt.Errorf("add meeting to dispute %s: %w", d.label(), errs)
	}
	op, err := a.disputeOp(OpDisputeMeeting, d, disputePayload{At: at, Meeting: &rec})
	if err != nil {
		return Op{}, fmt.Errorf("add meeting to dispute %s: %w", d.label(), err)
	}
	return made(op)
}

// AppendMinutes adds to a meeting's minutes; what was written stays.
func (a *Author) AppendMinutes(d *Dispute, meetingID, text string) (Op, error) {
	wrap := func(err error) error { return fmt.Errorf("append minutes in dispute %s: %w", d.label(), err) }
	if _, ok := d.Meeting(meetingID); !ok {
		return Op{}, wrap(fmt.Errorf("meeting %s: %w", meetingID, ErrNotFound))
	}
	var errs FieldErrors
	t := textCheck(&errs, "text", text, MaxDetailRunes, "write the addition")
	if len(errs) > 0 {
		return Op{}, wrap(errs)
	}
	op, err := a.disputeOp(OpDisputeMinutes, d, disputePayload{At: a.now().UTC().Truncate(time.Second),
		Minutes: &MinutesAddendum{Meeting: meetingID, Text: t}})
	if err != nil {
		return Op{}, wrap(err)
	}
	return made(op)
}

// checkVoteCounts validates the counts of a vote: none negative, not all zero.
func checkVoteCounts(errs *FieldErrors, v Vote) {
	for _, c := range []struct {
		field string
		n     int
	}{{"for", v.For}, {"against", v.Against}, {"abstain", v.Abstain}} {
		if c.n < 0 {
			errs.add(c.field, CodeNegative, "cannot be negative")
		}
	}
	if v.For == 0 && v.Against == 0 && v.Abstain == 0 {
		errs.add("for", CodeNoVotes, "no votes recorded: enter the counts for, against and abstaining")
	}
}

// RecordVote records the count of a vote on a plan version at a meeting,
// taken at v.At (zero: now). A vote entered after the meeting keeps the
// time it was taken, so it is not stamped with the day of typing; it
// cannot be before its meeting nor in the future.
func (a *Author) RecordVote(d *Dispute, v Vote) (Op, error) {
	var errs FieldErrors
	m, hasMeeting := d.Meeting(v.Meeting)
	if !hasMeeting {
		errs.add("meeting", CodeNotOnRecord, "choose a meeting on record")
	}
	at := a.disputeAt(&errs, "at", v.At)
	if hasMeeting && !v.At.IsZero() && !m.At.IsZero() && at.Before(m.At.UTC().Truncate(time.Second)) {
		errs.add("at", CodeBeforeMeeting, "before the meeting it was taken at")
	}
	if _, ok := d.Plan(v.Plan); !ok {
		errs.add("plan", CodeNotOnRecord, "choose a plan version on the table")
	}
	checkVoteCounts(&errs, v)
	method, err := ParseVoteMethod(string(v.Method))
	if err != nil {
		errs = append(errs, asField("method", "", err))
	}
	if len(errs) > 0 {
		return Op{}, fmt.Errorf("record vote in dispute %s: %w", d.label(), errs)
	}
	rec := Vote{Meeting: v.Meeting, Plan: v.Plan, For: v.For, Against: v.Against, Abstain: v.Abstain, Method: method}
	op, err := a.disputeOp(OpDisputeVote, d, disputePayload{At: at, Vote: &rec})
	if err != nil {
		return Op{}, fmt.Errorf("record vote in dispute %s: %w", d.label(), err)
	}
	return made(op)
}

// Agree records the agreement: the plan version agreed to and who signed
// off. It cites the agreements in force, so a later agreement supersedes
// them; two made concurrently show as a conflict.
func (a *Author) Agree(d *Dispute, planID string, signedOff []string, at time.Time) (Op, error) {
	wrap := func(err error) error { return fmt.Errorf("agree in dispute %s: %w", d.label(), err) }
	if _, err := NextDispute(d.Status, DisputeActAgree); err != nil {
		return Op{}, wrap(err)
	}
	var errs FieldErrors
	if _, ok := d.Plan(planID); !ok {
		errs.add("plan", CodeNotOnRecord, "choose a plan version on the table")
	}
	var names []string
	for _, s := range signedOff {
		sub := FieldErrors{}
		n := textCheck(&sub, "signed_off", s, MaxShortRunes, "")
		errs = append(errs, sub...)
		if n != "" && !contains(names, n) {
			names = append(names, n)
		}
	}
	switch {
	case len(names) == 0:
		errs.add("signed_off", CodeRequired, "name who signed off")
	case len(names) > MaxSignOffs:
		errs.add("signed_off", CodeTooMany, fmt.Sprintf("more than %d names", MaxSignOffs), MaxSignOffs)
	}
	at = a.disputeAt(&errs, "at", at)
	if len(errs) > 0 {
		return Op{}, wrap(errs)
	}
	op, err := a.disputeOp(OpDisputeAgree, d, disputePayload{At: at, Agreement: &Agreement{Plan: planID, SignedOff: names}})
	if err != nil {
		return Op{}, wrap(err)
	}
	if heads := d.Agreements.HeadIDs(); len(heads) > 0 {
		op.Bases = map[string][]string{AgreementField: heads}
	}
	return made(op)
}

// AddTask adds an implementation task of the agreed plan.
func (a *Author) AddTask(d *Dispute, t Task) (Op, error) {
	wrap := func(err error) error { return fmt.Errorf("add task to dispute %s: %w", d.label(), err) }
	if _, err := NextDispute(d.Status, DisputeActTask); err != nil {
		return Op{}, wrap(err)
	}
	var errs FieldErrors
	rec := Task{
		Title: textCheck(&errs, "title", t.Title, MaxSummaryRunes, "say what is to be done"),
		Owner: textCheck(&errs, "owner", t.Owner, MaxShortRunes, "say who is responsible"),
		Due:   t.Due,
	}
	if t.Due == (Date{}) {
		errs.add("due", CodeRequired, "give a due date")
	} else if !t.Due.valid() {
		errs.add("due", CodeBadDate, "no such day", t.Due.String())
	} else if CheckDate(t.Due) != nil {
		errs.add("due", CodeOutOfRange, "not between 2000 and 2100", EarliestTime.Year(), LatestYear)
	}
	if len(errs) > 0 {
		return Op{}, wrap(errs)
	}
	op, err := a.disputeOp(OpDisputeTask, d, disputePayload{At: a.now().UTC().Truncate(time.Second), Task: &rec})
	if err != nil {
		return Op{}, wrap(err)
	}
	return made(op)
}

// SetTaskDone marks a task done at a time (zero: now), or takes the mark
// back. The first task done moves an agreed dispute to implementing.
func (a *Author) SetTaskDone(d *Dispute, taskID string, done bool, at time.Time) (Op, error) {
	wrap := func(err error) error { return fmt.Errorf("mark task in dispute %s: %w", d.label(), err) }
	if _, err := NextDispute(d.Status, DisputeActTaskDone); err != nil {
		return Op{}, wrap(err)
	}
	t, ok := d.Task(taskID)
	if !ok {
		return Op{}, wrap(fmt.Errorf("task %s: %w", taskID, ErrNotFound))
	}
	if t.Done == done {
		return Op{}, wrap(invalid(CodeAlreadyMarked, fmt.Sprintf("task %q is already marked so", t.Title), t.Title))
	}
	var errs FieldErrors
	at = a.disputeAt(&errs, "at", at)
	if len(errs) > 0 {
		return Op{}, wrap(errs)
	}
	v := ""
	if done {
		v = at.Format(time.RFC3339)
	}
	return a.setRegisters(d, map[string]string{TaskDoneKey(taskID): v})
}

// disputeStep makes the op of a status step with its note.
func (a *Author) disputeStep(d *Dispute, kind OpKind, act DisputeAction, at time.Time, note, needNote string) (Op, error) {
	wrap := func(err error) error { return fmt.Errorf("%s dispute %s: %w", act, d.label(), err) }
	if _, err := NextDispute(d.Status, act); err != nil {
		return Op{}, wrap(err)
	}
	if act == DisputeActResolve {
		if undone := undoneTitles(d.Tasks()); len(undone) > 0 {
			return Op{}, wrap(tasksUndone(undone))
		}
	}
	var errs FieldErrors
	n := textCheck(&errs, "note", note, MaxDetailRunes, needNote)
	at = a.disputeAt(&errs, "at", at)
	if len(errs) > 0 {
		return Op{}, wrap(errs)
	}
	op, err := a.disputeOp(kind, d, disputePayload{At: at, Note: n})
	if err != nil {
		return Op{}, wrap(err)
	}
	return made(op)
}

// Implement records that implementation of the agreement has begun.
func (a *Author) Implement(d *Dispute, at time.Time, note string) (Op, error) {
	return a.disputeStep(d, OpDisputeImplement, DisputeActImplement, at, note, "")
}

// Stall records that the talks are stuck, and why.
func (a *Author) Stall(d *Dispute, at time.Time, reason string) (Op, error) {
	return a.disputeStep(d, OpDisputeStall, DisputeActStall, at, reason, "explain why the talks are stuck")
}

// Resume records that the talks resume after a stall.
func (a *Author) Resume(d *Dispute, at time.Time, note string) (Op, error) {
	return a.disputeStep(d, OpDisputeResume, DisputeActResume, at, note, "")
}

// Resolve records that the dispute is resolved (化解). It needs an
// agreement and every task done; a refusal names the tasks still open.
func (a *Author) Resolve(d *Dispute, at time.Time, note string) (Op, error) {
	return a.disputeStep(d, OpDisputeResolve, DisputeActResolve, at, note, "")
}

// CloseLinkedCases brings every appeal linked to a resolved dispute to
// closed out (销号) with one action. For each case it makes the loop steps
// still missing, all at time at (zero: now), each noted
// "矛盾纠纷已化解：<title>" with Ref = the dispute id:
//
//	received                          → respond, resolve, feedback, close
//	responded, dispatched, in progress → resolve, feedback, close
//	resolved                          → feedback, close
//	feedback, evaluated               → close
//	closed                            → nothing (skipped)
//
// No evaluation is made up: the callback (回访) is the resident's to give,
// and the loop allows closing out once the result was told. A case that
// cannot be closed honestly gets an error and no ops: one found
// unresolvable, or one whose callback said not solved (call the resident
// back, or reopen it, first), as does a case not linked to the dispute and
// a linked case missing from cases. Every case's steps are checked by Step.
func (a *Author) CloseLinkedCases(d *Dispute, cases []*Case, at time.Time) ([]Op, []error) {
	if d.Status != DisputeResolved {
		return nil, []error{fmt.Errorf("close linked cases of dispute %s: %w", d.label(),
			stepErr(CodeNotResolved, fmt.Sprintf("the dispute is %s, not resolved", d.Status), string(d.Status)))}
	}
	note := "矛盾纠纷已化解：" + d.Title()
	var ops []Op
	var errs []error
	byID := map[string]*Case{}
	for _, c := range cases {
		if c == nil {
			continue
		}
		if !d.Linked(c.ID) {
			errs = append(errs, fmt.Errorf("close case %s: %w: not linked to dispute %s", c.Number(), ErrInvalid, d.label()))
			continue
		}
		byID[c.ID] = c
	}
	for _, id := range d.Cases {
		c, ok := byID[id]
		if !ok {
			errs = append(errs, fmt.Errorf("close case %s: %w", id, ErrNotFound))
			continue
		}
		caseOps, err := a.closeForDispute(c, d, note, at)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ops = append(ops, caseOps...)
	}
	return ops, errs
}

// closeForDispute makes the steps that close one case; see CloseLinkedCases.
func (a *Author) closeForDispute(c *Case, d *Dispute, note string, at time.Time) ([]Op, error) {
	wrap := func(err error) error { return fmt.Errorf("close case %s: %w", c.Number(), err) }
	var path []Action
	switch c.Status {
	case StatusClosed:
		return nil, nil
	case StatusReceived:
		path = []Action{ActRespond, ActResolve, ActFeedback, ActClose}
	case StatusResponded, StatusDispatched, StatusInProgress:
		path = []Action{ActResolve, ActFeedback, ActClose}
	case StatusResolved:
		path = []Action{ActFeedback, ActClose}
	case StatusFeedback:
		path = []Action{ActClose}
	case StatusEvaluated:
		if c.Solved == SolvedNo {
			return nil, wrap(stepErr(CodeCallbackUnsolved, "the resident's callback says it was not solved; call back or reopen it first"))
		}
		path = []Action{ActClose}
	case StatusUnresolvable:
		return nil, wrap(stepErr(CodeUnresolvable, "it was found unresolvable; reopen it first if the dispute solved it"))
	default:
		return nil, wrap(stepErr(CodeNotAllowed, fmt.Sprintf("unknown status %q", c.Status), "close", string(c.Status)))
	}
	// Steps are checked against a copy that advances with them, so that the
	// caller's case changes only when the ops are applied.
	b, err := json.Marshal(c)
	if err != nil {
		return nil, wrap(err)
	}
	work := &Case{}
	if err := json.Unmarshal(b, work); err != nil {
		return nil, wrap(err)
	}
	var ops []Op
	for _, act := range path {
		op, err := a.Step(work, Step{Action: act, At: at, Note: note, Ref: d.ID})
		if err != nil {
			return nil, err // Step names the case and the step
		}
		if _, err := work.Apply(&op); err != nil {
			return nil, wrap(err)
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// DiffKind says whether a line of a plan comparison is unchanged, only in
// the older version, or only in the newer.
type DiffKind string

// Diff line kinds.
const (
	DiffSame    DiffKind = "="
	DiffRemoved DiffKind = "-"
	DiffAdded   DiffKind = "+"
)

// DiffLine is one line of a plan comparison. Field is the plan field the
// line belongs to: "title", "description", "cost", "funding" or "upkeep".
type DiffLine struct {
	Field string   `json:"field"`
	Kind  DiffKind `json:"kind"`
	Text  string   `json:"text"`
}

// maxDiffCells bounds the LCS table (4 MiB of int32); longer descriptions
// fall back to "all removed, all added", still correct, just less precise.
const maxDiffCells = 1 << 20

// PlanDiff compares two plan versions so the UI can show what changed from
// a to b: the description line by line (a longest-common-subsequence diff),
// then title, cost, funding and upkeep field by field. Unchanged lines and
// fields are included as DiffSame so the whole of both versions can be shown;
// an empty field yields no line.
func PlanDiff(a, b PlanVersion) []DiffLine {
	var out []DiffLine
	field := func(name, x, y string) {
		switch {
		case x == y && x != "":
			out = append(out, DiffLine{name, DiffSame, x})
		case x != y:
			if x != "" {
				out = append(out, DiffLine{name, DiffRemoved, x})
			}
			if y != "" {
				out = append(out, DiffLine{name, DiffAdded, y})
			}
		}
	}
	field("title", a.Title, b.Title)
	out = append(out, diffLines("description", splitLines(a.Description), splitLines(b.Description))...)
	field("cost", a.Cost, b.Cost)
	field("funding", a.Funding, b.Funding)
	field("upkeep", a.Upkeep, b.Upkeep)
	return out
}

// splitLines splits text into lines, treating CRLF as LF and ignoring one
// final newline.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// diffLines is a line diff by longest common subsequence. The common
// prefix and suffix are taken off first, which keeps the table small for
// the usual revision that changes a few lines.
func diffLines(field string, a, b []string) []DiffLine {
	var out []DiffLine
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		out = append(out, DiffLine{field, DiffSame, a[pre]})
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	x, y := a[pre:len(a)-suf], b[pre:len(b)-suf]
	n, m := len(x), len(y)
	if n*m > maxDiffCells {
		for _, l := range x {
			out = append(out, DiffLine{field, DiffRemoved, l})
		}
		for _, l := range y {
			out = append(out, DiffLine{field, DiffAdded, l})
		}
	} else {
		// lcs[i*(m+1)+j] is the LCS length of x[i:] and y[j:].
		w := m + 1
		lcs := make([]int32, (n+1)*w)
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if x[i] == y[j] {
					lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
				} else {
					lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n && j < m {
			switch {
			case x[i] == y[j]:
				out = append(out, DiffLine{field, DiffSame, x[i]})
				i++
				j++
			case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
				out = append(out, DiffLine{field, DiffRemoved, x[i]}) // removals first, as readers expect
				i++
			default:
				out = append(out, DiffLine{field, DiffAdded, y[j]})
				j++
			}
		}
		for ; i < n; i++ {
			out = append(out, DiffLine{field, DiffRemoved, x[i]})
		}
		for ; j < m; j++ {
			out = append(out, DiffLine{field, DiffAdded, y[j]})
		}
	}
	for k := len(a) - suf; k < len(a); k++ {
		out = append(out, DiffLine{field, DiffSame, a[k]})
	}
	return out
}

// validateDispute checks the shape of a dispute operation received from
// elsewhere; Op.Validate calls it for every kind with the "dispute." prefix
// after the checks common to all operations. A dispute kind this version
// does not know passes, to be kept and ignored like other unknown kinds.
func (o *Op) validateDispute() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("validate op %s: %w: %s", o.ID, ErrInvalid, fmt.Sprintf(format, a...))
	}
	if !contains(disputeKinds, o.Kind) {
		return nil
	}
	if !isExactID(o.Entity) {
		return bad("dispute entity is not an id")
	}
	if len(o.Payload) > MaxOpBytes {
		return bad("payload too large")
	}
	for k, v := range o.Fields {
		group, id, field, ok := splitDisputeKey(k)
		switch {
		case !ok:
			return bad("unknown field %q", k)
		case o.Kind == OpDisputeCreate && group != "",
			o.Kind == OpDisputeParty && (group != "party" || id != o.ID),
			o.Kind != OpDisputeCreate && o.Kind != OpDisputeParty && o.Kind != OpDisputeSet:
			return bad("field %q not allowed in %s", k, o.Kind)
		}
		switch {
		case group == "party" && field == PartyFieldKind:
			if _, err := ParsePartyKind(v); err != nil || v == "" {
				return bad("unknown party kind %q", v)
			}
		case group == "task" && v != "":
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				return bad("task done mark %q is not a time", v)
			}
		}
	}
	switch o.Kind {
	case OpDisputeCreate:
		if strings.TrimSpace(o.Fields[DisputeFieldTitle]) == "" {
			return bad("no title")
		}
	case OpDisputeSet:
		if len(o.Fields) == 0 {
			return bad("no fields")
		}
		return nil
	case OpDisputeParty:
		if strings.TrimSpace(o.Fields[PartyKey(o.ID, PartyFieldName)]) == "" || o.Fields[PartyKey(o.ID, PartyFieldKind)] == "" {
			return bad("a party needs a name and a kind")
		}
	}
	var p disputePayload
	if len(o.Payload) > 0 {
		if err := json.Unmarshal(o.Payload, &p); err != nil {
			return bad("bad payload: %v", err)
		}
	}
	switch o.Kind {
	case OpDisputeCreate, OpDisputeLink:
		need := 1
		if o.Kind == OpDisputeCreate {
			need = 2
		}
		if len(p.Cases) < need || len(p.Cases) > MaxLinkedCases {
			return bad("%s needs %d to %d cases", o.Kind, need, MaxLinkedCases)
		}
		for _, c := range p.Cases {
			if !isExactID(c) {
				return bad("case id %q", c)
			}
		}
	case OpDisputePlan:
		if p.Plan == nil || strings.TrimSpace(p.Plan.Description) == "" {
			return bad("a plan needs a description")
		}
	case OpDisputeMeeting:
		m := p.Meeting
		if m == nil || strings.TrimSpace(m.Place) == "" {
			return bad("a meeting needs a place")
		}
		if _, err := ParseMeetingKind(string(m.Kind)); err != nil || m.Kind == "" {
			return bad("unknown meeting kind %q", m.Kind)
		}
		if len(m.Attendees) > MaxAttendees {
			return bad("too many attendees")
		}
		for _, at := range m.Attendees {
			if at.Count < 0 {
				return bad("negative head count")
			}
		}
	case OpDisputeMinutes:
		if p.Minutes == nil || !isExactID(p.Minutes.Meeting) || strings.TrimSpace(p.Minutes.Text) == "" {
			return bad("minutes need a meeting and text")
		}
	case OpDisputeVote:
		v := p.Vote
		if v == nil || !isExactID(v.Meeting) || !isExactID(v.Plan) {
			return bad("a vote needs a meeting and a plan")
		}
		var errs FieldErrors
		checkVoteCounts(&errs, *v)
		if len(errs) > 0 {
			return bad("vote counts: %v", errs)
		}
		if _, err := ParseVoteMethod(string(v.Method)); err != nil {
			return bad("unknown vote method %q", v.Method)
		}
	case OpDisputeAgree:
		if p.Agreement == nil || !isExactID(p.Agreement.Plan) || len(p.Agreement.SignedOff) == 0 || len(p.Agreement.SignedOff) > MaxSignOffs {
			return bad("an agreement needs a plan and who signed off")
		}
	case OpDisputeTask:
		if p.Task == nil || strings.TrimSpace(p.Task.Title) == "" || p.Task.Due == (Date{}) || !p.Task.Due.valid() {
			return bad("a task needs a title and a due date")
		}
	case OpDisputeStall:
		if strings.TrimSpace(p.Note) == "" {
			return bad("a stall needs its reason")
		}
	}
	return nil
}
