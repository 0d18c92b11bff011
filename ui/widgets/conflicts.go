package widgets

import (
	"casebook/ui/guard"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// Conflicts: concurrent edits of one value on two devices, shown for the
// secretary to settle. Cases and disputes list them in the same box; what
// differs is how a value is named and how the chosen one is written.

// ConflictRow is one conflict as the box lists it.
type ConflictRow struct {
	Field, Shown, Other string // in words, for the secretary
	Keep, Use           func() // write the value shown, the other value
	// stuck, if set, says why the conflict cannot be settled now; it is
	// shown instead of the buttons, so that none offers a write the domain
	// would refuse.
	Stuck string
}

// ConflictsBox lists conflicts, each with its two values and the buttons
// that settle it.
func ConflictsBox(rows []ConflictRow) *fyne.Container {
	box := container.NewVBox(Heading(lang.X("conflict.title", "Edited on two devices at once")),
		Note(lang.X("conflict.note", "These fields were changed on two devices without either seeing the other's change. The value shown now won for the time being; choose the one to keep.")))
	for _, r := range rows {
		line := widget.NewLabel(r.Field + lang.X("fmt.colon", ": ") +
			lang.X("conflict.values", "shown “{{.Shown}}”, other device “{{.Other}}”",
				map[string]any{"Shown": r.Shown, "Other": r.Other}))
		line.Wrapping = fyne.TextWrapWord
		if r.Stuck != "" {
			box.Add(container.NewVBox(line, Note(r.Stuck)))
			continue
		}
		keep := widget.NewButton(lang.X("conflict.keep", "Keep shown"), guard.Func(r.Keep))
		other := widget.NewButton(lang.X("conflict.other", "Use other"), guard.Func(r.Use))
		box.Add(container.NewBorder(nil, nil, nil, container.NewHBox(keep, other), line))
	}
	box.Add(widget.NewSeparator())
	return box
}
