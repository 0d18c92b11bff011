package store

import (
	"errors"
	"sync"
	"testing"
	"time"

	"casebook/casebook"
)

// TestApplyBatch: build runs under the book's lock (no AddCase lands in
// between), its operations are applied, and its error applies nothing.
func TestApplyBatch(t *testing.T) {
	clk := newFakeClock(t0, time.Minute)
	book, err := NewBook(NewMemory(), "王", clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	in := sampleInput(1)
	in.WorkOrder = "2603150001"
	var wg sync.WaitGroup
	results := make(chan error, 8)
	for range 4 {
		wg.Go(func() {
			_, err := book.ApplyBatch(func(a *casebook.Author, number func(time.Time) string) ([]casebook.Op, error) {
				if _, dup := book.FindByWorkOrder(in.WorkOrder); dup {
					return nil, nil
				}
				c := in
				c.Received = t0
				c.Number = number(t0)
				op, err := a.Create(c, nil)
				return []casebook.Op{op}, err
			})
			results <- err
		})
		wg.Go(func() {
			_, err := book.AddCase(in)
			if errors.Is(err, ErrDuplicate) {
				err = nil
			}
			results <- err
		})
	}
	wg.Wait()
	close(results)
	for err := range results {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := len(book.Store().Index().ByWorkOrder(in.WorkOrder)); n != 1 {
		t.Fatalf("work order added %d times", n)
	}
	boom := errors.New("boom")
	before := book.Store().LastHLC()
	applied, err := book.ApplyBatch(func(a *casebook.Author, number func(time.Time) string) ([]casebook.Op, error) {
		op, err := a.Create(sampleInput(2), nil)
		if err != nil {
			t.Fatal(err)
		}
		return []casebook.Op{op}, boom
	})
	if !errors.Is(err, boom) || applied != nil || book.Store().LastHLC() != before {
		t.Fatalf("a failed build: %v, %d applied", err, len(applied))
	}
	if err := book.Store().Check(); err != nil {
		t.Fatal(err)
	}
}
