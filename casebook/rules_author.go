package casebook

import (
	"fmt"
	"strings"
)

// normalizeRule checks and cleans what a step of the 12345 rules needs
// from the person taking it; what it needs from the case (a request
// pending, a department summoned) is Case.ruleRefusal's.
func (s *Step) normalizeRule(c *Case) error {
	switch s.Action {
	case ActReturn, ActContest, ActExtend:
		if s.Note == "" {
			return fieldErr("reason", CodeRequired, "give the reason")
		}
	case ActReturnDecided, ActContestDecided, ActExtendDecided:
		d, err := ParseDecision(string(s.Decision))
		if err != nil {
			return asField("accepted", "", err)
		}
		s.Decision = d
	case ActMerge, ActMergeIn:
		if !isExactID(s.Ref) {
			return fieldErr("into", CodeBadID, "name the main appeal by its id", Clip(s.Ref, 40))
		}
	case ActWhistle:
		depts, err := ParseDepartments(s.To)
		if err != nil {
			return asField("departments", "", err)
		}
		s.To = strings.Join(depts, ",")
	case ActArrive:
		s.To = strings.TrimSpace(normalizeWidth(s.To))
		if s.To == "" {
			return fieldErr("department", CodeRequired, "name the department")
		}
	case ActWhistleResult:
		return s.normalizeRatings()
	}
	if s.Action == ActExtend || s.Action == ActExtendDecided && s.Until != (Date{}) {
		return s.checkUntil(c)
	}
	return nil
}

// checkUntil: an extension runs to a real day after the step's own day and
// within a year of the appeal's receipt.
func (s *Step) checkUntil(c *Case) error {
	if s.Until == (Date{}) {
		return fieldErr("until", CodeRequired, "say until which day")
	}
	if !s.Until.valid() {
		return fieldErr("until", CodeBadDate, "no such day", s.Until.String())
	}
	if err := CheckDate(s.Until); err != nil {
		return asField("until", "", err)
	}
	if !DateOf(s.At).Before(s.Until) {
		return fieldErr("until", CodeUntilEarly, "the extension must run past the day it is asked", DateOf(s.At).String())
	}
	if last := DateOf(c.Received()).AddDays(maxLimitDays); last.Before(s.Until) {
		return fieldErr("until", CodeOutOfRange, "an extension runs at most a year from the day received", 1, maxLimitDays)
	}
	return nil
}

// normalizeRatings reads a joint handling's result: the result in the
// note, each department rated at most once.
func (s *Step) normalizeRatings() error {
	if s.Note == "" {
		return fieldErr("note", CodeRequired, "write the result of the joint handling")
	}
	if len(s.Ratings) > MaxDepartments {
		return fieldErr("ratings", CodeTooMany, fmt.Sprintf("more than %d ratings", MaxDepartments), MaxDepartments)
	}
	out := make([]DeptRating, 0, len(s.Ratings))
	seen := map[string]bool{}
	for _, r := range s.Ratings {
		d := strings.TrimSpace(normalizeWidth(CleanLine(r.Dept)))
		g, err := ParseSatisfaction(string(r.Rating))
		switch {
		case d == "" || TooLong(d, MaxDeptRunes):
			return fieldErr("ratings", CodeRequired, "name each department rated")
		case err != nil:
			return asField("ratings", "", err)
		case seen[d]:
			return fieldErr("ratings", CodeRepeated, fmt.Sprintf("%s is rated twice", d), d)
		}
		seen[d] = true
		out = append(out, DeptRating{Dept: d, Rating: g})
	}
	s.Ratings = out
	return nil
}

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}
