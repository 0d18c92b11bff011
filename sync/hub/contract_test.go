package hub

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/sync/hub/hubbolt"
	"casebook/sync/hub/hubpg"
	"casebook/sync/hub/hubstore"
	"casebook/sync/internal/pgtest"
)

// The Store contract: one table of behaviours, run against every
// implementation, so that a hub behaves the same whichever store it runs on.
// hubbolt.Store always; hubpg.Store when CASEBOOK_HUB_PG holds a connection
// string (each test gets its own schema, dropped after: sync/internal/pgtest).
// Set CASEBOOK_REQUIRE_PG=1 to make a missing database a failure (CI).
//
//	CASEBOOK_HUB_PG=postgres://postgres@127.0.0.1:54329/casebook_test?sslmode=disable \
//	CASEBOOK_REQUIRE_PG=1 go test ./sync/hub -run Contract -v

// storeKind opens a fresh store for one test; reopen closes it and opens
// the same data again.
type storeKind struct {
	name string
	open func(t *testing.T) (st Store, reopen func() Store)
}

func boltKind() storeKind {
	return storeKind{name: "bolt", open: func(t *testing.T) (Store, func() Store) {
		dir := t.TempDir()
		open := func() Store {
			st, err := hubbolt.Open(dir, hubbolt.WithNoSync())
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		st := open()
		cur := st
		t.Cleanup(func() { _ = cur.Close() })
		return st, func() Store {
			_ = cur.Close()
			cur = open()
			return cur
		}
	}}
}

// pgKind is the PostgreSQL store in a new schema per test (pgtest.URL,
// which skips the test, or fails it under CASEBOOK_REQUIRE_PG, without a
// database); reopen opens the same schema again.
func pgKind() storeKind {
	return storeKind{name: "postgres", open: func(t *testing.T) (Store, func() Store) {
		url := pgtest.URL(t, "hubtest")
		open := func() Store {
			st, err := hubpg.Open(url)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		cur := open()
		t.Cleanup(func() { _ = cur.Close() })
		return cur, func() Store {
			_ = cur.Close()
			cur = open()
			return cur
		}
	}}
}

var contract = []struct {
	name string
	fn   func(t *testing.T, st Store, reopen func() Store)
}{
	{"Tokens", contractTokens},
	{"Communities", contractCommunities},
	{"AppendIdempotent", contractAppend},
	{"Ownership", contractOwnership},
	{"Since", contractSince},
	{"NoCommunity", contractNoCommunity},
	{"Views", contractViews},
	{"EpochStable", contractEpoch},
	{"Concurrent", contractConcurrent},
	{"ClaimRace", contractClaimRace},
}

func TestContract(t *testing.T) {
	for _, k := range []storeKind{boltKind(), pgKind()} {
		t.Run(k.name, func(t *testing.T) {
			if k.name == "postgres" {
				pgtest.Require(t) // one skip for the lot
			}
			for _, c := range contract {
				t.Run(c.name, func(t *testing.T) {
					st, reopen := k.open(t)
					c.fn(t, st, reopen)
				})
			}
		})
	}
}

// --- operations ---

var testNow = time.Now().Add(-2 * time.Hour)

// newBook is a device's casebook of a community, in memory.
func newBook(t testing.TB, community string) *store.Book {
	t.Helper()
	b, err := store.NewBook(store.NewMemory(), "王", nil)
	if err != nil {
		t.Fatal(err)
	}
	if community != "" {
		set := b.Settings()
		set.Community = casebook.Community{Name: community, Households: 1200}
		if err := b.UpdateSettings(set, casebook.SettingCommunity); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func addCase(t testing.TB, b *store.Book, summary string) *casebook.Case {
	t.Helper()
	c, err := b.AddCase(casebook.CaseInput{Received: testNow, Channel: "walk-in", Type: "help", Category: "其他", Summary: summary, Building: "3号楼"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// allOps is a book's whole log.
func allOps(t testing.TB, b *store.Book) []casebook.Op {
	t.Helper()
	ops, _, err := b.Store().OpsSince(0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	return ops
}

// opsAfter is what a book logged after its first n operations.
func opsAfter(t testing.TB, b *store.Book, n int) []casebook.Op {
	return allOps(t, b)[n:]
}

func incoming(t testing.TB, ops []casebook.Op) []Incoming {
	t.Helper()
	out := make([]Incoming, len(ops))
	for i := range ops {
		raw, err := json.Marshal(&ops[i])
		if err != nil {
			t.Fatal(err)
		}
		op := ops[i]
		recs, err := op.Records()
		if err != nil {
			t.Fatal(err)
		}
		out[i] = Incoming{Op: &op, Raw: raw, Records: recs}
	}
	return out
}

func mustCommunity(t testing.TB, st Store, name string) Community {
	t.Helper()
	c, err := st.AddCommunity(name, testNow)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustAppend(t testing.TB, st Store, community string, ins []Incoming) AppendResult {
	t.Helper()
	res, err := st.Append(community, ins)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func logIDs(t testing.TB, st Store, community string) []string {
	t.Helper()
	raws, last, head, err := st.Since(community, 0, 1<<30, 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	if last != head || uint64(len(raws)) != head {
		t.Fatalf("log of %s: %d ops, last %d, head %d", community, len(raws), last, head)
	}
	ids := make([]string, len(raws))
	for i, r := range raws {
		ids[i], _ = opID(r)
	}
	return ids
}

// --- behaviours ---

func contractTokens(t *testing.T, st Store, _ func() Store) {
	mustCommunity(t, st, "甲社区")
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	mk := func(n int, ro bool) Token {
		h := HashToken(fmt.Sprint("tok", n))
		return Token{ID: h[:12], Hash: h, Community: "甲社区", ReadOnly: ro, Note: fmt.Sprint("设备", n), Created: at.Add(time.Duration(n) * time.Minute)}
	}
	t1, t2 := mk(1, false), mk(2, true)
	for _, tk := range []Token{t2, t1} {
		if err := st.AddToken(tk); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.AddToken(Token{ID: "x", Hash: "y", Community: "无此社区"}); !errors.Is(err, ErrNoCommunity) {
		t.Fatalf("token of an unknown community: %v", err)
	}
	got, err := st.TokenByHash(t2.Hash)
	if err != nil || !sameToken(got, t2) {
		t.Fatalf("by hash: %+v %v", got, err)
	}
	if _, err := st.TokenByHash(HashToken("nope")); !errors.Is(err, ErrNoToken) {
		t.Fatalf("unknown hash: %v", err)
	}
	all, err := st.Tokens()
	if err != nil || len(all) != 2 || !sameToken(all[0], t1) || !sameToken(all[1], t2) {
		t.Fatalf("tokens, oldest first: %+v %v", all, err)
	}
	// By id, then again: the first revocation time stays.
	rev := at.Add(time.Hour)
	r, err := st.RevokeToken(t1.ID, rev)
	if err != nil || !r.Revoked.Equal(rev) || r.Hash != t1.Hash {
		t.Fatalf("revoke by id: %+v %v", r, err)
	}
	if r, err = st.RevokeToken(" "+strings.ToUpper(t1.Hash)+" ", rev.Add(time.Hour)); err != nil || !r.Revoked.Equal(rev) {
		t.Fatalf("revoke again by hash: %+v %v", r, err)
	}
	if got, _ := st.TokenByHash(t1.Hash); !got.Revoked.Equal(rev) {
		t.Fatalf("revocation not stored: %+v", got)
	}
	if got, _ := st.TokenByHash(t2.Hash); !got.Revoked.IsZero() {
		t.Fatalf("the other token was revoked: %+v", got)
	}
	for _, ref := range []string{"", "0123456789ab", HashToken("nope")} {
		if _, err := st.RevokeToken(ref, rev); !errors.Is(err, ErrNoToken) {
			t.Fatalf("revoke %q: %v", ref, err)
		}
	}
}

// sameToken compares tokens to the microsecond, which is what PostgreSQL
// keeps of a time (and more than a token's times need).
func sameToken(a, b Token) bool {
	eq := func(x, y time.Time) bool { return x.Truncate(time.Microsecond).Equal(y.Truncate(time.Microsecond)) }
	return a.ID == b.ID && a.Hash == b.Hash && a.Community == b.Community && a.ReadOnly == b.ReadOnly && a.Note == b.Note &&
		eq(a.Created, b.Created) && eq(a.Revoked, b.Revoked)
}

func contractCommunities(t *testing.T, st Store, _ func() Store) {
	if _, err := st.Community("乙社区"); !errors.Is(err, ErrNoCommunity) {
		t.Fatalf("unknown community: %v", err)
	}
	b := mustCommunity(t, st, "乙社区")
	a := mustCommunity(t, st, "甲社区")
	again, err := st.AddCommunity("甲社区", testNow.Add(time.Hour))
	if err != nil || again.Device != a.Device || !again.Created.Equal(a.Created) || again.Name != "甲社区" {
		t.Fatalf("registered again: %+v, first %+v, %v", again, a, err)
	}
	if a.Device == "" || a.Device == b.Device {
		t.Fatalf("devices %q %q", a.Device, b.Device)
	}
	got, err := st.Community("甲社区")
	if err != nil || got.Device != a.Device {
		t.Fatalf("community: %+v %v", got, err)
	}
	cs, err := st.Communities()
	if err != nil || len(cs) != 2 {
		t.Fatalf("communities: %+v %v", cs, err)
	}
	names := map[string]bool{cs[0].Name: true, cs[1].Name: true}
	if !names["甲社区"] || !names["乙社区"] {
		t.Fatalf("communities: %+v", cs)
	}
	if h, err := st.Head("甲社区"); err != nil || h != 0 {
		t.Fatalf("head of a new community: %d %v", h, err)
	}
}

func contractAppend(t *testing.T, st Store, _ func() Store) {
	mustCommunity(t, st, "甲社区")
	b := newBook(t, "甲社区")
	for i := range 3 {
		addCase(t, b, fmt.Sprint("事", i))
	}
	ops := incoming(t, allOps(t, b))
	n := len(ops)
	res := mustAppend(t, st, "甲社区", ops[:2])
	if res.Accepted != 2 || res.Duplicates != 0 || res.Head != 2 || res.HeadID != ops[1].Op.ID {
		t.Fatalf("first append: %+v", res)
	}
	// Overlapping, with an op twice in one batch.
	batch := append(append([]Incoming{}, ops[1:]...), ops[n-1])
	res = mustAppend(t, st, "甲社区", batch)
	if res.Accepted != n-2 || res.Duplicates != 2 || res.Head != uint64(n) || res.HeadID != ops[n-1].Op.ID {
		t.Fatalf("overlapping append: %+v (n=%d)", res, n)
	}
	// All again: nothing new, head and its id as before.
	res = mustAppend(t, st, "甲社区", ops)
	if res.Accepted != 0 || res.Duplicates != n || res.Head != uint64(n) || res.HeadID != ops[n-1].Op.ID {
		t.Fatalf("replayed append: %+v", res)
	}
	res = mustAppend(t, st, "甲社区", nil)
	if res.Accepted != 0 || res.Head != uint64(n) || res.HeadID != ops[n-1].Op.ID {
		t.Fatalf("empty append: %+v", res)
	}
	ids := logIDs(t, st, "甲社区")
	for i := range ops {
		if ids[i] != ops[i].Op.ID {
			t.Fatalf("log[%d] = %s, want %s", i, ids[i], ops[i].Op.ID)
		}
		if id, err := st.OpAt("甲社区", uint64(i+1)); err != nil || id != ops[i].Op.ID {
			t.Fatalf("op at %d: %q %v", i+1, id, err)
		}
	}
	for _, seq := range []uint64{0, uint64(n + 1)} {
		if id, err := st.OpAt("甲社区", seq); err != nil || id != "" {
			t.Fatalf("op at %d: %q %v", seq, id, err)
		}
	}
	// The log gives back the bytes as received.
	raws, _, _, err := st.Since("甲社区", 0, n, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	for i := range raws {
		if !bytes.Equal(raws[i], ops[i].Raw) {
			t.Fatalf("op %d changed in the log:\n%s\n%s", i, raws[i], ops[i].Raw)
		}
	}
}

func contractOwnership(t *testing.T, st Store, _ func() Store) {
	mustCommunity(t, st, "甲社区")
	mustCommunity(t, st, "乙社区")
	a, b := newBook(t, "甲社区"), newBook(t, "乙社区")
	ca := addCase(t, a, "甲的事")
	cb := addCase(t, b, "乙的事")
	mustAppend(t, st, "甲社区", incoming(t, allOps(t, a)))
	headB := mustAppend(t, st, "乙社区", incoming(t, allOps(t, b))).Head

	// 乙 gets 甲's case somehow (a copied casebook) and edits it: a batch of
	// a new case of its own, then the edit. The whole batch is refused;
	// the new case is not claimed.
	nb := len(allOps(t, b))
	if _, err := b.Merge(allOps(t, a)...); err != nil {
		t.Fatal(err)
	}
	nb2 := len(allOps(t, b))
	cNew := addCase(t, b, "乙的新事")
	if _, err := b.SetFields(ca.ID, map[string]string{casebook.FieldHandler: "李"}); err != nil {
		t.Fatal(err)
	}
	batch := incoming(t, opsAfter(t, b, nb2))
	_ = nb
	res, err := st.Append("乙社区", batch)
	var se *ScopeError
	if !errors.As(err, &se) {
		t.Fatalf("edit of another community's case: %+v %v", res, err)
	}
	last := batch[len(batch)-1].Op
	if se.Index != len(batch)-1 || se.Op != last.ID || se.Entity != ca.ID || se.Origin != last.Origin {
		t.Fatalf("scope error %+v, want index %d op %s entity %s", se, len(batch)-1, last.ID, ca.ID)
	}
	if h, _ := st.Head("乙社区"); h != headB {
		t.Fatalf("refused batch wrote: head %d, was %d", h, headB)
	}
	// Without the bad op, 乙's new case is its own (it was not claimed by
	// the refused batch, nor lost to it).
	res = mustAppend(t, st, "乙社区", batch[:len(batch)-1])
	if res.Accepted != len(batch)-1 {
		t.Fatalf("good part: %+v", res)
	}
	// A link from 甲's case to 乙's case is refused too: the target is
	// checked as well as the record.
	if _, err := a.Merge(allOps(t, b)...); err != nil {
		t.Fatal(err)
	}
	na := len(allOps(t, a))
	if err := a.Link(ca.ID, cb.ID, casebook.LinkRecurring); err != nil {
		t.Fatal(err)
	}
	var onOwn []casebook.Op
	for _, op := range opsAfter(t, a, na) {
		if op.Entity == ca.ID {
			onOwn = append(onOwn, op)
		}
	}
	if len(onOwn) != 1 || onOwn[0].Link == nil || onOwn[0].Link.Target != cb.ID {
		t.Fatalf("link ops: %+v", onOwn)
	}
	headA, _ := st.Head("甲社区")
	if _, err := st.Append("甲社区", incoming(t, onOwn)); !errors.As(err, &se) || se.Entity != cb.ID || se.Index != 0 {
		t.Fatalf("link to another community's case: %v", err)
	}
	if h, _ := st.Head("甲社区"); h != headA {
		t.Fatalf("refused link wrote")
	}
	// Settings ops belong to no record: every community has its own.
	sa, sb := incoming(t, allOps(t, a)[:1]), incoming(t, allOps(t, b)[:1])
	if sa[0].Op.Kind != casebook.OpSettings || sb[0].Op.Kind != casebook.OpSettings {
		t.Fatalf("first ops are not settings: %s %s", sa[0].Op.Kind, sb[0].Op.Kind)
	}
	if _, err := st.Append("乙社区", sa); err != nil {
		t.Fatalf("settings op in a second community: %v", err)
	}
	_ = cNew
}

func contractSince(t *testing.T, st Store, _ func() Store) {
	mustCommunity(t, st, "甲社区")
	b := newBook(t, "甲社区")
	for i := range 5 {
		addCase(t, b, "事"+strings.Repeat("长", i*30))
	}
	ops := incoming(t, allOps(t, b))
	n := uint64(len(ops))
	mustAppend(t, st, "甲社区", ops)
	check := func(seq uint64, limit, maxBytes int, want int) {
		t.Helper()
		raws, last, head, err := st.Since("甲社区", seq, limit, maxBytes)
		if err != nil {
			t.Fatal(err)
		}
		if len(raws) != want || head != n || last != seq+uint64(want) {
			t.Fatalf("since %d limit %d max %d: %d ops, last %d, head %d; want %d ops", seq, limit, maxBytes, len(raws), last, head, want)
		}
		for i, r := range raws {
			if !bytes.Equal(r, ops[int(seq)+i].Raw) {
				t.Fatalf("since %d: op %d is not the one logged", seq, i)
			}
		}
	}
	check(0, 100, 1<<20, int(n))
	check(0, 2, 1<<20, 2)
	check(1, 2, 1<<20, 2)
	check(n-1, 100, 1<<20, 1)
	check(n, 100, 1<<20, 0)
	check(n+5, 100, 1<<20, 0)
	check(0, 0, 1<<20, 0)
	// The byte cap: at least one op, however small the cap; then ops while
	// what is taken is below it.
	check(0, 100, 1, 1)
	check(2, 100, len(ops[2].Raw), 1)
	check(2, 100, len(ops[2].Raw)+1, 2)
	check(2, 100, len(ops[2].Raw)+len(ops[3].Raw)+1, 3)
	if h, err := st.Head("甲社区"); err != nil || h != n {
		t.Fatalf("head %d %v", h, err)
	}
}

func contractNoCommunity(t *testing.T, st Store, _ func() Store) {
	mustCommunity(t, st, "甲社区")
	b := newBook(t, "无此社区")
	ins := incoming(t, allOps(t, b))
	calls := map[string]func() error{
		"append":      func() error { _, err := st.Append("无此社区", ins); return err },
		"since":       func() error { _, _, _, err := st.Since("无此社区", 0, 10, 1<<20); return err },
		"op at":       func() error { _, err := st.OpAt("无此社区", 1); return err },
		"head":        func() error { _, err := st.Head("无此社区"); return err },
		"materialize": func() error { _, err := st.Materialize("无此社区", 10); return err },
		"views":       func() error { _, _, err := st.Views("无此社区"); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, ErrNoCommunity) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if h, _ := st.Head("甲社区"); h != 0 {
		t.Fatalf("another community's log changed")
	}
}

// contractViews: the views the store materializes are what replaying the
// log in casebook gives, however the log arrived and however far each
// Materialize went; settings included.
func contractViews(t *testing.T, st Store, _ func() Store) {
	mustCommunity(t, st, "甲社区")
	set, sums, err := st.Views("甲社区")
	if err != nil || len(sums) != 0 || set.Community.Name != "" {
		t.Fatalf("views of an empty community: %+v %d %v", set.Community, len(sums), err)
	}
	// Two devices of the community, working apart and then merging.
	a := newBook(t, "甲社区")
	var ids []string
	for i := range 6 {
		ids = append(ids, addCase(t, a, fmt.Sprint("事", i)).ID)
	}
	if _, err := a.Step(ids[0], casebook.Step{Action: casebook.ActRespond}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SetFields(ids[1], map[string]string{casebook.FieldUrgency: string(casebook.UrgencyEmergency)}); err != nil {
		t.Fatal(err)
	}
	if err := a.Link(ids[2], ids[3], casebook.LinkDuplicate); err != nil {
		t.Fatal(err)
	}
	b, err := store.NewBook(store.NewMemory(), "李", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Merge(allOps(t, a)...); err != nil {
		t.Fatal(err)
	}
	na, nb := len(allOps(t, a)), len(allOps(t, b))
	// The same field of the same case, on both: a conflict to review.
	if _, err := a.SetFields(ids[4], map[string]string{casebook.FieldHandler: "张"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SetFields(ids[4], map[string]string{casebook.FieldHandler: "李"}); err != nil {
		t.Fatal(err)
	}
	addCase(t, b, "乙设备的事")
	set = b.Settings()
	set.Policy.Respond = casebook.Limit{Amount: 3, Unit: casebook.UnitHours}
	if err := b.UpdateSettings(set); err != nil {
		t.Fatal(err)
	}
	// a's log first, materialized a few ops at a time; then b's.
	mustAppend(t, st, "甲社区", incoming(t, allOps(t, a)))
	for i := 0; ; i++ {
		done, err := st.Materialize("甲社区", 3)
		if err != nil {
			t.Fatal(err)
		}
		if done {
			break
		}
		if i > na {
			t.Fatal("materialize does not finish")
		}
	}
	sameAsReplay(t, st, "甲社区")
	mustAppend(t, st, "甲社区", incoming(t, opsAfter(t, b, nb)))
	mustAppend(t, st, "甲社区", incoming(t, opsAfter(t, a, na)))
	for {
		done, err := st.Materialize("甲社区", 4)
		if err != nil {
			t.Fatal(err)
		}
		if done {
			break
		}
	}
	if done, err := st.Materialize("甲社区", 4); !done || err != nil {
		t.Fatalf("materialize when up to date: %v %v", done, err)
	}
	sameAsReplay(t, st, "甲社区")
	_, sums, _ = st.Views("甲社区")
	conflicts := 0
	for _, s := range sums {
		conflicts += s.Conflicts
	}
	if len(sums) != 7 || conflicts == 0 {
		t.Fatalf("%d summaries, %d conflicts; want 7 and a conflict", len(sums), conflicts)
	}
}

// sameAsReplay replays the community's log in a casebook and compares its
// settings and summaries with the store's views: the fields the compact
// summary keeps, and the deadlines.
func sameAsReplay(t *testing.T, st Store, community string) {
	t.Helper()
	raws, _, _, err := st.Since(community, 0, 1<<30, 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	mem := store.NewMemory()
	for _, r := range raws {
		var op casebook.Op
		if err := json.Unmarshal(r, &op); err != nil {
			t.Fatal(err)
		}
		if _, err := mem.Apply(op); err != nil {
			t.Fatal(err)
		}
	}
	book, err := store.NewBook(mem, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	set, sums, err := st.Views(community)
	if err != nil {
		t.Fatal(err)
	}
	want := book.Settings()
	wj, _ := json.Marshal(want)
	gj, _ := json.Marshal(set)
	if !bytes.Equal(wj, gj) {
		t.Fatalf("settings view:\n%s\nreplay:\n%s", gj, wj)
	}
	wantSums := book.List(casebook.Filter{}, time.Now())
	if len(sums) != len(wantSums) {
		t.Fatalf("%d summaries, replay has %d", len(sums), len(wantSums))
	}
	byID := map[string]*casebook.Summary{}
	for _, s := range wantSums {
		byID[s.ID] = s
	}
	for i, s := range sums {
		if i > 0 && sums[i-1].ID >= s.ID {
			t.Fatalf("summaries not in id order: %s, %s", sums[i-1].ID, s.ID)
		}
		w := byID[s.ID]
		if w == nil {
			t.Fatalf("summary %s not in the replay", s.ID)
		}
		if !bytes.Equal(hubstore.EncodeSummary(s), hubstore.EncodeSummary(w)) || !s.RespondDue.Equal(w.RespondDue) || !s.HandleDue.Equal(w.HandleDue) {
			t.Fatalf("summary %s:\n%+v\nreplay:\n%+v", s.ID, *s, *w)
		}
	}
}

func contractEpoch(t *testing.T, st Store, reopen func() Store) {
	e := st.Epoch()
	if len(e) < 16 {
		t.Fatalf("epoch %q", e)
	}
	mustCommunity(t, st, "甲社区")
	mustAppend(t, st, "甲社区", incoming(t, allOps(t, newBook(t, "甲社区"))))
	st = reopen()
	if st.Epoch() != e {
		t.Fatalf("epoch changed on reopen: %s → %s", e, st.Epoch())
	}
	if h, err := st.Head("甲社区"); err != nil || h == 0 {
		t.Fatalf("log lost on reopen: %d %v", h, err)
	}
}

// contractConcurrent: devices of two communities push at once, some the
// same operations; every op is in its community's log exactly once, in
// gap-free sequence, and the accepted counts add up.
func contractConcurrent(t *testing.T, st Store, _ func() Store) {
	communities := []string{"甲社区", "乙社区"}
	for _, c := range communities {
		mustCommunity(t, st, c)
	}
	const devices = 4 // per community
	type pusher struct {
		community string
		ops       []Incoming
	}
	var pushers []pusher
	want := map[string]map[string]bool{}
	for _, c := range communities {
		want[c] = map[string]bool{}
		for d := range devices {
			b := newBook(t, c)
			for i := range 8 {
				addCase(t, b, fmt.Sprint(d, "-", i))
			}
			ops := incoming(t, allOps(t, b))
			for _, in := range ops {
				want[c][in.Op.ID] = true
			}
			// Each device's log pushed by two goroutines (a device and its
			// retry), so that the same ops race each other.
			pushers = append(pushers, pusher{c, ops}, pusher{c, ops})
		}
	}
	// The hub's materializer runs while devices push.
	stopViews := make(chan struct{})
	viewsDone := make(chan error, 1)
	go func() {
		for {
			select {
			case <-stopViews:
				viewsDone <- nil
				return
			default:
			}
			for _, c := range communities {
				if _, err := st.Materialize(c, 7); err != nil {
					viewsDone <- err
					return
				}
			}
		}
	}()
	var wg sync.WaitGroup
	accepted := map[string]int{}
	var mu sync.Mutex
	errs := make(chan error, len(pushers))
	for _, p := range pushers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < len(p.ops); i += 3 {
				res, err := st.Append(p.community, p.ops[i:min(i+3, len(p.ops))])
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				accepted[p.community] += res.Accepted
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(stopViews)
	if err := <-viewsDone; err != nil {
		t.Fatalf("materialize while appending: %v", err)
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, c := range communities {
		ids := logIDs(t, st, c)
		seen := map[string]bool{}
		for _, id := range ids {
			if seen[id] || !want[c][id] {
				t.Fatalf("%s: op %s twice or not its own", c, id)
			}
			seen[id] = true
		}
		if len(ids) != len(want[c]) || accepted[c] != len(ids) {
			t.Fatalf("%s: %d ops logged, %d accepted, want %d", c, len(ids), accepted[c], len(want[c]))
		}
		for {
			done, err := st.Materialize(c, 50)
			if err != nil {
				t.Fatal(err)
			}
			if done {
				break
			}
		}
		sameAsReplay(t, st, c)
	}
}

// contractClaimRace: two communities push operations on the same new
// record at the same moment (a casebook copied between communities). One
// claims it; the other's whole batch is refused, whichever wins.
func contractClaimRace(t *testing.T, st Store, _ func() Store) {
	mustCommunity(t, st, "甲社区")
	mustCommunity(t, st, "乙社区")
	for round := range 5 {
		a := newBook(t, "")
		ca := addCase(t, a, fmt.Sprint("事", round))
		b, err := store.NewBook(store.NewMemory(), "李", nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Merge(allOps(t, a)...); err != nil {
			t.Fatal(err)
		}
		own := addCase(t, b, "乙自己的事") // first in 乙's batch: claimed only if the batch goes in
		if _, err := b.SetFields(ca.ID, map[string]string{casebook.FieldHandler: "李"}); err != nil {
			t.Fatal(err)
		}
		batches := map[string][]Incoming{
			"甲社区": incoming(t, allOps(t, a)),
			"乙社区": incoming(t, opsAfter(t, b, len(allOps(t, a)))),
		}
		heads := map[string]uint64{}
		for c := range batches {
			heads[c], _ = st.Head(c)
		}
		results := map[string]error{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := make(chan struct{})
		for c, ins := range batches {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := st.Append(c, ins)
				mu.Lock()
				results[c] = err
				mu.Unlock()
			}()
		}
		close(start)
		wg.Wait()
		var won, lost string
		for c, err := range results {
			var se *ScopeError
			switch {
			case err == nil:
				won = c
			case errors.As(err, &se) && se.Entity == ca.ID:
				lost = c
			default:
				t.Fatalf("round %d, %s: %v", round, c, err)
			}
		}
		if won == "" || lost == "" {
			t.Fatalf("round %d: won %q, lost %q: %v", round, won, lost, results)
		}
		if h, _ := st.Head(lost); h != heads[lost] {
			t.Fatalf("round %d: the refused batch of %s wrote", round, lost)
		}
		if lost == "乙社区" {
			// 乙's own new case was not claimed by the refused batch.
			if _, err := st.Append("甲社区", incoming(t, opsAfter(t, b, len(allOps(t, a)))[:1])); err != nil {
				t.Fatalf("round %d: 乙's new case %s was claimed by a refused batch: %v", round, own.ID, err)
			}
		}
	}
}
