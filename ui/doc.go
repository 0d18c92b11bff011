// Package ui is Casebook's Fyne desktop user interface: the application
// window (Run), the navigation shell that screens plug into (Shell), the
// screens themselves on one open casebook (App: Today, the appeals ledger,
// the new-appeal form, the case view, Metrics, Settings), the first-start
// and error screens, the theme that renders Chinese with an embedded font
// (Theme), and the translations (SetLanguage).
//
// Every user-visible string goes through fyne.io/fyne/v2/lang (lang.X with a
// message ID and the English text as fallback); the catalogues live in
// assets/translations, one JSON file per language with the same IDs.
// Simplified Chinese is the default whatever the operating system's locale;
// English is the second language. See i18n.go for how the language is
// chosen, since Fyne 2.7 has no public API for it.
//
// Run opens the casebook file named in Options (creating it on first start,
// never overwriting one it cannot open); App works on a *store.Book and
// nothing else, so tests drive it headlessly on store.NewMemory().
package ui
