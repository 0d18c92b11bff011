package ui

import (
	"math"
	"strconv"
	"time"

	"fyne.io/fyne/v2/lang"

	"casebook/casebook"
)

// Times are stored in UTC and shown in Beijing time whatever the computer's
// zone, because deadlines and the ledger are about the community's day.

// sep separates pieces of text on one line. It is the ideographic space
// (U+3000), not an ASCII space: the embedded CJK font, which the theme puts
// first, has no ASCII space, and Fyne draws a space that follows a Chinese
// character with that character's font, where it shows as a missing-glyph
// box. Translations avoid an ASCII space after a Chinese character for the
// same reason (TestChineseCatalogueSpacing).
const sep = "\u3000"

const (
	layoutMinute = "2006-01-02 15:04"
	layoutDay    = "2006-01-02"
)

// fmtTime shows an instant to the minute in Beijing time, or "" for zero.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(casebook.Shanghai).Format(layoutMinute)
}

// fmtDay shows the Beijing day of an instant, or "" for zero.
func fmtDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(casebook.Shanghai).Format(layoutDay)
}

// fmtDate shows a civil date, or "" for the zero date.
func fmtDate(d casebook.Date) string {
	if d == (casebook.Date{}) {
		return ""
	}
	return d.String()
}

// parseMinute reads a time typed in a form: empty is zero (meaning "now"
// to the domain), anything else as casebook.ParseTime reads it.
func parseMinute(s string) (time.Time, error) {
	if trimmed(s) == "" {
		return time.Time{}, nil
	}
	return casebook.ParseTime(s)
}

// fmtInt groups thousands with commas: 100000 → "100,000".
func fmtInt(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// fmtRate shows a fraction as a percentage with one decimal, or a dash when
// there is no data: a rate with no denominator is neither 0 % nor 100 %.
func fmtRate(r *float64) string {
	if r == nil {
		return "—"
	}
	return strconv.FormatFloat(*r*100, 'f', 1, 64) + "%"
}

// fmtPercent is fmtRate for a plain value.
func fmtPercent(v float64) string { return fmtRate(&v) }

// fmtPoints shows a change of a rate in percentage points with its sign.
func fmtPoints(d *float64) string {
	if d == nil {
		return "—"
	}
	v := *d * 100
	s := strconv.FormatFloat(math.Abs(v), 'f', 1, 64)
	switch {
	case v > 0.05:
		s = "+" + s
	case v < -0.05:
		s = "−" + s
	default:
		s = "±" + s
	}
	return lang.X("fmt.points", "{{.N}} pts", map[string]any{"N": s})
}

// fmtFraction shows a fraction for a settings field: 0.86 → "86", so that
// people type percentages, as in the district's figures.
func fmtFraction(r *float64) string {
	if r == nil {
		return ""
	}
	return strconv.FormatFloat(*r*100, 'f', -1, 64)
}

// startOfDay is 00:00 Beijing time of the day of t.
func startOfDay(t time.Time) time.Time { return casebook.DateOf(t).Time() }

// startOfMonth is 00:00 Beijing time of the first day of t's month.
func startOfMonth(t time.Time) time.Time {
	d := casebook.DateOf(t)
	return casebook.Date{Year: d.Year, Month: d.Month, Day: 1}.Time()
}

// addMonths moves a first-of-month instant by n months.
func addMonths(t time.Time, n int) time.Time {
	d := casebook.DateOf(t)
	return casebook.Date{Year: d.Year, Month: d.Month, Day: 1}.Time().In(casebook.Shanghai).AddDate(0, n, 0)
}

// trimmed is strings.TrimSpace without the import in every file.
func trimmed(s string) string {
	i, j := 0, len(s)
	for i < j && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	for j > i && (s[j-1] == ' ' || s[j-1] == '\t' || s[j-1] == '\n' || s[j-1] == '\r') {
		j--
	}
	return s[i:j]
}

// period is a span of received times that the ledger and the metrics
// screen offer to filter by.
type period struct {
	key      string
	name     string
	from, to time.Time // zero is unbounded
}

// Period keys, stable across languages so a choice survives a relabel.
const (
	periodAll       = "all"
	periodMonth     = "month"
	periodLastMonth = "last-month"
	periodQuarter   = "quarter"
	periodYear      = "year"
	periodTerm      = "term"
	period12Months  = "12-months"
	period30Days    = "30-days"
)

// periods lists the periods as of now; the term only when it is set.
func periods(now time.Time, term casebook.Term) []period {
	month := startOfMonth(now)
	d := casebook.DateOf(now)
	quarter := casebook.Date{Year: d.Year, Month: time.Month((int(d.Month)-1)/3*3 + 1), Day: 1}.Time()
	year := casebook.Date{Year: d.Year, Month: time.January, Day: 1}.Time()
	ps := []period{
		{key: periodAll, name: lang.X("period.all", "All time")},
		{key: periodMonth, name: lang.X("period.month", "This month"), from: month, to: addMonths(month, 1)},
		{key: periodLastMonth, name: lang.X("period.last_month", "Last month"), from: addMonths(month, -1), to: month},
		{key: periodQuarter, name: lang.X("period.quarter", "This quarter"), from: quarter, to: addMonths(quarter, 3)},
		{key: periodYear, name: lang.X("period.year", "This year"), from: year, to: addMonths(year, 12)},
		{key: period30Days, name: lang.X("period.30_days", "Last 30 days"), from: startOfDay(now).AddDate(0, 0, -29), to: startOfDay(now).AddDate(0, 0, 1)},
		{key: period12Months, name: lang.X("period.12_months", "Last 12 months"), from: addMonths(month, -11), to: addMonths(month, 1)},
	}
	if term.Start != (casebook.Date{}) {
		p := period{key: periodTerm, name: lang.X("period.term", "This term"), from: term.Start.Time()}
		if term.End != (casebook.Date{}) {
			p.to = term.End.AddDays(1).Time()
		}
		ps = append(ps, p)
	}
	return ps
}

// periodByKey finds a period in ps, or the first (all time).
func periodByKey(ps []period, key string) (period, int) {
	for i, p := range ps {
		if p.key == key {
			return p, i
		}
	}
	return ps[0], 0
}

// periodNames are the names of ps, for a Select.
func periodNames(ps []period) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.name
	}
	return out
}
