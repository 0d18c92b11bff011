package appeals

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/ui/guard"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// The steps of the 12345 rules in the case view: 退单, 申诉, 延期 and
// their decisions, 并单, 吹哨报到. Their buttons sit under the loop's, in a
// row of their own (the hotline's rules, not the community's loop), and
// each opens a dialog with only what the step needs. What stands of them
// (a request awaiting its decision, an accepted contest, an extension, the
// merge group, the departments summoned) is shown above the fields.

// ruleButtons are the buttons of the rule steps the case allows now:
// requests only when none of the kind waits, decisions only when one does,
// a report only from a department on its way.
func (v *caseView) ruleButtons() []fyne.CanvasObject {
	c := v.c
	var out []fyne.CanvasObject
	for _, act := range casebook.Allowed(c.Status) {
		if !casebook.IsRuleAction(act) || act == casebook.ActMergeIn || !ruleOffered(c, act) {
			continue
		}
		act := act
		b := widget.NewButton(words.ActionName(act), guard.Func(func() { v.openRuleStep(act) }))
		b.Importance = widget.MediumImportance
		if act == casebook.ActReturnDecided || act == casebook.ActContestDecided || act == casebook.ActExtendDecided {
			b.Importance = widget.HighImportance // a decision is what the case waits for
		}
		v.actions[act] = b
		out = append(out, b)
	}
	return out
}

// ruleOffered reports whether the step fits the case's requests and
// whistles, so that only steps that would be taken are offered.
func ruleOffered(c *casebook.Case, act casebook.Action) bool {
	switch act {
	case casebook.ActReturn:
		return !c.Pending.Has(casebook.RequestReturn) && c.MergedInto == ""
	case casebook.ActReturnDecided:
		return c.Pending.Has(casebook.RequestReturn)
	case casebook.ActContest:
		return !c.Pending.Has(casebook.RequestContest) && !c.Contested
	case casebook.ActContestDecided:
		return c.Pending.Has(casebook.RequestContest)
	case casebook.ActExtend:
		return !c.Pending.Has(casebook.RequestExtend) && c.HandledAt.IsZero()
	case casebook.ActExtendDecided:
		return c.Pending.Has(casebook.RequestExtend)
	case casebook.ActMerge:
		return c.MergedInto == "" && len(c.Merged) == 0
	case casebook.ActArrive:
		return len(waitingDepts(c)) > 0
	case casebook.ActWhistleResult:
		return len(c.Whistle) > 0
	}
	return true
}

// waitingDepts are the departments summoned and not yet reported.
func waitingDepts(c *casebook.Case) []string {
	var out []string
	for _, w := range c.Whistle {
		if w.Arrived.IsZero() && !contains(out, w.Dept) {
			out = append(out, w.Dept)
		}
	}
	return out
}

// summonedDepts are the departments ever summoned, in order.
func summonedDepts(c *casebook.Case) []string {
	var out []string
	for _, w := range c.Whistle {
		if !contains(out, w.Dept) {
			out = append(out, w.Dept)
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// ruleState shows what stands of the 12345 rules, or nil if nothing does.
func (v *caseView) ruleState() fyne.CanvasObject {
	c := v.c
	var lines []string
	for _, p := range []struct {
		r    casebook.Requests
		text string
	}{{casebook.RequestReturn, lang.X("rules.pending.return", "Return awaiting the hotline's decision")},
		{casebook.RequestContest, lang.X("rules.pending.contest", "Contest awaiting its decision")},
		{casebook.RequestExtend, lang.X("rules.pending.extend", "Extension awaiting approval")}} {
		if c.Pending.Has(p.r) {
			lines = append(lines, p.text)
		}
	}
	if c.Status == casebook.StatusReturned {
		lines = append(lines, lang.X("rules.returned", "Returned: off the community's books (reassigned to {{.To}})", map[string]any{"To": words.JoinNonEmpty("", c.ReturnTo, "—")}))
	}
	if c.Contested {
		lines = append(lines, lang.X("rules.contested", "Contest accepted: left out of the assessment basis, kept in the ledger"))
	}
	if !c.ExtendedTo.IsZero() {
		lines = append(lines, lang.X("rules.extended", "Extension approved: handle by {{.When}}", map[string]any{"When": words.FmtDeadline(c.ExtendedTo)}))
	}
	idx := v.a.Book.Store().Index()
	number := func(id string) string {
		if s, ok := idx.Get(id); ok {
			return s.Number
		}
		return id
	}
	if c.MergedInto != "" {
		lines = append(lines, lang.X("rules.merged_into", "Merged into {{.Main}}: follows its handling, keeps its own evaluation", map[string]any{"Main": number(c.MergedInto)}))
	}
	if len(c.Merged) > 0 {
		ns := make([]string, len(c.Merged))
		for i, id := range c.Merged {
			ns[i] = number(id)
		}
		lines = append(lines, lang.X("rules.main", "Main appeal of: {{.List}}", map[string]any{"List": words.Enum(ns)}))
	}
	for _, w := range c.Whistle {
		state := lang.X("rules.dept.waiting", "not reported yet")
		if !w.Arrived.IsZero() {
			state = lang.X("rules.dept.arrived", "reported {{.When}} ({{.Min}} min)", map[string]any{"When": words.FmtTime(w.Arrived),
				"Min": words.FmtInt(int(w.Arrived.Sub(w.Summoned).Minutes()))})
		}
		if w.Rating != "" {
			state += words.Sep() + words.SatisfactionName(w.Rating)
		}
		lines = append(lines, lang.X("rules.dept", "Whistle: {{.Dept}}, summoned {{.When}}, {{.State}}", map[string]any{"Dept": w.Dept, "When": words.FmtTime(w.Summoned), "State": state}))
	}
	if len(lines) == 0 {
		return nil
	}
	l := widget.NewLabel(strings.Join(lines, "\n"))
	l.Wrapping = fyne.TextWrapWord
	return widget.NewCard("", lang.X("rules.heading", "12345 rules"), l)
}

// ruleEventDetail is what a timeline event of the rules says beyond its
// note.
func (v *caseView) ruleEventDetail(e *casebook.Event) []string {
	var out []string
	if e.Decision != "" {
		out = append(out, words.DecisionName(e.Decision))
	}
	if e.Until != (casebook.Date{}) {
		out = append(out, lang.X("timeline.until", "Until {{.Day}}", map[string]any{"Day": words.FmtDate(e.Until)}))
	}
	if e.Callback != "" {
		out = append(out, words.CallbackName(e.Callback))
	}
	if e.To != "" {
		switch e.Action {
		case casebook.ActReturn, casebook.ActReturnDecided:
			out = append(out, lang.X("timeline.return_to", "Reassign to: {{.To}}", map[string]any{"To": e.To}))
		case casebook.ActWhistle:
			out = append(out, lang.X("timeline.summoned", "Summoned: {{.To}}", map[string]any{"To": strings.ReplaceAll(e.To, ",", words.EnumSep())}))
		case casebook.ActArrive:
			out = append(out, lang.X("timeline.department", "Department: {{.To}}", map[string]any{"To": e.To}))
		}
	}
	if e.Ref != "" && e.Action != casebook.ActNote {
		if s, ok := v.a.Book.Store().Index().Get(e.Ref); ok {
			out = append(out, lang.X("timeline.ref", "Appeal {{.Number}}", map[string]any{"Number": s.Number}))
		}
	}
	for _, r := range e.Ratings {
		out = append(out, r.Dept+words.Sep()+words.SatisfactionName(r.Rating))
	}
	if e.Evidence != "" {
		out = append(out, lang.X("timeline.evidence", "Evidence: {{.Text}}", map[string]any{"Text": e.Evidence}))
	}
	return out
}

// ruleForm is the dialog of one rule step.
type ruleForm struct {
	v         *caseView
	action    casebook.Action
	at        *widget.Entry
	note      *widget.Entry
	text      *widget.Entry // to (return), departments, evidence, the main appeal, the day
	evidence  *widget.Entry // contest
	until     *widget.Entry // extend, extend decided
	decision  *widget.RadioGroup
	dept      *widget.Select // arrive
	ratings   []*widget.Select
	depts     []string
	grades    words.Choice[casebook.Satisfaction]
	errs      map[string]*widget.Label
	noteField string // what the note is asked as: note, reason or result
	formErr   *widget.Label
	ok        *widget.Button
	dlg       dialog.Dialog
	atText    string
}

// openRuleStep shows the dialog of a rule step.
func (v *caseView) openRuleStep(act casebook.Action) {
	f := &ruleForm{v: v, action: act, errs: map[string]*widget.Label{}}
	for _, k := range []string{"at", "note", "reason", "result", "return_to", "evidence", "until", "accepted", "departments", "department", "into", "ratings"} {
		f.errs[k] = widgets.ErrLabel()
	}
	var cells []fyne.CanvasObject
	add := func(field string, input fyne.CanvasObject) {
		if dept, ok := strings.CutPrefix(field, "dept:"); ok { // a department's rating
			cells = append(cells, widgets.FieldLabel(dept), widgets.FieldCell(input))
			return
		}
		cells = append(cells, widgets.FieldLabel(words.FieldName(field)), widgets.FieldCell(input, f.errs[field]))
	}
	f.at = widget.NewEntry()
	f.atText = words.FmtTime(v.a.Now())
	f.at.SetText(f.atText)
	f.note = widget.NewMultiLineEntry()
	f.note.Wrapping = fyne.TextWrapWord
	f.note.SetMinRowsVisible(3)
	if act != casebook.ActMerge {
		add("at", f.at)
	}
	f.noteField = f.fields(add)
	if f.noteField != "" {
		add(f.noteField, f.note)
	}
	f.formErr = widgets.ErrLabel()
	objs := []fyne.CanvasObject{widgets.FormGrid(cells...)}
	if hint := ruleHint(act); hint != "" {
		objs = append(objs, widgets.Note(hint))
	}
	objs = append(objs, f.formErr)
	f.ok = widget.NewButton(lang.X("step.ok", "Record"), guard.Func(f.submit))
	f.ok.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.X("form.cancel", "Cancel"), guard.Func(func() { f.dlg.Hide() }))
	f.dlg = dialog.NewCustomWithoutButtons(words.ActionName(act)+words.Sep()+v.c.Number(),
		container.NewBorder(nil, container.NewHBox(widgets.Spacer(), cancel, f.ok), nil, nil, container.NewVBox(objs...)), v.a.Win)
	f.dlg.Resize(fyne.NewSize(560, 0))
	v.rule = f
	f.dlg.Show()
}

// fields adds the inputs of the step and returns the field its note is
// shown as ("" for none).
func (f *ruleForm) fields(add func(string, fyne.CanvasObject)) string {
	c := f.v.c
	switch f.action {
	case casebook.ActReturn:
		f.text = widget.NewEntry()
		f.text.SetPlaceHolder(lang.X("rules.return.to.hint", "The unit it belongs to, e.g. the street's city management section"))
		add("return_to", f.text)
		return "reason"
	case casebook.ActContest:
		f.evidence = widget.NewMultiLineEntry()
		f.evidence.Wrapping = fyne.TextWrapWord
		add("evidence", f.evidence)
		return "reason"
	case casebook.ActExtend:
		f.until = widget.NewEntry()
		f.until.SetPlaceHolder("2026-03-20")
		add("until", f.until)
		return "reason"
	case casebook.ActReturnDecided, casebook.ActContestDecided, casebook.ActExtendDecided:
		f.decision = widget.NewRadioGroup([]string{words.DecisionName(casebook.DecisionAccepted), words.DecisionName(casebook.DecisionRefused)}, nil)
		f.decision.Horizontal = true
		add("accepted", f.decision)
		if f.action == casebook.ActExtendDecided {
			f.until = widget.NewEntry()
			f.until.SetPlaceHolder(lang.X("rules.until.asked", "the day asked for"))
			add("until", f.until)
		}
		if f.action == casebook.ActReturnDecided {
			f.text = widget.NewEntry()
			f.text.SetText(c.ReturnTo)
			add("return_to", f.text)
		}
		return "note"
	case casebook.ActMerge:
		f.text = widget.NewEntry()
		f.text.SetPlaceHolder(lang.X("link.target.hint", "Number of the other appeal, e.g. 20260315-007"))
		add("into", f.text)
		return ""
	case casebook.ActWhistle:
		f.text = widget.NewEntry()
		f.text.SetPlaceHolder(lang.X("rules.departments.hint", "City management, fire brigade, property company"))
		add("departments", f.text)
		return "note"
	case casebook.ActArrive:
		f.dept = widgets.NewSelect(waitingDepts(c), nil)
		if len(f.dept.Options) > 0 {
			f.dept.SetSelectedIndex(0)
		}
		add("department", f.dept)
		return "note"
	case casebook.ActWhistleResult:
		f.grades = words.NewChoice([]casebook.Satisfaction{casebook.Satisfied, casebook.BasicSatisfied, casebook.NotSatisfied}, words.SatisfactionName)
		f.depts = summonedDepts(c)
		for _, d := range f.depts {
			s := widgets.NewSelect(f.grades.Names, nil)
			s.PlaceHolder = lang.X("rules.rating.hint", "Rate its part")
			f.ratings = append(f.ratings, s)
			add("dept:"+d, s)
		}
		return "result"
	}
	return "note"
}

// ruleHint says what a step does to the books and the rates.
func ruleHint(act casebook.Action) string {
	switch act {
	case casebook.ActReturn:
		return lang.X("rules.return.hint", "If the hotline accepts the return, the appeal leaves the community's books (kept in the ledger as returned).")
	case casebook.ActContest:
		return lang.X("rules.contest.hint", "An accepted contest leaves the appeal out of the assessment basis; the ledger and the raw basis keep it.")
	case casebook.ActExtend:
		return lang.X("rules.extend.hint", "An approved extension moves the handling deadline to the end of that day.")
	case casebook.ActMerge:
		return lang.X("rules.merge.hint", "The repeated appeal follows the main one's handling steps; each keeps its own evaluation.")
	case casebook.ActWhistle:
		return lang.X("rules.whistle.hint", "The departments summoned must report to the scene; the time each takes is counted.")
	}
	return ""
}

// step reads the dialog into a step, or says what is missing.
func (f *ruleForm) step() (casebook.Step, bool) {
	st := casebook.Step{Action: f.action, Note: f.note.Text}
	if strings.TrimSpace(f.at.Text) != f.atText {
		at, err := words.ParseMinute(f.at.Text)
		if err != nil {
			widgets.SetErr(f.errs["at"], words.FieldErrorText(&casebook.FieldError{Field: "at", Code: casebook.CodeBadTime}))
			return st, false
		}
		st.At = at
	}
	if f.text != nil {
		st.To = f.text.Text
	}
	if f.evidence != nil {
		st.Evidence = f.evidence.Text
	}
	if f.until != nil && strings.TrimSpace(f.until.Text) != "" {
		d, err := casebook.ParseDate(f.until.Text)
		if err != nil {
			widgets.SetErr(f.errs["until"], words.MsgDate())
			return st, false
		}
		st.Until = d
	}
	if f.decision != nil {
		switch f.decision.Selected {
		case words.DecisionName(casebook.DecisionAccepted):
			st.Decision = casebook.DecisionAccepted
		case words.DecisionName(casebook.DecisionRefused):
			st.Decision = casebook.DecisionRefused
		}
	}
	if f.dept != nil {
		st.To = f.dept.Selected
	}
	for i, s := range f.ratings {
		if g := f.grades.Code(s.SelectedIndex()); g != "" {
			st.Ratings = append(st.Ratings, casebook.DeptRating{Dept: f.depts[i], Rating: g})
		}
	}
	return st, true
}

// submit records the step, or shows why not next to the input concerned.
func (f *ruleForm) submit() {
	for _, l := range f.errs {
		widgets.SetErr(l, "")
	}
	widgets.SetErr(f.formErr, "")
	st, ok := f.step()
	if !ok {
		return
	}
	a := f.v.a
	var err error
	if f.action == casebook.ActMerge {
		_, err = a.Book.MergeCase(f.v.c.ID, strings.TrimSpace(casebook.NormalizeWidth(st.To)))
	} else {
		_, err = a.Book.Step(f.v.c.ID, st)
	}
	if err != nil {
		f.showErr(err)
		return
	}
	f.dlg.Hide()
	if f.v.rule == f {
		f.v.rule = nil
	}
	a.Changed()
	a.Notify.Info(lang.X("step.done", "Recorded: {{.Action}}.", map[string]any{"Action": words.ActionName(f.action)}))
	f.v.reload()
}

func (f *ruleForm) showErr(err error) {
	if errors.Is(err, casebook.ErrNotFound) {
		widgets.SetErr(f.errs["into"], lang.X("link.target.missing", "no appeal has this number"))
		return
	}
	for _, fe := range words.FieldErrors(err) {
		field := fe.Field
		switch field {
		case "note", "reason":
			field = f.noteField
		case "to":
			field = "return_to"
		}
		if l, ok := f.errs[field]; ok && field != "" {
			widgets.SetErr(l, words.FieldErrorText(fe))
		} else {
			widgets.SetErr(f.formErr, words.ErrorMessage(fe))
		}
		return
	}
	widgets.SetErr(f.formErr, words.ErrorMessage(err))
}
