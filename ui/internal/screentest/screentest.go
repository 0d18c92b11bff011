// Package screentest builds a screen's test window: an in-memory casebook
// with a small community's settings, a test app and window in a language
// and theme, and a screen.Env whose Nav and Notify are recorded, so that a
// screen package tests itself alone (it cannot import ui, which imports
// it). Each Nav call is logged and handed to the hook the test set, if
// any; Show builds the section with the builder the test registered.
package screentest

import (
	"strconv"
	"testing"
	"time"

	"fyne.io/fyne/v2/container"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/internal/uitest"
	"casebook/ui/screen"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// Settings is the profile of the small casebooks the UI tests build: a
// community of 20 buildings, a term that began 90 days before now.
func Settings(now time.Time) casebook.Settings {
	s := casebook.DefaultSettings()
	s.Community = casebook.Community{Name: "测试社区", Households: 800}
	for i := 1; i <= 20; i++ {
		s.Community.Buildings = append(s.Community.Buildings, strconv.Itoa(i)+"号楼")
	}
	r := func(f float64) *float64 { return &f }
	s.Term = casebook.Term{Secretary: "王明", Start: casebook.DateOf(now).AddDays(-90), End: casebook.DateOf(now).AddDays(200),
		Baseline: casebook.Rates{Response: r(0.8), Resolution: r(0.6), Satisfaction: r(0.7)}}
	return s
}

// Harness is a test window with screens on a recorded navigation.
type Harness struct {
	t    testing.TB
	App  fyne.App
	Win  fyne.Window
	Book *store.Book
	Env  *screen.Env
	Gen  uint64

	// Current is the section on show; Log lists every Nav call ("case ID",
	// "new", "ledger", "dispute ID", "back", "show SECTION", "rebuild").
	Current screen.Section
	Log     []string
	// Infos are the messages shown with Notify (Info, Undo and Busy);
	// LastUndo is the undo function of the last Undo.
	Infos    []string
	LastUndo func()
	// Snack is the snackbar the messages are shown in, as in the app.
	Snack *widgets.Snackbar

	builders map[screen.Section]func(arrived bool) fyne.CanvasObject

	// Hooks for the Nav calls that move between screens of the package
	// under test; nil ones only log.
	OnOpenCase    func(id string)
	OnNewAppeal   func()
	OnShowLedger  func(f screen.LedgerFilter)
	OnOpenDispute func(id string)
	OnBack        func()
}

// Options choose the harness's app, language and theme.
type Options struct {
	Language string // words.LangChinese (default) or LangEnglish
	Dark     bool
	Strict   bool // uitest.NewStrictApp: canvases found only for objects in the window
	Size     fyne.Size
	Now      func() time.Time
}

// New builds the harness; fill, if set, adds content to the book first.
func New(t testing.TB, o Options, fill func(*store.Book)) *Harness {
	t.Helper()
	uitest.SetTestLocale(t)
	var fa fyne.App
	if o.Strict {
		fa = uitest.NewStrictApp(t)
	} else {
		fa = test.NewTempApp(t)
	}
	mode := widgets.ThemeLight
	if o.Dark {
		mode = widgets.ThemeDark
	}
	th, _ := widgets.NewTheme(mode)
	fa.Settings().SetTheme(th)
	if o.Language == "" {
		o.Language = words.LangChinese
	}
	if err := words.SetLanguage(o.Language); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = words.SetLanguage(words.DefaultLanguage) })
	book, err := store.NewBook(store.NewMemory(), "王明", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := book.UpdateSettings(Settings(time.Now())); err != nil {
		t.Fatal(err)
	}
	if fill != nil {
		fill(book)
	}
	if o.Size.IsZero() {
		o.Size = fyne.NewSize(1200, 800)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(o.Size)
	h := &Harness{t: t, App: fa, Win: w, Book: book, builders: map[screen.Section]func(bool) fyne.CanvasObject{}, Snack: widgets.NewSnackbar()}
	h.Env = &screen.Env{Book: book, Win: w, Now: o.Now, Notify: notify{h}, Nav: nav{h},
		Changed: func() { h.Gen++ }, Gen: func() uint64 { return h.Gen }}
	return h
}

// Section registers how a section is built.
func (h *Harness) Section(id screen.Section, build func(arrived bool) fyne.CanvasObject) {
	h.builders[id] = build
}

// Show builds a section into the window, as the navigation does.
func (h *Harness) Show(id screen.Section) {
	arrived := h.Current != id
	h.Current = id
	h.build(arrived)
}

// Rebuild builds the section on show again, in place.
func (h *Harness) Rebuild() { h.build(false) }

func (h *Harness) build(arrived bool) {
	if b := h.builders[h.Current]; b != nil {
		h.Win.SetContent(container.NewBorder(nil, h.Snack.Bar, nil, nil, b(arrived)))
	}
}

// Last is the last Nav call logged, or "".
func (h *Harness) Last() string {
	if len(h.Log) == 0 {
		return ""
	}
	return h.Log[len(h.Log)-1]
}

type nav struct{ h *Harness }

func (n nav) log(s string) { n.h.Log = append(n.h.Log, s) }

func (n nav) Show(s screen.Section) { n.log("show " + string(s)); n.h.Show(s) }
func (n nav) OpenCase(id string) {
	n.log("case " + id)
	if n.h.OnOpenCase != nil {
		n.h.OnOpenCase(id)
	}
}
func (n nav) NewAppeal() {
	n.log("new")
	if n.h.OnNewAppeal != nil {
		n.h.OnNewAppeal()
	}
}
func (n nav) ShowLedger(f screen.LedgerFilter) {
	n.log("ledger")
	if n.h.OnShowLedger != nil {
		n.h.OnShowLedger(f)
	}
}
func (n nav) OpenDispute(id string) {
	n.log("dispute " + id)
	if n.h.OnOpenDispute != nil {
		n.h.OnOpenDispute(id)
	}
}
func (n nav) Back() {
	n.log("back")
	if n.h.OnBack != nil {
		n.h.OnBack()
	}
}
func (n nav) Rebuild() { n.log("rebuild"); n.h.Rebuild() }
func (n nav) Refresh() { n.log("refresh"); n.h.Gen++; n.h.Rebuild() }

type notify struct{ h *Harness }

func (n notify) Info(msg string) { n.h.Infos = append(n.h.Infos, msg); n.h.Snack.ShowInfo(msg) }
func (n notify) Undo(msg string, undo func()) {
	n.h.Infos = append(n.h.Infos, msg)
	n.h.LastUndo = undo
	n.h.Snack.ShowUndo(msg, undo)
}
func (n notify) Busy(msg string) { n.h.Infos = append(n.h.Infos, msg); n.h.Snack.Show(msg, "", nil, 0) }
func (n notify) Clear()          { n.h.Snack.Hide() }

// LastInfo is the last message shown, or "".
func (h *Harness) LastInfo() string {
	if len(h.Infos) == 0 {
		return ""
	}
	return h.Infos[len(h.Infos)-1]
}

// AddCase records an appeal directly in the book (not through a form), with
// walk-in and complaint as the default channel and type.
func AddCase(t testing.TB, b *store.Book, in casebook.CaseInput) *casebook.Case {
	t.Helper()
	if in.Channel == "" {
		in.Channel = string(casebook.ChannelWalkIn)
	}
	if in.Type == "" {
		in.Type = string(casebook.TypeComplaint)
	}
	c, err := b.AddCase(in)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
