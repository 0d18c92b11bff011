// Package ui is Casebook's Fyne desktop user interface: the application
// window (Run), the casebook session (opening, first start, an error), and
// App, which puts the screens in the navigation shell (Shell) and moves
// between them.
//
// The user interface is split by what each part serves:
//
//	ui/            Run, the session, App (implements screen.Nav), the Shell,
//	               the table of sections (sections.go), menus and shortcuts
//	ui/screen      Env: what a screen gets (book, window, clock, Notify, Nav)
//	ui/appeals     Today, the ledger, the new-appeal form, the case view,
//	               Excel export and 12345 import
//	ui/disputes    the disputes list and a dispute's workspace
//	ui/metrics     统计
//	ui/setup       Settings and the first-start screen
//	ui/hubsync     the sync page and the background sync
//	ui/widgets     leaf widgets: pick-lists, form helpers, charts, the
//	               snackbar, the conflicts box, the theme
//	ui/words       leaf texts: languages (SetLanguage), names of codes,
//	               formats, translated error texts
//	ui/guard       the net under every callback handed to Fyne
//
// The leaf packages never touch the app or a screen; a screen gets a
// *screen.Env and never the App. A new section is one row in sections.go.
//
// Every user-visible string goes through fyne.io/fyne/v2/lang (lang.X with a
// message ID and the English text as fallback); the catalogues live in
// assets/translations, one JSON file per language with the same IDs.
// Simplified Chinese is the default whatever the operating system's locale;
// English is the second language (see words/i18n.go).
//
// Run opens the casebook file named in Options (creating it on first start,
// never overwriting one it cannot open); App works on a *store.Book and
// nothing else, so tests drive it headlessly on store.NewMemory().
package ui
