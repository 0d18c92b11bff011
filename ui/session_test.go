package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/casebook/demo"
	"casebook/casebook/store"
	"casebook/ui/screen"
	"casebook/ui/setup"
	"casebook/ui/words"
)

func newTestSession(t *testing.T) *session {
	t.Helper()
	setTestLocale(t)
	fa := test.NewTempApp(t)
	if err := words.SetLanguage(words.LangChinese); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = words.SetLanguage(words.DefaultLanguage) })
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1000, 700))
	s := newSession(fa, w, Options{})
	s.sync = true
	t.Cleanup(s.closeBook)
	return s
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
	if got := screen.FreeName(dir, "casebook", ".db"); got != filepath.Join(dir, "casebook.db") {
		t.Errorf("%q", got)
	}
	_ = os.WriteFile(filepath.Join(dir, "casebook.db"), nil, 0o600)
	if got := screen.FreeName(dir, "casebook", ".db"); got != filepath.Join(dir, "casebook-2.db") {
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

// TestDemoMarked: the demo casebook says so in the title bar and in the
// file line, with the way to a real one; the menu has 新建台账.
func TestDemoMarked(t *testing.T) {
	s := newTestSession(t)
	path := filepath.Join(t.TempDir(), setup.DemoFileBase+".db")
	bo, err := store.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	set := casebook.DefaultSettings()
	set.Community.Name = demo.DefaultCommunity
	book, err := store.NewBook(bo, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := book.UpdateSettings(set); err != nil {
		t.Fatal(err)
	}
	_ = book.Close()
	s.open(path)
	if s.app == nil {
		t.Fatal("not opened")
	}
	if got := s.win.Title(); !strings.Contains(got, "示例") {
		t.Errorf("title %q", got)
	}
	if got := s.app.shell.fileLine.Text; !strings.Contains(got, "示例台账，数据均为虚构") || !strings.Contains(got, "新建台账") {
		t.Errorf("file line %q", got)
	}
	found := false
	for _, it := range s.win.MainMenu().Items[0].Items {
		found = found || it.Label == "新建台账……"
	}
	if !found {
		t.Error("no 新建台账 in the menu")
	}
}
