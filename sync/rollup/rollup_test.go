package rollup

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"casebook/casebook"
)

// TestRollupAssessment: two communities alike on the raw basis; the one
// whose unsatisfied appeal was contested and accepted ranks first, on the
// assessment basis, which the ranking follows; the workbook shows both
// bases and each community's rule set.
func TestRollupAssessment(t *testing.T) {
	now := time.Date(2026, 4, 1, 9, 0, 0, 0, casebook.Shanghai)
	community := func(name string, contest bool) Input {
		s := casebook.DefaultSettings()
		s.Community.Name = name
		var sums []*casebook.Summary
		for i := range 4 {
			rec := time.Date(2026, 3, 2+i, 9, 0, 0, 0, casebook.Shanghai)
			c := &casebook.Summary{ID: name + string(rune('a'+i)), Received: rec, Urgency: casebook.UrgencyGeneral, Status: casebook.StatusClosed,
				RespondedAt: rec.Add(time.Hour), HandledAt: rec.Add(48 * time.Hour), Solved: casebook.SolvedYes, Satisfaction: casebook.Satisfied}
			if i == 0 { // the one bad callback
				c.Solved, c.Satisfaction, c.Contested = casebook.SolvedNo, casebook.NotSatisfied, contest
			}
			c.SetDeadlines(&s.Policy)
			sums = append(sums, c)
		}
		return Input{Name: name, Settings: s, Summaries: sums}
	}
	ru, err := Build(func(yield func(Input) error) error {
		for _, in := range []Input{community("甲社区", false), community("乙社区", true)} {
			if err := yield(in); err != nil {
				return err
			}
		}
		return nil
	}, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	first, second := ru.Rows[0], ru.Rows[1]
	if first.Community != "乙社区" || first.Assessment.Cases != 3 || first.Cases != 4 || *first.Assessment.ResolutionRate != 1 || *first.Resolution != 0.75 {
		t.Fatalf("first: %s assessment %+v raw cases %d resolution %v", first.Community, first.Assessment, first.Cases, *first.Resolution)
	}
	if second.RuleCounts.Contested != 0 || first.RuleCounts.Contested != 1 {
		t.Errorf("rule counts %+v / %+v", first.RuleCounts, second.RuleCounts)
	}
	var buf bytes.Buffer
	if err := Write(&buf, ru); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(SummarySheet)
	hdr, r := rows[1], rows[2]
	col := func(h string) int {
		for i, v := range hdr {
			if v == h {
				return i
			}
		}
		t.Fatalf("no column %s in %v", h, hdr)
		return 0
	}
	if r[col("考核·诉求件数")] != "3" || r[col("诉求件数")] != "4" || !strings.Contains(r[col("考核口径规则")], "申诉成立（不合理诉求）：不计入考核") {
		t.Errorf("summary row %v", r)
	}
}
