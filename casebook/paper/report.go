package paper

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"
)

// Source is what the report reads: *store.Book (a casebook open in the app)
// and *store.Reader (a casebook file read a block at a time) satisfy it.
type Source interface {
	Settings() casebook.Settings
	// Appeals calls fn with every appeal received before to (zero: all),
	// oldest first; s is only valid during the call.
	Appeals(to time.Time, fields []string, fn func(s *casebook.Summary, values []string) error) error
}

// disputeSource is the optional part of a Source with the disputes.
type disputeSource interface {
	Disputes() ([]*casebook.Dispute, error)
}

func disputesOf(src Source) ([]*casebook.Dispute, error) {
	switch s := src.(type) {
	case disputeSource:
		return s.Disputes()
	case *store.Book:
		return s.Store().Disputes()
	}
	return nil, nil
}

// Section is a part of the report that another package supplies: a title,
// paragraphs, and an optional table. It is where the 12345 rules will put
// the assessment basis (考核口径, ReportOptions.Assessment) and the opinion
// lists of report meetings (报告会意见清单, ReportOptions.Lists).
type Section struct {
	Title      string
	Paragraphs []string
	Columns    []Col
	Rows       [][]string
}

// ReportOptions say which report to write.
type ReportOptions struct {
	Options
	// From, To bound the period: appeals received in [From, To); zero is
	// unbounded (the whole casebook).
	From, To time.Time
	// Meeting writes the version for a 报告会 with residents: large type,
	// plain words, no personal data.
	Meeting bool
	// Assessment, when set, follows the three rates: the assessment basis
	// (考核口径) under the 12345 rules.
	Assessment *Section
	// Lists follow the items collected at earlier report meetings: the
	// opinion lists (清单) kept and crossed off.
	Lists []Section
}

// reportData is what one pass over the appeals gathers for the report,
// besides the figures of casebook.MetricsTally.
type reportData struct {
	set      casebook.Settings
	opts     ReportOptions
	now      time.Time
	m        casebook.Metrics
	disputes []*casebook.Dispute

	// combos counts the appeals of each (building, category) by month
	// (index into months); months are those of the period with appeals.
	combos   map[comboKey][]int
	monthIdx map[int]int
	months   []int // year*12 + month-1, ascending

	escalated []*casebook.Summary // escalated appeals of the period (copies), up to maxListed
	nEscal    map[casebook.Level]int
	openBy    map[casebook.Status]int
	openTo    map[string]int      // open appeals by dispatch target
	overdue   []*casebook.Summary // up to maxListed, longest overdue first
	nOverdue  int
	meetings  map[casebook.Date][]*casebook.Summary // appeals raised at 报告会, by day
}

type comboKey struct{ building, category string }

// maxListed bounds the lists of appeals in the report (escalations,
// overdue): a report is read, and the ledger has them all.
const maxListed = 30

// gather reads the appeals once: every appeal feeds the tally (the earlier
// ones too: they decide which appeals of the period are repeats), and the
// appeals of the period feed the report's own counts and lists.
func gather(src Source, opts ReportOptions, now time.Time) (*reportData, error) {
	r := &reportData{set: src.Settings(), opts: opts, now: now,
		combos: map[comboKey][]int{}, monthIdx: map[int]int{},
		nEscal: map[casebook.Level]int{}, openBy: map[casebook.Status]int{}, openTo: map[string]int{},
		meetings: map[casebook.Date][]*casebook.Summary{}}
	tally := casebook.NewMetricsTally(&r.set, casebook.MetricsQuery{From: opts.From, To: opts.To, Now: now})
	type monthCount struct {
		key   comboKey
		month int
	}
	var counts []monthCount
	names := map[string]string{} // one copy of each building and category name
	intern := func(s string) string {
		if v, ok := names[s]; ok {
			return v
		}
		names[s] = s
		return s
	}
	err := src.Appeals(opts.To, nil, func(s *casebook.Summary, _ []string) error {
		if err := tally.Add(s); err != nil {
			return err
		}
		if !opts.From.IsZero() && s.Received.Before(opts.From) {
			return nil
		}
		d := casebook.DateOf(s.Received)
		counts = append(counts, monthCount{comboKey{intern(s.Building), intern(s.Category)}, d.Year*12 + int(d.Month) - 1})
		r.note(s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.m = tally.Metrics()
	for _, c := range counts {
		if _, ok := r.monthIdx[c.month]; !ok {
			r.monthIdx[c.month] = 0
			r.months = append(r.months, c.month)
		}
	}
	slices.Sort(r.months)
	for i, m := range r.months {
		r.monthIdx[m] = i
	}
	for _, c := range counts {
		row := r.combos[c.key]
		if row == nil {
			row = make([]int, len(r.months))
			r.combos[c.key] = row
		}
		row[r.monthIdx[c.month]]++
	}
	slices.SortFunc(r.overdue, func(a, b *casebook.Summary) int {
		_, da := a.Next()
		_, db := b.Next()
		return da.Compare(db)
	})
	if len(r.overdue) > maxListed {
		r.overdue = r.overdue[:maxListed]
	}
	if r.disputes, err = disputesOf(src); err != nil {
		return nil, fmt.Errorf("disputes: %w", err)
	}
	return r, nil
}

// note keeps what the report lists of one appeal of the period.
func (r *reportData) note(s *casebook.Summary) {
	keep := func() *casebook.Summary { c := *s; c.Linked = nil; return &c }
	if s.Escalation != "" && s.Escalation != casebook.LevelCommunity {
		r.nEscal[s.Escalation]++
		if len(r.escalated) < maxListed {
			r.escalated = append(r.escalated, keep())
		}
	}
	if s.Channel == casebook.ChannelReport {
		day := casebook.DateOf(s.Received)
		r.meetings[day] = append(r.meetings[day], keep())
	}
	if !s.Status.Open() {
		return
	}
	r.openBy[s.Status]++
	if s.DispatchedTo != "" {
		r.openTo[s.DispatchedTo]++
	}
	if s.Overdue(r.now) {
		r.nOverdue++
		// Keep the longest overdue: a bounded list, trimmed as it grows.
		r.overdue = append(r.overdue, keep())
		if len(r.overdue) >= 4*maxListed {
			slices.SortFunc(r.overdue, func(a, b *casebook.Summary) int {
				_, da := a.Next()
				_, db := b.Next()
				return da.Compare(db)
			})
			r.overdue = r.overdue[:maxListed]
		}
	}
}

// trend is a (building, category) with its appeals by month.
type trend struct {
	key           comboKey
	counts        []int // by month of the period
	early, recent int   // the two halves compared
}

// falling are the (building, category) pairs whose appeals fell the most
// from the first half of the period's months to the second: the repeat
// appeals that stopped. At least 3 appeals in the first half.
func (r *reportData) falling(n int) []trend {
	half := len(r.months) / 2
	if half == 0 {
		return nil
	}
	var out []trend
	for k, row := range r.combos {
		if k.building == "" {
			continue // the repeat rule needs a building
		}
		t := trend{key: k, counts: row, early: sum(row[:half]), recent: sum(row[len(row)-half:])}
		if t.early >= 3 && t.recent < t.early {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b trend) int {
		if c := cmp.Compare(b.early-b.recent, a.early-a.recent); c != 0 {
			return c
		}
		return compareKey(a.key, b.key)
	})
	return out[:min(n, len(out))]
}

// hotspotMonths is how many recent months the hotspots compare with the
// months before them.
const hotspotMonths = 3

// rising are the (building, category) pairs whose appeals rose in the last
// three months with appeals against the three before: where the community
// can act before anyone complains (未诉先办). At least 3 recent appeals.
func (r *reportData) rising(n int) []trend {
	if len(r.months) < hotspotMonths+1 {
		return nil
	}
	var out []trend
	for k, row := range r.combos {
		if k.building == "" {
			continue // a building-wide hotspot needs a building
		}
		end := len(row)
		start := max(0, end-2*hotspotMonths)
		t := trend{key: k, counts: row[max(0, end-6):], early: sum(row[start : end-hotspotMonths]), recent: sum(row[end-hotspotMonths:])}
		if t.recent >= 3 && t.recent > t.early {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b trend) int {
		if c := cmp.Compare(b.recent-b.early, a.recent-a.early); c != 0 {
			return c
		}
		return compareKey(a.key, b.key)
	})
	return out[:min(n, len(out))]
}

func compareKey(a, b comboKey) int {
	if c := cmp.Compare(a.building, b.building); c != 0 {
		return c
	}
	return cmp.Compare(a.category, b.category)
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// monthLabel is "2026-03" of a year*12+month-1 key.
func monthLabel(k int) string { return fmt.Sprintf("%d-%02d", k/12, k%12+1) }

// resolvedIn are the disputes resolved in the period, oldest first.
func (r *reportData) resolvedIn() []*casebook.Dispute {
	var out []*casebook.Dispute
	for _, d := range r.disputes {
		if d.Status != casebook.DisputeResolved || d.ResolvedAt.IsZero() {
			continue
		}
		if (!r.opts.From.IsZero() && d.ResolvedAt.Before(r.opts.From)) || (!r.opts.To.IsZero() && !d.ResolvedAt.Before(r.opts.To)) {
			continue
		}
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b *casebook.Dispute) int { return a.ResolvedAt.Compare(b.ResolvedAt) })
	return out
}

// periodText describes the period: "2025-12-01 至 2026-10-31" or "全部".
func periodText(from, to time.Time) string {
	if from.IsZero() && to.IsZero() {
		return "全部"
	}
	f, t := "最早", "今"
	if !from.IsZero() {
		f = casebook.DateOf(from).String()
	}
	if !to.IsZero() {
		t = casebook.DateOf(to.Add(-time.Nanosecond)).String()
	}
	return f + " 至 " + t
}
