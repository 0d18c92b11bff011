package xlsx

import (
	"archive/zip"
	"cmp"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"casebook/casebook"
)

// Source is what Export reads: *store.Book (a casebook open in the app)
// and *store.Reader (a casebook file read from disk a block at a time, for
// the command line) satisfy it.
type Source interface {
	Settings() casebook.Settings
	// Appeals calls fn with every appeal received before to (zero: every
	// appeal), oldest first: by time received, then number, then id; with
	// it the current values of fields ("" when not set). s and values are
	// only valid during the call. An error of fn stops it and is returned.
	Appeals(to time.Time, fields []string, fn func(s *casebook.Summary, values []string) error) error
	// Case returns a case's full view (for the numbers of the appeals a
	// dispute links).
	Case(id string) (*casebook.Case, error)
}

// Sheet names of the workbook.
const (
	SheetLedger     = "诉求台账"
	SheetRates      = "三率统计"
	SheetBreakdown  = "分类统计"
	SheetOpen       = "未办结清单"
	SheetNotes      = "说明"
	SheetDisputes   = "矛盾纠纷" // for Extra, once disputes exist
	SheetMeetings   = "议事记录" // for Extra, once disputes exist
	maxSheetNameLen = 31
)

// ExportOptions says what to export.
type ExportOptions struct {
	// From and To bound the period: appeals received in [From, To); zero is
	// unbounded. PeriodOf turns the CLI's --from/--to dates into them.
	From, To time.Time
	// Unmasked exports residents' names and phone numbers as they are;
	// otherwise they are masked (张*, 138****1234).
	Unmasked bool
	// Now is the time of the export (time.Now when zero): it decides what is
	// overdue and how old open appeals are.
	Now time.Time
	// Version of the app, recorded in the 说明 sheet and the file properties.
	Version string
	// Extra sheets, written after the open-items list and the dispute
	// sheets (矛盾纠纷, 议事记录: made by DisputeTables from the Source's
	// disputes, when it has any in the period). A table with no rows is left
	// out: the workbook has no empty sheets.
	Extra []Table
}

// ColumnKind is how a column's values are written and shown.
type ColumnKind int

// Column kinds.
const (
	KindText     ColumnKind = iota // text on one line
	KindWrap                       // long text, wrapped
	KindDateTime                   // time.Time as a real Excel date-time (yyyy-mm-dd hh:mm), Shanghai time
	KindDate                       // time.Time or casebook.Date as a real Excel date (yyyy-mm-dd)
	KindInt                        // whole number
	KindPercent                    // fraction 0..1 shown as a percentage
	KindNumber                     // number with two decimals
)

// TableColumn is a column of a Table.
type TableColumn struct {
	Header string
	Width  float64 // in characters; 0: from the kind
	Kind   ColumnKind
}

// Table is a sheet of rows with a header, written with the ledger's look:
// frozen header row, auto-filter, column widths, real dates and numbers.
// Rows yields one []any per row (string, int, float64, time.Time,
// casebook.Date, *float64, or nil for an empty cell); the slice may be
// reused between rows. Len is the number of rows Rows yields (checked), or
// -1 when it is not known before they are written.
type Table struct {
	Name    string
	Columns []TableColumn
	Len     int
	Rows    iter.Seq[[]any]
}

// PeriodOf reads the CLI's --from and --to dates (YYYY-MM-DD and the other
// forms casebook.ParseDate takes; either may be empty) as an export period:
// from 00:00 Shanghai on the first day to 24:00 on the last, so --to is
// included.
func PeriodOf(from, to string) (time.Time, time.Time, error) {
	var f, t time.Time
	if strings.TrimSpace(from) != "" {
		d, err := casebook.ParseDate(from)
		if err != nil {
			return f, t, fmt.Errorf("--from: %w", err)
		}
		f = d.Time()
	}
	if strings.TrimSpace(to) != "" {
		d, err := casebook.ParseDate(to)
		if err != nil {
			return f, t, fmt.Errorf("--to: %w", err)
		}
		t = d.AddDays(1).Time()
	}
	if !f.IsZero() && !t.IsZero() && !t.After(f) {
		return f, t, fmt.Errorf("period: %w: --to is before --from", casebook.ErrInvalid)
	}
	return f, t, nil
}

// Export writes the ledger workbook to w: 诉求台账 (one row per appeal),
// 三率统计 (the three rates, composite score and on-time rates for the
// period, by quarter and by month, against the term's baseline, with a line
// chart), 分类统计 (by category, building and channel, with a bar chart),
// 未办结清单 (open appeals, overdue first), any Extra sheets, and 说明
// (who, when, which version, and the formula of every figure). The ledger
// and open-items rows are streamed, so memory stays flat however many
// appeals there are.
func Export(w io.Writer, src Source, opts ExportOptions) error {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if !opts.From.IsZero() && !opts.To.IsZero() && !opts.To.After(opts.From) {
		return fmt.Errorf("export: %w: the period ends before it starts", casebook.ErrInvalid)
	}
	x := &exporter{src: src, opts: opts, set: src.Settings(), f: excelize.NewFile(), dims: dimensions{}}
	defer x.f.Close()
	x.f.SetZipWriter(x.dims.zipWriter(x.f, fastZip))
	if err := x.run(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if _, err := x.f.WriteTo(w); err != nil {
		return fmt.Errorf("export: write: %w", err)
	}
	return nil
}

type exporter struct {
	src  Source
	opts ExportOptions
	set  casebook.Settings
	f    *excelize.File
	st   styles
	m    casebook.Metrics
	// open are the open appeals of the period, gathered while the ledger
	// is written, for 未办结清单.
	open []openItem
	// rowsErr is an error met while producing a table's rows.
	rowsErr error
	// dims are the used ranges of the streamed sheets.
	dims dimensions
	// numbers are the numbers of the main appeals of merges, by id.
	numbers map[string]string
}

// print is the page setup of a sheet of this workbook: the page header
// names the community and the period.
func (x *exporter) print(landscape bool, titleRow int) PrintSetup {
	return PrintSetup{Landscape: landscape, TitleFirst: titleRow, TitleLast: titleRow,
		Community: nonEmpty(x.set.Community.Name, "本社区"), Period: x.periodText()}
}

// styles are the cell styles of the workbook.
type styles struct {
	header, title, note, bold, text, wrap, datetime, date, integer, fraction, percent, number, points, score int
}

// countStyle shows a count as a whole number, and a weighted count (a
// rate's numerator with a partly-solved or basically-satisfied weight) with
// the decimals it has: 1004, 1004.4, never 1004.00.
func (x *exporter) countStyle(v float64) int {
	if v == float64(int64(v)) {
		return x.st.integer
	}
	return x.st.fraction
}

func (x *exporter) makeStyles() error {
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	top := &excelize.Alignment{Vertical: "top"}
	custom := func(s string) *string { return &s }
	defs := []struct {
		id *int
		s  excelize.Style
	}{
		{&x.st.header, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}, Border: border}},
		{&x.st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&x.st.note, excelize.Style{Font: &excelize.Font{Color: "595959"}}},
		{&x.st.bold, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: top}},
		{&x.st.text, excelize.Style{Alignment: top}},
		{&x.st.wrap, excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&x.st.datetime, excelize.Style{CustomNumFmt: custom("yyyy-mm-dd hh:mm"), Alignment: top}},
		{&x.st.date, excelize.Style{CustomNumFmt: custom("yyyy-mm-dd"), Alignment: top}},
		{&x.st.integer, excelize.Style{NumFmt: 1, Alignment: top}},
		{&x.st.fraction, excelize.Style{CustomNumFmt: custom("0.0#"), Alignment: top}},
		{&x.st.percent, excelize.Style{NumFmt: 10, Alignment: top}},
		{&x.st.number, excelize.Style{NumFmt: 2, Alignment: top}},
		{&x.st.points, excelize.Style{CustomNumFmt: custom(`+0.00"个百分点";-0.00"个百分点";0.00"个百分点"`), Alignment: top}},
		{&x.st.score, excelize.Style{NumFmt: 2, Alignment: top}},
	}
	for _, d := range defs {
		id, err := x.f.NewStyle(&d.s)
		if err != nil {
			return err
		}
		*d.id = id
	}
	return nil
}

func (x *exporter) kindStyle(k ColumnKind) int {
	switch k {
	case KindWrap:
		return x.st.wrap
	case KindDateTime:
		return x.st.datetime
	case KindDate:
		return x.st.date
	case KindInt:
		return x.st.integer
	case KindPercent:
		return x.st.percent
	case KindNumber:
		return x.st.number
	}
	return x.st.text
}

// columnWidth is a column's width, or its kind's default.
func columnWidth(c TableColumn) float64 {
	if c.Width > 0 {
		return c.Width
	}
	return defaultWidth(c.Kind)
}

func defaultWidth(k ColumnKind) float64 {
	switch k {
	case KindWrap:
		return 40
	case KindDateTime:
		return 17
	case KindDate:
		return 12
	case KindInt, KindPercent, KindNumber:
		return 10
	}
	return 12
}

func (x *exporter) run() error {
	if err := x.makeStyles(); err != nil {
		return err
	}
	if err := x.f.SetSheetName("Sheet1", SheetLedger); err != nil {
		return err
	}
	// One pass over the appeals writes the ledger and feeds the figures
	// and the open-items list, so that no more than a block of appeals is
	// in memory at a time.
	tally := casebook.NewMetricsTally(&x.set, casebook.MetricsQuery{From: x.opts.From, To: x.opts.To, Now: x.opts.Now})
	if err := x.writeTable(x.ledgerTable(tally)); err != nil {
		return fmt.Errorf("%s: %w", SheetLedger, err)
	}
	x.m = tally.Metrics()
	if err := x.writeRates(); err != nil {
		return fmt.Errorf("%s: %w", SheetRates, err)
	}
	if err := x.writeBreakdown(); err != nil {
		return fmt.Errorf("%s: %w", SheetBreakdown, err)
	}
	if err := x.writeTable(x.openTable()); err != nil {
		return fmt.Errorf("%s: %w", SheetOpen, err)
	}
	extra, err := x.disputeTables()
	if err != nil {
		return err
	}
	written := map[string]bool{SheetLedger: true, SheetRates: true, SheetBreakdown: true, SheetOpen: true, SheetNotes: true}
	for _, t := range append(extra, x.opts.Extra...) {
		if written[t.Name] {
			return fmt.Errorf("%w: a second sheet named %q", casebook.ErrInvalid, t.Name)
		}
		if err := x.writeTable(t); err != nil {
			return fmt.Errorf("%s: %w", t.Name, err)
		}
		if t.Len > 0 {
			written[t.Name] = true
		}
	}
	if err := x.writeNotes(); err != nil {
		return fmt.Errorf("%s: %w", SheetNotes, err)
	}
	x.f.SetActiveSheet(0)
	title := "治理书记台账"
	if x.set.Community.Name != "" {
		title += " — " + x.set.Community.Name
	}
	return x.f.SetDocProps(&excelize.DocProperties{
		Title: title, Subject: "诉求台账与三率统计", Creator: "Casebook " + x.opts.Version,
		Created: x.opts.Now.UTC().Format(time.RFC3339), Language: "zh-CN",
	})
}

// fastZip compresses at deflate's best speed: the ledger's XML is
// repetitive, so the file is barely larger and written in a third of the time.
func fastZip(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	return zw
}

// disputeTables are the 矛盾纠纷 and 议事记录 sheets of the disputes active
// in the period, if the source has disputes.
func (x *exporter) disputeTables() ([]Table, error) {
	all, err := disputesOf(x.src)
	if err != nil {
		return nil, fmt.Errorf("disputes: %w", err)
	}
	var active []*casebook.Dispute
	for _, d := range all {
		if activeIn(d, x.opts.From, x.opts.To) {
			active = append(active, d)
		}
	}
	if len(active) == 0 {
		return nil, nil
	}
	numbers := map[string]string{} // linked appeals may lie outside the period
	number := func(id string) string {
		n, ok := numbers[id]
		if !ok {
			if c, err := x.src.Case(id); err == nil {
				n = c.Number()
			}
			numbers[id] = n
		}
		return n
	}
	return DisputeTables(active, number, x.opts.Unmasked), nil
}

// errStop ends a table's rows early when writing failed.
var errStop = errors.New("stop")

// writeTable streams a table into a new sheet: header row frozen, an
// auto-filter over the header and rows, widths, a style per column. The
// ledger and the open-items list are always there (an empty list is news
// too); an extra table with no rows is left out.
func (x *exporter) writeTable(t Table) error {
	if t.Len == 0 && t.Name != SheetLedger && t.Name != SheetOpen {
		return nil
	}
	if len([]rune(t.Name)) > maxSheetNameLen || len(t.Columns) == 0 {
		return fmt.Errorf("%w: bad table %q", casebook.ErrInvalid, t.Name)
	}
	if t.Name != SheetLedger {
		if _, err := x.f.NewSheet(t.Name); err != nil {
			return err
		}
	}
	// The page setup and (below, once the rows are counted) the
	// auto-filter go on the sheet the stream writer holds: it writes them
	// after the rows when flushed.
	if err := SetupPrint(x.f, t.Name, x.print(true, 1)); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(t.Name)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	header := make([]any, len(t.Columns))
	// Last column first: excelize puts each newly set column before the
	// ones set earlier, and Excel wants them in ascending order.
	for i := len(t.Columns) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, columnWidth(t.Columns[i])); err != nil {
			return err
		}
		header[i] = t.Columns[i].Header
	}
	for i := len(t.Columns) - 1; i >= 0; i-- {
		if err := sw.SetColStyle(i+1, i+1, x.kindStyle(t.Columns[i].Kind)); err != nil {
			return err
		}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{StyleID: x.st.header, Height: 30}); err != nil {
		return err
	}
	row := 1
	var werr error
	if t.Rows != nil {
		out := make([]any, len(t.Columns))
		for vals := range t.Rows {
			row++
			if t.Len >= 0 && row > t.Len+1 {
				werr = fmt.Errorf("%w: table %s yields more than its %d rows", casebook.ErrInvalid, t.Name, t.Len)
				break
			}
			lines := 1
			for i := range out {
				out[i] = nil
				if i < len(vals) {
					out[i] = cellValue(vals[i])
				}
				if s, ok := out[i].(string); ok && t.Columns[i].Kind == KindWrap {
					lines = max(lines, wrappedLines(s, columnWidth(t.Columns[i])))
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if werr = sw.SetRow(cell, out, excelize.RowOpts{Height: rowHeight(lines)}); werr != nil {
				break
			}
		}
	}
	if werr != nil {
		return werr
	}
	if x.rowsErr != nil {
		return x.rowsErr
	}
	if t.Len >= 0 && row != t.Len+1 {
		return fmt.Errorf("%w: table %s yielded %d rows, not %d", casebook.ErrInvalid, t.Name, row-1, t.Len)
	}
	last, _ := excelize.ColumnNumberToName(len(t.Columns))
	if err := x.f.AutoFilter(t.Name, fmt.Sprintf("A1:%s%d", last, max(row, 2)), nil); err != nil {
		return err
	}
	x.dims[t.Name] = usedRange(len(t.Columns), row)
	return sw.Flush()
}

// cellValue turns a table value into what the stream writer writes: dates
// become Excel serial numbers (the column's style shows them as dates),
// missing values nothing.
func cellValue(v any) any {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		if v == "" {
			return nil
		}
		return v
	case time.Time:
		if v.IsZero() {
			return nil
		}
		return ExcelSerial(v)
	case casebook.Date:
		if v == (casebook.Date{}) {
			return nil
		}
		return ExcelSerial(v.Time())
	case *float64:
		if v == nil {
			return nil
		}
		return *v
	}
	return v
}

// Ledger columns, in order.
// The widths are chosen for print as much as for the screen: the 22
// columns scale to one A4 landscape page width (to about 55%), longer text
// wraps (the row grows to fit) rather than widening its column, and the
// short codes (渠道, 紧急程度, 解决情况) wrap onto two lines where they must.
var ledgerColumns = []TableColumn{
	{"编号", 13, KindText},
	{"12345工单编号", 17, KindText},
	{"受理时间", 15.5, KindDateTime},
	{"渠道", 11, KindWrap},
	{"类型", 5.5, KindText},
	{"分类", 11, KindWrap},
	{"楼栋", 7.5, KindWrap},
	{"地点", 16, KindWrap},
	{"诉求摘要", 36, KindWrap},
	{"诉求人", 7, KindText},
	{"联系电话", 13, KindText},
	{"承办人", 7, KindText},
	{"交办对象", 11, KindWrap},
	{"紧急程度", 6, KindWrap},
	{"办理时限", 15.5, KindDateTime},
	{"签收时间", 15.5, KindDateTime},
	{"办结时间", 15.5, KindDateTime},
	{"状态", 8, KindWrap},
	{"解决情况", 9, KindWrap},
	{"满意度", 9, KindWrap},
	{"是否超期", 9, KindWrap},
	{"提级至", 5.5, KindText},
	{"并单", 10, KindWrap},
	{"热线规则", 16, KindWrap},
}

// Overdue flags of the ledger.
const (
	flagOverdue  = "是"    // open and past its next deadline now
	flagLate     = "逾期办结" // signed for or handled after its deadline
	flagOnTime   = "否"
	unknownValue = "（未填）"
)

// overdueFlag says whether a case is overdue now (open), was late
// (responded or handled after its deadline), or neither.
func overdueFlag(s *casebook.Summary, now time.Time) string {
	if s.Status.Open() && s.Overdue(now) {
		return flagOverdue
	}
	if (!s.RespondedAt.IsZero() && s.RespondedAt.After(s.RespondDue)) || (!s.HandledAt.IsZero() && s.HandledAt.After(s.HandleDue)) {
		return flagLate
	}
	return flagOnTime
}

// ledgerTable is 诉求台账. Its rows come from one pass over the source's
// appeals, which also feeds every appeal to tally (the earlier ones too:
// they decide which appeals of the period are repeats) and gathers the open
// appeals of the period into x.open.
func (x *exporter) ledgerTable(tally *casebook.MetricsTally) Table {
	return Table{
		Name: SheetLedger, Columns: ledgerColumns, Len: -1,
		Rows: func(yield func([]any) bool) {
			row := make([]any, len(ledgerColumns))
			err := x.src.Appeals(x.opts.To, contactFields, func(s *casebook.Summary, v []string) error {
				if err := tally.Add(s); err != nil {
					return err
				}
				if !x.opts.From.IsZero() && s.Received.Before(x.opts.From) {
					return nil
				}
				if s.Status.Open() {
					x.addOpen(s)
				}
				unit, location, complainant, phone := v[0], v[1], v[2], v[3]
				if unit != "" && !strings.Contains(location, unit) {
					location = joinNonEmpty(" ", location, unit)
				}
				if !x.opts.Unmasked {
					complainant, phone = MaskName(complainant), MaskPhone(phone)
				}
				escalated := ""
				if s.Escalation != casebook.LevelCommunity && s.Escalation != "" {
					escalated = s.Escalation.Chinese()
				}
				row[0], row[1], row[2], row[3] = s.Number, s.WorkOrder, s.Received, s.Channel.Chinese()
				row[4], row[5], row[6], row[7] = s.Type.Chinese(), s.Category, s.Building, location
				row[8], row[9], row[10], row[11] = s.Summary, complainant, phone, s.Handler
				row[12], row[13], row[14], row[15] = s.DispatchedTo, s.Urgency.Chinese(), s.HandleDue, s.RespondedAt
				row[16], row[17], row[18], row[19] = s.ResolvedAt, s.Status.Chinese(), s.Solved.Chinese(), s.Satisfaction.Chinese()
				row[20], row[21] = overdueFlag(s, x.opts.Now), escalated
				row[22], row[23] = x.groupText(s), ruleText(s, &x.set.Rules)
				if !yield(row) {
					return errStop
				}
				return nil
			})
			if err != nil && !errors.Is(err, errStop) {
				x.rowsErr = err
			}
		},
	}
}

func joinNonEmpty(sep string, parts ...string) string {
	out := parts[:0:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// Open-items columns.
var openColumns = []TableColumn{
	{"编号", 13, KindText},
	{"12345工单编号", 17, KindText},
	{"受理时间", 15.5, KindDateTime},
	{"账龄（天）", 6, KindInt},
	{"分类", 11, KindWrap},
	{"楼栋", 7.5, KindWrap},
	{"诉求摘要", 36, KindWrap},
	{"承办人", 7, KindText},
	{"交办对象", 11, KindWrap},
	{"状态", 8, KindWrap},
	{"下一时限", 15.5, KindDateTime},
	{"时限事项", 8, KindWrap},
	{"是否超期", 6, KindWrap},
	{"超期（天）", 6, KindInt},
	{"提级至", 5.5, KindText},
}

// openItem is an open appeal with its deadline state, for sorting.
type openItem struct {
	s     *casebook.Summary
	state casebook.DueState
	kind  casebook.DeadlineKind
	due   time.Time
}

// addOpen keeps a copy of an open appeal of the period (the source's
// summary is only lent) with its deadline state.
func (x *exporter) addOpen(s *casebook.Summary) {
	c := *s
	k, due := c.Next()
	x.open = append(x.open, openItem{s: &c, state: c.Due(x.opts.Now, x.set.Policy.DueSoon), kind: k, due: due})
}

// openItems lists the open appeals: overdue first (longest overdue first),
// then by next deadline, then those waiting for feedback, evaluation or
// close-out (no deadline pending), oldest first.
func (x *exporter) openItems() []openItem {
	items := x.open
	rank := func(st casebook.DueState) int {
		switch st {
		case casebook.DueOverdue:
			return 0
		case casebook.DueSoon:
			return 1
		case casebook.DueLater:
			return 2
		}
		return 3
	}
	slices.SortStableFunc(items, func(a, b openItem) int {
		if c := cmp.Compare(rank(a.state), rank(b.state)); c != 0 {
			return c
		}
		if c := a.due.Compare(b.due); c != 0 {
			return c
		}
		return a.s.Received.Compare(b.s.Received)
	})
	return items
}

// daysBetween counts Shanghai calendar days from a to b.
func daysBetween(a, b time.Time) int {
	da, db := casebook.DateOf(a).Time(), casebook.DateOf(b).Time()
	return int(db.Sub(da).Hours()/24 + 0.5)
}

func (x *exporter) openTable() Table {
	items := x.openItems()
	return Table{
		Name: SheetOpen, Columns: openColumns, Len: len(items),
		Rows: func(yield func([]any) bool) {
			row := make([]any, len(openColumns))
			for _, it := range items {
				s := it.s
				kind, overdue, late := "", flagOnTime, any(nil)
				switch it.kind {
				case casebook.DeadlineRespond:
					kind = "签收"
				case casebook.DeadlineHandle:
					kind = "办理"
					if s.Urgency == casebook.UrgencyComplex {
						kind = "答复方案"
					}
				default:
					kind = "待反馈/评价/销号"
				}
				if it.state == casebook.DueOverdue {
					overdue = flagOverdue
					late = max(daysBetween(it.due, x.opts.Now), 0)
				}
				escalated := ""
				if s.Escalation != casebook.LevelCommunity && s.Escalation != "" {
					escalated = s.Escalation.Chinese()
				}
				row[0], row[1], row[2], row[3] = s.Number, s.WorkOrder, s.Received, daysBetween(s.Received, x.opts.Now)
				row[4], row[5], row[6], row[7] = s.Category, s.Building, s.Summary, s.Handler
				row[8], row[9], row[10], row[11] = s.DispatchedTo, s.Status.Chinese(), it.due, kind
				row[12], row[13], row[14] = overdue, late, escalated
				if !yield(row) {
					return
				}
			}
		},
	}
}

// periodText describes the export period in Chinese.
func (x *exporter) periodText() string {
	f, t := "不限", "不限"
	if !x.opts.From.IsZero() {
		f = casebook.DateOf(x.opts.From).String()
	}
	if !x.opts.To.IsZero() {
		// To is exclusive: the last day is the one before.
		t = casebook.DateOf(x.opts.To.Add(-time.Nanosecond)).String()
	}
	if x.opts.From.IsZero() && x.opts.To.IsZero() {
		return "全部"
	}
	return f + " 至 " + t
}
