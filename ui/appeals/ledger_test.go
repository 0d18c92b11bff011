package appeals

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/casebook/demo"
	"casebook/casebook/store"
	"casebook/ui/words"
)

// withDemo fills a book with the demo community (1,200 appeals).
func withDemo(t *testing.T) func(*store.Book) {
	return func(b *store.Book) {
		if _, err := demo.Generate(b, demo.Options{Seed: 7, Now: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLedgerFilterAndSearch: every filter and the search narrow the table
// to exactly the cases that match, and clearing them restores it.
func TestLedgerFilterAndSearch(t *testing.T) {
	a, w := newTestApp(t, words.LangChinese, withDemo(t))
	a.showLedger()
	l := a.ledger
	all := a.Book.Store().Index().Snapshot()
	if len(l.rows) != len(all) || len(all) < 1000 {
		t.Fatalf("ledger shows %d of %d cases", len(l.rows), len(all))
	}
	if rows, cols := l.table.Length(); rows != len(all) || cols != numCols {
		t.Fatalf("table length %d×%d", rows, cols)
	}
	now := time.Now()
	count := func(keep func(s *casebook.Summary) bool) int {
		n := 0
		for _, s := range all {
			if keep(s) {
				n++
			}
		}
		return n
	}
	check := func(what string, keep func(s *casebook.Summary) bool) {
		t.Helper()
		want := count(keep)
		if len(l.rows) != want {
			t.Errorf("%s: %d rows, want %d", what, len(l.rows), want)
		}
		for _, s := range l.rows {
			if !keep(s) {
				t.Errorf("%s: row %s does not match", what, s.Number)
				break
			}
		}
		if want == 0 {
			t.Errorf("%s: the test data has no matching case", what)
		}
	}

	l.statusSel.SetSelected(l.statusChoice.Names[1]) // open
	check("open", func(s *casebook.Summary) bool { return s.Status.Open() })
	l.catSel.SetSelected("停车管理")
	check("open parking", func(s *casebook.Summary) bool { return s.Status.Open() && s.Category == "停车管理" })
	l.clearFilters()
	if len(l.rows) != len(all) {
		t.Fatalf("after clearing: %d rows", len(l.rows))
	}

	l.chanSel.SetSelected(words.ChannelName(casebook.Channel12345))
	check("12345", func(s *casebook.Summary) bool { return s.Channel == casebook.Channel12345 })
	l.clearFilters()
	l.bldSel.SetSelected("14号楼")
	check("building 14", func(s *casebook.Summary) bool { return s.Building == "14号楼" })
	l.clearFilters()
	l.overdueChk.SetChecked(true)
	check("overdue", func(s *casebook.Summary) bool { return s.Overdue(now) })
	l.clearFilters()
	// The last 30 days (this month has no case yet on its first days).
	p, _ := words.PeriodByKey(l.periods, words.Period30Days)
	l.periodSel.SetSelected(p.Name)
	check("last 30 days", func(s *casebook.Summary) bool { return !s.Received.Before(p.From) && s.Received.Before(p.To) })
	l.clearFilters()

	// The search box, then type: the search is applied as the user types.
	a.FocusSearch() // what Ctrl+F does on the ledger (the shortcut itself: ui.TestShortcuts)
	if w.Canvas().Focused() != l.search {
		t.Fatal("Ctrl+F did not focus the search box")
	}
	test.Type(l.search, "漏水")
	check("search 漏水", func(s *casebook.Summary) bool {
		return strings.Contains(s.Summary, "漏水") || strings.Contains(s.Category, "漏水") || strings.Contains(s.Building, "漏水") ||
			strings.Contains(s.Number, "漏水") || strings.Contains(s.Handler, "漏水") || strings.Contains(s.DispatchedTo, "漏水") ||
			strings.Contains(s.WorkOrder, "漏水")
	})
	if got := l.count.Text; !strings.HasPrefix(got, "显示"+words.FmtInt(len(l.rows))+"件") {
		t.Errorf("count %q", got)
	}
	// A search with no match shows the empty message.
	l.search.SetText("没有这样的诉求")
	if len(l.rows) != 0 || !l.empty.Visible() {
		t.Errorf("no match: %d rows, empty message shown %v", len(l.rows), l.empty.Visible())
	}
	l.search.SetText("")

	// A number finds its case.
	target := all[len(all)/2]
	test.Type(l.search, target.Number)
	if len(l.rows) == 0 || l.rows[0].Number != target.Number {
		t.Errorf("search by number %s found %d rows", target.Number, len(l.rows))
	}
	// A click on a row opens it.
	l.table.Select(widget.TableCellID{Row: 0, Col: colSummary})
	if a.mode != modeCase || a.caseView.c.ID != l.rows[0].ID {
		t.Fatal("a click on a row did not open its case")
	}
	// Back keeps the search.
	a.back()
	if a.mode != modeLedger || l.search.Text != target.Number || len(l.rows) == 0 || l.rows[0].Number != target.Number {
		t.Errorf("after back: mode %v, search %q, %d rows", a.mode, l.search.Text, len(l.rows))
	}
}

// TestLedgerSortAndCells: header taps sort, and the cells show the columns
// with overdue rows tinted.
func TestLedgerSortAndCells(t *testing.T) {
	a, _ := newTestApp(t, words.LangChinese, withDemo(t))
	a.showLedger()
	l := a.ledger
	// Newest first by default.
	for i := 1; i < len(l.rows); i++ {
		if l.rows[i].Received.After(l.rows[i-1].Received) {
			t.Fatal("not newest first")
		}
	}
	l.sortBy(colBuilding)
	for i := 1; i < len(l.rows); i++ {
		if naturalCompare(l.rows[i-1].Building, l.rows[i].Building) > 0 {
			t.Fatalf("buildings out of order: %q before %q", l.rows[i-1].Building, l.rows[i].Building)
		}
	}
	l.sortBy(colBuilding) // again: descending
	if naturalCompare(l.rows[0].Building, l.rows[len(l.rows)-1].Building) < 0 {
		t.Error("second tap did not reverse the order")
	}
	l.sortBy(colDeadline)
	seenNone := false
	for _, s := range l.rows {
		if _, due := s.Next(); due.IsZero() {
			seenNone = true
		} else if seenNone {
			t.Fatal("a case with a deadline sorts after one without")
		}
	}
	// Filters keep the sort.
	l.statusSel.SetSelected(l.statusChoice.Names[1])
	for i := 1; i < len(l.rows); i++ {
		_, a0 := l.rows[i-1].Next()
		_, a1 := l.rows[i].Next()
		if !a0.IsZero() && !a1.IsZero() && a1.Before(a0) {
			t.Fatal("filtering lost the sort")
		}
	}

	// Cells.
	l.clearFilters()
	l.overdueChk.SetChecked(true)
	if len(l.rows) == 0 {
		t.Fatal("no overdue case in the demo data")
	}
	o := l.createCell()
	l.updateCell(widget.TableCellID{Row: 0, Col: colDeadline}, o)
	cellText := o.(*fyne.Container).Objects[1].(*canvas.Text)
	cellBg := o.(*fyne.Container).Objects[0].(*canvas.Rectangle)
	if cellText.Color != l.danger || cellText.Text == "" {
		t.Errorf("overdue deadline cell %q colour %v", cellText.Text, cellText.Color)
	}
	if cellBg.FillColor != l.tint {
		t.Error("an overdue row is not tinted")
	}
	l.updateCell(widget.TableCellID{Row: 0, Col: colStatus}, o)
	if cellText.Text != words.StatusName(l.rows[0].Status) {
		t.Errorf("status cell %q", cellText.Text)
	}
	// Long text is cut to the column with an ellipsis.
	long := strings.Repeat("漏水", 100)
	if got := l.fit(long, colSummary); !strings.HasSuffix(got, "…") || len(got) >= len(long) || !l.glyphs.fits(got, l.widths[colSummary]-3*theme.Padding()) {
		t.Errorf("fit: %q", got)
	}
	if got := l.fit("短", colSummary); got != "短" {
		t.Errorf("fit short: %q", got)
	}
	// Header buttons sort.
	h := l.table.CreateHeader()
	l.table.UpdateHeader(widget.TableCellID{Row: -1, Col: colCategory}, h)
	btn := h.(*widget.Button)
	if btn.Text != "分类" {
		t.Errorf("header %q", btn.Text)
	}
	test.Tap(btn)
	if l.sortCol != colCategory || l.sortDesc {
		t.Errorf("tapping the header: sort %d desc %v", l.sortCol, l.sortDesc)
	}
	if !slices.IsSortedFunc(l.rows, func(x, y *casebook.Summary) int { return strings.Compare(x.Category, y.Category) }) {
		t.Error("not sorted by category")
	}
}

// TestLedgerSeesChanges: a case added elsewhere appears after Refresh.
func TestLedgerSeesChanges(t *testing.T) {
	a, _ := newTestApp(t, words.LangChinese, nil)
	a.showLedger()
	if len(a.ledger.rows) != 0 || !a.ledger.empty.Visible() {
		t.Fatal("an empty casebook shows rows")
	}
	addCase(t, a.Book, casebook.CaseInput{Summary: "电梯故障", Category: "物业管理"})
	a.Refresh()
	if len(a.ledger.rows) != 1 || a.ledger.empty.Visible() {
		t.Errorf("after Refresh: %d rows", len(a.ledger.rows))
	}
}

func TestNaturalCompare(t *testing.T) {
	in := []string{"10号楼", "2号楼", "", "北区1栋", "1号楼", "2号楼"}
	slices.SortFunc(in, naturalCompare)
	want := []string{"1号楼", "2号楼", "2号楼", "10号楼", "", "北区1栋"}
	if !slices.Equal(in, want) {
		t.Errorf("got %q, want %q", in, want)
	}
}

func TestFmtDeadline(t *testing.T) {
	day := casebook.Date{Year: 2026, Month: 3, Day: 5}.Time() // 00:00 of the 5th: the end of the 4th
	if got := words.FmtDeadline(day); got != "2026-03-04" {
		t.Errorf("day limit: %q", got)
	}
	if got := words.FmtDeadline(day.Add(14*time.Hour + 30*time.Minute)); got != "2026-03-05 14:30" {
		t.Errorf("hour limit: %q", got)
	}
	if words.FmtInt(100000) != "100,000" || words.FmtInt(-1234) != "-1,234" || words.FmtInt(12) != "12" {
		t.Error("fmtInt")
	}
}
