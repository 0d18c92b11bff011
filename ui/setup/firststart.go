package setup

import (
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/casebook/demo"
	"casebook/casebook/store"
	"casebook/ui/guard"
	"casebook/ui/screen"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// The screens before a casebook is open: opening, first start, and the
// error screen. None of them ever writes over an existing file: a new
// casebook is made only where nothing is, and a file that cannot be opened
// (in use, not a casebook, damaged, too new) is left as it is while the
// user chooses another.

// firstStart is the first-start screen: the community's profile and the
// term, then create an empty casebook or load the demo one.
type firstStart struct {
	win  fyne.Window
	o    Opener
	path string

	name *widget.Entry
	termInputs
	errs                         map[string]*widget.Label
	msg                          *widget.Label
	createBtn, demoBtn, otherBtn *widget.Button
	busy                         *widget.ProgressBarInfinite
}

// Opener is what the first-start screen does once a casebook is made.
type Opener struct {
	// Start shows the casebook made at path, open in book.
	Start func(path string, book *store.Book)
	// Open opens the casebook at path.
	Open func(path string)
	// ChooseOther lets the user pick another casebook file.
	ChooseOther func()
	// OnDemo, if set, is called when a demo casebook is ready or failed
	// (tests).
	OnDemo func(error)
}

// ShowFirstStart shows, in win, the first-start screen for a casebook to
// be made at path.
func ShowFirstStart(win fyne.Window, path string, o Opener) *firstStart {
	f := &firstStart{win: win, o: o, path: path, errs: map[string]*widget.Label{}}
	s := f
	s.win.SetTitle(lang.X("app.title", "Casebook"))
	start, end := defaultTerm(time.Now())
	entry := func(text, hint string) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(text)
		e.SetPlaceHolder(hint)
		return e
	}
	f.name = entry("", lang.X("first.name.hint", "e.g. Xima North Community"))
	// Hints say what to write, not a value that could be taken for one; an
	// empty baseline stays empty and says what that means.
	f.households = entry("", lang.X("first.households.hint", "number of households"))
	f.secretary = entry("", lang.X("first.secretary.hint", "your name"))
	f.termStart = entry(words.FmtDate(start), lang.X("first.date.hint", "a date like 2026-03-02"))
	f.termEnd = entry(words.FmtDate(end), lang.X("first.date.hint", "a date like 2026-03-02"))
	noBase := lang.X("first.baseline.hint", "empty: no baseline to compare with")
	f.baseResp, f.baseReso, f.baseSat = entry("", noBase), entry("", noBase), entry("", noBase)
	row := func(key, label string, e *widget.Entry) []fyne.CanvasObject {
		f.errs[key] = widgets.ErrLabel()
		return []fyne.CanvasObject{widgets.FieldLabel(label), widgets.FieldCell(e, f.errs[key])}
	}
	var cells []fyne.CanvasObject
	for _, r := range [][]fyne.CanvasObject{
		row("name", lang.X("settings.community", "Community"), f.name),
		row("households", lang.X("settings.households", "Households"), f.households),
		row("secretary", lang.X("settings.secretary", "Governance secretary"), f.secretary),
		row("term_start", lang.X("settings.term_start", "Term starts"), f.termStart),
		row("term_end", lang.X("settings.term_end", "Term ends"), f.termEnd),
		row("base_response", lang.X("settings.base_response", "Baseline response rate (%)"), f.baseResp),
		row("base_resolution", lang.X("settings.base_resolution", "Baseline resolution rate (%)"), f.baseReso),
		row("base_satisfaction", lang.X("settings.base_satisfaction", "Baseline satisfaction rate (%)"), f.baseSat),
	} {
		cells = append(cells, r...)
	}
	f.msg = widgets.ErrLabel()
	f.createBtn = widget.NewButtonWithIcon(lang.X("first.create", "Create casebook"), theme.ConfirmIcon(), guard.Func(f.create))
	f.createBtn.Importance = widget.HighImportance
	f.demoBtn = widget.NewButtonWithIcon(lang.X("first.demo", "Try the demo casebook (a separate file)"), theme.MediaPlayIcon(), guard.Func(f.loadDemo))
	f.otherBtn = widget.NewButtonWithIcon(lang.X("open.other", "Open another casebook file…"), theme.FolderOpenIcon(), guard.Func(o.ChooseOther))
	f.busy = widget.NewProgressBarInfinite()
	f.busy.Hide()
	f.busy.Stop()

	title := widget.NewLabelWithStyle(lang.X("first.title", "Welcome to Casebook"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	body := container.NewVBox(
		title,
		widgets.Note(lang.X("first.intro", "A new casebook will be made at the path below. Describe the community and your term; the baseline rates are the community's 12345 figures before the term (they can be changed later in Settings).")),
		widget.NewLabel(lang.X("shell.file", "Casebook file: {{.Path}}", map[string]any{"Path": path})),
		widget.NewSeparator(),
		widgets.FormGrid(cells...),
		f.msg,
		container.NewHBox(f.createBtn, f.otherBtn),
		widget.NewSeparator(),
		widgets.Note(lang.X("first.demo.note", "Just looking? The demo is a fictional community with about 1,200 appeals over a term, to try every screen. It is written to a file of its own beside this one, which it never replaces; make your real casebook later with Casebook › New casebook.")),
		container.NewHBox(f.demoBtn),
		f.busy,
	)
	s.win.SetContent(container.NewVScroll(container.NewPadded(body)))
	s.win.Canvas().Focus(f.name)
	return f
}

// settings reads the form into settings, showing problems by the fields;
// ok is false if there are any.
func (f *firstStart) settings() (casebook.Settings, bool) {
	for _, l := range f.errs {
		widgets.SetErr(l, "")
	}
	widgets.SetErr(f.msg, "")
	s := casebook.DefaultSettings()
	ok := true
	s.Community.Name = strings.TrimSpace(f.name.Text)
	if s.Community.Name == "" {
		widgets.SetErr(f.errs["name"], lang.X("first.name.empty", "write the community's name"))
		ok = false
	}
	if !f.termInputs.read(&s, f.errs) {
		ok = false
	}
	if ok {
		if err := s.Validate(); err != nil {
			for _, fe := range words.FieldErrors(err) {
				key := fe.Field
				if key == "baseline" {
					key = "base_response"
				}
				if l, found := f.errs[key]; found {
					widgets.SetErr(l, words.FieldErrorText(fe))
				} else {
					widgets.SetErr(f.msg, words.ErrorMessage(fe))
				}
			}
			if len(words.FieldErrors(err)) == 0 {
				widgets.SetErr(f.msg, words.ErrorMessage(err))
			}
			ok = false
		}
	}
	return s, ok
}

// create makes the casebook with the profile typed in and opens it. The
// form is checked first, so an invalid form creates no file.
func (f *firstStart) create() {
	set, ok := f.settings()
	if !ok {
		return
	}
	book, err := createCasebook(f.path, func(b *store.Book) error {
		return b.UpdateSettings(set, casebook.SettingCommunity, casebook.SettingTerm)
	})
	if err != nil {
		widgets.SetErr(f.msg, words.ErrorMessage(err)+" ("+words.ErrorDetail(err)+")")
		return
	}
	f.o.Start(f.path, book)
}

// createCasebook makes a new casebook at path, which must not exist, fills
// it with fill, and returns it open. If anything fails, the new file is
// removed again: nothing is left half made.
func createCasebook(path string, fill func(*store.Book) error) (*store.Book, error) {
	if _, err := os.Lstat(path); err == nil {
		return nil, fs.ErrExist
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	bo, err := store.OpenBolt(path)
	if err != nil {
		return nil, err
	}
	set, _ := bo.Settings()
	book, err := store.NewBook(bo, set.Term.Secretary, nil)
	if err == nil {
		err = fill(book)
	}
	if err != nil {
		_ = bo.Close()
		_ = os.Remove(path)
		return nil, err
	}
	if set2, _ := bo.Settings(); set2.Term.Secretary != set.Term.Secretary {
		// Record later steps as the secretary just entered.
		_ = book.Close()
		if bo, err = store.OpenBolt(path); err != nil {
			return nil, err
		}
		if book, err = store.NewBook(bo, set2.Term.Secretary, nil); err != nil {
			_ = bo.Close()
			return nil, err
		}
	}
	return book, nil
}

// loadDemo builds the demo casebook beside path and moves it into place
// only when complete (as `casebook demo` does), in the background.
func (f *firstStart) loadDemo() {
	// The demo is a casebook of its own beside the one to be made, never
	// at its place: a cadre who tries the demo first still gets a first
	// start for the real casebook (台账 › 新建台账), and nothing of the demo
	// can end up in the real one.
	path := DemoPath(filepath.Dir(f.path))
	f.createBtn.Disable()
	f.demoBtn.Disable()
	f.otherBtn.Disable()
	f.busy.Show()
	f.busy.Start()
	widgets.SetErr(f.msg, "")
	done := func(err error) {
		f.busy.Stop()
		f.busy.Hide()
		f.createBtn.Enable()
		f.demoBtn.Enable()
		f.otherBtn.Enable()
		if err != nil {
			widgets.SetErr(f.msg, words.ErrorMessage(err)+" ("+words.ErrorDetail(err)+")")
		} else {
			f.o.Open(path)
		}
		if f.o.OnDemo != nil {
			f.o.OnDemo(err)
		}
	}
	guard.Go(func() {
		err := writeDemo(path)
		fyne.Do(guard.Func(func() { done(err) }))
	})
}

// DemoFileBase is the name the demo casebook is written under (示例台账.db,
// 示例台账-2.db …): the name says it is an example.
const DemoFileBase = "示例台账"

// DemoPath is a new file for the demo casebook in dir.
func DemoPath(dir string) string { return screen.FreeName(dir, DemoFileBase, ".db") }

// IsDemo reports whether a casebook is the demo: the demo community, in a
// file named as the demo is written. Its window says so.
func IsDemo(path string, set casebook.Settings) bool {
	return set.Community.Name == demo.DefaultCommunity || strings.HasPrefix(filepath.Base(path), DemoFileBase)
}

// writeDemo writes the demo casebook at path, which must not exist.
func writeDemo(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fs.ErrExist
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	tmp := filepath.Join(dir, "."+filepath.Base(path)+".demo-"+hex.EncodeToString(rnd[:]))
	defer os.Remove(tmp)
	bo, err := store.OpenBolt(tmp)
	if err != nil {
		return err
	}
	b, err := store.NewBook(bo, demo.Secretary, nil)
	if err != nil {
		_ = bo.Close()
		return err
	}
	_, err = demo.Generate(b, demo.Options{Seed: 1, Now: time.Now()})
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	// A hard link publishes the file only if nothing is there yet.
	return os.Link(tmp, path)
}

// defaultTerm is the term the first-start form offers: from the first of
// this month for a year, so that it includes today (the demo's term, which
// ends in October, did not in November and December).
func defaultTerm(now time.Time) (start, end casebook.Date) {
	d := casebook.DateOf(now)
	start = casebook.Date{Year: d.Year, Month: d.Month, Day: 1}
	end = casebook.DateOf(start.Time().AddDate(1, 0, 0)).AddDays(-1)
	return start, end
}
