package appeals

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/guard"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// The new-appeal form (登记诉求).
//
// It is built for speed at a reception desk: the received time is now, the
// channel, type, urgency and handler are prefilled (with the choices of the
// last appeal saved in this session), category and building have pick-lists
// with type-ahead, and the fields follow the paper form's order, which is
// also the Tab order. While the user types it looks for likely duplicates
// (the same 12345 work order; open appeals about the same building and
// category; a recent appeal from the same complainant) and offers, in one
// click, to add the new report to that case or to save it linked as a
// duplicate, instead of filing the same problem twice. Problems are shown
// next to their field; an invalid form saves nothing.

type caseForm struct {
	a       *Section
	content fyne.CanvasObject

	received    *widget.Entry
	channel     *widget.Select
	workorder   *widget.Entry
	typ         *widget.Select
	urgency     *widget.Select
	category    *widgets.PickEntry
	building    *widgets.PickEntry
	unit        *widget.Entry
	location    *widget.Entry
	summary     *widget.Entry
	details     *widget.Entry
	complainant *widget.Entry
	phone       *widget.Entry
	handler     *widget.Entry

	errs    map[string]*widget.Label
	formErr *widget.Label
	saveBtn *widget.Button

	chanChoice words.Choice[casebook.Channel]
	typeChoice words.Choice[casebook.AppealType]
	urgChoice  words.Choice[casebook.Urgency]

	dupBox *fyne.Container
	hints  []dupHint
	scroll *container.Scroll // the fields, opened at the top

	// buildingTyped is set once the user typed or picked a building, so
	// that the one suggested from the summary never overwrites theirs.
	buildingTyped bool
	suggesting    bool
	people        *peopleIndex

	// receivedDefault is the time the form was reset with (see stepForm's
	// atDefault).
	receivedDefault string

	// defaults carried from the last appeal saved in this session.
	lastChannel casebook.Channel
	lastType    casebook.AppealType
	lastUrgency casebook.Urgency
	lastHandler string
}

// dupHint is one likely duplicate of the appeal being filled in.
type dupHint struct {
	s      *casebook.Summary
	reason string
	strong bool // the same 12345 work order: saving would be refused
}

func newCaseForm(a *Section) *caseForm {
	f := &caseForm{a: a, errs: map[string]*widget.Label{}}
	set := a.Settings()
	f.lastChannel, f.lastType, f.lastUrgency = casebook.ChannelWalkIn, casebook.TypeComplaint, casebook.UrgencyGeneral
	f.lastHandler = set.Term.Secretary

	f.chanChoice = words.NewChoice(casebook.Channels(), words.ChannelName)
	f.typeChoice = words.NewChoice(casebook.Types(), words.TypeName)
	f.urgChoice = words.NewChoice(casebook.Urgencies(), words.UrgencyName)

	f.received = widget.NewEntry()
	f.received.SetPlaceHolder("2026-03-02 14:30")
	f.channel = widgets.NewSelect(f.chanChoice.Names, func(string) { f.channelChanged() })
	f.workorder = widget.NewEntry()
	f.workorder.OnChanged = guard.Func1(func(string) { f.findDuplicates() })
	f.typ = widgets.NewSelect(f.typeChoice.Names, nil)
	f.urgency = widgets.NewSelect(f.urgChoice.Names, nil)
	f.category = widgets.NewPickEntry(set.Categories)
	f.category.OnPicked = func(string) { f.findDuplicates() }
	f.building = widgets.NewPickEntry(buildingList(set.Community.Buildings, nil))
	f.building.OnPicked = func(string) {
		if !f.suggesting {
			f.buildingTyped = true
		}
		f.findDuplicates()
	}
	f.unit = widget.NewEntry()
	f.location = widget.NewEntry()
	f.summary = widget.NewEntry()
	f.summary.OnChanged = guard.Func1(func(s string) { f.suggestBuilding(s); f.findDuplicates() })
	f.summary.SetPlaceHolder(lang.X("form.summary.hint", "One line: what, where (e.g. roof leaking, building 14)"))
	f.details = widget.NewMultiLineEntry()
	f.details.SetMinRowsVisible(3)
	f.details.Wrapping = fyne.TextWrapWord
	f.complainant = widget.NewEntry()
	f.complainant.OnChanged = guard.Func1(func(string) { f.findDuplicates() })
	f.phone = widget.NewEntry()
	f.phone.OnChanged = guard.Func1(func(string) { f.findDuplicates() })
	f.handler = widget.NewEntry()

	for _, fld := range casebook.CaseFields {
		f.errs[fld] = widgets.ErrLabel()
	}
	row := func(field string, input fyne.CanvasObject, extra ...fyne.CanvasObject) []fyne.CanvasObject {
		return []fyne.CanvasObject{widgets.FieldLabel(words.FieldName(field)), widgets.FieldCell(input, append(extra, f.errs[field])...)}
	}
	var cells []fyne.CanvasObject
	for _, r := range [][]fyne.CanvasObject{
		row(casebook.FieldReceived, f.received),
		row(casebook.FieldChannel, f.channel),
		row(casebook.FieldWorkOrder, f.workorder),
		row(casebook.FieldType, f.typ),
		row(casebook.FieldUrgency, f.urgency),
		row(casebook.FieldCategory, f.category, f.category.Hint),
		row(casebook.FieldBuilding, f.building, f.building.Hint),
		row(casebook.FieldUnit, f.unit),
		row(casebook.FieldLocation, f.location),
		row(casebook.FieldSummary, f.summary),
		row(casebook.FieldDetails, f.details),
		row(casebook.FieldComplainant, f.complainant),
		row(casebook.FieldPhone, f.phone),
		row(casebook.FieldHandler, f.handler),
	} {
		cells = append(cells, r...)
	}
	grid := widgets.FormGrid(cells...)

	f.formErr = widgets.ErrLabel()
	f.saveBtn = widget.NewButtonWithIcon(lang.X("form.save", "Save appeal"), theme.DocumentSaveIcon(), guard.Func(func() { f.save("") }))
	f.saveBtn.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon(lang.X("form.cancel", "Cancel"), theme.CancelIcon(), guard.Func(f.cancel))
	buttons := container.NewHBox(f.saveBtn, cancel)
	privacy := widgets.Note(lang.X("form.privacy", "The complainant's name and phone are personal information: exports for others mask them."))

	// The buttons stay in view below the scrolling fields.
	f.scroll = container.NewVScroll(container.NewVBox(grid, privacy))
	left := container.NewBorder(nil, container.NewVBox(f.formErr, buttons), nil, nil,
		f.scroll)
	f.dupBox = container.NewVBox()
	right := container.NewBorder(
		container.NewVBox(widgets.Heading(lang.X("form.dups.title", "Possible duplicates")),
			widgets.Note(lang.X("form.dups.note", "Open appeals about the same building and category or about the same thing, a recent appeal from the same person, or the same 12345 work order."))),
		nil, nil, nil, container.NewVScroll(f.dupBox))
	split := container.NewHSplit(left, right)
	split.SetOffset(0.66)
	f.content = container.NewBorder(
		container.NewVBox(widgets.Heading(lang.X("form.title", "New appeal")), widget.NewSeparator()), nil, nil, nil, split)
	f.clearOnChange()
	f.reset()
	f.people = newPeopleIndex(a)
	// Read the candidates' text pairs for the similarity check while the
	// user starts typing, so that the first keystroke does not wait for it.
	book, now := a.Book, a.Now()
	guard.Go(func() { book.Similar("消防", store.SimilarOptions{Now: now, Recent: 30 * 24 * time.Hour}) })
	return f
}

// reset empties the form and sets the defaults.
func (f *caseForm) reset() {
	f.receivedDefault = words.FmtTime(f.a.Now())
	f.received.SetText(f.receivedDefault)
	f.channel.SetSelectedIndex(max(0, f.chanChoice.Index(f.lastChannel)))
	f.typ.SetSelectedIndex(max(0, f.typeChoice.Index(f.lastType)))
	f.urgency.SetSelectedIndex(max(0, f.urgChoice.Index(f.lastUrgency)))
	f.handler.SetText(f.lastHandler)
	for _, e := range []*widget.Entry{f.workorder, f.unit, f.location, f.summary, f.details, f.complainant, f.phone} {
		e.SetText("")
	}
	f.category.SetText("")
	f.building.SetText("")
	f.clearErrors()
	f.channelChanged()
	f.buildingTyped = false
	f.scroll.ScrollToTop()
	f.findDuplicates()
}

// clearOnChange hides a field's error as soon as the field changes: an
// error such as "已登记为…" next to a work order the user is correcting is
// no longer true.
func (f *caseForm) clearOnChange() {
	for field, e := range map[string]*widget.Entry{casebook.FieldReceived: f.received, casebook.FieldWorkOrder: f.workorder,
		casebook.FieldUnit: f.unit, casebook.FieldLocation: f.location, casebook.FieldSummary: f.summary,
		casebook.FieldDetails: f.details, casebook.FieldComplainant: f.complainant, casebook.FieldPhone: f.phone,
		casebook.FieldHandler: f.handler} {
		l, prev := f.errs[field], e.OnChanged
		e.OnChanged = guard.Func1(func(s string) {
			widgets.SetErr(l, "")
			if prev != nil {
				prev(s)
			}
		})
	}
	for field, p := range map[string]*widgets.PickEntry{casebook.FieldCategory: f.category, casebook.FieldBuilding: f.building} {
		l, prev := f.errs[field], p.OnPicked
		p.OnPicked = func(s string) {
			widgets.SetErr(l, "")
			if prev != nil {
				prev(s)
			}
		}
	}
	for field, s := range map[string]*widget.Select{casebook.FieldChannel: f.channel, casebook.FieldType: f.typ, casebook.FieldUrgency: f.urgency} {
		l, prev := f.errs[field], s.OnChanged
		s.OnChanged = guard.Func1(func(v string) {
			widgets.SetErr(l, "")
			if prev != nil {
				prev(v)
			}
		})
	}
}

// dirty reports whether the user has typed anything worth keeping.
func (f *caseForm) dirty() bool {
	for _, e := range []*widget.Entry{f.workorder, f.unit, f.location, f.summary, f.details, f.complainant, f.phone} {
		if strings.TrimSpace(e.Text) != "" {
			return true
		}
	}
	return strings.TrimSpace(f.category.Text) != "" || strings.TrimSpace(f.building.Text) != ""
}

func (f *caseForm) focusFirst() {
	if c := f.a.Win.Canvas(); c != nil {
		c.Focus(f.summary)
	}
}

// channelChanged shows the work-order box as needed: a 12345 dispatch must
// have its number, other channels rarely do.
func (f *caseForm) channelChanged() {
	if f.chanChoice.Code(f.channel.SelectedIndex()) == casebook.Channel12345 {
		f.workorder.SetPlaceHolder(lang.X("form.workorder.required", "Required for a 12345 dispatch"))
	} else {
		f.workorder.SetPlaceHolder("")
	}
}

func (f *caseForm) clearErrors() {
	for _, l := range f.errs {
		widgets.SetErr(l, "")
	}
	widgets.SetErr(f.formErr, "")
}

// input is the form as a casebook.CaseInput; a received time that does not
// parse is reported as a field error.
func (f *caseForm) input() (casebook.CaseInput, *casebook.FieldError) {
	in := casebook.CaseInput{
		Channel:     string(f.chanChoice.Code(f.channel.SelectedIndex())),
		WorkOrder:   f.workorder.Text,
		Type:        string(f.typeChoice.Code(f.typ.SelectedIndex())),
		Urgency:     string(f.urgChoice.Code(f.urgency.SelectedIndex())),
		Category:    f.category.Value(),
		Building:    f.building.Value(),
		Unit:        f.unit.Text,
		Location:    f.location.Text,
		Summary:     f.summary.Text,
		Details:     f.details.Text,
		Complainant: f.complainant.Text,
		Phone:       f.phone.Text,
		Handler:     f.handler.Text,
	}
	t, err := words.ParseMinute(f.received.Text)
	if err != nil {
		return in, &casebook.FieldError{Field: casebook.FieldReceived, Code: casebook.CodeBadTime, Msg: "bad time"}
	}
	in.Received = t
	return in, nil
}

// save records the appeal; linkTo, if set, is a case to link it to as a
// duplicate. On a problem it shows it by the field and saves nothing.
func (f *caseForm) save(linkTo string) *casebook.Case {
	f.clearErrors()
	in, ferr := f.input()
	if ferr != nil {
		widgets.SetErr(f.errs[ferr.Field], words.FieldErrorText(ferr))
		widgets.SetErr(f.formErr, lang.X("form.invalid", "Please correct the fields marked in red."))
		return nil
	}
	if msg := phoneProblem(in.Phone); msg != "" {
		// Show it with every other problem of the form, and save nothing.
		if _, err := in.Validate(f.a.Settings().Categories, f.a.Now()); err != nil {
			f.showError(err)
		}
		widgets.SetErr(f.errs[casebook.FieldPhone], msg)
		widgets.SetErr(f.formErr, lang.X("form.invalid", "Please correct the fields marked in red."))
		return nil
	}
	c, err := f.a.Book.AddCase(in)
	if err != nil {
		f.showError(err)
		return nil
	}
	f.a.Changed()
	f.people.add(c)
	if linkTo != "" {
		if err := f.a.Book.Link(c.ID, linkTo, casebook.LinkDuplicate); err != nil {
			f.a.Notify.Info(words.ErrorMessage(err))
		}
		f.a.Changed()
	}
	f.lastChannel = casebook.Channel(in.Channel)
	f.lastType = casebook.AppealType(in.Type)
	f.lastUrgency = casebook.Urgency(in.Urgency)
	if h := strings.TrimSpace(in.Handler); h != "" {
		f.lastHandler = h
	}
	f.reset()
	f.a.Notify.Info(lang.X("form.saved", "Appeal {{.Number}} saved.", map[string]any{"Number": c.Number()}))
	f.a.Left() // back from the case goes to the ledger
	f.a.Nav.OpenCase(c.ID)
	return c
}

// showError puts each field problem next to its field, and anything else
// under the form.
func (f *caseForm) showError(err error) {
	if fes := words.FieldErrors(err); len(fes) > 0 {
		for _, fe := range fes {
			if l, ok := f.errs[fe.Field]; ok {
				widgets.SetErr(l, words.FieldErrorText(fe))
			}
		}
		widgets.SetErr(f.formErr, lang.X("form.invalid", "Please correct the fields marked in red."))
		return
	}
	if errors.Is(err, store.ErrDuplicate) {
		msg := words.ErrorMessage(err)
		if s, ok := f.a.Book.FindByWorkOrder(strings.TrimSpace(casebook.NormalizeWidth(f.workorder.Text))); ok {
			msg = lang.X("form.workorder.dup", "Already in the casebook as {{.Number}}.", map[string]any{"Number": s.Number})
		}
		widgets.SetErr(f.errs[casebook.FieldWorkOrder], msg)
		widgets.SetErr(f.formErr, lang.X("form.invalid", "Please correct the fields marked in red."))
		return
	}
	widgets.SetErr(f.formErr, words.ErrorMessage(err))
}

// cancel leaves the form, asking first if something was typed.
func (f *caseForm) cancel() {
	leave := func() {
		f.reset()
		f.a.Nav.Back()
	}
	if !f.dirty() {
		leave()
		return
	}
	// The buttons say what they do (放弃 / 继续填写), not 是 / 否.
	d := dialog.NewConfirm(lang.X("form.discard.title", "Discard this appeal?"),
		lang.X("form.discard.body", "What you typed will be lost."),
		guard.Func1(func(ok bool) {
			if ok {
				leave()
			}
		}), f.a.Win)
	d.SetConfirmText(lang.X("form.discard.yes", "Discard"))
	d.SetDismissText(lang.X("form.discard.no", "Keep filling in"))
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

// addToExisting records the report as a note on an existing case instead
// of filing a new one, and opens that case.
func (f *caseForm) addToExisting(id string) {
	in, _ := f.input()
	parts := []string{lang.X("form.again", "Reported again")}
	if ch := casebook.Channel(in.Channel); ch != "" {
		parts = append(parts, words.ChannelName(ch))
	}
	if p := strings.TrimSpace(in.Complainant); p != "" {
		parts = append(parts, p)
	}
	text := strings.Join(parts, words.Sep())
	if s := strings.TrimSpace(in.Summary); s != "" {
		text += lang.X("fmt.colon", ": ") + s
	}
	if d := strings.TrimSpace(in.Details); d != "" {
		text += "\n" + d
	}
	step := casebook.Step{Action: casebook.ActNote, Note: text}
	if strings.TrimSpace(f.received.Text) != f.receivedDefault {
		step.At = in.Received
	}
	if _, err := f.a.Book.Step(id, step); err != nil {
		widgets.SetErr(f.formErr, words.ErrorMessage(err))
		return
	}
	f.a.Changed()
	f.reset()
	f.a.Notify.Info(lang.X("form.added_note", "Added to the existing appeal as a note."))
	f.a.Left() // back from the case goes to the ledger
	f.a.Nav.OpenCase(id)
}

// findDuplicates recomputes the duplicate hints and redraws the panel.
func (f *caseForm) findDuplicates() {
	if f.dupBox == nil {
		return
	}
	f.hints = f.duplicates()
	objs := make([]fyne.CanvasObject, 0, len(f.hints)+1)
	if len(f.hints) == 0 {
		objs = append(objs, widgets.Note(lang.X("form.dups.none", "None found so far.")))
	}
	for _, h := range f.hints {
		h := h
		title := widget.NewLabel(h.s.Number + "  " + words.StatusName(h.s.Status))
		title.TextStyle.Bold = true
		if h.strong {
			title.Importance = widget.DangerImportance
		}
		body := widget.NewLabel(h.s.Summary)
		body.Wrapping = fyne.TextWrapWord
		why := widgets.Note(h.reason)
		open := widget.NewButton(lang.X("form.dups.open", "Open"), guard.Func(func() { f.a.Nav.OpenCase(h.s.ID) }))
		add := widget.NewButton(lang.X("form.dups.add", "Add to this case"), guard.Func(func() { f.addToExisting(h.s.ID) }))
		btns := container.NewHBox(open, add)
		if !h.strong {
			link := widget.NewButton(lang.X("form.dups.link", "Save linked as duplicate"), guard.Func(func() { f.save(h.s.ID) }))
			btns.Add(link)
		}
		objs = append(objs, container.NewVBox(title, body, why, btns, widget.NewSeparator()))
	}
	f.dupBox.Objects = objs
	f.dupBox.Refresh()
}

// maxHints bounds the duplicate panel.
const maxHints = 6

// duplicates finds the likely duplicates of the form's content.
func (f *caseForm) duplicates() []dupHint {
	var out []dupHint
	seen := map[string]bool{}
	add := func(s *casebook.Summary, reason string, strong bool) {
		if s == nil || seen[s.ID] || len(out) >= maxHints {
			return
		}
		seen[s.ID] = true
		out = append(out, dupHint{s: s, reason: reason, strong: strong})
	}
	if wo := strings.TrimSpace(casebook.NormalizeWidth(f.workorder.Text)); wo != "" {
		if s, ok := f.a.Book.FindByWorkOrder(wo); ok {
			add(s, lang.X("form.dups.workorder", "The same 12345 work order."), true)
		}
	}
	idx := f.a.Book.Store().Index()
	if CallerLookup != nil {
		for _, s := range CallerLookup(f.a.Book, f.complainant.Text, f.phone.Text) {
			add(s, lang.X("form.dups.person", "A recent appeal from the same person ({{.Day}}).", map[string]any{"Day": words.FmtDay(s.Received)}), false)
		}
	} else if f.people != nil {
		for _, id := range f.people.find(f.complainant.Text, f.phone.Text) {
			if s, ok := idx.Get(id); ok {
				add(s, lang.X("form.dups.person", "A recent appeal from the same person ({{.Day}}).", map[string]any{"Day": words.FmtDay(s.Received)}), false)
			}
		}
	}
	b, c := f.building.Value(), f.category.Value()
	if b != "" && c != "" {
		idx.Range(func(s *casebook.Summary) bool {
			if s.Status.Open() && s.Building == b && s.Category == c {
				add(s, lang.X("form.dups.same_place", "Open, same building and category ({{.Day}}).", map[string]any{"Day": words.FmtDay(s.Received)}), false)
			}
			return len(out) < maxHints
		})
	}
	// The same thing said in other words, in another building or none:
	// open appeals, and those of the repeat window (30 days by default).
	if sum := strings.TrimSpace(f.summary.Text); sum != "" && len(out) < maxHints {
		days := f.a.Settings().Weights.RepeatDays
		if days <= 0 {
			days = 30
		}
		for _, m := range f.a.Book.Similar(sum, store.SimilarOptions{Now: f.a.Now(), Recent: time.Duration(days) * 24 * time.Hour,
			Min: similarMin, Limit: maxHints}) {
			state := lang.X("form.dups.similar_open", "open")
			if !m.Summary.Status.Open() {
				state = words.StatusName(m.Summary.Status)
			}
			add(m.Summary, lang.X("form.dups.similar", "Says much the same ({{.Pct}} alike), {{.State}}, received {{.Day}}.",
				map[string]any{"Pct": words.FmtPercent(m.Score), "State": state, "Day": words.FmtDay(m.Summary.Received)}), false)
		}
	}
	return out
}

// similarMin is the similarity (casebook.TextQuery) from which an appeal
// is shown as a likely duplicate: "消防通道被占" and "南门消防通道被车辆堵塞"
// are 0.4 apart.
const similarMin = 0.4

// peopleIndex finds recent appeals by complainant name or phone. Summaries
// leave personal data out (they are what lists and exports hold), so the
// index reads the full cases received within the repeat window once, when
// the form opens, and keeps up with the appeals saved through the form.
type peopleIndex struct {
	since time.Time
	ids   map[string][]string // "n:"+name or "p:"+phone → case ids, newest first
}

// peopleWindowMax bounds how many recent cases are read to build the index.
const peopleWindowMax = 5000

func newPeopleIndex(a *Section) *peopleIndex {
	set := a.Settings()
	days := set.Weights.RepeatDays
	if days <= 0 {
		days = 30
	}
	p := &peopleIndex{since: a.Now().AddDate(0, 0, -days), ids: map[string][]string{}}
	var recent []string
	a.Book.Store().Index().Range(func(s *casebook.Summary) bool {
		if s.Received.Before(p.since) {
			return false // newest first: the rest are older
		}
		recent = append(recent, s.ID)
		return len(recent) < peopleWindowMax
	})
	for _, id := range recent {
		if c, err := a.Book.Store().Case(id); err == nil {
			p.put(c, false)
		}
	}
	return p
}

func personKeys(name, phone string) []string {
	var keys []string
	if n := strings.TrimSpace(casebook.NormalizeWidth(name)); n != "" {
		keys = append(keys, "n:"+n)
	}
	if p := strings.TrimSpace(casebook.NormalizeWidth(phone)); len(p) >= 5 {
		keys = append(keys, "p:"+p)
	}
	return keys
}

func (p *peopleIndex) put(c *casebook.Case, front bool) {
	for _, k := range personKeys(c.Complainant(), c.Phone()) {
		if front {
			p.ids[k] = append([]string{c.ID}, p.ids[k]...)
		} else {
			p.ids[k] = append(p.ids[k], c.ID)
		}
	}
}

// add indexes a case just saved.
func (p *peopleIndex) add(c *casebook.Case) {
	if p != nil && c != nil {
		p.put(c, true)
	}
}

// find returns the recent cases of a person, by name or phone.
func (p *peopleIndex) find(name, phone string) []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, k := range personKeys(name, phone) {
		out = append(out, p.ids[k]...)
	}
	return out
}

// suggestBuilding fills an empty building box from the summary: "14号楼东侧
// 消防通道被占" suggests 14号楼, if it is one of the community's buildings.
// A building the user typed or picked is never replaced.
func (f *caseForm) suggestBuilding(summary string) {
	if f.buildingTyped {
		return
	}
	b := buildingIn(summary, f.building.Options)
	if b == f.building.Text {
		return
	}
	f.suggesting = true
	f.building.SetText(b)
	f.suggesting = false
}

// buildingIn finds the first "N号楼" (or "N栋", "N幢", full-width digits too)
// of text among the buildings, as it is written there, or "".
func buildingIn(text string, buildings []string) string {
	t := casebook.NormalizeWidth(text)
	for _, m := range buildingRef.FindAllStringSubmatch(t, -1) {
		for _, form := range []string{m[1] + "号楼", m[1] + "栋", m[1] + "幢", m[1] + "号"} {
			if slices.Contains(buildings, form) {
				return form
			}
		}
	}
	return ""
}

// buildingRef is a building named by its number in running text.
var buildingRef = regexp.MustCompile(`(\d+)\s*(?:号楼|栋|幢)`)
