package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"casebook/casebook"
)

// appealRow is what Appeals gives for one appeal, kept for comparing.
type appealRow struct {
	id, number string
	received   time.Time
	handleDue  time.Time
	values     []string
}

func collectAppeals(t *testing.T, appeals func(time.Time, []string, func(*casebook.Summary, []string) error) error, to time.Time, fields []string) []appealRow {
	t.Helper()
	var out []appealRow
	err := appeals(to, fields, func(s *casebook.Summary, v []string) error {
		out = append(out, appealRow{s.ID, s.Number, s.Received, s.HandleDue, slices.Clone(v)})
		return nil
	})
	if err != nil {
		t.Fatalf("appeals to %v: %v", to, err)
	}
	return out
}

// readerFixture makes a Bolt casebook of more than two blocks of appeals:
// many received at the same moment (numbers then ids decide), some in the
// same millisecond but not the same nanosecond (the index key cannot order
// those), contact fields set and edited. It returns the file's path and the
// expected rows of Appeals(zero), worked out from Case and the summaries.
func readerFixture(t *testing.T) (string, []appealRow) {
	t.Helper()
	path := tempPath(t, "r.casebook")
	s := openTestBolt(t, path, withNoSync())
	clk := newFakeClock(t0, time.Second)
	book, err := NewBook(s, "王", clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	n := 2*appealBlock + 300
	for i := range n {
		in := sampleInput(i)
		// Received over 60 days, on the minute: many ties.
		in.Received = t0.Add(-time.Duration(rng.IntN(60*24*6)) * 10 * time.Minute)
		if i%97 == 0 {
			in.Received = in.Received.Add(time.Duration(rng.IntN(999_999)) * time.Nanosecond)
		}
		in.Unit = fmt.Sprintf("%d单元", i%6)
		in.Phone = fmt.Sprintf("138%08d", i)
		c, err := book.AddCase(in)
		if err != nil {
			t.Fatal(err)
		}
		if i%50 == 0 {
			if _, err := book.SetFields(c.ID, map[string]string{casebook.FieldComplainant: "李四"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	sums := book.List(casebook.Filter{}, clk.Now())
	slices.SortFunc(sums, byReceived)
	want := make([]appealRow, len(sums))
	for i, sm := range sums {
		c, err := s.Case(sm.ID)
		if err != nil {
			t.Fatal(err)
		}
		v := make([]string, len(contactTestFields))
		for j, f := range contactTestFields {
			v[j] = c.Field(f)
		}
		want[i] = appealRow{sm.ID, sm.Number, sm.Received, sm.HandleDue, v}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path, want
}

var contactTestFields = []string{casebook.FieldUnit, casebook.FieldLocation, casebook.FieldComplainant, casebook.FieldPhone}

func sameRows(t *testing.T, what string, got, want []appealRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d appeals, want %d", what, len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.id != w.id || g.number != w.number || !g.received.Equal(w.received) || !g.handleDue.Equal(w.handleDue) || !slices.Equal(g.values, w.values) {
			t.Fatalf("%s: appeal %d is %+v, want %+v", what, i, g, w)
		}
	}
}

// TestAppeals: a Reader (summaries read from disk) and a Book (summaries in
// memory) give every appeal before the cut-off, oldest first, by time,
// number and id, with the fields Case gives; and leave the file as it was.
func TestAppeals(t *testing.T) {
	path, want := readerFixture(t)
	sum := fileSum(t, path)
	r, err := OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(want); i++ {
		if byReceivedRow(want[i-1], want[i]) > 0 {
			t.Fatal("fixture not sorted")
		}
	}
	cuts := []time.Time{{}, want[0].received, want[len(want)/3].received, want[len(want)/2].received.Add(time.Nanosecond), want[len(want)-1].received.Add(time.Hour)}
	for _, to := range cuts {
		exp := want
		if !to.IsZero() {
			exp = slices.DeleteFunc(slices.Clone(want), func(a appealRow) bool { return !a.received.Before(to) })
		}
		sameRows(t, fmt.Sprintf("reader to %v", to), collectAppeals(t, r.Appeals, to, contactTestFields), exp)
	}
	// Without fields, values are empty.
	for _, a := range collectAppeals(t, r.Appeals, time.Time{}, nil) {
		if len(a.values) != 0 {
			t.Fatalf("values %q without fields", a.values)
		}
	}
	// An error of fn stops it and is returned.
	stop := errors.New("stop")
	calls := 0
	err = r.Appeals(time.Time{}, contactTestFields, func(*casebook.Summary, []string) error {
		calls++
		if calls == appealBlock+5 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != appealBlock+5 {
		t.Fatalf("stopped after %d calls: %v", calls, err)
	}
	if s := r.Settings(); s.Policy.Respond == (casebook.Limit{}) {
		t.Errorf("settings not read: %+v", s.Policy)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Appeals(time.Time{}, nil, func(*casebook.Summary, []string) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Fatalf("after close: %v", err)
	}
	if fileSum(t, path) != sum {
		t.Fatal("reading changed the file")
	}

	// The Book over the same file gives the same.
	s := openTestBolt(t, path)
	defer s.Close()
	book, err := NewBook(s, "王", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range cuts {
		exp := want
		if !to.IsZero() {
			exp = slices.DeleteFunc(slices.Clone(want), func(a appealRow) bool { return !a.received.Before(to) })
		}
		sameRows(t, fmt.Sprintf("book to %v", to), collectAppeals(t, book.Appeals, to, contactTestFields), exp)
	}
}

func byReceivedRow(a, b appealRow) int {
	return byReceived(&casebook.Summary{Received: a.received, Number: a.number, ID: a.id}, &casebook.Summary{Received: b.received, Number: b.number, ID: b.id})
}

// TestReaderErrors: a missing file is not created; a locked one is
// reported; an index entry without its summary is damage, not a crash.
func TestReaderErrors(t *testing.T) {
	missing := tempPath(t, "none.casebook")
	if _, err := OpenReader(missing); !errors.Is(err, ErrNotCasebook) {
		t.Fatalf("missing: %v", err)
	}
	if names := dirNames(t, filepath.Dir(missing)); len(names) != 0 {
		t.Fatalf("left %v behind", names)
	}

	path, want := readerFixture(t)
	held := openTestBolt(t, path)
	if _, err := OpenReader(path, WithTimeout(100*time.Millisecond)); !errors.Is(err, ErrLocked) {
		t.Fatalf("locked: %v", err)
	}
	// Damage: drop the summary of an indexed case.
	victim := want[len(want)/2].id
	if err := held.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketSummaries).Delete([]byte(victim)) }); err != nil {
		t.Fatal(err)
	}
	if err := held.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n := 0
	err = r.Appeals(time.Time{}, contactTestFields, func(*casebook.Summary, []string) error { n++; return nil })
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("damaged: %v after %d appeals", err, n)
	}
}

// TestReaderUpgradesV1: a version-1 file (testdata) opens in a Reader as in
// OpenBolt: upgraded after a copy is kept, and every appeal is read.
func TestReaderUpgradesV1(t *testing.T) {
	path := tempPath(t, "v1.db")
	copyTo(t, fixtureV1, path)
	orig := fileSum(t, path)
	r, err := OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if fileSum(t, path+".v1.bak") != orig {
		t.Fatal("no copy of the version-1 file was kept")
	}
	var numbers []string
	if err := r.Appeals(time.Time{}, nil, func(s *casebook.Summary, _ []string) error {
		numbers = append(numbers, s.Number)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(numbers) == 0 || !slices.IsSorted(numbers) {
		t.Fatalf("appeals of the fixture: %v", numbers)
	}
}
