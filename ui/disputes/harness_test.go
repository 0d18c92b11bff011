package disputes

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook/store"
	"casebook/ui/internal/screentest"
	"casebook/ui/internal/uitest"
	"casebook/ui/screen"
)

// testApp is the disputes section in a test harness whose navigation
// opens disputes as the App does (ui cannot be imported here).
type testApp struct {
	*Section
	h *screentest.Harness
}

// newTestApp builds the section on an in-memory casebook in a test window;
// fill, if set, adds content to the book first.
func newTestApp(t *testing.T, language string, fill func(*store.Book)) (*testApp, fyne.Window) {
	t.Helper()
	h := screentest.New(t, screentest.Options{Language: language}, fill)
	a := &testApp{Section: New(h.Env), h: h}
	h.Section(screen.Disputes, a.Build)
	h.OnOpenDispute = a.OpenDispute
	return a, h.Win
}

// ShowSection shows a section as the navigation does.
func (a *testApp) ShowSection(sec screen.Section) { a.h.Show(sec) }

// OpenDispute shows a dispute's workspace ("" the list), as the App does.
func (a *testApp) OpenDispute(id string) {
	a.Open(id)
	if a.h.Current == screen.Disputes {
		a.h.Rebuild()
		return
	}
	a.h.Current = screen.Disputes
	a.h.Rebuild()
}

// visibleErr is uitest.VisibleErr.
var visibleErr = uitest.VisibleErr

var addCase = screentest.AddCase

var labelTexts = uitest.LabelTexts

// findButton is uitest.FindButton.
func findButton(t *testing.T, root fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	return uitest.FindButton(t, root, text)
}
