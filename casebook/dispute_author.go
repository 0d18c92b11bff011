package casebook

// Making dispute operations: the Author checks each change against the
// dispute and the form limits, and returns an operation or FieldErrors.

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

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

// Reopen takes a resolved dispute up again (重新打开), and records why: the
// reason is a step of its record like the others.
func (a *Author) Reopen(d *Dispute, at time.Time, reason string) (Op, error) {
	return a.disputeStep(d, OpDisputeReopen, DisputeActReopen, at, reason, "explain why the dispute is taken up again")
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
