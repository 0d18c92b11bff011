package appeals

import (
	"casebook/casebook/store"
	"casebook/ui/internal/screentest"
	"casebook/ui/internal/uitest"
	"casebook/ui/screen"
	"casebook/ui/widgets"
	"casebook/ui/words"
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// BenchmarkFilter100k: one filter change refreshing the table, cycling
// through status, category, building and overdue filters.
func BenchmarkFilter100k(b *testing.B) {
	mem, now := screentest.BenchMemory(b)
	benchSetup(b)
	a, w := benchApp(b, mem, now)
	defer w.Close()
	l := a.ledger
	steps := []func(){
		func() { l.statusSel.SetSelectedIndex(1) },
		func() { l.catSel.SetSelected("停车管理") },
		func() { l.bldSel.SetSelected("14号楼") },
		func() { l.overdueChk.SetChecked(true) },
		func() { l.clearFilters() },
	}
	b.ResetTimer()
	for i := range b.N {
		steps[i%len(steps)]()
	}
	b.StopTimer()
	l.statusSel.SetSelectedIndex(1)
	b.ReportMetric(float64(len(l.rows)), "open-rows")
}

// BenchmarkSearch100k: typing a search term, each keystroke a refresh.
func BenchmarkSearch100k(b *testing.B) {
	mem, now := screentest.BenchMemory(b)
	benchSetup(b)
	a, w := benchApp(b, mem, now)
	defer w.Close()
	l := a.ledger
	terms := []string{"漏", "漏水", "14号楼", "2026", ""}
	b.ResetTimer()
	for i := range b.N {
		l.search.SetText(terms[i%len(terms)])
	}
}

// BenchmarkSort100k: a click on a column header (sort by building).
func BenchmarkSort100k(b *testing.B) {
	mem, now := screentest.BenchMemory(b)
	benchSetup(b)
	a, w := benchApp(b, mem, now)
	defer w.Close()
	l := a.ledger
	b.ResetTimer()
	for range b.N {
		l.sortBy(colBuilding)
	}
}

// scrollRows updates the cells of rows [from, from+visible) the way the
// table does when they scroll into view, reusing the cells.
func scrollRows(l *ledger, cells []fyne.CanvasObject, from, visible int) {
	for r := range visible {
		for c := range numCols {
			l.updateCell(widget.TableCellID{Row: from + r, Col: c}, cells[r*numCols+c])
		}
	}
}

// BenchmarkScroll100k: scrolling a screenful (20 rows) down the 100,000
// rows; reports allocations per row brought into view.
func BenchmarkScroll100k(b *testing.B) {
	mem, now := screentest.BenchMemory(b)
	benchSetup(b)
	a, w := benchApp(b, mem, now)
	defer w.Close()
	l := a.ledger
	const visible = 20
	cells := make([]fyne.CanvasObject, visible*numCols)
	for i := range cells {
		cells[i] = l.createCell()
	}
	w2 := test.NewWindow(onScreen(cells)) // cells need renderers, as on screen
	defer w2.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		scrollRows(l, cells, (i*visible)%(len(l.rows)-visible), visible)
	}
	b.ReportMetric(float64(testing.AllocsPerRun(20, func() {
		scrollRows(l, cells, 5000, visible)
	}))/visible, "allocs/row-rescroll")
}

// TestScrollAllocations: bringing a row into view allocates only for that
// row's text (a few strings and the label's layout), the same with 10,000
// rows as with 1,000, so nothing is spent on rows off screen; and a cell
// that already shows its text allocates nothing. The full 100,000 figure is
// BenchmarkScroll100k's.
func TestScrollAllocations(t *testing.T) {
	perRow := map[int]float64{}
	for _, n := range []int{1000, 10000} {
		mem := store.NewMemory()
		now := time.Now()
		for _, ops := range screentest.BenchOps(n, mem.Device(), now) {
			if _, err := mem.Apply(ops...); err != nil {
				t.Fatal(err)
			}
		}
		uitest.SetTestLocale(t)
		test.NewTempApp(t)
		_ = words.SetLanguage(words.LangChinese)
		a, w := benchApp(t, mem, now)
		l := a.ledger
		if len(l.rows) != n {
			t.Fatalf("%d rows", len(l.rows))
		}
		// Drawing the window makes cells for the rows on screen only.
		w.Canvas().Capture()
		if made := l.cellsMade; made == 0 || made > 40*numCols {
			t.Errorf("%d rows: the table made %d cells", n, made)
		}
		t.Logf("%d rows: %d cells made for the screen", n, l.cellsMade)
		const visible = 20
		cells := make([]fyne.CanvasObject, visible*numCols)
		for i := range cells {
			cells[i] = l.createCell()
		}
		w.SetContent(onScreen(cells))
		from := 0
		allocs := testing.AllocsPerRun(10, func() {
			from = (from + visible) % (n - visible)
			scrollRows(l, cells, from, visible)
		})
		perRow[n] = allocs / visible
		again := testing.AllocsPerRun(10, func() { scrollRows(l, cells, from, visible) })
		if again != 0 {
			t.Errorf("%d rows: updating cells that already show their text allocates %v times", n, again)
		}
		w.Close()
	}
	t.Logf("allocations per row scrolled into view: %v", perRow)
	if perRow[10000] > perRow[1000]*1.5+5 {
		t.Errorf("allocations per row grow with the number of rows: %v", perRow)
	}
}

// onScreen lays cells out in a grid, so that their labels have renderers
// and a text change costs what it costs on screen.
func onScreen(cells []fyne.CanvasObject) fyne.CanvasObject {
	return container.NewGridWithColumns(numCols, cells...)
}

// benchApp builds the appeals section on a store in a 1366×800 test
// window, showing the ledger.
func benchApp(tb testing.TB, st store.Store, now time.Time) (*testApp, fyne.Window) {
	book, err := store.NewBook(st, "王明", nil)
	if err != nil {
		tb.Fatal(err)
	}
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1366, 800))
	env := &screen.Env{Book: book, Win: w, Now: func() time.Time { return now }, Notify: nopNotify{}, Nav: nopNav{}, Changed: func() {}, Gen: func() uint64 { return 0 }}
	a := &testApp{Section: New(env)}
	w.SetContent(a.Build(true))
	return a, w
}

func benchSetup(b *testing.B) {
	b.Helper()
	uitest.SetTestLocale(b)
	test.NewTempApp(b)
	if err := words.SetLanguage(words.LangChinese); err != nil {
		b.Fatal(err)
	}
	th, _ := widgets.NewTheme(widgets.ThemeLight)
	fyne.CurrentApp().Settings().SetTheme(th)
}

type nopNotify struct{}

func (nopNotify) Info(string)         {}
func (nopNotify) Undo(string, func()) {}
func (nopNotify) Busy(string)         {}
func (nopNotify) Clear()              {}

func TestMain(m *testing.M) {
	widgets.UndoFor = 0
	code := m.Run()
	screentest.RemoveBenchDir()
	os.Exit(code)
}

type nopNav struct{}

func (nopNav) Show(screen.Section)            {}
func (nopNav) OpenCase(string)                {}
func (nopNav) NewAppeal()                     {}
func (nopNav) ShowLedger(screen.LedgerFilter) {}
func (nopNav) OpenDispute(string)             {}
func (nopNav) Back()                          {}
func (nopNav) Rebuild()                       {}
func (nopNav) Refresh()                       {}
