package xlsx

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"casebook/casebook"
	"casebook/casebook/store"
)

// Target is what Import reads from and writes to. BookTarget adapts a
// *store.Book.
type Target interface {
	Settings() casebook.Settings
	// FindByWorkOrder returns the case with a 12345 work-order number.
	FindByWorkOrder(wo string) (*casebook.Summary, bool)
	// Case returns a copy of a case's full view.
	Case(id string) (*casebook.Case, error)
	// NextNumber proposes the human number of a new case received at t
	// ("20260315-007"); Import numbers further cases of the same day on
	// from it.
	NextNumber(t time.Time) string
	// Author makes the operations: this device's origin, the person, and the
	// clock the casebook itself uses.
	Author() *casebook.Author
	// Apply stores the operations in one transaction, all or nothing.
	Apply(ops ...casebook.Op) error
}

// BatchTarget is a Target that plans and applies an import with no other
// write landing in between, so that a work order checked as new cannot be
// added meanwhile (by another import, or by hand) and end up in the
// casebook twice. BookTarget is one. ImportInto plans inside Batch unless
// it is a dry run.
type BatchTarget interface {
	Target
	// Batch calls plan, which reads the target (FindByWorkOrder, Case,
	// NextNumber) and makes the operations, and applies the operations it
	// returns in one transaction, all or nothing, with no other write in
	// between. An error of plan is returned and nothing is applied.
	Batch(plan func() ([]casebook.Op, error)) error
}

// A Book (a casebook open in the app) and a Reader (a casebook file read
// from disk) are what Export reads, with their disputes.
var (
	_ Source        = (*store.Book)(nil)
	_ Source        = (*store.Reader)(nil)
	_ DisputeSource = (*store.Reader)(nil)
)

// BookTarget adapts a Book for Import: operations are authored with the
// book's clock and device as actor (the person importing), and planned and
// applied in one transaction under the book's write lock
// (Book.ApplyBatch). The Target it returns is a BatchTarget.
func BookTarget(b *store.Book, actor string, now func() time.Time) Target {
	if now == nil {
		now = time.Now
	}
	return &bookTarget{b: b, author: &casebook.Author{Origin: b.Store().Device(), Actor: actor, Clock: b.Clock(), Now: now}}
}

type bookTarget struct {
	b      *store.Book
	author *casebook.Author
	number func(time.Time) string // the book's numbering, during Batch
}

func (t *bookTarget) Settings() casebook.Settings { return t.b.Settings() }
func (t *bookTarget) FindByWorkOrder(wo string) (*casebook.Summary, bool) {
	return t.b.FindByWorkOrder(wo)
}
func (t *bookTarget) Case(id string) (*casebook.Case, error) { return t.b.Store().Case(id) }
func (t *bookTarget) List(f casebook.Filter, now time.Time) []*casebook.Summary {
	return t.b.List(f, now)
}
func (t *bookTarget) Author() *casebook.Author { return t.author }
func (t *bookTarget) NextNumber(at time.Time) string {
	if t.number != nil {
		return t.number(at)
	}
	return t.b.Store().Index().NextNumber(at)
}
func (t *bookTarget) Apply(ops ...casebook.Op) error {
	_, err := t.b.Merge(ops...)
	return err
}

// Batch plans and applies under the book's write lock. The operations are
// authored as the person importing (t.author: the book's device and clock),
// not as the book's own person.
func (t *bookTarget) Batch(plan func() ([]casebook.Op, error)) error {
	_, err := t.b.ApplyBatch(func(_ *casebook.Author, number func(time.Time) string) ([]casebook.Op, error) {
		t.number = number
		defer func() { t.number = nil }()
		return plan()
	})
	return err
}

// ImportOptions says how to import.
type ImportOptions struct {
	DryRun bool      // check and report what would happen; change nothing
	Now    time.Time // the time of the import (time.Now when zero): no appeal can be received after it
	Actor  string    // who imports, recorded in timeline events (Import with a Book)
	// Limits; zero means the default.
	MaxFileBytes  int64 // DefaultMaxFileBytes
	MaxUnzipBytes int64 // DefaultMaxUnzipBytes
	MaxRows       int   // DefaultMaxRows, all sheets together
	// The report meeting of an opinion list (报告会意见清单): its day
	// (and time) and place, when the title above the header does not say.
	MeetingDate  time.Time
	MeetingPlace string
}

// Problem is one thing wrong with a file, where it is and what was expected.
type Problem struct {
	Sheet      string `json:"sheet"`
	Row        int    `json:"row,omitempty"`    // Excel row number (1-based); 0: the sheet as a whole
	Column     string `json:"column,omitempty"` // column letter, "C"
	Header     string `json:"header,omitempty"` // the sheet's header of that column, "受理时间"
	Value      string `json:"value,omitempty"`  // what the cell holds
	Expected   string `json:"expected"`         // what was expected (English, for the CLI and logs)
	ExpectedZh string `json:"expected_zh"`      // the same in Chinese, for the UI
}

// String is "派单!C7 受理时间 "2026-13-01": expected a date ...".
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Sheet)
	if p.Row > 0 {
		b.WriteString("!")
		b.WriteString(p.Column)
		b.WriteString(strconv.Itoa(p.Row))
	}
	if p.Header != "" {
		b.WriteString(" ")
		b.WriteString(p.Header)
	}
	if p.Value != "" {
		fmt.Fprintf(&b, " %q", clipRunes(p.Value, 60))
	}
	b.WriteString(": ")
	b.WriteString(p.Expected)
	return b.String()
}

// Item actions in a report.
const (
	ActionNew       = "new"       // a new appeal
	ActionUpdated   = "updated"   // blanks of a known appeal filled in from the sheet
	ActionUnchanged = "unchanged" // already in the casebook as the sheet says
	ActionEvaluate  = "evaluate"  // a callback recorded on a known appeal
	ActionResolve   = "resolve"   // a handling result (办结) recorded on a known appeal
)

// Item is what happens to one row, for the preview.
type Item struct {
	Sheet     string    `json:"sheet"`
	Row       int       `json:"row"`
	WorkOrder string    `json:"workorder"`
	Action    string    `json:"action"`
	Number    string    `json:"number,omitempty"` // the case's number (new: the one it will get)
	Received  time.Time `json:"received,omitzero"`
	Summary   string    `json:"summary,omitempty"`
	Category  string    `json:"category,omitempty"`
	Urgency   string    `json:"urgency,omitempty"`
	// Evaluation of a callback row, or its outcome without a verdict.
	Solved       casebook.Solved       `json:"solved,omitempty"`
	Satisfaction casebook.Satisfaction `json:"satisfaction,omitempty"`
	Callback     casebook.Callback     `json:"callback,omitempty"`
	Note         string                `json:"note,omitempty"`
}

// SheetReport says how a sheet was read.
type SheetReport struct {
	Name      string            `json:"name"`
	Kind      string            `json:"kind,omitempty"`       // "" if the sheet was skipped (no header)
	HeaderRow int               `json:"header_row,omitempty"` // Excel row number
	Columns   map[string]string `json:"columns,omitempty"`    // canonical column → the sheet's header
	Rows      int               `json:"rows"`                 // data rows read
	Ignored   int               `json:"ignored,omitempty"`    // rows with fewer than two cells filled (notes, totals)
}

// CategoryMapping is how a 12345 classification was filed.
type CategoryMapping struct {
	From    string `json:"from"`    // as in the sheet
	To      string `json:"to"`      // the casebook's category
	Known   bool   `json:"known"`   // false: not recognized, filed under the fallback and flagged
	Appeals int    `json:"appeals"` // new appeals with it
}

// ImportReport says what an import did, or (dry run, or problems) would do.
type ImportReport struct {
	Kind      string        `json:"kind"` // "workorders", "callbacks", "results", "opinions" or "mixed"
	Sheets    []SheetReport `json:"sheets"`
	Rows      int           `json:"rows"`
	New       int           `json:"new"`
	Updated   int           `json:"updated"` // new: blanks filled; callbacks: evaluations recorded
	Unchanged int           `json:"unchanged"`
	Problems  []Problem     `json:"problems,omitempty"`
	// UnknownCategories are classifications of new appeals that match no
	// category of the casebook. The appeals are imported under the fallback
	// category (其他) with the original kept in their details, for the user
	// to re-file: flagged, not dropped. "（未分类）" stands for rows with no
	// category at all; those are filed by a known word of their text if
	// there is one (停车, 漏水, ...), else under the fallback.
	UnknownCategories []string          `json:"unknown_categories,omitempty"`
	Categories        []CategoryMapping `json:"categories,omitempty"`
	// Notes are remarks that do not stop the import: values of known
	// appeals that differ from the sheet (the casebook's are kept), masked
	// phone numbers left out, text shortened.
	Notes   []Problem `json:"notes,omitempty"`
	Items   []Item    `json:"items,omitempty"`
	DryRun  bool      `json:"dry_run"`
	Applied int       `json:"applied"` // operations written (0 on a dry run or with problems)
}

// Import reads a 12345 work-order or callback workbook into a casebook; see
// ImportInto. actor and now come from opts.
func Import(r io.ReaderAt, size int64, b *store.Book, opts ImportOptions) (ImportReport, error) {
	var now func() time.Time
	if !opts.Now.IsZero() {
		fixed := opts.Now
		now = func() time.Time { return fixed }
	}
	return ImportInto(r, size, BookTarget(b, opts.Actor, now), opts)
}

// ImportInto reads every sheet of the workbook, recognizes 12345 work-order
// sheets (派单) and callback sheets (回访结果) by their header rows, checks
// every row and, if nothing is wrong and this is not a dry run, applies all
// the changes in one transaction. With problems it returns the report (every
// problem listed) and an error wrapping ErrProblems, and changes nothing.
// Files that cannot be read give ErrNotWorkbook, ErrEncrypted, ErrTooLarge,
// ErrTooManyRows or ErrNoHeader.
func ImportInto(r io.ReaderAt, size int64, t Target, opts ImportOptions) (rep ImportReport, err error) {
	defer func() {
		if p := recover(); p != nil { // a malformed part that excelize chokes on
			rep, err = ImportReport{}, fmt.Errorf("%w: the file is damaged (%v)", ErrNotWorkbook, p)
		}
	}()
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.MaxFileBytes <= 0 {
		opts.MaxFileBytes = DefaultMaxFileBytes
	}
	if opts.MaxUnzipBytes <= 0 {
		opts.MaxUnzipBytes = DefaultMaxUnzipBytes
	}
	if opts.MaxRows <= 0 {
		opts.MaxRows = DefaultMaxRows
	}
	f, err := openWorkbook(r, size, &opts)
	if err != nil {
		return ImportReport{}, fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}

	im := &importer{t: t, opts: opts, set: t.Settings(), date1904: date1904, rep: &rep, seen: map[string]*woRow{},
		meetings: map[string]meetingOf{}, cases: map[string]*casebook.Case{}}
	im.rep.DryRun = opts.DryRun
	var orders []*woRow
	var callbacks []*cbRow
	kinds := map[string]bool{}
	for _, name := range f.GetSheetList() {
		sr, wos, cbs, err := im.readSheet(f, name)
		if err != nil {
			return ImportReport{}, fmt.Errorf("import: %w", err)
		}
		im.rep.Sheets = append(im.rep.Sheets, sr)
		if sr.Kind != "" {
			kinds[sr.Kind] = true
		}
		orders = append(orders, wos...)
		callbacks = append(callbacks, cbs...)
	}
	switch len(kinds) {
	case 0:
		names := make([]string, 0, len(rep.Sheets))
		for _, s := range rep.Sheets {
			names = append(names, s.Name)
		}
		return rep, fmt.Errorf("import: %w in sheets %s: a work-order sheet needs columns such as 工单编号, 受理时间 and 诉求内容; a callback sheet 工单编号 and 解决情况 or 满意度; a 办结 sheet 工单编号 and 办理结果 or 回复内容; an opinion list 意见内容",
			ErrNoHeader, strings.Join(names, ", "))
	case 1:
		for k := range kinds {
			rep.Kind = k
		}
	default:
		rep.Kind = "mixed"
	}

	plan := func() []casebook.Op {
		ops := im.planWorkOrders(orders)
		ops = append(ops, im.planOpinions(im.opinions)...)
		ops = append(ops, im.planResults(im.results)...)
		ops = append(ops, im.planCallbacks(callbacks)...)
		sort.Strings(rep.UnknownCategories)
		return ops
	}
	if bt, ok := t.(BatchTarget); ok && !opts.DryRun {
		// Check against the casebook and write with no write in between.
		var ops []casebook.Op
		err := bt.Batch(func() ([]casebook.Op, error) {
			if ops = plan(); len(rep.Problems) > 0 {
				return nil, nil
			}
			return ops, nil
		})
		if len(rep.Problems) > 0 {
			return rep, fmt.Errorf("import: %w: %d problems", ErrProblems, len(rep.Problems))
		}
		if err != nil {
			return rep, fmt.Errorf("import: %w", err)
		}
		rep.Applied = len(ops)
		return rep, nil
	}
	ops := plan()
	if len(rep.Problems) > 0 {
		return rep, fmt.Errorf("import: %w: %d problems", ErrProblems, len(rep.Problems))
	}
	if opts.DryRun || len(ops) == 0 {
		return rep, nil
	}
	if err := t.Apply(ops...); err != nil {
		return rep, fmt.Errorf("import: %w", err)
	}
	rep.Applied = len(ops)
	return rep, nil
}

// importer holds the state of one import.
type importer struct {
	t        Target
	opts     ImportOptions
	set      casebook.Settings
	date1904 bool
	rep      *ImportReport
	seen     map[string]*woRow // work orders of this file, by number
	cats     map[string]*CategoryMapping
	kept     int   // bytes of text kept of the rows read (maxKept)
	over     error // set once kept passes maxKept
	// The rows of 办结 sheets and opinion lists, and the meeting of each
	// opinion list (import_rules.go).
	results  []*resRow
	opinions []*opRow
	meetings map[string]meetingOf
	// cases are the working copies of the cases the file touches, by work
	// order: from the casebook or made by this file, with its steps applied.
	cases map[string]*casebook.Case
}

// keep counts text kept of a row; past maxKept the import stops.
func (im *importer) keep(n int, sheet string) error {
	if im.kept += n; im.kept > maxKept {
		return fmt.Errorf("%w: the sheets hold more than %d MB of text (at sheet %s); split the file", ErrTooLarge, maxKept>>20, sheet)
	}
	return nil
}

// woRow is a work-order row, read and checked.
type woRow struct {
	sheet    string
	row      int
	h        *Header
	in       casebook.CaseInput
	catRaw   string
	catKnown bool
	key      string // the values that make two rows of the same work order the same
	notes    []Problem
}

// cbRow is a callback row, read and checked.
type cbRow struct {
	sheet        string
	row          int
	cols         cellRefs
	wo           string
	solved       casebook.Solved
	satisfaction casebook.Satisfaction
	callback     casebook.Callback // a callback without a verdict (未评价, 未接通, 拒绝评价)
	at           time.Time
	note         string
}

// cellRefs says where a row's columns are, for problems.
type cellRefs struct {
	h *Header
}

func (c cellRefs) letter(col Column) string {
	i, ok := c.h.Cols[col]
	if !ok {
		return ""
	}
	name, _ := excelize.ColumnNumberToName(i + 1)
	return name
}

// problem records a problem with a cell of a row.
func (im *importer) problem(sheet string, row int, h *Header, col Column, value, expected, zh string) {
	p := Problem{Sheet: sheet, Row: row, Value: value, Expected: expected, ExpectedZh: zh}
	if h != nil {
		p.Column = cellRefs{h}.letter(col)
		p.Header = h.Names[col]
		if p.Header == "" {
			p.Header = col.String()
		}
	}
	im.rep.Problems = append(im.rep.Problems, p)
}

// readSheet streams a sheet's rows: finds the header in the first rows,
// then reads and checks every data row. A sheet with more rows than the
// limit is refused as soon as the limit is passed.
func (im *importer) readSheet(f *excelize.File, name string) (SheetReport, []*woRow, []*cbRow, error) {
	sr := SheetReport{Name: name}
	rows, err := f.Rows(name)
	if err != nil {
		if errors.As(err, new(excelize.ErrSheetNotExist)) {
			return sr, nil, nil, nil // a chart sheet or dialog sheet
		}
		return sr, nil, nil, fmt.Errorf("%w: sheet %s: %v", ErrNotWorkbook, name, err)
	}
	defer rows.Close()
	var head [][]string
	var h Header
	found := false
	n := 0
	var wos []*woRow
	var cbs []*cbRow
	for rows.Next() {
		n++
		if n > im.opts.MaxRows {
			return sr, nil, nil, fmt.Errorf("%w: sheet %s has more than %d rows; split it into smaller files", ErrTooManyRows, name, im.opts.MaxRows)
		}
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if errors.Is(err, excelize.ErrMaxRows) {
			return sr, nil, nil, fmt.Errorf("%w: sheet %s: %v", ErrTooManyRows, name, err)
		}
		if err != nil {
			return sr, nil, nil, fmt.Errorf("%w: sheet %s row %d: %v", ErrNotWorkbook, name, n, err)
		}
		if !found {
			head = append(head, cells)
			if len(head) < headerScanRows {
				continue
			}
			if h, found = FindHeader(head); !found {
				return sr, nil, nil, drain(rows, n, im.opts.MaxRows, name)
			}
			im.startSheet(name, &h, head)
			for i := h.Row + 1; i < len(head); i++ {
				wos, cbs = im.readRow(&sr, &h, i+1, head[i], wos, cbs)
			}
			head = nil
			continue
		}
		wos, cbs = im.readRow(&sr, &h, n, cells, wos, cbs)
		if im.over != nil {
			return sr, nil, nil, im.over
		}
	}
	if err := rows.Error(); err != nil {
		if errors.Is(err, excelize.ErrMaxRows) {
			return sr, nil, nil, fmt.Errorf("%w: sheet %s: %v", ErrTooManyRows, name, err)
		}
		return sr, nil, nil, fmt.Errorf("%w: sheet %s: %v", ErrNotWorkbook, name, err)
	}
	if !found {
		if h, found = FindHeader(head); !found {
			return sr, nil, nil, nil
		}
		im.startSheet(name, &h, head)
		for i := h.Row + 1; i < len(head); i++ {
			wos, cbs = im.readRow(&sr, &h, i+1, head[i], wos, cbs)
		}
	}
	if im.over != nil {
		return sr, nil, nil, im.over
	}
	sr.Kind, sr.HeaderRow = h.Kind, h.Row+1
	sr.Columns = map[string]string{}
	for c, name := range h.Names {
		sr.Columns[c.String()] = name
	}
	return sr, wos, cbs, nil
}

// startSheet notes what a sheet's header and the rows above it say before
// its rows are read: the meeting of an opinion list.
func (im *importer) startSheet(name string, h *Header, head [][]string) {
	if h.Kind == KindOpinions {
		if m, ok := im.sheetMeeting(name, h, head[:h.Row]); ok {
			im.meetings[name] = m
		}
	}
}

// drain counts the rest of a sheet without a header, so that the row limit
// holds for every sheet.
func drain(rows *excelize.Rows, n, limit int, name string) error {
	for rows.Next() {
		n++
		if n > limit {
			return fmt.Errorf("%w: sheet %s has more than %d rows; split it into smaller files", ErrTooManyRows, name, limit)
		}
	}
	return nil
}

// readRow reads one data row (Excel row number rowNum).
func (im *importer) readRow(sr *SheetReport, h *Header, rowNum int, cells []string, wos []*woRow, cbs []*cbRow) ([]*woRow, []*cbRow) {
	filled := 0
	for c, i := range h.Cols {
		if c != ColCategory && i < len(cells) && strings.TrimSpace(cells[i]) != "" {
			filled++
		}
	}
	for _, i := range h.Categories {
		if i < len(cells) && strings.TrimSpace(cells[i]) != "" {
			filled++
			break
		}
	}
	if filled < 2 {
		for _, c := range cells {
			if strings.TrimSpace(c) != "" {
				sr.Ignored++
				break
			}
		}
		return wos, cbs
	}
	sr.Rows++
	im.rep.Rows++
	// Control characters (Excel's _x001B_ escapes, say) are dropped as the
	// cells are read; line breaks and tabs stay where text may have them.
	get := func(c Column) string {
		if i, ok := h.Cols[c]; ok && i < len(cells) {
			return casebook.CleanText(cells[i])
		}
		return ""
	}
	switch h.Kind {
	case KindResults:
		if r := im.readResult(sr.Name, rowNum, h, get); r != nil {
			im.results = append(im.results, r)
			im.over = cmp.Or(im.over, im.keep(len(r.outcome)+len(r.reply)+len(r.unit), sr.Name))
		}
		return wos, cbs
	case KindOpinions:
		if m, ok := im.meetings[sr.Name]; ok {
			if o := im.readOpinion(sr.Name, rowNum, h, get, m); o != nil {
				im.opinions = append(im.opinions, o)
				im.over = cmp.Or(im.over, im.keep(len(o.in.Summary)+len(o.in.Details)+len(o.in.Complainant), sr.Name))
			}
		}
		return wos, cbs
	}
	if h.Kind == KindWorkOrders {
		var cats []string
		for _, i := range h.Categories {
			if i < len(cells) {
				if v := cleanCell(casebook.CleanLine(cells[i])); v != "" {
					cats = append(cats, v)
				}
			}
		}
		if w := im.readWorkOrder(sr.Name, rowNum, h, get, strings.Join(cats, "/")); w != nil {
			wos = append(wos, w)
			in := &w.in
			im.over = cmp.Or(im.over, im.keep(len(in.Summary)+len(in.Details)+len(in.Location)+len(in.Complainant)+len(in.Unit)+len(in.Building), sr.Name))
		}
		return wos, cbs
	}
	if c := im.readCallback(sr.Name, rowNum, h, get); c != nil {
		cbs = append(cbs, c)
		im.over = cmp.Or(im.over, im.keep(len(c.note)+len(c.wo), sr.Name))
	}
	return wos, cbs
}

// workOrderPattern is what a 12345 work-order number may hold.
var workOrderPattern = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z_\-]{0,63}$`)

// readWorkOrderNumber reads the work-order number cell.
func readWorkOrderNumber(s string) string {
	return strings.ReplaceAll(cleanNumberText(cleanCell(s)), " ", "")
}

// checkTime reads a required time cell.
func (im *importer) checkTime(sheet string, row int, h *Header, col Column, raw string) (time.Time, bool) {
	t, _, err := ParseCellTime(raw, im.date1904)
	switch {
	case errors.Is(err, errEmpty):
		im.problem(sheet, row, h, col, "", "a date and time (required)", "应填写日期时间（必填）")
		return t, false
	case err != nil:
		im.problem(sheet, row, h, col, raw, "a date such as 2026-03-02 14:30, 2026/3/2 14:30, 2026年3月2日 14:30 or an Excel date",
			"日期时间，如 2026-03-02 14:30、2026/3/2 14:30、2026年3月2日 14:30 或 Excel 日期")
		return t, false
	case t.Year() < 2000:
		im.problem(sheet, row, h, col, raw, "a date after 2000", "2000年以后的日期")
		return t, false
	case t.After(im.opts.Now.Add(casebook.DefaultMaxSkew)):
		im.problem(sheet, row, h, col, raw, "a time that is not in the future", "不晚于当前时间")
		return t, false
	}
	return t, true
}

// readWorkOrder reads and checks a row of a work-order sheet. It returns
// nil if the row has problems (recorded).
func (im *importer) readWorkOrder(sheet string, row int, h *Header, get func(Column) string, catRaw string) *woRow {
	before := len(im.rep.Problems)
	w := &woRow{sheet: sheet, row: row, h: h, catRaw: catRaw}
	note := func(col Column, value, msg, zh string) {
		p := Problem{Sheet: sheet, Row: row, Column: cellRefs{h}.letter(col), Header: h.Names[col], Value: value, Expected: msg, ExpectedZh: zh}
		w.notes = append(w.notes, p)
	}
	in := &w.in
	in.Channel = string(casebook.Channel12345)

	wo := readWorkOrderNumber(get(ColWorkOrder))
	switch {
	case wo == "":
		im.problem(sheet, row, h, ColWorkOrder, "", "the 12345 work-order number (required)", "应填写12345工单编号（必填）")
	case !workOrderPattern.MatchString(wo):
		im.problem(sheet, row, h, ColWorkOrder, get(ColWorkOrder), "letters, digits and dashes, at most 64", "字母、数字或短横线，不超过64位")
	}
	in.WorkOrder = wo
	if t, ok := im.checkTime(sheet, row, h, ColReceived, get(ColReceived)); ok {
		in.Received = t
	}

	title := cleanCell(get(ColTitle))
	content := strings.TrimSpace(casebook.NormalizeWidth(strings.ReplaceAll(get(ColContent), "\r\n", "\n")))
	flat := cleanCell(content)
	var details []string
	switch {
	case title != "":
		in.Summary = title
		if content != "" {
			details = append(details, content)
		}
	case flat != "":
		in.Summary = flat
		if utf8.RuneCountInString(flat) > casebook.MaxSummaryRunes || flat != content {
			details = append(details, content)
		}
	default:
		col := ColContent
		if _, ok := h.Cols[col]; !ok {
			col = ColTitle
		}
		im.problem(sheet, row, h, col, "", "what the appeal is about (required)", "应填写诉求内容（必填）")
	}
	in.Summary, _ = fitText(in.Summary, casebook.MaxSummaryRunes)

	in.Complainant = cleanCell(get(ColComplainant))
	if utf8.RuneCountInString(in.Complainant) > casebook.MaxShortRunes {
		im.problem(sheet, row, h, ColComplainant, in.Complainant, fmt.Sprintf("a name of at most %d characters", casebook.MaxShortRunes), fmt.Sprintf("姓名不超过%d个字", casebook.MaxShortRunes))
	}
	if raw := cleanCell(get(ColPhone)); raw != "" {
		phone, more, masked := splitPhone(raw)
		switch {
		case masked:
			note(ColPhone, raw, "the number is masked in the sheet; not stored", "表中号码已脱敏，未保存")
		case phone == "" || !phonePattern.MatchString(phone):
			im.problem(sheet, row, h, ColPhone, raw, "a phone number: digits, +, - and spaces", "电话号码：数字、+、- 和空格")
		default:
			in.Phone = phone
			if more != "" {
				details = append(details, "其他联系电话："+more)
			}
		}
	}
	in.Location = cleanCell(get(ColAddress))
	if utf8.RuneCountInString(in.Location) > casebook.MaxSummaryRunes {
		im.problem(sheet, row, h, ColAddress, in.Location, fmt.Sprintf("an address of at most %d characters", casebook.MaxSummaryRunes), fmt.Sprintf("地址不超过%d个字", casebook.MaxSummaryRunes))
	}
	in.Building = cleanCell(get(ColBuilding))
	if allDigitsStr(in.Building) {
		in.Building += "号楼"
	}
	if in.Building == "" {
		in.Building = buildingOf(in.Location, im.set.Community.Buildings)
	}
	in.Unit = cleanCell(get(ColUnit))
	for _, v := range []struct {
		col Column
		s   string
	}{{ColBuilding, in.Building}, {ColUnit, in.Unit}} {
		if utf8.RuneCountInString(v.s) > casebook.MaxShortRunes {
			im.problem(sheet, row, h, v.col, v.s, fmt.Sprintf("at most %d characters", casebook.MaxShortRunes), fmt.Sprintf("不超过%d个字", casebook.MaxShortRunes))
		}
	}

	switch cat, ok := mapCategory(catRaw, im.set.Categories); {
	case ok:
		in.Category, w.catKnown = cat, true
	case catRaw == "":
		// No category in the sheet: filed by what the appeal says, if a
		// known word is in it, and flagged either way.
		if guess, found := guessCategory(in.Summary+" "+flat, im.set.Categories); found {
			in.Category = guess
		} else {
			in.Category = fallbackCategory(im.set.Categories)
		}
	default:
		in.Category = fallbackCategory(im.set.Categories)
	}
	if catRaw != "" && catRaw != in.Category {
		details = append(details, "12345分类："+catRaw)
	}

	if t, ok := parseType(get(ColType)); ok {
		in.Type = string(t)
	} else {
		im.problem(sheet, row, h, ColType, get(ColType), "投诉, 求助 (求决), 建议 or 咨询", "投诉、求助（求决）、建议或咨询")
	}
	u, err := ParseTimeLimit(get(ColTimeLimit), in.Received, im.date1904)
	switch {
	case err == nil, errors.Is(err, errEmpty):
		in.Urgency = string(u)
	default:
		im.problem(sheet, row, h, ColTimeLimit, get(ColTimeLimit), "a time limit such as 2小时, 24小时, 7天, 15个工作日, or the deadline's date",
			"办理时限，如 2小时、24小时、7天、15个工作日，或截止日期")
	}

	d, cut := fitText(strings.Join(details, "\n"), casebook.MaxDetailRunes)
	if cut {
		note(ColContent, "", fmt.Sprintf("the text is longer than %d characters (or %d KB) and was shortened", casebook.MaxDetailRunes, casebook.MaxFieldBytes>>10),
			fmt.Sprintf("内容超过%d字（或%d KB），已截断", casebook.MaxDetailRunes, casebook.MaxFieldBytes>>10))
	}
	in.Details = d

	if len(im.rep.Problems) > before {
		return nil
	}
	// What Book.AddCase would refuse, mapped back to the cells.
	check := *in
	if _, err := check.Validate(im.set.Categories, im.opts.Now); err != nil {
		var fes casebook.FieldErrors
		if !errors.As(err, &fes) {
			im.problem(sheet, row, h, ColWorkOrder, "", err.Error(), err.Error())
			return nil
		}
		for _, fe := range fes {
			col := fieldColumn[fe.Field]
			im.problem(sheet, row, h, col, get(col), fe.Msg, fe.Msg)
		}
		return nil
	}
	w.key = strings.Join([]string{in.Received.UTC().Format(time.RFC3339), in.Summary, in.Category, in.Urgency, in.Location,
		in.Complainant, in.Phone, in.Details}, "\x00")
	return w
}

// fieldColumn maps a case field to the sheet column it comes from.
var fieldColumn = map[string]Column{
	casebook.FieldReceived: ColReceived, casebook.FieldWorkOrder: ColWorkOrder, casebook.FieldType: ColType,
	casebook.FieldCategory: ColCategory, casebook.FieldBuilding: ColBuilding, casebook.FieldUnit: ColUnit,
	casebook.FieldLocation: ColAddress, casebook.FieldSummary: ColContent, casebook.FieldDetails: ColContent,
	casebook.FieldComplainant: ColComplainant, casebook.FieldPhone: ColPhone, casebook.FieldUrgency: ColTimeLimit,
	"note": ColCallbackNote, "at": ColCallbackTime, // of a callback's steps
}

// phonePattern is casebook's check on phone numbers.
var phonePattern = regexp.MustCompile(`^[0-9+\-() ]{5,20}$`)

// splitPhone cleans a phone cell: a number stored as a number, 转 for an
// extension, several numbers ("138…/139…": the first is kept, the others
// returned), a masked number ("138****1234").
func splitPhone(raw string) (phone, more string, masked bool) {
	v := cleanNumberText(raw)
	if strings.ContainsAny(v, "*＊") {
		return "", "", true
	}
	v = strings.NewReplacer("转", "-", "—", "-", "－", "-").Replace(v)
	parts := strings.FieldsFunc(v, func(r rune) bool {
		return r == '/' || r == ',' || r == ';' || r == '、' || r == '，' || r == '；' || r == '\n'
	})
	if len(parts) == 0 {
		return "", "", false
	}
	phone = strings.TrimSpace(parts[0])
	rest := make([]string, 0, len(parts)-1)
	for _, p := range parts[1:] {
		if p = strings.TrimSpace(p); p != "" {
			rest = append(rest, p)
		}
	}
	return phone, strings.Join(rest, "、"), false
}

// readCallback reads and checks a row of a callback sheet.
func (im *importer) readCallback(sheet string, row int, h *Header, get func(Column) string) *cbRow {
	before := len(im.rep.Problems)
	c := &cbRow{sheet: sheet, row: row, cols: cellRefs{h}}
	c.wo = readWorkOrderNumber(get(ColWorkOrder))
	if c.wo == "" {
		im.problem(sheet, row, h, ColWorkOrder, "", "the 12345 work-order number (required)", "应填写12345工单编号（必填）")
	}
	result := get(ColResult)
	solvedCell, solvedCol := get(ColSolved), ColSolved
	if _, ok := h.Cols[ColSolved]; !ok {
		solvedCell, solvedCol = result, ColResult
	}
	satCell, satCol := get(ColSatisfaction), ColSatisfaction
	if _, ok := h.Cols[ColSatisfaction]; !ok {
		satCell, satCol = result, ColResult
	}
	cb, noVerdict := parseCallbackOutcome(result, get(ColSolved), get(ColSatisfaction))
	sv, okSolved := parseSolved(solvedCell)
	sa, okSat := parseSatisfaction(satCell)
	switch {
	case noVerdict && (!okSolved || !okSat):
		// The resident gave no verdict (or only one): a callback without
		// one, counted as the rule set says.
		c.callback = cb
	default:
		c.solved, c.satisfaction = sv, sa
		if !okSolved {
			im.problem(sheet, row, h, solvedCol, solvedCell, "解决, 部分解决, 未解决, or 未评价, 未接通, 拒绝评价", "解决、部分解决、未解决，或未评价、未接通、拒绝评价")
		}
		if !okSat {
			im.problem(sheet, row, h, satCol, satCell, "满意, 基本满意, 不满意, or 未评价, 未接通, 拒绝评价", "满意、基本满意、不满意，或未评价、未接通、拒绝评价")
		}
	}
	c.at = im.opts.Now
	if raw := get(ColCallbackTime); strings.TrimSpace(raw) != "" {
		if t, ok := im.checkTime(sheet, row, h, ColCallbackTime, raw); ok {
			c.at = t
		}
	}
	c.note, _ = fitText(strings.TrimSpace(get(ColCallbackNote)), casebook.MaxDetailRunes)
	if len(im.rep.Problems) > before {
		return nil
	}
	return c
}

// planWorkOrders decides what each work-order row does and makes the
// operations: a new case for an unknown work order, blanks filled in for a
// known one, nothing if the casebook already has what the sheet says.
func (im *importer) planWorkOrders(rows []*woRow) []casebook.Op {
	var ops []casebook.Op
	var fresh []*woRow
	im.cats = map[string]*CategoryMapping{}
	unknown := map[string]bool{}
	for _, w := range rows {
		wo := w.in.WorkOrder
		if prev, dup := im.seen[wo]; dup {
			if prev.key != w.key {
				im.problem(w.sheet, w.row, w.h, ColWorkOrder, wo,
					fmt.Sprintf("each work order once: %s is also in %s row %d with other values", wo, prev.sheet, prev.row),
					fmt.Sprintf("同一工单只能出现一次：%s 也在 %s 第%d行，内容不同", wo, prev.sheet, prev.row))
				continue
			}
			im.rep.Unchanged++
			im.item(w, ActionUnchanged, "", fmt.Sprintf("same as %s row %d", prev.sheet, prev.row))
			continue
		}
		im.seen[wo] = w
		if s, ok := im.t.FindByWorkOrder(wo); ok {
			ops = append(ops, im.planKnown(w, s)...)
			continue
		}
		fresh = append(fresh, w)
	}
	// Number the new appeals in the order received, so that numbers follow
	// time within each day.
	sort.SliceStable(fresh, func(i, j int) bool { return fresh[i].in.Received.Before(fresh[j].in.Received) })
	num := numberer{t: im.t, next: map[string]int{}}
	a := im.t.Author()
	for _, w := range fresh {
		w.in.Number = num.number(w.in.Received)
		op, err := a.Create(w.in, im.set.Categories)
		if err != nil {
			im.opProblem(w.sheet, w.row, w.h, err)
			continue
		}
		ops = append(ops, op)
		c := casebook.NewCase(op.Entity)
		if _, err := c.Apply(&op); err == nil {
			im.cases[w.in.WorkOrder] = c // a callback or result later in the file may need it
		}
		im.rep.New++
		im.rep.Notes = append(im.rep.Notes, w.notes...)
		im.item(w, ActionNew, w.in.Number, "")
		key := w.catRaw
		m := im.cats[key]
		if m == nil {
			m = &CategoryMapping{From: w.catRaw, To: w.in.Category, Known: w.catKnown}
			im.cats[key] = m
		}
		m.Appeals++
		if !w.catKnown && !unknown[key] {
			unknown[key] = true
			label := w.catRaw
			if label == "" {
				label = "（未分类）"
			}
			im.rep.UnknownCategories = append(im.rep.UnknownCategories, label)
		}
	}
	for _, m := range im.cats {
		im.rep.Categories = append(im.rep.Categories, *m)
	}
	sort.Slice(im.rep.Categories, func(i, j int) bool {
		a, b := im.rep.Categories[i], im.rep.Categories[j]
		if a.Known != b.Known {
			return !a.Known
		}
		if a.Appeals != b.Appeals {
			return a.Appeals > b.Appeals
		}
		return a.From < b.From
	})
	return ops
}

func (im *importer) item(w *woRow, action, number, note string) {
	im.rep.Items = append(im.rep.Items, Item{Sheet: w.sheet, Row: w.row, WorkOrder: w.in.WorkOrder, Action: action, Number: number,
		Received: w.in.Received, Summary: w.in.Summary, Category: w.in.Category, Urgency: casebook.Urgency(w.in.Urgency).Chinese(), Note: note})
}

// fillable are the fields a sheet may fill in on a known appeal when the
// casebook has them blank. Others belong to the casebook once imported: the
// secretary may have re-filed the category or corrected the summary, and a
// second import must not undo that.
var fillable = []string{casebook.FieldLocation, casebook.FieldBuilding, casebook.FieldUnit,
	casebook.FieldComplainant, casebook.FieldPhone, casebook.FieldDetails}

// planKnown compares a row with the appeal already in the casebook.
func (im *importer) planKnown(w *woRow, s *casebook.Summary) []casebook.Op {
	c, err := im.t.Case(s.ID)
	if err != nil {
		im.problem(w.sheet, w.row, w.h, ColWorkOrder, w.in.WorkOrder, err.Error(), err.Error())
		return nil
	}
	sheetVals := map[string]string{
		casebook.FieldLocation: w.in.Location, casebook.FieldBuilding: w.in.Building, casebook.FieldUnit: w.in.Unit,
		casebook.FieldComplainant: w.in.Complainant, casebook.FieldPhone: w.in.Phone, casebook.FieldDetails: w.in.Details,
	}
	changes := map[string]string{}
	for _, f := range fillable {
		if c.Field(f) == "" && sheetVals[f] != "" {
			changes[f] = sheetVals[f]
		}
	}
	// Differences that are kept as the casebook has them.
	// A resident's phone number is personal data: the report that shows
	// a difference shows both numbers masked.
	differs := func(col Column, field, sheetVal, bookVal string) {
		if sheetVal != "" && bookVal != "" && sheetVal != bookVal {
			if col == ColPhone || col == ColComplainant {
				sheetVal, bookVal = maskField(col, sheetVal), maskField(col, bookVal)
			}
			im.rep.Notes = append(im.rep.Notes, Problem{Sheet: w.sheet, Row: w.row, Header: col.String(), Value: sheetVal,
				Expected:   fmt.Sprintf("work order %s is case %s, which has %s %q; the casebook's value is kept", w.in.WorkOrder, c.Number(), field, bookVal),
				ExpectedZh: fmt.Sprintf("工单 %s 即台账 %s，其%s为“%s”，保留台账中的值", w.in.WorkOrder, c.Number(), col.String(), bookVal)})
		}
	}
	if !c.Received().Equal(w.in.Received) {
		differs(ColReceived, "received", w.in.Received.In(casebook.Shanghai).Format("2006-01-02 15:04"), c.Received().In(casebook.Shanghai).Format("2006-01-02 15:04"))
	}
	differs(ColContent, "summary", w.in.Summary, c.Summary())
	if w.catKnown {
		differs(ColCategory, "category", w.in.Category, c.Category())
	}
	differs(ColAddress, "location", w.in.Location, c.Field(casebook.FieldLocation))
	differs(ColPhone, "phone", w.in.Phone, c.Phone())
	if len(changes) == 0 {
		im.rep.Unchanged++
		im.item(w, ActionUnchanged, c.Number(), "")
		return nil
	}
	op, err := im.t.Author().Set(c, changes, im.set.Categories)
	if err != nil {
		im.opProblem(w.sheet, w.row, w.h, err)
		return nil
	}
	im.rep.Updated++
	names := make([]string, 0, len(changes))
	for _, f := range fillable {
		if _, ok := changes[f]; ok {
			names = append(names, f)
		}
	}
	im.item(w, ActionUpdated, c.Number(), "filled in: "+strings.Join(names, ", "))
	return []casebook.Op{op}
}

// planCallbacks records each callback on its appeal: an evaluation, after
// the feedback step if the appeal was resolved but the resident not yet
// told (the 12345 callback itself tells the resident the result).
func (im *importer) planCallbacks(rows []*cbRow) []casebook.Op {
	var ops []casebook.Op
	done := map[string]*cbRow{}
	for _, r := range rows {
		prob := func(col Column, value, msg, zh string) {
			im.problem(r.sheet, r.row, r.cols.h, col, value, msg, zh)
		}
		it := Item{Sheet: r.sheet, Row: r.row, WorkOrder: r.wo, Solved: r.solved, Satisfaction: r.satisfaction, Callback: r.callback}
		if prev, dup := done[r.wo]; dup {
			if prev.solved != r.solved || prev.satisfaction != r.satisfaction || prev.callback != r.callback {
				prob(ColWorkOrder, r.wo, fmt.Sprintf("one callback per work order: %s row %d has another result", prev.sheet, prev.row),
					fmt.Sprintf("每个工单一条回访结果：%s 第%d行结果不同", prev.sheet, prev.row))
				continue
			}
			im.unchanged(it)
			continue
		}
		done[r.wo] = r
		c := im.working(r.wo, func(msg, zh string) { prob(ColWorkOrder, r.wo, msg, zh) })
		if c == nil {
			continue
		}
		it.Number, it.Received, it.Summary, it.Category = c.Number(), c.Received(), c.Summary(), c.Category()
		if !c.EvaluatedAt.IsZero() {
			if c.Solved == r.solved && c.Satisfaction == r.satisfaction && c.Callback == r.callback {
				im.unchanged(it)
				continue
			}
			col := ColSolved
			if _, ok := r.cols.h.Cols[col]; !ok {
				col = ColResult
			}
			prob(col, verdictText(r.solved, r.satisfaction, r.callback),
				fmt.Sprintf("case %s is already evaluated as %s; reopen it in the casebook to record a new callback", c.Number(), verdictText(c.Solved, c.Satisfaction, c.Callback)),
				fmt.Sprintf("台账 %s 已评价为 %s；如需记录新的回访，请先在台账中重新办理", c.Number(), verdictText(c.Solved, c.Satisfaction, c.Callback)))
			continue
		}
		at := r.at
		if at.Before(c.Received()) {
			prob(ColCallbackTime, at.In(casebook.Shanghai).Format("2006-01-02 15:04"), "a callback time after the appeal was received",
				"回访时间应晚于受理时间")
			continue
		}
		steps, msg, zh := callbackSteps(c, at)
		if msg != "" {
			prob(ColWorkOrder, r.wo, msg, zh)
			continue
		}
		steps = append(steps, casebook.Step{Action: casebook.ActEvaluate, At: at, Note: r.note, Solved: r.solved, Satisfaction: r.satisfaction, Callback: r.callback})
		made, ok := im.takeSteps(c, steps, r.sheet, r.row, r.cols.h)
		if !ok {
			continue
		}
		if len(steps) > 2 {
			it.Note = "签收、办结、反馈据回访表补记"
		}
		ops = append(ops, made...)
		im.rep.Updated++
		it.Action = ActionEvaluate
		im.rep.Items = append(im.rep.Items, it)
	}
	return ops
}

// unchanged reports an item the casebook already has.
func (im *importer) unchanged(it Item) {
	im.rep.Unchanged++
	it.Action = ActionUnchanged
	im.rep.Items = append(im.rep.Items, it)
}

// verdictText is a callback's result in Chinese: 解决/满意, or 未接通.
func verdictText(sv casebook.Solved, sa casebook.Satisfaction, cb casebook.Callback) string {
	if cb != "" {
		return cb.Chinese()
	}
	return sv.Chinese() + "/" + sa.Chinese()
}

// numberer gives new cases the book's numbers: the first of a day from the
// book, the next ones of that day counting on.
type numberer struct {
	t    Target
	next map[string]int
}

func (n *numberer) number(received time.Time) string {
	day := received.In(casebook.Shanghai).Format("20060102")
	if seq, ok := n.next[day]; ok {
		n.next[day] = seq + 1
		return fmt.Sprintf("%s-%03d", day, seq)
	}
	s := n.t.NextNumber(received)
	d, q, ok := strings.Cut(s, "-")
	seq, err := strconv.Atoi(q)
	if !ok || d != day || err != nil {
		return s // a numbering this package does not know: take it as it is
	}
	n.next[day] = seq + 1
	return s
}

// fitText shortens text that is over a form limit (maxRunes characters, or
// casebook.MaxFieldBytes bytes) to fit it, ending in "…"; cut says it did.
// An import shortens long text with a note rather than refuse the row.
func fitText(s string, maxRunes int) (out string, cut bool) {
	if !casebook.TooLong(s, maxRunes) {
		return s, false
	}
	s = casebook.ClipRunes(s, maxRunes-1)
	for len(s) > casebook.MaxFieldBytes-len("…") {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s + "…", true
}

// maskField masks a resident's phone or name for the report.
func maskField(col Column, v string) string {
	if col == ColPhone {
		return MaskPhone(v)
	}
	return MaskName(v)
}

// opProblem records an operation the casebook's rules refuse (a plan that
// fails when made), each field error in the cell it comes from.
func (im *importer) opProblem(sheet string, row int, h *Header, err error) {
	var fes casebook.FieldErrors
	var fe *casebook.FieldError
	switch {
	case errors.As(err, &fes):
	case errors.As(err, &fe):
		fes = casebook.FieldErrors{fe}
	default:
		im.problem(sheet, row, h, ColWorkOrder, "", err.Error(), err.Error())
		return
	}
	for _, fe := range fes {
		col, ok := fieldColumn[fe.Field]
		if !ok {
			col = ColWorkOrder
		}
		im.problem(sheet, row, h, col, "", fe.Msg, fe.Msg)
	}
}

// clipRunes shortens s to at most n characters.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}

// WriteText prints the report for the command line: what was (or, on a dry
// run or with problems, would be) done, then every problem, the unknown
// categories and the notes, one per line.
//
// A report of a file that could not be read at all (damaged, too large:
// no sheet was read) prints nothing: the error says it all, and a line
// "0 rows read … imported" would say the opposite.
func (r *ImportReport) WriteText(w io.Writer) error {
	if len(r.Sheets) == 0 && len(r.Problems) == 0 {
		return nil
	}
	var b strings.Builder
	verb := "imported"
	switch {
	case len(r.Problems) > 0:
		verb = "NOT imported (fix the problems below and import again)"
	case r.DryRun:
		verb = "dry run, nothing written"
	case r.Applied == 0 && r.New+r.Updated > 0:
		verb = "NOT imported"
	case r.Kind == "":
		verb = "nothing to import"
	}
	fmt.Fprintf(&b, "%s: %d rows read; %d new, %d updated, %d unchanged — %s\n", r.Kind, r.Rows, r.New, r.Updated, r.Unchanged, verb)
	for _, s := range r.Sheets {
		if s.Kind == "" {
			fmt.Fprintf(&b, "  sheet %s: skipped (no 12345 header)\n", s.Name)
			continue
		}
		fmt.Fprintf(&b, "  sheet %s: %s, header in row %d, %d rows", s.Name, s.Kind, s.HeaderRow, s.Rows)
		if s.Ignored > 0 {
			fmt.Fprintf(&b, ", %d rows ignored (fewer than two cells)", s.Ignored)
		}
		b.WriteString("\n")
	}
	if len(r.Problems) > 0 {
		fmt.Fprintf(&b, "%d problems:\n", len(r.Problems))
		for _, p := range r.Problems {
			b.WriteString("  " + p.String() + "\n")
		}
	}
	if len(r.UnknownCategories) > 0 {
		fmt.Fprintf(&b, "categories not in the casebook (filed under %s, original kept in the details): %s\n",
			"其他", strings.Join(r.UnknownCategories, ", "))
	}
	for _, n := range r.Notes {
		b.WriteString("  note: " + n.String() + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
