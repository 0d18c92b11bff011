package store

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"time"

	"casebook/casebook"
)

// Memory is a casebook held in maps, with the same semantics as Bolt: for
// tests, previews and the merge property test. Views are kept encoded, as
// on disk, so every read returns a fresh copy. It is safe for concurrent use.
type Memory struct {
	idx *Index

	mu     sync.RWMutex // guards everything below
	closed bool
	device string
	log    [][]byte                     // op JSON; sequence = position + 1
	opSeq  map[string]uint64            // op id → sequence
	views  map[string]map[string][]byte // a record kind's bucket name → id → record JSON
	doc    *casebook.SettingsDoc
	policy casebook.DeadlinePolicy
	last   casebook.HLC
	local  map[string][]byte
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty casebook with a new device id.
func NewMemory() *Memory {
	doc := &casebook.SettingsDoc{}
	return &Memory{
		idx:    NewIndex(),
		device: casebook.NewID(time.Now()),
		opSeq:  map[string]uint64{},
		views:  map[string]map[string][]byte{string(bucketCases): {}, string(bucketDisputes): {}},
		doc:    doc,
		policy: doc.Settings().Policy,
		local:  map[string][]byte{},
	}
}

// Apply stores and merges operations, all or nothing.
func (m *Memory) Apply(ops ...casebook.Op) ([]casebook.Op, error) {
	const what = "apply"
	batch, err := prepare(what, ops)
	if err != nil || len(batch) == 0 {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, fmt.Errorf("%s: %w", what, ErrClosed)
	}
	v := newViews(m.doc, m.stored)
	seen := map[string]bool{}
	for i, p := range batch {
		if _, ok := m.opSeq[p.op.ID]; ok || seen[p.op.ID] {
			continue
		}
		seen[p.op.ID] = true
		if err := v.apply(p); err != nil {
			return nil, fmt.Errorf("%s: op %d of %d (id %s, kind %s): %w", what, i+1, len(batch), p.op.ID, clip(string(p.op.Kind)), err)
		}
	}
	if len(v.applied) == 0 {
		return nil, nil
	}
	out, err := v.finish(m.policy)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	// Nothing can fail from here: commit.
	applied := make([]casebook.Op, len(v.applied))
	for i, p := range v.applied {
		m.log = append(m.log, p.raw)
		m.opSeq[p.op.ID] = uint64(len(m.log))
		applied[i] = *p.op
	}
	for _, w := range out.records {
		m.views[string(w.bucket)][w.id] = w.raw
	}
	sums := out.sums()
	if out.doc != nil {
		m.doc, m.policy = out.doc, out.policy
		if out.policyChanged {
			sums = append(sums, m.idx.repriced(&out.policy, out.summarized())...)
		}
	}
	if v.last.Compare(m.last) > 0 {
		m.last = v.last
	}
	m.idx.put(sums...)
	return applied, nil
}

// stored is the stored view of a record, nil if none. The caller holds mu.
func (m *Memory) stored(bucket []byte, id string) []byte { return m.views[string(bucket)][id] }

// Case returns a copy of a case's full view.
func (m *Memory) Case(id string) (*casebook.Case, error) { return memoryGet(m, caseKind, id) }

// Dispute returns a copy of a dispute's full view.
func (m *Memory) Dispute(id string) (*casebook.Dispute, error) { return memoryGet(m, disputeKind, id) }

// Disputes returns a copy of every created dispute, in id order.
func (m *Memory) Disputes() ([]*casebook.Dispute, error) { return memoryList(m, disputeKind) }

// memoryGet returns a copy of one created record.
func memoryGet[R record](m *Memory, k *recordKind[R], id string) (R, error) {
	what := k.family + " " + clip(id)
	m.mu.RLock()
	raw, closed := m.stored(k.bucket, id), m.closed
	m.mu.RUnlock()
	if closed {
		var zero R
		return zero, fmt.Errorf("%s: %w", what, ErrClosed)
	}
	return k.get(what, raw)
}

// memoryList returns a copy of every created record of a kind, in id order.
func memoryList[R record](m *Memory, k *recordKind[R]) ([]R, error) {
	what := k.family + "s"
	m.mu.RLock()
	if m.closed {
		m.mu.RUnlock()
		return nil, fmt.Errorf("%s: %w", what, ErrClosed)
	}
	views := m.views[string(k.bucket)]
	ids := slices.Sorted(maps.Keys(views))
	raws := make([][]byte, len(ids))
	for i, id := range ids {
		raws[i] = views[id]
	}
	m.mu.RUnlock()
	return k.collect(what, func(fn func(id, raw []byte) error) error {
		for i, raw := range raws {
			if err := fn([]byte(ids[i]), raw); err != nil {
				return err
			}
		}
		return nil
	})
}

// Summaries returns every case summary, newest received first.
func (m *Memory) Summaries() []*casebook.Summary { return m.idx.Snapshot() }

// Index is the in-memory summaries index.
func (m *Memory) Index() *Index { return m.idx }

// Settings returns the current settings and a copy of their registers.
func (m *Memory) Settings() (casebook.Settings, *casebook.SettingsDoc) {
	m.mu.RLock()
	doc := m.doc
	m.mu.RUnlock()
	return doc.Settings(), cloneDoc(doc)
}

// Device is this replica's origin id.
func (m *Memory) Device() string { return m.device }

// LastHLC is the largest HLC in the log.
func (m *Memory) LastHLC() casebook.HLC {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.last
}

// OpsSince returns up to limit operations after sequence seq.
func (m *Memory) OpsSince(seq uint64, limit int) ([]casebook.Op, uint64, error) {
	raws, last, err := m.RawOpsSince(seq, limit)
	return decodeOps(seq, raws, last, err)
}

// HasOp reports whether an operation is in the log.
func (m *Memory) HasOp(id string) bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	_, ok := m.opSeq[id]
	return ok
}

// memoryDump is the JSON that Memory.Backup writes.
type memoryDump struct {
	Format string            `json:"format"` // "casebook-ops"
	Device string            `json:"device"`
	Ops    []json.RawMessage `json:"ops"` // in log order
}

// Backup writes a JSON dump of the op log, from which every view follows.
func (m *Memory) Backup(w io.Writer) (int64, error) {
	m.mu.RLock()
	if m.closed {
		m.mu.RUnlock()
		return 0, fmt.Errorf("backup: %w", ErrClosed)
	}
	d := memoryDump{Format: "casebook-ops", Device: m.device, Ops: make([]json.RawMessage, len(m.log))}
	for i, raw := range m.log {
		d.Ops[i] = raw
	}
	m.mu.RUnlock()
	raw, err := json.Marshal(d)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	n, err := w.Write(raw)
	if err != nil {
		return int64(n), fmt.Errorf("backup: %w", err)
	}
	return int64(n), nil
}

// GetLocal reads device-local state; a missing key gives nil, nil.
func (m *Memory) GetLocal(key string) ([]byte, error) {
	if key == "" {
		return nil, fmt.Errorf("get local: %w: empty key", casebook.ErrInvalid)
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, fmt.Errorf("get local %s: %w", clip(key), ErrClosed)
	}
	if v, ok := m.local[key]; ok {
		return append([]byte{}, v...), nil
	}
	return nil, nil
}

// PutLocal writes device-local state; a nil value deletes the key.
func (m *Memory) PutLocal(key string, val []byte) error {
	if key == "" {
		return fmt.Errorf("put local: %w: empty key", casebook.ErrInvalid)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return fmt.Errorf("put local %s: %w", clip(key), ErrClosed)
	}
	if val == nil {
		delete(m.local, key)
	} else {
		m.local[key] = append([]byte{}, val...)
	}
	return nil
}

// Check replays the log and compares the result with the views and index.
func (m *Memory) Check() error {
	const what = "check memory casebook"
	// A write lock: the index must not move while it is compared.
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return fmt.Errorf("%s: %w", what, ErrClosed)
	}
	var docRaw []byte
	if len(m.doc.Registers) > 0 {
		docRaw, _ = json.Marshal(m.doc)
	}
	pr := &problems{}
	checkViews(&checkTarget{
		eachOp: func(fn func(uint64, []byte) error) error {
			for i, raw := range m.log {
				if err := fn(uint64(i+1), raw); err != nil {
					return err
				}
			}
			return nil
		},
		getOp: func(seq uint64) []byte { return m.log[seq-1] },
		opSeq: func(id string) (uint64, bool) {
			s, ok := m.opSeq[id]
			return s, ok
		},
		opIDs:   len(m.opSeq),
		viewRaw: m.stored,
		viewIDs: func(bucket []byte, fn func(string)) {
			for _, id := range slices.Sorted(maps.Keys(m.views[string(bucket)])) {
				fn(id)
			}
		},
		docRaw: docRaw,
		last:   m.last,
		idx:    m.idx,
	}, pr)
	return pr.err(what)
}

// Close marks the store closed; later calls fail with ErrClosed.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	return nil
}
