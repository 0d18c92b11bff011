package appeals

import (
	"regexp"
	"strings"

	"fyne.io/fyne/v2/lang"

	"casebook/casebook"
)

// A resident's phone as the form accepts it: a mobile number (11 digits
// from 13 to 19), or a landline with its area code (0 and 2 or 3 digits,
// then 7 or 8), with an optional extension; +86 or 86 in front of a mobile
// is allowed, and spaces and dashes anywhere. 12345 itself (the hotline a
// dispatch came through) and other short service numbers are not a
// resident's phone. An empty box is fine: the phone is optional.
var (
	mobilePhone   = regexp.MustCompile(`^(?:\+?86)?1[3-9]\d{9}$`)
	landlinePhone = regexp.MustCompile(`^0\d{2,3}\d{7,8}(?:(?:转|ext|#)\d{1,6})?$`)
)

// phoneProblem says what is wrong with a phone typed in the form, or "".
func phoneProblem(s string) string {
	p := strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", "（", "", "）", "").Replace(casebook.NormalizeWidth(strings.TrimSpace(s)))
	switch {
	case p == "":
		return ""
	case p == "12345" || (len(p) <= 6 && strings.HasPrefix(p, "1")):
		return lang.X("form.phone.hotline", "this is a hotline number, not the resident's phone")
	case mobilePhone.MatchString(p) || landlinePhone.MatchString(p):
		return ""
	}
	return lang.X("form.phone.bad", "write a mobile number (11 digits) or a landline with its area code, e.g. 010-62345678")
}
