package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
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
	eachOp   func(fn func(seq uint64, raw []byte) error) error // the log in order
	getOp    func(seq uint64) []byte
	opSeq    func(id string) (uint64, bool) // the op id lookup
	opIDs    int                            // number of entries in the op id lookup
	viewRaw  func(bucket []byte, id string) []byte
	viewIDs  func(bucket []byte, fn func(id string)) // every stored view of a record kind
	sumRaw   func(id string) []byte                  // stored summaries; nil if the store keeps none apart from the index
	sumIDs   func(fn func(id string))                // every stored summary
	docRaw   []byte                                  // stored settings (nil: none)
	last     casebook.HLC                            // stored largest HLC
	idx      *Index                                  // the in-memory summaries
	expected func(s *casebook.Summary)               // receives each summary the log implies
	extra    func(p *problems, seq uint64)           // more checks after the log pass, given the last sequence
}

// logPass is what the first pass over the log finds: the ops of each
// record, the settings and the largest HLC.
type logPass struct {
	seqs    map[string]map[string][]uint64 // family → record id → its ops
	doc     *casebook.SettingsDoc
	last    casebook.HLC
	n       int    // ops in the log
	lastSeq uint64 // the last sequence
}

// checkViews replays the log into fresh views, record by record, and
// compares them with what is stored and with the in-memory index. Memory
// use is bounded by one record at a time plus a list of sequence numbers
// per record.
func checkViews(t *checkTarget, pr *problems) {
	lp, err := scanLog(t, pr)
	if err != nil {
		pr.add("reading the log: %v", err)
		return
	}
	if t.opIDs != lp.n {
		pr.add("the op id lookup has %d entries for %d ops in the log", t.opIDs, lp.n)
	}
	if lp.last != t.last {
		pr.add("largest HLC is recorded as %s, the log has %s", t.last, lp.last)
	}
	if t.extra != nil {
		t.extra(pr, lp.lastSeq)
	}
	var want []byte
	if len(lp.doc.Registers) > 0 {
		want, _ = json.Marshal(lp.doc)
	}
	if !bytes.Equal(want, t.docRaw) {
		pr.add("stored settings differ from the log")
	}
	sc := &summaryCheck{t: t, pr: pr, policy: lp.doc.Settings().Policy}
	checkRecords(t, caseKind, lp.seqs[familyCase], pr, sc.check)
	if t.sumIDs != nil {
		t.sumIDs(func(id string) {
			if _, ok := lp.seqs[familyCase][id]; !ok {
				pr.add("summary %s is stored but its case has no ops", id)
			}
		})
	}
	if got := t.idx.Len(); got != sc.created {
		pr.add("in-memory index has %d cases, the log makes %d", got, sc.created)
	}
	checkRecords(t, disputeKind, lp.seqs[familyDispute], pr, nil)
}

// opHead is what routes an op, decoded without the rest.
type opHead struct {
	ID     string       `json:"id"`
	HLC    casebook.HLC `json:"hlc"`
	Kind   casebook.OpKind
	Entity string
}

// scanLog reads the log once, routing each record op by family and id and
// applying the settings ops.
func scanLog(t *checkTarget, pr *problems) (*logPass, error) {
	lp := &logPass{seqs: map[string]map[string][]uint64{familyCase: {}, familyDispute: {}}, doc: &casebook.SettingsDoc{}}
	err := t.eachOp(func(seq uint64, raw []byte) error {
		lp.n++
		if seq <= lp.lastSeq {
			pr.add("log entry %d is out of order", seq)
		}
		lp.lastSeq = seq
		// Record ops are decoded in full in the second pass; here only what
		// routes them. (Ops are not validated again: they were when they
		// were applied, and a later version may validate a kind that was
		// unknown when it was stored more strictly.)
		var head opHead
		if err := json.Unmarshal(raw, &head); err != nil {
			pr.add("log entry %d does not decode", seq)
			return nil
		}
		op := casebook.Op{ID: head.ID, HLC: head.HLC, Kind: head.Kind, Entity: head.Entity}
		records, isRecord := lp.seqs[family(op.Kind)]
		if !isRecord {
			op = casebook.Op{}
			if err := json.Unmarshal(raw, &op); err != nil {
				pr.add("log entry %d does not decode", seq)
				return nil
			}
		}
		if s, ok := t.opSeq(op.ID); !ok || s != seq {
			pr.add("op %s (log entry %d) is missing from the op id lookup", op.ID, seq)
		}
		if op.HLC.Compare(lp.last) > 0 {
			lp.last = op.HLC
		}
		switch {
		case isRecord:
			records[op.Entity] = append(records[op.Entity], seq)
		case family(op.Kind) == familySettings:
			lp.doc.Apply(&op)
		}
		return nil
	})
	return lp, err
}

// checkRecords replays each record of a kind from its ops into a fresh
// view, one record at a time, and compares it with the stored one; feeds,
// if set, then checks what the record feeds.
func checkRecords[R record](t *checkTarget, k *recordKind[R], seqs map[string][]uint64, pr *problems, feeds func(id string, r R)) {
	for _, id := range slices.Sorted(maps.Keys(seqs)) {
		r := k.fresh(id)
		changed := false
		for _, seq := range seqs[id] {
			var op casebook.Op
			if err := json.Unmarshal(t.getOp(seq), &op); err != nil {
				pr.add("log entry %d does not decode", seq)
				continue
			}
			ch, err := r.Apply(&op)
			if err != nil {
				pr.add("log entry %d: %v", seq, err)
			}
			changed = changed || ch
		}
		stored := t.viewRaw(k.bucket, id)
		if !changed {
			if stored != nil {
				pr.add("%s %s is stored but its ops change nothing", k.family, id)
			}
			continue
		}
		if raw, _ := json.Marshal(r); !bytes.Equal(raw, stored) {
			pr.add("%s %s differs from its ops", k.family, id)
		}
		if feeds != nil {
			feeds(id, r)
		}
	}
	t.viewIDs(k.bucket, func(id string) {
		if _, ok := seqs[id]; !ok {
			pr.add("%s %s is stored but has no ops", k.family, clip(id))
		}
	})
}

// summaryCheck compares a replayed case's summary with the stored one and
// the in-memory index.
type summaryCheck struct {
	t       *checkTarget
	pr      *problems
	policy  casebook.DeadlinePolicy
	created int // cases created, which the index must hold
}

func (sc *summaryCheck) check(id string, c *casebook.Case) {
	t, pr := sc.t, sc.pr
	inIdx, _ := t.idx.Get(id)
	var sumStored []byte
	if t.sumRaw != nil {
		sumStored = t.sumRaw(id)
	}
	if !c.Created() {
		if sumStored != nil || inIdx != nil {
			pr.add("case %s has a summary before its creation", id)
		}
		return
	}
	sc.created++
	s := c.Summarize(&sc.policy)
	if t.sumRaw != nil && !bytes.Equal(EncodeSummary(&s), sumStored) {
		pr.add("summary of case %s differs from its ops", id)
	}
	sraw, _ := json.Marshal(&s)
	if inIdx == nil {
		pr.add("case %s is missing from the in-memory index", id)
	} else if iraw, _ := json.Marshal(inIdx); !bytes.Equal(iraw, sraw) {
		pr.add("in-memory summary of case %s differs from its ops", id)
	}
	if t.expected != nil {
		t.expected(&s)
	}
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
	err := viewTx(b.db, what, func(tx *bbolt.Tx) error {
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
	sums := tx.Bucket(bucketSummaries)
	expected := make([][][]byte, len(indexBuckets))
	// A value that does not decode is reported, and checked as a value
	// that cannot be JSON (what differs from it is reported too).
	plain := func(bucket, key, v []byte) []byte {
		if v == nil {
			return nil
		}
		out, err := b.codec.Decode(nil, bucket, key, v)
		if err != nil {
			pr.add("%v", err)
			return []byte{}
		}
		return out
	}
	t := &checkTarget{
		eachOp: func(fn func(uint64, []byte) error) error {
			return opsB.ForEach(func(k, v []byte) error {
				if len(k) != 8 {
					pr.add("log key %x is not a sequence number", k)
					return nil
				}
				return fn(bytesToSeq(k), plain(bucketOps, k, v))
			})
		},
		getOp: func(seq uint64) []byte { return plain(bucketOps, seqKey(seq), opsB.Get(seqKey(seq))) },
		opSeq: func(id string) (uint64, bool) {
			v := opIDs.Get([]byte(id))
			if len(v) != 8 {
				return 0, false
			}
			return bytesToSeq(v), true
		},
		opIDs: opIDs.Stats().KeyN,
		viewRaw: func(bucket []byte, id string) []byte {
			return plain(bucket, []byte(id), tx.Bucket(bucket).Get([]byte(id)))
		},
		viewIDs: func(bucket []byte, fn func(string)) { eachKey(tx.Bucket(bucket), fn) },
		sumRaw:  func(id string) []byte { return plain(bucketSummaries, []byte(id), sums.Get([]byte(id))) },
		sumIDs:  func(fn func(string)) { eachKey(sums, fn) },
		docRaw:  plain(bucketSettings, keySettings, tx.Bucket(bucketSettings).Get(keySettings)),
		last:    last,
		idx:     b.idx,
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

// eachKey calls fn with every key of a bucket, in order.
func eachKey(bk *bbolt.Bucket, fn func(string)) {
	_ = bk.ForEach(func(k, _ []byte) error { fn(string(k)); return nil })
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
