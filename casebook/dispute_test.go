package casebook

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// dspApply checks an op as a peer would (shape, then a trip through JSON)
// and applies it. Op.Validate reaches validateDispute through the hook in
// its switch; it is called directly too so these tests do not depend on it.
func dspApply(t *testing.T, d *Dispute, op Op) {
	t.Helper()
	if err := op.Validate(); err != nil {
		t.Fatalf("op invalid: %v", err)
	}
	if err := op.validateDispute(); err != nil {
		t.Fatalf("dispute op invalid: %v", err)
	}
	b, err := json.Marshal(op)
	if err != nil {
		t.Fatal(err)
	}
	var wire Op
	if err := json.Unmarshal(b, &wire); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Apply(&wire); err != nil {
		t.Fatalf("apply %s: %v", op.Kind, err)
	}
}

func dspJSON(t *testing.T, d *Dispute) string {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// dspFixture is one device working on one dispute; every op it makes is
// applied at once and the clock moves on a minute.
type dspFixture struct {
	t   *testing.T
	clk *fakeNow
	a   *Author
	d   *Dispute
	ops []Op
}

func newDspFixture(t *testing.T) *dspFixture {
	clk := &fakeNow{t: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}
	f := &dspFixture{t: t, clk: clk, a: newAuthor("dev-a", clk)}
	op := f.must(f.a.NewDispute("坡地修路", "14号楼与15号楼之间坡地", "", []string{NewID(clk.t), NewID(clk.t)}))
	f.d = NewDispute(op.Entity)
	f.apply(op)
	return f
}

func (f *dspFixture) must(op Op, err error) Op {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
	return op
}

func (f *dspFixture) apply(op Op) {
	f.t.Helper()
	dspApply(f.t, f.d, op)
	f.ops = append(f.ops, op)
	f.clk.advance(time.Minute)
}

func (f *dspFixture) do(op Op, err error) Op {
	f.t.Helper()
	op = f.must(op, err)
	f.apply(op)
	return op
}

func (f *dspFixture) plan() Op {
	f.t.Helper()
	return f.do(f.a.AddPlan(f.d, PlanVersion{Description: "修一条步道", Changes: "调整", Reason: "意见"}))
}

func (f *dspFixture) lastPlan() string {
	ps := f.d.Plans()
	if len(ps) == 0 {
		return NewID(f.clk.t) // a plan nobody proposed
	}
	return ps[len(ps)-1].ID
}

func (f *dspFixture) task(title string) Op {
	f.t.Helper()
	return f.do(f.a.AddTask(f.d, Task{Title: title, Owner: "物业", Due: Date{2026, 4, 30}}))
}

// toStatus walks a fresh dispute to s by the shortest allowed path.
func (f *dspFixture) toStatus(s DisputeStatus) {
	f.t.Helper()
	switch s {
	case DisputeOpen:
	case DisputeNegotiating:
		f.plan()
	case DisputeAgreed:
		f.plan()
		f.do(f.a.Agree(f.d, f.lastPlan(), []string{"14号楼代表"}, time.Time{}))
	case DisputeImplementing:
		f.toStatus(DisputeAgreed)
		f.do(f.a.Implement(f.d, time.Time{}, ""))
	case DisputeResolved:
		f.toStatus(DisputeAgreed)
		f.do(f.a.Resolve(f.d, time.Time{}, ""))
	case DisputeStalled:
		f.do(f.a.Stall(f.d, time.Time{}, "双方不愿见面"))
	}
	if f.d.Status != s {
		f.t.Fatalf("walked to %s, got %s", s, f.d.Status)
	}
}

// TestDisputeTransitions tries every action from every status through the
// author: allowed ones lead where the table says, others are refused with
// ErrTransition and make nothing.
func TestDisputeTransitions(t *testing.T) {
	// want[action][from] = resulting status; absent means refused.
	want := map[DisputeAction]map[DisputeStatus]DisputeStatus{
		DisputeActPlan:      {DisputeOpen: DisputeNegotiating, DisputeNegotiating: DisputeNegotiating, DisputeStalled: DisputeStalled},
		DisputeActAgree:     {DisputeNegotiating: DisputeAgreed, DisputeAgreed: DisputeAgreed, DisputeImplementing: DisputeImplementing},
		DisputeActTask:      {DisputeAgreed: DisputeAgreed, DisputeImplementing: DisputeImplementing},
		DisputeActTaskDone:  {DisputeAgreed: DisputeImplementing, DisputeImplementing: DisputeImplementing},
		DisputeActImplement: {DisputeAgreed: DisputeImplementing},
		DisputeActStall:     {DisputeOpen: DisputeStalled, DisputeNegotiating: DisputeStalled, DisputeImplementing: DisputeStalled},
		DisputeActResume:    {DisputeStalled: DisputeNegotiating},
		DisputeActResolve:   {DisputeAgreed: DisputeResolved, DisputeImplementing: DisputeResolved},
	}
	for action, allowed := range want {
		for _, from := range DisputeStatuses() {
			f := newDspFixture(t)
			f.toStatus(from)
			var op Op
			var err error
			switch action {
			case DisputeActPlan:
				op, err = f.a.AddPlan(f.d, PlanVersion{Description: "新方案", Changes: "改线", Reason: "反对"})
			case DisputeActAgree:
				op, err = f.a.Agree(f.d, f.lastPlan(), []string{"双方代表"}, time.Time{})
			case DisputeActTask:
				op, err = f.a.AddTask(f.d, Task{Title: "修台阶", Owner: "城建科", Due: Date{2026, 5, 1}})
			case DisputeActTaskDone:
				id := NewID(f.clk.t)
				if _, e := NextDispute(from, DisputeActTask); e == nil {
					id = f.task("修台阶").ID
				}
				op, err = f.a.SetTaskDone(f.d, id, true, time.Time{})
			case DisputeActImplement:
				op, err = f.a.Implement(f.d, time.Time{}, "")
			case DisputeActStall:
				op, err = f.a.Stall(f.d, time.Time{}, "资金未落实")
			case DisputeActResume:
				op, err = f.a.Resume(f.d, time.Time{}, "")
			case DisputeActResolve:
				op, err = f.a.Resolve(f.d, time.Time{}, "")
			}
			exp, ok := allowed[from]
			switch {
			case ok && err != nil:
				t.Errorf("%s from %s: refused (%v), want %s", action, from, err, exp)
			case !ok && !errors.Is(err, ErrTransition):
				t.Errorf("%s from %s: err = %v, want ErrTransition", action, from, err)
			case ok:
				f.apply(op)
				if f.d.Status != exp {
					t.Errorf("%s from %s = %s, want %s", action, from, f.d.Status, exp)
				}
			}
			if got, e := NextDispute(from, action); ok != (e == nil) || (ok && got != exp) {
				t.Errorf("NextDispute(%s, %s) = %s, %v", from, action, got, e)
			}
			if contains(DisputeAllowed(from), action) != ok {
				t.Errorf("DisputeAllowed(%s) = %v disagrees on %s", from, DisputeAllowed(from), action)
			}
		}
	}
}

func TestDisputeResolveNeedsTasksDone(t *testing.T) {
	f := newDspFixture(t)
	f.toStatus(DisputeAgreed)
	steps := f.task("修建台阶")
	f.task("安装扶手")
	if _, err := f.a.Resolve(f.d, time.Time{}, ""); !errors.Is(err, ErrTransition) ||
		!strings.Contains(err.Error(), "修建台阶") || !strings.Contains(err.Error(), "安装扶手") {
		t.Fatalf("resolve with two open tasks: %v", err)
	}
	f.do(f.a.SetTaskDone(f.d, steps.ID, true, time.Time{}))
	if f.d.Status != DisputeImplementing || f.d.ImplementingAt.IsZero() {
		t.Errorf("first task done: status %s, implementing at %v", f.d.Status, f.d.ImplementingAt)
	}
	_, err := f.a.Resolve(f.d, time.Time{}, "")
	if !errors.Is(err, ErrTransition) || strings.Contains(err.Error(), "修建台阶") || !strings.Contains(err.Error(), "安装扶手") {
		t.Fatalf("resolve with one open task should name only it: %v", err)
	}
	if _, err := f.a.SetTaskDone(f.d, steps.ID, true, time.Time{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("marking a done task done again: %v", err)
	}
	handrail := f.d.Tasks()[1]
	f.do(f.a.SetTaskDone(f.d, handrail.ID, true, time.Time{}))
	f.do(f.a.Resolve(f.d, time.Time{}, "步道建成"))
	if f.d.Status != DisputeResolved || f.d.ResolvedAt.IsZero() {
		t.Fatalf("status %s", f.d.Status)
	}
	for _, act := range []func() (Op, error){
		func() (Op, error) { return f.a.SetTaskDone(f.d, handrail.ID, false, time.Time{}) },
		func() (Op, error) { return f.a.AddTask(f.d, Task{Title: "x", Owner: "y", Due: Date{2026, 5, 1}}) },
		func() (Op, error) { return f.a.Stall(f.d, time.Time{}, "x") },
	} {
		if _, err := act(); !errors.Is(err, ErrTransition) {
			t.Errorf("after resolving: %v, want ErrTransition", err)
		}
	}
}

// dspPair is two devices that share a dispute and then work offline.
type dspPair struct {
	ca, cb *fakeNow
	a, b   *Author
	ra, rb *Dispute
	shared []Op
}

func newDspPair(t *testing.T, prepare func(f *dspFixture)) *dspPair {
	f := newDspFixture(t)
	prepare(f)
	p := &dspPair{ca: f.clk, cb: &fakeNow{t: f.clk.t}, a: f.a, ra: f.d, shared: f.ops}
	p.b = newAuthor("dev-b", p.cb)
	p.rb = NewDispute(f.d.ID)
	for _, op := range f.ops {
		dspApply(t, p.rb, op)
		if err := p.b.Clock.Observe(op.HLC); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// exchange gives each replica the other's offline ops, and checks they agree.
func (p *dspPair) exchange(t *testing.T, fromA, fromB []Op) {
	t.Helper()
	for _, op := range fromB {
		dspApply(t, p.ra, op)
	}
	for i := len(fromA) - 1; i >= 0; i-- {
		dspApply(t, p.rb, fromA[i])
		dspApply(t, p.rb, fromA[i]) // duplicate delivery changes nothing
	}
	if ja, jb := dspJSON(t, p.ra), dspJSON(t, p.rb); ja != jb {
		t.Fatalf("replicas differ:\n%s\n%s", ja, jb)
	}
}

// dspMust returns a checker for an author's (Op, error) results.
func dspMust(t *testing.T) func(Op, error) Op {
	return func(op Op, err error) Op {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return op
	}
}

// TestDisputeConcurrentSteps: steps made offline on two devices are
// replayed in merge order on both; the one not allowed at its place is
// marked refused on every replica alike.
func TestDisputeConcurrentSteps(t *testing.T) {
	t.Run("agree after a concurrent stall is refused", func(t *testing.T) {
		p := newDspPair(t, func(f *dspFixture) { f.plan() })
		p.ca.advance(time.Minute)
		p.cb.advance(2 * time.Minute)
		stall := dspMust(t)(p.a.Stall(p.ra, time.Time{}, "15号楼不同意"))
		agree := dspMust(t)(p.b.Agree(p.rb, p.rb.Plans()[0].ID, []string{"代表"}, time.Time{}))
		dspApply(t, p.ra, stall)
		dspApply(t, p.rb, agree)
		p.exchange(t, []Op{stall}, []Op{agree})
		if p.ra.Status != DisputeStalled || p.ra.Agreement != nil {
			t.Errorf("status %s agreement %v", p.ra.Status, p.ra.Agreement)
		}
		if e := p.ra.Log[len(p.ra.Log)-1]; e.Kind != OpDisputeAgree || !strings.Contains(e.Refused, "stalled") {
			t.Errorf("the agreement should be marked refused: %+v", e)
		}
	})
	t.Run("resolve before a concurrent task is refused", func(t *testing.T) {
		p := newDspPair(t, func(f *dspFixture) { f.toStatus(DisputeAgreed) })
		p.ca.advance(2 * time.Minute)
		p.cb.advance(time.Minute) // B's task is earlier in merge order
		resolve := dspMust(t)(p.a.Resolve(p.ra, time.Time{}, ""))
		task := dspMust(t)(p.b.AddTask(p.rb, Task{Title: "补植绿化", Owner: "志愿者", Due: Date{2026, 5, 1}}))
		dspApply(t, p.ra, resolve)
		dspApply(t, p.rb, task)
		p.exchange(t, []Op{resolve}, []Op{task})
		if p.ra.Status != DisputeAgreed || !p.ra.ResolvedAt.IsZero() {
			t.Errorf("status %s", p.ra.Status)
		}
		e := p.ra.Log[len(p.ra.Log)-1]
		if e.Kind != OpDisputeResolve || !strings.Contains(e.Refused, "补植绿化") {
			t.Errorf("resolve should be refused naming the task: %+v", e)
		}
	})
	t.Run("a task added after a concurrent resolve is refused", func(t *testing.T) {
		p := newDspPair(t, func(f *dspFixture) { f.toStatus(DisputeAgreed) })
		p.ca.advance(time.Minute)
		p.cb.advance(2 * time.Minute)
		resolve := dspMust(t)(p.a.Resolve(p.ra, time.Time{}, ""))
		task := dspMust(t)(p.b.AddTask(p.rb, Task{Title: "补植绿化", Owner: "志愿者", Due: Date{2026, 5, 1}}))
		dspApply(t, p.ra, resolve)
		dspApply(t, p.rb, task)
		p.exchange(t, []Op{resolve}, []Op{task})
		if p.ra.Status != DisputeResolved || len(p.ra.Tasks()) != 0 || p.ra.Log[len(p.ra.Log)-1].Refused == "" {
			t.Errorf("status %s tasks %v", p.ra.Status, p.ra.Tasks())
		}
	})
	t.Run("a task unticked after a concurrent resolve reopens implementation", func(t *testing.T) {
		var task Op
		p := newDspPair(t, func(f *dspFixture) {
			f.toStatus(DisputeAgreed)
			task = f.task("修建台阶")
			f.do(f.a.SetTaskDone(f.d, task.ID, true, time.Time{}))
		})
		p.ca.advance(time.Minute)
		p.cb.advance(2 * time.Minute)
		resolve := dspMust(t)(p.a.Resolve(p.ra, time.Time{}, ""))
		untick := dspMust(t)(p.b.SetTaskDone(p.rb, task.ID, false, time.Time{}))
		dspApply(t, p.ra, resolve)
		dspApply(t, p.rb, untick)
		p.exchange(t, []Op{resolve}, []Op{untick})
		if p.ra.Status != DisputeImplementing || !p.ra.ResolvedAt.IsZero() || p.ra.Tasks()[0].Done {
			t.Errorf("status %s resolved %v tasks %+v", p.ra.Status, p.ra.ResolvedAt, p.ra.Tasks())
		}
	})
	t.Run("concurrent agreements are a conflict until one supersedes both", func(t *testing.T) {
		p := newDspPair(t, func(f *dspFixture) { f.plan(); f.plan() })
		p.ca.advance(time.Minute)
		p.cb.advance(2 * time.Minute)
		plans := p.ra.Plans()
		agreeA := dspMust(t)(p.a.Agree(p.ra, plans[0].ID, []string{"甲"}, time.Time{}))
		agreeB := dspMust(t)(p.b.Agree(p.rb, plans[1].ID, []string{"乙"}, time.Time{}))
		dspApply(t, p.ra, agreeA)
		dspApply(t, p.rb, agreeB)
		p.exchange(t, []Op{agreeA}, []Op{agreeB})
		if p.ra.Status != DisputeAgreed || p.ra.Agreement == nil || p.ra.Agreement.Plan != plans[1].ID {
			t.Fatalf("the later agreement should be in force: %+v", p.ra.Agreement)
		}
		cs := p.ra.Conflicts()
		if len(cs) != 1 || cs[0].Field != AgreementField || cs[0].Value != "方案第1版；签字：甲" || cs[0].Shown != "方案第2版；签字：乙" {
			t.Fatalf("conflicts = %+v", cs)
		}
		p.ca.advance(time.Hour)
		settle := dspMust(t)(p.a.Agree(p.ra, plans[1].ID, []string{"甲", "乙"}, time.Time{}))
		dspApply(t, p.ra, settle)
		dspApply(t, p.rb, settle)
		if len(p.rb.Conflicts()) != 0 || len(p.rb.Agreement.SignedOff) != 2 {
			t.Errorf("after settling: %+v %+v", p.rb.Conflicts(), p.rb.Agreement)
		}
	})
}

// TestDisputeConvergence: two devices record votes, minutes addenda, plan
// versions and party edits offline. Whatever order the ops arrive in, and
// however often, every replica ends up with identical JSON; the concurrent
// edits of one party's position are a conflict.
func TestDisputeConvergence(t *testing.T) {
	var p14, p15, m1 string
	p := newDspPair(t, func(f *dspFixture) {
		p14 = f.do(f.a.AddParty(f.d, Party{Name: "14号楼居民", Kind: "楼栋", Building: "１４号楼", Side: "A", Position: "修路"})).ID
		p15 = f.do(f.a.AddParty(f.d, Party{Name: "15号楼居民", Kind: PartyBuilding, Building: "15号楼", Side: "B", Position: "不修"})).ID
		f.plan()
		m1 = f.do(f.a.AddMeeting(f.d, Meeting{Place: "14号楼小院", Kind: "小院议事厅", Minutes: "双方陈述"})).ID
	})
	v1 := p.ra.Plans()[0].ID
	var fromA, fromB []Op
	stepA := func(op Op, err error) {
		op = dspMust(t)(op, err)
		dspApply(t, p.ra, op)
		fromA = append(fromA, op)
		p.ca.advance(time.Minute)
	}
	stepB := func(op Op, err error) {
		op = dspMust(t)(op, err)
		dspApply(t, p.rb, op)
		fromB = append(fromB, op)
		p.cb.advance(time.Minute)
	}
	p.cb.advance(30 * time.Second) // B's clock runs a little later: its edits win
	stepA(p.a.RecordVote(p.ra, Vote{Meeting: m1, Plan: v1, For: 9, Against: 14, Abstain: 2}))
	stepB(p.b.RecordVote(p.rb, Vote{Meeting: m1, Plan: v1, For: 10, Against: 13, Abstain: 2, Method: "举牌表决"}))
	stepA(p.a.AppendMinutes(p.ra, m1, "甲记：15号楼担心噪音"))
	stepB(p.b.AppendMinutes(p.rb, m1, "乙记：14号楼老人摔倒三次"))
	stepA(p.a.AddPlan(p.ra, PlanVersion{Description: "绕开树木", Changes: "改线", Reason: "保留树木"}))
	stepB(p.b.AddPlan(p.rb, PlanVersion{Description: "下端北移", Changes: "北移", Reason: "远离窗户"}))
	stepA(p.a.SetParty(p.ra, p14, map[string]string{PartyFieldPosition: "修路，可以绕开树"}))
	stepB(p.b.SetParty(p.rb, p14, map[string]string{PartyFieldPosition: "坚持直线修路"}))
	stepB(p.b.SetParty(p.rb, p15, map[string]string{PartyFieldInterest: "隐私与噪音"}))

	p.exchange(t, fromA, fromB)
	want := dspJSON(t, p.ra)

	// Any order, with duplicates, on fresh replicas.
	all := append(append(append([]Op{}, p.shared...), fromA...), fromB...)
	r := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 50; i++ {
		ops := append(append([]Op{}, all...), all[r.IntN(len(all))], all[r.IntN(len(all))])
		r.Shuffle(len(ops), func(i, j int) { ops[i], ops[j] = ops[j], ops[i] })
		d := NewDispute(p.ra.ID)
		for _, op := range ops {
			dspApply(t, d, op)
		}
		if got := dspJSON(t, d); got != want {
			t.Fatalf("order %d differs:\n%s\n%s", i, got, want)
		}
	}

	d := p.ra
	if ps := d.Plans(); len(ps) != 3 || ps[0].N != 1 || ps[1].N != 2 || ps[2].N != 3 || ps[1].Description != "绕开树木" {
		t.Errorf("plans = %+v", ps)
	}
	if vs := d.Votes(); len(vs) != 2 || vs[0].Passed() || vs[1].Method != VoteShowOfHands {
		t.Errorf("votes = %+v", vs)
	}
	if m, _ := d.Meeting(m1); len(m.Addenda) != 2 || m.Minutes != "双方陈述" || m.Addenda[0].Text != "甲记：15号楼担心噪音" {
		t.Errorf("meeting = %+v", m)
	}
	if pa, _ := d.Party(p14); pa.Position != "坚持直线修路" || pa.Building != "14号楼" || pa.Kind != PartyBuilding {
		t.Errorf("party 14 = %+v", pa)
	}
	if pb, _ := d.Party(p15); pb.Interest != "隐私与噪音" {
		t.Errorf("party 15 = %+v", pb)
	}
	cs := d.Conflicts()
	if len(cs) != 1 || cs[0].Field != PartyKey(p14, PartyFieldPosition) || cs[0].Value != "修路，可以绕开树" || cs[0].Shown != "坚持直线修路" {
		t.Fatalf("conflicts = %+v", cs)
	}
	// An edit that saw both values settles the conflict everywhere.
	p.ca.advance(time.Hour)
	settle := dspMust(t)(p.a.SetParty(p.ra, p14, map[string]string{PartyFieldPosition: "同意绕开树木修路"}))
	dspApply(t, p.ra, settle)
	dspApply(t, p.rb, settle)
	if len(p.ra.Conflicts()) != 0 || dspJSON(t, p.ra) != dspJSON(t, p.rb) {
		t.Errorf("after settling: %+v", p.ra.Conflicts())
	}
}

func TestDisputeVoteValidation(t *testing.T) {
	f := newDspFixture(t)
	f.plan()
	plan := f.lastPlan()
	meeting := f.do(f.a.AddMeeting(f.d, Meeting{Place: "社区活动室", Kind: MeetingConsultation})).ID
	m, _ := f.d.Meeting(meeting)
	meetingAt := m.At
	tests := []struct {
		name   string
		v      Vote
		fields []string // the FieldErrors expected; none means valid
	}{
		{"valid", Vote{Meeting: meeting, Plan: plan, For: 21, Against: 2, Abstain: 1}, nil},
		{"only abstentions", Vote{Meeting: meeting, Plan: plan, Abstain: 3}, nil},
		{"all zero", Vote{Meeting: meeting, Plan: plan}, []string{"for"}},
		{"negative", Vote{Meeting: meeting, Plan: plan, For: 5, Against: -1, Abstain: -2}, []string{"against", "abstain"}},
		{"unknown meeting", Vote{Meeting: NewID(f.clk.t), Plan: plan, For: 1}, []string{"meeting"}},
		{"unknown plan", Vote{Meeting: meeting, Plan: "", For: 1}, []string{"plan"}},
		{"bad method", Vote{Meeting: meeting, Plan: plan, For: 1, Method: "鼓掌"}, []string{"method"}},
		{"at the meeting", Vote{Meeting: meeting, Plan: plan, For: 1, At: meetingAt}, nil},
		{"before the meeting", Vote{Meeting: meeting, Plan: plan, For: 1, At: meetingAt.Add(-time.Hour)}, []string{"at"}},
		{"in the future", Vote{Meeting: meeting, Plan: plan, For: 1, At: f.clk.t.Add(time.Hour)}, []string{"at"}},
	}
	for _, tt := range tests {
		op, err := f.a.RecordVote(f.d, tt.v)
		if tt.fields == nil {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
				continue
			}
			if err := op.validateDispute(); err != nil {
				t.Errorf("%s: op does not validate: %v", tt.name, err)
			}
			continue
		}
		var fes FieldErrors
		if !errors.As(err, &fes) || !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want FieldErrors", tt.name, err)
			continue
		}
		for _, fld := range tt.fields {
			if fes.For(fld) == nil {
				t.Errorf("%s: no error for %s in %v", tt.name, fld, fes)
			}
		}
		if len(fes) != len(tt.fields) {
			t.Errorf("%s: errors %v, want only %v", tt.name, fes, tt.fields)
		}
	}
	// A vote entered later keeps the time it was taken.
	f.clk.t = f.clk.t.Add(48 * time.Hour)
	f.do(f.a.RecordVote(f.d, Vote{Meeting: meeting, Plan: plan, For: 3, At: meetingAt}))
	if vs := f.d.Votes(); len(vs) == 0 || !vs[len(vs)-1].At.Equal(meetingAt.UTC().Truncate(time.Second)) {
		t.Errorf("vote recorded at %v, taken at %v", vs[len(vs)-1].At, meetingAt)
	}
	v := Vote{For: 13, Against: 10, Abstain: 2}
	if !v.Passed() || (Vote{For: 12, Against: 10, Abstain: 2}).Passed() || v.Total() != 25 {
		t.Errorf("Passed is more than half of the votes cast")
	}
}

// TestDisputeFormValidation: each form reports its problems as FieldErrors.
func TestDisputeFormValidation(t *testing.T) {
	f := newDspFixture(t)
	f.plan()
	future := f.clk.t.Add(48 * time.Hour)
	tests := []struct {
		name   string
		make   func() (Op, error)
		fields []string
	}{
		{"dispute without title or cases", func() (Op, error) { return f.a.NewDispute(" ", "", "", []string{NewID(f.clk.t)}) }, []string{"title", "cases"}},
		{"dispute with a bad case id", func() (Op, error) {
			return f.a.NewDispute("x", "", "", []string{"abc", NewID(f.clk.t), NewID(f.clk.t)})
		}, []string{"cases"}},
		{"dispute linking one case twice", func() (Op, error) {
			id := NewID(f.clk.t)
			return f.a.NewDispute("x", "", "", []string{id, strings.ToLower(id)})
		}, []string{"cases"}},
		{"dispute fields", func() (Op, error) {
			return f.a.SetDisputeFields(f.d, map[string]string{"title": "", "owner": "x"})
		}, []string{"title", "owner"}},
		{"party", func() (Op, error) { return f.a.AddParty(f.d, Party{Kind: "居委会"}) }, []string{"name", "kind"}},
		{"plan revision without why", func() (Op, error) { return f.a.AddPlan(f.d, PlanVersion{Description: "x"}) }, []string{"changes", "reason"}},
		{"plan without description", func() (Op, error) {
			return f.a.AddPlan(f.d, PlanVersion{Description: "  ", Changes: "x", Reason: "y", At: future})
		}, []string{"description", "at"}},
		{"meeting in the future", func() (Op, error) {
			return f.a.AddMeeting(f.d, Meeting{Place: "小院", Kind: MeetingCourtyard, At: future})
		}, []string{"at"}},
		{"meeting without place or kind", func() (Op, error) { return f.a.AddMeeting(f.d, Meeting{}) }, []string{"place", "kind"}},
		{"meeting attendees", func() (Op, error) {
			return f.a.AddMeeting(f.d, Meeting{Place: "小院", Kind: "协商会", Attendees: []Attendee{
				{Role: "14号楼居民", Count: 12}, {Role: "物业", Name: "李经理"}, {Role: "", Name: "王"}, {Role: "15号楼居民"}, {Role: "x", Count: -1}}})
		}, []string{"attendees[2]", "attendees[3]", "attendees[4]"}},
		{"agreement", func() (Op, error) { return f.a.Agree(f.d, NewID(f.clk.t), []string{" "}, future) }, []string{"plan", "signed_off", "at"}},
		{"minutes", func() (Op, error) { return f.a.AppendMinutes(f.d, NewID(f.clk.t), "x") }, nil},
	}
	for _, tt := range tests {
		_, err := tt.make()
		if tt.fields == nil {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("%s: err = %v, want ErrNotFound", tt.name, err)
			}
			continue
		}
		var fes FieldErrors
		if !errors.As(err, &fes) {
			t.Errorf("%s: err = %v, want FieldErrors", tt.name, err)
			continue
		}
		for _, fld := range tt.fields {
			if fes.For(fld) == nil {
				t.Errorf("%s: no error for %s in %v", tt.name, fld, fes)
			}
		}
		if len(fes) != len(tt.fields) {
			t.Errorf("%s: errors %v, want only %v", tt.name, fes, tt.fields)
		}
	}
	f.do(f.a.Agree(f.d, f.lastPlan(), []string{"代表"}, time.Time{}))
	for _, tt := range []struct {
		task  Task
		field string
	}{
		{Task{Title: "修台阶", Owner: "城建科"}, "due"},
		{Task{Title: "修台阶", Owner: "城建科", Due: Date{2026, 2, 30}}, "due"},
		{Task{Title: "", Owner: "城建科", Due: Date{2026, 5, 1}}, "title"},
		{Task{Title: "修台阶", Due: Date{2026, 5, 1}}, "owner"},
	} {
		_, err := f.a.AddTask(f.d, tt.task)
		var fes FieldErrors
		if !errors.As(err, &fes) || fes.For(tt.field) == nil {
			t.Errorf("task %+v: err = %v, want error on %s", tt.task, err, tt.field)
		}
	}
}

func TestDisputeLinkCase(t *testing.T) {
	f := newDspFixture(t)
	first := f.d.Cases[0]
	if _, err := f.a.LinkCase(f.d, first); !errors.Is(err, ErrInvalid) {
		t.Errorf("linking a linked case: %v", err)
	}
	more := NewID(f.clk.t)
	f.do(f.a.LinkCase(f.d, more, strings.ToLower(more), first))
	if len(f.d.Cases) != 3 || f.d.Cases[2] != more || !f.d.Linked(more) {
		t.Errorf("cases = %v", f.d.Cases)
	}
	f.do(f.a.SetDisputeFields(f.d, map[string]string{DisputeFieldPlace: "１４号楼北侧", DisputeFieldSummary: "老人摔倒"}))
	if f.d.Place() != "14号楼北侧" || f.d.Summary() != "老人摔倒" || f.d.Title() != "坡地修路" {
		t.Errorf("fields: %q %q %q", f.d.Place(), f.d.Summary(), f.d.Title())
	}
}

// dspWithPayload returns a copy of op whose payload was changed by mod.
func dspWithPayload(t *testing.T, op Op, mod func(p *disputePayload)) Op {
	t.Helper()
	var p disputePayload
	if err := json.Unmarshal(op.Payload, &p); err != nil {
		t.Fatal(err)
	}
	mod(&p)
	b, _ := json.Marshal(p)
	op.Payload = b
	return op
}

func TestDisputeOpValidate(t *testing.T) {
	fp := buildFootpath(t)
	byKind := map[OpKind]Op{}
	for _, op := range fp.ops {
		if err := op.validateDispute(); err != nil {
			t.Errorf("%s: %v", op.Kind, err)
		}
		if _, ok := byKind[op.Kind]; !ok {
			byKind[op.Kind] = op
		}
	}
	for _, k := range disputeKinds {
		if k == OpDisputeReopen {
			continue // the footpath ends resolved: TestDisputeReopenTransition reopens it
		}
		if _, ok := byKind[k]; !ok {
			t.Errorf("the footpath makes no %s op", k)
		}
	}
	clone := func(op Op) Op {
		op.Fields = map[string]string{}
		for k, v := range byKind[op.Kind].Fields {
			op.Fields[k] = v
		}
		return op
	}
	bad := []struct {
		name string
		op   func() Op
	}{
		{"entity not an id", func() Op { op := clone(byKind[OpDisputeCreate]); op.Entity = "settings"; return op }},
		{"create with one case", func() Op {
			return dspWithPayload(t, byKind[OpDisputeCreate], func(p *disputePayload) { p.Cases = p.Cases[:1] })
		}},
		{"create without title", func() Op { op := clone(byKind[OpDisputeCreate]); delete(op.Fields, "title"); return op }},
		{"create writing a party", func() Op {
			op := clone(byKind[OpDisputeCreate])
			op.Fields[PartyKey(op.ID, PartyFieldName)] = "x"
			return op
		}},
		{"set of an unknown field", func() Op { op := clone(byKind[OpDisputeSet]); op.Fields["password"] = "x"; return op }},
		{"set of a task mark that is not a time", func() Op {
			op := clone(byKind[OpDisputeSet])
			op.Fields = map[string]string{TaskDoneKey(op.ID): "yes"}
			return op
		}},
		{"party writing another party", func() Op {
			op := clone(byKind[OpDisputeParty])
			op.Fields[PartyKey(NewID(time.Now()), PartyFieldName)] = "x"
			return op
		}},
		{"party of unknown kind", func() Op {
			op := clone(byKind[OpDisputeParty])
			op.Fields[PartyKey(op.ID, PartyFieldKind)] = "alien"
			return op
		}},
		{"garbage payload", func() Op { op := clone(byKind[OpDisputePlan]); op.Payload = json.RawMessage(`{"plan":7}`); return op }},
		{"plan without description", func() Op {
			return dspWithPayload(t, byKind[OpDisputePlan], func(p *disputePayload) { p.Plan.Description = "" })
		}},
		{"meeting of unknown kind", func() Op {
			return dspWithPayload(t, byKind[OpDisputeMeeting], func(p *disputePayload) { p.Meeting.Kind = "party" })
		}},
		{"minutes without text", func() Op {
			return dspWithPayload(t, byKind[OpDisputeMinutes], func(p *disputePayload) { p.Minutes.Text = " " })
		}},
		{"vote all zero", func() Op {
			return dspWithPayload(t, byKind[OpDisputeVote], func(p *disputePayload) { p.Vote.For, p.Vote.Against, p.Vote.Abstain = 0, 0, 0 })
		}},
		{"vote negative", func() Op {
			return dspWithPayload(t, byKind[OpDisputeVote], func(p *disputePayload) { p.Vote.Against = -3 })
		}},
		{"agreement without sign-off", func() Op {
			return dspWithPayload(t, byKind[OpDisputeAgree], func(p *disputePayload) { p.Agreement.SignedOff = nil })
		}},
		{"task without due date", func() Op {
			return dspWithPayload(t, byKind[OpDisputeTask], func(p *disputePayload) { p.Task.Due = Date{} })
		}},
		{"stall without reason", func() Op {
			return dspWithPayload(t, byKind[OpDisputeStall], func(p *disputePayload) { p.Note = "" })
		}},
	}
	for _, tt := range bad {
		op := tt.op()
		if err := op.validateDispute(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", tt.name, err)
		}
	}
	// Apply survives what validation would have refused.
	d := NewDispute(fp.d.ID)
	op := clone(byKind[OpDisputePlan])
	op.Payload = json.RawMessage(`{"plan":`)
	if changed, err := d.Apply(&op); changed || !errors.Is(err, ErrInvalid) {
		t.Errorf("apply of a broken payload: %v %v", changed, err)
	}
	op.Payload = nil
	if changed, err := d.Apply(&op); changed || !errors.Is(err, ErrInvalid) {
		t.Errorf("apply of a plan op without a plan: %v %v", changed, err)
	}
	party := clone(byKind[OpDisputeParty])
	party.Fields[DisputeFieldTitle] = "hijack"
	if _, err := d.Apply(&party); err != nil || d.Title() != "" {
		t.Errorf("a party op must not write the title: %v %q", err, d.Title())
	}
	unknown := Op{ID: NewID(time.Now()), Origin: "x", HLC: HLC{Wall: 1}, Kind: "dispute.future", Entity: d.ID}
	if changed, err := d.Apply(&unknown); changed || err != nil || unknown.validateDispute() != nil {
		t.Errorf("an unknown dispute kind should be kept and ignored: %v %v", changed, err)
	}
	if _, err := d.Apply(&Op{ID: "x", Entity: "other", Kind: OpDisputePlan}); !errors.Is(err, ErrInvalid) {
		t.Errorf("an op of another dispute: %v", err)
	}
}

func TestPlanDiff(t *testing.T) {
	same := func(f, s string) DiffLine { return DiffLine{f, DiffSame, s} }
	del := func(f, s string) DiffLine { return DiffLine{f, DiffRemoved, s} }
	add := func(f, s string) DiffLine { return DiffLine{f, DiffAdded, s} }
	tests := []struct {
		name string
		a, b PlanVersion
		want []DiffLine
	}{
		{"identical", PlanVersion{Description: "a\nb", Cost: "1万"}, PlanVersion{Description: "a\nb", Cost: "1万"},
			[]DiffLine{same("description", "a"), same("description", "b"), same("cost", "1万")}},
		{"line changed in the middle", PlanVersion{Description: "a\nb\nc"}, PlanVersion{Description: "a\nx\nc"},
			[]DiffLine{same("description", "a"), del("description", "b"), add("description", "x"), same("description", "c")}},
		{"lines added and removed", PlanVersion{Description: "a\nb\nc\nd"}, PlanVersion{Description: "b\nc\ne\nd\nf"},
			[]DiffLine{del("description", "a"), same("description", "b"), same("description", "c"), add("description", "e"),
				same("description", "d"), add("description", "f")}},
		{"from nothing, CRLF and a final newline", PlanVersion{}, PlanVersion{Description: "a\r\nb\n"},
			[]DiffLine{add("description", "a"), add("description", "b")}},
		{"fields", PlanVersion{Title: "直线", Cost: "2万", Funding: "街道"}, PlanVersion{Title: "转弯", Cost: "2.6万", Funding: "街道", Upkeep: "志愿者"},
			[]DiffLine{del("title", "直线"), add("title", "转弯"), del("cost", "2万"), add("cost", "2.6万"), same("funding", "街道"), add("upkeep", "志愿者")}},
	}
	for _, tt := range tests {
		got := PlanDiff(tt.a, tt.b)
		if !dspSameLines(got, tt.want) {
			t.Errorf("%s:\n got %v\nwant %v", tt.name, got, tt.want)
		}
	}
	// Any diff rebuilds both sides, and the kept lines are a longest common subsequence.
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 300; i++ {
		a, b := dspRandomLines(r), dspRandomLines(r)
		got := PlanDiff(PlanVersion{Description: strings.Join(a, "\n")}, PlanVersion{Description: strings.Join(b, "\n")})
		var ra, rb []string
		kept := 0
		for _, l := range got {
			if l.Kind != DiffAdded {
				ra = append(ra, l.Text)
			}
			if l.Kind != DiffRemoved {
				rb = append(rb, l.Text)
			}
			if l.Kind == DiffSame {
				kept++
			}
		}
		if strings.Join(ra, "\n") != strings.Join(a, "\n") || strings.Join(rb, "\n") != strings.Join(b, "\n") || kept != dspLCS(a, b) {
			t.Fatalf("diff of %q and %q = %v", a, b, got)
		}
	}
}

func dspSameLines(a, b []DiffLine) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func dspRandomLines(r *rand.Rand) []string {
	out := make([]string, r.IntN(8))
	for i := range out {
		out[i] = string(rune('a' + r.IntN(4)))
	}
	return out
}

// dspLCS is the textbook recursion, as an independent check.
func dspLCS(a, b []string) int {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if a[0] == b[0] {
		return 1 + dspLCS(a[1:], b[1:])
	}
	return max(dspLCS(a[1:], b), dspLCS(a, b[1:]))
}

func TestDisputeCloseLinkedCases(t *testing.T) {
	clk := &fakeNow{t: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}
	a := newAuthor("dev-a", clk)
	tests := []struct {
		name    string
		steps   []Step
		actions []Action // the steps CloseLinkedCases makes
		err     error
	}{
		{"received", nil, []Action{ActRespond, ActResolve, ActFeedback, ActClose}, nil},
		{"responded", []Step{{Action: ActRespond}}, []Action{ActResolve, ActFeedback, ActClose}, nil},
		{"dispatched", []Step{{Action: ActRespond}, {Action: ActDispatch, To: "物业"}}, []Action{ActResolve, ActFeedback, ActClose}, nil},
		{"in progress, escalated", []Step{{Action: ActRespond}, {Action: ActProgress, Note: "走访"}, {Action: ActEscalate, To: "street"}},
			[]Action{ActResolve, ActFeedback, ActClose}, nil},
		{"resolved", []Step{{Action: ActRespond}, {Action: ActResolve}}, []Action{ActFeedback, ActClose}, nil},
		{"feedback given", []Step{{Action: ActRespond}, {Action: ActResolve}, {Action: ActFeedback}}, []Action{ActClose}, nil},
		{"evaluated solved", []Step{{Action: ActRespond}, {Action: ActResolve}, {Action: ActFeedback},
			{Action: ActEvaluate, Solved: SolvedYes, Satisfaction: Satisfied}}, []Action{ActClose}, nil},
		{"evaluated not solved", []Step{{Action: ActRespond}, {Action: ActResolve}, {Action: ActFeedback},
			{Action: ActEvaluate, Solved: SolvedNo, Satisfaction: NotSatisfied}}, nil, ErrTransition},
		{"unresolvable", []Step{{Action: ActRespond}, {Action: ActUnresolvable, Note: "双方分歧"}}, nil, ErrTransition},
		{"closed already", []Step{{Action: ActRespond}, {Action: ActResolve}, {Action: ActFeedback}, {Action: ActClose}}, nil, nil},
	}
	var cases []*Case
	var ids []string
	for i, tt := range tests {
		c := newTestCase(t, a)
		for _, s := range tt.steps {
			clk.advance(time.Minute)
			op, err := a.Step(c, s)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			mustApply(t, c, op)
		}
		cases = append(cases, c)
		ids = append(ids, c.ID)
		c.Registers[FieldNumber] = &Register{Versions: []Version{{Op: NewID(clk.t), Value: tests[i].name}}}
	}
	missing := NewID(clk.t)
	f := &dspFixture{t: t, clk: clk, a: a}
	f.d = NewDispute("")
	create := f.must(a.NewDispute("坡地修路", "14号楼与15号楼之间坡地", "", append(ids, missing)))
	f.d.ID = create.Entity
	f.apply(create)

	if ops, errs := a.CloseLinkedCases(f.d, cases, time.Time{}); ops != nil || len(errs) != 1 || !errors.Is(errs[0], ErrTransition) {
		t.Fatalf("before the dispute is resolved: %v %v", ops, errs)
	}
	f.toStatus(DisputeAgreed)
	f.do(a.Resolve(f.d, time.Time{}, ""))

	stranger := newTestCase(t, a)
	ops, errs := a.CloseLinkedCases(f.d, append(cases, stranger, nil), time.Time{})
	byCase := map[string][]Op{}
	for _, op := range ops {
		byCase[op.Entity] = append(byCase[op.Entity], op)
	}
	errFor := func(c *Case) error {
		for _, err := range errs {
			if strings.Contains(err.Error(), "close case "+c.Number()+":") {
				return err
			}
		}
		return nil
	}
	for i, tt := range tests {
		c := cases[i]
		err := errFor(c)
		if (err == nil) != (tt.err == nil) || (err != nil && !errors.Is(err, tt.err)) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.err)
			continue
		}
		got := byCase[c.ID]
		if len(got) != len(tt.actions) {
			t.Errorf("%s: %d ops, want %v", tt.name, len(got), tt.actions)
			continue
		}
		before := c.Status
		for j, op := range got {
			if op.Event.Action != tt.actions[j] || op.Event.Ref != f.d.ID || op.Event.Note != "矛盾纠纷已化解：坡地修路" {
				t.Errorf("%s: step %d = %+v", tt.name, j, op.Event)
			}
			mustApply(t, c, op)
		}
		if tt.err == nil && c.Status != StatusClosed {
			t.Errorf("%s: status %s after closing (was %s)", tt.name, c.Status, before)
		}
		if tt.err != nil && c.Status != before {
			t.Errorf("%s: the case changed", tt.name)
		}
	}
	if err := errFor(stranger); !errors.Is(err, ErrInvalid) {
		t.Errorf("a case not linked: %v", err)
	}
	var missingErr error
	for _, err := range errs {
		if strings.Contains(err.Error(), missing) {
			missingErr = err
		}
	}
	if !errors.Is(missingErr, ErrNotFound) {
		t.Errorf("a linked case not given: %v", missingErr)
	}
	if len(errs) != 4 {
		t.Errorf("errors = %v", errs)
	}
	// A time before an appeal was received is refused by the loop itself.
	again := newTestCase(t, a)
	f2 := &dspFixture{t: t, clk: clk, a: a, d: NewDispute("")}
	c2 := f2.must(a.NewDispute("x", "", "", []string{again.ID, missing}))
	f2.d.ID = c2.Entity
	f2.apply(c2)
	f2.toStatus(DisputeAgreed)
	f2.do(a.Resolve(f2.d, time.Time{}, ""))
	if _, errs := a.CloseLinkedCases(f2.d, []*Case{again}, again.Received().Add(-time.Hour)); len(errs) != 2 {
		t.Errorf("closing before received: %v", errs)
	} else if fe := (*FieldError)(nil); !errors.As(errs[0], &fe) || fe.Field != "at" {
		t.Errorf("closing before received: %v", errs[0])
	}
}

// footpath is the dispute from DOMAIN.md: a 3-metre slope between
// buildings 14 and 15; building 14 wants a path (an elderly resident fell
// three times), building 15 objects (it would run under their windows).
type footpath struct {
	clk        *fakeNow
	a          *Author
	d          *Dispute
	cases      []*Case
	v1, v2, v3 string
	m1, m2     string
	tasks      []string
	stages     map[string]DisputeStatus
	ops        []Op
}

func buildFootpath(t *testing.T) *footpath {
	t.Helper()
	clk := &fakeNow{t: time.Date(2025, 9, 1, 2, 0, 0, 0, time.UTC)}
	fp := &footpath{clk: clk, a: newAuthor("dev-a", clk), stages: map[string]DisputeStatus{}}
	a := fp.a
	for _, in := range []CaseInput{
		{Received: time.Date(2025, 9, 1, 10, 0, 0, 0, Shanghai), Channel: "12345", WorkOrder: "2025090100123", Type: "求助",
			Category: "道路设施", Building: "14号楼", Summary: "14号楼与15号楼之间坡地无路，老人在坡上摔倒三次，要求修路"},
		{Received: time.Date(2025, 9, 20, 15, 0, 0, 0, Shanghai), Channel: "来访", Type: "投诉",
			Category: "道路设施", Building: "15号楼", Summary: "反对在15号楼窗下修路"},
	} {
		clk.t = in.Received.Add(time.Hour)
		op, err := a.Create(in, DefaultCategories)
		if err != nil {
			t.Fatal(err)
		}
		c := NewCase(op.Entity)
		mustApply(t, c, op)
		clk.advance(time.Hour)
		respond, err := a.Step(c, Step{Action: ActRespond})
		if err != nil {
			t.Fatal(err)
		}
		mustApply(t, c, respond)
		fp.cases = append(fp.cases, c)
	}
	f := &dspFixture{t: t, clk: clk, a: a}
	at := func(y int, m time.Month, d, h int) time.Time {
		clk.t = time.Date(y, m, d, h, 0, 0, 0, Shanghai)
		return clk.t
	}
	at(2026, 3, 2, 9)
	create := f.must(a.NewDispute("14号楼与15号楼之间坡地修路", "14号楼与15号楼之间坡地",
		"3米高坡地原设计为草坪。14号楼居民要求修正式步道，15号楼居民反对在窗下修路，双方多年反复诉求。",
		[]string{fp.cases[0].ID, fp.cases[1].ID}))
	f.d = NewDispute(create.Entity)
	f.apply(create)
	fp.d = f.d
	f.do(a.AddParty(f.d, Party{Name: "14号楼居民", Kind: PartyBuilding, Building: "14号楼", Side: "A",
		Position: "修一条正式步道", Interest: "老人出行安全：一位老人在坡上摔倒三次"}))
	b15 := f.do(a.AddParty(f.d, Party{Name: "15号楼居民", Kind: PartyBuilding, Building: "15号楼", Side: "B",
		Position: "不同意修路", Interest: "路在窗下：隐私与噪音"}))
	f.do(a.AddParty(f.d, Party{Name: "物业", Kind: "物业", Side: "中立", Interest: "后期管护成本"}))
	f.do(a.AddParty(f.d, Party{Name: "业委会", Kind: "业委会", Side: "中立"}))
	f.do(a.AddParty(f.d, Party{Name: "街道城建科", Kind: "街道部门", Side: "中立"}))

	at(2026, 3, 5, 10)
	fp.v1 = f.do(a.AddPlan(f.d, PlanVersion{Title: "直线步道",
		Description: "从14号楼门前沿坡直线下行\n砌筑台阶，宽1.2米\n下端接15号楼窗前道路",
		Cost:        "约2万元", Funding: "街道专项经费", Upkeep: "物业负责"})).ID
	fp.stages["v1"] = f.d.Status
	at(2026, 3, 12, 10)
	fp.v2 = f.do(a.AddPlan(f.d, PlanVersion{Title: "绕树转弯",
		Description: "从14号楼门前沿坡下行\n绕开现有树木，中段设一处转弯\n砌筑台阶，宽1.2米\n下端接15号楼窗前道路",
		Changes:     "路线绕开现有树木，中段增加一处转弯", Reason: "入户走访：居民希望保留树木",
		Cost: "约2.2万元", Funding: "街道专项经费", Upkeep: "物业负责"})).ID
	at(2026, 3, 20, 19)
	fp.m1 = f.do(a.AddMeeting(f.d, Meeting{At: clk.t, Place: "14号楼小院", Kind: "小院议事厅",
		Attendees: []Attendee{{Role: "14号楼居民", Count: 12}, {Role: "15号楼居民", Count: 11}, {Role: "物业", Name: "李经理"},
			{Role: "业委会", Name: "赵主任"}, {Role: "街道城建科", Name: "孙科长"}},
		Minutes: "展示方案第2版。15号楼居民认为下端仍在窗下。"})).ID
	f.do(a.RecordVote(f.d, Vote{Meeting: fp.m1, Plan: fp.v2, For: 9, Against: 14, Abstain: 2}))
	at(2026, 3, 21, 9)
	f.do(a.AppendMinutes(f.d, fp.m1, "会后补记：15号楼居民提出下端北移、加装扶手可以考虑。"))
	fp.stages["meeting1"] = f.d.Status
	at(2026, 3, 22, 9)
	f.do(a.Stall(f.d, time.Time{}, "15号楼居民拒绝再参加协商"))
	fp.stages["stalled"] = f.d.Status
	at(2026, 3, 25, 9)
	f.do(a.SetParty(f.d, b15.ID, map[string]string{PartyFieldPosition: "下端远离窗户即可同意"}))
	at(2026, 3, 26, 9)
	fp.cases = append(fp.cases, func() *Case {
		op, err := a.Create(CaseInput{Received: time.Date(2026, 1, 10, 9, 0, 0, 0, Shanghai), Channel: "grid", Type: "建议",
			Category: "道路设施", Building: "14号楼", Summary: "坡地修路的事何时解决"}, DefaultCategories)
		if err != nil {
			t.Fatal(err)
		}
		c := NewCase(op.Entity)
		mustApply(t, c, op)
		return c
	}())
	f.do(a.LinkCase(f.d, fp.cases[2].ID))

	at(2026, 3, 28, 10)
	fp.v3 = f.do(a.AddPlan(f.d, PlanVersion{Title: "下端北移加扶手",
		Description: "从14号楼门前沿坡下行\n绕开现有树木，中段设一处转弯\n砌筑23级台阶，宽1.2米\n下端向北移动10米以上，远离15号楼窗户\n一侧加装扶手",
		Changes:     "下端北移10米以上；一侧加装扶手；台阶定为23级", Reason: "15号楼居民不愿路在窗下；老人上下需要扶手",
		Cost: "约2.6万元", Funding: "街道专项经费，居民捐款", Upkeep: "物业负责，志愿者巡查"})).ID
	fp.stages["v3 while stalled"] = f.d.Status
	at(2026, 4, 1, 9)
	f.do(a.Resume(f.d, time.Time{}, "入户走访后双方同意再议"))
	fp.stages["resumed"] = f.d.Status
	at(2026, 4, 10, 19)
	fp.m2 = f.do(a.AddMeeting(f.d, Meeting{At: clk.t, Place: "社区活动室", Kind: MeetingConsultation,
		Attendees: []Attendee{{Role: "居民", Count: 24}, {Role: "物业", Name: "李经理"}, {Role: "业委会", Name: "赵主任"}},
		Minutes:   "展示方案第3版，举牌表决。"})).ID
	f.do(a.RecordVote(f.d, Vote{Meeting: fp.m2, Plan: fp.v3, For: 21, Against: 2, Abstain: 1, Method: VoteShowOfHands}))
	f.do(a.Agree(f.d, fp.v3, []string{"14号楼居民代表", "15号楼居民代表", "物业", "业委会"}, clk.t))
	fp.stages["agreed"] = f.d.Status

	at(2026, 4, 12, 9)
	for _, tk := range []Task{
		{Title: "修建23级台阶步道", Owner: "街道城建科", Due: Date{2026, 5, 15}},
		{Title: "安装扶手", Owner: "物业", Due: Date{2026, 5, 20}},
		{Title: "补植绿化", Owner: "志愿者", Due: Date{2026, 5, 31}},
	} {
		fp.tasks = append(fp.tasks, f.do(a.AddTask(f.d, tk)).ID)
	}
	fp.stages["tasks"] = f.d.Status
	at(2026, 4, 20, 8)
	f.do(a.Implement(f.d, time.Time{}, "开工"))
	fp.stages["implementing"] = f.d.Status
	at(2026, 5, 14, 17)
	f.do(a.SetTaskDone(f.d, fp.tasks[0], true, time.Time{}))
	at(2026, 5, 19, 17)
	f.do(a.SetTaskDone(f.d, fp.tasks[1], true, time.Time{}))
	at(2026, 5, 30, 17)
	f.do(a.SetTaskDone(f.d, fp.tasks[2], true, time.Time{}))
	at(2026, 6, 1, 10)
	f.do(a.Resolve(f.d, time.Time{}, "23级步道建成，双方认可"))
	fp.ops = f.ops
	return fp
}

func TestDisputeFootpath(t *testing.T) {
	fp := buildFootpath(t)
	d := fp.d
	for stage, want := range map[string]DisputeStatus{"v1": DisputeNegotiating, "meeting1": DisputeNegotiating,
		"stalled": DisputeStalled, "v3 while stalled": DisputeStalled, "resumed": DisputeNegotiating,
		"agreed": DisputeAgreed, "tasks": DisputeAgreed, "implementing": DisputeImplementing} {
		if fp.stages[stage] != want {
			t.Errorf("after %s: %s, want %s", stage, fp.stages[stage], want)
		}
	}
	plans := d.Plans()
	if len(plans) != 3 || plans[0].ID != fp.v1 || plans[2].N != 3 || plans[2].Title != "下端北移加扶手" {
		t.Fatalf("plans = %+v", plans)
	}
	votes := d.Votes()
	if len(votes) != 2 || votes[0].Passed() || votes[0].Plan != fp.v2 || !votes[1].Passed() || votes[1].Total() != 24 {
		t.Errorf("votes = %+v", votes)
	}
	if m, _ := d.Meeting(fp.m1); m.Kind != MeetingCourtyard || len(m.Attendees) != 5 || len(m.Addenda) != 1 {
		t.Errorf("meeting 1 = %+v", m)
	}
	if d.Agreement == nil || d.Agreement.Plan != fp.v3 || len(d.Agreement.SignedOff) != 4 {
		t.Fatalf("agreement = %+v", d.Agreement)
	}
	if ps := d.Parties(); len(ps) != 5 || ps[1].Position != "下端远离窗户即可同意" || ps[3].Kind != PartyOwnersCommittee {
		t.Errorf("parties = %+v", ps)
	}
	diff := PlanDiff(plans[1], plans[2])
	has := func(kind DiffKind, text string) bool {
		for _, l := range diff {
			if l.Kind == kind && l.Text == text {
				return true
			}
		}
		return false
	}
	if !has(DiffAdded, "一侧加装扶手") || !has(DiffRemoved, "下端接15号楼窗前道路") || !has(DiffSame, "绕开现有树木，中段设一处转弯") ||
		!has(DiffAdded, "约2.6万元") || !has(DiffRemoved, "物业负责") || !has(DiffAdded, "物业负责，志愿者巡查") {
		t.Errorf("v2 → v3 diff = %v", diff)
	}
	if d.Status != DisputeResolved {
		t.Fatalf("status %s", d.Status)
	}
	if len(d.Conflicts()) != 0 {
		t.Errorf("conflicts: %v", d.Conflicts())
	}

	// One action closes out both appeals, pointing at the dispute.
	fp.clk.advance(time.Hour)
	ops, errs := fp.a.CloseLinkedCases(d, fp.cases, time.Time{})
	if len(errs) != 0 || len(ops) != 3+3+4 { // two appeals signed for, one only received
		t.Fatalf("close linked: %d ops, errors %v", len(ops), errs)
	}
	for _, op := range ops {
		for _, c := range fp.cases {
			if c.ID == op.Entity {
				mustApply(t, c, op)
			}
		}
	}
	for _, c := range fp.cases {
		last := c.Timeline[len(c.Timeline)-1]
		if c.Status != StatusClosed || last.Ref != d.ID || last.Note != "矛盾纠纷已化解：14号楼与15号楼之间坡地修路" {
			t.Errorf("case %s: %s %+v", c.Number(), c.Status, last)
		}
	}
}
