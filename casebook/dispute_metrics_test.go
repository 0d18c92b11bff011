package casebook

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestDisputeSummarize(t *testing.T) {
	f := newDspFixture(t)
	f.toStatus(DisputeAgreed)
	f.do(f.a.AddMeeting(f.d, Meeting{Place: "小院", Kind: MeetingCourtyard}))
	late := f.do(f.a.AddTask(f.d, Task{Title: "修台阶", Owner: "城建科", Due: Date{2026, 4, 30}}))
	f.do(f.a.AddTask(f.d, Task{Title: "装扶手", Owner: "物业", Due: Date{2026, 5, 11}}))
	done := f.do(f.a.AddTask(f.d, Task{Title: "清理渣土", Owner: "物业", Due: Date{2026, 4, 1}}))
	f.do(f.a.SetTaskDone(f.d, done.ID, true, time.Time{}))
	_ = late

	// 00:30 on 2 March in Beijing is still 1 March in UTC: days are Shanghai days.
	first := time.Date(2026, 3, 1, 16, 30, 0, 0, time.UTC)
	tests := []struct {
		name    string
		first   time.Time
		now     time.Time
		age     int
		overdue int
	}{
		{"due today is not overdue", first, time.Date(2026, 5, 11, 10, 0, 0, 0, Shanghai), 70, 1},
		{"due yesterday is", first, time.Date(2026, 5, 12, 0, 10, 0, 0, Shanghai), 71, 2},
		{"before any due date", first, time.Date(2026, 4, 2, 9, 0, 0, 0, Shanghai), 31, 0},
		{"no first appeal: from registration", time.Time{}, time.Date(2026, 3, 12, 9, 0, 0, 0, Shanghai), 10, 0},
	}
	for _, tt := range tests {
		s := f.d.Summarize(tt.first, tt.now)
		if s.AgeDays != tt.age || s.OverdueTasks != tt.overdue || s.OpenTasks != 2 || s.Plans != 1 || s.Meetings != 1 ||
			s.Status != DisputeImplementing || s.Cases != 2 || s.AgreedAt.IsZero() || s.Title != "坡地修路" {
			t.Errorf("%s: %+v", tt.name, s)
		}
	}
	// A resolved dispute stops ageing.
	fp := buildFootpath(t)
	first = fp.d.FirstAppeal(dspSummaries(fp.cases))
	if !first.Equal(fp.cases[0].Received()) {
		t.Fatalf("first appeal = %v", first)
	}
	s := fp.d.Summarize(first, time.Date(2027, 1, 1, 0, 0, 0, 0, Shanghai))
	if s.AgeDays != 273 || s.OpenTasks != 0 || s.ResolvedAt.IsZero() { // 2025-09-01 to 2026-06-01
		t.Errorf("resolved: %+v", s)
	}
}

func dspSummaries(cases []*Case) []*Summary {
	p := DefaultPolicy()
	var out []*Summary
	for _, c := range cases {
		s := c.Summarize(&p)
		out = append(out, &s)
	}
	return out
}

func TestDisputeMetrics(t *testing.T) {
	fp := buildFootpath(t)
	linked := dspSummaries(fp.cases)
	other := func(id, building, category string, received time.Time) *Summary {
		return &Summary{ID: id, Building: building, Category: category, Received: received}
	}
	before := time.Date(2025, 12, 1, 9, 0, 0, 0, Shanghai)
	after := time.Date(2026, 7, 1, 9, 0, 0, 0, Shanghai)
	all := append(append([]*Summary{}, linked...),
		other("r1", "14号楼", "道路设施", before),            // counts, before
		other("r2", "15号楼", "道路设施", after),             // counts, after
		other("r3", "14号楼", "停车管理", after),             // another category
		other("r4", "16号楼", "道路设施", before),            // another building
		other("r5", "", "道路设施", after),                 // no building
		other("r6", "15号楼", "道路设施", fp.d.Agreement.At), // at the agreement: after
		nil,
	)
	st := DisputeMetrics(fp.d, linked, all)
	if st.PlanVersions != 3 || st.RepeatBefore != 1 || st.RepeatAfter != 2 {
		t.Errorf("stats = %+v", st)
	}
	// 2025-09-01 to 2026-04-10 in Shanghai days.
	if st.DaysToAgreement == nil || *st.DaysToAgreement != 221 || !st.FirstAppeal.Equal(fp.cases[0].Received()) ||
		st.ToAgreement != fp.d.Agreement.At.Sub(st.FirstAppeal) {
		t.Errorf("to agreement: %+v", st)
	}

	// Without an agreement every repeat is "before" and there is no time to agreement.
	f := newDspFixture(t)
	f.plan()
	st = DisputeMetrics(f.d, nil, all)
	if st.DaysToAgreement != nil || st.PlanVersions != 0 || st.RepeatBefore != 0 || st.RepeatAfter != 0 {
		t.Errorf("no agreement, no linked summaries: %+v", st)
	}
	b, _ := json.Marshal(st)
	if !strings.Contains(string(b), `"days_to_agreement":null`) {
		t.Errorf("JSON: %s", b)
	}

	// Plans put on the table after the agreement in force (talks resumed
	// after a stall, no new agreement yet) do not count.
	f = newDspFixture(t)
	f.toStatus(DisputeImplementing)
	f.do(f.a.Stall(f.d, time.Time{}, "资金未到位"))
	f.do(f.a.Resume(f.d, time.Time{}, ""))
	f.plan()
	if st := DisputeMetrics(f.d, nil, nil); len(f.d.Plans()) != 2 || st.PlanVersions != 1 || st.DaysToAgreement != nil {
		t.Errorf("plan after agreement: %+v", st)
	}
}
