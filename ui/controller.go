package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/guard"
)

// App is the main window at work on one open casebook: the Shell with the
// screens plugged in (Today, the appeals ledger with its form and case view,
// Metrics, Settings), the keyboard shortcuts, and the undo bar.
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

	snack *snackbar

	// gen counts changes to the casebook made or seen by this window; views
	// that cache data compare it to know when to re-read.
	gen uint64

	ledger *ledger

	// The appeals section shows the ledger, the new-appeal form or one case.
	mode      appealsMode
	caseID    string
	backTo    Section // where "back" from a case goes
	form      *caseForm
	caseView  *caseView
	lastShown Section // the section last built, to tell navigation from a rebuild

	today         *todayView
	metrics       *metricsView
	metricsPeriod string // the period chosen on the metrics screen
	settings      *settingsView

	exportForm *exportForm
	importFlow *importFlow
	importDone func() // called when an import's dry run or real run finished (tests)

	sync     syncState
	syncView *syncView

	disputes     *disputesView
	dispute      *disputeView // the workspace on show, if any
	showResolved bool         // the disputes list shows resolved ones too
	// disputeID is the dispute on show in the disputes section ("" for the list).
	disputeID string

	// openOther, when set (by Run), closes this casebook and opens another
	// file; nil in tests, where the menu item is then hidden.
	openOther func()
}

type appealsMode int

const (
	modeLedger appealsMode = iota
	modeForm
	modeCase
)

// NewApp builds the window's content for book in w: the shell with every
// screen, the menu and shortcuts. It shows SectionToday, and starts the
// background sync if a hub is saved (Close stops it). fy may be a test app.
func NewApp(fy fyne.App, w fyne.Window, book *store.Book, opts Options) *App {
	a := &App{fy: fy, win: w, book: book, opts: opts, now: opts.Now, lastShown: -1}
	if a.now == nil {
		a.now = time.Now
	}
	reportPanics(w)
	a.shell = NewShell(fy, w, opts)
	a.snack = newSnackbar()
	w.SetContent(container.NewBorder(nil, a.snack.bar, nil, nil, a.shell.Content()))
	a.ledger = newLedger(a)

	a.shell.SetSectionContent(SectionToday, a.buildToday)
	a.shell.SetSectionContent(SectionAppeals, a.buildAppeals)
	a.shell.SetSectionContent(SectionMetrics, a.buildMetrics)
	a.shell.SetSectionContent(SectionSettings, a.buildSettings)
	a.shell.SetSectionContent(SectionSync, a.buildSync)
	a.shell.SetSectionContent(SectionDisputes, a.buildDisputes)
	a.installShortcuts()
	a.startBackgroundSync()
	return a
}

// Shell is the navigation frame, for plugging in further sections.
func (a *App) Shell() *Shell { return a.shell }

// Book is the casebook service the window works on.
func (a *App) Book() *store.Book { return a.book }

// Window is the main window.
func (a *App) Window() fyne.Window { return a.win }

// Refresh re-reads the casebook after a change made elsewhere (sync, an
// import, another engineer's screen) and rebuilds the screen on show.
func (a *App) Refresh() {
	a.changed()
	a.rebuild()
}

// changed notes that the casebook changed, so cached lists re-read it.
func (a *App) changed() { a.gen++ }

// rebuild rebuilds the content of the section on show.
func (a *App) rebuild() {
	if sec := a.shell.Selected(); sec.valid() {
		a.shell.SetSectionContent(sec, a.builderFor(sec))
	}
}

func (a *App) builderFor(sec Section) func() fyne.CanvasObject {
	switch sec {
	case SectionToday:
		return a.buildToday
	case SectionAppeals:
		return a.buildAppeals
	case SectionMetrics:
		return a.buildMetrics
	case SectionSettings:
		return a.buildSettings
	case SectionSync:
		return a.buildSync
	case SectionDisputes:
		return a.buildDisputes
	}
	return a.shell.builders[sec]
}

// Close stops the app's background work (the periodic sync); the window's
// owner calls it before closing the casebook.
func (a *App) Close() { a.stopBackgroundSync() }

// ShowSection shows sec. Going to the appeals section from elsewhere shows
// the ledger (or an unsaved new-appeal form), like a click in the navigation.
func (a *App) ShowSection(sec Section) {
	a.shell.Select(sec)
}

// showAppeals shows the appeals section in the mode just set, rebuilding it
// if it is already on show.
func (a *App) showAppeals() {
	a.lastShown = SectionAppeals // a deliberate move: keep the mode
	if a.shell.Selected() == SectionAppeals {
		a.shell.SetSectionContent(SectionAppeals, a.buildAppeals)
		return
	}
	a.shell.Select(SectionAppeals)
}

// OpenCase shows one case (by id) in the appeals section; "back" returns to
// the section it was opened from.
func (a *App) OpenCase(id string) {
	if a.shell.Selected() != SectionAppeals {
		a.backTo = a.shell.Selected()
	} else if a.mode == modeLedger {
		a.backTo = SectionAppeals
	}
	a.mode, a.caseID = modeCase, id
	a.showAppeals()
}

// NewAppeal shows the form for a new appeal (Ctrl+N), keeping one already
// being filled in.
func (a *App) NewAppeal() {
	if a.shell.Selected() != SectionAppeals {
		a.backTo = a.shell.Selected()
	} else {
		a.backTo = SectionAppeals
	}
	a.mode = modeForm
	a.showAppeals()
	if a.form != nil {
		a.form.focusFirst()
	}
}

// ShowLedger shows the appeals ledger.
func (a *App) ShowLedger() {
	a.mode = modeLedger
	a.showAppeals()
}

// FocusSearch shows the ledger and puts the cursor in its search box
// (Ctrl+F).
func (a *App) FocusSearch() {
	if a.mode != modeLedger || a.shell.Selected() != SectionAppeals {
		a.ShowLedger()
	}
	a.ledger.focusSearch()
}

// back leaves a case view or the form for where the user came from.
func (a *App) back() {
	a.mode = modeLedger
	a.caseView = nil
	if a.backTo.valid() && a.backTo != SectionAppeals {
		sec := a.backTo
		a.backTo = -1
		a.shell.Select(sec)
		return
	}
	a.showAppeals()
}

// buildAppeals builds the appeals section's content for the current mode.
func (a *App) buildAppeals() fyne.CanvasObject {
	if a.lastShown != SectionAppeals {
		// Arrived by the navigation: show the ledger, unless a new appeal
		// is half filled in, which must not be lost by looking elsewhere.
		if a.mode == modeCase || (a.mode == modeForm && (a.form == nil || !a.form.dirty())) {
			a.mode = modeLedger
		}
	}
	a.lastShown = SectionAppeals
	switch a.mode {
	case modeForm:
		if a.form == nil {
			a.form = newCaseForm(a)
		}
		return a.form.content
	case modeCase:
		a.caseView = newCaseView(a, a.caseID)
		return a.caseView.content
	}
	return a.ledger.content()
}

// SetLanguage switches the interface language, remembers it, and rebuilds
// every screen in it.
func (a *App) SetLanguage(code string) error {
	a.ledger.dropView()
	if a.form != nil && !a.form.dirty() {
		a.form = nil
	}
	if err := a.shell.SetLanguage(code); err != nil {
		return err
	}
	a.installShortcuts() // the menu's labels
	return nil
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
			lang.X("notify.overdue.body", "{{.N}} appeals are past their deadline.", map[string]any{"N": fmtInt(n)}),
		))
	}
	return n
}

// settingsNow is the casebook's current settings.
func (a *App) settingsNow() casebook.Settings { return a.book.Settings() }

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
