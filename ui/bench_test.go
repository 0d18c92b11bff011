package ui

import (
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"casebook/casebook/store"
	"casebook/ui/internal/screentest"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// The speed targets of the issue, with 100,000 cases (a street office's
// scale):
//
//   - the ledger is on screen < 1 s after start (BenchmarkStartToLedger100k:
//     open the Bolt file, build the App, show and draw the ledger);
//   - a filter or search refreshes the table < 30 ms (appeals'
//     BenchmarkFilter100k, BenchmarkSearch100k);
//   - scrolling allocates nothing per row beyond the visible ones
//     (TestScrollAllocations; BenchmarkScroll100k reports allocs per row).
//
//	go test -run '^$' -bench 100k -benchmem ./ui/ ./ui/appeals/
//
// The 100,000 cases are screentest's (BenchMemory, BenchBolt).

func TestMain(m *testing.M) {
	widgets.UndoFor = 0
	code := m.Run()
	screentest.RemoveBenchDir()
	os.Exit(code)
}

// benchApp builds the App on a store, showing the ledger drawn in a
// 1366×800 window.
func benchApp(tb testing.TB, st store.Store, now time.Time) (*App, fyne.Window) {
	book, err := store.NewBook(st, "王明", nil)
	if err != nil {
		tb.Fatal(err)
	}
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1366, 800))
	a := NewApp(fyne.CurrentApp(), w, book, Options{DBPath: "bench.db", Now: func() time.Time { return now }})
	a.showLedgerAsIs()
	return a, w
}

func benchSetup(b *testing.B) {
	b.Helper()
	setTestLocale(b)
	test.NewTempApp(b)
	if err := words.SetLanguage(words.LangChinese); err != nil {
		b.Fatal(err)
	}
	th, _ := widgets.NewTheme(widgets.ThemeLight)
	fyne.CurrentApp().Settings().SetTheme(th)
}

// BenchmarkStartToLedger100k: from opening the file to the ledger drawn on
// the canvas: OpenBolt (loads the 100,000 summaries), NewApp (Today is
// built first, with this month's metrics), ShowLedger, and one paint of
// the window by the software renderer.
func BenchmarkStartToLedger100k(b *testing.B) {
	path := screentest.BenchBolt(b)
	benchSetup(b)
	b.ResetTimer()
	for range b.N {
		bo, err := store.OpenBolt(path)
		if err != nil {
			b.Fatal(err)
		}
		a, w := benchApp(b, bo, screentest.BenchNow())
		if n := a.appeals.LedgerRows(); n != screentest.BenchCases {
			b.Fatalf("%d rows", n)
		}
		w.Canvas().Capture()
		b.StopTimer()
		w.Close()
		_ = bo.Close()
		b.StartTimer()
	}
}

// BenchmarkAppLedger100k is the same without the file: NewApp and the
// ledger on the in-memory casebook, drawn once.
func BenchmarkAppLedger100k(b *testing.B) {
	mem, now := screentest.BenchMemory(b)
	benchSetup(b)
	b.ResetTimer()
	for range b.N {
		a, w := benchApp(b, mem, now)
		w.Canvas().Capture()
		_ = a
		b.StopTimer()
		w.Close()
		b.StartTimer()
	}
}
