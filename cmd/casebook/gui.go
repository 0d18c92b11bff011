package main

import (
	"casebook/cmd/internal/version"
	"casebook/ui"
)

// The desktop app. It is the only part of the command that needs cgo and
// Fyne; the subcommands work without a screen.
func init() {
	checkUI = func(lang, theme string) error {
		return ui.Options{Language: lang, Theme: theme}.Validate()
	}
	runGUI = func(db, lang, theme string) error {
		return ui.Run(ui.Options{DBPath: db, Language: lang, Theme: theme, Version: version.String()})
	}
}
