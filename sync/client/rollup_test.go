package client_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"casebook/casebook"
	"casebook/sync/internal/fixture"
	"casebook/sync/rollup"
)

func ptr(f float64) *float64 { return &f }

func near(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return math.Abs(*a-*b) < 1e-12
}

// The roll-up of three communities, synced to the hub by their devices, has
// the rates each casebook computes for itself.
func TestRollupThreeCommunities(t *testing.T) {
	forStores(t, func(t *testing.T, hs hubStore) {
		th := startHub(t, hs)
		now := time.Now()
		start := casebook.DateOf(now.AddDate(-1, 0, 0))
		end := casebook.DateOf(now.AddDate(0, 2, 0))
		type comm struct {
			name    string
			resolve int
			cases   int
		}
		comms := []comm{{"东风社区", 40, 150}, {"西山社区", 85, 120}, {"南湖社区", 60, 90}}
		want := map[string]casebook.Metrics{}
		for i, c := range comms {
			b := newBook(t, false)
			set := b.Settings()
			set.Community = casebook.Community{Name: c.name, Street: "示例街道", Households: 1000 + i}
			set.Term = casebook.Term{Secretary: fmt.Sprintf("书记%d", i), Start: start, End: end,
				Baseline: casebook.Rates{Response: ptr(0.8), Resolution: ptr(0.5), Satisfaction: ptr(0.6)}}
			if err := b.UpdateSettings(set, casebook.SettingCommunity, casebook.SettingTerm); err != nil {
				t.Fatal(err)
			}
			if _, err := b.Store().Apply(fixture.Cases(c.cases, fixture.Options{Seed: uint64(i + 1), Resolve: c.resolve, Now: now.Add(-time.Hour)})...); err != nil {
				t.Fatal(err)
			}
			doSync(t, b, th, th.enroll(c.name, false))
			want[c.name] = b.Metrics(casebook.MetricsQuery{From: start.Time(), To: end.AddDays(1).Time(), Now: now})
		}
		ru, err := th.h.Rollup(context.Background(), rollup.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if len(ru.Rows) != 3 {
			t.Fatalf("%d rows", len(ru.Rows))
		}
		for i, r := range ru.Rows {
			m := want[r.Community]
			d := m.Term.During
			if r.Cases != d.Cases || r.Cases == 0 || !near(r.Response, d.ResponseRate) || !near(r.Resolution, d.ResolutionRate) ||
				!near(r.Satisfaction, d.SatisfactionRate) || !near(r.Composite, d.CompositeScore) ||
				!near(r.Change.Resolution, m.Term.Change.Resolution) || !near(r.Change.Satisfaction, m.Term.Change.Satisfaction) {
				t.Errorf("%s: roll-up %+v\nwant during %+v change %+v", r.Community, r, d, m.Term.Change)
			}
			if r.Rank != i+1 || (i > 0 && *ru.Rows[i-1].Composite < *r.Composite) {
				t.Errorf("rank %d: %s %v", r.Rank, r.Community, *r.Composite)
			}
			if r.Secretary == "" || r.Households == 0 || r.TermStart != start || len(r.Months) == 0 {
				t.Errorf("%s: profile missing: %+v", r.Community, r)
			}
		}
		var buf bytes.Buffer
		if err := th.h.Export(context.Background(), &buf, rollup.Options{Now: now}); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) != 6 || sheets[0] != rollup.SummarySheet || sheets[1] != rollup.ChartSheet || sheets[2] != ru.Rows[0].Community {
			t.Errorf("sheets %v", sheets)
		}
		if v, _ := f.GetCellValue(rollup.SummarySheet, "B3"); v != ru.Rows[0].Community {
			t.Errorf("B3 = %q", v)
		}
		rows, _ := f.GetRows("东风社区")
		if len(rows) < 3 {
			t.Errorf("monthly sheet: %d rows", len(rows))
		}
	})
}
