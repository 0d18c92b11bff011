package xlsx

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"casebook/casebook"
)

// errEmpty marks an empty cell where a value is required.
var errEmpty = errors.New("empty")

// cleanCell normalizes a cell's text: full-width letters, digits and spaces
// become half-width, non-breaking and other odd spaces become plain ones,
// runs of spaces become one, and the ends are trimmed.
func cleanCell(s string) string {
	if s == "" {
		return ""
	}
	s = casebook.NormalizeWidth(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u200b' || r == '\ufeff' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// cleanNumberText turns a number that a spreadsheet stored as a number (a
// work-order or phone number typed into a cell without a leading quote) back
// into its digits: "13812341234", "1.3812341234E10" and "13812341234.0" all
// give "13812341234". Anything else is returned unchanged.
func cleanNumberText(s string) string {
	if s == "" || len(s) > 40 {
		return s
	}
	hasExp := strings.ContainsAny(s, "eE")
	hasDot := strings.Contains(s, ".")
	if !hasExp && !hasDot {
		return s
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return s
		}
	}
	f, ok := new(big.Float).SetPrec(200).SetString(s)
	if !ok || f.Sign() < 0 || !f.IsInt() {
		return s
	}
	i, _ := f.Int(nil)
	return i.String()
}

// Excel serial dates: day 1 is 1900-01-01 (with Excel's phantom 1900-02-29,
// so the epoch is 1899-12-30 for every date from March 1900 on), or day 0
// is 1904-01-01 in workbooks using the 1904 date system.
var (
	epoch1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	epoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// maxSerial is 9999-12-31, the last day Excel can show.
const maxSerial = 2958465

// ExcelSerial converts an instant to the serial number Excel stores for the
// same Shanghai wall-clock time (1900 date system), as written by Export.
//
// Most times of day have no exact binary fraction, and excelize writes a
// number with 15 significant digits, cutting off the rest: 09:24 became
// 45992.3916666666, a few microseconds before 09:24, which LibreOffice Calc
// showed as 09:23. So the serial is nudged up by serialNudge (86 µs, more
// than the cut of at most 10⁻¹⁰ day): the value written is never before the
// time meant and shows as it in every format; reading it back rounds to the
// second.
func ExcelSerial(t time.Time) float64 {
	wall := t.Unix() + 8*3600 // Shanghai has no DST
	return float64(wall)/86400 + 25569 + serialNudge
}

// serialNudge: see ExcelSerial.
const serialNudge = 1e-9

// serialTime reads an Excel serial date as Shanghai wall-clock time, to the
// nearest second.
func serialTime(f float64, date1904 bool) (time.Time, bool) {
	if math.IsNaN(f) || f < 1 || f >= maxSerial+1 {
		return time.Time{}, false
	}
	days := math.Floor(f)
	secs := math.Round((f - days) * 86400)
	epoch := epoch1900
	if date1904 {
		epoch = epoch1904
	}
	w := epoch.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second)
	y, m, d := w.Date()
	if y > 9999 {
		return time.Time{}, false
	}
	return time.Date(y, m, d, w.Hour(), w.Minute(), w.Second(), 0, casebook.Shanghai).UTC(), true
}

// textDate is the date part, then an optional time; separators are
// normalized to "-", " " and ":" before matching.
var textDate = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?: ?(\d{1,2})(?::(\d{1,2}))?(?::(\d{1,2}))?)?$`)

// fracSeconds is a fraction of a second after the seconds, dropped before
// "." becomes a date separator.
var fracSeconds = regexp.MustCompile(`(:\d{1,2})\.\d{1,9}$`)

// dateReplacer maps the separators of the usual Chinese spellings onto the
// ones textDate expects: "2026年3月2日 14时30分", "2026/3/2 14:30",
// "2026.03.02", "2026-03-02T14:30:00".
var dateReplacer = strings.NewReplacer(
	"年", "-", "月", "-", "/", "-", ".", "-", "日", " ", "号", " ",
	"时", ":", "點", ":", "点", ":", "分", ":", "秒", "", "T", " ", "t", " ",
)

// ParseCellTime reads a date or time from a spreadsheet cell's raw value:
//   - an Excel serial number ("46083.6041666667"), in the 1904 date system if
//     date1904 is set;
//   - text: "2026-03-02 14:30[:05]", "2026/3/2 14:30", "2026.3.2",
//     "2026年3月2日 14:30", "2026年3月2日14时30分", "2026-03-02T14:30:00",
//     "20260302", "202603021430", "20260302143005", 上午/下午 (AM/PM)
//     before the time, RFC 3339 with a zone;
//   - full-width digits and stray spaces anywhere.
//
// Times without a zone are Shanghai local time. It returns the instant in
// UTC and whether the cell had a time of day (a date alone is midnight).
func ParseCellTime(s string, date1904 bool) (t time.Time, clock bool, err error) {
	v := cleanCell(s)
	if v == "" {
		return time.Time{}, false, errEmpty
	}
	fail := func() (time.Time, bool, error) {
		return time.Time{}, false, fmt.Errorf("%w: %q is not a date", casebook.ErrInvalid, s)
	}
	if len(v) > 64 {
		return fail()
	}
	if allDigitsStr(v) {
		switch len(v) {
		case 8, 12, 14: // 20260302, 202603021430, 20260302143005
			parts := []string{v[:4], v[4:6], v[6:8], "", "", ""}
			if len(v) >= 12 {
				parts[3], parts[4] = v[8:10], v[10:12]
			}
			if len(v) == 14 {
				parts[5] = v[12:14]
			}
			return civil(parts, fail)
		}
	}
	if f, ferr := strconv.ParseFloat(v, 64); ferr == nil && isPlainNumber(v) {
		if tt, ok := serialTime(f, date1904); ok {
			return tt, f != math.Floor(f), nil
		}
		return fail()
	}
	if tt, perr := time.Parse(time.RFC3339Nano, v); perr == nil {
		return tt.UTC(), true, nil
	}
	// 上午/下午 (AM/PM) before the time of day.
	pm := false
	for _, w := range []struct {
		word string
		pm   bool
	}{{"下午", true}, {"晚上", true}, {"上午", false}, {"早上", false}, {"凌晨", false}, {"中午", false}} {
		if i := strings.Index(v, w.word); i > 0 {
			v = v[:i] + " " + v[i+len(w.word):]
			pm = w.pm
			break
		}
	}
	v = fracSeconds.ReplaceAllString(v, "$1")
	n := dateReplacer.Replace(v)
	n = strings.Join(strings.Fields(n), " ")
	n = strings.ReplaceAll(n, " :", ":")
	n = strings.ReplaceAll(n, ": ", ":")
	n = strings.ReplaceAll(n, "- ", "-")
	n = strings.ReplaceAll(n, " -", "-")
	n = strings.TrimRight(n, ": -")
	m := textDate.FindStringSubmatch(n)
	if m == nil {
		return fail()
	}
	t, clock, err = civil(m[1:], fail)
	if err == nil && pm && clock {
		h := t.In(casebook.Shanghai).Hour()
		if h > 12 {
			return fail()
		}
		if h < 12 {
			t = t.Add(12 * time.Hour)
		}
	}
	return t, clock, err
}

// civil builds a Shanghai time from year, month, day, hour, minute, second
// strings (the last three may be empty), refusing days and times that do
// not exist rather than rolling them over.
func civil(p []string, fail func() (time.Time, bool, error)) (time.Time, bool, error) {
	num := func(s string) int {
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return -1
		}
		return n
	}
	y, mo, d, h, mi, sec := num(p[0]), num(p[1]), num(p[2]), num(p[3]), num(p[4]), num(p[5])
	if y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 {
		return fail()
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, casebook.Shanghai)
	if t.Day() != d {
		return fail()
	}
	return t.UTC(), p[3] != "", nil
}

func allDigitsStr(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// isPlainNumber accepts what a cell stores for a number: digits with an
// optional fraction and exponent (no sign, no "Inf", no hex).
func isPlainNumber(s string) bool {
	dot, exp := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
		case c == '.' && !dot && !exp:
			dot = true
		case (c == 'e' || c == 'E') && !exp && i > 0:
			exp = true
			if i+1 < len(s) && (s[i+1] == '+' || s[i+1] == '-') {
				i++
			}
		default:
			return false
		}
	}
	return s != "" && isDigit(s[0])
}

// ParseTimeLimit reads a 12345 sheet's 办理时限 (time limit) cell and gives
// the urgency class it implies: "2小时" → emergency, "24小时" → utility
// (water, power, gas, heating), "7天"/"7个工作日" → general,
// "15个工作日"/"15天" → complex. A deadline written as a date or time is
// measured from received. Words such as 紧急 or 一般 are read as the class.
func ParseTimeLimit(s string, received time.Time, date1904 bool) (casebook.Urgency, error) {
	v := strings.ToLower(cleanCell(s))
	if v == "" {
		return casebook.UrgencyGeneral, errEmpty
	}
	if u, err := casebook.ParseUrgency(v); err == nil {
		return u, nil
	}
	switch v {
	case "即时", "立即", "特急", "急":
		return casebook.UrgencyEmergency, nil
	case "普通", "常规":
		return casebook.UrgencyGeneral, nil
	}
	compact := strings.ReplaceAll(v, " ", "")
	i := 0
	for i < len(compact) && isDigit(compact[i]) {
		i++
	}
	if i > 0 && i < len(compact) && i <= 4 {
		n, _ := strconv.Atoi(compact[:i])
		unit := strings.TrimSuffix(strings.TrimPrefix(compact[i:], "个"), "内")
		switch unit {
		case "小时", "h", "hour", "hours", "个小时", "小時":
			return urgencyOfHours(float64(n)), nil
		case "天", "日", "d", "day", "days", "工作日", "个工作日", "自然日", "日历日":
			return urgencyOfDays(float64(n)), nil
		}
	}
	if t, clock, err := ParseCellTime(s, date1904); err == nil && !received.IsZero() {
		if !clock {
			t = t.Add(24 * time.Hour) // a date alone is the end of that day
		}
		hours := t.Sub(received).Hours()
		if hours <= 0 {
			return casebook.UrgencyGeneral, fmt.Errorf("%w: deadline %q is before the appeal was received", casebook.ErrInvalid, s)
		}
		return urgencyOfHours(hours), nil
	}
	return casebook.UrgencyGeneral, fmt.Errorf("%w: time limit %q", casebook.ErrInvalid, s)
}

func urgencyOfHours(h float64) casebook.Urgency {
	switch {
	case h <= 4:
		return casebook.UrgencyEmergency
	case h <= 48:
		return casebook.UrgencyUtility
	}
	return urgencyOfDays(h / 24)
}

func urgencyOfDays(d float64) casebook.Urgency {
	switch {
	case d <= 1:
		return casebook.UrgencyUtility
	case d <= 10:
		return casebook.UrgencyGeneral
	}
	return casebook.UrgencyComplex
}

// parseVerdicts reads the callback result: a solved verdict and a
// satisfaction grade, from their own cells or from one combined cell such as
// "已解决/满意" or "部分解决，基本满意".
func parseSolved(s string) (casebook.Solved, bool) {
	v := strings.ReplaceAll(cleanCell(s), " ", "")
	if v == "" {
		return "", false
	}
	if sv, err := casebook.ParseSolved(v); err == nil {
		return sv, true
	}
	switch {
	case strings.Contains(v, "未解决"), strings.Contains(v, "没有解决"), strings.Contains(v, "没解决"), v == "否", v == "不解决":
		return casebook.SolvedNo, true
	case strings.Contains(v, "部分解决"), strings.Contains(v, "基本解决"):
		return casebook.SolvedPartly, true
	case strings.Contains(v, "解决"), v == "是":
		return casebook.SolvedYes, true
	}
	return "", false
}

func parseSatisfaction(s string) (casebook.Satisfaction, bool) {
	v := strings.ReplaceAll(cleanCell(s), " ", "")
	if v == "" {
		return "", false
	}
	if sa, err := casebook.ParseSatisfaction(v); err == nil {
		return sa, true
	}
	switch {
	case strings.Contains(v, "不满意"), strings.Contains(v, "非常不满意"):
		return casebook.NotSatisfied, true
	case strings.Contains(v, "基本满意"), strings.Contains(v, "比较满意"), strings.Contains(v, "一般"):
		return casebook.BasicSatisfied, true
	case strings.Contains(v, "满意"):
		return casebook.Satisfied, true
	}
	return "", false
}

// parseType reads the appeal type of a 12345 sheet; Beijing's 12345 says 求决
// (asking for a solution) for a request for help, and 举报 (report) is
// handled as a complaint.
func parseType(s string) (casebook.AppealType, bool) {
	v := strings.ReplaceAll(cleanCell(s), " ", "")
	if v == "" {
		return casebook.TypeComplaint, true
	}
	if t, err := casebook.ParseType(v); err == nil {
		return t, true
	}
	switch v {
	case "求决", "求助类", "诉求", "求助求决":
		return casebook.TypeHelp, true
	case "举报", "投诉类", "投诉举报", "反映":
		return casebook.TypeComplaint, true
	case "意见", "意见建议", "建议类":
		return casebook.TypeSuggestion, true
	case "咨询类", "询问", "政策咨询":
		return casebook.TypeConsultation, true
	}
	return "", false
}

// buildingPattern finds "14号楼", "14栋", "14幢" in an address.
var buildingPattern = regexp.MustCompile(`(\d{1,4})\s*(号楼|栋|幢|号院)`)

// buildingOf guesses the building of an address: one of the community's
// buildings named in it, else "N号楼" from the address.
func buildingOf(addr string, known []string) string {
	if addr == "" {
		return ""
	}
	best := ""
	for _, b := range known {
		if b != "" && strings.Contains(addr, b) && len(b) > len(best) {
			best = b
		}
	}
	if best != "" {
		return best
	}
	if m := buildingPattern.FindStringSubmatch(addr); m != nil {
		if m[2] == "号院" {
			return ""
		}
		return m[1] + "号楼"
	}
	return ""
}
