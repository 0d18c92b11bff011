package store

import (
	"fmt"
	"time"

	"casebook/casebook"
)

// The steps of the 12345 rules that need more than one case or the
// deadline policy: a merge (并单) writes on both appeals, a step on a main
// appeal is followed by the appeals merged into it, and an extension must
// run past the handling deadline in force.

// mirrored are the loop steps the appeals merged into a main appeal follow:
// its handling, not its evaluation (each appeal keeps its own), notes or
// requests.
var mirrored = map[casebook.Action]bool{
	casebook.ActRespond: true, casebook.ActDispatch: true, casebook.ActProgress: true, casebook.ActResolve: true,
	casebook.ActUnresolvable: true, casebook.ActFeedback: true, casebook.ActClose: true,
}

// MergeCase merges the appeal id into the main appeal into (both by id or
// number; 并单): the repeated appeal joins the main one's handling. It
// writes one event on each, together. The main appeal must be open and
// not itself merged into another; the merged one must be open and not the
// main of others.
func (b *Book) MergeCase(id, into string) (*casebook.Case, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, err := b.resolve(id)
	if err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	main, err := b.resolve(into)
	if err != nil {
		return nil, fmt.Errorf("merge into: %w", err)
	}
	if !main.Status.Open() {
		return nil, fmt.Errorf("merge case %s into %s: %w", c.Number(), main.Number(), &casebook.StepError{Code: casebook.CodeMainNotOpen,
			Args: []any{string(main.Status)}, Msg: fmt.Sprintf("the main appeal is %s", main.Status)})
	}
	op, err := b.author.Step(c, casebook.Step{Action: casebook.ActMerge, Ref: main.ID})
	if err != nil {
		return nil, err
	}
	in, err := b.author.Step(main, casebook.Step{Action: casebook.ActMergeIn, Ref: c.ID, At: op.Event.At})
	if err != nil {
		return nil, fmt.Errorf("merge case %s into %s: %w", c.Number(), main.Number(), err)
	}
	if _, err := b.s.Apply(op, in); err != nil {
		return nil, fmt.Errorf("merge case %s: %w", c.Number(), err)
	}
	return b.s.Case(c.ID)
}

// followers makes the steps that the appeals merged into main take after
// its step op: the same step, pointing at it (Ref). An appeal not yet
// signed for is signed for first. An appeal that cannot take the step (it
// went its own way, or left the merge on another device) is left alone.
func (b *Book) followers(main *casebook.Case, op *casebook.Op) []casebook.Op {
	e := op.Event
	if !mirrored[e.Action] || len(main.Merged) == 0 {
		return nil
	}
	var out []casebook.Op
	for _, id := range main.Merged {
		m, err := b.s.Case(id)
		if err != nil || m.MergedInto != main.ID {
			continue
		}
		at := e.At
		if r := m.Received(); at.Before(r) {
			at = r
		}
		acts := []casebook.Action{e.Action}
		if _, err := casebook.Next(m.Status, e.Action); err != nil && m.Status == casebook.StatusReceived {
			acts = []casebook.Action{casebook.ActRespond, e.Action}
		}
		for _, a := range acts {
			s := casebook.Step{Action: a, At: at, Ref: main.ID, Note: e.Note, To: e.To}
			if a != e.Action {
				s.Note, s.To = "", ""
			}
			f, err := b.author.Step(m, s)
			if err != nil {
				break
			}
			if _, err := m.Apply(&f); err != nil {
				break
			}
			out = append(out, f)
		}
	}
	return out
}

// checkExtension refuses an extension that does not run past the
// handling deadline in force.
func (b *Book) checkExtension(c *casebook.Case, s casebook.Step) error {
	if s.Action != casebook.ActExtend && (s.Action != casebook.ActExtendDecided || s.Until == (casebook.Date{})) {
		return nil
	}
	policy := b.Settings().Policy
	sum := c.Summarize(&policy)
	last := casebook.DateOf(sum.HandleDue.Add(-time.Nanosecond)) // a day limit ends at 24:00
	if s.Until != (casebook.Date{}) && !last.Before(s.Until) {
		return fmt.Errorf("%s case %s: %w", s.Action, c.Number(), &casebook.FieldError{Field: "until", Code: casebook.CodeUntilEarly,
			Args: []any{last.String()}, Msg: fmt.Sprintf("the handling deadline is %s already; an extension must run past it", last)})
	}
	return nil
}
