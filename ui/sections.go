package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"casebook/ui/screen"
)

// section is one entry of the navigation: its stable ID, its name in the
// current language, its icon, and how the App builds it (arrived says the
// user came by the navigation rather than a rebuild in place). The table is
// the only list of sections: the navigation, the View menu, Ctrl+1..6 and
// the start-up environment variables all read it, so a new section is one
// new row.
type section struct {
	id    screen.Section
	title func() string
	icon  func() fyne.Resource
	build func(a *App, arrived bool) fyne.CanvasObject
}

// sectionTable lists the sections in display order.
var sectionTable = []section{
	{screen.Today, func() string { return lang.X("nav.today", "Today") }, theme.CalendarIcon,
		func(a *App, _ bool) fyne.CanvasObject { return a.appeals.BuildToday() }},
	{screen.Appeals, func() string { return lang.X("nav.appeals", "Appeals") }, theme.DocumentIcon,
		func(a *App, arrived bool) fyne.CanvasObject { return a.appeals.Build(arrived) }},
	{screen.Disputes, func() string { return lang.X("nav.disputes", "Disputes") }, theme.AccountIcon,
		func(a *App, arrived bool) fyne.CanvasObject { return a.disputes.Build(arrived) }},
	{screen.Metrics, func() string { return lang.X("nav.metrics", "Metrics") }, theme.GridIcon,
		func(a *App, _ bool) fyne.CanvasObject { return a.metrics.Build() }},
	{screen.Sync, func() string { return lang.X("nav.sync", "Sync") }, theme.ViewRefreshIcon,
		func(a *App, _ bool) fyne.CanvasObject { return a.sync.Build() }},
	{screen.Settings, func() string { return lang.X("nav.settings", "Settings") }, theme.SettingsIcon,
		func(a *App, _ bool) fyne.CanvasObject { return a.settings.Build() }},
}

// Sections returns the sections' IDs in display order.
func Sections() []screen.Section {
	out := make([]screen.Section, len(sectionTable))
	for i, s := range sectionTable {
		out[i] = s.id
	}
	return out
}

// sectionOf returns the table's row for id, or nil.
func sectionOf(id screen.Section) *section {
	for i := range sectionTable {
		if sectionTable[i].id == id {
			return &sectionTable[i]
		}
	}
	return nil
}

// SectionTitle returns a section's name in the current language, or "" for
// an unknown section.
func SectionTitle(id screen.Section) string {
	if s := sectionOf(id); s != nil {
		return s.title()
	}
	return ""
}

// SectionIcon returns a section's icon from the current theme, or nil.
func SectionIcon(id screen.Section) fyne.Resource {
	if s := sectionOf(id); s != nil {
		return s.icon()
	}
	return nil
}
