package setup

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/internal/screentest"
	"casebook/ui/internal/uitest"
	"casebook/ui/words"
)

// opened records what the first-start screen asked of its opener.
type opened struct {
	path string
	book *store.Book
	open string
	demo chan error
}

// newFirstStart shows the first-start screen for path in a test window.
func newFirstStart(t *testing.T, path string) (*firstStart, *opened) {
	t.Helper()
	uitest.SetTestLocale(t)
	test.NewTempApp(t)
	if err := words.SetLanguage(words.LangChinese); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = words.SetLanguage(words.DefaultLanguage) })
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1000, 700))
	got := &opened{demo: make(chan error, 1)}
	f := ShowFirstStart(w, path, Opener{
		Start:       func(p string, b *store.Book) { got.path, got.book = p, b },
		Open:        func(p string) { got.open = p },
		ChooseOther: func() {},
		OnDemo:      func(err error) { got.demo <- err },
	})
	t.Cleanup(func() {
		if got.book != nil {
			_ = got.book.Close()
		}
	})
	return f, got
}

// visibleErr is uitest.VisibleErr.
var visibleErr = uitest.VisibleErr

// TestFirstStart: no file, so the first-start screen; an invalid profile
// creates nothing; a valid one creates the casebook with it and opens it,
// and it is remembered.
func TestFirstStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "casebook.db")
	f, got := newFirstStart(t, path)
	f.baseResp.SetText("abc")
	test.Tap(f.createBtn)
	if visibleErr(f.errs["name"]) != "请填写社区名称" || visibleErr(f.errs["base_response"]) == "" {
		t.Errorf("errors: name %q, baseline %q", visibleErr(f.errs["name"]), visibleErr(f.errs["base_response"]))
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("an invalid first-start form created the file")
	}
	f.name.SetText("西马场北里社区")
	f.households.SetText("2100")
	f.secretary.SetText("王明")
	f.baseResp.SetText("86")
	f.baseReso.SetText("62%")
	test.Tap(f.createBtn)
	if got.book == nil || got.path != path {
		t.Fatalf("not opened: %q", visibleErr(f.msg))
	}
	set := got.book.Settings()
	if set.Community.Name != "西马场北里社区" || set.Term.Secretary != "王明" || *set.Term.Baseline.Resolution != 0.62 || set.Term.Baseline.Satisfaction != nil {
		t.Errorf("settings %+v %+v", set.Community, set.Term)
	}
	// A new appeal is recorded as the secretary.
	c := screentest.AddCase(t, got.book, casebook.CaseInput{Summary: "测试", Category: "其他"})
	if c.Handler() != "王明" {
		t.Errorf("handler %q", c.Handler())
	}
}

// TestLoadDemo: the first-start screen's demo button builds the demo
// casebook beside the path, publishes it only when complete, and opens it;
// it never replaces an existing file.
func TestLoadDemo(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "casebook.db")
	// A file already named as the demo is left alone too: the demo goes
	// to a new name.
	if err := os.WriteFile(filepath.Join(dir, DemoFileBase+".db"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, got := newFirstStart(t, path)
	test.Tap(f.demoBtn)
	if err := <-got.demo; err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, DemoFileBase+"-2.db")
	if got.open != want {
		t.Fatalf("the demo opened at %q, want %q", got.open, want)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the real casebook's place was used: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, DemoFileBase+".db")); string(b) != "mine" {
		t.Fatal("an existing file was replaced")
	}
	bo, err := store.OpenBolt(want)
	if err != nil {
		t.Fatal(err)
	}
	book, err := store.NewBook(bo, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	if book.Store().Index().Len() < 1000 || !IsDemo(want, book.Settings()) {
		t.Fatal("the demo casebook is not complete, or not marked as the demo")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("left behind: %v", entries)
	}
	if err := writeDemo(want); !errors.Is(err, fs.ErrExist) {
		t.Errorf("writing the demo over an existing file: %v", err)
	}
}

// TestFirstStartDefaults: the term offered includes today, and no box
// shows a hint that could be taken for a value.
func TestFirstStartDefaults(t *testing.T) {
	for _, now := range []time.Time{time.Date(2026, 12, 3, 10, 0, 0, 0, casebook.Shanghai), time.Date(2026, 1, 31, 23, 0, 0, 0, casebook.Shanghai)} {
		start, end := defaultTerm(now)
		d := casebook.DateOf(now)
		if d.Time().Before(start.Time()) || !d.Time().Before(end.AddDays(1).Time()) {
			t.Errorf("%v: term %v–%v does not include today", now, start, end)
		}
	}
	f, _ := newFirstStart(t, filepath.Join(t.TempDir(), "x.db"))
	for _, e := range []*widget.Entry{f.households, f.baseResp, f.baseReso, f.baseSat, f.secretary} {
		if strings.ContainsAny(e.PlaceHolder, "0123456789") {
			t.Errorf("hint %q looks like a value", e.PlaceHolder)
		}
	}
	if f.baseResp.Text != "" || !strings.Contains(f.baseResp.PlaceHolder, "不作基线对比") {
		t.Errorf("the empty baseline: %q, hint %q", f.baseResp.Text, f.baseResp.PlaceHolder)
	}
}
