package xlsx

import (
	"runtime"
	"sync"

	"casebook/casebook"
)

// contactFields are the fields of a case the ledger shows beyond its
// summary (a summary leaves out personal data and free text).
var contactFields = []string{casebook.FieldUnit, casebook.FieldLocation, casebook.FieldComplainant, casebook.FieldPhone}

// FieldSource is an optional fast path of a Source: the current values of a
// few fields of many cases, without building each case's full view. ids are
// given in the order the ledger writes them and fn must be called in that
// order, once per id, with the values in the order of fields ("" for a
// missing case or field). A store can serve it from one read transaction
// and a partial decode. Without it, Export calls Source.Case for each row,
// on every core.
type FieldSource interface {
	CaseFields(ids []string, fields []string, fn func(i int, values []string) error) error
}

// contactBlock is a run of consecutive ledger rows whose contact fields are
// fetched together.
type contactBlock struct {
	start int
	vals  [][]string
	done  chan struct{}
}

const contactBlockSize = 256

// eachContact calls fn for every case in order with its contact fields. With
// a FieldSource it asks once; otherwise it fetches full cases on every core,
// a bounded number of blocks ahead of the writer, so memory stays flat.
func eachContact(src Source, cases []*casebook.Summary, fn func(i int, vals []string) bool) error {
	if fs, ok := src.(FieldSource); ok {
		ids := make([]string, len(cases))
		for i, s := range cases {
			ids[i] = s.ID
		}
		return fs.CaseFields(ids, contactFields, func(i int, v []string) error {
			if !fn(i, v) {
				return errStop
			}
			return nil
		})
	}
	workers := max(runtime.GOMAXPROCS(0), 1)
	blocks := make(chan *contactBlock, 2*workers) // in ledger order
	sem := make(chan struct{}, workers)
	quit := make(chan struct{})
	var wg sync.WaitGroup
	go func() {
		defer close(blocks)
		for start := 0; start < len(cases); start += contactBlockSize {
			b := &contactBlock{start: start, done: make(chan struct{})}
			select {
			case sem <- struct{}{}:
			case <-quit:
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				defer close(b.done)
				end := min(b.start+contactBlockSize, len(cases))
				b.vals = make([][]string, end-b.start)
				for i := b.start; i < end; i++ {
					v := make([]string, len(contactFields))
					if c, err := src.Case(cases[i].ID); err == nil {
						for j, f := range contactFields {
							v[j] = c.Field(f)
						}
					}
					b.vals[i-b.start] = v
				}
			}()
			select {
			case blocks <- b:
			case <-quit:
				return
			}
		}
	}()
	defer func() {
		close(quit)
		for range blocks { // let the producer finish
		}
		wg.Wait()
	}()
	for b := range blocks {
		<-b.done
		for k, v := range b.vals {
			if !fn(b.start+k, v) {
				return nil
			}
		}
	}
	return nil
}
