package casebook

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Shanghai is China Standard Time. China has no DST, so a fixed zone avoids
// reading tzdata from disk (a Windows office PC may have none).
var Shanghai = time.FixedZone("CST", 8*3600)

// Date is a civil date in Shanghai time. Deadlines, holidays and ledger rows
// are about days on the community's wall calendar, not instants, so they are
// kept apart from time.Time. It is comparable and can be a map key; the zero
// Date means "no date" and is written as "" in JSON.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the day t falls on in Shanghai, whatever t's location: a case
// received at 01:30 Beijing time belongs to that day even though it is still
// the previous day in UTC.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Shanghai).Date()
	return Date{y, m, d}
}

// ParseDate reads a date as people type it in the office and as it appears in
// district spreadsheets: "2026-01-02", "2026-1-2", "2026/1/2", "2026.1.2",
// "20260102", "2026年1月2日" (日 or 号 optional), with full-width digits and
// punctuation allowed and surrounding spaces ignored. The day must exist.
func ParseDate(s string) (Date, error) {
	t := strings.TrimSpace(normalizeWidth(s))
	fail := func(why string) (Date, error) {
		return Date{}, fmt.Errorf("parse date %q: %w", s, invalid(CodeBadDate, why, s))
	}
	if t == "" {
		return fail("empty")
	}
	var y, m, d int
	if len(t) == 8 && allDigits(t) {
		y, _ = strconv.Atoi(t[:4])
		m, _ = strconv.Atoi(t[4:6])
		d, _ = strconv.Atoi(t[6:])
	} else {
		var seps []string
		switch {
		case strings.Contains(t, "年"):
			seps = []string{"年", "月"}
			if u, ok := strings.CutSuffix(t, "日"); ok {
				t = u
			} else if u, ok := strings.CutSuffix(t, "号"); ok {
				t = u
			}
		case strings.Contains(t, "-"):
			seps = []string{"-", "-"}
		case strings.Contains(t, "/"):
			seps = []string{"/", "/"}
		case strings.Contains(t, "."):
			seps = []string{".", "."}
		default:
			return fail("want YYYY-MM-DD")
		}
		ys, rest, ok1 := strings.Cut(t, seps[0])
		ms, ds, ok2 := strings.Cut(rest, seps[1])
		ys, ms, ds = strings.TrimSpace(ys), strings.TrimSpace(ms), strings.TrimSpace(ds)
		if !ok1 || !ok2 || len(ys) != 4 || len(ms) < 1 || len(ms) > 2 || len(ds) < 1 || len(ds) > 2 ||
			!allDigits(ys) || !allDigits(ms) || !allDigits(ds) {
			return fail("want YYYY-MM-DD")
		}
		y, _ = strconv.Atoi(ys)
		m, _ = strconv.Atoi(ms)
		d, _ = strconv.Atoi(ds)
	}
	out := Date{y, time.Month(m), d}
	if !out.valid() {
		return fail("no such day")
	}
	return out, nil
}

// valid reports whether d names a day that exists, in years 1–9999 so that
// String always gives four year digits and ParseDate can read it back.
func (d Date) valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 {
		return false
	}
	y, m, dd := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Date()
	return y == d.Year && m == d.Month && dd == d.Day
}

// String is ISO 8601 (YYYY-MM-DD), which sorts as text and which Excel and
// every reader of an export understand; the zero Date gives "".
func (d Date) String() string {
	if d == (Date{}) {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Time is the start of the day (00:00) in Shanghai, which is also the end
// (24:00) of the day before: day-based deadlines are built from it.
func (d Date) Time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Shanghai)
}

// AddDays moves by whole calendar days (negative n goes back), normalizing
// across month and year ends.
func (d Date) AddDays(n int) Date {
	y, m, dd := time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC).Date()
	return Date{y, m, dd}
}

// Weekday is the day of the week of the civil date, independent of any zone.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Weekday()
}

// MarshalText writes YYYY-MM-DD so that dates read naturally in JSON and work
// as JSON object keys. It refuses a day that does not exist rather than write
// something UnmarshalText could not read back.
func (d Date) MarshalText() ([]byte, error) {
	if d == (Date{}) {
		return []byte{}, nil
	}
	if !d.valid() {
		return nil, fmt.Errorf("marshal date %d-%d-%d: %w", d.Year, int(d.Month), d.Day, invalid(CodeBadDate, "no such day", d.String()))
	}
	return []byte(d.String()), nil
}

// UnmarshalText accepts whatever ParseDate accepts, and "" as the zero Date,
// so that hand-edited settings files are forgiving.
func (d *Date) UnmarshalText(b []byte) error {
	if strings.TrimSpace(string(b)) == "" {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Calendar knows public holidays and make-up workdays (调休上班). China moves
// working days around every holiday, so weekends alone would put deadlines on
// days the office is closed and skip Saturdays it is open. Dates listed in
// neither slice follow the week: Monday to Friday are workdays.
type Calendar struct {
	Holidays []Date `json:"holidays"`
	Workdays []Date `json:"workdays"`
}

// IsWorkday reports whether the office works on d. A make-up workday wins over
// the weekend, and a holiday over a weekday.
func (c Calendar) IsWorkday(d Date) bool {
	for _, w := range c.Workdays {
		if w == d {
			return true
		}
	}
	for _, h := range c.Holidays {
		if h == d {
			return false
		}
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Validate catches mistakes in a hand-edited calendar: a day that does not
// exist, or a day listed both as a holiday and as a workday, where IsWorkday
// would silently pick one.
func (c Calendar) Validate() error {
	hol := make(map[Date]bool, len(c.Holidays))
	for _, h := range c.Holidays {
		if !h.valid() {
			return fmt.Errorf("calendar: %w", fieldErr("holidays", CodeBadDate, fmt.Sprintf("holiday %d-%d-%d does not exist", h.Year, int(h.Month), h.Day), h.String()))
		}
		hol[h] = true
	}
	for _, w := range c.Workdays {
		if !w.valid() {
			return fmt.Errorf("calendar: %w", fieldErr("workdays", CodeBadDate, fmt.Sprintf("workday %d-%d-%d does not exist", w.Year, int(w.Month), w.Day), w.String()))
		}
		if hol[w] {
			return fmt.Errorf("calendar: %w", fieldErr("workdays", CodeHolidayWorkday, fmt.Sprintf("%s is both a holiday and a workday", w), w.String()))
		}
	}
	return nil
}

// China2026 is the official 2026 schedule (国办发明电, 2025-11-04), so that a
// new casebook counts working days correctly without setup. Later years must
// be added in settings when the State Council publishes them; until then
// their dates fall back to Monday–Friday.
func China2026() Calendar {
	var c Calendar
	off := func(m time.Month, from, to int) {
		for d := from; d <= to; d++ {
			c.Holidays = append(c.Holidays, Date{2026, m, d})
		}
	}
	off(time.January, 1, 3)     // 元旦
	off(time.February, 15, 23)  // 春节
	off(time.April, 4, 6)       // 清明节
	off(time.May, 1, 5)         // 劳动节
	off(time.June, 19, 21)      // 端午节
	off(time.September, 25, 27) // 中秋节
	off(time.October, 1, 7)     // 国庆节
	c.Workdays = []Date{
		{2026, time.January, 4},    // Sun, 元旦
		{2026, time.February, 14},  // Sat, 春节
		{2026, time.February, 28},  // Sat, 春节
		{2026, time.May, 9},        // Sat, 劳动节
		{2026, time.September, 20}, // Sun, 国庆节
		{2026, time.October, 10},   // Sat, 国庆节
	}
	return c
}

// allDigits reports whether s is non-empty and only ASCII digits; strconv
// alone would also accept signs.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
