package casebook

// The assessment basis (考核口径) and the whistle figures of MetricsTally:
// how the rule set (Rules) changes what a case counts for, and how the
// departments summoned by whistles (吹哨报到) did. The formulas are
// stated at the top of metrics.go.

import (
	"cmp"
	"slices"
)

// assessFacts are the facts of c on the assessment basis, from its raw
// facts: 0 when the rule set leaves it out, else with factIn. It also
// counts c in the rule counts.
func (t *MetricsTally) assessFacts(c *Summary, raw uint32) uint32 {
	if c.Status != StatusReturned && !c.Contested && c.MergedInto == "" && c.ExtendedTo.IsZero() && c.Callback == "" && c.Pending == 0 {
		return raw | factIn // the common case: nothing the rules touch
	}
	r, rc := &t.rules, &t.ruleCounts
	in := true
	if c.Pending != 0 {
		rc.Pending++
	}
	if c.Status == StatusReturned {
		rc.Returned++
		in = in && r.Returned != RuleExcluded
	}
	if c.Contested {
		rc.Contested++
		in = in && r.Contested != RuleExcluded
	}
	f := raw | factIn
	if !c.ExtendedTo.IsZero() {
		rc.Extended++
		switch r.Extended {
		case RuleApproved:
			f = f&^factsHandle | handleFacts(c, c.HandleDue, t.q.Now)
		case RuleExcluded:
			f &^= factsHandle
		}
	}
	if c.MergedInto != "" {
		rc.Merged++
		if r.Merged == RuleOnce { // the main's handling counts, once
			f &^= factsTimely
		}
	}
	if c.Callback != "" {
		rc.Unevaluated++
		switch r.Unevaluated {
		case RuleUnsatisfied:
			f = f&^factsVerdict | verdictFacts(SolvedNo, NotSatisfied)
		case RuleSatisfied:
			f = f&^factsVerdict | verdictFacts(SolvedYes, Satisfied)
		}
	}
	if !in {
		return 0
	}
	return f
}

// WhistleFigures are the figures of 吹哨报到 over the appeals counted: how
// many departments were summoned, how many reported and how many within
// the rule set's minutes, how long they took, and how they were rated.
type WhistleFigures struct {
	Cases       int      `json:"cases"`        // appeals with departments summoned
	Summoned    int      `json:"summoned"`     // summonses (a department summoned twice counts twice)
	Arrived     int      `json:"arrived"`      // of them, reported to the scene
	InTime      int      `json:"in_time"`      // reported within ArriveMinutes
	InTimeRate  *float64 `json:"in_time_rate"` // in time ÷ summoned
	MeanMinutes *float64 `json:"mean_minutes"` // mean minutes from summons to report, of those reported
	Satisfied   int      `json:"satisfied"`    // ratings 满意
	Basic       int      `json:"basic"`        // 基本满意
	Unsatisfied int      `json:"unsatisfied"`  // 不满意
	// ByDepartment: the same per department, most summoned first.
	ByDepartment []DeptFigures `json:"by_department"`
}

// DeptFigures are the whistle figures of one department.
type DeptFigures struct {
	Dept        string   `json:"dept"`
	Summoned    int      `json:"summoned"`
	Arrived     int      `json:"arrived"`
	InTime      int      `json:"in_time"`
	InTimeRate  *float64 `json:"in_time_rate"`
	MeanMinutes *float64 `json:"mean_minutes"`
	Satisfied   int      `json:"satisfied"`
	Basic       int      `json:"basic"`
	Unsatisfied int      `json:"unsatisfied"`
}

// callTally counts summonses, of all departments or of one.
type callTally struct {
	summoned, arrived, inTime     int
	minutes                       float64
	satisfied, basic, unsatisfied int
}

func (k *callTally) add(d *DeptCall, window int) {
	k.summoned++
	if !d.Arrived.IsZero() {
		k.arrived++
		m := d.Arrived.Sub(d.Summoned).Minutes()
		k.minutes += m
		if m <= float64(window) {
			k.inTime++
		}
	}
	switch d.Rating {
	case Satisfied:
		k.satisfied++
	case BasicSatisfied:
		k.basic++
	case NotSatisfied:
		k.unsatisfied++
	}
}

func (k *callTally) figures(dept string) DeptFigures {
	f := DeptFigures{Dept: dept, Summoned: k.summoned, Arrived: k.arrived, InTime: k.inTime,
		InTimeRate: Rate{float64(k.inTime), float64(k.summoned)}.Value(), MeanMinutes: Rate{k.minutes, float64(k.arrived)}.Value(),
		Satisfied: k.satisfied, Basic: k.basic, Unsatisfied: k.unsatisfied}
	return f
}

// whistleTally counts the whistles of the appeals counted.
type whistleTally struct {
	cases  int
	all    callTally
	byDept map[string]*callTally
}

func (w *whistleTally) add(calls []DeptCall, window int) {
	w.cases++
	if w.byDept == nil {
		w.byDept = map[string]*callTally{}
	}
	for i := range calls {
		d := &calls[i]
		w.all.add(d, window)
		k := w.byDept[d.Dept]
		if k == nil {
			k = &callTally{}
			w.byDept[d.Dept] = k
		}
		k.add(d, window)
	}
}

func (w *whistleTally) figures() WhistleFigures {
	a := w.all.figures("")
	out := WhistleFigures{Cases: w.cases, Summoned: a.Summoned, Arrived: a.Arrived, InTime: a.InTime, InTimeRate: a.InTimeRate,
		MeanMinutes: a.MeanMinutes, Satisfied: a.Satisfied, Basic: a.Basic, Unsatisfied: a.Unsatisfied,
		ByDepartment: make([]DeptFigures, 0, len(w.byDept))}
	for d, k := range w.byDept {
		out.ByDepartment = append(out.ByDepartment, k.figures(d))
	}
	slices.SortFunc(out.ByDepartment, func(x, y DeptFigures) int {
		if c := cmp.Compare(y.Summoned, x.Summoned); c != 0 {
			return c
		}
		return cmp.Compare(x.Dept, y.Dept)
	})
	return out
}
