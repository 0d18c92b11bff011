package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPaperCommands prints each document from a demo casebook and checks
// the term report's rates against `casebook metrics` for the same period,
// read back from the PDF with pdftotext.
func TestPaperCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	ok(t, "demo", "--db", db)

	var cases []map[string]any
	if err := json.Unmarshal([]byte(ok(t, "case", "list", "--db", db, "--json")), &cases); err != nil {
		t.Fatal(err)
	}
	id := cases[0]["number"].(string)
	receipt := filepath.Join(dir, "receipt.pdf")
	if out := ok(t, "receipt", "--db", db, "--id", id, "--out", receipt, "--contact", "社区服务站 010-63801234"); !strings.Contains(out, "1 页") {
		t.Errorf("receipt: %s", out)
	}
	fails(t, "already exists", "receipt", "--db", db, "--id", id, "--out", receipt)
	ok(t, "case", "sheet", "--db", db, "--id", id, "--out", filepath.Join(dir, "sheet.pdf"))
	fails(t, "not found", "case", "sheet", "--db", db, "--id", "nosuchcase", "--out", filepath.Join(dir, "none.pdf"))
	if _, err := os.Stat(filepath.Join(dir, "none.pdf")); err == nil {
		t.Error("a refused command left a file")
	}

	var disputes []map[string]any
	if err := json.Unmarshal([]byte(ok(t, "dispute", "list", "--db", db, "--json")), &disputes); err != nil {
		t.Fatal(err)
	}
	agreed, open := "", ""
	for _, d := range disputes {
		switch d["status"] {
		case "resolved", "implementing", "agreed":
			agreed = d["id"].(string)
		case "open", "negotiating":
			open = d["id"].(string)
		}
	}
	ok(t, "dispute", "agreement", "--db", db, "--id", agreed, "--out", filepath.Join(dir, "agreement.pdf"))
	if open != "" {
		fails(t, "no agreement", "dispute", "agreement", "--db", db, "--id", open, "--out", filepath.Join(dir, "a2.pdf"))
	}

	report := filepath.Join(dir, "report.pdf")
	ok(t, "report", "--db", db, "--out", report, "--from", "2025-12-01", "--to", "2026-10-31")
	ok(t, "report", "--db", db, "--out", filepath.Join(dir, "meeting.pdf"), "--meeting")
	fails(t, "before", "report", "--db", db, "--out", filepath.Join(dir, "r2.pdf"), "--from", "2026-10-31", "--to", "2026-01-01")

	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CASEBOOK_REQUIRE_CALC") != "" {
			t.Fatal("pdftotext is not installed but CASEBOOK_REQUIRE_CALC is set")
		}
		t.Skip("pdftotext is not installed (poppler-utils)")
	}
	text, err := exec.Command("pdftotext", "-layout", report, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Response     *float64 `json:"response_rate"`
		Resolution   *float64 `json:"resolution_rate"`
		Satisfaction *float64 `json:"satisfaction_rate"`
		OnTime       *float64 `json:"on_time_rate"`
	}
	if err := json.Unmarshal([]byte(ok(t, "metrics", "--db", db, "--from", "2025-12-01", "--to", "2026-10-31", "--json")), &m); err != nil {
		t.Fatal(err)
	}
	table := string(text)[strings.Index(string(text), "本期指标"):]
	for _, r := range []struct {
		label string
		v     *float64
	}{{"响应率", m.Response}, {"解决率", m.Resolution}, {"满意率", m.Satisfaction}, {"按时率", m.OnTime}} {
		want := fmt.Sprintf("%.2f%%", *r.v*100)
		line := ""
		for _, l := range strings.Split(table, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), r.label) {
				line = l
				break
			}
		}
		if !strings.Contains(line, want) {
			t.Errorf("%s: the report's line %q, casebook metrics says %s", r.label, line, want)
		}
	}
}
