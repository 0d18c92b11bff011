package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"casebook/casebook"
)

// simTime is the simulated physical time the replicas' clocks read, each
// with its own offset (clocks are never quite in step).
type simTime struct {
	mu sync.Mutex
	t  time.Time
}

func (s *simTime) clock(offset time.Duration) func() time.Time {
	return func() time.Time {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.t.Add(offset)
	}
}

func (s *simTime) advance(d time.Duration) {
	s.mu.Lock()
	s.t = s.t.Add(d)
	s.mu.Unlock()
}

type replica struct {
	s *Memory
	b *Book
}

func pick[T any](rng *rand.Rand, xs ...T) T { return xs[rng.IntN(len(xs))] }

// randomStep picks a step the case's status allows, with what it needs.
// Merges are MergeCase's (runMerge); the other steps of the 12345 rules
// are picked too, and may be refused when the case lacks what they need
// (a decision without a request).
func randomStep(rng *rand.Rand, c *casebook.Case) casebook.Step {
	var acts []casebook.Action
	for _, a := range casebook.Allowed(c.Status) {
		if a != casebook.ActReceive && a != casebook.ActMerge && a != casebook.ActMergeIn {
			acts = append(acts, a)
		}
	}
	st := casebook.Step{Action: pick(rng, acts...)}
	if ruleStep(rng, c, &st) {
		return st
	}
	switch st.Action {
	case casebook.ActDispatch:
		st.To = pick(rng, "物业", "城管", "网格员", "城建科")
	case casebook.ActEscalate:
		st.To = pick(rng, "street", "district", "city")
	case casebook.ActEvaluate:
		st.Solved = pick(rng, casebook.SolvedYes, casebook.SolvedPartly, casebook.SolvedNo)
		st.Satisfaction = pick(rng, casebook.Satisfied, casebook.BasicSatisfied, casebook.NotSatisfied)
	case casebook.ActUnresolvable, casebook.ActReopen, casebook.ActNote, casebook.ActProgress:
		st.Note = pick(rng, "上门走访", "现场查看", "联系物业", "居民不在家")
	}
	return st
}

// ruleStep fills what a step of the 12345 rules needs; false for other steps.
func ruleStep(rng *rand.Rand, c *casebook.Case, st *casebook.Step) bool {
	switch st.Action {
	case casebook.ActReturn, casebook.ActContest:
		st.Note, st.To = pick(rng, "非本社区职责", "超出政策范围"), pick(rng, "", "街道城管科")
	case casebook.ActExtend:
		st.Note, st.Until = "需协调", casebook.DateOf(c.Received()).AddDays(20+rng.IntN(20))
	case casebook.ActReturnDecided, casebook.ActContestDecided, casebook.ActExtendDecided:
		st.Decision = pick(rng, casebook.DecisionAccepted, casebook.DecisionRefused)
	case casebook.ActWhistle:
		st.To = pick(rng, "城管,消防", "物业", "城管")
	case casebook.ActArrive:
		st.To = pick(rng, "城管", "消防", "物业")
	case casebook.ActWhistleResult:
		st.Note, st.Ratings = "联合处置完毕", []casebook.DeptRating{{Dept: pick(rng, "城管", "物业"), Rating: casebook.Satisfied}}
	case casebook.ActEvaluate:
		if rng.IntN(4) > 0 {
			return false
		}
		st.Callback = pick(rng, casebook.CallbackNone, casebook.CallbackUnreachable, casebook.CallbackRefused)
	default:
		return false
	}
	return true
}

// deliver applies ops to a replica in random batches, in the given order.
func deliver(t testing.TB, rng *rand.Rand, r *replica, ops []casebook.Op) {
	t.Helper()
	for len(ops) > 0 {
		n := min(len(ops), 1+rng.IntN(12))
		if _, err := r.b.Merge(ops[:n]...); err != nil {
			t.Fatalf("merge: %v", err)
		}
		ops = ops[n:]
	}
}

// shuffled returns ops in a random order with some duplicated.
func shuffled(rng *rand.Rand, ops []casebook.Op) []casebook.Op {
	out := slices.Clone(ops)
	for range len(ops) / 5 {
		out = append(out, ops[rng.IntN(len(ops))])
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// runMerge is one round of the merge property: three replicas edit shared
// cases concurrently with partial syncs, then everything is delivered to
// everyone (and to a fresh fourth replica) in different orders with
// duplicates. All must end identical; a concurrent edit must show as a
// conflict everywhere, and a later edit citing the heads settles it.
func runMerge(t testing.TB, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed*0x9e3779b97f4a7c15+1))
	sim := &simTime{t: t0}
	var rs []*replica
	for i := range 3 {
		offset := time.Duration(rng.IntN(180_000)-90_000) * time.Millisecond
		s := NewMemory()
		b, err := NewBook(s, fmt.Sprintf("actor-%d", i), sim.clock(offset))
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, &replica{s: s, b: b})
	}
	fail := func(format string, a ...any) {
		t.Helper()
		t.Fatalf("seed %d: "+format, append([]any{seed}, a...)...)
	}
	var ids []string
	for i := range 2 + rng.IntN(3) {
		in := sampleInput(i)
		in.Received = t0.Add(-10 * time.Minute)
		c, err := pick(rng, rs...).b.AddCase(in)
		if err != nil {
			fail("add: %v", err)
		}
		ids = append(ids, c.ID)
	}
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

	fields := []string{casebook.FieldHandler, casebook.FieldSummary, casebook.FieldCategory, casebook.FieldUrgency}
	values := map[string][]string{
		casebook.FieldHandler:  {"李网格", "赵社工", "钱物业", "孙主任"},
		casebook.FieldSummary:  {"乱停车", "漏水", "噪音", "垃圾清运不及时"},
		casebook.FieldCategory: {"停车管理", "环境卫生", "噪音扰民", "物业管理"},
		casebook.FieldUrgency:  {"general", "complex", "utility"},
	}
	for range 20 + rng.IntN(30) {
		sim.advance(time.Duration(rng.IntN(3000)) * time.Millisecond)
		r := pick(rng, rs...)
		id := pick(rng, ids...)
		switch k := rng.IntN(10); {
		case k < 4:
			c, err := r.b.Case(id)
			if err != nil {
				fail("case: %v", err)
			}
			if _, err := r.b.Step(id, randomStep(rng, c)); err != nil && !errors.Is(err, casebook.ErrInvalid) && !errors.Is(err, casebook.ErrTransition) {
				fail("step: %v", err)
			}
		case k < 7:
			f := pick(rng, fields...)
			if _, err := r.b.SetFields(id, map[string]string{f: pick(rng, values[f]...)}); err != nil && !errors.Is(err, casebook.ErrInvalid) {
				fail("set: %v", err)
			}
		case k < 8:
			other := pick(rng, ids...)
			if other != id && rng.IntN(2) == 0 {
				kind := pick(rng, casebook.LinkDuplicate, casebook.LinkRecurring, casebook.LinkOpposing, casebook.LinkRelated)
				if err := r.b.Link(id, other, kind); err != nil && !errors.Is(err, casebook.ErrInvalid) {
					fail("link: %v", err)
				}
			} else if other != id { // 并单, which two devices may do to the same appeals offline
				if _, err := r.b.MergeCase(id, other); err != nil && !errors.Is(err, casebook.ErrInvalid) && !errors.Is(err, casebook.ErrTransition) {
					fail("merge case: %v", err)
				}
			}
		default: // a partial sync: some of one replica's ops reach another
			from, to := pick(rng, rs...), pick(rng, rs...)
			ops := allOps(t, from.s)
			var some []casebook.Op
			for _, op := range ops {
				if rng.IntN(2) == 0 {
					some = append(some, op)
				}
			}
			deliver(t, rng, to, some)
		}
	}

	// A sure conflict: two replicas change one field without seeing each
	// other's change.
	target := ids[0]
	sim.advance(time.Second)
	v1, v2 := fmt.Sprintf("handler-a-%d", seed), fmt.Sprintf("handler-b-%d", seed)
	if _, err := rs[1].b.SetFields(target, map[string]string{casebook.FieldHandler: v1}); err != nil {
		fail("set 1: %v", err)
	}
	if _, err := rs[2].b.SetFields(target, map[string]string{casebook.FieldHandler: v2}); err != nil {
		fail("set 2: %v", err)
	}

	// Everything to everyone, in different orders, and to a fresh replica.
	fresh := NewMemory()
	fb, _ := NewBook(fresh, "fresh", sim.clock(0))
	var all []casebook.Op
	for _, r := range rs {
		all = append(all, allOps(t, r.s)...)
	}
	syncAll()
	rs = append(rs, &replica{s: fresh, b: fb})
	deliver(t, rng, rs[3], shuffled(rng, all))

	same := func(stage string) {
		t.Helper()
		want := mustJSON(t, rs[0].s.Summaries())
		for i, r := range rs {
			if err := r.s.Check(); err != nil {
				fail("%s: replica %d: %v", stage, i, err)
			}
			if got := mustJSON(t, r.s.Summaries()); got != want {
				fail("%s: replica %d summaries differ:\n%s\n%s", stage, i, got, want)
			}
			for _, id := range ids {
				a, err1 := rs[0].s.Case(id)
				c, err2 := r.s.Case(id)
				if err1 != nil || err2 != nil {
					fail("%s: case %s: %v %v", stage, id, err1, err2)
				}
				if mustJSON(t, a) != mustJSON(t, c) {
					fail("%s: replica %d case %s differs:\n%s\n%s", stage, i, id, mustJSON(t, c), mustJSON(t, a))
				}
			}
			if mustJSON(t, r.b.Settings()) != mustJSON(t, rs[0].b.Settings()) {
				fail("%s: replica %d settings differ", stage, i)
			}
		}
	}
	same("after full sync")
	for i, r := range rs {
		c, _ := r.s.Case(target)
		seen := map[string]bool{}
		for _, cf := range c.Conflicts() {
			if cf.Field == casebook.FieldHandler {
				seen[cf.Shown], seen[cf.Value] = true, true
			}
		}
		if !seen[v1] || !seen[v2] {
			fail("replica %d: concurrent edits not shown as a conflict: %+v", i, c.Conflicts())
		}
		if sum, _ := r.s.Index().Get(target); sum.Conflicts == 0 {
			fail("replica %d: summary shows no conflict", i)
		}
	}

	// Settle: an edit citing the heads, made after seeing both.
	sim.advance(time.Second)
	if _, err := rs[0].b.SetFields(target, map[string]string{casebook.FieldHandler: "settled"}); err != nil {
		fail("settle: %v", err)
	}
	settle := allOps(t, rs[0].s)
	for _, r := range rs[1:] {
		deliver(t, rng, r, shuffled(rng, settle))
	}
	same("after settling")
	for i, r := range rs {
		c, _ := r.s.Case(target)
		if c.Handler() != "settled" {
			fail("replica %d: handler %q", i, c.Handler())
		}
		for _, cf := range c.Conflicts() {
			if cf.Field == casebook.FieldHandler {
				fail("replica %d: conflict not settled: %+v", i, cf)
			}
		}
	}
}

func TestMerge(t *testing.T) {
	n := 200
	if testing.Short() || raceEnabled {
		n = 25
	}
	for seed := range uint64(n) {
		runMerge(t, seed)
	}
}

func FuzzMerge(f *testing.F) {
	for _, seed := range []uint64{0, 1, 42, 1 << 40, 0xdeadbeef} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) { runMerge(t, seed) })
}
