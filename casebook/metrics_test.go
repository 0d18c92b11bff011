package casebook

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// Helpers are prefixed with "metrics" so they cannot clash with helpers in
// other test files of the package.

// metricsCST is a wall-clock time in Shanghai.
func metricsCST(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, Shanghai)
}

// metricsF is a rate value for a table; nil means "no data".
func metricsF(v float64) *float64 { return &v }

func metricsSameRate(got, want *float64) bool {
	if got == nil || want == nil {
		return got == nil && want == nil
	}
	return math.Abs(*got-*want) < 1e-9
}

func metricsShow(p *float64) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprintf("%.9f", *p)
}

func metricsCheckRate(t *testing.T, name string, got, want *float64) {
	t.Helper()
	if !metricsSameRate(got, want) {
		t.Errorf("%s = %s, want %s", name, metricsShow(got), metricsShow(want))
	}
}

// metricsNow is the "as of" moment of most tests: Friday 2026-03-20 12:00 in
// Shanghai.
var metricsNow = metricsCST(2026, 3, 20, 12, 0)

// metricsOpenCase is an open appeal received at rec, with its deadlines set
// by hand: respond by rec+1 day, handle by rec+7 days (the tests do not
// depend on the deadline policy code).
func metricsOpenCase(id string, rec time.Time) *Summary {
	return &Summary{ID: id, Received: rec, Status: StatusReceived, Category: "停车管理", Channel: Channel12345,
		RespondDue: rec.Add(24 * time.Hour), HandleDue: rec.Add(7 * 24 * time.Hour)}
}

func metricsSettings(mod func(*Settings)) *Settings {
	s := DefaultSettings()
	if mod != nil {
		mod(&s)
	}
	return &s
}

func TestMetricsRateValue(t *testing.T) {
	if v := (Rate{3, 0}).Value(); v != nil {
		t.Errorf("Rate{3,0}.Value() = %v, want nil", *v)
	}
	if v := (Rate{0, 0}).Value(); v != nil {
		t.Errorf("Rate{0,0}.Value() = %v, want nil", *v)
	}
	metricsCheckRate(t, "Rate{0,4}", Rate{0, 4}.Value(), metricsF(0))
	metricsCheckRate(t, "Rate{2.5,4}", Rate{2.5, 4}.Value(), metricsF(0.625))
}

// TestMetricsCoreRates checks the three rates, the composite score and the
// on-time rates on small hand-computed fixtures.
func TestMetricsCoreRates(t *testing.T) {
	rec := metricsCST(2026, 3, 10, 9, 0) // respond due 3-11 09:00, handle due 3-17 09:00, both before metricsNow
	respDue, handleDue := rec.Add(24*time.Hour), rec.Add(7*24*time.Hour)
	fresh := metricsCST(2026, 3, 20, 10, 0) // respond due 3-21 10:00, after metricsNow

	// The "mixed" fixture:
	//  m1: responded on time, handled on time, solved yes, satisfied, closed
	//  m2: responded late, handled late, solved partly, basic, closed
	//  m3: responded on time, not handled and handle due passed, no evaluation
	//  m4: fresh: not responded, respond due not yet passed
	mixed := func() []*Summary {
		m1 := metricsOpenCase("m1", rec)
		m1.Status, m1.RespondedAt, m1.HandledAt, m1.Solved, m1.Satisfaction = StatusClosed, rec.Add(time.Hour), rec.Add(48*time.Hour), SolvedYes, Satisfied
		m2 := metricsOpenCase("m2", rec)
		m2.Status, m2.RespondedAt, m2.HandledAt, m2.Solved, m2.Satisfaction = StatusClosed, respDue.Add(time.Minute), handleDue.Add(time.Hour), SolvedPartly, BasicSatisfied
		m3 := metricsOpenCase("m3", rec)
		m3.Status, m3.RespondedAt = StatusInProgress, rec.Add(2*time.Hour)
		m4 := metricsOpenCase("m4", fresh)
		return []*Summary{m1, m2, m3, m4}
	}

	type want struct {
		response, resolution, satisfaction, composite *float64
		onTimeRespond, onTimeHandle, onTime           *float64
		parts                                         RateParts
	}
	tests := []struct {
		name  string
		cases func() []*Summary
		mod   func(*Settings)
		want  want
	}{
		{
			name:  "no cases: every rate is no data",
			cases: func() []*Summary { return nil },
		},
		{
			name: "response: on time, late, due and unanswered, fresh",
			cases: func() []*Summary {
				a := metricsOpenCase("a", rec)
				a.RespondedAt = rec.Add(30 * time.Minute) // on time
				b := metricsOpenCase("b", rec)
				b.RespondedAt = respDue.Add(time.Second) // late
				c := metricsOpenCase("c", rec)           // due 3-11, not signed for: counts against
				d := metricsOpenCase("d", fresh)         // not yet due: in neither
				e := metricsOpenCase("e", rec)
				e.RespondedAt = respDue // exactly at the deadline is on time
				f := metricsOpenCase("f", fresh)
				f.RespondedAt = fresh.Add(time.Hour) // signed for before it was due: counts, on time
				return []*Summary{a, b, c, d, e, f}
			},
			// on time a, e, f = 3; denominator a, b, c, e, f = 5 -> 0.6.
			// Handling: no case handled; handle due (3-17 09:00) passed for a, b, c, e -> 0/4.
			// On-time: (3+0)/(5+4) = 1/3.
			want: want{
				response: metricsF(0.6), onTimeRespond: metricsF(0.6), onTimeHandle: metricsF(0), onTime: metricsF(1.0 / 3),
				parts: RateParts{Response: Rate{3, 5}, OnTimeRespond: Rate{3, 5}, OnTimeHandle: Rate{0, 4}, OnTime: Rate{3, 9}},
			},
		},
		{
			name:  "only fresh appeals: response has no data",
			cases: func() []*Summary { return []*Summary{metricsOpenCase("x", fresh), metricsOpenCase("y", fresh)} },
		},
		{
			name: "response due exactly at now is not yet due",
			cases: func() []*Summary {
				a := metricsOpenCase("a", metricsNow.Add(-24*time.Hour)) // RespondDue == metricsNow
				return []*Summary{a}
			},
		},
		{
			name: "resolution and satisfaction, default weights",
			cases: func() []*Summary {
				var out []*Summary
				for i, e := range []struct {
					s   Solved
					sat Satisfaction
				}{{SolvedYes, Satisfied}, {SolvedYes, BasicSatisfied}, {SolvedPartly, NotSatisfied}, {SolvedNo, BasicSatisfied}, {"", ""}} {
					c := metricsOpenCase(fmt.Sprint("r", i), fresh) // fresh: no response or handling data
					c.Solved, c.Satisfaction = e.s, e.sat
					out = append(out, c)
				}
				return out
			},
			// resolution: yes 2, partly 1 (weight 0), evaluated 4 -> 2/4 = 0.5
			// satisfaction: satisfied 1, basic 2 (x0.9 = 1.8), graded 4 -> 2.8/4 = 0.7
			// composite: response has no data -> nil
			want: want{
				resolution: metricsF(0.5), satisfaction: metricsF(0.7),
				parts: RateParts{Resolution: Rate{2, 4}, Satisfaction: Rate{2.8, 4}},
			},
		},
		{
			name: "resolution and satisfaction, partly 0.5 and basic 1.0",
			cases: func() []*Summary {
				var out []*Summary
				for i, e := range []struct {
					s   Solved
					sat Satisfaction
				}{{SolvedYes, Satisfied}, {SolvedYes, BasicSatisfied}, {SolvedPartly, NotSatisfied}, {SolvedNo, BasicSatisfied}, {"", ""}} {
					c := metricsOpenCase(fmt.Sprint("r", i), fresh)
					c.Solved, c.Satisfaction = e.s, e.sat
					out = append(out, c)
				}
				return out
			},
			mod: func(s *Settings) { s.Weights.PartlySolved, s.Weights.BasicSatisfied = 0.5, 1.0 },
			// resolution: (2 + 0.5x1)/4 = 0.625; satisfaction: (1 + 1.0x2)/4 = 0.75
			want: want{
				resolution: metricsF(0.625), satisfaction: metricsF(0.75),
				parts: RateParts{Resolution: Rate{2.5, 4}, Satisfaction: Rate{3, 4}},
			},
		},
		{
			name:  "mixed, default weights",
			cases: mixed,
			// response: on time m1, m3; due or signed m1, m2, m3 -> 2/3
			// resolution: evaluated m1 (yes), m2 (partly x0) -> 1/2 = 0.5
			// satisfaction: m1 satisfied, m2 basic x0.9 -> 1.9/2 = 0.95
			// composite: 0.1x(2/3) + 0.5x0.5 + 0.4x0.95 = 0.0666667 + 0.25 + 0.38 = 0.6966667
			// handling: on time m1; handled m1, m2, due m3; m4 not due -> 1/3
			// on-time: (2+1)/(3+3) = 0.5
			want: want{
				response: metricsF(2.0 / 3), resolution: metricsF(0.5), satisfaction: metricsF(0.95),
				composite:     metricsF(0.1*2.0/3 + 0.25 + 0.38),
				onTimeRespond: metricsF(2.0 / 3), onTimeHandle: metricsF(1.0 / 3), onTime: metricsF(0.5),
				parts: RateParts{Response: Rate{2, 3}, Resolution: Rate{1, 2}, Satisfaction: Rate{1.9, 2},
					OnTimeRespond: Rate{2, 3}, OnTimeHandle: Rate{1, 3}, OnTime: Rate{3, 6}},
			},
		},
		{
			name:  "mixed, weights changed",
			cases: mixed,
			mod: func(s *Settings) {
				s.Weights = Weights{PartlySolved: 0.5, BasicSatisfied: 1.0, Response: 0.2, Resolution: 0.4, Satisfaction: 0.4, RepeatDays: 30}
			},
			// resolution: (1 + 0.5)/2 = 0.75; satisfaction: (1 + 1)/2 = 1.0
			// composite: 0.2x(2/3) + 0.4x0.75 + 0.4x1.0 = 0.1333333 + 0.3 + 0.4 = 0.8333333
			want: want{
				response: metricsF(2.0 / 3), resolution: metricsF(0.75), satisfaction: metricsF(1),
				composite:     metricsF(0.2*2.0/3 + 0.3 + 0.4),
				onTimeRespond: metricsF(2.0 / 3), onTimeHandle: metricsF(1.0 / 3), onTime: metricsF(0.5),
				parts: RateParts{Response: Rate{2, 3}, Resolution: Rate{1.5, 2}, Satisfaction: Rate{2, 2},
					OnTimeRespond: Rate{2, 3}, OnTimeHandle: Rate{1, 3}, OnTime: Rate{3, 6}},
			},
		},
		{
			name: "composite is nil when satisfaction has no data",
			cases: func() []*Summary {
				c := metricsOpenCase("c", rec)
				c.RespondedAt, c.HandledAt, c.Solved, c.Status = rec.Add(time.Hour), rec.Add(2*time.Hour), SolvedYes, StatusFeedback
				return []*Summary{c}
			},
			// response 1/1, resolution 1/1, satisfaction none -> composite nil; handling 1/1; on-time 2/2
			want: want{
				response: metricsF(1), resolution: metricsF(1),
				onTimeRespond: metricsF(1), onTimeHandle: metricsF(1), onTime: metricsF(1),
				parts: RateParts{Response: Rate{1, 1}, Resolution: Rate{1, 1}, OnTimeRespond: Rate{1, 1}, OnTimeHandle: Rate{1, 1}, OnTime: Rate{2, 2}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ComputeMetrics(tt.cases(), metricsSettings(tt.mod), MetricsQuery{Now: metricsNow})
			metricsCheckRate(t, "response_rate", m.ResponseRate, tt.want.response)
			metricsCheckRate(t, "resolution_rate", m.ResolutionRate, tt.want.resolution)
			metricsCheckRate(t, "satisfaction_rate", m.SatisfactionRate, tt.want.satisfaction)
			metricsCheckRate(t, "composite_score", m.CompositeScore, tt.want.composite)
			metricsCheckRate(t, "on_time_respond", m.OnTimeRespond, tt.want.onTimeRespond)
			metricsCheckRate(t, "on_time_handle", m.OnTimeHandle, tt.want.onTimeHandle)
			metricsCheckRate(t, "on_time_rate", m.OnTimeRate, tt.want.onTime)
			if got := m.Parts.RateParts; !metricsSameParts(got, tt.want.parts) {
				t.Errorf("parts = %+v, want %+v", got, tt.want.parts)
			}
		})
	}
}

func metricsSameParts(a, b RateParts) bool {
	same := func(x, y Rate) bool { return math.Abs(x.Num-y.Num) < 1e-9 && x.Den == y.Den }
	return same(a.Response, b.Response) && same(a.Resolution, b.Resolution) && same(a.Satisfaction, b.Satisfaction) &&
		same(a.OnTimeRespond, b.OnTimeRespond) && same(a.OnTimeHandle, b.OnTimeHandle) && same(a.OnTime, b.OnTime)
}

// TestMetricsJSONNull checks that no-data rates are JSON null, never 0 or 1,
// and that lists are [] rather than null.
func TestMetricsJSONNull(t *testing.T) {
	c := metricsOpenCase("a", metricsCST(2026, 3, 20, 10, 0)) // fresh, no evaluation
	m := ComputeMetrics([]*Summary{c}, nil, MetricsQuery{Now: metricsNow})
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"response_rate", "resolution_rate", "satisfaction_rate", "composite_score",
		"on_time_respond", "on_time_handle", "on_time_rate", "community_solved_share", "term"} {
		v, ok := got[k]
		if !ok || v != nil {
			t.Errorf("%s = %v (present %v), want null", k, v, ok)
		}
	}
	// One case, not repeated, not escalated: shares have data and are 0.
	for _, k := range []string{"repeat_share", "escalation_share"} {
		if v, ok := got[k].(float64); !ok || v != 0 {
			t.Errorf("%s = %v, want 0", k, got[k])
		}
	}
	if got["cases"] != 1.0 {
		t.Errorf("cases = %v, want 1", got["cases"])
	}
	for _, k := range []string{"by_category", "by_building", "by_channel", "by_month", "ageing"} {
		if _, ok := got[k].([]any); !ok {
			t.Errorf("%s = %v, want a list", k, got[k])
		}
	}
	row := got["by_category"].([]any)[0].(map[string]any)
	if row["key"] != "停车管理" || row["response_rate"] != nil || row["composite_score"] != nil {
		t.Errorf("by_category[0] = %v, want key 停车管理 with null rates", row)
	}

	// Empty input: shares have no data either.
	b, _ = json.Marshal(ComputeMetrics(nil, nil, MetricsQuery{Now: metricsNow}))
	got = nil
	_ = json.Unmarshal(b, &got)
	for _, k := range []string{"repeat_share", "escalation_share", "response_rate"} {
		if got[k] != nil {
			t.Errorf("empty: %s = %v, want null", k, got[k])
		}
	}
	if l, _ := got["by_month"].([]any); l == nil || len(l) != 0 {
		t.Errorf("empty: by_month = %v, want []", got["by_month"])
	}
}

// TestMetricsPeriod checks [From, To) and the optional filter.
func TestMetricsPeriod(t *testing.T) {
	from, to := metricsCST(2026, 3, 1, 0, 0), metricsCST(2026, 4, 1, 0, 0)
	mk := func(id string, rec time.Time, cat string) *Summary {
		c := metricsOpenCase(id, rec)
		c.Category = cat
		return c
	}
	cases := []*Summary{
		mk("atFrom", from, "停车管理"),                                          // in: From is inclusive
		mk("beforeFrom", from.Add(-time.Nanosecond), "停车管理"),                // out
		mk("beforeTo", to.Add(-time.Second), "噪音扰民"),                        // in
		mk("atTo", to, "停车管理"),                                              // out: To is exclusive
		mk("utcDay", time.Date(2026, 2, 28, 16, 0, 0, 0, time.UTC), "停车管理"), // 2026-03-01 00:00 in Shanghai: in
	}
	tests := []struct {
		name   string
		q      MetricsQuery
		cases  int
		months []string
	}{
		{"bounded", MetricsQuery{From: from, To: to}, 3, []string{"2026-03"}},
		{"unbounded", MetricsQuery{}, 5, []string{"2026-02", "2026-03", "2026-04"}},
		{"from only", MetricsQuery{From: from}, 4, []string{"2026-03", "2026-04"}},
		{"to only", MetricsQuery{To: to}, 4, []string{"2026-02", "2026-03"}},
		{"bounded + category filter", MetricsQuery{From: from, To: to, Filter: &Filter{Categories: []string{"停车管理"}}}, 2, []string{"2026-03"}},
		{"filter with its own bounds", MetricsQuery{From: from, Filter: &Filter{To: to}}, 3, []string{"2026-03"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Now = metricsNow
			m := ComputeMetrics(cases, nil, tt.q)
			if m.Cases != tt.cases {
				t.Errorf("cases = %d, want %d", m.Cases, tt.cases)
			}
			var months []string
			for _, r := range m.ByMonth {
				months = append(months, r.Key)
			}
			if !slices.Equal(months, tt.months) {
				t.Errorf("months = %v, want %v", months, tt.months)
			}
		})
	}
}

// TestMetricsOpenOverdue checks open, overdue, due soon and evaluated at
// different moments.
func TestMetricsOpenOverdue(t *testing.T) {
	rec := metricsCST(2026, 3, 10, 9, 0) // respond due 3-11 09:00, handle due 3-17 09:00
	closed := metricsOpenCase("closed", rec)
	closed.Status, closed.Solved = StatusClosed, SolvedYes // never responded, but closed: not open, not overdue
	unsigned := metricsOpenCase("unsigned", rec)           // respond due 3-11 09:00
	unhandled := metricsOpenCase("unhandled", rec)
	unhandled.Status, unhandled.RespondedAt = StatusInProgress, rec.Add(time.Hour) // handle due 3-17 09:00
	resolved := metricsOpenCase("resolved", rec)
	resolved.Status, resolved.RespondedAt, resolved.HandledAt = StatusResolved, rec.Add(time.Hour), rec.Add(50*time.Hour) // open, nothing due
	soon := metricsOpenCase("soon", metricsCST(2026, 3, 19, 22, 0))                                                       // respond due 3-20 22:00
	later := metricsOpenCase("later", metricsCST(2026, 3, 20, 11, 0))
	later.Status, later.RespondedAt, later.Satisfaction = StatusResponded, metricsCST(2026, 3, 20, 11, 30), Satisfied // handle due 3-27 11:00
	cases := []*Summary{closed, unsigned, unhandled, resolved, soon, later}

	tests := []struct {
		name                                   string
		now                                    time.Time
		open, overdue, dueSoon, evaluated, all int
	}{
		// 3-20 12:00: overdue unsigned, unhandled; soon due in 10h (window 24h); later due in 7 days.
		{"2026-03-20 12:00", metricsNow, 5, 2, 1, 2, 6},
		// 3-16 12:00: unsigned overdue (3-11); unhandled due 3-17 09:00, 21h away: due soon.
		// soon and later are not received yet but still counted (the period is unbounded).
		// soon: respond due 3-20 22:00 is 4 days away; later: 11 days away.
		{"2026-03-16 12:00", metricsCST(2026, 3, 16, 12, 0), 5, 1, 1, 2, 6},
		// 3-21 00:00: soon's respond due (3-20 22:00) passed too.
		{"2026-03-21 00:00", metricsCST(2026, 3, 21, 0, 0), 5, 3, 0, 2, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ComputeMetrics(cases, nil, MetricsQuery{Now: tt.now})
			got := [5]int{m.Open, m.Overdue, m.DueSoon, m.Evaluated, m.Cases}
			want := [5]int{tt.open, tt.overdue, tt.dueSoon, tt.evaluated, tt.all}
			if got != want {
				t.Errorf("open, overdue, due soon, evaluated, cases = %v, want %v", got, want)
			}
		})
	}
}

// TestMetricsAgeing checks the ageing buckets, counted in Shanghai calendar
// days from the day received to the day of now (2026-03-20).
func TestMetricsAgeing(t *testing.T) {
	recs := []time.Time{
		metricsCST(2026, 3, 20, 8, 0),                  // 0 days        -> 0-7
		time.Date(2026, 3, 19, 16, 30, 0, 0, time.UTC), // 3-20 00:30 in Shanghai: 0 days -> 0-7
		metricsCST(2026, 3, 13, 23, 59),                // 7             -> 0-7
		metricsCST(2026, 3, 12, 0, 0),                  // 8             -> 8-15
		time.Date(2026, 3, 12, 15, 59, 0, 0, time.UTC), // 3-12 23:59 in Shanghai: 8 days (7.5 elapsed) -> 8-15
		metricsCST(2026, 3, 5, 12, 0),                  // 15            -> 8-15
		metricsCST(2026, 3, 4, 12, 0),                  // 16            -> 16-30
		metricsCST(2026, 2, 18, 12, 0),                 // 10 + 20 = 30  -> 16-30
		metricsCST(2026, 2, 17, 12, 0),                 // 31            -> 31-90
		metricsCST(2025, 12, 20, 12, 0),                // 11 + 31 + 28 + 20 = 90 -> 31-90
		metricsCST(2025, 12, 19, 12, 0),                // 91            -> 90+
		metricsCST(2026, 3, 25, 12, 0),                 // received after now (-5 days) -> 0-7
	}
	var cases []*Summary
	for i, r := range recs {
		cases = append(cases, metricsOpenCase(fmt.Sprint("a", i), r))
	}
	old := metricsOpenCase("closed", metricsCST(2025, 1, 1, 9, 0))
	old.Status = StatusClosed // closed: not in the ageing
	cases = append(cases, old)

	m := ComputeMetrics(cases, nil, MetricsQuery{Now: metricsNow})
	want := []AgeingBucket{{"0-7", 4}, {"8-15", 3}, {"16-30", 2}, {"31-90", 2}, {"90+", 1}}
	if !slices.Equal(m.Ageing, want) {
		t.Errorf("ageing = %v, want %v", m.Ageing, want)
	}
	if m.Open != 12 {
		t.Errorf("open = %d, want 12", m.Open)
	}
}

// metricsRepeatIDs lists, in input order, the ids of the appeals of cases
// that ComputeMetrics counts as repeats. It singles out each appeal with a
// text filter on a number made unique per position, leaving every appeal fed,
// so earlier appeals still make later ones repeats.
func metricsRepeatIDs(cases []*Summary, s *Settings) []string {
	marked := make([]*Summary, len(cases))
	for i, c := range cases {
		cp := *c
		cp.Number = fmt.Sprintf("#%d;", i)
		marked[i] = &cp
	}
	var ids []string
	for i, c := range cases {
		m := ComputeMetrics(marked, s, MetricsQuery{Now: metricsNow, Filter: &Filter{Text: fmt.Sprintf("#%d;", i)}})
		if m.Cases != 1 {
			panic(fmt.Sprintf("filter for #%d selects %d appeals", i, m.Cases))
		}
		if m.Repeat == 1 {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// TestMetricsRepeat checks which appeals are repeats.
func TestMetricsRepeat(t *testing.T) {
	day := func(m time.Month, d, hh int) time.Time { return metricsCST(2026, m, d, hh, 0) }
	mk := func(id, building, category string, rec time.Time) *Summary {
		c := metricsOpenCase(id, rec)
		c.Building, c.Category = building, category
		return c
	}
	tests := []struct {
		name    string
		days    int
		cases   []*Summary
		repeats []string // ids, in input order
	}{
		{
			name: "linked case is a repeat, even without a building",
			days: 30,
			cases: []*Summary{
				func() *Summary { c := mk("L", "", "噪音扰民", day(3, 1, 9)); c.Linked = []string{"X"}; return c }(),
				mk("X", "", "噪音扰民", day(2, 1, 9)),
			},
			repeats: []string{"L"},
		},
		{
			name: "same building and category within 30 days",
			days: 30,
			cases: []*Summary{
				mk("B", "14号楼", "停车管理", day(3, 20, 9)), // 19 days after A
				mk("A", "14号楼", "停车管理", day(3, 1, 10)),
			},
			repeats: []string{"B"},
		},
		{
			name: "exactly 30 calendar days is within; 31 is not",
			days: 30,
			cases: []*Summary{
				mk("E1", "16号楼", "噪音扰民", day(1, 1, 9)),
				mk("E2", "16号楼", "噪音扰民", day(1, 31, 23)), // 30 days after E1 (30.6 elapsed): repeat
				mk("G1", "17号楼", "噪音扰民", day(1, 1, 9)),
				mk("G2", "17号楼", "噪音扰民", day(2, 1, 8)), // 31 days after G1 (30.96 elapsed): not
			},
			repeats: []string{"E2"},
		},
		{
			name: "outside the window, other category, empty building",
			days: 30,
			cases: []*Summary{
				mk("C1", "15号楼", "停车管理", day(1, 1, 9)),
				mk("C2", "15号楼", "停车管理", day(2, 15, 9)), // 45 days: not
				mk("C3", "15号楼", "环境卫生", day(2, 16, 9)), // other category: not
				mk("N1", "", "停车管理", day(2, 15, 9)),
				mk("N2", "", "停车管理", day(2, 16, 9)), // empty building never repeats
			},
			repeats: nil,
		},
		{
			name: "the nearest earlier appeal counts (chain)",
			days: 30,
			cases: []*Summary{
				mk("K1", "18号楼", "物业管理", day(1, 1, 9)),
				mk("K2", "18号楼", "物业管理", day(1, 26, 9)), // 25 days after K1
				mk("K3", "18号楼", "物业管理", day(2, 20, 9)), // 25 days after K2, 50 after K1
			},
			repeats: []string{"K2", "K3"},
		},
		{
			name: "same moment: the larger id is the repeat, whatever the input order",
			days: 30,
			cases: []*Summary{
				mk("s2", "19号楼", "群租", day(3, 3, 0)),
				mk("s1", "19号楼", "群租", day(3, 3, 0)),
			},
			repeats: []string{"s2"},
		},
		{
			name: "window of 7 days",
			days: 7,
			cases: []*Summary{
				mk("A", "14号楼", "停车管理", day(3, 1, 10)),
				mk("B", "14号楼", "停车管理", day(3, 8, 23)), // 7 days: repeat
				mk("C", "14号楼", "停车管理", day(3, 16, 0)), // 8 days after B: not
			},
			repeats: []string{"B"},
		},
		{
			name: "repeat days 0 turns the building rule off; links still count",
			days: 0,
			cases: []*Summary{
				mk("A", "14号楼", "停车管理", day(3, 1, 10)),
				mk("B", "14号楼", "停车管理", day(3, 1, 11)),
				func() *Summary { c := mk("L", "", "停车管理", day(3, 2, 9)); c.Linked = []string{"A"}; return c }(),
			},
			repeats: []string{"L"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := metricsSettings(func(s *Settings) { s.Weights.RepeatDays = tt.days })
			if got := metricsRepeatIDs(tt.cases, s); !slices.Equal(got, tt.repeats) {
				t.Errorf("repeats = %v, want %v", got, tt.repeats)
			}
			m := ComputeMetrics(tt.cases, s, MetricsQuery{Now: metricsNow})
			if m.Repeat != len(tt.repeats) {
				t.Errorf("repeat = %d, want %d", m.Repeat, len(tt.repeats))
			}
			metricsCheckRate(t, "repeat_share", m.RepeatShare, metricsF(float64(len(tt.repeats))/float64(len(tt.cases))))
			// The same through a tally fed in time order, ties in input order.
			fed := slices.Clone(tt.cases)
			slices.SortStableFunc(fed, func(a, b *Summary) int { return a.Received.Compare(b.Received) })
			tally := NewMetricsTally(s, MetricsQuery{Now: metricsNow})
			for _, c := range fed {
				if err := tally.Add(c); err != nil {
					t.Fatal(err)
				}
			}
			if tm := tally.Metrics(); !reflect.DeepEqual(tm, m) {
				t.Errorf("tally: repeat %d, metrics differ from ComputeMetrics (repeat %d)", tm.Repeat, m.Repeat)
			}
		})
	}

	// The earlier appeal may lie outside the period: A (3-01) is before From,
	// B (3-20) is in the period and is a repeat of A. 1 of 1 -> share 1.
	cases := []*Summary{mk("A", "14号楼", "停车管理", day(3, 1, 10)), mk("B", "14号楼", "停车管理", day(3, 20, 9))}
	m := ComputeMetrics(cases, nil, MetricsQuery{From: day(3, 10, 0), Now: metricsNow})
	if m.Cases != 1 || m.Repeat != 1 {
		t.Errorf("earlier outside the period: cases %d repeat %d, want 1 and 1", m.Cases, m.Repeat)
	}
	metricsCheckRate(t, "repeat_share", m.RepeatShare, metricsF(1))
}

// TestMetricsEscalation checks escalation and the share solved at community
// level.
func TestMetricsEscalation(t *testing.T) {
	rec := metricsCST(2026, 3, 20, 10, 0)
	mk := func(id string, solved Solved, lv Level) *Summary {
		c := metricsOpenCase(id, rec)
		c.Solved, c.Escalation = solved, lv
		return c
	}
	tests := []struct {
		name                      string
		cases                     []*Summary
		escalated                 int
		share, communitySolved    *float64
		communitySolvedNum, solDn float64
	}{
		{
			name: "mixed",
			cases: []*Summary{
				mk("1", SolvedYes, LevelCommunity),
				mk("2", SolvedYes, LevelStreet),
				mk("3", SolvedPartly, LevelDistrict),
				mk("4", SolvedNo, LevelCommunity),
				mk("5", "", LevelCommunity),
			},
			// escalated 2, 2 of 5 = 0.4; solved yes 1 and 2, never escalated: 1 -> 1/2
			escalated: 2, share: metricsF(0.4), communitySolved: metricsF(0.5), communitySolvedNum: 1, solDn: 2,
		},
		{
			name:      "nothing solved: community share has no data",
			cases:     []*Summary{mk("1", SolvedNo, LevelCity), mk("2", SolvedPartly, LevelCommunity)},
			escalated: 1, share: metricsF(0.5), communitySolved: nil,
		},
		{
			name:      "all solved at community level",
			cases:     []*Summary{mk("1", SolvedYes, LevelCommunity), mk("2", SolvedYes, LevelCommunity)},
			escalated: 0, share: metricsF(0), communitySolved: metricsF(1), communitySolvedNum: 2, solDn: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ComputeMetrics(tt.cases, nil, MetricsQuery{Now: metricsNow})
			if m.Escalated != tt.escalated {
				t.Errorf("escalated = %d, want %d", m.Escalated, tt.escalated)
			}
			metricsCheckRate(t, "escalation_share", m.EscalationShare, tt.share)
			metricsCheckRate(t, "community_solved_share", m.CommunitySolvedShare, tt.communitySolved)
			if p := m.Parts.CommunitySolved; p != (Rate{tt.communitySolvedNum, tt.solDn}) {
				t.Errorf("community solved parts = %+v, want {%v %v}", p, tt.communitySolvedNum, tt.solDn)
			}
		})
	}
}

// TestMetricsByMonth checks month keys in Shanghai time across month and
// year boundaries.
func TestMetricsByMonth(t *testing.T) {
	utc := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, time.UTC) }
	cases := []*Summary{
		metricsOpenCase("apr1", utc(2026, 3, 31, 16, 30)),     // 2026-04-01 00:30 Shanghai -> April
		metricsOpenCase("mar31", utc(2026, 3, 31, 15, 59)),    // 2026-03-31 23:59 Shanghai -> March
		metricsOpenCase("feb", metricsCST(2026, 2, 10, 9, 0)), // February
		metricsOpenCase("apr2", metricsCST(2026, 4, 2, 9, 0)), // April
		metricsOpenCase("jan1", utc(2025, 12, 31, 16, 0)),     // 2026-01-01 00:00 Shanghai -> January 2026
		metricsOpenCase("dec", utc(2025, 12, 31, 15, 0)),      // 2025-12-31 23:00 Shanghai -> December 2025
	}
	cases[1].RespondedAt = cases[1].Received.Add(time.Hour) // March: response 1/1
	m := ComputeMetrics(cases, nil, MetricsQuery{Now: metricsCST(2026, 5, 1, 0, 0)})
	type kc struct {
		key   string
		cases int
	}
	var got []kc
	for _, r := range m.ByMonth {
		got = append(got, kc{r.Key, r.Cases})
	}
	want := []kc{{"2025-12", 1}, {"2026-01", 1}, {"2026-02", 1}, {"2026-03", 1}, {"2026-04", 2}}
	if !slices.Equal(got, want) {
		t.Errorf("by_month = %v, want %v", got, want)
	}
	// March: mar31 signed for within the hour -> 1/1. April: apr1 and apr2 due
	// and unsigned by 5-01 -> 0/2.
	metricsCheckRate(t, "2026-03 response", m.ByMonth[3].ResponseRate, metricsF(1))
	metricsCheckRate(t, "2026-04 response", m.ByMonth[4].ResponseRate, metricsF(0))

	// A period that covers only April: only April is listed.
	m = ComputeMetrics(cases, nil, MetricsQuery{From: metricsCST(2026, 4, 1, 0, 0), To: metricsCST(2026, 5, 1, 0, 0), Now: metricsNow})
	if len(m.ByMonth) != 1 || m.ByMonth[0].Key != "2026-04" || m.ByMonth[0].Cases != 2 {
		t.Errorf("April only: by_month = %+v", m.ByMonth)
	}
}

// TestMetricsSlices checks the category, building and channel rows: their
// order, their rates, and that they add up to the whole.
func TestMetricsSlices(t *testing.T) {
	rec := metricsCST(2026, 3, 10, 9, 0) // response due before now
	mk := func(id, cat, bld string, ch Channel, responded bool, solved Solved) *Summary {
		c := metricsOpenCase(id, rec)
		c.Category, c.Building, c.Channel, c.Solved = cat, bld, ch, solved
		if responded {
			c.RespondedAt = rec.Add(time.Hour)
		}
		return c
	}
	cases := []*Summary{
		mk("1", "噪音扰民", "1号楼", ChannelGrid, true, SolvedYes),
		mk("2", "停车管理", "2号楼", Channel12345, true, SolvedNo),
		mk("3", "停车管理", "1号楼", Channel12345, false, ""),
		mk("4", "环境卫生", "", ChannelWalkIn, true, SolvedYes),
		mk("5", "停车管理", "2号楼", ChannelGrid, true, SolvedYes),
		mk("6", "环境卫生", "", Channel12345, false, SolvedPartly),
	}
	m := ComputeMetrics(cases, nil, MetricsQuery{Now: metricsNow})

	type row struct {
		key                    string
		cases                  int
		response, resolution   *float64
		open, overdue, evaluat int
	}
	// Every case is open and past its handle due (3-17 09:00); unsigned ones
	// (3, 6) are overdue on responding, signed ones on handling: all overdue.
	tests := []struct {
		name string
		got  []MetricsRow
		want []row
	}{
		{"by_category", m.ByCategory, []row{
			// 停车管理: 2, 3, 5 -> response 2/3; resolution: 2 no, 5 yes -> 1/2
			{"停车管理", 3, metricsF(2.0 / 3), metricsF(0.5), 3, 3, 2},
			// 环境卫生: 4, 6 -> response 1/2; resolution: 4 yes, 6 partly x0 -> 1/2
			{"环境卫生", 2, metricsF(0.5), metricsF(0.5), 2, 2, 2},
			// 噪音扰民: 1 -> 1/1, 1/1
			{"噪音扰民", 1, metricsF(1), metricsF(1), 1, 1, 1},
		}},
		{"by_building", m.ByBuilding, []row{
			// ties on 2 cases sort by key: "" < "1号楼" < "2号楼"
			{"", 2, metricsF(0.5), metricsF(0.5), 2, 2, 2},  // 4, 6
			{"1号楼", 2, metricsF(0.5), metricsF(1), 2, 2, 1}, // 1, 3: response 1/2; resolution 1 yes -> 1/1
			{"2号楼", 2, metricsF(1), metricsF(0.5), 2, 2, 2}, // 2, 5: response 2/2; resolution 1/2
		}},
		{"by_channel", m.ByChannel, []row{
			{"12345", 3, metricsF(1.0 / 3), metricsF(0), 3, 3, 2}, // 2, 3, 6: response 1/3; resolution 2 no, 6 partly -> 0/2
			{"grid", 2, metricsF(1), metricsF(1), 2, 2, 2},        // 1, 5
			{"walk-in", 1, metricsF(1), metricsF(1), 1, 1, 1},     // 4
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.got) != len(tt.want) {
				t.Fatalf("%d rows, want %d: %+v", len(tt.got), len(tt.want), tt.got)
			}
			sum := 0
			for i, w := range tt.want {
				g := tt.got[i]
				sum += g.Cases
				if g.Key != w.key || g.Cases != w.cases || g.Open != w.open || g.Overdue != w.overdue || g.Evaluated != w.evaluat {
					t.Errorf("row %d = %q cases %d open %d overdue %d evaluated %d, want %q %d %d %d %d",
						i, g.Key, g.Cases, g.Open, g.Overdue, g.Evaluated, w.key, w.cases, w.open, w.overdue, w.evaluat)
				}
				metricsCheckRate(t, w.key+" response", g.ResponseRate, w.response)
				metricsCheckRate(t, w.key+" resolution", g.ResolutionRate, w.resolution)
				metricsCheckRate(t, w.key+" satisfaction", g.SatisfactionRate, nil)
				metricsCheckRate(t, w.key+" composite", g.CompositeScore, nil)
			}
			if sum != m.Cases {
				t.Errorf("rows add up to %d cases, want %d", sum, m.Cases)
			}
		})
	}
}

// TestMetricsTerm checks the term comparison before and since the start.
func TestMetricsTerm(t *testing.T) {
	start := Date{2025, 12, 1}                                // 00:00 Shanghai = 2025-11-30T16:00Z
	startAt := time.Date(2025, 11, 30, 16, 0, 0, 0, time.UTC) // the first moment of the term
	mk := func(id string, rec time.Time, onTime bool, solved Solved, sat Satisfaction) *Summary {
		c := metricsOpenCase(id, rec)
		c.Status, c.Solved, c.Satisfaction = StatusClosed, solved, sat
		c.RespondedAt = rec.Add(time.Hour)
		if !onTime {
			c.RespondedAt = c.RespondDue.Add(time.Hour)
		}
		return c
	}
	cases := []*Summary{
		mk("b1", startAt.Add(-time.Minute), false, SolvedYes, Satisfied), // 2025-11-30 23:59 Shanghai: before
		mk("b2", metricsCST(2025, 11, 10, 9, 0), true, SolvedNo, NotSatisfied),
		mk("d1", startAt, true, SolvedYes, Satisfied), // exactly the start: during
		mk("d2", metricsCST(2026, 1, 5, 9, 0), true, SolvedYes, BasicSatisfied),
		mk("d3", metricsCST(2026, 2, 5, 9, 0), true, SolvedPartly, NotSatisfied),
		mk("d4", metricsCST(2026, 3, 5, 9, 0), true, "", ""),
		mk("old", metricsCST(2025, 6, 1, 9, 0), true, SolvedNo, NotSatisfied), // outside the query period
	}
	s := metricsSettings(func(s *Settings) {
		s.Term = Term{Secretary: "王书记", Start: start, End: Date{2026, 10, 31},
			Baseline: Rates{Response: metricsF(0.9), Resolution: metricsF(0.5)}}
	})
	m := ComputeMetrics(cases, s, MetricsQuery{From: metricsCST(2025, 11, 1, 0, 0), Now: metricsNow})
	if m.Term == nil {
		t.Fatal("term = nil, want a comparison")
	}
	tc := m.Term
	if tc.Start != start || tc.Before.Cases != 2 || tc.During.Cases != 4 {
		t.Fatalf("start %v, before %d, during %d cases; want %v, 2, 4", tc.Start, tc.Before.Cases, tc.During.Cases, start)
	}
	// Before: b1 late, b2 on time -> response 1/2 = 0.5; resolution 1/2 = 0.5;
	// satisfaction 1/2 = 0.5; composite 0.1x0.5 + 0.5x0.5 + 0.4x0.5 = 0.5.
	// During: all on time -> 4/4 = 1; resolution (d1, d2 yes; d3 partly x0) 2/3;
	// satisfaction (1 + 0.9)/3 = 0.6333333;
	// composite 0.1x1 + 0.5x(2/3) + 0.4x(1.9/3) = 0.1 + 0.3333333 + 0.2533333 = 0.6866667.
	checks := []struct {
		name      string
		got, want *float64
	}{
		{"before response", tc.Before.ResponseRate, metricsF(0.5)},
		{"before resolution", tc.Before.ResolutionRate, metricsF(0.5)},
		{"before satisfaction", tc.Before.SatisfactionRate, metricsF(0.5)},
		{"before composite", tc.Before.CompositeScore, metricsF(0.5)},
		{"during response", tc.During.ResponseRate, metricsF(1)},
		{"during resolution", tc.During.ResolutionRate, metricsF(2.0 / 3)},
		{"during satisfaction", tc.During.SatisfactionRate, metricsF(1.9 / 3)},
		{"during composite", tc.During.CompositeScore, metricsF(0.1 + 0.5*2.0/3 + 0.4*1.9/3)},
		// Change against the baseline (0.9, 0.5, none).
		{"change response", tc.Change.Response, metricsF(0.1)},
		{"change resolution", tc.Change.Resolution, metricsF(2.0/3 - 0.5)},
		{"change satisfaction", tc.Change.Satisfaction, nil},
		// Change since before.
		{"since before response", tc.ChangeSinceBefore.Response, metricsF(0.5)},
		{"since before resolution", tc.ChangeSinceBefore.Resolution, metricsF(2.0/3 - 0.5)},
		{"since before satisfaction", tc.ChangeSinceBefore.Satisfaction, metricsF(1.9/3 - 0.5)},
		{"baseline response", tc.Baseline.Response, metricsF(0.9)},
	}
	for _, c := range checks {
		metricsCheckRate(t, c.name, c.got, c.want)
	}

	// A period entirely within the term: before has no data, so the change
	// since before is nil while the change against the baseline is not.
	m = ComputeMetrics(cases, s, MetricsQuery{From: metricsCST(2026, 1, 1, 0, 0), Now: metricsNow})
	if m.Term.Before.Cases != 0 || m.Term.During.Cases != 3 {
		t.Errorf("within term: before %d during %d, want 0 and 3", m.Term.Before.Cases, m.Term.During.Cases)
	}
	metricsCheckRate(t, "within term: since before response", m.Term.ChangeSinceBefore.Response, nil)
	metricsCheckRate(t, "within term: change response", m.Term.Change.Response, metricsF(0.1)) // 3/3 - 0.9

	// No term start: no comparison.
	if m := ComputeMetrics(cases, nil, MetricsQuery{Now: metricsNow}); m.Term != nil {
		t.Errorf("no term start: term = %+v, want nil", m.Term)
	}
}

// metricsSynthetic makes n deterministic synthetic summaries over 2025-01 to
// 2026-03, with deadlines from the default policy.
func metricsSynthetic(n int) []*Summary {
	r := rand.New(rand.NewPCG(2026, 12345))
	policy := DefaultPolicy()
	channels := Channels()
	urgencies := Urgencies()
	buildings := make([]string, 60)
	for i := range buildings {
		buildings[i] = fmt.Sprintf("%d号楼", i+1)
	}
	start := metricsCST(2025, 1, 1, 0, 0)
	span := int64(metricsCST(2026, 4, 1, 0, 0).Sub(start) / time.Second)
	out := make([]*Summary, n)
	for i := range out {
		rec := start.Add(time.Duration(r.Int64N(span)) * time.Second)
		s := &Summary{
			ID:       fmt.Sprintf("c%06d", i),
			Number:   fmt.Sprintf("2026-%06d", i),
			Received: rec,
			Channel:  channels[r.IntN(len(channels))],
			Type:     TypeComplaint,
			Category: DefaultCategories[r.IntN(len(DefaultCategories))],
			Urgency:  urgencies[r.IntN(len(urgencies))],
			Summary:  "楼道堆物影响通行",
			Status:   StatusReceived,
		}
		if r.IntN(10) > 0 {
			s.Building = buildings[r.IntN(len(buildings))]
		}
		if r.IntN(100) < 95 {
			s.RespondedAt = rec.Add(time.Duration(r.IntN(40*60)) * time.Minute)
			s.Status = StatusResponded
			if r.IntN(100) < 85 {
				s.HandledAt = s.RespondedAt.Add(time.Duration(r.IntN(20*24)) * time.Hour)
				s.ResolvedAt = s.HandledAt
				s.Status = StatusResolved
				if r.IntN(100) < 80 {
					s.Status = StatusClosed
					s.Solved = []Solved{SolvedYes, SolvedYes, SolvedYes, SolvedPartly, SolvedNo}[r.IntN(5)]
					s.Satisfaction = []Satisfaction{Satisfied, Satisfied, BasicSatisfied, NotSatisfied}[r.IntN(4)]
				}
			} else {
				s.Status = StatusInProgress
			}
		}
		if r.IntN(100) < 5 {
			s.Escalation = LevelStreet
		}
		if r.IntN(100) < 3 {
			s.Linked = []string{"c000000"}
		}
		metricsRuleTouches(r, s)
		s.SetDeadlines(&policy)
		out[i] = s
	}
	return out
}

func BenchmarkComputeMetrics100k(b *testing.B) {
	cases := metricsSynthetic(100_000)
	s := DefaultSettings()
	s.Term.Start = Date{2025, 12, 1}
	rate := 0.6
	s.Term.Baseline = Rates{Response: &rate, Resolution: &rate, Satisfaction: &rate}
	q := MetricsQuery{Now: metricsCST(2026, 4, 1, 9, 0)}
	b.ReportAllocs()
	var m Metrics
	for b.Loop() {
		m = ComputeMetrics(cases, &s, q)
	}
	if m.Cases != 100_000 {
		b.Fatalf("cases = %d", m.Cases)
	}
}

// metricsStreamData makes n deterministic summaries for the tally tests over
// 2025-01 to 2026-04: few buildings and categories so that repeats are common,
// one appeal in five at exactly the moment of an earlier one, empty buildings,
// linked appeals, every status, channel and escalation level. Ids are unique
// and unrelated to the time received.
func metricsStreamData(seed uint64, n int) []*Summary {
	r := rand.New(rand.NewPCG(seed, 7))
	policy := DefaultPolicy()
	statuses, channels, urgencies := Statuses(), Channels(), Urgencies()
	levels := []Level{LevelCommunity, LevelCommunity, LevelStreet, LevelDistrict, LevelCity}
	solved := []Solved{"", SolvedYes, SolvedPartly, SolvedNo}
	sats := []Satisfaction{"", Satisfied, BasicSatisfied, NotSatisfied}
	buildings := []string{"", "1号楼", "2号楼", "3号楼", "4号楼"}
	categories := []string{"停车管理", "噪音扰民", "环境卫生"}
	start := metricsCST(2025, 1, 1, 0, 0)
	minutes := int64(metricsCST(2026, 4, 30, 0, 0).Sub(start) / time.Minute)
	ids := r.Perm(n)
	out := make([]*Summary, n)
	for i := range out {
		rec := start.Add(time.Duration(r.Int64N(minutes)) * time.Minute)
		if i > 0 && r.IntN(5) == 0 {
			rec = out[r.IntN(i)].Received // same moment as an earlier one
			if r.IntN(2) == 0 {
				rec = rec.In(time.UTC) // the same instant in another zone
			}
		}
		s := &Summary{
			ID:         fmt.Sprintf("x%05d", ids[i]),
			Number:     fmt.Sprintf("2026-%05d", i),
			Received:   rec,
			Channel:    channels[r.IntN(len(channels))],
			Type:       TypeComplaint,
			Category:   categories[r.IntN(len(categories))],
			Building:   buildings[r.IntN(len(buildings))],
			Urgency:    urgencies[r.IntN(len(urgencies))],
			Summary:    "楼道堆物",
			Status:     statuses[r.IntN(len(statuses))],
			Escalation: levels[r.IntN(len(levels))],
		}
		if r.IntN(4) > 0 {
			s.RespondedAt = rec.Add(time.Duration(r.IntN(48*60)) * time.Minute)
			if r.IntN(3) > 0 {
				s.HandledAt = s.RespondedAt.Add(time.Duration(r.IntN(20*24)) * time.Hour)
			}
		}
		s.Solved, s.Satisfaction = solved[r.IntN(len(solved))], sats[r.IntN(len(sats))]
		if r.IntN(20) == 0 {
			s.Linked = []string{"x00000"}
		}
		metricsRuleTouches(r, s)
		s.SetDeadlines(&policy)
		out[i] = s
	}
	return out
}

// metricsRuleTouches gives a few appeals what the 12345 rules record: an
// accepted contest, a merge, a callback without a verdict, an approved
// extension, a pending request, a whistle.
func metricsRuleTouches(r *rand.Rand, s *Summary) {
	switch r.IntN(40) {
	case 0:
		s.Contested = true
	case 1:
		s.MergedInto = "x00001"
	case 2:
		s.Callback, s.Solved, s.Satisfaction = CallbackUnreachable, "", ""
	case 3:
		s.ExtendedTo = s.Received.Add(time.Duration(10+r.IntN(20)) * 24 * time.Hour)
	case 4:
		s.Pending = RequestExtend
	case 5:
		s.Whistle = []DeptCall{{Dept: "城管", Summoned: s.Received, Arrived: s.Received.Add(time.Duration(r.IntN(90)) * time.Minute), Rating: Satisfied}}
	}
}

// metricsStreamQueries are the settings and queries the tally tests run:
// periods that cut months and quarters, filters, the term comparison and
// repeat windows of 0 (off), 1 and 30 days.
func metricsStreamQueries() []struct {
	name string
	s    *Settings
	q    MetricsQuery
} {
	now := metricsCST(2026, 3, 20, 12, 0)
	withTerm := metricsSettings(func(s *Settings) {
		s.Term.Start = Date{2025, 12, 1}
		s.Term.Baseline = Rates{Response: metricsF(0.8), Resolution: metricsF(0.5)}
	})
	return []struct {
		name string
		s    *Settings
		q    MetricsQuery
	}{
		{"unbounded, default settings", nil, MetricsQuery{Now: now}},
		{"period cutting quarters, term", withTerm, MetricsQuery{From: metricsCST(2025, 2, 15, 13, 0), To: metricsCST(2026, 2, 10, 0, 0), Now: now}},
		{"from only, channel filter", nil, MetricsQuery{From: metricsCST(2025, 6, 1, 0, 0), Now: now,
			Filter: &Filter{Channels: []Channel{Channel12345, ChannelGrid}}}},
		{"building and status filter, repeat off", metricsSettings(func(s *Settings) { s.Weights.RepeatDays = 0 }),
			MetricsQuery{To: metricsCST(2026, 1, 1, 0, 0), Now: now, Filter: &Filter{Buildings: []string{"1号楼", ""}, Open: true}}},
		{"repeat window of 1 day, text filter", metricsSettings(func(s *Settings) { s.Weights.RepeatDays = 1 }),
			MetricsQuery{Now: now, Filter: &Filter{Text: "2026-0"}}},
	}
}

// metricsOldestFirst returns a copy of cases ordered by time received then
// id; metricsNewestFirst the reverse, the store's index order.
func metricsOldestFirst(cases []*Summary) []*Summary {
	out := slices.Clone(cases)
	slices.SortFunc(out, func(a, b *Summary) int {
		if c := a.Received.Compare(b.Received); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

func metricsNewestFirst(cases []*Summary) []*Summary {
	out := metricsOldestFirst(cases)
	slices.Reverse(out)
	return out
}

// metricsFeedOrder orders cases by time received, shuffling appeals of the
// same moment, as a tally may be fed.
func metricsFeedOrder(cases []*Summary, r *rand.Rand) []*Summary {
	out := slices.Clone(cases)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	slices.SortStableFunc(out, func(a, b *Summary) int { return a.Received.Compare(b.Received) })
	return out
}

// TestMetricsTallyMatchesCompute checks that a tally fed in time order gives
// exactly what ComputeMetrics gives, and that ComputeMetrics does not depend
// on the input order (newest first, oldest first, random, with nil entries)
// nor modifies its input.
func TestMetricsTallyMatchesCompute(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		data := metricsStreamData(seed, 1500+int(seed)*500)
		r := rand.New(rand.NewPCG(seed, 99))
		shuffled := slices.Clone(data)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		withNils := slices.Insert(slices.Clone(shuffled), len(shuffled)/2, nil, nil)
		withNils = append([]*Summary{nil}, withNils...)
		inputs := []struct {
			name  string
			cases []*Summary
		}{
			{"newest first", metricsNewestFirst(data)},
			{"oldest first", metricsOldestFirst(data)},
			{"random", shuffled},
			{"random with nils", withNils},
			{"newest first with nils", slices.Insert(metricsNewestFirst(data), 10, nil)},
			{"oldest first with nils", append(metricsOldestFirst(data), nil)},
		}
		for _, qq := range metricsStreamQueries() {
			t.Run(fmt.Sprintf("seed %d/%s", seed, qq.name), func(t *testing.T) {
				want := ComputeMetrics(shuffled, qq.s, qq.q)
				if want.Repeat == 0 && (qq.s == nil || qq.s.Weights.RepeatDays != 0) {
					t.Errorf("data set has no repeats: the test proves little")
				}
				for _, in := range inputs {
					before := slices.Clone(in.cases)
					values := make([]Summary, 0, len(in.cases))
					for _, c := range in.cases {
						if c != nil {
							values = append(values, *c)
						}
					}
					got := ComputeMetrics(in.cases, qq.s, qq.q)
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%s: ComputeMetrics differs from random order:\n%s", in.name, metricsDiff(got, want))
					}
					if !slices.Equal(in.cases, before) {
						t.Errorf("%s: ComputeMetrics reordered its input", in.name)
					}
					i := 0
					for _, c := range in.cases {
						if c != nil {
							if !reflect.DeepEqual(*c, values[i]) {
								t.Fatalf("%s: ComputeMetrics modified appeal %s", in.name, c.ID)
							}
							i++
						}
					}
				}
				for round := range 3 {
					tally := NewMetricsTally(qq.s, qq.q)
					for _, c := range metricsFeedOrder(data, r) {
						if err := tally.Add(c); err != nil {
							t.Fatal(err)
						}
					}
					if got := tally.Metrics(); !reflect.DeepEqual(got, want) {
						t.Errorf("tally, round %d: differs from ComputeMetrics:\n%s", round, metricsDiff(got, want))
					}
				}
			})
		}
	}
}

// metricsDiff shows two Metrics as JSON, line by line where they differ.
func metricsDiff(got, want Metrics) string {
	g, _ := json.MarshalIndent(got, "", " ")
	w, _ := json.MarshalIndent(want, "", " ")
	gl, wl := strings.Split(string(g), "\n"), strings.Split(string(w), "\n")
	var b strings.Builder
	for i := range max(len(gl), len(wl)) {
		var x, y string
		if i < len(gl) {
			x = gl[i]
		}
		if i < len(wl) {
			y = wl[i]
		}
		if x != y {
			fmt.Fprintf(&b, "line %d: got %s, want %s\n", i+1, x, y)
			if b.Len() > 2000 {
				break
			}
		}
	}
	return b.String()
}

// TestMetricsTallyAdd checks what Add accepts: nil, appeals of the same moment
// in any order, and refuses an appeal received before the previous one
// without counting it.
func TestMetricsTallyAdd(t *testing.T) {
	mk := func(id string, rec time.Time) *Summary {
		c := metricsOpenCase(id, rec)
		c.Building = "1号楼"
		return c
	}
	t1, t2 := metricsCST(2026, 3, 1, 9, 0), metricsCST(2026, 3, 2, 9, 0)
	tests := []struct {
		name    string
		feed    []*Summary
		badAt   int // index of the appeal refused, -1 if none
		cases   int
		repeats int
	}{
		{"in order", []*Summary{mk("a", t1), mk("b", t2)}, -1, 2, 1},
		{"nil is ignored", []*Summary{nil, mk("a", t1), nil, mk("b", t2), nil}, -1, 2, 1},
		{"same moment, larger id first", []*Summary{mk("b", t1), mk("a", t1), mk("c", t2)}, -1, 3, 2},
		{"same instant in another zone", []*Summary{mk("b", t1), mk("a", t1.In(time.UTC))}, -1, 2, 1},
		{"earlier than the previous", []*Summary{mk("a", t2), mk("b", t1)}, 1, 1, 0},
		{"a nanosecond earlier", []*Summary{mk("a", t1), mk("b", t1.Add(-time.Nanosecond))}, 1, 1, 0},
		{"refused, then in order again", []*Summary{mk("a", t2), mk("b", t1), mk("c", t2)}, 1, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tally := NewMetricsTally(nil, MetricsQuery{Now: metricsNow})
			for i, c := range tt.feed {
				err := tally.Add(c)
				if i == tt.badAt {
					if !errors.Is(err, ErrInvalid) {
						t.Errorf("Add #%d = %v, want an ErrInvalid", i, err)
					}
				} else if err != nil {
					t.Errorf("Add #%d = %v, want nil", i, err)
				}
			}
			m := tally.Metrics()
			if m.Cases != tt.cases || m.Repeat != tt.repeats {
				t.Errorf("cases %d repeat %d, want %d and %d", m.Cases, m.Repeat, tt.cases, tt.repeats)
			}
		})
	}

	// Metrics does not end the tally: asking midway and going on gives the
	// same figures as asking once at the end.
	data := metricsOldestFirst(metricsStreamData(4, 600))
	once := NewMetricsTally(nil, MetricsQuery{Now: metricsNow})
	midway := NewMetricsTally(nil, MetricsQuery{Now: metricsNow})
	for i, c := range data {
		_ = once.Add(c)
		_ = midway.Add(c)
		if i%100 == 0 {
			_ = midway.Metrics()
		}
	}
	if a, b := once.Metrics(), midway.Metrics(); !reflect.DeepEqual(a, b) {
		t.Errorf("Metrics midway changed the result:\n%s", metricsDiff(b, a))
	}
}

// TestMetricsTallyReusedSummary feeds every appeal through one reused struct,
// as a reader decoding rows one at a time does (its Linked slice reused too),
// and expects the figures of ComputeMetrics.
func TestMetricsTallyReusedSummary(t *testing.T) {
	data := metricsStreamData(5, 2000)
	for _, qq := range metricsStreamQueries() {
		t.Run(qq.name, func(t *testing.T) {
			want := ComputeMetrics(data, qq.s, qq.q)
			tally := NewMetricsTally(qq.s, qq.q)
			var buf Summary
			for _, c := range metricsOldestFirst(data) {
				linked := append(buf.Linked[:0], c.Linked...)
				buf = *c
				buf.Linked = linked
				if err := tally.Add(&buf); err != nil {
					t.Fatal(err)
				}
				// Scribble over what the tally was given.
				buf.ID, buf.Building, buf.Category, buf.Received = "zzz", "scribbled", "scribbled", time.Time{}
				for i := range buf.Linked {
					buf.Linked[i] = "scribbled"
				}
			}
			if got := tally.Metrics(); !reflect.DeepEqual(got, want) {
				t.Errorf("reused summary: differs from ComputeMetrics:\n%s", metricsDiff(got, want))
			}
		})
	}
}

// TestMetricsSameMomentSameID checks the last tie-break of the repeat rule:
// two appeals of one building and category at the same moment with the same
// id are ordered by position in the input, whichever way ComputeMetrics
// walks it. Only the first (channel grid) passes the filter, so it is a
// repeat exactly when it comes second.
func TestMetricsSameMomentSameID(t *testing.T) {
	at := metricsCST(2026, 3, 5, 9, 0)
	mk := func(id string, rec time.Time, ch Channel) *Summary {
		c := metricsOpenCase(id, rec)
		c.Building, c.Channel = "1号楼", ch
		return c
	}
	grid, hotline := mk("d", at, ChannelGrid), mk("d", at, Channel12345)
	older, newer := mk("o", metricsCST(2025, 1, 1, 9, 0), ChannelWalkIn), mk("n", metricsCST(2026, 3, 9, 9, 0), ChannelWalkIn)
	tests := []struct {
		name   string
		cases  []*Summary
		repeat int
	}{
		{"oldest first, grid first", []*Summary{older, grid, hotline, newer}, 0},
		{"oldest first, grid second", []*Summary{older, hotline, grid, newer}, 1},
		{"newest first, grid first", []*Summary{newer, grid, hotline, older}, 0},
		{"newest first, grid second", []*Summary{newer, hotline, grid, older}, 1},
		{"newest first with nils, grid first", []*Summary{nil, newer, grid, nil, hotline, older, nil}, 0},
		{"newest first with nils, grid second", []*Summary{newer, nil, hotline, nil, grid, older}, 1},
		{"random, grid first", []*Summary{grid, newer, older, hotline}, 0},
		{"random, grid second", []*Summary{hotline, older, newer, grid}, 1},
	}
	q := MetricsQuery{Now: metricsNow, Filter: &Filter{Channels: []Channel{ChannelGrid}}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ComputeMetrics(tt.cases, nil, q)
			if m.Cases != 1 || m.Repeat != tt.repeat {
				t.Errorf("cases %d repeat %d, want 1 and %d", m.Cases, m.Repeat, tt.repeat)
			}
		})
	}
}

// TestMetricsByQuarter checks that each quarter row equals the figures of a
// separate ComputeMetrics over the period clipped to that quarter, with a
// period that cuts its first and last quarter.
func TestMetricsByQuarter(t *testing.T) {
	data := metricsStreamData(6, 3000)
	quarterStart := func(y, q int) time.Time { return metricsCST(y, time.Month(3*q-2), 1, 0, 0) }
	tests := []struct {
		name string
		q    MetricsQuery
		keys []string
	}{
		{"unbounded", MetricsQuery{Now: metricsNow},
			[]string{"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"}},
		{"period cutting quarters", MetricsQuery{From: metricsCST(2025, 2, 15, 13, 0), To: metricsCST(2025, 11, 10, 0, 0), Now: metricsNow},
			[]string{"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"}},
		{"within one quarter, filtered", MetricsQuery{From: metricsCST(2025, 7, 3, 0, 0), To: metricsCST(2025, 8, 1, 0, 0), Now: metricsNow,
			Filter: &Filter{Categories: []string{"停车管理"}}}, []string{"2025-Q3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ComputeMetrics(data, nil, tt.q)
			var keys []string
			sum := 0
			for _, row := range m.ByQuarter {
				keys = append(keys, row.Key)
				sum += row.Cases
				var y, qn int
				if _, err := fmt.Sscanf(row.Key, "%d-Q%d", &y, &qn); err != nil {
					t.Fatalf("key %q: %v", row.Key, err)
				}
				sub := tt.q
				sub.From, sub.To = quarterStart(y, qn), quarterStart(y, qn).AddDate(0, 3, 0)
				if !tt.q.From.IsZero() && tt.q.From.After(sub.From) {
					sub.From = tt.q.From
				}
				if !tt.q.To.IsZero() && tt.q.To.Before(sub.To) {
					sub.To = tt.q.To
				}
				w := ComputeMetrics(data, nil, sub)
				want := MetricsRow{Key: row.Key, Cases: w.Cases,
					ResponseRate: w.ResponseRate, ResolutionRate: w.ResolutionRate, SatisfactionRate: w.SatisfactionRate,
					CompositeScore: w.CompositeScore, OnTimeRate: w.OnTimeRate,
					Open: w.Open, Overdue: w.Overdue, Evaluated: w.Evaluated, Parts: w.Parts.RateParts,
					Assessment: w.Assessment, AssessmentParts: w.AssessmentParts}
				if !reflect.DeepEqual(row, want) {
					t.Errorf("%s = %+v,\nwant %+v", row.Key, row, want)
				}
			}
			if !slices.Equal(keys, tt.keys) {
				t.Errorf("quarters = %v, want %v", keys, tt.keys)
			}
			if sum != m.Cases {
				t.Errorf("quarters add up to %d appeals, want %d", sum, m.Cases)
			}
			// Months roll up into quarters.
			perQuarter := map[string]int{}
			for _, row := range m.ByMonth {
				var y, mo int
				_, _ = fmt.Sscanf(row.Key, "%d-%d", &y, &mo)
				perQuarter[quarterKey(y*4+(mo-1)/3)] += row.Cases
			}
			for _, row := range m.ByQuarter {
				if perQuarter[row.Key] != row.Cases {
					t.Errorf("%s: months add up to %d, row has %d", row.Key, perQuarter[row.Key], row.Cases)
				}
			}
		})
	}
}

// TestMetricsQuarterKey checks quarter boundaries in Shanghai time and the
// key format.
func TestMetricsQuarterKey(t *testing.T) {
	utc := func(y int, m time.Month, d, hh int) time.Time { return time.Date(y, m, d, hh, 0, 0, 0, time.UTC) }
	tests := []struct {
		rec  time.Time
		want string
	}{
		{utc(2025, 12, 31, 15), "2025-Q4"}, // 23:00 on 12-31 in Shanghai
		{utc(2025, 12, 31, 16), "2026-Q1"}, // 00:00 on 01-01 in Shanghai
		{metricsCST(2026, 3, 31, 23, 59), "2026-Q1"},
		{metricsCST(2026, 4, 1, 0, 0), "2026-Q2"},
		{metricsCST(2026, 9, 30, 12, 0), "2026-Q3"},
		{metricsCST(2026, 10, 1, 0, 0), "2026-Q4"},
		{metricsCST(987, 5, 1, 0, 0), "0987-Q2"},
	}
	for _, tt := range tests {
		m := ComputeMetrics([]*Summary{metricsOpenCase("a", tt.rec)}, nil, MetricsQuery{Now: metricsNow})
		if len(m.ByQuarter) != 1 || m.ByQuarter[0].Key != tt.want {
			t.Errorf("received %v: by_quarter = %+v, want one row %s", tt.rec, m.ByQuarter, tt.want)
		}
	}
}
