package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/guard"
	"casebook/ui/screen"
	"casebook/ui/setup"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// AppID is the application's unique ID; Fyne keys preferences and storage on
// it. It matches FyneApp.toml.
const AppID = "org.casebook.app"

// DefaultWindowSize is the size of the main window on first start; later
// starts reuse the size it had when it was last closed. It fits the usual
// government PC's 1366×768 screen with its taskbar (about 40 pixels) and
// the window's title bar (about 30); the layout holds down to 1024×640.
var DefaultWindowSize = fyne.NewSize(1280, 680)

// minRememberedSize guards against restoring a window too small to use.
var minRememberedSize = fyne.NewSize(640, 480)

// App preferences that remember the main window's size and the casebook
// last opened.
const (
	prefWindowWidth  = "ui.window.width"
	prefWindowHeight = "ui.window.height"
	prefLastCasebook = "ui.casebook.last"
)

// Environment variables that choose the first screen, for screenshots and
// demonstrations (they are not part of the user interface):
//
//	CASEBOOK_START_SECTION  today, appeals, disputes, dispute (the newest open dispute's
//	                        workspace), metrics, sync, settings, new (the new-appeal form) or
//	                        overdue (the ledger filtered to overdue appeals)
//	CASEBOOK_START_DISPUTE  a dispute id or exact title whose workspace to open, resolved or not
//	CASEBOOK_START_CASE     a case number or id to open, or "overdue" for the most overdue case
//	CASEBOOK_START_STEP     a step (casebook.Action code: evaluate, whistle, extend_decided …)
//	                        whose dialog to open on that case, if it offers the step
const (
	envProbe        = "CASEBOOK_UI_PROBE" // see probe.go (built with -tags probe only)
	envStartSection = "CASEBOOK_START_SECTION"
	envStartDispute = "CASEBOOK_START_DISPUTE"
	envStartCase    = "CASEBOOK_START_CASE"
	envStartStep    = "CASEBOOK_START_STEP"
)

// startProbe is set by probe.go in a build with -tags probe (the
// real-window test); nil in the product.
var startProbe func(w fyne.Window, path string)

// Options configure Run.
type Options struct {
	// DBPath is the casebook file to open. If it does not exist, the window
	// offers to create it (first start); if it cannot be opened, it says
	// why and offers to open another file; it never overwrites one. If it
	// is the default path (DefaultDBPath) and another casebook was opened
	// last time, that one is opened instead.
	DBPath string
	// Language is the UI language: "zh-Hans", "en" or an alias accepted by
	// NormalizeLanguage. Empty means the language the user chose last (kept
	// in the app preferences), else DefaultLanguage (Simplified Chinese),
	// whatever the operating system's locale.
	Language string
	// Theme is ThemeLight ("light"), ThemeDark ("dark") or ThemeSystem (""):
	// empty means the theme chosen last in Settings, else the system's.
	Theme string
	// Version is the build's version, shown in the About dialog (the
	// command passes cmd/internal/version's); empty shows "dev".
	Version string
	// Demo marks the open casebook as the demo (set by the session): the
	// window says it is an example.
	Demo bool
	// Now is the clock of the screens (deadlines, "today", this month);
	// nil means time.Now. Tests pin it.
	Now func() time.Time
}

// Validate reports whether the options' language and theme are supported,
// so that a caller can reject bad flags before any window opens.
func (o Options) Validate() error {
	if _, err := words.NormalizeLanguage(o.Language); err != nil {
		return err
	}
	if _, err := widgets.NewTheme(o.Theme); err != nil {
		return err
	}
	return nil
}

// DefaultDBPath is where the casebook lives when no file is named: the
// user's configuration folder (as cmd/casebook's default), or "" if the
// system has none.
func DefaultDBPath() string {
	dir, err := os.UserConfigDir()
	if err != nil || dir == "" {
		return ""
	}
	return filepath.Join(dir, "casebook", "casebook.db")
}

// Run creates the Fyne application (ID AppID), applies the theme and the
// language from opts, shows the main window on the casebook at opts.DBPath
// (see Options), and blocks until the window is closed. It returns an
// error, before opening anything, if opts are invalid.
func Run(opts Options) error {
	if err := opts.Validate(); err != nil {
		return err
	}
	asked, _ := words.NormalizeLanguage(opts.Language)
	words.QuietCLocale(asked)

	a := app.NewWithID(AppID)
	a.SetIcon(widgets.IconResource())
	mode := opts.Theme
	if mode == widgets.ThemeSystem {
		if saved := a.Preferences().String(widgets.PrefTheme); saved != "" {
			if _, err := widgets.NewTheme(saved); err == nil {
				mode = saved
			}
		}
	}
	th, _ := widgets.NewTheme(mode)
	a.Settings().SetTheme(th)
	if err := words.SetLanguage(words.LanguageFor(a, opts.Language)); err != nil {
		return fmt.Errorf("ui: %w", err)
	}

	w := a.NewWindow("")
	w.SetIcon(widgets.IconResource())
	reportPanics(w)
	s := newSession(a, w, opts)
	s.open(s.resolvePath(opts.DBPath))
	w.Resize(rememberedWindowSize(a))
	w.SetMaster()
	s.quit = func() {
		rememberWindowSize(a, w)
		s.closeBook()
		w.Close()
	}
	w.SetCloseIntercept(guard.Func(s.quit))
	// However the app stops (the window closed, Quit in the menu), the
	// casebook is closed: its lock is released and nothing is left open.
	a.Lifecycle().SetOnStopped(guard.Func(s.closeBook))
	if p := os.Getenv(envProbe); p != "" && startProbe != nil {
		startProbe(w, p)
	}
	w.ShowAndRun()
	return nil
}

// session is the main window over its life: the screens shown before a
// casebook is open (opening, first start, an error) and the App once it is,
// and the switch to another file.
type session struct {
	fy   fyne.App
	win  fyne.Window
	opts Options
	path string
	book *store.Book
	app  *App

	// quit closes the window as its close button does.
	quit func()

	// sync makes opening synchronous, for tests; the window opens the file
	// in the background so that it paints at once.
	sync bool
	// onDemo, if set, is called when a demo casebook is ready or failed.
	onDemo func(error)
}

func newSession(a fyne.App, w fyne.Window, opts Options) *session {
	return &session{fy: a, win: w, opts: opts}
}

// resolvePath applies "remember the last casebook": the default path
// stands for "my casebook", which is the one opened last if it still
// exists. An explicitly named file is always used as given.
func (s *session) resolvePath(p string) string {
	if p != "" && p == DefaultDBPath() {
		if last := s.fy.Preferences().String(prefLastCasebook); last != "" && last != p {
			if fi, err := os.Stat(last); err == nil && fi.Mode().IsRegular() {
				return last
			}
		}
	}
	return p
}

// open shows the casebook at path: the first-start screen if there is no
// file, else the file opened in the background, then the App or an error.
func (s *session) open(path string) {
	s.closeBook()
	s.path = path
	s.win.SetMainMenu(nil)
	if path == "" {
		s.showOpenError(path, errNoPath)
		return
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		setup.ShowFirstStart(s.win, path, setup.Opener{Start: s.start, Open: s.open, ChooseOther: s.chooseOther, OnDemo: s.onDemo})
		return
	}
	if s.sync {
		bo, err := store.OpenBolt(path)
		s.opened(path, bo, err)
		return
	}
	s.showBusy(path)
	guard.Go(func() {
		bo, err := store.OpenBolt(path)
		fyne.Do(guard.Func(func() { s.opened(path, bo, err) }))
	})
}

// errNoPath stands for "no casebook file named and no folder to keep one".
var errNoPath = errors.New("no casebook file and no configuration folder")

// opened continues open once the file is open (or not).
func (s *session) opened(path string, bo *store.Bolt, err error) {
	if err != nil {
		s.showOpenError(path, err)
		return
	}
	set, _ := bo.Settings()
	book, err := store.NewBook(bo, set.Term.Secretary, nil)
	if err != nil {
		_ = bo.Close()
		s.showOpenError(path, err)
		return
	}
	s.start(path, book)
}

// start shows the App on an open book.
func (s *session) start(path string, book *store.Book) {
	s.book = book
	opts := s.opts
	opts.DBPath = path
	opts.Demo = setup.IsDemo(path, book.Settings())
	s.app = NewApp(s.fy, s.win, book, opts)
	s.app.openOther = s.chooseOther
	s.app.newOther = s.chooseNew
	s.app.quit = s.quit
	s.app.installShortcuts()
	s.fy.Preferences().SetString(prefLastCasebook, path)
	applyStartEnv(s.app)
	s.app.NotifyOverdue()
}

// closeBook closes the open casebook, if any.
func (s *session) closeBook() {
	if s.app != nil {
		s.app.Close()
	}
	if s.book != nil {
		_ = s.book.Close()
		s.book, s.app = nil, nil
	}
}

// applyStartEnv shows the screen named by CASEBOOK_START_SECTION,
// CASEBOOK_START_DISPUTE and CASEBOOK_START_CASE, if set.
func applyStartEnv(a *App) {
	switch sec := strings.ToLower(strings.TrimSpace(os.Getenv(envStartSection))); sec {
	case "ledger":
		a.Show(screen.Appeals)
	case "overdue":
		a.ShowLedger(screen.LedgerFilter{Overdue: true})
	case "dispute": // the workspace of the newest open dispute
		if ds, err := a.book.ListDisputes(a.now()); err == nil {
			for _, d := range ds {
				if d.Status.Open() {
					a.OpenDispute(d.ID)
					break
				}
			}
		}
	case "new":
		a.NewAppeal()
	default:
		if sectionOf(screen.Section(sec)) != nil {
			a.Show(screen.Section(sec))
		}
	}
	if ref := strings.TrimSpace(os.Getenv(envStartDispute)); ref != "" {
		if d, err := a.book.Dispute(ref); err == nil {
			a.OpenDispute(d.ID)
		}
	}
	ref := strings.TrimSpace(os.Getenv(envStartCase))
	if ref == "" {
		return
	}
	if ref == "overdue" {
		now := a.now()
		var worst *casebook.Summary
		var worstDue time.Time
		a.book.Store().Index().Range(func(s *casebook.Summary) bool {
			if s.Overdue(now) {
				if _, due := s.Next(); worst == nil || due.Before(worstDue) {
					worst, worstDue = s, due
				}
			}
			return true
		})
		if worst != nil {
			a.OpenCase(worst.ID)
		}
		return
	}
	if c, err := a.book.Case(ref); err == nil {
		a.OpenCase(c.ID)
		if st := strings.TrimSpace(os.Getenv(envStartStep)); st != "" {
			a.appeals.OpenStep(casebook.Action(st))
		}
	}
}

// rememberedWindowSize returns the main window size saved in the app's
// preferences, or DefaultWindowSize.
func rememberedWindowSize(a fyne.App) fyne.Size {
	p := a.Preferences()
	s := fyne.NewSize(
		float32(p.FloatWithFallback(prefWindowWidth, float64(DefaultWindowSize.Width))),
		float32(p.FloatWithFallback(prefWindowHeight, float64(DefaultWindowSize.Height))),
	)
	if s.Width < minRememberedSize.Width || s.Height < minRememberedSize.Height {
		return DefaultWindowSize
	}
	return s
}

// rememberWindowSize saves w's current size in the app's preferences.
func rememberWindowSize(a fyne.App, w fyne.Window) {
	s := w.Canvas().Size()
	if s.Width < minRememberedSize.Width || s.Height < minRememberedSize.Height {
		return
	}
	p := a.Preferences()
	p.SetFloat(prefWindowWidth, float64(s.Width))
	p.SetFloat(prefWindowHeight, float64(s.Height))
}
