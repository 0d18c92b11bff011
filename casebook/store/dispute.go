package store

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"casebook/casebook"
)

// Disputes (矛盾纠纷) on the Book: each method reads the dispute, has the
// author check the change against it and make the operation, and applies
// it, all under the book's lock, as for cases. A refused change writes
// nothing and returns the author's error (casebook.FieldErrors,
// casebook.ErrTransition, casebook.ErrNotFound).
//
// A dispute is named by its id (any letter case) or by its exact title
// when no other dispute has the same title. Records inside a dispute
// (parties, plan versions, meetings, tasks) are named by their ids.

// CreateDispute registers a dispute gathered from at least two appeals,
// given by id or number.
func (b *Book) CreateDispute(title, place, summary string, caseRefs []string) (*casebook.Dispute, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	ids, err := b.resolveCases(caseRefs)
	if err != nil {
		return nil, fmt.Errorf("create dispute: %w", err)
	}
	op, err := b.author.NewDispute(title, place, summary, ids)
	if err != nil {
		return nil, err
	}
	if _, err := b.s.Apply(op); err != nil {
		return nil, fmt.Errorf("create dispute: %w", err)
	}
	return b.s.Dispute(op.Entity)
}

// resolveCases turns appeal references (ids or numbers) into case ids.
func (b *Book) resolveCases(refs []string) ([]string, error) {
	ids := make([]string, 0, len(refs))
	for _, r := range refs {
		c, err := b.resolve(r)
		if err != nil {
			return nil, err
		}
		ids = append(ids, c.ID)
	}
	return ids, nil
}

// Dispute returns a dispute by its id or its title.
func (b *Book) Dispute(ref string) (*casebook.Dispute, error) { return b.findDispute(ref) }

func (b *Book) findDispute(ref string) (*casebook.Dispute, error) {
	r := strings.TrimSpace(ref)
	if id, err := casebook.ParseID(r); err == nil {
		d, err := b.s.Dispute(id)
		if err == nil || !errors.Is(err, casebook.ErrNotFound) {
			return d, err
		}
	}
	all, err := b.s.Disputes()
	if err != nil {
		return nil, err
	}
	var found []*casebook.Dispute
	want := strings.TrimSpace(casebook.NormalizeWidth(r))
	for _, d := range all {
		if r != "" && strings.TrimSpace(casebook.NormalizeWidth(d.Title())) == want {
			found = append(found, d)
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("dispute %s: %w", clip(r), casebook.ErrNotFound)
	case 1:
		return found[0], nil
	default:
		ids := make([]string, len(found))
		for i, d := range found {
			ids[i] = d.ID
		}
		return nil, fmt.Errorf("dispute %s: %w: %d disputes have this title; use an id: %s",
			clip(r), casebook.ErrInvalid, len(found), strings.Join(ids, ", "))
	}
}

// changeDispute reads a dispute, makes one operation on it and applies it,
// returning the dispute after the change and the operation.
func (b *Book) changeDispute(ref string, mk func(d *casebook.Dispute) (casebook.Op, error)) (*casebook.Dispute, casebook.Op, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	d, err := b.findDispute(ref)
	if err != nil {
		return nil, casebook.Op{}, err
	}
	op, err := mk(d)
	if err != nil {
		return nil, casebook.Op{}, err
	}
	if _, err := b.s.Apply(op); err != nil {
		return nil, casebook.Op{}, fmt.Errorf("dispute %s: %w", d.ID, err)
	}
	nd, err := b.s.Dispute(d.ID)
	if err != nil {
		return nil, casebook.Op{}, err
	}
	return nd, op, nil
}

// refused explains a record that was written but that the replay did not
// put on the table: another device's change, merged meanwhile, came first
// (say, an agreement before this plan version). Only a sync running during
// the change can cause it.
func refused(d *casebook.Dispute, opID, what string) error {
	for i := range d.Log {
		if e := &d.Log[i]; e.ID == opID && e.Refused != "" {
			return fmt.Errorf("%w: %s %s was recorded, but a change from another device came first: %s",
				casebook.ErrTransition, what, opID, e.Refused)
		}
	}
	return fmt.Errorf("%s %s: %w", what, opID, casebook.ErrNotFound)
}

// SetDisputeFields changes the dispute's title, place or summary
// (casebook.DisputeField codes).
func (b *Book) SetDisputeFields(id string, changes map[string]string) (*casebook.Dispute, error) {
	d, _, err := b.changeDispute(id, func(d *casebook.Dispute) (casebook.Op, error) {
		return b.author.SetDisputeFields(d, changes)
	})
	return d, err
}

// LinkCase links more appeals (ids or numbers) to the dispute.
func (b *Book) LinkCase(id string, caseRefs ...string) (*casebook.Dispute, error) {
	d, _, err := b.changeDispute(id, func(d *casebook.Dispute) (casebook.Op, error) {
		ids, err := b.resolveCases(caseRefs)
		if err != nil {
			return casebook.Op{}, fmt.Errorf("link cases to dispute %s: %w", d.Title(), err)
		}
		return b.author.LinkCase(d, ids...)
	})
	return d, err
}

// AddParty adds a party (当事方) and returns it with its id.
func (b *Book) AddParty(id string, p casebook.Party) (casebook.Party, error) {
	d, op, err := b.changeDispute(id, func(d *casebook.Dispute) (casebook.Op, error) { return b.author.AddParty(d, p) })
	if err != nil {
		return casebook.Party{}, err
	}
	if got, ok := d.Party(op.ID); ok {
		return got, nil
	}
	return casebook.Party{}, refused(d, op.ID, "party")
}

// SetParty changes fields of a party (casebook.PartyField codes) and
// returns the party as it now is.
func (b *Book) SetParty(id, partyID string, changes map[string]string) (casebook.Party, error) {
	d, _, err := b.changeDispute(id, func(d *casebook.Dispute) (casebook.Op, error) {
		return b.author.SetParty(d, partyID, changes)
	})
	if err != nil {
		return casebook.Party{}, err
	}
	p, _ := d.Party(partyID)
	return p, nil
}

// AddPlan puts a plan version (方案) on the table and returns it with its
// id and number.
func (b *Book) AddPlan(id string, p casebook.PlanVersion) (casebook.PlanVersion, error) {
	d, op, err := b.changeDispute(id, func(d *casebook.Dispute) (casebook.Op, error) { return b.author.AddPlan(d, p) })
	if err != nil {
		return casebook.PlanVersion{}, err
	}
	if got, ok := d.Plan(op.ID); ok {
		return got, nil
	}
	return casebook.PlanVersion{}, refused(d, op.ID, "plan version")
}

// AddMeeting records a meeting that took place and returns it with its id.
func (b *Book) AddMeeting(id string, m casebook.Meeting) (casebook.Meeting, error) {
	d, op, err := b.changeDispute(id, func(d *casebook.Dispute) (casebook.Op, error) { return b.author.AddMeeting(d, m) })
	if err != nil {
		return casebook.Meeting{}, err
	}
	if got, ok := d.Meeting(op.ID); ok {
		return got, nil
	}
	return casebook.Meeting{}, refused(d, op.ID, "meeting")
}

// AppendMinutes adds to a meeting's minutes and returns the meeting with
// every addition.
func (b *Book) AppendMinutes(id, meetingID, text string) (casebook.Meeting, error) {
	d, _, err := b.changeDispute(id, func(d *casebook.Dispute) (casebook.Op, error) {
		return b.author.AppendMinutes(d, meetingID, text)
	})
	if err != nil {
		return casebook.Meeting{}, err
	}
	m, _ := d.Meeting(meetingID)
	return m, nil
}

// RecordVote records the count of a vote (表决) on a plan version at a
// meeting and returns it with its id.
func (b *Book) RecordVote(id string, v casebook.Vote) (casebook.Vote, error) {
	d, op, err := b.changeDispute(id, func(d *casebook.Dispute) (casebook.Op, error) { return b.author.RecordVote(d, v) })
	if err != nil {
		return casebook.Vote{}, err
	}
	for _, got := range d.Votes() {
		if got.ID == op.ID {
			return got, nil
		}
	}
	return casebook.Vote{}, refused(d, op.ID, "vote")
}

// Agree records the agreement (协议) on a plan version and who signed off;
// at is when (zero: now).
func (b *Book) Agree(id, planID string, signedOff []string, at time.Time) (*casebook.Dispute, error) {
	d, _, err := b.changeDispute(id, func(d *casebook.Dispute) (casebook.Op, error) {
		return b.author.Agree(d, planID, signedOff, at)
	})
	return d, err
}

// AddTask adds an implementation task (落实任务) and returns it with its id.
func (b *Book) AddTask(id string, t casebook.Task) (casebook.Task, error) {
	d, op, err := b.changeDispute(id, func(d *casebook.Dispute) (casebook.Op, error) { return b.author.AddTask(d, t) })
	if err != nil {
		return casebook.Task{}, err
	}
	if got, ok := d.Task(op.ID); ok {
		return got, nil
	}
	return casebook.Task{}, refused(d, op.ID, "task")
}

// SetTaskDone marks a task done at a time (zero: now), or takes the mark
// back, and returns the task.
func (b *Book) SetTaskDone(id, taskID string, done bool, at time.Time) (casebook.Task, error) {
	d, _, err := b.changeDispute(id, func(d *casebook.Dispute) (casebook.Op, error) {
		return b.author.SetTaskDone(d, taskID, done, at)
	})
	if err != nil {
		return casebook.Task{}, err
	}
	t, _ := d.Task(taskID)
	return t, nil
}

// Implement records that implementation has begun (开始实施).
func (b *Book) Implement(id string, at time.Time, note string) (*casebook.Dispute, error) {
	d, _, err := b.changeDispute(id, func(d *casebook.Dispute) (casebook.Op, error) { return b.author.Implement(d, at, note) })
	return d, err
}

// Stall records that the talks are stuck (搁置), and why.
func (b *Book) Stall(id string, at time.Time, reason string) (*casebook.Dispute, error) {
	d, _, err := b.changeDispute(id, func(d *casebook.Dispute) (casebook.Op, error) { return b.author.Stall(d, at, reason) })
	return d, err
}

// Resume records that the talks resume (恢复协商).
func (b *Book) Resume(id string, at time.Time, note string) (*casebook.Dispute, error) {
	d, _, err := b.changeDispute(id, func(d *casebook.Dispute) (casebook.Op, error) { return b.author.Resume(d, at, note) })
	return d, err
}

// Reopen takes a resolved dispute up again (重新打开), with the reason.
func (b *Book) Reopen(id string, at time.Time, reason string) (*casebook.Dispute, error) {
	d, _, err := b.changeDispute(id, func(d *casebook.Dispute) (casebook.Op, error) { return b.author.Reopen(d, at, reason) })
	return d, err
}

// Resolve records that the dispute is resolved (化解); it needs an
// agreement and every task done.
func (b *Book) Resolve(id string, at time.Time, note string) (*casebook.Dispute, error) {
	d, _, err := b.changeDispute(id, func(d *casebook.Dispute) (casebook.Op, error) { return b.author.Resolve(d, at, note) })
	return d, err
}

// CloseReport says what CloseLinkedCases did with each linked appeal.
type CloseReport struct {
	Closed  []string `json:"closed"`  // case ids closed out now
	Already []string `json:"already"` // case ids that were closed out before
	Failed  []error  `json:"-"`       // one per appeal that could not be closed, naming it and why
}

// CloseLinkedCases closes out (销号) the appeals linked to a resolved
// dispute, each with the loop steps it still lacks at time at (zero: now),
// noted with the dispute's title and with Ref = the dispute id.
//
// The appeals that can be closed honestly are closed together in one
// transaction: every one of them, or (if writing fails) none. Those that
// cannot be (found unresolvable, a callback saying not solved, not yet
// arrived by sync) are left as they are and reported in Failed, for the
// secretary to settle one by one; they do not hold back the others, which
// the dispute's resolution did settle. The error is for the dispute not
// found or not resolved, and for a failed write.
func (b *Book) CloseLinkedCases(id string, at time.Time) (CloseReport, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var rep CloseReport
	d, err := b.findDispute(id)
	if err != nil {
		return rep, fmt.Errorf("close linked cases: %w", err)
	}
	if d.Status != casebook.DisputeResolved {
		return rep, fmt.Errorf("close linked cases of dispute %s: %w: the dispute is %s, not resolved", d.Title(), casebook.ErrTransition, d.Status)
	}
	var cases []*casebook.Case
	for _, cid := range d.Cases {
		c, err := b.s.Case(cid)
		switch {
		case err == nil:
			cases = append(cases, c)
			if c.Status == casebook.StatusClosed {
				rep.Already = append(rep.Already, c.ID)
			}
		case !errors.Is(err, casebook.ErrNotFound):
			return rep, fmt.Errorf("close linked cases of dispute %s: %w", d.Title(), err)
		}
		// A missing case is reported by the author.
	}
	ops, errs := b.author.CloseLinkedCases(d, cases, at)
	rep.Failed = errs
	if len(ops) > 0 {
		if _, err := b.s.Apply(ops...); err != nil {
			return CloseReport{}, fmt.Errorf("close linked cases of dispute %s: %w", d.Title(), err)
		}
	}
	seen := map[string]bool{}
	for _, op := range ops {
		if !seen[op.Entity] {
			seen[op.Entity] = true
			rep.Closed = append(rep.Closed, op.Entity)
		}
	}
	return rep, nil
}

// ListDisputes returns the list entry of every dispute as of now, newest
// registered first.
func (b *Book) ListDisputes(now time.Time) ([]casebook.DisputeSummary, error) {
	all, err := b.s.Disputes()
	if err != nil {
		return nil, err
	}
	idx := b.s.Index()
	out := make([]casebook.DisputeSummary, 0, len(all))
	for _, d := range all {
		out = append(out, d.Summarize(d.FirstAppeal(linkedSummaries(idx, d)), now))
	}
	sortNewest(out, all)
	return out, nil
}

// sortNewest orders summaries newest registered first, then by id.
func sortNewest(out []casebook.DisputeSummary, all []*casebook.Dispute) {
	created := make(map[string]time.Time, len(all))
	for _, d := range all {
		created[d.ID] = d.CreatedAt
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := created[out[i].ID], created[out[j].ID]
		if !a.Equal(b) {
			return a.After(b)
		}
		return out[i].ID > out[j].ID
	})
}

// linkedSummaries are the summaries of a dispute's linked appeals that the
// casebook has.
func linkedSummaries(idx *Index, d *casebook.Dispute) []*casebook.Summary {
	var out []*casebook.Summary
	for _, id := range d.Cases {
		if s, ok := idx.Get(id); ok {
			out = append(out, s)
		}
	}
	return out
}

// DisputeStats computes one dispute's figures (casebook.DisputeMetrics):
// days from the first appeal to the agreement, plan versions before it,
// and repeat appeals before and after it.
func (b *Book) DisputeStats(id string) (casebook.DisputeStats, error) {
	d, err := b.findDispute(id)
	if err != nil {
		return casebook.DisputeStats{}, err
	}
	return casebook.DisputeMetrics(d, linkedSummaries(b.s.Index(), d), b.s.Index().Snapshot()), nil
}

// DisputeFigures is one dispute's line of the dispute figures: its list
// entry and the figures of its outcome (see casebook.DisputeMetrics).
type DisputeFigures struct {
	casebook.DisputeSummary
	DaysToAgreement *int `json:"days_to_agreement"` // null without an agreement or a linked appeal on record
	PlanVersions    int  `json:"plan_versions_before_agreement"`
	RepeatBefore    int  `json:"repeat_before"`
	RepeatAfter     int  `json:"repeat_after"`
}

// DisputeMetrics are the dispute figures of the casebook (矛盾纠纷指标).
type DisputeMetrics struct {
	Disputes int                            `json:"disputes"`
	Open     int                            `json:"open"` // not resolved
	ByStatus map[casebook.DisputeStatus]int `json:"by_status"`
	// Agreed counts the disputes with an agreement in force;
	// AvgDaysToAgreement is the mean of their days to agreement (null if none).
	Agreed             int      `json:"agreed"`
	AvgDaysToAgreement *float64 `json:"avg_days_to_agreement"`
	// Repeat appeals summed over the disputes.
	RepeatBefore int              `json:"repeat_before"`
	RepeatAfter  int              `json:"repeat_after"`
	Items        []DisputeFigures `json:"items"` // newest registered first
}

// DisputeMetrics computes the dispute figures as of now: how many disputes
// are open, and for each the time from the first appeal to the agreement,
// the plan versions before it, and the repeat appeals before and after it.
func (b *Book) DisputeMetrics(now time.Time) (DisputeMetrics, error) {
	m := DisputeMetrics{ByStatus: map[casebook.DisputeStatus]int{}, Items: []DisputeFigures{}}
	all, err := b.s.Disputes()
	if err != nil {
		return m, err
	}
	idx := b.s.Index()
	sums := idx.Snapshot()
	byID := map[string]DisputeFigures{}
	var summaries []casebook.DisputeSummary
	days, agreedWithDays := 0, 0
	for _, d := range all {
		linked := linkedSummaries(idx, d)
		st := casebook.DisputeMetrics(d, linked, sums)
		f := DisputeFigures{DisputeSummary: d.Summarize(st.FirstAppeal, now), DaysToAgreement: st.DaysToAgreement,
			PlanVersions: st.PlanVersions, RepeatBefore: st.RepeatBefore, RepeatAfter: st.RepeatAfter}
		byID[d.ID] = f
		summaries = append(summaries, f.DisputeSummary)
		m.Disputes++
		m.ByStatus[d.Status]++
		if d.Status.Open() {
			m.Open++
		}
		if d.Agreement != nil {
			m.Agreed++
			if st.DaysToAgreement != nil {
				days += *st.DaysToAgreement
				agreedWithDays++
			}
		}
		m.RepeatBefore += st.RepeatBefore
		m.RepeatAfter += st.RepeatAfter
	}
	if agreedWithDays > 0 {
		avg := float64(days) / float64(agreedWithDays)
		m.AvgDaysToAgreement = &avg
	}
	sortNewest(summaries, all)
	for _, s := range summaries {
		m.Items = append(m.Items, byID[s.ID])
	}
	return m, nil
}
