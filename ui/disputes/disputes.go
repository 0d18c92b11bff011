// Package disputes holds the screens of disputes (矛盾纠纷): the list of disputes with their status, age and
// tasks, and one dispute's workspace (disputeview.go). A dispute is
// created from two or more appeals picked in a checklist filtered by text
// (number, summary, building, category); the workspace links more appeals
// with the same checklist (appealPicker).
package disputes

import (
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/ui/guard"
	"casebook/ui/screen"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// Section is the disputes section (矛盾纠纷): the list, or one dispute's
// workspace, and what it keeps across visits.
type Section struct {
	*screen.Env

	disputes     *disputesView
	dispute      *disputeView // the workspace on show, if any
	showResolved bool         // the list shows resolved ones too
	// disputeID is the dispute on show ("" for the list).
	disputeID string
}

// New makes the disputes section on env.
func New(env *screen.Env) *Section { return &Section{Env: env} }

// disputesView is the list of disputes.
type disputesView struct {
	a        *Section
	items    []casebook.DisputeSummary
	list     *widget.List
	empty    *widget.Label
	newBtn   *widget.Button
	create   *createDispute // the create dialog, while open
	resolved *widget.Check
}

// Build builds the section: the workspace of the dispute opened, or the
// list. arrived says the user came by the navigation: then the list is
// shown.
func (a *Section) Build(arrived bool) fyne.CanvasObject {
	if arrived {
		a.disputeID = ""
	}
	if a.disputeID != "" {
		if v := newDisputeView(a, a.disputeID); v != nil {
			return v.content
		}
		a.disputeID = ""
	}
	a.dispute = nil
	v := &disputesView{a: a}
	a.disputes = v
	now := a.Now()
	all, err := a.Book.ListDisputes(now)
	if err != nil {
		return widget.NewLabel(words.ErrorMessage(err))
	}
	v.list = widget.NewList(
		func() int { return len(v.items) },
		func() fyne.CanvasObject {
			title := widget.NewLabel("")
			title.Truncation = fyne.TextTruncateEllipsis
			status := widget.NewLabel("")
			info := widget.NewLabel("")
			tasks := widget.NewLabel("")
			return container.NewBorder(nil, nil, status, container.NewHBox(info, tasks), title)
		},
		guard.Func2(func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(v.items) {
				return
			}
			s := v.items[id]
			row := o.(*fyne.Container)
			title := row.Objects[0].(*widget.Label)
			status := row.Objects[1].(*widget.Label)
			right := row.Objects[2].(*fyne.Container)
			title.SetText(words.JoinNonEmpty(lang.X("fmt.dash", " — "), s.Title, s.Place))
			status.SetText(words.DisputeStatusName(s.Status))
			status.Importance = disputeStatusImportance(s.Status)
			status.Refresh()
			right.Objects[0].(*widget.Label).SetText(lang.X("disputes.row", "{{.Cases}} appeals · {{.Days}} days", map[string]any{"Cases": words.FmtInt(s.Cases), "Days": words.FmtInt(s.AgeDays)}))
			tl := right.Objects[1].(*widget.Label)
			switch {
			case s.OverdueTasks > 0:
				tl.SetText(lang.X("disputes.tasks_overdue", "{{.Open}} open tasks, {{.Overdue}} overdue", map[string]any{"Open": words.FmtInt(s.OpenTasks), "Overdue": words.FmtInt(s.OverdueTasks)}))
				tl.Importance = widget.DangerImportance
			case s.OpenTasks > 0:
				tl.SetText(lang.X("disputes.tasks_open", "{{.Open}} open tasks", map[string]any{"Open": words.FmtInt(s.OpenTasks)}))
				tl.Importance = widget.MediumImportance
			default:
				tl.SetText("")
				tl.Importance = widget.MediumImportance
			}
			tl.Refresh()
		}),
	)
	v.list.OnSelected = guard.Func1(func(id widget.ListItemID) {
		v.list.UnselectAll()
		if id >= 0 && id < len(v.items) {
			a.Nav.OpenDispute(v.items[id].ID)
		}
	})
	v.empty = widget.NewLabel(lang.X("disputes.empty", "No disputes yet. When appeals keep coming back because two sides want opposite things, gather them into a dispute with “New dispute”."))
	v.empty.Wrapping = fyne.TextWrapWord
	v.newBtn = widget.NewButtonWithIcon(lang.X("disputes.new", "New dispute"), theme.ContentAddIcon(), guard.Func(v.openCreate))
	v.newBtn.Importance = widget.HighImportance
	// The tick is set before it gets its callback: SetChecked calls
	// OnChanged, and filtering then needs the list and the empty label.
	v.resolved = widget.NewCheck(lang.X("disputes.show_resolved", "Show resolved"), nil)
	v.resolved.SetChecked(a.showResolved)
	v.resolved.OnChanged = guard.Func1(func(on bool) { a.showResolved = on; v.filter(all) })
	v.filter(all)
	top := container.NewBorder(nil, nil, v.resolved, v.newBtn)
	return container.NewBorder(top, nil, nil, nil, container.NewStack(v.list, container.NewVBox(v.empty)))
}

// filter shows the disputes, without the resolved ones unless asked.
func (v *disputesView) filter(all []casebook.DisputeSummary) {
	v.items = v.items[:0]
	for _, s := range all {
		if s.Status.Open() || v.a.showResolved {
			v.items = append(v.items, s)
		}
	}
	if len(v.items) == 0 {
		v.empty.Show()
	} else {
		v.empty.Hide()
	}
	v.list.Refresh()
}

// Open makes the section show one dispute's workspace ("" for the list)
// when built next.
func (a *Section) Open(id string) { a.disputeID = id }

// disputeStatusImportance colours a status.
func disputeStatusImportance(s casebook.DisputeStatus) widget.Importance {
	switch s {
	case casebook.DisputeResolved:
		return widget.SuccessImportance
	case casebook.DisputeStalled:
		return widget.WarningImportance
	case casebook.DisputeAgreed, casebook.DisputeImplementing:
		return widget.HighImportance
	}
	return widget.MediumImportance
}

// appealPicker is the searchable checklist of appeals that a dispute is
// made from and that more appeals are linked to it with: one box of text
// narrows the list by number, summary, building, category or work order,
// newest first, and the appeals ticked stay on top whatever is searched, so
// a secretary can gather the two sides' complaints with two searches.
type appealPicker struct {
	all, shown []*casebook.Summary
	picked     map[string]bool
	search     *widget.Entry
	list       *widget.List
	count      *widget.Label
	countText  func(n int) string // the line under the search box for n picked
	// maxShown bounds the unpicked rows listed: a casebook holds up to
	// 100,000 appeals, and nobody scrolls past a few hundred to find one.
	maxShown int
}

// newAppealPicker lists the appeals of the casebook that skip does not
// leave out (nil: none), newest received first.
func newAppealPicker(a *Section, skip func(id string) bool, countText func(n int) string) *appealPicker {
	p := &appealPicker{picked: map[string]bool{}, countText: countText, maxShown: 500}
	for _, s := range a.Book.Store().Index().Snapshot() {
		if skip == nil || !skip(s.ID) {
			p.all = append(p.all, s)
		}
	}
	sort.SliceStable(p.all, func(i, j int) bool { return p.all[i].Received.After(p.all[j].Received) })
	p.search = widget.NewEntry()
	p.search.SetPlaceHolder(lang.X("disputes.search", "Find appeals by number, summary, building or category"))
	p.search.OnChanged = guard.Func1(func(string) { p.filter() })
	p.count = widget.NewLabel("")
	p.list = widget.NewList(
		func() int { return len(p.shown) },
		func() fyne.CanvasObject { return widget.NewCheck("", nil) },
		guard.Func2(func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(p.shown) {
				return
			}
			s := p.shown[id]
			ch := o.(*widget.Check)
			ch.OnChanged = nil
			ch.SetText(s.Number + "  " + words.JoinNonEmpty(" · ", s.Building, s.Category) + "  " + s.Summary)
			ch.SetChecked(p.picked[s.ID])
			ch.OnChanged = guard.Func1(func(on bool) { p.pick(s.ID, on) })
		}),
	)
	p.filter()
	return p
}

// listBox is the checklist at a size that shows a dozen appeals with their
// summaries.
func (p *appealPicker) listBox() fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(760, 300), p.list)
}

// filter narrows the checklist to the appeals matching the search; the
// picked ones always stay on top.
func (p *appealPicker) filter() {
	t := strings.ToLower(strings.TrimSpace(casebook.NormalizeWidth(p.search.Text)))
	p.shown = p.shown[:0]
	for _, s := range p.all {
		if p.picked[s.ID] {
			p.shown = append(p.shown, s)
		}
	}
	n := 0
	for _, s := range p.all {
		if p.picked[s.ID] {
			continue
		}
		if t != "" && !strings.Contains(strings.ToLower(s.Number+" "+s.Summary+" "+s.Building+" "+s.Category+" "+s.WorkOrder), t) {
			continue
		}
		if n++; n > p.maxShown {
			break
		}
		p.shown = append(p.shown, s)
	}
	p.list.Refresh()
	p.showCount()
}

func (p *appealPicker) pick(id string, on bool) {
	if on {
		p.picked[id] = true
	} else {
		delete(p.picked, id)
	}
	p.showCount()
}

func (p *appealPicker) showCount() {
	p.count.SetText(p.countText(len(p.picked)))
}

// ids are the picked appeals in the list's order, newest first, so that
// the order linked does not depend on the order ticked.
func (p *appealPicker) ids() []string {
	var ids []string
	for _, s := range p.all {
		if p.picked[s.ID] {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// createDispute is the dialog that creates a dispute from appeals picked
// in a checklist.
type createDispute struct {
	*appealPicker
	v            *disputesView
	dlg          *dialog.CustomDialog
	title, place *widget.Entry
	summary      *widget.Entry
	errLbl       *widget.Label
	ok           *widget.Button
}

// openCreate opens the create dialog.
func (v *disputesView) openCreate() {
	a := v.a
	c := &createDispute{v: v, appealPicker: newAppealPicker(a, nil, func(n int) string {
		return lang.X("disputes.picked", "{{.N}} appeals picked (at least two)", map[string]any{"N": words.FmtInt(n)})
	})}
	v.create = c
	c.title = widget.NewEntry()
	c.title.SetPlaceHolder(lang.X("disputes.title.hint", "e.g. the slope between buildings 14 and 15"))
	c.place = widget.NewEntry()
	c.summary = widget.NewMultiLineEntry()
	c.summary.SetMinRowsVisible(2)
	c.errLbl = widgets.ErrLabel()
	c.ok = widget.NewButtonWithIcon(lang.X("disputes.create", "Create"), theme.ConfirmIcon(), guard.Func(c.submit))
	c.ok.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon(lang.X("form.cancel", "Cancel"), theme.CancelIcon(), guard.Func(func() { c.dlg.Hide(); v.create = nil }))
	form := widgets.FormGrid(
		widgets.FieldLabel(lang.X("disputes.f.title", "Title")), c.title,
		widgets.FieldLabel(lang.X("disputes.f.place", "Place")), c.place,
		widgets.FieldLabel(lang.X("disputes.f.summary", "Summary")), c.summary,
		widgets.FieldLabel(lang.X("disputes.f.appeals", "Appeals")), c.search,
	)
	body := container.NewBorder(container.NewVBox(form, c.count), c.errLbl, nil, nil, c.listBox())
	c.dlg = dialog.NewCustomWithoutButtons(lang.X("disputes.new", "New dispute"), body, a.Win)
	c.dlg.SetButtons([]fyne.CanvasObject{cancel, c.ok})
	c.dlg.Show()
}

// submit creates the dispute and opens it.
func (c *createDispute) submit() {
	a := c.v.a
	widgets.SetErr(c.errLbl, "")
	if strings.TrimSpace(c.title.Text) == "" {
		widgets.SetErr(c.errLbl, lang.X("disputes.err.title", "Give the dispute a title."))
		return
	}
	if len(c.picked) < 2 {
		widgets.SetErr(c.errLbl, lang.X("disputes.err.two", "Pick at least two appeals."))
		return
	}
	d, err := a.Book.CreateDispute(c.title.Text, c.place.Text, c.summary.Text, c.ids())
	if err != nil {
		widgets.SetErr(c.errLbl, words.ErrorMessage(err))
		return
	}
	c.dlg.Hide()
	c.v.create = nil
	a.Changed()
	a.Notify.Info(lang.X("disputes.created", "Dispute registered."))
	a.Nav.OpenDispute(d.ID)
}
