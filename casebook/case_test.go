package casebook

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

// fakeNow is a settable physical clock for authors in tests.
type fakeNow struct{ t time.Time }

func (f *fakeNow) now() time.Time          { return f.t }
func (f *fakeNow) advance(d time.Duration) { f.t = f.t.Add(d) }

func newAuthor(origin string, clock *fakeNow) *Author {
	return &Author{Origin: origin, Actor: "王明", Clock: NewClock(clock.now), Now: clock.now}
}

func mustApply(t *testing.T, c *Case, op Op) {
	t.Helper()
	if err := op.Validate(); err != nil {
		t.Fatalf("op invalid: %v", err)
	}
	if _, err := c.Apply(&op); err != nil {
		t.Fatalf("apply: %v", err)
	}
}

func newTestCase(t *testing.T, a *Author) *Case {
	t.Helper()
	op, err := a.Create(CaseInput{Channel: "12345", WorkOrder: "2026030112345", Type: "投诉", Category: "停车管理",
		Building: "１４号楼", Summary: "消防通道被占", Complainant: "张三", Phone: "13812341234"}, DefaultCategories)
	if err != nil {
		t.Fatal(err)
	}
	c := NewCase(op.Entity)
	mustApply(t, c, op)
	return c
}

func TestLoopWalkToClose(t *testing.T) {
	clk := &fakeNow{t: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}
	a := newAuthor("dev-a", clk)
	c := newTestCase(t, a)
	if c.Status != StatusReceived || c.Building() != "14号楼" || len(c.Timeline) != 1 {
		t.Fatalf("new case: status %s building %q timeline %d", c.Status, c.Building(), len(c.Timeline))
	}
	steps := []struct {
		s    Step
		want Status
	}{
		{Step{Action: ActRespond}, StatusResponded},
		{Step{Action: ActDispatch, To: "物业公司"}, StatusDispatched},
		{Step{Action: ActProgress, Note: "现场查看"}, StatusInProgress},
		{Step{Action: ActEscalate, To: "街道"}, StatusInProgress},
		{Step{Action: ActResolve, Note: "已清理"}, StatusResolved},
		{Step{Action: ActFeedback}, StatusFeedback},
		{Step{Action: ActEvaluate, Solved: "partly", Satisfaction: "基本满意"}, StatusEvaluated},
		{Step{Action: ActClose}, StatusClosed},
	}
	for _, st := range steps {
		clk.advance(time.Hour)
		op, err := a.Step(c, st.s)
		if err != nil {
			t.Fatalf("%s: %v", st.s.Action, err)
		}
		mustApply(t, c, op)
		if c.Status != st.want {
			t.Fatalf("after %s status = %s, want %s", st.s.Action, c.Status, st.want)
		}
	}
	if c.DispatchedTo != "物业公司" || c.Escalation != LevelStreet || c.Solved != SolvedPartly || c.Satisfaction != BasicSatisfied {
		t.Errorf("derived: %+v", c)
	}
	if !c.RespondedAt.Equal(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)) || c.ClosedAt.IsZero() || c.HandledAt.IsZero() {
		t.Errorf("milestones: responded %v closed %v handled %v", c.RespondedAt, c.ClosedAt, c.HandledAt)
	}
	if len(c.Timeline) != 9 {
		t.Errorf("timeline has %d events, want 9", len(c.Timeline))
	}
	// Refused steps make nothing and say why.
	for _, st := range []Step{{Action: ActRespond}, {Action: ActEvaluate, Solved: "yes", Satisfaction: "satisfied"}, {Action: ActReceive}} {
		if _, err := a.Step(c, st); !errors.Is(err, ErrTransition) {
			t.Errorf("%s on closed case: err = %v, want ErrTransition", st.Action, err)
		}
	}
	// Reopen clears the result but keeps the history.
	clk.advance(time.Hour)
	op, err := a.Step(c, Step{Action: ActReopen, Note: "居民反映又被占"})
	if err != nil {
		t.Fatal(err)
	}
	mustApply(t, c, op)
	if c.Status != StatusInProgress || c.Solved != "" || !c.ClosedAt.IsZero() || c.Reopened != 1 || len(c.Timeline) != 10 {
		t.Errorf("after reopen: %s solved=%q closed=%v reopened=%d", c.Status, c.Solved, c.ClosedAt, c.Reopened)
	}
}

func TestStepValidation(t *testing.T) {
	clk := &fakeNow{t: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}
	a := newAuthor("dev-a", clk)
	c := newTestCase(t, a)
	respond, _ := a.Step(c, Step{Action: ActRespond})
	mustApply(t, c, respond)
	tests := []struct {
		name  string
		s     Step
		field string
	}{
		{"dispatch needs a target", Step{Action: ActDispatch}, "to"},
		{"escalate needs a level", Step{Action: ActEscalate, To: "省"}, "to"},
		{"unresolvable needs a reason", Step{Action: ActUnresolvable}, "note"},
		{"progress needs a note", Step{Action: ActProgress, Note: "  "}, "note"},
		{"future time", Step{Action: ActResolve, At: clk.t.Add(48 * time.Hour)}, "at"},
		{"before received", Step{Action: ActResolve, At: clk.t.Add(-48 * time.Hour)}, "at"},
	}
	for _, tt := range tests {
		_, err := a.Step(c, tt.s)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field {
			t.Errorf("%s: err = %v, want a FieldError on %q", tt.name, err, tt.field)
		}
	}
	// Evaluate reports both missing verdicts at once (needs a case awaiting evaluation).
	for _, st := range []Step{{Action: ActResolve}, {Action: ActFeedback}} {
		op, err := a.Step(c, st)
		if err != nil {
			t.Fatal(err)
		}
		mustApply(t, c, op)
	}
	_, err := a.Step(c, Step{Action: ActEvaluate})
	var fes FieldErrors
	if !errors.As(err, &fes) || fes.For("solved") == nil || fes.For("satisfaction") == nil {
		t.Errorf("evaluate without verdicts: %v", err)
	}
}

func TestCreateValidation(t *testing.T) {
	clk := &fakeNow{t: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}
	a := newAuthor("dev-a", clk)
	_, err := a.Create(CaseInput{Channel: "fax", Type: "", Category: "不存在", Summary: "", Phone: "abc",
		Received: clk.t.Add(24 * time.Hour)}, DefaultCategories)
	var fes FieldErrors
	if !errors.As(err, &fes) {
		t.Fatalf("err = %v, want FieldErrors", err)
	}
	for _, f := range []string{FieldChannel, FieldType, FieldCategory, FieldSummary, FieldPhone, FieldReceived} {
		if fes.For(f) == nil {
			t.Errorf("no error for %s in %v", f, fes)
		}
	}
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("FieldErrors should wrap ErrInvalid")
	}
	_, err = a.Create(CaseInput{Channel: "12345", Type: "help", Category: "其他", Summary: "x"}, DefaultCategories)
	if !errors.As(err, &fes) || fes.For(FieldWorkOrder) == nil {
		t.Errorf("12345 without work order: %v", err)
	}
	op, err := a.Create(CaseInput{Channel: "walk-in", Type: "help", Category: "其他", Summary: "  修门  "}, DefaultCategories)
	if err != nil {
		t.Fatal(err)
	}
	if op.Fields[FieldSummary] != "修门" || op.Fields[FieldUrgency] != "general" || op.Fields[FieldHandler] != "王明" {
		t.Errorf("normalized fields: %v", op.Fields)
	}
}

// TestConcurrentFieldEdits: two devices change the same field offline; both
// replicas show the same winner and keep the loser as a conflict until a
// later edit that saw both settles it.
func TestConcurrentFieldEdits(t *testing.T) {
	clkA := &fakeNow{t: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}
	clkB := &fakeNow{t: clkA.t.Add(time.Second)}
	a, b := newAuthor("dev-a", clkA), newAuthor("dev-b", clkB)
	create, _ := a.Create(CaseInput{Channel: "walk-in", Type: "help", Category: "其他", Summary: "修门", Handler: "李"}, DefaultCategories)
	ra, rb := NewCase(create.Entity), NewCase(create.Entity)
	mustApply(t, ra, create)
	mustApply(t, rb, create)
	setA, err := a.Set(ra, map[string]string{FieldHandler: "赵"}, DefaultCategories)
	if err != nil {
		t.Fatal(err)
	}
	setB, err := b.Set(rb, map[string]string{FieldHandler: "钱"}, DefaultCategories)
	if err != nil {
		t.Fatal(err)
	}
	mustApply(t, ra, setA)
	mustApply(t, ra, setB)
	mustApply(t, rb, setB)
	mustApply(t, rb, setA)
	mustApply(t, rb, setA) // duplicate delivery changes nothing
	ja, _ := json.Marshal(ra)
	jb, _ := json.Marshal(rb)
	if string(ja) != string(jb) {
		t.Fatalf("replicas differ:\n%s\n%s", ja, jb)
	}
	if ra.Handler() != "钱" { // dev-b's clock is later
		t.Errorf("winner = %q, want 钱", ra.Handler())
	}
	cs := ra.Conflicts()
	if len(cs) != 1 || cs[0].Field != FieldHandler || cs[0].Value != "赵" || cs[0].Shown != "钱" {
		t.Fatalf("conflicts = %+v", cs)
	}
	clkA.advance(time.Minute)
	settle, _ := a.Set(ra, map[string]string{FieldHandler: "赵"}, DefaultCategories)
	mustApply(t, ra, settle)
	mustApply(t, rb, settle)
	if len(ra.Conflicts()) != 0 || len(rb.Conflicts()) != 0 || rb.Handler() != "赵" {
		t.Errorf("after settling: %v %v %q", ra.Conflicts(), rb.Conflicts(), rb.Handler())
	}
}

// TestConcurrentSteps: both devices sign for the case offline. In merge order
// the second respond is refused and marked, on every replica alike.
func TestConcurrentSteps(t *testing.T) {
	clkA := &fakeNow{t: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}
	clkB := &fakeNow{t: clkA.t}
	a, b := newAuthor("dev-a", clkA), newAuthor("dev-b", clkB)
	create, _ := a.Create(CaseInput{Channel: "walk-in", Type: "help", Category: "其他", Summary: "修门"}, DefaultCategories)
	ra, rb := NewCase(create.Entity), NewCase(create.Entity)
	mustApply(t, ra, create)
	mustApply(t, rb, create)
	clkA.advance(time.Minute)
	clkB.advance(2 * time.Minute)
	ops := []Op{}
	for _, x := range []struct {
		au *Author
		c  *Case
	}{{a, ra}, {b, rb}} {
		op, err := x.au.Step(x.c, Step{Action: ActRespond})
		if err != nil {
			t.Fatal(err)
		}
		ops = append(ops, op)
	}
	mustApply(t, ra, ops[1])
	mustApply(t, ra, ops[0])
	mustApply(t, rb, ops[0])
	mustApply(t, rb, ops[1])
	if ra.Status != StatusResponded || rb.Status != StatusResponded {
		t.Fatalf("status %s / %s", ra.Status, rb.Status)
	}
	if ra.Timeline[2].Refused == "" || ra.Timeline[1].Refused != "" || !ra.RespondedAt.Equal(clkA.t) {
		t.Errorf("the earlier respond should stand and the later be marked refused: %+v", ra.Timeline)
	}
	ja, _ := json.Marshal(ra)
	jb, _ := json.Marshal(rb)
	if string(ja) != string(jb) {
		t.Errorf("replicas differ")
	}
}

func TestRegisterHeadsOrderIndependent(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200; i++ {
		vs := []Version{
			{Op: "A", HLC: HLC{Wall: 10}, Origin: "x", Value: "a"},
			{Op: "B", HLC: HLC{Wall: 20}, Origin: "y", Value: "b", Bases: []string{"A"}},
			{Op: "C", HLC: HLC{Wall: 15}, Origin: "z", Value: "c", Bases: []string{"A"}},
			{Op: "D", HLC: HLC{Wall: 30}, Origin: "x", Value: "d", Bases: []string{"B", "C"}},
			{Op: "E", HLC: HLC{Wall: 5}, Origin: "w", Value: "e"}, // saw nothing, old clock: a conflict that loses
		}
		r.Shuffle(len(vs), func(i, j int) { vs[i], vs[j] = vs[j], vs[i] })
		var reg Register
		for _, v := range vs {
			reg.add(v)
			reg.add(v)
		}
		heads := reg.Heads()
		if len(heads) != 2 || heads[0].Op != "D" || heads[1].Op != "E" || reg.Value() != "d" {
			t.Fatalf("heads = %+v", heads)
		}
	}
}

func TestHLC(t *testing.T) {
	clk := &fakeNow{t: time.UnixMilli(1000)}
	c := NewClock(clk.now)
	h1 := c.Now()
	h2 := c.Now()
	if h2.Compare(h1) <= 0 || h1.Wall != 1000 {
		t.Fatalf("not monotonic: %v %v", h1, h2)
	}
	clk.t = time.UnixMilli(500) // the wall clock goes back
	if h3 := c.Now(); h3.Compare(h2) <= 0 {
		t.Fatalf("went back: %v after %v", h3, h2)
	}
	if err := c.Observe(HLC{Wall: 500 + DefaultMaxSkew.Milliseconds() - 100, Logical: 7}); err != nil {
		t.Fatal(err)
	}
	if h := c.Now(); h.Wall != 500+DefaultMaxSkew.Milliseconds()-100 || h.Logical != 8 {
		t.Errorf("after observe: %v", h)
	}
	if err := c.Observe(HLC{Wall: time.UnixMilli(500).Add(time.Hour).UnixMilli()}); !errors.Is(err, ErrClockSkew) {
		t.Errorf("an hour ahead: %v, want ErrClockSkew", err)
	}
	for _, h := range []HLC{{}, {Wall: 1, Logical: 2}, {Wall: 1<<50 + 3, Logical: 1<<32 - 1}} {
		got, err := ParseHLC(h.String())
		if err != nil || got != h {
			t.Errorf("round trip %v: %v %v", h, got, err)
		}
	}
	if (HLC{Wall: 9}).String() >= (HLC{Wall: 10}).String() {
		t.Errorf("string order differs from HLC order")
	}
}

func TestOpValidate(t *testing.T) {
	clk := &fakeNow{t: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}
	a := newAuthor("dev-a", clk)
	good, _ := a.Create(CaseInput{Channel: "walk-in", Type: "help", Category: "其他", Summary: "修门"}, DefaultCategories)
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []func(o *Op){
		func(o *Op) { o.ID = "nope" },
		func(o *Op) { o.Origin = "" },
		func(o *Op) { o.HLC = HLC{} },
		func(o *Op) { o.Entity = "" },
		func(o *Op) { o.Fields = map[string]string{"password": "x"} },
		func(o *Op) { o.Kind = OpCaseEvent; o.Event = nil },
		func(o *Op) { o.Kind = OpCaseEvent; o.Event = &Event{Action: "explode"} },
		func(o *Op) { o.Kind = OpCaseLink; o.Link = &Link{Target: o.Entity} },
	}
	for i, mut := range bad {
		op := good
		op.Fields = map[string]string{}
		for k, v := range good.Fields {
			op.Fields[k] = v
		}
		mut(&op)
		if err := op.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("case %d: err = %v", i, err)
		}
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2026-03-02T14:30:00+08:00", time.Date(2026, 3, 2, 6, 30, 0, 0, time.UTC)},
		{"2026-03-02T06:30:00Z", time.Date(2026, 3, 2, 6, 30, 0, 0, time.UTC)},
		{"2026-03-02 14:30", time.Date(2026, 3, 2, 6, 30, 0, 0, time.UTC)},
		{"２０２６-０３-０２ １４:３０", time.Date(2026, 3, 2, 6, 30, 0, 0, time.UTC)},
		{"2026-03-02", time.Date(2026, 3, 1, 16, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "2026-13-01", "2026-02-30 10:00", "14:30"} {
		if _, err := ParseTime(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseTime(%q) err = %v", bad, err)
		}
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-03-02T14:30:00+08:00", "2026-03-02 14:30", "2026/3/2 14:30", "2026年3月2日", "２０２６-０３-０２", "", "9999-99-99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseTime(s)
		if err != nil {
			return
		}
		again, err := ParseTime(v.Format(time.RFC3339Nano))
		if err != nil || !again.Equal(v) {
			t.Fatalf("%q -> %v does not round-trip: %v %v", s, v, again, err)
		}
	})
}

func FuzzParseID(f *testing.F) {
	f.Add(NewID(time.Unix(1, 0)))
	f.Add("01ARZ3NDEKTSV4RRFFQ69G5FAV")
	f.Add("")
	f.Add("zzzzzzzzzzzzzzzzzzzzzzzzzz")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseID(s)
		if err != nil {
			return
		}
		if again, err := ParseID(id); err != nil || again != id {
			t.Fatalf("%q -> %q does not round-trip", s, id)
		}
	})
}

func FuzzParseHLC(f *testing.F) {
	f.Add("000000000001000.0000000003")
	f.Add("1.2")
	f.Add("-1.2")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseHLC(s)
		if err != nil {
			return
		}
		if again, err := ParseHLC(h.String()); err != nil || again != h {
			t.Fatalf("%q -> %v does not round-trip", s, h)
		}
	})
}
