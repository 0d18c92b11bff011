// Package xlsxtest checks workbooks the way their readers see them, for the
// tests of the packages that write workbooks (casebook/xlsx, sync/rollup):
// LibreOffice Calc prints them to PDF (pages counted, and rendered to PNG
// for a person to look at when CASEBOOK_KEEP_PRINT names a folder), and
// openpyxl in read-only mode — a streaming reader that trusts each sheet's
// declared used range — reads every row.
//
// Without LibreOffice or openpyxl the checks skip, unless
// CASEBOOK_REQUIRE_CALC is set (CI sets it, having installed both), so that
// a missing install cannot quietly pass.
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// required reports whether a missing tool fails the test rather than
// skipping it.
func required() bool { return os.Getenv("CASEBOOK_REQUIRE_CALC") != "" }

func missing(t testing.TB, what, install string) {
	t.Helper()
	if required() {
		t.Fatalf("%s is not installed but CASEBOOK_REQUIRE_CALC is set", what)
	}
	t.Skipf("%s is not installed (Debian: apt-get install %s); skipping", what, install)
}

// Soffice finds LibreOffice.
func Soffice(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	missing(t, "LibreOffice (soffice)", "libreoffice-calc-nogui")
	return ""
}

// Python finds a Python with openpyxl: the one on PATH, else Debian's.
func Python(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if err := exec.Command(p, "-c", "import openpyxl").Run(); err == nil {
			return p
		}
	}
	missing(t, "python3 with openpyxl", "python3-openpyxl")
	return ""
}

// PrintPDF has LibreOffice Calc print a workbook to PDF, as a clerk's
// "export as PDF" would (each sheet with its own page setup), and returns
// the PDF's path, in a temporary folder of the test.
func PrintPDF(t testing.TB, data []byte) string {
	t.Helper()
	soffice := Soffice(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "book.xlsx")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore",
		"-env:UserInstallation=file://"+filepath.Join(dir, "profile"), // its own profile: runs do not share a lock
		"--convert-to", "pdf", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("LibreOffice: %v\n%s", err, out)
	}
	pdf := filepath.Join(dir, "book.pdf")
	if _, err := os.Stat(pdf); err != nil {
		t.Fatalf("LibreOffice wrote no PDF: %v", err)
	}
	return pdf
}

// Pages reads what each page of a PDF says (pdftotext, from poppler-utils),
// one string per page.
func Pages(t testing.TB, pdf string) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		missing(t, "pdftotext", "poppler-utils")
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", pdf, err)
	}
	pages := strings.Split(string(out), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1] // the form feed ends the last page too
	}
	return pages
}

// Keep copies a file into the folder CASEBOOK_KEEP_PRINT names (if it does)
// and renders each page of a PDF there as PNG at 60 dpi (pdftoppm), so that
// a person can look at what prints. It returns the folder, or "".
func Keep(t testing.TB, name, path string) string {
	t.Helper()
	dir := os.Getenv("CASEBOOK_KEEP_PRINT")
	if dir == "" {
		return ""
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, name)
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(name, ".pdf") {
		if out, err := exec.Command("pdftoppm", "-r", "60", "-png", dst, strings.TrimSuffix(dst, ".pdf")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, out)
		}
	}
	t.Logf("kept %s in %s", name, dir)
	return dir
}

// SheetRows is what openpyxl in read-only mode sees of each sheet: the
// declared dimension and how many rows and cells with a value it reads.
type SheetRows struct {
	Dimension string `json:"dimension"`
	MaxRow    int    `json:"max_row"`
	MaxCol    int    `json:"max_col"`
	Rows      int    `json:"rows"`      // rows with at least one value
	LastRow   int    `json:"last_row"`  // last row with a value
	LastCol   int    `json:"last_col"`  // last column with a value
	NonEmpty  int    `json:"non_empty"` // cells with a value
}

const readOnlyScript = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
out = {}
for ws in wb.worksheets:
    rows = last_row = last_col = cells = 0
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        seen = False
        for c, v in enumerate(row, start=1):
            if v is not None and v != "":
                cells += 1
                seen = True
                last_col = max(last_col, c)
        if seen:
            rows += 1
            last_row = r
    out[ws.title] = {"dimension": ws.calculate_dimension(), "max_row": ws.max_row or 0,
                     "max_col": ws.max_column or 0, "rows": rows, "last_row": last_row,
                     "last_col": last_col, "non_empty": cells}
json.dump(out, sys.stdout, ensure_ascii=False)
`

// ReadOnly reads a workbook with openpyxl in read-only mode.
func ReadOnly(t testing.TB, data []byte) map[string]SheetRows {
	t.Helper()
	py := Python(t)
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", readOnlyScript, path).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("openpyxl read-only: %v\n%s", err, stderr)
	}
	var sheets map[string]SheetRows
	if err := json.Unmarshal(out, &sheets); err != nil {
		t.Fatalf("openpyxl output: %v", err)
	}
	return sheets
}

// Dimensions reads the <dimension ref> each worksheet part of a workbook
// declares, by part name (xl/worksheets/sheet1.xml ...).
func Dimensions(t testing.TB, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	dim := regexp.MustCompile(`<dimension ref="([^"]*)"`)
	out := map[string]string{}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/sheet") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		head := make([]byte, 16<<10)
		n, _ := io.ReadFull(rc, head)
		rc.Close()
		if m := dim.FindSubmatch(head[:n]); m != nil {
			out[f.Name] = string(m[1])
		} else {
			out[f.Name] = ""
		}
	}
	return out
}

// CheckReadOnly checks that a streaming reader sees every row of every
// sheet: each sheet declares exactly the range its values fill (from A1).
func CheckReadOnly(t testing.TB, data []byte) map[string]SheetRows {
	t.Helper()
	sheets := ReadOnly(t, data)
	for name, s := range sheets {
		if s.LastRow == 0 { // a sheet of charts only
			if s.Dimension != "A1:A1" && s.Dimension != "A1" {
				t.Errorf("sheet %s has no values but declares %s", name, s.Dimension)
			}
			continue
		}
		want := fmt.Sprintf("A1:%s%d", colName(s.LastCol), s.LastRow)
		if s.Dimension != want || s.MaxRow != s.LastRow || s.MaxCol != s.LastCol {
			t.Errorf("sheet %s declares %s (max row %d, col %d); its values fill %s", name, s.Dimension, s.MaxRow, s.MaxCol, want)
		}
	}
	return sheets
}

func colName(n int) string {
	s := ""
	for n > 0 {
		n--
		s = string(rune('A'+n%26)) + s
		n /= 26
	}
	return s
}

// PageNumbers finds the "第 N 页 共 M 页" footer of each page and checks
// that the pages are numbered 1..M within each printed sheet; it returns
// how many pages carry it.
func PageNumbers(t testing.TB, pages []string) int {
	t.Helper()
	re := regexp.MustCompile(`第\s*(\d+)\s*页\s*共\s*(\d+)\s*页`)
	found := 0
	for i, p := range pages {
		m := re.FindStringSubmatch(p)
		if m == nil {
			t.Errorf("page %d has no 第 N 页 共 M 页 footer", i+1)
			continue
		}
		n, _ := strconv.Atoi(m[1])
		total, _ := strconv.Atoi(m[2])
		if n < 1 || n > total {
			t.Errorf("page %d says 第 %d 页 共 %d 页", i+1, n, total)
		}
		found++
	}
	return found
}
