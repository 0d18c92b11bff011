package appeals

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/ui/guard"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// The case view: every field, the timeline, and the closed loop's next
// steps. Only the steps casebook.Allowed offers for the case's status are
// shown, so a refused step is the exception (another device took a step
// first, say), and then it is explained in the step's dialog. Field edits
// can be undone from the snackbar; loop steps cannot (the timeline is
// append-only), and the irreversible ones ask for confirmation in words
// that say so. Concurrent edits from sync appear at the top, for the user
// to settle one by one.

type caseView struct {
	a       *Section
	c       *casebook.Case
	content fyne.CanvasObject

	actions map[casebook.Action]*widget.Button
	linkBtn *widget.Button
	editBtn *widget.Button
	// receiptBtn, sheetBtn print the 受理回执 and the 诉求办理单 (print.go).
	receiptBtn, sheetBtn *widget.Button
	step                 *stepForm // the step dialog on show, if any
	rule                 *ruleForm // the dialog of a step of the 12345 rules on show, if any
	edit                 *fieldEditor
	link                 *linkForm
	errText              *widget.Label
}

func newCaseView(a *Section, id string) *caseView {
	v := &caseView{a: a, actions: map[casebook.Action]*widget.Button{}}
	back := widget.NewButtonWithIcon(lang.X("case.back", "Back"), theme.NavigateBackIcon(), guard.Func(a.Nav.Back))
	c, err := a.Book.Case(id)
	if err != nil {
		v.errText = widget.NewLabel(words.ErrorMessage(err))
		v.content = container.NewBorder(container.NewHBox(back), nil, nil, nil, container.NewCenter(v.errText))
		return v
	}
	v.c = c
	now := a.Now()
	policy := a.Settings().Policy
	sum := c.Summarize(&policy)

	title := widget.NewLabelWithStyle(c.Number()+"  "+c.Summary(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	title.Truncation = fyne.TextTruncateEllipsis
	status := widget.NewLabel(words.StatusName(c.Status))
	status.Importance = widget.HighImportance
	status.TextStyle.Bold = true
	due := widget.NewLabel(dueLine(&sum, now, policy.DueSoon))
	switch sum.Due(now, policy.DueSoon) {
	case casebook.DueOverdue:
		due.Importance = widget.DangerImportance
	case casebook.DueSoon:
		due.Importance = widget.WarningImportance
	}
	header := container.NewBorder(nil, nil, back, container.NewHBox(append(v.printButtons(), status, due)...), title)

	// Left: conflicts, fields, links.
	left := container.NewVBox()
	if cs := c.Conflicts(); len(cs) > 0 {
		left.Add(v.conflicts(cs))
	}
	if rs := v.ruleState(); rs != nil {
		left.Add(rs)
	}
	v.edit = newFieldEditor(v)
	v.editBtn = widget.NewButtonWithIcon(lang.X("case.edit", "Edit fields"), theme.DocumentCreateIcon(), guard.Func(v.edit.start))
	left.Add(container.NewBorder(nil, nil, widgets.Heading(lang.X("case.fields", "Appeal")), v.editBtn))
	left.Add(v.edit.content)
	left.Add(widgets.Heading(lang.X("case.links", "Linked appeals")))
	left.Add(v.linksBox())

	// Right: next steps and the timeline.
	var stepButtons []fyne.CanvasObject
	for _, act := range casebook.Allowed(c.Status) {
		if casebook.IsRuleAction(act) {
			continue // in a row of their own (caseview_rules.go)
		}
		act := act
		b := widget.NewButton(words.ActionName(act), guard.Func(func() { v.openStep(act) }))
		switch act {
		case casebook.ActClose, casebook.ActUnresolvable, casebook.ActEscalate:
			b.Importance = widget.WarningImportance
		case casebook.ActNote:
			b.Importance = widget.MediumImportance
		default:
			b.Importance = widget.HighImportance
		}
		v.actions[act] = b
		stepButtons = append(stepButtons, b)
	}
	v.linkBtn = widget.NewButtonWithIcon(lang.X("case.link", "Link to another appeal"), theme.ContentAddIcon(), guard.Func(v.openLink))
	stepButtons = append(stepButtons, v.linkBtn)
	// Equal buttons in rows, as wide as the longest name needs.
	cellSize := fyne.NewSize(120, 0)
	for _, b := range stepButtons {
		cellSize = cellSize.Max(b.MinSize())
	}
	ruleButtons := v.ruleButtons()
	for _, b := range ruleButtons {
		cellSize = cellSize.Max(b.MinSize())
	}
	stepsBox := container.NewGridWrap(cellSize, stepButtons...)
	rulesBox := container.NewVBox()
	if len(ruleButtons) > 0 {
		rulesBox.Add(widgets.Note(lang.X("case.rules", "12345 rules: return, contest, extension, merge, whistle")))
		rulesBox.Add(container.NewGridWrap(cellSize, ruleButtons...))
	}
	// The steps and the timeline scroll together: at 1024×640 the step
	// buttons alone would take the height.
	right := container.NewVScroll(container.NewVBox(
		widgets.Heading(lang.X("case.next", "Next steps")), stepsBox, rulesBox,
		widgets.Note(lang.X("case.append_only", "Steps are added to the timeline and cannot be deleted; a mistake is corrected by a later step or a note.")),
		widgets.Heading(lang.X("case.timeline", "Timeline")), v.timeline()))

	split := container.NewHSplit(container.NewVScroll(left), right)
	split.SetOffset(0.55)
	v.content = container.NewBorder(container.NewVBox(header, widget.NewSeparator()), nil, nil, nil, split)
	return v
}

// dueLine says how the case stands against its next deadline.
func dueLine(s *casebook.Summary, now time.Time, soon time.Duration) string {
	kind, t := s.Next()
	if kind == casebook.DeadlineNone {
		return ""
	}
	what := lang.X("due.handle", "handle")
	if kind == casebook.DeadlineRespond {
		what = lang.X("due.respond", "sign for")
	}
	data := map[string]any{"What": what, "When": words.FmtDeadline(t)}
	switch s.Due(now, soon) {
	case casebook.DueOverdue:
		return lang.X("due.overdue", "Overdue: {{.What}} by {{.When}}", data)
	case casebook.DueSoon:
		return lang.X("due.soon", "Due soon: {{.What}} by {{.When}}", data)
	}
	return lang.X("due.later", "{{.What}} by {{.When}}", data)
}

// displayValue shows a stored field value as the user reads it.
func displayValue(field, v string) string {
	switch field {
	case casebook.FieldChannel:
		return words.ChannelName(casebook.Channel(v))
	case casebook.FieldType:
		return words.TypeName(casebook.AppealType(v))
	case casebook.FieldUrgency:
		return words.UrgencyName(casebook.Urgency(v))
	case casebook.FieldReceived:
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return words.FmtTime(t)
		}
	}
	return v
}

// timeline lists the events, oldest first, as the record reads.
func (v *caseView) timeline() fyne.CanvasObject {
	box := container.NewVBox()
	for _, e := range v.c.Timeline {
		head := words.FmtTime(e.At) + words.Sep() + words.ActionName(e.Action)
		if e.Actor != "" {
			head += words.Sep() + e.Actor
		}
		h := widget.NewLabel(head)
		h.TextStyle.Bold = true
		items := []fyne.CanvasObject{h}
		var detail []string
		switch e.Action {
		case casebook.ActDispatch:
			detail = append(detail, lang.X("timeline.to", "To: {{.To}}", map[string]any{"To": e.To}))
		case casebook.ActEscalate:
			detail = append(detail, lang.X("timeline.level", "Escalated to: {{.Level}}", map[string]any{"Level": words.LevelName(casebook.Level(e.To))}))
		case casebook.ActEvaluate:
			if e.Callback == "" {
				detail = append(detail, words.SolvedName(e.Solved)+words.Sep()+words.SatisfactionName(e.Satisfaction))
			}
		}
		detail = append(detail, v.ruleEventDetail(&e)...)
		if e.Note != "" {
			detail = append(detail, e.Note)
		}
		if len(detail) > 0 {
			d := widget.NewLabel(strings.Join(detail, "\n"))
			d.Wrapping = fyne.TextWrapWord
			items = append(items, d)
		}
		if e.Refused != "" {
			h.Importance = widget.LowImportance
			items = append(items, widgets.Note(lang.X("timeline.refused", "Not in effect: the loop did not allow this step at this point once the devices' records were merged.")))
		}
		box.Add(container.NewVBox(items...))
		box.Add(widget.NewSeparator())
	}
	return box
}

// linksBox lists the linked cases, each a button that opens it.
func (v *caseView) linksBox() fyne.CanvasObject {
	box := container.NewVBox()
	if len(v.c.Links) == 0 {
		box.Add(widgets.Note(lang.X("case.links.none", "None.")))
		return box
	}
	idx := v.a.Book.Store().Index()
	for _, l := range v.c.Links {
		l := l
		label := l.Target
		if s, ok := idx.Get(l.Target); ok {
			label = s.Number + "  " + s.Summary
		}
		b := widget.NewButton(words.Clip(words.LinkKindName(l.Kind)+lang.X("fmt.colon", ": ")+label, 28), guard.Func(func() { v.a.Nav.OpenCase(l.Target) }))
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		box.Add(b)
	}
	return box
}

// conflicts shows the concurrent edits waiting to be settled.
func (v *caseView) conflicts(cs []casebook.Conflict) fyne.CanvasObject {
	rows := make([]widgets.ConflictRow, len(cs))
	for i, cf := range cs {
		rows[i] = widgets.ConflictRow{
			Field: words.FieldName(cf.Field), Shown: displayValue(cf.Field, cf.Shown), Other: displayValue(cf.Field, cf.Value),
			Keep: func() { v.settle(cf.Field, cf.Shown) }, Use: func() { v.settle(cf.Field, cf.Value) },
		}
	}
	return widgets.ConflictsBox(rows)
}

// settle resolves a conflict on a field by writing the chosen value, which
// cites both versions as its bases.
func (v *caseView) settle(field, value string) {
	if _, err := v.a.Book.SetFields(v.c.ID, map[string]string{field: value}); err != nil {
		dialog.ShowInformation(lang.X("conflict.title", "Edited on two devices at once"), words.ErrorMessage(err), v.a.Win)
		return
	}
	v.a.Changed()
	v.a.Notify.Info(lang.X("conflict.settled", "Conflict settled."))
	v.reload()
}

// reload rebuilds the view from the casebook.
func (v *caseView) reload() { v.a.Nav.OpenCase(v.c.ID) }

// fieldEditor shows the case's fields, and edits them on request.
type fieldEditor struct {
	v       *caseView
	content *fyne.Container
	editing bool

	entries map[string]*widget.Entry
	selects map[string]*widget.Select
	picks   map[string]*widgets.PickEntry
	errs    map[string]*widget.Label
	formErr *widget.Label
	saveBtn *widget.Button

	chanChoice words.Choice[casebook.Channel]
	typeChoice words.Choice[casebook.AppealType]
	urgChoice  words.Choice[casebook.Urgency]
}

func newFieldEditor(v *caseView) *fieldEditor {
	e := &fieldEditor{v: v, content: container.NewVBox()}
	e.showValues()
	return e
}

// showValues shows the fields read-only.
func (e *fieldEditor) showValues() {
	e.editing = false
	c := e.v.c
	var cells []fyne.CanvasObject
	for _, f := range casebook.CaseFields {
		val := widget.NewLabel(displayValue(f, c.Field(f)))
		val.Wrapping = fyne.TextWrapWord
		val.Selectable = true
		cells = append(cells, widgets.FieldLabel(words.FieldName(f)), val)
	}
	for _, extra := range []struct{ name, val string }{
		{lang.X("case.dispatched_to", "Dispatched to"), c.DispatchedTo},
		{lang.X("case.level", "Handled at"), words.LevelName(c.Escalation)},
		{lang.X("case.result", "Callback"), evaluationText(c)},
	} {
		if extra.val != "" {
			cells = append(cells, widgets.FieldLabel(extra.name), widget.NewLabel(extra.val))
		}
	}
	e.content.Objects = []fyne.CanvasObject{widgets.FormGrid(cells...)}
	e.content.Refresh()
	if e.v.editBtn != nil {
		e.v.editBtn.Enable()
	}
}

// evaluationText is the resident's verdict, or "".
func evaluationText(c *casebook.Case) string {
	if c.Callback != "" {
		return words.CallbackName(c.Callback)
	}
	if c.Solved == "" && c.Satisfaction == "" {
		return ""
	}
	return words.SolvedName(c.Solved) + words.Sep() + words.SatisfactionName(c.Satisfaction)
}

// start switches to editing.
func (e *fieldEditor) start() {
	e.editing = true
	c := e.v.c
	set := e.v.a.Settings()
	e.entries, e.selects, e.picks, e.errs = map[string]*widget.Entry{}, map[string]*widget.Select{}, map[string]*widgets.PickEntry{}, map[string]*widget.Label{}
	e.chanChoice = words.NewChoice(casebook.Channels(), words.ChannelName)
	e.typeChoice = words.NewChoice(casebook.Types(), words.TypeName)
	e.urgChoice = words.NewChoice(casebook.Urgencies(), words.UrgencyName)
	var cells []fyne.CanvasObject
	for _, f := range casebook.CaseFields {
		e.errs[f] = widgets.ErrLabel()
		var input fyne.CanvasObject
		var extra []fyne.CanvasObject
		switch f {
		case casebook.FieldChannel:
			s := widgets.NewSelect(e.chanChoice.Names, nil)
			s.SetSelectedIndex(e.chanChoice.Index(c.Channel()))
			e.selects[f], input = s, s
		case casebook.FieldType:
			s := widgets.NewSelect(e.typeChoice.Names, nil)
			s.SetSelectedIndex(e.typeChoice.Index(c.Type()))
			e.selects[f], input = s, s
		case casebook.FieldUrgency:
			s := widgets.NewSelect(e.urgChoice.Names, nil)
			u := c.Urgency()
			if u == "" {
				u = casebook.UrgencyGeneral
			}
			s.SetSelectedIndex(e.urgChoice.Index(u))
			e.selects[f], input = s, s
		case casebook.FieldCategory, casebook.FieldBuilding:
			opts := set.Categories
			if f == casebook.FieldBuilding {
				opts = buildingList(set.Community.Buildings, nil)
			}
			p := widgets.NewPickEntry(opts)
			p.SetText(c.Field(f))
			e.picks[f], input = p, p
			extra = append(extra, p.Hint)
		default:
			var en *widget.Entry
			if f == casebook.FieldDetails {
				en = widget.NewMultiLineEntry()
				en.Wrapping = fyne.TextWrapWord
				en.SetMinRowsVisible(3)
			} else {
				en = widget.NewEntry()
			}
			en.SetText(displayValue(f, c.Field(f)))
			e.entries[f], input = en, en
		}
		cells = append(cells, widgets.FieldLabel(words.FieldName(f)), widgets.FieldCell(input, append(extra, e.errs[f])...))
	}
	e.formErr = widgets.ErrLabel()
	e.saveBtn = widget.NewButtonWithIcon(lang.X("case.edit.save", "Save changes"), theme.DocumentSaveIcon(), guard.Func(e.save))
	e.saveBtn.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.X("form.cancel", "Cancel"), guard.Func(e.showValues))
	e.content.Objects = []fyne.CanvasObject{widgets.FormGrid(cells...), e.formErr, container.NewHBox(e.saveBtn, cancel)}
	e.content.Refresh()
	if e.v.editBtn != nil {
		e.v.editBtn.Disable()
	}
}

// changes returns the edited fields whose values differ from the case's,
// as stored values.
func (e *fieldEditor) changes() (map[string]string, *casebook.FieldError) {
	c := e.v.c
	out := map[string]string{}
	for _, f := range casebook.CaseFields {
		old := c.Field(f)
		var nv string
		switch {
		case e.selects[f] != nil:
			i := e.selects[f].SelectedIndex()
			switch f {
			case casebook.FieldChannel:
				nv = string(e.chanChoice.Code(i))
			case casebook.FieldType:
				nv = string(e.typeChoice.Code(i))
			case casebook.FieldUrgency:
				nv = string(e.urgChoice.Code(i))
				if old == "" && nv == string(casebook.UrgencyGeneral) {
					continue
				}
			}
			if i < 0 {
				continue
			}
		case e.picks[f] != nil:
			nv = e.picks[f].Value()
		default:
			text := e.entries[f].Text
			if f == casebook.FieldReceived {
				if strings.TrimSpace(text) == displayValue(f, old) {
					continue
				}
				t, err := words.ParseMinute(text)
				if err != nil || t.IsZero() {
					return nil, &casebook.FieldError{Field: f, Code: casebook.CodeBadTime, Msg: "bad time"}
				}
				nv = t.UTC().Format(time.RFC3339)
			} else {
				nv = strings.TrimSpace(text)
			}
		}
		if nv != old {
			out[f] = nv
		}
	}
	return out, nil
}

// save writes the changed fields and offers to undo.
func (e *fieldEditor) save() {
	for _, l := range e.errs {
		widgets.SetErr(l, "")
	}
	widgets.SetErr(e.formErr, "")
	ch, ferr := e.changes()
	if ferr != nil {
		widgets.SetErr(e.errs[ferr.Field], words.FieldErrorText(ferr))
		return
	}
	if len(ch) == 0 {
		e.showValues()
		return
	}
	a, id := e.v.a, e.v.c.ID
	old := map[string]string{}
	for f := range ch {
		old[f] = e.v.c.Field(f)
	}
	if _, err := a.Book.SetFields(id, ch); err != nil {
		if fes := words.FieldErrors(err); len(fes) > 0 {
			for _, fe := range fes {
				widgets.SetErr(e.errs[fe.Field], words.FieldErrorText(fe))
			}
			return
		}
		widgets.SetErr(e.formErr, words.ErrorMessage(err))
		return
	}
	a.Changed()
	a.Notify.Undo(lang.X("case.edit.saved", "{{.N}} fields changed.", map[string]any{"N": len(ch)}), func() {
		if _, err := a.Book.SetFields(id, old); err != nil {
			a.Notify.Info(words.ErrorMessage(err))
			return
		}
		a.Changed()
		if a.mode == modeCase && a.caseID == id {
			a.Nav.OpenCase(id)
		}
		a.Notify.Info(lang.X("undo.done", "Undone."))
	})
	e.v.reload()
}

// stepForm is the dialog of one loop step: its inputs, inline errors and
// the button that records it.
type stepForm struct {
	v      *caseView
	action casebook.Action

	at           *widget.Entry
	note         *widget.Entry
	to           *widget.SelectEntry
	level        *widget.Select
	solved       *widget.Select
	satisfaction *widget.Select
	errs         map[string]*widget.Label
	formErr      *widget.Label
	warn         *widget.Label // what cannot be undone, for the irreversible steps
	ok           *widget.Button
	dlg          dialog.Dialog

	// atDefault is the time the dialog opened with, to the minute; left as
	// it is, the step is recorded at the moment of saving (a minute-rounded
	// time could fall before an appeal received within the same minute).
	atDefault string

	levels   []casebook.Level
	solvedC  words.Choice[casebook.Solved]
	satisfyC words.Choice[casebook.Satisfaction]
	// callback: "the resident gave a verdict" (index 0), or a callback
	// without one (未评价, 未接通, 拒绝评价).
	callback  *widget.Select
	callbackC words.Choice[casebook.Callback]
}

// openStep shows the dialog for a step.
func (v *caseView) openStep(act casebook.Action) {
	s := &stepForm{v: v, action: act, errs: map[string]*widget.Label{}}
	for _, f := range []string{"at", "note", "to", "solved", "satisfaction", "callback"} {
		s.errs[f] = widgets.ErrLabel()
	}
	s.at = widget.NewEntry()
	s.atDefault = words.FmtTime(v.a.Now())
	s.at.SetText(s.atDefault)
	s.note = widget.NewMultiLineEntry()
	s.note.Wrapping = fyne.TextWrapWord
	s.note.SetMinRowsVisible(3)
	var cells []fyne.CanvasObject
	add := func(field string, input fyne.CanvasObject) {
		cells = append(cells, widgets.FieldLabel(words.FieldName(field)), widgets.FieldCell(input, s.errs[field]))
	}
	add("at", s.at)
	switch act {
	case casebook.ActDispatch:
		s.to = widget.NewSelectEntry(dispatchTargets())
		s.to.SetPlaceHolder(lang.X("step.to.hint", "Who handles it"))
		add("to", s.to)
	case casebook.ActEscalate:
		for _, l := range []casebook.Level{casebook.LevelStreet, casebook.LevelDistrict, casebook.LevelCity} {
			if l.Rank() > v.c.Escalation.Rank() {
				s.levels = append(s.levels, l)
			}
		}
		names := make([]string, len(s.levels))
		for i, l := range s.levels {
			names[i] = words.LevelName(l)
		}
		s.level = widgets.NewSelect(names, nil)
		if len(names) > 0 {
			s.level.SetSelectedIndex(0)
		}
		add("to", s.level)
	case casebook.ActEvaluate:
		s.solvedC = words.NewChoice([]casebook.Solved{casebook.SolvedYes, casebook.SolvedPartly, casebook.SolvedNo}, words.SolvedName)
		s.satisfyC = words.NewChoice([]casebook.Satisfaction{casebook.Satisfied, casebook.BasicSatisfied, casebook.NotSatisfied}, words.SatisfactionName)
		s.solved = widgets.NewSelect(s.solvedC.Names, nil)
		s.satisfaction = widgets.NewSelect(s.satisfyC.Names, nil)
		s.callbackC = words.NewChoice([]casebook.Callback{"", casebook.CallbackNone, casebook.CallbackUnreachable, casebook.CallbackRefused},
			func(c casebook.Callback) string {
				if c == "" {
					return lang.X("callback.verdict", "The resident gave a verdict")
				}
				return words.CallbackName(c)
			})
		s.callback = widgets.NewSelect(s.callbackC.Names, func(string) {
			if s.callback.SelectedIndex() > 0 {
				s.solved.Disable()
				s.satisfaction.Disable()
			} else {
				s.solved.Enable()
				s.satisfaction.Enable()
			}
		})
		s.callback.SetSelectedIndex(0)
		add("callback", s.callback)
		add("solved", s.solved)
		add("satisfaction", s.satisfaction)
	}
	add("note", s.note)
	s.formErr = widgets.ErrLabel()

	objs := []fyne.CanvasObject{widgets.FormGrid(cells...)}
	okText := lang.X("step.ok", "Record")
	okImp := widget.HighImportance
	switch act {
	case casebook.ActClose:
		s.warn = widgets.Warning(lang.X("step.close.warn", "Closing out crosses the appeal off the ledger. It cannot be undone; if the problem comes back, use Reopen."))
		objs = append(objs, s.warn)
		okText, okImp = lang.X("step.close.ok", "Close out"), widget.DangerImportance
	case casebook.ActUnresolvable:
		s.warn = widgets.Warning(lang.X("step.unresolvable.warn", "Marking the appeal as impossible to resolve cannot be undone; explain why in the note."))
		objs = append(objs, s.warn)
		okText, okImp = lang.X("step.unresolvable.ok", "Mark as cannot be resolved"), widget.DangerImportance
	case casebook.ActEscalate:
		s.warn = widgets.Warning(lang.X("step.escalate.warn", "Escalation hands the appeal to a higher level and cannot be undone."))
		objs = append(objs, s.warn)
		okText, okImp = lang.X("step.escalate.ok", "Escalate"), widget.DangerImportance
	case casebook.ActReopen:
		objs = append(objs, widgets.Note(lang.X("step.reopen.note", "The earlier result no longer stands; the appeal is handled again.")))
	}
	objs = append(objs, s.formErr)
	s.ok = widget.NewButton(okText, guard.Func(s.submit))
	s.ok.Importance = okImp
	cancel := widget.NewButton(lang.X("form.cancel", "Cancel"), guard.Func(func() { s.close() }))
	body := container.NewVBox(objs...)
	s.dlg = dialog.NewCustomWithoutButtons(words.ActionName(act)+words.Sep()+v.c.Number(),
		container.NewBorder(nil, container.NewHBox(widgets.Spacer(), cancel, s.ok), nil, nil, body), v.a.Win)
	s.dlg.Resize(fyne.NewSize(560, 0))
	v.step = s
	s.dlg.Show()
	switch {
	case s.to != nil:
		v.a.Win.Canvas().Focus(s.to)
	default:
		v.a.Win.Canvas().Focus(s.note)
	}
}

// fieldErrorText is words.FieldErrorText, except that a missing note is
// asked for as the step needs it: a reason for "cannot be resolved" and
// "reopen", the text itself for a note or a progress note.
func (s *stepForm) fieldErrorText(fe *casebook.FieldError) string {
	if fe.Field == "note" && fe.Code == casebook.CodeRequired {
		switch s.action {
		case casebook.ActUnresolvable, casebook.ActReopen:
			return lang.X("ferr.explain", "explain why")
		}
		return lang.X("ferr.note", "write the note")
	}
	return words.FieldErrorText(fe)
}

// dispatchTargets are the usual handlers a case is dispatched to.
func dispatchTargets() []string {
	return []string{
		lang.X("target.property", "Property company"),
		lang.X("target.grid", "Grid worker"),
		lang.X("target.community", "Community committee"),
		lang.X("target.building_head", "Building head"),
		lang.X("target.city_management", "Street city management"),
		lang.X("target.construction", "Street construction section"),
		lang.X("target.comprehensive", "Comprehensive governance centre"),
		lang.X("target.owners", "Owners' committee"),
	}
}

func (s *stepForm) close() {
	if s.dlg != nil {
		s.dlg.Hide()
	}
	if s.v.step == s {
		s.v.step = nil
	}
}

// submit records the step, or shows why not next to the input concerned.
func (s *stepForm) submit() {
	for _, l := range s.errs {
		widgets.SetErr(l, "")
	}
	widgets.SetErr(s.formErr, "")
	st := casebook.Step{Action: s.action, Note: s.note.Text}
	if strings.TrimSpace(s.at.Text) != s.atDefault {
		at, err := words.ParseMinute(s.at.Text)
		if err != nil {
			widgets.SetErr(s.errs["at"], words.FieldErrorText(&casebook.FieldError{Field: "at", Code: casebook.CodeBadTime, Msg: "bad time"}))
			return
		}
		st.At = at
	}
	switch s.action {
	case casebook.ActDispatch:
		st.To = s.to.Text
	case casebook.ActEscalate:
		if i := s.level.SelectedIndex(); i >= 0 && i < len(s.levels) {
			st.To = string(s.levels[i])
		}
	case casebook.ActEvaluate:
		if cb := s.callbackC.Code(s.callback.SelectedIndex()); cb != "" {
			st.Callback = cb
			break
		}
		st.Solved = s.solvedC.Code(s.solved.SelectedIndex())
		st.Satisfaction = s.satisfyC.Code(s.satisfaction.SelectedIndex())
	}
	a := s.v.a
	if _, err := a.Book.Step(s.v.c.ID, st); err != nil {
		if fes := words.FieldErrors(err); len(fes) > 0 {
			for _, fe := range fes {
				if l, ok := s.errs[fe.Field]; ok {
					widgets.SetErr(l, s.fieldErrorText(fe))
				} else {
					widgets.SetErr(s.formErr, words.ErrorMessage(fe))
				}
			}
			return
		}
		if errors.Is(err, casebook.ErrTransition) {
			widgets.SetErr(s.formErr, lang.X("step.refused", "This step is no longer allowed: the appeal's status changed (perhaps on another device). Close this dialog to see it."))
			return
		}
		widgets.SetErr(s.formErr, words.ErrorMessage(err))
		return
	}
	s.close()
	a.Changed()
	a.Notify.Info(lang.X("step.done", "Recorded: {{.Action}}.", map[string]any{"Action": words.ActionName(s.action)}))
	s.v.reload()
}

// linkForm is the dialog that links the case to another.
type linkForm struct {
	target  *widget.Entry
	kind    *widget.Select
	kinds   words.Choice[casebook.LinkKind]
	err     *widget.Label
	ok      *widget.Button
	dlg     dialog.Dialog
	caseVew *caseView
}

func (v *caseView) openLink() {
	f := &linkForm{caseVew: v}
	f.kinds = words.NewChoice([]casebook.LinkKind{casebook.LinkDuplicate, casebook.LinkRecurring, casebook.LinkOpposing, casebook.LinkRelated}, words.LinkKindName)
	f.target = widget.NewEntry()
	f.target.SetPlaceHolder(lang.X("link.target.hint", "Number of the other appeal, e.g. 20260315-007"))
	f.kind = widgets.NewSelect(f.kinds.Names, nil)
	f.kind.SetSelectedIndex(0)
	f.err = widgets.ErrLabel()
	f.ok = widget.NewButton(lang.X("link.ok", "Link"), guard.Func(f.submit))
	f.ok.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.X("form.cancel", "Cancel"), guard.Func(func() { f.dlg.Hide() }))
	body := container.NewVBox(widgets.FormGrid(
		widgets.FieldLabel(lang.X("link.target", "Other appeal")), widgets.FieldCell(f.target, f.err),
		widgets.FieldLabel(lang.X("link.kind", "Relation")), f.kind,
	))
	f.dlg = dialog.NewCustomWithoutButtons(lang.X("case.link", "Link to another appeal"),
		container.NewBorder(nil, container.NewHBox(widgets.Spacer(), cancel, f.ok), nil, nil, body), v.a.Win)
	f.dlg.Resize(fyne.NewSize(480, 0))
	v.link = f
	f.dlg.Show()
	v.a.Win.Canvas().Focus(f.target)
}

func (f *linkForm) submit() {
	v := f.caseVew
	target := strings.TrimSpace(casebook.NormalizeWidth(f.target.Text))
	if target == "" {
		widgets.SetErr(f.err, lang.X("link.target.empty", "write the number of the other appeal"))
		return
	}
	if err := v.a.Book.Link(v.c.ID, target, f.kinds.Code(f.kind.SelectedIndex())); err != nil {
		if errors.Is(err, casebook.ErrNotFound) {
			widgets.SetErr(f.err, lang.X("link.target.missing", "no appeal has this number"))
		} else {
			widgets.SetErr(f.err, words.ErrorMessage(err))
		}
		return
	}
	f.dlg.Hide()
	v.a.Changed()
	v.a.Notify.Info(lang.X("link.done", "Linked."))
	v.reload()
}
