package casebook

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Unit is how a Limit is measured. Emergencies are promised in hours, normal
// work in days, and the two are counted differently (see DeadlinePolicy.Due).
type Unit string

// Limit units.
const (
	UnitHours Unit = "hours"
	UnitDays  Unit = "days"
)

// Upper bounds on a Limit: a year. Anything longer is a typo, and the bound
// keeps working-day counting cheap.
const (
	maxLimitDays  = 366
	maxLimitHours = 366 * 24
)

// Limit is a time allowed for one step of the closed loop, such as "7 days to
// solve a simple appeal". It is kept as amount and unit rather than a
// time.Duration because a day limit ends at midnight and may skip holidays.
type Limit struct {
	Amount int  `json:"amount"`
	Unit   Unit `json:"unit"`
}

// String is the short form used in settings and on the command line ("2h",
// "7d"); ParseLimit reads it back.
func (l Limit) String() string {
	switch l.Unit {
	case UnitHours:
		return strconv.Itoa(l.Amount) + "h"
	case UnitDays:
		return strconv.Itoa(l.Amount) + "d"
	}
	return strconv.Itoa(l.Amount) + string(l.Unit)
}

// check reports why l cannot be used as a deadline, or nil.
func (l Limit) check() *FieldError {
	switch l.Unit {
	case UnitHours:
		if l.Amount < 1 || l.Amount > maxLimitHours {
			return invalid(CodeOutOfRange, fmt.Sprintf("%d hours is outside 1–%d", l.Amount, maxLimitHours), 1, maxLimitHours)
		}
	case UnitDays:
		if l.Amount < 1 || l.Amount > maxLimitDays {
			return invalid(CodeOutOfRange, fmt.Sprintf("%d days is outside 1–%d", l.Amount, maxLimitDays), 1, maxLimitDays)
		}
	default:
		return invalid(CodeBadLimit, fmt.Sprintf("unit %q is not hours or days", l.Unit))
	}
	return nil
}

// limitUnits maps what people type after the number to a unit; keys are
// lower-case and half-width.
var limitUnits = map[string]Unit{
	"h": UnitHours, "hr": UnitHours, "hrs": UnitHours, "hour": UnitHours, "hours": UnitHours,
	"小时": UnitHours, "个小时": UnitHours, "小時": UnitHours, "個小時": UnitHours,
	"d": UnitDays, "day": UnitDays, "days": UnitDays,
	"天": UnitDays, "日": UnitDays,
}

// ParseLimit reads a limit as typed in settings or on the command line: "2h",
// "24h", "7d", "15d", "7 days", "2 hours", "7天", "2小时", also with
// full-width digits ("７天"). A bare number is refused because hours and days
// are both plausible. Working days are not a unit: whether days skip holidays
// is the policy's Counting, so that one switch changes every limit.
func ParseLimit(s string) (Limit, error) {
	fail := func(why string) (Limit, error) {
		return Limit{}, fmt.Errorf("parse limit %q: %w", s, invalid(CodeBadLimit, why))
	}
	t := strings.ToLower(strings.TrimSpace(normalizeWidth(s)))
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 0 {
		return fail("want a whole number of hours or days, such as 2h or 7d")
	}
	unit, ok := limitUnits[strings.TrimSpace(t[i:])]
	if !ok {
		if strings.TrimSpace(t[i:]) == "" {
			return fail("missing unit: write h (hours) or d (days)")
		}
		return fail("unknown unit: write h (hours) or d (days)")
	}
	n, err := strconv.Atoi(t[:i])
	if err != nil {
		// Only digits reach here, so the number overflows an int.
		return fail("number too large")
	}
	l := Limit{Amount: n, Unit: unit}
	if err := l.check(); err != nil {
		return Limit{}, fmt.Errorf("parse limit %q: %w", s, err)
	}
	return l, nil
}

// Counting is how day limits are counted.
type Counting string

// Counting modes. The 1-7-15 rule as published counts calendar days; other
// places count working days, so it is a setting.
const (
	CountCalendar Counting = "calendar"
	CountWorking  Counting = "working"
)

// CountingCodes is the code table of the day counting: what the settings
// screen offers and the command line reads ("工作日", "working days").
var CountingCodes = &CodeTable[Counting]{
	what: "day counting",
	names: []codeName{
		{string(CountCalendar), "自然日", "calendar days"},
		{string(CountWorking), "工作日", "working days"},
	},
	aliases: map[string]string{"日历日": "calendar", "natural": "calendar", "workdays": "working", "work": "working", "个工作日": "working"},
}

// ParseCounting accepts calendar|working or 自然日|工作日.
func ParseCounting(s string) (Counting, error) { return CountingCodes.Parse(s) }

// Chinese returns the counting's Chinese name (自然日, 工作日).
func (c Counting) Chinese() string { return CountingCodes.Chinese(c) }

// English returns the counting's English name.
func (c Counting) English() string { return CountingCodes.English(c) }

// DeadlinePolicy is the configurable 1-7-15 rule: respond within 1 day, solve
// simple items within 7 days, give a plan and progress on complex items within
// 15 days, with the 12345 hour limits for emergencies and utilities. It is a
// plain value so that it can be stored in settings and synced like any other.
type DeadlinePolicy struct {
	// Respond is the time to sign for (签收) and respond to a new appeal.
	Respond Limit `json:"respond"`
	// Handle is the time to solve, or for complex items to report a plan
	// and progress, by urgency.
	Handle map[Urgency]Limit `json:"handle"`
	// Counting says whether day limits skip weekends and holidays; ""
	// counts calendar days.
	Counting Counting `json:"counting"`
	// Calendar gives the holidays and make-up workdays for CountWorking.
	Calendar Calendar `json:"calendar"`
	// DueSoon is how long before a deadline a case is flagged as due soon,
	// so the secretary can act before it is late.
	DueSoon time.Duration `json:"due_soon"`
	// PauseWhileReturned: the time a work order was away on a return that
	// the hotline refused (退单 not accepted) does not count against its
	// deadlines, which move by that long. Off by default: the clock runs
	// on, as the hotline counts it unless a place rules otherwise.
	PauseWhileReturned bool `json:"pause_while_returned,omitempty"`
}

// DefaultPolicy is the 1-7-15 rule as published, counted in calendar days,
// with the 2026 holiday calendar ready for anyone who switches to working
// days. Each call returns fresh maps and slices, so callers may modify it.
func DefaultPolicy() DeadlinePolicy {
	p := DeadlinePolicy{
		Respond:  Limit{1, UnitDays},
		Handle:   map[Urgency]Limit{},
		Counting: CountCalendar,
		Calendar: China2026(),
		DueSoon:  24 * time.Hour,
	}
	for _, u := range policyUrgencies {
		p.Handle[u], _ = defaultHandleLimit(u)
	}
	return p
}

// HandleField names the handling limit of an urgency in a policy's
// FieldErrors: "handle.emergency".
func HandleField(u Urgency) string { return "handle." + string(u) }

// policyUrgencies are the classes every policy must have a handling limit for.
var policyUrgencies = []Urgency{UrgencyEmergency, UrgencyUtility, UrgencyGeneral, UrgencyComplex}

// Validate checks a policy before it is saved, so that a bad setting is
// refused in the form instead of producing nonsense deadlines later. Handle
// entries for urgencies this version does not know are checked but allowed,
// so that a policy written by a newer version still loads.
func (p DeadlinePolicy) Validate() error {
	fail := func(fe *FieldError) error { return fmt.Errorf("deadline policy: %w", fe) }
	limit := func(field string, l Limit) error {
		if fe := l.check(); fe != nil {
			fe.Field = field
			return fail(fe)
		}
		return nil
	}
	if err := limit("respond", p.Respond); err != nil {
		return err
	}
	for _, u := range policyUrgencies {
		l, ok := p.Handle[u]
		if !ok {
			return fail(fieldErr(HandleField(u), CodeRequired, "no handling limit"))
		}
		if err := limit(HandleField(u), l); err != nil {
			return err
		}
	}
	for _, u := range slices.Sorted(maps.Keys(p.Handle)) {
		if err := limit(HandleField(u), p.Handle[u]); err != nil {
			return err
		}
	}
	switch p.Counting {
	case "", CountCalendar, CountWorking:
	default:
		return fail(fieldErr("counting", CodeNotInList, fmt.Sprintf("%q is not calendar or working", p.Counting), string(p.Counting)))
	}
	if p.DueSoon < 0 {
		return fail(fieldErr("due_soon", CodeNegative, fmt.Sprintf("window %v is negative", p.DueSoon)))
	}
	if err := p.Calendar.Validate(); err != nil {
		return fmt.Errorf("deadline policy: %w", err)
	}
	return nil
}

// Due is the deadline for a step started at from with limit l:
//
//   - Hours limits are elapsed clock hours from from, whatever the Counting:
//     emergencies do not wait for weekends or holidays.
//   - Day limits end at 24:00 Shanghai time (00:00 of the following day) of
//     the Nth day after the day of from; the day of receipt does not count.
//     With CountCalendar every day counts. With CountWorking only workdays of
//     the Calendar count (make-up Saturdays included, holidays excluded): the
//     deadline is the end of the Nth workday strictly after the day of receipt.
//     So an appeal received on Friday 2026-01-09 at 15:00 with 1 working day
//     is due at the end of Monday 2026-01-12, and one received on Thursday
//     2026-04-30 is due at the end of Wednesday 2026-05-06, after the May Day
//     holiday.
//   - An unusable limit (zero, negative, over a year, unknown unit) gives
//     from itself, so the case shows as overdue and gets looked at rather
//     than never coming due.
//
// The result is in UTC, so deadlines compare and store the same way on every
// device; format it in Shanghai for display.
func (p DeadlinePolicy) Due(from time.Time, l Limit) time.Time {
	if l.check() != nil {
		return from.UTC()
	}
	if l.Unit == UnitHours {
		return from.Add(time.Duration(l.Amount) * time.Hour).UTC()
	}
	d := DateOf(from)
	if p.Counting == CountWorking {
		for n := 0; n < l.Amount; {
			d = d.AddDays(1)
			if p.Calendar.IsWorkday(d) {
				n++
			}
		}
	} else {
		d = d.AddDays(l.Amount)
	}
	return d.AddDays(1).Time().UTC()
}

// HandleLimit is the handling limit for an urgency class. Unknown or empty
// urgency gets the general limit, since that is what an unclassified appeal
// is. If the policy lacks a usable entry (an old or damaged setting), the
// default for that class is used, so a deadline is never missing and an
// emergency never silently becomes a 7-day item.
func (p DeadlinePolicy) HandleLimit(u Urgency) Limit {
	def, known := defaultHandleLimit(u)
	if !known {
		u = UrgencyGeneral
	}
	if l, ok := p.Handle[u]; ok && l.check() == nil {
		return l
	}
	return def
}

// defaultHandleLimit is DefaultPolicy's handling limit without building a
// whole policy, because HandleLimit runs once per case in every list. Unknown
// classes get the general limit and known == false.
func defaultHandleLimit(u Urgency) (l Limit, known bool) {
	switch u {
	case UrgencyEmergency:
		return Limit{2, UnitHours}, true
	case UrgencyUtility:
		return Limit{24, UnitHours}, true
	case UrgencyGeneral:
		return Limit{7, UnitDays}, true
	case UrgencyComplex:
		return Limit{15, UnitDays}, true
	}
	return Limit{7, UnitDays}, false
}
