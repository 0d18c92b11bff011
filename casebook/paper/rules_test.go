package paper

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"
)

// TestReportRules: the term report gives the assessment basis beside the
// raw one with the rule set written out, the whistles and each
// department, and the report meetings' lists with what was done; the
// meeting version names each meeting by its day and place.
func TestReportRules(t *testing.T) {
	b, err := store.NewBook(store.NewMemory(), "王明", nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	add := func(in casebook.CaseInput) *casebook.Case {
		t.Helper()
		if in.Channel == "" {
			in.Channel = "walk-in"
		}
		in.Type, in.Received = "建议", now.Add(-72*time.Hour)
		c, err := b.AddCase(in)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	step := func(c *casebook.Case, steps ...casebook.Step) {
		t.Helper()
		for _, s := range steps {
			if _, err := b.Step(c.ID, s); err != nil {
				t.Fatalf("%s: %v", s.Action, err)
			}
		}
	}
	for i, done := range []bool{true, false, false} {
		c := add(casebook.CaseInput{Channel: "report-meeting", Category: "道路设施", Summary: "意见" + string(rune('一'+i)), Meeting: "社区党群服务中心"})
		if done {
			step(c, casebook.Step{Action: casebook.ActRespond}, casebook.Step{Action: casebook.ActResolve})
		}
	}
	w := add(casebook.CaseInput{Category: "消防安全", Summary: "楼道堆物堵塞消防通道"})
	step(w, casebook.Step{Action: casebook.ActRespond}, casebook.Step{Action: casebook.ActWhistle, To: "城管,消防", At: now.Add(-48 * time.Hour)},
		casebook.Step{Action: casebook.ActArrive, To: "城管", At: now.Add(-48*time.Hour + 25*time.Minute)},
		casebook.Step{Action: casebook.ActWhistleResult, Note: "联合清理", Ratings: []casebook.DeptRating{{Dept: "城管", Rating: casebook.Satisfied}}})
	c := add(casebook.CaseInput{Category: "其他", Summary: "要求拆除合法建筑"})
	step(c, casebook.Step{Action: casebook.ActContest, Note: "超出政策"}, casebook.Step{Action: casebook.ActContestDecided, Decision: casebook.DecisionAccepted})

	var buf bytes.Buffer
	if _, err := Report(&buf, b, ReportOptions{Options: Options{Now: now}}); err != nil {
		t.Fatal(err)
	}
	all := flat(strings.Join(pdfText(t, buf.Bytes()), "\n"))
	for _, want := range []string{"考核口径与全口径", "全口径计入本期受理的全部5件诉求；考核口径按下列规则计入4件", "申诉成立（不合理诉求）：不计入考核",
		"吹哨报到", "召集部门2次，到场报到1次，其中30分钟内报到1次", "附：报告会意见清单", "报告会（社区党群服务中心）", "已办结1条，持续跟进2条"} {
		if !strings.Contains(all, flat(want)) {
			t.Errorf("the term report lacks %q", want)
		}
	}
	buf.Reset()
	if _, err := Report(&buf, b, ReportOptions{Options: Options{Now: now}, Meeting: true}); err != nil {
		t.Fatal(err)
	}
	if all := flat(strings.Join(pdfText(t, buf.Bytes()), "\n")); !strings.Contains(all, "报告会（社区党群服务中心）：3件，已办结1件，持续跟进2件") {
		t.Errorf("the meeting version lacks the meeting's list")
	}
}
