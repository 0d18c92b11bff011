package ui

import (
	"casebook/ui/guard"
	"casebook/ui/screen"
	"casebook/ui/widgets"
	"casebook/ui/words"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// showBusy says the file is being opened.
func (s *session) showBusy(path string) {
	s.win.SetTitle(lang.X("app.title", "Casebook"))
	msg := widget.NewLabel(lang.X("open.busy", "Opening {{.Path}}…", map[string]any{"Path": path}))
	msg.Alignment = fyne.TextAlignCenter
	s.win.SetContent(container.NewCenter(container.NewVBox(widget.NewProgressBarInfinite(), msg)))
}

// showOpenError explains why path could not be opened and offers the ways
// on. The file is never touched.
func (s *session) showOpenError(path string, err error) {
	s.win.SetTitle(lang.X("app.title", "Casebook"))
	s.win.SetMainMenu(nil)
	title := widget.NewLabelWithStyle(lang.X("open.failed", "The casebook cannot be opened"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	msg := widget.NewLabel(words.ErrorMessage(err))
	if errors.Is(err, errNoPath) {
		msg.SetText(lang.X("open.no_path", "There is no folder to keep a casebook in. Open a casebook file or make a new one elsewhere."))
	}
	msg.Wrapping = fyne.TextWrapWord
	msg.Importance = widget.DangerImportance
	file := widget.NewLabel(lang.X("shell.file", "Casebook file: {{.Path}}", map[string]any{"Path": path}))
	file.Wrapping = fyne.TextWrapBreak
	detail := widgets.Note(lang.X("open.detail", "Details: {{.Detail}}", map[string]any{"Detail": words.ErrorDetail(err)}))
	retry := widget.NewButtonWithIcon(lang.X("open.retry", "Try again"), theme.ViewRefreshIcon(), guard.Func(func() { s.open(path) }))
	other := widget.NewButtonWithIcon(lang.X("open.other", "Open another casebook file…"), theme.FolderOpenIcon(), guard.Func(s.chooseOther))
	other.Importance = widget.HighImportance
	create := widget.NewButtonWithIcon(lang.X("open.new", "Make a new casebook elsewhere…"), theme.ContentAddIcon(), guard.Func(s.chooseNew))
	quit := widget.NewButton(lang.X("open.quit", "Quit"), guard.Func(func() { s.fy.Quit() }))
	buttons := container.NewHBox(other, create)
	if path != "" {
		buttons.Objects = append([]fyne.CanvasObject{retry}, buttons.Objects...)
	}
	buttons.Add(quit)
	body := container.NewVBox(title, msg, file, detail, widget.NewSeparator(), buttons)
	s.win.SetContent(container.NewPadded(container.NewVBox(body)))
}

// chooseOther lets the user pick another casebook file and opens it.
func (s *session) chooseOther() {
	d := dialog.NewFileOpen(guard.Func2(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		p := r.URI().Path()
		_ = r.Close()
		if p != "" && p != s.path {
			s.open(p)
		}
	}), s.win)
	d.Show()
}

// chooseNew lets the user pick a folder for a new casebook, named so that
// it does not replace anything there. (Fyne's save dialog truncates an
// existing file once the user agrees to replace it, before the program
// sees the name, so it is not used for casebooks.)
func (s *session) chooseNew() {
	d := dialog.NewFolderOpen(guard.Func2(func(dir fyne.ListableURI, err error) {
		if err != nil || dir == nil {
			return
		}
		s.open(screen.FreeName(dir.Path(), "casebook", ".db"))
	}), s.win)
	d.Show()
}
