package casebook

// The course of a dispute's talks: which status step is allowed from
// which status, and the replay of the record in merge order that derives
// the status, the plan numbers, the linked appeals and the agreement.

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

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
	// A resolved dispute that flares up again is taken up where the talks
	// are: the agreement stays on record, and a new one (or the same, signed
	// again) is needed before implementing.
	DisputeActReopen: {DisputeResolved: DisputeNegotiating},
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
	for _, a := range DisputeActionCodes.Codes() {
		if _, err := NextDispute(s, a); err == nil {
			out = append(out, a)
		}
	}
	return out
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
	d.Cases, d.Agreement, d.Agreements = nil, nil, Register{}
	d.CreatedAt, d.ImplementingAt, d.StalledAt, d.ResolvedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	r := &disputeReplay{d: d, s: DisputeOpen, plans: map[string]bool{}, taskIndex: map[string]int{}}
	for _, st := range d.replaySteps() {
		if st.ev == nil {
			r.mark(&st)
		} else {
			r.event(st.ev)
		}
	}
	d.Status = r.s
	if v := d.Agreements.Value(); v != "" {
		var a Agreement
		if json.Unmarshal([]byte(v), &a) == nil {
			d.Agreement = &a
		}
	}
}

// replaySteps lists the record's entries and every version of every done
// mark, in merge order.
func (d *Dispute) replaySteps() []replayStep {
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
	return steps
}

// disputeReplay is the state of derive's walk through the steps.
type disputeReplay struct {
	d         *Dispute
	s         DisputeStatus
	plans     map[string]bool // plan versions on the table so far
	tasks     []Task          // accepted so far, with done marks as of this point
	taskIndex map[string]int
	n         int // the last plan number given
}

// stepActions are the record kinds that are status steps.
var stepActions = map[OpKind]DisputeAction{
	OpDisputePlan: DisputeActPlan, OpDisputeAgree: DisputeActAgree, OpDisputeTask: DisputeActTask,
	OpDisputeImplement: DisputeActImplement, OpDisputeStall: DisputeActStall,
	OpDisputeResume: DisputeActResume, OpDisputeResolve: DisputeActResolve,
	OpDisputeReopen: DisputeActReopen,
}

// mark replays one version of a task's done mark: the first task done
// starts implementing; one taken back reopens a resolved dispute.
func (r *disputeReplay) mark(st *replayStep) {
	j, ok := r.taskIndex[st.task]
	if !ok {
		return // a mark for a task not (yet) on record
	}
	r.tasks[j].Done = st.doneMark != ""
	switch {
	case r.tasks[j].Done && r.s == DisputeAgreed:
		r.s = DisputeImplementing
		r.d.ImplementingAt, _ = time.Parse(time.RFC3339, st.doneMark)
	case !r.tasks[j].Done && r.s == DisputeResolved:
		r.s, r.d.ResolvedAt = DisputeImplementing, time.Time{}
	}
}

// event replays one entry of the record.
func (r *disputeReplay) event(e *DisputeEvent) {
	d := r.d
	e.Refused = ""
	if !e.complete() {
		// Only a damaged stored dispute lacks its record: Apply refuses
		// such ops. Skip it rather than trust it.
		return
	}
	if e.Kind == OpDisputeCreate || e.Kind == OpDisputeLink {
		if e.Kind == OpDisputeCreate && d.CreatedAt.IsZero() {
			d.CreatedAt = e.At
		}
		for _, c := range e.Cases {
			if !contains(d.Cases, c) {
				d.Cases = append(d.Cases, c)
			}
		}
		return
	}
	action, ok := stepActions[e.Kind]
	if !ok {
		return // parties, meetings, minutes and votes are records only
	}
	if action == DisputeActPlan {
		e.Plan.N = 0
	}
	next, err := r.allowed(action, e)
	if err != nil {
		e.Refused = err.Error()
		return
	}
	r.take(action, e)
	r.s = next
}

// allowed is NextDispute with the conditions beyond the status: an
// agreement needs its plan version on the table, resolving every task done.
func (r *disputeReplay) allowed(action DisputeAction, e *DisputeEvent) (DisputeStatus, error) {
	next, err := NextDispute(r.s, action)
	switch {
	case err != nil:
	case action == DisputeActAgree && !r.plans[e.Agreement.Plan]:
		err = stepErr(CodePlanNotOnTable, fmt.Sprintf("plan version %s is not on the table", e.Agreement.Plan), e.Agreement.Plan)
	case action == DisputeActResolve:
		if undone := undoneTitles(r.tasks); len(undone) > 0 {
			err = tasksUndone(undone)
		}
	}
	return next, err
}

// take records what an allowed step brings: a plan number, the agreement,
// a task, or the time of a status change.
func (r *disputeReplay) take(action DisputeAction, e *DisputeEvent) {
	d := r.d
	switch action {
	case DisputeActPlan:
		r.n++
		e.Plan.N = r.n
		r.plans[e.ID] = true
	case DisputeActAgree:
		a := *e.Agreement
		a.ID, a.At, a.Author, a.HLC = e.ID, e.At, e.Actor, e.HLC
		b, _ := json.Marshal(a) // plain strings and times: cannot fail
		d.Agreements.add(Version{Op: e.ID, HLC: e.HLC, Origin: e.Origin, Value: string(b), Bases: e.Bases})
	case DisputeActTask:
		t := *e.Task
		t.ID = e.ID
		r.taskIndex[e.ID] = len(r.tasks)
		r.tasks = append(r.tasks, t)
	case DisputeActImplement:
		d.ImplementingAt = e.At
	case DisputeActStall:
		d.StalledAt = e.At
	case DisputeActResume:
		d.StalledAt = time.Time{}
	case DisputeActResolve:
		d.ResolvedAt = e.At
	case DisputeActReopen:
		d.ResolvedAt = time.Time{}
	}
}
