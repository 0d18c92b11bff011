package widgets

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

// UndoFor is how long the snackbar offers to undo a change (tests set 0:
// until hidden, so that no timer outlives a test).
var UndoFor = 10 * time.Second

// Snackbar is a one-line message at the bottom of the window with an
// optional action button, hidden when idle.
type Snackbar struct {
	Bar    *fyne.Container
	bg     *canvas.Rectangle
	Msg    *widget.Label
	Action *widget.Button
	seq    int
	do     func()
}

func NewSnackbar() *Snackbar {
	s := &Snackbar{}
	s.Msg = widget.NewLabel("")
	s.Msg.Truncation = fyne.TextTruncateEllipsis
	s.Action = widget.NewButton("", guard.Func(func() {
		do := s.do
		s.Hide()
		if do != nil {
			do()
		}
	}))
	s.Action.Importance = widget.HighImportance
	closeBtn := widget.NewButtonWithIcon("", theme.CancelIcon(), guard.Func(s.Hide))
	closeBtn.Importance = widget.LowImportance
	s.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	row := container.NewBorder(nil, nil, nil, container.NewHBox(s.Action, closeBtn), s.Msg)
	s.Bar = container.NewStack(s.bg, container.NewPadded(row))
	s.Bar.Hide()
	return s
}

// Show displays msg, with a button labelled actionLabel running action
// (none if action is nil), for d (0: until hidden).
func (s *Snackbar) Show(msg, actionLabel string, action func(), d time.Duration) {
	s.seq++
	seq := s.seq
	s.Msg.SetText(msg)
	s.do = action
	if action != nil {
		s.Action.SetText(actionLabel)
		s.Action.Show()
	} else {
		s.Action.Hide()
	}
	s.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	s.bg.Refresh()
	s.Bar.Show()
	s.Bar.Refresh()
	if d > 0 {
		time.AfterFunc(d, func() {
			fyne.Do(guard.Func(func() {
				if s.seq == seq {
					s.Hide()
				}
			}))
		})
	}
}

// ShowUndo offers to undo a change just made.
func (s *Snackbar) ShowUndo(msg string, undo func()) {
	s.Show(msg, lang.X("undo.button", "Undo"), undo, UndoFor)
}

// ShowInfo shows a message that needs no action.
func (s *Snackbar) ShowInfo(msg string) { s.Show(msg, "", nil, UndoFor) }

func (s *Snackbar) Hide() {
	s.seq++
	s.do = nil
	s.Bar.Hide()
}

// Visible reports whether the bar is on show (for tests).
func (s *Snackbar) Visible() bool { return s.Bar.Visible() }

// Spacer is a flexible space in a box.
func Spacer() fyne.CanvasObject { return layout.NewSpacer() }
