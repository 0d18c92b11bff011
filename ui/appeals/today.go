package appeals

import (
	"image/color"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/ui/disputes"
	"casebook/ui/guard"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// Today (今日): what needs doing now, and how the month is going.
//
// The lists follow the deadline policy: overdue (the next deadline has
// passed), due today (it falls before midnight, Beijing time) and due soon
// (within the policy's due-soon window after that). Each row opens its
// case in one click. Above them, this month's three rates and composite
// score against the baseline rates entered for the term, so the secretary
// sees at a glance whether the month is above or below where the community
// started.

type todayView struct {
	overdue, dueToday, dueSoon, conflicts []*casebook.Summary
	month                                 casebook.Metrics
	cards                                 []*rateCard
	lists                                 map[string]*widget.List

	// disputeConflicts are the disputes with conflicts that can be
	// settled now; they head the "Edits to settle" list.
	disputeConflicts []disputeToSettle
}

// disputeToSettle is a dispute in the "Edits to settle" list.
type disputeToSettle struct {
	id, title string
	n         int // conflicts that can be settled now
}

// rateCard is one rate against its baseline.
type rateCard struct {
	title, value, count, baseline, change *widget.Label
}

// BuildToday builds Today (今日).
func (a *Section) BuildToday() fyne.CanvasObject {
	now := a.Now()
	set := a.Settings()
	t := &todayView{lists: map[string]*widget.List{}}
	a.today = t

	endToday := words.StartOfDay(now).AddDate(0, 0, 1)
	soon := set.Policy.DueSoon
	a.Book.Store().Index().Range(func(s *casebook.Summary) bool {
		if s.Conflicts > 0 {
			t.conflicts = append(t.conflicts, s)
		}
		switch s.Due(now, soon) {
		case casebook.DueOverdue:
			t.overdue = append(t.overdue, s)
		case casebook.DueSoon, casebook.DueLater:
			_, due := s.Next()
			switch {
			case !due.After(endToday):
				t.dueToday = append(t.dueToday, s)
			case due.Sub(now) <= soon:
				t.dueSoon = append(t.dueSoon, s)
			}
		}
		return true
	})
	byDeadline := func(x, y *casebook.Summary) int {
		_, tx := x.Next()
		_, ty := y.Next()
		return tx.Compare(ty)
	}
	slices.SortStableFunc(t.overdue, byDeadline)
	slices.SortStableFunc(t.dueToday, byDeadline)
	slices.SortStableFunc(t.dueSoon, byDeadline)
	// Disputes are few and not in the index, so they are read whole, once
	// per showing of Today. A failed read loses only these rows.
	if ds, err := a.Book.Store().Disputes(); err == nil {
		for _, d := range ds {
			if n := disputes.SettleableConflicts(d); n > 0 {
				t.disputeConflicts = append(t.disputeConflicts, disputeToSettle{id: d.ID, title: d.Title(), n: n})
			}
		}
	}

	month := words.StartOfMonth(now)
	t.month = a.Book.Metrics(casebook.MetricsQuery{From: month, To: words.AddMonths(month, 1), Now: now})

	// Header: community, date, new appeal.
	who := set.Community.Name
	if who == "" {
		who = lang.X("today.no_community", "Community not set up (see Settings)")
	}
	title := widget.NewLabelWithStyle(who+words.Sep()+words.FmtDay(now), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	newBtn := widget.NewButtonWithIcon(lang.X("today.new", "New appeal (Ctrl+N)"), theme.ContentAddIcon(), guard.Func(a.Nav.NewAppeal))
	newBtn.Importance = widget.HighImportance
	header := container.NewBorder(nil, nil, nil, newBtn, title)

	// This month's rates against the baseline.
	base := set.Term.Baseline
	baseComposite := compositeOf(set.Weights, base)
	t.cards = []*rateCard{
		newRateCard(lang.X("rate.response", "Response rate"), t.month.ResponseRate, base.Response, &t.month.Parts.Response),
		newRateCard(lang.X("rate.resolution", "Resolution rate"), t.month.ResolutionRate, base.Resolution, &t.month.Parts.Resolution),
		newRateCard(lang.X("rate.satisfaction", "Satisfaction rate"), t.month.SatisfactionRate, base.Satisfaction, &t.month.Parts.Satisfaction),
		newRateCard(lang.X("rate.composite", "Composite score"), t.month.CompositeScore, baseComposite, nil),
	}
	cardObjs := make([]fyne.CanvasObject, len(t.cards))
	for i, c := range t.cards {
		cardObjs[i] = c.object()
	}
	monthLine := widgets.Note(lang.X("today.month", "This month: {{.Cases}} appeals received, {{.Open}} still open, {{.Evaluated}} evaluated.",
		map[string]any{"Cases": words.FmtInt(t.month.Cases), "Open": words.FmtInt(t.month.Open), "Evaluated": words.FmtInt(t.month.Evaluated)}))

	cols := []fyne.CanvasObject{
		a.dueColumn(t, "overdue", lang.X("today.overdue", "Overdue"), t.overdue, widget.DangerImportance, now, soon),
		a.dueColumn(t, "today", lang.X("today.due_today", "Due today"), t.dueToday, widget.WarningImportance, now, soon),
		a.dueColumn(t, "soon", lang.X("today.due_soon", "Due soon"), t.dueSoon, widget.MediumImportance, now, soon),
	}
	if len(t.conflicts)+len(t.disputeConflicts) > 0 {
		cols = append(cols, a.conflictsColumn(t, now))
	}
	top := container.NewVBox(header, widget.NewSeparator(),
		widgets.Heading(lang.X("today.rates", "This month against the baseline")),
		container.NewGridWithColumns(4, cardObjs...), monthLine, widget.NewSeparator())
	return container.NewBorder(top, nil, nil, nil, container.NewGridWithColumns(len(cols), cols...))
}

// compositeOf is the composite score of a set of rates (the baseline's),
// nil if any is missing: the same formula as casebook's metrics.
func compositeOf(w casebook.Weights, r casebook.Rates) *float64 {
	if r.Response == nil || r.Resolution == nil || r.Satisfaction == nil {
		return nil
	}
	v := w.Response**r.Response + w.Resolution**r.Resolution + w.Satisfaction**r.Satisfaction
	return &v
}

// newRateCard shows a rate of this month against its baseline, with the
// number of appeals it rests on (parts), greyed and marked 样本少 when they
// are too few to trust; with parts nil it is the composite score, shown as
// a score (分), not a percentage.
func newRateCard(title string, value, baseline *float64, parts *casebook.Rate) *rateCard {
	show, showChange := words.FmtRate, words.FmtPoints
	if parts == nil {
		show, showChange = words.FmtScore, words.FmtScoreChange
	}
	c := &rateCard{
		title:    widget.NewLabel(title),
		value:    widget.NewLabelWithStyle(show(value), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		count:    widget.NewLabel(""),
		baseline: widget.NewLabel(lang.X("today.baseline", "Baseline {{.Rate}}", map[string]any{"Rate": show(baseline)})),
		change:   widget.NewLabel(""),
	}
	c.value.SizeName = theme.SizeNameHeadingText
	few := false
	if parts != nil {
		c.count.SetText(words.FmtCount(*parts))
		few = words.FewSamples(*parts)
	}
	c.count.Importance = widget.LowImportance
	if few {
		c.value.Importance = widget.LowImportance
	}
	if value != nil && baseline != nil {
		d := *value - *baseline
		c.change.SetText(showChange(&d))
		switch {
		case few:
			c.change.Importance = widget.LowImportance
		case d >= 0.0005:
			c.change.Importance = widget.SuccessImportance
		case d <= -0.0005:
			c.change.Importance = widget.DangerImportance
		}
	}
	return c
}

func (c *rateCard) object() fyne.CanvasObject {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.Size(theme.SizeNameInputRadius)
	return container.NewStack(bg, container.NewPadded(container.NewVBox(c.title, container.NewHBox(c.value, c.count), container.NewHBox(c.baseline, c.change))))
}

// dueColumn is one list of Today: a heading with the count and a list whose
// rows open their case.
func (a *Section) dueColumn(t *todayView, key, title string, items []*casebook.Summary, imp widget.Importance, now time.Time, soon time.Duration) fyne.CanvasObject {
	return a.todayColumn(t, key, title, len(items), imp,
		func(i int) (string, string) { return caseRow(items[i], now) },
		func(i int) { a.Nav.OpenCase(items[i].ID) })
}

// caseRow is the two lines of a case in a Today list.
func caseRow(s *casebook.Summary, now time.Time) (string, string) {
	return s.Number + "  " + s.Summary, words.JoinNonEmpty(words.Sep(), dueShort(s, now), s.Building, s.Category)
}

// conflictsColumn lists the disputes, then the cases, with edits to settle.
func (a *Section) conflictsColumn(t *todayView, now time.Time) fyne.CanvasObject {
	ds, cs := t.disputeConflicts, t.conflicts
	return a.todayColumn(t, "conflicts", lang.X("today.conflicts", "Edits to settle"), len(ds)+len(cs), widget.WarningImportance,
		func(i int) (string, string) {
			if i < len(ds) {
				return ds[i].title, lang.X("today.dispute_conflicts", "Dispute: {{.N}} edits to settle", map[string]any{"N": words.FmtInt(ds[i].n)})
			}
			return caseRow(cs[i-len(ds)], now)
		},
		func(i int) {
			if i < len(ds) {
				a.Nav.OpenDispute(ds[i].id)
				return
			}
			a.Nav.OpenCase(cs[i-len(ds)].ID)
		})
}

// todayColumn is a heading with the count n and a list of n rows, row i
// showing the two lines row gives and opening what open opens.
func (a *Section) todayColumn(t *todayView, key, title string, n int, imp widget.Importance, row func(i int) (string, string), open func(i int)) fyne.CanvasObject {
	head := widget.NewLabel(lang.X("today.count", "{{.Title}} ({{.N}})", map[string]any{"Title": title, "N": words.FmtInt(n)}))
	head.TextStyle.Bold = true
	if n > 0 {
		head.Importance = imp
	}
	list := widget.NewList(
		func() int { return n },
		func() fyne.CanvasObject {
			top := widget.NewLabel("")
			top.TextStyle.Bold = true
			top.Truncation = fyne.TextTruncateEllipsis
			sub := widget.NewLabel("")
			sub.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(top, sub)
		},
		guard.Func2(func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= n {
				return
			}
			top, sub := row(id)
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(top)
			box.Objects[1].(*widget.Label).SetText(sub)
		}),
	)
	list.OnSelected = guard.Func1(func(id widget.ListItemID) {
		list.UnselectAll()
		if id >= 0 && id < n {
			open(id)
		}
	})
	t.lists[key] = list
	var body fyne.CanvasObject = list
	if n == 0 {
		body = container.NewCenter(widget.NewLabel(lang.X("today.none", "Nothing here.")))
	}
	bar := canvas.NewRectangle(color.Transparent)
	if n > 0 && imp == widget.DangerImportance {
		bar.FillColor = tinted(theme.Color(theme.ColorNameError), 0x22)
	}
	return container.NewBorder(container.NewStack(bar, head), nil, nil, nil, body)
}

// dueShort says briefly how far a case is from its next deadline:
// "办理超期3天", "5小时内签收".
func dueShort(s *casebook.Summary, now time.Time) string {
	kind, t := s.Next()
	if kind == casebook.DeadlineNone {
		return ""
	}
	what := lang.X("due.handle", "handle")
	if kind == casebook.DeadlineRespond {
		what = lang.X("due.respond", "sign for")
	}
	d := t.Sub(now)
	over := d < 0
	if over {
		d = -d
	}
	hours := int(d.Hours())
	days := int(d.Hours() / 24)
	data := map[string]any{"What": what}
	switch {
	case over && days >= 1:
		data["N"] = days
		return lang.X("due.short.over_days", "{{.What}}: {{.N}} days overdue", data)
	case over:
		data["N"] = max(hours, 1)
		return lang.X("due.short.over_hours", "{{.What}}: {{.N}} h overdue", data)
	case days >= 1:
		data["N"] = days
		return lang.X("due.short.in_days", "{{.What}} within {{.N}} days", data)
	}
	data["N"] = max(hours, 1)
	return lang.X("due.short.in_hours", "{{.What}} within {{.N}} h", data)
}
