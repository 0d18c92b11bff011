package setup

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/casebook/input"
	"casebook/ui/guard"
	"casebook/ui/screen"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// Package setup holds the settings screen and the first-start screen.
//
// Settings (设置): the community and the term, the deadline policy and its
// holidays, the category list, the metric weights, and this computer's
// language and theme. Each group saves on its own (a settings register per
// group, so that two devices editing different groups never clash), shows
// its problems next to the field, and offers to undo the save.

// Host is what the settings screen asks of the application beyond a
// screen's environment: things of this computer rather than the casebook.
type Host interface {
	// SetLanguage switches the interface language and rebuilds every
	// screen in it.
	SetLanguage(code string) error
	// SetTheme switches the theme (widgets.ThemeSystem, ThemeLight or
	// ThemeDark) and remembers it on this computer; ThemeMode is the one
	// in use.
	SetTheme(mode string)
	ThemeMode() string
	// Path is the casebook file.
	Path() string
	// OpenOther, if not nil, closes this casebook and lets the user open
	// another.
	OpenOther() func()
	// SettingsChanged tells the other screens that the settings changed,
	// so that lists built from them (categories, buildings) are built
	// again.
	SettingsChanged()
}

// Settings is the settings section (设置).
type Settings struct {
	*screen.Env
	Host     Host
	settings *settingsView
}

// New makes the settings screen on env and host.
func New(env *screen.Env, host Host) *Settings { return &Settings{Env: env, Host: host} }

type settingsView struct {
	a    *Settings
	errs map[string]*widget.Label
	msgs map[string]*widget.Label // per group, under its save button

	name, street, district, buildings *widget.Entry
	termInputs

	respond, hEmergency, hUtility, hGeneral, hComplex *widget.Entry
	dueSoon, holidays, workdays                       *widget.Entry
	counting                                          *widget.RadioGroup
	countChoice                                       words.Choice[casebook.Counting]

	categories *widget.Entry

	wPartly, wBasic, wResp, wReso, wSat, repeatDays *widget.Entry

	language *widget.Select
	themeSel *widget.Select

	saveCommunity, savePolicy, saveCategories, saveWeights *widget.Button

	rules *rulesView // rules.go
}

// Settings groups, for errors and messages.
const (
	groupCommunity  = "community"
	groupPolicy     = "policy"
	groupCategories = "categories"
	groupWeights    = "weights"
)

// Build builds the screen from the casebook's settings.
func (a *Settings) Build() fyne.CanvasObject {
	v := &settingsView{a: a, errs: map[string]*widget.Label{}, msgs: map[string]*widget.Label{}}
	a.settings = v
	set := a.Settings()
	entry := func(text string) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(text)
		return e
	}
	multi := func(lines []string) *widget.Entry {
		e := widget.NewMultiLineEntry()
		e.SetText(strings.Join(lines, "\n"))
		e.SetMinRowsVisible(4)
		return e
	}
	row := func(key, label string, input fyne.CanvasObject) []fyne.CanvasObject {
		v.errs[key] = widgets.ErrLabel()
		return []fyne.CanvasObject{widgets.FieldLabel(label), widgets.FieldCell(input, v.errs[key])}
	}
	group := func(key string, save *widget.Button, rows ...[]fyne.CanvasObject) fyne.CanvasObject {
		var cells []fyne.CanvasObject
		for _, r := range rows {
			cells = append(cells, r...)
		}
		v.msgs[key] = widgets.ErrLabel()
		save.Importance = widget.HighImportance
		return container.NewVBox(widgets.FormGrid(cells...), v.msgs[key], container.NewHBox(save))
	}

	// Community and term.
	c, t := set.Community, set.Term
	v.name, v.street, v.district = entry(c.Name), entry(c.Street), entry(c.District)
	v.households = entry("")
	if c.Households > 0 {
		v.households.SetText(strconv.Itoa(c.Households))
	}
	v.buildings = multi(c.Buildings)
	v.buildings.SetPlaceHolder(lang.X("settings.buildings.hint", "One per line, e.g. 14号楼"))
	v.secretary = entry(t.Secretary)
	v.termStart, v.termEnd = entry(words.FmtDate(t.Start)), entry(words.FmtDate(t.End))
	v.termStart.SetPlaceHolder("2025-12-01")
	v.termEnd.SetPlaceHolder("2026-10-31")
	v.baseResp, v.baseReso, v.baseSat = entry(words.FmtFraction(t.Baseline.Response)), entry(words.FmtFraction(t.Baseline.Resolution)), entry(words.FmtFraction(t.Baseline.Satisfaction))
	v.saveCommunity = widget.NewButtonWithIcon(lang.X("settings.save", "Save"), theme.DocumentSaveIcon(), guard.Func(v.saveCommunityTerm))
	community := group(groupCommunity, v.saveCommunity,
		row("name", lang.X("settings.community", "Community"), v.name),
		row("street", lang.X("settings.street", "Street office"), v.street),
		row("district", lang.X("settings.district", "District"), v.district),
		row("households", lang.X("settings.households", "Households"), v.households),
		row("buildings", lang.X("settings.buildings", "Buildings"), v.buildings),
		row("secretary", lang.X("settings.secretary", "Governance secretary"), v.secretary),
		row("term_start", lang.X("settings.term_start", "Term starts"), v.termStart),
		row("term_end", lang.X("settings.term_end", "Term ends"), v.termEnd),
		row("base_response", lang.X("settings.base_response", "Baseline response rate (%)"), v.baseResp),
		row("base_resolution", lang.X("settings.base_resolution", "Baseline resolution rate (%)"), v.baseReso),
		row("base_satisfaction", lang.X("settings.base_satisfaction", "Baseline satisfaction rate (%)"), v.baseSat),
	)

	// Deadline policy.
	p := set.Policy
	v.respond = entry(p.Respond.String())
	v.hEmergency = entry(p.HandleLimit(casebook.UrgencyEmergency).String())
	v.hUtility = entry(p.HandleLimit(casebook.UrgencyUtility).String())
	v.hGeneral = entry(p.HandleLimit(casebook.UrgencyGeneral).String())
	v.hComplex = entry(p.HandleLimit(casebook.UrgencyComplex).String())
	v.countChoice = words.Choice[casebook.Counting]{
		Codes: []casebook.Counting{casebook.CountCalendar, casebook.CountWorking},
		Names: []string{lang.X("settings.calendar_days", "Calendar days"), lang.X("settings.working_days", "Working days (skip weekends and holidays)")},
	}
	v.counting = widget.NewRadioGroup(v.countChoice.Names, nil)
	v.counting.Horizontal = true
	cnt := p.Counting
	if cnt == "" {
		cnt = casebook.CountCalendar
	}
	v.counting.SetSelected(v.countChoice.Names[max(0, v.countChoice.Index(cnt))])
	v.dueSoon = entry(strconv.FormatFloat(p.DueSoon.Hours(), 'f', -1, 64))
	v.holidays = multi(dateLines(p.Calendar.Holidays))
	v.workdays = multi(dateLines(p.Calendar.Workdays))
	v.savePolicy = widget.NewButtonWithIcon(lang.X("settings.save", "Save"), theme.DocumentSaveIcon(), guard.Func(v.savePolicyGroup))
	policy := group(groupPolicy, v.savePolicy,
		row("respond", lang.X("settings.respond", "Respond within"), v.respond),
		row("h_emergency", lang.X("settings.h_emergency", "Handle emergencies within"), v.hEmergency),
		row("h_utility", lang.X("settings.h_utility", "Handle water/power/gas/heating within"), v.hUtility),
		row("h_general", lang.X("settings.h_general", "Solve simple items within"), v.hGeneral),
		row("h_complex", lang.X("settings.h_complex", "Plan and progress on complex items within"), v.hComplex),
		row("counting", lang.X("settings.counting", "Count days as"), v.counting),
		row("due_soon", lang.X("settings.due_soon", "Warn this many hours before a deadline"), v.dueSoon),
		row("holidays", lang.X("settings.holidays", "Public holidays"), v.holidays),
		row("workdays", lang.X("settings.workdays", "Make-up workdays"), v.workdays),
	)

	// Categories.
	v.categories = multi(set.Categories)
	v.categories.SetMinRowsVisible(8)
	v.saveCategories = widget.NewButtonWithIcon(lang.X("settings.save", "Save"), theme.DocumentSaveIcon(), guard.Func(v.saveCategoryGroup))
	categories := group(groupCategories, v.saveCategories,
		row("categories", lang.X("settings.categories", "Categories (one per line)"), v.categories))

	// Weights.
	w := set.Weights
	ff := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	v.wPartly, v.wBasic = entry(ff(w.PartlySolved)), entry(ff(w.BasicSatisfied))
	v.wResp, v.wReso, v.wSat = entry(ff(w.Response)), entry(ff(w.Resolution)), entry(ff(w.Satisfaction))
	v.repeatDays = entry(strconv.Itoa(w.RepeatDays))
	v.saveWeights = widget.NewButtonWithIcon(lang.X("settings.save", "Save"), theme.DocumentSaveIcon(), guard.Func(v.saveWeightGroup))
	weights := group(groupWeights, v.saveWeights,
		row("partly_solved", lang.X("settings.w_partly", "Weight of “partly solved” in the resolution rate"), v.wPartly),
		row("basic_satisfied", lang.X("settings.w_basic", "Weight of “basically satisfied” in the satisfaction rate"), v.wBasic),
		row("response", lang.X("settings.w_response", "Composite weight: response"), v.wResp),
		row("resolution", lang.X("settings.w_resolution", "Composite weight: resolution"), v.wReso),
		row("satisfaction", lang.X("settings.w_satisfaction", "Composite weight: satisfaction"), v.wSat),
		row("repeat_days", lang.X("settings.repeat_days", "Repeat appeal window (days)"), v.repeatDays),
	)

	// This computer: language, theme, file.
	langs := []string{"简体中文", "English"}
	v.language = widgets.NewSelect(langs, func(s string) {
		code := words.LangChinese
		if s == "English" {
			code = words.LangEnglish
		}
		if code != words.Language() {
			_ = a.Host.SetLanguage(code)
		}
	})
	if words.Language() == words.LangEnglish {
		v.language.SetSelectedIndex(1)
	} else {
		v.language.SetSelectedIndex(0)
	}
	themes := []string{widgets.ThemeSystem, widgets.ThemeLight, widgets.ThemeDark}
	v.themeSel = widgets.NewSelect([]string{
		lang.X("settings.theme.system", "Follow the system"),
		lang.X("settings.theme.light", "Light"),
		lang.X("settings.theme.dark", "Dark"),
	}, nil)
	cur := a.Host.ThemeMode()
	for i, m := range themes {
		if m == cur {
			v.themeSel.SetSelectedIndex(i)
		}
	}
	v.themeSel.OnChanged = guard.Func1(func(string) {
		if i := v.themeSel.SelectedIndex(); i >= 0 {
			a.Host.SetTheme(themes[i])
		}
	})
	file := widget.NewLabel(a.Host.Path())
	file.Wrapping = fyne.TextWrapBreak
	fileButtons := container.NewHBox(widget.NewButtonWithIcon(lang.X("settings.backup", "Back up…"), theme.DownloadIcon(), guard.Func(a.backupDialog)))
	if other := a.Host.OpenOther(); other != nil {
		fileButtons.Add(widget.NewButtonWithIcon(lang.X("menu.open_other", "Open another casebook…"), theme.FolderOpenIcon(), guard.Func(other)))
	}
	device := widgets.FormGrid(
		widgets.FieldLabel(lang.X("settings.language", "Language")), v.language,
		widgets.FieldLabel(lang.X("settings.theme", "Theme")), v.themeSel,
		widgets.FieldLabel(lang.X("settings.file", "Casebook file")), container.NewVBox(file, fileButtons),
	)

	body := container.NewVBox(
		widgets.Card(lang.X("settings.g.community", "Community and term"), lang.X("settings.g.community.sub", "The baseline rates are the community's 12345 figures before the term, against which the term is judged."), community),
		widgets.Card(lang.X("settings.g.policy", "Deadline policy"), lang.X("settings.g.policy.sub", "Limits like 1d, 7d, 15d or 2h, 24h. A day limit ends at midnight; working days skip weekends and the holidays below, one date per line."), policy),
		widgets.Card(lang.X("settings.g.categories", "Categories"), "", categories),
		widgets.Card(lang.X("settings.g.weights", "Metric weights"), lang.X("settings.g.weights.sub", "Fractions from 0 to 1; the three composite weights add up to 1."), weights),
		widgets.Card(lang.X("settings.g.rules", "Assessment basis rules"), lang.X("settings.g.rules.sub", "How the cases the 12345 rules touch count on the assessment basis; the raw basis counts every appeal."), v.rulesGroup(set, row, group)),
		widgets.Card(lang.X("settings.g.device", "This computer"), "", device),
	)
	return container.NewVScroll(body)
}

func dateLines(ds []casebook.Date) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.String()
	}
	return out
}

// clear hides the errors of a group's fields and its message.
func (v *settingsView) clear(keys ...string) {
	for _, k := range keys {
		widgets.SetErr(v.errs[k], "")
	}
}

// fail shows err under the fields it names, or under the group.
func (v *settingsView) fail(group string, err error) {
	if fes := words.FieldErrors(err); len(fes) > 0 {
		for _, fe := range fes {
			key := fe.Field
			switch key {
			case "baseline":
				key = "base_response"
			case "response", "resolution", "satisfaction":
				if group == groupCommunity {
					key = "base_" + key
				}
			}
			if l, ok := v.errs[key]; ok {
				widgets.SetErr(l, words.FieldErrorText(fe))
			} else {
				widgets.SetErr(v.msgs[group], words.ErrorMessage(fe))
			}
		}
		return
	}
	widgets.SetErr(v.msgs[group], words.ErrorMessage(err)+" ("+words.ErrorDetail(err)+")")
}

// save writes the given settings keys and offers to undo.
func (v *settingsView) save(group string, s casebook.Settings, keys ...string) bool {
	a := v.a
	old := a.Settings()
	if err := a.Book.UpdateSettings(s, keys...); err != nil {
		v.fail(group, err)
		return false
	}
	a.Changed()
	a.Host.SettingsChanged()
	a.Notify.Undo(lang.X("settings.saved", "Settings saved."), func() {
		if err := a.Book.UpdateSettings(old, keys...); err != nil {
			a.Notify.Info(words.ErrorMessage(err))
			return
		}
		a.Changed()
		a.Host.SettingsChanged()
		a.Nav.Rebuild()
		a.Notify.Info(lang.X("undo.done", "Undone."))
	})
	return true
}

// parsePercent reads a baseline rate as input.Rate does (86, 86%, 0.86),
// "" as nil.
func parsePercent(s string) (*float64, bool) {
	r, err := input.Rate(s)
	return r, err == nil
}

// parseOptDate reads a date, "" as the zero date.
func parseOptDate(s string) (casebook.Date, bool) {
	if strings.TrimSpace(s) == "" {
		return casebook.Date{}, true
	}
	d, err := casebook.ParseDate(s)
	return d, err == nil
}

func (v *settingsView) saveCommunityTerm() {
	keys := []string{"name", "street", "district", "households", "buildings", "secretary", "term_start", "term_end", "base_response", "base_resolution", "base_satisfaction"}
	v.clear(keys...)
	widgets.SetErr(v.msgs[groupCommunity], "")
	s := v.a.Settings()
	ok := true
	s.Community.Name = strings.TrimSpace(v.name.Text)
	s.Community.Street = strings.TrimSpace(v.street.Text)
	s.Community.District = strings.TrimSpace(v.district.Text)
	if !v.termInputs.read(&s, v.errs) {
		ok = false
	}
	if b, err := input.Buildings(v.buildings.Text); err != nil {
		widgets.SetErr(v.errs["buildings"], words.ErrorMessage(err))
		ok = false
	} else {
		s.Community.Buildings = b
	}
	if !ok {
		return
	}
	v.save(groupCommunity, s, casebook.SettingCommunity, casebook.SettingTerm)
}

func (v *settingsView) savePolicyGroup() {
	keys := []string{"respond", "h_emergency", "h_utility", "h_general", "h_complex", "counting", "due_soon", "holidays", "workdays"}
	v.clear(keys...)
	widgets.SetErr(v.msgs[groupPolicy], "")
	s := v.a.Settings()
	p := s.Policy
	p.Handle = map[casebook.Urgency]casebook.Limit{}
	for u, l := range s.Policy.Handle {
		p.Handle[u] = l
	}
	ok := true
	limit := func(key string, e *widget.Entry) casebook.Limit {
		l, err := casebook.ParseLimit(e.Text)
		if err != nil {
			widgets.SetErr(v.errs[key], words.MsgLimit())
			ok = false
		}
		return l
	}
	p.Respond = limit("respond", v.respond)
	p.Handle[casebook.UrgencyEmergency] = limit("h_emergency", v.hEmergency)
	p.Handle[casebook.UrgencyUtility] = limit("h_utility", v.hUtility)
	p.Handle[casebook.UrgencyGeneral] = limit("h_general", v.hGeneral)
	p.Handle[casebook.UrgencyComplex] = limit("h_complex", v.hComplex)
	for i, n := range v.countChoice.Names {
		if n == v.counting.Selected {
			p.Counting = v.countChoice.Codes[i]
		}
	}
	if h, err := strconv.ParseFloat(strings.TrimSpace(casebook.NormalizeWidth(v.dueSoon.Text)), 64); err != nil || h < 0 || h > 24*366 {
		widgets.SetErr(v.errs["due_soon"], words.MsgNumber())
		ok = false
	} else {
		p.DueSoon = time.Duration(h * float64(time.Hour))
	}
	dates := func(key string, e *widget.Entry) []casebook.Date {
		var out []casebook.Date
		for _, line := range words.SplitList(e.Text) {
			d, err := casebook.ParseDate(line)
			if err != nil {
				widgets.SetErr(v.errs[key], words.MsgDate()+lang.X("fmt.colon", ": ")+line)
				ok = false
				continue
			}
			out = append(out, d)
		}
		return out
	}
	p.Calendar = casebook.Calendar{Holidays: dates("holidays", v.holidays), Workdays: dates("workdays", v.workdays)}
	if !ok {
		return
	}
	if err := p.Calendar.Validate(); err != nil {
		widgets.SetErr(v.errs["workdays"], lang.X("settings.err.calendar", "a day is listed both as a holiday and as a workday"))
		return
	}
	s.Policy = p
	v.save(groupPolicy, s, casebook.SettingPolicy)
}

func (v *settingsView) saveCategoryGroup() {
	v.clear("categories")
	widgets.SetErr(v.msgs[groupCategories], "")
	s := v.a.Settings()
	s.Categories = words.SplitList(v.categories.Text)
	v.save(groupCategories, s, casebook.SettingCategories)
}

func (v *settingsView) saveWeightGroup() {
	keys := []string{"partly_solved", "basic_satisfied", "response", "resolution", "satisfaction", "repeat_days"}
	v.clear(keys...)
	widgets.SetErr(v.msgs[groupWeights], "")
	s := v.a.Settings()
	ok := true
	num := func(key string, e *widget.Entry) float64 {
		f, err := strconv.ParseFloat(strings.TrimSpace(casebook.NormalizeWidth(e.Text)), 64)
		if err != nil {
			widgets.SetErr(v.errs[key], lang.X("settings.err.fraction", "write a number from 0 to 1"))
			ok = false
		}
		return f
	}
	w := s.Weights
	w.PartlySolved = num("partly_solved", v.wPartly)
	w.BasicSatisfied = num("basic_satisfied", v.wBasic)
	w.Response = num("response", v.wResp)
	w.Resolution = num("resolution", v.wReso)
	w.Satisfaction = num("satisfaction", v.wSat)
	if d, err := strconv.Atoi(strings.TrimSpace(casebook.NormalizeWidth(v.repeatDays.Text))); err != nil {
		widgets.SetErr(v.errs["repeat_days"], words.MsgNumber())
		ok = false
	} else {
		w.RepeatDays = d
	}
	if !ok {
		return
	}
	s.Weights = w
	v.save(groupWeights, s, casebook.SettingWeights)
}

// backupDialog asks for a folder and writes a copy of the casebook there
// under a new name (never over an existing file).
func (a *Settings) backupDialog() {
	d := dialog.NewFolderOpen(guard.Func2(func(dir fyne.ListableURI, err error) {
		if err != nil || dir == nil {
			return
		}
		path := screen.FreeName(dir.Path(), "casebook-backup-"+words.FmtDay(a.Now()), ".db")
		if err := a.backupTo(path); err != nil {
			dialog.ShowError(errors.New(words.ErrorMessage(err)), a.Win)
			return
		}
		a.Notify.Info(lang.X("settings.backup.done", "Backup written to {{.Path}}.", map[string]any{"Path": path}))
	}), a.Win)
	d.Show()
}

// backupTo writes a consistent copy of the casebook to a new file at path.
func (a *Settings) backupTo(path string) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(path)
		}
	}()
	_, err = a.Book.Store().Backup(f)
	return err
}
