package disputes

import (
	"errors"
	"sort"
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
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// The dispute workspace: the parties side by side (grouped by side), the
// plan versions as a history with a comparison of any two, the meetings
// with their votes, the implementation tasks with a done box, and the
// steps the dispute's status allows. Every change is one store call; the
// workspace is rebuilt from the book afterwards. Edits made on two devices
// at once are listed above everything else, to be settled (conflicts.go).
//
// The dispute's own fields, each party's fields, the minutes of a meeting
// and the linked appeals can be changed in every status, resolved included,
// because the domain allows it: they are the record of what happened, and a
// typo in a title, a position that is better written down late, minutes
// the note-taker hands in a week later, or a late appeal about the same
// slope belong in it after the dispute is settled too. Adding parties and
// meetings stops once the dispute is resolved; that is this workspace's
// choice, not the domain's: a settled dispute has no more talks.

type disputeView struct {
	a       *Section
	d       *casebook.Dispute
	content fyne.CanvasObject

	actions   map[string]*widget.Button // by action key: "edit", "link", "party", "plan", "meeting", "vote", DisputeAction codes, "close"
	printBtn  *widget.Button            // prints the mediation agreement (print.go)
	tasks     map[string]*widget.Check  // done boxes by task id
	parties   map[string]*widget.Button // "Edit" buttons by party id
	minutes   map[string]*widget.Button // "Add to minutes" buttons by meeting id
	linker    *appealPicker             // the checklist of the link dialog last opened
	form      *dForm                    // the step dialog, while open
	confirm   dialog.Dialog             // the confirmation, while open
	confirmOK func()                    // what the confirmation does (tests)

	cmpA, cmpB *widget.Select
	diff       *fyne.Container
}

// Action keys for steps that are not DisputeActions.
const (
	dactEdit    = "edit"
	dactLink    = "link"
	dactParty   = "party"
	dactMeeting = "meeting"
	dactVote    = "vote"
	dactClose   = "close"
)

func newDisputeView(a *Section, id string) *disputeView {
	d, err := a.Book.Dispute(id)
	if err != nil {
		return nil
	}
	v := &disputeView{a: a, d: d, actions: map[string]*widget.Button{}, tasks: map[string]*widget.Check{},
		parties: map[string]*widget.Button{}, minutes: map[string]*widget.Button{}}
	a.dispute = v
	v.build()
	return v
}

// reload re-reads the dispute after a change and rebuilds the workspace.
func (v *disputeView) reload() {
	v.a.Changed()
	v.a.Nav.Rebuild()
}

func (v *disputeView) build() {
	a, d := v.a, v.d
	now := a.Now()
	back := widget.NewButtonWithIcon(lang.X("dispute.back", "All disputes"), theme.NavigateBackIcon(), guard.Func(func() { a.Nav.OpenDispute("") }))
	back.Importance = widget.LowImportance
	title := widgets.Heading(d.Title())
	title.Truncation = fyne.TextTruncateEllipsis
	status := widget.NewLabel(words.DisputeStatusName(d.Status))
	status.Importance = disputeStatusImportance(d.Status)
	edit := widget.NewButtonWithIcon(lang.X("dispute.act.edit", "Edit details"), theme.DocumentCreateIcon(), guard.Func(v.editFields))
	edit.Importance = widget.LowImportance
	v.actions[dactEdit] = edit
	head := container.NewVBox(container.NewBorder(nil, nil, back, container.NewHBox(status, edit, v.agreementButton()), title))
	// The place and the summary scroll with the record: the header keeps to
	// the title, the appeals and the steps, so that at 1024×640 the record
	// gets most of the height.
	info := words.JoinNonEmpty(lang.X("fmt.dash", " — "), d.Place(), d.Summary())
	// Linked appeals: one button each, opening the case.
	links := container.NewHBox(widgets.FieldLabel(lang.X("dispute.appeals", "Appeals:")))
	idx := a.Book.Store().Index()
	linked := 0
	for _, cid := range d.Cases {
		s, ok := idx.Get(cid)
		if !ok {
			continue
		}
		linked++
		id := cid
		b := widget.NewButton(s.Number+" "+words.StatusName(s.Status), guard.Func(func() { a.Nav.OpenCase(id) }))
		b.Importance = widget.LowImportance
		links.Add(b)
	}
	// Offered only while some appeal is not linked yet: the domain refuses
	// a link that adds nothing.
	var more fyne.CanvasObject
	if idx.Len() > linked {
		b := widget.NewButtonWithIcon(lang.X("dispute.act.link", "Link more appeals"), theme.ContentAddIcon(), guard.Func(v.linkAppeals))
		b.Importance = widget.LowImportance
		v.actions[dactLink] = b
		more = b
	}
	head.Add(container.NewBorder(nil, nil, nil, more, container.NewHScroll(links)))
	if d.Status == casebook.DisputeResolved {
		// Why the record cannot be changed, and the way to change it.
		ro := widget.NewLabel(lang.X("dispute.readonly", "Resolved: corrections to the record can still be made, but no new parties, meetings, plans or steps. If the dispute flares up again, reopen it and say why."))
		ro.Importance = widget.SuccessImportance
		ro.Wrapping = fyne.TextWrapWord
		head.Add(ro)
	}
	head.Add(v.actionBar())

	body := container.NewVBox(
		widget.NewCard(lang.X("dispute.parties", "Parties"), "", v.partiesBox()),
		widget.NewCard(lang.X("dispute.plans", "Plan versions"), "", v.plansBox()),
		widget.NewCard(lang.X("dispute.meetings", "Meetings and votes"), "", v.meetingsBox()),
		widget.NewCard(lang.X("dispute.tasks", "Implementation tasks"), "", v.tasksBox(now)),
	)
	if ag := d.Agreement; ag != nil {
		if p, ok := d.Plan(ag.Plan); ok {
			body.Objects = append([]fyne.CanvasObject{widget.NewCard(lang.X("dispute.agreement", "Agreement"), "",
				widgets.Note(lang.X("dispute.agreement.text", "Plan version {{.N}} agreed on {{.Day}}, signed off by {{.Names}}.",
					map[string]any{"N": words.FmtInt(p.N), "Day": words.FmtDay(ag.At), "Names": words.Enum(ag.SignedOff)})))}, body.Objects...)
		}
	}
	if cb := v.conflicts(); cb != nil {
		body.Objects = append([]fyne.CanvasObject{cb}, body.Objects...)
	}
	if info != "" {
		body.Objects = append([]fyne.CanvasObject{widgets.Note(info)}, body.Objects...)
	}
	v.content = container.NewBorder(head, nil, nil, nil, container.NewVScroll(body))
}

// actionBar offers the steps the status allows.
func (v *disputeView) actionBar() fyne.CanvasObject {
	d := v.d
	bar := container.NewHBox()
	add := func(key, label string, icon fyne.Resource, do func()) {
		b := widget.NewButtonWithIcon(label, icon, guard.Func(do))
		v.actions[key] = b
		bar.Add(b)
	}
	if d.Status.Open() {
		add(dactParty, lang.X("dispute.act.party", "Add party"), theme.AccountIcon(), v.addParty)
		add(dactMeeting, lang.X("dispute.act.meeting", "Record meeting"), theme.MailComposeIcon(), v.addMeeting)
		if len(d.Meetings()) > 0 && len(d.Plans()) > 0 {
			add(dactVote, lang.X("dispute.act.vote", "Record vote"), theme.ConfirmIcon(), v.addVote)
		}
	}
	for _, act := range casebook.DisputeAllowed(d.Status) {
		act := act
		switch act {
		case casebook.DisputeActPlan:
			add(string(act), disputeActionName(act), theme.DocumentCreateIcon(), v.addPlan)
		case casebook.DisputeActAgree:
			if len(d.Plans()) > 0 {
				add(string(act), disputeActionName(act), theme.ConfirmIcon(), v.agree)
			}
		case casebook.DisputeActTask:
			add(string(act), disputeActionName(act), theme.ContentAddIcon(), v.addTask)
		case casebook.DisputeActStall:
			add(string(act), disputeActionName(act), theme.MediaPauseIcon(), func() { v.step(act) })
		case casebook.DisputeActImplement, casebook.DisputeActResume:
			add(string(act), disputeActionName(act), theme.MediaPlayIcon(), func() { v.step(act) })
		case casebook.DisputeActResolve:
			add(string(act), disputeActionName(act), theme.ConfirmIcon(), v.resolve)
		case casebook.DisputeActReopen:
			add(string(act), disputeActionName(act), theme.ViewRefreshIcon(), func() { v.step(act) })
		}
	}
	if d.Status == casebook.DisputeResolved {
		open := 0
		for _, cid := range d.Cases {
			if s, ok := v.a.Book.Store().Index().Get(cid); ok && s.Status != casebook.StatusClosed {
				open++
			}
		}
		if open > 0 {
			add(dactClose, lang.X("dispute.act.close", "Close the linked appeals"), theme.ConfirmIcon(), func() { v.closeLinked(open) })
		}
	}
	for _, key := range []string{string(casebook.DisputeActResolve), dactClose} {
		if b := v.actions[key]; b != nil {
			b.Importance = widget.HighImportance
		}
	}
	return container.NewHScroll(bar)
}

// disputeActionName is a dispute step in the current language.
func disputeActionName(a casebook.DisputeAction) string {
	if words.Language() == words.LangEnglish {
		return words.Capitalize(a.English())
	}
	return a.Chinese()
}

func partyKindName(k casebook.PartyKind) string {
	if words.Language() == words.LangEnglish {
		return words.Capitalize(k.English())
	}
	return k.Chinese()
}

func meetingKindName(k casebook.MeetingKind) string {
	if words.Language() == words.LangEnglish {
		return words.Capitalize(k.English())
	}
	return k.Chinese()
}

func voteMethodName(m casebook.VoteMethod) string {
	if words.Language() == words.LangEnglish {
		return words.Capitalize(m.English())
	}
	return m.Chinese()
}

// partiesBox shows the parties side by side, one column per side.
func (v *disputeView) partiesBox() fyne.CanvasObject {
	parties := v.d.Parties()
	if len(parties) == 0 {
		return widgets.Note(lang.X("dispute.parties.none", "No parties recorded yet. Add each side with what it asks for and why."))
	}
	var sides []string
	bySide := map[string][]casebook.Party{}
	for _, p := range parties {
		s := strings.TrimSpace(p.Side)
		if _, ok := bySide[s]; !ok {
			sides = append(sides, s)
		}
		bySide[s] = append(bySide[s], p)
	}
	sort.SliceStable(sides, func(i, j int) bool { return sides[i] != "" && (sides[j] == "" || sides[i] < sides[j]) })
	cols := container.NewGridWithColumns(max(len(sides), 1))
	for _, s := range sides {
		name := sideName(s)
		col := container.NewVBox(widgets.Heading(name))
		for _, p := range bySide[s] {
			id := p.ID
			edit := widget.NewButtonWithIcon(lang.X("dispute.party.edit", "Edit"), theme.DocumentCreateIcon(), guard.Func(func() { v.editParty(id) }))
			edit.Importance = widget.LowImportance
			v.parties[id] = edit
			name := widget.NewLabelWithStyle(words.JoinNonEmpty(" · ", p.Name, partyKindName(p.Kind), p.Building), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			name.Wrapping = fyne.TextWrapWord
			col.Add(container.NewBorder(nil, nil, nil, edit, name))
			if p.Position != "" {
				col.Add(widgets.Note(lang.X("dispute.position", "Asks for: {{.Text}}", map[string]any{"Text": p.Position})))
			}
			if p.Interest != "" {
				col.Add(widgets.Note(lang.X("dispute.interest", "Because: {{.Text}}", map[string]any{"Text": p.Interest})))
			}
		}
		cols.Add(col)
	}
	return cols
}

// plansBox lists the plan versions, newest first, and compares two.
func (v *disputeView) plansBox() fyne.CanvasObject {
	plans := v.d.Plans()
	if len(plans) == 0 {
		return widgets.Note(lang.X("dispute.plans.none", "No plan on the table yet."))
	}
	box := container.NewVBox()
	for i := len(plans) - 1; i >= 0; i-- {
		p := plans[i]
		t := lang.X("dispute.plan.head", "Version {{.N}}", map[string]any{"N": words.FmtInt(p.N)})
		box.Add(widget.NewLabelWithStyle(words.JoinNonEmpty("  ", t, p.Title, words.FmtDay(p.At), p.Author), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		box.Add(widgets.Note(p.Description))
		for _, f := range []struct{ label, text string }{
			{lang.X("dispute.plan.changes", "What changed"), p.Changes},
			{lang.X("dispute.plan.reason", "Why"), p.Reason},
			{lang.X("dispute.plan.cost", "Cost"), p.Cost},
			{lang.X("dispute.plan.funding", "Funding"), p.Funding},
			{lang.X("dispute.plan.upkeep", "Upkeep"), p.Upkeep},
		} {
			if f.text != "" {
				box.Add(widgets.Note(f.label + lang.X("fmt.colon", ": ") + f.text))
			}
		}
		box.Add(widget.NewSeparator())
	}
	if len(plans) >= 2 {
		names := make([]string, len(plans))
		for i, p := range plans {
			names[i] = lang.X("dispute.plan.head", "Version {{.N}}", map[string]any{"N": words.FmtInt(p.N)})
		}
		v.diff = container.NewVBox()
		show := func(string) {
			i, j := v.cmpA.SelectedIndex(), v.cmpB.SelectedIndex()
			if i < 0 || j < 0 {
				return
			}
			v.diff.Objects = nil
			for _, l := range casebook.PlanDiff(plans[i], plans[j]) {
				v.diff.Add(diffLine(l))
			}
			v.diff.Refresh()
		}
		v.cmpA, v.cmpB = widgets.NewSelect(names, show), widgets.NewSelect(names, show)
		v.cmpA.SetSelectedIndex(len(plans) - 2)
		v.cmpB.SetSelectedIndex(len(plans) - 1)
		box.Add(widgets.Heading(lang.X("dispute.compare", "Compare versions")))
		box.Add(container.NewHBox(v.cmpA, widget.NewLabel("→"), v.cmpB))
		box.Add(v.diff)
	}
	return box
}

// diffLine is one line of a comparison: removed lines red with "−", added
// green with "+".
func diffLine(l casebook.DiffLine) fyne.CanvasObject {
	field := planFieldName(l.Field)
	text := l.Text
	if field != "" {
		text = field + lang.X("fmt.colon", ": ") + text
	}
	lbl := widget.NewLabel("")
	lbl.Wrapping = fyne.TextWrapWord
	switch l.Kind {
	case casebook.DiffAdded:
		lbl.SetText("+ " + text)
		lbl.Importance = widget.SuccessImportance
	case casebook.DiffRemoved:
		lbl.SetText("− " + text)
		lbl.Importance = widget.DangerImportance
	default:
		lbl.SetText("  " + text)
	}
	return lbl
}

// planFieldName names a plan field in a comparison ("" for the description).
func planFieldName(f string) string {
	switch f {
	case "title":
		return lang.X("dispute.plan.title", "Title")
	case "cost":
		return lang.X("dispute.plan.cost", "Cost")
	case "funding":
		return lang.X("dispute.plan.funding", "Funding")
	case "upkeep":
		return lang.X("dispute.plan.upkeep", "Upkeep")
	}
	return ""
}

// meetingsBox lists the meetings with their minutes, each addition after
// them in the order written, and their votes.
func (v *disputeView) meetingsBox() fyne.CanvasObject {
	meetings := v.d.Meetings()
	if len(meetings) == 0 {
		return widgets.Note(lang.X("dispute.meetings.none", "No meeting recorded yet."))
	}
	planNo := map[string]int{}
	for _, p := range v.d.Plans() {
		planNo[p.ID] = p.N
	}
	votes := v.d.Votes()
	box := container.NewVBox()
	for i := len(meetings) - 1; i >= 0; i-- {
		m := meetings[i]
		id := m.ID
		add := widget.NewButtonWithIcon(lang.X("dispute.act.minutes", "Add to minutes"), theme.DocumentCreateIcon(), guard.Func(func() { v.appendMinutes(id) }))
		add.Importance = widget.LowImportance
		v.minutes[id] = add
		line := widget.NewLabelWithStyle(meetingLine(m), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		line.Wrapping = fyne.TextWrapWord
		box.Add(container.NewBorder(nil, nil, nil, add, line))
		var att []string
		for _, x := range m.Attendees {
			s := words.JoinNonEmpty(" ", x.Role, x.Name)
			if x.Count > 0 {
				s += lang.X("dispute.count", " ({{.N}})", map[string]any{"N": words.FmtInt(x.Count)})
			}
			att = append(att, s)
		}
		if len(att) > 0 {
			box.Add(widgets.Note(lang.X("dispute.attendees", "Present: {{.List}}", map[string]any{"List": words.Enum(att)})))
		}
		if m.Minutes != "" {
			box.Add(widgets.Note(m.Minutes))
		}
		for _, ad := range m.Addenda {
			box.Add(widgets.Note(lang.X("dispute.addendum", "Added {{.Day}}: {{.Text}}", map[string]any{"Day": words.FmtDay(ad.At), "Text": ad.Text})))
		}
		for _, vt := range votes {
			if vt.Meeting != m.ID {
				continue
			}
			res := lang.X("dispute.vote.failed", "not passed")
			imp := widget.DangerImportance
			if vt.Passed() {
				res, imp = lang.X("dispute.vote.passed", "passed"), widget.SuccessImportance
			}
			l := widget.NewLabel(lang.X("dispute.vote", "Vote on version {{.N}} ({{.Method}}): {{.For}} for, {{.Against}} against, {{.Abstain}} abstaining — {{.Result}}",
				map[string]any{"N": words.FmtInt(planNo[vt.Plan]), "Method": voteMethodName(vt.Method), "For": words.FmtInt(vt.For), "Against": words.FmtInt(vt.Against), "Abstain": words.FmtInt(vt.Abstain), "Result": res}))
			l.Importance = imp
			l.Wrapping = fyne.TextWrapWord
			box.Add(l)
		}
		box.Add(widget.NewSeparator())
	}
	return box
}

// tasksBox lists the tasks with a done box; overdue ones are marked.
func (v *disputeView) tasksBox(now time.Time) fyne.CanvasObject {
	tasks := v.d.Tasks()
	if len(tasks) == 0 {
		return widgets.Note(lang.X("dispute.tasks.none", "No tasks yet. Once the sides agree, list who does what by when."))
	}
	today := words.StartOfDay(now)
	box := container.NewVBox()
	for _, t := range tasks {
		t := t
		ch := widget.NewCheck(t.Title, nil)
		ch.SetChecked(t.Done)
		ch.OnChanged = guard.Func1(func(on bool) { v.setDone(t.ID, on) })
		v.tasks[t.ID] = ch
		if v.d.Status == casebook.DisputeResolved || v.d.Status == casebook.DisputeStalled {
			ch.Disable()
		}
		info := widget.NewLabel(words.JoinNonEmpty("  ", t.Owner, lang.X("dispute.task.due", "due {{.Day}}", map[string]any{"Day": words.FmtDate(t.Due)})))
		row := container.NewHBox(ch, info)
		switch {
		case t.Done:
			row.Add(widget.NewLabel(lang.X("dispute.task.done", "done {{.Day}}", map[string]any{"Day": words.FmtDay(t.DoneAt)})))
		case t.Due.Time().Before(today):
			o := widget.NewLabel(lang.X("dispute.task.overdue", "overdue"))
			o.Importance = widget.DangerImportance
			row.Add(o)
		}
		box.Add(row)
	}
	return box
}

// setDone ticks a task or takes the mark back.
func (v *disputeView) setDone(taskID string, done bool) {
	if _, err := v.a.Book.SetTaskDone(v.d.ID, taskID, done, v.a.Now()); err != nil {
		v.a.Notify.Info(words.ErrorMessage(err))
	}
	v.reload()
}

// dForm is a step dialog: label / field rows, an inline error, OK and
// Cancel. submit returns an error to keep it open with the error shown.
type dForm struct {
	dlg     *dialog.CustomDialog
	ok      *widget.Button
	errLbl  *widget.Label
	entries map[string]*widget.Entry
	selects map[string]*widget.Select
}

type dRow struct {
	key, label string
	field      fyne.CanvasObject
}

func (v *disputeView) openForm(title string, rows []dRow, submit func(f *dForm) error) *dForm {
	a := v.a
	f := &dForm{errLbl: widgets.ErrLabel(), entries: map[string]*widget.Entry{}, selects: map[string]*widget.Select{}}
	var cells []fyne.CanvasObject
	for _, r := range rows {
		switch w := r.field.(type) {
		case *widget.Entry:
			f.entries[r.key] = w
		case *widget.Select:
			f.selects[r.key] = w
		}
		cells = append(cells, widgets.FieldLabel(r.label), r.field)
	}
	f.ok = widget.NewButtonWithIcon(lang.X("dispute.ok", "Save"), theme.ConfirmIcon(), guard.Func(func() {
		widgets.SetErr(f.errLbl, "")
		if err := submit(f); err != nil {
			widgets.SetErr(f.errLbl, words.DisputeErrorMessage(err))
			return
		}
		f.dlg.Hide()
		v.form = nil
		// Say what was saved: a vote or an agreement typed in after the
		// meeting is worth a word that it is on record.
		a.Notify.Info(lang.X("dispute.saved", "Saved: {{.What}}.", map[string]any{"What": title}))
		v.reload()
	}))
	f.ok.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon(lang.X("form.cancel", "Cancel"), theme.CancelIcon(), guard.Func(func() { f.dlg.Hide(); v.form = nil }))
	body := container.NewVBox(widgets.FormGrid(cells...), f.errLbl)
	f.dlg = dialog.NewCustomWithoutButtons(title, body, a.Win)
	f.dlg.SetButtons([]fyne.CanvasObject{cancel, f.ok})
	f.dlg.Resize(fyne.NewSize(620, 0))
	v.form = f
	f.dlg.Show()
	return f
}

func multiEntry(rows int) *widget.Entry {
	e := widget.NewMultiLineEntry()
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(rows)
	return e
}

// withText fills an entry, so that a dialog opens with the values on
// record.
func withText(e *widget.Entry, text string) *widget.Entry {
	e.SetText(text)
	return e
}

// editFields changes the dispute's title, place and summary.
func (v *disputeView) editFields() {
	d := v.d
	v.openForm(lang.X("dispute.act.edit", "Edit details"), []dRow{
		{casebook.DisputeFieldTitle, lang.X("disputes.f.title", "Title"), withText(widget.NewEntry(), d.Title())},
		{casebook.DisputeFieldPlace, lang.X("disputes.f.place", "Place"), withText(widget.NewEntry(), d.Place())},
		{casebook.DisputeFieldSummary, lang.X("disputes.f.summary", "Summary"), withText(multiEntry(3), d.Summary())},
	}, func(f *dForm) error {
		if err := words.Need(f.entries[casebook.DisputeFieldTitle].Text, lang.X("disputes.err.title", "Give the dispute a title.")); err != nil {
			return err
		}
		changes := changedFields(f, map[string]string{
			casebook.DisputeFieldTitle: d.Title(), casebook.DisputeFieldPlace: d.Place(), casebook.DisputeFieldSummary: d.Summary(),
		})
		if len(changes) == 0 {
			return nil
		}
		_, err := v.a.Book.SetDisputeFields(d.ID, changes)
		return err
	})
}

// changedFields are the entries of the form whose text, trimmed, differs
// from the value on record. Only those are saved: every field is a register
// of its own, and writing back an unchanged one would overrule an edit of
// it made meanwhile on the other device, or settle a conflict on it that
// the secretary has not looked at.
func changedFields(f *dForm, was map[string]string) map[string]string {
	out := map[string]string{}
	for k, old := range was {
		if e, ok := f.entries[k]; ok && strings.TrimSpace(e.Text) != old {
			out[k] = e.Text
		}
	}
	return out
}

func (v *disputeView) addParty() {
	v.partyForm(lang.X("dispute.act.party", "Add party"), casebook.Party{Side: nextSide(v.d.Parties())}, func(p casebook.Party, _ *dForm) error {
		_, err := v.a.Book.AddParty(v.d.ID, p)
		return err
	})
}

// editParty changes a party's fields, typically its position or interest
// as the talks move on.
func (v *disputeView) editParty(id string) {
	old, ok := v.d.Party(id)
	if !ok {
		return
	}
	v.partyForm(lang.X("dispute.party.edit.title", "Edit party"), old, func(p casebook.Party, f *dForm) error {
		changes := changedFields(f, map[string]string{
			casebook.PartyFieldName: old.Name, casebook.PartyFieldBuilding: old.Building, casebook.PartyFieldSide: old.Side,
			casebook.PartyFieldPosition: old.Position, casebook.PartyFieldInterest: old.Interest,
		})
		if p.Kind != old.Kind {
			changes[casebook.PartyFieldKind] = string(p.Kind)
		}
		if len(changes) == 0 {
			return nil
		}
		_, err := v.a.Book.SetParty(v.d.ID, id, changes)
		return err
	})
}

// partyForm is the party dialog, filled with p, for adding a party and for
// changing one alike; save gets the party as typed. Its row keys are the
// party field codes, so the form can tell which fields were changed.
func (v *disputeView) partyForm(title string, p casebook.Party, save func(casebook.Party, *dForm) error) {
	kinds := casebook.PartyKinds()
	kindNames := make([]string, len(kinds))
	sel := 0
	for i, k := range kinds {
		kindNames[i] = partyKindName(k)
		if k == p.Kind {
			sel = i
		}
	}
	kind := widgets.NewSelect(kindNames, nil)
	kind.SetSelectedIndex(sel)
	v.openForm(title, []dRow{
		{casebook.PartyFieldName, lang.X("dispute.f.party", "Name"), withText(widget.NewEntry(), p.Name)},
		{casebook.PartyFieldKind, lang.X("dispute.f.kind", "Kind"), kind},
		{casebook.PartyFieldBuilding, lang.X("dispute.f.building", "Building"), withText(widget.NewEntry(), p.Building)},
		{casebook.PartyFieldSide, lang.X("dispute.f.side", "Side"), withText(widget.NewEntry(), p.Side)},
		{casebook.PartyFieldPosition, lang.X("dispute.f.position", "Asks for"), withText(multiEntry(2), p.Position)},
		{casebook.PartyFieldInterest, lang.X("dispute.f.interest", "Because (the interest behind it)"), withText(multiEntry(2), p.Interest)},
	}, func(f *dForm) error {
		e := f.entries
		if err := words.Need(e[casebook.PartyFieldName].Text, lang.X("dispute.err.name", "Write the party's name.")); err != nil {
			return err
		}
		return save(casebook.Party{Name: e[casebook.PartyFieldName].Text, Kind: kinds[max(kind.SelectedIndex(), 0)],
			Building: e[casebook.PartyFieldBuilding].Text, Side: strings.TrimSpace(e[casebook.PartyFieldSide].Text),
			Position: e[casebook.PartyFieldPosition].Text, Interest: e[casebook.PartyFieldInterest].Text}, f)
	})
}

// nextSide suggests a side for a new party: A, then B, then whatever side
// has the fewest parties.
func nextSide(ps []casebook.Party) string {
	n := map[string]int{}
	for _, p := range ps {
		n[p.Side]++
	}
	if n["A"] == 0 {
		return "A"
	}
	if n["B"] == 0 {
		return "B"
	}
	return ""
}

func (v *disputeView) addPlan() {
	desc := multiEntry(5)
	if ps := v.d.Plans(); len(ps) > 0 {
		desc.SetText(ps[len(ps)-1].Description) // revise the latest
	}
	v.openForm(disputeActionName(casebook.DisputeActPlan), []dRow{
		{"title", lang.X("dispute.plan.title", "Title"), widget.NewEntry()},
		{"description", lang.X("dispute.plan.description", "The plan"), desc},
		{"changes", lang.X("dispute.plan.changes", "What changed"), multiEntry(2)},
		{"reason", lang.X("dispute.plan.reason", "Why"), multiEntry(2)},
		{"cost", lang.X("dispute.plan.cost", "Cost"), widget.NewEntry()},
		{"funding", lang.X("dispute.plan.funding", "Funding"), widget.NewEntry()},
		{"upkeep", lang.X("dispute.plan.upkeep", "Upkeep"), widget.NewEntry()},
		// When it was drawn up: a version typed in after the meeting it
		// was shown at is dated before it, so that the meeting's vote can
		// name it.
		{"at", lang.X("dispute.plan.at", "Drawn up on"), withText(widget.NewEntry(), words.FmtTime(v.a.Now()))},
	}, func(f *dForm) error {
		e := f.entries
		if err := words.Need(e["description"].Text, lang.X("dispute.err.description", "Describe the plan.")); err != nil {
			return err
		}
		when, err := v.pastTime(e["at"].Text)
		if err != nil {
			return err
		}
		_, err = v.a.Book.AddPlan(v.d.ID, casebook.PlanVersion{Title: e["title"].Text, Description: e["description"].Text,
			Changes: e["changes"].Text, Reason: e["reason"].Text, Cost: e["cost"].Text, Funding: e["funding"].Text, Upkeep: e["upkeep"].Text, At: when})
		return err
	})
}

// meetingLine names a meeting: when, what kind, where.
func meetingLine(m casebook.Meeting) string {
	return words.JoinNonEmpty("  ", words.FmtTime(m.At), meetingKindName(m.Kind), m.Place)
}

// appendMinutes adds to a meeting's minutes. Minutes are never edited, so
// the dialog writes an addition, shown after what is there, and the record
// keeps who wrote what when.
func (v *disputeView) appendMinutes(meetingID string) {
	m, ok := v.d.Meeting(meetingID)
	if !ok {
		return
	}
	text := multiEntry(5)
	text.SetPlaceHolder(lang.X("dispute.minutes.hint", "What is written stays as it is; this is added after it."))
	v.openForm(lang.X("dispute.act.minutes", "Add to minutes"), []dRow{
		{"meeting", lang.X("dispute.f.meeting", "Meeting"), widgets.Note(meetingLine(m))},
		{"text", lang.X("dispute.f.addition", "Addition"), text},
	}, func(f *dForm) error {
		if err := words.Need(text.Text, lang.X("dispute.err.minutes", "Write what to add to the minutes.")); err != nil {
			return err
		}
		_, err := v.a.Book.AppendMinutes(v.d.ID, meetingID, text.Text)
		return err
	})
}

// linkAppeals links more appeals, picked in the checklist that creating a
// dispute uses, without the appeals linked already.
func (v *disputeView) linkAppeals() {
	p := newAppealPicker(v.a, v.d.Linked, func(n int) string {
		return lang.X("dispute.link.picked", "{{.N}} appeals picked", map[string]any{"N": words.FmtInt(n)})
	})
	v.linker = p
	f := v.openForm(lang.X("dispute.act.link", "Link more appeals"), []dRow{
		{"appeals", lang.X("disputes.f.appeals", "Appeals"), container.NewBorder(container.NewVBox(p.search, p.count), nil, nil, nil, p.listBox())},
	}, func(f *dForm) error {
		ids := p.ids()
		if len(ids) == 0 {
			return words.ErrMissing{Msg: lang.X("dispute.err.link", "Pick at least one appeal.")}
		}
		_, err := v.a.Book.LinkCase(v.d.ID, ids...)
		return err
	})
	f.dlg.Resize(fyne.NewSize(900, 0))
}

func (v *disputeView) addMeeting() {
	kinds := casebook.MeetingKinds()
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = meetingKindName(k)
	}
	kind := widgets.NewSelect(names, nil)
	kind.SetSelectedIndex(0)
	at := widget.NewEntry()
	at.SetText(words.FmtTime(v.a.Now()))
	place := widget.NewEntry()
	place.SetText(v.d.Place())
	att := multiEntry(3)
	att.SetPlaceHolder(lang.X("dispute.attendees.hint", "One per line: role and name or head count, e.g. 14号楼居民 12"))
	v.openForm(lang.X("dispute.act.meeting", "Record meeting"), []dRow{
		{"at", lang.X("dispute.f.at", "When"), at},
		{"kind", lang.X("dispute.f.meeting_kind", "Kind"), kind},
		{"place", lang.X("dispute.f.place", "Where"), place},
		{"attendees", lang.X("dispute.f.attendees", "Present"), att},
		{"minutes", lang.X("dispute.f.minutes", "Minutes"), multiEntry(4)},
	}, func(f *dForm) error {
		e := f.entries
		t, err := words.ParseMinute(e["at"].Text)
		if err != nil {
			return words.ErrMissing{Msg: lang.X("dispute.err.at", "Write the time like 2026-03-02 14:30.")}
		}
		if err := words.Need(e["place"].Text, lang.X("dispute.err.place", "Say where the meeting was held.")); err != nil {
			return err
		}
		attendees, err := input.Attendees(e["attendees"].Text)
		if err != nil {
			return err
		}
		_, err = v.a.Book.AddMeeting(v.d.ID, casebook.Meeting{At: t, Place: e["place"].Text, Kind: kinds[max(kind.SelectedIndex(), 0)],
			Attendees: attendees, Minutes: e["minutes"].Text})
		return err
	})
}

// planSelect picks a plan version, the latest selected.
func (v *disputeView) planSelect() (*widget.Select, []casebook.PlanVersion) {
	plans := v.d.Plans()
	names := make([]string, len(plans))
	for i, p := range plans {
		names[i] = words.JoinNonEmpty("  ", lang.X("dispute.plan.head", "Version {{.N}}", map[string]any{"N": words.FmtInt(p.N)}), p.Title)
	}
	s := widgets.NewSelect(names, nil)
	if len(plans) > 0 {
		s.SetSelectedIndex(len(plans) - 1)
	}
	return s, plans
}

func (v *disputeView) addVote() {
	meetings := v.d.Meetings()
	mnames := make([]string, len(meetings))
	for i, m := range meetings {
		mnames[i] = meetingLine(m)
	}
	// A vote is usually typed in after the meeting: its time is the
	// meeting's (what the figures and the 议事记录 sheet show), not the
	// day of typing, unless the secretary says otherwise.
	at := widget.NewEntry()
	msel := widgets.NewSelect(mnames, nil)
	msel.OnChanged = guard.Func1(func(string) {
		if i := msel.SelectedIndex(); i >= 0 && !meetings[i].At.IsZero() {
			at.SetText(words.FmtTime(meetings[i].At))
		}
	})
	if len(meetings) > 0 {
		msel.SetSelectedIndex(len(meetings) - 1)
	}
	psel, plans := v.planSelect()
	methods := []casebook.VoteMethod{casebook.VoteShowOfHands, casebook.VoteBallot, casebook.VoteOther}
	mnm := make([]string, len(methods))
	for i, m := range methods {
		mnm[i] = voteMethodName(m)
	}
	method := widgets.NewSelect(mnm, nil)
	method.SetSelectedIndex(0)
	num := func() *widget.Entry { e := widget.NewEntry(); e.SetText("0"); return e }
	v.openForm(lang.X("dispute.act.vote", "Record vote"), []dRow{
		{"meeting", lang.X("dispute.f.meeting", "Meeting"), msel},
		{"plan", lang.X("dispute.f.plan", "Plan version"), psel},
		{"method", lang.X("dispute.f.method", "Method"), method},
		{"for", lang.X("dispute.f.for", "For"), num()},
		{"against", lang.X("dispute.f.against", "Against"), num()},
		{"abstain", lang.X("dispute.f.abstain", "Abstaining"), num()},
		{"at", lang.X("dispute.f.voted_at", "Voted at"), at},
	}, func(f *dForm) error {
		var n [3]int
		for i, k := range []string{"for", "against", "abstain"} {
			x, err := strconv.Atoi(strings.TrimSpace(casebook.NormalizeWidth(f.entries[k].Text)))
			if err != nil || x < 0 {
				return words.ErrMissing{Msg: words.MsgNumber()}
			}
			n[i] = x
		}
		mi, pi := msel.SelectedIndex(), psel.SelectedIndex()
		if mi < 0 || pi < 0 {
			return words.ErrMissing{Msg: lang.X("dispute.err.plan", "Choose a plan version.")}
		}
		// A meeting votes on the versions on the table then, not on one
		// drawn up on a later day (a version typed in just after the
		// meeting it was shown at is the same day).
		if m, p := meetings[mi], plans[pi]; !m.At.IsZero() && !p.At.IsZero() && words.StartOfDay(p.At).After(words.StartOfDay(m.At)) {
			return words.ErrMissing{Msg: lang.X("dispute.err.plan_after_meeting", "Version {{.N}} was drawn up after this meeting ({{.Day}}): choose a version the meeting had.",
				map[string]any{"N": words.FmtInt(p.N), "Day": words.FmtDay(p.At)})}
		}
		when, err := v.pastTime(at.Text)
		if err != nil {
			return err
		}
		_, err = v.a.Book.RecordVote(v.d.ID, casebook.Vote{Meeting: meetings[mi].ID, Plan: plans[pi].ID,
			For: n[0], Against: n[1], Abstain: n[2], Method: methods[max(method.SelectedIndex(), 0)], At: when})
		return err
	})
}

func (v *disputeView) agree() {
	psel, plans := v.planSelect()
	// Default to the latest version a vote passed, if any.
	for _, vt := range v.d.Votes() {
		if vt.Passed() {
			for i, p := range plans {
				if p.ID == vt.Plan {
					psel.SetSelectedIndex(i)
				}
			}
		}
	}
	signed := multiEntry(3)
	var names []string
	for _, p := range v.d.Parties() {
		names = append(names, p.Name)
	}
	signed.SetText(strings.Join(names, "\n"))
	signed.SetPlaceHolder(lang.X("dispute.signed.hint", "One name per line"))
	// The agreement is often written up days after the signing; its time
	// is what the days-to-agreement figure counts to.
	at := withText(widget.NewEntry(), words.FmtTime(v.a.Now()))
	v.openForm(disputeActionName(casebook.DisputeActAgree), []dRow{
		{"plan", lang.X("dispute.f.plan", "Plan version"), psel},
		{"signed", lang.X("dispute.f.signed", "Signed off by"), signed},
		{"at", lang.X("dispute.f.agreed_at", "Signed on"), at},
	}, func(f *dForm) error {
		i := psel.SelectedIndex()
		if i < 0 {
			return words.ErrMissing{Msg: lang.X("dispute.err.plan", "Choose a plan version.")}
		}
		who := words.SplitList(signed.Text)
		if len(who) == 0 {
			return words.ErrMissing{Msg: lang.X("dispute.err.signed", "Name who signed off.")}
		}
		when, err := v.pastTime(at.Text)
		if err != nil {
			return err
		}
		_, err = v.a.Book.Agree(v.d.ID, plans[i].ID, who, when)
		return err
	})
}

// pastTime reads the time something in the dispute happened, as typed in
// a form (empty: now). It cannot be ahead of the clock, beyond the skew
// the domain allows, nor before the first linked appeal came in: the
// dispute's figures count from that appeal.
func (v *disputeView) pastTime(text string) (time.Time, error) {
	now := v.a.Now()
	t, err := words.ParseMinute(text)
	switch {
	case err != nil:
		return time.Time{}, words.ErrMissing{Msg: lang.X("dispute.err.at", "Write the time like 2026-03-02 14:30.")}
	case t.IsZero():
		return now, nil
	case t.After(now.Add(casebook.DefaultMaxSkew)):
		return time.Time{}, words.ErrMissing{Msg: lang.X("dispute.err.future", "The time cannot be later than now.")}
	}
	idx := v.a.Book.Store().Index()
	var linked []*casebook.Summary
	for _, id := range v.d.Cases {
		if s, ok := idx.Get(id); ok {
			linked = append(linked, s)
		}
	}
	if first := v.d.FirstAppeal(linked); !first.IsZero() && t.Before(first.Truncate(time.Minute)) {
		return time.Time{}, words.ErrMissing{Msg: lang.X("dispute.err.before_appeal", "The time cannot be before the first appeal came in ({{.Time}}).",
			map[string]any{"Time": words.FmtTime(first)})}
	}
	return t, nil
}

func (v *disputeView) addTask() {
	due := widget.NewEntry()
	due.SetText(words.FmtDate(casebook.DateOf(v.a.Now()).AddDays(14)))
	v.openForm(disputeActionName(casebook.DisputeActTask), []dRow{
		{"title", lang.X("dispute.f.task", "Task"), widget.NewEntry()},
		{"owner", lang.X("dispute.f.owner", "Who"), widget.NewEntry()},
		{"due", lang.X("dispute.f.due", "Due"), due},
	}, func(f *dForm) error {
		e := f.entries
		if err := words.Need(e["title"].Text, lang.X("dispute.err.task", "Write the task.")); err != nil {
			return err
		}
		if err := words.Need(e["owner"].Text, lang.X("dispute.err.owner", "Say who does it.")); err != nil {
			return err
		}
		d, err := casebook.ParseDate(e["due"].Text)
		if err != nil {
			return words.ErrMissing{Msg: words.MsgDate()}
		}
		_, err = v.a.Book.AddTask(v.d.ID, casebook.Task{Title: e["title"].Text, Owner: e["owner"].Text, Due: d})
		return err
	})
}

// step takes implement, stall or resume, with a note (a reason to stall).
func (v *disputeView) step(act casebook.DisputeAction) {
	label := lang.X("dispute.f.note", "Note")
	switch act {
	case casebook.DisputeActStall:
		label = lang.X("dispute.f.reason", "Why the talks are stuck")
	case casebook.DisputeActReopen:
		label = lang.X("dispute.f.reopen", "Why it is taken up again")
	}
	v.openForm(disputeActionName(act), []dRow{{"note", label, multiEntry(3)}}, func(f *dForm) error {
		b, id, now, note := v.a.Book, v.d.ID, v.a.Now(), f.entries["note"].Text
		var err error
		switch act {
		case casebook.DisputeActImplement:
			_, err = b.Implement(id, now, note)
		case casebook.DisputeActStall:
			if err := words.Need(note, lang.X("dispute.err.reason", "Say why the talks are stuck.")); err != nil {
				return err
			}
			_, err = b.Stall(id, now, note)
		case casebook.DisputeActResume:
			_, err = b.Resume(id, now, note)
		case casebook.DisputeActReopen:
			if err := words.Need(note, lang.X("dispute.err.reopen", "Say why the dispute is taken up again.")); err != nil {
				return err
			}
			_, err = b.Reopen(id, now, note)
		}
		return err
	})
}

// ask shows a confirmation; yes runs on OK.
func (v *disputeView) ask(title, msg string, yes func()) {
	v.confirmOK = yes
	d := dialog.NewConfirm(title, msg, guard.Func1(func(ok bool) {
		v.confirm, v.confirmOK = nil, nil
		if ok {
			yes()
		}
	}), v.a.Win)
	d.SetConfirmText(title)
	d.SetDismissText(lang.X("form.cancel", "Cancel"))
	v.confirm = d
	d.Show()
}

func (v *disputeView) resolve() {
	v.ask(disputeActionName(casebook.DisputeActResolve),
		lang.X("dispute.resolve.confirm", "Record that the dispute is resolved? This step cannot be undone; the linked appeals can be closed next."),
		func() {
			if _, err := v.a.Book.Resolve(v.d.ID, v.a.Now(), ""); err != nil {
				dialog.ShowError(errors.New(words.DisputeErrorMessage(err)), v.a.Win)
				return
			}
			v.a.Notify.Info(lang.X("dispute.resolved", "The dispute is resolved."))
			v.reload()
		})
}

// closeLinked closes out the n linked appeals still open. The confirmation
// counts those, not every linked one: once the others are closed, an appeal
// linked later is all that is left to close.
func (v *disputeView) closeLinked(n int) {
	v.ask(lang.X("dispute.act.close", "Close the linked appeals"),
		lang.X("dispute.close.confirm", "Close out the {{.N}} linked appeals, each with the steps it still lacks, noting this dispute? This cannot be undone.", map[string]any{"N": words.FmtInt(n)}),
		func() {
			rep, err := v.a.Book.CloseLinkedCases(v.d.ID, v.a.Now())
			if err != nil {
				dialog.ShowError(errors.New(words.DisputeErrorMessage(err)), v.a.Win)
				return
			}
			msg := lang.X("dispute.closed", "{{.N}} appeals closed.", map[string]any{"N": words.FmtInt(len(rep.Closed))})
			if len(rep.Failed) > 0 {
				msg += lang.X("dispute.close.failed", " {{.N}} could not be closed; settle them one by one.", map[string]any{"N": words.FmtInt(len(rep.Failed))})
			}
			v.a.Notify.Info(msg)
			v.reload()
		})
}

// sideName heads a side's column: "甲方" style sides as typed, the neutral
// side (中立, as the demo and most cadres write it) by its name in the
// current language rather than "Side 中立".
func sideName(s string) string {
	switch strings.TrimSpace(s) {
	case "":
		return lang.X("dispute.side.none", "No side")
	case "中立", "neutral", "Neutral":
		return lang.X("dispute.side.neutral", "Neutral")
	}
	return lang.X("dispute.side", "Side {{.Side}}", map[string]any{"Side": s})
}
