package input

import (
	"fmt"
	"strconv"
	"strings"

	"casebook/casebook"
)

// Attendee reads one line of a meeting's attendance: a role (who came),
// then the person's name or a head count. What a cadre types in the app's
// box, one line each:
//
//	物业 李经理        a role and a name
//	14号楼居民 12      a role and a head count (also 12人, 12名, 12位)
//	社区民警           a role alone: one person
//
// The command line's ROLE:NAME and ROLE:COUNT (also with a full-width
// colon) are read too. Full-width characters are made half-width, so that
// "１４号楼居民" is the 14号楼 of the cases. A blank line gives ok false and
// no error.
func Attendee(line string) (a casebook.Attendee, ok bool, err error) {
	t := clean(line)
	if t == "" {
		return a, false, nil
	}
	var role, rest string
	if r, x, found := strings.Cut(strings.ReplaceAll(t, "：", ":"), ":"); found {
		role, rest = strings.TrimSpace(r), strings.TrimSpace(x)
	} else {
		f := strings.FieldsFunc(t, func(r rune) bool { return r == ',' || r == '，' || r == '\t' || r == ' ' || r == '\u3000' })
		if len(f) == 0 {
			return a, false, nil // separators only: a blank line
		}
		role, rest = f[0], strings.Join(f[1:], " ")
	}
	if role == "" {
		return a, false, invalid(casebook.CodeBadAttendee, fmt.Sprintf("%q: write who attended first, e.g. 物业 李经理 or 14号楼居民 12", t))
	}
	a.Role = role
	if rest == "" {
		a.Count = 1
		return a, true, nil
	}
	num := strings.TrimSpace(strings.TrimRight(rest, "人名位 "))
	if n, err := strconv.Atoi(num); err == nil {
		if n < 1 {
			return a, false, invalid(casebook.CodeBadAttendee, fmt.Sprintf("%q: a head count must be at least 1", t))
		}
		a.Count = n
		return a, true, nil
	}
	a.Name = rest
	return a, true, nil
}

// Attendees reads attendance lines, one attendee a line, skipping blank
// lines. An error names the line.
func Attendees(text string) ([]casebook.Attendee, error) {
	var out []casebook.Attendee
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		a, ok, err := Attendee(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		if ok {
			out = append(out, a)
		}
	}
	return out, nil
}
