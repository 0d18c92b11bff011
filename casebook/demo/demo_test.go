package demo

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"
)

// testNow is the demo's "today": 2026-11-24 10:00 in Shanghai, or the
// computer's clock if it is earlier (Generate refuses a future now).
func testNow() time.Time {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, casebook.Shanghai)
	if c := time.Now().Truncate(time.Hour); c.Before(now) {
		return c
	}
	return now
}

type generated struct {
	b  *store.Book
	st Stats
}

// books caches generated casebooks by seed and size: tests only read them.
var books = map[[2]int64]generated{}

func generate(t *testing.T, seed int64, n int) (*store.Book, Stats) {
	t.Helper()
	if g, ok := books[[2]int64{seed, int64(n)}]; ok {
		return g.b, g.st
	}
	b, err := store.NewBook(store.NewMemory(), Secretary, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Generate(b, Options{Seed: seed, Now: testNow(), Cases: n})
	if err != nil {
		t.Fatal(err)
	}
	books[[2]int64{seed, int64(n)}] = generated{b, st}
	return b, st
}

func TestGenerate(t *testing.T) {
	now := testNow()
	b, st := generate(t, 1, 0)
	all := b.List(casebook.Filter{}, now)
	if st.Cases != DefaultCases || len(all) != DefaultCases {
		t.Fatalf("stats %+v, %d cases listed; want %d", st, len(all), DefaultCases)
	}
	t.Logf("stats %+v", st)
	if share := float64(st.Open) / float64(st.Cases); share < 0.03 || share > 0.10 {
		t.Errorf("open share %.3f, want about 5–8%%", share)
	}
	if st.Overdue == 0 {
		t.Error("no overdue appeals")
	}
	m := b.Metrics(casebook.MetricsQuery{Now: now})
	if m.Open != st.Open || m.Overdue != st.Overdue {
		t.Errorf("metrics open/overdue %d/%d, stats %d/%d", m.Open, m.Overdue, st.Open, st.Overdue)
	}
	if m.DueSoon == 0 {
		t.Error("nothing due soon")
	}
	if m.Escalated == 0 {
		t.Error("no escalations")
	}

	// Settings of the community and its term.
	s := b.Settings()
	if s.Community.Name != DefaultCommunity || s.Community.Households != Households || len(s.Community.Buildings) != Buildings {
		t.Errorf("community %+v", s.Community)
	}
	if s.Term.Secretary != Secretary || s.Term.Start.String() != "2025-12-01" || s.Term.End.String() != "2026-10-31" {
		t.Errorf("term %+v", s.Term)
	}
	if r := s.Term.Baseline.Resolution; r == nil || *r != BaselineResolution {
		t.Errorf("baseline %+v", s.Term.Baseline)
	}

	// The mix: 12345 first, with work orders; all categories and urgencies.
	channels, urg, cats := map[casebook.Channel]int{}, map[casebook.Urgency]int{}, map[string]int{}
	workOrders := map[string]bool{}
	var unresolvable, duplicates int
	for _, c := range all {
		channels[c.Channel]++
		urg[c.Urgency]++
		cats[c.Category]++
		if c.Unresolvable {
			unresolvable++
		}
		if c.Channel == casebook.Channel12345 {
			if len(c.WorkOrder) != 16 || workOrders[c.WorkOrder] {
				t.Errorf("case %s: work order %q bad or repeated", c.Number, c.WorkOrder)
			}
			workOrders[c.WorkOrder] = true
		}
		if !c.Received.Before(now) || c.Received.Before(time.Date(2025, 12, 1, 0, 0, 0, 0, casebook.Shanghai)) {
			t.Errorf("case %s received %v, outside the term to now", c.Number, c.Received)
		}
		if len(c.Linked) > 0 {
			duplicates++
		}
	}
	for ch, n := range channels {
		if ch != casebook.Channel12345 && n >= channels[casebook.Channel12345] {
			t.Errorf("channel %s has %d appeals, 12345 only %d", ch, n, channels[casebook.Channel12345])
		}
	}
	if len(channels) != len(casebook.Channels()) {
		t.Errorf("channels %v, want all %d", channels, len(casebook.Channels()))
	}
	for _, u := range casebook.Urgencies() {
		if urg[u] == 0 {
			t.Errorf("no %s appeals: %v", u, urg)
		}
	}
	if urg[casebook.UrgencyGeneral] < DefaultCases/2 {
		t.Errorf("urgency mix %v: want mostly general", urg)
	}
	if len(cats) < len(casebook.DefaultCategories) {
		t.Errorf("categories %v", cats)
	}
	if unresolvable == 0 || duplicates == 0 {
		t.Errorf("%d unresolvable, %d linked as duplicate or recurring", unresolvable, duplicates)
	}

	// Every planned step was a step the loop allows.
	for _, sum := range all[:200] {
		c, err := b.Case(sum.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range c.Timeline {
			if e.Refused != "" {
				t.Errorf("case %s: %s refused: %s", sum.Number, e.Action, e.Refused)
			}
			if e.At.After(now) {
				t.Errorf("case %s: %s at %v, after now", sum.Number, e.Action, e.At)
			}
		}
	}
}

// TestRatesRise: the term's work shows month by month.
func TestRatesRise(t *testing.T) {
	b, _ := generate(t, 1, 0)
	m := b.Metrics(casebook.MetricsQuery{Now: testNow()})
	var months []casebook.MetricsRow
	for _, r := range m.ByMonth {
		if r.Evaluated >= 30 {
			months = append(months, r)
		}
	}
	if len(months) < 8 {
		t.Fatalf("only %d months with evaluations: %+v", len(months), m.ByMonth)
	}
	avg := func(rows []casebook.MetricsRow, f func(casebook.MetricsRow) *float64) float64 {
		sum := 0.0
		for _, r := range rows {
			sum += *f(r)
		}
		return sum / float64(len(rows))
	}
	early, late := months[:2], months[len(months)-3:]
	for _, rate := range []struct {
		name string
		f    func(casebook.MetricsRow) *float64
	}{
		{"resolution", func(r casebook.MetricsRow) *float64 { return r.ResolutionRate }},
		{"satisfaction", func(r casebook.MetricsRow) *float64 { return r.SatisfactionRate }},
		{"response", func(r casebook.MetricsRow) *float64 { return r.ResponseRate }},
	} {
		e, l := avg(early, rate.f), avg(late, rate.f)
		t.Logf("%s: early %.3f, late %.3f", rate.name, e, l)
		if l < e+0.05 {
			t.Errorf("%s rate did not rise: early months %.3f, late months %.3f", rate.name, e, l)
		}
	}
	if m.Term == nil || m.Term.Change.Resolution == nil || *m.Term.Change.Resolution <= 0 {
		t.Errorf("term comparison %+v: resolution should be above the baseline", m.Term)
	}
}

func fingerprint(b *store.Book) []string {
	var out []string
	for _, s := range b.List(casebook.Filter{}, testNow()) {
		out = append(out, fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%v|%v", s.Number, s.Received.Format(time.RFC3339),
			s.Channel, s.WorkOrder, s.Category, s.Building, s.Summary, s.Urgency, s.Status, s.Solved, s.Satisfaction,
			s.ClosedAt.Format(time.RFC3339), len(s.Linked)))
	}
	return out
}

// disputeFingerprint describes the disputes without their ids.
func disputeFingerprint(t *testing.T, b *store.Book) string {
	t.Helper()
	list, err := b.ListDisputes(testNow())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range list {
		d, _ := b.Dispute(s.ID)
		line := fmt.Sprintf("%s|%s|%d|%d|%d|%s|%s", s.Title, s.Status, s.Cases, s.Plans, s.Meetings,
			s.FirstAppeal.Format(time.RFC3339), s.ResolvedAt.Format(time.RFC3339))
		for _, e := range d.Log {
			line += "|" + string(e.Kind) + "@" + e.At.Format(time.RFC3339)
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func TestDeterministic(t *testing.T) {
	a, _ := generate(t, 42, 300)
	delete(books, [2]int64{42, 300})
	b, _ := generate(t, 42, 300)
	c, _ := generate(t, 43, 300)
	fa, fb, fc := fingerprint(a), fingerprint(b), fingerprint(c)
	if strings.Join(fa, "\n") != strings.Join(fb, "\n") {
		t.Error("the same seed gave different appeals")
	}
	if strings.Join(fa, "\n") == strings.Join(fc, "\n") {
		t.Error("different seeds gave the same appeals")
	}
	if da, db := disputeFingerprint(t, a), disputeFingerprint(t, b); da != db || da == "" {
		t.Errorf("the same seed gave different disputes:\n%s\n%s", da, db)
	}
}

// TestFootpath: the 14/15号楼 dispute's appeals are there and linked.
func TestFootpath(t *testing.T) {
	b, _ := generate(t, 1, 0)
	var from14, from15 []*casebook.Summary
	for _, s := range b.List(casebook.Filter{Buildings: []string{"14号楼", "15号楼"}}, testNow()) {
		if !strings.Contains(s.Summary, "步道") && !strings.Contains(s.Summary, "斜坡") && !strings.Contains(s.Summary, "草坡") && !strings.Contains(s.Summary, "土坡") {
			continue
		}
		switch s.Building {
		case "14号楼":
			from14 = append(from14, s)
		case "15号楼":
			from15 = append(from15, s)
		}
	}
	if len(from14) < 4 || len(from15) < 3 {
		t.Fatalf("%d footpath appeals from 14号楼, %d from 15号楼", len(from14), len(from15))
	}
	recurring := 0
	for _, s := range from14 {
		if len(s.Linked) > 0 {
			recurring++
		}
	}
	if recurring < 3 {
		t.Errorf("only %d of 14号楼's footpath appeals linked as recurring", recurring)
	}
	for _, s := range from15 {
		c, err := b.Case(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		opposing := false
		for _, l := range c.Links {
			if l.Kind == casebook.LinkOpposing {
				opposing = true
			}
		}
		if !opposing {
			t.Errorf("15号楼 appeal %s (%s) not linked as the opposing side", s.Number, s.Summary)
		}
	}
}

func TestSmallAndErrors(t *testing.T) {
	b, st := generate(t, 3, 20)
	if st.Cases != 20 {
		t.Errorf("stats %+v, want 20 cases", st)
	}
	if got := b.Settings().Community.Name; got != DefaultCommunity {
		t.Errorf("community %q", got)
	}
	if _, err := Generate(nil, Options{}); err == nil {
		t.Error("nil book accepted")
	}
	if _, err := Generate(b, Options{Now: time.Now().Add(48 * time.Hour)}); err == nil {
		t.Error("a future now accepted")
	}
	if _, err := Generate(b, Options{Cases: -1}); err == nil {
		t.Error("negative count accepted")
	}
}

func TestTerm(t *testing.T) {
	for _, c := range []struct{ now, start string }{
		{"2026-11-24", "2025-12-01"}, {"2026-01-31", "2025-12-01"}, {"2027-01-29", "2025-12-01"},
		{"2027-01-30", "2026-12-01"}, {"2027-06-01", "2026-12-01"},
	} {
		d, _ := casebook.ParseDate(c.now)
		start, end := Term(d.Time().Add(12 * time.Hour))
		if start.String() != c.start || end.Year != start.Year+1 || end.Month != time.October || end.Day != 31 {
			t.Errorf("Term(%s) = %s – %s, want start %s", c.now, start, end, c.start)
		}
	}
}

// TestBolt generates on a file, as `casebook demo` does, and checks that
// the views agree with the log.
func TestBolt(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a casebook file")
	}
	path := filepath.Join(t.TempDir(), "demo.db")
	bo, err := store.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.NewBook(bo, Secretary, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	st, err := Generate(b, Options{Seed: 1, Now: testNow()})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v in %v", st, time.Since(start))
	if err := bo.Check(); err != nil {
		t.Error(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	bo, err = store.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer bo.Close()
	if n := len(bo.Summaries()); n != st.Cases {
		t.Errorf("reopened: %d cases, want %d", n, st.Cases)
	}
}

// disputeByTitle finds a demo dispute by its title.
func disputeByTitle(t *testing.T, b *store.Book, title string) *casebook.Dispute {
	t.Helper()
	d, err := b.Dispute(title)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDisputes: the footpath dispute told in full, resolved, with the
// appeals of both buildings closed out by it; two other disputes open.
func TestDisputes(t *testing.T) {
	b, st := generate(t, 1, 0)
	if st.Disputes != 3 || st.OpenDisputes != 2 {
		t.Errorf("stats %+v", st)
	}
	list, err := b.ListDisputes(testNow())
	if err != nil || len(list) != 3 {
		t.Fatalf("%d disputes, %v", len(list), err)
	}
	d := disputeByTitle(t, b, "14号楼与15号楼之间坡地修路")
	if d.Status != casebook.DisputeResolved || len(d.Parties()) != 5 || len(d.Cases) != 8 {
		t.Fatalf("footpath: %s, %d parties, %d appeals", d.Status, len(d.Parties()), len(d.Cases))
	}
	plans, meetings, votes := d.Plans(), d.Meetings(), d.Votes()
	if len(plans) != 3 || plans[2].Title != "下端北移加扶手" || !strings.Contains(plans[2].Description, "23级") || plans[1].Changes == "" {
		t.Errorf("plans %+v", plans)
	}
	if len(meetings) != 2 || len(meetings[0].Addenda) != 1 || len(votes) != 2 ||
		votes[0].Passed() || votes[0].Meeting != meetings[0].ID || votes[0].Plan != plans[1].ID ||
		!votes[1].Passed() || votes[1].Meeting != meetings[1].ID || votes[1].Plan != plans[2].ID {
		t.Errorf("meetings %d, votes %+v", len(meetings), votes)
	}
	if d.Agreement == nil || d.Agreement.Plan != plans[2].ID || len(d.Agreement.SignedOff) != 4 {
		t.Errorf("agreement %+v", d.Agreement)
	}
	if ts := d.Tasks(); len(ts) != 3 || !ts[0].Done || !ts[1].Done || !ts[2].Done {
		t.Errorf("tasks %+v", ts)
	}
	stats, err := b.DisputeStats(d.ID)
	if err != nil || stats.PlanVersions != 3 || stats.DaysToAgreement == nil || *stats.DaysToAgreement != agreedDay-7 {
		t.Errorf("footpath figures %+v, %v", stats, err)
	}
	closedBy := map[string]int{}
	for _, id := range d.Cases {
		c, err := b.Case(id)
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != casebook.StatusClosed {
			t.Errorf("footpath appeal %s is %s", c.Number(), c.Status)
		}
		last := c.Timeline[len(c.Timeline)-1]
		if last.Ref == d.ID {
			if last.Action != casebook.ActClose || !strings.Contains(last.Note, "矛盾纠纷已化解") || last.At.Before(d.ResolvedAt) {
				t.Errorf("appeal %s closed out: %+v", c.Number(), last)
			}
			closedBy[c.Building()]++
		}
	}
	if closedBy["14号楼"] < 2 || closedBy["15号楼"] < 3 {
		t.Errorf("appeals closed out by the dispute, by building: %v", closedBy)
	}

	if p := disputeByTitle(t, b, "地下车库车位分配争议"); p.Status != casebook.DisputeNegotiating || len(p.Plans()) != 2 || len(p.Votes()) != 1 || p.Votes()[0].Passed() {
		t.Errorf("parking: %s, %d plans", p.Status, len(p.Plans()))
	}
	if n := disputeByTitle(t, b, "中心广场广场舞噪音"); n.Status != casebook.DisputeStalled || n.Agreement == nil || len(n.Cases) != 4 {
		t.Errorf("dance: %s, %d appeals", n.Status, len(n.Cases))
	}
	for _, s := range list {
		x, _ := b.Dispute(s.ID)
		for _, e := range x.Log {
			if e.Refused != "" || e.At.After(testNow()) {
				t.Errorf("%s: %s at %v refused %q", s.Title, e.Kind, e.At, e.Refused)
			}
		}
	}
	m, err := b.DisputeMetrics(testNow())
	if err != nil || m.Disputes != 3 || m.Open != 2 || m.Agreed != 2 {
		t.Errorf("dispute metrics %+v, %v", m, err)
	}
}

// TestDisputesEarlier: a demo made on an earlier day has the talks as they
// stood then.
func TestDisputesEarlier(t *testing.T) {
	now := time.Date(2026, 4, 11, 12, 0, 0, 0, casebook.Shanghai) // day 131 of the term
	b, err := store.NewBook(store.NewMemory(), Secretary, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Generate(b, Options{Seed: 2, Now: now, Cases: 300})
	if err != nil {
		t.Fatal(err)
	}
	if st.Disputes != 2 || st.OpenDisputes != 2 {
		t.Errorf("stats %+v", st)
	}
	if d := disputeByTitle(t, b, "14号楼与15号楼之间坡地修路"); d.Status != casebook.DisputeStalled || len(d.Plans()) != 2 || len(d.Votes()) != 1 {
		t.Errorf("footpath: %s, %d plans", d.Status, len(d.Plans()))
	}
	if d := disputeByTitle(t, b, "中心广场广场舞噪音"); d.Status != casebook.DisputeImplementing {
		t.Errorf("dance: %s", d.Status)
	}
	if err := b.Store().Check(); err != nil {
		t.Error(err)
	}
}
