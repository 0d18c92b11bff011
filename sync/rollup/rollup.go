// Package rollup computes and writes the organization department's
// workbook: one row per community and its governance secretary with the
// term's three rates and composite score against the baseline, and a sheet
// per community with its rates by month. Every figure comes from
// casebook.ComputeMetrics, the one definition of the rates.
package rollup

import (
	"cmp"
	"slices"
	"time"

	"casebook/casebook"
)

// Input is one community's data: its settings and case summaries.
type Input struct {
	Name      string
	Settings  casebook.Settings
	Summaries []*casebook.Summary
}

// Options says which period to measure.
type Options struct {
	// From, To bound the appeals by received time, [From, To). When both are
	// zero each community is measured over its own term: from the term's
	// start to the end of its last day (or to Now if no end is set).
	From, To time.Time
	Now      time.Time // "as of" (time.Now when zero)
}

// Row is one community's line of the roll-up.
type Row struct {
	Rank       int    `json:"rank"`
	Community  string `json:"community"`
	Street     string `json:"street,omitempty"`
	District   string `json:"district,omitempty"`
	Secretary  string `json:"secretary,omitempty"`
	Households int    `json:"households,omitempty"`
	TermStart  casebook.Date
	TermEnd    casebook.Date
	From, To   time.Time // the period measured
	// Term figures: appeals received in the period on or after the term
	// start (the whole period if no term is set).
	Cases        int      `json:"cases"`
	Response     *float64 `json:"response_rate"`
	Resolution   *float64 `json:"resolution_rate"`
	Satisfaction *float64 `json:"satisfaction_rate"`
	Composite    *float64 `json:"composite_score"`
	OnTime       *float64 `json:"on_time_rate"`
	Open         int      `json:"open"`
	Overdue      int      `json:"overdue"`
	Baseline     casebook.Rates
	// BaselineComposite is the composite score of the baseline rates under
	// the community's weights; ChangeComposite = Composite − it.
	BaselineComposite *float64 `json:"baseline_composite"`
	Change            casebook.Rates
	ChangeComposite   *float64 `json:"change_composite"`
	// Months: the rates per month received over the period.
	Months []casebook.MetricsRow `json:"months"`

	// The same term figures on the assessment basis (考核口径) under the
	// community's rule set, which is how its baseline was counted; the
	// ranking follows them.
	Assessment                casebook.BasisFigures `json:"assessment"`
	AssessmentChange          casebook.Rates        `json:"assessment_change"`
	AssessmentChangeComposite *float64              `json:"assessment_change_composite"`
	Rules                     casebook.Rules        `json:"rules"`
	RuleCounts                casebook.RuleCounts   `json:"rule_counts"`
}

// Compute measures one community.
func Compute(in Input, o Options) Row {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	set := in.Settings
	r := Row{Community: in.Name, Street: set.Community.Street, District: set.Community.District,
		Households: set.Community.Households, Secretary: set.Term.Secretary,
		TermStart: set.Term.Start, TermEnd: set.Term.End, Baseline: set.Term.Baseline, From: o.From, To: o.To}
	if o.From.IsZero() && o.To.IsZero() && set.Term.Start != (casebook.Date{}) {
		r.From = set.Term.Start.Time()
		if set.Term.End != (casebook.Date{}) {
			r.To = set.Term.End.AddDays(1).Time()
		}
	}
	m := casebook.ComputeMetrics(in.Summaries, &set, casebook.MetricsQuery{From: r.From, To: r.To, Now: o.Now})
	r.Months, r.Rules, r.RuleCounts = m.ByMonth, set.Rules, m.RuleCounts
	if m.Term != nil {
		d := m.Term.During
		r.Cases, r.Response, r.Resolution, r.Satisfaction, r.Composite = d.Cases, d.ResponseRate, d.ResolutionRate, d.SatisfactionRate, d.CompositeScore
		r.OnTime, r.Open, r.Overdue = d.OnTimeRate, d.Open, d.Overdue
		r.Change, r.Assessment, r.AssessmentChange = m.Term.Change, d.Assessment, m.Term.AssessmentChange
	} else {
		r.Cases, r.Response, r.Resolution, r.Satisfaction, r.Composite = m.Cases, m.ResponseRate, m.ResolutionRate, m.SatisfactionRate, m.CompositeScore
		r.OnTime, r.Open, r.Overdue = m.OnTimeRate, m.Open, m.Overdue
		r.Assessment = m.Assessment
		b := set.Term.Baseline
		r.AssessmentChange = casebook.Rates{Response: minus(m.Assessment.ResponseRate, b.Response),
			Resolution: minus(m.Assessment.ResolutionRate, b.Resolution), Satisfaction: minus(m.Assessment.SatisfactionRate, b.Satisfaction)}
	}
	b := set.Term.Baseline
	if b.Response != nil && b.Resolution != nil && b.Satisfaction != nil {
		w := set.Weights
		v := w.Response**b.Response + w.Resolution**b.Resolution + w.Satisfaction**b.Satisfaction
		r.BaselineComposite = &v
	}
	r.ChangeComposite = minus(r.Composite, r.BaselineComposite)
	r.AssessmentChangeComposite = minus(r.Assessment.CompositeScore, r.BaselineComposite)
	return r
}

// minus is a − b, or nil if either is missing.
func minus(a, b *float64) *float64 {
	if a == nil || b == nil {
		return nil
	}
	v := *a - *b
	return &v
}

// Rollup is the whole roll-up, best first.
type Rollup struct {
	Options Options
	Rows    []Row
}

// Build measures every community that each yields, then ranks them. Each
// community's summaries may be dropped once each has returned; only the
// rows are kept.
func Build(each func(yield func(Input) error) error, o Options) (*Rollup, error) {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	ru := &Rollup{Options: o}
	err := each(func(in Input) error {
		ru.Rows = append(ru.Rows, Compute(in, o))
		return nil
	})
	if err != nil {
		return nil, err
	}
	Rank(ru.Rows)
	return ru, nil
}

// Rank sorts rows best first, by composite score on the assessment basis
// (communities without one last), then the raw composite, resolution and
// satisfaction rate (assessment, then raw), then name; and numbers them.
func Rank(rows []Row) {
	f := func(p *float64) (bool, float64) {
		if p == nil {
			return false, 0
		}
		return true, *p
	}
	byRate := func(a, b *float64) int {
		ha, va := f(a)
		hb, vb := f(b)
		if ha != hb {
			if ha {
				return -1
			}
			return 1
		}
		return cmp.Compare(vb, va)
	}
	slices.SortStableFunc(rows, func(a, b Row) int {
		for _, p := range [][2]*float64{{a.Assessment.CompositeScore, b.Assessment.CompositeScore}, {a.Composite, b.Composite},
			{a.Assessment.ResolutionRate, b.Assessment.ResolutionRate}, {a.Resolution, b.Resolution},
			{a.Assessment.SatisfactionRate, b.Assessment.SatisfactionRate}, {a.Satisfaction, b.Satisfaction}} {
			if c := byRate(p[0], p[1]); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.Community, b.Community)
	})
	for i := range rows {
		rows[i].Rank = i + 1
	}
}
