package store

import (
	"encoding/json"
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
