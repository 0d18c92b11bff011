package ui

import (
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/internal/screentest"
	"casebook/ui/internal/uitest"
	"casebook/ui/screen"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// newTestApp builds the App headlessly on an in-memory casebook, in a test
// app with Casebook's light theme and the given language. fill, if set,
// adds content to the book first. The screens' clock is the real one
// (Book and demo data use it too), so tests compare against figures they
// read from the book rather than fixed numbers.
func newTestApp(t *testing.T, language string, fill func(*store.Book)) (*App, fyne.Window) {
	t.Helper()
	setTestLocale(t)
	return newTestAppOn(t, test.NewTempApp(t), language, fill)
}

// newStrictTestApp is newTestApp on uitest.NewStrictApp: an object's canvas
// is found only if the object is in the window, as on the desktop.
func newStrictTestApp(t *testing.T, language string, fill func(*store.Book)) (*App, fyne.Window) {
	t.Helper()
	setTestLocale(t)
	return newTestAppOn(t, uitest.NewStrictApp(t), language, fill)
}

func newTestAppOn(t *testing.T, fa fyne.App, language string, fill func(*store.Book)) (*App, fyne.Window) {
	t.Helper()
	th, err := widgets.NewTheme(widgets.ThemeLight)
	if err != nil {
		t.Fatal(err)
	}
	fa.Settings().SetTheme(th)
	if err := words.SetLanguage(language); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = words.SetLanguage(words.DefaultLanguage) })
	book, err := store.NewBook(store.NewMemory(), "王明", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := book.UpdateSettings(screentest.Settings(time.Now())); err != nil {
		t.Fatal(err)
	}
	if fill != nil {
		fill(book)
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1200, 800))
	a := NewApp(fa, w, book, Options{DBPath: testDBPath})
	return a, w
}

// addCase records an appeal directly in the book (not through the form).
func addCase(t *testing.T, b *store.Book, in casebook.CaseInput) *casebook.Case {
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

func shortcutOn(w fyne.Window, k fyne.KeyName) {
	w.Canvas().(fyne.Shortcutable).TypedShortcut(shortcut(k))
}

// visibleErr is uitest.VisibleErr.
var visibleErr = uitest.VisibleErr

// TestShortcuts: Ctrl+1..6 show the sections, Ctrl+F the ledger's search.
func TestShortcuts(t *testing.T) {
	a, w := newTestApp(t, words.LangChinese, nil)
	for i, sec := range Sections() {
		shortcutOn(w, sectionKeys[i])
		if a.shell.Selected() != sec {
			t.Errorf("Ctrl+%d showed %v, want %v", i+1, a.shell.Selected(), sec)
		}
	}
	shortcutOn(w, fyne.KeyF)
	if _, entry := w.Canvas().Focused().(*widget.Entry); a.shell.Selected() != screen.Appeals || !a.appeals.OnLedger() || !entry {
		t.Errorf("Ctrl+F: section %v, on the ledger %v, focus %T", a.shell.Selected(), a.appeals.OnLedger(), w.Canvas().Focused())
	}
	if w.MainMenu() == nil || len(w.MainMenu().Items) != 2 {
		t.Error("no menu with the shortcuts")
	}
}

// TestNotifyOverdue: a notification at start when appeals are overdue, and
// none when nothing is.
func TestNotifyOverdue(t *testing.T) {
	a, w := newTestApp(t, words.LangChinese, nil)
	test.AssertNotificationSent(t, nil, func() { a.NotifyOverdue() })

	old := time.Now().Add(-72 * time.Hour)
	addCase(t, a.book, casebook.CaseInput{Summary: "路灯不亮", Category: "道路设施", Received: old})
	addCase(t, a.book, casebook.CaseInput{Summary: "垃圾未清运", Category: "环境卫生", Received: old})
	a.Refresh()
	test.AssertNotificationSent(t, fyne.NewNotification("诉求超期提醒", "有2件诉求已超过办理期限。"), func() {
		if n := a.NotifyOverdue(); n != 2 {
			t.Errorf("overdue %d, want 2", n)
		}
	})
	// Today's first list is the overdue one: one click on a row opens
	// the case.
	a.ShowSection(screen.Today)
	lists := uitest.All[*widget.List](a.shell.body)
	if len(lists) == 0 || lists[0].Length() != 2 {
		t.Fatalf("Today: %d lists", len(lists))
	}
	lists[0].Select(0)
	if a.shell.Selected() != screen.Appeals || a.appeals.OnLedger() {
		t.Fatal("a click on an overdue row did not open its case")
	}
	// Back returns to Today.
	test.Tap(findButton(t, w.Content(), "返回"))
	if a.shell.Selected() != screen.Today {
		t.Errorf("back went to %v", a.shell.Selected())
	}
}

func findButton(t *testing.T, root fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	return uitest.FindButton(t, root, text)
}

// selectOffering returns the drop-down below root that offers option.
func selectOffering(t *testing.T, root fyne.CanvasObject, option string) *widget.Select {
	t.Helper()
	for _, s := range uitest.All[*widget.Select](root) {
		if slices.Contains(s.Options, option) {
			return s
		}
	}
	t.Fatalf("no drop-down offers %q", option)
	return nil
}

// TestEnglish: the language switch in Settings redraws every screen in
// English and is remembered.
func TestEnglish(t *testing.T) {
	a, w := newTestApp(t, words.LangChinese, func(b *store.Book) {
		addCase(t, b, casebook.CaseInput{Summary: "噪音扰民", Category: "噪音扰民"})
	})
	a.ShowSection(screen.Settings)
	selectOffering(t, w.Content(), "English").SetSelected("English")
	if words.Language() != words.LangEnglish || a.fy.Preferences().String(words.PrefLanguage) != words.LangEnglish {
		t.Fatalf("language %q, preference %q", words.Language(), a.fy.Preferences().String(words.PrefLanguage))
	}
	if a.shell.title.Text != "Settings" || w.MainMenu().Items[1].Label != "View" {
		t.Errorf("title %q, menu %q", a.shell.title.Text, w.MainMenu().Items[1].Label)
	}
	a.showLedgerAsIs()
	if !uitest.Shows(w.Content(), "1 of 1 appeals") {
		t.Error("the ledger does not count in English")
	}
	w.Canvas().Capture() // the table fills its cells as it is drawn
	if !uitest.Shows(w.Content(), "Received") {
		t.Error("the status cell is not in English")
	}
}

// TestThemeSwitch: the theme chosen in Settings applies and is remembered.
func TestThemeSwitch(t *testing.T) {
	a, w := newTestApp(t, words.LangChinese, nil)
	a.ShowSection(screen.Settings)
	selectOffering(t, w.Content(), "深色").SetSelected("深色")
	th, ok := a.fy.Settings().Theme().(*widgets.Theme)
	if !ok || th.Mode() != widgets.ThemeDark || a.fy.Preferences().String(widgets.PrefTheme) != widgets.ThemeDark {
		t.Errorf("after choosing dark: theme %v, preference %q", a.fy.Settings().Theme(), a.fy.Preferences().String(widgets.PrefTheme))
	}
	a.showLedgerAsIs() // the ledger rebuilds with the dark theme's tint
	if len(uitest.All[*widget.Table](w.Content())) != 1 {
		t.Error("no ledger")
	}
}
