package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"casebook/casebook"
)

// This file is the part of Apply that Bolt and Memory share: checking the
// operations of a batch, merging them into the views they change, and
// deriving the summaries. The stores differ only in where they read the
// current views and where they write the result.

// prepared is an operation checked and encoded for the log.
type prepared struct {
	op  *casebook.Op
	raw []byte // the op's JSON, as stored in the log
}

// prepare validates every operation of a batch before anything is written;
// the first bad one fails the whole batch, named by position, id and kind.
func prepare(what string, ops []casebook.Op) ([]prepared, error) {
	out := make([]prepared, len(ops))
	for i := range ops {
		op := &ops[i]
		bad := func(err error) error {
			return fmt.Errorf("%s: op %d of %d (id %q, kind %q): %w", what, i+1, len(ops), clip(op.ID), clip(string(op.Kind)), err)
		}
		if err := op.Validate(); err != nil {
			return nil, bad(err)
		}
		if id, _ := casebook.ParseID(op.ID); id != op.ID {
			// Two spellings of one id would be two operations.
			return nil, bad(fmt.Errorf("%w: id is not in canonical form", casebook.ErrInvalid))
		}
		if len(op.Kind) > 64 {
			return nil, bad(fmt.Errorf("%w: kind too long", casebook.ErrInvalid))
		}
		raw, err := json.Marshal(op)
		if err != nil {
			return nil, bad(fmt.Errorf("%w: %v", casebook.ErrInvalid, err))
		}
		if len(raw) > casebook.MaxOpBytes {
			return nil, bad(fmt.Errorf("%w: %d bytes encoded, more than %d", casebook.ErrInvalid, len(raw), casebook.MaxOpBytes))
		}
		out[i] = prepared{op: op, raw: raw}
	}
	return out, nil
}

// clip shortens a string from an untrusted op for an error message, at a
// character boundary, with control characters escaped.
func clip(s string) string { return casebook.Clip(s, 40) }

// View families: the part of an op kind before the first dot says which
// view the op changes. Dispatch happens in views.apply and nowhere else, so
// a new view is one more case there.
const (
	familyCase     = "case"
	familySettings = "settings"
	familyDispute  = "dispute"
)

func family(k casebook.OpKind) string {
	f, _, _ := strings.Cut(string(k), ".")
	return f
}

// views is the working state of one batch: every view the batch changes,
// loaded on first touch and changed in place.
type views struct {
	load        func(id string) (*casebook.Case, error)    // a fresh copy of a stored case, or nil
	loadDispute func(id string) (*casebook.Dispute, error) // a fresh copy of a stored dispute, or nil
	doc         *casebook.SettingsDoc                      // the settings before the batch (not modified)
	newDoc      *casebook.SettingsDoc                      // a copy, once a settings op arrived
	docChanged  bool                                       // a settings op changed newDoc
	cases       map[string]*casebook.Case
	touched     []string // changed case ids, in first-change order
	changed     map[string]bool
	disputes    map[string]*casebook.Dispute
	dTouched    []string // changed dispute ids, in first-change order
	dChanged    map[string]bool
	last        casebook.HLC
	applied     []prepared
}

func newViews(doc *casebook.SettingsDoc, load func(string) (*casebook.Case, error), loadDispute func(string) (*casebook.Dispute, error)) *views {
	return &views{load: load, loadDispute: loadDispute, doc: doc,
		cases: map[string]*casebook.Case{}, changed: map[string]bool{},
		disputes: map[string]*casebook.Dispute{}, dChanged: map[string]bool{}}
}

// apply merges one new operation into the views it changes.
func (v *views) apply(p prepared) error {
	op := p.op
	v.applied = append(v.applied, p)
	if op.HLC.Compare(v.last) > 0 {
		v.last = op.HLC
	}
	switch family(op.Kind) {
	case familyCase:
		return v.applyCase(op)
	case familyDispute:
		return v.applyDispute(op)
	case familySettings:
		if v.newDoc == nil {
			v.newDoc = cloneDoc(v.doc)
		}
		if v.newDoc.Apply(op) {
			v.docChanged = true
		}
		return nil
	default:
		// A kind this version does not know (from a newer version): the op
		// is kept in the log, so it syncs on, and changes no view.
		return nil
	}
}

func (v *views) applyCase(op *casebook.Op) error {
	c := v.cases[op.Entity]
	if c == nil {
		var err error
		if c, err = v.load(op.Entity); err != nil {
			return fmt.Errorf("load case %s: %w", op.Entity, err)
		}
		if c == nil {
			c = casebook.NewCase(op.Entity)
		}
		v.cases[op.Entity] = c
	}
	changed, err := c.Apply(op)
	if err != nil {
		return err
	}
	if changed && !v.changed[op.Entity] {
		v.changed[op.Entity] = true
		v.touched = append(v.touched, op.Entity)
	}
	return nil
}

// applyDispute merges a dispute op. Like a case, a dispute whose create op
// has not arrived yet is kept as a view (so nothing is lost) but is not
// listed until it is created.
func (v *views) applyDispute(op *casebook.Op) error {
	d := v.disputes[op.Entity]
	if d == nil {
		var err error
		if d, err = v.loadDispute(op.Entity); err != nil {
			return fmt.Errorf("load dispute %s: %w", op.Entity, err)
		}
		if d == nil {
			d = casebook.NewDispute(op.Entity)
		}
		v.disputes[op.Entity] = d
	}
	changed, err := d.Apply(op)
	if err != nil {
		return err
	}
	if changed && !v.dChanged[op.Entity] {
		v.dChanged[op.Entity] = true
		v.dTouched = append(v.dTouched, op.Entity)
	}
	return nil
}

// caseWrite is one changed case, ready to store.
type caseWrite struct {
	id      string
	caseRaw []byte
	sum     *casebook.Summary // nil until the case's create op has arrived
	sumRaw  []byte
}

// disputeWrite is one changed dispute, ready to store.
type disputeWrite struct {
	id  string
	raw []byte
}

// outcome is what a batch changes.
type outcome struct {
	cases         []caseWrite
	disputes      []disputeWrite
	doc           *casebook.SettingsDoc // nil if the settings did not change
	docRaw        []byte
	policy        casebook.DeadlinePolicy // in force after the batch
	policyChanged bool
}

// finish encodes the changed views and derives the summaries under the
// deadline policy in force after the batch.
func (v *views) finish(policy casebook.DeadlinePolicy) (*outcome, error) {
	out := &outcome{policy: policy}
	if v.docChanged {
		raw, err := json.Marshal(v.newDoc)
		if err != nil {
			return nil, fmt.Errorf("encode settings: %w", err)
		}
		out.doc, out.docRaw = v.newDoc, raw
		out.policy = v.newDoc.Settings().Policy
		out.policyChanged = !policyEqual(policy, out.policy)
	}
	for _, id := range v.touched {
		c := v.cases[id]
		w := caseWrite{id: id}
		var err error
		if w.caseRaw, err = json.Marshal(c); err != nil {
			return nil, fmt.Errorf("encode case %s: %w", id, err)
		}
		if created(c) {
			s := c.Summarize(&out.policy)
			w.sum = &s
			if w.sumRaw, err = json.Marshal(w.sum); err != nil {
				return nil, fmt.Errorf("encode summary %s: %w", id, err)
			}
		}
		out.cases = append(out.cases, w)
	}
	for _, id := range v.dTouched {
		raw, err := json.Marshal(v.disputes[id])
		if err != nil {
			return nil, fmt.Errorf("encode dispute %s: %w", id, err)
		}
		out.disputes = append(out.disputes, disputeWrite{id: id, raw: raw})
	}
	return out, nil
}

// created reports whether a case's create operation has been applied. Sync
// may deliver the steps of a case before its creation; such a case is kept
// as a view (so nothing is lost) but is not listed until it is created.
func created(c *casebook.Case) bool {
	for i := range c.Timeline {
		if c.Timeline[i].Action == casebook.ActReceive {
			return true
		}
	}
	return false
}

// disputeCreated reports whether a dispute's create operation has been
// applied; see created.
func disputeCreated(d *casebook.Dispute) bool {
	for i := range d.Log {
		if d.Log[i].Kind == casebook.OpDisputeCreate {
			return true
		}
	}
	return false
}

func cloneDoc(d *casebook.SettingsDoc) *casebook.SettingsDoc {
	out := &casebook.SettingsDoc{Registers: map[string]*casebook.Register{}}
	if d == nil {
		return out
	}
	for k, r := range d.Registers {
		nr := &casebook.Register{Versions: make([]casebook.Version, len(r.Versions))}
		for i, v := range r.Versions {
			v.Bases = append([]string(nil), v.Bases...)
			nr.Versions[i] = v
		}
		out.Registers[k] = nr
	}
	return out
}

func policyEqual(a, b casebook.DeadlinePolicy) bool {
	ra, _ := json.Marshal(a)
	rb, _ := json.Marshal(b)
	return bytes.Equal(ra, rb)
}

// decodeCase reads a stored case view.
func decodeCase(raw []byte) (*casebook.Case, error) {
	c := &casebook.Case{}
	if err := json.Unmarshal(raw, c); err != nil {
		return nil, err
	}
	if c.Registers == nil {
		c.Registers = map[string]*casebook.Register{}
	}
	return c, nil
}

// decodeDispute reads a stored dispute view.
func decodeDispute(raw []byte) (*casebook.Dispute, error) {
	d := &casebook.Dispute{}
	if err := json.Unmarshal(raw, d); err != nil {
		return nil, err
	}
	if d.Registers == nil {
		d.Registers = map[string]*casebook.Register{}
	}
	return d, nil
}

// replayDisputes rebuilds dispute views from dispute ops given in log
// order: what the migration to schema 2 and Check do. It returns the views
// that some op changed (those Apply would have stored), by id.
func replayDisputes(each func(fn func(op *casebook.Op) error) error) (map[string]*casebook.Dispute, error) {
	all := map[string]*casebook.Dispute{}
	changed := map[string]bool{}
	err := each(func(op *casebook.Op) error {
		d := all[op.Entity]
		if d == nil {
			d = casebook.NewDispute(op.Entity)
			all[op.Entity] = d
		}
		ch, err := d.Apply(op)
		if err != nil {
			return fmt.Errorf("op %s: %w", op.ID, err)
		}
		changed[op.Entity] = changed[op.Entity] || ch
		return nil
	})
	if err != nil {
		return nil, err
	}
	for id := range all {
		if !changed[id] {
			delete(all, id)
		}
	}
	return all, nil
}

// decodeSummary reads a stored summary and recomputes its deadlines and
// search text under the policy in force.
func decodeSummary(raw []byte, p *casebook.DeadlinePolicy) (*casebook.Summary, error) {
	s := &casebook.Summary{}
	if err := json.Unmarshal(raw, s); err != nil {
		return nil, err
	}
	s.SetDeadlines(p)
	return s, nil
}

// decodeView decodes the stored view of a case or dispute (raw; nil when
// none is stored): ErrNotFound also while its creation has not arrived,
// ErrCorrupt if it does not decode. what names it in errors.
func decodeView[T any](what string, raw []byte, decode func([]byte) (T, error), isCreated func(T) bool) (T, error) {
	var zero T
	if raw == nil {
		return zero, fmt.Errorf("%s: %w", what, casebook.ErrNotFound)
	}
	v, err := decode(raw)
	if err != nil {
		return zero, fmt.Errorf("%s: %w: %v", what, ErrCorrupt, err)
	}
	if !isCreated(v) {
		return zero, fmt.Errorf("%s: %w (its creation has not arrived yet)", what, casebook.ErrNotFound)
	}
	return v, nil
}
