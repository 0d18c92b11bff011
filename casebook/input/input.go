// Package input reads what people type into the casebook's forms and
// command-line flags: rates, weights, counts, lists, building ranges,
// meeting attendance lines and references to numbered records. The command
// line and the app use these same functions, so a value typed one way in
// one is read the same way in the other. (Codes such as channels and
// statuses are read by the casebook's CodeTables; times and dates by
// casebook.ParseTime and casebook.ParseDate.)
//
// The parsers are forgiving in the way a cadre types on a Chinese input
// method: full-width digits and punctuation, Chinese separators (、，；)
// and units (人, 户, 号楼, 第…版) are all read. A value that cannot be read
// gives a *casebook.FieldError (an ErrInvalid) with a Code for the UI's
// translated text and an English text for the command line; the caller
// names the field or flag. The package is pure: no I/O.
package input

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"casebook/casebook"
)

// clean trims s and turns full-width characters into half-width.
func clean(s string) string { return strings.TrimSpace(casebook.NormalizeWidth(s)) }

func invalid(code casebook.Code, msg string, args ...any) *casebook.FieldError {
	return &casebook.FieldError{Code: code, Args: args, Msg: msg}
}

// number reads a decimal number, with "," or "_" between thousands.
func number(t string) (float64, bool) {
	t = strings.NewReplacer(",", "", "_", "").Replace(t)
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v != v || v > 1e15 || v < -1e15 { // NaN and Inf are not numbers people type
		return 0, false
	}
	return v, true
}

// Rate reads one of the three rates (a baseline such as 86 %) as a
// fraction 0..1. A cadre types a percentage, with or without the sign:
// "86", "86%", "86.5 %", "８６％" are all 0.86; a number with a point no
// more than 1 ("0.86") is read as a fraction too, the way the district's
// spreadsheets write rates. Empty, "-" or "none" is no data (nil). So "1"
// is 100 % and "0.5" is 50 %: a rate of 1 % or less is written with the
// sign ("0.5%").
func Rate(s string) (*float64, error) {
	t := clean(s)
	if t == "" || t == "-" || strings.EqualFold(t, "none") || t == "无" {
		return nil, nil
	}
	body, pct := strings.CutSuffix(t, "%")
	v, ok := number(strings.TrimSpace(body))
	if !ok {
		return nil, invalid(casebook.CodeNotANumber, fmt.Sprintf("%q is not a rate; write 86 or 86%%", s))
	}
	if pct || v > 1 {
		v /= 100
	}
	if v < 0 || v > 1 {
		return nil, invalid(casebook.CodeOutOfRange, fmt.Sprintf("%s is not between 0%% and 100%%", t), 0, 100)
	}
	return &v, nil
}

// Fraction reads a weight between 0 and 1: "0.9", or as a percentage
// "90%".
func Fraction(s string) (float64, error) {
	t := clean(s)
	body, pct := strings.CutSuffix(t, "%")
	v, ok := number(strings.TrimSpace(body))
	if !ok {
		return 0, invalid(casebook.CodeNotANumber, fmt.Sprintf("%q is not a number between 0 and 1", s))
	}
	if pct {
		v /= 100
	}
	if v < 0 || v > 1 {
		return 0, invalid(casebook.CodeOutOfRange, fmt.Sprintf("%s is not between 0 and 1", t), 0.0, 1.0)
	}
	return v, nil
}

// Count reads a whole number of things at least 0 and at most max:
// "2100", "2,100", "2100户", "12人". Empty is 0.
func Count(s string, max int) (int, error) {
	t := strings.TrimRight(clean(s), "户人名位个次天 ")
	if t == "" {
		return 0, nil
	}
	v, ok := number(t)
	if !ok || v != float64(int64(v)) {
		return 0, invalid(casebook.CodeNotANumber, fmt.Sprintf("%q is not a whole number", s))
	}
	if v < 0 || v > float64(max) {
		return 0, invalid(casebook.CodeOutOfRange, fmt.Sprintf("%s is not between 0 and %d", t, max), 0, max)
	}
	return int(v), nil
}

// isSeparator says whether r separates the items of a list typed on one
// line or one per line: commas (, ，), the enumeration comma 、,
// semicolons (; ；) and white space (spaces, the ideographic space, tabs,
// line breaks).
func isSeparator(r rune) bool {
	switch r {
	case ',', '，', '、', ';', '；':
		return true
	}
	return unicode.IsSpace(r)
}

// List splits a list typed on one line or one item a line, dropping empty
// items: "14号楼、15号楼", "张三, 李四", "停车管理 环境卫生". Items keep their
// own width (a name is stored as typed).
func List(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, isSeparator) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Lines splits text into its non-empty lines, trimmed: for lists whose
// items may hold spaces (attendance, holidays with notes).
func Lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
