package rollup

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"casebook/casebook"
	"casebook/casebook/demo"
	"casebook/casebook/store"
	"casebook/casebook/xlsx/xlsxtest"
)

// demoRollup is the roll-up of n demo communities of 300 appeals each.
func demoRollup(t *testing.T, n int) *Rollup {
	t.Helper()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, casebook.Shanghai)
	if c := time.Now().Truncate(time.Hour); c.Before(now) {
		now = c
	}
	var inputs []Input
	for i := range n {
		b, err := store.NewBook(store.NewMemory(), demo.Secretary, nil)
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("示例%d社区", i+1)
		if _, err := demo.Generate(b, demo.Options{Community: name, Seed: int64(i + 1), Now: now, Cases: 300}); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, Input{Name: name, Settings: b.Settings(), Summaries: b.List(casebook.Filter{}, now)})
	}
	ru, err := Build(func(yield func(Input) error) error {
		for _, in := range inputs {
			if err := yield(in); err != nil {
				return err
			}
		}
		return nil
	}, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return ru
}

// TestWorkbookPrintsAndReads prints the roll-up with LibreOffice Calc and
// reads it with a streaming reader: the ranking on pages with its header
// row repeated, each chart whole on a page of its own, every page
// numbered; every sheet declares the range it fills.
func TestWorkbookPrintsAndReads(t *testing.T) {
	ru := demoRollup(t, 3)
	var buf bytes.Buffer
	if err := Write(&buf, ru); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	sheets := xlsxtest.CheckReadOnly(t, data)
	if got := sheets[SummarySheet].Rows; got != len(ru.Rows)+2 {
		t.Errorf("read-only reader sees %d rows of the ranking, want title + header + %d", got, len(ru.Rows))
	}
	for _, r := range ru.Rows {
		if got := sheets[r.Community].Rows; got != len(r.Months)+2 {
			t.Errorf("%s: read-only reader sees %d rows, want title + header + %d months", r.Community, got, len(r.Months))
		}
	}

	pdf := xlsxtest.PrintPDF(t, data)
	xlsxtest.Keep(t, "rollup.pdf", pdf)
	pages := xlsxtest.Pages(t, pdf)
	// The ranking and its two charts take a page each; a community's
	// sheet one (its months and chart), 说明 one.
	if want := 3 + len(ru.Rows) + 1; len(pages) > want {
		t.Errorf("the roll-up prints on %d pages, want at most %d", len(pages), want)
	}
	if n := xlsxtest.PageNumbers(t, pages); n != len(pages) {
		t.Errorf("%d of %d pages numbered", n, len(pages))
	}
	charts := map[string]int{}
	for _, p := range pages {
		for _, c := range []string{"综合得分排名（任期）", "解决率、满意率较基线变化"} {
			if strings.Contains(p, c) {
				charts[c]++
				if strings.Contains(p, "基线响应率") {
					t.Errorf("chart %s shares a page with the ranking", c)
				}
			}
		}
	}
	for c, n := range charts {
		if n != 1 {
			t.Errorf("chart %s on %d pages", c, n)
		}
	}
	if len(charts) != 2 {
		t.Errorf("charts found: %v", charts)
	}
}
