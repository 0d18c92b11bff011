package casebook

// The codes of disputes: operation kinds, register keys, and the code
// tables of statuses, actions, party kinds, meeting kinds and vote methods.

import (
	"strings"
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
	OpDisputeReopen    OpKind = "dispute.reopen"    // a resolved dispute is taken up again (重新打开), with the reason
)

var disputeKinds = []OpKind{
	OpDisputeCreate, OpDisputeSet, OpDisputeLink, OpDisputeParty, OpDisputePlan, OpDisputeMeeting,
	OpDisputeMinutes, OpDisputeVote, OpDisputeAgree, OpDisputeTask, OpDisputeImplement,
	OpDisputeStall, OpDisputeResume, OpDisputeResolve, OpDisputeReopen,
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

var DisputeStatusCodes = &CodeTable[DisputeStatus]{
	what: "dispute status",
	names: []codeName{
		{string(DisputeOpen), "已登记", "open"},
		{string(DisputeNegotiating), "协商中", "negotiating"},
		{string(DisputeAgreed), "已达成协议", "agreed"},
		{string(DisputeImplementing), "实施中", "implementing"},
		{string(DisputeResolved), "已化解", "resolved"},
		{string(DisputeStalled), "搁置", "stalled"},
	},
	aliases: map[string]string{"化解": "resolved", "僵持": "stalled", "协商": "negotiating"},
}

// DisputeStatuses lists every dispute status in display order.
func DisputeStatuses() []DisputeStatus { return DisputeStatusCodes.Codes() }

// ParseDisputeStatus accepts a dispute status code or its Chinese name.
func ParseDisputeStatus(s string) (DisputeStatus, error) { return DisputeStatusCodes.Parse(s) }

// Chinese returns the status name used in ledgers.
func (s DisputeStatus) Chinese() string { return DisputeStatusCodes.Chinese(s) }

// English returns the English status name.
func (s DisputeStatus) English() string { return DisputeStatusCodes.English(s) }

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
	DisputeActReopen    DisputeAction = "reopen"    // 重新打开
)

var DisputeActionCodes = &CodeTable[DisputeAction]{
	what: "dispute step",
	names: []codeName{
		{string(DisputeActPlan), "提出方案", "propose a plan"},
		{string(DisputeActAgree), "达成协议", "agree"},
		{string(DisputeActTask), "添加任务", "add a task"},
		{string(DisputeActTaskDone), "完成任务", "mark a task"},
		{string(DisputeActImplement), "开始实施", "start implementing"},
		{string(DisputeActStall), "搁置", "stall"},
		{string(DisputeActResume), "恢复协商", "resume"},
		{string(DisputeActResolve), "化解", "resolve"},
		{string(DisputeActReopen), "重新打开", "reopen"},
	},
}

// Chinese returns the action's name on buttons and in the record.
func (a DisputeAction) Chinese() string { return DisputeActionCodes.Chinese(a) }

// English returns the English action name.
func (a DisputeAction) English() string { return DisputeActionCodes.English(a) }

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

var PartyKindCodes = &CodeTable[PartyKind]{
	what: "party kind",
	names: []codeName{
		{string(PartyHousehold), "居民户", "household"},
		{string(PartyBuilding), "楼栋", "building"},
		{string(PartyProperty), "物业", "property management"},
		{string(PartyOwnersCommittee), "业委会", "owners' committee"},
		{string(PartyStreetDept), "街道部门", "street department"},
		{string(PartyDeveloper), "开发商", "developer"},
		{string(PartyOther), "其他", "other"},
	},
	aliases: map[string]string{
		"居民": "household", "住户": "household", "物业公司": "property", "业主委员会": "owners_committee",
		"街道": "street_dept", "owners committee": "owners_committee",
	},
}

// PartyKinds lists the party kinds in display order.
func PartyKinds() []PartyKind { return PartyKindCodes.Codes() }

// ParsePartyKind accepts a party kind code or its Chinese name.
func ParsePartyKind(s string) (PartyKind, error) { return PartyKindCodes.Parse(s) }

// Chinese returns the party kind's Chinese name.
func (k PartyKind) Chinese() string { return PartyKindCodes.Chinese(k) }

// English returns the party kind's English name.
func (k PartyKind) English() string { return PartyKindCodes.English(k) }

// MeetingKind is the form of a meeting.
type MeetingKind string

// Meeting kinds.
const (
	MeetingCourtyard    MeetingKind = "courtyard"    // 小院议事厅
	MeetingConsultation MeetingKind = "consultation" // 协商会
	MeetingHearing      MeetingKind = "hearing"      // 听证会
	MeetingOther        MeetingKind = "other"        // 其他
)

var MeetingKindCodes = &CodeTable[MeetingKind]{
	what: "meeting kind",
	names: []codeName{
		{string(MeetingCourtyard), "小院议事厅", "courtyard deliberation"},
		{string(MeetingConsultation), "协商会", "consultation meeting"},
		{string(MeetingHearing), "听证会", "hearing"},
		{string(MeetingOther), "其他", "other"},
	},
	aliases: map[string]string{"议事厅": "courtyard", "议事会": "courtyard", "协商议事会": "consultation"},
}

// MeetingKinds lists the meeting kinds in display order.
func MeetingKinds() []MeetingKind { return MeetingKindCodes.Codes() }

// ParseMeetingKind accepts a meeting kind code or its Chinese name.
func ParseMeetingKind(s string) (MeetingKind, error) { return MeetingKindCodes.Parse(s) }

// Chinese returns the meeting kind's Chinese name.
func (k MeetingKind) Chinese() string { return MeetingKindCodes.Chinese(k) }

// English returns the meeting kind's English name.
func (k MeetingKind) English() string { return MeetingKindCodes.English(k) }

// VoteMethod is how a vote was taken.
type VoteMethod string

// Vote methods.
const (
	VoteShowOfHands VoteMethod = "show_of_hands" // 举牌表决
	VoteBallot      VoteMethod = "ballot"        // 投票表决
	VoteOther       VoteMethod = "other"         // 其他
)

var VoteMethodCodes = &CodeTable[VoteMethod]{
	what: "vote method",
	names: []codeName{
		{string(VoteShowOfHands), "举牌表决", "show of hands"},
		{string(VoteBallot), "投票表决", "ballot"},
		{string(VoteOther), "其他", "other"},
	},
	aliases: map[string]string{"举手表决": "show_of_hands", "举手": "show_of_hands", "举牌": "show_of_hands", "无记名投票": "ballot"},
	blank:   blankMeans(VoteShowOfHands),
}

// ParseVoteMethod accepts a vote method code or its Chinese name; empty
// means a show of hands, the usual way at a 小院议事厅.
func ParseVoteMethod(s string) (VoteMethod, error) { return VoteMethodCodes.Parse(s) }

// Chinese returns the vote method's Chinese name.
func (m VoteMethod) Chinese() string { return VoteMethodCodes.Chinese(m) }

// English returns the vote method's English name.
func (m VoteMethod) English() string { return VoteMethodCodes.English(m) }
