package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
)

// AppID is the application's unique ID; Fyne keys preferences and storage on
// it. It matches FyneApp.toml.
const AppID = "org.casebook.app"

// DefaultWindowSize is the size of the main window on first start; later
// starts reuse the size it had when it was last closed.
var DefaultWindowSize = fyne.NewSize(1200, 800)

// minRememberedSize guards against restoring a window too small to use.
var minRememberedSize = fyne.NewSize(640, 480)

// App preferences that remember the main window's size.
const (
	prefWindowWidth  = "ui.window.width"
	prefWindowHeight = "ui.window.height"
)

// Options configure Run.
type Options struct {
	// DBPath is the casebook file the window works on. Run does not open
	// it; the shell shows it so the user knows which casebook is open.
	DBPath string
	// Language is the UI language: "zh-Hans", "en" or an alias accepted by
	// NormalizeLanguage. Empty means the language the user chose last (kept
	// in the app preferences), else DefaultLanguage (Simplified Chinese),
	// whatever the operating system's locale.
	Language string
	// Theme is ThemeLight ("light"), ThemeDark ("dark") or ThemeSystem ("",
	// follow the operating system).
	Theme string
}

// Validate reports whether the options' language and theme are supported,
// so that a caller can reject bad flags before any window opens.
func (o Options) Validate() error {
	if _, err := NormalizeLanguage(o.Language); err != nil {
		return err
	}
	if _, err := NewTheme(o.Theme); err != nil {
		return err
	}
	return nil
}

// Run creates the Fyne application (ID AppID), applies the theme and the
// language from opts, shows the main window with the Shell, and blocks until
// the window is closed. It returns an error, before opening anything, if
// opts are invalid.
func Run(opts Options) error {
	if err := opts.Validate(); err != nil {
		return err
	}
	th, _ := NewTheme(opts.Theme)
	asked, _ := NormalizeLanguage(opts.Language)
	quietCLocale(asked)

	a := app.NewWithID(AppID)
	a.SetIcon(iconResource)
	a.Settings().SetTheme(th)
	if err := SetLanguage(languageFor(a, opts.Language)); err != nil {
		return fmt.Errorf("ui: %w", err)
	}

	w := a.NewWindow("")
	w.SetIcon(iconResource)
	NewShell(a, w, opts)
	w.Resize(rememberedWindowSize(a))
	w.SetMaster()
	w.SetCloseIntercept(func() {
		rememberWindowSize(a, w)
		w.Close()
	})
	w.ShowAndRun()
	return nil
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
