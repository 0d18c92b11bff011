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
//
// This file holds the dispute and its records, and how an operation is
// merged into it. The codes are in dispute_codes.go, the course of the
// talks (status steps and the replay) in dispute_loop.go, the making of
// operations in dispute_author.go, the checks of operations received from
// elsewhere in dispute_op.go, and the comparison of plan versions in
// plandiff.go.

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

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
