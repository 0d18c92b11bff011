package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"casebook/casebook"
)

// The dispute parts of the Store contract, run on every implementation by
// TestContract, and the merge of disputes edited offline on two devices.

// disputeCases adds appeals for a dispute: two from 14号楼, one from 15号楼.
func disputeCases(t *testing.T, b *Book) []*casebook.Case {
	t.Helper()
	var out []*casebook.Case
	for i, in := range []casebook.CaseInput{
		{Channel: "12345", WorkOrder: "2026031500001", Type: "求助", Category: "道路设施", Building: "14号楼", Summary: "楼间坡地无路，老人摔倒三次"},
		{Channel: "来访", Type: "投诉", Category: "道路设施", Building: "15号楼", Summary: "反对在15号楼窗下修路"},
		{Channel: "grid", Type: "建议", Category: "道路设施", Building: "14号楼", Summary: "坡地修路的事何时解决"},
	} {
		in.Received = t0.Add(-time.Duration(30-i) * 24 * time.Hour)
		c, err := b.AddCase(in)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func contractDisputes(t *testing.T, k storeKind) {
	s := k.open(t)
	defer func() { s.Close() }()
	b, _ := newTestBook(t, s)
	cs := disputeCases(t, b)
	for _, c := range cs[:2] {
		if _, err := b.Step(c.ID, casebook.Step{Action: casebook.ActRespond}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Step(cs[1].ID, casebook.Step{Action: casebook.ActDispatch, To: "人民调解委员会"}); err != nil {
		t.Fatal(err)
	}

	// Refused creations write nothing.
	n := len(allOps(t, s))
	for name, refs := range map[string][]string{
		"one appeal":     {cs[0].ID},
		"the same twice": {cs[0].ID, cs[0].Number()},
		"unknown appeal": {cs[0].ID, "20990101-001"},
	} {
		if _, err := b.CreateDispute("坡地修路", "", "", refs); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := b.CreateDispute(" ", "", "", []string{cs[0].ID, cs[1].ID}); !errors.Is(err, casebook.ErrInvalid) {
		t.Errorf("no title: %v", err)
	}
	if len(allOps(t, s)) != n {
		t.Fatal("a refused dispute was written")
	}

	d, err := b.CreateDispute("14号楼与15号楼之间坡地修路", "１４号楼与15号楼之间坡地", "3米高坡地原设计为草坪，两楼居民意见对立。",
		[]string{cs[0].Number(), strings.ToLower(cs[1].ID)})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != casebook.DisputeOpen || len(d.Cases) != 2 || d.Cases[0] != cs[0].ID || d.Place() != "14号楼与15号楼之间坡地" || d.CreatedAt.IsZero() {
		t.Fatalf("new dispute: %s %v %q", d.Status, d.Cases, d.Place())
	}
	id := d.ID
	p14 := must[casebook.Party](t)(b.AddParty(id, casebook.Party{Name: "14号楼居民", Kind: "楼栋", Building: "14号楼", Side: "A", Position: "修一条正式步道"}))
	p15 := must[casebook.Party](t)(b.AddParty(id, casebook.Party{Name: "15号楼居民", Kind: casebook.PartyBuilding, Building: "15号楼", Side: "B", Position: "不同意修路"}))
	if p14.ID == "" || p14.Kind != casebook.PartyBuilding || p15.Name != "15号楼居民" {
		t.Fatalf("parties: %+v %+v", p14, p15)
	}
	if _, err := b.AddParty(id, casebook.Party{Kind: "物业"}); !errors.Is(err, casebook.ErrInvalid) {
		t.Errorf("party without a name: %v", err)
	}
	v1 := must[casebook.PlanVersion](t)(b.AddPlan(id, casebook.PlanVersion{Title: "直线步道", Description: "直线下行\n下端接15号楼窗前"}))
	if v1.N != 1 {
		t.Fatalf("first plan: %+v", v1)
	}
	if _, err := b.AddPlan(id, casebook.PlanVersion{Description: "绕树"}); !errors.Is(err, casebook.ErrInvalid) {
		t.Errorf("a revision without changes and reason: %v", err)
	}
	v2 := must[casebook.PlanVersion](t)(b.AddPlan(id, casebook.PlanVersion{Title: "下端北移", Description: "绕开树木下行\n下端北移10米",
		Changes: "下端北移", Reason: "远离15号楼窗户"}))
	m1 := must[casebook.Meeting](t)(b.AddMeeting(id, casebook.Meeting{Place: "14号楼小院", Kind: "小院议事厅",
		Attendees: []casebook.Attendee{{Role: "14号楼居民", Count: 12}, {Role: "15号楼居民", Count: 11}}, Minutes: "展示方案第1版"}))
	if _, err := b.RecordVote(id, casebook.Vote{Meeting: m1.ID, Plan: v1.ID, For: 9, Against: 14}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.RecordVote(id, casebook.Vote{Meeting: m1.ID, Plan: v1.ID}); !errors.Is(err, casebook.ErrInvalid) {
		t.Errorf("a vote without counts: %v", err)
	}
	if m := must[casebook.Meeting](t)(b.AppendMinutes(id, m1.ID, "会后补记：15号楼可以接受下端北移")); len(m.Addenda) != 1 {
		t.Fatalf("minutes: %+v", m)
	}
	if p := must[casebook.Party](t)(b.SetParty(id, p15.ID, map[string]string{casebook.PartyFieldPosition: "下端远离窗户即可"})); p.Position != "下端远离窗户即可" {
		t.Fatalf("set party: %+v", p)
	}
	d = must[*casebook.Dispute](t)(b.Stall(id, time.Time{}, "15号楼居民暂不参加协商"))
	if d.Status != casebook.DisputeStalled {
		t.Fatalf("stalled: %s", d.Status)
	}
	if _, err := b.Agree(id, v2.ID, []string{"双方代表"}, time.Time{}); !errors.Is(err, casebook.ErrTransition) {
		t.Errorf("agree while stalled: %v", err)
	}
	must[*casebook.Dispute](t)(b.Resume(id, time.Time{}, "入户走访后同意再议"))
	m2 := must[casebook.Meeting](t)(b.AddMeeting(id, casebook.Meeting{Place: "社区活动室", Kind: casebook.MeetingConsultation,
		Attendees: []casebook.Attendee{{Role: "居民", Count: 24}}}))
	vote := must[casebook.Vote](t)(b.RecordVote(id, casebook.Vote{Meeting: m2.ID, Plan: v2.ID, For: 21, Against: 2, Abstain: 1}))
	if !vote.Passed() || vote.Method != casebook.VoteShowOfHands {
		t.Fatalf("vote: %+v", vote)
	}
	d = must[*casebook.Dispute](t)(b.Agree(id, v2.ID, []string{"14号楼居民代表", "15号楼居民代表", "物业"}, time.Time{}))
	if d.Status != casebook.DisputeAgreed || d.Agreement.Plan != v2.ID {
		t.Fatalf("agreed: %s", d.Status)
	}
	// A third appeal comes in and joins the dispute; it will be found
	// unresolvable on its own, so closing out will pass it by.
	d = must[*casebook.Dispute](t)(b.LinkCase(d.Title(), cs[2].Number()))
	if len(d.Cases) != 3 {
		t.Fatalf("linked: %v", d.Cases)
	}
	if _, err := b.LinkCase(id, cs[2].ID); !errors.Is(err, casebook.ErrInvalid) {
		t.Errorf("linking twice: %v", err)
	}
	for _, st := range []casebook.Step{{Action: casebook.ActRespond}, {Action: casebook.ActUnresolvable, Note: "超出社区职权"}} {
		if _, err := b.Step(cs[2].ID, st); err != nil {
			t.Fatal(err)
		}
	}
	task1 := must[casebook.Task](t)(b.AddTask(id, casebook.Task{Title: "修建23级台阶步道", Owner: "街道城建科", Due: casebook.Date{Year: 2026, Month: 5, Day: 15}}))
	task2 := must[casebook.Task](t)(b.AddTask(id, casebook.Task{Title: "安装扶手", Owner: "物业", Due: casebook.Date{Year: 2026, Month: 5, Day: 20}}))
	if _, err := b.CloseLinkedCases(id, time.Time{}); !errors.Is(err, casebook.ErrTransition) {
		t.Errorf("close linked cases before resolving: %v", err)
	}
	must[*casebook.Dispute](t)(b.Implement(id, time.Time{}, "开工"))
	if _, err := b.Resolve(id, time.Time{}, ""); !errors.Is(err, casebook.ErrTransition) || !strings.Contains(err.Error(), "安装扶手") {
		t.Errorf("resolve with tasks open: %v", err)
	}
	if tk := must[casebook.Task](t)(b.SetTaskDone(id, task1.ID, true, time.Time{})); !tk.Done {
		t.Fatalf("task: %+v", tk)
	}
	must[casebook.Task](t)(b.SetTaskDone(id, task2.ID, true, time.Time{}))
	d = must[*casebook.Dispute](t)(b.Resolve(id, time.Time{}, "步道建成，双方认可"))
	if d.Status != casebook.DisputeResolved {
		t.Fatalf("resolved: %s", d.Status)
	}

	// Closing out: the two it can, in one go; the unresolvable one is reported.
	before := len(allOps(t, s))
	rep, err := b.CloseLinkedCases(id, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Closed) != 2 || rep.Closed[0] != cs[0].ID || rep.Closed[1] != cs[1].ID || len(rep.Already) != 0 ||
		len(rep.Failed) != 1 || !errors.Is(rep.Failed[0], casebook.ErrTransition) || !strings.Contains(rep.Failed[0].Error(), cs[2].Number()) {
		t.Fatalf("close report: %+v", rep)
	}
	if got := len(allOps(t, s)) - before; got != 3+3 { // each: resolve, feedback, close
		t.Fatalf("%d ops written", got)
	}
	for _, c := range cs[:2] {
		c, _ := b.Case(c.ID)
		last := c.Timeline[len(c.Timeline)-1]
		if c.Status != casebook.StatusClosed || last.Action != casebook.ActClose || last.Ref != id || !strings.Contains(last.Note, "矛盾纠纷已化解") {
			t.Errorf("case %s: %s, last %+v", c.Number(), c.Status, last)
		}
	}
	if c, _ := b.Case(cs[2].ID); c.Status != casebook.StatusUnresolvable {
		t.Errorf("unresolvable case: %s", c.Status)
	}
	rep, err = b.CloseLinkedCases(id, time.Time{})
	if err != nil || len(rep.Closed) != 0 || len(rep.Already) != 2 || len(rep.Failed) != 1 {
		t.Fatalf("second close: %+v %v", rep, err)
	}

	// Lookups.
	if _, err := b.Dispute(strings.ToLower(id)); err != nil {
		t.Errorf("by lower-case id: %v", err)
	}
	if _, err := b.Dispute(" 14号楼与15号楼之间坡地修路 "); err != nil {
		t.Errorf("by title: %v", err)
	}
	for _, ref := range []string{casebook.NewID(t0), "", "没有这个纠纷", cs[0].ID} {
		if _, err := b.Dispute(ref); !errors.Is(err, casebook.ErrNotFound) {
			t.Errorf("dispute %q: %v", ref, err)
		}
		if _, err := s.Dispute(ref); !errors.Is(err, casebook.ErrNotFound) {
			t.Errorf("store dispute %q: %v", ref, err)
		}
	}
	// Reads are copies.
	got, _ := s.Dispute(id)
	want := mustJSON(t, got)
	got.Registers[casebook.DisputeFieldTitle] = nil
	got.Log[0].Note = "changed"
	if again, _ := s.Dispute(id); mustJSON(t, again) != want {
		t.Fatal("a read dispute shares memory with the store")
	}

	// A second dispute, still open; a third with the same title as the second.
	other := must[*casebook.Dispute](t)(b.CreateDispute("广场舞噪音", "中心广场", "", []string{cs[0].ID, cs[2].ID}))
	now := t0.Add(48 * time.Hour)
	list := must[[]casebook.DisputeSummary](t)(b.ListDisputes(now))
	if len(list) != 2 || list[0].ID != other.ID || list[1].ID != id {
		t.Fatalf("list: %+v", list)
	}
	if l := list[1]; l.Status != casebook.DisputeResolved || l.Plans != 2 || l.Meetings != 2 || l.Cases != 3 || l.OpenTasks != 0 ||
		!l.FirstAppeal.Equal(cs[0].Received()) || l.AgreedAt.IsZero() || l.ResolvedAt.IsZero() {
		t.Errorf("footpath entry: %+v", l)
	}
	if ds := must[[]*casebook.Dispute](t)(s.Disputes()); len(ds) != 2 || ds[0].ID != id {
		t.Fatalf("store disputes: %d", len(ds))
	}
	st := must[casebook.DisputeStats](t)(b.DisputeStats(id))
	if st.DaysToAgreement == nil || *st.DaysToAgreement != 30 || st.PlanVersions != 2 || !st.FirstAppeal.Equal(cs[0].Received()) {
		t.Errorf("stats: %+v", st)
	}
	must[*casebook.Dispute](t)(b.CreateDispute("广场舞噪音", "", "", []string{cs[1].ID, cs[2].ID}))
	if _, err := b.Dispute("广场舞噪音"); !errors.Is(err, casebook.ErrInvalid) || !strings.Contains(err.Error(), other.ID) {
		t.Errorf("ambiguous title: %v", err)
	}
	m := must[DisputeMetrics](t)(b.DisputeMetrics(now))
	if m.Disputes != 3 || m.Open != 2 || m.ByStatus[casebook.DisputeResolved] != 1 || m.ByStatus[casebook.DisputeOpen] != 2 ||
		m.Agreed != 1 || m.AvgDaysToAgreement == nil || *m.AvgDaysToAgreement != 30 || len(m.Items) != 3 ||
		m.Items[2].ID != id || m.Items[2].PlanVersions != 2 || m.Items[0].DaysToAgreement != nil {
		t.Errorf("dispute metrics: %+v", m)
	}
	check(t, s)

	if k.reopen != nil {
		all := mustJSON(t, must[[]*casebook.Dispute](t)(s.Disputes()))
		s = k.reopen(t, s)
		if mustJSON(t, must[[]*casebook.Dispute](t)(s.Disputes())) != all {
			t.Fatal("disputes changed on reopen")
		}
		check(t, s)
	}
}

// contractDisputeOps: dispute ops from elsewhere, in any order, twice.
func contractDisputeOps(t *testing.T, k storeKind) {
	s := k.open(t)
	defer s.Close()
	b, _ := newTestBook(t, s)
	cs := disputeCases(t, b)
	clk := newFakeClock(t0, time.Second)
	a := casebook.Author{Origin: "other-device", Actor: "党委书记", Clock: casebook.NewClock(clk.Now), Now: clk.Now}
	create, _ := a.NewDispute("坡地修路", "", "", []string{cs[0].ID, cs[1].ID})
	d := casebook.NewDispute(create.Entity)
	d.Apply(&create)
	party, _ := a.AddParty(d, casebook.Party{Name: "14号楼居民", Kind: casebook.PartyBuilding})
	d.Apply(&party)
	plan, _ := a.AddPlan(d, casebook.PlanVersion{Description: "直线步道"})
	d.Apply(&plan)

	// The plan arrives before the creation: kept, not listed.
	if _, err := b.Merge(plan); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Dispute(d.ID); !errors.Is(err, casebook.ErrNotFound) {
		t.Fatalf("dispute without its creation: %v", err)
	}
	if ds, _ := b.ListDisputes(t0); len(ds) != 0 {
		t.Fatal("a dispute without its creation is listed")
	}
	check(t, s)
	if _, err := b.Merge(create, party); err != nil {
		t.Fatal(err)
	}
	got, err := s.Dispute(d.ID)
	if err != nil || got.Status != casebook.DisputeNegotiating || len(got.Parties()) != 1 || mustJSON(t, got) != mustJSON(t, d) {
		t.Fatalf("after its creation: %v", err)
	}
	// Again: nothing changes.
	if applied, err := s.Apply(create, party, plan); err != nil || len(applied) != 0 {
		t.Fatalf("re-apply: %d, %v", len(applied), err)
	}
	if again, _ := s.Dispute(d.ID); mustJSON(t, again) != mustJSON(t, got) {
		t.Fatal("re-apply changed the dispute")
	}
	// A bad op fails its whole batch.
	vote := casebook.Op{ID: casebook.NewID(t0), Origin: "other-device", HLC: plan.HLC, Kind: casebook.OpDisputeVote, Entity: d.ID, Payload: []byte(`{"vote":{}}`)}
	set, _ := a.SetDisputeFields(d, map[string]string{casebook.DisputeFieldSummary: "更新"})
	n := len(allOps(t, s))
	if _, err := s.Apply(set, vote); !errors.Is(err, casebook.ErrInvalid) || !strings.Contains(err.Error(), "op 2 of 2") {
		t.Fatalf("bad batch: %v", err)
	}
	if len(allOps(t, s)) != n {
		t.Fatal("part of a failed batch was applied")
	}
	if again, _ := s.Dispute(d.ID); again.Summary() != "" {
		t.Fatal("part of a failed batch changed the dispute")
	}
	// A dispute kind from a newer version: kept in the log, changes nothing.
	h := b.Clock().Now()
	if _, err := s.Apply(casebook.Op{ID: casebook.NewID(h.Time()), Origin: "newer", HLC: h, Kind: "dispute.archive", Entity: d.ID}); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Dispute(d.ID); mustJSON(t, again) != mustJSON(t, got) {
		t.Fatal("an unknown dispute kind changed the dispute")
	}
	check(t, s)
}

// TestCheckDisputes: Check notices a dispute view out of step with the log.
func TestCheckDisputes(t *testing.T) {
	for _, k := range storeKinds() {
		t.Run(k.name, func(t *testing.T) {
			s := k.open(t)
			defer s.Close()
			b, _ := newTestBook(t, s)
			cs := disputeCases(t, b)
			d := must[*casebook.Dispute](t)(b.CreateDispute("坡地修路", "", "", []string{cs[0].ID, cs[1].ID}))
			check(t, s)
			// put replaces a stored dispute view behind the store's back (nil deletes).
			put := func(id string, raw []byte) {
				switch s := s.(type) {
				case *Memory:
					s.mu.Lock()
					defer s.mu.Unlock()
					if raw == nil {
						delete(s.views[string(bucketDisputes)], id)
					} else {
						s.views[string(bucketDisputes)][id] = raw
					}
				case *Bolt:
					err := s.db.Update(func(tx *bbolt.Tx) error {
						if raw == nil {
							return tx.Bucket(bucketDisputes).Delete([]byte(id))
						}
						enc, err := s.codec.JSON(bucketDisputes, []byte(id), raw)
						if err != nil {
							return err
						}
						return tx.Bucket(bucketDisputes).Put([]byte(id), enc)
					})
					if err != nil {
						t.Fatal(err)
					}
				}
			}
			orig := []byte(mustJSON(t, d))
			changed := casebook.NewDispute(d.ID)
			for _, op := range allOps(t, s) {
				if op.Entity == d.ID {
					changed.Apply(&op)
				}
			}
			changed.Status = casebook.DisputeResolved
			stray := casebook.NewID(t0)
			for name, c := range map[string]struct {
				id   string
				raw  []byte
				want string
			}{
				"changed": {d.ID, []byte(mustJSON(t, changed)), "differs from its ops"},
				"missing": {d.ID, nil, "differs from its ops"},
				"stray":   {stray, orig, "is stored but has no ops"},
			} {
				put(c.id, c.raw)
				err := s.Check()
				if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "dispute "+c.id+" "+c.want) {
					t.Errorf("%s: %v", name, err)
				}
				put(d.ID, orig)
				put(stray, nil)
				check(t, s)
			}
		})
	}
}

// TestDisputeMergeOffline: the governance secretary and the party
// secretary work on one dispute on two devices without a network, record
// votes and minutes and both edit the title; then sync through Book.Merge
// in both directions, in pieces, out of order and twice. Both end with the
// same dispute: every vote and every addition to the minutes is kept, and
// the two titles show as a conflict until one edit settles it.
func TestDisputeMergeOffline(t *testing.T) {
	sim := &simTime{t: t0}
	mk := func(actor string, offset time.Duration) *replica {
		s := NewMemory()
		b, err := NewBook(s, actor, sim.clock(offset))
		if err != nil {
			t.Fatal(err)
		}
		return &replica{s: s, b: b}
	}
	a, p := mk("王书记", 0), mk("党委书记", 40*time.Second)
	rng := rand.New(rand.NewPCG(3, 5))
	sync := func(from, to *replica) {
		t.Helper()
		deliver(t, rng, to, shuffled(rng, allOps(t, from.s)))
	}
	cs := disputeCases(t, a.b)
	d := must[*casebook.Dispute](t)(a.b.CreateDispute("坡地修路", "14号楼与15号楼之间", "", []string{cs[0].ID, cs[1].ID}))
	v1 := must[casebook.PlanVersion](t)(a.b.AddPlan(d.ID, casebook.PlanVersion{Description: "直线步道"}))
	m := must[casebook.Meeting](t)(a.b.AddMeeting(d.ID, casebook.Meeting{Place: "14号楼小院", Kind: casebook.MeetingCourtyard, Minutes: "双方陈述"}))
	sim.advance(time.Minute)
	sync(a, p)
	if got := must[*casebook.Dispute](t)(p.b.Dispute(d.ID)); mustJSON(t, got) != mustJSON(t, must[*casebook.Dispute](t)(a.b.Dispute(d.ID))) {
		t.Fatal("first sync")
	}

	// Offline on both devices.
	for i := range 3 {
		sim.advance(time.Minute)
		must[casebook.Vote](t)(a.b.RecordVote(d.ID, casebook.Vote{Meeting: m.ID, Plan: v1.ID, For: 9 + i, Against: 14 - i}))
		must[casebook.Meeting](t)(a.b.AppendMinutes(d.ID, m.ID, fmt.Sprintf("书记记录 %d", i)))
		must[casebook.Meeting](t)(p.b.AppendMinutes(d.ID, m.ID, fmt.Sprintf("党委书记记录 %d", i)))
	}
	must[casebook.Vote](t)(p.b.RecordVote(d.ID, casebook.Vote{Meeting: m.ID, Plan: v1.ID, For: 10, Against: 12, Abstain: 1, Method: "举牌"}))
	must[*casebook.Dispute](t)(a.b.SetDisputeFields(d.ID, map[string]string{casebook.DisputeFieldTitle: "14/15号楼坡地修路"}))
	must[*casebook.Dispute](t)(p.b.SetDisputeFields(d.ID, map[string]string{casebook.DisputeFieldTitle: "坡地步道"}))
	v2 := must[casebook.PlanVersion](t)(p.b.AddPlan(d.ID, casebook.PlanVersion{Description: "下端北移", Changes: "北移", Reason: "远离窗户"}))

	sim.advance(time.Minute)
	sync(a, p)
	sync(p, a)
	sync(a, p) // again: nothing new
	fresh := mk("新设备", -time.Minute)
	deliver(t, rng, fresh, shuffled(rng, append(allOps(t, a.s), allOps(t, p.s)...)))
	want := mustJSON(t, must[*casebook.Dispute](t)(a.b.Dispute(d.ID)))
	for i, r := range []*replica{a, p, fresh} {
		check(t, r.s)
		got := must[*casebook.Dispute](t)(r.s.Dispute(d.ID))
		if mustJSON(t, got) != want {
			t.Fatalf("replica %d differs:\n%s\n%s", i, mustJSON(t, got), want)
		}
	}
	got := must[*casebook.Dispute](t)(p.b.Dispute(d.ID))
	if vs := got.Votes(); len(vs) != 4 {
		t.Errorf("%d votes, want all 4", len(vs))
	}
	if mt, _ := got.Meeting(m.ID); len(mt.Addenda) != 6 || mt.Minutes != "双方陈述" {
		t.Errorf("minutes: %d additions", len(mt.Addenda))
	}
	if pl, ok := got.Plan(v2.ID); !ok || pl.N != 2 {
		t.Errorf("plan 2: %+v", pl)
	}
	cf := got.Conflicts()
	if len(cf) != 1 || cf[0].Field != casebook.DisputeFieldTitle || cf[0].Shown != "坡地步道" || cf[0].Value != "14/15号楼坡地修路" {
		t.Fatalf("conflicts: %+v", cf)
	}
	// The title shown is one of the two; the dispute is found by id either way.
	sim.advance(time.Minute)
	must[*casebook.Dispute](t)(a.b.SetDisputeFields(d.ID, map[string]string{casebook.DisputeFieldTitle: "14号楼与15号楼之间坡地修路"}))
	sync(a, p)
	for i, r := range []*replica{a, p} {
		got := must[*casebook.Dispute](t)(r.b.Dispute("14号楼与15号楼之间坡地修路"))
		if len(got.Conflicts()) != 0 {
			t.Errorf("replica %d: conflict not settled: %+v", i, got.Conflicts())
		}
	}
}

// randomDisputeStep takes a random dispute action on a replica; refusals
// (the action not allowed from the status, a form error) are fine.
func randomDisputeStep(t *testing.T, rng *rand.Rand, r *replica, id string, caseIDs []string) {
	d, err := r.b.Dispute(id)
	if err != nil {
		t.Fatal(err)
	}
	plans, meetings, parties, tasks := d.Plans(), d.Meetings(), d.Parties(), d.Tasks()
	var op error
	switch rng.IntN(14) {
	case 0:
		_, op = r.b.AddPlan(id, casebook.PlanVersion{Description: pick(rng, "直线步道", "绕树", "北移"), Changes: "改", Reason: "因"})
	case 1:
		_, op = r.b.AddMeeting(id, casebook.Meeting{Place: pick(rng, "小院", "活动室"), Kind: casebook.MeetingCourtyard})
	case 2:
		if len(meetings) > 0 && len(plans) > 0 {
			_, op = r.b.RecordVote(id, casebook.Vote{Meeting: pick(rng, meetings...).ID, Plan: pick(rng, plans...).ID, For: rng.IntN(20), Against: 1 + rng.IntN(20)})
		}
	case 3:
		if len(meetings) > 0 {
			_, op = r.b.AppendMinutes(id, pick(rng, meetings...).ID, pick(rng, "补记一", "补记二"))
		}
	case 4:
		if len(plans) > 0 {
			_, op = r.b.Agree(id, pick(rng, plans...).ID, []string{pick(rng, "甲", "乙", "丙")}, time.Time{})
		}
	case 5:
		_, op = r.b.AddTask(id, casebook.Task{Title: pick(rng, "修路", "扶手", "绿化"), Owner: "物业", Due: casebook.Date{Year: 2026, Month: 6, Day: 1}})
	case 6:
		if len(tasks) > 0 {
			tk := pick(rng, tasks...)
			_, op = r.b.SetTaskDone(id, tk.ID, !tk.Done, time.Time{})
		}
	case 7:
		_, op = r.b.Implement(id, time.Time{}, "")
	case 8:
		_, op = r.b.Stall(id, time.Time{}, "卡住了")
	case 9:
		_, op = r.b.Resume(id, time.Time{}, "")
	case 10:
		_, op = r.b.Resolve(id, time.Time{}, "")
	case 11:
		if len(parties) > 0 {
			_, op = r.b.SetParty(id, pick(rng, parties...).ID, map[string]string{casebook.PartyFieldPosition: pick(rng, "修", "不修", "北移可以")})
		} else {
			_, op = r.b.AddParty(id, casebook.Party{Name: "居民", Kind: casebook.PartyHousehold})
		}
	case 12:
		_, op = r.b.SetDisputeFields(id, map[string]string{casebook.DisputeFieldSummary: pick(rng, "概述一", "概述二", "概述三")})
	case 13:
		_, op = r.b.LinkCase(id, pick(rng, caseIDs...))
	}
	if op != nil && !errors.Is(op, casebook.ErrInvalid) && !errors.Is(op, casebook.ErrTransition) && !errors.Is(op, casebook.ErrNotFound) {
		t.Fatalf("dispute step: %v", op)
	}
}

// TestDisputeMergeRandom: three replicas take random dispute steps with
// partial syncs; after a full sync in random orders (and to a fresh
// replica) every store holds the same dispute and passes Check.
func TestDisputeMergeRandom(t *testing.T) {
	n := 30
	if testing.Short() || raceEnabled {
		n = 8
	}
	for seed := range uint64(n) {
		rng := rand.New(rand.NewPCG(seed, 77))
		sim := &simTime{t: t0}
		var rs []*replica
		for i := range 3 {
			s := NewMemory()
			b, err := NewBook(s, fmt.Sprintf("actor-%d", i), sim.clock(time.Duration(rng.IntN(60_000)-30_000)*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			rs = append(rs, &replica{s: s, b: b})
		}
		cs := disputeCases(t, rs[0].b)
		ids := []string{cs[0].ID, cs[1].ID, cs[2].ID}
		d := must[*casebook.Dispute](t)(rs[0].b.CreateDispute("坡地修路", "", "", ids[:2]))
		syncAll := func() {
			var all []casebook.Op
			for _, r := range rs {
				all = append(all, allOps(t, r.s)...)
			}
			for _, r := range rs {
				deliver(t, rng, r, shuffled(rng, all))
			}
		}
		syncAll()
		for range 40 + rng.IntN(40) {
			sim.advance(time.Duration(rng.IntN(5000)) * time.Millisecond)
			if rng.IntN(6) == 0 {
				from, to := pick(rng, rs...), pick(rng, rs...)
				var some []casebook.Op
				for _, op := range allOps(t, from.s) {
					if rng.IntN(2) == 0 {
						some = append(some, op)
					}
				}
				deliver(t, rng, to, some)
				continue
			}
			randomDisputeStep(t, rng, pick(rng, rs...), d.ID, ids)
		}
		var all []casebook.Op
		for _, r := range rs {
			all = append(all, allOps(t, r.s)...)
		}
		syncAll()
		fresh := NewMemory()
		fb, _ := NewBook(fresh, "fresh", sim.clock(0))
		rs = append(rs, &replica{s: fresh, b: fb})
		deliver(t, rng, rs[3], shuffled(rng, all))
		want := mustJSON(t, must[*casebook.Dispute](t)(rs[0].s.Dispute(d.ID)))
		for i, r := range rs {
			if err := r.s.Check(); err != nil {
				t.Fatalf("seed %d: replica %d: %v", seed, i, err)
			}
			if got := mustJSON(t, must[*casebook.Dispute](t)(r.s.Dispute(d.ID))); got != want {
				t.Fatalf("seed %d: replica %d differs:\n%s\n%s", seed, i, got, want)
			}
		}
	}
}

// TestDisputeConcurrent: the secretary records a meeting's votes and
// minutes while a background sync merges the party secretary's additions
// to the same minutes and the dispute list refreshes; run with -race.
func TestDisputeConcurrent(t *testing.T) {
	for _, k := range storeKinds() {
		t.Run(k.name, func(t *testing.T) {
			s := k.open(t)
			defer s.Close()
			b, err := NewBook(s, "王书记", nil)
			if err != nil {
				t.Fatal(err)
			}
			cs := disputeCases(t, b)
			d := must[*casebook.Dispute](t)(b.CreateDispute("坡地修路", "", "", []string{cs[0].ID, cs[1].ID}))
			plan := must[casebook.PlanVersion](t)(b.AddPlan(d.ID, casebook.PlanVersion{Description: "直线步道"}))
			m := must[casebook.Meeting](t)(b.AddMeeting(d.ID, casebook.Meeting{Place: "小院", Kind: casebook.MeetingCourtyard}))
			other := NewMemory()
			ob, _ := NewBook(other, "党委书记", nil)
			if _, err := ob.Merge(allOps(t, s)...); err != nil {
				t.Fatal(err)
			}
			for i := range 15 {
				must[casebook.Meeting](t)(ob.AppendMinutes(d.ID, m.ID, fmt.Sprintf("党委书记补记 %d", i)))
			}
			remote := allOps(t, other)
			done := make(chan error, 3)
			go func() { // the secretary
				for i := range 15 {
					if _, err := b.RecordVote(d.ID, casebook.Vote{Meeting: m.ID, Plan: plan.ID, For: i, Against: 1}); err != nil {
						done <- err
						return
					}
					if _, err := b.AppendMinutes(d.ID, m.ID, fmt.Sprintf("书记补记 %d", i)); err != nil {
						done <- err
						return
					}
				}
				done <- nil
			}()
			go func() { // background sync
				for i := 0; i < len(remote); i += 4 {
					if _, err := b.Merge(remote[i:min(i+4, len(remote))]...); err != nil {
						done <- err
						return
					}
				}
				done <- nil
			}()
			go func() { // the dispute list
				for range 30 {
					if _, err := b.ListDisputes(time.Now()); err != nil {
						done <- err
						return
					}
					if _, err := b.DisputeMetrics(time.Now()); err != nil {
						done <- err
						return
					}
				}
				done <- nil
			}()
			for range 3 {
				if err := <-done; err != nil {
					t.Fatal(err)
				}
			}
			got := must[*casebook.Dispute](t)(b.Dispute(d.ID))
			if mt, _ := got.Meeting(m.ID); len(mt.Addenda) != 30 || len(got.Votes()) != 15 {
				t.Fatalf("%d additions, %d votes", len(mt.Addenda), len(got.Votes()))
			}
			check(t, s)
		})
	}
}
