package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/ui/guard"
)

// Metrics (统计): the figures of casebook.ComputeMetrics, the one
// definition shared with the CLI, the export and the hub, drawn as charts
// for a chosen period: the three rates month by month against the baseline,
// the term's before and after, appeals by category, building and channel,
// and the backlog by age.

type metricsView struct {
	m        casebook.Metrics
	period   period
	periodSl *widget.Select
	line     *lineChart
	term     *barChart
	category *barChart
	building *barChart
	channel  *barChart
	ageing   *barChart
	summary  map[string]*widget.Label
}

// maxBuildingBars bounds the building chart: the busiest buildings matter.
const maxBuildingBars = 15

func (a *App) buildMetrics() fyne.CanvasObject {
	a.lastShown = SectionMetrics
	now := a.now()
	set := a.settingsNow()
	v := &metricsView{summary: map[string]*widget.Label{}}
	a.metrics = v

	ps := periods(now, set.Term)
	if a.metricsPeriod == "" {
		a.metricsPeriod = periodAll
	}
	v.period, _ = periodByKey(ps, a.metricsPeriod)
	v.periodSl = newSelect(periodNames(ps), nil)
	_, idx := periodByKey(ps, a.metricsPeriod)
	v.periodSl.SetSelectedIndex(idx)
	v.periodSl.OnChanged = guard.Func1(func(string) {
		if i := v.periodSl.SelectedIndex(); i >= 0 && i < len(ps) && ps[i].key != a.metricsPeriod {
			a.metricsPeriod = ps[i].key
			a.rebuild()
		}
	})

	v.m = a.book.Metrics(casebook.MetricsQuery{From: v.period.from, To: v.period.to, Now: now})
	m := &v.m
	base := set.Term.Baseline

	// Key figures.
	figures := []struct{ key, name, value string }{
		{"cases", lang.X("metrics.cases", "Appeals"), fmtInt(m.Cases)},
		{"response", lang.X("rate.response", "Response rate"), fmtRate(m.ResponseRate)},
		{"resolution", lang.X("rate.resolution", "Resolution rate"), fmtRate(m.ResolutionRate)},
		{"satisfaction", lang.X("rate.satisfaction", "Satisfaction rate"), fmtRate(m.SatisfactionRate)},
		{"composite", lang.X("rate.composite", "Composite score"), fmtRate(m.CompositeScore)},
		{"ontime", lang.X("metrics.on_time", "On time"), fmtRate(m.OnTimeRate)},
		{"open", lang.X("metrics.open", "Open"), fmtInt(m.Open)},
		{"overdue", lang.X("metrics.overdue", "Overdue"), fmtInt(m.Overdue)},
		{"repeat", lang.X("metrics.repeat", "Repeat appeals"), fmtRate(m.RepeatShare)},
		{"escalated", lang.X("metrics.escalated", "Escalated"), fmtRate(m.EscalationShare)},
		{"community", lang.X("metrics.community_solved", "Solved in the community"), fmtRate(m.CommunitySolvedShare)},
	}
	var figs []fyne.CanvasObject
	for _, f := range figures {
		val := widget.NewLabelWithStyle(f.value, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		v.summary[f.key] = val
		name := widget.NewLabel(f.name)
		figs = append(figs, container.NewVBox(name, val))
	}

	// Three rates by month against the baseline.
	var labels []string
	resp := make([]*float64, 0, len(m.ByMonth))
	reso := make([]*float64, 0, len(m.ByMonth))
	sati := make([]*float64, 0, len(m.ByMonth))
	for _, r := range m.ByMonth {
		labels = append(labels, r.Key)
		resp = append(resp, r.ResponseRate)
		reso = append(reso, r.ResolutionRate)
		sati = append(sati, r.SatisfactionRate)
	}
	v.line = newLineChart(labels, []chartSeries{
		{Name: lang.X("rate.response", "Response rate"), Color: theme.ColorNamePrimary, Values: resp, Baseline: base.Response},
		{Name: lang.X("rate.resolution", "Resolution rate"), Color: theme.ColorNameSuccess, Values: reso, Baseline: base.Resolution},
		{Name: lang.X("rate.satisfaction", "Satisfaction rate"), Color: theme.ColorNameWarning, Values: sati, Baseline: base.Satisfaction},
	}, lang.X("metrics.dashed", "dashed: baseline before the term"))

	// Before and after the term start.
	var termBars []barItem
	if tc := m.Term; tc != nil {
		for _, r := range []struct {
			name                string
			baseline, pre, post *float64
		}{
			{lang.X("rate.response", "Response rate"), tc.Baseline.Response, tc.Before.ResponseRate, tc.During.ResponseRate},
			{lang.X("rate.resolution", "Resolution rate"), tc.Baseline.Resolution, tc.Before.ResolutionRate, tc.During.ResolutionRate},
			{lang.X("rate.satisfaction", "Satisfaction rate"), tc.Baseline.Satisfaction, tc.Before.SatisfactionRate, tc.During.SatisfactionRate},
		} {
			termBars = append(termBars, barItem{Label: r.name, Heading: true})
			for _, b := range []struct {
				name string
				v    *float64
				col  fyne.ThemeColorName
			}{
				{lang.X("metrics.term.baseline", "Baseline"), r.baseline, theme.ColorNameDisabled},
				{lang.X("metrics.term.before", "Before the term"), r.pre, theme.ColorNameWarning},
				{lang.X("metrics.term.during", "During the term"), r.post, theme.ColorNamePrimary},
			} {
				it := barItem{Label: b.name, Text: fmtRate(b.v), Color: b.col}
				if b.v != nil {
					it.Value = *b.v
				}
				termBars = append(termBars, it)
			}
		}
	}
	v.term = newBarChart(termBars, 1)

	rowBars := func(rows []casebook.MetricsRow, name func(string) string, limit int) []barItem {
		var out []barItem
		for i, r := range rows {
			if limit > 0 && i >= limit {
				break
			}
			out = append(out, barItem{Label: name(r.Key), Value: float64(r.Cases),
				Text: lang.X("metrics.bar", "{{.N}} · solved {{.Rate}}", map[string]any{"N": fmtInt(r.Cases), "Rate": fmtRate(r.ResolutionRate)})})
		}
		return out
	}
	unset := func(k string) string {
		if k == "" {
			return lang.X("metrics.unset", "(none)")
		}
		return k
	}
	v.category = newBarChart(rowBars(m.ByCategory, unset, 0), 0)
	// Appeals with no building (the whole community, a street) would dwarf
	// every building's bar; the chart is about which buildings need care.
	var byBuilding []casebook.MetricsRow
	for _, r := range m.ByBuilding {
		if r.Key != "" {
			byBuilding = append(byBuilding, r)
		}
	}
	v.building = newBarChart(rowBars(byBuilding, unset, maxBuildingBars), 0)
	v.channel = newBarChart(rowBars(m.ByChannel, func(k string) string {
		if k == "" {
			return unset(k)
		}
		return channelName(casebook.Channel(k))
	}, 0), 0)
	var ageing []barItem
	for _, b := range m.Ageing {
		ageing = append(ageing, barItem{Label: lang.X("metrics.days", "{{.Range}} days", map[string]any{"Range": b.Bucket}),
			Value: float64(b.Count), Text: fmtInt(b.Count), Color: theme.ColorNameError})
	}
	v.ageing = newBarChart(ageing, 0)

	card := func(title, sub string, obj fyne.CanvasObject) fyne.CanvasObject {
		return widget.NewCard(title, sub, obj)
	}
	trend := card(lang.X("metrics.trend", "The three rates by month"), "", v.line)
	termSub := ""
	if set.Term.Start != (casebook.Date{}) {
		termSub = lang.X("metrics.term.sub", "Term started {{.Start}}", map[string]any{"Start": fmtDate(set.Term.Start)})
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
		container.NewBorder(nil, nil, widget.NewLabel(lang.X("metrics.period", "Period")), nil, v.periodSl),
		container.NewGridWrap(fyne.NewSize(170, figs[0].MinSize().Height), figs...),
		widget.NewSeparator())
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(body))
}
