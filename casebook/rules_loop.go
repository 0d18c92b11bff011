package casebook

// The steps of the 12345 rules in the case's replay (derive): what each
// needs beyond the loop's transitions (Case.ruleRefusal) and what it
// changes (Case.applyRule). A request (退单, 申诉, 延期) waits for its
// decision; one of a kind at a time. A merge names the main appeal on the
// merged one (ActMerge, Ref: the main) and the merged one on the main
// (ActMergeIn, Ref: the merged); the Book writes both together. A whistle
// summons departments, each of which reports (报到) once per summons and
// is rated in the joint handling's result.

import (
	"fmt"
	"time"
)

// IsRuleAction reports whether a is a step of the 12345 rules.
func IsRuleAction(a Action) bool {
	switch a {
	case ActReturn, ActReturnDecided, ActContest, ActContestDecided, ActExtend, ActExtendDecided,
		ActMerge, ActMergeIn, ActWhistle, ActArrive, ActWhistleResult:
		return true
	}
	return false
}

// ruleReplay is what the replay remembers of pending requests between
// steps and does not store: when the pending return was asked, and the
// day the pending extension asks for.
type ruleReplay struct {
	returnAt time.Time
	until    Date
}

func (c *Case) resetRules() {
	c.Pending, c.ReturnTo, c.Contested, c.ExtendedTo, c.Away = 0, "", false, time.Time{}, 0
	c.MergedInto, c.Merged, c.Callback, c.Whistle = "", nil, "", nil
}

// requestOf is the request an action asks for or decides.
func requestOf(a Action) (Requests, string) {
	switch a {
	case ActReturn, ActReturnDecided:
		return RequestReturn, "return"
	case ActContest, ActContestDecided:
		return RequestContest, "contest"
	case ActExtend, ActExtendDecided:
		return RequestExtend, "extend"
	}
	return 0, ""
}

// ruleRefusal says why a step of the 12345 rules cannot be taken now, or
// nil; the loop's transitions were checked before.
func (c *Case) ruleRefusal(e *Event) error {
	req, name := requestOf(e.Action)
	switch e.Action {
	case ActReturn, ActContest, ActExtend:
		if c.Pending.Has(req) {
			return stepErr(CodePending, fmt.Sprintf("a %s request is already waiting for its decision", name), name)
		}
	case ActReturnDecided, ActContestDecided, ActExtendDecided:
		if !c.Pending.Has(req) {
			return stepErr(CodeNoRequest, fmt.Sprintf("no %s request is waiting for a decision", name), name)
		}
		if _, err := DecisionCodes.Parse(string(e.Decision)); err != nil || e.Decision == "" {
			return fieldErr("accepted", CodeRequired, "say whether it was accepted")
		}
	}
	switch e.Action {
	case ActReturn:
		if c.MergedInto != "" {
			return stepErr(CodeMerged, "a merged appeal follows its main appeal", c.MergedInto)
		}
	case ActContest:
		if c.Contested {
			return stepErr(CodeContested, "a contest of this appeal was accepted already")
		}
	case ActExtend:
		if !c.HandledAt.IsZero() {
			return stepErr(CodeHandled, "the appeal was handled already: its handling deadline is met")
		}
		if e.Until == (Date{}) {
			return fieldErr("until", CodeRequired, "say until which day")
		}
	case ActMerge, ActMergeIn:
		return c.mergeRefusal(e)
	case ActWhistle, ActArrive, ActWhistleResult:
		return c.whistleRefusal(e)
	}
	return nil
}

// mergeRefusal: one level of merging only, and not into itself.
func (c *Case) mergeRefusal(e *Event) error {
	switch {
	case e.Ref == "":
		return fieldErr("into", CodeRequired, "name the main appeal")
	case e.Ref == c.ID:
		return fieldErr("into", CodeSelfLink, "an appeal cannot be merged into itself")
	case c.MergedInto != "":
		return stepErr(CodeMerged, "this appeal was merged into another already", c.MergedInto)
	case e.Action == ActMerge && len(c.Merged) > 0:
		return stepErr(CodeIsMain, "other appeals were merged into this one: it stays the main appeal", len(c.Merged))
	case e.Action == ActMergeIn && contains(c.Merged, e.Ref):
		return stepErr(CodeMerged, "that appeal was merged into this one already", e.Ref)
	}
	return nil
}

// waiting returns the index of dept's call still waiting for it to
// report, or -1.
func (c *Case) waiting(dept string) int {
	for i := len(c.Whistle) - 1; i >= 0; i-- {
		if c.Whistle[i].Dept == dept {
			if c.Whistle[i].Arrived.IsZero() {
				return i
			}
			return -1
		}
	}
	return -1
}

// lastCall returns the index of dept's latest call, or -1.
func (c *Case) lastCall(dept string) int {
	for i := len(c.Whistle) - 1; i >= 0; i-- {
		if c.Whistle[i].Dept == dept {
			return i
		}
	}
	return -1
}

// whistleRefusal: a department is summoned again only after it reported,
// reports once per summons and not before it, and is rated only if
// summoned.
func (c *Case) whistleRefusal(e *Event) error {
	switch e.Action {
	case ActWhistle:
		depts, err := ParseDepartments(e.To)
		if err != nil {
			return asField("departments", "", err)
		}
		for _, d := range depts {
			if c.waiting(d) >= 0 {
				return stepErr(CodeSummoned, fmt.Sprintf("%s was summoned and has not reported yet", d), d)
			}
		}
	case ActArrive:
		i := c.waiting(e.To)
		if i < 0 {
			if c.lastCall(e.To) >= 0 {
				return stepErr(CodeArrived, fmt.Sprintf("%s has reported already", e.To), e.To)
			}
			return stepErr(CodeNotSummoned, fmt.Sprintf("%s was not summoned", e.To), e.To)
		}
		if e.At.Before(c.Whistle[i].Summoned) {
			return fieldErr("at", CodeBeforeSummoned, "a department cannot report before it was summoned")
		}
	case ActWhistleResult:
		if len(c.Whistle) == 0 {
			return stepErr(CodeNoWhistle, "no department was summoned")
		}
		for _, r := range e.Ratings {
			if c.lastCall(r.Dept) < 0 {
				return stepErr(CodeNotSummoned, fmt.Sprintf("%s was not summoned", r.Dept), r.Dept)
			}
			if _, err := SatisfactionCodes.Parse(string(r.Rating)); err != nil || r.Rating == "" {
				return fieldErr("ratings", CodeNotInList, fmt.Sprintf("rating %q of %s", r.Rating, r.Dept), string(r.Rating))
			}
		}
	}
	return nil
}

// applyRule takes a step of the 12345 rules and returns the status after
// it (next, but for an accepted return).
func (c *Case) applyRule(rp *ruleReplay, next Status, e *Event) Status {
	req, _ := requestOf(e.Action)
	accepted := e.Decision == DecisionAccepted
	switch e.Action {
	case ActReturn:
		c.Pending |= req
		c.ReturnTo, rp.returnAt = e.To, e.At
	case ActReturnDecided:
		c.Pending &^= req
		if accepted {
			if e.To != "" {
				c.ReturnTo = e.To
			}
			c.Pending = 0 // what else was asked is moot: the case left the books
			return StatusReturned
		}
		if d := e.At.Sub(rp.returnAt); d > 0 {
			c.Away += d
		}
		c.ReturnTo = ""
	case ActContest:
		c.Pending |= req
	case ActContestDecided:
		c.Pending &^= req
		c.Contested = accepted
	case ActExtend:
		c.Pending |= req
		rp.until = e.Until
	case ActExtendDecided:
		c.Pending &^= req
		if accepted {
			until := rp.until
			if e.Until != (Date{}) { // the decision may grant another day than asked
				until = e.Until
			}
			c.ExtendedTo = until.AddDays(1).Time().UTC() // 24:00 of that day, Beijing time
		}
	case ActMerge:
		c.MergedInto = e.Ref
	case ActMergeIn:
		c.Merged = append(c.Merged, e.Ref)
	default:
		c.applyWhistle(e)
	}
	return next
}

func (c *Case) applyWhistle(e *Event) {
	switch e.Action {
	case ActWhistle:
		depts, _ := ParseDepartments(e.To)
		for _, d := range depts {
			c.Whistle = append(c.Whistle, DeptCall{Dept: d, Summoned: e.At})
		}
	case ActArrive:
		c.Whistle[c.waiting(e.To)].Arrived = e.At
	case ActWhistleResult:
		for _, r := range e.Ratings {
			c.Whistle[c.lastCall(r.Dept)].Rating = r.Rating
		}
	}
}

// ruleShapeWhy checks the fields of the 12345 rules in an event received
// from elsewhere (Op.Validate): codes from their tables, a real day, a
// bounded list of ratings, a merge naming its other appeal. It says what
// is wrong, or "".
func (e *Event) ruleShapeWhy() string {
	switch {
	case e.Callback != "" && !CallbackCodes.known(e.Callback):
		return fmt.Sprintf("unknown callback outcome %q", Clip(string(e.Callback), 40))
	case e.Decision != "" && !DecisionCodes.known(e.Decision):
		return fmt.Sprintf("unknown decision %q", Clip(string(e.Decision), 40))
	case e.Until != (Date{}) && (!e.Until.valid() || CheckDate(e.Until) != nil):
		return "until is not a day"
	case len(e.Ratings) > MaxDepartments:
		return "too many ratings"
	case (e.Action == ActMerge || e.Action == ActMergeIn) && e.Ref == "":
		return "a merge names no appeal"
	}
	for _, r := range e.Ratings {
		if r.Dept == "" || len(r.Dept) > 4*MaxDeptRunes || !SatisfactionCodes.known(r.Rating) {
			return "bad rating"
		}
	}
	return ""
}
