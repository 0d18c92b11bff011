package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/internal/uitest"
)

// testSettings is the profile of the small casebooks the UI tests build.
func testSettings(now time.Time) casebook.Settings {
	s := casebook.DefaultSettings()
	s.Community = casebook.Community{Name: "测试社区", Households: 800}
	for i := 1; i <= 20; i++ {
		s.Community.Buildings = append(s.Community.Buildings, itoa(i)+"号楼")
	}
	r := func(f float64) *float64 { return &f }
	s.Term = casebook.Term{Secretary: "王明", Start: casebook.DateOf(now).AddDays(-90), End: casebook.DateOf(now).AddDays(200),
		Baseline: casebook.Rates{Response: r(0.8), Resolution: r(0.6), Satisfaction: r(0.7)}}
	return s
}

// newTestApp builds the App headlessly on an in-memory casebook, in a test
// app with Casebook's light theme and the given language. fill, if set,
// adds content to the book first. The screens' clock is the real one
// (Book and demo data use it too), so tests compare against figures they
// read from the book rather than fixed numbers.
func newTestApp(t *testing.T, language string, fill func(*store.Book)) (*App, fyne.Window) {
	t.Helper()
	setTestLocale(t)
	return newTestAppOn(t, test.NewTempApp(t), language, fill)
}

// newStrictTestApp is newTestApp on uitest.NewStrictApp: an object's canvas
// is found only if the object is in the window, as on the desktop.
func newStrictTestApp(t *testing.T, language string, fill func(*store.Book)) (*App, fyne.Window) {
	t.Helper()
	setTestLocale(t)
	return newTestAppOn(t, uitest.NewStrictApp(t), language, fill)
}

func newTestAppOn(t *testing.T, fa fyne.App, language string, fill func(*store.Book)) (*App, fyne.Window) {
	t.Helper()
	th, err := NewTheme(ThemeLight)
	if err != nil {
		t.Fatal(err)
	}
	fa.Settings().SetTheme(th)
	if err := SetLanguage(language); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = SetLanguage(DefaultLanguage) })
	book, err := store.NewBook(store.NewMemory(), "王明", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := book.UpdateSettings(testSettings(time.Now())); err != nil {
		t.Fatal(err)
	}
	if fill != nil {
		fill(book)
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1200, 800))
	a := NewApp(fa, w, book, Options{DBPath: testDBPath})
	return a, w
}

// addCase records an appeal directly in the book (not through the form).
func addCase(t *testing.T, b *store.Book, in casebook.CaseInput) *casebook.Case {
	t.Helper()
	if in.Channel == "" {
		in.Channel = string(casebook.ChannelWalkIn)
	}
	if in.Type == "" {
		in.Type = string(casebook.TypeComplaint)
	}
	c, err := b.AddCase(in)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func shortcutOn(w fyne.Window, k fyne.KeyName) {
	w.Canvas().(fyne.Shortcutable).TypedShortcut(shortcut(k))
}

// visibleErr returns the text of an inline error label if it is shown.
func visibleErr(l *widget.Label) string {
	if l == nil || !l.Visible() {
		return ""
	}
	return l.Text
}

// TestAppealThroughTheLoop is the main scenario: create an appeal
// through the form (an invalid attempt first, which shows inline errors and
// saves nothing), walk it round the closed loop to evaluation, and see the
// Today view and the metrics change.
func TestAppealThroughTheLoop(t *testing.T) {
	a, w := newTestApp(t, LangChinese, nil)
	book := a.book

	if a.shell.Selected() != SectionToday || a.today == nil {
		t.Fatal("the app does not start on Today")
	}
	before := a.today.month
	if before.Cases != 0 || before.Evaluated != 0 {
		t.Fatalf("empty casebook: this month %d cases, %d evaluated", before.Cases, before.Evaluated)
	}

	// Ctrl+N opens the form.
	shortcutOn(w, fyne.KeyN)
	if a.shell.Selected() != SectionAppeals || a.mode != modeForm || a.form == nil {
		t.Fatalf("Ctrl+N: section %v mode %v", a.shell.Selected(), a.mode)
	}
	f := a.form
	if f.received.Text == "" || f.handler.Text != "王明" || f.channel.Selected == "" {
		t.Errorf("defaults: received %q handler %q channel %q", f.received.Text, f.handler.Text, f.channel.Selected)
	}

	// An invalid attempt: a 12345 dispatch without its work order and
	// without a summary, and a bad phone number.
	f.channel.SetSelected(channelName(casebook.Channel12345))
	test.Type(f.phone, "abc")
	test.Tap(f.saveBtn)
	if got := visibleErr(f.errs[casebook.FieldSummary]); got != "请填写诉求摘要" {
		t.Errorf("summary error %q", got)
	}
	if got := visibleErr(f.errs[casebook.FieldWorkOrder]); got != "12345派单须填写工单编号" {
		t.Errorf("work order error %q", got)
	}
	if got := visibleErr(f.errs[casebook.FieldPhone]); got == "" {
		t.Error("no phone error")
	}
	if got := visibleErr(f.errs[casebook.FieldCategory]); got != "请选择分类" {
		t.Errorf("category error %q", got)
	}
	if visibleErr(f.errs[casebook.FieldBuilding]) != "" {
		t.Error("the building, which is optional, shows an error")
	}
	if n := book.Store().Index().Len(); n != 0 {
		t.Fatalf("an invalid form saved %d cases", n)
	}
	if a.mode != modeForm {
		t.Fatal("an invalid form left the form")
	}

	// Correct it, using type-ahead for the category and the building.
	test.Type(f.summary, "14号楼顶层漏水，雨天屋内渗水")
	test.Type(f.workorder, "2026031512345678")
	test.Type(f.category, "老旧")
	if !f.category.hint.Visible() || !strings.Contains(f.category.hint.Text, "老旧小区改造") {
		t.Errorf("category type-ahead hint %q (visible %v)", f.category.hint.Text, f.category.hint.Visible())
	}
	test.Type(f.building, "14")
	f.building.OnSubmitted(f.building.Text) // Enter takes the unique match
	if f.building.Text != "14号楼" {
		t.Errorf("building after Enter: %q", f.building.Text)
	}
	f.phone.SetText("13800001111")
	test.Type(f.complainant, "张大爷")
	test.Tap(f.saveBtn)
	if n := book.Store().Index().Len(); n != 1 {
		t.Fatalf("after a valid save the casebook has %d cases: form error %q", n, visibleErr(f.formErr))
	}
	if a.mode != modeCase || a.caseView == nil || a.caseView.c == nil {
		t.Fatalf("after saving, mode %v", a.mode)
	}
	c := a.caseView.c
	if c.Category() != "老旧小区改造" || c.Building() != "14号楼" || c.Channel() != casebook.Channel12345 || c.Complainant() != "张大爷" {
		t.Errorf("saved case: category %q building %q channel %q complainant %q", c.Category(), c.Building(), c.Channel(), c.Complainant())
	}
	if !a.snack.visible() {
		t.Error("no confirmation after saving")
	}

	// Walk the loop. Each step is offered only when the loop allows it.
	step := func(act casebook.Action, fill func(s *stepForm)) {
		t.Helper()
		v := a.caseView
		b, ok := v.actions[act]
		if !ok {
			t.Fatalf("status %s: no %s button (offered: %v)", v.c.Status, act, keys(v.actions))
		}
		test.Tap(b)
		s := v.step
		if s == nil || s.action != act {
			t.Fatalf("%s: no step dialog", act)
		}
		if fill != nil {
			fill(s)
		}
		test.Tap(s.ok)
		if v.step == s {
			t.Fatalf("%s: dialog still open: %q %q %q", act, visibleErr(s.formErr), visibleErr(s.errs["note"]), visibleErr(s.errs["to"]))
		}
	}
	if _, ok := a.caseView.actions[casebook.ActEvaluate]; ok {
		t.Error("evaluation is offered on a new appeal")
	}
	step(casebook.ActRespond, nil)
	step(casebook.ActDispatch, func(s *stepForm) { s.to.SetText("物业公司") })

	// A progress note without text is refused inline, and nothing is recorded.
	v := a.caseView
	test.Tap(v.actions[casebook.ActProgress])
	s := v.step
	test.Tap(s.ok)
	if got := visibleErr(s.errs["note"]); got != "请填写内容" {
		t.Errorf("empty progress note: error %q", got)
	}
	if cur, _ := book.Case(c.ID); cur.Status != casebook.StatusDispatched || len(cur.Timeline) != 3 {
		t.Errorf("a refused step changed the case: %s, %d events", cur.Status, len(cur.Timeline))
	}
	test.Type(s.note, "物业已上门查看，安排防水维修")
	test.Tap(s.ok)

	step(casebook.ActResolve, func(s *stepForm) { test.Type(s.note, "屋面防水已修复") })
	step(casebook.ActFeedback, func(s *stepForm) { test.Type(s.note, "已电话告知居民") })
	step(casebook.ActEvaluate, func(s *stepForm) {
		s.solved.SetSelected(solvedName(casebook.SolvedYes))
		s.satisfaction.SetSelected(satisfactionName(casebook.Satisfied))
	})
	cur, _ := book.Case(c.ID)
	if cur.Status != casebook.StatusEvaluated || cur.Solved != casebook.SolvedYes || cur.Satisfaction != casebook.Satisfied {
		t.Fatalf("after the loop: %s %s %s", cur.Status, cur.Solved, cur.Satisfaction)
	}
	if len(a.caseView.timeline().(*fyne.Container).Objects) != 2*len(cur.Timeline) {
		t.Error("the timeline does not show every event")
	}
	if _, ok := a.caseView.actions[casebook.ActClose]; !ok {
		t.Error("close out is not offered after evaluation")
	}

	// Today shows the month's new figures.
	shortcutOn(w, fyne.Key1)
	if a.shell.Selected() != SectionToday {
		t.Fatal("Ctrl+1 did not show Today")
	}
	after := a.today.month
	if after.Cases != 1 || after.Evaluated != 1 || after.ResolutionRate == nil || *after.ResolutionRate != 1 {
		t.Errorf("Today this month: %d cases, %d evaluated, resolution %v", after.Cases, after.Evaluated, after.ResolutionRate)
	}
	if got := a.today.cards[1].value.Text; got != "100.0%" {
		t.Errorf("resolution card %q", got)
	}
	if got := a.today.cards[1].change.Text; got != "+40.0个百分点" {
		t.Errorf("resolution against the 60%% baseline: %q", got)
	}

	// And so does the metrics screen.
	shortcutOn(w, fyne.Key4)
	m := a.metrics.m
	if a.shell.Selected() != SectionMetrics || m.Cases != 1 || m.Evaluated != 1 || len(m.ByMonth) != 1 {
		t.Fatalf("metrics: %d cases, %d evaluated, %d months", m.Cases, m.Evaluated, len(m.ByMonth))
	}
	if got := a.metrics.summary["satisfaction"].Text; got != "100.0%" {
		t.Errorf("metrics satisfaction %q", got)
	}
	if len(a.metrics.line.series) != 3 || a.metrics.line.series[1].Values[0] == nil {
		t.Error("the trend chart has no resolution point")
	}
	if len(a.metrics.category.bars) != 1 || a.metrics.category.bars[0].Label != "老旧小区改造" {
		t.Errorf("category bars %+v", a.metrics.category.bars)
	}
}

func keys[K comparable, V any](m map[K]V) []K {
	var out []K
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestIrreversibleStepsAsk: closing out, "cannot be resolved" and escalation
// say that they cannot be undone, in the dialog that records them.
func TestIrreversibleStepsAsk(t *testing.T) {
	var id string
	a, _ := newTestApp(t, LangChinese, func(b *store.Book) {
		id = addCase(t, b, casebook.CaseInput{Summary: "楼道堆物", Category: "环境卫生"}).ID
		if _, err := b.Step(id, casebook.Step{Action: casebook.ActRespond}); err != nil {
			t.Fatal(err)
		}
	})
	a.OpenCase(id)
	for _, act := range []casebook.Action{casebook.ActUnresolvable, casebook.ActEscalate} {
		test.Tap(a.caseView.actions[act])
		s := a.caseView.step
		if s.ok.Importance != widget.DangerImportance || !strings.Contains(dialogText(s), "不能撤销") {
			t.Errorf("%s: no warning that it cannot be undone", act)
		}
		s.close()
	}
	// Escalate: only levels above the current one are offered.
	test.Tap(a.caseView.actions[casebook.ActEscalate])
	s := a.caseView.step
	s.level.SetSelected(levelName(casebook.LevelDistrict))
	test.Tap(s.ok)
	c, _ := a.book.Case(id)
	if c.Escalation != casebook.LevelDistrict {
		t.Fatalf("escalation %q", c.Escalation)
	}
	test.Tap(a.caseView.actions[casebook.ActEscalate])
	if got := a.caseView.step.level.Options; len(got) != 1 || got[0] != levelName(casebook.LevelCity) {
		t.Errorf("after escalating to the district, offered %q", got)
	}
}

// dialogText is the warning of a step dialog, if any.
func dialogText(s *stepForm) string {
	if s.warn == nil {
		return ""
	}
	return s.warn.Text
}

// TestShortcuts: Ctrl+1..6 show the sections, Ctrl+F the ledger's search.
func TestShortcuts(t *testing.T) {
	a, w := newTestApp(t, LangChinese, nil)
	for i, sec := range Sections() {
		shortcutOn(w, sectionKeys[i])
		if a.shell.Selected() != sec {
			t.Errorf("Ctrl+%d showed %v, want %v", i+1, a.shell.Selected(), sec)
		}
	}
	shortcutOn(w, fyne.KeyF)
	if a.shell.Selected() != SectionAppeals || a.mode != modeLedger || w.Canvas().Focused() != a.ledger.search {
		t.Errorf("Ctrl+F: section %v, mode %v, focus %T", a.shell.Selected(), a.mode, w.Canvas().Focused())
	}
	if w.MainMenu() == nil || len(w.MainMenu().Items) != 2 {
		t.Error("no menu with the shortcuts")
	}
}

// TestNotifyOverdue: a notification at start when appeals are overdue, and
// none when nothing is.
func TestNotifyOverdue(t *testing.T) {
	a, _ := newTestApp(t, LangChinese, nil)
	test.AssertNotificationSent(t, nil, func() { a.NotifyOverdue() })

	old := time.Now().Add(-72 * time.Hour)
	addCase(t, a.book, casebook.CaseInput{Summary: "路灯不亮", Category: "道路设施", Received: old})
	addCase(t, a.book, casebook.CaseInput{Summary: "垃圾未清运", Category: "环境卫生", Received: old})
	a.Refresh()
	test.AssertNotificationSent(t, fyne.NewNotification("诉求超期提醒", "有2件诉求已超过办理期限。"), func() {
		if n := a.NotifyOverdue(); n != 2 {
			t.Errorf("overdue %d, want 2", n)
		}
	})
	if len(a.today.overdue) != 2 || len(a.today.dueToday) != 0 {
		t.Errorf("Today: %d overdue, %d due today", len(a.today.overdue), len(a.today.dueToday))
	}
	// One click on a row opens the case.
	a.today.lists["overdue"].Select(0)
	if a.mode != modeCase || a.caseView.c.ID != a.today.overdue[0].ID {
		t.Error("a click on an overdue row did not open its case")
	}
	// Back returns to Today.
	test.Tap(findButton(t, a.caseView.content, "返回"))
	if a.shell.Selected() != SectionToday {
		t.Errorf("back went to %v", a.shell.Selected())
	}
}

// findButton finds a button by its text in a tree of objects.
func findButton(t *testing.T, root fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil {
			return
		}
		switch x := o.(type) {
		case *widget.Button:
			if x.Text == text {
				found = x
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			r := test.WidgetRenderer(x)
			for _, c := range r.Objects() {
				walk(c)
			}
		}
	}
	walk(root)
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}

// TestEnglish: the language switch in Settings redraws every screen in
// English and is remembered.
func TestEnglish(t *testing.T) {
	a, w := newTestApp(t, LangChinese, func(b *store.Book) {
		addCase(t, b, casebook.CaseInput{Summary: "噪音扰民", Category: "噪音扰民"})
	})
	a.ShowSection(SectionSettings)
	a.settings.language.SetSelected("English")
	if Language() != LangEnglish || a.fy.Preferences().String(prefLanguage) != LangEnglish {
		t.Fatalf("language %q, preference %q", Language(), a.fy.Preferences().String(prefLanguage))
	}
	if a.shell.title.Text != "Settings" || w.MainMenu().Items[1].Label != "View" {
		t.Errorf("title %q, menu %q", a.shell.title.Text, w.MainMenu().Items[1].Label)
	}
	a.ShowLedger()
	if got := a.ledger.count.Text; got != "1 of 1 appeals" {
		t.Errorf("ledger count %q", got)
	}
	text, _ := a.ledger.cellText(a.ledger.rows[0], colStatus, false)
	if text != "Received" {
		t.Errorf("status cell %q", text)
	}
}

// TestThemeSwitch: the theme chosen in Settings applies and is remembered.
func TestThemeSwitch(t *testing.T) {
	a, _ := newTestApp(t, LangChinese, nil)
	a.ShowSection(SectionSettings)
	a.settings.themeSel.SetSelectedIndex(2)
	th, ok := a.fy.Settings().Theme().(*Theme)
	if !ok || th.Mode() != ThemeDark || a.fy.Preferences().String(prefTheme) != ThemeDark {
		t.Errorf("after choosing dark: theme %v, preference %q", a.fy.Settings().Theme(), a.fy.Preferences().String(prefTheme))
	}
	a.ShowLedger() // the ledger rebuilds with the dark theme's tint
	if a.ledger.view == nil {
		t.Error("no ledger")
	}
}
