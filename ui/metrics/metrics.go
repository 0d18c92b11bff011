// Package metrics holds the metrics screen (统计): the figures of casebook.ComputeMetrics, the one
// definition shared with the CLI, the export and the hub, drawn as charts
// for a chosen period: the three rates month by month against the baseline,
// the term's before and after, appeals by category, building and channel,
// and the backlog by age.
package metrics

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/ui/guard"
	"casebook/ui/screen"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// Screen is the metrics section and the period it shows, kept across
// visits.
type Screen struct {
	*screen.Env
	metrics       *metricsView
	metricsPeriod string // the period chosen
	// reportBtn, meetingBtn print the term report and its 报告会 version
	// (print.go).
	reportBtn, meetingBtn *widget.Button
	// The days typed for a custom period (words.PeriodCustom), kept across
	// visits.
	customFrom, customTo string
	// raw: the charts and figures show the raw basis (全口径); by default
	// they show the assessment basis (考核口径), the district's, with the
	// raw figure beside each rate.
	raw bool
}

// New makes the metrics screen on env.
func New(env *screen.Env) *Screen { return &Screen{Env: env} }

type metricsView struct {
	m        casebook.Metrics
	period   words.Period
	periodSl *widget.Select
	line     *widgets.LineChart
	term     *widgets.BarChart
	category *widgets.BarChart
	building *widgets.BarChart
	channel  *widgets.BarChart
	ageing   *widgets.BarChart
	summary  map[string]*widget.Label
	basisSl  *widget.RadioGroup
	rules    *widget.Label // what the rule set left out or counted otherwise
}

// basisOf is a row's rates and parts on the basis shown.
func (a *Screen) basisOf(r *casebook.MetricsRow) (casebook.BasisFigures, casebook.RateParts) {
	if a.raw {
		return casebook.BasisFigures{ResponseRate: r.ResponseRate, ResolutionRate: r.ResolutionRate, SatisfactionRate: r.SatisfactionRate,
			CompositeScore: r.CompositeScore, OnTimeRate: r.OnTimeRate, Cases: r.Cases}, r.Parts
	}
	return r.Assessment, r.AssessmentParts
}

// maxBuildingBars bounds the building chart: the busiest buildings matter.
const maxBuildingBars = 15

// Build builds the screen for the period chosen.
func (a *Screen) Build() fyne.CanvasObject {
	now := a.Now()
	set := a.Settings()
	v := &metricsView{summary: map[string]*widget.Label{}}
	a.metrics = v

	ps := append(words.Periods(now, set.Term), words.Period{Key: words.PeriodCustom, Name: lang.X("export.custom", "Custom dates")})
	if a.metricsPeriod == "" {
		a.metricsPeriod = words.PeriodAll
	}
	v.period, _ = words.PeriodByKey(ps, a.metricsPeriod)
	custom, customErr := a.customBox(v)
	if a.metricsPeriod == words.PeriodCustom {
		from, to, problem := words.CustomPeriod(a.customFrom, a.customTo)
		widgets.SetErr(customErr, problem)
		v.period.From, v.period.To = from, to
	} else {
		custom.Hide()
	}
	v.periodSl = widgets.NewSelect(words.PeriodNames(ps), nil)
	_, idx := words.PeriodByKey(ps, a.metricsPeriod)
	v.periodSl.SetSelectedIndex(idx)
	v.periodSl.OnChanged = guard.Func1(func(string) {
		if i := v.periodSl.SelectedIndex(); i >= 0 && i < len(ps) && ps[i].Key != a.metricsPeriod {
			a.metricsPeriod = ps[i].Key
			a.Nav.Rebuild()
		}
	})

	v.m = a.Book.Metrics(casebook.MetricsQuery{From: v.period.From, To: v.period.To, Now: now})
	m := &v.m
	base := set.Term.Baseline

	// Key figures, one line each: a rate on the basis shown with the
	// appeals it rests on, greyed and marked 样本少 when they are too few,
	// and the other basis beside it; the composite as a score.
	whole := casebook.MetricsRow{Cases: m.Cases, ResponseRate: m.ResponseRate, ResolutionRate: m.ResolutionRate, SatisfactionRate: m.SatisfactionRate,
		CompositeScore: m.CompositeScore, OnTimeRate: m.OnTimeRate, Parts: m.Parts.RateParts, Assessment: m.Assessment, AssessmentParts: m.AssessmentParts}
	fig, p := a.basisOf(&whole)
	a.raw = !a.raw
	otherFig, op := a.basisOf(&whole)
	a.raw = !a.raw
	other := lang.X("metrics.basis.raw_short", "raw")
	if a.raw {
		other = lang.X("metrics.basis.assessment_short", "assessment")
	}
	figures := []struct {
		key, name, value, beside string
		few                      bool
	}{
		{"cases", lang.X("metrics.cases", "Appeals"), words.FmtInt(fig.Cases), words.FmtInt(otherFig.Cases), false},
		{"response", lang.X("rate.response", "Response rate"), words.FmtRateN(p.Response), words.FmtRate(op.Response.Value()), words.FewSamples(p.Response)},
		{"resolution", lang.X("rate.resolution", "Resolution rate"), words.FmtRateN(p.Resolution), words.FmtRate(op.Resolution.Value()), words.FewSamples(p.Resolution)},
		{"satisfaction", lang.X("rate.satisfaction", "Satisfaction rate"), words.FmtRateN(p.Satisfaction), words.FmtRate(op.Satisfaction.Value()), words.FewSamples(p.Satisfaction)},
		{"composite", lang.X("rate.composite", "Composite score"), words.FmtScore(fig.CompositeScore), words.FmtScore(otherFig.CompositeScore), false},
		{"ontime", lang.X("metrics.on_time", "On time"), words.FmtRateN(p.OnTime), words.FmtRate(op.OnTime.Value()), words.FewSamples(p.OnTime)},
		{"open", lang.X("metrics.open", "Open"), words.FmtInt(m.Open), "", false},
		{"overdue", lang.X("metrics.overdue", "Overdue"), words.FmtInt(m.Overdue), "", false},
		{"repeat", lang.X("metrics.repeat", "Repeat appeals"), words.FmtRate(m.RepeatShare), "", false},
		{"escalated", lang.X("metrics.escalated", "Escalated"), words.FmtRate(m.EscalationShare), "", false},
		{"community", lang.X("metrics.community_solved", "Solved in the community"), words.FmtRate(m.CommunitySolvedShare), "", false},
	}
	var figs []fyne.CanvasObject
	for _, f := range figures {
		val := widget.NewLabelWithStyle(f.value, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		if f.few {
			val.Importance = widget.LowImportance
		}
		v.summary[f.key] = val
		row := container.NewHBox(widget.NewLabel(f.name), val)
		if f.beside != "" {
			b := widget.NewLabel(other + " " + f.beside)
			b.Importance = widget.LowImportance
			v.summary[f.key+".other"] = b
			row.Add(b)
		}
		figs = append(figs, row)
	}
	v.basisSl, v.rules = a.basisBox(m, set.Rules)

	// Three rates by month against the baseline.
	var labels []string
	resp := make([]*float64, 0, len(m.ByMonth))
	reso := make([]*float64, 0, len(m.ByMonth))
	sati := make([]*float64, 0, len(m.ByMonth))
	for i := range m.ByMonth {
		r, _ := a.basisOf(&m.ByMonth[i])
		labels = append(labels, m.ByMonth[i].Key)
		resp = append(resp, r.ResponseRate)
		reso = append(reso, r.ResolutionRate)
		sati = append(sati, r.SatisfactionRate)
	}
	v.line = widgets.NewLineChart(labels, []widgets.ChartSeries{
		{Name: lang.X("rate.response", "Response rate"), Color: theme.ColorNamePrimary, Values: resp, Baseline: base.Response},
		{Name: lang.X("rate.resolution", "Resolution rate"), Color: theme.ColorNameSuccess, Values: reso, Baseline: base.Resolution},
		{Name: lang.X("rate.satisfaction", "Satisfaction rate"), Color: theme.ColorNameWarning, Values: sati, Baseline: base.Satisfaction},
	}, lang.X("metrics.dashed", "dashed: baseline before the term"))

	// Before and after the term start.
	var termBars []widgets.BarItem
	if tc := m.Term; tc != nil {
		before, _ := a.basisOf(&tc.Before)
		during, _ := a.basisOf(&tc.During)
		for _, r := range []struct {
			name                string
			baseline, pre, post *float64
		}{
			{lang.X("rate.response", "Response rate"), tc.Baseline.Response, before.ResponseRate, during.ResponseRate},
			{lang.X("rate.resolution", "Resolution rate"), tc.Baseline.Resolution, before.ResolutionRate, during.ResolutionRate},
			{lang.X("rate.satisfaction", "Satisfaction rate"), tc.Baseline.Satisfaction, before.SatisfactionRate, during.SatisfactionRate},
		} {
			termBars = append(termBars, widgets.BarItem{Label: r.name, Heading: true})
			for _, b := range []struct {
				name string
				v    *float64
				col  fyne.ThemeColorName
			}{
				{lang.X("metrics.term.baseline", "Baseline"), r.baseline, theme.ColorNameDisabled},
				{lang.X("metrics.term.before", "Before the term"), r.pre, theme.ColorNameWarning},
				{lang.X("metrics.term.during", "During the term"), r.post, theme.ColorNamePrimary},
			} {
				it := widgets.BarItem{Label: b.name, Text: words.FmtRate(b.v), Color: b.col}
				if b.v != nil {
					it.Value = *b.v
				}
				termBars = append(termBars, it)
			}
		}
	}
	v.term = widgets.NewBarChart(termBars, 1)

	// A row of a slice shows its appeals and all three rates; a row whose
	// rates rest on too few appeals is greyed.
	rowBars := func(rows []casebook.MetricsRow, name func(string) string, limit int) []widgets.BarItem {
		var out []widgets.BarItem
		for i := range rows {
			if limit > 0 && i >= limit {
				break
			}
			r := &rows[i]
			b, bp := a.basisOf(r)
			few := words.FewSamples(bp.Resolution) && words.FewSamples(bp.Satisfaction)
			out = append(out, widgets.BarItem{Label: name(r.Key), Value: float64(r.Cases), Muted: few,
				Text: lang.X("metrics.bar3", "{{.N}} · resp. {{.Resp}} · solved {{.Reso}} · satisf. {{.Sat}}", map[string]any{
					"N": words.FmtInt(r.Cases), "Resp": words.FmtRate(b.ResponseRate), "Reso": words.FmtRate(b.ResolutionRate), "Sat": words.FmtRate(b.SatisfactionRate)})})
		}
		return out
	}
	unset := func(k string) string {
		if k == "" {
			return lang.X("metrics.unset", "(none)")
		}
		return k
	}
	v.category = widgets.NewBarChart(rowBars(m.ByCategory, unset, 0), 0)
	// Appeals with no building (the whole community, a street) would dwarf
	// every building's bar; the chart is about which buildings need care.
	var byBuilding []casebook.MetricsRow
	for _, r := range m.ByBuilding {
		if r.Key != "" {
			byBuilding = append(byBuilding, r)
		}
	}
	v.building = widgets.NewBarChart(rowBars(byBuilding, unset, maxBuildingBars), 0)
	v.channel = widgets.NewBarChart(rowBars(m.ByChannel, func(k string) string {
		if k == "" {
			return unset(k)
		}
		return words.ChannelName(casebook.Channel(k))
	}, 0), 0)
	// A click on a bar opens the ledger filtered to what it counts, over
	// the same period (the ledger has no custom dates: all time then).
	ledgerPeriod := a.metricsPeriod
	if ledgerPeriod == words.PeriodCustom {
		ledgerPeriod = words.PeriodAll
	}
	open := func(f screen.LedgerFilter) {
		f.PeriodKey = ledgerPeriod
		a.Nav.ShowLedger(f)
	}
	v.category.OnTapped = func(i int) {
		if k := m.ByCategory[i].Key; k != "" {
			open(screen.LedgerFilter{Category: k})
		}
	}
	v.building.OnTapped = func(i int) { open(screen.LedgerFilter{Building: byBuilding[i].Key}) }
	v.channel.OnTapped = func(i int) {
		if k := m.ByChannel[i].Key; k != "" {
			open(screen.LedgerFilter{Channel: casebook.Channel(k)})
		}
	}
	var ageing []widgets.BarItem
	for _, b := range m.Ageing {
		ageing = append(ageing, widgets.BarItem{Label: lang.X("metrics.days", "{{.Range}} days", map[string]any{"Range": b.Bucket}),
			Value: float64(b.Count), Text: words.FmtInt(b.Count), Color: theme.ColorNameError})
	}
	v.ageing = widgets.NewBarChart(ageing, 0)

	card := func(title, sub string, obj fyne.CanvasObject) fyne.CanvasObject {
		return widget.NewCard(title, sub, obj)
	}
	trend := card(lang.X("metrics.trend", "The three rates by month"), "", v.line)
	termSub := ""
	if set.Term.Start != (casebook.Date{}) {
		termSub = lang.X("metrics.term.sub", "Term started {{.Start}}", map[string]any{"Start": words.FmtDate(set.Term.Start)})
	} else {
		termSub = lang.X("metrics.term.unset", "Set the term start in Settings to compare")
	}
	grid := container.NewGridWithColumns(2,
		card(lang.X("metrics.term", "Before and after the term start"), termSub, v.term),
		card(lang.X("metrics.ageing", "Open appeals by age"), "", v.ageing),
		card(lang.X("metrics.by_category", "Appeals by category"), "", v.category),
		card(lang.X("metrics.by_channel", "Appeals by channel"), "", v.channel),
	)
	body := container.NewVBox(trend, grid,
		card(lang.X("metrics.by_building", "Busiest buildings"), "", v.building))

	top := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel(lang.X("metrics.period", "Period")), a.reportButtons(v.period), v.periodSl),
		custom,
		container.NewBorder(nil, nil, widget.NewLabel(lang.X("metrics.basis", "Basis")), nil, v.basisSl),
		container.NewGridWrap(fyne.NewSize(300, figs[0].MinSize().Height), figs...),
		v.rules,
		widget.NewSeparator())
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(body))
}

// customBox is the row of a custom period: first and last day and Show.
func (a *Screen) customBox(v *metricsView) (*fyne.Container, *widget.Label) {
	from, to := widget.NewEntry(), widget.NewEntry()
	from.SetText(a.customFrom)
	to.SetText(a.customTo)
	now := a.Now()
	from.SetPlaceHolder(words.FmtDay(words.StartOfMonth(now)))
	to.SetPlaceHolder(words.FmtDay(now))
	errLbl := widgets.ErrLabel()
	show := widget.NewButton(lang.X("metrics.custom.show", "Show"), guard.Func(func() {
		a.customFrom, a.customTo = from.Text, to.Text
		if _, _, problem := words.CustomPeriod(from.Text, to.Text); problem != "" {
			widgets.SetErr(errLbl, problem)
			return
		}
		a.Nav.Rebuild()
	}))
	show.Importance = widget.HighImportance
	row := container.NewGridWithColumns(5,
		widgets.FieldLabel(lang.X("export.from", "From")), from,
		widgets.FieldLabel(lang.X("export.to", "To (inclusive)")), to, show)
	return container.NewVBox(row, errLbl), errLbl
}

// basisBox is the choice of basis and the line that says what the rule
// set did to the assessment basis.
func (a *Screen) basisBox(m *casebook.Metrics, r casebook.Rules) (*widget.RadioGroup, *widget.Label) {
	asm, raw := lang.X("metrics.basis.assessment", "Assessment basis"), lang.X("metrics.basis.raw", "Raw basis")
	sel := widget.NewRadioGroup([]string{asm, raw}, nil)
	sel.Horizontal = true
	sel.Required = true
	if a.raw {
		sel.SetSelected(raw)
	} else {
		sel.SetSelected(asm)
	}
	sel.OnChanged = guard.Func1(func(s string) {
		if want := s == raw; want != a.raw {
			a.raw = want
			a.Nav.Rebuild()
		}
	})
	rc := m.RuleCounts
	text := lang.X("metrics.rules", "Assessment basis: {{.Returned}} returned ({{.ReturnedRule}}); {{.Contested}} contested ({{.ContestedRule}}); {{.Merged}} merged ({{.MergedRule}}); {{.Unevaluated}} callbacks without a verdict ({{.UnevaluatedRule}}); {{.Extended}} extended ({{.ExtendedRule}}); {{.Pending}} awaiting a decision. Rules in Settings.",
		map[string]any{"Returned": words.FmtInt(rc.Returned), "Contested": words.FmtInt(rc.Contested), "ReturnedRule": words.RuleChoiceName(r.Returned), "ContestedRule": words.RuleChoiceName(r.Contested),
			"Merged": words.FmtInt(rc.Merged), "MergedRule": words.RuleChoiceName(r.Merged),
			"Unevaluated": words.FmtInt(rc.Unevaluated), "UnevaluatedRule": words.RuleChoiceName(r.Unevaluated),
			"Extended": words.FmtInt(rc.Extended), "ExtendedRule": words.RuleChoiceName(r.Extended), "Pending": words.FmtInt(rc.Pending)})
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.LowImportance
	return sel, l
}
