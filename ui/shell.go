package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/ui/guard"
)

// Section is one entry of the shell's navigation.
type Section int

// The sections of the navigation, in display order.
const (
	SectionToday    Section = iota // 今日: what is due today
	SectionAppeals                 // 诉求台账: the appeals register
	SectionDisputes                // 矛盾纠纷: disputes and mediation
	SectionMetrics                 // 统计: the rates and other metrics
	SectionSync                    // 同步: replication with the district hub
	SectionSettings                // 设置: settings
)

// Sections returns all sections in display order.
func Sections() []Section {
	return []Section{SectionToday, SectionAppeals, SectionDisputes, SectionMetrics, SectionSync, SectionSettings}
}

// sectionInfo holds a section's stable ID and its icon.
var sectionInfo = [...]struct {
	id   string
	icon func() fyne.Resource
}{
	SectionToday:    {"today", theme.CalendarIcon},
	SectionAppeals:  {"appeals", theme.DocumentIcon},
	SectionDisputes: {"disputes", theme.AccountIcon},
	SectionMetrics:  {"metrics", theme.GridIcon},
	SectionSync:     {"sync", theme.ViewRefreshIcon},
	SectionSettings: {"settings", theme.SettingsIcon},
}

func (s Section) valid() bool { return s >= 0 && int(s) < len(sectionInfo) }

// String returns the section's stable, untranslated ID ("today",
// "appeals", …), or "" for an unknown section.
func (s Section) String() string {
	if !s.valid() {
		return ""
	}
	return sectionInfo[s].id
}

// Title returns the section's name in the current language, or "" for an
// unknown section.
func (s Section) Title() string {
	switch s {
	case SectionToday:
		return lang.X("nav.today", "Today")
	case SectionAppeals:
		return lang.X("nav.appeals", "Appeals")
	case SectionDisputes:
		return lang.X("nav.disputes", "Disputes")
	case SectionMetrics:
		return lang.X("nav.metrics", "Metrics")
	case SectionSync:
		return lang.X("nav.sync", "Sync")
	case SectionSettings:
		return lang.X("nav.settings", "Settings")
	}
	return ""
}

// Icon returns the section's icon from the current theme.
func (s Section) Icon() fyne.Resource {
	if !s.valid() {
		return nil
	}
	return sectionInfo[s].icon()
}

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

	builders map[Section]func() fyne.CanvasObject
	current  Section
}

// NewShell builds the shell for opts, makes it w's content, sets w's title
// and selects SectionToday. It neither opens the casebook nor shows the
// window; a may be nil, in which case the language choice is not saved.
func NewShell(a fyne.App, w fyne.Window, opts Options) *Shell {
	s := &Shell{
		app:      a,
		win:      w,
		opts:     opts,
		builders: map[Section]func() fyne.CanvasObject{},
		current:  -1,
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
			row.Objects[0].(*widget.Label).SetText(sections[id].Title())
			row.Objects[1].(*widget.Icon).SetResource(sections[id].Icon())
		}),
	)
	s.nav.OnSelected = guard.Func1(func(id widget.ListItemID) {
		if id >= 0 && id < len(sections) {
			s.show(sections[id])
		}
	})

	header := container.NewVBox(s.title, s.fileLine, widget.NewSeparator())
	content := container.NewBorder(header, nil, nil, nil, s.body)
	split := container.NewHSplit(s.nav, container.NewPadded(content))
	split.SetOffset(0.18)
	s.root = split

	w.SetContent(s.root)
	s.relabel()
	s.Select(SectionToday)
	return s
}

// Content returns the shell's root object, the window's content.
func (s *Shell) Content() fyne.CanvasObject { return s.root }

// Window returns the window the shell fills, for dialogs.
func (s *Shell) Window() fyne.Window { return s.win }

// Options returns the options the shell was built with.
func (s *Shell) Options() Options { return s.opts }

// Selected returns the section on show.
func (s *Shell) Selected() Section { return s.current }

// Select shows sec and highlights it in the navigation.
func (s *Shell) Select(sec Section) {
	if !sec.valid() {
		return
	}
	s.nav.Select(int(sec)) // calls show through OnSelected, unless already selected
	if s.current != sec {
		s.show(sec)
	}
}

// SetSectionContent sets the content of sec: build is called each time the
// section is shown and after a change of language, so that it can read
// fresh data and translations. A nil build restores the placeholder. If sec
// is on show, its content is rebuilt at once.
func (s *Shell) SetSectionContent(sec Section, build func() fyne.CanvasObject) {
	if !sec.valid() {
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
	if err := SetLanguage(code); err != nil {
		return err
	}
	if s.app != nil {
		s.app.Preferences().SetString(prefLanguage, Language())
	}
	s.Refresh()
	return nil
}

// Refresh re-reads every translated string of the shell and rebuilds the
// current section's content.
func (s *Shell) Refresh() {
	s.relabel()
	s.nav.Refresh()
	if s.current.valid() {
		s.show(s.current)
	}
}

// relabel sets the window title and the file line in the current language.
func (s *Shell) relabel() {
	s.win.SetTitle(lang.X("app.title", "Casebook"))
	if s.opts.DBPath == "" {
		s.fileLine.SetText(lang.X("shell.nofile", "No casebook file is open"))
	} else {
		s.fileLine.SetText(lang.X("shell.file", "Casebook file: {{.Path}}", map[string]any{"Path": s.opts.DBPath}))
	}
}

// show makes sec the current section and builds its content.
func (s *Shell) show(sec Section) {
	s.current = sec
	s.title.SetText(sec.Title())
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
