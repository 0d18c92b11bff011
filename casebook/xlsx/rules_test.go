package xlsx

import (
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"casebook/casebook"
)

// TestExportRules: the ledger shows the merge group and what the 12345
// rules recorded, 三率统计 shows both bases with their working, and 说明
// writes the rule set out.
func TestExportRules(t *testing.T) {
	b := newBook(t)
	if _, err := importBytes(t, b, cleanSheet(t), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	id := func(wo string) string { s, _ := b.FindByWorkOrder(wo); return s.ID }
	main, merged, returned, contested := id("2603020001"), id("2603020002"), id("2603030001"), id("2603040001")
	step := func(c string, s casebook.Step) {
		t.Helper()
		if _, err := b.Step(c, s); err != nil {
			t.Fatalf("%s: %v", s.Action, err)
		}
	}
	step(main, casebook.Step{Action: casebook.ActRespond})
	if _, err := b.MergeCase(merged, main); err != nil {
		t.Fatal(err)
	}
	step(returned, casebook.Step{Action: casebook.ActReturn, Note: "非本社区"})
	step(returned, casebook.Step{Action: casebook.ActReturnDecided, Decision: casebook.DecisionAccepted})
	step(contested, casebook.Step{Action: casebook.ActContest, Note: "超出政策"})
	step(contested, casebook.Step{Action: casebook.ActContestDecided, Decision: casebook.DecisionAccepted})
	now := testNow().AddDate(1, 0, 0)
	f := openExport(t, exportBytes(t, b, ExportOptions{Now: now}))
	ledger, _ := f.GetRows(SheetLedger)
	col := func(h string) int {
		for i, v := range ledger[0] {
			if v == h {
				return i
			}
		}
		t.Fatalf("no column %s", h)
		return -1
	}
	group, rules := col("并单"), col("热线规则")
	cell := func(num string, c int) string {
		for _, r := range ledger[1:] {
			if r[0] == num && c < len(r) {
				return r[c]
			}
		}
		return ""
	}
	number := func(id string) string { c, _ := b.Case(id); return c.Number() }
	if got := cell(number(merged), group); got != "并入"+number(main) {
		t.Errorf("merged row's group %q", got)
	}
	if got := cell(number(main), group); got != "主单（并入1件）" {
		t.Errorf("main row's group %q", got)
	}
	if got := cell(number(returned), rules); got != "已退单，不计入考核" {
		t.Errorf("returned row %q", got)
	}
	if got := cell(number(contested), rules); got != "申诉成立，不计入考核" {
		t.Errorf("contested row %q", got)
	}

	m := b.Metrics(casebook.MetricsQuery{Now: now})
	rates, _ := f.GetRows(SheetRates, excelize.Options{RawCellValue: true})
	cases := findRowStrings(rates, labelCases)
	if cases[1] != strconv.Itoa(m.Cases) || cases[4] != strconv.Itoa(m.Assessment.Cases) || m.Assessment.Cases != m.Cases-2 {
		t.Errorf("cases row %v, want %d raw and %d assessment", cases, m.Cases, m.Assessment.Cases)
	}
	resp := findRowStrings(rates, labelResponse)
	if resp[5] != fmtNum(m.AssessmentParts.Response.Num) || resp[6] != fmtNum(m.AssessmentParts.Response.Den) {
		t.Errorf("assessment response parts %v, want %v", resp, m.AssessmentParts.Response)
	}
	notes, _ := f.GetRows(SheetNotes)
	text := ""
	for _, r := range notes {
		text += strings.Join(r, " ") + "\n"
	}
	for _, want := range []string{"考核·已退单 不计入考核", "考核·并单 合并为一次办理、各自评价", "已退单 1 件，申诉成立 1 件，并单 1 件"} {
		if !strings.Contains(text, want) {
			t.Errorf("说明 lacks %q", want)
		}
	}
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
