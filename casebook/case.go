package casebook

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Case field codes: the keys of the case's registers and of CaseInput.
const (
	FieldNumber      = "number"      // 编号, human-readable
	FieldReceived    = "received"    // 受理时间, RFC 3339 UTC
	FieldChannel     = "channel"     // 渠道
	FieldWorkOrder   = "workorder"   // 12345 工单编号
	FieldType        = "type"        // 类型
	FieldCategory    = "category"    // 分类
	FieldBuilding    = "building"    // 楼号
	FieldUnit        = "unit"        // 单元/门牌
	FieldLocation    = "location"    // 地点 (free text)
	FieldSummary     = "summary"     // 诉求摘要
	FieldDetails     = "details"     // 详细内容
	FieldComplainant = "complainant" // 诉求人 (personal data)
	FieldPhone       = "phone"       // 联系电话 (personal data)
	FieldUrgency     = "urgency"     // 紧急程度
	FieldHandler     = "handler"     // 承办人
	// FieldMeeting is the report meeting (报告会) an appeal was raised at:
	// its place, with the day received its day, so that the items of one
	// meeting make its list (清单).
	FieldMeeting = "meeting"
)

// CaseFields lists the field codes in form order.
var CaseFields = []string{
	FieldNumber, FieldReceived, FieldChannel, FieldWorkOrder, FieldType, FieldCategory,
	FieldBuilding, FieldUnit, FieldLocation, FieldSummary, FieldDetails,
	FieldComplainant, FieldPhone, FieldUrgency, FieldHandler, FieldMeeting,
}

func knownCaseField(f string) bool { return contains(CaseFields, f) }

// Event is one entry of a case's timeline. Events are append-only: nothing in
// a timeline is ever edited or deleted; a mistake is corrected by a later event.
type Event struct {
	ID           string       `json:"id"`  // the op id
	HLC          HLC          `json:"hlc"` // merge order
	Origin       string       `json:"origin"`
	At           time.Time    `json:"at"` // when it happened, as the user says (UTC)
	Actor        string       `json:"actor,omitempty"`
	Action       Action       `json:"action"`
	Note         string       `json:"note,omitempty"`
	To           string       `json:"to,omitempty"` // dispatch target, or escalation level
	Solved       Solved       `json:"solved,omitempty"`
	Satisfaction Satisfaction `json:"satisfaction,omitempty"`
	Ref          string       `json:"ref,omitempty"` // a related record, e.g. the dispute that closed it, the main appeal of a merge
	// The 12345 rules (rules.go): a callback without a verdict, the
	// decision on a request, the day an extension runs to, a contest's
	// evidence and the departments' ratings of a joint handling.
	Callback Callback     `json:"callback,omitempty"`
	Decision Decision     `json:"decision,omitempty"`
	Until    Date         `json:"until,omitzero"`
	Evidence string       `json:"evidence,omitempty"`
	Ratings  []DeptRating `json:"ratings,omitempty"`
	// Refused is set when, replayed in merge order, the step was not allowed
	// (two devices both signed for the case offline, say). The event stays in
	// the timeline, marked, and changes nothing.
	Refused string `json:"refused,omitempty"`
}

// Link relates this case to another. Links are append-only.
type Link struct {
	Target string    `json:"target"`
	Kind   LinkKind  `json:"kind"`
	Op     string    `json:"op,omitempty"`
	At     time.Time `json:"at,omitempty"`
}

// Conflict is a value that lost a concurrent edit: two devices changed the
// same field without seeing each other's change. It stays until someone
// settles it (SetFields with the register's HeadIDs as bases).
type Conflict struct {
	Field  string `json:"field"`
	Shown  string `json:"shown"` // the value that won, for now
	Value  string `json:"value"` // the value that lost
	Origin string `json:"origin"`
	HLC    HLC    `json:"hlc"`
}

// Case is one appeal (诉求): the registers, timeline and links it is made of,
// and the view derived from them. Only Apply changes it.
type Case struct {
	ID        string               `json:"id"`
	Registers map[string]*Register `json:"registers"`
	Timeline  []Event              `json:"timeline"`
	Links     []Link               `json:"links,omitempty"`

	// Derived by derive(); stored so a loaded case needs no replay.
	Status       Status       `json:"status"`
	RespondedAt  time.Time    `json:"responded_at,omitzero"`
	DispatchedTo string       `json:"dispatched_to,omitempty"`
	HandledAt    time.Time    `json:"handled_at,omitzero"` // met the handling deadline: resolved, unresolvable, or (complex) first feedback
	ResolvedAt   time.Time    `json:"resolved_at,omitzero"`
	FeedbackAt   time.Time    `json:"feedback_at,omitzero"`
	EvaluatedAt  time.Time    `json:"evaluated_at,omitzero"`
	ClosedAt     time.Time    `json:"closed_at,omitzero"`
	Solved       Solved       `json:"solved,omitempty"`
	Satisfaction Satisfaction `json:"satisfaction,omitempty"`
	Escalation   Level        `json:"escalation,omitempty"`
	Unresolvable bool         `json:"unresolvable,omitempty"`
	Reopened     int          `json:"reopened,omitempty"`

	// The 12345 rules (rules.go), derived too.
	Pending    Requests      `json:"pending,omitempty"`     // requests awaiting a decision
	ReturnTo   string        `json:"return_to,omitempty"`   // the unit a pending or accepted return names (改派)
	Contested  bool          `json:"contested,omitempty"`   // a contest was accepted: out of the assessment basis
	ExtendedTo time.Time     `json:"extended_to,omitzero"`  // the handling deadline of the approved extension
	Away       time.Duration `json:"away,omitempty"`        // time spent on refused returns
	MergedInto string        `json:"merged_into,omitempty"` // the main appeal this one was merged into
	Merged     []string      `json:"merged,omitempty"`      // the appeals merged into this one
	Callback   Callback      `json:"callback,omitempty"`    // the callback brought no verdict
	Whistle    []DeptCall    `json:"whistle,omitempty"`     // departments summoned (吹哨报到)
}

// Field returns the current value of a field.
func (c *Case) Field(f string) string {
	if r, ok := c.Registers[f]; ok {
		return r.Value()
	}
	return ""
}

// Accessors for the fields every screen uses.
func (c *Case) Number() string      { return c.Field(FieldNumber) }
func (c *Case) Channel() Channel    { return Channel(c.Field(FieldChannel)) }
func (c *Case) Type() AppealType    { return AppealType(c.Field(FieldType)) }
func (c *Case) Category() string    { return c.Field(FieldCategory) }
func (c *Case) Building() string    { return c.Field(FieldBuilding) }
func (c *Case) Summary() string     { return c.Field(FieldSummary) }
func (c *Case) Handler() string     { return c.Field(FieldHandler) }
func (c *Case) WorkOrder() string   { return c.Field(FieldWorkOrder) }
func (c *Case) Complainant() string { return c.Field(FieldComplainant) }
func (c *Case) Phone() string       { return c.Field(FieldPhone) }
func (c *Case) Urgency() Urgency    { return Urgency(c.Field(FieldUrgency)) }

// Received is when the appeal was received.
func (c *Case) Received() time.Time {
	t, _ := time.Parse(time.RFC3339, c.Field(FieldReceived))
	return t
}

// Conflicts lists the concurrent edits waiting to be settled.
func (c *Case) Conflicts() []Conflict {
	var out []Conflict
	for _, f := range CaseFields {
		r := c.Registers[f]
		heads := r.Heads()
		for _, h := range heads[min(1, len(heads)):] {
			if h.Value == heads[0].Value {
				continue // both devices wrote the same value: nothing to settle
			}
			out = append(out, Conflict{Field: f, Shown: heads[0].Value, Value: h.Value, Origin: h.Origin, HLC: h.HLC})
		}
	}
	return out
}

// Created reports whether the case's create operation has been applied.
// Sync may deliver the steps of a case before its creation; such a case is
// kept (so nothing is lost) but is not listed until it is created.
func (c *Case) Created() bool {
	for i := range c.Timeline {
		if c.Timeline[i].Action == ActReceive {
			return true
		}
	}
	return false
}

// Apply adds an operation to the case. It is idempotent and commutative:
// any replica that has applied the same set of ops, in any order, holds the
// same case. It reports whether anything changed.
func (c *Case) Apply(op *Op) (bool, error) {
	if op.Entity != c.ID {
		return false, fmt.Errorf("apply op %s: %w: entity %s is not case %s", op.ID, ErrInvalid, op.Entity, c.ID)
	}
	changed := false
	switch op.Kind {
	case OpCaseCreate, OpCaseSet:
		if c.Registers == nil {
			c.Registers = map[string]*Register{}
		}
		for f, v := range op.Fields {
			if !knownCaseField(f) {
				continue
			}
			r := c.Registers[f]
			if r == nil {
				r = &Register{}
				c.Registers[f] = r
			}
			if r.add(Version{Op: op.ID, HLC: op.HLC, Origin: op.Origin, Value: v, Bases: op.Bases[f]}) {
				changed = true
			}
		}
		if op.Kind == OpCaseCreate && !c.hasEvent(op.ID) {
			at, _ := time.Parse(time.RFC3339, op.Fields[FieldReceived])
			c.insertEvent(Event{ID: op.ID, HLC: op.HLC, Origin: op.Origin, At: at, Action: ActReceive, Actor: op.Fields[FieldHandler]})
			changed = true
		}
	case OpCaseEvent:
		if op.Event == nil {
			return false, fmt.Errorf("apply op %s: %w: no event", op.ID, ErrInvalid)
		}
		if !c.hasEvent(op.ID) {
			e := *op.Event
			e.ID, e.HLC, e.Origin, e.Refused = op.ID, op.HLC, op.Origin, ""
			c.insertEvent(e)
			changed = true
		}
	case OpCaseLink:
		if op.Link == nil {
			return false, fmt.Errorf("apply op %s: %w: no link", op.ID, ErrInvalid)
		}
		found := false
		for _, l := range c.Links {
			if l.Op == op.ID {
				found = true
			}
		}
		if !found {
			l := *op.Link
			l.Op = op.ID
			c.Links = append(c.Links, l)
			sort.Slice(c.Links, func(i, j int) bool { return c.Links[i].Op < c.Links[j].Op })
			changed = true
		}
	default:
		return false, nil // unknown kinds are kept in the log by the store, ignored here
	}
	if changed {
		c.derive()
	}
	return changed, nil
}

func (c *Case) hasEvent(id string) bool {
	for i := range c.Timeline {
		if c.Timeline[i].ID == id {
			return true
		}
	}
	return false
}

func (c *Case) insertEvent(e Event) {
	i := sort.Search(len(c.Timeline), func(i int) bool { return eventBefore(&e, &c.Timeline[i]) })
	c.Timeline = append(c.Timeline, Event{})
	copy(c.Timeline[i+1:], c.Timeline[i:])
	c.Timeline[i] = e
}

func eventBefore(a, b *Event) bool {
	if c := a.HLC.Compare(b.HLC); c != 0 {
		return c < 0
	}
	if a.Origin != b.Origin {
		return a.Origin < b.Origin
	}
	return a.ID < b.ID
}

// derive replays the timeline in merge order to get the status and the
// milestone times. Steps that the loop refuses at their place in the merged
// order are marked Refused and skipped.
func (c *Case) derive() {
	s := StatusReceived
	c.RespondedAt, c.HandledAt, c.ResolvedAt, c.FeedbackAt, c.EvaluatedAt, c.ClosedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}
	c.DispatchedTo, c.Solved, c.Satisfaction, c.Escalation, c.Unresolvable, c.Reopened = "", "", "", LevelCommunity, false, 0
	c.resetRules()
	complex := c.Urgency() == UrgencyComplex
	var rp ruleReplay
	for i := range c.Timeline {
		e := &c.Timeline[i]
		e.Refused = ""
		if e.Action == ActReceive {
			continue
		}
		next, err := c.check(s, e)
		if err != nil {
			e.Refused = err.Error()
			continue
		}
		if IsRuleAction(e.Action) {
			next = c.applyRule(&rp, next, e)
		} else {
			c.applyLoop(s, e, complex)
		}
		s = next
	}
	c.Status = s
}

// check says whether the step e may be taken from status s, the case
// holding what the steps before it derived: the loop's transitions, the
// escalation level, the evaluation's verdicts and the 12345 rules. Replay
// and Author.Step both ask it, so a step the author allows is allowed in
// replay at the same place. It returns the status after the step.
func (c *Case) check(s Status, e *Event) (Status, error) {
	next, err := Next(s, e.Action)
	if err != nil {
		return s, err
	}
	switch e.Action {
	case ActEscalate:
		if Level(e.To).Rank() <= c.Escalation.Rank() {
			return s, stepErr(CodeAlreadyEscalated, fmt.Sprintf("already at level %q", c.Escalation), string(c.Escalation))
		}
	case ActEvaluate:
		verdicts := e.Solved != "" && e.Satisfaction != ""
		if verdicts == (e.Callback != "") || !verdicts && (e.Solved != "" || e.Satisfaction != "") {
			return s, fieldErr("solved", CodeRequired, "an evaluation needs both verdicts, or a callback outcome without one")
		}
	}
	if IsRuleAction(e.Action) {
		if err := c.ruleRefusal(e); err != nil {
			return s, err
		}
	}
	return next, nil
}

// applyLoop takes a step of the closed loop, from status s.
func (c *Case) applyLoop(s Status, e *Event, complex bool) {
	switch e.Action {
	case ActRespond:
		c.RespondedAt = e.At
	case ActDispatch:
		c.DispatchedTo = e.To
	case ActResolve, ActUnresolvable:
		c.ResolvedAt = e.At
		c.Unresolvable = e.Action == ActUnresolvable
		if c.HandledAt.IsZero() {
			c.HandledAt = e.At
		}
	case ActFeedback:
		if c.FeedbackAt.IsZero() || s == StatusResolved || s == StatusUnresolvable {
			c.FeedbackAt = e.At
		}
		if complex && c.HandledAt.IsZero() {
			c.HandledAt = e.At
		}
	case ActEvaluate:
		c.EvaluatedAt, c.Solved, c.Satisfaction, c.Callback = e.At, e.Solved, e.Satisfaction, e.Callback
	case ActClose:
		c.ClosedAt = e.At
	case ActEscalate:
		c.Escalation = Level(e.To)
	case ActReopen:
		// The earlier result no longer stands; the case is being handled again.
		c.HandledAt, c.ResolvedAt, c.FeedbackAt, c.EvaluatedAt, c.ClosedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}
		c.Solved, c.Satisfaction, c.Unresolvable, c.Callback = "", "", false, ""
		c.Reopened++
	}
}

// NewCase makes an empty case ready to Apply its create op.
func NewCase(id string) *Case { return &Case{ID: id, Registers: map[string]*Register{}} }

// CaseInput is what a person fills in for a new appeal. Codes may be given
// as Chinese names; Normalize turns them into codes.
type CaseInput struct {
	Number      string    `json:"number"`
	Received    time.Time `json:"received"`
	Channel     string    `json:"channel"`
	WorkOrder   string    `json:"workorder"`
	Type        string    `json:"type"`
	Category    string    `json:"category"`
	Building    string    `json:"building"`
	Unit        string    `json:"unit"`
	Location    string    `json:"location"`
	Summary     string    `json:"summary"`
	Details     string    `json:"details"`
	Complainant string    `json:"complainant"`
	Phone       string    `json:"phone"`
	Urgency     string    `json:"urgency"`
	Handler     string    `json:"handler"`
	Meeting     string    `json:"meeting"`
}

var phonePattern = regexp.MustCompile(`^[0-9+\-() ]{5,20}$`)

// Limits on free text, so one paste cannot bloat every replica.
const (
	MaxSummaryRunes = 200
	MaxDetailRunes  = 5000
	MaxShortRunes   = 64
	// MaxFieldBytes bounds any one value in bytes, as Op.Validate does on
	// every replica and the hub: 5,000 characters of four-byte emoji are
	// 20 KB, so a character limit alone lets through a value that every
	// other replica would refuse.
	MaxFieldBytes = 16 << 10
)

// TooLong reports whether s is over a limit of maxRunes characters or
// over MaxFieldBytes bytes: every form limit is checked with it, so that
// what a form accepts, Op.Validate accepts too.
func TooLong(s string, maxRunes int) bool {
	return len(s) > MaxFieldBytes || utf8.RuneCountInString(s) > maxRunes
}

// Validate checks a new appeal against the settings (its category must be
// in the list) and returns every problem at once as FieldErrors. now bounds
// the received time: an appeal cannot be received in the future.
func (in *CaseInput) Validate(categories []string, now time.Time) (map[string]string, error) {
	var errs FieldErrors
	f := map[string]string{}
	if in.Received.IsZero() {
		in.Received = now
	}
	switch {
	case in.Received.After(now.Add(DefaultMaxSkew)):
		errs.add(FieldReceived, CodeFuture, "received time is in the future")
	case in.Received.Before(EarliestTime):
		errs.add(FieldReceived, CodeOutOfRange, "received time is before 2000", EarliestTime.Year(), LatestYear)
	}
	f[FieldReceived] = in.Received.UTC().Truncate(time.Second).Format(time.RFC3339)
	in.validateCodes(categories, f, &errs)
	in.validateText(f, &errs)
	if len(errs) > 0 {
		return nil, errs
	}
	return f, nil
}

// trimCode cleans a code, number or name typed in a form: no control
// characters, half-width, trimmed.
func trimCode(s string) string { return strings.TrimSpace(normalizeWidth(CleanLine(s))) }

// validateCodes checks the channel, type, urgency and category into f.
func (in *CaseInput) validateCodes(categories []string, f map[string]string, errs *FieldErrors) {
	if ch, err := ParseChannel(in.Channel); err != nil {
		*errs = append(*errs, asField(FieldChannel, "choose a channel: ", err))
	} else {
		f[FieldChannel] = string(ch)
	}
	if t, err := ParseType(in.Type); err != nil {
		*errs = append(*errs, asField(FieldType, "choose a type: ", err))
	} else {
		f[FieldType] = string(t)
	}
	if u, err := ParseUrgency(in.Urgency); err != nil {
		*errs = append(*errs, asField(FieldUrgency, "", err))
	} else {
		f[FieldUrgency] = string(u)
	}
	cat := trimCode(in.Category)
	switch {
	case cat == "":
		errs.add(FieldCategory, CodeRequired, "choose a category")
	case len(categories) > 0 && !contains(categories, cat):
		errs.add(FieldCategory, CodeNotInList, fmt.Sprintf("category %q is not in the list", cat), cat)
	default:
		f[FieldCategory] = cat
	}
}

// validateText checks the text fields into f: the summary, details, work
// order (which a 12345 dispatch needs: validateCodes ran), phone, the
// short fields and the location.
func (in *CaseInput) validateText(f map[string]string, errs *FieldErrors) {
	// Free text keeps its full-width Chinese punctuation (，：（）); only
	// codes, numbers and building names are width-normalized.
	sum := strings.TrimSpace(CleanLine(in.Summary))
	switch {
	case sum == "":
		errs.add(FieldSummary, CodeRequired, "write a short summary")
	case TooLong(sum, MaxSummaryRunes):
		errs.add(FieldSummary, CodeTooLong, fmt.Sprintf("summary is longer than %d characters", MaxSummaryRunes), MaxSummaryRunes)
	default:
		f[FieldSummary] = sum
	}
	if d := strings.TrimSpace(CleanText(in.Details)); TooLong(d, MaxDetailRunes) {
		errs.add(FieldDetails, CodeTooLong, fmt.Sprintf("details are longer than %d characters", MaxDetailRunes), MaxDetailRunes)
	} else if d != "" {
		f[FieldDetails] = d
	}
	wo := trimCode(in.WorkOrder)
	if wo != "" {
		f[FieldWorkOrder] = wo
	}
	if f[FieldChannel] == string(Channel12345) && wo == "" {
		errs.add(FieldWorkOrder, CodeRequired, "a 12345 dispatch needs its work-order number")
	}
	if p := trimCode(in.Phone); p != "" {
		if !phonePattern.MatchString(p) {
			errs.add(FieldPhone, CodeBadPhone, "phone number has characters other than digits, +, - and spaces")
		} else {
			f[FieldPhone] = p
		}
	}
	for _, short := range []struct{ field, v string }{
		{FieldNumber, in.Number}, {FieldBuilding, in.Building}, {FieldUnit, in.Unit},
		{FieldComplainant, in.Complainant}, {FieldHandler, in.Handler}, {FieldWorkOrder, in.WorkOrder},
	} {
		v := trimCode(short.v)
		if TooLong(v, MaxShortRunes) {
			errs.add(short.field, CodeTooLong, fmt.Sprintf("longer than %d characters", MaxShortRunes), MaxShortRunes)
			continue
		}
		if v != "" {
			f[short.field] = v
		}
	}
	for _, long := range []struct{ field, v string }{{FieldLocation, in.Location}, {FieldMeeting, in.Meeting}} {
		if l := strings.TrimSpace(CleanLine(long.v)); l != "" {
			if TooLong(l, MaxSummaryRunes) {
				errs.add(long.field, CodeTooLong, "too long", MaxSummaryRunes)
			} else {
				f[long.field] = l
			}
		}
	}
}

// normalizeWidth turns full-width ASCII (ＡＢＣ１２３, the ideographic space)
// into half-width: Chinese input methods produce them and they would
// otherwise make "１号楼" and "1号楼" different buildings.
func normalizeWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000':
			return ' '
		case r >= '\uff01' && r <= '\uff5e':
			return r - 0xfee0
		}
		return r
	}, s)
}

// NormalizeWidth is normalizeWidth for other packages' parsers (imports).
func NormalizeWidth(s string) string { return normalizeWidth(s) }
