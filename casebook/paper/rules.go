package paper

import (
	"fmt"
	"slices"
	"strings"

	"casebook/casebook"
)

// The term report's parts of the 12345 rules: the three rates on the
// assessment basis (考核口径) beside the raw basis with the rule set
// written out, the whistles (吹哨报到) and the departments that answered,
// and the lists (清单) of the report meetings with what was done.

// assessmentSection compares the two bases and writes the rule set out.
func (r *reportData) assessmentSection(d *doc) {
	m := &r.m
	a, ap := &m.Assessment, &m.AssessmentParts
	d.Heading("考核口径与全口径", 11.5, 40)
	rc := m.RuleCounts
	d.Para(fmt.Sprintf("全口径计入本期受理的全部 %d 件诉求；考核口径按下列规则计入 %d 件（已退单 %d 件、申诉成立 %d 件、并单 %d 件、未评价 %d 件、延期 %d 件，待审核 %d 件）。区12345考核和任期前基线按考核口径计算。",
		m.Cases, a.Cases, rc.Returned, rc.Contested, rc.Merged, rc.Unevaluated, rc.Extended, rc.Pending), body, 0, 1.6)
	rows := [][]string{
		{"响应率", pct(a.ResponseRate), num(ap.Response.Num) + " / " + num(ap.Response.Den), pct(m.ResponseRate)},
		{"解决率", pct(a.ResolutionRate), num(ap.Resolution.Num) + " / " + num(ap.Resolution.Den), pct(m.ResolutionRate)},
		{"满意率", pct(a.SatisfactionRate), num(ap.Satisfaction.Num) + " / " + num(ap.Satisfaction.Den), pct(m.SatisfactionRate)},
		{"综合得分", score(a.CompositeScore), "", score(m.CompositeScore)},
		{"按时率", pct(a.OnTimeRate), num(ap.OnTime.Num) + " / " + num(ap.OnTime.Den), pct(m.OnTimeRate)},
	}
	if tc := m.Term; tc != nil {
		rows = append(rows,
			[]string{"解决率较基线", points(tc.AssessmentChange.Resolution), "", points(tc.Change.Resolution)},
			[]string{"满意率较基线", points(tc.AssessmentChange.Satisfaction), "", points(tc.Change.Satisfaction)})
	}
	d.Table([]Col{{"指标", 24, false}, {"考核口径", 22, true}, {"考核口径分子/分母", 30, true}, {"全口径", 24, true}}, rows, body)
	d.Para("考核口径规则："+strings.Join(m.Rules.Describe(), "；")+"。", Style{Size: 8.5, Grey: true}, 0, 1.5)
}

// whistleSection counts the whistles and how each department answered.
func (r *reportData) whistleSection(d *doc) {
	w := &r.m.Whistle
	if w.Summoned == 0 {
		return
	}
	d.Heading("吹哨报到", 11.5, 40)
	d.Para(fmt.Sprintf("本期 %d 件诉求吹哨召集部门 %d 次，到场报到 %d 次，其中 %d 分钟内报到 %d 次（%s），平均 %s 分钟到场。部门评价：满意 %d、基本满意 %d、不满意 %d。",
		w.Cases, w.Summoned, w.Arrived, r.m.Rules.ArriveMinutes, w.InTime, pct(w.InTimeRate), minutes(w.MeanMinutes), w.Satisfied, w.Basic, w.Unsatisfied), body, 0, 1.6)
	var rows [][]string
	for _, dep := range w.ByDepartment {
		rows = append(rows, []string{dep.Dept, fmt.Sprint(dep.Summoned), fmt.Sprint(dep.Arrived), pct(dep.InTimeRate), minutes(dep.MeanMinutes),
			fmt.Sprintf("%d / %d / %d", dep.Satisfied, dep.Basic, dep.Unsatisfied)})
	}
	d.Table([]Col{{"部门", 22, false}, {"召集", 12, true}, {"报到", 12, true}, {"按时报到率", 16, true}, {"平均到场（分钟）", 18, true}, {"满意/基本/不满意", 20, true}}, rows, body)
}

func minutes(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.0f", *v)
}

// meeting is one report meeting (报告会): its day and place, and the
// items raised there.
type meeting struct {
	day   casebook.Date
	place string
	items []*casebook.Summary
}

// meetingList is the report meetings of the period, in order of day.
func (r *reportData) meetingList() []meeting {
	var out []meeting
	for day, items := range r.meetings {
		byPlace := map[string][]*casebook.Summary{}
		var places []string
		for _, s := range items {
			if _, ok := byPlace[s.Place]; !ok {
				places = append(places, s.Place)
			}
			byPlace[s.Place] = append(byPlace[s.Place], s)
		}
		slices.Sort(places)
		for _, p := range places {
			out = append(out, meeting{day: day, place: p, items: byPlace[p]})
		}
	}
	slices.SortFunc(out, func(a, b meeting) int {
		if c := a.day.Time().Compare(b.day.Time()); c != 0 {
			return c
		}
		return strings.Compare(a.place, b.place)
	})
	return out
}

// title names a meeting: 2026年3月15日报告会（社区党群服务中心）.
func (m *meeting) title() string {
	t := dayOfDate(m.day) + "报告会"
	if m.place != "" {
		t += "（" + m.place + "）"
	}
	return t
}

// meetingListSection is the term report's table of the report meetings'
// lists: what was raised, done (已办结) and still followed (持续跟进).
func (r *reportData) meetingListSection(d *doc) {
	ms := r.meetingList()
	if len(ms) == 0 {
		return
	}
	d.Heading("附：报告会意见清单", 13, 40)
	var rows [][]string
	total, done := 0, 0
	for i := range ms {
		n := countDone(ms[i].items)
		total, done = total+len(ms[i].items), done+n
		rows = append(rows, []string{ms[i].title(), fmt.Sprint(len(ms[i].items)), fmt.Sprint(n), fmt.Sprint(len(ms[i].items) - n)})
	}
	d.Para(fmt.Sprintf("本期 %d 次报告会收集意见 %d 条：已办结 %d 条，持续跟进 %d 条，列入清单、办一件销一件。", len(ms), total, done, total-done), body, 0, 1.6)
	d.Table([]Col{{"报告会", 46, false}, {"意见", 18, true}, {"已办结", 18, true}, {"持续跟进", 18, true}}, rows, body)
}
