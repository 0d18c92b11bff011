package casebook

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Text that comes from outside (a sheet, a command-line argument, a peer's
// operation, a header) may hold control characters: ESC ]0;…BEL retitles a
// terminal, ESC [2J clears it, a C1 CSI (U+009B) does the same on terminals
// that read 8-bit controls. They are removed on the way in (CleanText,
// CleanLine) and shown escaped on the way out (EscapeControls), and text is
// shortened only at character boundaries (Clip, ClipRunes), so that an error
// line never ends in half a Chinese character.

// isControl reports a C0 or C1 control character or DEL.
func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) }

// CleanText removes control characters from multi-line text (details,
// notes, minutes): tab and newline stay, a CR LF or a lone CR becomes a
// newline, every other C0 or C1 control, DEL and invalid UTF-8 is dropped.
func CleanText(s string) string { return clean(s, true) }

// CleanLine is CleanText for one-line values (names, summaries, numbers):
// tabs and line breaks become spaces as well.
func CleanLine(s string) string { return clean(s, false) }

func clean(s string, multiline bool) string {
	if !needsClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n <= 1:
			// invalid UTF-8: dropped
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				continue // the \n that follows makes the break
			}
			b.WriteByte(lineBreak(multiline))
		case r == '\n':
			b.WriteByte(lineBreak(multiline))
		case r == '\t':
			if multiline {
				b.WriteByte('\t')
			} else {
				b.WriteByte(' ')
			}
		case isControl(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func lineBreak(multiline bool) byte {
	if multiline {
		return '\n'
	}
	return ' '
}

// needsClean reports whether clean would change s (the common case: no).
func needsClean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			if c >= 0x80 {
				// Only invalid UTF-8 and C1 controls (U+0080–U+009F, encoded C2 80–C2 9F) matter.
				r, n := utf8.DecodeRuneInString(s[i:])
				if (r == utf8.RuneError && n <= 1) || isControl(r) {
					return true
				}
				i += n - 1
				continue
			}
			return true
		}
	}
	return false
}

// EscapeControls makes text safe to print on a terminal: every control
// character but tab and newline, and every byte of invalid UTF-8, is shown
// as a visible escape (\u001b, \x9b) instead of being sent raw. JSON
// output stays valid: the escapes are JSON's own.
func EscapeControls(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(s[i])|0x100, 16)[1:])
		case r != '\n' && r != '\t' && isControl(r):
			b.WriteString(`\u00`)
			b.WriteString(strconv.FormatUint(uint64(r)|0x100, 16)[1:])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\n' || c == '\t' {
			continue
		}
		if c < 0x20 || c == 0x7f {
			return true
		}
		if c >= 0x80 {
			r, n := utf8.DecodeRuneInString(s[i:])
			if (r == utf8.RuneError && n <= 1) || isControl(r) {
				return true
			}
			i += n - 1
		}
	}
	return false
}

// Clip shortens s to at most max bytes, cutting at a character boundary
// and marking the cut with "…" (which is not counted): for error messages
// and logs that quote untrusted text. Control characters are escaped.
func Clip(s string, max int) string {
	s = EscapeControls(s)
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// ClipRunes shortens s to at most n characters (no mark).
func ClipRunes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// Sane times: nothing this program records happened before 2000 (12345
// hotlines and community governance records start well after), and nothing
// is recorded more than a day ahead of the clock. Outside that range a
// time is a typing error or a hostile input, refused with one line, never
// passed on to code that cannot represent it (ids hold milliseconds since
// 1970).
var (
	// EarliestTime is the earliest time a record may carry.
	EarliestTime = time.Date(2000, 1, 1, 0, 0, 0, 0, Shanghai)
	// LatestYear bounds the dates of plans (term ends, due dates).
	LatestYear = 2100
)

// CheckTime refuses the time of something that happened (a receipt, a
// step, a meeting) before EarliestTime (CodeOutOfRange) or after the end
// of tomorrow, Beijing time, as seen from now (CodeFuture). The error is a
// FieldError (ErrInvalid) whose caller names the field.
func CheckTime(t, now time.Time) error {
	if t.Before(EarliestTime) {
		return invalid(CodeOutOfRange, "the time "+saneFormat(t)+" is before 2000", EarliestTime.Year(), LatestYear)
	}
	y, m, d := now.In(Shanghai).Date()
	if end := time.Date(y, m, d+2, 0, 0, 0, 0, Shanghai); !t.Before(end) {
		return invalid(CodeFuture, "the time "+saneFormat(t)+" is after tomorrow")
	}
	return nil
}

// CheckDate refuses a planned day (a term's start or end, a due date)
// before 2000 or after LatestYear (CodeOutOfRange).
func CheckDate(d Date) error {
	if d.Year < EarliestTime.Year() || d.Year > LatestYear {
		return invalid(CodeOutOfRange, fmt.Sprintf("the date %s is not between %d and %d", d, EarliestTime.Year(), LatestYear),
			EarliestTime.Year(), LatestYear)
	}
	return nil
}

func saneFormat(t time.Time) string {
	if t.Year() < 0 || t.Year() > 9999 {
		return "(out of range)"
	}
	return t.In(Shanghai).Format("2006-01-02 15:04")
}
