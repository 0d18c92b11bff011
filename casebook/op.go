package casebook

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// OpKind names what an operation does.
type OpKind string

// Operation kinds. New kinds may be added; a replica that does not know a
// kind keeps the operation in its log (so it syncs on) and ignores it.
const (
	OpCaseCreate OpKind = "case.create" // a new appeal with its first field values
	OpCaseSet    OpKind = "case.set"    // change scalar fields (last-writer-wins registers)
	OpCaseEvent  OpKind = "case.event"  // append a timeline event (a step of the loop or a note)
	OpCaseLink   OpKind = "case.link"   // link two cases (append-only)
	OpSettings   OpKind = "settings.set"
)

// SettingsEntity is the Entity of settings operations.
const SettingsEntity = "settings"

// Op is one change. Ops are immutable, globally unique (ID), carry the device
// they were made on (Origin) and their HLC; applying one twice changes nothing.
type Op struct {
	ID     string              `json:"id"`
	Origin string              `json:"origin"`
	HLC    HLC                 `json:"hlc"`
	Kind   OpKind              `json:"kind"`
	Entity string              `json:"entity"`
	Fields map[string]string   `json:"fields,omitempty"` // create, set, settings
	Bases  map[string][]string `json:"bases,omitempty"`  // per field: the op ids of the values the writer saw
	Event  *Event              `json:"event,omitempty"`
	Link   *Link               `json:"link,omitempty"`
	// Payload carries kinds defined outside this file (disputes) as raw JSON.
	Payload json.RawMessage `json:"payload,omitempty"`
}

// Before orders operations totally: by HLC, then origin, then id. Every
// replica uses this order, which is what makes merges converge.
func (o *Op) Before(p *Op) bool {
	if c := o.HLC.Compare(p.HLC); c != 0 {
		return c < 0
	}
	if o.Origin != p.Origin {
		return o.Origin < p.Origin
	}
	return o.ID < p.ID
}

// MaxOpBytes bounds one encoded operation; larger ones are refused so a
// hostile or broken peer cannot make a replica store megabytes per change.
const MaxOpBytes = 64 << 10

// Validate checks the shape of an operation received from elsewhere (a peer,
// the hub, a file) before it is applied.
func (o *Op) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("validate op %s: %w: %s", o.ID, ErrInvalid, fmt.Sprintf(format, a...))
	}
	// Ids must be in canonical form: two spellings of one id would
	// otherwise be two operations.
	if id, err := ParseID(o.ID); err != nil || id != o.ID {
		return bad("bad id")
	}
	if strings.TrimSpace(o.Origin) == "" || len(o.Origin) > 64 {
		return bad("bad origin")
	}
	if o.HLC.Wall <= 0 {
		return bad("missing timestamp")
	}
	if o.Entity == "" || len(o.Entity) > 64 {
		return bad("bad entity")
	}
	for k, v := range o.Fields {
		if k == "" || len(k) > 64 || len(v) > MaxFieldBytes {
			return bad("field %q too long", k)
		}
	}
	switch o.Kind {
	case OpCaseCreate, OpCaseSet:
		if len(o.Fields) == 0 {
			return bad("no fields")
		}
		for k := range o.Fields {
			if !knownCaseField(k) {
				return bad("unknown field %q", k)
			}
		}
	case OpCaseEvent:
		if o.Event == nil {
			return bad("no event")
		}
		if !knownAction(o.Event.Action) {
			return bad("unknown action %q", o.Event.Action)
		}
		if o.Event.Ref != "" && !isExactID(o.Event.Ref) {
			return bad("event refers to %q, not an id", Clip(o.Event.Ref, 40))
		}
		if why := o.Event.ruleShapeWhy(); why != "" {
			return bad("%s", why)
		}
	case OpCaseLink:
		if o.Link == nil || o.Link.Target == "" || o.Link.Target == o.Entity {
			return bad("bad link")
		}
	case OpSettings:
		if o.Entity != SettingsEntity || len(o.Fields) == 0 {
			return bad("bad settings")
		}
	default:
		if strings.HasPrefix(string(o.Kind), "dispute.") {
			return o.validateDispute()
		}
	}
	return nil
}

// Register is a multi-value register for one scalar field: every version ever
// written, from which the current value and any conflict follow. A version
// names the versions its writer saw (Bases); versions nobody has seen past
// are the heads. One head is the normal case; several heads are a conflict:
// the one with the largest (HLC, origin) is shown, the others kept for review.
type Register struct {
	Versions []Version `json:"v"`
}

// Version is one written value of a field.
type Version struct {
	Op     string   `json:"op"`
	HLC    HLC      `json:"hlc"`
	Origin string   `json:"origin"`
	Value  string   `json:"value"`
	Bases  []string `json:"bases,omitempty"`
}

func (v *Version) before(w *Version) bool {
	if c := v.HLC.Compare(w.HLC); c != 0 {
		return c < 0
	}
	if v.Origin != w.Origin {
		return v.Origin < w.Origin
	}
	return v.Op < w.Op
}

// add records a version; it reports false when the op was already there.
func (r *Register) add(v Version) bool {
	for _, have := range r.Versions {
		if have.Op == v.Op {
			return false
		}
	}
	// Keep versions sorted by op id so that replicas that received them in
	// different orders store identical registers.
	i := sort.Search(len(r.Versions), func(i int) bool { return r.Versions[i].Op > v.Op })
	r.Versions = append(r.Versions, Version{})
	copy(r.Versions[i+1:], r.Versions[i:])
	r.Versions[i] = v
	return true
}

// Heads returns the versions no other version was based on, winner first.
func (r *Register) Heads() []Version {
	if r == nil {
		return nil
	}
	superseded := map[string]bool{}
	for _, v := range r.Versions {
		for _, b := range v.Bases {
			superseded[b] = true
		}
	}
	var heads []Version
	for _, v := range r.Versions {
		if !superseded[v.Op] {
			heads = append(heads, v)
		}
	}
	// Largest first; a simple insertion sort since there are rarely more than two.
	for i := 1; i < len(heads); i++ {
		for j := i; j > 0 && heads[j-1].before(&heads[j]); j-- {
			heads[j-1], heads[j] = heads[j], heads[j-1]
		}
	}
	return heads
}

// Value is the current value: the winning head.
func (r *Register) Value() string {
	h := r.Heads()
	if len(h) == 0 {
		return ""
	}
	return h[0].Value
}

// HeadIDs are what a writer must cite as Bases to supersede every current
// value, which is how a conflict is settled.
func (r *Register) HeadIDs() []string {
	h := r.Heads()
	ids := make([]string, len(h))
	for i, v := range h {
		ids[i] = v.Op
	}
	return ids
}

// made checks an operation this device has just made as every replica and
// the hub will check it when it arrives (Validate, and its encoded size),
// so that whatever a form or an import's plan accepted is accepted when it
// is applied. Every Author method returns through it.
func made(op Op) (Op, error) {
	if err := op.Validate(); err != nil {
		return Op{}, err
	}
	raw, err := json.Marshal(&op)
	if err != nil {
		return Op{}, fmt.Errorf("encode op: %w", err)
	}
	if len(raw) > MaxOpBytes {
		return Op{}, fmt.Errorf("%w: the change is %d KB, more than %d KB in one step", ErrInvalid, len(raw)>>10, MaxOpBytes>>10)
	}
	return op, nil
}
