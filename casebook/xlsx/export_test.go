package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"casebook/casebook"
	"casebook/casebook/demo"
	"casebook/casebook/store"
)

// testNow is the tests' "today": 2026-11-24 10:00 in Shanghai, or the
// computer's clock if it is earlier (demo.Generate refuses a future now).
func testNow() time.Time {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, casebook.Shanghai)
	if c := time.Now().Truncate(time.Hour); c.Before(now) {
		return c
	}
	return now
}

// demoBook is a demo casebook of n appeals (demo.DefaultCases when 0),
// generated once per size for the whole test binary.
func demoBook(t testing.TB, n int) *store.Book {
	t.Helper()
	demoMu.Lock()
	defer demoMu.Unlock()
	if b := demoBooks[n]; b != nil {
		return b
	}
	b, err := store.NewBook(store.NewMemory(), demo.Secretary, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Generate(b, demo.Options{Seed: 7, Now: testNow(), Cases: n}); err != nil {
		t.Fatal(err)
	}
	demoBooks[n] = b
	return b
}

var (
	demoMu    sync.Mutex
	demoBooks = map[int]*store.Book{}
)

// python finds a Python with openpyxl: the one on PATH, else Debian's.
func python(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if err := exec.Command(p, "-c", "import openpyxl").Run(); err == nil {
			return p
		}
	}
	t.Skip("python3 with openpyxl is not installed (Debian: apt-get install python3-openpyxl); skipping the second-reader check")
	return ""
}

// readBack is the workbook as openpyxl reads it.
type readBack struct {
	Sheets []string `json:"sheets"`
	Ledger struct {
		MaxRow     int        `json:"max_row"`
		MaxCol     int        `json:"max_col"`
		Header     []string   `json:"header"`
		Freeze     string     `json:"freeze"`
		Filter     string     `json:"filter"`
		Rows       [][]any    `json:"rows"`
		DateTypes  []string   `json:"date_types"`
		NumFormats []string   `json:"num_formats"`
		Widths     []float64  `json:"widths"`
		Wrapped    bool       `json:"wrapped"`
		Cells      [][]string `json:"-"`
	} `json:"ledger"`
	Rates     [][]any `json:"rates"`
	Breakdown [][]any `json:"breakdown"`
	Open      struct {
		MaxRow int     `json:"max_row"`
		Rows   [][]any `json:"rows"`
	} `json:"open"`
	Notes [][]any `json:"notes"`
}

const readScript = `
import json, sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
def val(v):
    if isinstance(v, datetime.datetime):
        v = v + datetime.timedelta(microseconds=500000)
        return v.replace(microsecond=0).isoformat()
    return v
def grid(ws):
    return [[val(c) for c in row] for row in ws.iter_rows(values_only=True)]
out = {"sheets": wb.sheetnames}
ws = wb["诉求台账"]
led = {"max_row": ws.max_row, "max_col": ws.max_column,
       "header": [c.value for c in ws[1]],
       "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref,
       "rows": [[val(c) for c in row] for row in ws.iter_rows(min_row=2, values_only=True)],
       "date_types": [type(ws.cell(row=2, column=c).value).__name__ for c in (3, 15, 16, 17)],
       "num_formats": [ws.cell(row=2, column=c).number_format for c in (3, 15)],
       "widths": [ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width for c in range(1, ws.max_column + 1)],
       "wrapped": bool(ws.cell(row=2, column=9).alignment.wrap_text)}
out["ledger"] = led
out["rates"] = grid(wb["三率统计"])
out["breakdown"] = grid(wb["分类统计"])
ws = wb["未办结清单"]
out["open"] = {"max_row": ws.max_row, "rows": [[val(c) for c in row] for row in ws.iter_rows(min_row=2, values_only=True)]}
out["notes"] = grid(wb["说明"])
print(json.dumps(out, ensure_ascii=False, default=str))
`

// readWithOpenpyxl reads an exported workbook with openpyxl.
func readWithOpenpyxl(t *testing.T, py string, data []byte) readBack {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ledger.xlsx")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", readScript, path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, stderr.String())
	}
	var rb readBack
	if err := json.Unmarshal(out, &rb); err != nil {
		t.Fatalf("decode openpyxl output: %v", err)
	}
	return rb
}

func exportBytes(t testing.TB, src Source, opts ExportOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Export(&buf, src, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// findRow returns the first row of a grid whose first cell is label.
func findRow(g [][]any, label string) []any {
	for _, r := range g {
		if len(r) > 0 && r[0] == label {
			return r
		}
	}
	return nil
}

// sameRate compares a cell with a rate (nil: the cell must be empty).
func sameRate(t *testing.T, what string, cell any, want *float64, scale float64) {
	t.Helper()
	if want == nil {
		if cell != nil {
			t.Errorf("%s: sheet has %v, metrics have no data", what, cell)
		}
		return
	}
	got, ok := cell.(float64)
	if !ok {
		t.Errorf("%s: sheet has %v (%T), want number %v", what, cell, cell, *want*scale)
		return
	}
	if math.Abs(got-*want*scale) > 1e-9 {
		t.Errorf("%s: sheet %v, metrics %v", what, got, *want*scale)
	}
}

func TestExportRoundTrip(t *testing.T) {
	py := python(t)
	b := demoBook(t, 0)
	now := testNow()
	data := exportBytes(t, b, ExportOptions{Now: now, Version: "test"})
	rb := readWithOpenpyxl(t, py, data)

	// The demo has disputes, so their two sheets come before 说明.
	wantSheets := []string{SheetLedger, SheetRates, SheetBreakdown, SheetOpen, SheetDisputes, SheetMeetings, SheetNotes}
	if strings.Join(rb.Sheets, ",") != strings.Join(wantSheets, ",") {
		t.Fatalf("sheets %v, want %v", rb.Sheets, wantSheets)
	}
	cases := b.List(casebook.Filter{}, now)
	if rb.Ledger.MaxRow != len(cases)+1 || len(rb.Ledger.Rows) != len(cases) {
		t.Fatalf("ledger has %d rows (%d data), want %d + header", rb.Ledger.MaxRow, len(rb.Ledger.Rows), len(cases))
	}
	if rb.Ledger.MaxCol != len(ledgerColumns) || rb.Ledger.Header[0] != "编号" || rb.Ledger.Header[2] != "受理时间" {
		t.Errorf("ledger header %v", rb.Ledger.Header)
	}
	if rb.Ledger.Freeze != "A2" {
		t.Errorf("freeze panes %q, want A2", rb.Ledger.Freeze)
	}
	if want := "A1:X" + strconv.Itoa(len(cases)+1); strings.ReplaceAll(rb.Ledger.Filter, "$", "") != want {
		t.Errorf("auto-filter %q, want %q", rb.Ledger.Filter, want)
	}
	for i, ty := range rb.Ledger.DateTypes[:1] {
		if ty != "datetime" {
			t.Errorf("date column %d read as %s, want datetime", i, ty)
		}
	}
	if rb.Ledger.NumFormats[0] != "yyyy-mm-dd hh:mm" {
		t.Errorf("received number format %q", rb.Ledger.NumFormats[0])
	}
	if !rb.Ledger.Wrapped {
		t.Error("summary column is not wrapped")
	}
	if rb.Ledger.Widths[8] < 30 {
		t.Errorf("summary column width %v", rb.Ledger.Widths[8])
	}

	byNumber := map[string]*casebook.Summary{}
	for _, s := range cases {
		byNumber[s.Number] = s
	}
	mobile := regexp.MustCompile(`^1\d{2}\*{4}\d{4}$`)
	masked, prevReceived := 0, ""
	for i, row := range rb.Ledger.Rows {
		num, _ := row[0].(string)
		s := byNumber[num]
		if s == nil {
			t.Fatalf("row %d: number %v not in the casebook", i+2, row[0])
		}
		rec, _ := row[2].(string)
		if want := s.Received.In(casebook.Shanghai).Format("2006-01-02T15:04:05"); rec != want {
			t.Errorf("row %d (%s): received %v, want %s", i+2, num, row[2], want)
		}
		if rec < prevReceived {
			t.Errorf("row %d: ledger not in order received", i+2)
		}
		prevReceived = rec
		c, err := b.Case(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		name, _ := row[9].(string)
		phone, _ := row[10].(string)
		if name != MaskName(c.Complainant()) || phone != MaskPhone(c.Phone()) {
			t.Errorf("row %d: complainant %q %q, want masked %q %q", i+2, name, phone, MaskName(c.Complainant()), MaskPhone(c.Phone()))
		}
		if c.Complainant() != "" && (name == c.Complainant() || !strings.Contains(name, "*")) {
			t.Errorf("row %d: name %q not masked", i+2, name)
		}
		if p := c.Phone(); len(p) == 11 && !mobile.MatchString(phone) {
			t.Errorf("row %d: phone %q not masked like 138****1234", i+2, phone)
		}
		if c.Complainant() != "" {
			masked++
		}
		if s.WorkOrder != "" && row[1] != s.WorkOrder {
			t.Errorf("row %d: work order %v, want text %q", i+2, row[1], s.WorkOrder)
		}
		if row[17] != s.Status.Chinese() {
			t.Errorf("row %d: status %v, want %s", i+2, row[17], s.Status.Chinese())
		}
	}
	if masked == 0 {
		t.Error("the demo has no complainants to mask")
	}

	// The rates in the sheet are Book.Metrics'.
	m := b.Metrics(casebook.MetricsQuery{Now: now})
	if r := findRow(rb.Rates, labelCases); r == nil || r[1] != float64(m.Cases) {
		t.Errorf("cases row %v, want %d", r, m.Cases)
	}
	for _, c := range []struct {
		label string
		v     *float64
		p     casebook.Rate
	}{
		{labelResponse, m.ResponseRate, m.Parts.Response},
		{labelResolution, m.ResolutionRate, m.Parts.Resolution},
		{labelSatisfaction, m.SatisfactionRate, m.Parts.Satisfaction},
		{labelOnTimeResp, m.OnTimeRespond, m.Parts.OnTimeRespond},
		{labelOnTimeHandle, m.OnTimeHandle, m.Parts.OnTimeHandle},
		{labelOnTime, m.OnTimeRate, m.Parts.OnTime},
	} {
		r := findRow(rb.Rates, c.label)
		if r == nil {
			t.Errorf("no %s row", c.label)
			continue
		}
		sameRate(t, c.label, r[1], c.v, 1)
		if r[2] != c.p.Num || r[3] != c.p.Den {
			t.Errorf("%s parts %v/%v, want %v/%v", c.label, r[2], r[3], c.p.Num, c.p.Den)
		}
	}
	sameRate(t, labelComposite, findRow(rb.Rates, labelComposite)[1], m.CompositeScore, 100)
	// By month: the header row after the month-table title, then one row per month.
	monthAt := -1
	for i, r := range rb.Rates {
		if len(r) > 0 && r[0] == labelMonthTable {
			monthAt = i + 2
		}
	}
	if monthAt < 0 || monthAt+len(m.ByMonth) > len(rb.Rates) {
		t.Fatalf("no month table with %d months", len(m.ByMonth))
	}
	for i, mr := range m.ByMonth {
		r := rb.Rates[monthAt+i]
		if r[0] != mr.Key || r[1] != float64(mr.Cases) {
			t.Errorf("month row %d: %v, want %s with %d", i, r[:2], mr.Key, mr.Cases)
			continue
		}
		sameRate(t, mr.Key+" response", r[2], mr.ResponseRate, 1)
		sameRate(t, mr.Key+" resolution", r[3], mr.ResolutionRate, 1)
		sameRate(t, mr.Key+" satisfaction", r[4], mr.SatisfactionRate, 1)
		sameRate(t, mr.Key+" on time", r[8], mr.OnTimeRate, 1)
	}
	// Term comparison against the baseline.
	if m.Term == nil {
		t.Fatal("demo has no term")
	}
	term := false
	for i, r := range rb.Rates {
		if s, ok := r[0].(string); ok && strings.HasPrefix(s, labelTermTable) {
			term = true
			res := rb.Rates[i+4] // header, cases, response, resolution
			if res[0] != labelResolution {
				t.Fatalf("term table row %v", res)
			}
			sameRate(t, "baseline resolution", res[1], m.Term.Baseline.Resolution, 1)
			sameRate(t, "during resolution", res[3], m.Term.During.ResolutionRate, 1)
			sameRate(t, "change in resolution (points)", res[4], m.Term.Change.Resolution, 100)
		}
	}
	if !term {
		t.Error("no term comparison")
	}

	// Breakdown: the category rows add up.
	if r := findRow(rb.Breakdown, "合计"); r == nil || r[1] != float64(m.Cases) {
		t.Errorf("breakdown total %v, want %d", r, m.Cases)
	}
	for _, cr := range m.ByCategory {
		r := findRow(rb.Breakdown, nonEmpty(cr.Key, unknownValue))
		if r == nil || r[1] != float64(cr.Cases) {
			t.Errorf("category %s: %v, want %d", cr.Key, r, cr.Cases)
		}
	}

	// Open items: every open case, overdue first.
	if rb.Open.MaxRow-1 != m.Open || len(rb.Open.Rows) != m.Open {
		t.Errorf("open items %d, want %d", rb.Open.MaxRow-1, m.Open)
	}
	seenNotOverdue := false
	overdue := 0
	for _, r := range rb.Open.Rows {
		if r[12] == flagOverdue {
			overdue++
			if seenNotOverdue {
				t.Fatal("an overdue item after one that is not")
			}
		} else {
			seenNotOverdue = true
		}
	}
	if overdue != m.Overdue {
		t.Errorf("%d overdue open items, metrics say %d", overdue, m.Overdue)
	}

	// Notes: version and formulas.
	if r := findRow(rb.Notes, "导出版本"); r == nil || r[1] != "Casebook test" {
		t.Errorf("version row %v", r)
	}
	if r := findRow(rb.Notes, labelResolution); r == nil || !strings.Contains(r[1].(string), "÷") {
		t.Errorf("resolution formula row %v", r)
	}

	// Native charts: a line chart and a bar chart.
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/charts/chart") {
			rc, _ := f.Open()
			var buf bytes.Buffer
			_, _ = buf.ReadFrom(rc)
			rc.Close()
			for _, k := range []string{"lineChart", "barChart"} {
				if regexp.MustCompile(`<(c:)?` + k + `\b`).MatchString(buf.String()) {
					kinds[k] = true
				}
			}
		}
	}
	if !kinds["lineChart"] || !kinds["barChart"] {
		t.Errorf("charts found: %v, want a line and a bar chart", kinds)
	}
}

func openExport(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func TestExportUnmaskedAndPeriod(t *testing.T) {
	b := demoBook(t, 0)
	now := testNow()
	from, to, err := PeriodOf("2026-03-01", "２０２６年３月３１日")
	if err != nil {
		t.Fatal(err)
	}
	if !from.Equal(shanghai(2026, 3, 1, 0, 0)) || !to.Equal(shanghai(2026, 4, 1, 0, 0)) {
		t.Fatalf("period %v – %v", from, to)
	}
	if _, _, err := PeriodOf("2026-03-31", "2026-03-01"); err == nil {
		t.Error("a period ending before it starts was accepted")
	}
	data := exportBytes(t, b, ExportOptions{From: from, To: to, Unmasked: true, Now: now})
	f := openExport(t, data)
	rows, err := f.GetRows(SheetLedger)
	if err != nil {
		t.Fatal(err)
	}
	inMarch := b.List(casebook.Filter{From: from, To: to}, now)
	if len(rows) != len(inMarch)+1 || len(inMarch) == 0 {
		t.Fatalf("ledger has %d rows, want %d + header", len(rows), len(inMarch))
	}
	plain := 0
	for _, r := range rows[1:] {
		s := b.List(casebook.Filter{Text: r[0]}, now)
		if len(s) == 0 {
			t.Fatalf("no case %s", r[0])
		}
		c, _ := b.Case(s[0].ID)
		if len(r) > 10 && c.Complainant() != "" {
			if r[9] != c.Complainant() || r[10] != c.Phone() {
				t.Errorf("unmasked export has %q %q, case %q %q", r[9], r[10], c.Complainant(), c.Phone())
			}
			plain++
		}
	}
	if plain == 0 {
		t.Error("no complainant in March")
	}
	m := b.Metrics(casebook.MetricsQuery{From: from, To: to, Now: now})
	rates, _ := f.GetRows(SheetRates, excelize.Options{RawCellValue: true})
	for _, r := range rates {
		if len(r) > 1 && r[0] == labelResolution {
			if got, err := strconv.ParseFloat(r[1], 64); err != nil || math.Abs(got-*m.ResolutionRate) > 1e-12 {
				t.Errorf("March resolution rate %s, metrics %v", r[1], *m.ResolutionRate)
			}
			break
		}
	}
	notes, _ := f.GetRows(SheetNotes)
	if r := findRowStrings(notes, "统计期间"); r == nil || !strings.Contains(r[1], "2026-03-01 至 2026-03-31") {
		t.Errorf("period row %v", r)
	}
	if r := findRowStrings(notes, "个人信息"); r == nil || !strings.Contains(r[1], "未脱敏") {
		t.Errorf("personal data row %v", r)
	}
}

func findRowStrings(g [][]string, label string) []string {
	for _, r := range g {
		if len(r) > 1 && r[0] == label {
			return r
		}
	}
	return nil
}

func TestExportExtraSheets(t *testing.T) {
	b := newBook(t)
	if _, err := importBytes(t, b, cleanSheet(t), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	disputes := Table{Name: SheetDisputes, Columns: []TableColumn{{"纠纷", 20, KindText}, {"开始", 0, KindDate}, {"参与户数", 0, KindInt}},
		Len: 1, Rows: func(yield func([]any) bool) {
			yield([]any{"14号楼与15号楼之间步道", casebook.Date{Year: 2026, Month: 3, Day: 5}, 12})
		}}
	meetings := Table{Name: SheetMeetings, Columns: []TableColumn{{"会议", 0, KindText}}, Len: 0}
	data := exportBytes(t, b, ExportOptions{Now: testNow(), Extra: []Table{disputes, meetings}})
	f := openExport(t, data)
	want := []string{SheetLedger, SheetRates, SheetBreakdown, SheetOpen, SheetDisputes, SheetNotes}
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("sheets %v, want %v (no empty 议事记录)", got, want)
	}
	rows, _ := f.GetRows(SheetDisputes, excelize.Options{RawCellValue: true})
	if len(rows) != 2 || rows[1][0] != "14号楼与15号楼之间步道" || rows[1][2] != "12" {
		t.Errorf("dispute rows %v", rows)
	}
	if v, _ := strconv.ParseFloat(rows[1][1], 64); v != ExcelSerial(shanghai(2026, 3, 5, 0, 0)) {
		t.Errorf("dispute date %s is not the Excel date", rows[1][1])
	}
	// A table that yields fewer rows than it said is an error, not a
	// half-written sheet.
	bad := Table{Name: SheetMeetings, Columns: []TableColumn{{"会议", 0, KindText}}, Len: 3,
		Rows: func(yield func([]any) bool) { yield([]any{"一次"}) }}
	if err := Export(io.Discard, b, ExportOptions{Now: testNow(), Extra: []Table{bad}}); !errors.Is(err, casebook.ErrInvalid) {
		t.Errorf("short table: %v", err)
	}
}

func TestExportEmptyCasebook(t *testing.T) {
	b := newBook(t)
	f := openExport(t, exportBytes(t, b, ExportOptions{Now: testNow()}))
	want := []string{SheetLedger, SheetRates, SheetBreakdown, SheetOpen, SheetNotes}
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("sheets %v, want %v", got, want)
	}
	rates, _ := f.GetRows(SheetRates)
	if r := findRowStrings(rates, labelResolution); len(r) > 1 && r[1] != "" {
		t.Errorf("resolution rate of no appeals shown as %q, want empty", r[1])
	}
}

func TestExportDisputes(t *testing.T) {
	b := newBook(t)
	if _, err := importBytes(t, b, cleanSheet(t), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	s1, _ := b.FindByWorkOrder("2603020001")
	s2, _ := b.FindByWorkOrder("2603030001")
	d, err := b.CreateDispute("14号楼与15号楼之间修步道", "14号楼与15号楼之间坡地", "坡地设计为草坪，14号楼居民要求修路，15号楼居民反对", []string{s1.ID, s2.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddParty(d.ID, casebook.Party{Name: "张建国", Kind: casebook.PartyHousehold, Building: "14号楼", Position: "修一条步道"}); err != nil {
		t.Fatal(err)
	}
	p1, err := b.AddPlan(d.ID, casebook.PlanVersion{Title: "直线步道", Description: "沿坡地中线修建台阶步道"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := b.AddMeeting(d.ID, casebook.Meeting{At: shanghai(2026, 3, 20, 19, 0), Place: "小院议事厅", Kind: casebook.MeetingCourtyard,
		Attendees: []casebook.Attendee{{Role: "14号楼居民", Count: 12}}, Minutes: "两楼居民各自陈述意见"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.RecordVote(d.ID, casebook.Vote{Meeting: m.ID, Plan: p1.ID, For: 18, Against: 2, Abstain: 1, Method: casebook.VoteShowOfHands}); err != nil {
		t.Fatal(err)
	}
	f := openExport(t, exportBytes(t, b, ExportOptions{Now: testNow()}))
	want := []string{SheetLedger, SheetRates, SheetBreakdown, SheetOpen, SheetDisputes, SheetMeetings, SheetNotes}
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	rows, _ := f.GetRows(SheetDisputes)
	if len(rows) != 2 || rows[1][0] != "14号楼与15号楼之间修步道" || rows[1][5] != s1.Number+"\n"+s2.Number {
		t.Fatalf("dispute rows %v", rows)
	}
	if !strings.Contains(rows[1][6], "张**") || strings.Contains(rows[1][6], "张建国") {
		t.Errorf("party not masked: %q", rows[1][6])
	}
	if !strings.Contains(rows[1][9], "第1版：赞成18 反对2 弃权1（通过，举牌表决）") {
		t.Errorf("votes %q", rows[1][9])
	}
	meetings, _ := f.GetRows(SheetMeetings)
	if len(meetings) != 2 || meetings[1][3] != "小院议事厅" || !strings.Contains(meetings[1][4], "12人") {
		t.Errorf("meeting rows %v", meetings)
	}
}
