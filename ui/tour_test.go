package ui

import (
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/casebook/demo"
	"casebook/casebook/store"
	"casebook/ui/guard"
	"casebook/ui/internal/uitest"
	"casebook/ui/screen"
	"casebook/ui/setup"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// The every-widget test (the tour). For every screen — 今日, 诉求台账, the
// new-appeal form, the case view in each loop status, the disputes list
// (with and without the resolved ones), a dispute's workspace in each
// status, 统计, 设置, 同步 — and every dialog and drop-down reached from
// them by a tap, in zh-Hans and English, light and dark, at 1366×768 and
// 1024×640, it fails on:
//
//   - a panic (one the net in package guard catches counts as a failure
//     here, and one it does not ends the test);
//   - visible text in the wrong language that is not data: Latin words in
//     zh-Hans (other than a short list of names such as Excel), Chinese in
//     English once every string of the casebook's own data is taken out;
//   - a widget drawn outside the window: a screen or a dialog whose
//     minimum size is larger than the window (Fyne then lays it out past
//     the window's edge).
//
// Every state is checked in all eight combinations. The interaction sweep
// — tap every tappable one at a time from a fresh visit to the state, open
// every Select, SelectEntry and pop-up, type the inputs below into every
// entry, press Tab, Enter and Escape, and sweep the dialog a tap opened the
// same way — runs in two combinations that between them cover each
// language, theme and size once (zh-Hans light 1366×768, English dark
// 1024×640): what a tap does does not depend on the theme, and the two
// sizes and languages lay out differently. That keeps the test to a few
// minutes on two cores. CASEBOOK_UI_TOUR=all sweeps all eight, =none none;
// CASEBOOK_UI_SHOTS=DIR writes a PNG of every state of every combination
// (with =none, of the states as a person first sees them).

// tourInputs are typed into every entry in the sweep.
var tourInputs = []string{
	"",
	"14号楼东侧消防通道被占",
	strings.Repeat("长", 5000),
	"😀🏠 emoji ✅",
	"a\tb\x00c\x1b[31m\r\n\u202e",
	"138 1234 5678",
}

type tourCombo struct {
	lang  string
	dark  bool
	size  fyne.Size
	sweep bool
}

func (c tourCombo) String() string {
	th := "light"
	if c.dark {
		th = "dark"
	}
	return fmt.Sprintf("%s_%s_%.0fx%.0f", c.lang, th, c.size.Width, c.size.Height)
}

func tourCombos() []tourCombo {
	var out []tourCombo
	all, none := os.Getenv("CASEBOOK_UI_TOUR") == "all", os.Getenv("CASEBOOK_UI_TOUR") == "none"
	for _, lang := range []string{words.LangChinese, words.LangEnglish} {
		for _, dark := range []bool{false, true} {
			for _, size := range []fyne.Size{fyne.NewSize(1366, 768), fyne.NewSize(1024, 640)} {
				c := tourCombo{lang: lang, dark: dark, size: size}
				c.sweep = !none && (all ||
					(lang == words.LangChinese && !dark && size.Width == 1366) ||
					(lang == words.LangEnglish && dark && size.Width == 1024))
				out = append(out, c)
			}
		}
	}
	return out
}

// tourState is a place in the app to check.
type tourState struct {
	name  string
	enter func(a *App)
}

// tourFixture is the demo community plus disputes in the statuses the demo
// lacks, and the ids of an appeal in each loop status.
type tourFixture struct {
	book     *store.Book
	cases    map[casebook.Status]string
	disputes map[casebook.DisputeStatus]string
	data     []string // every text of the casebook's data, longest first
	allData  string   // the same, joined
}

func newTourFixture(t *testing.T) *tourFixture {
	t.Helper()
	book, err := store.NewBook(store.NewMemory(), "王明", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Generate(book, demo.Options{Seed: 1, Now: time.Now(), Cases: 300}); err != nil {
		t.Fatal(err)
	}
	x := &tourFixture{book: book, cases: map[casebook.Status]string{}, disputes: map[casebook.DisputeStatus]string{}}
	book.Store().Index().Range(func(s *casebook.Summary) bool {
		if _, ok := x.cases[s.Status]; !ok {
			x.cases[s.Status] = s.ID
		}
		return true
	})
	// Disputes: open (no plan), agreed and implementing, from free appeals.
	snap := book.Store().Index().Snapshot()
	pick := func(i int) []string { return []string{snap[2*i+10].ID, snap[2*i+11].ID} }
	mk := func(title string, i int) string {
		d, err := book.CreateDispute(title, "小区东门", "", pick(i))
		if err != nil {
			t.Fatal(err)
		}
		return d.ID
	}
	x.disputes[casebook.DisputeOpen] = mk("东门摊贩占道", 0)
	for i, st := range []casebook.DisputeStatus{casebook.DisputeAgreed, casebook.DisputeImplementing} {
		id := mk([]string{"楼顶太阳能板争议", "电动车充电桩选址"}[i], i+1)
		plan, err := book.AddPlan(id, casebook.PlanVersion{Title: "第一版方案", Description: "在东侧空地建设。"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := book.Agree(id, plan.ID, []string{"王明"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		if st == casebook.DisputeImplementing {
			if _, err := book.AddTask(id, casebook.Task{Title: "施工", Owner: "物业公司", Due: casebook.DateOf(time.Now()).AddDays(10)}); err != nil {
				t.Fatal(err)
			}
			if _, err := book.Implement(id, time.Now(), "开工"); err != nil {
				t.Fatal(err)
			}
		}
		x.disputes[st] = id
	}
	ds, err := book.ListDisputes(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if _, ok := x.disputes[d.Status]; !ok {
			x.disputes[d.Status] = d.ID
		}
	}
	x.collectData(t)
	return x
}

// collectData gathers the casebook's own texts: what may show in either
// language because a person typed it.
func (x *tourFixture) collectData(t *testing.T) {
	seen := map[string]bool{}
	add := func(ss ...string) {
		for _, s := range ss {
			if s = strings.TrimSpace(s); s != "" && !seen[s] {
				seen[s] = true
				x.data = append(x.data, s)
			}
		}
	}
	set := x.book.Settings()
	add(set.Community.Name, set.Community.Street, set.Community.District, set.Term.Secretary)
	add(set.Categories...)
	add(set.Community.Buildings...)
	x.book.Store().Index().Range(func(s *casebook.Summary) bool {
		add(s.Summary, s.Category, s.Building, s.Number, s.WorkOrder)
		return true
	})
	for _, s := range x.book.Store().Index().Snapshot() {
		c, err := x.book.Case(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range casebook.CaseFields {
			add(c.Field(f))
		}
		add(c.DispatchedTo)
		for _, e := range c.Timeline {
			add(e.Note, e.To, e.Actor)
		}
	}
	ds, _ := x.book.Store().Disputes()
	for _, d := range ds {
		add(d.Title(), d.Place(), d.Summary())
		for _, p := range d.Parties() {
			add(p.Name, p.Position, p.Interest, p.Building, p.Side)
		}
		for _, p := range d.Plans() {
			add(p.Title, p.Description, p.Changes, p.Reason, p.Cost, p.Funding, p.Upkeep)
		}
		for _, m := range d.Meetings() {
			add(m.Place, m.Minutes)
			for _, ad := range m.Addenda {
				add(ad.Text)
			}
			for _, at := range m.Attendees {
				add(at.Name, at.Role)
			}
		}
		for _, tk := range d.Tasks() {
			add(tk.Title, tk.Owner)
		}
		if ag := d.Agreement; ag != nil {
			add(ag.SignedOff...)
		}
		for _, e := range d.Log {
			add(e.Note, e.Actor)
		}
	}
	add("物业公司", "简体中文", "王明")
	// The file dialogs list the folders of the home and root folders:
	// their names are the file system's.
	for _, dir := range []string{"/", os.Getenv("HOME")} {
		if es, err := os.ReadDir(dir); err == nil {
			for _, e := range es {
				add(e.Name())
			}
		}
	}
	slices.SortFunc(x.data, func(a, b string) int { return len(b) - len(a) })
	x.allData = strings.Join(x.data, "\x00")
}

func (x *tourFixture) states() []tourState {
	st := []tourState{
		{"today", func(a *App) { a.Show(screen.Today) }},
		{"ledger", func(a *App) { a.ShowLedger(screen.LedgerFilter{}) }},
		{"ledger_overdue", func(a *App) { a.ShowLedger(screen.LedgerFilter{Overdue: true}) }},
		{"new_appeal", func(a *App) { a.NewAppeal() }},
		{"disputes", func(a *App) { a.OpenDispute("") }},
		{"metrics", func(a *App) { a.Show(screen.Metrics) }},
		{"settings", func(a *App) { a.Show(screen.Settings) }},
		{"sync", func(a *App) { a.Show(screen.Sync) }},
	}
	for _, s := range casebook.Statuses() {
		if id, ok := x.cases[s]; ok {
			st = append(st, tourState{"case_" + string(s), func(a *App) { a.OpenCase(id) }})
		}
	}
	for _, s := range []casebook.DisputeStatus{casebook.DisputeOpen, casebook.DisputeNegotiating, casebook.DisputeAgreed,
		casebook.DisputeImplementing, casebook.DisputeResolved, casebook.DisputeStalled} {
		if id, ok := x.disputes[s]; ok {
			st = append(st, tourState{"dispute_" + string(s), func(a *App) { a.OpenDispute(id) }})
		}
	}
	return st
}

// TestEveryWidget is the tour (see above).
func TestEveryWidget(t *testing.T) {
	if testing.Short() {
		t.Skip("the tour takes minutes")
	}
	x := newTourFixture(t)
	shots := os.Getenv("CASEBOOK_UI_SHOTS")
	for _, c := range tourCombos() {
		t.Run(c.String(), func(t *testing.T) {
			tr := newTour(t, x, c)
			tr.firstStart(shots)
			for _, s := range x.states() {
				tr.visit(s, shots)
				if c.sweep {
					tr.sweep(s)
				}
			}
		})
	}
}

// tour is one combination's run.
type tour struct {
	t    *testing.T
	x    *tourFixture
	c    tourCombo
	a    *App
	w    fyne.Window
	step string // what is being done, for messages
}

func newTour(t *testing.T, x *tourFixture, c tourCombo) *tour {
	setTestLocale(t)
	fa := test.NewTempApp(t)
	mode := widgets.ThemeLight
	if c.dark {
		mode = widgets.ThemeDark
	}
	th, _ := widgets.NewTheme(mode)
	fa.Settings().SetTheme(th)
	if err := words.SetLanguage(c.lang); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = words.SetLanguage(words.DefaultLanguage) })
	w := test.NewTempWindow(t, nil)
	w.Resize(c.size)
	a := NewApp(fa, w, x.book, Options{DBPath: testDBPath})
	t.Cleanup(a.Close)
	tr := &tour{t: t, x: x, c: c, a: a, w: w}
	guard.OnPanic(func(where string) { t.Errorf("%s: a panic, caught at %s", tr.step, where) })
	t.Cleanup(func() { guard.OnPanic(nil) })
	return tr
}

// visit enters a state and checks what it shows.
func (tr *tour) visit(s tourState, shots string) {
	tr.step = s.name
	tr.closeOverlays()
	s.enter(tr.a)
	tr.check()
	if shots != "" {
		tr.shot(filepath.Join(shots, s.name+"_"+tr.c.String()+".png"))
	}
}

// shot writes the window to a PNG. Fyne's software painter (the test
// driver's, not the window's) panics on a rounded rectangle it is asked to
// draw with a negative height, which a screen can hold after the sweep has
// typed 5,000 characters into the settings; such a shot is skipped with a
// note rather than failing the tour.
func (tr *tour) shot(path string) {
	defer func() {
		if r := recover(); r != nil {
			tr.t.Logf("%s: no screenshot (the software painter failed: %v)", tr.step, r)
		}
	}()
	img := tr.w.Canvas().Capture()
	f, err := os.Create(path)
	if err != nil {
		tr.t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		tr.t.Fatal(err)
	}
}

// check fails on text in the wrong language and on a screen or a dialog
// larger than the window.
func (tr *tour) check() {
	c := tr.w.Canvas()
	win := tr.c.size
	if min := c.Content().MinSize(); min.Width > win.Width+0.5 || min.Height > win.Height+0.5 {
		tr.t.Errorf("%s: the screen needs %.0f×%.0f, more than the %.0f×%.0f window: it is drawn past the window's edge",
			tr.step, min.Width, min.Height, win.Width, win.Height)
	}
	roots := []fyne.CanvasObject{c.Content()}
	for _, o := range c.Overlays().List() {
		roots = append(roots, o)
		if pu, ok := o.(*widget.PopUp); ok && pu.Content != nil {
			if min := pu.Content.MinSize(); min.Width > win.Width+0.5 || min.Height > win.Height+0.5 {
				tr.t.Errorf("%s: a dialog needs %.0f×%.0f, more than the window", tr.step, min.Width, min.Height)
			}
		}
	}
	for _, r := range roots {
		for _, text := range visibleTexts(r) {
			if msg := tr.wrongLanguage(text); msg != "" {
				tr.t.Errorf("%s: %s: %q", tr.step, msg, clip(text, 120))
			}
		}
	}
}

// visibleTexts lists the texts shown below root (hidden branches left out),
// whole as widgets hold them: a label's text rather than its wrapped lines.
func visibleTexts(root fyne.CanvasObject) []string {
	var out []string
	add := func(s string) {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *canvas.Text:
			add(x.Text)
			return
		case *widget.Label:
			add(x.Text)
			return
		case *widget.Button:
			add(x.Text)
			return
		case *widget.Check:
			add(x.Text)
			return
		case *widget.Entry:
			// What the user typed is data; the placeholder is ours.
			if x.Text == "" {
				add(x.PlaceHolder)
			}
			return
		case *widget.RichText:
			for _, seg := range x.Segments {
				if ts, ok := seg.(*widget.TextSegment); ok {
					add(ts.Text)
				}
			}
			return
		case *fyne.Container:
			for _, k := range x.Objects {
				walk(k)
			}
		case fyne.Widget:
			for _, k := range test.WidgetRenderer(x).Objects() {
				walk(k)
			}
		}
	}
	walk(root)
	return out
}

// latinWord is a run of Latin letters long enough to be a word.
var latinWord = regexp.MustCompile(`[A-Za-z]{2,}`)

// allowedLatin are names that stay Latin in Chinese text.
var allowedLatin = map[string]bool{
	"Casebook": true, "Excel": true, "WPS": true, "PDF": true, "xlsx": true, "db": true, "http": true, "https": true,
	"Ctrl": true, "dev": true, "linux": true, "amd": true, "arm": true, "windows": true, "darwin": true, "tmp": true,
	"test": true, "example": true, "cn": true, "Enter": true, "Tab": true, "Esc": true, "ID": true, "emoji": true,
	// The language picker names each language in itself.
	"English": true,
	// Fyne's file dialog shows its places untranslated (dialog/file.go sets
	// the labels without lang.L): a limit of Fyne 2.7, not of our texts.
	"Home": true, "Computer": true, "Documents": true, "Downloads": true, "Desktop": true, "Music": true,
	"Pictures": true, "Videos": true, "App": true, "Files": true,
}

// wrongLanguage says what is wrong with text in the tour's language, or "".
// Chinese runs in English text are data when the casebook's data holds
// them (a summary cut short, one line of a wrapped note, a plan's diff).
func (tr *tour) wrongLanguage(text string) string {
	rest := text
	for _, in := range tourInputs {
		if in != "" {
			rest = strings.ReplaceAll(rest, in, " ")
		}
	}
	if strings.Contains(rest, testDBPath) || strings.Contains(rest, "/") && strings.Contains(rest, ".db") {
		return "" // a file path
	}
	if tr.c.lang == words.LangChinese {
		for _, d := range tr.x.data {
			if strings.Contains(rest, d) {
				rest = strings.ReplaceAll(rest, d, " ")
			}
		}
		for _, w := range latinWord.FindAllString(rest, -1) {
			if !allowedLatin[w] && !strings.Contains(tr.x.allData, w) {
				return "English in the Chinese interface"
			}
		}
		return ""
	}
	for _, run := range hanRun.FindAllString(rest, -1) {
		if !strings.Contains(tr.x.allData, run) {
			return "Chinese in the English interface"
		}
	}
	return ""
}

// hanRun is a run of Chinese characters and CJK punctuation.
var hanRun = regexp.MustCompile(`[\p{Han}\x{3000}-\x{303f}\x{ff00}-\x{ffef}]+`)

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// closeOverlays hides every pop-up and dialog.
func (tr *tour) closeOverlays() {
	ov := tr.w.Canvas().Overlays()
	for ov.Top() != nil {
		ov.Remove(ov.Top())
	}
}

// tappables lists the enabled, visible tappable objects below root,
// outside the navigation (each section is visited on its own).
func (tr *tour) tappables(root fyne.CanvasObject) []fyne.Tappable {
	var out []fyne.Tappable
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() || o == tr.a.shell.nav {
			return
		}
		if d, ok := o.(fyne.Disableable); ok && d.Disabled() {
			return
		}
		if tp, ok := o.(fyne.Tappable); ok {
			out = append(out, tp)
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, k := range x.Objects {
				walk(k)
			}
		case fyne.Widget:
			for _, k := range test.WidgetRenderer(x).Objects() {
				walk(k)
			}
		}
	}
	walk(root)
	return out
}

// entries lists the enabled, visible entries below root.
func entries(root fyne.CanvasObject) []fyne.Focusable {
	var out []fyne.Focusable
	uitest.Walk(root, func(o fyne.CanvasObject) bool {
		if !o.Visible() {
			return false
		}
		if d, ok := o.(fyne.Disableable); ok && d.Disabled() {
			return true
		}
		switch o.(type) {
		case *widget.Entry, *widget.SelectEntry, *widgets.PickEntry:
			out = append(out, o.(fyne.Focusable))
			return false
		}
		return true
	})
	return out
}

// sweep taps every tappable of a state, one per fresh visit, sweeping the
// dialog or pop-up a tap opens; then types the inputs into every entry.
func (tr *tour) sweep(s tourState) {
	tr.closeOverlays()
	s.enter(tr.a)
	n := len(tr.tappables(tr.a.shell.body))
	for i := 0; i < n; i++ {
		tr.closeOverlays()
		s.enter(tr.a)
		tps := tr.tappables(tr.a.shell.body)
		if i >= len(tps) {
			break
		}
		tr.step = fmt.Sprintf("%s: tap %d (%s)", s.name, i, describeTappable(tps[i]))
		test.Tap(tps[i])
		tr.check()
		if top := tr.w.Canvas().Overlays().Top(); top != nil {
			tr.sweepOverlay(top, tr.step)
		}
	}
	tr.closeOverlays()
	s.enter(tr.a)
	tr.typeInto(tr.a.shell.body, s.name)
}

// sweepOverlay types into a dialog's entries and taps its buttons in turn
// until it closes (it may open another: that is swept too, once).
func (tr *tour) sweepOverlay(top fyne.CanvasObject, from string) {
	tr.typeInto(top, from+" > dialog")
	for range 12 {
		cur := tr.w.Canvas().Overlays().Top()
		if cur == nil {
			return
		}
		tps := tr.tappables(cur)
		if len(tps) == 0 {
			return
		}
		// The last button of a dialog is usually its confirm; tap the
		// others first, so that both the dismiss and the confirm paths run
		// on some dialog.
		tp := tps[0]
		tr.step = fmt.Sprintf("%s > tap (%s)", from, describeTappable(tp))
		test.Tap(tp)
		tr.check()
		if tr.w.Canvas().Overlays().Top() == cur {
			tr.w.Canvas().Overlays().Remove(cur)
		}
	}
}

// typeInto types every input into every entry below root, then presses
// Tab, Enter and Escape there.
func (tr *tour) typeInto(root fyne.CanvasObject, where string) {
	for i := 0; ; i++ {
		es := entries(root)
		if i >= len(es) {
			return
		}
		e := es[i]
		for _, in := range tourInputs {
			tr.step = fmt.Sprintf("%s: entry %d: %q", where, i, clip(in, 12))
			tr.w.Canvas().Focus(e)
			switch x := e.(type) {
			case *widgets.PickEntry:
				x.SetText("")
				test.Type(x, clip(in, 40))
			case *widget.SelectEntry:
				x.SetText(in)
			case *widget.Entry:
				if len(in) > 100 {
					x.SetText(in)
				} else {
					x.SetText("")
					test.Type(x, in)
				}
			}
			for _, k := range []fyne.KeyName{fyne.KeyTab, fyne.KeyReturn, fyne.KeyEscape} {
				if f := tr.w.Canvas().Focused(); f != nil {
					f.TypedKey(&fyne.KeyEvent{Name: k})
				}
			}
			tr.check()
			// Enter may have saved and moved on, or opened a dialog.
			if tr.w.Canvas().Overlays().Top() != nil {
				tr.closeOverlays()
			}
			if !uitest.Holds(tr.w.Canvas().Content(), e.(fyne.CanvasObject)) {
				return
			}
		}
	}
}

var _ = container.NewStack

// describeTappable names a tappable for messages: its type and, for a
// button or a check, its text.
func describeTappable(tp fyne.Tappable) string {
	switch x := tp.(type) {
	case *widget.Button:
		return fmt.Sprintf("button %q", x.Text)
	case *widget.Check:
		return fmt.Sprintf("check %q", x.Text)
	case *widget.Select:
		return fmt.Sprintf("select %q", x.Selected)
	}
	return fmt.Sprintf("%T", tp)
}

// firstStart checks the first-start screen (before any casebook is open)
// in the tour's window, and in the sweep types into its boxes and taps
// Create with them (never the demo, which writes a file).
func (tr *tour) firstStart(shots string) {
	tr.step = "first_start"
	s := newSession(tr.a.fy, tr.w, Options{})
	s.sync = true
	path := filepath.Join(tr.t.TempDir(), "new.db")
	f := setup.ShowFirstStart(tr.w, path, setup.Opener{Start: func(string, *store.Book) {}, Open: func(string) {}, ChooseOther: func() {}})
	_ = f
	tr.check()
	if shots != "" {
		tr.shot(filepath.Join(shots, "first_start_"+tr.c.String()+".png"))
	}
	if tr.c.sweep {
		tr.typeInto(tr.w.Content(), "first_start")
	}
	// Back to the App's content for the rest of the tour.
	tr.w.SetContent(tr.a.content)
}
