package store

import (
	"errors"
	"strings"
	"testing"
	"time"

	"casebook/casebook"
)

// storeKind makes stores of one implementation for the contract test.
type storeKind struct {
	name string
	open func(t *testing.T) Store
	// reopen closes s and opens the same casebook again; nil when the
	// implementation does not persist.
	reopen func(t *testing.T, s Store) Store
}

func storeKinds() []storeKind {
	return []storeKind{
		{
			name: "bolt",
			open: func(t *testing.T) Store {
				return openTestBolt(t, tempPath(t, "casebook.db"))
			},
			reopen: func(t *testing.T, s Store) Store {
				path := s.(*Bolt).Path()
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
				return openTestBolt(t, path)
			},
		},
		{
			name: "memory",
			open: func(t *testing.T) Store { return NewMemory() },
		},
	}
}

// TestContract runs the Store contract against every implementation.
func TestContract(t *testing.T) {
	for _, k := range storeKinds() {
		t.Run(k.name, func(t *testing.T) {
			t.Run("CreateStepSetLink", func(t *testing.T) { contractCreateStepSetLink(t, k) })
			t.Run("IdempotentApply", func(t *testing.T) { contractIdempotent(t, k) })
			t.Run("AllOrNothing", func(t *testing.T) { contractAllOrNothing(t, k) })
			t.Run("OpsSincePaging", func(t *testing.T) { contractPaging(t, k) })
			t.Run("Settings", func(t *testing.T) { contractSettings(t, k) })
			t.Run("NotFound", func(t *testing.T) { contractNotFound(t, k) })
			t.Run("UnknownKind", func(t *testing.T) { contractUnknownKind(t, k) })
			t.Run("Local", func(t *testing.T) { contractLocal(t, k) })
			t.Run("NumbersAndWorkOrders", func(t *testing.T) { contractNumbers(t, k) })
			t.Run("Closed", func(t *testing.T) { contractClosed(t, k) })
			t.Run("Disputes", func(t *testing.T) { contractDisputes(t, k) })
			t.Run("DisputeOps", func(t *testing.T) { contractDisputeOps(t, k) })
			if k.reopen != nil {
				t.Run("Reopen", func(t *testing.T) { contractReopen(t, k) })
			}
		})
	}
}

func newTestBook(t *testing.T, s Store) (*Book, *fakeClock) {
	t.Helper()
	clk := newFakeClock(t0, time.Second)
	b, err := NewBook(s, "王书记", clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	return b, clk
}

func check(t *testing.T, s Store) {
	t.Helper()
	if err := s.Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}
}

func contractCreateStepSetLink(t *testing.T, k storeKind) {
	s := k.open(t)
	defer s.Close()
	b, _ := newTestBook(t, s)

	c1, err := b.AddCase(sampleInput(1))
	if err != nil {
		t.Fatal(err)
	}
	if c1.Number() != "20260315-001" || c1.Status != casebook.StatusReceived || c1.Handler() != "王书记" {
		t.Fatalf("new case: number %q status %q handler %q", c1.Number(), c1.Status, c1.Handler())
	}
	c2, err := b.AddCase(sampleInput(2))
	if err != nil {
		t.Fatal(err)
	}
	if c2.Number() != "20260315-002" {
		t.Fatalf("second number %q", c2.Number())
	}
	if _, err := b.Step(c1.ID, casebook.Step{Action: casebook.ActRespond}); err != nil {
		t.Fatal(err)
	}
	c, err := b.Step(c1.Number(), casebook.Step{Action: casebook.ActDispatch, To: "物业"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != casebook.StatusDispatched || c.DispatchedTo != "物业" || c.RespondedAt.IsZero() {
		t.Fatalf("after dispatch: %+v", c.Status)
	}
	if _, err := b.Step(c1.ID, casebook.Step{Action: casebook.ActEvaluate}); !errors.Is(err, casebook.ErrTransition) {
		t.Fatalf("evaluate before feedback: %v", err)
	}
	c, err = b.SetFields(c1.ID, map[string]string{casebook.FieldHandler: "李网格", casebook.FieldCategory: "消防安全"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Handler() != "李网格" || c.Category() != "消防安全" {
		t.Fatalf("set fields: %q %q", c.Handler(), c.Category())
	}
	if err := b.Link(c1.ID, c2.Number(), casebook.LinkDuplicate); err != nil {
		t.Fatal(err)
	}
	c1, _ = b.Case(c1.ID)
	c2, _ = b.Case(c2.ID)
	if len(c1.Links) != 1 || c1.Links[0].Target != c2.ID || len(c2.Links) != 1 || c2.Links[0].Target != c1.ID {
		t.Fatalf("links: %+v / %+v", c1.Links, c2.Links)
	}
	if err := b.Link(c1.ID, c2.ID, casebook.LinkDuplicate); err == nil {
		t.Fatal("linking twice was accepted")
	}

	list := b.List(casebook.Filter{}, t0)
	if len(list) != 2 || list[0].ID != c2.ID {
		t.Fatalf("list: %d, newest first expected", len(list))
	}
	got := b.List(casebook.Filter{Categories: []string{"消防安全"}, Statuses: []casebook.Status{casebook.StatusDispatched}, Text: "李网格"}, t0)
	if len(got) != 1 || got[0].ID != c1.ID || len(got[0].Linked) != 1 {
		t.Fatalf("filtered list: %+v", got)
	}
	if n := len(s.Summaries()); n != 2 {
		t.Fatalf("summaries: %d", n)
	}
	check(t, s)
}

func contractIdempotent(t *testing.T, k storeKind) {
	s := k.open(t)
	defer s.Close()
	clk := newFakeClock(t0, time.Second)
	a := casebook.Author{Origin: s.Device(), Clock: casebook.NewClock(clk.Now), Now: clk.Now}
	create, err := a.Create(sampleInput(1), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := casebook.NewCase(create.Entity)
	c.Apply(&create)
	respond, err := a.Step(c, casebook.Step{Action: casebook.ActRespond})
	if err != nil {
		t.Fatal(err)
	}
	batch := []casebook.Op{create, respond}
	got, err := s.Apply(batch...)
	if err != nil || len(got) != 2 {
		t.Fatalf("first apply: %d ops, %v", len(got), err)
	}
	before, _ := s.Case(create.Entity)
	got, err = s.Apply(batch...)
	if err != nil || len(got) != 0 {
		t.Fatalf("second apply: %d ops, %v", len(got), err)
	}
	// Duplicates inside one batch count once.
	got, err = s.Apply(respond, respond)
	if err != nil || len(got) != 0 {
		t.Fatalf("duplicate apply: %d ops, %v", len(got), err)
	}
	after, _ := s.Case(create.Entity)
	if mustJSON(t, before) != mustJSON(t, after) {
		t.Fatal("case changed on re-apply")
	}
	if ops := allOps(t, s); len(ops) != 2 {
		t.Fatalf("log has %d ops", len(ops))
	}
	if !s.HasOp(respond.ID) || s.HasOp(casebook.NewID(t0)) {
		t.Fatal("HasOp")
	}
	if s.LastHLC() != respond.HLC {
		t.Fatalf("LastHLC %v, want %v", s.LastHLC(), respond.HLC)
	}
	check(t, s)
}

func contractAllOrNothing(t *testing.T, k storeKind) {
	s := k.open(t)
	defer s.Close()
	clk := newFakeClock(t0, time.Second)
	a := casebook.Author{Origin: s.Device(), Clock: casebook.NewClock(clk.Now), Now: clk.Now}
	good, _ := a.Create(sampleInput(1), nil)
	good2, _ := a.Create(sampleInput(2), nil)
	bad := good2
	bad.ID = casebook.NewID(t0)
	bad.Kind = casebook.OpCaseEvent // an event op without an event
	_, err := s.Apply(good, bad, good2)
	if !errors.Is(err, casebook.ErrInvalid) || !strings.Contains(err.Error(), bad.ID) || !strings.Contains(err.Error(), "op 2 of 3") {
		t.Fatalf("bad batch: %v", err)
	}
	if s.HasOp(good.ID) || len(s.Summaries()) != 0 || len(allOps(t, s)) != 0 {
		t.Fatal("part of a failed batch was applied")
	}
	if _, err := s.Case(good.Entity); !errors.Is(err, casebook.ErrNotFound) {
		t.Fatalf("case of failed batch: %v", err)
	}
	// Other shapes of bad input: none panics, none is applied.
	huge := good
	huge.ID = casebook.NewID(t0)
	huge.Fields = map[string]string{}
	for _, f := range casebook.CaseFields {
		huge.Fields[f] = strings.Repeat("x", 15<<10)
	}
	lower := good
	lower.ID = strings.ToLower(casebook.NewID(t0))
	for name, op := range map[string]casebook.Op{
		"empty":        {},
		"no origin":    func() casebook.Op { o := good; o.ID = casebook.NewID(t0); o.Origin = ""; return o }(),
		"no hlc":       func() casebook.Op { o := good; o.ID = casebook.NewID(t0); o.HLC = casebook.HLC{}; return o }(),
		"self link":    {ID: casebook.NewID(t0), Origin: "x", HLC: good.HLC, Kind: casebook.OpCaseLink, Entity: good.Entity, Link: &casebook.Link{Target: good.Entity}},
		"settings":     {ID: casebook.NewID(t0), Origin: "x", HLC: good.HLC, Kind: casebook.OpSettings, Entity: "case"},
		"too big":      huge,
		"lowercase id": lower,
	} {
		if _, err := s.Apply(op); !errors.Is(err, casebook.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if len(allOps(t, s)) != 0 {
		t.Fatal("a bad op was applied")
	}
	if got, err := s.Apply(good, good2); err != nil || len(got) != 2 {
		t.Fatalf("good batch after bad: %v", err)
	}
	check(t, s)
}

func contractPaging(t *testing.T, k storeKind) {
	s := k.open(t)
	defer s.Close()
	clk := newFakeClock(t0, time.Second)
	a := casebook.Author{Origin: s.Device(), Clock: casebook.NewClock(clk.Now), Now: clk.Now}
	var want []string
	for i := range 25 {
		op, err := a.Create(sampleInput(i), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Apply(op); err != nil {
			t.Fatal(err)
		}
		want = append(want, op.ID)
	}
	var got []string
	var seq uint64
	pages := 0
	for {
		ops, last, err := s.OpsSince(seq, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ops) == 0 {
			if last != seq {
				t.Fatalf("empty page moved the cursor %d → %d", seq, last)
			}
			break
		}
		if last <= seq {
			t.Fatalf("cursor did not advance: %d → %d", seq, last)
		}
		pages++
		for _, op := range ops {
			got = append(got, op.ID)
		}
		seq = last
	}
	if pages != 3 || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("%d pages; log order differs", pages)
	}
	if ops, _, err := s.OpsSince(seq+100, 10); err != nil || len(ops) != 0 {
		t.Fatalf("past the end: %d, %v", len(ops), err)
	}
	if ops, _, err := s.OpsSince(^uint64(0), 10); err != nil || len(ops) != 0 {
		t.Fatalf("max seq: %d, %v", len(ops), err)
	}
	if ops, _, err := s.OpsSince(0, 0); err != nil || len(ops) != 25 {
		t.Fatalf("default page: %d, %v", len(ops), err)
	}
}

func contractSettings(t *testing.T, k storeKind) {
	s := k.open(t)
	defer s.Close()
	b, _ := newTestBook(t, s)
	def := casebook.DefaultSettings()
	if mustJSON(t, b.Settings()) != mustJSON(t, def) {
		t.Fatal("a new casebook does not have the default settings")
	}
	c, err := b.AddCase(sampleInput(1))
	if err != nil {
		t.Fatal(err)
	}
	sum, _ := s.Index().Get(c.ID)
	due7 := sum.HandleDue

	set := b.Settings()
	set.Community = casebook.Community{Name: "丰台示例社区", Households: 2100}
	set.Categories = append(set.Categories, "楼道堆物")
	set.Policy.Handle[casebook.UrgencyGeneral] = casebook.Limit{Amount: 3, Unit: casebook.UnitDays}
	if err := b.UpdateSettings(set); err != nil {
		t.Fatal(err)
	}
	got, doc := s.Settings()
	if mustJSON(t, got) != mustJSON(t, set) {
		t.Fatalf("settings round trip:\n got %s\nwant %s", mustJSON(t, got), mustJSON(t, set))
	}
	if len(doc.Registers) != 3 { // only the changed keys were written
		t.Fatalf("registers written: %d", len(doc.Registers))
	}
	// The policy change moved the deadline of the existing case.
	sum, _ = s.Index().Get(c.ID)
	if !sum.HandleDue.Equal(due7.AddDate(0, 0, -4)) {
		t.Fatalf("handle due %v after the policy change, was %v", sum.HandleDue, due7)
	}
	// Unchanged settings write nothing.
	n := len(allOps(t, s))
	if err := b.UpdateSettings(set); err != nil || len(allOps(t, s)) != n {
		t.Fatalf("no-op update wrote: %v", err)
	}
	bad := set
	bad.Categories = nil
	if err := b.UpdateSettings(bad, casebook.SettingCategories); !errors.Is(err, casebook.ErrInvalid) {
		t.Fatalf("invalid settings: %v", err)
	}
	if _, err := b.AddCase(casebook.CaseInput{Channel: "walk-in", Type: "help", Category: "楼道堆物", Summary: "楼道堆放杂物"}); err != nil {
		t.Fatalf("new category: %v", err)
	}
	check(t, s)
	if k.reopen != nil {
		s = k.reopen(t, s)
		defer s.Close()
		got, _ := s.Settings()
		if mustJSON(t, got) != mustJSON(t, set) {
			t.Fatal("settings lost on reopen")
		}
		sum, _ = s.Index().Get(c.ID)
		if !sum.HandleDue.Equal(due7.AddDate(0, 0, -4)) {
			t.Fatal("deadline lost on reopen")
		}
		check(t, s)
	}
}

func contractNotFound(t *testing.T, k storeKind) {
	s := k.open(t)
	defer s.Close()
	b, _ := newTestBook(t, s)
	for _, id := range []string{casebook.NewID(t0), "", "20260315-001", "not an id", strings.Repeat("x", 1000)} {
		if _, err := s.Case(id); !errors.Is(err, casebook.ErrNotFound) {
			t.Errorf("store case %q: %v", id, err)
		}
		if _, err := b.Case(id); !errors.Is(err, casebook.ErrNotFound) {
			t.Errorf("book case %q: %v", id, err)
		}
	}
	// A step of a case whose creation has not arrived: kept, not listed.
	clk := newFakeClock(t0, time.Second)
	a := casebook.Author{Origin: "other-device", Clock: casebook.NewClock(clk.Now), Now: clk.Now}
	create, _ := a.Create(sampleInput(1), nil)
	c := casebook.NewCase(create.Entity)
	c.Apply(&create)
	respond, _ := a.Step(c, casebook.Step{Action: casebook.ActRespond})
	if _, err := s.Apply(respond); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Case(create.Entity); !errors.Is(err, casebook.ErrNotFound) {
		t.Fatalf("case without its creation: %v", err)
	}
	if len(s.Summaries()) != 0 {
		t.Fatal("case without its creation is listed")
	}
	check(t, s)
	if _, err := s.Apply(create); err != nil {
		t.Fatal(err)
	}
	got, err := s.Case(create.Entity)
	if err != nil || got.Status != casebook.StatusResponded || len(s.Summaries()) != 1 {
		t.Fatalf("after its creation: %v", err)
	}
	check(t, s)
}

func contractUnknownKind(t *testing.T, k storeKind) {
	s := k.open(t)
	defer s.Close()
	b, _ := newTestBook(t, s)
	c, _ := b.AddCase(sampleInput(1))
	before := mustJSON(t, c)
	h := b.Clock().Now()
	ops := []casebook.Op{
		{ID: casebook.NewID(h.Time()), Origin: "newer-device", HLC: h, Kind: "poll.create", Entity: casebook.NewID(h.Time()), Payload: []byte(`{"question":"14号楼与15号楼之间修小路吗？"}`)},
		{ID: casebook.NewID(h.Time()), Origin: "newer-device", HLC: h, Kind: "case.archive", Entity: c.ID},
		{ID: casebook.NewID(h.Time()), Origin: "newer-device", HLC: h, Kind: "settings.theme", Entity: casebook.SettingsEntity, Fields: map[string]string{"theme": `"dark"`}},
	}
	got, err := s.Apply(ops...)
	if err != nil || len(got) != 3 {
		t.Fatalf("unknown kinds: %d, %v", len(got), err)
	}
	for _, op := range ops {
		if !s.HasOp(op.ID) {
			t.Fatalf("op %s not kept in the log", op.Kind)
		}
	}
	after, _ := s.Case(c.ID)
	if mustJSON(t, after) != before || len(s.Summaries()) != 1 {
		t.Fatal("an unknown kind changed a view")
	}
	log := allOps(t, s)
	if string(log[len(log)-3].Payload) != string(ops[0].Payload) {
		t.Fatal("payload not kept")
	}
	check(t, s)
}

func contractLocal(t *testing.T, k storeKind) {
	s := k.open(t)
	defer s.Close()
	if v, err := s.GetLocal("sync.cursor"); err != nil || v != nil {
		t.Fatalf("missing key: %q, %v", v, err)
	}
	if err := s.PutLocal("sync.cursor", []byte("42")); err != nil {
		t.Fatal(err)
	}
	if v, err := s.GetLocal("sync.cursor"); err != nil || string(v) != "42" {
		t.Fatalf("get: %q, %v", v, err)
	}
	if err := s.PutLocal("sync.cursor", nil); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.GetLocal("sync.cursor"); v != nil {
		t.Fatal("delete")
	}
	if err := s.PutLocal("", []byte("x")); !errors.Is(err, casebook.ErrInvalid) {
		t.Fatalf("empty key: %v", err)
	}
	if len(allOps(t, s)) != 0 {
		t.Fatal("local state went into the log")
	}
	_ = s.PutLocal("k", []byte("v"))
	if k.reopen != nil {
		s = k.reopen(t, s)
		defer s.Close()
		if v, _ := s.GetLocal("k"); string(v) != "v" {
			t.Fatal("local state lost on reopen")
		}
	}
}

func contractNumbers(t *testing.T, k storeKind) {
	s := k.open(t)
	defer s.Close()
	b, _ := newTestBook(t, s)
	in := sampleInput(1)
	in.Channel, in.WorkOrder = "12345", "２０２６０３１５０００１" // full-width, as typed with a Chinese IME
	c, err := b.AddCase(in)
	if err != nil {
		t.Fatal(err)
	}
	if c.WorkOrder() != "202603150001" {
		t.Fatalf("work order %q", c.WorkOrder())
	}
	in.WorkOrder = " 202603150001 "
	if _, err := b.AddCase(in); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("duplicate work order: %v", err)
	}
	if got, ok := b.FindByWorkOrder("202603150001"); !ok || got.ID != c.ID {
		t.Fatal("FindByWorkOrder")
	}
	if _, ok := b.FindByWorkOrder("nope"); ok {
		t.Fatal("FindByWorkOrder found nothing as something")
	}
	// Numbers follow the received day in Shanghai, not today.
	old := sampleInput(2)
	old.Received = time.Date(2026, 3, 1, 23, 30, 0, 0, casebook.Shanghai) // 15:30 UTC, still 1 March in Beijing
	c2, err := b.AddCase(old)
	if err != nil {
		t.Fatal(err)
	}
	if c2.Number() != "20260301-001" {
		t.Fatalf("number %q", c2.Number())
	}
	manual := sampleInput(3)
	manual.Number = "20260301-009"
	if _, err := b.AddCase(manual); err != nil {
		t.Fatal(err)
	}
	old.Received = old.Received.Add(-time.Hour)
	c3, _ := b.AddCase(old)
	if c3.Number() != "20260301-010" {
		t.Fatalf("after a manual number: %q", c3.Number())
	}
	if got, err := b.Case(" 20260301-010 "); err != nil || got.ID != c3.ID {
		t.Fatalf("case by number: %v", err)
	}
	if got, err := b.Case(strings.ToLower(c3.ID)); err != nil || got.ID != c3.ID {
		t.Fatalf("case by lower-case id: %v", err)
	}
	// Two devices numbering offline on the same day: both kept, lookup asks for the id.
	other := NewMemory()
	ob, _ := NewBook(other, "党委书记", newFakeClock(t0, time.Second).Now)
	oc, err := ob.AddCase(sampleInput(4))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Merge(allOps(t, other)...); err != nil {
		t.Fatal(err)
	}
	if oc.Number() != c.Number() {
		t.Fatalf("expected the same label on both devices: %q %q", oc.Number(), c.Number())
	}
	if _, err := b.Case(c.Number()); !errors.Is(err, casebook.ErrInvalid) || !strings.Contains(err.Error(), oc.ID) {
		t.Fatalf("ambiguous number: %v", err)
	}
	if len(b.List(casebook.Filter{}, t0)) != 5 {
		t.Fatal("merged case not listed")
	}
	check(t, s)
}

func contractClosed(t *testing.T, k storeKind) {
	s := k.open(t)
	b, _ := newTestBook(t, s)
	c, _ := b.AddCase(sampleInput(1))
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
	if _, err := b.AddCase(sampleInput(2)); !errors.Is(err, ErrClosed) {
		t.Fatalf("add after close: %v", err)
	}
	if _, err := s.Case(c.ID); !errors.Is(err, ErrClosed) {
		t.Fatalf("case after close: %v", err)
	}
	if _, _, err := s.OpsSince(0, 10); !errors.Is(err, ErrClosed) {
		t.Fatalf("ops after close: %v", err)
	}
	if _, err := s.Backup(&strings.Builder{}); !errors.Is(err, ErrClosed) {
		t.Fatalf("backup after close: %v", err)
	}
	if err := s.PutLocal("k", nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("local after close: %v", err)
	}
}

func contractReopen(t *testing.T, k storeKind) {
	s := k.open(t)
	b, clk := newTestBook(t, s)
	var ids []string
	for i := range 20 {
		c, err := b.AddCase(sampleInput(i))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
		if i%2 == 0 {
			if _, err := b.Step(c.ID, casebook.Step{Action: casebook.ActRespond}); err != nil {
				t.Fatal(err)
			}
		}
	}
	_ = b.Link(ids[0], ids[1], casebook.LinkRecurring)
	_ = s.PutLocal("sync.cursor", []byte("7"))
	device, last := s.Device(), s.LastHLC()
	sums := mustJSON(t, s.Summaries())
	cases := map[string]string{}
	for _, id := range ids {
		c, _ := s.Case(id)
		cases[id] = mustJSON(t, c)
	}
	log := mustJSON(t, allOps(t, s))

	s = k.reopen(t, s)
	defer s.Close()
	if s.Device() != device || s.LastHLC() != last {
		t.Fatal("device or HLC changed on reopen")
	}
	if mustJSON(t, s.Summaries()) != sums {
		t.Fatal("summaries changed on reopen")
	}
	for id, want := range cases {
		c, err := s.Case(id)
		if err != nil || mustJSON(t, c) != want {
			t.Fatalf("case %s changed on reopen: %v", id, err)
		}
	}
	if mustJSON(t, allOps(t, s)) != log {
		t.Fatal("log changed on reopen")
	}
	check(t, s)
	// The clock of a new book starts above the log, even with the
	// computer's clock set back a day.
	clk.Advance(-24 * time.Hour)
	b2, err := NewBook(s, "王书记", clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	if h := b2.Clock().Now(); h.Compare(last) <= 0 {
		t.Fatalf("new HLC %v not above the log's %v", h, last)
	}
}

// TestBookConcurrent: the UI's goroutine works while a sync goroutine
// merges another device's changes and a third lists; run with -race.
func TestBookConcurrent(t *testing.T) {
	for _, k := range storeKinds() {
		t.Run(k.name, func(t *testing.T) {
			s := k.open(t)
			defer s.Close()
			b, err := NewBook(s, "王书记", nil)
			if err != nil {
				t.Fatal(err)
			}
			other := NewMemory()
			ob, _ := NewBook(other, "党委书记", nil)
			for i := range 20 {
				if _, err := ob.AddCase(sampleInput(100 + i)); err != nil {
					t.Fatal(err)
				}
			}
			remote := allOps(t, other)
			done := make(chan error, 3)
			go func() { // the user
				for i := range 30 {
					c, err := b.AddCase(sampleInput(i))
					if err == nil {
						_, err = b.Step(c.ID, casebook.Step{Action: casebook.ActRespond})
					}
					if err != nil {
						done <- err
						return
					}
				}
				done <- nil
			}()
			go func() { // background sync
				for i := 0; i < len(remote); i += 3 {
					if _, err := b.Merge(remote[i:min(i+3, len(remote))]...); err != nil {
						done <- err
						return
					}
				}
				done <- nil
			}()
			go func() { // the ledger screen
				for range 50 {
					_ = b.List(casebook.Filter{Open: true, Text: "停车"}, time.Now())
					_ = b.Metrics(casebook.MetricsQuery{Now: time.Now()})
				}
				done <- nil
			}()
			for range 3 {
				if err := <-done; err != nil {
					t.Fatal(err)
				}
			}
			if n := len(b.List(casebook.Filter{}, time.Now())); n != 50 {
				t.Fatalf("%d cases", n)
			}
			seen := map[string]bool{}
			for _, sum := range s.Summaries() {
				if sum.Status != casebook.StatusResponded && sum.Handler == "王书记" {
					t.Fatalf("case %s not responded", sum.Number)
				}
				if seen[sum.ID] {
					t.Fatal("listed twice")
				}
				seen[sum.ID] = true
			}
			check(t, s)
		})
	}
}
