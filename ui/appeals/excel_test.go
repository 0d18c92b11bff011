package appeals

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fyne.io/fyne/v2/test"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/words"
)

// writeSheet writes a one-sheet workbook with a header row and rows.
func writeSheet(t *testing.T, dir, name string, header []string, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "派单")
	all := append([][]any{toAny(header)}, rows...)
	for i, r := range all {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("派单", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

var woHeader = []string{"工单编号", "受理时间", "诉求类型", "问题分类", "诉求内容", "诉求人", "联系电话", "地址", "办理时限"}

// TestExportWorkbook: the export dialog writes a workbook that Excel
// (excelize) opens, with the ledger sheet, and never replaces a file.
func TestExportWorkbook(t *testing.T) {
	a, _ := newTestApp(t, words.LangChinese, func(b *store.Book) {
		addCase(t, b, casebook.CaseInput{Summary: "3号楼路灯不亮", Category: "停车管理", Complainant: "张大爷", Phone: "13812341234"})
	})
	a.showLedger()
	a.exportDialog()
	f := a.exportForm
	if f.warning.Visible() {
		t.Error("the warning shows before the box is ticked")
	}
	f.unmasked.SetChecked(true)
	if !f.warning.Visible() {
		t.Error("no warning for an unmasked export")
	}
	f.unmasked.SetChecked(false)
	// A custom period with a bad date is refused in the dialog.
	f.period.SetSelectedIndex(len(f.keys) - 1)
	if !f.custom.Visible() {
		t.Fatal("custom dates not shown")
	}
	f.from.SetText("2026-13-01")
	if _, ok := f.options(); ok || visibleErr(f.errLbl) == "" {
		t.Error("a bad date was accepted")
	}
	f.period.SetSelectedIndex(0) // this month
	opts, ok := f.options()
	if !ok {
		t.Fatalf("options: %q", visibleErr(f.errLbl))
	}
	dir := t.TempDir()
	existing := filepath.Join(dir, strings.TrimSuffix(f.name.Text, ".xlsx")+".xlsx")
	if err := os.WriteFile(existing, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan string, 1)
	f.done = func(path string, err error) {
		if err != nil {
			t.Error(err)
		}
		done <- path
	}
	f.write(dir, opts)
	var path string
	select {
	case path = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("export did not finish")
	}
	if path == existing {
		t.Fatal("the export replaced an existing file")
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Error("the existing file was changed")
	}
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("诉求台账")
	if err != nil {
		t.Fatalf("sheet 诉求台账: %v (sheets %v)", err, x.GetSheetList())
	}
	if len(rows) < 2 || !strings.Contains(strings.Join(rows[1], "|"), "3号楼路灯不亮") {
		t.Errorf("ledger rows %q", rows)
	}
	if strings.Contains(strings.Join(rows[1], "|"), "13812341234") {
		t.Error("a masked export contains the phone number")
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".casebook-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func waitImport(t *testing.T, a *testApp, do func()) {
	t.Helper()
	ch := make(chan struct{}, 1)
	a.importDone = func() { ch <- struct{}{} }
	do()
	select {
	case <-ch:
	case <-time.After(30 * time.Second):
		t.Fatal("import did not finish")
	}
}

// TestImportPreview: a small sheet previews its new appeal, and importing
// adds it; a bad sheet shows where the problems are and imports nothing.
func TestImportPreview(t *testing.T) {
	a, _ := newTestApp(t, words.LangChinese, nil)
	a.showLedger()
	dir := t.TempDir()
	when := time.Now().Add(-48 * time.Hour).In(casebook.Shanghai).Format("2006-01-02 15:04")
	good := writeSheet(t, dir, "good.xlsx", woHeader, [][]any{
		{"2603020001", when, "投诉", "停车管理", "14号楼前车辆乱停占用消防通道", "张三", "13812341234", "14号楼", "7天"},
		{"2603020002", when, "求助", "下水道堵了", "3号楼下水道堵塞", "李四", "", "3号楼", "24小时"},
	})
	var f *importFlow
	waitImport(t, a, func() { f = a.importFile(good) })
	if f.report.New != 2 || len(f.report.Problems) != 0 {
		t.Fatalf("dry run: %+v", f.report)
	}
	if !strings.Contains(f.summary.Text, "新增2件") {
		t.Errorf("preview %q", f.summary.Text)
	}
	if !f.cats.Visible() || !strings.Contains(f.cats.Text, "下水道堵了") {
		t.Errorf("unknown categories %q (shown %v)", f.cats.Text, f.cats.Visible())
	}
	if a.Book.Store().Index().Len() != 0 {
		t.Fatal("the dry run imported")
	}
	if f.ok.Disabled() {
		t.Fatal("Import is disabled")
	}
	waitImport(t, a, func() { test.Tap(f.ok) })
	if n := a.Book.Store().Index().Len(); n != 2 {
		t.Fatalf("after import %d cases", n)
	}
	if _, ok := a.Book.FindByWorkOrder("2603020001"); !ok {
		t.Error("the work order is not in the casebook")
	}
	if len(a.ledger.rows) != 2 {
		t.Errorf("the ledger shows %d rows after the import", len(a.ledger.rows))
	}

	bad := writeSheet(t, dir, "bad.xlsx", woHeader, [][]any{
		{"2603020009", when, "投诉", "停车管理", "好的一行", "", "", "", "7天"},
		{"2603020010", "2026-13-45 08:00", "投诉", "停车管理", "日期不对", "", "", "", ""},
	})
	waitImport(t, a, func() { f = a.importFile(bad) })
	if len(f.report.Problems) == 0 || !f.probs.Visible() || !strings.Contains(f.probs.Text, "派单!B3") {
		t.Errorf("problems %q", f.probs.Text)
	}
	if !f.ok.Disabled() {
		t.Error("Import is offered for a sheet with problems")
	}
	if n := a.Book.Store().Index().Len(); n != 2 {
		t.Errorf("a bad sheet changed the casebook: %d cases", n)
	}
}
