package casebook

// Metrics: the one definition of every figure (指标口径)
//
// The app, the CLI, the Excel export and the district hub all take their
// figures from ComputeMetrics, or from MetricsTally on which it is built, so
// the formulas below are the only ones.
//
// Which appeals count. An appeal counts in a period if it was received at or
// after the period's start and before its end (either bound may be open), and
// it passes the optional filter (category, building, channel, ...). "Now" is
// the moment the figures are taken at: it decides which deadlines have passed
// and which appeals are due soon. Open, overdue and ageing use each appeal's
// current status. "Days" are Shanghai calendar days (00:00 to 24:00 Beijing
// time).
//
// Rates are fractions from 0 to 1 (shown as percentages). A rate whose
// denominator is zero has no data: it is shown empty (JSON null), never as 0%
// or 100%. Every rate is also given as numerator and denominator ("parts"),
// so that an export can show the working.
//
//   - Response rate (响应率) = appeals signed for (签收) no later than their
//     response deadline ÷ appeals signed for, plus appeals not signed for whose
//     response deadline passed before Now. An appeal neither signed for nor
//     yet due counts in neither.
//   - Resolution rate (解决率) = (appeals the resident called solved (解决) +
//     partly-solved weight × appeals partly solved (部分解决)) ÷ appeals with a
//     solved verdict from the callback. The weight defaults to 0.
//   - Satisfaction rate (满意率) = (appeals satisfied (满意) + basic weight ×
//     appeals basically satisfied (基本满意)) ÷ appeals with a satisfaction
//     grade from the callback. The weight defaults to 0.9.
//   - Composite score (综合得分) = response weight × response rate +
//     resolution weight × resolution rate + satisfaction weight × satisfaction
//     rate (weights default to 0.1, 0.5 and 0.4); empty if any of the three
//     rates is empty.
//   - On-time response (按时响应率) is the response rate.
//   - On-time handling (按时办理率) = appeals handled (solved, found
//     unresolvable, or for a complex appeal the plan and progress given) no
//     later than their handling deadline ÷ appeals handled, plus appeals not
//     handled whose handling deadline passed before Now.
//   - On-time rate (按时率) = (on-time responses + on-time handlings) ÷
//     (response denominator + handling denominator).
//   - Open (在办) = appeals not closed out (销号); a resolved appeal still
//     awaiting feedback or evaluation is open.
//   - Overdue (超期) = open appeals whose next deadline (responding if not
//     signed for, else handling if not handled) passed before Now.
//   - Due soon (即将到期) = open appeals whose next deadline has not passed
//     and falls within the policy's due-soon window after Now (default 24
//     hours).
//   - Evaluated (已评价) = appeals with a solved verdict or a satisfaction
//     grade.
//   - Ageing (积压账龄) = open appeals by the number of calendar days from the
//     day received to the day of Now: 0–7, 8–15, 16–30, 31–90, more than 90
//     ("90+").
//   - Repeat appeal (重复诉求) = an appeal linked to another as a duplicate or
//     recurrence, or one about the same building (not empty) and the same
//     category as an earlier appeal received at most N calendar days before it
//     (N is the repeat-days weight, default 30; 0 turns this rule off). The
//     earlier appeal may lie outside the period and the filter. Of appeals
//     received at the very same moment, the one with the smallest id is the
//     earlier. Repeat share = repeat appeals ÷ appeals.
//   - Escalated (提级) = appeals escalated above the community (to street,
//     district or city). Escalation share = escalated ÷ appeals.
//   - Solved at community level (社区解决占比) = appeals solved (解决) and never
//     escalated ÷ appeals solved.
//   - Slices: appeals, the three rates, the composite score, the on-time
//     rate, open, overdue and evaluated, by the same formulas, per category,
//     building and channel (largest first, then by name), per month
//     received in Shanghai time ("2026-03") and per calendar quarter received
//     in Shanghai time ("2026-Q1"), months and quarters in order and only
//     those with appeals. Every appeal falls in exactly one row of each
//     slice (a missing category or building is a row of its own with an empty
//     key), so the rows add up to the whole.
//   - Term comparison (任期对比), when the term start is set: the rates of the
//     appeals in the period received before the start day (00:00 Shanghai)
//     and of those received on or after it. Change = during − baseline (the
//     rates before the term, entered from the district's 12345 figures);
//     change since before = during − before. Changes are fractions: +0.2876
//     is +28.76 percentage points; a change is empty if either side is.

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Rate is a fraction with its parts, so exports can show the working.
type Rate struct {
	Num float64 `json:"num"`
	Den float64 `json:"den"`
}

// Value is Num ÷ Den, or nil when Den is 0: no data, which must be shown as
// such, never as 0% or 100%.
func (r Rate) Value() *float64 {
	if r.Den == 0 {
		return nil
	}
	v := r.Num / r.Den
	return &v
}

// MetricsQuery says which appeals to measure and as of when.
type MetricsQuery struct {
	From, To time.Time // appeals received in [From, To); zero is unbounded
	Filter   *Filter   // optional further selection, matched as of Now
	Now      time.Time // "as of": decides what is due, overdue and how old; the caller passes the clock
}

// RateParts holds the numerator and denominator of each core rate.
type RateParts struct {
	Response      Rate `json:"response_rate"`
	Resolution    Rate `json:"resolution_rate"`
	Satisfaction  Rate `json:"satisfaction_rate"`
	OnTimeRespond Rate `json:"on_time_respond"`
	OnTimeHandle  Rate `json:"on_time_handle"`
	OnTime        Rate `json:"on_time_rate"`
}

// MetricsParts holds the numerator and denominator of every rate and share.
type MetricsParts struct {
	RateParts
	Repeat          Rate `json:"repeat_share"`
	Escalation      Rate `json:"escalation_share"`
	CommunitySolved Rate `json:"community_solved_share"`
}

// MetricsRow is one row of a slice (a category, building, channel, month or
// quarter) or one side of the term comparison.
type MetricsRow struct {
	Key              string    `json:"key"`
	Cases            int       `json:"cases"`
	ResponseRate     *float64  `json:"response_rate"`
	ResolutionRate   *float64  `json:"resolution_rate"`
	SatisfactionRate *float64  `json:"satisfaction_rate"`
	CompositeScore   *float64  `json:"composite_score"`
	OnTimeRate       *float64  `json:"on_time_rate"`
	Open             int       `json:"open"`
	Overdue          int       `json:"overdue"`
	Evaluated        int       `json:"evaluated"`
	Parts            RateParts `json:"parts"`
	// The same rates on the assessment basis (考核口径), with their parts.
	Assessment      BasisFigures `json:"assessment"`
	AssessmentParts RateParts    `json:"assessment_parts"`
}

// BasisFigures are the rates of one basis and the appeals it counts; the
// keys of `casebook metrics --json`'s "assessment" object.
type BasisFigures struct {
	ResponseRate     *float64 `json:"response_rate"`
	ResolutionRate   *float64 `json:"resolution_rate"`
	SatisfactionRate *float64 `json:"satisfaction_rate"`
	CompositeScore   *float64 `json:"composite_score"`
	OnTimeRate       *float64 `json:"on_time_rate"`
	Cases            int      `json:"cases"`
}

// RuleCounts count the appeals of the period (and filter) each rule of the
// rule set touches, whatever it decides for them, so that the working of
// the assessment basis can be shown.
type RuleCounts struct {
	Returned    int `json:"returned"`    // return accepted (已退单)
	Contested   int `json:"contested"`   // contest accepted (申诉成立)
	Merged      int `json:"merged"`      // merged into a main appeal (并单)
	Unevaluated int `json:"unevaluated"` // callback without a verdict (未评价, 未接通, 拒绝评价)
	Extended    int `json:"extended"`    // extension approved (延期)
	Pending     int `json:"pending"`     // a return, contest or extension awaiting its decision
}

// AgeingBucket counts open appeals of an age range in calendar days.
type AgeingBucket struct {
	Bucket string `json:"bucket"` // "0-7", "8-15", "16-30", "31-90", "90+"
	Count  int    `json:"count"`
}

// ageingBuckets are the labels and inclusive upper bounds of the ageing
// buckets; the last has no upper bound.
var ageingBuckets = [...]struct {
	label string
	max   int64
}{{"0-7", 7}, {"8-15", 15}, {"16-30", 30}, {"31-90", 90}, {"90+", -1}}

// TermComparison judges the secretary's term: the rates before and since its
// start against the baseline entered in settings.
type TermComparison struct {
	Start             Date       `json:"start"`
	Baseline          Rates      `json:"baseline"`
	Before            MetricsRow `json:"before"`              // received before the start day
	During            MetricsRow `json:"during"`              // received on or after it
	Change            Rates      `json:"change"`              // during − baseline
	ChangeSinceBefore Rates      `json:"change_since_before"` // during − before
	// The same changes on the assessment basis, which is how the district's
	// baseline figures were counted.
	AssessmentChange            Rates `json:"assessment_change"`
	AssessmentChangeSinceBefore Rates `json:"assessment_change_since_before"`
}

// Metrics are the figures for one query; the formulas are stated at the top
// of metrics.go. Rates are fractions 0..1 and nil (JSON null) when there is
// no data.
type Metrics struct {
	From    time.Time `json:"from,omitzero"`
	To      time.Time `json:"to,omitzero"`
	AsOf    time.Time `json:"as_of"`
	Weights Weights   `json:"weights"`

	Cases            int      `json:"cases"`
	ResponseRate     *float64 `json:"response_rate"`
	ResolutionRate   *float64 `json:"resolution_rate"`
	SatisfactionRate *float64 `json:"satisfaction_rate"`
	CompositeScore   *float64 `json:"composite_score"`
	OnTimeRespond    *float64 `json:"on_time_respond"`
	OnTimeHandle     *float64 `json:"on_time_handle"`
	OnTimeRate       *float64 `json:"on_time_rate"`

	Open      int            `json:"open"`
	Overdue   int            `json:"overdue"`
	DueSoon   int            `json:"due_soon"`
	Evaluated int            `json:"evaluated"`
	Ageing    []AgeingBucket `json:"ageing"`

	Repeat               int      `json:"repeat"`
	RepeatShare          *float64 `json:"repeat_share"`
	Escalated            int      `json:"escalated"`
	EscalationShare      *float64 `json:"escalation_share"`
	CommunitySolvedShare *float64 `json:"community_solved_share"`

	Parts MetricsParts `json:"parts"`

	// The assessment basis (考核口径) under Rules; the figures above are
	// the raw basis (全口径).
	Assessment      BasisFigures   `json:"assessment"`
	AssessmentParts RateParts      `json:"assessment_parts"`
	Rules           Rules          `json:"rules"`
	RuleCounts      RuleCounts     `json:"rule_counts"`
	Whistle         WhistleFigures `json:"whistle"`

	ByCategory []MetricsRow `json:"by_category"`
	ByBuilding []MetricsRow `json:"by_building"`
	ByChannel  []MetricsRow `json:"by_channel"`
	ByMonth    []MetricsRow `json:"by_month"`
	ByQuarter  []MetricsRow `json:"by_quarter"`

	Term *TermComparison `json:"term"` // nil unless the term start is set
}

// Per-case facts, worked out once and added to every tally the case is in:
// bits, so that adding a case to a tally is shifts and adds, no branches.
const (
	bitRespondOnTime = iota
	bitRespondDue    // in the response denominator
	bitHandleOnTime
	bitHandleDue // in the handling denominator
	bitSolvedYes
	bitSolvedPartly
	bitSolvedAny // in the resolution denominator
	bitSatisfied
	bitBasic
	bitSatisfactionAny // in the satisfaction denominator
	// Bits of the raw basis only.
	bitOpen
	bitOverdue
	bitDueSoon
	bitEvaluated
	bitEscalated
	bitYesCommunity
	// The assessment basis counts the case.
	bitIn
)

const (
	factRespondOnTime uint32 = 1 << bitRespondOnTime
	factRespondDue    uint32 = 1 << bitRespondDue
	factHandleOnTime  uint32 = 1 << bitHandleOnTime
	factHandleDue     uint32 = 1 << bitHandleDue
	factOpen          uint32 = 1 << bitOpen
	factOverdue       uint32 = 1 << bitOverdue
	factDueSoon       uint32 = 1 << bitDueSoon
	factEvaluated     uint32 = 1 << bitEvaluated
	factEscalated     uint32 = 1 << bitEscalated
	factIn            uint32 = 1 << bitIn
	factsHandle              = factHandleOnTime | factHandleDue
	factsTimely              = factRespondOnTime | factRespondDue | factsHandle
	factsVerdict      uint32 = (1<<bitSolvedYes | 1<<bitSolvedPartly | 1<<bitSolvedAny |
		1<<bitSatisfied | 1<<bitBasic | 1<<bitSatisfactionAny)
)

// basisTally counts the cases of one basis: what its rates are made of.
type basisTally struct {
	cases                     int
	respondOnTime, respondDue int
	handleOnTime, handleDue   int
	solvedYes, solvedPartly   int
	solvedEvaluated           int
	satisfied, basic          int
	satisfactionEvaluated     int
}

func (b *basisTally) add(f uint32) {
	b.cases++
	b.respondOnTime += int(f >> bitRespondOnTime & 1)
	b.respondDue += int(f >> bitRespondDue & 1)
	b.handleOnTime += int(f >> bitHandleOnTime & 1)
	b.handleDue += int(f >> bitHandleDue & 1)
	b.solvedYes += int(f >> bitSolvedYes & 1)
	b.solvedPartly += int(f >> bitSolvedPartly & 1)
	b.solvedEvaluated += int(f >> bitSolvedAny & 1)
	b.satisfied += int(f >> bitSatisfied & 1)
	b.basic += int(f >> bitBasic & 1)
	b.satisfactionEvaluated += int(f >> bitSatisfactionAny & 1)
}

// parts is the core rates of the basis under weights w.
func (b *basisTally) parts(w *Weights) RateParts {
	return RateParts{
		Response:      Rate{float64(b.respondOnTime), float64(b.respondDue)},
		Resolution:    Rate{float64(b.solvedYes) + w.PartlySolved*float64(b.solvedPartly), float64(b.solvedEvaluated)},
		Satisfaction:  Rate{float64(b.satisfied) + w.BasicSatisfied*float64(b.basic), float64(b.satisfactionEvaluated)},
		OnTimeRespond: Rate{float64(b.respondOnTime), float64(b.respondDue)},
		OnTimeHandle:  Rate{float64(b.handleOnTime), float64(b.handleDue)},
		OnTime:        Rate{float64(b.respondOnTime + b.handleOnTime), float64(b.respondDue + b.handleDue)},
	}
}

// tally is the single accumulator behind every figure: the whole, each slice
// row and each side of the term comparison add cases to one and read their
// rates from it, so there is one definition of each rate. It counts both
// bases: raw (every case) and assessment (the cases the rule set counts,
// as it counts them).
type tally struct {
	basisTally                         // the raw basis (全口径)
	asm                     basisTally // the assessment basis (考核口径)
	open, overdue, dueSoon  int
	evaluated               int
	escalated, yesCommunity int
	ageing                  [len(ageingBuckets)]int
}

func (t *tally) add(raw, asm uint32, age int) {
	t.basisTally.add(raw)
	if asm&factIn != 0 {
		t.asm.add(asm)
	}
	t.open += int(raw >> bitOpen & 1)
	t.overdue += int(raw >> bitOverdue & 1)
	t.dueSoon += int(raw >> bitDueSoon & 1)
	t.evaluated += int(raw >> bitEvaluated & 1)
	t.escalated += int(raw >> bitEscalated & 1)
	t.yesCommunity += int(raw >> bitYesCommunity & 1)
	if raw&factOpen != 0 {
		t.ageing[age]++
	}
}

// composite is the weighted composite score, nil if any rate is missing.
func composite(w *Weights, response, resolution, satisfaction *float64) *float64 {
	if response == nil || resolution == nil || satisfaction == nil {
		return nil
	}
	v := w.Response**response + w.Resolution**resolution + w.Satisfaction**satisfaction
	return &v
}

func (t *tally) row(key string, w *Weights) MetricsRow {
	p := t.parts(w)
	r := MetricsRow{
		Key: key, Cases: t.cases,
		ResponseRate: p.Response.Value(), ResolutionRate: p.Resolution.Value(), SatisfactionRate: p.Satisfaction.Value(),
		OnTimeRate: p.OnTime.Value(),
		Open:       t.open, Overdue: t.overdue, Evaluated: t.evaluated,
		Parts: p,
	}
	r.CompositeScore = composite(w, r.ResponseRate, r.ResolutionRate, r.SatisfactionRate)
	r.AssessmentParts = t.asm.parts(w)
	r.Assessment = figures(w, t.asm.cases, r.AssessmentParts)
	return r
}

// figures are the rates of a basis from its parts.
func figures(w *Weights, cases int, p RateParts) BasisFigures {
	f := BasisFigures{Cases: cases, ResponseRate: p.Response.Value(), ResolutionRate: p.Resolution.Value(),
		SatisfactionRate: p.Satisfaction.Value(), OnTimeRate: p.OnTime.Value()}
	f.CompositeScore = composite(w, f.ResponseRate, f.ResolutionRate, f.SatisfactionRate)
	return f
}

// shanghaiDay numbers the Shanghai calendar day of t (days since 1970-01-01
// in Shanghai). Shanghai has no DST, so this is plain arithmetic.
func shanghaiDay(t time.Time) int64 { return secDay(t.Unix()) }

// secDay is shanghaiDay of a Unix time in seconds.
func secDay(unix int64) int64 {
	sec := unix + 8*3600
	d := sec / 86400
	if sec%86400 < 0 {
		d--
	}
	return d
}

// ComputeMetrics computes every figure for the appeals in cases that the
// query selects, under the weights, deadline policy and term in s (defaults
// if s is nil). It does not modify cases; nil entries are skipped and the
// order of cases does not matter. The formulas are stated at the top of
// metrics.go.
func ComputeMetrics(cases []*Summary, s *Settings, q MetricsQuery) Metrics {
	t := NewMetricsTally(s, q)
	t.addUnordered(cases)
	return t.Metrics()
}

// MetricsTally computes Metrics from appeals fed one at a time, in order of
// time received (the order within the same received moment does not matter:
// the tally settles ties by id itself, per the repeat rule). It lets the
// export of 100,000 appeals read them from the database one at a time: it
// keeps no appeal, only counts per slice row and, for the repeat rule, a
// little per (building, category) group, so its memory does not grow with
// the number of appeals. ComputeMetrics is built on it, so both give the same
// figures. A tally is not safe for concurrent use.
type MetricsTally struct {
	w         Weights
	rules     Rules
	policy    DeadlinePolicy // for the raw basis's deadline of an extended appeal
	dueSoon   time.Duration
	term      Term
	hasTerm   bool
	termStart time.Time
	q         MetricsQuery
	match     func(*Summary) bool
	today     int64 // Shanghai day of q.Now

	// The time received of the last appeal fed, to refuse one out of order.
	fed      bool
	lastSec  int64
	lastNsec int32

	all, before, during tally
	repeat              int // repeat appeals among those counted
	byCategory          map[string]*tally
	byBuilding          map[string]*tally
	byChannel           map[Channel]*tally
	byMonth             map[int]*tally // year*12 + month-1
	byQuarter           map[int]*tally // year*4 + quarter-1

	// Consecutive appeals often share a slice key; remember the last tallies.
	lastCat, lastBld       *tally
	lastCatKey, lastBldKey string
	lastMonth, lastQuarter *tally // of the Shanghai day lastDay, if lastMonth is set
	lastDay                int64

	groupOf map[repeatKey]int32 // index in groups
	groups  []repeatGroup

	ruleCounts RuleCounts
	whistle    whistleTally
}

type repeatKey struct{ building, category string }

// repeatGroup is what the repeat rule must remember of one (building,
// category) group. Appeals come in time order, so the appeal just before a
// new one is at the group's latest moment, or, for the first of a moment,
// at the moment before; of one moment only the first (smallest id) can fail
// to be a repeat, as the one before each other is at the same moment.
type repeatGroup struct {
	seen    bool  // an appeal of the group was fed
	sec     int64 // the latest moment received in the group
	nsec    int32
	prevDay int64 // Shanghai day of the group's moment before it, if hasPrev
	hasPrev bool
	first   string // smallest id received at the latest moment
	// firstPending: the first appeal is counted but not as a repeat; an
	// appeal of the same moment with a smaller id, fed later, makes it one.
	firstPending bool
}

// NewMetricsTally starts a tally under the settings s (defaults if nil) for
// query q. The settings are copied; q.Filter is prepared at once, so it must
// not change while the tally is fed.
func NewMetricsTally(s *Settings, q MetricsQuery) *MetricsTally {
	if s == nil {
		d := DefaultSettings()
		s = &d
	}
	t := &MetricsTally{
		w: s.Weights, rules: s.Rules, policy: s.Policy, dueSoon: s.Policy.DueSoon, term: s.Term, q: q, today: shanghaiDay(q.Now),
		byCategory: map[string]*tally{}, byBuilding: map[string]*tally{}, byChannel: map[Channel]*tally{},
		byMonth: map[int]*tally{}, byQuarter: map[int]*tally{}, groupOf: map[repeatKey]int32{},
	}
	if q.Filter != nil {
		t.match = q.Filter.Prepare(q.Now).Match
	}
	if s.Term.Start != (Date{}) {
		t.hasTerm, t.termStart = true, s.Term.Start.Time()
	}
	return t
}

// Add feeds one appeal. Feed every appeal received before q.To, also those
// before q.From and those the filter rejects: an earlier appeal outside the
// period can make one inside it a repeat. Appeals received at or after q.To
// may be fed too; they change nothing. c is not kept: the caller may reuse *c
// after Add returns. An appeal received before the previous one is an error
// wrapping ErrInvalid and nothing is added, since the repeat rule can no
// longer be settled; nil is ignored. Appeals of the same moment may come in
// any order, except that of two with the same id the one fed first counts as
// the earlier. Add may go on after Metrics.
func (t *MetricsTally) Add(c *Summary) error {
	if c == nil {
		return nil
	}
	sec, nsec := c.Received.Unix(), int32(c.Received.Nanosecond())
	if t.fed && (sec < t.lastSec || sec == t.lastSec && nsec < t.lastNsec) {
		return fmt.Errorf("metrics: appeal %q received %s, before the previous one: %w",
			c.ID, c.Received.Format(time.RFC3339Nano), ErrInvalid)
	}
	t.add(c, sec, nsec)
	return nil
}

// add counts c, received at Unix time sec and nsec (not UnixNano, which
// overflows for odd dates), no earlier than the appeal fed before it.
func (t *MetricsTally) add(c *Summary, sec int64, nsec int32) {
	t.fed, t.lastSec, t.lastNsec = true, sec, nsec
	day := secDay(sec)
	counted := t.selects(c)
	repeat := linkedRepeat(c)
	if t.w.RepeatDays > 0 && c.Building != "" {
		g := t.group(c) // apart: it may grow t.groups
		repeat = t.repeatIn(&t.groups[g], sec, nsec, day, c.ID, counted, repeat)
	}
	if counted {
		if repeat {
			t.repeat++
		}
		t.count(c, day)
	}
}

// addUnordered adds cases, in any order, nil entries skipped, to a fresh
// tally, as if fed in time order with ties of moment and id in input order.
// Reading the summaries in time order would jump about memory: it counts
// them in input order and settles only the repeat rule in time order, on
// small entries sorted group by group.
func (t *MetricsTally) addUnordered(cases []*Summary) {
	type entry struct {
		sec       int64 // Received
		nsec, idx int32 // (an idx of int32 caps this at 2^31 appeals)
	}
	rule := t.w.RepeatDays > 0
	var groupOf []int32 // group of each appeal, -1 if none
	var counted []bool
	if rule {
		groupOf = make([]int32, len(cases))
		counted = make([]bool, len(cases))
	}
	for i, c := range cases {
		if rule {
			groupOf[i] = -1
		}
		if c == nil {
			continue
		}
		if r := c.Received; !t.fed || r.Unix() > t.lastSec || r.Unix() == t.lastSec && int32(r.Nanosecond()) > t.lastNsec {
			t.fed, t.lastSec, t.lastNsec = true, r.Unix(), int32(r.Nanosecond()) // for Add's order check
		}
		sel := t.selects(c)
		if rule && c.Building != "" {
			groupOf[i], counted[i] = t.group(c), sel
		} else if sel && linkedRepeat(c) {
			t.repeat++
		}
		if sel {
			t.count(c, secDay(c.Received.Unix()))
		}
	}
	if !rule {
		return
	}
	// Bucket the entries by group in O(n), then sort each group by time:
	// starts[g] is where group g begins in entries, next[g] where its next
	// entry goes.
	starts := make([]int32, len(t.groups)+1)
	for _, g := range groupOf {
		if g >= 0 {
			starts[g+1]++
		}
	}
	for g := range t.groups {
		starts[g+1] += starts[g]
	}
	next := slices.Clone(starts[:len(t.groups)])
	entries := make([]entry, starts[len(t.groups)])
	for i, g := range groupOf {
		if g >= 0 {
			r := cases[i].Received
			entries[next[g]] = entry{sec: r.Unix(), nsec: int32(r.Nanosecond()), idx: int32(i)}
			next[g]++
		}
	}
	byTime := func(a, b entry) int {
		if a.sec != b.sec {
			return cmp.Compare(a.sec, b.sec)
		}
		if a.nsec != b.nsec {
			return cmp.Compare(a.nsec, b.nsec)
		}
		return cmp.Compare(a.idx, b.idx)
	}
	for g := range t.groups {
		group := entries[starts[g]:starts[g+1]]
		slices.SortFunc(group, byTime)
		for _, e := range group {
			c := cases[e.idx]
			if t.repeatIn(&t.groups[g], e.sec, e.nsec, secDay(e.sec), c.ID, counted[e.idx], linkedRepeat(c)) && counted[e.idx] {
				t.repeat++
			}
		}
	}
}

// selects reports whether the query counts c: received in the period and
// passing the filter.
func (t *MetricsTally) selects(c *Summary) bool {
	return (t.q.From.IsZero() || !c.Received.Before(t.q.From)) &&
		(t.q.To.IsZero() || c.Received.Before(t.q.To)) &&
		(t.match == nil || t.match(c))
}

// group returns the index of c's (building, category) group, adding it if new.
func (t *MetricsTally) group(c *Summary) int32 {
	k := repeatKey{c.Building, c.Category}
	g, ok := t.groupOf[k]
	if !ok {
		g = int32(len(t.groups))
		t.groupOf[k] = g
		t.groups = append(t.groups, repeatGroup{})
	}
	return g
}

// repeatIn applies the building-and-category rule to an appeal of group g
// (received at sec, nsec on Shanghai day day, with id, counted and linked
// or not), fed after every appeal of g received before it, and remembers it
// in g. It returns whether the appeal is a repeat. When the appeal displaces
// the first of its moment, that one becomes a repeat and is counted here if
// it is counted.
func (t *MetricsTally) repeatIn(g *repeatGroup, sec int64, nsec int32, day int64, id string, counted, linked bool) bool {
	switch {
	case !g.seen:
		g.seen = true
		g.sec, g.nsec = sec, nsec
	case g.sec == sec && g.nsec == nsec:
		if id >= g.first {
			return true // the first of the moment comes before it (an equal id: fed earlier)
		}
		if g.firstPending {
			t.repeat++ // it now comes just before the old first
		}
	default:
		g.prevDay, g.hasPrev = secDay(g.sec), true
		g.sec, g.nsec = sec, nsec
	}
	r := linked || g.hasPrev && day-g.prevDay <= int64(t.w.RepeatDays)
	g.first, g.firstPending = id, counted && !r
	return r
}

// count adds c, counted by the query and received on Shanghai day day, to
// every tally it belongs in. The repeat flag is not among its facts: it
// depends on other appeals, and only the whole reports it.
func (t *MetricsTally) count(c *Summary, day int64) {
	raw, age := t.rawFacts(c, day)
	asm := t.assessFacts(c, raw)
	t.all.add(raw, asm, age)
	if t.lastCat == nil || c.Category != t.lastCatKey {
		t.lastCat, t.lastCatKey = tallyOf(t.byCategory, c.Category), c.Category
	}
	t.lastCat.add(raw, asm, age)
	if t.lastBld == nil || c.Building != t.lastBldKey {
		t.lastBld, t.lastBldKey = tallyOf(t.byBuilding, c.Building), c.Building
	}
	t.lastBld.add(raw, asm, age)
	tallyOf(t.byChannel, c.Channel).add(raw, asm, age)
	if t.lastMonth == nil || day != t.lastDay {
		y, m, _ := c.Received.In(Shanghai).Date()
		t.lastMonth = tallyOf(t.byMonth, y*12+int(m)-1)
		t.lastQuarter = tallyOf(t.byQuarter, y*4+(int(m)-1)/3)
		t.lastDay = day
	}
	t.lastMonth.add(raw, asm, age)
	t.lastQuarter.add(raw, asm, age)
	if t.hasTerm {
		if c.Received.Before(t.termStart) {
			t.before.add(raw, asm, age)
		} else {
			t.during.add(raw, asm, age)
		}
	}
	if len(c.Whistle) > 0 {
		t.whistle.add(c.Whistle, t.rules.ArriveMinutes)
	}
}

// rawFacts are the facts of c, received on Shanghai day day, on the raw
// basis, and its ageing bucket if open.
func (t *MetricsTally) rawFacts(c *Summary, day int64) (uint32, int) {
	var f uint32
	responded := !c.RespondedAt.IsZero()
	if responded || c.RespondDue.Before(t.q.Now) {
		f |= factRespondDue
		if responded && !c.RespondedAt.After(c.RespondDue) {
			f |= factRespondOnTime
		}
	}
	due := c.HandleDue
	if !c.ExtendedTo.IsZero() { // the raw basis knows no extension
		due = c.PolicyHandleDue(&t.policy)
	}
	f |= handleFacts(c, due, t.q.Now)
	age := 0
	if c.Status.Open() {
		f |= factOpen
		switch c.Due(t.q.Now, t.dueSoon) {
		case DueOverdue:
			f |= factOverdue
		case DueSoon:
			f |= factDueSoon
		}
		days := t.today - day
		for age < len(ageingBuckets)-1 && days > ageingBuckets[age].max {
			age++
		}
	}
	if c.Solved != "" || c.Satisfaction != "" {
		f |= factEvaluated
	}
	v := verdictFacts(c.Solved, c.Satisfaction)
	if c.Escalation != LevelCommunity {
		f |= factEscalated
	} else if c.Solved == SolvedYes {
		f |= 1 << bitYesCommunity
	}
	return f | v, age
}

// handleFacts are the handling facts of c against the deadline due.
func handleFacts(c *Summary, due, now time.Time) uint32 {
	handled := !c.HandledAt.IsZero()
	if !handled && !due.Before(now) {
		return 0
	}
	if handled && !c.HandledAt.After(due) {
		return factHandleDue | factHandleOnTime
	}
	return factHandleDue
}

// verdictFacts are the facts of the callback's verdicts. An unknown
// verdict (from a newer version) counts in the denominator only.
func verdictFacts(sv Solved, sa Satisfaction) uint32 {
	var f uint32
	switch sv {
	case "":
	case SolvedYes:
		f |= 1<<bitSolvedYes | 1<<bitSolvedAny
	case SolvedPartly:
		f |= 1<<bitSolvedPartly | 1<<bitSolvedAny
	default:
		f |= 1 << bitSolvedAny
	}
	switch sa {
	case "":
	case Satisfied:
		f |= 1<<bitSatisfied | 1<<bitSatisfactionAny
	case BasicSatisfied:
		f |= 1<<bitBasic | 1<<bitSatisfactionAny
	default:
		f |= 1 << bitSatisfactionAny
	}
	return f
}

func tallyOf[K comparable](m map[K]*tally, k K) *tally {
	t := m[k]
	if t == nil {
		t = new(tally)
		m[k] = t
	}
	return t
}

// Metrics returns the figures of everything added so far. It does not end
// the tally: it may be called again, also after more appeals are added, and
// each result is independent of the tally.
func (t *MetricsTally) Metrics() Metrics {
	w := t.w
	all := &t.all
	whole := all.row("", &w)
	out := Metrics{
		From: t.q.From, To: t.q.To, AsOf: t.q.Now, Weights: w,
		Cases:            whole.Cases,
		ResponseRate:     whole.ResponseRate,
		ResolutionRate:   whole.ResolutionRate,
		SatisfactionRate: whole.SatisfactionRate,
		CompositeScore:   whole.CompositeScore,
		OnTimeRespond:    whole.Parts.OnTimeRespond.Value(),
		OnTimeHandle:     whole.Parts.OnTimeHandle.Value(),
		OnTimeRate:       whole.OnTimeRate,
		Open:             whole.Open, Overdue: whole.Overdue, DueSoon: all.dueSoon, Evaluated: whole.Evaluated,
		Repeat: t.repeat, Escalated: all.escalated,
		Parts: MetricsParts{
			RateParts:       whole.Parts,
			Repeat:          Rate{float64(t.repeat), float64(all.cases)},
			Escalation:      Rate{float64(all.escalated), float64(all.cases)},
			CommunitySolved: Rate{float64(all.yesCommunity), float64(all.solvedYes)},
		},
	}
	out.AssessmentParts = all.asm.parts(&w)
	out.Assessment = figures(&w, all.asm.cases, out.AssessmentParts)
	out.Rules, out.RuleCounts, out.Whistle = t.rules, t.ruleCounts, t.whistle.figures()
	out.RepeatShare = out.Parts.Repeat.Value()
	out.EscalationShare = out.Parts.Escalation.Value()
	out.CommunitySolvedShare = out.Parts.CommunitySolved.Value()
	out.Ageing = make([]AgeingBucket, len(ageingBuckets))
	for i, b := range ageingBuckets {
		out.Ageing[i] = AgeingBucket{Bucket: b.label, Count: all.ageing[i]}
	}

	out.ByCategory = rowsBySize(t.byCategory, &w)
	out.ByBuilding = rowsBySize(t.byBuilding, &w)
	out.ByChannel = make([]MetricsRow, 0, len(t.byChannel))
	for k, ct := range t.byChannel {
		out.ByChannel = append(out.ByChannel, ct.row(string(k), &w))
	}
	sortBySize(out.ByChannel)
	out.ByMonth = rowsInOrder(t.byMonth, monthKey, &w)
	out.ByQuarter = rowsInOrder(t.byQuarter, quarterKey, &w)

	if t.hasTerm {
		tc := &TermComparison{
			Start:    t.term.Start,
			Baseline: t.term.Baseline,
			Before:   t.before.row("before", &w),
			During:   t.during.row("during", &w),
		}
		tc.Change = Rates{
			Response:     diff(tc.During.ResponseRate, tc.Baseline.Response),
			Resolution:   diff(tc.During.ResolutionRate, tc.Baseline.Resolution),
			Satisfaction: diff(tc.During.SatisfactionRate, tc.Baseline.Satisfaction),
		}
		tc.ChangeSinceBefore = Rates{
			Response:     diff(tc.During.ResponseRate, tc.Before.ResponseRate),
			Resolution:   diff(tc.During.ResolutionRate, tc.Before.ResolutionRate),
			Satisfaction: diff(tc.During.SatisfactionRate, tc.Before.SatisfactionRate),
		}
		tc.AssessmentChange = Rates{
			Response:     diff(tc.During.Assessment.ResponseRate, tc.Baseline.Response),
			Resolution:   diff(tc.During.Assessment.ResolutionRate, tc.Baseline.Resolution),
			Satisfaction: diff(tc.During.Assessment.SatisfactionRate, tc.Baseline.Satisfaction),
		}
		tc.AssessmentChangeSinceBefore = Rates{
			Response:     diff(tc.During.Assessment.ResponseRate, tc.Before.Assessment.ResponseRate),
			Resolution:   diff(tc.During.Assessment.ResolutionRate, tc.Before.Assessment.ResolutionRate),
			Satisfaction: diff(tc.During.Assessment.SatisfactionRate, tc.Before.Assessment.SatisfactionRate),
		}
		out.Term = tc
	}
	return out
}

// rowsInOrder is the rows of a time slice in order of its numeric keys.
func rowsInOrder(m map[int]*tally, name func(int) string, w *Weights) []MetricsRow {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	rows := make([]MetricsRow, 0, len(keys))
	for _, k := range keys {
		rows = append(rows, m[k].row(name(k), w))
	}
	return rows
}

// diff is a − b, or nil if either is missing.
func diff(a, b *float64) *float64 {
	if a == nil || b == nil {
		return nil
	}
	v := *a - *b
	return &v
}

// monthKey formats year*12 + month-1 as "2026-03".
func monthKey(k int) string {
	y, m := k/12, k%12+1
	ys := strconv.Itoa(y)
	for len(ys) < 4 {
		ys = "0" + ys
	}
	if m < 10 {
		return ys + "-0" + strconv.Itoa(m)
	}
	return ys + "-" + strconv.Itoa(m)
}

// quarterKey formats year*4 + quarter-1 as "2026-Q1".
func quarterKey(k int) string {
	ys := strconv.Itoa(k / 4)
	for len(ys) < 4 {
		ys = "0" + ys
	}
	return ys + "-Q" + strconv.Itoa(k%4+1)
}

func rowsBySize(m map[string]*tally, w *Weights) []MetricsRow {
	rows := make([]MetricsRow, 0, len(m))
	for k, t := range m {
		rows = append(rows, t.row(k, w))
	}
	sortBySize(rows)
	return rows
}

// sortBySize orders rows by number of appeals, largest first, then by key.
func sortBySize(rows []MetricsRow) {
	slices.SortFunc(rows, func(a, b MetricsRow) int {
		if c := cmp.Compare(b.Cases, a.Cases); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
}

// linkedRepeat reports whether c is a repeat appeal by its links alone:
// linked to another as a duplicate or recurrence, or merged into a main
// appeal (并单).
func linkedRepeat(c *Summary) bool { return len(c.Linked) > 0 || c.MergedInto != "" }
