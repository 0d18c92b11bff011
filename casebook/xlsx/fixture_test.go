package xlsx

import (
	"testing"
	"time"

	"casebook/casebook/demo"
	"casebook/casebook/store"
)

// syntheticBook is demo.Synthetic, failing the test on an error.
func syntheticBook(tb testing.TB, s store.Store, n int, now time.Time) *store.Book {
	tb.Helper()
	b, err := demo.Synthetic(s, n, now)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
