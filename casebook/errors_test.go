package casebook

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// codeOf returns the field, code and arguments of the one coded problem in
// err (a FieldError or a StepError), failing if there is not exactly one.
func codeOf(t *testing.T, err error) (string, Code, []any) {
	t.Helper()
	var fes FieldErrors
	if errors.As(err, &fes) {
		if len(fes) != 1 {
			t.Fatalf("%v: %d field errors, want 1", err, len(fes))
		}
		return fes[0].Field, fes[0].Code, fes[0].Args
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%v: a FieldError that is not ErrInvalid", err)
		}
		return fe.Field, fe.Code, fe.Args
	}
	var se *StepError
	if errors.As(err, &se) {
		if !errors.Is(err, ErrTransition) {
			t.Errorf("%v: a StepError that is not ErrTransition", err)
		}
		return "", se.Code, se.Args
	}
	t.Fatalf("%v: no coded error", err)
	return "", "", nil
}

// TestErrorCodes: each refusal of the core carries the code and arguments
// the UI's table maps to translated text, and keeps an English text that
// names the operation.
func TestErrorCodes(t *testing.T) {
	f, fresh := newDspFixture(t), newDspFixture(t)
	a, d := f.a, f.d
	now := f.clk.t
	create, err := a.Create(CaseInput{Received: now.Add(-time.Hour), Channel: "walk-in", Type: "help", Category: "停车管理", Summary: "s"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := NewCase(create.Entity)
	mustApply(t, c, create)
	mustApply(t, c, f.must(a.Step(c, Step{Action: ActRespond})))
	long := strings.Repeat("长", 201)
	input := func(mod func(in *CaseInput)) error {
		in := CaseInput{Received: now.Add(-time.Hour), Channel: "walk-in", Type: "help", Category: "停车管理", Summary: "s"}
		mod(&in)
		_, err := in.Validate([]string{"停车管理"}, now)
		return err
	}
	second := func(_ any, err error) error { return err }
	w := DefaultWeights()
	w.Response = 0.9
	set := DefaultSettings()
	set.Categories = []string{"a", "a"}
	pol := DefaultPolicy()
	pol.Respond = Limit{0, UnitDays}
	meeting := f.do(a.AddMeeting(d, Meeting{Place: "议事厅", Kind: MeetingCourtyard, At: now.Add(-time.Hour)}))
	plan := f.do(a.AddPlan(d, PlanVersion{Description: "修一条步道"}))

	for _, tc := range []struct {
		name  string
		err   error
		field string
		code  Code
		args  []any
	}{
		{"summary empty", input(func(in *CaseInput) { in.Summary = " " }), FieldSummary, CodeRequired, nil},
		{"summary long", input(func(in *CaseInput) { in.Summary = long }), FieldSummary, CodeTooLong, []any{200}},
		{"unit long", input(func(in *CaseInput) { in.Unit = long }), FieldUnit, CodeTooLong, []any{64}},
		{"received future", input(func(in *CaseInput) { in.Received = now.Add(time.Hour) }), FieldReceived, CodeFuture, nil},
		{"category unknown", input(func(in *CaseInput) { in.Category = "火星" }), FieldCategory, CodeNotInList, []any{"火星"}},
		{"channel unknown", input(func(in *CaseInput) { in.Channel = "fax" }), FieldChannel, CodeNotInList, []any{"fax"}},
		{"channel empty", input(func(in *CaseInput) { in.Channel = "" }), FieldChannel, CodeRequired, nil},
		{"work order", input(func(in *CaseInput) { in.Channel = "12345" }), FieldWorkOrder, CodeRequired, nil},
		{"phone", input(func(in *CaseInput) { in.Phone = "call me" }), FieldPhone, CodeBadPhone, nil},
		{"step before received", second(a.Step(c, Step{Action: ActDispatch, To: "物业", At: now.Add(-2 * time.Hour)})), "at", CodeBeforeReceived, nil},
		{"step not allowed", second(a.Step(c, Step{Action: ActRespond})), "", CodeNotAllowed, []any{"respond", "responded"}},
		{"escalate level", second(a.Step(c, Step{Action: ActEscalate, To: "moon"})), "to", CodeNotInList, []any{"moon"}},
		{"set nothing", second(a.Set(c, nil, nil)), "", CodeNoChange, nil},
		{"set unknown", second(a.Set(c, map[string]string{"colour": "red"}, nil)), "colour", CodeUnknownField, nil},
		{"self link", second(a.Link(c, c.ID, LinkRelated)), "", CodeSelfLink, nil},
		{"weights", w.Validate(), "response", CodeWeightsSum, []any{w.Response + w.Resolution + w.Satisfaction}},
		{"categories", set.Validate(), SettingCategories, CodeRepeated, []any{"a"}},
		{"policy", pol.Validate(), "respond", CodeOutOfRange, []any{1, 366}},
		{"limit", second(ParseLimit("400d")), "", CodeOutOfRange, []any{1, 366}},
		{"date", second(ParseDate("2026-02-30")), "", CodeBadDate, []any{"2026-02-30"}},
		{"time", second(ParseTime("next tuesday")), "", CodeBadTime, nil},
		{"id", second(ParseID("x")), "", CodeBadID, []any{"x"}},
		{"dispute title", second(a.SetDisputeFields(d, map[string]string{DisputeFieldTitle: ""})), DisputeFieldTitle, CodeRequired, nil},
		{"dispute summary", second(a.SetDisputeFields(d, map[string]string{DisputeFieldSummary: strings.Repeat("长", 5001)})), DisputeFieldSummary, CodeTooLong, []any{5000}},
		{"dispute nothing", second(a.SetDisputeFields(d, nil)), "", CodeNoChange, nil},
		{"dispute cases", second(a.NewDispute("t", "", "", []string{NewID(now)})), "cases", CodeTooFew, []any{2}},
		{"dispute linked", second(a.LinkCase(d, d.Cases[0])), "cases", CodeAlreadyLinked, nil},
		{"party kind", second(a.AddParty(d, Party{Name: "甲", Kind: "alien"})), PartyFieldKind, CodeNotInList, []any{"alien"}},
		{"vote before meeting", second(a.RecordVote(d, Vote{Meeting: meeting.ID, Plan: plan.ID, For: 3, At: now.Add(-2 * time.Hour)})), "at", CodeBeforeMeeting, nil},
		{"vote counts", second(a.RecordVote(d, Vote{Meeting: meeting.ID, Plan: plan.ID})), "for", CodeNoVotes, nil},
		{"agree needs plan", second(fresh.a.Agree(fresh.d, NewID(now), []string{"甲"}, time.Time{})), "", CodeNeedPlan, []any{"agree", "open"}},
		{"resolve needs agreement", second(a.Resolve(d, time.Time{}, "")), "", CodeNeedAgreement, []any{"resolve", "negotiating"}},
		{"stall reason", second(a.Stall(d, time.Time{}, "")), "note", CodeRequired, nil},
		{"stall future", second(a.Stall(d, now.Add(time.Hour), "x")), "at", CodeFuture, nil},
	} {
		if tc.err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		field, code, args := codeOf(t, tc.err)
		if field != tc.field || code != tc.code || !reflect.DeepEqual(args, tc.args) {
			t.Errorf("%s: %q %s %v, want %q %s %v (%v)", tc.name, field, code, args, tc.field, tc.code, tc.args, tc.err)
		}
	}

	// A form with several problems reports each with its code.
	_, err = a.RecordVote(d, Vote{Meeting: NewID(now), Plan: NewID(now), For: -1, Method: "抽签"})
	var fes FieldErrors
	if !errors.As(err, &fes) {
		t.Fatalf("%v: no FieldErrors", err)
	}
	got := map[string]Code{}
	for _, fe := range fes {
		got[fe.Field] = fe.Code
	}
	want := map[string]Code{"meeting": CodeNotOnRecord, "plan": CodeNotOnRecord, "for": CodeNegative, "method": CodeNotInList}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("vote: %v, want %v", got, want)
	}
	if !strings.HasPrefix(err.Error(), "record vote in dispute 坡地修路: ") {
		t.Errorf("vote error does not name its operation: %v", err)
	}
	if !errors.Is(ErrNoChange, ErrInvalid) || ErrNoChange.Error() != "invalid input: nothing to change" {
		t.Errorf("ErrNoChange: %v", ErrNoChange)
	}
}

// TestTasksUndoneCode: a refused resolve lists the open tasks in its args.
func TestTasksUndoneCode(t *testing.T) {
	f := newDspFixture(t)
	f.toStatus(DisputeAgreed)
	f.task("修建台阶")
	_, err := f.a.Resolve(f.d, time.Time{}, "")
	_, code, args := codeOf(t, err)
	if code != CodeTasksUndone || !reflect.DeepEqual(args, []any{[]string{"修建台阶"}}) {
		t.Errorf("%s %v (%v)", code, args, err)
	}
}
