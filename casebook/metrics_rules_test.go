package casebook

import (
	"math"
	"testing"
	"time"
)

// Hand-computed fixtures of the two bases, a table per rule. Each has two
// general appeals received 2026-03-02 09:00 (respond by 03-03 24:00,
// handle by 03-09 24:00), figured on 2026-04-01: A, plain, signed for,
// handled on time, solved and satisfied; B, which the rule is about.

var rulesNow = metricsCST(2026, 4, 1, 9, 0)

// rulesPair returns A and B; mod shapes B.
func rulesPair(s *Settings, mod func(b *Summary)) []*Summary {
	rec := metricsCST(2026, 3, 2, 9, 0)
	a := &Summary{ID: "a", Received: rec, Channel: Channel12345, Category: "停车管理", Urgency: UrgencyGeneral, Status: StatusClosed,
		RespondedAt: metricsCST(2026, 3, 2, 10, 0), HandledAt: metricsCST(2026, 3, 5, 10, 0), Solved: SolvedYes, Satisfaction: Satisfied}
	b := &Summary{ID: "b", Received: rec, Channel: Channel12345, Category: "停车管理", Urgency: UrgencyGeneral, Status: StatusClosed}
	mod(b)
	for _, c := range []*Summary{a, b} {
		c.SetDeadlines(&s.Policy)
	}
	return []*Summary{a, b}
}

// basisWant is one basis as counted by hand: cases, and numerator and
// denominator of the response, handling, resolution and satisfaction
// rates.
type basisWant struct {
	cases                     int
	resp, respDen, hand, hDen float64
	res, resDen, sat, satDen  float64
}

func checkBasis(t *testing.T, name string, cases int, p RateParts, w basisWant) {
	t.Helper()
	got := basisWant{cases, p.Response.Num, p.Response.Den, p.OnTimeHandle.Num, p.OnTimeHandle.Den,
		p.Resolution.Num, p.Resolution.Den, p.Satisfaction.Num, p.Satisfaction.Den}
	close := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if got.cases != w.cases || !close(got.resp, w.resp) || !close(got.respDen, w.respDen) || !close(got.hand, w.hand) ||
		!close(got.hDen, w.hDen) || !close(got.res, w.res) || !close(got.resDen, w.resDen) || !close(got.sat, w.sat) || !close(got.satDen, w.satDen) {
		t.Errorf("%s = %+v, want %+v", name, got, w)
	}
}

type ruleCase struct {
	choice   RuleChoice
	raw, asm basisWant
}

func runRuleTable(t *testing.T, rule string, b func(*Summary), count func(RuleCounts) int, cases []ruleCase) {
	for _, tt := range cases {
		t.Run(rule+"="+string(tt.choice), func(t *testing.T) {
			s := DefaultSettings()
			if err := s.Rules.SetChoice(rule, string(tt.choice)); err != nil {
				t.Fatal(err)
			}
			m := ComputeMetrics(rulesPair(&s, b), &s, MetricsQuery{Now: rulesNow})
			checkBasis(t, "raw", m.Cases, m.Parts.RateParts, tt.raw)
			checkBasis(t, "assessment", m.Assessment.Cases, m.AssessmentParts, tt.asm)
			if n := count(m.RuleCounts); n != 1 {
				t.Errorf("rule count = %d, want 1", n)
			}
			// The assessment object's rates are its parts'.
			if v := m.AssessmentParts.Response.Value(); (v == nil) != (m.Assessment.ResponseRate == nil) || v != nil && *v != *m.Assessment.ResponseRate {
				t.Errorf("assessment response rate %v, parts %v", m.Assessment.ResponseRate, v)
			}
			// Every slice row carries both bases and adds up to the whole.
			if len(m.ByMonth) != 1 || m.ByMonth[0].AssessmentParts != m.AssessmentParts || m.ByMonth[0].Assessment.Cases != m.Assessment.Cases {
				t.Errorf("by month: %+v", m.ByMonth)
			}
		})
	}
}

func TestMetricsRuleReturned(t *testing.T) {
	// B was returned before anyone signed for it: late on both deadlines
	// on the raw basis; out of the assessment basis unless counted.
	b := func(b *Summary) { b.Status = StatusReturned }
	raw := basisWant{2, 1, 2, 1, 2, 1, 1, 1, 1}
	runRuleTable(t, RuleReturned, b, func(c RuleCounts) int { return c.Returned }, []ruleCase{
		{RuleExcluded, raw, basisWant{1, 1, 1, 1, 1, 1, 1, 1, 1}},
		{RuleCounted, raw, raw},
	})
}

func TestMetricsRuleContested(t *testing.T) {
	// B, contested and accepted: signed for on time, handled late (03-12),
	// not solved, unsatisfied.
	b := func(b *Summary) {
		b.Contested = true
		b.RespondedAt, b.HandledAt = metricsCST(2026, 3, 2, 11, 0), metricsCST(2026, 3, 12, 9, 0)
		b.Solved, b.Satisfaction = SolvedNo, NotSatisfied
	}
	raw := basisWant{2, 2, 2, 1, 2, 1, 2, 1, 2}
	runRuleTable(t, RuleContested, b, func(c RuleCounts) int { return c.Contested }, []ruleCase{
		{RuleExcluded, raw, basisWant{1, 1, 1, 1, 1, 1, 1, 1, 1}},
		{RuleCounted, raw, raw},
	})
}

func TestMetricsRuleMerged(t *testing.T) {
	// B, merged into A: signed for late (03-04), handled with A on time,
	// solved, basically satisfied (weight 0.9).
	b := func(b *Summary) {
		b.MergedInto = "a"
		b.RespondedAt, b.HandledAt = metricsCST(2026, 3, 4, 10, 0), metricsCST(2026, 3, 5, 10, 0)
		b.Solved, b.Satisfaction = SolvedYes, BasicSatisfied
	}
	raw := basisWant{2, 1, 2, 2, 2, 2, 2, 1.9, 2}
	runRuleTable(t, RuleMerged, b, func(c RuleCounts) int { return c.Merged }, []ruleCase{
		{RuleOnce, raw, basisWant{2, 1, 1, 1, 1, 2, 2, 1.9, 2}},
		{RuleEach, raw, raw},
	})
}

func TestMetricsRuleUnevaluated(t *testing.T) {
	// B: signed for and handled on time, the callback did not get through.
	b := func(b *Summary) {
		b.Callback = CallbackUnreachable
		b.RespondedAt, b.HandledAt = metricsCST(2026, 3, 2, 11, 0), metricsCST(2026, 3, 6, 9, 0)
	}
	raw := basisWant{2, 2, 2, 2, 2, 1, 1, 1, 1}
	runRuleTable(t, RuleUnevaluated, b, func(c RuleCounts) int { return c.Unevaluated }, []ruleCase{
		{RuleExcluded, raw, raw},
		{RuleUnsatisfied, raw, basisWant{2, 2, 2, 2, 2, 1, 2, 1, 2}},
		{RuleSatisfied, raw, basisWant{2, 2, 2, 2, 2, 2, 2, 2, 2}},
	})
}

func TestMetricsRuleExtended(t *testing.T) {
	// B: extension approved to 03-20; handled 03-15, late against the
	// policy's 03-09, on time against the extension.
	b := func(b *Summary) {
		b.ExtendedTo = Date{2026, 3, 20}.AddDays(1).Time().UTC()
		b.RespondedAt, b.HandledAt = metricsCST(2026, 3, 2, 11, 0), metricsCST(2026, 3, 15, 9, 0)
		b.Solved, b.Satisfaction = SolvedYes, Satisfied
	}
	raw := basisWant{2, 2, 2, 1, 2, 2, 2, 2, 2}
	runRuleTable(t, RuleExtended, b, func(c RuleCounts) int { return c.Extended }, []ruleCase{
		{RuleApproved, raw, basisWant{2, 2, 2, 2, 2, 2, 2, 2, 2}},
		{RuleOriginal, raw, raw},
		{RuleExcluded, raw, basisWant{2, 2, 2, 1, 1, 2, 2, 2, 2}},
	})
}

// TestMetricsExtensionOverdue: an approved extension moves the deadline
// that overdue and due soon follow.
func TestMetricsExtensionOverdue(t *testing.T) {
	s := DefaultSettings()
	open := func(ext bool) *Summary {
		c := &Summary{ID: "x", Received: metricsCST(2026, 3, 2, 9, 0), Urgency: UrgencyGeneral, Status: StatusInProgress,
			RespondedAt: metricsCST(2026, 3, 2, 10, 0)}
		if ext {
			c.ExtendedTo = Date{2026, 4, 1}.AddDays(1).Time().UTC()
		}
		c.SetDeadlines(&s.Policy)
		return c
	}
	now := metricsCST(2026, 4, 1, 9, 0)
	if m := ComputeMetrics([]*Summary{open(false)}, &s, MetricsQuery{Now: now}); m.Overdue != 1 {
		t.Errorf("no extension: overdue %d", m.Overdue)
	}
	if m := ComputeMetrics([]*Summary{open(true)}, &s, MetricsQuery{Now: now}); m.Overdue != 0 || m.DueSoon != 1 {
		t.Errorf("extended to today: overdue %d due soon %d", m.Overdue, m.DueSoon)
	}
}

// TestMetricsPauseWhileReturned: a refused return's time away moves the
// deadlines only when the policy pauses the clock.
func TestMetricsPauseWhileReturned(t *testing.T) {
	for _, pause := range []bool{false, true} {
		s := DefaultSettings()
		s.Policy.PauseWhileReturned = pause
		c := &Summary{ID: "x", Received: metricsCST(2026, 3, 2, 9, 0), Urgency: UrgencyGeneral, Status: StatusResponded,
			RespondedAt: metricsCST(2026, 3, 4, 20, 0), Away: 30 * time.Hour}
		c.SetDeadlines(&s.Policy)
		m := ComputeMetrics([]*Summary{c}, &s, MetricsQuery{Now: rulesNow})
		want := 0.0
		if pause {
			want = 1 // due 03-05 06:00 instead of 03-04 00:00
		}
		if m.Parts.Response.Num != want || m.AssessmentParts.Response.Num != want {
			t.Errorf("pause %v: on time %v / %v, want %v", pause, m.Parts.Response.Num, m.AssessmentParts.Response.Num, want)
		}
	}
}

func TestMetricsWhistle(t *testing.T) {
	at := metricsCST(2026, 3, 2, 10, 0)
	c := &Summary{ID: "w", Received: metricsCST(2026, 3, 2, 9, 0), Status: StatusInProgress, Whistle: []DeptCall{
		{Dept: "城管", Summoned: at, Arrived: at.Add(20 * time.Minute), Rating: Satisfied},
		{Dept: "消防", Summoned: at, Arrived: at.Add(45 * time.Minute), Rating: NotSatisfied},
		{Dept: "物业", Summoned: at},
		{Dept: "城管", Summoned: at.Add(time.Hour), Arrived: at.Add(90 * time.Minute), Rating: BasicSatisfied},
	}}
	plain := &Summary{ID: "p", Received: metricsCST(2026, 3, 3, 9, 0), Status: StatusReceived}
	m := ComputeMetrics([]*Summary{c, plain}, nil, MetricsQuery{Now: rulesNow})
	w := m.Whistle
	if w.Cases != 1 || w.Summoned != 4 || w.Arrived != 3 || w.InTime != 2 || w.Satisfied != 1 || w.Basic != 1 || w.Unsatisfied != 1 {
		t.Fatalf("whistle = %+v", w)
	}
	if *w.MeanMinutes != 95.0/3 || *w.InTimeRate != 0.5 {
		t.Errorf("mean %v in time %v", *w.MeanMinutes, *w.InTimeRate)
	}
	if len(w.ByDepartment) != 3 || w.ByDepartment[0].Dept != "城管" || w.ByDepartment[0].Summoned != 2 || w.ByDepartment[0].InTime != 2 ||
		*w.ByDepartment[0].MeanMinutes != 25 || w.ByDepartment[1].Dept != "消防" || w.ByDepartment[2].Arrived != 0 {
		t.Errorf("by department = %+v", w.ByDepartment)
	}
}
