package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"casebook/casebook"
)

var update = flag.Bool("update", false, "rewrite testdata/v3.db, the fixture of the current schema version")

// Upgrade fixtures: one casebook file per schema version, each written by
// the build of its time and never rewritten after, which later versions
// must keep opening. testdata/v1.db was written by the schema-1 build:
// settings, three cases (one closed with an evaluation, one escalated with
// a handler conflict, linked opposing to the third), an op of an unknown
// kind and a local key, 18 ops in all. testdata/v2.db is that content plus
// disputes, written by buildFixture in the schema-2 build; testdata/v3.db
// the same, written by the schema-3 build.
const (
	fixtureV1 = "testdata/v1.db"
	fixtureV2 = "testdata/v2.db"
	fixtureV3 = "testdata/v3.db"
)

// fixtureContent writes the content of every fixture: what v1.db holds.
func fixtureContent(t *testing.T, s *Bolt, b *Book, clk *fakeClock) (p, q *casebook.Case) {
	set := b.Settings()
	set.Community = casebook.Community{Name: "示例社区", Street: "示例街道", District: "丰台区", Households: 2100, Buildings: []string{"14号楼", "15号楼"}}
	set.Term = casebook.Term{Secretary: "王书记", Start: casebook.Date{Year: 2025, Month: 12, Day: 1}, End: casebook.Date{Year: 2026, Month: 10, Day: 31}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(b.UpdateSettings(set))
	a, err := b.AddCase(casebook.CaseInput{Channel: "12345", WorkOrder: "202603020001", Type: "complaint", Category: "老旧小区改造",
		Building: "14号楼", Unit: "2单元501", Summary: "顶层漏水", Complainant: "张三", Phone: "13800000000", Urgency: "complex"})
	must(err)
	for _, st := range []casebook.Step{
		{Action: casebook.ActRespond},
		{Action: casebook.ActDispatch, To: "物业"},
		{Action: casebook.ActFeedback, Note: "已制定维修方案"},
		{Action: casebook.ActResolve},
		{Action: casebook.ActFeedback, Note: "已修好"},
		{Action: casebook.ActEvaluate, Solved: casebook.SolvedYes, Satisfaction: casebook.Satisfied},
		{Action: casebook.ActClose},
	} {
		_, err := b.Step(a.ID, st)
		must(err)
	}
	p, err = b.AddCase(casebook.CaseInput{Channel: "walk-in", Type: "complaint", Category: "道路设施", Building: "14号楼", Summary: "楼间坡地没有路，老人摔倒"})
	must(err)
	q, err = b.AddCase(casebook.CaseInput{Channel: "grid", Type: "suggestion", Category: "道路设施", Building: "15号楼", Summary: "反对在窗下修路"})
	must(err)
	must(b.Link(p.ID, q.ID, casebook.LinkOpposing))
	_, err = b.Step(p.ID, casebook.Step{Action: casebook.ActRespond})
	must(err)
	_, err = b.Step(p.ID, casebook.Step{Action: casebook.ActEscalate, To: "street"})
	must(err)
	// A concurrent edit from a second device: a conflict to review.
	other := casebook.Author{Origin: "DEVICE-OF-PARTY-SECRETARY", Actor: "党委书记", Clock: casebook.NewClock(clk.Now), Now: clk.Now}
	pc, _ := s.Case(p.ID)
	_, err = b.SetFields(p.ID, map[string]string{casebook.FieldHandler: "李网格"})
	must(err)
	theirs, err := other.Set(pc, map[string]string{casebook.FieldHandler: "赵社工"}, nil)
	must(err)
	_, err = b.Merge(theirs)
	must(err)
	// An op of a kind this version does not know (from a newer version).
	h := b.Clock().Now()
	_, err = s.Apply(casebook.Op{ID: casebook.NewID(h.Time()), Origin: "DEVICE-OF-PARTY-SECRETARY", HLC: h,
		Kind: "poll.create", Entity: casebook.NewID(h.Time()), Payload: []byte(`{"question":"14号楼与15号楼之间修小路吗？"}`)})
	must(err)
	must(s.PutLocal("sync.cursor", []byte("42")))
	p, _ = s.Case(p.ID)
	q, _ = s.Case(q.ID)
	return p, q
}

// orphanDisputeID is a dispute of the v2 fixture of which only a later
// change has arrived (by sync), not its creation.
const orphanDisputeID = "01KJN3Z0000000000000000000"

// buildFixture writes the fixture of the current schema: the v1 content
// and disputes.
func buildFixture(t *testing.T, path string) {
	if SchemaVersion != 3 {
		t.Fatalf("testdata/v3.db is the version-3 fixture; this build writes version %d", SchemaVersion)
	}
	clk := newFakeClock(time.Date(2026, 3, 2, 9, 0, 0, 0, casebook.Shanghai), time.Minute)
	s, err := OpenBolt(path, WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b, err := NewBook(s, "王书记", clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	p, q := fixtureContent(t, s, b, clk)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	d, err := b.CreateDispute("14号楼与15号楼之间坡地修路", "14号楼与15号楼之间坡地",
		"14号楼居民要求修路，15号楼居民反对在窗下修路。", []string{p.Number(), q.ID})
	must(err)
	_, err = b.AddParty(d.ID, casebook.Party{Name: "14号楼居民", Kind: casebook.PartyBuilding, Building: "14号楼", Side: "A", Position: "修步道"})
	must(err)
	b15, err := b.AddParty(d.ID, casebook.Party{Name: "15号楼居民", Kind: casebook.PartyBuilding, Building: "15号楼", Side: "B", Position: "不同意在窗下修路"})
	must(err)
	v1, err := b.AddPlan(d.ID, casebook.PlanVersion{Title: "直线步道", Description: "从14号楼门前直线下行\n下端接15号楼窗前道路"})
	must(err)
	m, err := b.AddMeeting(d.ID, casebook.Meeting{Place: "14号楼小院", Kind: casebook.MeetingCourtyard,
		Attendees: []casebook.Attendee{{Role: "14号楼居民", Count: 12}, {Role: "15号楼居民", Count: 11}, {Role: "物业", Name: "李经理"}},
		Minutes:   "展示方案第1版。"})
	must(err)
	_, err = b.RecordVote(d.ID, casebook.Vote{Meeting: m.ID, Plan: v1.ID, For: 10, Against: 13})
	must(err)
	_, err = b.AppendMinutes(d.ID, m.ID, "会后补记：下端北移可以考虑。")
	must(err)
	v2, err := b.AddPlan(d.ID, casebook.PlanVersion{Title: "下端北移", Description: "从14号楼门前下行\n下端北移10米，远离15号楼窗户",
		Changes: "下端北移", Reason: "15号楼居民不愿路在窗下"})
	must(err)
	_, err = b.SetParty(d.ID, b15.ID, map[string]string{casebook.PartyFieldPosition: "下端远离窗户即可同意"})
	must(err)
	_, err = b.Agree(d.ID, v2.ID, []string{"14号楼居民代表", "15号楼居民代表"}, time.Time{})
	must(err)
	_, err = b.AddTask(d.ID, casebook.Task{Title: "修建台阶步道", Owner: "街道城建科", Due: casebook.Date{Year: 2026, Month: 5, Day: 15}})
	must(err)
	// The title changed on two devices at once: a conflict to review.
	d, err = b.Dispute(d.ID)
	must(err)
	other := casebook.Author{Origin: "DEVICE-OF-PARTY-SECRETARY", Actor: "党委书记", Clock: casebook.NewClock(clk.Now), Now: clk.Now}
	theirs, err := other.SetDisputeFields(d, map[string]string{casebook.DisputeFieldTitle: "坡地步道"})
	must(err)
	_, err = b.SetDisputeFields(d.ID, map[string]string{casebook.DisputeFieldTitle: "14/15号楼坡地修路"})
	must(err)
	_, err = b.Merge(theirs)
	must(err)
	// A change to a dispute whose creation has not arrived.
	orphan, err := other.SetDisputeFields(casebook.NewDispute(orphanDisputeID), map[string]string{casebook.DisputeFieldSummary: "待同步"})
	must(err)
	_, err = b.Merge(orphan)
	must(err)
	must(s.Check())
}

func TestFixtureV1(t *testing.T) {
	path := tempPath(t, "v1.db")
	copyTo(t, fixtureV1, path)
	orig := fileSum(t, path)
	s := openTestBolt(t, path)
	defer s.Close()
	check(t, s)
	// Opening upgraded the file to this version, after saving a copy.
	if fileSum(t, path+".v1.bak") != orig {
		t.Fatal("no copy of the version-1 file was kept")
	}
	if ds, err := s.Disputes(); err != nil || len(ds) != 0 {
		t.Fatalf("disputes after the upgrade: %d, %v", len(ds), err)
	}
	b, err := NewBook(s, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	checkFixtureContent(t, s, b)
	ops := allOps(t, s)
	if len(ops) != 18 || ops[len(ops)-1].Kind != "poll.create" {
		t.Fatalf("%d ops, last %s", len(ops), ops[len(ops)-1].Kind)
	}
	// The fixture is usable: a new case gets the next number of its day.
	c, err := b.AddCase(casebook.CaseInput{Received: time.Date(2026, 3, 2, 18, 0, 0, 0, casebook.Shanghai), Channel: "box", Type: "help", Category: "其他", Summary: "求助"})
	if err != nil || c.Number() != "20260302-004" {
		t.Fatalf("add to fixture: %v", err)
	}
	// And takes disputes.
	if _, err := b.CreateDispute("坡地修路", "", "", []string{"20260302-002", "20260302-003"}); err != nil {
		t.Fatal(err)
	}
	check(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if v := fileVersion(t, path); v != strconv.Itoa(SchemaVersion) {
		t.Fatalf("schema version %s after the upgrade", v)
	}
}

// fileVersion reads the schema version written in a casebook file.
func fileVersion(t *testing.T, path string) string {
	t.Helper()
	var v string
	if err := withDB(t, path, func(tx *bbolt.Tx) error {
		v = string(tx.Bucket(bucketMeta).Get(keyVersion))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return v
}

// checkFixtureContent checks the content every fixture shares.
func checkFixtureContent(t *testing.T, s Store, b *Book) {
	t.Helper()
	if set := b.Settings(); set.Community.Name != "示例社区" || set.Term.Start != (casebook.Date{Year: 2025, Month: 12, Day: 1}) {
		t.Fatalf("settings: %+v", set.Community)
	}
	list := b.List(casebook.Filter{}, time.Now())
	if len(list) != 3 {
		t.Fatalf("%d cases", len(list))
	}
	a, err := b.Case("20260302-001")
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != casebook.StatusClosed || a.Solved != casebook.SolvedYes || a.WorkOrder() != "202603020001" ||
		a.Phone() != "13800000000" || len(a.Timeline) != 8 || a.HandledAt.IsZero() {
		t.Fatalf("case 1: %s %s %d events", a.Status, a.Solved, len(a.Timeline))
	}
	if s, ok := b.FindByWorkOrder("202603020001"); !ok || s.ID != a.ID {
		t.Fatal("work order lookup")
	}
	p, err := b.Case("20260302-002")
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != casebook.StatusResponded || p.Escalation != casebook.LevelStreet || len(p.Links) != 1 || p.Links[0].Kind != casebook.LinkOpposing {
		t.Fatalf("case 2: %s %s %+v", p.Status, p.Escalation, p.Links)
	}
	if cs := p.Conflicts(); len(cs) != 1 || cs[0].Field != casebook.FieldHandler {
		t.Fatalf("case 2 conflicts: %+v", cs)
	}
	if v, _ := s.GetLocal("sync.cursor"); string(v) != "42" {
		t.Fatal("local state")
	}
}

// TestFixtureV2: the schema-2 fixture is upgraded to schema 3 at open: the
// old file is kept beside it as it was, and every op, view, setting and
// local key came across.
func TestFixtureV2(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "v2.db")
	copyTo(t, fixtureV2, path)
	s := openTestBolt(t, path)
	defer s.Close()
	check(t, s)
	if names := dirNames(t, dir); !slices.Equal(names, []string{"v2.db", "v2.db.v2.bak"}) {
		t.Fatalf("after the upgrade: %v", names)
	}
	if fileSum(t, path+".v2.bak") != fileSum(t, fixtureV2) {
		t.Fatal("the copy is not the version-2 file")
	}
	_ = s.db.View(func(tx *bbolt.Tx) error {
		if v := string(tx.Bucket(bucketMeta).Get(keyVersion)); v != "3" {
			t.Errorf("schema version %s after the upgrade", v)
		}
		return nil
	})
	sameContent(t, s, readV2(t, fixtureV2))
	fixtureWork(t, s)
}

// TestFixtureV3: the fixture of the current schema opens as it is.
func TestFixtureV3(t *testing.T) {
	if *update {
		_ = os.Remove(fixtureV3)
		buildFixture(t, fixtureV3)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "v3.db")
	copyTo(t, fixtureV3, path)
	s := openTestBolt(t, path)
	defer s.Close()
	check(t, s)
	if names := dirNames(t, dir); !slices.Equal(names, []string{"v3.db"}) {
		t.Fatalf("a current file was upgraded: %v", names)
	}
	fixtureWork(t, s)
}

// fixtureWork checks the content of the fixture with disputes, and that
// work goes on with it.
func fixtureWork(t *testing.T, s *Bolt) {
	t.Helper()
	b, err := NewBook(s, "王书记", nil)
	if err != nil {
		t.Fatal(err)
	}
	checkFixtureContent(t, s, b)
	ds, err := s.Disputes()
	if err != nil || len(ds) != 1 {
		t.Fatalf("disputes: %d, %v", len(ds), err)
	}
	d := ds[0]
	if d.Status != casebook.DisputeAgreed || len(d.Cases) != 2 || len(d.Plans()) != 2 || len(d.Parties()) != 2 ||
		len(d.Votes()) != 1 || len(d.Tasks()) != 1 || d.Agreement == nil || d.Agreement.Plan != d.Plans()[1].ID {
		t.Fatalf("dispute: %s, %d cases, %d plans", d.Status, len(d.Cases), len(d.Plans()))
	}
	if m := d.Meetings(); len(m) != 1 || len(m[0].Addenda) != 1 || len(m[0].Attendees) != 3 {
		t.Fatalf("meetings: %+v", m)
	}
	if cs := d.Conflicts(); len(cs) != 1 || cs[0].Field != casebook.DisputeFieldTitle {
		t.Fatalf("dispute conflicts: %+v", cs)
	}
	if _, err := s.Dispute(orphanDisputeID); !errors.Is(err, casebook.ErrNotFound) {
		t.Fatalf("a dispute without its creation: %v", err)
	}
	// Work goes on: finish the task, resolve, close the appeals out.
	task := d.Tasks()[0]
	if _, err := b.SetTaskDone(d.ID, task.ID, true, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Resolve(d.ID, time.Time{}, "步道建成"); err != nil {
		t.Fatal(err)
	}
	rep, err := b.CloseLinkedCases(d.ID, time.Time{})
	if err != nil || len(rep.Closed) != 2 || len(rep.Failed) != 0 {
		t.Fatalf("close linked cases: %+v, %v", rep, err)
	}
	check(t, s)
}

// TestUpgradeV1Disputes: a version-1 build keeps dispute ops synced from a
// newer device in its log, with no view. The upgrade builds their views.
func TestUpgradeV1Disputes(t *testing.T) {
	dir := t.TempDir()
	// The case ids of the fixture, from an upgraded copy.
	scratch := filepath.Join(dir, "scratch.db")
	copyTo(t, fixtureV1, scratch)
	sc := openTestBolt(t, scratch)
	p, _ := NewBook(sc, "", nil)
	c2, _ := p.Case("20260302-002")
	c3, _ := p.Case("20260302-003")
	last := sc.LastHLC()
	sc.Close()

	clk := newFakeClock(time.Date(2026, 3, 3, 9, 0, 0, 0, casebook.Shanghai), time.Minute)
	a := casebook.Author{Origin: "NEWER-DEVICE", Actor: "党委书记", Clock: casebook.NewClock(clk.Now), Now: clk.Now}
	if err := a.Clock.Observe(last); err != nil {
		t.Fatal(err)
	}
	d := casebook.NewDispute("")
	var ops []casebook.Op
	do := func(op casebook.Op, err error) casebook.Op {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if d.ID == "" {
			d = casebook.NewDispute(op.Entity)
		}
		if _, err := d.Apply(&op); err != nil {
			t.Fatal(err)
		}
		ops = append(ops, op)
		return op
	}
	do(a.NewDispute("坡地修路", "14号楼与15号楼之间", "", []string{c2.ID, c3.ID}))
	do(a.AddParty(d, casebook.Party{Name: "14号楼居民", Kind: casebook.PartyBuilding}))
	plan := do(a.AddPlan(d, casebook.PlanVersion{Description: "直线步道"}))
	do(a.Agree(d, plan.ID, []string{"双方代表"}, time.Time{}))
	do(a.AddTask(d, casebook.Task{Title: "修步道", Owner: "城建科", Due: casebook.Date{Year: 2026, Month: 5, Day: 1}}))
	do(a.Implement(d, time.Time{}, "开工"))
	do(a.Stall(d, time.Time{}, "施工经费未落实"))
	want := mustJSON(t, d)

	// Write them as the version-1 build did: log, op id lookup, largest HLC.
	writeV1 := func(path string, ops []casebook.Op, raw func(i int) []byte) {
		t.Helper()
		if err := withDB(t, path, func(tx *bbolt.Tx) error {
			log, ids, meta := tx.Bucket(bucketOps), tx.Bucket(bucketOpIDs), tx.Bucket(bucketMeta)
			for i, op := range ops {
				seq, _ := log.NextSequence()
				if err := log.Put(seqKey(seq), raw(i)); err != nil {
					return err
				}
				if err := ids.Put([]byte(op.ID), seqKey(seq)); err != nil {
					return err
				}
				if err := meta.Put(keyHLC, []byte(op.HLC.String())); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "v1.db")
	copyTo(t, fixtureV1, path)
	writeV1(path, ops, func(i int) []byte { return []byte(mustJSON(t, ops[i])) })
	s := openTestBolt(t, path)
	defer s.Close()
	check(t, s)
	got, err := s.Dispute(d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, got) != want || got.Status != casebook.DisputeStalled || got.Title() != "坡地修路" {
		t.Fatalf("upgraded dispute %s differs from its ops", got.Status)
	}
	if ds, _ := s.Disputes(); len(ds) != 1 {
		t.Fatalf("%d disputes", len(ds))
	}

	// A damaged dispute op in the log: the upgrade refuses, the file stays.
	bad := filepath.Join(dir, "bad.db")
	copyTo(t, fixtureV1, bad)
	writeV1(bad, ops[:1], func(int) []byte { return []byte(`{"id":"x","kind":"dispute.create","payload":`) })
	sum := fileSum(t, bad)
	if _, err := OpenBolt(bad); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), ".v1.bak") {
		t.Fatalf("damaged log: %v", err)
	}
	if fileSum(t, bad) != sum {
		t.Fatal("a failed upgrade changed the file")
	}
}

// TestMigration: the upgrade from version 2 rewrites the file into a new
// one (the old one kept as the copy); the in-place migrations after it run
// on the new file before it takes the old one's place, so a failing one
// leaves the file as it was. A migration is injected through the hooks.
func TestMigration(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "casebook.db")
	copyTo(t, fixtureV2, path)
	orig := fileSum(t, path)

	defer func(v int, m map[int]func(*bbolt.Tx) error) { schemaVersion, migrations = v, m }(schemaVersion, migrations)
	schemaVersion = 4

	// No migration known: refused before anything is written.
	migrations = map[int]func(*bbolt.Tx) error{1: migrateDisputes}
	if _, err := OpenBolt(path); err == nil || !strings.Contains(err.Error(), "no migration from version 3") {
		t.Fatalf("missing migration: %v", err)
	}
	// A failing migration: nothing changed, nothing left behind.
	migrations[3] = func(tx *bbolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Put([]byte("half"), []byte("done")); err != nil {
			return err
		}
		return errors.New("disk on fire")
	}
	if _, err := OpenBolt(path); err == nil || !strings.Contains(err.Error(), "disk on fire") || !strings.Contains(err.Error(), "unchanged") {
		t.Fatalf("failing migration: %v", err)
	}
	if fileSum(t, path) != orig {
		t.Fatal("a failed migration changed the file")
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"casebook.db"}) {
		t.Fatalf("a failed migration left %v", names)
	}

	ran := 0
	migrations[3] = func(tx *bbolt.Tx) error {
		ran++
		if _, err := tx.CreateBucket([]byte("polls")); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put([]byte("migrated"), []byte("yes"))
	}
	s := openTestBolt(t, path)
	if ran != 1 {
		t.Fatalf("migration ran %d times", ran)
	}
	if fileSum(t, path+".v2.bak") != orig {
		t.Fatal("the backup is not the original file")
	}
	if ds, _ := s.Disputes(); len(s.Summaries()) != 3 || len(ds) != 1 {
		t.Fatal("content lost in migration")
	}
	check(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	err := withDB(t, path, func(tx *bbolt.Tx) error {
		m := tx.Bucket(bucketMeta)
		if string(m.Get(keyVersion)) != "4" || string(m.Get([]byte("migrated"))) != "yes" || m.Get([]byte("half")) != nil {
			return fmt.Errorf("meta after migration: version %s", m.Get(keyVersion))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Opened again: nothing more to migrate.
	s = openTestBolt(t, path)
	s.Close()
	if ran != 1 {
		t.Fatal("migration ran again")
	}
	// And the version-3 build refuses the upgraded file.
	schemaVersion = 3
	if _, err := OpenBolt(path); !errors.Is(err, ErrTooNew) {
		t.Fatalf("old build on new file: %v", err)
	}
	// As the version-1 build refuses a version-2 file.
	schemaVersion = 1
	copyTo(t, fixtureV2, path)
	if _, err := OpenBolt(path); !errors.Is(err, ErrTooNew) {
		t.Fatalf("version-1 build on a version-2 file: %v", err)
	}
}

// withDB opens a file with bbolt directly (for tests that forge files).
func withDB(t *testing.T, path string, fn func(tx *bbolt.Tx) error) error {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return db.Update(fn)
}

func TestTooNew(t *testing.T) {
	path := tempPath(t, "casebook.db")
	copyTo(t, fixtureV1, path)
	if err := withDB(t, path, func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyVersion, []byte("99"))
	}); err != nil {
		t.Fatal(err)
	}
	sum := fileSum(t, path)
	_, err := OpenBolt(path)
	if !errors.Is(err, ErrTooNew) || !strings.Contains(err.Error(), "99") {
		t.Fatalf("version 99: %v", err)
	}
	if fileSum(t, path) != sum {
		t.Fatal("a too-new file was changed")
	}
	if names := dirNames(t, filepath.Dir(path)); len(names) != 1 {
		t.Fatalf("files left behind: %v", names)
	}
}

func TestNotCasebook(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 3*4096+17)
	for i := range random {
		random[i] = byte(rng.UintN(256))
	}
	files := map[string]func(path string){
		"random bytes": func(p string) { _ = os.WriteFile(p, random, 0o600) },
		"text": func(p string) {
			_ = os.WriteFile(p, []byte(strings.Repeat("这不是台账 not a casebook\n", 500)), 0o600)
		},
		"short text": func(p string) { _ = os.WriteFile(p, []byte("hello"), 0o600) },
		"empty":      func(p string) { _ = os.WriteFile(p, nil, 0o600) },
		"other bolt": func(p string) {
			_ = withDB(t, p, func(tx *bbolt.Tx) error { _, err := tx.CreateBucket([]byte("widgets")); return err })
		},
		"bolt with a meta bucket": func(p string) {
			_ = withDB(t, p, func(tx *bbolt.Tx) error {
				b, err := tx.CreateBucket(bucketMeta)
				if err != nil {
					return err
				}
				return b.Put(keyVersion, []byte("1"))
			})
		},
		"empty bolt": func(p string) { _ = withDB(t, p, func(*bbolt.Tx) error { return nil }) },
	}
	for name, mk := range files {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "file.db")
			mk(path)
			sum := fileSum(t, path)
			_, err := OpenBolt(path)
			if !errors.Is(err, ErrNotCasebook) || !strings.Contains(err.Error(), path) {
				t.Fatalf("got %v", err)
			}
			if fileSum(t, path) != sum {
				t.Fatal("the file was changed")
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{"file.db"}) {
				t.Fatalf("files left behind: %v", names)
			}
		})
	}
	if _, err := OpenBolt(t.TempDir()); !errors.Is(err, ErrNotCasebook) {
		t.Fatalf("folder: %v", err)
	}
	if _, err := OpenBolt(filepath.Join(t.TempDir(), "no-such-folder", "x.db")); err == nil || errors.Is(err, ErrNotCasebook) {
		t.Fatalf("missing folder: %v", err)
	}
}

func TestLocked(t *testing.T) {
	path := tempPath(t, "casebook.db")
	s := openTestBolt(t, path)
	defer s.Close()
	start := time.Now()
	_, err := OpenBolt(path)
	took := time.Since(start)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second open: %v", err)
	}
	if !strings.Contains(err.Error(), "in use by another program") || !strings.Contains(err.Error(), "close the other Casebook window") || !strings.Contains(err.Error(), path) {
		t.Fatalf("message: %v", err)
	}
	// It waits out the timeout before giving up (no upper bound: a busy
	// machine can take longer, and a hang fails at go test's timeout).
	if took < 900*time.Millisecond {
		t.Fatalf("gave up after %v, before the 1 s timeout", took)
	}
	if _, err := OpenBolt(path, WithTimeout(100*time.Millisecond)); !errors.Is(err, ErrLocked) {
		t.Fatalf("short timeout: %v", err)
	}
	// The first one is unharmed, and the file opens once released.
	b, _ := NewBook(s, "", nil)
	if _, err := b.AddCase(sampleInput(1)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2 := openTestBolt(t, path)
	defer s2.Close()
	if len(s2.Summaries()) != 1 {
		t.Fatal("content")
	}
}

// damagedSource makes a casebook of a few dozen pages to damage.
func damagedSource(t *testing.T) []byte {
	path := tempPath(t, "src.db")
	s := openTestBolt(t, path, withNoSync())
	b, _ := NewBook(s, "王书记", newFakeClock(t0, time.Second).Now)
	for i := range 40 {
		in := sampleInput(i)
		in.Details = strings.Repeat("详细情况。", 40)
		c, err := b.AddCase(in)
		if err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			_, _ = b.Step(c.ID, casebook.Step{Action: casebook.ActRespond})
		}
	}
	s.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// exercise opens a file and reads everything. A case that cannot be read
// must make Check fail: damage may not pass unnoticed.
func exercise(path string) error {
	s, err := OpenBolt(path, WithTimeout(100*time.Millisecond))
	if err != nil {
		return err
	}
	defer s.Close()
	var readErr error
	for _, sum := range s.Summaries() {
		if _, err := s.Case(sum.ID); err != nil && readErr == nil {
			readErr = err
		}
	}
	var seq uint64
	for {
		ops, last, err := s.OpsSince(seq, 100)
		if err != nil {
			if readErr == nil {
				readErr = err
			}
			break
		}
		if len(ops) == 0 {
			break
		}
		if last <= seq {
			return fmt.Errorf("reading the log went from %d back to %d", seq, last)
		}
		seq = last
	}
	err = s.Check()
	if readErr != nil && err == nil {
		return fmt.Errorf("Check passed but reading failed: %w", readErr)
	}
	return err
}

func TestDamaged(t *testing.T) {
	src := damagedSource(t)
	dir := t.TempDir()
	try := func(t *testing.T, name string, data []byte) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		sum := fileSum(t, path)
		err := exercise(path)
		if err != nil && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrNotCasebook) {
			t.Errorf("%s: an unclear error: %v", name, err)
		}
		if fileSum(t, path) != sum {
			t.Errorf("%s: the file was changed", name)
		}
		_ = os.Remove(path)
	}
	t.Run("truncated", func(t *testing.T) {
		for _, n := range []int{1, 100, 4095, 4096, 8192, 16384, len(src) / 2, len(src) - 4096, len(src) - 1} {
			data := src[:n]
			try(t, "trunc-"+strconv.Itoa(n), data)
		}
		// A casebook cut after its meta pages is known to be damaged.
		path := filepath.Join(dir, "half.db")
		_ = os.WriteFile(path, src[:len(src)/2], 0o600)
		if _, err := OpenBolt(path); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "truncated") {
			t.Fatalf("half a casebook: %v", err)
		}
	})
	t.Run("flipped", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(7, 7))
		detected, n := 0, 300
		if raceEnabled || testing.Short() {
			n = 60
		}
		for i := range n {
			data := bytes.Clone(src)
			pos := rng.IntN(len(data))
			if i < n/4 { // the meta pages and the start of the tree
				pos = rng.IntN(3 * 4096)
			}
			data[pos] ^= byte(1 << rng.UintN(8))
			path := filepath.Join(dir, "flip.db")
			_ = os.WriteFile(path, data, 0o600)
			sum := fileSum(t, path)
			err := exercise(path)
			if err != nil {
				detected++
				if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrNotCasebook) {
					t.Errorf("flip at %d: an unclear error: %v", pos, err)
				}
			}
			if fileSum(t, path) != sum {
				t.Fatalf("flip at %d: the file was changed", pos)
			}
		}
		t.Logf("%d of %d single-bit flips detected (the rest hit free space or padding)", detected, n)
	})
}

func TestBackupWhileWriting(t *testing.T) {
	dir := t.TempDir()
	s := openTestBolt(t, filepath.Join(dir, "casebook.db"))
	defer s.Close()
	b, _ := NewBook(s, "王书记", newFakeClock(t0, time.Millisecond).Now)
	for i := range 50 {
		if _, err := b.AddCase(sampleInput(i)); err != nil {
			t.Fatal(err)
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			c, err := b.AddCase(sampleInput(i))
			if err == nil {
				_, err = b.Step(c.ID, casebook.Step{Action: casebook.ActRespond})
			}
			if err != nil {
				writeErr = err
				return
			}
		}
	}()
	for i := range 5 {
		path := filepath.Join(dir, fmt.Sprintf("backup-%d.db", i))
		if i%2 == 0 {
			if err := s.BackupFile(path); err != nil {
				t.Fatal(err)
			}
		} else {
			var buf bytes.Buffer
			n, err := s.Backup(&buf)
			if err != nil || n != int64(buf.Len()) {
				t.Fatalf("backup: %d bytes, %v", n, err)
			}
			_ = os.WriteFile(path, buf.Bytes(), 0o600)
		}
		time.Sleep(20 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if writeErr != nil {
		t.Fatal(writeErr)
	}
	for i := range 5 {
		path := filepath.Join(dir, fmt.Sprintf("backup-%d.db", i))
		bs := openTestBolt(t, path)
		if bs.Device() != s.Device() || len(bs.Summaries()) < 50 {
			t.Fatalf("backup %d: %d cases", i, len(bs.Summaries()))
		}
		check(t, bs)
		bs.Close()
	}
	check(t, s)
	for _, name := range dirNames(t, dir) {
		if strings.Contains(name, ".tmp-") {
			t.Fatalf("temporary file left: %s", name)
		}
	}
	if err := s.BackupFile(filepath.Join(dir, "no-such-folder", "b.db")); err == nil {
		t.Fatal("backup into a missing folder succeeded")
	}
}

func TestCreateLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "新台账.db")
	s := openTestBolt(t, path)
	if s.Device() == "" || s.Created().IsZero() {
		t.Fatal("meta")
	}
	s.Close()
	if names := dirNames(t, dir); !slices.Equal(names, []string{"新台账.db"}) {
		t.Fatalf("files: %v", names)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v: a casebook holds personal data", fi.Mode().Perm())
	}
}

// fixtureV2Demo is a demo casebook (60 appeals, 3 disputes, open and
// overdue items) written by the schema-2 build of main at c78d294 with
// `casebook demo --cases 60 --seed 7`, before the compact encoding.
const fixtureV2Demo = "testdata/v2-demo.db"

// v2Content is what a schema-2 file holds, read from its buckets with
// encoding/json as the schema-2 build wrote them.
type v2Content struct {
	cases    map[string]*casebook.Case
	disputes map[string]*casebook.Dispute
	ops      []casebook.Op
	settings casebook.SettingsDoc
	local    map[string]string
}

// readV2 reads a schema-2 file directly (read-only), without the store.
func readV2(t *testing.T, path string) *v2Content {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := &v2Content{cases: map[string]*casebook.Case{}, disputes: map[string]*casebook.Dispute{}, local: map[string]string{}}
	err = db.View(func(tx *bbolt.Tx) error {
		if v := string(tx.Bucket(bucketMeta).Get(keyVersion)); v != "2" {
			return fmt.Errorf("schema version %s, not 2", v)
		}
		if err := tx.Bucket(bucketCases).ForEach(func(k, v []byte) error {
			var err error
			c.cases[string(k)], err = decodeCase(v)
			return err
		}); err != nil {
			return err
		}
		if err := tx.Bucket(bucketDisputes).ForEach(func(k, v []byte) error {
			var err error
			c.disputes[string(k)], err = decodeDispute(v)
			return err
		}); err != nil {
			return err
		}
		if err := tx.Bucket(bucketOps).ForEach(func(_, v []byte) error {
			var op casebook.Op
			c.ops = append(c.ops, op)
			return json.Unmarshal(v, &c.ops[len(c.ops)-1])
		}); err != nil {
			return err
		}
		if err := tx.Bucket(bucketLocal).ForEach(func(k, v []byte) error {
			c.local[string(k)] = string(v)
			return nil
		}); err != nil {
			return err
		}
		if raw := tx.Bucket(bucketSettings).Get(keySettings); raw != nil {
			return json.Unmarshal(raw, &c.settings)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sameContent checks that a store holds exactly the content of a schema-2
// file: every op of its log in order, every view (created or not), the
// settings and the device-local keys.
func sameContent(t *testing.T, s *Bolt, want *v2Content) {
	t.Helper()
	if got := allOps(t, s); !reflect.DeepEqual(got, want.ops) {
		t.Fatalf("the log differs: %d ops, want %d", len(got), len(want.ops))
	}
	err := viewTx(s.db, "compare", func(tx *bbolt.Tx) error {
		n := 0
		if err := tx.Bucket(bucketCases).ForEach(func(k, v []byte) error {
			n++
			raw, err := s.codec.Decode(nil, bucketCases, k, v)
			if err != nil {
				return err
			}
			got, err := caseKind.decode(raw)
			if err != nil {
				return err
			}
			if !reflect.DeepEqual(got, want.cases[string(k)]) {
				return fmt.Errorf("case %s differs", k)
			}
			return nil
		}); err != nil {
			return err
		}
		if n != len(want.cases) {
			return fmt.Errorf("%d case views, want %d", n, len(want.cases))
		}
		n = 0
		if err := tx.Bucket(bucketDisputes).ForEach(func(k, v []byte) error {
			n++
			raw, err := s.codec.Decode(nil, bucketDisputes, k, v)
			if err != nil {
				return err
			}
			got, err := disputeKind.decode(raw)
			if err != nil {
				return err
			}
			if !reflect.DeepEqual(got, want.disputes[string(k)]) {
				return fmt.Errorf("dispute %s differs", k)
			}
			return nil
		}); err != nil {
			return err
		}
		if n != len(want.disputes) {
			return fmt.Errorf("%d dispute views, want %d", n, len(want.disputes))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, doc := s.Settings(); !reflect.DeepEqual(doc, cloneDoc(&want.settings)) {
		t.Fatal("the settings differ")
	}
	for k, v := range want.local {
		if got, _ := s.GetLocal(k); string(got) != v {
			t.Fatalf("local %s differs", k)
		}
	}
}

// TestFixtureV2Demo: the demo casebook of the schema-2 build opens, checks
// (its views equal a replay of its log), keeps every op and view, lists
// and takes more work.
func TestFixtureV2Demo(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.db")
	copyTo(t, fixtureV2Demo, path)
	want := readV2(t, fixtureV2Demo)
	if len(want.cases) != 60 || len(want.disputes) != 3 || len(want.ops) < 300 {
		t.Fatalf("fixture: %d cases, %d disputes, %d ops", len(want.cases), len(want.disputes), len(want.ops))
	}
	s := openTestBolt(t, path)
	defer s.Close()
	check(t, s)
	sameContent(t, s, want)
	b, err := NewBook(s, "王明", nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(b.List(casebook.Filter{}, time.Now())); n != 60 {
		t.Fatalf("%d appeals listed", n)
	}
	if ds, err := s.Disputes(); err != nil || len(ds) != 3 {
		t.Fatalf("disputes: %d, %v", len(ds), err)
	}
	if _, err := b.AddCase(casebook.CaseInput{Channel: "box", Type: "help", Category: "其他", Summary: "求助"}); err != nil {
		t.Fatal(err)
	}
	check(t, s)
}
