package casebook

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Author makes operations on behalf of one person on one device. It checks
// each change against the current case, so an operation it returns is one
// the loop allows; operations from elsewhere are merged by Case.Apply.
type Author struct {
	Origin string           // device id
	Actor  string           // the person, recorded in timeline events
	Clock  *Clock           // HLC source
	Now    func() time.Time // physical time for defaults (time.Now when nil)
}

func (a *Author) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func (a *Author) op(kind OpKind, entity string) Op {
	h := a.Clock.Now()
	return Op{ID: NewID(h.Time()), Origin: a.Origin, HLC: h, Kind: kind, Entity: entity}
}

// Create validates a new appeal and returns its create operation; the new
// case's id is the op's Entity.
func (a *Author) Create(in CaseInput, categories []string) (Op, error) {
	fields, err := in.Validate(categories, a.now())
	if err != nil {
		return Op{}, fmt.Errorf("create case: %w", err)
	}
	op := a.op(OpCaseCreate, "")
	op.Entity = NewID(in.Received)
	if fields[FieldHandler] == "" && a.Actor != "" {
		fields[FieldHandler] = a.Actor
	}
	op.Fields = fields
	return made(op)
}

// Step is one closed-loop step requested by a person.
type Step struct {
	Action       Action
	At           time.Time // zero: now
	Note         string
	To           string // dispatch: to whom; escalate: street|district|city; return: the unit it belongs to; whistle: the departments; arrive: the department
	Solved       Solved
	Satisfaction Satisfaction
	Ref          string
	// The 12345 rules: a callback without a verdict (instead of Solved and
	// Satisfaction), the decision on a request, the day an extension runs
	// to, a contest's evidence, the departments' ratings.
	Callback Callback
	Decision Decision
	Until    Date
	Evidence string
	Ratings  []DeptRating
}

// Step validates a loop step against the case and returns its operation.
// A refused step returns an error wrapping ErrTransition or ErrInvalid that
// says why; nothing is made.
func (a *Author) Step(c *Case, s Step) (Op, error) {
	wrap := func(err error) error { return fmt.Errorf("%s case %s: %w", s.Action, c.Number(), err) }
	if s.Action == ActReceive {
		return Op{}, wrap(stepErr(CodeNotAllowed, "a case is received when it is created", string(s.Action), string(c.Status)))
	}
	if _, err := Next(c.Status, s.Action); err != nil {
		return Op{}, wrap(err)
	}
	if err := a.stepTime(c, &s); err != nil {
		return Op{}, wrap(err)
	}
	s.Note = strings.TrimSpace(CleanText(s.Note))
	s.To = strings.TrimSpace(CleanLine(s.To))
	s.Evidence = strings.TrimSpace(CleanText(s.Evidence))
	switch {
	case TooLong(s.Note, MaxDetailRunes):
		return Op{}, wrap(fieldErr("note", CodeTooLong, "note is too long", MaxDetailRunes))
	case TooLong(s.Evidence, MaxDetailRunes):
		return Op{}, wrap(fieldErr("evidence", CodeTooLong, "evidence is too long", MaxDetailRunes))
	case TooLong(s.To, MaxSummaryRunes):
		return Op{}, wrap(fieldErr("to", CodeTooLong, "too long", MaxSummaryRunes))
	}
	if err := s.normalize(c); err != nil {
		return Op{}, wrap(err)
	}
	if err := s.normalizeRule(c); err != nil {
		return Op{}, wrap(err)
	}
	op := a.op(OpCaseEvent, c.ID)
	op.Event = &Event{At: s.At.UTC(), Actor: a.Actor, Action: s.Action, Note: s.Note, To: s.To,
		Solved: s.Solved, Satisfaction: s.Satisfaction, Ref: s.Ref,
		Callback: s.Callback, Decision: s.Decision, Until: s.Until, Evidence: s.Evidence, Ratings: s.Ratings}
	// What the replay will ask of the step at the end of the timeline.
	if _, err := c.check(c.Status, op.Event); err != nil {
		return Op{}, wrap(err)
	}
	return made(op)
}

// stepTime sets a step's time (now if zero) and checks it: not in the
// future, not before 2000 or the appeal's receipt.
func (a *Author) stepTime(c *Case, s *Step) error {
	now := a.now()
	if s.At.IsZero() {
		s.At = now
	}
	switch {
	case s.At.After(now.Add(DefaultMaxSkew)):
		return fieldErr("at", CodeFuture, "time is in the future")
	case s.At.Before(EarliestTime):
		return fieldErr("at", CodeOutOfRange, "time is before 2000", EarliestTime.Year(), LatestYear)
	case s.At.Before(c.Received()):
		return fieldErr("at", CodeBeforeReceived, "time is before the appeal was received")
	}
	return nil
}

// normalize checks and cleans what a step of the loop needs.
func (s *Step) normalize(c *Case) error {
	switch s.Action {
	case ActDispatch:
		if s.To == "" {
			return fieldErr("to", CodeRequired, "say to whom it is dispatched")
		}
	case ActEscalate:
		lv, err := ParseLevel(s.To)
		if err != nil {
			return asField("to", "", err)
		}
		if lv.Rank() <= c.Escalation.Rank() {
			return stepErr(CodeAlreadyEscalated, fmt.Sprintf("already escalated to %s", c.Escalation), string(c.Escalation))
		}
		s.To = string(lv)
	case ActEvaluate:
		return s.normalizeEvaluation()
	case ActUnresolvable, ActReopen:
		if s.Note == "" {
			return fieldErr("note", CodeRequired, "explain why")
		}
	case ActNote, ActProgress:
		if s.Note == "" {
			return fieldErr("note", CodeRequired, "write the note")
		}
	}
	return nil
}

// normalizeEvaluation reads both verdicts, or a callback outcome alone
// (未评价, 未接通, 拒绝评价).
func (s *Step) normalizeEvaluation() error {
	if s.Callback != "" && s.Solved == "" && s.Satisfaction == "" {
		cb, err := ParseCallback(string(s.Callback))
		if err != nil {
			return asField("callback", "", err)
		}
		s.Callback = cb
		return nil
	}
	if s.Callback != "" {
		return fieldErr("callback", CodeInvalid, "a callback outcome without a verdict goes without solved and satisfaction")
	}
	var errs FieldErrors
	sv, err := ParseSolved(string(s.Solved))
	if err != nil {
		errs = append(errs, asField("solved", "", err))
	}
	sa, err := ParseSatisfaction(string(s.Satisfaction))
	if err != nil {
		errs = append(errs, asField("satisfaction", "", err))
	}
	if errs != nil {
		return errs
	}
	s.Solved, s.Satisfaction = sv, sa
	return nil
}

// Set changes scalar fields of a case. The operation cites the values it
// replaces (the register heads), so it settles any conflict on those fields.
func (a *Author) Set(c *Case, changes map[string]string, categories []string) (Op, error) {
	if len(changes) == 0 {
		return Op{}, fmt.Errorf("set case %s: %w", c.Number(), ErrNoChange)
	}
	// Validate by building the complete input with the changes applied.
	in := c.Input()
	for f, v := range changes {
		if !knownCaseField(f) {
			return Op{}, fmt.Errorf("set case %s: %w", c.Number(), fieldErr(f, CodeUnknownField, "unknown field"))
		}
		if err := in.set(f, v); err != nil {
			return Op{}, fmt.Errorf("set case %s: %w", c.Number(), err)
		}
	}
	valid, err := in.Validate(categories, a.now())
	if err != nil {
		// Only the changed fields matter: an old case whose category has
		// since left the list can still have its handler changed.
		var errs, mine FieldErrors
		if !errors.As(err, &errs) {
			return Op{}, fmt.Errorf("set case %s: %w", c.Number(), err)
		}
		for _, e := range errs {
			if _, ok := changes[e.Field]; ok {
				mine = append(mine, e)
			}
		}
		if len(mine) > 0 {
			return Op{}, fmt.Errorf("set case %s: %w", c.Number(), mine)
		}
		// Only the changed fields are written, so only they need cleaning.
		valid = map[string]string{}
		for f, v := range changes {
			valid[f] = normalizeField(f, v)
		}
	}
	op := a.op(OpCaseSet, c.ID)
	op.Fields, op.Bases = map[string]string{}, map[string][]string{}
	for f := range changes {
		op.Fields[f] = valid[f] // "" clears an optional field
		if heads := c.Registers[f].HeadIDs(); len(heads) > 0 {
			op.Bases[f] = heads
		}
	}
	return made(op)
}

// Link relates case c to target.
func (a *Author) Link(c *Case, target string, kind LinkKind) (Op, error) {
	if target == c.ID {
		return Op{}, fmt.Errorf("link case %s: %w", c.Number(), invalid(CodeSelfLink, "a case cannot link to itself"))
	}
	if _, err := ParseLinkKind(string(kind)); err != nil {
		return Op{}, fmt.Errorf("link case %s: %w", c.Number(), err)
	}
	for _, l := range c.Links {
		if l.Target == target && l.Kind == kind {
			return Op{}, fmt.Errorf("link case %s: %w", c.Number(), invalid(CodeAlreadyLinked, "already linked"))
		}
	}
	op := a.op(OpCaseLink, c.ID)
	op.Link = &Link{Target: target, Kind: kind, At: a.now().UTC()}
	return made(op)
}

// Input returns the case's current fields as a form.
func (c *Case) Input() CaseInput {
	in := CaseInput{}
	for _, f := range CaseFields {
		_ = in.set(f, c.Field(f))
	}
	return in
}

func (in *CaseInput) set(f, v string) error {
	switch f {
	case FieldNumber:
		in.Number = v
	case FieldReceived:
		if v == "" {
			in.Received = time.Time{}
			return nil
		}
		t, err := ParseTime(v)
		if err != nil {
			return asField(f, "", err)
		}
		in.Received = t
	case FieldChannel:
		in.Channel = v
	case FieldWorkOrder:
		in.WorkOrder = v
	case FieldType:
		in.Type = v
	case FieldCategory:
		in.Category = v
	case FieldBuilding:
		in.Building = v
	case FieldUnit:
		in.Unit = v
	case FieldLocation:
		in.Location = v
	case FieldSummary:
		in.Summary = v
	case FieldDetails:
		in.Details = v
	case FieldComplainant:
		in.Complainant = v
	case FieldPhone:
		in.Phone = v
	case FieldUrgency:
		in.Urgency = v
	case FieldHandler:
		in.Handler = v
	case FieldMeeting:
		in.Meeting = v
	}
	return nil
}

// ParseTime reads a time typed by a person or a script: RFC 3339, or a
// Shanghai local time "2026-03-02 14:30", "2026-03-02T14:30", or a date
// alone (midnight Shanghai). Full-width digits are accepted.
func ParseTime(s string) (time.Time, error) {
	t := strings.TrimSpace(normalizeWidth(s))
	if t == "" {
		return time.Time{}, fmt.Errorf("parse time: %w", invalid(CodeRequired, "empty"))
	}
	if v, err := time.Parse(time.RFC3339Nano, t); err == nil {
		return v.UTC(), nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006/01/02 15:04", "2006/1/2 15:04"} {
		if v, err := time.ParseInLocation(layout, t, Shanghai); err == nil {
			return v.UTC(), nil
		}
	}
	if d, err := ParseDate(t); err == nil {
		return d.Time().UTC(), nil
	}
	return time.Time{}, fmt.Errorf("parse time %q: %w", s, invalid(CodeBadTime, "want 2006-01-02T15:04:05+08:00 or 2006-01-02 15:04"))
}

// normalizeField cleans one changed value the way Validate would, for the
// lenient path of Set where Validate failed only on untouched fields.
func normalizeField(f, v string) string {
	v = strings.TrimSpace(v)
	switch f {
	case FieldChannel:
		if c, err := ParseChannel(v); err == nil {
			return string(c)
		}
	case FieldType:
		if t, err := ParseType(v); err == nil {
			return string(t)
		}
	case FieldUrgency:
		if u, err := ParseUrgency(v); err == nil {
			return string(u)
		}
	case FieldReceived:
		if t, err := ParseTime(v); err == nil {
			return t.Format(time.RFC3339)
		}
	case FieldNumber, FieldWorkOrder, FieldBuilding, FieldUnit, FieldPhone, FieldHandler, FieldComplainant, FieldCategory:
		return strings.TrimSpace(normalizeWidth(v))
	}
	return v
}
