package xlsx

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"casebook/casebook"
)

// grid writes the small sheets cell by cell.
type grid struct {
	f     *excelize.File
	sheet string
	err   error
	// cols, rows: the used range so far, which the sheet declares when
	// done (excelize leaves a sheet's declared range at A1).
	cols, rows int
}

// done declares the sheet's used range and returns the first error.
func (g *grid) done() error {
	if g.err == nil && g.rows > 0 {
		g.err = g.f.SetSheetDimension(g.sheet, usedRange(g.cols, g.rows))
	}
	return g.err
}

// set writes v at (col, row), 1-based, with a style; nil, "" and a nil
// *float64 leave the cell empty (no data is not 0%).
func (g *grid) set(col, row int, v any, style int) {
	if g.err != nil {
		return
	}
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		g.err = err
		return
	}
	if v = cellValue(v); v != nil {
		if g.err = g.f.SetCellValue(g.sheet, cell, v); g.err != nil {
			return
		}
		g.cols, g.rows = max(g.cols, col), max(g.rows, row)
	}
	if style != 0 {
		g.err = g.f.SetCellStyle(g.sheet, cell, cell, style)
	}
}

// row writes values from column 1 with one style each (0: none).
func (g *grid) row(row int, styles []int, vals ...any) {
	for i, v := range vals {
		st := 0
		if i < len(styles) {
			st = styles[i]
		}
		g.set(i+1, row, v, st)
	}
}

func (g *grid) widths(ws ...float64) {
	for i, w := range ws {
		if g.err != nil {
			return
		}
		name, _ := excelize.ColumnNumberToName(i + 1)
		g.err = g.f.SetColWidth(g.sheet, name, name, w)
	}
}

// points turns a change in rate (a fraction) into percentage points.
func points(v *float64) *float64 {
	if v == nil {
		return nil
	}
	p := *v * 100
	return &p
}

// Rate sheet labels, used by the round-trip test too.
const (
	labelCases        = "诉求总数"
	labelResponse     = "响应率"
	labelResolution   = "解决率"
	labelSatisfaction = "满意率"
	labelComposite    = "综合得分（分）"
	labelOnTimeResp   = "按时响应率"
	labelOnTimeHandle = "按时办理率"
	labelOnTime       = "按时率"
	labelMonthTable   = "按月统计"
	labelQuarterTable = "按季度统计"
	labelTermTable    = "任期对比"
)

// sliceHeader is the header of the by-month, by-quarter and breakdown
// tables after the key column.
var sliceHeader = []string{"诉求数", labelResponse, labelResolution, labelSatisfaction, labelComposite,
	labelOnTimeResp, labelOnTimeHandle, labelOnTime, "在办", "超期", "已评价"}

// rateSliceHeader is sliceHeader with the assessment basis's rates after it,
// for the by-month and by-quarter tables of 三率统计.
var rateSliceHeader = append(append([]string(nil), sliceHeader...),
	"考核·诉求数", "考核·"+labelResponse, "考核·"+labelResolution, "考核·"+labelSatisfaction, "考核·综合得分", "考核·"+labelOnTime)

// assessmentCells writes a row's assessment basis after its sliceRow.
func (x *exporter) assessmentCells(g *grid, r int, m casebook.MetricsRow) {
	st := &x.st
	a := &m.Assessment
	vals := []any{a.Cases, a.ResponseRate, a.ResolutionRate, a.SatisfactionRate, points(a.CompositeScore), a.OnTimeRate}
	styles := []int{st.integer, st.percent, st.percent, st.percent, st.score, st.percent}
	for i, v := range vals {
		g.set(len(sliceHeader)+2+i, r, v, styles[i])
	}
}

// sliceRow writes one MetricsRow at row r from column 1.
func (x *exporter) sliceRow(g *grid, r int, key string, m casebook.MetricsRow) {
	st := &x.st
	g.row(r, []int{st.text, st.integer, st.percent, st.percent, st.percent, st.score, st.percent, st.percent, st.percent, st.integer, st.integer, st.integer},
		key, m.Cases, m.ResponseRate, m.ResolutionRate, m.SatisfactionRate, points(m.CompositeScore),
		m.Parts.OnTimeRespond.Value(), m.Parts.OnTimeHandle.Value(), m.OnTimeRate, m.Open, m.Overdue, m.Evaluated)
}

func (x *exporter) header(g *grid, r int, first string, rest []string) {
	g.set(1, r, first, x.st.header)
	for i, h := range rest {
		g.set(i+2, r, h, x.st.header)
	}
}

// writeRates writes 三率统计: the period as a whole with numerators and
// denominators, the term comparison, by quarter, by month, and a line chart
// of the rates by month.
func (x *exporter) writeRates() error {
	if _, err := x.f.NewSheet(SheetRates); err != nil {
		return err
	}
	if err := SetupPrint(x.f, SheetRates, x.print(true, 0)); err != nil {
		return err
	}
	g := &grid{f: x.f, sheet: SheetRates}
	st := &x.st
	m := &x.m
	rateWidths := []float64{16, 12, 14, 14, 16, 18, 12, 12, 12, 10, 10, 10, 12, 12, 12, 12, 12, 12}
	g.widths(rateWidths...) // LibreOffice Calc showed "+16.78个百分点" as ### at width 12
	g.set(1, 1, "三率统计 — "+nonEmpty(x.set.Community.Name, "本社区")+"（"+x.periodText()+"）", st.title)
	g.set(1, 2, "统计截至 "+x.opts.Now.In(casebook.Shanghai).Format("2006-01-02 15:04")+"。比率为空表示没有数据（分母为0），不是0%。口径见“说明”表。", st.note)

	r := 4
	g.set(1, r, "本期（全口径：全部诉求；考核口径：按“说明”中的考核口径规则）", st.bold)
	r++
	g.row(r, []int{st.header, st.header, st.header, st.header, st.header, st.header, st.header},
		"指标", "全口径", "分子", "分母", "考核口径", "分子", "分母")
	r++
	g.row(r, []int{st.text, st.integer, 0, 0, st.integer}, labelCases, m.Cases, nil, nil, m.Assessment.Cases)
	r++
	ap := &m.AssessmentParts
	rate := func(label string, v *float64, p casebook.Rate, style int, asm ...casebook.Rate) {
		vals := []any{label, v, p.Num, p.Den}
		styles := []int{st.text, style, x.countStyle(p.Num), x.countStyle(p.Den)}
		for _, a := range asm {
			vals = append(vals, a.Value(), a.Num, a.Den)
			styles = append(styles, style, x.countStyle(a.Num), x.countStyle(a.Den))
		}
		g.row(r, styles, vals...)
		r++
	}
	rate(labelResponse, m.ResponseRate, m.Parts.Response, st.percent, ap.Response)
	rate(labelResolution, m.ResolutionRate, m.Parts.Resolution, st.percent, ap.Resolution)
	rate(labelSatisfaction, m.SatisfactionRate, m.Parts.Satisfaction, st.percent, ap.Satisfaction)
	g.row(r, []int{st.text, st.score, 0, 0, st.score}, labelComposite, points(m.CompositeScore), nil, nil, points(m.Assessment.CompositeScore))
	r++
	rate(labelOnTimeResp, m.OnTimeRespond, m.Parts.OnTimeRespond, st.percent, ap.OnTimeRespond)
	rate(labelOnTimeHandle, m.OnTimeHandle, m.Parts.OnTimeHandle, st.percent, ap.OnTimeHandle)
	rate(labelOnTime, m.OnTimeRate, m.Parts.OnTime, st.percent, ap.OnTime)
	for _, kv := range []struct {
		label string
		n     int
	}{{"在办", m.Open}, {"超期", m.Overdue}, {"即将到期", m.DueSoon}, {"已评价", m.Evaluated}, {"重复诉求", m.Repeat}, {"提级办理", m.Escalated}} {
		g.row(r, []int{st.text, st.integer}, kv.label, kv.n)
		r++
	}
	rate("重复诉求占比", m.RepeatShare, m.Parts.Repeat, st.percent)
	rate("提级占比", m.EscalationShare, m.Parts.Escalation, st.percent)
	rate("社区解决占比", m.CommunitySolvedShare, m.Parts.CommunitySolved, st.percent)
	ageing := ""
	for i, a := range m.Ageing {
		if i > 0 {
			ageing += "，"
		}
		ageing += fmt.Sprintf("%s天 %d件", a.Bucket, a.Count)
	}
	g.row(r, []int{st.text, st.text}, "在办账龄", ageing)
	r += 2

	if tc := m.Term; tc != nil {
		g.set(1, r, fmt.Sprintf("%s（任期自 %s 起；治理书记：%s）", labelTermTable, tc.Start, nonEmpty(x.set.Term.Secretary, "未填")), st.bold)
		r++
		g.row(r, []int{st.header, st.header, st.header, st.header, st.header, st.header},
			"指标", "任期前基线", "本期·任期开始前", "本期·任期以来", "较基线变化", "较任期开始前变化")
		r++
		g.row(r, []int{st.text, 0, st.integer, st.integer}, "诉求数", nil, tc.Before.Cases, tc.During.Cases)
		r++
		for _, v := range []struct {
			label                  string
			base, before, during   *float64
			change, changeSinceBef *float64
		}{
			{labelResponse, tc.Baseline.Response, tc.Before.ResponseRate, tc.During.ResponseRate, tc.Change.Response, tc.ChangeSinceBefore.Response},
			{labelResolution, tc.Baseline.Resolution, tc.Before.ResolutionRate, tc.During.ResolutionRate, tc.Change.Resolution, tc.ChangeSinceBefore.Resolution},
			{labelSatisfaction, tc.Baseline.Satisfaction, tc.Before.SatisfactionRate, tc.During.SatisfactionRate, tc.Change.Satisfaction, tc.ChangeSinceBefore.Satisfaction},
		} {
			g.row(r, []int{st.text, st.percent, st.percent, st.percent, st.points, st.points},
				v.label, v.base, v.before, v.during, points(v.change), points(v.changeSinceBef))
			r++
		}
		g.row(r, []int{st.text, 0, st.score, st.score}, labelComposite, nil, points(tc.Before.CompositeScore), points(tc.During.CompositeScore))
		r++
		before, during := &tc.Before.Assessment, &tc.During.Assessment
		for _, v := range []struct {
			label                  string
			base, before, during   *float64
			change, changeSinceBef *float64
		}{
			{labelResponse, tc.Baseline.Response, before.ResponseRate, during.ResponseRate, tc.AssessmentChange.Response, tc.AssessmentChangeSinceBefore.Response},
			{labelResolution, tc.Baseline.Resolution, before.ResolutionRate, during.ResolutionRate, tc.AssessmentChange.Resolution, tc.AssessmentChangeSinceBefore.Resolution},
			{labelSatisfaction, tc.Baseline.Satisfaction, before.SatisfactionRate, during.SatisfactionRate, tc.AssessmentChange.Satisfaction, tc.AssessmentChangeSinceBefore.Satisfaction},
		} {
			g.row(r, []int{st.text, st.percent, st.percent, st.percent, st.points, st.points},
				v.label+"（考核口径）", v.base, v.before, v.during, points(v.change), points(v.changeSinceBef))
			r++
		}
		g.row(r, []int{st.text, 0, st.score, st.score}, labelComposite+"（考核口径）", nil, points(before.CompositeScore), points(during.CompositeScore))
		r += 2
	}

	quarters := x.quarters()
	if len(quarters) > 0 {
		g.set(1, r, labelQuarterTable, st.bold)
		r++
		x.header(g, r, "季度", rateSliceHeader)
		r++
		for _, q := range quarters {
			x.sliceRow(g, r, q.Key, q)
			x.assessmentCells(g, r, q)
			r++
		}
		r++
	}

	g.set(1, r, labelMonthTable, st.bold)
	r++
	x.header(g, r, "月份", rateSliceHeader)
	r++
	first := r
	for _, mr := range m.ByMonth {
		x.sliceRow(g, r, mr.Key, mr)
		x.assessmentCells(g, r, mr)
		r++
	}
	if err := g.done(); err != nil {
		return err
	}
	if len(m.ByMonth) == 0 {
		return nil
	}
	lastRow := r - 1
	ref := func(col string) string {
		return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", SheetRates, col, first, col, lastRow)
	}
	var series []excelize.ChartSeries
	for _, s := range []struct{ col, name string }{{"C", labelResponse}, {"D", labelResolution}, {"E", labelSatisfaction}, {"I", labelOnTime}} {
		series = append(series, excelize.ChartSeries{
			Name: fmt.Sprintf("'%s'!$%s$%d", SheetRates, s.col, first-1), Categories: ref("A"), Values: ref(s.col),
			Marker: excelize.ChartMarker{Symbol: "circle", Size: 5},
		})
	}
	zero, one := 0.0, 1.0
	at, err := chartPlace(x.f, SheetRates, r+1)
	if err != nil {
		return err
	}
	return x.f.AddChart(SheetRates, at, &excelize.Chart{
		Type: excelize.Line, Series: series,
		Title:        excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "三率按月走势"}}},
		Legend:       excelize.ChartLegend{Position: "bottom"},
		Dimension:    excelize.ChartDimension{Width: chartWidth(rateWidths), Height: 440},
		YAxis:        excelize.ChartAxis{Minimum: &zero, Maximum: &one, MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
		XAxis:        excelize.ChartAxis{},
		ShowBlanksAs: "gap",
	})
}

// quarters are the figures by calendar quarter (Shanghai) of the appeals
// received in the period (casebook.Metrics.ByQuarter), keyed in Chinese.
func (x *exporter) quarters() []casebook.MetricsRow {
	out := make([]casebook.MetricsRow, 0, len(x.m.ByQuarter))
	for _, r := range x.m.ByQuarter {
		var y, q int
		if _, err := fmt.Sscanf(r.Key, "%d-Q%d", &y, &q); err == nil {
			r.Key = fmt.Sprintf("%d年第%d季度", y, q)
		}
		out = append(out, r)
	}
	return out
}

// writeBreakdown writes 分类统计: by category, building and channel, with a
// bar chart of appeals by category.
func (x *exporter) writeBreakdown() error {
	if _, err := x.f.NewSheet(SheetBreakdown); err != nil {
		return err
	}
	if err := SetupPrint(x.f, SheetBreakdown, x.print(true, 0)); err != nil {
		return err
	}
	g := &grid{f: x.f, sheet: SheetBreakdown}
	st := &x.st
	breakdownWidths := []float64{16, 10, 10, 10, 10, 10, 14, 12, 12, 10, 10, 10, 10}
	g.widths(breakdownWidths...)
	g.set(1, 1, "分类统计 — "+nonEmpty(x.set.Community.Name, "本社区")+"（"+x.periodText()+"）", st.title)
	g.set(1, 2, "每件诉求在每个表中恰好计入一行，各行相加等于合计。比率为空表示没有数据。", st.note)
	header := append([]string{"诉求数", "占比"}, sliceHeader[1:]...)
	r := 4
	var catFirst, catLast int
	for _, b := range []struct {
		title, key string
		rows       []casebook.MetricsRow
		name       func(string) string
	}{
		{"按分类", "分类", x.m.ByCategory, func(k string) string { return nonEmpty(k, unknownValue) }},
		{"按楼栋", "楼栋", x.m.ByBuilding, func(k string) string { return nonEmpty(k, unknownValue) }},
		{"按渠道", "渠道", x.m.ByChannel, func(k string) string { return nonEmpty(casebook.Channel(k).Chinese(), unknownValue) }},
	} {
		g.set(1, r, b.title, st.bold)
		r++
		x.header(g, r, b.key, header)
		r++
		first := r
		for _, mr := range b.rows {
			var share *float64
			if x.m.Cases > 0 {
				v := float64(mr.Cases) / float64(x.m.Cases)
				share = &v
			}
			g.row(r, []int{st.text, st.integer, st.percent, st.percent, st.percent, st.percent, st.score, st.percent, st.percent, st.percent, st.integer, st.integer, st.integer},
				b.name(mr.Key), mr.Cases, share, mr.ResponseRate, mr.ResolutionRate, mr.SatisfactionRate, points(mr.CompositeScore),
				mr.Parts.OnTimeRespond.Value(), mr.Parts.OnTimeHandle.Value(), mr.OnTimeRate, mr.Open, mr.Overdue, mr.Evaluated)
			r++
		}
		g.row(r, []int{st.bold, st.integer}, "合计", x.m.Cases)
		if b.key == "分类" {
			catFirst, catLast = first, r-1
		}
		r += 2
	}
	if err := g.done(); err != nil {
		return err
	}
	if catLast < catFirst {
		return nil
	}
	at, err := chartPlace(x.f, SheetBreakdown, r)
	if err != nil {
		return err
	}
	ref := func(col string) string {
		return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", SheetBreakdown, col, catFirst, col, catLast)
	}
	return x.f.AddChart(SheetBreakdown, at, &excelize.Chart{
		Type:      excelize.Bar,
		Series:    []excelize.ChartSeries{{Name: fmt.Sprintf("'%s'!$B$%d", SheetBreakdown, catFirst-1), Categories: ref("A"), Values: ref("B")}},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "诉求数按分类"}}},
		Legend:    excelize.ChartLegend{Position: "none"},
		Dimension: excelize.ChartDimension{Width: chartWidth(breakdownWidths), Height: uint(min(max(320, 24*(catLast-catFirst+1)+80), maxChartHeight))},
		YAxis:     excelize.ChartAxis{MajorGridLines: true},
		XAxis:     excelize.ChartAxis{ReverseOrder: true},
		PlotArea:  excelize.ChartPlotArea{ShowVal: true},
	})
}

// writeNotes writes 说明: who, what period, when and by which version, and
// the formula of every figure (as stated in casebook/metrics.go).
func (x *exporter) writeNotes() error {
	if _, err := x.f.NewSheet(SheetNotes); err != nil {
		return err
	}
	if err := SetupPrint(x.f, SheetNotes, x.print(false, 0)); err != nil {
		return err
	}
	g := &grid{f: x.f, sheet: SheetNotes}
	st := &x.st
	g.widths(18, 80)
	s := &x.set
	w := &s.Weights
	term := "未设置"
	if s.Term.Start != (casebook.Date{}) {
		term = s.Term.Start.String() + " 至 " + nonEmpty(s.Term.End.String(), "未定")
	}
	community := nonEmpty(joinNonEmpty(" ", s.Community.District, s.Community.Street, s.Community.Name), "未设置")
	personal := "已脱敏（姓名保留首字，电话隐藏中间位）"
	if x.opts.Unmasked {
		personal = "未脱敏：含居民个人信息，请按规定保管，勿外传"
	}
	days := "自然日"
	if s.Policy.Counting == casebook.CountWorking {
		days = "工作日"
	}
	rows := [][2]string{
		{"社区", community},
		{"治理书记", nonEmpty(s.Term.Secretary, "未设置")},
		{"任期", term},
		{"统计期间", x.periodText() + "（按受理时间）"},
		{"导出时间", x.opts.Now.In(casebook.Shanghai).Format("2006-01-02 15:04") + "（北京时间）"},
		{"导出版本", "Casebook " + nonEmpty(x.opts.Version, "开发版")},
		{"诉求数", fmt.Sprintf("%d 件，其中在办 %d 件、超期 %d 件", x.m.Cases, x.m.Open, x.m.Overdue)},
		{"个人信息", personal},
		{"时限规则", fmt.Sprintf("签收时限 %s；办理时限按紧急程度（紧急、水电气热、一般、复杂）；按%s计算", limitZh(s.Policy.Respond), days)},
		{"", ""},
		{"口径", "以下公式与软件内、命令行和区级汇总使用的同一定义一致。比率的分母为0时显示为空，不是0%。"},
		{labelResponse, "按时签收的诉求数 ÷（已签收的诉求数 + 未签收且已过签收时限的诉求数）。未签收且未到期的诉求不计入。"},
		{labelResolution, fmt.Sprintf("（回访为“解决”的诉求数 + %g ×“部分解决”的诉求数）÷ 有解决情况回访结果的诉求数。", w.PartlySolved)},
		{labelSatisfaction, fmt.Sprintf("（回访为“满意”的诉求数 + %g ×“基本满意”的诉求数）÷ 有满意度回访结果的诉求数。", w.BasicSatisfied)},
		{labelComposite, fmt.Sprintf("100 ×（%g × 响应率 + %g × 解决率 + %g × 满意率）；任一比率为空则为空。", w.Response, w.Resolution, w.Satisfaction)},
		{labelOnTimeResp, "即响应率。"},
		{labelOnTimeHandle, "按时办理（办结、认定无法解决，复杂诉求为答复方案和进展）的诉求数 ÷（已办理的诉求数 + 未办理且已过办理时限的诉求数）。"},
		{labelOnTime, "（按时签收数 + 按时办理数）÷（响应率分母 + 按时办理率分母）。"},
		{"在办", "尚未销号的诉求；已办结但未反馈、未评价的仍为在办。"},
		{"超期", "在办诉求中，下一时限（未签收为签收时限，已签收未办理为办理时限）已过的。"},
		{"是否超期（台账）", "“是”：在办且已超期；“逾期办结”：签收或办理晚于时限；“否”：其他。"},
		{"在办账龄", "自受理之日到统计之日的自然日数，分 0-7、8-15、16-30、31-90、90天以上。"},
		{"重复诉求", fmt.Sprintf("标记为重复或反复的诉求，或与此前 %d 天内同楼栋同分类诉求相同者。", w.RepeatDays)},
		{"提级占比", "提级到街道、区或市办理的诉求数 ÷ 诉求数。"},
		{"社区解决占比", "回访为“解决”且未提级的诉求数 ÷ 回访为“解决”的诉求数。"},
		{"按月、按季度", "按受理时间（北京时间）所在月份、季度统计；只列出有诉求的月份。"},
		{labelTermTable, "任期开始前：本期内任期开始日（0时）之前受理的诉求；任期以来：之后受理的。较基线变化 = 任期以来 − 任期前基线（基线由区12345数据录入）；单位为百分点（如 +28.76 个百分点）。"},
	}
	rows = append(rows, x.basisNotes()...)
	for i, kv := range rows {
		style := st.bold
		if kv[0] == "" {
			style = 0
		}
		g.row(i+1, []int{style, st.wrap}, kv[0], kv[1])
		if h := rowHeight(wrappedLines(kv[1], 80)); h > 0 && g.err == nil {
			g.err = x.f.SetRowHeight(SheetNotes, i+1, h)
		}
	}
	return g.done()
}

// limitZh writes a time limit in Chinese: "1天", "2小时".
func limitZh(l casebook.Limit) string {
	switch l.Unit {
	case casebook.UnitHours:
		return fmt.Sprintf("%d小时", l.Amount)
	case casebook.UnitDays:
		return fmt.Sprintf("%d天", l.Amount)
	}
	return l.String()
}

func nonEmpty(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// basisNotes are the rows of 说明 on the two bases and the rule set.
func (x *exporter) basisNotes() [][2]string {
	r := &x.set.Rules
	rc := x.m.RuleCounts
	rows := [][2]string{
		{"", ""},
		{"两种口径", "全口径：本期受理的全部诉求，按上列公式计算（延期不改变全口径的办理时限）。考核口径：按下列考核口径规则调整后计算，与区12345考核的口径一致；任期对比中“较基线变化”的考核口径行与基线同口径。两种口径的诉求都保留在台账中。"},
	}
	for _, name := range casebook.RuleNames {
		rows = append(rows, [2]string{"考核·" + ruleShort[name], casebook.RuleCodes[name].Chinese(r.Choice(name)) + "。" + ruleNote(name)})
	}
	rows = append(rows,
		[2]string{"吹哨报到时限", fmt.Sprintf("被召集部门须在 %d 分钟内到现场报到。", r.ArriveMinutes)},
		[2]string{"退单期间计时", pauseText(x.set.Policy.PauseWhileReturned)},
		[2]string{"本期涉及", fmt.Sprintf("已退单 %d 件，申诉成立 %d 件，并单 %d 件，未评价（含未接通、拒绝评价）%d 件，延期 %d 件，待审核 %d 件；考核口径计入 %d 件，全口径 %d 件。",
			rc.Returned, rc.Contested, rc.Merged, rc.Unevaluated, rc.Extended, rc.Pending, x.m.Assessment.Cases, x.m.Cases)},
	)
	return rows
}

// ruleShort are the rules' names short enough for 说明's first column.
var ruleShort = map[string]string{casebook.RuleReturned: "已退单", casebook.RuleContested: "申诉成立",
	casebook.RuleMerged: "并单", casebook.RuleUnevaluated: "未评价等", casebook.RuleExtended: "延期"}

// ruleNote says what each rule is about.
func ruleNote(rule string) string {
	switch rule {
	case casebook.RuleReturned:
		return "热线审核同意退单（改派）的诉求；全口径照常计入。"
	case casebook.RuleContested:
		return "申诉（不合理诉求）经审核成立的诉求；全口径照常计入。"
	case casebook.RuleMerged:
		return "“合并为一次办理”：并入主单的诉求不计入响应率和按时率（主单的办理计一次），各自的回访评价计入解决率和满意率。"
	case casebook.RuleUnevaluated:
		return "回访结果为未评价、未接通或拒绝评价的诉求；全口径不计入解决率和满意率的分母。"
	case casebook.RuleExtended:
		return "延期获批的诉求，按时办理率按所选时限计算；“不计入考核”即不计入按时办理率。"
	}
	return ""
}

func pauseText(pause bool) string {
	if pause {
		return "退单被驳回的，往返期间不计入时限，签收和办理时限相应顺延。"
	}
	return "退单被驳回的，往返期间照常计时。"
}
