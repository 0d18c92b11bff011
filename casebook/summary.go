package casebook

import (
	"slices"
	"strings"
	"time"
)

// Summary is the part of a case that lists, filters, deadlines and metrics
// need, small enough to hold 100,000 of them in memory. It leaves out the
// timeline, details and the complainant's personal data.
type Summary struct {
	ID           string       `json:"id"`
	Number       string       `json:"number"`
	WorkOrder    string       `json:"workorder,omitempty"`
	Received     time.Time    `json:"received"`
	Channel      Channel      `json:"channel"`
	Type         AppealType   `json:"type"`
	Category     string       `json:"category"`
	Building     string       `json:"building,omitempty"`
	Summary      string       `json:"summary"`
	Handler      string       `json:"handler,omitempty"`
	Urgency      Urgency      `json:"urgency"`
	Status       Status       `json:"status"`
	DispatchedTo string       `json:"dispatched_to,omitempty"`
	RespondedAt  time.Time    `json:"responded_at,omitzero"`
	HandledAt    time.Time    `json:"handled_at,omitzero"`
	ResolvedAt   time.Time    `json:"resolved_at,omitzero"`
	FeedbackAt   time.Time    `json:"feedback_at,omitzero"`
	EvaluatedAt  time.Time    `json:"evaluated_at,omitzero"`
	ClosedAt     time.Time    `json:"closed_at,omitzero"`
	Solved       Solved       `json:"solved,omitempty"`
	Satisfaction Satisfaction `json:"satisfaction,omitempty"`
	Escalation   Level        `json:"escalation,omitempty"`
	Unresolvable bool         `json:"unresolvable,omitempty"`
	Linked       []string     `json:"linked,omitempty"`    // ids of cases linked as duplicate or recurring
	Conflicts    int          `json:"conflicts,omitempty"` // concurrent edits to review

	// The 12345 rules (rules.go), as the case derived them.
	Pending    Requests      `json:"pending,omitempty"`     // requests awaiting a decision
	Contested  bool          `json:"contested,omitempty"`   // a contest was accepted
	MergedInto string        `json:"merged_into,omitempty"` // merged into this main appeal
	Merged     int           `json:"merged,omitempty"`      // appeals merged into this one
	Callback   Callback      `json:"callback,omitempty"`    // the callback brought no verdict
	ExtendedTo time.Time     `json:"extended_to,omitzero"`  // the approved extension's deadline
	Away       time.Duration `json:"away,omitempty"`        // time spent on refused returns
	Whistle    []DeptCall    `json:"whistle,omitempty"`     // departments summoned
	// Place is the place of the report meeting (报告会) the appeal was
	// raised at (FieldMeeting), so that the items of one meeting (its day
	// and place) make its list (清单).
	Place string `json:"place,omitempty"`

	// Deadlines under the policy in force; recomputed by SetDeadlines when
	// the policy changes. HandleDue is the deadline in force: an approved
	// extension's if later than the policy's (PolicyHandleDue).
	RespondDue time.Time `json:"respond_due"`
	HandleDue  time.Time `json:"handle_due"`

	search string // lowercased text that Filter.Text searches
}

// Summarize derives the summary of a case under a deadline policy.
func (c *Case) Summarize(p *DeadlinePolicy) Summary {
	s := Summary{
		ID: c.ID, Number: c.Number(), WorkOrder: c.WorkOrder(), Received: c.Received(),
		Channel: c.Channel(), Type: c.Type(), Category: c.Category(), Building: c.Building(),
		Summary: c.Summary(), Handler: c.Handler(), Urgency: c.Urgency(), Status: c.Status,
		DispatchedTo: c.DispatchedTo, RespondedAt: c.RespondedAt, HandledAt: c.HandledAt,
		ResolvedAt: c.ResolvedAt, FeedbackAt: c.FeedbackAt, EvaluatedAt: c.EvaluatedAt, ClosedAt: c.ClosedAt,
		Solved: c.Solved, Satisfaction: c.Satisfaction, Escalation: c.Escalation, Unresolvable: c.Unresolvable,
		Conflicts: len(c.Conflicts()),
		Pending:   c.Pending, Contested: c.Contested, MergedInto: c.MergedInto, Merged: len(c.Merged),
		Callback: c.Callback, ExtendedTo: c.ExtendedTo, Away: c.Away,
	}
	if len(c.Whistle) > 0 {
		s.Whistle = slices.Clone(c.Whistle)
	}
	s.Place = c.Field(FieldMeeting)
	if s.Urgency == "" {
		s.Urgency = UrgencyGeneral
	}
	for _, l := range c.Links {
		if l.Kind == LinkDuplicate || l.Kind == LinkRecurring {
			s.Linked = append(s.Linked, l.Target)
		}
	}
	s.SetDeadlines(p)
	return s
}

// SetDeadlines recomputes the deadlines under policy p, and the search text.
// Under a policy that pauses the clock while a work order is away on a
// return (PauseWhileReturned), both deadlines move by the time a refused
// return took; an approved extension moves the handling deadline to its day.
func (s *Summary) SetDeadlines(p *DeadlinePolicy) {
	s.RespondDue = p.Due(s.Received, p.Respond).Add(s.shift(p))
	s.HandleDue = s.PolicyHandleDue(p)
	if s.ExtendedTo.After(s.HandleDue) {
		s.HandleDue = s.ExtendedTo
	}
	s.search = searchText(s)
}

// PolicyHandleDue is the handling deadline under policy p without any
// extension: what the raw basis measures handling against.
func (s *Summary) PolicyHandleDue(p *DeadlinePolicy) time.Time {
	return p.Due(s.Received, p.HandleLimit(s.Urgency)).Add(s.shift(p))
}

func (s *Summary) shift(p *DeadlinePolicy) time.Duration {
	if p.PauseWhileReturned {
		return s.Away
	}
	return 0
}

func searchText(s *Summary) string {
	return strings.ToLower(normalizeWidth(strings.Join([]string{s.Number, s.WorkOrder, s.Summary, s.Category,
		s.Building, s.Handler, s.DispatchedTo}, "\x00")))
}

// DeadlineKind says which deadline is next for a case.
type DeadlineKind string

// Deadline kinds.
const (
	DeadlineNone    DeadlineKind = ""
	DeadlineRespond DeadlineKind = "respond" // sign for it (签收)
	DeadlineHandle  DeadlineKind = "handle"  // solve it, or (complex) give the plan and progress
)

// Next returns the next deadline of an open case: responding first, then
// handling. A closed or handled case has none.
func (s *Summary) Next() (DeadlineKind, time.Time) {
	if !s.Status.Open() {
		return DeadlineNone, time.Time{}
	}
	if s.RespondedAt.IsZero() {
		return DeadlineRespond, s.RespondDue
	}
	if s.HandledAt.IsZero() {
		return DeadlineHandle, s.HandleDue
	}
	return DeadlineNone, time.Time{}
}

// DueState is how an open case stands against its next deadline.
type DueState int

// Due states, in increasing urgency.
const (
	DueNone    DueState = iota // no deadline pending
	DueLater                   // due after the due-soon window
	DueSoon                    // due within the window
	DueOverdue                 // past its deadline
)

// Due tells how the case stands at now, with soon as the due-soon window.
func (s *Summary) Due(now time.Time, soon time.Duration) DueState {
	k, t := s.Next()
	switch {
	case k == DeadlineNone:
		return DueNone
	case now.After(t):
		return DueOverdue
	case t.Sub(now) <= soon:
		return DueSoon
	}
	return DueLater
}

// Overdue reports whether the next deadline has passed.
func (s *Summary) Overdue(now time.Time) bool { return s.Due(now, 0) == DueOverdue }

// Filter selects cases for the ledger, the CLI and exports. Empty fields
// match everything; within a list any value matches; across fields all must.
type Filter struct {
	Statuses   []Status
	Open       bool // only cases not closed out
	Categories []string
	Channels   []Channel
	Buildings  []string
	Overdue    bool
	From, To   time.Time // received in [From, To); zero is unbounded
	// Text is split on spaces; every word must appear in the number,
	// work-order number, summary, category, building, handler or dispatch target.
	Text string
}

// Matcher is a Filter prepared for matching many summaries.
type Matcher struct {
	f     Filter
	words []string
	now   time.Time
}

// Prepare returns a matcher for the filter as of now (for Overdue).
func (f Filter) Prepare(now time.Time) *Matcher {
	return &Matcher{f: f, words: strings.Fields(strings.ToLower(normalizeWidth(f.Text))), now: now}
}

// Match reports whether s passes the filter.
func (m *Matcher) Match(s *Summary) bool {
	f := &m.f
	if len(f.Statuses) > 0 && !contains(f.Statuses, s.Status) {
		return false
	}
	if f.Open && !s.Status.Open() {
		return false
	}
	if len(f.Categories) > 0 && !contains(f.Categories, s.Category) {
		return false
	}
	if len(f.Channels) > 0 && !contains(f.Channels, s.Channel) {
		return false
	}
	if len(f.Buildings) > 0 && !contains(f.Buildings, s.Building) {
		return false
	}
	if !f.From.IsZero() && s.Received.Before(f.From) {
		return false
	}
	if !f.To.IsZero() && !s.Received.Before(f.To) {
		return false
	}
	if f.Overdue && !s.Overdue(m.now) {
		return false
	}
	if len(m.words) > 0 {
		text := s.search
		if text == "" { // a summary decoded from JSON before SetDeadlines ran
			text = searchText(s)
		}
		for _, w := range m.words {
			if !strings.Contains(text, w) {
				return false
			}
		}
	}
	return true
}
