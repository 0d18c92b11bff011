package xlsx

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"casebook/casebook"
)

// MaskName hides a resident's name for exports read by others: the first
// character stays and every other character becomes "*", so the length still
// shows: 张三 → 张*, 王小明 → 王**, 欧阳娜娜 → 欧***. A single character
// becomes "*" (keeping it would show the whole name). Surrounding spaces are
// dropped; an empty name stays empty.
func MaskName(s string) string {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch n {
	case 0:
		return ""
	case 1:
		return "*"
	}
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && size <= 1 {
		return strings.Repeat("*", n)
	}
	return s[:size] + strings.Repeat("*", n-1)
}

// MaskPhone hides the middle of phone numbers, keeping what lets a clerk tell
// numbers apart without being able to call:
//
//	13812341234        → 138****1234   (mobile: first 3 and last 4 digits)
//	+86 138 1234 1234  → +86 138****1234
//	010-62345678       → 010-****5678  (landline: area code and last 4)
//	01062345678        → 010****5678
//	62345678-123       → ****5678-***  (an extension is hidden)
//	13812341234/13900001111 → 138****1234/139****1111
//
// Full-width digits are read as digits. Any other run of digits keeps at most
// its last 4 (last 2 if shorter than 7 digits). Text that is not digits
// (separators, 转 for extension) is kept.
func MaskPhone(s string) string {
	s = strings.TrimSpace(casebook.NormalizeWidth(s))
	if s == "" {
		return ""
	}
	// Collapse the digit groups of one number ("138 1234 1234", "138-1234-1234")
	// so that the groups are masked as one number.
	type run struct{ start, end int } // byte offsets of a digit run in s
	var runs []run
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		runs = append(runs, run{i, j})
		i = j
	}
	if len(runs) == 0 {
		return s
	}
	// Merge the groups of a mobile number written with spaces or dashes: 3-4-4.
	merged := make([]run, 0, len(runs))
	for i := 0; i < len(runs); i++ {
		r := runs[i]
		if i+2 < len(runs) && r.end-r.start == 3 && s[r.start] == '1' &&
			runs[i+1].end-runs[i+1].start == 4 && runs[i+2].end-runs[i+2].start == 4 &&
			onlySeps(s[r.end:runs[i+1].start]) && onlySeps(s[runs[i+1].end:runs[i+2].start]) {
			merged = append(merged, run{r.start, runs[i+2].end})
			i += 2
			continue
		}
		merged = append(merged, r)
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	subscriber := false // a subscriber number was masked; shorter runs after it are extensions
	for i, r := range merged {
		b.WriteString(s[last:r.start])
		last = r.end
		raw := s[r.start:r.end]
		digits := stripNonDigits(raw)
		more := i+1 < len(merged)
		switch {
		case !subscriber && more && (digits == "86" || digits == "0086"):
			b.WriteString(raw) // country code
		case !subscriber && more && len(digits) >= 3 && len(digits) <= 4 && digits[0] == '0':
			b.WriteString(raw) // area code
		case subscriber && len(digits) < 7:
			b.WriteString(strings.Repeat("*", len(digits))) // extension
		default:
			b.WriteString(maskDigits(digits))
			subscriber = true
		}
	}
	b.WriteString(s[last:])
	return b.String()
}

// maskDigits masks one number given as digits only.
func maskDigits(d string) string {
	n := len(d)
	switch {
	case n == 11 && d[0] == '1': // mobile
		return d[:3] + "****" + d[7:]
	case n == 13 && strings.HasPrefix(d, "86") && d[2] == '1': // 86 + mobile
		return d[:5] + "****" + d[9:]
	case n >= 10 && n <= 12 && d[0] == '0': // landline with area code, no separator
		area := 4
		if d[1] == '1' || d[1] == '2' {
			area = 3
		}
		return d[:area] + strings.Repeat("*", n-area-4) + d[n-4:]
	case n >= 7:
		return strings.Repeat("*", n-4) + d[n-4:]
	case n >= 3:
		return strings.Repeat("*", n-2) + d[n-2:]
	}
	return strings.Repeat("*", n)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func onlySeps(s string) bool {
	if s == "" || len(s) > 2 {
		return false
	}
	for _, r := range s {
		if r != ' ' && r != '-' {
			return false
		}
	}
	return true
}

func stripNonDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) && r < utf8.RuneSelf {
			return r
		}
		return -1
	}, s)
}

// groupWords mark a party's name as a group of residents rather than one
// person: "排队业主", "14号楼居民", "现有承租户", "沿街商户".
var groupWords = []string{"业主", "居民", "住户", "租户", "商户", "群众", "代表", "们", "家长", "老人", "村民", "户"}

// MaskPartyName is the name of a dispute's party as an export read by
// others shows it. Only a household party (居民户) names residents; of
// those, a group ("排队业主", "现有承租户") names no one and is kept, a
// person's name is masked (张建国 → 张**), and the names before 等 in "张建国、
// 李红等5户" are masked one by one (张**、李*等5户). Other kinds (物业, 业委会,
// a street department, a building's residents) are organisations and kept.
func MaskPartyName(p casebook.Party) string {
	if p.Kind != casebook.PartyHousehold {
		return p.Name
	}
	name := strings.TrimSpace(p.Name)
	if i := strings.Index(name, "等"); i > 0 {
		return maskNameList(name[:i]) + name[i:]
	}
	for _, w := range groupWords {
		if strings.Contains(name, w) {
			return name
		}
	}
	return maskNameList(name)
}

// maskNameList masks each name of a list written with 、，, or spaces.
func maskNameList(s string) string {
	var b strings.Builder
	start := 0
	for i, r := range s {
		if strings.ContainsRune("、，, ；;", r) {
			b.WriteString(MaskName(s[start:i]))
			b.WriteRune(r)
			start = i + utf8.RuneLen(r)
		}
	}
	b.WriteString(MaskName(s[start:]))
	return b.String()
}
