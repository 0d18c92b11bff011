//go:build linux

package store

import (
	"runtime"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"casebook/casebook"
)

// TestMappedSpanOnlyMapping: a span takes bytes of the file's mapping and
// ignores copies on the heap (bbolt copies the values of a small inline
// bucket at an unaligned address), which releasing would wipe: the export
// of a one-case casebook crashed the garbage collector that way.
func TestMappedSpanOnlyMapping(t *testing.T) {
	path := tempPath(t, "m.casebook")
	s := openTestBolt(t, path, withNoSync())
	book, _ := newTestBook(t, s)
	if _, err := book.AddCase(sampleInput(1)); err != nil {
		t.Fatal(err)
	}
	err := s.db.View(func(tx *bbolt.Tx) error {
		span := newMappedSpan(tx)
		span.add(make([]byte, 3*pageSize))
		if span.lo != nil {
			t.Error("a heap slice was taken as mapped")
		}
		// The names of the top-level buckets lie in the root page.
		name, _ := tx.Cursor().First()
		span.add(name)
		if span.lo == nil {
			t.Error("a mapped value was not taken")
		}
		span.release()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for range 20 {
		n := 0
		if err := r.Appeals(time.Time{}, contactTestFields, func(*casebook.Summary, []string) error { n++; return nil }); err != nil || n != 1 {
			t.Fatalf("%d appeals: %v", n, err)
		}
		runtime.GC()
	}
}
