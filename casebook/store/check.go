package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"go.etcd.io/bbolt"

	"casebook/casebook"
)

// problems collects what Check finds; only the first few are spelled out.
type problems struct {
	list []string
	n    int
}

func (p *problems) add(format string, a ...any) {
	p.n++
	if len(p.list) < 10 {
		p.list = append(p.list, fmt.Sprintf(format, a...))
	}
}

func (p *problems) err(what string) error {
	if p.n == 0 {
		return nil
	}
	more := ""
	if p.n > len(p.list) {
		more = fmt.Sprintf("; and %d more", p.n-len(p.list))
	}
	return fmt.Errorf("%s: %w: %d problem(s): %s%s", what, ErrCorrupt, p.n, strings.Join(p.list, "; "), more)
}

// checkTarget is how Check reads a store's log and views.
type checkTarget struct {
	eachOp     func(fn func(seq uint64, raw []byte) error) error // the log in order
	getOp      func(seq uint64) []byte
	opSeq      func(id string) (uint64, bool) // the op id lookup
	opIDs      int                            // number of entries in the op id lookup
	caseRaw    func(id string) []byte
	caseIDs    func(fn func(id string))      // every stored case view
	disputeRaw func(id string) []byte        // a stored dispute view
	disputeIDs func(fn func(id string))      // every stored dispute view
	sumRaw     func(id string) []byte        // stored summaries; nil if the store keeps none apart from the index
	sumIDs     func(fn func(id string))      // every stored summary
	docRaw     []byte                        // stored settings (nil: none)
	last       casebook.HLC                  // stored largest HLC
	idx        *Index                        // the in-memory summaries
	expected   func(s *casebook.Summary)     // receives each summary the log implies
	extra      func(p *problems, seq uint64) // more checks after the log pass, given the last sequence
}

// checkViews replays the log into fresh views, case by case, and compares
// them with what is stored and with the in-memory index. Memory use is
// bounded by one case at a time plus a list of sequence numbers per case.
func checkViews(t *checkTarget, pr *problems) {
	doc := &casebook.SettingsDoc{}
	var last casebook.HLC
	seqs := map[string][]uint64{}  // case id → its ops
	dseqs := map[string][]uint64{} // dispute id → its ops
	n, lastSeq := 0, uint64(0)
	err := t.eachOp(func(seq uint64, raw []byte) error {
		n++
		if seq <= lastSeq {
			pr.add("log entry %d is out of order", seq)
		}
		lastSeq = seq
		// Case and dispute ops are decoded in full in the second pass; here only what
		// routes them. (Ops are not validated again: they were when they
		// were applied, and a later version may validate a kind that was
		// unknown when it was stored more strictly.)
		var op casebook.Op
		var head struct {
			ID     string       `json:"id"`
			HLC    casebook.HLC `json:"hlc"`
			Kind   casebook.OpKind
			Entity string
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			pr.add("log entry %d does not decode", seq)
			return nil
		}
		op.ID, op.HLC, op.Kind, op.Entity = head.ID, head.HLC, head.Kind, head.Entity
		if f := family(op.Kind); f != familyCase && f != familyDispute {
			op = casebook.Op{}
			if err := json.Unmarshal(raw, &op); err != nil {
				pr.add("log entry %d does not decode", seq)
				return nil
			}
		}
		if s, ok := t.opSeq(op.ID); !ok || s != seq {
			pr.add("op %s (log entry %d) is missing from the op id lookup", op.ID, seq)
		}
		if op.HLC.Compare(last) > 0 {
			last = op.HLC
		}
		switch family(op.Kind) {
		case familyCase:
			seqs[op.Entity] = append(seqs[op.Entity], seq)
		case familyDispute:
			dseqs[op.Entity] = append(dseqs[op.Entity], seq)
		case familySettings:
			doc.Apply(&op)
		}
		return nil
	})
	if err != nil {
		pr.add("reading the log: %v", err)
		return
	}
	if t.opIDs != n {
		pr.add("the op id lookup has %d entries for %d ops in the log", t.opIDs, n)
	}
	if last != t.last {
		pr.add("largest HLC is recorded as %s, the log has %s", t.last, last)
	}
	if t.extra != nil {
		t.extra(pr, lastSeq)
	}
	var want []byte
	if len(doc.Registers) > 0 {
		want, _ = json.Marshal(doc)
	}
	if !bytes.Equal(want, t.docRaw) {
		pr.add("stored settings differ from the log")
	}
	policy := doc.Settings().Policy

	ids := make([]string, 0, len(seqs))
	for id := range seqs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	createdN := 0
	for _, id := range ids {
		c := casebook.NewCase(id)
		changed := false
		for _, seq := range seqs[id] {
			var op casebook.Op
			if err := json.Unmarshal(t.getOp(seq), &op); err != nil {
				pr.add("log entry %d does not decode", seq)
				continue
			}
			ch, err := c.Apply(&op)
			if err != nil {
				pr.add("log entry %d: %v", seq, err)
			}
			changed = changed || ch
		}
		stored := t.caseRaw(id)
		if !changed {
			if stored != nil {
				pr.add("case %s is stored but its ops change nothing", id)
			}
			continue
		}
		raw, _ := json.Marshal(c)
		if !bytes.Equal(raw, stored) {
			pr.add("case %s differs from its ops", id)
		}
		inIdx, _ := t.idx.Get(id)
		var sumStored []byte
		if t.sumRaw != nil {
			sumStored = t.sumRaw(id)
		}
		if !created(c) {
			if sumStored != nil || inIdx != nil {
				pr.add("case %s has a summary before its creation", id)
			}
			continue
		}
		createdN++
		s := c.Summarize(&policy)
		sraw, _ := json.Marshal(&s)
		if t.sumRaw != nil && !bytes.Equal(sraw, sumStored) {
			pr.add("summary of case %s differs from its ops", id)
		}
		if inIdx == nil {
			pr.add("case %s is missing from the in-memory index", id)
		} else if iraw, _ := json.Marshal(inIdx); !bytes.Equal(iraw, sraw) {
			pr.add("in-memory summary of case %s differs from its ops", id)
		}
		if t.expected != nil {
			t.expected(&s)
		}
	}
	t.caseIDs(func(id string) {
		if _, ok := seqs[id]; !ok {
			pr.add("case %s is stored but has no ops", id)
		}
	})
	if t.sumIDs != nil {
		t.sumIDs(func(id string) {
			if _, ok := seqs[id]; !ok {
				pr.add("summary %s is stored but its case has no ops", id)
			}
		})
	}
	if got := t.idx.Len(); got != createdN {
		pr.add("in-memory index has %d cases, the log makes %d", got, createdN)
	}
	checkDisputes(t, dseqs, pr)
}

// checkDisputes replays each dispute's ops into a fresh view and compares
// it with the stored one, one dispute at a time.
func checkDisputes(t *checkTarget, dseqs map[string][]uint64, pr *problems) {
	ids := make([]string, 0, len(dseqs))
	for id := range dseqs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		d := casebook.NewDispute(id)
		changed := false
		for _, seq := range dseqs[id] {
			var op casebook.Op
			if err := json.Unmarshal(t.getOp(seq), &op); err != nil {
				pr.add("log entry %d does not decode", seq)
				continue
			}
			ch, err := d.Apply(&op)
			if err != nil {
				pr.add("log entry %d: %v", seq, err)
			}
			changed = changed || ch
		}
		stored := t.disputeRaw(id)
		if !changed {
			if stored != nil {
				pr.add("dispute %s is stored but its ops change nothing", id)
			}
			continue
		}
		raw, _ := json.Marshal(d)
		if !bytes.Equal(raw, stored) {
			pr.add("dispute %s differs from its ops", id)
		}
	}
	t.disputeIDs(func(id string) {
		if _, ok := dseqs[id]; !ok {
			pr.add("dispute %s is stored but has no ops", clip(id))
		}
	})
}

// Check replays the op log into fresh views and compares them with the
// stored views, the secondary indexes and the in-memory index, then runs
// bbolt's own page check. It reads one consistent snapshot, so it can run
// while the app writes. An error wraps ErrCorrupt and names what differs
// (case ids, never residents' data).
func (b *Bolt) Check() error {
	what := "check " + b.path
	if b.isClosed() {
		return fmt.Errorf("%s: %w", what, ErrClosed)
	}
	pr := &problems{}
	// The in-memory index must match the snapshot: hold writers out (Apply
	// updates the index just after its commit). Taken before the read
	// transaction, since a commit that grows the file waits for readers.
	b.wmu.Lock()
	defer b.wmu.Unlock()
	err := guard(what, func() error {
		return b.db.View(func(tx *bbolt.Tx) error {
			fi, err := os.Stat(b.path)
			if err != nil {
				return err
			}
			if tx.Size() > fi.Size() {
				pr.add("the file is truncated")
				return nil
			}
			for _, name := range allBuckets {
				if tx.Bucket(name) == nil {
					pr.add("bucket %s is missing", name)
				}
			}
			if pr.n > 0 {
				return nil
			}
			b.checkTx(tx, pr)
			if pr.n > 0 {
				return nil
			}
			// Page-level check last: every page it reads was already read
			// above under guard, so a damaged page cannot fault in its
			// goroutine.
			for err := range tx.Check() {
				pr.add("bbolt: %v", err)
			}
			return nil
		})
	})
	if err != nil {
		return viewErr(what, err)
	}
	return pr.err(what)
}

func (b *Bolt) checkTx(tx *bbolt.Tx, pr *problems) {
	meta := tx.Bucket(bucketMeta)
	if !bytes.Equal(meta.Get(keyFormat), formatName) || len(meta.Get(keyDevice)) == 0 ||
		string(meta.Get(keyVersion)) != fmt.Sprint(schemaVersion) {
		pr.add("meta data is incomplete")
	}
	var last casebook.HLC
	if h := meta.Get(keyHLC); h != nil {
		var err error
		if last, err = casebook.ParseHLC(string(h)); err != nil {
			pr.add("meta hlc: %v", err)
		}
	}
	opsB, opIDs := tx.Bucket(bucketOps), tx.Bucket(bucketOpIDs)
	cases, sums, disputes := tx.Bucket(bucketCases), tx.Bucket(bucketSummaries), tx.Bucket(bucketDisputes)
	expected := make([][][]byte, len(indexBuckets))
	t := &checkTarget{
		eachOp: func(fn func(uint64, []byte) error) error {
			return opsB.ForEach(func(k, v []byte) error {
				if len(k) != 8 {
					pr.add("log key %x is not a sequence number", k)
					return nil
				}
				return fn(bytesToSeq(k), v)
			})
		},
		getOp: func(seq uint64) []byte { return opsB.Get(seqKey(seq)) },
		opSeq: func(id string) (uint64, bool) {
			v := opIDs.Get([]byte(id))
			if len(v) != 8 {
				return 0, false
			}
			return bytesToSeq(v), true
		},
		opIDs:   opIDs.Stats().KeyN,
		caseRaw: func(id string) []byte { return cases.Get([]byte(id)) },
		caseIDs: func(fn func(string)) {
			_ = cases.ForEach(func(k, _ []byte) error { fn(string(k)); return nil })
		},
		disputeRaw: func(id string) []byte { return disputes.Get([]byte(id)) },
		disputeIDs: func(fn func(string)) {
			_ = disputes.ForEach(func(k, _ []byte) error { fn(string(k)); return nil })
		},
		sumRaw: func(id string) []byte { return sums.Get([]byte(id)) },
		sumIDs: func(fn func(string)) {
			_ = sums.ForEach(func(k, _ []byte) error { fn(string(k)); return nil })
		},
		docRaw: tx.Bucket(bucketSettings).Get(keySettings),
		last:   last,
		idx:    b.idx,
		expected: func(s *casebook.Summary) {
			for i, k := range indexKeys(s) {
				if k != nil {
					expected[i] = append(expected[i], k)
				}
			}
		},
		extra: func(pr *problems, lastSeq uint64) {
			if opsB.Sequence() < lastSeq {
				pr.add("log sequence %d is behind its last entry %d", opsB.Sequence(), lastSeq)
			}
		},
	}
	b.mu.RLock()
	memLast := b.last
	b.mu.RUnlock()
	if memLast != last {
		pr.add("largest HLC in memory is %s, on disk %s", memLast, last)
	}
	checkViews(t, pr)
	for i, name := range indexBuckets {
		want := expected[i]
		sort.Slice(want, func(a, b int) bool { return bytes.Compare(want[a], want[b]) < 0 })
		j := 0
		_ = tx.Bucket(name).ForEach(func(k, _ []byte) error {
			if j < len(want) && bytes.Equal(k, want[j]) {
				j++
				return nil
			}
			pr.add("index %s has a wrong or extra entry for case %s", name, caseOfKey(k))
			return nil
		})
		if j < len(want) {
			pr.add("index %s lacks %d entries (first: case %s)", name, len(want)-j, caseOfKey(want[j]))
		}
	}
}

func bytesToSeq(k []byte) uint64 {
	var s uint64
	for _, c := range k {
		s = s<<8 | uint64(c)
	}
	return s
}

// caseOfKey is the case id at the end of an index key.
func caseOfKey(k []byte) string {
	if i := bytes.LastIndexByte(k, 0); i >= 0 {
		return clip(string(k[i+1:]))
	}
	return "?"
}
