package paper

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"casebook/casebook"
	"casebook/casebook/xlsx"
)

// Report writes the 任期工作报告 of the period (opts.From, opts.To): for the
// organization department, or with opts.Meeting the version for a 报告会
// with residents (meeting.go). It reads the appeals once; every rate in it
// is casebook.MetricsTally's, the numbers of `casebook metrics` and the
// workbook.
func Report(w io.Writer, src Source, opts ReportOptions) (Result, error) {
	now := opts.now()
	if !opts.From.IsZero() && !opts.To.IsZero() && !opts.To.After(opts.From) {
		return Result{}, fmt.Errorf("report: %w: the period ends before it starts", casebook.ErrInvalid)
	}
	r, err := gather(src, opts, now)
	if err != nil {
		return Result{}, fmt.Errorf("report: %w", err)
	}
	if opts.Meeting {
		return meetingReport(w, r)
	}
	return termReport(w, r)
}

// body is the report's text style.
var body = Style{Size: 10}

func termReport(w io.Writer, r *reportData) (Result, error) {
	name := nonEmpty(r.set.Community.Name, "本社区")
	d, err := newDoc(sizeA4, 18, name+" 治理书记任期工作报告", nonEmpty(r.set.Term.Secretary, community(r.set)), r.now)
	if err != nil {
		return Result{}, err
	}
	d.footer = pageFooter(name + " 治理书记任期工作报告　统计截至 " + minute(r.now))
	d.addPage()
	d.Gap(6)
	d.Centered(community(r.set), Style{Size: 12}, 1.7)
	d.Centered("治理书记任期工作报告", Style{Size: 20, Bold: true}, 2)
	t := r.set.Term
	d.Centered(fmt.Sprintf("治理书记：%s　任期：%s 至 %s", nonEmpty(t.Secretary, "未设置"), nonEmpty(t.Start.String(), "未设置"), nonEmpty(t.End.String(), "未定")), Style{Size: 10.5}, 1.7)
	d.Centered("统计期间："+periodText(r.opts.From, r.opts.To)+"（按受理时间）　统计截至 "+minute(r.now), Style{Size: 10.5}, 1.7)
	d.Gap(4)

	r.ratesSection(d)
	if s := r.opts.Assessment; s != nil {
		section(d, s, body)
	} else {
		r.assessmentSection(d)
	}
	r.monthsSection(d)
	r.sliceSection(d)
	r.ageingSection(d)
	r.fallingSection(d)
	r.disputeSection(d, false)
	r.escalationSection(d)
	r.whistleSection(d)
	r.openSection(d)
	r.meetingListSection(d)
	for i := range r.opts.Lists {
		section(d, &r.opts.Lists[i], body)
	}
	d.Gap(4)
	d.Para("口径：比率为空（—）表示没有数据（分母为0），不是0%。除“考核口径与全口径”一节外均为全口径。各比率的公式见台账“说明”表；本报告的数字与台账、命令行 casebook metrics 出自同一计算。居民姓名、电话不在本报告中。", Style{Size: 8.5, Grey: true}, 0, 1.5)
	return d.finish(w)
}

// section writes a Section supplied by another package.
func section(d *doc, s *Section, st Style) {
	d.Heading(s.Title, 13, 20)
	for _, p := range s.Paragraphs {
		d.Para(p, st, 0, 1.6)
	}
	if len(s.Columns) > 0 {
		d.Table(s.Columns, s.Rows, Style{Size: st.Size - 1})
	}
}

func (r *reportData) ratesSection(d *doc) {
	m := &r.m
	d.Heading("一、三率总览", 13, 40)
	d.Para(fmt.Sprintf("本期受理诉求 %d 件，已评价 %d 件；目前在办 %d 件，其中超期 %d 件。综合得分 %s 分（满分100），按时率 %s。",
		m.Cases, m.Evaluated, m.Open, m.Overdue, score(m.CompositeScore), pct(m.OnTimeRate)), body, 0, 1.6)
	rows := [][]string{}
	if tc := m.Term; tc != nil {
		for _, v := range []struct {
			label                string
			base, before, during *float64
			change, sinceBefore  *float64
		}{
			{"响应率", tc.Baseline.Response, tc.Before.ResponseRate, tc.During.ResponseRate, tc.Change.Response, tc.ChangeSinceBefore.Response},
			{"解决率", tc.Baseline.Resolution, tc.Before.ResolutionRate, tc.During.ResolutionRate, tc.Change.Resolution, tc.ChangeSinceBefore.Resolution},
			{"满意率", tc.Baseline.Satisfaction, tc.Before.SatisfactionRate, tc.During.SatisfactionRate, tc.Change.Satisfaction, tc.ChangeSinceBefore.Satisfaction},
		} {
			rows = append(rows, []string{v.label, pct(v.base), pct(v.before), pct(v.during), points(v.change), points(v.sinceBefore)})
		}
		rows = append(rows, []string{"综合得分", score(baselineComposite(&r.set)), score(tc.Before.CompositeScore), score(tc.During.CompositeScore), "", ""},
			[]string{"诉求件数", "", fmt.Sprint(tc.Before.Cases), fmt.Sprint(tc.During.Cases), "", ""})
		d.Table([]Col{{"指标", 14, false}, {"任期前基线", 16, true}, {"本期·任期开始前", 17, true}, {"本期·任期以来", 17, true}, {"较基线变化", 18, true}, {"较任期开始前变化", 18, true}}, rows, body)
		d.Para(fmt.Sprintf("任期自 %s 起。基线为任期开始前本社区的12345三率，由区里提供的数字录入。", tc.Start), Style{Size: 8.5, Grey: true}, 0, 1.5)
	}
	d.Gap(2)
	d.Table([]Col{{"本期指标", 30, false}, {"数值", 20, true}, {"分子", 25, true}, {"分母", 25, true}}, [][]string{
		{"响应率", pct(m.ResponseRate), num(m.Parts.Response.Num), num(m.Parts.Response.Den)},
		{"解决率", pct(m.ResolutionRate), num(m.Parts.Resolution.Num), num(m.Parts.Resolution.Den)},
		{"满意率", pct(m.SatisfactionRate), num(m.Parts.Satisfaction.Num), num(m.Parts.Satisfaction.Den)},
		{"按时率", pct(m.OnTimeRate), num(m.Parts.OnTime.Num), num(m.Parts.OnTime.Den)},
		{"重复诉求占比", pct(m.RepeatShare), num(m.Parts.Repeat.Num), num(m.Parts.Repeat.Den)},
		{"社区解决占比", pct(m.CommunitySolvedShare), num(m.Parts.CommunitySolved.Num), num(m.Parts.CommunitySolved.Den)},
	}, body)
}

// baselineComposite is the composite score of the baseline rates under the
// casebook's weights, as the roll-up computes it.
func baselineComposite(s *casebook.Settings) *float64 {
	b := s.Term.Baseline
	if b.Response == nil || b.Resolution == nil || b.Satisfaction == nil {
		return nil
	}
	w := s.Weights
	v := w.Response**b.Response + w.Resolution**b.Resolution + w.Satisfaction**b.Satisfaction
	return &v
}

// num shows a count, or a weighted count with its decimals: 1004, 838.4.
func num(v float64) string {
	if v == float64(int64(v)) {
		return fmt.Sprint(int64(v))
	}
	return strings.TrimRight(fmt.Sprintf("%.2f", v), "0")
}

func (r *reportData) monthsSection(d *doc) {
	m := &r.m
	if len(m.ByMonth) == 0 {
		return
	}
	d.Heading("二、逐月走势", 13, 90)
	var labels []string
	var resp, res, sat []*float64
	for _, mr := range m.ByMonth {
		labels = append(labels, mr.Key)
		resp, res, sat = append(resp, mr.ResponseRate), append(res, mr.ResolutionRate), append(sat, mr.SatisfactionRate)
	}
	series := []Series{{Name: "响应率", Values: resp}, {Name: "解决率", Values: res}, {Name: "满意率", Values: sat}}
	lo := 1.0
	for _, s := range series {
		for _, v := range s.Values {
			if v != nil {
				lo = min(lo, *v)
			}
		}
	}
	b := r.set.Term.Baseline
	for _, bl := range []struct {
		name string
		v    *float64
	}{{"解决率基线", b.Resolution}, {"满意率基线", b.Satisfaction}} {
		if bl.v != nil {
			vals := make([]*float64, len(labels))
			for i := range vals {
				vals[i] = bl.v
			}
			series = append(series, Series{Name: bl.name, Values: vals, Dashed: true})
			lo = min(lo, *bl.v)
		}
	}
	lo = max(0, float64(int(lo*10))/10-0.1)
	d.LineChart("三率按月走势", labels, series, lo, 1, 85, Style{Size: 9})
	var rows [][]string
	for _, mr := range m.ByMonth {
		rows = append(rows, []string{mr.Key, fmt.Sprint(mr.Cases), pct(mr.ResponseRate), pct(mr.ResolutionRate), pct(mr.SatisfactionRate),
			score(mr.CompositeScore), pct(mr.OnTimeRate), fmt.Sprint(mr.Open), fmt.Sprint(mr.Overdue)})
	}
	d.Table([]Col{{"月份", 12, false}, {"诉求", 9, true}, {"响应率", 12, true}, {"解决率", 12, true}, {"满意率", 12, true},
		{"综合得分", 12, true}, {"按时率", 12, true}, {"在办", 8, true}, {"超期", 8, true}}, rows, Style{Size: 9})
}

// topBars are the largest rows of a slice as bars, with their shares.
func topBars(rows []casebook.MetricsRow, total, n int, name func(string) string) []Bar {
	var out []Bar
	for _, mr := range rows[:min(n, len(rows))] {
		share := 0.0
		if total > 0 {
			share = float64(mr.Cases) / float64(total) * 100
		}
		out = append(out, Bar{Label: name(mr.Key), Value: float64(mr.Cases), Text: fmt.Sprintf("%d（%.1f%%）", mr.Cases, share)})
	}
	return out
}

func unknown(k string) string { return nonEmpty(k, "（未填）") }

func (r *reportData) sliceSection(d *doc) {
	m := &r.m
	if m.Cases == 0 {
		return
	}
	d.Heading("三、分类与楼栋", 13, 60)
	d.BarChart("诉求最多的问题分类", topBars(m.ByCategory, m.Cases, 12, unknown), 5.2, Style{Size: 9}, palette[0])
	var rows [][]string
	for _, mr := range m.ByCategory {
		rows = append(rows, []string{unknown(mr.Key), fmt.Sprint(mr.Cases), pct(mr.ResponseRate), pct(mr.ResolutionRate), pct(mr.SatisfactionRate), fmt.Sprint(mr.Open)})
	}
	d.Table([]Col{{"分类", 24, false}, {"诉求", 12, true}, {"响应率", 16, true}, {"解决率", 16, true}, {"满意率", 16, true}, {"在办", 10, true}}, rows, Style{Size: 9})
	d.Gap(4)
	d.BarChart("诉求最多的楼栋", topBars(m.ByBuilding, m.Cases, 12, unknown), 5.2, Style{Size: 9}, palette[1])
}

func (r *reportData) ageingSection(d *doc) {
	m := &r.m
	d.Heading("四、在办事项账龄", 13, 40)
	d.Para(fmt.Sprintf("截至 %s，在办 %d 件，其中超期 %d 件、24小时内到期 %d 件。账龄按受理之日到今天的自然日数：", minute(r.now), m.Open, m.Overdue, m.DueSoon), body, 0, 1.6)
	var bars []Bar
	for _, a := range m.Ageing {
		bars = append(bars, Bar{Label: strings.Replace(a.Bucket, "90+", "90天以上", 1) + map[bool]string{true: "", false: "天"}[a.Bucket == "90+"], Value: float64(a.Count), Text: fmt.Sprintf("%d件", a.Count)})
	}
	d.BarChart("", bars, 5.2, Style{Size: 9}, palette[3])
}

func (r *reportData) fallingSection(d *doc) {
	falling := r.falling(10)
	d.Heading("五、减少了的重复诉求", 13, 30)
	if len(falling) == 0 {
		d.Para("本期月份太少，或没有前半程集中、后半程减少的楼栋和问题。", body, 0, 1.6)
		return
	}
	half := len(r.months) / 2
	d.Para(fmt.Sprintf("把本期的 %d 个月分成前后两半（前半程 %s 至 %s，后半程 %s 至 %s），以下楼栋和问题的诉求减少最多：",
		len(r.months), monthLabel(r.months[0]), monthLabel(r.months[half-1]), monthLabel(r.months[len(r.months)-half]), monthLabel(r.months[len(r.months)-1])), body, 0, 1.6)
	var rows [][]string
	for _, t := range falling {
		rows = append(rows, []string{unknown(t.key.building), unknown(t.key.category), fmt.Sprint(t.early), fmt.Sprint(t.recent), fmt.Sprintf("−%d", t.early-t.recent), countsText(t.counts)})
	}
	d.Table([]Col{{"楼栋", 14, false}, {"问题", 16, false}, {"前半程", 11, true}, {"后半程", 11, true}, {"减少", 10, true}, {"逐月件数", 38, false}}, rows, Style{Size: 9})
}

// countsText is a row of monthly counts: "3 · 1 · 0 · 2".
func countsText(cs []int) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = fmt.Sprint(c)
	}
	return strings.Join(s, " · ")
}

func (r *reportData) disputeSection(d *doc, plain bool) {
	ds := r.resolvedIn()
	title := "六、矛盾纠纷化解"
	if plain {
		title = "化解了的矛盾纠纷"
	}
	st := body
	if plain {
		st = meetingBody
	}
	d.Heading(title, map[bool]float64{true: 20, false: 13}[plain], 30)
	if len(ds) == 0 {
		d.Para("本期没有化解完毕的矛盾纠纷。", st, 0, 1.6)
		return
	}
	for _, dsp := range ds {
		d.Para("■ "+dsp.Title(), Style{Size: st.Size, Bold: true}, 0, 1.6)
		d.Para(story(dsp), st, 4, 1.6)
	}
}

// story tells a resolved dispute in a few sentences: the sides, the plan
// versions and why they changed, the vote, what was built. Residents'
// names are masked (groups of residents keep their names).
func story(dsp *casebook.Dispute) string {
	var b strings.Builder
	if s := dsp.Summary(); s != "" {
		b.WriteString(s)
		if !strings.HasSuffix(s, "。") {
			b.WriteString("。")
		}
	}
	var sides []string
	for _, p := range dsp.Parties() {
		if p.Position != "" && p.Side != "中立" {
			sides = append(sides, xlsx.MaskPartyName(p)+"主张"+p.Position)
		}
	}
	if len(sides) > 0 {
		b.WriteString(strings.Join(sides, "；") + "。")
	}
	plans := dsp.Plans()
	if len(plans) > 0 {
		fmt.Fprintf(&b, "社区先后拿出 %d 版方案", len(plans))
		var ch []string
		for _, p := range plans[1:] {
			if p.Changes != "" {
				ch = append(ch, fmt.Sprintf("第%d版%s", p.N, p.Changes))
			}
		}
		if len(ch) > 0 {
			b.WriteString("：" + strings.Join(ch, "；"))
		}
		b.WriteString("。")
	}
	if a := dsp.Agreement; a != nil {
		for _, v := range dsp.Votes() {
			if v.Plan == a.Plan && v.Passed() {
				fmt.Fprintf(&b, "%s议事会%s，赞成 %d、反对 %d、弃权 %d，方案通过。", day(v.At), v.Method.Chinese(), v.For, v.Against, v.Abstain)
			}
		}
	}
	var done []string
	for _, t := range dsp.Tasks() {
		if t.Done {
			done = append(done, t.Title)
		}
	}
	if len(done) > 0 {
		b.WriteString("已完成：" + strings.Join(done, "、") + "。")
	}
	fmt.Fprintf(&b, "%s化解，关联诉求 %d 件一并销号。", day(dsp.ResolvedAt), len(dsp.Cases))
	return b.String()
}

func (r *reportData) escalationSection(d *doc) {
	m := &r.m
	d.Heading("七、提级办理", 13, 30)
	levels := []casebook.Level{casebook.LevelStreet, casebook.LevelDistrict, casebook.LevelCity}
	var parts []string
	for _, l := range levels {
		if n := r.nEscal[l]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d 件", l.Chinese(), n))
		}
	}
	if m.Escalated == 0 {
		d.Para("本期没有提级办理的诉求。", body, 0, 1.6)
		return
	}
	d.Para(fmt.Sprintf("本期提级办理 %d 件，占 %s（%s）；社区层面解决的占已解决诉求的 %s。", m.Escalated, pct(m.EscalationShare), strings.Join(parts, "，"), pct(m.CommunitySolvedShare)), body, 0, 1.6)
	var rows [][]string
	for _, s := range r.escalated {
		rows = append(rows, []string{s.Number, casebook.DateOf(s.Received).String(), unknown(s.Category), unknown(s.Building), s.Summary, s.Escalation.Chinese(), s.Status.Chinese()})
	}
	d.Table([]Col{{"编号", 15, false}, {"受理日期", 13, false}, {"分类", 12, false}, {"楼栋", 9, false}, {"诉求摘要", 33, false}, {"提级至", 8, false}, {"状态", 10, false}}, rows, Style{Size: 8.5})
	if m.Escalated > len(r.escalated) {
		d.Para(fmt.Sprintf("另有 %d 件见台账。", m.Escalated-len(r.escalated)), Style{Size: 8.5, Grey: true}, 0, 1.5)
	}
}

// openStatuses are the open statuses, in loop order, with what each means
// for why the appeal is still open.
var openStatuses = []struct {
	s   casebook.Status
	why string
}{
	{casebook.StatusReceived, "已受理，尚未签收"},
	{casebook.StatusResponded, "已签收，尚未交办"},
	{casebook.StatusDispatched, "已交办，承办单位尚未办结"},
	{casebook.StatusInProgress, "办理中"},
	{casebook.StatusResolved, "已办结，待向居民反馈"},
	{casebook.StatusUnresolvable, "认定无法解决，待反馈说明"},
	{casebook.StatusFeedback, "已反馈，待回访评价"},
	{casebook.StatusEvaluated, "已评价，待销号"},
}

func (r *reportData) openSection(d *doc) {
	m := &r.m
	d.Heading("八、尚未办结的事项及原因", 13, 40)
	var rows [][]string
	for _, o := range openStatuses {
		if n := r.openBy[o.s]; n > 0 {
			rows = append(rows, []string{o.s.Chinese(), fmt.Sprint(n), o.why})
		}
	}
	if len(rows) == 0 {
		d.Para("本期诉求已全部销号。", body, 0, 1.6)
		return
	}
	d.Table([]Col{{"状态", 16, false}, {"件数", 10, true}, {"原因", 74, false}}, rows, body)
	type kv struct {
		k string
		n int
	}
	var to []kv
	for k, n := range r.openTo {
		to = append(to, kv{k, n})
	}
	slices.SortFunc(to, func(a, b kv) int {
		if a.n != b.n {
			return b.n - a.n
		}
		return strings.Compare(a.k, b.k)
	})
	if len(to) > 0 {
		var parts []string
		for _, x := range to[:min(8, len(to))] {
			parts = append(parts, fmt.Sprintf("%s %d 件", x.k, x.n))
		}
		d.Para("在办事项的承办单位："+strings.Join(parts, "，")+"。", body, 0, 1.6)
	}
	if m.Overdue == 0 {
		return
	}
	d.Para(fmt.Sprintf("超期 %d 件（下表为超期最久的 %d 件）：", r.nOverdue, len(r.overdue)), body, 0, 1.6)
	rows = nil
	for _, s := range r.overdue {
		k, due := s.Next()
		what := "签收"
		if k == casebook.DeadlineHandle {
			what = "办理"
		}
		rows = append(rows, []string{s.Number, unknown(s.Category), s.Summary, s.Status.Chinese(), nonEmpty(s.DispatchedTo, "—"), what + "时限 " + deadline(due)})
	}
	d.Table([]Col{{"编号", 15, false}, {"分类", 12, false}, {"诉求摘要", 33, false}, {"状态", 10, false}, {"承办单位", 13, false}, {"已过", 22, false}}, rows, Style{Size: 8.5})
}
