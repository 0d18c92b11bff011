package rollup

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"casebook/casebook"
	"casebook/casebook/xlsx"
)

// Sheet names: the ranking, and its charts.
const (
	SummarySheet = "汇总"
	ChartSheet   = "排名图表"
)

var summaryHeader = []string{"排名", "社区", "街道", "治理书记", "户数", "任期开始", "任期结束", "诉求件数",
	"响应率", "解决率", "满意率", "综合得分", "基线响应率", "基线解决率", "基线满意率", "基线综合得分",
	"响应率变化", "解决率变化", "满意率变化", "综合得分变化", "按时率", "在办", "超期",
	"考核·诉求件数", "考核·响应率", "考核·解决率", "考核·满意率", "考核·综合得分", "考核·按时率",
	"考核·响应率变化", "考核·解决率变化", "考核·满意率变化", "考核·综合得分变化", "考核口径规则"}

var monthHeader = []string{"月份", "诉求件数", "响应率", "解决率", "满意率", "综合得分", "按时率", "在办", "超期",
	"考核·诉求件数", "考核·响应率", "考核·解决率", "考核·满意率", "考核·综合得分"}

// rulesText is a community's rule set in one cell, and what it touched.
func rulesText(r *Row) string {
	d := r.Rules.Describe()
	rc := r.RuleCounts
	return strings.Join(d[:len(d)-1], "；") + fmt.Sprintf("。期间：已退单%d、申诉成立%d、并单%d、未评价%d、延期%d件", rc.Returned, rc.Contested, rc.Merged, rc.Unevaluated, rc.Extended)
}

func val(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func dateText(d casebook.Date) any {
	if d == (casebook.Date{}) {
		return nil
	}
	return d.String()
}

// sheetName makes a valid, unique sheet name from a community name.
func sheetName(name string, used map[string]bool) string {
	s := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]'`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(name))
	if s == "" {
		s = "社区"
	}
	trim := func(s string, n int) string {
		for utf8.RuneCountInString(s) > n {
			_, size := utf8.DecodeLastRuneInString(s)
			s = s[:len(s)-size]
		}
		return s
	}
	base := trim(s, 31)
	s = base
	for i := 2; used[strings.ToLower(s)] || s == SummarySheet || s == ChartSheet || s == "说明"; i++ {
		suffix := fmt.Sprintf("(%d)", i)
		s = trim(base, 31-len(suffix)) + suffix
	}
	used[strings.ToLower(s)] = true
	return s
}

func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// Write writes the roll-up workbook: the ranking (汇总) with a chart of the
// composite scores and colour scales so that the best and worst stand out,
// a sheet per community with its rates by month and a chart, and a sheet
// (说明) stating the formulas.
func Write(w io.Writer, ru *Rollup) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SummarySheet); err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center", WrapText: true, Vertical: "center"}})
	if err != nil {
		return err
	}
	pct, _ := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	chg := "+0.00%;-0.00%;0.00%"
	change, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &chg})
	title, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})

	sh := SummarySheet
	period := "各社区任期（任期开始至任期结束）"
	if !ru.Options.From.IsZero() || !ru.Options.To.IsZero() {
		period = fmt.Sprintf("%s 至 %s", fmtDay(ru.Options.From, "最早"), fmtDay(ru.Options.To, "今"))
	}
	print := func(sheet, who string, landscape bool, titleRow int) error {
		return xlsx.SetupPrint(f, sheet, xlsx.PrintSetup{Landscape: landscape, TitleFirst: titleRow, TitleLast: titleRow, Community: who, Period: period})
	}

	_ = f.SetCellValue(sh, "A1", fmt.Sprintf("治理书记任期考核汇总　统计期间：%s　截至 %s", period, ru.Options.Now.In(casebook.Shanghai).Format("2006-01-02 15:04")))
	_ = f.SetCellStyle(sh, "A1", "A1", title)
	hdr := make([]any, len(summaryHeader))
	for i, h := range summaryHeader {
		hdr[i] = h
	}
	if err := f.SetSheetRow(sh, "A2", &hdr); err != nil {
		return err
	}
	_ = f.SetCellStyle(sh, "A2", cell(len(summaryHeader), 2), head)
	_ = f.SetRowHeight(sh, 2, 32)
	for i, r := range ru.Rows {
		row := []any{r.Rank, r.Community, r.Street, r.Secretary, r.Households, dateText(r.TermStart), dateText(r.TermEnd), r.Cases,
			val(r.Response), val(r.Resolution), val(r.Satisfaction), val(r.Composite),
			val(r.Baseline.Response), val(r.Baseline.Resolution), val(r.Baseline.Satisfaction), val(r.BaselineComposite),
			val(r.Change.Response), val(r.Change.Resolution), val(r.Change.Satisfaction), val(r.ChangeComposite),
			val(r.OnTime), r.Open, r.Overdue,
			r.Assessment.Cases, val(r.Assessment.ResponseRate), val(r.Assessment.ResolutionRate), val(r.Assessment.SatisfactionRate),
			val(r.Assessment.CompositeScore), val(r.Assessment.OnTimeRate),
			val(r.AssessmentChange.Response), val(r.AssessmentChange.Resolution), val(r.AssessmentChange.Satisfaction), val(r.AssessmentChangeComposite),
			rulesText(&r)}
		if err := f.SetSheetRow(sh, cell(1, i+3), &row); err != nil {
			return err
		}
	}
	last := len(ru.Rows) + 2
	if len(ru.Rows) > 0 {
		_ = f.SetCellStyle(sh, cell(9, 3), cell(16, last), pct)
		_ = f.SetCellStyle(sh, cell(17, 3), cell(20, last), change)
		_ = f.SetCellStyle(sh, cell(21, 3), cell(21, last), pct)
		_ = f.SetCellStyle(sh, cell(25, 3), cell(29, last), pct)
		_ = f.SetCellStyle(sh, cell(30, 3), cell(33, last), change)
		scale := []excelize.ConditionalFormatOptions{{Type: "3_color_scale", Criteria: "=",
			MinType: "min", MidType: "percentile", MaxType: "max", MidValue: "50",
			MinColor: "#F8696B", MidColor: "#FFEB84", MaxColor: "#63BE7B"}}
		for _, col := range []int{10, 11, 12, 18, 19, 20} {
			_ = f.SetConditionalFormat(sh, cell(col, 3)+":"+cell(col, last), scale)
		}
		// A landscape page holds a chart about 1,000 pixels wide and 640
		// high at full scale; a taller one is printed smaller.
		n := len(ru.Rows)
		height := min(max(320, 18*n+100), 1400)
		chart := &excelize.Chart{
			Type: excelize.Bar,
			Series: []excelize.ChartSeries{{
				Name:       fmt.Sprintf("'%s'!$L$2", sh),
				Categories: fmt.Sprintf("'%s'!$B$3:$B$%d", sh, last),
				Values:     fmt.Sprintf("'%s'!$L$3:$L$%d", sh, last),
			}},
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "综合得分排名（任期）"}}},
			Legend:    excelize.ChartLegend{Position: "none"},
			XAxis:     excelize.ChartAxis{ReverseOrder: true},
			YAxis:     excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
			Dimension: excelize.ChartDimension{Width: 960, Height: uint(height)},
		}
		// The charts have a sheet of their own, a page each: beside the
		// ranking they would shrink the printed table and be cut across
		// its pages, and below it they would print under its repeated
		// header row. Rows are 20 pixels high; each chart starts a row
		// below its page's top (LibreOffice drew a chart anchored at the
		// very top on the page before too).
		if _, err := f.NewSheet(ChartSheet); err != nil {
			return err
		}
		if err := print(ChartSheet, "治理书记任期考核汇总", true, 0); err != nil {
			return err
		}
		second := 2 + height/20 + 2
		if err := f.InsertPageBreak(ChartSheet, cell(1, second-1)); err != nil {
			return err
		}
		if err := f.AddChart(ChartSheet, cell(1, 2), chart); err != nil {
			return fmt.Errorf("roll-up chart: %w", err)
		}
		change := &excelize.Chart{
			Type: excelize.Bar,
			Series: []excelize.ChartSeries{
				{Name: fmt.Sprintf("'%s'!$R$2", sh), Categories: fmt.Sprintf("'%s'!$B$3:$B$%d", sh, last), Values: fmt.Sprintf("'%s'!$R$3:$R$%d", sh, last)},
				{Name: fmt.Sprintf("'%s'!$S$2", sh), Categories: fmt.Sprintf("'%s'!$B$3:$B$%d", sh, last), Values: fmt.Sprintf("'%s'!$S$3:$S$%d", sh, last)},
			},
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "解决率、满意率较基线变化"}}},
			XAxis:     excelize.ChartAxis{ReverseOrder: true},
			YAxis:     excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "+0%;-0%"}},
			Dimension: excelize.ChartDimension{Width: 960, Height: uint(height)},
		}
		if err := f.AddChart(ChartSheet, cell(1, second), change); err != nil {
			return fmt.Errorf("roll-up chart: %w", err)
		}
	}
	_ = f.SetColWidth(sh, "A", "A", 6)
	_ = f.SetColWidth(sh, "B", "D", 14)
	_ = f.SetColWidth(sh, "E", "AG", 10)
	_ = f.SetColWidth(sh, "AH", "AH", 40)
	_ = f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: 2, TopLeftCell: "C3", ActivePane: "bottomRight"})
	if len(ru.Rows) > 0 {
		_ = f.AutoFilter(sh, "A2:"+cell(len(summaryHeader), last), nil)
	}
	// After the auto-filter, which replaces the sheet properties that hold
	// the fit-to-page flag.
	if err := print(sh, "治理书记任期考核汇总", true, 2); err != nil {
		return err
	}
	// excelize leaves each sheet's declared used range at A1, and readers
	// that trust it (openpyxl read-only) would see one cell.
	if err := f.SetSheetDimension(sh, "A1:"+cell(len(summaryHeader), last)); err != nil {
		return err
	}

	used := map[string]bool{}
	for _, r := range ru.Rows {
		name := sheetName(r.Community, used)
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := print(name, r.Community, true, 2); err != nil { // landscape: 14 columns with the assessment basis
			return err
		}
		_ = f.SetCellValue(name, "A1", fmt.Sprintf("%s　按月三率（第%d名）", r.Community, r.Rank))
		_ = f.SetCellStyle(name, "A1", "A1", title)
		hdr := make([]any, len(monthHeader))
		for i, h := range monthHeader {
			hdr[i] = h
		}
		_ = f.SetSheetRow(name, "A2", &hdr)
		_ = f.SetCellStyle(name, "A2", cell(len(monthHeader), 2), head)
		for i, m := range r.Months {
			a := &m.Assessment
			row := []any{m.Key, m.Cases, val(m.ResponseRate), val(m.ResolutionRate), val(m.SatisfactionRate), val(m.CompositeScore), val(m.OnTimeRate), m.Open, m.Overdue,
				a.Cases, val(a.ResponseRate), val(a.ResolutionRate), val(a.SatisfactionRate), val(a.CompositeScore)}
			_ = f.SetSheetRow(name, cell(1, i+3), &row)
		}
		ml := len(r.Months) + 2
		_ = f.SetColWidth(name, "A", "N", 11)
		if err := f.SetSheetDimension(name, "A1:"+cell(len(monthHeader), ml)); err != nil {
			return err
		}
		if len(r.Months) > 0 {
			_ = f.SetCellStyle(name, "C3", cell(7, ml), pct)
			_ = f.SetCellStyle(name, cell(11, 3), cell(14, ml), pct)
			q := "'" + name + "'"
			var series []excelize.ChartSeries
			for _, col := range []string{"C", "D", "E"} {
				series = append(series, excelize.ChartSeries{Name: fmt.Sprintf("%s!$%s$2", q, col),
					Categories: fmt.Sprintf("%s!$A$3:$A$%d", q, ml), Values: fmt.Sprintf("%s!$%s$3:$%s$%d", q, col, col, ml),
					Marker: excelize.ChartMarker{Symbol: "circle", Size: 5}})
			}
			// Below the table (landscape: the 14 columns are a page wide),
			// on the same page while the months fit, else on the next.
			at := cell(1, ml+2)
			if ml > 24 {
				if err := f.InsertPageBreak(name, at); err != nil {
					return err
				}
			}
			if err := f.AddChart(name, at, &excelize.Chart{Type: excelize.Line, Series: series,
				Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: r.Community + " 三率按月"}}},
				YAxis:     excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
				Dimension: excelize.ChartDimension{Width: 680, Height: 340}}); err != nil {
				return fmt.Errorf("chart of %s: %w", r.Community, err)
			}
		}
	}

	notes := "说明"
	_, _ = f.NewSheet(notes)
	lines := []string{
		"本表由区级同步中心（casebook-district export）根据各社区台账的操作记录生成，口径与台账软件一致（casebook.ComputeMetrics）。",
		"统计期间：" + period + "；任期内 = 期间内、任期开始日（北京时间 0 点）及以后受理的诉求。",
		"响应率 = 按时签收的诉求 ÷（已签收的诉求 + 未签收且已过响应时限的诉求）。",
		"解决率 =（回访评价“解决”的诉求 + 部分解决权重 × “部分解决”的诉求）÷ 有解决评价的诉求；部分解决权重默认 0。",
		"满意率 =（“满意” + 基本满意权重 × “基本满意”）÷ 有满意度评价的诉求；基本满意权重默认 0.9。",
		"综合得分 = 0.1 × 响应率 + 0.5 × 解决率 + 0.4 × 满意率（权重可在各社区设置中调整）；任一率无数据则为空。",
		"基线 = 任期开始前该社区的12345三率（由社区在设置中录入）；变化 = 任期内 − 基线，单位为百分点。",
		"两种口径：全口径计入期间内全部诉求；考核口径按各社区设置的考核口径规则（见汇总表最后一列）调整：同意退单、申诉成立的诉求可不计入，并单可合并为一次办理，未评价（未接通、拒绝评价）的回访可不计或按规则计，延期获批的按批准时限计。基线为12345考核数据，与考核口径同口径。",
		"无数据的比率留空，不按 0% 或 100% 计。排名按考核口径综合得分从高到低，其次全口径综合得分、解决率、满意率。",
		"本表不含居民姓名、电话等个人信息。",
	}
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	for i, l := range lines {
		_ = f.SetCellValue(notes, cell(1, i+1), l)
		_ = f.SetCellStyle(notes, cell(1, i+1), cell(1, i+1), wrap)
		if len([]rune(l)) > 45 { // two lines of the 95-wide column
			_ = f.SetRowHeight(notes, i+1, 33)
		}
	}
	_ = f.SetColWidth(notes, "A", "A", 95)
	if err := print(notes, "治理书记任期考核汇总", false, 0); err != nil {
		return err
	}
	if err := f.SetSheetDimension(notes, "A1:"+cell(1, len(lines))); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

func fmtDay(t time.Time, empty string) string {
	if t.IsZero() {
		return empty
	}
	return t.In(casebook.Shanghai).Format("2006-01-02")
}
