package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"casebook/casebook"
)

// Book is the casebook service that the UI and the CLI use, on any Store.
// It authors operations as one person on this device (HLC, origin), numbers
// new cases, and answers lists, lookups and metrics from the in-memory
// summaries. It is safe for concurrent use: the UI syncs in the background
// while the user works.
type Book struct {
	mu     sync.Mutex // serializes authoring: read the case, make the op, apply it
	s      Store
	clock  *casebook.Clock
	author casebook.Author
	now    func() time.Time

	similar similarCache // the summaries' text pairs, for Similar (similar.go)
}

// NewBook opens the service on a store for one person (actor, recorded in
// timeline events; may be empty). now is the clock (time.Now when nil). The
// HLC clock starts above the largest HLC in the store's log, even if this
// computer's clock has been set back since.
func NewBook(s Store, actor string, now func() time.Time) (*Book, error) {
	if s == nil {
		return nil, fmt.Errorf("new book: %w: no store", casebook.ErrInvalid)
	}
	if now == nil {
		now = time.Now
	}
	clock := casebook.NewClock(now)
	// Our own log is trusted: lift the skew bound to observe it.
	clock.SetMaxSkew(math.MaxInt64)
	if err := clock.Observe(s.LastHLC()); err != nil {
		return nil, fmt.Errorf("new book: %w", err)
	}
	clock.SetMaxSkew(casebook.DefaultMaxSkew)
	b := &Book{s: s, clock: clock, now: now}
	b.author = casebook.Author{Origin: s.Device(), Actor: actor, Clock: clock, Now: now}
	return b, nil
}

// Store is the store under the book.
func (b *Book) Store() Store { return b.s }

// Clock is the book's HLC clock.
func (b *Book) Clock() *casebook.Clock { return b.clock }

// Settings returns the current settings.
func (b *Book) Settings() casebook.Settings {
	s, _ := b.s.Settings()
	return s
}

// UpdateSettings writes the given settings keys (casebook.SettingCommunity,
// ...). With no keys, it writes the keys whose values differ from the
// current settings, so that two devices editing different settings never
// clash; nothing changed writes nothing.
func (b *Book) UpdateSettings(s casebook.Settings, keys ...string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	cur, doc := b.s.Settings()
	if len(keys) == 0 {
		keys = changedSettings(&cur, &s)
		if len(keys) == 0 {
			return nil
		}
	}
	op, err := b.author.SetSettings(doc, s, keys...)
	if err != nil {
		return fmt.Errorf("update settings: %w", err)
	}
	if _, err := b.s.Apply(op); err != nil {
		return fmt.Errorf("update settings: %w", err)
	}
	return nil
}

func changedSettings(a, b *casebook.Settings) []string {
	var keys []string
	for _, k := range []struct {
		key  string
		x, y any
	}{
		{casebook.SettingCommunity, a.Community, b.Community},
		{casebook.SettingTerm, a.Term, b.Term},
		{casebook.SettingPolicy, a.Policy, b.Policy},
		{casebook.SettingCategories, a.Categories, b.Categories},
		{casebook.SettingWeights, a.Weights, b.Weights},
		{casebook.SettingRules, a.Rules, b.Rules},
	} {
		rx, _ := json.Marshal(k.x)
		ry, _ := json.Marshal(k.y)
		if !bytes.Equal(rx, ry) {
			keys = append(keys, k.key)
		}
	}
	return keys
}

// AddCase records a new appeal. An empty Number is assigned from the
// received date in Shanghai time and a 3-digit sequence of that day on this
// replica, "20260315-007". The number is a label for people, not the
// identity (the case id is): two devices adding cases offline on the same
// day can give the same number; both cases are kept, and Case(number) then
// asks for the id. A 12345 work-order number already in the casebook is
// refused with an error wrapping ErrDuplicate. Invalid input gives
// casebook.FieldErrors.
func (b *Book) AddCase(in casebook.CaseInput) (*casebook.Case, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	set := b.Settings()
	if in.Received.IsZero() {
		in.Received = b.now()
	}
	if wo := normKey(in.WorkOrder); wo != "" {
		if dup := b.s.Index().ByWorkOrder(wo); len(dup) > 0 {
			return nil, fmt.Errorf("add case: %w: work order %s is case %s", ErrDuplicate, wo, dup[0].Number)
		}
	}
	if strings.TrimSpace(in.Number) == "" {
		in.Number = b.s.Index().NextNumber(in.Received)
	}
	op, err := b.author.Create(in, set.Categories)
	if err != nil {
		return nil, err
	}
	if _, err := b.s.Apply(op); err != nil {
		return nil, fmt.Errorf("add case: %w", err)
	}
	return b.s.Case(op.Entity)
}

// Step takes a step of the closed loop on a case (by id or number). A step
// the loop does not allow is refused with an error wrapping
// casebook.ErrTransition, and nothing is written. The appeals merged into
// the case follow its handling steps (rules.go), in the same transaction.
func (b *Book) Step(id string, s casebook.Step) (*casebook.Case, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, err := b.resolve(id)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Action, err)
	}
	if err := b.checkExtension(c, s); err != nil {
		return nil, err
	}
	op, err := b.author.Step(c, s)
	if err != nil {
		return nil, err
	}
	if _, err := b.s.Apply(append([]casebook.Op{op}, b.followers(c, &op)...)...); err != nil {
		return nil, fmt.Errorf("%s case %s: %w", s.Action, c.Number(), err)
	}
	return b.s.Case(c.ID)
}

// SetFields changes fields of a case (field codes as in casebook.CaseFields;
// "" clears an optional field). The change cites the values it replaces, so
// it also settles a conflict on those fields. A work-order number already
// used by another case is refused with ErrDuplicate.
func (b *Book) SetFields(id string, changes map[string]string) (*casebook.Case, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, err := b.resolve(id)
	if err != nil {
		return nil, fmt.Errorf("set fields: %w", err)
	}
	if wo, ok := changes[casebook.FieldWorkOrder]; ok && normKey(wo) != "" {
		for _, s := range b.s.Index().ByWorkOrder(normKey(wo)) {
			if s.ID != c.ID {
				return nil, fmt.Errorf("set case %s: %w: work order %s is case %s", c.Number(), ErrDuplicate, normKey(wo), s.Number)
			}
		}
	}
	op, err := b.author.Set(c, changes, b.Settings().Categories)
	if err != nil {
		return nil, err
	}
	if _, err := b.s.Apply(op); err != nil {
		return nil, fmt.Errorf("set case %s: %w", c.Number(), err)
	}
	return b.s.Case(c.ID)
}

// Link relates two cases (by id or number). The link is recorded on both
// cases, by two operations applied together.
func (b *Book) Link(id, target string, kind casebook.LinkKind) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, err := b.resolve(id)
	if err != nil {
		return fmt.Errorf("link: %w", err)
	}
	t, err := b.resolve(target)
	if err != nil {
		return fmt.Errorf("link: %w", err)
	}
	op, err := b.author.Link(c, t.ID, kind)
	if err != nil {
		return err
	}
	ops := []casebook.Op{op}
	// The other side may already have it (linked from there before).
	if back, err := b.author.Link(t, c.ID, kind); err == nil {
		ops = append(ops, back)
	}
	if _, err := b.s.Apply(ops...); err != nil {
		return fmt.Errorf("link case %s: %w", c.Number(), err)
	}
	return nil
}

// Merge applies operations received from elsewhere (sync, import) after
// advancing the clock past them, so that the next local change orders after
// everything seen. A batch with a timestamp further ahead of this device's
// clock than casebook.DefaultMaxSkew is refused whole with an error wrapping
// casebook.ErrClockSkew: that device's clock is wrong and would win every
// edit.
func (b *Book) Merge(ops ...casebook.Op) ([]casebook.Op, error) {
	var latest casebook.HLC
	for i := range ops {
		if ops[i].HLC.Compare(latest) > 0 {
			latest = ops[i].HLC
		}
	}
	if err := b.clock.Observe(latest); err != nil {
		return nil, fmt.Errorf("merge %d ops: %w", len(ops), err)
	}
	return b.s.Apply(ops...)
}

// ApplyBatch plans and applies a batch of operations with no other write
// of this book in between: build runs under the book's write lock, with
// the book's author (its device, person and clock) and number, which
// proposes the number of a new case received at a time (as AddCase would
// give it; numbers of several new cases of one day are the caller's to
// count on). The operations build returns are applied in one transaction,
// all or nothing, after advancing the clock past them (as Merge does). An
// error of build is returned as it is, and nothing is written. It returns
// the operations newly applied.
//
// An importer uses it to check the casebook (is this work order already
// there?) and write what follows from it, so the same work order cannot be
// added twice by two imports, or an import and AddCase, at once.
// Operations merged from other devices (Merge, sync) do not wait for it.
func (b *Book) ApplyBatch(build func(a *casebook.Author, number func(time.Time) string) ([]casebook.Op, error)) ([]casebook.Op, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	author := b.author // build may change its copy (the person importing)
	ops, err := build(&author, b.s.Index().NextNumber)
	if err != nil {
		return nil, err
	}
	if len(ops) == 0 {
		return nil, nil
	}
	return b.Merge(ops...)
}

// CaseFields calls fn for each of ids in order with the current values of
// fields ("" for a field not set, and for every field of a missing case),
// as Case(id).Field would give them, without building each case's full
// view: the export's fast path (xlsx.FieldSource). values is fn's to keep;
// an error of fn stops it and is returned.
func (b *Book) CaseFields(ids []string, fields []string, fn func(i int, values []string) error) error {
	if fr, ok := b.s.(fieldReader); ok {
		return fr.CaseFields(ids, fields, fn)
	}
	return caseFieldsSlow(b.s, ids, fields, fn)
}

// Case returns a case by its id or its human number.
func (b *Book) Case(id string) (*casebook.Case, error) { return b.resolve(id) }

func (b *Book) resolve(ref string) (*casebook.Case, error) {
	r := strings.TrimSpace(ref)
	if id, err := casebook.ParseID(r); err == nil {
		c, err := b.s.Case(id)
		if err == nil || !errors.Is(err, casebook.ErrNotFound) {
			return c, err
		}
	}
	switch found := b.s.Index().ByNumber(r); len(found) {
	case 0:
		return nil, fmt.Errorf("case %s: %w", clip(r), casebook.ErrNotFound)
	case 1:
		return b.s.Case(found[0].ID)
	default:
		ids := make([]string, len(found))
		for i, s := range found {
			ids[i] = s.ID
		}
		return nil, fmt.Errorf("case %s: %w: %d cases have this number (made offline on two devices); use an id: %s",
			clip(r), casebook.ErrInvalid, len(found), strings.Join(ids, ", "))
	}
}

// List returns the cases that pass the filter as of now, newest received
// first. The summaries are shared and must not be modified.
func (b *Book) List(f casebook.Filter, now time.Time) []*casebook.Summary {
	m := f.Prepare(now)
	var out []*casebook.Summary
	b.s.Index().Range(func(s *casebook.Summary) bool {
		if m.Match(s) {
			out = append(out, s)
		}
		return true
	})
	return out
}

// FindByWorkOrder returns the case with a 12345 work-order number (the
// earliest received, should two devices have entered it offline).
func (b *Book) FindByWorkOrder(wo string) (*casebook.Summary, bool) {
	found := b.s.Index().ByWorkOrder(wo)
	if len(found) == 0 {
		return nil, false
	}
	return found[0], true
}

// Metrics computes the figures for a query under the current settings.
func (b *Book) Metrics(q casebook.MetricsQuery) casebook.Metrics {
	set := b.Settings()
	return casebook.ComputeMetrics(b.s.Index().Snapshot(), &set, q)
}

// Close closes the store.
func (b *Book) Close() error { return b.s.Close() }
