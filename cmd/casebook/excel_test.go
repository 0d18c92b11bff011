package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestExportImport(t *testing.T) {
	db := newDB(t)
	received := time.Now().Add(-48 * time.Hour)
	addCase(t, db, received, "--channel", "12345", "--workorder", "2026112400000001")
	dir := t.TempDir()
	out := filepath.Join(dir, "ledger.xlsx")
	ok(t, "export", "--db", db, "--out", out)
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	name, _ := f.GetCellValue("诉求台账", "J2")
	phone, _ := f.GetCellValue("诉求台账", "K2")
	f.Close()
	if name != "张*" || phone != "138****0000" {
		t.Errorf("masked name/phone = %q %q", name, phone)
	}
	fails(t, "already exists", "export", "--db", db, "--out", out)
	fails(t, "YYYY", "export", "--db", db, "--out", filepath.Join(dir, "x.xlsx"), "--from", "24/11/2026")
	fails(t, "no casebook", "export", "--db", filepath.Join(dir, "none.db"), "--out", filepath.Join(dir, "y.xlsx"))
	if _, err := os.Stat(filepath.Join(dir, "x.xlsx")); err == nil {
		t.Errorf("a refused export left a file")
	}

	// A work-order sheet: one new row, then the same file again changes nothing.
	sheet := filepath.Join(dir, "paidan.xlsx")
	w := excelize.NewFile()
	rows := [][]any{
		{"工单编号", "派单时间", "诉求内容", "诉求人", "联系电话", "诉求地址", "问题分类"},
		{"2026112400000002", "2026-11-23 09:30", "5号楼门前垃圾无人清运", "李四", "13911112222", "5号楼", "环境卫生"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := w.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.SaveAs(sheet); err != nil {
		t.Fatal(err)
	}
	ok(t, "import", "--db", db, sheet, "--dry-run")
	before := ok(t, "case", "list", "--db", db, "--json")
	ok(t, "import", "--db", db, sheet)
	after := ok(t, "case", "list", "--db", db, "--json")
	if before == after {
		t.Errorf("import added nothing")
	}
	ok(t, "import", "--db", db, sheet)
	if again := ok(t, "case", "list", "--db", db, "--json"); again != after {
		t.Errorf("re-import changed the casebook")
	}
	notXLSX := filepath.Join(dir, "notes.xlsx")
	os.WriteFile(notXLSX, []byte("hello"), 0o600)
	fails(t, "notes.xlsx", "import", "--db", db, notXLSX)
	fails(t, "no such file", "import", "--db", db, filepath.Join(dir, "missing.xlsx"))
}
