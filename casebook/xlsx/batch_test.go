package xlsx

import (
	"sync"
	"testing"

	"casebook/casebook"
)

// TestImportConcurrent: two imports of the same sheet at once add each
// work order once (BookTarget plans and applies under the book's lock).
func TestImportConcurrent(t *testing.T) {
	if _, ok := BookTarget(newBook(t), "", nil).(BatchTarget); !ok {
		t.Fatal("BookTarget is not a BatchTarget")
	}
	for range 5 {
		b := newBook(t)
		data := cleanSheet(t)
		var wg sync.WaitGroup
		reps := make([]ImportReport, 4)
		errs := make([]error, len(reps))
		for i := range reps {
			wg.Go(func() { reps[i], errs[i] = importBytes(t, b, data, ImportOptions{}) })
		}
		wg.Wait()
		news := 0
		for i, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
			news += reps[i].New
		}
		if n := len(b.List(casebook.Filter{}, testNow())); n != 5 || news != 5 {
			t.Fatalf("%d cases, %d reported new, after concurrent imports of 5 work orders", n, news)
		}
		if err := b.Store().Check(); err != nil {
			t.Fatal(err)
		}
	}
}
