package appeals

import (
	"cmp"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/ui/guard"
	"casebook/ui/screen"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// The appeals ledger (诉求台账): every case in a virtualised table.
//
// Speed with 100,000 cases comes from three rules. The table draws only the
// rows on screen (widget.Table's length/create/update callbacks) and the
// update callback only reads a prepared slice, rows, and a few cached
// strings: no store access, no translation look-up, no allocation when a
// cell already shows its text. A filter or search change scans one
// in-memory slice, all, once, and refills rows in place. And all is taken
// from the index and sorted only when the casebook or the sort order
// changed, so filtering keeps the sort for free.

// Ledger columns, in display order.
const (
	colNumber = iota
	colReceived
	colChannel
	colCategory
	colBuilding
	colSummary
	colHandler
	colStatus
	colDeadline
	numCols
)

// colWidths are the columns' widths; the summary column's is a minimum; it
// takes whatever width the others leave (fillLayout).
var colWidths = [numCols]float32{108, 130, 100, 96, 66, 110, 62, 80, 102}

var colFields = [numCols]string{
	casebook.FieldNumber, casebook.FieldReceived, casebook.FieldChannel, casebook.FieldCategory,
	casebook.FieldBuilding, casebook.FieldSummary, casebook.FieldHandler, "status", "deadline",
}

// Status filter values besides the status codes.
const (
	statusAny  = ""
	statusOpen = "open"
)

// ledger holds the ledger's filter, sort and rows across visits, so that
// going to a case and back keeps them (and the scroll position).
type ledger struct {
	a *Section

	// Filter state, kept as codes so it survives a change of language.
	status    string // statusAny, statusOpen or a casebook.Status
	category  string
	channel   casebook.Channel
	building  string
	overdue   bool
	periodKey string
	text      string

	sortCol  int
	sortDesc bool
	quiet    bool // set while widgets are being set up: their callbacks must not filter

	all     []*casebook.Summary // the whole casebook in sort order
	allGen  uint64
	allSort [2]int // sortCol, sortDesc of all
	rows    []*casebook.Summary
	now     time.Time

	// The view, built once per language.
	view       fyne.CanvasObject
	table      *widget.Table
	search     *widget.Entry
	count      *widget.Label
	empty      *widget.Label
	statusSel  *widget.Select
	catSel     *widget.Select
	chanSel    *widget.Select
	bldSel     *widget.Select
	periodSel  *widget.Select
	overdueChk *widget.Check

	statusChoice words.Choice[string]
	chanChoice   words.Choice[casebook.Channel]
	periods      []words.Period
	buildings    []string

	// Per-view caches that keep the cell callback free of look-ups.
	statusNames  map[casebook.Status]string
	channelNames map[casebook.Channel]string
	timeText     map[int64]string // unix minute → "2006-01-02 15:04"
	dueText      map[int64]string // unix minute → deadline text
	cut          map[fitKey]string
	widths       [numCols]float32 // as shown (0: given way)
	full         [numCols]float32 // as measured
	textSize     float32
	glyphs       glyphWidths
	cellLayout   *cellLayout
	cellsMade    int // cells the table asked for: only enough for the rows on screen
	tint         color.Color
	fg, danger   color.Color
	warn         color.Color
}

func newLedger(a *Section) *ledger {
	return &ledger{a: a, sortCol: colReceived, sortDesc: true, periodKey: words.PeriodAll, allGen: ^uint64(0)}
}

// dropView forgets the widgets (after a change of language or theme); the
// filter and sort stay.
func (l *ledger) dropView() { l.view = nil }

// content returns the ledger view, building it if needed, with fresh rows.
func (l *ledger) content() fyne.CanvasObject {
	if l.view == nil {
		l.build()
	}
	l.refresh()
	return l.view
}

func (l *ledger) build() {
	a := l.a
	l.quiet = true
	defer func() { l.quiet = false }()
	l.statusNames = map[casebook.Status]string{}
	for _, s := range casebook.Statuses() {
		l.statusNames[s] = words.StatusName(s)
	}
	l.channelNames = map[casebook.Channel]string{}
	for _, c := range casebook.Channels() {
		l.channelNames[c] = words.ChannelName(c)
	}
	l.timeText = map[int64]string{}
	l.dueText = map[int64]string{}
	l.cut = map[fitKey]string{}
	l.textSize = theme.TextSize()
	l.widths = l.measureColumns()
	l.full = l.widths
	l.glyphs = measureGlyphs(l.textSize)
	l.cellLayout = &cellLayout{textH: fyne.MeasureText("国Mg", l.textSize, fyne.TextStyle{}).Height}
	l.tint = tinted(theme.Color(theme.ColorNameError), 0x30)
	l.fg = theme.Color(theme.ColorNameForeground)
	l.danger = theme.Color(theme.ColorNameError)
	l.warn = theme.Color(theme.ColorNameWarning)

	l.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(l.rows), numCols },
		l.createCell,
		guard.Func2(l.updateCell),
	)
	l.table.ShowHeaderColumn = false
	l.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		b.IconPlacement = widget.ButtonIconTrailingText
		return b
	}
	l.table.UpdateHeader = guard.Func2(func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		col := id.Col
		if col < 0 || col >= numCols {
			return
		}
		if l.widths[col] == 0 { // given way (fillLayout): nothing drawn
			b.SetText("")
			b.SetIcon(nil)
			b.Hide()
			return
		}
		b.Show()
		b.SetText(words.FieldName(colFields[col]))
		switch {
		case col != l.sortCol:
			b.SetIcon(nil)
		case l.sortDesc:
			b.SetIcon(theme.MenuDropDownIcon())
		default:
			b.SetIcon(theme.MenuDropUpIcon())
		}
		b.OnTapped = guard.Func(func() { l.sortBy(col) })
	})
	for i, w := range l.widths {
		l.table.SetColumnWidth(i, w)
	}
	l.table.OnSelected = guard.Func1(func(id widget.TableCellID) {
		l.table.UnselectAll()
		if id.Row >= 0 && id.Row < len(l.rows) {
			a.Nav.OpenCase(l.rows[id.Row].ID)
		}
	})

	l.search = widget.NewEntry()
	l.search.SetPlaceHolder(lang.X("ledger.search", "Search number, work order, summary, building, handler… (Ctrl+F)"))
	l.search.SetText(l.text)
	l.search.OnChanged = guard.Func1(func(s string) {
		l.text = s
		l.apply()
	})

	set := a.Settings()
	l.statusChoice = words.Choice[string]{
		Codes: []string{statusAny, statusOpen},
		Names: []string{lang.X("ledger.status.any", "All statuses"), lang.X("ledger.status.open", "Open (not closed out)")},
	}
	for _, s := range casebook.Statuses() {
		l.statusChoice.Codes = append(l.statusChoice.Codes, string(s))
		l.statusChoice.Names = append(l.statusChoice.Names, l.statusNames[s])
	}
	l.statusSel = widgets.NewSelect(l.statusChoice.Names, func(string) {
		l.status = l.statusChoice.Code(l.statusSel.SelectedIndex())
		l.apply()
	})
	l.statusSel.SetSelectedIndex(max(0, l.statusChoice.Index(l.status)))

	cats := append([]string{lang.X("ledger.category.any", "All categories")}, set.Categories...)
	l.catSel = widgets.NewSelect(cats, func(string) {
		if i := l.catSel.SelectedIndex(); i > 0 {
			l.category = cats[i]
		} else {
			l.category = ""
		}
		l.apply()
	})
	l.catSel.SetSelectedIndex(max(0, slices.Index(cats[1:], l.category)+1))
	if l.category == "" {
		l.catSel.SetSelectedIndex(0)
	}

	l.chanChoice = words.NewChoice(append([]casebook.Channel{""}, casebook.Channels()...), func(c casebook.Channel) string {
		if c == "" {
			return lang.X("ledger.channel.any", "All channels")
		}
		return l.channelNames[c]
	})
	l.chanSel = widgets.NewSelect(l.chanChoice.Names, func(string) {
		l.channel = l.chanChoice.Code(l.chanSel.SelectedIndex())
		l.apply()
	})
	l.chanSel.SetSelectedIndex(max(0, l.chanChoice.Index(l.channel)))

	l.buildings = buildingList(set.Community.Buildings, a.Book.Store().Index().Snapshot())
	blds := append([]string{lang.X("ledger.building.any", "All buildings")}, l.buildings...)
	l.bldSel = widgets.NewSelect(blds, func(string) {
		if i := l.bldSel.SelectedIndex(); i > 0 {
			l.building = blds[i]
		} else {
			l.building = ""
		}
		l.apply()
	})
	l.bldSel.SetSelectedIndex(max(0, slices.Index(blds[1:], l.building)+1))
	if l.building == "" {
		l.bldSel.SetSelectedIndex(0)
	}

	l.periods = words.Periods(a.Now(), set.Term)
	l.periodSel = widgets.NewSelect(words.PeriodNames(l.periods), func(string) {
		i := l.periodSel.SelectedIndex()
		if i >= 0 && i < len(l.periods) {
			l.periodKey = l.periods[i].Key
		}
		l.apply()
	})
	_, pi := words.PeriodByKey(l.periods, l.periodKey)
	l.periodSel.SetSelectedIndex(pi)

	l.overdueChk = widget.NewCheck(lang.X("ledger.overdue", "Overdue only"), guard.Func1(func(b bool) {
		l.overdue = b
		l.apply()
	}))
	l.overdueChk.SetChecked(l.overdue)

	clear := widget.NewButtonWithIcon(lang.X("ledger.clear", "Clear filters"), theme.ContentClearIcon(), guard.Func(l.clearFilters))
	clear.Importance = widget.LowImportance
	newBtn := widget.NewButtonWithIcon(lang.X("ledger.new", "New appeal (Ctrl+N)"), theme.ContentAddIcon(), guard.Func(a.Nav.NewAppeal))
	newBtn.Importance = widget.HighImportance

	l.count = widget.NewLabel("")
	l.empty = widget.NewLabel(lang.X("ledger.empty", "No appeals match these filters."))
	l.empty.Alignment = fyne.TextAlignCenter
	l.empty.Hide()

	exportBtn := widget.NewButtonWithIcon(lang.X("ledger.export", "Export"), theme.DownloadIcon(), guard.Func(a.exportDialog))
	importBtn := widget.NewButtonWithIcon(lang.X("ledger.import", "Import 12345 orders"), theme.UploadIcon(), guard.Func(a.importDialog))
	top := container.NewBorder(nil, nil, nil, container.NewHBox(importBtn, exportBtn, newBtn), l.search)
	filters := container.NewGridWithColumns(5, l.statusSel, l.catSel, l.chanSel, l.bldSel, l.periodSel)
	under := container.NewBorder(nil, nil, container.NewHBox(l.overdueChk, clear), nil, l.count)
	l.view = container.NewBorder(container.NewVBox(top, filters, under), nil, nil, nil,
		container.New(&fillLayout{l: l}, l.table, container.NewCenter(l.empty)))
}

// measureColumns widens the default column widths where the current
// language needs it: to fit the header (with its sort icon), and for the
// status and channel columns, whose values are a known set of names, the
// longest name (up to a cap, so that English leaves the summary room).
func (l *ledger) measureColumns() [numCols]float32 {
	w := colWidths
	pad := theme.Padding()
	text := func(s string) float32 { return fyne.MeasureText(s, l.textSize, fyne.TextStyle{}).Width }
	for i := range w {
		if h := text(words.FieldName(colFields[i])) + 4*pad; h > w[i] && i != colSummary {
			w[i] = h
		}
	}
	widest := func(names []string, limit float32) float32 {
		m := float32(0)
		for _, n := range names {
			m = max(m, text(n)+4*pad)
		}
		return min(m, limit)
	}
	var sn, cn []string
	for _, n := range l.statusNames {
		sn = append(sn, n)
	}
	for _, n := range l.channelNames {
		cn = append(cn, n)
	}
	w[colStatus] = max(w[colStatus], widest(sn, 150))
	w[colChannel] = max(w[colChannel], widest(cn, 170))
	return w
}

// fillLayout stacks the table and its empty-state message, and widens the
// summary column to fill the width the other columns leave, so the table
// uses a wide window without scrolling sideways in a narrow one.
type fillLayout struct {
	l *ledger
}

func (f *fillLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	l := f.l
	if l.table == nil {
		return
	}
	// The vertical scroll bar and the separators between columns.
	avail := size.Width - theme.Size(theme.SizeNameScrollBar) - float32(numCols)*theme.Size(theme.SizeNameSeparatorThickness) - 2
	widths := l.full
	// In a narrow window the summary stays readable: the columns of least
	// use give way, one by one, before it gets narrower than readable.
	used := func() float32 {
		u := float32(0)
		for i, w := range widths {
			if i != colSummary {
				u += w
			}
		}
		return u
	}
	for _, c := range giveWay {
		if avail-used() >= minSummary {
			break
		}
		widths[c] = 0
	}
	widths[colSummary] = max(avail-used(), colWidths[colSummary])
	refresh := false
	for i, w := range widths {
		if w != l.widths[i] {
			l.widths[i] = w
			clear(l.cut) // cut for the old width
			l.table.SetColumnWidth(i, w)
			refresh = true
		}
	}
	if refresh {
		l.table.Refresh() // cells and headers of columns given way or back
	}
}

// minSummary is the narrowest the summary column gets while other columns
// can give way; giveWay lists those, the least needed first (the handler,
// then the channel, then the time received: the number, the status and the
// deadline stay).
const minSummary = 260

var giveWay = []int{colHandler, colChannel, colReceived, colCategory}

func (f *fillLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// tinted returns c with alpha a, for a background that keeps text readable
// in the light and the dark theme.
func tinted(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

// Table cells are a tint rectangle and a canvas.Text, not a widget.Label:
// changing a Label's text re-shapes it (about 900 allocations, 2,000 with
// ellipsis truncation), while a canvas.Text only records the new string and
// the painter draws it from its glyph cache. The text is cut to the
// column's width here, with an estimate that needs no shaping (cellFit).

// cellLayout places a cell's tint over the whole cell and its text, padded,
// at the left and vertically centred. textH is the line height, measured
// once, so that laying out a cell measures no text.
type cellLayout struct{ textH float32 }

func (c *cellLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(size)
	pad := theme.Padding()
	objs[1].Move(fyne.NewPos(2*pad, (size.Height-c.textH)/2))
	objs[1].Resize(fyne.NewSize(size.Width-3*pad, c.textH))
}

func (c *cellLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(40, c.textH+3*theme.Padding())
}

func (l *ledger) createCell() fyne.CanvasObject {
	l.cellsMade++
	t := canvas.NewText("", l.fg)
	t.TextSize = l.textSize
	bg := canvas.NewRectangle(color.Transparent)
	return container.New(l.cellLayout, bg, t)
}

// updateCell fills one cell from rows. It runs for every cell scrolled into
// view, so it reads only prepared data, allocates nothing for text already
// seen, and refreshes only what changed.
func (l *ledger) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row < 0 || id.Row >= len(l.rows) || id.Col < 0 || id.Col >= numCols {
		return
	}
	s := l.rows[id.Row]
	c := o.(*fyne.Container)
	bg := c.Objects[0].(*canvas.Rectangle)
	txt := c.Objects[1].(*canvas.Text)
	overdue := s.Overdue(l.now)
	var fill color.Color = color.Transparent
	if overdue {
		fill = l.tint
	}
	if bg.FillColor != fill {
		bg.FillColor = fill
		bg.Refresh()
	}
	if l.widths[id.Col] == 0 { // given way (fillLayout): nothing drawn
		fill = color.Transparent
		if bg.FillColor != fill {
			bg.FillColor = fill
			bg.Refresh()
		}
		if txt.Text != "" {
			txt.Text = ""
			txt.Refresh()
		}
		return
	}
	text, imp := l.cellText(s, id.Col, overdue)
	text = l.fit(text, id.Col)
	col := l.fg
	switch imp {
	case widget.DangerImportance:
		col = l.danger
	case widget.WarningImportance:
		col = l.warn
	}
	if txt.Text != text || txt.Color != col {
		txt.Text = text
		txt.Color = col
		txt.Refresh()
	}
}

// fit cuts text to the width of a column, with an ellipsis, through a cache
// so that a row scrolled back into view allocates nothing.
func (l *ledger) fit(text string, col int) string {
	width := l.widths[col] - 3*theme.Padding()
	if l.glyphs.fits(text, width) {
		return text
	}
	k := fitKey{text, col}
	if s, ok := l.cut[k]; ok {
		return s
	}
	if len(l.cut) > 1<<14 {
		clear(l.cut)
	}
	s := l.glyphs.cut(text, width)
	l.cut[k] = s
	return s
}

type fitKey struct {
	text string
	col  int
}

// glyphWidths are advances measured once per view, from which a text's
// width is estimated without shaping it: Chinese and full-width forms are
// square; digits are tabular in Noto Sans; other Latin characters get the
// average of the alphabet, plus a margin so that the estimate errs towards
// cutting.
type glyphWidths struct{ cjk, digit, latin, narrow float32 }

func measureGlyphs(size float32) glyphWidths {
	m := func(s string) float32 {
		return fyne.MeasureText(s, size, fyne.TextStyle{}).Width / float32(len([]rune(s)))
	}
	return glyphWidths{
		cjk:    m("国国国国国国国国国国"),
		digit:  m("0123456789"),
		latin:  m("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") * 1.1,
		narrow: m(" .,:;-()/") * 1.1,
	}
}

func (g *glyphWidths) rune(r rune) float32 {
	switch {
	case r >= 0x2e80:
		return g.cjk
	case r >= '0' && r <= '9':
		return g.digit
	case r == ' ' || r == '.' || r == ',' || r == ':' || r == ';' || r == '-' || r == '(' || r == ')' || r == '/':
		return g.narrow
	}
	return g.latin
}

func (g *glyphWidths) fits(text string, width float32) bool {
	w := float32(0)
	for _, r := range text {
		if w += g.rune(r); w > width {
			return false
		}
	}
	return true
}

// cut shortens text to width, ending in "…".
func (g *glyphWidths) cut(text string, width float32) string {
	ell := g.latin
	w := float32(0)
	for i, r := range text {
		if w+g.rune(r)+ell > width {
			return text[:i] + "…"
		}
		w += g.rune(r)
	}
	return text
}

// cellText is the text of a column for a case, and its emphasis.
func (l *ledger) cellText(s *casebook.Summary, col int, overdue bool) (string, widget.Importance) {
	switch col {
	case colNumber:
		if s.Conflicts > 0 {
			return s.Number + " !", widget.WarningImportance
		}
		return s.Number, widget.MediumImportance
	case colReceived:
		return l.minute(s.Received), widget.MediumImportance
	case colChannel:
		if n, ok := l.channelNames[s.Channel]; ok {
			return n, widget.MediumImportance
		}
		return string(s.Channel), widget.MediumImportance
	case colCategory:
		return s.Category, widget.MediumImportance
	case colBuilding:
		return s.Building, widget.MediumImportance
	case colSummary:
		return s.Summary, widget.MediumImportance
	case colHandler:
		return s.Handler, widget.MediumImportance
	case colStatus:
		if n, ok := l.statusNames[s.Status]; ok {
			return n, widget.MediumImportance
		}
		return string(s.Status), widget.MediumImportance
	case colDeadline:
		_, t := s.Next()
		if t.IsZero() {
			return "", widget.MediumImportance
		}
		if overdue {
			return l.deadline(t), widget.DangerImportance
		}
		return l.deadline(t), widget.MediumImportance
	}
	return "", widget.MediumImportance
}

// minute formats a time to the minute through a cache, so that scrolling
// back over rows already seen allocates nothing.
func (l *ledger) minute(t time.Time) string {
	k := t.Unix() / 60
	if s, ok := l.timeText[k]; ok {
		return s
	}
	if len(l.timeText) > 1<<16 {
		clear(l.timeText)
	}
	s := words.FmtTime(t)
	l.timeText[k] = s
	return s
}

// deadline formats a deadline through a cache (see minute).
func (l *ledger) deadline(t time.Time) string {
	k := t.Unix() / 60
	if s, ok := l.dueText[k]; ok {
		return s
	}
	if len(l.dueText) > 1<<16 {
		clear(l.dueText)
	}
	s := words.FmtDeadline(t)
	l.dueText[k] = s
	return s
}

// filter is the casebook.Filter of the current choices, as of now. The
// search reads summaries, numbers, buildings and categories only; a search
// by a caller's phone or name goes through CallerLookup (section.go) once
// the privacy work provides it.
func (l *ledger) filter() casebook.Filter {
	f := casebook.Filter{Text: l.text, Overdue: l.overdue}
	switch l.status {
	case statusAny:
	case statusOpen:
		f.Open = true
	default:
		f.Statuses = []casebook.Status{casebook.Status(l.status)}
	}
	if l.category != "" {
		f.Categories = []string{l.category}
	}
	if l.channel != "" {
		f.Channels = []casebook.Channel{l.channel}
	}
	if l.building != "" {
		f.Buildings = []string{l.building}
	}
	if l.periodKey != words.PeriodAll && l.periods != nil {
		p, _ := words.PeriodByKey(l.periods, l.periodKey)
		f.From, f.To = p.From, p.To
	}
	return f
}

// refresh re-reads the casebook if it changed and re-applies the filter.
func (l *ledger) refresh() {
	l.load()
	l.apply()
}

// load takes the index's snapshot and sorts it, if the casebook or the sort
// changed since the last time.
func (l *ledger) load() {
	key := [2]int{l.sortCol, 0}
	if l.sortDesc {
		key[1] = 1
	}
	if l.all != nil && l.allGen == l.a.Gen() && l.allSort == key {
		return
	}
	all := l.a.Book.Store().Index().Snapshot() // newest received first
	if l.sortCol != colReceived || !l.sortDesc {
		sortSummaries(all, l.sortCol, l.sortDesc, l.channelNames)
	}
	l.all, l.allGen, l.allSort = all, l.a.Gen(), key
}

// apply filters all into rows and refreshes the table: one pass over the
// slice, rows reused in place.
func (l *ledger) apply() {
	if l.table == nil || l.quiet {
		return
	}
	l.load()
	l.now = l.a.Now()
	m := l.filter().Prepare(l.now)
	rows := l.rows[:0]
	for _, s := range l.all {
		if m.Match(s) {
			rows = append(rows, s)
		}
	}
	clear(rows[len(rows):cap(rows)]) // let dropped summaries be collected
	l.rows = rows
	l.count.SetText(lang.X("ledger.count", "{{.Shown}} of {{.Total}} appeals", map[string]any{
		"Shown": words.FmtInt(len(rows)), "Total": words.FmtInt(len(l.all))}))
	if len(rows) == 0 {
		l.empty.Show()
	} else {
		l.empty.Hide()
	}
	l.table.Refresh()
}

// sortBy sorts by a column; a second click reverses the order.
func (l *ledger) sortBy(col int) {
	if col == l.sortCol {
		l.sortDesc = !l.sortDesc
	} else {
		l.sortCol = col
		// Times read best newest first, names A to Z.
		l.sortDesc = col == colReceived
	}
	l.apply()
	l.table.ScrollToTop()
}

// clearFilters resets every filter and the search.
func (l *ledger) clearFilters() {
	l.status, l.category, l.channel, l.building, l.overdue, l.periodKey, l.text = statusAny, "", "", "", false, words.PeriodAll, ""
	if l.view != nil {
		// Setting the widgets calls their callbacks; filter once, below.
		l.quiet = true
		l.statusSel.SetSelectedIndex(0)
		l.catSel.SetSelectedIndex(0)
		l.chanSel.SetSelectedIndex(0)
		l.bldSel.SetSelectedIndex(0)
		l.periodSel.SetSelectedIndex(0)
		l.overdueChk.SetChecked(false)
		l.search.SetText("")
		l.quiet = false
	}
	l.apply()
}

func (l *ledger) focusSearch() {
	if l.search != nil {
		l.a.Win.Canvas().Focus(l.search)
	}
}

// sortSummaries sorts by a ledger column, ties by received (newest first)
// then id, so the order is the same every time. Each case's sort key is
// worked out once (a building's number parsed, a deadline found) and the
// keys are sorted, not the cases compared field by field: with 100,000
// cases that is the difference between a fifth of a second and a fiftieth.
func sortSummaries(ss []*casebook.Summary, col int, desc bool, channelNames map[casebook.Channel]string) {
	type keyed struct {
		s    *casebook.Summary
		num  int64 // numeric key (time, building number, status order)
		text string
	}
	order := map[casebook.Status]int64{}
	for i, st := range casebook.Statuses() {
		order[st] = int64(i)
	}
	ks := make([]keyed, len(ss))
	for i, s := range ss {
		k := keyed{s: s}
		switch col {
		case colNumber:
			k.text = s.Number
		case colReceived:
			k.num = s.Received.UnixNano()
		case colChannel:
			k.text = channelNames[s.Channel]
		case colCategory:
			k.text = s.Category
		case colBuilding:
			n, rest := leadingNumber(s.Building)
			if n < 0 {
				n = math.MaxInt32 // unnumbered buildings after the numbered ones
				rest = s.Building
			}
			k.num, k.text = int64(n), rest
		case colSummary:
			k.text = s.Summary
		case colHandler:
			k.text = s.Handler
		case colStatus:
			k.num = order[s.Status]
		case colDeadline:
			// No deadline pending sorts last whichever the direction.
			if _, due := s.Next(); due.IsZero() {
				k.num = math.MaxInt64
				if desc {
					k.num = math.MinInt64
				}
			} else {
				k.num = due.UnixNano()
			}
		default:
			return
		}
		ks[i] = k
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		c := cmp.Compare(a.num, b.num)
		if c == 0 {
			c = cmp.Compare(a.text, b.text)
		}
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		if c := b.s.Received.Compare(a.s.Received); c != 0 {
			return c
		}
		return cmp.Compare(b.s.ID, a.s.ID)
	})
	for i := range ks {
		ss[i] = ks[i].s
	}
}

// naturalCompare orders "2号楼" before "10号楼": a leading number compares
// by value, the rest as text.
func naturalCompare(a, b string) int {
	na, ra := leadingNumber(a)
	nb, rb := leadingNumber(b)
	if na >= 0 && nb >= 0 && na != nb {
		return cmp.Compare(na, nb)
	}
	if (na >= 0) != (nb >= 0) {
		if na >= 0 {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(ra, rb); c != 0 {
		return c
	}
	return cmp.Compare(a, b)
}

func leadingNumber(s string) (int, string) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i > 9 {
		return -1, s
	}
	n, _ := strconv.Atoi(s[:i])
	return n, s[i:]
}

// buildingList is the pick-list of buildings: the community's list from
// settings and any other building the casebook's appeals name, in natural
// order.
func buildingList(configured []string, all []*casebook.Summary) []string {
	seen := map[string]bool{}
	var out []string
	for _, b := range configured {
		if b = strings.TrimSpace(b); b != "" && !seen[b] {
			seen[b] = true
			out = append(out, b)
		}
	}
	for _, s := range all {
		if s.Building != "" && !seen[s.Building] {
			seen[s.Building] = true
			out = append(out, s.Building)
		}
	}
	slices.SortFunc(out, naturalCompare)
	return out
}

// setFilter replaces the filters with f (the search is cleared) and drops
// the view, which is built again from them.
func (l *ledger) setFilter(f screen.LedgerFilter) {
	l.status, l.text = statusAny, ""
	l.category, l.building, l.channel, l.overdue = f.Category, f.Building, f.Channel, f.Overdue
	l.periodKey = words.PeriodAll
	if f.PeriodKey != "" {
		l.periodKey = f.PeriodKey
	}
	l.view = nil
}
