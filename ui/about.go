package ui

import (
	"casebook/ui/widgets"
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// aboutText is what the About dialog says: the product, the version the
// release stamped (Options.Version; "dev" for an unstamped build), the
// platform and the casebook file, so that a secretary on the phone with
// support can read both out, and knows which file to back up.
func (a *App) aboutText() string {
	v := a.opts.Version
	if v == "" {
		v = "dev"
	}
	return lang.X("about.product", "Casebook — the governance secretary's ledger") + "\n" +
		lang.X("about.version", "Version {{.Version}} ({{.Platform}})", map[string]any{
			"Version": v, "Platform": runtime.GOOS + "/" + runtime.GOARCH,
		}) + "\n\n" +
		lang.X("about.file", "Casebook file: {{.Path}}", map[string]any{"Path": a.opts.DBPath}) + "\n" +
		lang.X("about.offline", "Works with no network; the casebook stays on this computer unless you sync it to the district hub.")
}

// showAbout opens the About dialog.
func (a *App) showAbout() {
	text := widget.NewLabel(a.aboutText())
	text.Wrapping = fyne.TextWrapWord
	icon := widget.NewIcon(widgets.IconResource())
	content := container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(64, 64), icon), nil, text)
	d := dialog.NewCustom(lang.X("about.title", "About Casebook"), lang.X("about.close", "Close"), content, a.win)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
}
