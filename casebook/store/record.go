package store

import (
	"encoding/json"
	"fmt"

	"casebook/casebook"
)

// A record is one replayed entity of a casebook: a case (诉求) or a
// dispute (矛盾纠纷). Each is made of operations merged in any order,
// exists as a view only once its create operation has arrived (sync may
// deliver a later step first: that view is kept, so nothing is lost, but
// not listed), and is stored as JSON under its id in a bucket of its own.
// The store's batch, write, read and check code is written once over this
// interface and a recordKind per kind; a new kind of record is one more
// recordKind and one more entry in views.
type record interface {
	// Apply merges an operation (idempotent, commutative) and reports
	// whether the record changed.
	Apply(op *casebook.Op) (bool, error)
	// Created reports whether the record's create operation has arrived.
	Created() bool
}

// recordKind describes one kind of record to the store.
type recordKind[R record] struct {
	family string // the op kind prefix ("case" for "case.event") and the record's name in errors
	bucket []byte // where its views are stored (Bolt's bucket, Memory's map)
	fresh  func(id string) R
	decode func(raw []byte) (R, error)
	// feed derives the other views the record feeds (a case: its summary,
	// and through it the indexes) into out; nil if it feeds none.
	feed func(r R, out *outcome) error
}

var (
	caseKind    = &recordKind[*casebook.Case]{family: familyCase, bucket: bucketCases, fresh: casebook.NewCase, decode: decodeCase, feed: feedSummary}
	disputeKind = &recordKind[*casebook.Dispute]{family: familyDispute, bucket: bucketDisputes, fresh: casebook.NewDispute, decode: decodeDispute}
)

// decodeRecord reads a stored record; its registers are never nil, so a
// record stored without any is ready to Apply.
func decodeRecord[T any](raw []byte, registers func(*T) *map[string]*casebook.Register) (*T, error) {
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, err
	}
	if r := registers(v); *r == nil {
		*r = map[string]*casebook.Register{}
	}
	return v, nil
}

// decodeCase reads a stored case view.
func decodeCase(raw []byte) (*casebook.Case, error) {
	return decodeRecord(raw, func(c *casebook.Case) *map[string]*casebook.Register { return &c.Registers })
}

// decodeDispute reads a stored dispute view.
func decodeDispute(raw []byte) (*casebook.Dispute, error) {
	return decodeRecord(raw, func(d *casebook.Dispute) *map[string]*casebook.Register { return &d.Registers })
}

// feedSummary derives a created case's summary under the policy in force
// after the batch.
func feedSummary(c *casebook.Case, out *outcome) error {
	if !c.Created() {
		return nil // a case not yet created has no place in lists or metrics
	}
	s := c.Summarize(&out.policy)
	out.summaries = append(out.summaries, summaryWrite{sum: &s, raw: EncodeSummary(&s)})
	return nil
}

// get decodes the stored view of a record (raw; nil when none is stored):
// ErrNotFound also while its creation has not arrived, ErrCorrupt if it
// does not decode. what names it in errors.
func (k *recordKind[R]) get(what string, raw []byte) (R, error) {
	var zero R
	if raw == nil {
		return zero, fmt.Errorf("%s: %w", what, casebook.ErrNotFound)
	}
	r, err := k.decode(raw)
	if err != nil {
		return zero, fmt.Errorf("%s: %w: %v", what, ErrCorrupt, err)
	}
	if !r.Created() {
		return zero, fmt.Errorf("%s: %w (its creation has not arrived yet)", what, casebook.ErrNotFound)
	}
	return r, nil
}

// collect decodes stored views, given in id order by each, and returns the
// created ones.
func (k *recordKind[R]) collect(what string, each func(fn func(id, raw []byte) error) error) ([]R, error) {
	var out []R
	err := each(func(id, raw []byte) error {
		r, err := k.decode(raw)
		if err != nil {
			return fmt.Errorf("%s: %w: %s %s does not decode", what, ErrCorrupt, k.family, clip(string(id)))
		}
		if r.Created() {
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// replayLog rebuilds the views of a kind from its ops, given in log order
// by each: what a migration that adds a kind does. It returns the records
// that some op changed (those Apply would have stored), by id.
func (k *recordKind[R]) replayLog(each func(fn func(op *casebook.Op) error) error) (map[string]R, error) {
	all := map[string]R{}
	changed := map[string]bool{}
	err := each(func(op *casebook.Op) error {
		r, ok := all[op.Entity]
		if !ok {
			r = k.fresh(op.Entity)
			all[op.Entity] = r
		}
		ch, err := r.Apply(op)
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

// recordSet is the working state of one kind of record in a batch: every
// record the batch touches, loaded on first touch and changed in place.
type recordSet[R record] struct {
	kind    *recordKind[R]
	stored  func(id string) []byte // the stored view, nil if none
	byID    map[string]R
	touched []string // changed ids, in first-change order
	changed map[string]bool
}

func newRecordSet[R record](kind *recordKind[R], stored func(id string) []byte) *recordSet[R] {
	return &recordSet[R]{kind: kind, stored: stored, byID: map[string]R{}, changed: map[string]bool{}}
}

// apply merges an operation into its record.
func (s *recordSet[R]) apply(op *casebook.Op) error {
	r, ok := s.byID[op.Entity]
	if !ok {
		r = s.kind.fresh(op.Entity)
		if raw := s.stored(op.Entity); raw != nil {
			var err error
			if r, err = s.kind.decode(raw); err != nil {
				return fmt.Errorf("load %s %s: %w: %v", s.kind.family, op.Entity, ErrCorrupt, err)
			}
		}
		s.byID[op.Entity] = r
	}
	changed, err := r.Apply(op)
	if err != nil {
		return err
	}
	if changed && !s.changed[op.Entity] {
		s.changed[op.Entity] = true
		s.touched = append(s.touched, op.Entity)
	}
	return nil
}

// finish encodes the changed records, and what they feed, into out.
func (s *recordSet[R]) finish(out *outcome) error {
	for _, id := range s.touched {
		r := s.byID[id]
		raw, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encode %s %s: %w", s.kind.family, id, err)
		}
		out.records = append(out.records, recordWrite{bucket: s.kind.bucket, id: id, raw: raw})
		if s.kind.feed != nil {
			if err := s.kind.feed(r, out); err != nil {
				return err
			}
		}
	}
	return nil
}
