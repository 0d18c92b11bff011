package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"casebook/casebook"
)

// TestRawOpsSince: the raw log reads the same operations as OpsSince, in
// the same order and pages, on both stores.
func TestRawOpsSince(t *testing.T) {
	bolt, err := OpenBolt(filepath.Join(t.TempDir(), "raw.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer bolt.Close()
	for _, s := range []interface {
		Store
		RawOpsSince(uint64, int) ([]json.RawMessage, uint64, error)
	}{NewMemory(), bolt} {
		b, err := NewBook(s, "王", nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 7 {
			if _, err := b.AddCase(casebook.CaseInput{Channel: "walk-in", Type: "help", Category: "其他", Summary: "漏水" + string(rune('a'+i))}); err != nil {
				t.Fatal(err)
			}
		}
		for _, page := range []int{1, 3, 100} {
			var seq, rseq uint64
			for {
				ops, last, err := s.OpsSince(seq, page)
				if err != nil {
					t.Fatal(err)
				}
				raws, rlast, err := s.RawOpsSince(rseq, page)
				if err != nil {
					t.Fatal(err)
				}
				if last != rlast || len(ops) != len(raws) {
					t.Fatalf("page %d: %d ops to %d, %d raw to %d", page, len(ops), last, len(raws), rlast)
				}
				for i := range ops {
					var op casebook.Op
					if err := json.Unmarshal(raws[i], &op); err != nil || op.ID != ops[i].ID {
						t.Fatalf("raw %d: %v %s", i, err, op.ID)
					}
				}
				if len(ops) == 0 {
					break
				}
				seq, rseq = last, rlast
			}
			if seq != 7 {
				t.Errorf("page %d: ended at %d", page, seq)
			}
		}
		_ = s.Close()
		if _, _, err := s.RawOpsSince(0, 1); err == nil {
			t.Error("read after close")
		}
	}
}

// TestLogOutOfOrder: a damaged page that hands the cursor a log key out of
// order is reported, so that a reader paging through the log (sync, Check's
// callers, the damaged-file test) cannot ask for the same page for ever; a
// TestDamaged run on CI did, until it ran out of memory.
func TestLogOutOfOrder(t *testing.T) {
	path := tempPath(t, "order.casebook")
	s := openTestBolt(t, path, withNoSync())
	b, _ := newTestBook(t, s)
	for i := range 80 {
		if _, err := b.AddCase(sampleInput(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Renumber entry 60 as 10: the page still holds it between 59 and 61.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// In a leaf page a key is followed by its value: the op, packed.
	from, to := append(seqKey(60), encPacked, pkObject), append(seqKey(10), encPacked, pkObject)
	if bytes.Count(data, from) != 1 {
		t.Fatalf("log key 60 found %d times", bytes.Count(data, from))
	}
	if err := os.WriteFile(path, bytes.ReplaceAll(data, from, to), 0o600); err != nil {
		t.Fatal(err)
	}
	s = openTestBolt(t, path)
	defer s.Close()
	// Paging never goes back; a page that reads across the damaged key
	// reports it. (A page of one seeks past it: the key is then merely
	// missing, which Check reports.)
	for _, page := range []int{1, 7, 1000} {
		seq, calls, damaged := uint64(0), 0, false
		for {
			calls++
			ops, last, err := s.OpsSince(seq, page)
			if err != nil {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("page %d: %v", page, err)
				}
				damaged = true
				break
			}
			if len(ops) == 0 {
				break
			}
			if last <= seq || calls > 200 {
				t.Fatalf("page %d: no progress: %d after %d", page, last, seq)
			}
			seq = last
		}
		if page > 1 && !damaged {
			t.Errorf("page %d: read the damaged log without noticing", page)
		}
		if _, _, err := s.RawOpsSince(50, page); page > 10 && !errors.Is(err, ErrCorrupt) {
			t.Errorf("raw, page %d: %v", page, err)
		}
	}
	if err := s.Check(); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Check: %v", err)
	}
}
