package store

import (
	"errors"
	"testing"
	"time"

	"casebook/casebook"
)

func stepCode(err error) casebook.Code {
	var fe *casebook.FieldError
	var se *casebook.StepError
	switch {
	case errors.As(err, &se):
		return se.Code
	case errors.As(err, &fe):
		return fe.Code
	}
	return ""
}

// TestMergeCaseFollows: 并单 writes on both appeals; the merged ones follow
// the main one's handling steps, each pointing at it, and keep their own
// evaluation; the main cannot be closed or merged appeals merged again.
func TestMergeCaseFollows(t *testing.T) {
	clk := newFakeClock(t0, time.Minute)
	s := NewMemory()
	b, err := NewBook(s, "王明", clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 3 {
		in := sampleInput(i)
		in.Received = t0.Add(-time.Hour)
		c, err := b.AddCase(in)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	mainID, m1, m2 := ids[0], ids[1], ids[2]
	if _, err := b.Step(mainID, casebook.Step{Action: casebook.ActRespond}); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{m1, m2} {
		if _, err := b.MergeCase(m, mainID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.MergeCase(mainID, m1); stepCode(err) != casebook.CodeIsMain {
		t.Errorf("merge the main into a merged one: %v", err)
	}
	if _, err := b.MergeCase(m1, ids[2]); stepCode(err) != casebook.CodeMerged {
		t.Errorf("merge a merged one again: %v", err)
	}
	for _, st := range []casebook.Step{{Action: casebook.ActDispatch, To: "物业"}, {Action: casebook.ActResolve, Note: "已清理"},
		{Action: casebook.ActFeedback}, {Action: casebook.ActEvaluate, Solved: "yes", Satisfaction: "satisfied"}, {Action: casebook.ActClose}} {
		if _, err := b.Step(mainID, st); err != nil {
			t.Fatalf("%s: %v", st.Action, err)
		}
	}
	for _, id := range []string{m1, m2} {
		c, err := b.Case(id)
		if err != nil {
			t.Fatal(err)
		}
		// respond (catching up) and dispatch, resolve, feedback, close: each pointing at the main.
		if c.Status != casebook.StatusClosed || c.MergedInto != mainID || c.Solved != "" || c.RespondedAt.IsZero() {
			t.Errorf("merged %s: status %s merged into %s solved %q", c.Number(), c.Status, c.MergedInto, c.Solved)
		}
		n := 0
		for _, e := range c.Timeline {
			if e.Ref == mainID && e.Refused == "" {
				n++
			}
		}
		if n != 6 { // merge + respond, dispatch, resolve, feedback, close
			t.Errorf("merged %s: %d events point at the main, want 6: %+v", c.Number(), n, c.Timeline)
		}
	}
	sum, _ := s.Index().Get(mainID)
	if sum.Merged != 2 {
		t.Errorf("main summary merged = %d", sum.Merged)
	}
	if sum, _ := s.Index().Get(m1); sum.MergedInto != mainID {
		t.Errorf("merged summary: %+v", sum)
	}
	in := sampleInput(9)
	in.Received = t0
	late, _ := b.AddCase(in)
	if _, err := b.MergeCase(late.ID, mainID); stepCode(err) != casebook.CodeMainNotOpen {
		t.Errorf("merge into a closed main: %v", err)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}

// TestExtensionDeadline: an extension must run past the handling deadline
// in force; an approved one moves it and what is overdue follows.
func TestExtensionDeadline(t *testing.T) {
	clk := newFakeClock(t0, time.Minute)
	s := NewMemory()
	b, _ := NewBook(s, "王明", clk.Now)
	in := sampleInput(1)
	in.Received = t0.Add(-10 * 24 * time.Hour) // 03-05: due 03-12 24:00, overdue now
	c, err := b.AddCase(in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Step(c.ID, casebook.Step{Action: casebook.ActRespond, At: t0.Add(-9 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Step(c.ID, casebook.Step{Action: casebook.ActExtend, Note: "x", Until: casebook.Date{Year: 2026, Month: 3, Day: 12}}); stepCode(err) != casebook.CodeUntilEarly {
		t.Errorf("extend to the deadline's day: %v", err)
	}
	if sum, _ := s.Index().Get(c.ID); !sum.Overdue(t0) {
		t.Fatalf("not overdue before the extension")
	}
	for _, st := range []casebook.Step{{Action: casebook.ActExtend, Note: "需协调产权单位", Until: casebook.Date{Year: 2026, Month: 3, Day: 25}},
		{Action: casebook.ActExtendDecided, Decision: casebook.DecisionAccepted}} {
		if _, err := b.Step(c.ID, st); err != nil {
			t.Fatalf("%s: %v", st.Action, err)
		}
	}
	sum, _ := s.Index().Get(c.ID)
	if sum.Overdue(t0) || !sum.HandleDue.Equal(time.Date(2026, 3, 25, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("after the extension: due %v overdue %v", sum.HandleDue, sum.Overdue(t0))
	}
	// A refused return's time away moves the deadlines once the policy
	// pauses the clock; the stored summaries follow the policy change.
	set := b.Settings()
	set.Policy.PauseWhileReturned = true
	if err := b.UpdateSettings(set); err != nil {
		t.Fatal(err)
	}
	if sum2, _ := s.Index().Get(c.ID); !sum2.HandleDue.Equal(sum.HandleDue) {
		t.Errorf("no time away, yet the deadline moved")
	}
}
