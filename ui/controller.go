package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/appeals"
	"casebook/ui/disputes"
	"casebook/ui/guard"
	"casebook/ui/hubsync"
	"casebook/ui/metrics"
	"casebook/ui/screen"
	"casebook/ui/setup"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// App is the main window at work on one open casebook: the Shell with the
// sections plugged in (see the table in sections.go), the keyboard
// shortcuts, and the snackbar. It is the one place that knows every
// screen: the screens get a *screen.Env (the book, the window, the clock,
// Notify and Nav) and App implements Nav, moving between them.
//
// It holds a *store.Book and nothing else of the store, so tests build it on
// store.NewMemory() and demo.Generate, headlessly. Every method must be
// called on the Fyne UI goroutine; background work (sync, a long import)
// hands its result back with fyne.Do and then calls Refresh.
//
// Lists and charts read the book's in-memory index (a snapshot slice of
// summaries), never the file, so a screen with 100,000 cases refreshes by
// filtering one slice, once, not by querying per row.
type App struct {
	fy    fyne.App
	win   fyne.Window
	shell *Shell
	book  *store.Book
	opts  Options
	now   func() time.Time
	env   *screen.Env

	snack   *widgets.Snackbar
	content fyne.CanvasObject // the window's content: the shell over the snackbar

	// gen counts changes to the casebook made or seen by this window; views
	// that cache data compare it to know when to re-read.
	gen uint64

	appeals  *appeals.Section
	disputes *disputes.Section
	metrics  *metrics.Screen
	settings *setup.Settings
	sync     *hubsync.Page

	// backTo is where "back" from a case or the form goes.
	backTo screen.Section
	// lastShown is the section last built, to tell a move by the
	// navigation from a rebuild in place.
	lastShown screen.Section

	// openOther, when set (by Run), closes this casebook and opens another
	// file; nil in tests, where the menu item is then hidden.
	openOther func()
	// newOther, when set (by Run), lets the user make a new casebook
	// elsewhere (台账 › 新建台账).
	newOther func()
	// quit, when set (by Run), closes the window as its close button does;
	// nil in tests, where Quit stops the app.
	quit func()
}

// Quit ends the program as closing the window does (Ctrl+Q).
func (a *App) Quit() {
	if a.quit != nil {
		a.quit()
		return
	}
	a.fy.Quit()
}

// NewApp builds the window's content for book in w: the shell with every
// screen, the menu and shortcuts. It shows the Today section, and starts the
// background sync if a hub is saved (Close stops it). fy may be a test app.
func NewApp(fy fyne.App, w fyne.Window, book *store.Book, opts Options) *App {
	a := &App{fy: fy, win: w, book: book, opts: opts, now: opts.Now}
	if a.now == nil {
		a.now = time.Now
	}
	reportPanics(w)
	a.snack = widgets.NewSnackbar()
	a.env = &screen.Env{Book: book, Win: w, Now: a.now, Notify: snackNotify{a.snack}, Nav: a,
		Changed: a.changed, Gen: func() uint64 { return a.gen }}
	a.appeals = appeals.New(a.env)
	a.disputes = disputes.New(a.env)
	a.metrics = metrics.New(a.env)
	a.settings = setup.New(a.env, settingsHost{a})
	a.sync = hubsync.New(a.env)
	a.shell = NewShell(fy, w, opts)
	for id, build := range a.sectionBuilders() {
		a.shell.SetSectionContent(id, build)
	}
	a.content = container.NewBorder(nil, a.snack.Bar, nil, nil, a.shell.Content())
	w.SetContent(a.content)
	a.installShortcuts()
	a.sync.Start()
	return a
}

// sectionBuilders is each section's builder, from the table of sections.
func (a *App) sectionBuilders() map[screen.Section]func() fyne.CanvasObject {
	out := map[screen.Section]func() fyne.CanvasObject{}
	for _, s := range sectionTable {
		build := s.build
		id := s.id
		out[id] = func() fyne.CanvasObject {
			arrived := a.lastShown != id
			a.lastShown = id
			return build(a, arrived)
		}
	}
	return out
}

// Shell is the navigation frame.
func (a *App) Shell() *Shell { return a.shell }

// Book is the casebook service the window works on.
func (a *App) Book() *store.Book { return a.book }

// Window is the main window.
func (a *App) Window() fyne.Window { return a.win }

// Env is the environment the screens get.
func (a *App) Env() *screen.Env { return a.env }

// Refresh re-reads the casebook after a change made elsewhere (sync, an
// import, another engineer's screen) and rebuilds the screen on show.
func (a *App) Refresh() {
	a.changed()
	a.Rebuild()
}

// changed notes that the casebook changed, so cached lists re-read it.
func (a *App) changed() { a.gen++ }

// Rebuild rebuilds the content of the section on show, in place.
func (a *App) Rebuild() {
	if sec := a.shell.Selected(); sec != "" {
		a.lastShown = sec
		a.shell.Rebuild()
	}
}

// Close stops the app's background work (the periodic sync); the window's
// owner calls it before closing the casebook.
func (a *App) Close() { a.sync.Stop() }

// Show shows a section, like a click in the navigation. Going to the
// appeals section from elsewhere shows the ledger (or an unsaved
// new-appeal form).
func (a *App) Show(sec screen.Section) { a.shell.Select(sec) }

// ShowSection is Show (the name the tests and shortcuts know).
func (a *App) ShowSection(sec screen.Section) { a.Show(sec) }

// showAppeals shows the appeals section in the mode just set, rebuilding it
// if it is already on show.
func (a *App) showAppeals() {
	a.lastShown = screen.Appeals // a deliberate move: keep the mode
	if a.shell.Selected() == screen.Appeals {
		a.shell.Rebuild()
		return
	}
	a.shell.Select(screen.Appeals)
}

// OpenCase shows one case (by id) in the appeals section; "back" returns to
// the section it was opened from.
func (a *App) OpenCase(id string) {
	if a.shell.Selected() != screen.Appeals {
		a.backTo = a.shell.Selected()
	} else if a.appeals.OnLedger() {
		a.backTo = screen.Appeals
	}
	a.appeals.ShowCase(id)
	a.showAppeals()
}

// NewAppeal shows the form for a new appeal (Ctrl+N), keeping one already
// being filled in.
func (a *App) NewAppeal() {
	if a.shell.Selected() != screen.Appeals {
		a.backTo = a.shell.Selected()
	} else {
		a.backTo = screen.Appeals
	}
	a.appeals.ShowForm()
	a.showAppeals()
	a.appeals.FocusForm()
}

// ShowLedger shows the appeals ledger, filtered by f.
func (a *App) ShowLedger(f screen.LedgerFilter) {
	a.appeals.ShowLedger(&f)
	a.showAppeals()
}

// showLedgerAsIs shows the ledger with the filters it has.
func (a *App) showLedgerAsIs() {
	a.appeals.ShowLedger(nil)
	a.showAppeals()
}

// FocusSearch shows the ledger and puts the cursor in its search box
// (Ctrl+F).
func (a *App) FocusSearch() {
	if !a.appeals.OnLedger() || a.shell.Selected() != screen.Appeals {
		a.showLedgerAsIs()
	}
	a.appeals.FocusSearch()
}

// Back leaves a case view or the form for where the user came from.
func (a *App) Back() {
	a.appeals.Left()
	if a.backTo != "" && a.backTo != screen.Appeals {
		sec := a.backTo
		a.backTo = ""
		a.shell.Select(sec)
		return
	}
	a.showAppeals()
}

// OpenDispute shows one dispute's workspace, or the list for "".
func (a *App) OpenDispute(id string) {
	a.disputes.Open(id)
	a.lastShown = screen.Disputes
	if a.shell.Selected() == screen.Disputes {
		a.shell.Rebuild()
		return
	}
	a.shell.Select(screen.Disputes)
}

// SetLanguage switches the interface language, remembers it, and rebuilds
// every screen in it.
func (a *App) SetLanguage(code string) error {
	a.appeals.Relabel()
	if err := a.shell.SetLanguage(code); err != nil {
		return err
	}
	a.installShortcuts() // the menu's labels
	return nil
}

// SetThemeMode switches the theme (widgets.ThemeSystem, ThemeLight or
// ThemeDark) and remembers it on this computer.
func (a *App) SetThemeMode(mode string) {
	th, err := widgets.NewTheme(mode)
	if err != nil {
		return
	}
	a.fy.Settings().SetTheme(th)
	a.fy.Preferences().SetString(widgets.PrefTheme, mode)
	a.appeals.Relabel() // the overdue tint is taken from the theme
}

// overdueCount is the number of open appeals past their next deadline.
func (a *App) overdueCount() int {
	now := a.now()
	n := 0
	a.book.Store().Index().Range(func(s *casebook.Summary) bool {
		if s.Overdue(now) {
			n++
		}
		return true
	})
	return n
}

// NotifyOverdue sends a desktop notification if any appeal is overdue, so
// that a secretary who opens the app in the morning sees it even with the
// window behind others. It returns the number overdue.
func (a *App) NotifyOverdue() int {
	n := a.overdueCount()
	if n > 0 && a.fy != nil {
		a.fy.SendNotification(fyne.NewNotification(
			lang.X("notify.overdue.title", "Overdue appeals"),
			lang.X("notify.overdue.body", "{{.N}} appeals are past their deadline.", map[string]any{"N": words.FmtInt(n)}),
		))
	}
	return n
}

// snackNotify is screen.Notify on the snackbar.
type snackNotify struct{ s *widgets.Snackbar }

func (n snackNotify) Info(msg string)              { n.s.ShowInfo(msg) }
func (n snackNotify) Undo(msg string, undo func()) { n.s.ShowUndo(msg, undo) }
func (n snackNotify) Busy(msg string)              { n.s.Show(msg, "", nil, 0) }
func (n snackNotify) Clear()                       { n.s.Hide() }

// settingsHost is setup.Host on the App.
type settingsHost struct{ a *App }

func (h settingsHost) SetLanguage(code string) error { return h.a.SetLanguage(code) }
func (h settingsHost) SetTheme(mode string)          { h.a.SetThemeMode(mode) }
func (h settingsHost) Path() string                  { return h.a.opts.DBPath }
func (h settingsHost) OpenOther() func()             { return h.a.openOther }
func (h settingsHost) SettingsChanged()              { h.a.appeals.Relabel() }
func (h settingsHost) ThemeMode() string {
	if th, ok := h.a.fy.Settings().Theme().(*widgets.Theme); ok {
		return th.Mode()
	}
	return widgets.ThemeSystem
}

// reportPanics makes the panic net (package guard) tell the user, in w, that
// something went wrong and that what they typed is still there: the net
// catches the panic in the callback, so the screen is left as it was.
func reportPanics(w fyne.Window) {
	guard.OnPanic(func(where string) {
		dialog.ShowInformation(lang.X("panic.title", "Something went wrong"),
			lang.X("panic.body", "This action failed because of an error in Casebook. Nothing you typed was lost: check it and try again, or save what you have. (Error at {{.Where}}; it was written to the log.)",
				map[string]any{"Where": where}), w)
	})
}
