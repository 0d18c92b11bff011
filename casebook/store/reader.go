package store

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sort"
	"time"

	"go.etcd.io/bbolt"

	"casebook/casebook"
)

// Reader reads a casebook file without loading its summaries into memory:
// for one-shot jobs over the whole casebook, such as the command-line Excel
// export, that would otherwise hold every summary of a large casebook (about
// 800 bytes each, with the index) only to read each once. It opens the file
// as OpenBolt does (the same lock, checks and migrations) and never writes
// to it otherwise.
type Reader struct {
	b *Bolt
}

// OpenReader opens the casebook at path for reading, with OpenBolt's
// options and errors; a missing file is an error wrapping ErrNotCasebook
// (there is nothing to read, and a reader does not create one).
func OpenReader(path string, opts ...Option) (*Reader, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open %s: %w: no such file", path, ErrNotCasebook)
	}
	b, err := openBolt(path, false, opts)
	if err != nil {
		return nil, err
	}
	return &Reader{b: b}, nil
}

// Settings returns the casebook's current settings.
func (r *Reader) Settings() casebook.Settings {
	s, _ := r.b.Settings()
	return s
}

// Case returns a case's full view, or an error wrapping casebook.ErrNotFound.
func (r *Reader) Case(id string) (*casebook.Case, error) { return r.b.Case(id) }

// Disputes returns every created dispute, in id order.
func (r *Reader) Disputes() ([]*casebook.Dispute, error) { return r.b.Disputes() }

// Appeals is Bolt.Appeals.
func (r *Reader) Appeals(to time.Time, fields []string, fn func(s *casebook.Summary, values []string) error) error {
	return r.b.Appeals(to, fields, fn)
}

// Close closes the file.
func (r *Reader) Close() error { return r.b.Close() }

// appealBlock is how many appeals Appeals decodes at a time, one block ahead
// of fn.
const appealBlock = 1024

// byReceived is the order of Appeals: time received, then number, then id.
func byReceived(a, b *casebook.Summary) int {
	if c := a.Received.Compare(b.Received); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Number, b.Number); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// Appeals calls fn with every appeal received before to (zero: every
// appeal), oldest first: by time received, then number, then id; with it
// the current values of fields ("" when not set), as CaseFields gives them.
// The summaries are read from the file a block at a time, in one read
// transaction, a block ahead of fn (reading and fn's work run on two cores):
// the memory it holds is two blocks, however large the casebook. The file
// pages it reads stay mapped until the transaction ends: they are page
// cache, which the kernel takes back when it needs the memory, not memory
// of the process (an earlier version handed the mapping back every 64
// appeals to keep the resident size down, and spent a third of an export
// faulting the same pages in again). s and values are only valid during
// the call. An error of fn stops the reading and is returned.
func (b *Bolt) Appeals(to time.Time, fields []string, fn func(s *casebook.Summary, values []string) error) error {
	const what = "appeals"
	if b.isClosed() {
		return fmt.Errorf("%s: %w", what, ErrClosed)
	}
	b.mu.RLock()
	sc := &appealScan{what: what, to: to, fields: slices.Clone(fields), policy: b.policy, codec: b.codec,
		blocks: make(chan appealsBlock, 1), quit: make(chan struct{})}
	b.mu.RUnlock()
	if !to.IsZero() {
		sc.limit = []byte(stamp(to))
	}
	go sc.run(b.db)
	defer sc.stop()
	n := len(sc.fields)
	for bl := range sc.blocks {
		if bl.err != nil {
			return bl.err
		}
		for i := range bl.sums {
			if err := fn(&bl.sums[i], bl.vals[i*n:(i+1)*n:(i+1)*n]); err != nil {
				return err
			}
		}
	}
	return nil
}

// appealsBlock is a block of appeals in order, with their field values
// (len(fields) per appeal), or the error that stopped the reading.
type appealsBlock struct {
	sums []casebook.Summary
	vals []string
	err  error
}

// appealScan is the reading side of one Appeals, which runs in a goroutine
// of its own a block ahead of fn.
type appealScan struct {
	what   string
	to     time.Time
	limit  []byte // idx_received keys whose stamp sorts after this are after to
	fields []string
	policy casebook.DeadlinePolicy
	blocks chan appealsBlock
	quit   chan struct{} // closed when Appeals returns

	sums, cases *bbolt.Bucket // during the transaction
	codec       *Codec
	buf         []byte // a decoded value
	sd          *SummaryDecoder
	fd          *fieldDecoder
}

// run reads every block in one read transaction and closes blocks.
func (sc *appealScan) run(db *bbolt.DB) {
	defer close(sc.blocks)
	if err := viewTx(db, sc.what, sc.tx); err != nil {
		select {
		case sc.blocks <- appealsBlock{err: viewErr(sc.what, err)}:
		case <-sc.quit:
		}
	}
}

// stop lets the reader finish once Appeals returns.
func (sc *appealScan) stop() {
	close(sc.quit)
	for range sc.blocks {
	}
}

// tx walks the received-time index a block at a time.
func (sc *appealScan) tx(tx *bbolt.Tx) error {
	sc.sums, sc.cases = tx.Bucket(bucketSummaries), tx.Bucket(bucketCases)
	sc.sd, sc.fd = NewSummaryDecoder(), newFieldDecoder(sc.fields)
	cur := tx.Bucket(bucketReceived).Cursor()
	k, _ := cur.First()
	for k != nil {
		bl := appealsBlock{sums: make([]casebook.Summary, 0, appealBlock)}
		var err error
		if k, err = sc.readSummaries(cur, k, &bl); err != nil {
			return err
		}
		// The key orders by millisecond, then id: put the few appeals it
		// leaves out of order right (without copying whole summaries to
		// compare them when none is).
		for i := 1; i < len(bl.sums); i++ {
			if byReceived(&bl.sums[i-1], &bl.sums[i]) > 0 {
				sort.Slice(bl.sums, func(i, j int) bool { return byReceived(&bl.sums[i], &bl.sums[j]) < 0 })
				break
			}
		}
		if err := sc.readValues(&bl); err != nil {
			return err
		}
		select {
		case sc.blocks <- bl:
		case <-sc.quit:
			return nil
		}
	}
	return nil
}

// readSummaries reads the summaries of one block from the index key k on
// and returns the key the next block starts at (nil: no more).
func (sc *appealScan) readSummaries(cur *bbolt.Cursor, k []byte, bl *appealsBlock) ([]byte, error) {
	var lastStamp []byte
	for ; k != nil; k, _ = cur.Next() {
		sep := bytes.IndexByte(k, 0)
		if sep < 0 {
			return nil, fmt.Errorf("%s: %w: index key %q", sc.what, ErrCorrupt, clip(string(k)))
		}
		st, id := k[:sep], k[sep+1:]
		if sc.limit != nil && bytes.Compare(st, sc.limit) > 0 {
			return nil, nil
		}
		// A block ends between two stamps, so that appeals received in the
		// same millisecond (which the key orders by id, not by time) are
		// sorted together.
		if len(bl.sums) >= appealBlock && !bytes.Equal(st, lastStamp) {
			return k, nil
		}
		lastStamp = st
		raw := sc.sums.Get(id)
		if raw == nil {
			return nil, fmt.Errorf("%s: %w: case %s is indexed but has no summary", sc.what, ErrCorrupt, clip(string(id)))
		}
		var err error
		if sc.buf, err = sc.codec.Decode(sc.buf[:0], bucketSummaries, id, raw); err != nil {
			return nil, fmt.Errorf("%s: %w", sc.what, err)
		}
		bl.sums = append(bl.sums, casebook.Summary{})
		s := &bl.sums[len(bl.sums)-1]
		if err := sc.sd.Decode(sc.buf, s); err != nil || s.ID != string(id) {
			return nil, fmt.Errorf("%s: %w: summary of case %s does not decode", sc.what, ErrCorrupt, clip(string(id)))
		}
		if !sc.to.IsZero() && !s.Received.Before(sc.to) {
			bl.sums = bl.sums[:len(bl.sums)-1]
			continue
		}
		s.SetDeadlines(&sc.policy)
	}
	return nil, nil
}

// readValues reads the field values of a block's appeals.
func (sc *appealScan) readValues(bl *appealsBlock) error {
	n := len(sc.fields)
	bl.vals = make([]string, len(bl.sums)*n)
	if n == 0 {
		return nil
	}
	for i := range bl.sums {
		id := []byte(bl.sums[i].ID)
		raw := sc.cases.Get(id)
		if raw == nil {
			continue
		}
		var err error
		if sc.buf, err = sc.codec.Decode(sc.buf[:0], bucketCases, id, raw); err != nil {
			return fmt.Errorf("%s: %w", sc.what, err)
		}
		if err := sc.fd.values(sc.buf, bl.vals[i*n:(i+1)*n]); err != nil {
			return fmt.Errorf("%s: %w: case %s does not decode: %v", sc.what, ErrCorrupt, clip(bl.sums[i].ID), err)
		}
	}
	return nil
}

// Appeals is Bolt.Appeals on the book's in-memory summaries (the case
// fields are read from the store a block at a time). The summaries are
// shared and must not be modified.
func (b *Book) Appeals(to time.Time, fields []string, fn func(s *casebook.Summary, values []string) error) error {
	all := b.s.Index().Snapshot()
	sel := make([]*casebook.Summary, 0, len(all))
	for i := len(all) - 1; i >= 0; i-- { // the index is newest first
		if to.IsZero() || all[i].Received.Before(to) {
			sel = append(sel, all[i])
		}
	}
	slices.SortFunc(sel, byReceived)
	ids := make([]string, len(sel))
	for i, s := range sel {
		ids[i] = s.ID
	}
	if len(fields) == 0 {
		for _, s := range sel {
			if err := fn(s, nil); err != nil {
				return err
			}
		}
		return nil
	}
	return b.CaseFields(ids, fields, func(i int, v []string) error { return fn(sel[i], v) })
}
