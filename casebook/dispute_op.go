package casebook

// The shape of dispute operations received from elsewhere (another device,
// the hub): what Op.Validate checks beyond the checks common to all
// operations, before a store logs the op. The author's own ops pass these
// checks by construction; these keep a malformed op out of every replica.

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// validateDispute checks the shape of a dispute operation received from
// elsewhere; Op.Validate calls it for every kind with the "dispute." prefix
// after the checks common to all operations. A dispute kind this version
// does not know passes, to be kept and ignored like other unknown kinds.
func (o *Op) validateDispute() error {
	if !contains(disputeKinds, o.Kind) {
		return nil
	}
	why := o.disputeRegistersWhy()
	if why == "" && o.Kind != OpDisputeSet {
		var p disputePayload
		if len(o.Payload) > 0 {
			if err := json.Unmarshal(o.Payload, &p); err != nil {
				why = fmt.Sprintf("bad payload: %v", err)
			}
		}
		if check := disputePayloadChecks[o.Kind]; why == "" && check != nil {
			why = check(o, &p)
		}
	}
	if why != "" {
		return fmt.Errorf("validate op %s: %w: %s", o.ID, ErrInvalid, why)
	}
	return nil
}

// disputeRegistersWhy checks the entity, the payload's size and the
// registers the op writes: only the keys its kind may write, a party kind
// from the table, a task's done mark a time, and the registers a create,
// set or party op needs. It says what is wrong, or "".
func (o *Op) disputeRegistersWhy() string {
	if !isExactID(o.Entity) {
		return "dispute entity is not an id"
	}
	if len(o.Payload) > MaxOpBytes {
		return "payload too large"
	}
	for k, v := range o.Fields {
		if why := o.disputeFieldWhy(k, v); why != "" {
			return why
		}
	}
	switch o.Kind {
	case OpDisputeCreate:
		if strings.TrimSpace(o.Fields[DisputeFieldTitle]) == "" {
			return "no title"
		}
	case OpDisputeSet:
		if len(o.Fields) == 0 {
			return "no fields"
		}
	case OpDisputeParty:
		if strings.TrimSpace(o.Fields[PartyKey(o.ID, PartyFieldName)]) == "" || o.Fields[PartyKey(o.ID, PartyFieldKind)] == "" {
			return "a party needs a name and a kind"
		}
	}
	return ""
}

// disputeFieldWhy checks one register the op writes.
func (o *Op) disputeFieldWhy(k, v string) string {
	group, id, field, ok := splitDisputeKey(k)
	switch {
	case !ok:
		return fmt.Sprintf("unknown field %q", k)
	case o.Kind == OpDisputeCreate && group != "",
		o.Kind == OpDisputeParty && (group != "party" || id != o.ID),
		o.Kind != OpDisputeCreate && o.Kind != OpDisputeParty && o.Kind != OpDisputeSet:
		return fmt.Sprintf("field %q not allowed in %s", k, o.Kind)
	}
	switch {
	case group == "party" && field == PartyFieldKind:
		if _, err := ParsePartyKind(v); err != nil || v == "" {
			return fmt.Sprintf("unknown party kind %q", v)
		}
	case group == "task" && v != "":
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			return fmt.Sprintf("task done mark %q is not a time", v)
		}
	}
	return ""
}

// disputePayloadChecks check the record each kind carries in its payload;
// each says what is wrong, or "". Kinds without a record need no check.
var disputePayloadChecks = map[OpKind]func(o *Op, p *disputePayload) string{
	OpDisputeCreate:  checkLinkedCases,
	OpDisputeLink:    checkLinkedCases,
	OpDisputePlan:    checkPlanPayload,
	OpDisputeMeeting: checkMeetingPayload,
	OpDisputeMinutes: checkMinutesPayload,
	OpDisputeVote:    checkVotePayload,
	OpDisputeAgree:   checkAgreementPayload,
	OpDisputeTask:    checkTaskPayload,
	OpDisputeStall:   checkStallPayload,
	OpDisputeReopen:  checkStallPayload, // a reopening too needs its reason
}

// checkLinkedCases: a create links 2 to MaxLinkedCases appeals, a link 1 to
// MaxLinkedCases, each by its exact id.
func checkLinkedCases(o *Op, p *disputePayload) string {
	need := 1
	if o.Kind == OpDisputeCreate {
		need = 2
	}
	if len(p.Cases) < need || len(p.Cases) > MaxLinkedCases {
		return fmt.Sprintf("%s needs %d to %d cases", o.Kind, need, MaxLinkedCases)
	}
	for _, c := range p.Cases {
		if !isExactID(c) {
			return fmt.Sprintf("case id %q", c)
		}
	}
	return ""
}

func checkPlanPayload(_ *Op, p *disputePayload) string {
	if p.Plan == nil || strings.TrimSpace(p.Plan.Description) == "" {
		return "a plan needs a description"
	}
	return ""
}

func checkMeetingPayload(_ *Op, p *disputePayload) string {
	m := p.Meeting
	if m == nil || strings.TrimSpace(m.Place) == "" {
		return "a meeting needs a place"
	}
	if _, err := ParseMeetingKind(string(m.Kind)); err != nil || m.Kind == "" {
		return fmt.Sprintf("unknown meeting kind %q", m.Kind)
	}
	if len(m.Attendees) > MaxAttendees {
		return "too many attendees"
	}
	for _, at := range m.Attendees {
		if at.Count < 0 {
			return "negative head count"
		}
	}
	return ""
}

func checkMinutesPayload(_ *Op, p *disputePayload) string {
	if p.Minutes == nil || !isExactID(p.Minutes.Meeting) || strings.TrimSpace(p.Minutes.Text) == "" {
		return "minutes need a meeting and text"
	}
	return ""
}

func checkVotePayload(_ *Op, p *disputePayload) string {
	v := p.Vote
	if v == nil || !isExactID(v.Meeting) || !isExactID(v.Plan) {
		return "a vote needs a meeting and a plan"
	}
	var errs FieldErrors
	checkVoteCounts(&errs, *v)
	if len(errs) > 0 {
		return fmt.Sprintf("vote counts: %v", errs)
	}
	if _, err := ParseVoteMethod(string(v.Method)); err != nil {
		return fmt.Sprintf("unknown vote method %q", v.Method)
	}
	return ""
}

func checkAgreementPayload(_ *Op, p *disputePayload) string {
	if p.Agreement == nil || !isExactID(p.Agreement.Plan) || len(p.Agreement.SignedOff) == 0 || len(p.Agreement.SignedOff) > MaxSignOffs {
		return "an agreement needs a plan and who signed off"
	}
	return ""
}

func checkTaskPayload(_ *Op, p *disputePayload) string {
	if p.Task == nil || strings.TrimSpace(p.Task.Title) == "" || p.Task.Due == (Date{}) || !p.Task.Due.valid() {
		return "a task needs a title and a due date"
	}
	return ""
}

func checkStallPayload(o *Op, p *disputePayload) string {
	if strings.TrimSpace(p.Note) == "" {
		return fmt.Sprintf("%s needs its reason", o.Kind)
	}
	return ""
}
