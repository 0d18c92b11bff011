package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/ui/guard"
	"casebook/ui/screen"
	"casebook/ui/words"
)

// Shell is the main window's frame: a navigation list of the Sections on
// the left and, on the right, the selected section's title, a line naming
// the open casebook file, and the section's content.
//
// Screens are plugged in with SetSectionContent; until then a section shows
// a placeholder. The shell is built from plain widgets, so it can be driven
// headlessly with fyne.io/fyne/v2/test.
type Shell struct {
	app  fyne.App
	win  fyne.Window
	opts Options

	nav      *widget.List
	title    *widget.Label
	fileLine *widget.Label
	body     *fyne.Container
	root     fyne.CanvasObject

	builders map[screen.Section]func() fyne.CanvasObject
	current  screen.Section
}

// NewShell builds the shell for opts, makes it w's content, sets w's title
// and selects SectionToday. It neither opens the casebook nor shows the
// window; a may be nil, in which case the language choice is not saved.
func NewShell(a fyne.App, w fyne.Window, opts Options) *Shell {
	s := &Shell{
		app:      a,
		win:      w,
		opts:     opts,
		builders: map[screen.Section]func() fyne.CanvasObject{},
	}

	s.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.title.SizeName = theme.SizeNameHeadingText
	s.fileLine = widget.NewLabel("")
	s.fileLine.Truncation = fyne.TextTruncateEllipsis
	s.body = container.NewStack()

	sections := Sections()
	s.nav = widget.NewList(
		func() int { return len(sections) },
		func() fyne.CanvasObject {
			// A border, not an HBox, so the label takes the row's width
			// whatever text it is later given.
			return container.NewBorder(nil, nil, widget.NewIcon(theme.DocumentIcon()), nil, widget.NewLabel(""))
		},
		guard.Func2(func(id widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Label).SetText(SectionTitle(sections[id]))
			row.Objects[1].(*widget.Icon).SetResource(SectionIcon(sections[id]))
		}),
	)
	s.nav.OnSelected = guard.Func1(func(id widget.ListItemID) {
		if id >= 0 && id < len(sections) {
			s.show(sections[id])
		}
	})

	header := container.NewVBox(s.title, s.fileLine, widget.NewSeparator())
	content := container.New(&shellLayout{file: s.fileLine}, header, s.body)
	split := container.NewHSplit(s.nav, container.NewPadded(content))
	split.SetOffset(0.18)
	s.root = split

	w.SetContent(s.root)
	s.relabel()
	s.Select(screen.Today)
	return s
}

// Content returns the shell's root object, the window's content.
func (s *Shell) Content() fyne.CanvasObject { return s.root }

// Window returns the window the shell fills, for dialogs.
func (s *Shell) Window() fyne.Window { return s.win }

// Options returns the options the shell was built with.
func (s *Shell) Options() Options { return s.opts }

// Selected returns the section on show ("" before any).
func (s *Shell) Selected() screen.Section { return s.current }

// Select shows sec and highlights it in the navigation.
func (s *Shell) Select(sec screen.Section) {
	i := slices.Index(Sections(), sec)
	if i < 0 {
		return
	}
	s.nav.Select(i) // calls show through OnSelected, unless already selected
	if s.current != sec {
		s.show(sec)
	}
}

// SetSectionContent sets the content of sec: build is called each time the
// section is shown and after a change of language, so that it can read
// fresh data and translations. A nil build restores the placeholder. If sec
// is on show, its content is rebuilt at once.
func (s *Shell) SetSectionContent(sec screen.Section, build func() fyne.CanvasObject) {
	if sectionOf(sec) == nil {
		return
	}
	if build == nil {
		delete(s.builders, sec)
	} else {
		s.builders[sec] = build
	}
	if s.current == sec {
		s.show(sec)
	}
}

// SetLanguage switches the user interface to code (see SetLanguage, the
// package function), remembers the choice in the app's preferences, and
// redraws the shell, including the current section's content, in it.
func (s *Shell) SetLanguage(code string) error {
	if err := words.SetLanguage(code); err != nil {
		return err
	}
	if s.app != nil {
		s.app.Preferences().SetString(words.PrefLanguage, words.Language())
	}
	s.Refresh()
	return nil
}

// Refresh re-reads every translated string of the shell and rebuilds the
// current section's content.
func (s *Shell) Refresh() {
	s.relabel()
	s.nav.Refresh()
	if s.current != "" {
		s.show(s.current)
	}
}

// Rebuild builds the section on show again.
func (s *Shell) Rebuild() {
	if s.current != "" {
		s.show(s.current)
	}
}

// relabel sets the window title and the file line in the current language.
func (s *Shell) relabel() {
	s.win.SetTitle(lang.X("app.title", "Casebook"))
	switch {
	case s.opts.DBPath == "":
		s.fileLine.SetText(lang.X("shell.nofile", "No casebook file is open"))
	case s.opts.Demo:
		// The demo says so wherever it is: in the title bar, and in the
		// line where the casebook file is named, with the way to a real one.
		s.win.SetTitle(lang.X("app.title.demo", "Casebook — DEMO (fictional data)"))
		s.fileLine.SetText(lang.X("shell.file.demo", "DEMO casebook, fictional data: {{.Path}}. Make your own with Casebook › New casebook.", map[string]any{"Path": s.opts.DBPath}))
		s.fileLine.Importance = widget.WarningImportance
	default:
		s.fileLine.SetText(lang.X("shell.file", "Casebook file: {{.Path}}", map[string]any{"Path": s.opts.DBPath}))
	}
}

// show makes sec the current section and builds its content.
func (s *Shell) show(sec screen.Section) {
	s.current = sec
	s.title.SetText(SectionTitle(sec))
	var obj fyne.CanvasObject
	if build := s.builders[sec]; build != nil {
		obj = build()
	}
	if obj == nil {
		obj = widget.NewLabel(lang.X("shell.placeholder", "This screen is not built yet."))
	}
	s.body.Objects = []fyne.CanvasObject{obj}
	s.body.Refresh()
}

// shellLayout puts the section's header above its body, and in a small
// window (narrower than 900 or lower than 560 pixels for the section) drops
// the line naming the casebook file, which Settings and About also show,
// so that the screen keeps the height for its work.
type shellLayout struct{ file *widget.Label }

func (l *shellLayout) small(size fyne.Size) bool { return size.Width < 900 || size.Height < 560 }

func (l *shellLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if l.small(size) {
		l.file.Hide()
	} else if l.file.Text != "" {
		l.file.Show()
	}
	header, body := objs[0], objs[1]
	h := header.MinSize().Height
	header.Move(fyne.NewPos(0, 0))
	header.Resize(fyne.NewSize(size.Width, h))
	body.Move(fyne.NewPos(0, h))
	body.Resize(fyne.NewSize(size.Width, size.Height-h))
}

func (l *shellLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(max(h.Width, b.Width), h.Height+b.Height)
}
