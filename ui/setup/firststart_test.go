package setup

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

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

// visibleErr returns the text of an inline error label if it is shown.
func visibleErr(l *widget.Label) string {
	if l == nil || !l.Visible() {
		return ""
	}
	return l.Text
}

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
	path := filepath.Join(t.TempDir(), "casebook.db")
	f, got := newFirstStart(t, path)
	test.Tap(f.demoBtn)
	if err := <-got.demo; err != nil {
		t.Fatal(err)
	}
	if got.open != path {
		t.Fatalf("the demo casebook was not opened (%q)", got.open)
	}
	bo, err := store.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	book, err := store.NewBook(bo, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	if book.Store().Index().Len() < 1000 || book.Settings().Community.Name == "" {
		t.Fatal("the demo casebook is not complete")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	if err := writeDemo(path); !errors.Is(err, fs.ErrExist) {
		t.Errorf("writing the demo over an existing file: %v", err)
	}
}
