package printing

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casebook/casebook"
	"casebook/casebook/paper"
	"casebook/casebook/store"
	"casebook/ui/internal/screentest"
)

// A document is written into the folder under a free name, never over a
// file, and the user is told where.
func TestWriteTo(t *testing.T) {
	var c *casebook.Case
	h := screentest.New(t, screentest.Options{}, func(b *store.Book) {
		var err error
		c, err = b.AddCase(casebook.CaseInput{Received: time.Now().Add(-time.Hour), Channel: "walk-in", Type: "complaint",
			Category: "停车管理", Building: "3号楼", Summary: "东门机动车占用消防通道", Complainant: "王堃", Phone: "13812345678"})
		if err != nil {
			t.Fatal(err)
		}
	})
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "回执.pdf"), []byte("someone else's"), 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	done = func(path string, err error) {
		if err != nil {
			t.Error(err)
		}
		got <- path
	}
	t.Cleanup(func() { done = nil })
	write := func(w io.Writer) (paper.Result, error) {
		return paper.Receipt(w, c, h.Book.Settings(), paper.Options{})
	}
	WriteTo(h.Env, dir, "回执", write)
	var path string
	select {
	case path = <-got:
	case <-time.After(time.Minute):
		t.Fatal("the PDF was not written")
	}
	if filepath.Base(path) != "回执-2.pdf" {
		t.Errorf("written to %s, want 回执-2.pdf beside the existing file", path)
	}
	if old, _ := os.ReadFile(filepath.Join(dir, "回执.pdf")); string(old) != "someone else's" {
		t.Error("an existing file was overwritten")
	}
	data, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".casebook-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if !strings.Contains(strings.Join(h.Infos, "\n"), path) {
		t.Errorf("the user was not told where: %v", h.Infos)
	}
}
