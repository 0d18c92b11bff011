package ui

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/casebook/store"
)

func newTestSession(t *testing.T) *session {
	t.Helper()
	setTestLocale(t)
	fa := test.NewTempApp(t)
	if err := SetLanguage(LangChinese); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = SetLanguage(DefaultLanguage) })
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1000, 700))
	s := newSession(fa, w, Options{})
	s.sync = true
	t.Cleanup(s.closeBook)
	return s
}

// TestFirstStart: no file, so the first-start screen; an invalid profile
// creates nothing; a valid one creates the casebook with it and opens it,
// and it is remembered.
func TestFirstStart(t *testing.T) {
	s := newTestSession(t)
	path := filepath.Join(t.TempDir(), "sub", "casebook.db")
	s.open(path)
	if s.app != nil {
		t.Fatal("opened a missing file")
	}
	f := s.showFirstStart(path)
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
	if s.app == nil {
		t.Fatalf("not opened: %q", visibleErr(f.msg))
	}
	set := s.app.settingsNow()
	if set.Community.Name != "西马场北里社区" || set.Term.Secretary != "王明" || *set.Term.Baseline.Resolution != 0.62 || set.Term.Baseline.Satisfaction != nil {
		t.Errorf("settings %+v %+v", set.Community, set.Term)
	}
	if got := s.fy.Preferences().String(prefLastCasebook); got != path {
		t.Errorf("last casebook %q", got)
	}
	// A new appeal is recorded as the secretary.
	c := addCase(t, s.app.book, casebookInput("测试"))
	if c.Handler() != "王明" {
		t.Errorf("handler %q", c.Handler())
	}
}

// TestOpenErrors: a file that is not a casebook is explained, with the
// path, and left untouched.
func TestOpenErrors(t *testing.T) {
	s := newTestSession(t)
	path := filepath.Join(t.TempDir(), "notes.db")
	junk := bytes.Repeat([]byte("这不是台账文件。"), 2000)
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	s.open(path)
	if s.app != nil {
		t.Fatal("opened a file that is not a casebook")
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, junk) {
		t.Fatal("the file was changed")
	}
	text := labelsText(s.win.Content())
	for _, want := range []string{"无法打开台账", "该文件不是台账文件，未做任何改动。", path} {
		if !bytes.Contains([]byte(text), []byte(want)) {
			t.Errorf("the error screen does not say %q:\n%s", want, text)
		}
	}
	findButton(t, s.win.Content(), "打开其他台账文件……")

	// An existing casebook opens.
	good := filepath.Join(t.TempDir(), "good.db")
	bo, err := store.OpenBolt(good)
	if err != nil {
		t.Fatal(err)
	}
	_ = bo.Close()
	s.open(good)
	if s.app == nil {
		t.Fatal("a good casebook did not open")
	}
	// Remembered: the default path stands for the last casebook.
	if got := s.resolvePath(DefaultDBPath()); DefaultDBPath() != "" && got != good {
		t.Errorf("default path resolves to %q, want %q", got, good)
	}
	if got := s.resolvePath("/elsewhere/x.db"); got != "/elsewhere/x.db" {
		t.Errorf("an explicit path resolves to %q", got)
	}
}

func TestFreeName(t *testing.T) {
	dir := t.TempDir()
	if got := freeName(dir, "casebook", ".db"); got != filepath.Join(dir, "casebook.db") {
		t.Errorf("%q", got)
	}
	_ = os.WriteFile(filepath.Join(dir, "casebook.db"), nil, 0o600)
	if got := freeName(dir, "casebook", ".db"); got != filepath.Join(dir, "casebook-2.db") {
		t.Errorf("%q", got)
	}
}

// labelsText concatenates the texts of the labels under o.
func labelsText(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			b.WriteString(x.Text + "\n")
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return b.String()
}

func casebookInput(summary string) casebook.CaseInput {
	return casebook.CaseInput{Summary: summary, Category: "其他"}
}

// TestLoadDemo: the first-start screen's demo button builds the demo
// casebook beside the path, publishes it only when complete, and opens it;
// it never replaces an existing file.
func TestLoadDemo(t *testing.T) {
	s := newTestSession(t)
	path := filepath.Join(t.TempDir(), "casebook.db")
	f := s.showFirstStart(path)
	done := make(chan error, 1)
	s.onDemo = func(err error) { done <- err }
	test.Tap(f.demoBtn)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if s.app == nil || s.app.book.Store().Index().Len() < 1000 {
		t.Fatal("the demo casebook is not open")
	}
	if got := s.app.settingsNow().Community.Name; got == "" {
		t.Error("the demo casebook has no community")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	if err := writeDemo(path); !errors.Is(err, fs.ErrExist) {
		t.Errorf("writing the demo over an existing file: %v", err)
	}
}
