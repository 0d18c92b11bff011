package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"

	"casebook/ui/guard"
	"casebook/ui/screen"
)

// Keyboard shortcuts. They are on the window's menu as well as on its
// canvas: a focused entry takes every key combination for itself, and Fyne
// gives the main menu's shortcuts first go, so Ctrl+N works while the cursor
// is in the search box; the canvas shortcuts serve headless tests, which
// have no menu bar. The menu also makes them discoverable.
//
//	Ctrl+N      new appeal
//	Ctrl+F      search the ledger
//	Ctrl+1..6   the sections, in navigation order
//	Ctrl+Q      quit (as closing the window)
//	Escape      back from a case or the form (when nothing has the focus)

var sectionKeys = []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6}

func shortcut(k fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

// installShortcuts (re)builds the menu in the current language and binds
// the shortcuts.
func (a *App) installShortcuts() {
	c := a.win.Canvas()
	bind := func(sc *desktop.CustomShortcut, fn func()) *fyne.MenuItem {
		c.RemoveShortcut(sc)
		c.AddShortcut(sc, guard.Func1(func(fyne.Shortcut) { fn() }))
		return &fyne.MenuItem{Shortcut: sc, Action: guard.Func(fn)}
	}
	newItem := bind(shortcut(fyne.KeyN), a.NewAppeal)
	newItem.Label = lang.X("menu.new", "New appeal")
	findItem := bind(shortcut(fyne.KeyF), a.FocusSearch)
	findItem.Label = lang.X("menu.find", "Search appeals")
	book := []*fyne.MenuItem{newItem, findItem}
	if a.newOther != nil {
		book = append(book, fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem(lang.X("menu.new_casebook", "New casebook…"), guard.Func(a.newOther)))
	}
	if a.openOther != nil {
		if a.newOther == nil {
			book = append(book, fyne.NewMenuItemSeparator())
		}
		book = append(book, fyne.NewMenuItem(lang.X("menu.open_other", "Open another casebook…"), guard.Func(a.openOther)))
	}
	book = append(book, fyne.NewMenuItemSeparator(), fyne.NewMenuItem(lang.X("menu.about", "About Casebook"), guard.Func(a.showAbout)))
	// Quit (Ctrl+Q) does what closing the window does: the window's size
	// is remembered and the casebook closed. Marked IsQuit, it replaces
	// the Quit item Fyne would add.
	quitItem := bind(shortcut(fyne.KeyQ), a.Quit)
	quitItem.Label = lang.X("menu.quit", "Quit")
	quitItem.IsQuit = true
	book = append(book, fyne.NewMenuItemSeparator(), quitItem)
	var view []*fyne.MenuItem
	for i, sec := range Sections() {
		it := bind(shortcut(sectionKeys[i]), func() { a.ShowSection(sec) })
		it.Label = SectionTitle(sec)
		view = append(view, it)
	}
	a.win.SetMainMenu(fyne.NewMainMenu(
		fyne.NewMenu(lang.X("menu.casebook", "Casebook"), book...),
		fyne.NewMenu(lang.X("menu.view", "View"), view...),
	))
	c.SetOnTypedKey(guard.Func1(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape && a.shell.Selected() == screen.Appeals {
			a.appeals.Escape()
		}
	}))
}
