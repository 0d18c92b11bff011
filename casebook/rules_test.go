package casebook

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// ruleFixture is a case and its author, with a clock that moves an hour a
// step.
type ruleFixture struct {
	t   *testing.T
	clk *fakeNow
	a   *Author
	c   *Case
}

func newRuleFixture(t *testing.T) *ruleFixture {
	clk := &fakeNow{t: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}
	a := newAuthor("dev-a", clk)
	return &ruleFixture{t: t, clk: clk, a: a, c: newTestCase(t, a)}
}

// step takes s an hour after the last one and returns the error.
func (f *ruleFixture) step(s Step) error {
	f.clk.advance(time.Hour)
	op, err := f.a.Step(f.c, s)
	if err != nil {
		return err
	}
	mustApply(f.t, f.c, op)
	return nil
}

func (f *ruleFixture) must(steps ...Step) {
	f.t.Helper()
	for _, s := range steps {
		if err := f.step(s); err != nil {
			f.t.Fatalf("%s: %v", s.Action, err)
		}
	}
}

// errCode is the code of a FieldError or StepError in err, or "".
func errCode(err error) Code {
	var fe *FieldError
	var se *StepError
	switch {
	case errors.As(err, &se):
		return se.Code
	case errors.As(err, &fe):
		return fe.Code
	}
	return ""
}

var (
	stRespond  = Step{Action: ActRespond}
	stResolve  = Step{Action: ActResolve, Note: "已清理"}
	stFeedback = Step{Action: ActFeedback}
	stClose    = Step{Action: ActClose}
	stEvaluate = Step{Action: ActEvaluate, Solved: SolvedYes, Satisfaction: Satisfied}
	stReturn   = Step{Action: ActReturn, Note: "属城管职责", To: "街道城管科"}
	stContest  = Step{Action: ActContest, Note: "诉求超出政策范围", Evidence: "物业合同第5条"}
	stExtend   = Step{Action: ActExtend, Note: "需协调产权单位", Until: Date{2026, 3, 20}}
	stWhistle  = Step{Action: ActWhistle, To: "城管，消防、物业"}
)

func decided(a Action, d Decision) Step { return Step{Action: a, Decision: d} }

// TestRuleSteps: every step of the 12345 rules, allowed and refused, with
// what it changes and the code of each refusal.
func TestRuleSteps(t *testing.T) {
	tests := []struct {
		name   string
		before []Step
		step   Step
		code   Code               // "" : allowed
		check  func(c *Case) bool // after an allowed step
	}{
		{"return from received", nil, stReturn, "", func(c *Case) bool {
			return c.Pending == RequestReturn && c.ReturnTo == "街道城管科" && c.Status == StatusReceived
		}},
		{"return needs a reason", nil, Step{Action: ActReturn}, CodeRequired, nil},
		{"return twice", []Step{stReturn}, stReturn, CodePending, nil},
		{"return after handling", []Step{stRespond, stResolve}, stReturn, CodeNotAllowed, nil},
		{"return accepted", []Step{stReturn}, decided(ActReturnDecided, DecisionAccepted), "", func(c *Case) bool {
			return c.Status == StatusReturned && c.Pending == 0 && !c.Status.Open()
		}},
		{"return refused", []Step{stReturn}, decided(ActReturnDecided, DecisionRefused), "", func(c *Case) bool {
			return c.Status == StatusReceived && c.Pending == 0 && c.Away == time.Hour && c.ReturnTo == ""
		}},
		{"return decided without a request", nil, decided(ActReturnDecided, DecisionAccepted), CodeNoRequest, nil},
		{"return decided without a decision", []Step{stReturn}, Step{Action: ActReturnDecided}, CodeRequired, nil},
		{"a returned case takes only notes", []Step{stReturn, decided(ActReturnDecided, DecisionAccepted)}, stRespond, CodeNotAllowed, nil},
		{"note on a returned case", []Step{stReturn, decided(ActReturnDecided, DecisionAccepted)}, Step{Action: ActNote, Note: "已转城管"}, "", nil},

		{"contest after close-out", []Step{stRespond, stResolve, stFeedback, stClose}, stContest, "", func(c *Case) bool {
			return c.Pending == RequestContest && c.Status == StatusClosed
		}},
		{"contest twice", []Step{stContest}, stContest, CodePending, nil},
		{"contest accepted", []Step{stContest}, decided(ActContestDecided, DecisionAccepted), "", func(c *Case) bool {
			return c.Contested && c.Pending == 0
		}},
		{"contest refused", []Step{stContest}, decided(ActContestDecided, "驳回"), "", func(c *Case) bool { return !c.Contested }},
		{"contest again after acceptance", []Step{stContest, decided(ActContestDecided, DecisionAccepted)}, stContest, CodeContested, nil},
		{"contest again after refusal", []Step{stContest, decided(ActContestDecided, DecisionRefused)}, stContest, "", nil},
		{"contest of a returned case", []Step{stReturn, decided(ActReturnDecided, DecisionAccepted)}, stContest, CodeNotAllowed, nil},

		{"extend", []Step{stRespond}, stExtend, "", func(c *Case) bool { return c.Pending == RequestExtend }},
		{"extend needs a day", []Step{stRespond}, Step{Action: ActExtend, Note: "x"}, CodeRequired, nil},
		{"extend to today", []Step{stRespond}, Step{Action: ActExtend, Note: "x", Until: Date{2026, 3, 2}}, CodeUntilEarly, nil},
		{"extend past a year", []Step{stRespond}, Step{Action: ActExtend, Note: "x", Until: Date{2027, 3, 20}}, CodeOutOfRange, nil},
		{"extend a handled complex case", []Step{stRespond, stResolve}, stExtend, CodeNotAllowed, nil},
		{"extend approved", []Step{stRespond, stExtend}, decided(ActExtendDecided, DecisionAccepted), "", func(c *Case) bool {
			return c.ExtendedTo.Equal(time.Date(2026, 3, 20, 16, 0, 0, 0, time.UTC)) && c.Pending == 0
		}},
		{"extend approved to another day", []Step{stRespond, stExtend}, Step{Action: ActExtendDecided, Decision: DecisionAccepted, Until: Date{2026, 3, 15}}, "", func(c *Case) bool {
			return c.ExtendedTo.Equal(time.Date(2026, 3, 15, 16, 0, 0, 0, time.UTC))
		}},
		{"extend refused", []Step{stRespond, stExtend}, decided(ActExtendDecided, DecisionRefused), "", func(c *Case) bool { return c.ExtendedTo.IsZero() }},

		{"merge names no appeal", nil, Step{Action: ActMerge}, CodeBadID, nil},
		{"merge into itself", nil, Step{Action: ActMerge, Ref: "SELF"}, CodeSelfLink, nil},
		{"merge", nil, Step{Action: ActMerge, Ref: "01JAAAAAAAAAAAAAAAAAAAAAAA"}, "", func(c *Case) bool { return c.MergedInto == "01JAAAAAAAAAAAAAAAAAAAAAAA" }},
		{"merge twice", []Step{{Action: ActMerge, Ref: "01JAAAAAAAAAAAAAAAAAAAAAAA"}}, Step{Action: ActMerge, Ref: "01JBBBBBBBBBBBBBBBBBBBBBBB"}, CodeMerged, nil},
		{"merge a main appeal", []Step{{Action: ActMergeIn, Ref: "01JAAAAAAAAAAAAAAAAAAAAAAA"}}, Step{Action: ActMerge, Ref: "01JBBBBBBBBBBBBBBBBBBBBBBB"}, CodeIsMain, nil},
		{"merge into a merged appeal", []Step{{Action: ActMerge, Ref: "01JAAAAAAAAAAAAAAAAAAAAAAA"}}, Step{Action: ActMergeIn, Ref: "01JBBBBBBBBBBBBBBBBBBBBBBB"}, CodeMerged, nil},
		{"merge in the same appeal twice", []Step{{Action: ActMergeIn, Ref: "01JAAAAAAAAAAAAAAAAAAAAAAA"}}, Step{Action: ActMergeIn, Ref: "01JAAAAAAAAAAAAAAAAAAAAAAA"}, CodeMerged, nil},
		{"merge a closed appeal", []Step{stRespond, stResolve, stFeedback, stClose}, Step{Action: ActMerge, Ref: "01JAAAAAAAAAAAAAAAAAAAAAAA"}, CodeNotAllowed, nil},
		{"return a merged appeal", []Step{{Action: ActMerge, Ref: "01JAAAAAAAAAAAAAAAAAAAAAAA"}}, stReturn, CodeMerged, nil},

		{"whistle before signing for", nil, stWhistle, CodeNotAllowed, nil},
		{"whistle", []Step{stRespond}, stWhistle, "", func(c *Case) bool {
			return len(c.Whistle) == 3 && c.Whistle[0].Dept == "城管" && c.Whistle[1].Dept == "消防" && c.Whistle[2].Dept == "物业"
		}},
		{"whistle names nobody", []Step{stRespond}, Step{Action: ActWhistle, To: " , 、"}, CodeRequired, nil},
		{"whistle names one twice", []Step{stRespond}, Step{Action: ActWhistle, To: "城管,城管"}, CodeRepeated, nil},
		{"whistle one still on its way", []Step{stRespond, stWhistle}, Step{Action: ActWhistle, To: "城管"}, CodeSummoned, nil},
		{"arrive", []Step{stRespond, stWhistle}, Step{Action: ActArrive, To: "消防"}, "", func(c *Case) bool {
			return c.Whistle[1].Arrived.Sub(c.Whistle[1].Summoned) == time.Hour && c.Whistle[0].Arrived.IsZero()
		}},
		{"arrive twice", []Step{stRespond, stWhistle, {Action: ActArrive, To: "消防"}}, Step{Action: ActArrive, To: "消防"}, CodeArrived, nil},
		{"arrive not summoned", []Step{stRespond, stWhistle}, Step{Action: ActArrive, To: "城建科"}, CodeNotSummoned, nil},
		{"whistle again after arrival", []Step{stRespond, stWhistle, {Action: ActArrive, To: "消防"}}, Step{Action: ActWhistle, To: "消防"}, "", func(c *Case) bool {
			return len(c.Whistle) == 4 && c.Whistle[3].Arrived.IsZero()
		}},
		{"result", []Step{stRespond, stWhistle}, Step{Action: ActWhistleResult, Note: "联合清理完毕",
			Ratings: []DeptRating{{"城管", "满意"}, {"物业", "unsatisfied"}}}, "", func(c *Case) bool {
			return c.Whistle[0].Rating == Satisfied && c.Whistle[2].Rating == NotSatisfied && c.Whistle[1].Rating == ""
		}},
		{"result without a whistle", []Step{stRespond}, Step{Action: ActWhistleResult, Note: "x"}, CodeNoWhistle, nil},
		{"result rates one not summoned", []Step{stRespond, stWhistle}, Step{Action: ActWhistleResult, Note: "x",
			Ratings: []DeptRating{{"城建科", Satisfied}}}, CodeNotSummoned, nil},
		{"result rates one twice", []Step{stRespond, stWhistle}, Step{Action: ActWhistleResult, Note: "x",
			Ratings: []DeptRating{{"城管", Satisfied}, {"城管", NotSatisfied}}}, CodeRepeated, nil},

		{"callback not reached", []Step{stRespond, stResolve, stFeedback}, Step{Action: ActEvaluate, Callback: "未接通"}, "", func(c *Case) bool {
			return c.Status == StatusEvaluated && c.Callback == CallbackUnreachable && c.Solved == ""
		}},
		{"callback with verdicts and an outcome", []Step{stRespond, stResolve, stFeedback},
			Step{Action: ActEvaluate, Callback: "未评价", Solved: SolvedYes, Satisfaction: Satisfied}, CodeInvalid, nil},
		{"reopen clears the callback", []Step{stRespond, stResolve, stFeedback, {Action: ActEvaluate, Callback: "拒绝评价"}},
			Step{Action: ActReopen, Note: "又反映"}, "", func(c *Case) bool { return c.Callback == "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newRuleFixture(t)
			f.must(tt.before...)
			if tt.step.Ref == "SELF" {
				tt.step.Ref = f.c.ID
			}
			err := f.step(tt.step)
			switch {
			case tt.code == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.code != "" && errCode(err) != tt.code:
				t.Fatalf("err = %v (code %q), want code %q", err, errCode(err), tt.code)
			case tt.code == "" && tt.check != nil && !tt.check(f.c):
				b, _ := json.MarshalIndent(f.c, "", " ")
				t.Fatalf("after the step:\n%s", b)
			}
		})
	}
}

// TestRuleConcurrent: requests and decisions made on two devices without
// seeing each other merge to the same case in either order; a step that no
// longer fits its place in the merged order is kept and marked refused.
func TestRuleConcurrent(t *testing.T) {
	tests := []struct {
		name   string
		before []Step
		a, b   Step
		check  func(c *Case) bool
	}{
		// Both devices contest offline: the later contest is refused.
		{"two contests", nil, stContest, stContest, func(c *Case) bool {
			return c.Pending == RequestContest && c.Timeline[1].Refused == "" && c.Timeline[2].Refused != ""
		}},
		// A accepts the return while B resolves: the return, earlier, stands;
		// the resolve from a returned case is refused.
		{"return accepted while resolved", []Step{stRespond, stReturn}, decided(ActReturnDecided, DecisionAccepted), stResolve,
			func(c *Case) bool { return c.Status == StatusReturned && c.Timeline[4].Refused != "" }},
		// B merges into one main while A merges into another.
		{"two merges", nil, Step{Action: ActMerge, Ref: "01JAAAAAAAAAAAAAAAAAAAAAAA"}, Step{Action: ActMerge, Ref: "01JBBBBBBBBBBBBBBBBBBBBBBB"},
			func(c *Case) bool { return c.MergedInto == "01JAAAAAAAAAAAAAAAAAAAAAAA" }},
		// Both record the same department's arrival: one stands.
		{"two arrivals", []Step{stRespond, stWhistle}, Step{Action: ActArrive, To: "城管"}, Step{Action: ActArrive, To: "城管"},
			func(c *Case) bool { return !c.Whistle[0].Arrived.IsZero() && c.Timeline[4].Refused != "" }},
		// A approves the extension while B refuses it.
		{"two extension decisions", []Step{stRespond, stExtend}, decided(ActExtendDecided, DecisionAccepted), decided(ActExtendDecided, DecisionRefused),
			func(c *Case) bool { return !c.ExtendedTo.IsZero() && c.Timeline[4].Refused != "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newRuleFixture(t)
			f.must(tt.before...)
			clkB := &fakeNow{t: f.clk.t}
			b := newAuthor("dev-b", clkB)
			rb := NewCase(f.c.ID)
			for i := range f.c.Timeline { // B has what A had
				e := f.c.Timeline[i]
				op := Op{ID: e.ID, Origin: e.Origin, HLC: e.HLC, Kind: OpCaseEvent, Entity: f.c.ID, Event: &e}
				if e.Action == ActReceive {
					op = Op{ID: e.ID, Origin: e.Origin, HLC: e.HLC, Kind: OpCaseCreate, Entity: f.c.ID, Fields: map[string]string{}}
					for k, r := range f.c.Registers {
						op.Fields[k] = r.Value()
					}
				}
				mustApply(t, rb, op)
			}
			f.clk.advance(time.Minute)
			clkB.advance(2 * time.Minute)
			opA, err := f.a.Step(f.c, tt.a)
			if err != nil {
				t.Fatal(err)
			}
			opB, err := b.Step(rb, tt.b)
			if err != nil {
				t.Fatal(err)
			}
			mustApply(t, f.c, opA)
			mustApply(t, f.c, opB)
			mustApply(t, rb, opB)
			mustApply(t, rb, opA)
			ja, _ := json.Marshal(f.c)
			jb, _ := json.Marshal(rb)
			if string(ja) != string(jb) {
				t.Fatalf("replicas differ:\n%s\n%s", ja, jb)
			}
			if !tt.check(f.c) {
				b, _ := json.MarshalIndent(f.c, "", " ")
				t.Fatalf("merged:\n%s", b)
			}
		})
	}
}

// TestRuleOpValidate: an event of the 12345 rules from elsewhere is
// checked for its shape before it is stored.
func TestRuleOpValidate(t *testing.T) {
	f := newRuleFixture(t)
	f.must(stRespond)
	good, err := f.a.Step(f.c, Step{Action: ActWhistleResult, Note: "x", Ratings: nil})
	if err == nil || errCode(err) != CodeNoWhistle {
		t.Fatalf("result with no whistle: %v", err)
	}
	good, err = f.a.Step(f.c, stContest)
	if err != nil {
		t.Fatal(err)
	}
	for name, mod := range map[string]func(e *Event){
		"unknown callback":   func(e *Event) { e.Callback = "maybe" },
		"unknown decision":   func(e *Event) { e.Decision = "perhaps" },
		"day that is not":    func(e *Event) { e.Until = Date{2026, 2, 30} },
		"merge without ref":  func(e *Event) { e.Action = ActMerge },
		"too many ratings":   func(e *Event) { e.Ratings = make([]DeptRating, MaxDepartments+1) },
		"rating of nobody":   func(e *Event) { e.Ratings = []DeptRating{{"", Satisfied}} },
		"rating not a grade": func(e *Event) { e.Ratings = []DeptRating{{"城管", "good"}} },
	} {
		op := good
		e := *good.Event
		mod(&e)
		op.Event = &e
		if err := op.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Validate = %v", name, err)
		}
	}
	if err := good.Validate(); err != nil {
		t.Errorf("good op: %v", err)
	}
}

func TestRulesSettings(t *testing.T) {
	r := DefaultRules()
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := r.SetChoice(RuleMerged, "各自计入"); err != nil || r.Merged != RuleEach {
		t.Errorf("set merged: %v %q", err, r.Merged)
	}
	if err := r.SetChoice(RuleMerged, "excluded"); errCode(err) != CodeNotInList {
		t.Errorf("merged excluded: %v", err)
	}
	if err := r.SetChoice("nonsense", "x"); errCode(err) != CodeUnknownField {
		t.Errorf("unknown rule: %v", err)
	}
	r.ArriveMinutes = 0
	if err := r.Validate(); errCode(err) != CodeOutOfRange {
		t.Errorf("arrive 0: %v", err)
	}
	// A stored rule set from before a rule existed keeps that rule's default.
	d := &SettingsDoc{}
	d.Apply(&Op{ID: "a", Kind: OpSettings, Entity: SettingsEntity, Fields: map[string]string{SettingRules: `{"returned":"counted","arrive_minutes":45}`}})
	got := d.Settings().Rules
	if got.Returned != RuleCounted || got.ArriveMinutes != 45 || got.Merged != RuleOnce || got.Extended != RuleApproved {
		t.Errorf("decoded rules: %+v", got)
	}
	if len(DefaultRules().Describe()) != len(RuleNames)+1 {
		t.Errorf("describe: %v", DefaultRules().Describe())
	}
}
