package casebook

// Metrics: the one definition of every figure (指标口径)
//
// The app, the CLI, the Excel export and the district hub all take their
// figures from ComputeMetrics, so the formulas below are the only ones.
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
//     building and channel (largest first, then by name) and per month
//     received in Shanghai time ("2026-03", in order; only months with
//     appeals). Every appeal falls in exactly one row of each
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

// MetricsRow is one row of a slice (a category, building, channel or month)
// or one side of the term comparison.
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

	ByCategory []MetricsRow `json:"by_category"`
	ByBuilding []MetricsRow `json:"by_building"`
	ByChannel  []MetricsRow `json:"by_channel"`
	ByMonth    []MetricsRow `json:"by_month"`

	Term *TermComparison `json:"term"` // nil unless the term start is set
}

// Per-case facts, worked out once and added to every tally the case is in.
const (
	factRespondOnTime uint16 = 1 << iota
	factRespondDue           // in the response denominator
	factHandleOnTime
	factHandleDue // in the handling denominator
	factOpen
	factOverdue
	factDueSoon
	factEvaluated
	factEscalated
	factRepeat
)

// tally is the single accumulator behind every figure: the whole, each slice
// row and each side of the term comparison add cases to one and read their
// rates from it, so there is one definition of each rate.
type tally struct {
	cases                     int
	respondOnTime, respondDue int
	handleOnTime, handleDue   int
	solvedYes, solvedPartly   int
	solvedEvaluated           int
	satisfied, basic          int
	satisfactionEvaluated     int
	open, overdue, dueSoon    int
	evaluated                 int
	escalated, yesCommunity   int
	repeat                    int
	ageing                    [len(ageingBuckets)]int
}

func (t *tally) add(s *Summary, facts uint16, age int) {
	t.cases++
	b := func(f uint16) int {
		if facts&f != 0 {
			return 1
		}
		return 0
	}
	t.respondOnTime += b(factRespondOnTime)
	t.respondDue += b(factRespondDue)
	t.handleOnTime += b(factHandleOnTime)
	t.handleDue += b(factHandleDue)
	t.open += b(factOpen)
	t.overdue += b(factOverdue)
	t.dueSoon += b(factDueSoon)
	t.evaluated += b(factEvaluated)
	t.escalated += b(factEscalated)
	t.repeat += b(factRepeat)
	switch s.Solved {
	case "":
	case SolvedYes:
		t.solvedYes++
		t.solvedEvaluated++
		if facts&factEscalated == 0 {
			t.yesCommunity++
		}
	case SolvedPartly:
		t.solvedPartly++
		t.solvedEvaluated++
	default: // "no", or a verdict this version does not know
		t.solvedEvaluated++
	}
	switch s.Satisfaction {
	case "":
	case Satisfied:
		t.satisfied++
		t.satisfactionEvaluated++
	case BasicSatisfied:
		t.basic++
		t.satisfactionEvaluated++
	default:
		t.satisfactionEvaluated++
	}
	if facts&factOpen != 0 {
		t.ageing[age]++
	}
}

// parts is the core rates of the tally under weights w.
func (t *tally) parts(w *Weights) RateParts {
	return RateParts{
		Response:      Rate{float64(t.respondOnTime), float64(t.respondDue)},
		Resolution:    Rate{float64(t.solvedYes) + w.PartlySolved*float64(t.solvedPartly), float64(t.solvedEvaluated)},
		Satisfaction:  Rate{float64(t.satisfied) + w.BasicSatisfied*float64(t.basic), float64(t.satisfactionEvaluated)},
		OnTimeRespond: Rate{float64(t.respondOnTime), float64(t.respondDue)},
		OnTimeHandle:  Rate{float64(t.handleOnTime), float64(t.handleDue)},
		OnTime:        Rate{float64(t.respondOnTime + t.handleOnTime), float64(t.respondDue + t.handleDue)},
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
	return r
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
// if s is nil). It does not modify cases. The formulas are stated at the top
// of metrics.go.
func ComputeMetrics(cases []*Summary, s *Settings, q MetricsQuery) Metrics {
	if s == nil {
		d := DefaultSettings()
		s = &d
	}
	w := s.Weights
	var match func(*Summary) bool
	if q.Filter != nil {
		match = q.Filter.Prepare(q.Now).Match
	}
	repeats := repeatFlags(cases, w.RepeatDays)
	today := shanghaiDay(q.Now)
	var termStart time.Time
	hasTerm := s.Term.Start != (Date{})
	if hasTerm {
		termStart = s.Term.Start.Time()
	}

	var all, before, during tally
	byCategory := map[string]*tally{}
	byBuilding := map[string]*tally{}
	byChannel := map[Channel]*tally{}
	byMonth := map[int]*tally{} // year*12 + month-1
	get := func(m map[string]*tally, k string) *tally {
		t := m[k]
		if t == nil {
			t = new(tally)
			m[k] = t
		}
		return t
	}
	// Consecutive cases often share a slice key; remember the last tally.
	var lastCat, lastBld *tally
	var lastCatKey, lastBldKey string

	for i, c := range cases {
		if c == nil ||
			(!q.From.IsZero() && c.Received.Before(q.From)) ||
			(!q.To.IsZero() && !c.Received.Before(q.To)) ||
			(match != nil && !match(c)) {
			continue
		}
		var f uint16
		responded := !c.RespondedAt.IsZero()
		if responded || c.RespondDue.Before(q.Now) {
			f |= factRespondDue
			if responded && !c.RespondedAt.After(c.RespondDue) {
				f |= factRespondOnTime
			}
		}
		handled := !c.HandledAt.IsZero()
		if handled || c.HandleDue.Before(q.Now) {
			f |= factHandleDue
			if handled && !c.HandledAt.After(c.HandleDue) {
				f |= factHandleOnTime
			}
		}
		age := 0
		if c.Status.Open() {
			f |= factOpen
			switch c.Due(q.Now, s.Policy.DueSoon) {
			case DueOverdue:
				f |= factOverdue
			case DueSoon:
				f |= factDueSoon
			}
			days := today - shanghaiDay(c.Received)
			for age < len(ageingBuckets)-1 && days > ageingBuckets[age].max {
				age++
			}
		}
		if c.Solved != "" || c.Satisfaction != "" {
			f |= factEvaluated
		}
		if c.Escalation != LevelCommunity {
			f |= factEscalated
		}
		if repeats[i] {
			f |= factRepeat
		}

		all.add(c, f, age)
		if lastCat == nil || c.Category != lastCatKey {
			lastCat, lastCatKey = get(byCategory, c.Category), c.Category
		}
		lastCat.add(c, f, age)
		if lastBld == nil || c.Building != lastBldKey {
			lastBld, lastBldKey = get(byBuilding, c.Building), c.Building
		}
		lastBld.add(c, f, age)
		ch := byChannel[c.Channel]
		if ch == nil {
			ch = new(tally)
			byChannel[c.Channel] = ch
		}
		ch.add(c, f, age)
		y, m, _ := c.Received.In(Shanghai).Date()
		mk := y*12 + int(m) - 1
		mt := byMonth[mk]
		if mt == nil {
			mt = new(tally)
			byMonth[mk] = mt
		}
		mt.add(c, f, age)
		if hasTerm {
			if c.Received.Before(termStart) {
				before.add(c, f, age)
			} else {
				during.add(c, f, age)
			}
		}
	}

	whole := all.row("", &w)
	out := Metrics{
		From: q.From, To: q.To, AsOf: q.Now, Weights: w,
		Cases:            whole.Cases,
		ResponseRate:     whole.ResponseRate,
		ResolutionRate:   whole.ResolutionRate,
		SatisfactionRate: whole.SatisfactionRate,
		CompositeScore:   whole.CompositeScore,
		OnTimeRespond:    whole.Parts.OnTimeRespond.Value(),
		OnTimeHandle:     whole.Parts.OnTimeHandle.Value(),
		OnTimeRate:       whole.OnTimeRate,
		Open:             whole.Open, Overdue: whole.Overdue, DueSoon: all.dueSoon, Evaluated: whole.Evaluated,
		Repeat: all.repeat, Escalated: all.escalated,
		Parts: MetricsParts{
			RateParts:       whole.Parts,
			Repeat:          Rate{float64(all.repeat), float64(all.cases)},
			Escalation:      Rate{float64(all.escalated), float64(all.cases)},
			CommunitySolved: Rate{float64(all.yesCommunity), float64(all.solvedYes)},
		},
	}
	out.RepeatShare = out.Parts.Repeat.Value()
	out.EscalationShare = out.Parts.Escalation.Value()
	out.CommunitySolvedShare = out.Parts.CommunitySolved.Value()
	out.Ageing = make([]AgeingBucket, len(ageingBuckets))
	for i, b := range ageingBuckets {
		out.Ageing[i] = AgeingBucket{Bucket: b.label, Count: all.ageing[i]}
	}

	out.ByCategory = rowsBySize(byCategory, &w)
	out.ByBuilding = rowsBySize(byBuilding, &w)
	out.ByChannel = make([]MetricsRow, 0, len(byChannel))
	for k, t := range byChannel {
		out.ByChannel = append(out.ByChannel, t.row(string(k), &w))
	}
	sortBySize(out.ByChannel)
	months := make([]int, 0, len(byMonth))
	for k := range byMonth {
		months = append(months, k)
	}
	slices.Sort(months)
	out.ByMonth = make([]MetricsRow, 0, len(months))
	for _, k := range months {
		out.ByMonth = append(out.ByMonth, byMonth[k].row(monthKey(k), &w))
	}

	if hasTerm {
		tc := &TermComparison{
			Start:    s.Term.Start,
			Baseline: s.Term.Baseline,
			Before:   before.row("before", &w),
			During:   during.row("during", &w),
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
		out.Term = tc
	}
	return out
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

// repeatFlags marks the repeat appeals among cases (see the formulas at the
// top of the file). The building-and-category rule compares each appeal with
// the one just before it in its (building, category) group ordered by time
// received then id: if that one is more than the limit away, all earlier ones
// are too. Entries are bucketed by group in O(n) and each group sorted by
// time, so it is O(n log n) at worst.
func repeatFlags(cases []*Summary, days int) []bool {
	flags := make([]bool, len(cases))
	type groupKey struct{ building, category string }
	type entry struct {
		sec  int64 // Received, for ordering (not UnixNano, which overflows for odd dates)
		nsec int32
		idx  int32
	}
	groups := map[groupKey]int32{}
	var groupOf []int32 // group of each case, -1 if none
	var counts []int32  // cases per group
	if days > 0 {
		groupOf = make([]int32, len(cases))
	}
	for i, c := range cases {
		if c == nil {
			if groupOf != nil {
				groupOf[i] = -1
			}
			continue
		}
		if len(c.Linked) > 0 {
			flags[i] = true
		}
		if days <= 0 {
			continue
		}
		if c.Building == "" {
			groupOf[i] = -1
			continue
		}
		k := groupKey{c.Building, c.Category}
		g, ok := groups[k]
		if !ok {
			g = int32(len(counts))
			groups[k] = g
			counts = append(counts, 0)
		}
		groupOf[i] = g
		counts[g]++
	}
	if days <= 0 {
		return flags
	}
	// starts[g] is where group g begins in entries; next[g] where its next entry goes.
	starts := make([]int32, len(counts)+1)
	for g, n := range counts {
		starts[g+1] = starts[g] + n
	}
	next := slices.Clone(starts[:len(counts)])
	entries := make([]entry, starts[len(counts)])
	for i, g := range groupOf {
		if g < 0 {
			continue
		}
		t := cases[i].Received
		entries[next[g]] = entry{sec: t.Unix(), nsec: int32(t.Nanosecond()), idx: int32(i)}
		next[g]++
	}
	byTime := func(a, b entry) int {
		if c := cmp.Compare(a.sec, b.sec); c != 0 {
			return c
		}
		if c := cmp.Compare(a.nsec, b.nsec); c != 0 {
			return c
		}
		if c := cmp.Compare(cases[a.idx].ID, cases[b.idx].ID); c != 0 {
			return c
		}
		return cmp.Compare(a.idx, b.idx)
	}
	limit := int64(days)
	for g := range counts {
		group := entries[starts[g]:starts[g+1]]
		slices.SortFunc(group, byTime)
		for j := 1; j < len(group); j++ {
			if secDay(group[j].sec)-secDay(group[j-1].sec) <= limit {
				flags[group[j].idx] = true
			}
		}
	}
	return flags
}
