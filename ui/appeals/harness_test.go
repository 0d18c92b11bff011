package appeals

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook/store"
	"casebook/ui/internal/screentest"
	"casebook/ui/internal/uitest"
	"casebook/ui/screen"
	"casebook/ui/words"
)

// testApp is the appeals section and Today in a test harness whose
// navigation moves as the App's does between them (ui cannot be imported
// here: it imports this package).
type testApp struct {
	*Section
	h      *screentest.Harness
	backTo screen.Section
}

// newTestApp builds the section on an in-memory casebook in a test window
// and shows Today; fill, if set, adds content to the book first.
func newTestApp(t *testing.T, language string, fill func(*store.Book)) (*testApp, fyne.Window) {
	t.Helper()
	return newTestAppWith(t, screentest.Options{Language: language}, fill)
}

func newTestAppWith(t *testing.T, o screentest.Options, fill func(*store.Book)) (*testApp, fyne.Window) {
	t.Helper()
	h := screentest.New(t, o, fill)
	a := &testApp{Section: New(h.Env), h: h}
	h.Section(screen.Today, func(bool) fyne.CanvasObject { return a.BuildToday() })
	h.Section(screen.Appeals, a.Build)
	h.OnOpenCase = a.OpenCase
	h.OnNewAppeal = a.NewAppeal
	h.OnShowLedger = func(f screen.LedgerFilter) { a.ShowLedger(&f); a.showAppeals() }
	h.OnBack = a.back
	h.Show(screen.Today)
	return a, h.Win
}

// ShowSection shows a section as the navigation does.
func (a *testApp) ShowSection(sec screen.Section) { a.h.Show(sec) }

// showAppeals shows the section in the mode just set.
func (a *testApp) showAppeals() {
	if a.h.Current == screen.Appeals {
		a.h.Rebuild()
		return
	}
	a.h.Current = screen.Appeals
	a.h.Rebuild()
}

func (a *testApp) OpenCase(id string) {
	if a.h.Current != screen.Appeals {
		a.backTo = a.h.Current
	} else if a.OnLedger() {
		a.backTo = screen.Appeals
	}
	a.ShowCase(id)
	a.showAppeals()
}

func (a *testApp) NewAppeal() {
	a.backTo = a.h.Current
	a.ShowForm()
	a.showAppeals()
	a.FocusForm()
}

func (a *testApp) showLedger() {
	a.ShowLedger(nil)
	a.showAppeals()
}

func (a *testApp) back() {
	a.Left()
	if a.backTo != "" && a.backTo != screen.Appeals {
		sec := a.backTo
		a.backTo = ""
		a.h.Show(sec)
		return
	}
	a.showAppeals()
}

// Refresh is a change made elsewhere.
func (a *testApp) Refresh() { a.Changed(); a.h.Rebuild() }

// visibleErr is uitest.VisibleErr.
var visibleErr = uitest.VisibleErr

var addCase = screentest.AddCase

var _ = words.LangChinese

// findButton is uitest.FindButton.
func findButton(t *testing.T, root fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	return uitest.FindButton(t, root, text)
}
