package casebook

import (
	"errors"
	"testing"
)

func TestNextEveryTransition(t *testing.T) {
	all := Statuses()
	// want[action][from] = resulting status; absent means refused.
	want := map[Action]map[Status]Status{
		ActRespond:      {StatusReceived: StatusResponded},
		ActDispatch:     {StatusResponded: StatusDispatched, StatusDispatched: StatusDispatched, StatusInProgress: StatusDispatched},
		ActProgress:     {StatusResponded: StatusInProgress, StatusDispatched: StatusInProgress, StatusInProgress: StatusInProgress},
		ActResolve:      {StatusResponded: StatusResolved, StatusDispatched: StatusResolved, StatusInProgress: StatusResolved},
		ActUnresolvable: {StatusResponded: StatusUnresolvable, StatusDispatched: StatusUnresolvable, StatusInProgress: StatusUnresolvable},
		ActFeedback: {StatusResolved: StatusFeedback, StatusUnresolvable: StatusFeedback,
			// interim feedback (a complex case's plan and progress) keeps the status
			StatusResponded: StatusResponded, StatusDispatched: StatusDispatched, StatusInProgress: StatusInProgress},
		ActEvaluate: {StatusFeedback: StatusEvaluated},
		ActClose:    {StatusFeedback: StatusClosed, StatusEvaluated: StatusClosed},
		ActEscalate: {StatusReceived: StatusReceived, StatusResponded: StatusResponded, StatusDispatched: StatusDispatched,
			StatusInProgress: StatusInProgress, StatusResolved: StatusResolved, StatusUnresolvable: StatusUnresolvable,
			StatusFeedback: StatusFeedback, StatusEvaluated: StatusEvaluated},
		ActReopen: {StatusResolved: StatusInProgress, StatusUnresolvable: StatusInProgress, StatusFeedback: StatusInProgress,
			StatusEvaluated: StatusInProgress, StatusClosed: StatusInProgress},
		ActNote: {StatusReceived: StatusReceived, StatusResponded: StatusResponded, StatusDispatched: StatusDispatched,
			StatusInProgress: StatusInProgress, StatusResolved: StatusResolved, StatusUnresolvable: StatusUnresolvable,
			StatusFeedback: StatusFeedback, StatusEvaluated: StatusEvaluated, StatusClosed: StatusClosed, StatusReturned: StatusReturned},
		ActReceive: {},
	}
	// The 12345 rules keep the status (an accepted return moves it in the
	// replay: TestRuleSteps); what else they need is Case.ruleRefusal's.
	keep := func(from ...Status) map[Status]Status {
		m := map[Status]Status{}
		for _, s := range from {
			m[s] = s
		}
		return m
	}
	unhandled := keep(StatusReceived, StatusResponded, StatusDispatched, StatusInProgress)
	onBooks := keep(StatusReceived, StatusResponded, StatusDispatched, StatusInProgress, StatusResolved, StatusUnresolvable,
		StatusFeedback, StatusEvaluated, StatusClosed)
	notDone := keep(StatusReceived, StatusResponded, StatusDispatched, StatusInProgress, StatusResolved, StatusUnresolvable,
		StatusFeedback, StatusEvaluated)
	taken := keep(StatusResponded, StatusDispatched, StatusInProgress, StatusResolved, StatusUnresolvable,
		StatusFeedback, StatusEvaluated, StatusClosed)
	want[ActReturn], want[ActExtend] = unhandled, unhandled
	want[ActReturnDecided], want[ActContest], want[ActContestDecided], want[ActExtendDecided] = onBooks, onBooks, onBooks, onBooks
	want[ActMerge], want[ActMergeIn] = notDone, notDone
	want[ActWhistle] = keep(StatusResponded, StatusDispatched, StatusInProgress)
	want[ActArrive], want[ActWhistleResult] = taken, taken
	if len(want) != len(ActionCodes.Codes()) {
		t.Errorf("the table covers %d actions of %d", len(want), len(ActionCodes.Codes()))
	}
	for action, allowed := range want {
		for _, from := range all {
			got, err := Next(from, action)
			exp, ok := allowed[from]
			switch {
			case ok && err != nil:
				t.Errorf("%s from %s: refused (%v), want %s", action, from, err, exp)
			case ok && got != exp:
				t.Errorf("%s from %s = %s, want %s", action, from, got, exp)
			case !ok && err == nil:
				t.Errorf("%s from %s allowed (-> %s), want refused", action, from, got)
			case !ok && !errors.Is(err, ErrTransition):
				t.Errorf("%s from %s: error %v does not wrap ErrTransition", action, from, err)
			}
		}
	}
}

func TestAllowedMatchesNext(t *testing.T) {
	for _, s := range Statuses() {
		allowed := Allowed(s)
		for _, a := range ActionCodes.Codes() {
			_, err := Next(s, a)
			if (err == nil) != contains(allowed, a) {
				t.Errorf("status %s action %s: Allowed=%v but Next err=%v", s, a, contains(allowed, a), err)
			}
		}
	}
	if got := Allowed(StatusClosed); !contains(got, ActReopen) || contains(got, ActRespond) {
		t.Errorf("Allowed(closed) = %v", got)
	}
}

func TestParseCodes(t *testing.T) {
	tests := []struct {
		in   string
		fn   func(string) (string, error)
		want string
	}{
		{"12345", func(s string) (string, error) { c, err := ParseChannel(s); return string(c), err }, "12345"},
		{"未诉先办", func(s string) (string, error) { c, err := ParseChannel(s); return string(c), err }, "proactive"},
		{" Walk-In ", func(s string) (string, error) { c, err := ParseChannel(s); return string(c), err }, "walk-in"},
		{"投诉", func(s string) (string, error) { c, err := ParseType(s); return string(c), err }, "complaint"},
		{"consultation", func(s string) (string, error) { c, err := ParseType(s); return string(c), err }, "consultation"},
		{"部分解决", func(s string) (string, error) { c, err := ParseSolved(s); return string(c), err }, "partly"},
		{"基本满意", func(s string) (string, error) { c, err := ParseSatisfaction(s); return string(c), err }, "basic"},
		{"区", func(s string) (string, error) { c, err := ParseLevel(s); return string(c), err }, "district"},
		{"", func(s string) (string, error) { c, err := ParseUrgency(s); return string(c), err }, "general"},
		{"已销号", func(s string) (string, error) { c, err := ParseStatus(s); return string(c), err }, "closed"},
		{"签收", func(s string) (string, error) { c, err := ParseAction(s); return string(c), err }, "respond"},
	}
	for _, tt := range tests {
		got, err := tt.fn(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parse %q = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "fax", "12346", "投 诉"} {
		if _, err := ParseType(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseType(%q) err = %v, want ErrInvalid", bad, err)
		}
	}
}

func FuzzParseCodes(f *testing.F) {
	for _, s := range []string{"12345", "walk-in", "来访来电", "complaint", "投诉", "yes", "基本满意", "", " ", "\x00", "ｗａｌｋ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if c, err := ParseChannel(s); err == nil {
			if again, err := ParseChannel(string(c)); err != nil || again != c {
				t.Fatalf("channel %q -> %q does not round-trip", s, c)
			}
		}
		if c, err := ParseStatus(s); err == nil {
			if again, err := ParseStatus(string(c)); err != nil || again != c {
				t.Fatalf("status %q -> %q does not round-trip", s, c)
			}
		}
		_, _ = ParseType(s)
		_, _ = ParseSolved(s)
		_, _ = ParseSatisfaction(s)
		_, _ = ParseLevel(s)
		_, _ = ParseUrgency(s)
		_, _ = ParseAction(s)
		_, _ = ParseLinkKind(s)
	})
}
