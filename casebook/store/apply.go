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
	doc        *casebook.SettingsDoc // the settings before the batch (not modified)
	newDoc     *casebook.SettingsDoc // a copy, once a settings op arrived
	docChanged bool                  // a settings op changed newDoc
	cases      *recordSet[*casebook.Case]
	disputes   *recordSet[*casebook.Dispute]
	last       casebook.HLC
	applied    []prepared
}

// newViews starts a batch on the settings doc and the stored record views
// (stored returns the view of id in a kind's bucket, nil if none).
func newViews(doc *casebook.SettingsDoc, stored func(bucket []byte, id string) []byte) *views {
	from := func(bucket []byte) func(string) []byte {
		return func(id string) []byte { return stored(bucket, id) }
	}
	return &views{doc: doc,
		cases:    newRecordSet(caseKind, from(caseKind.bucket)),
		disputes: newRecordSet(disputeKind, from(disputeKind.bucket))}
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
		return v.cases.apply(op)
	case familyDispute:
		return v.disputes.apply(op)
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

// recordWrite is one changed record view, ready to store in its kind's
// bucket.
type recordWrite struct {
	bucket []byte
	id     string
	raw    []byte
}

// summaryWrite is the summary of one changed case that has been created,
// with its encoding (EncodeSummary).
type summaryWrite struct {
	sum *casebook.Summary
	raw []byte
}

// outcome is what a batch changes.
type outcome struct {
	records       []recordWrite
	summaries     []summaryWrite
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
	if err := v.cases.finish(out); err != nil {
		return nil, err
	}
	if err := v.disputes.finish(out); err != nil {
		return nil, err
	}
	return out, nil
}

// summarized is the set of case ids whose summary out holds.
func (out *outcome) summarized() map[string]bool {
	ids := make(map[string]bool, len(out.summaries))
	for _, w := range out.summaries {
		ids[w.sum.ID] = true
	}
	return ids
}

// sums lists the summaries of out, for the index.
func (out *outcome) sums() []*casebook.Summary {
	s := make([]*casebook.Summary, len(out.summaries))
	for i, w := range out.summaries {
		s[i] = w.sum
	}
	return s
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
