package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/ui/guard"
)

// Undo
//
// The timeline of a case is append-only (DOMAIN.md, DESIGN.md): a loop step
// cannot be unmade, only followed by another (reopen, a correcting note), so
// the app asks before the irreversible ones and says so. What can be undone
// is a change of values: case fields and settings. After such a change the
// snackbar at the bottom of the window offers "Undo" for a few seconds,
// which writes the old values back (a new operation, so it syncs like any
// other edit). Typing in a form is undone with Ctrl+Z in the entry itself.

// undoFor is how long the snackbar offers to undo a change (tests set 0:
// until hidden, so that no timer outlives a test).
var undoFor = 10 * time.Second

// snackbar is a one-line message at the bottom of the window with an
// optional action button, hidden when idle.
type snackbar struct {
	bar    *fyne.Container
	bg     *canvas.Rectangle
	msg    *widget.Label
	action *widget.Button
	seq    int
	do     func()
}

func newSnackbar() *snackbar {
	s := &snackbar{}
	s.msg = widget.NewLabel("")
	s.msg.Truncation = fyne.TextTruncateEllipsis
	s.action = widget.NewButton("", guard.Func(func() {
		do := s.do
		s.hide()
		if do != nil {
			do()
		}
	}))
	s.action.Importance = widget.HighImportance
	closeBtn := widget.NewButtonWithIcon("", theme.CancelIcon(), guard.Func(s.hide))
	closeBtn.Importance = widget.LowImportance
	s.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	row := container.NewBorder(nil, nil, nil, container.NewHBox(s.action, closeBtn), s.msg)
	s.bar = container.NewStack(s.bg, container.NewPadded(row))
	s.bar.Hide()
	return s
}

// show displays msg, with a button labelled actionLabel running action
// (none if action is nil), for d (0: until hidden).
func (s *snackbar) show(msg, actionLabel string, action func(), d time.Duration) {
	s.seq++
	seq := s.seq
	s.msg.SetText(msg)
	s.do = action
	if action != nil {
		s.action.SetText(actionLabel)
		s.action.Show()
	} else {
		s.action.Hide()
	}
	s.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	s.bg.Refresh()
	s.bar.Show()
	s.bar.Refresh()
	if d > 0 {
		time.AfterFunc(d, func() {
			fyne.Do(guard.Func(func() {
				if s.seq == seq {
					s.hide()
				}
			}))
		})
	}
}

// showUndo offers to undo a change just made.
func (s *snackbar) showUndo(msg string, undo func()) {
	s.show(msg, lang.X("undo.button", "Undo"), undo, undoFor)
}

// showInfo shows a message that needs no action.
func (s *snackbar) showInfo(msg string) { s.show(msg, "", nil, undoFor) }

func (s *snackbar) hide() {
	s.seq++
	s.do = nil
	s.bar.Hide()
}

// visible reports whether the bar is on show (for tests).
func (s *snackbar) visible() bool { return s.bar.Visible() }

// spacer is a flexible space in a box.
func spacer() fyne.CanvasObject { return layout.NewSpacer() }
