package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/ui/screen"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

const testDBPath = "/home/secretary/台账/demo.db"

// newTestShell builds a shell in a headless test app with Casebook's theme
// (light), so that text is measured with the embedded font and the bundled
// Noto Sans only, whatever fonts the machine has: that keeps the golden
// markup the same on every machine.
func newTestShell(t *testing.T, language string) (*Shell, fyne.Window) {
	t.Helper()
	setTestLocale(t)
	a := test.NewTempApp(t)
	th, err := widgets.NewTheme(widgets.ThemeLight)
	if err != nil {
		t.Fatal(err)
	}
	a.Settings().SetTheme(th)
	if err := words.SetLanguage(language); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = words.SetLanguage(words.DefaultLanguage) })
	w := test.NewTempWindow(t, nil)
	s := NewShell(a, w, Options{DBPath: testDBPath})
	w.Resize(fyne.NewSize(1200, 700))
	return s, w
}

// setTestLocale gives Fyne's locale look-ups (font fallback asks for the
// system language) a locale they can parse: under LANG=C.UTF-8, the usual
// one in CI, go-locale reports the language "C" and Fyne logs an error on
// every look-up. The UI language must not depend on it. (The one such error
// that Fyne's lang package logs in its init, before any test runs, can only
// be avoided from outside: .ci/run sets LANGUAGE.)
func setTestLocale(t testing.TB) {
	t.Helper()
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "en_US.UTF-8")
}

// navTitles returns the navigation rows' texts, as the list fills them in.
// (The golden markup checks what is actually drawn.)
func navTitles(s *Shell) []string {
	var got []string
	for i := range Sections() {
		row := s.nav.CreateItem().(*fyne.Container)
		s.nav.UpdateItem(i, row)
		got = append(got, row.Objects[0].(*widget.Label).Text)
	}
	return got
}

func bodyText(t *testing.T, s *Shell) string {
	t.Helper()
	if len(s.body.Objects) != 1 {
		t.Fatalf("content area holds %d objects, want 1", len(s.body.Objects))
	}
	l, ok := s.body.Objects[0].(*widget.Label)
	if !ok {
		t.Fatalf("content is %T, want a label", s.body.Objects[0])
	}
	return l.Text
}

func TestShellSpeaksChineseByDefault(t *testing.T) {
	s, w := newTestShell(t, "")

	if got, want := w.Title(), "治理书记台账 Casebook"; got != want {
		t.Errorf("window title %q, want %q", got, want)
	}
	want := []string{"今日", "诉求台账", "矛盾纠纷", "统计", "同步", "设置"}
	if got := navTitles(s); !slices.Equal(got, want) {
		t.Errorf("navigation %q, want %q", got, want)
	}
	if s.Selected() != screen.Today || s.title.Text != "今日" {
		t.Errorf("selected %v titled %q, want today / 今日", s.Selected(), s.title.Text)
	}
	if got, want := s.fileLine.Text, "当前台账文件："+testDBPath; got != want {
		t.Errorf("file line %q, want %q", got, want)
	}
	if got, want := bodyText(t, s), "此页面正在建设中。"; got != want {
		t.Errorf("placeholder %q, want %q", got, want)
	}
	test.AssertRendersToMarkup(t, "shell_zh.xml", w.Canvas())
}

func TestShellSwitchesToEnglish(t *testing.T) {
	s, w := newTestShell(t, "")
	s.Select(screen.Disputes)
	if err := s.SetLanguage("en"); err != nil {
		t.Fatal(err)
	}

	if got, want := w.Title(), "Casebook"; got != want {
		t.Errorf("window title %q, want %q", got, want)
	}
	want := []string{"Today", "Appeals", "Disputes", "Metrics", "Sync", "Settings"}
	if got := navTitles(s); !slices.Equal(got, want) {
		t.Errorf("navigation %q, want %q", got, want)
	}
	if s.Selected() != screen.Disputes || s.title.Text != "Disputes" {
		t.Errorf("selected %v titled %q, want disputes / Disputes", s.Selected(), s.title.Text)
	}
	if got, want := s.fileLine.Text, "Casebook file: "+testDBPath; got != want {
		t.Errorf("file line %q, want %q", got, want)
	}
	if got, want := bodyText(t, s), "This screen is not built yet."; got != want {
		t.Errorf("placeholder %q, want %q", got, want)
	}
	if got := s.app.Preferences().String(words.PrefLanguage); got != words.LangEnglish {
		t.Errorf("the language preference is %q, want %q", got, words.LangEnglish)
	}
	test.AssertRendersToMarkup(t, "shell_en.xml", w.Canvas())

	if err := s.SetLanguage("zh-Hans"); err != nil {
		t.Fatal(err)
	}
	if s.title.Text != "矛盾纠纷" {
		t.Errorf("back in Chinese the title is %q, want 矛盾纠纷", s.title.Text)
	}
	if err := s.SetLanguage("fr"); err == nil {
		t.Error("SetLanguage(fr) succeeded, want an error")
	}
}

func TestShellSelectChangesContent(t *testing.T) {
	s, _ := newTestShell(t, words.LangChinese)

	// A click on a navigation row selects it in the list.
	s.nav.Select(slices.Index(Sections(), screen.Appeals))
	if s.Selected() != screen.Appeals || s.title.Text != "诉求台账" {
		t.Errorf("after clicking appeals: selected %v titled %q", s.Selected(), s.title.Text)
	}

	built := 0
	s.SetSectionContent(screen.Metrics, func() fyne.CanvasObject {
		built++
		return widget.NewLabel("metrics screen")
	})
	if built != 0 {
		t.Errorf("content of a hidden section was built %d times", built)
	}
	s.Select(screen.Metrics)
	if s.title.Text != "统计" || bodyText(t, s) != "metrics screen" || built != 1 {
		t.Errorf("metrics: title %q, body %q, built %d times", s.title.Text, bodyText(t, s), built)
	}

	// Replacing the content of the section on show rebuilds it at once.
	s.SetSectionContent(screen.Metrics, func() fyne.CanvasObject { return widget.NewLabel("v2") })
	if got := bodyText(t, s); got != "v2" {
		t.Errorf("after replacing the content: %q, want v2", got)
	}
	s.SetSectionContent(screen.Metrics, nil)
	if got := bodyText(t, s); got != "此页面正在建设中。" {
		t.Errorf("after removing the content: %q, want the placeholder", got)
	}

	s.Select(screen.Today)
	if s.Selected() != screen.Today || s.title.Text != "今日" {
		t.Errorf("back to today: selected %v titled %q", s.Selected(), s.title.Text)
	}
	s.Select(screen.Section("nowhere")) // ignored
	if s.Selected() != screen.Today {
		t.Errorf("an unknown section changed the selection to %v", s.Selected())
	}
}

func TestShellWithoutFile(t *testing.T) {
	setTestLocale(t)
	a := test.NewTempApp(t)
	if err := words.SetLanguage(words.LangChinese); err != nil {
		t.Fatal(err)
	}
	s := NewShell(a, test.NewTempWindow(t, nil), Options{})
	if got, want := s.fileLine.Text, "尚未打开台账文件"; got != want {
		t.Errorf("file line %q, want %q", got, want)
	}
}

func TestSectionIDs(t *testing.T) {
	want := []string{"today", "appeals", "disputes", "metrics", "sync", "settings"}
	for i, sec := range Sections() {
		if string(sec) != want[i] || SectionIcon(sec) == nil || SectionTitle(sec) == "" {
			t.Errorf("section %d: id %q icon %v", i, sec, SectionIcon(sec))
		}
	}
	if SectionTitle("nowhere") != "" || SectionIcon("nowhere") != nil {
		t.Error("an unknown section has a title or an icon")
	}
}

func TestRememberedWindowSize(t *testing.T) {
	a := test.NewTempApp(t)
	if got := rememberedWindowSize(a); got != DefaultWindowSize {
		t.Errorf("first start: %v, want %v", got, DefaultWindowSize)
	}
	w := test.NewTempWindow(t, widget.NewLabel("x"))
	w.Resize(fyne.NewSize(1000, 700))
	rememberWindowSize(a, w)
	if got, want := rememberedWindowSize(a), fyne.NewSize(1000, 700); got != want {
		t.Errorf("after closing at 1000×700: %v, want %v", got, want)
	}
	w.Resize(fyne.NewSize(100, 100)) // too small to be worth remembering
	rememberWindowSize(a, w)
	if got, want := rememberedWindowSize(a), fyne.NewSize(1000, 700); got != want {
		t.Errorf("after closing tiny: %v, want %v", got, want)
	}
}

func TestOptionsValidate(t *testing.T) {
	good := []Options{{}, {Language: "en", Theme: "dark"}, {Language: "zh-Hans", Theme: "light", DBPath: "x.db"}}
	for _, o := range good {
		if err := o.Validate(); err != nil {
			t.Errorf("%+v: %v", o, err)
		}
	}
	bad := []Options{{Language: "fr"}, {Theme: "sepia"}}
	for _, o := range bad {
		if err := o.Validate(); err == nil {
			t.Errorf("%+v: valid, want an error", o)
		}
	}
}
