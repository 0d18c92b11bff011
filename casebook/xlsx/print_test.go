package xlsx

import (
	"strings"
	"testing"

	"casebook/casebook"
	"casebook/casebook/xlsx/xlsxtest"
)

// pageBound is the most pages the workbook of a period may print on: the
// ledger at no fewer than 30 appeals a page (most rows take one line at
// the scale 22 columns print at, some two), the open items at 20, and up to
// 14 pages for the rest (三率统计 with its chart 3, 分类统计 with its chart
// 3, 矛盾纠纷 and 议事记录 a few each, 说明 1). Before the page setup the
// demo's 1,200 appeals printed on 188 pages.
func pageBound(appeals, open int) int {
	return (appeals+29)/30 + (open+19)/20 + 14
}

// TestExportPrints prints the demo's whole term with LibreOffice Calc as a
// clerk would, and checks what comes out: few enough pages for a binder,
// every page numbered, the page header naming the community and the sheet,
// the ledger's header row on every one of its pages, each chart whole on
// one page, and no number printed as "1004.00".
func TestExportPrints(t *testing.T) {
	b := demoBook(t, 0)
	now := testNow()
	data := exportBytes(t, b, ExportOptions{Now: now, Version: "test"})
	pdf := xlsxtest.PrintPDF(t, data)
	xlsxtest.Keep(t, "ledger.pdf", pdf)
	pages := xlsxtest.Pages(t, pdf)

	m := b.Metrics(casebook.MetricsQuery{Now: now})
	bound := pageBound(m.Cases, m.Open)
	t.Logf("%d appeals, %d open: %d pages (bound %d)", m.Cases, m.Open, len(pages), bound)
	if len(pages) > bound || len(pages) >= 60 {
		t.Errorf("the workbook prints on %d pages; want at most %d (and well under 60 for the demo's term)", len(pages), bound)
	}
	if n := xlsxtest.PageNumbers(t, pages); n != len(pages) {
		t.Errorf("%d of %d pages numbered", n, len(pages))
	}
	ledgerPages, chartPages := 0, map[string]int{}
	for i, p := range pages {
		if !strings.Contains(p, demoCommunity(b)) {
			t.Errorf("page %d: the page header does not name the community", i+1)
		}
		if strings.Contains(p, SheetLedger) && strings.Contains(p, "诉求摘要") {
			ledgerPages++
			for _, h := range []string{"编号", "受理时间", "诉求摘要", "是否超期", "提级至"} {
				if !strings.Contains(p, h) {
					t.Errorf("ledger page %d lacks the header %s: the header row is not repeated or a column is cut", i+1, h)
				}
			}
		}
		for _, chart := range []string{"三率按月走势", "诉求数按分类"} {
			if strings.Contains(p, chart) {
				chartPages[chart]++
				if chart == "三率按月走势" && !strings.Contains(p, labelOnTime) {
					t.Errorf("page %d: the rates chart is cut (no legend)", i+1)
				}
			}
		}
		if strings.Contains(p, ".00 ") || strings.HasSuffix(strings.TrimSpace(p), ".00") {
			for _, line := range strings.Split(p, "\n") {
				for _, f := range strings.Fields(line) {
					if strings.HasSuffix(f, ".00") && !strings.Contains(f, ":") {
						t.Errorf("page %d prints a count as %q: %s", i+1, f, strings.TrimSpace(line))
					}
				}
			}
		}
	}
	if ledgerPages < m.Cases/60 {
		t.Errorf("only %d pages show the ledger's header row", ledgerPages)
	}
	for _, chart := range []string{"三率按月走势", "诉求数按分类"} {
		if chartPages[chart] != 1 {
			t.Errorf("chart %s is on %d pages, want 1", chart, chartPages[chart])
		}
	}
}

func demoCommunity(b interface{ Settings() casebook.Settings }) string {
	return nonEmpty(b.Settings().Community.Name, "本社区")
}

// TestExportReadOnlyReader reads the workbook with openpyxl in read-only
// mode, which trusts each sheet's declared used range: before, every sheet
// declared A1 and the reader saw one cell of each.
func TestExportReadOnlyReader(t *testing.T) {
	b := demoBook(t, 0)
	now := testNow()
	data := exportBytes(t, b, ExportOptions{Now: now, Version: "test"})
	for part, ref := range xlsxtest.Dimensions(t, data) {
		if ref == "" || ref == "A1" {
			t.Errorf("%s declares the used range %q", part, ref)
		}
	}
	sheets := xlsxtest.CheckReadOnly(t, data)
	m := b.Metrics(casebook.MetricsQuery{Now: now})
	if got := sheets[SheetLedger].Rows; got != m.Cases+1 {
		t.Errorf("read-only reader sees %d ledger rows, want %d appeals + header", got, m.Cases)
	}
	if got := sheets[SheetOpen].Rows; got != m.Open+1 {
		t.Errorf("read-only reader sees %d open-item rows, want %d + header", got, m.Open)
	}
	for _, name := range []string{SheetRates, SheetBreakdown, SheetNotes, SheetDisputes, SheetMeetings} {
		if sheets[name].NonEmpty < 10 {
			t.Errorf("read-only reader sees %d cells in %s", sheets[name].NonEmpty, name)
		}
	}
}

// TestPartyNames: residents are masked in the dispute sheets, groups of
// residents are not.
func TestMaskPartyName(t *testing.T) {
	for _, c := range []struct {
		kind       casebook.PartyKind
		name, want string
	}{
		{casebook.PartyHousehold, "张建国", "张**"},
		{casebook.PartyHousehold, "排队业主", "排队业主"},
		{casebook.PartyHousehold, "现有承租户", "现有承租户"},
		{casebook.PartyHousehold, "14号楼居民代表", "14号楼居民代表"},
		{casebook.PartyHousehold, "张建国、李红等5户", "张**、李*等5户"},
		{casebook.PartyHousehold, "王小明 李四", "王** 李*"},
		{casebook.PartyBuilding, "15号楼居民", "15号楼居民"},
		{casebook.PartyProperty, "物业", "物业"},
		{casebook.PartyHousehold, "", ""},
	} {
		if got := MaskPartyName(casebook.Party{Name: c.name, Kind: c.kind}); got != c.want {
			t.Errorf("MaskPartyName(%s %q) = %q, want %q", c.kind, c.name, got, c.want)
		}
	}
}
