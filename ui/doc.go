// Package ui is Casebook's Fyne desktop user interface: the application
// window (Run), the navigation shell that later screens plug into (Shell),
// the theme that renders Chinese with an embedded font (Theme), and the
// translations (SetLanguage).
//
// Every user-visible string goes through fyne.io/fyne/v2/lang (lang.X with a
// message ID and the English text as fallback); the catalogues live in
// assets/translations, one JSON file per language with the same IDs.
// Simplified Chinese is the default whatever the operating system's locale;
// English is the second language. See i18n.go for how the language is
// chosen, since Fyne 2.7 has no public API for it.
//
// Nothing in this package opens the casebook file: callers pass its path in
// Options and wire the screens to the store themselves.
package ui
