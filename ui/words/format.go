package words

import (
	"math"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"casebook/casebook"
	"casebook/casebook/input"
)

// Times are stored in UTC and shown in Beijing time whatever the computer's
// zone, because deadlines and the ledger are about the community's day.

// Sep separates pieces of text on one line: the ideographic space in
// Chinese, where an ASCII space after a Chinese character renders as a
// gap in the embedded font's box (TestChineseCatalogueSpacing), and a
// middle dot between spaces in English.
func Sep() string {
	if Language() == LangEnglish {
		return " · "
	}
	return "\u3000"
}

// EnumSep joins the items of a list in running text: 、 in Chinese, a comma
// in English.
func EnumSep() string {
	if Language() == LangEnglish {
		return ", "
	}
	return "、"
}

// Enum joins items with EnumSep.
func Enum(items []string) string { return strings.Join(items, EnumSep()) }

const (
	LayoutMinute = "2006-01-02 15:04"
	LayoutDay    = "2006-01-02"
)

// FmtTime shows an instant to the minute in Beijing time, or "" for zero.
func FmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(casebook.Shanghai).Format(LayoutMinute)
}

// FmtDay shows the Beijing day of an instant, or "" for zero.
func FmtDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(casebook.Shanghai).Format(LayoutDay)
}

// FmtDate shows a civil date, or "" for the zero date.
func FmtDate(d casebook.Date) string {
	if d == (casebook.Date{}) {
		return ""
	}
	return d.String()
}

// ParseMinute reads a time typed in a form: empty is zero (meaning "now"
// to the domain), anything else as casebook.ParseTime reads it.
func ParseMinute(s string) (time.Time, error) {
	if Trimmed(s) == "" {
		return time.Time{}, nil
	}
	return casebook.ParseTime(s)
}

// FmtInt groups thousands with commas: 100000 → "100,000".
func FmtInt(n int) string {
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

// FmtRate shows a fraction as a percentage with one decimal, or a dash when
// there is no data: a rate with no denominator is neither 0 % nor 100 %.
func FmtRate(r *float64) string {
	if r == nil {
		return "—"
	}
	return strconv.FormatFloat(*r*100, 'f', 1, 64) + "%"
}

// FmtPercent is fmtRate for a plain value.
func FmtPercent(v float64) string { return FmtRate(&v) }

// FmtPoints shows a change of a rate in percentage points with its sign.
func FmtPoints(d *float64) string {
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

// FmtFraction shows a fraction for a settings field: 0.86 → "86", so that
// people type percentages, as in the district's figures.
func FmtFraction(r *float64) string {
	if r == nil {
		return ""
	}
	return strconv.FormatFloat(*r*100, 'f', -1, 64)
}

// StartOfDay is 00:00 Beijing time of the day of t.
func StartOfDay(t time.Time) time.Time { return casebook.DateOf(t).Time() }

// StartOfMonth is 00:00 Beijing time of the first day of t's month.
func StartOfMonth(t time.Time) time.Time {
	d := casebook.DateOf(t)
	return casebook.Date{Year: d.Year, Month: d.Month, Day: 1}.Time()
}

// AddMonths moves a first-of-month instant by n months.
func AddMonths(t time.Time, n int) time.Time {
	d := casebook.DateOf(t)
	return casebook.Date{Year: d.Year, Month: d.Month, Day: 1}.Time().In(casebook.Shanghai).AddDate(0, n, 0)
}

// Trimmed is strings.TrimSpace without the import in every file.
func Trimmed(s string) string {
	i, j := 0, len(s)
	for i < j && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	for j > i && (s[j-1] == ' ' || s[j-1] == '\t' || s[j-1] == '\n' || s[j-1] == '\r') {
		j--
	}
	return s[i:j]
}

// Period is a span of received times that the ledger and the metrics
// screen offer to filter by.
type Period struct {
	Key      string
	Name     string
	From, To time.Time // zero is unbounded
}

// Period keys, stable across languages so a choice survives a relabel.
const (
	PeriodAll       = "all"
	PeriodMonth     = "month"
	PeriodLastMonth = "last-month"
	PeriodQuarter   = "quarter"
	PeriodYear      = "year"
	PeriodTerm      = "term"
	Period12Months  = "12-months"
	Period30Days    = "30-days"
)

// Periods lists the periods as of now; the term only when it is set.
func Periods(now time.Time, term casebook.Term) []Period {
	month := StartOfMonth(now)
	d := casebook.DateOf(now)
	quarter := casebook.Date{Year: d.Year, Month: time.Month((int(d.Month)-1)/3*3 + 1), Day: 1}.Time()
	year := casebook.Date{Year: d.Year, Month: time.January, Day: 1}.Time()
	ps := []Period{
		{Key: PeriodAll, Name: lang.X("period.all", "All time")},
		{Key: PeriodMonth, Name: lang.X("period.month", "This month"), From: month, To: AddMonths(month, 1)},
		{Key: PeriodLastMonth, Name: lang.X("period.last_month", "Last month"), From: AddMonths(month, -1), To: month},
		{Key: PeriodQuarter, Name: lang.X("period.quarter", "This quarter"), From: quarter, To: AddMonths(quarter, 3)},
		{Key: PeriodYear, Name: lang.X("period.year", "This year"), From: year, To: AddMonths(year, 12)},
		{Key: Period30Days, Name: lang.X("period.30_days", "Last 30 days"), From: StartOfDay(now).AddDate(0, 0, -29), To: StartOfDay(now).AddDate(0, 0, 1)},
		{Key: Period12Months, Name: lang.X("period.12_months", "Last 12 months"), From: AddMonths(month, -11), To: AddMonths(month, 1)},
	}
	if term.Start != (casebook.Date{}) {
		p := Period{Key: PeriodTerm, Name: lang.X("period.term", "This term"), From: term.Start.Time()}
		if term.End != (casebook.Date{}) {
			p.To = term.End.AddDays(1).Time()
		}
		ps = append(ps, p)
	}
	return ps
}

// PeriodByKey finds a period in ps, or the first (all time).
func PeriodByKey(ps []Period, key string) (Period, int) {
	for i, p := range ps {
		if p.Key == key {
			return p, i
		}
	}
	return ps[0], 0
}

// PeriodNames are the names of ps, for a Select.
func PeriodNames(ps []Period) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

func FmtFloat1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func FmtIntPlain(n int) string { return strconv.Itoa(n) }

func Itoa(n int) string { return FmtIntPlain(n) }

// Export period keys besides those of periods().
const PeriodCustom = "custom"

// JoinNonEmpty joins the non-empty parts.
func JoinNonEmpty(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}

// FmtDeadline shows a deadline: a day limit ends at 24:00, which is shown
// as that day ("2026-03-04"), not as 00:00 of the next; an hour limit
// shows its time.
func FmtDeadline(t time.Time) string {
	st := t.In(casebook.Shanghai)
	if st.Hour() == 0 && st.Minute() == 0 && st.Second() == 0 {
		return st.AddDate(0, 0, -1).Format(LayoutDay)
	}
	return st.Format(LayoutMinute)
}

// SplitList splits a list typed on one line or one item a line, as
// input.List does (、，,; and spaces), dropping empty items.
func SplitList(s string) []string { return input.List(s) }

// Clip shortens s to n characters, with an ellipsis if it was longer.
func Clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// MinSample is the fewest appeals a rate is trusted on: a rate from fewer
// is shown muted and marked 样本少, since one appeal more or less moves it by
// 20 points or more.
const MinSample = 5

// FewSamples reports whether a rate rests on fewer than MinSample appeals
// (none at all included).
func FewSamples(r casebook.Rate) bool { return r.Den < MinSample }

// FmtRateN shows a rate with its count: "91.0%（n=287）"; a rate from too
// few appeals also says so: "100.0%（n=2，样本少）".
func FmtRateN(r casebook.Rate) string {
	n := strconv.FormatFloat(r.Den, 'f', -1, 64)
	if FewSamples(r) {
		return lang.X("fmt.rate_few", "{{.Rate}} (n={{.N}}, few cases)", map[string]any{"Rate": FmtRate(r.Value()), "N": n})
	}
	return lang.X("fmt.rate_n", "{{.Rate}} (n={{.N}})", map[string]any{"Rate": FmtRate(r.Value()), "N": n})
}

// FmtCount is the count under a rate: "n=287", or "n=2 样本少".
func FmtCount(r casebook.Rate) string {
	n := strconv.FormatFloat(r.Den, 'f', -1, 64)
	if FewSamples(r) {
		return lang.X("fmt.count_few", "n={{.N}}, few cases", map[string]any{"N": n})
	}
	return "n=" + n
}

// FmtScore shows the composite score, a weighted sum of three rates, as a
// score out of 100: "87.3分" (not a percentage, which it is not).
func FmtScore(v *float64) string {
	if v == nil {
		return "—"
	}
	return lang.X("fmt.score", "{{.Score}} points", map[string]any{"Score": strconv.FormatFloat(*v*100, 'f', 1, 64)})
}

// FmtScoreChange shows a change of the composite score with its sign.
func FmtScoreChange(d *float64) string {
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
	}
	return lang.X("fmt.score", "{{.Score}} points", map[string]any{"Score": s})
}

// CustomPeriod reads a period typed as two days, the last inclusive (either
// may be blank: open). It returns the translated problem, or "".
func CustomPeriod(fromText, toText string) (from, to time.Time, problem string) {
	if strings.TrimSpace(fromText) != "" {
		d, err := casebook.ParseDate(fromText)
		if err != nil {
			return from, to, MsgDate()
		}
		from = d.Time()
	}
	if strings.TrimSpace(toText) != "" {
		d, err := casebook.ParseDate(toText)
		if err != nil {
			return from, to, MsgDate()
		}
		to = d.AddDays(1).Time()
	}
	if !from.IsZero() && !to.IsZero() && !to.After(from) {
		return from, to, lang.X("export.err.order", "The last day is before the first.")
	}
	return from, to, ""
}
