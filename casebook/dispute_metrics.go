package casebook

// Dispute figures (矛盾纠纷指标)
//
// A dispute holds no appeal data of its own, only the ids of its linked
// appeals, so the figures that need appeals take their summaries from the
// caller (the store, which has them):
//
//   - First appeal (首次诉求) = the earliest time received among the linked
//     appeals given. If none is given, a dispute's age counts from when it
//     was registered.
//   - Age (纠纷时长) = Shanghai calendar days from the day of the first
//     appeal to today, or to the day resolved once it is resolved (a
//     resolved dispute stops ageing).
//   - Open tasks (未完成任务) = tasks on record not done; overdue tasks
//     (逾期任务) = open tasks due before today (Shanghai).
//   - Days to agreement (达成协议用时) = Shanghai calendar days from the day
//     of the first appeal to the day of the agreement in force; empty (null)
//     without an agreement or a first appeal.
//   - Plan versions before agreement (协议前方案版本数) = plan versions on the
//     table that come before the agreement in force in merge order (HLC,
//     origin, id): the footpath needed three.
//   - Repeat appeals (同类重复诉求) = appeals, other than the linked ones,
//     about a building (not empty) that a linked appeal is about and in a
//     category that a linked appeal is in; "before" are those received
//     before the agreement, "after" those received at or after it. Without
//     an agreement all of them are "before". Fewer appeals after than before
//     is what a lasting solution looks like.

import "time"

// DisputeSummary is the part of a dispute that lists need.
type DisputeSummary struct {
	ID           string        `json:"id"`
	Title        string        `json:"title"`
	Place        string        `json:"place,omitempty"`
	Status       DisputeStatus `json:"status"`
	Cases        int           `json:"cases"`
	FirstAppeal  time.Time     `json:"first_appeal,omitzero"`
	AgeDays      int           `json:"age_days"`
	Plans        int           `json:"plans"`
	Meetings     int           `json:"meetings"`
	OpenTasks    int           `json:"open_tasks"`
	OverdueTasks int           `json:"overdue_tasks"`
	AgreedAt     time.Time     `json:"agreed_at,omitzero"`
	ResolvedAt   time.Time     `json:"resolved_at,omitzero"`
	Conflicts    int           `json:"conflicts,omitempty"`
}

// FirstAppeal returns the earliest time received among the given case
// summaries that are linked to the dispute (others are ignored), or zero.
func (d *Dispute) FirstAppeal(cases []*Summary) time.Time {
	var first time.Time
	for _, s := range cases {
		if s == nil || s.Received.IsZero() || !d.Linked(s.ID) {
			continue
		}
		if first.IsZero() || s.Received.Before(first) {
			first = s.Received
		}
	}
	return first
}

// Summarize derives the list entry of a dispute at now. firstAppeal is the
// earliest received time of its linked appeals (FirstAppeal), which the
// caller knows and the dispute does not.
func (d *Dispute) Summarize(firstAppeal, now time.Time) DisputeSummary {
	s := DisputeSummary{
		ID: d.ID, Title: d.Title(), Place: d.Place(), Status: d.Status, Cases: len(d.Cases),
		FirstAppeal: firstAppeal, Plans: len(d.Plans()), Meetings: len(d.Meetings()),
		ResolvedAt: d.ResolvedAt, Conflicts: len(d.Conflicts()),
	}
	if d.Agreement != nil {
		s.AgreedAt = d.Agreement.At
	}
	today := DateOf(now)
	for _, t := range d.Tasks() {
		if t.Done {
			continue
		}
		s.OpenTasks++
		if t.Due.Time().Before(today.Time()) {
			s.OverdueTasks++
		}
	}
	from := firstAppeal
	if from.IsZero() {
		from = d.CreatedAt
	}
	to := now
	if d.Status == DisputeResolved && !d.ResolvedAt.IsZero() {
		to = d.ResolvedAt
	}
	if !from.IsZero() {
		s.AgeDays = max(0, calendarDays(from, to))
	}
	return s
}

// calendarDays counts Shanghai calendar days from the day of a to the day
// of b (negative if b is earlier). Shanghai has no DST, so days are 24 h.
func calendarDays(a, b time.Time) int {
	return int(DateOf(b).Time().Sub(DateOf(a).Time()) / (24 * time.Hour))
}

// DisputeStats are the figures of one dispute's outcome.
type DisputeStats struct {
	FirstAppeal     time.Time `json:"first_appeal,omitzero"`
	AgreedAt        time.Time `json:"agreed_at,omitzero"`
	DaysToAgreement *int      `json:"days_to_agreement"` // null without an agreement or a first appeal
	// ToAgreement is the exact time from the first appeal to the agreement,
	// zero when DaysToAgreement is null.
	ToAgreement  time.Duration `json:"-"`
	PlanVersions int           `json:"plan_versions_before_agreement"`
	RepeatBefore int           `json:"repeat_before"`
	RepeatAfter  int           `json:"repeat_after"`
}

// DisputeMetrics computes a dispute's figures (see the top of this file):
// linked are the summaries of its linked appeals, all the summaries of
// every appeal in which repeats are counted.
func DisputeMetrics(d *Dispute, linked []*Summary, all []*Summary) DisputeStats {
	st := DisputeStats{FirstAppeal: d.FirstAppeal(linked)}
	if a := d.Agreement; a != nil {
		st.AgreedAt = a.At
		if !st.FirstAppeal.IsZero() {
			days := calendarDays(st.FirstAppeal, a.At)
			st.DaysToAgreement, st.ToAgreement = &days, a.At.Sub(st.FirstAppeal)
		}
		// The log is in merge order: count the plans ahead of the agreement.
		for i := range d.Log {
			e := &d.Log[i]
			if e.ID == a.ID {
				break
			}
			if e.Kind == OpDisputePlan && e.Refused == "" && e.Plan != nil {
				st.PlanVersions++
			}
		}
	}
	buildings, categories := map[string]bool{}, map[string]bool{}
	for _, s := range linked {
		if s == nil || !d.Linked(s.ID) {
			continue
		}
		if s.Building != "" {
			buildings[s.Building] = true
		}
		categories[s.Category] = true
	}
	for _, s := range all {
		if s == nil || d.Linked(s.ID) || !buildings[s.Building] || !categories[s.Category] {
			continue
		}
		if d.Agreement != nil && !s.Received.Before(d.Agreement.At) {
			st.RepeatAfter++
		} else {
			st.RepeatBefore++
		}
	}
	return st
}
