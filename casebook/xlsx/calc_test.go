package xlsx

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"casebook/casebook"
)

// calc finds LibreOffice. Without it the check is skipped, unless
// CASEBOOK_REQUIRE_CALC is set (CI sets it, having installed it), so that a
// missing install cannot quietly pass.
func calc(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CASEBOOK_REQUIRE_CALC") != "" {
		t.Fatal("LibreOffice (soffice) is not installed but CASEBOOK_REQUIRE_CALC is set")
	}
	t.Skip("LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui); skipping the spreadsheet-application check")
	return ""
}

// calcSheets opens a workbook in LibreOffice Calc and saves every sheet as
// CSV the way Calc shows the cells (number formats applied), by sheet name.
func calcSheets(t *testing.T, soffice string, data []byte) map[string][][]string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "ledger.xlsx")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// Options: comma, double quote, UTF-8, ..., save cells as shown, every sheet.
	filter := `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1`
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore",
		"-env:UserInstallation=file://"+filepath.Join(dir, "profile"), // its own profile: runs do not share a lock
		"--convert-to", filter, "--outdir", filepath.Join(dir, "out"), in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("LibreOffice: %v\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "out", "ledger-*.csv"))
	sheets := map[string][][]string{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(strings.NewReader(string(raw)))
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "ledger-"), ".csv")
		sheets[name] = rows
	}
	return sheets
}

// TestExportInCalc opens the exported workbook in a spreadsheet application
// (LibreOffice Calc, the nearest to Excel and WPS that runs here) and checks
// what a clerk sees: every sheet, every appeal, dates shown as dates,
// personal data masked, and the rates as percentages equal to the
// casebook's figures.
func TestExportInCalc(t *testing.T) {
	soffice := calc(t)
	b := demoBook(t, 0)
	now := testNow()
	sheets := calcSheets(t, soffice, exportBytes(t, b, ExportOptions{Now: now, Version: "test"}))
	for _, name := range []string{SheetLedger, SheetRates, SheetBreakdown, SheetOpen, SheetDisputes, SheetMeetings, SheetNotes} {
		if len(sheets[name]) == 0 {
			t.Fatalf("Calc shows no sheet %s (has %d sheets)", name, len(sheets))
		}
	}

	cases := b.List(casebook.Filter{}, now)
	byNumber := map[string]*casebook.Summary{}
	open := 0
	for _, s := range cases {
		byNumber[s.Number] = s
		if s.Status.Open() {
			open++
		}
	}
	ledger := sheets[SheetLedger]
	if len(ledger) != len(cases)+1 {
		t.Fatalf("ledger shows %d rows, want %d appeals + header", len(ledger), len(cases))
	}
	for i, c := range ledgerColumns {
		if ledger[0][i] != c.Header {
			t.Fatalf("ledger header %q, want %q", ledger[0], c.Header)
		}
	}
	phone := regexp.MustCompile(`^1\d{2}\*{4}\d{4}$`)
	for i, row := range ledger[1:] {
		s := byNumber[row[0]]
		if s == nil {
			t.Fatalf("row %d: number %q not in the casebook", i+2, row[0])
		}
		if want := s.Received.In(casebook.Shanghai).Format("2006-01-02 15:04"); row[2] != want {
			t.Fatalf("row %d: Calc shows received %q, want %q (a date in yyyy-mm-dd hh:mm)", i+2, row[2], want)
		}
		if row[9] != "" && !strings.HasSuffix(row[9], "*") {
			t.Fatalf("row %d: name %q is not masked", i+2, row[9])
		}
		if row[10] != "" && !phone.MatchString(row[10]) {
			t.Fatalf("row %d: phone %q is not masked", i+2, row[10])
		}
	}
	if got := len(sheets[SheetOpen]) - 1; got != open {
		t.Errorf("open items: Calc shows %d, casebook has %d open", got, open)
	}

	m := b.Metrics(casebook.MetricsQuery{Now: now})
	for _, r := range []struct {
		label string
		rate  *float64
	}{{"响应率", m.ResponseRate}, {"解决率", m.ResolutionRate}, {"满意率", m.SatisfactionRate}, {"按时率", m.OnTimeRate}} {
		row := findText(sheets[SheetRates], r.label)
		if row == nil || r.rate == nil {
			t.Fatalf("%s: row %v, rate %v", r.label, row, r.rate)
		}
		if want := fmt.Sprintf("%.2f%%", *r.rate*100); row[1] != want {
			t.Errorf("%s: Calc shows %q, casebook has %s", r.label, row[1], want)
		}
	}
	if row := findText(sheets[SheetRates], "诉求总数"); row == nil || row[1] != fmt.Sprint(m.Cases) {
		t.Errorf("诉求总数 row %v, want %d", row, m.Cases)
	}
}

// findText returns the first row whose first cell is label.
func findText(rows [][]string, label string) []string {
	for _, r := range rows {
		if len(r) > 1 && r[0] == label {
			return r
		}
	}
	return nil
}
