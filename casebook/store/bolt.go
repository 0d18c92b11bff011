package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"casebook/casebook"
)

// The bbolt file of a casebook:
//
//	meta/                       the casebook's identity and schema
//	    format   → "casebook"   marks the file as ours
//	    version  → "3"          schema version (SchemaVersion), decimal
//	    device   → device id    this replica's origin (casebook.NewID), made at creation
//	    created  → RFC 3339     when the file was made
//	    hlc      → HLC string   the largest HLC in the log (to start the clock above it)
//	ops/                        the operation log, in local arrival order
//	    <seq: 8-byte big-endian> → op JSON*
//	opids/
//	    <op id>  → <seq>        which ops are in the log (idempotent Apply)
//	cases/
//	    <case id> → Case JSON*  full view: registers, timeline, links, derived status
//	summaries/
//	    <case id> → Summary JSON*  what lists and metrics need; loaded into memory at open
//	settings/
//	    "doc"    → SettingsDoc JSON* (absent: the defaults)
//	disputes/                   (since schema 2)
//	    <dispute id> → Dispute JSON*  full view: registers, record, derived status;
//	                             also a dispute whose create op has not arrived yet
//	idx_status/   <status>       0x00 <case id> → ""
//	idx_due/      <next deadline, RFC 3339 UTC> 0x00 <case id> → ""  (open cases with a pending deadline)
//	idx_category/ <category>     0x00 <case id> → ""
//	idx_building/ <building>     0x00 <case id> → ""  (cases with a building)
//	idx_received/ <received, RFC 3339 UTC> 0x00 <case id> → ""
//	local/                      device-local state, never replicated nor synced
//	    <key>    → bytes*       e.g. sync cursors
//
// A value marked * is stored through the Codec (codec.go): JSON packed
// (pack.go), and later sealed; keys and the meta and index buckets are
// plain.
//
// The log, the views and the indexes change together in one bbolt Update
// transaction per Apply, so a crash never leaves them out of step; Check
// replays the log to prove it. Views and indexes are derived data: only the
// log (and meta/device) is the truth. The schema version and its history are in migrate.go.
var (
	bucketMeta      = []byte("meta")
	bucketOps       = []byte("ops")
	bucketOpIDs     = []byte("opids")
	bucketCases     = []byte("cases")
	bucketSummaries = []byte("summaries")
	bucketSettings  = []byte("settings")
	bucketDisputes  = []byte("disputes")
	bucketStatus    = []byte("idx_status")
	bucketDue       = []byte("idx_due")
	bucketCategory  = []byte("idx_category")
	bucketBuilding  = []byte("idx_building")
	bucketReceived  = []byte("idx_received")
	bucketLocal     = []byte("local")

	keyFormat   = []byte("format")
	keyVersion  = []byte("version")
	keyDevice   = []byte("device")
	keyCreated  = []byte("created")
	keyHLC      = []byte("hlc")
	keySettings = []byte("doc")

	formatName = []byte("casebook")
)

// allBuckets are the top-level buckets of the current schema.
var allBuckets = [][]byte{bucketMeta, bucketOps, bucketOpIDs, bucketCases, bucketSummaries, bucketSettings,
	bucketStatus, bucketDue, bucketCategory, bucketBuilding, bucketReceived, bucketLocal, bucketDisputes}

// indexBuckets are the secondary indexes, in the order indexKeys returns keys.
var indexBuckets = [][]byte{bucketStatus, bucketDue, bucketCategory, bucketBuilding, bucketReceived}

// DefaultTimeout is how long OpenBolt waits for another program to release
// the file before giving up with ErrLocked.
const DefaultTimeout = time.Second

// Option changes how OpenBolt opens a casebook.
type Option func(*openOptions)

type openOptions struct {
	timeout time.Duration
	now     func() time.Time
	noSync  bool
}

// WithTimeout sets how long to wait for a file locked by another program
// (default DefaultTimeout). Zero or negative means the default.
func WithTimeout(d time.Duration) Option {
	return func(o *openOptions) {
		if d > 0 {
			o.timeout = d
		}
	}
}

// WithClock sets the clock used to stamp a new casebook's creation time.
func WithClock(now func() time.Time) Option {
	return func(o *openOptions) {
		if now != nil {
			o.now = now
		}
	}
}

// withNoSync skips fsync on commit: only for tests and benchmark fixtures.
func withNoSync() Option { return func(o *openOptions) { o.noSync = true } }

// Bolt is a casebook stored in one bbolt file. It is safe for concurrent use.
type Bolt struct {
	path  string
	db    *bbolt.DB
	idx   *Index
	codec *Codec // every value of the file passes through it

	wmu sync.Mutex // serializes writes, so the index follows commits in order

	mu      sync.RWMutex // guards the fields below
	closed  bool
	device  string
	created time.Time
	doc     *casebook.SettingsDoc // replaced on change, never modified
	policy  casebook.DeadlinePolicy
	last    casebook.HLC
}

var _ Store = (*Bolt)(nil)

// OpenBolt opens the casebook at path, creating a new one if nothing is
// there. An existing file is first inspected read-only; it is opened for
// writing only once it is known to be a casebook of this or an older
// version, so a file that is not a casebook, is damaged or is too new is
// never written to. Errors wrap ErrNotCasebook, ErrCorrupt, ErrTooNew or
// ErrLocked, and name the path.
func OpenBolt(path string, opts ...Option) (*Bolt, error) {
	return openBolt(path, true, opts)
}

// openBolt is OpenBolt; without withSummaries the summaries stay on disk
// (the index is empty), for a Reader.
func openBolt(path string, withSummaries bool, opts []Option) (*Bolt, error) {
	o := openOptions{timeout: DefaultTimeout, now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := create(path, &o); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, fmt.Errorf("open %s: %w", path, err)
	case fi.IsDir():
		return nil, fmt.Errorf("open %s: %w: it is a folder", path, ErrNotCasebook)
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("open %s: %w: not a regular file", path, ErrNotCasebook)
	case fi.Size() == 0:
		// bbolt would initialize an empty file as a new database: refuse
		// before it can, since the user pointed at something else.
		return nil, fmt.Errorf("open %s: %w: the file is empty", path, ErrNotCasebook)
	}

	version, err := probe(path, &o)
	if err != nil {
		return nil, err
	}
	db, err := openDB(path, &o, false)
	if err != nil {
		return nil, err
	}
	codec := NewCodec(nil)
	if version < schemaVersion {
		if db, err = migrate(db, path, version, codec, &o); err != nil {
			return nil, err
		}
	}
	b := &Bolt{path: path, db: db, idx: NewIndex(), codec: codec}
	if err := b.load(withSummaries); err != nil {
		_ = db.Close()
		return nil, err
	}
	return b, nil
}

// guard runs fn, turning a panic or a memory fault (bbolt reading a damaged
// page of the mapped file) into an error wrapping ErrCorrupt.
func guard(what string, fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: %w (%v)", what, ErrCorrupt, r)
		}
	}()
	return fn()
}

// viewTx runs fn in a read transaction of db under guard.
func viewTx(db *bbolt.DB, what string, fn func(*bbolt.Tx) error) error {
	return guard(what, func() error { return db.View(fn) })
}

// updateTx runs fn in a write transaction of db under guard.
func updateTx(db *bbolt.DB, what string, fn func(*bbolt.Tx) error) error {
	return guard(what, func() error { return db.Update(fn) })
}

// openDB opens the bbolt file, read-only or for writing, mapping bbolt's
// errors to ours.
func openDB(path string, o *openOptions, readOnly bool) (db *bbolt.DB, err error) {
	what := "open " + path
	err = guard(what, func() error {
		var err error
		bo := &bbolt.Options{Timeout: o.timeout, ReadOnly: readOnly, NoSync: o.noSync}
		if !readOnly {
			bo.InitialMmapSize = initialMmapSize
		}
		db, err = bbolt.Open(path, 0o600, bo)
		if err == nil && bo.InitialMmapSize > 0 {
			// With a large mapping bbolt grows the file past what a commit
			// needs by AllocSize (16 MiB by default), which a small
			// casebook would carry as empty space: grow it by little.
			db.AllocSize = 64 << 10
		}
		return err
	})
	switch {
	case err == nil:
		return db, nil
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("%s: %w (close the other Casebook window, or wait for it to finish)", what, ErrLocked)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch):
		return nil, fmt.Errorf("%s: %w", what, ErrNotCasebook)
	case errors.Is(err, berrors.ErrChecksum):
		return nil, fmt.Errorf("%s: %w: %v", what, ErrCorrupt, err)
	case errors.Is(err, ErrCorrupt):
		return nil, err
	case strings.HasPrefix(err.Error(), "file size too small"):
		// bbolt found a valid first meta page in a file shorter than two
		// pages: a bolt file cut short.
		return nil, fmt.Errorf("%s: %w: the file is truncated", what, ErrCorrupt)
	}
	return nil, fmt.Errorf("%s: %w", what, err)
}

// probe opens an existing file read-only (it cannot write, whatever the
// file holds) and checks that it is a whole casebook this build can open.
// It returns the file's schema version.
func probe(path string, o *openOptions) (version int, err error) {
	what := "open " + path
	db, err := openDB(path, o, true)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	fi, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	err = guard(what, func() error {
		return db.View(func(tx *bbolt.Tx) error {
			if tx.Size() > fi.Size() {
				return fmt.Errorf("%s: %w: the file is truncated (%d of %d bytes)", what, ErrCorrupt, fi.Size(), tx.Size())
			}
			meta := tx.Bucket(bucketMeta)
			if meta == nil || !bytes.Equal(meta.Get(keyFormat), formatName) {
				return fmt.Errorf("%s: %w", what, ErrNotCasebook)
			}
			v, err := strconv.Atoi(string(meta.Get(keyVersion)))
			if err != nil || v < 1 {
				return fmt.Errorf("%s: %w: bad schema version", what, ErrCorrupt)
			}
			if v > schemaVersion {
				return fmt.Errorf("%s: %w: it has schema version %d, this program knows up to %d; update Casebook to open it", what, ErrTooNew, v, schemaVersion)
			}
			version = v
			if v == schemaVersion {
				for _, name := range allBuckets {
					if tx.Bucket(name) == nil {
						return fmt.Errorf("%s: %w: bucket %s is missing", what, ErrCorrupt, name)
					}
				}
				if len(meta.Get(keyDevice)) == 0 {
					return fmt.Errorf("%s: %w: no device id", what, ErrCorrupt)
				}
			}
			return nil
		})
	})
	return version, err
}

// create makes a new casebook at path. It is built in a temporary file and
// moved into place only when complete, so a crash never leaves a half-made
// casebook, and a file that appeared meanwhile is not overwritten.
func create(path string, o *openOptions) error {
	what := "create " + path
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".new-*")
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	tmp := f.Name()
	_ = f.Close()
	defer os.Remove(tmp)
	db, err := bbolt.Open(tmp, 0o600, &bbolt.Options{Timeout: o.timeout, NoSync: o.noSync})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		for k, v := range map[string]string{
			string(keyFormat):  string(formatName),
			string(keyVersion): strconv.Itoa(schemaVersion),
			string(keyDevice):  casebook.NewID(o.now()),
			string(keyCreated): o.now().UTC().Format(time.RFC3339),
		} {
			if err := meta.Put([]byte(k), []byte(v)); err != nil {
				return err
			}
		}
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	// A hard link publishes the file only if nothing is at path yet.
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil // made meanwhile by someone else: open that one
		}
		if _, serr := os.Stat(path); serr == nil {
			return nil
		}
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	syncDir(dir)
	return nil
}

// syncDir makes a new directory entry durable (a no-op where unsupported).
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// writeAtomic writes a file through a temporary file in the same folder,
// synced and renamed into place: never a half-written file at path.
func writeAtomic(path string, write func(io.Writer) error) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	syncDir(dir)
	return nil
}

// load reads the meta data and settings and, withSummaries, loads every
// summary into the index.
func (b *Bolt) load(withSummaries bool) error {
	what := "open " + b.path
	return guard(what, func() error {
		return b.db.View(func(tx *bbolt.Tx) error {
			meta := tx.Bucket(bucketMeta)
			b.device = string(meta.Get(keyDevice))
			b.created, _ = time.Parse(time.RFC3339, string(meta.Get(keyCreated)))
			if h := meta.Get(keyHLC); h != nil {
				last, err := casebook.ParseHLC(string(h))
				if err != nil {
					return fmt.Errorf("%s: %w: meta: %v", what, ErrCorrupt, err)
				}
				b.last = last
			}
			b.doc = &casebook.SettingsDoc{}
			if raw := tx.Bucket(bucketSettings).Get(keySettings); raw != nil {
				raw, err := b.codec.Decode(nil, bucketSettings, keySettings, raw)
				if err != nil {
					return fmt.Errorf("%s: %w", what, err)
				}
				if err := json.Unmarshal(raw, b.doc); err != nil {
					return fmt.Errorf("%s: %w: settings: %v", what, ErrCorrupt, err)
				}
			}
			b.policy = b.doc.Settings().Policy
			if !withSummaries {
				return nil
			}
			all, err := loadSummaries(tx.Bucket(bucketSummaries), b.codec, &b.policy)
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			b.idx.reset(all)
			return nil
		})
	})
}

// loadSummaries decodes every stored summary, on all cores, a chunk at a
// time. After each chunk the pages it was read from are handed back to the
// kernel (they stay in the page cache): otherwise the mapped file pages
// read at open (and their neighbours, which the kernel maps along) would
// count in the app's memory for as long as it runs.
func loadSummaries(bk *bbolt.Bucket, codec *Codec, p *casebook.DeadlinePolicy) ([]*casebook.Summary, error) {
	const chunk = 2048
	var out []*casebook.Summary // (bk.Stats() would read every page at once)
	workers := min(runtime.GOMAXPROCS(0), 8)
	decs := make([]*SummaryDecoder, workers)
	for w := range decs {
		decs[w] = NewSummaryDecoder()
	}
	// raws point into the mapped file; valid during the transaction.
	raws, ids := make([][]byte, 0, chunk), make([][]byte, 0, chunk)
	span := newMappedSpan(bk.Tx())
	flush := func() error {
		base := len(out)
		out = append(out, make([]*casebook.Summary, len(raws))...)
		errs := make([]error, workers)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Each worker reads the mapped file: turn a fault on a
				// damaged page into an error rather than a crash.
				errs[w] = guard("load summaries", func() error {
					lo, hi := len(raws)*w/workers, len(raws)*(w+1)/workers
					block := make([]casebook.Summary, hi-lo)
					var buf []byte
					for i := lo; i < hi; i++ {
						s := &block[i-lo]
						var err error
						if buf, err = codec.Decode(buf[:0], bucketSummaries, ids[i], raws[i]); err != nil {
							return err
						}
						if err := decs[w].Decode(buf, s); err != nil || s.ID != string(ids[i]) {
							return fmt.Errorf("%w: summary of case %s does not decode", ErrCorrupt, clip(string(ids[i])))
						}
						s.SetDeadlines(p)
						out[base+i] = s
					}
					return nil
				})
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		span.release()
		raws, ids = raws[:0], ids[:0]
		return nil
	}
	err := bk.ForEach(func(k, v []byte) error {
		ids = append(ids, k)
		raws = append(raws, v)
		span.add(k)
		span.add(v)
		if len(raws) == chunk {
			return flush()
		}
		return nil
	})
	if err == nil && len(raws) > 0 {
		err = flush()
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// nextSeq reads the sequence of the log key k that follows the entry at
// prev: it must be larger. A damaged page can hand the cursor keys out of
// order, and a reader paging through the log with the last sequence it
// got would then ask for the same page again and again, for ever.
func nextSeq(k []byte, prev uint64) (uint64, error) {
	n := binary.BigEndian.Uint64(k)
	if n <= prev {
		return 0, fmt.Errorf("%w: log entry %d comes after %d", ErrCorrupt, n, prev)
	}
	return n, nil
}

func seqKey(seq uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], seq)
	return k[:]
}

// indexKeys are the entries of a summary in each secondary index, in the
// order of indexBuckets; nil means no entry in that index.
func indexKeys(s *casebook.Summary) [5][]byte {
	key := func(v string) []byte {
		if v == "" {
			return nil
		}
		k := make([]byte, 0, len(v)+1+len(s.ID))
		k = append(k, v...)
		k = append(k, 0)
		return append(k, s.ID...)
	}
	var due string
	if kind, t := s.Next(); kind != casebook.DeadlineNone {
		due = stamp(t)
	}
	return [5][]byte{key(string(s.Status)), key(due), key(s.Category), key(s.Building), key(stamp(s.Received))}
}

// stamp formats a time for an index key: fixed width, so text order is
// time order.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func (b *Bolt) isClosed() bool {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.closed
}

// viewErr maps bbolt's errors after Close to ErrClosed.
func viewErr(what string, err error) error {
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return fmt.Errorf("%s: %w", what, ErrClosed)
	}
	return err
}

// errNoop rolls back a write transaction that had nothing to do.
var errNoop = errors.New("nothing to write")

// Apply stores and merges operations in one transaction, all or nothing.
func (b *Bolt) Apply(ops ...casebook.Op) ([]casebook.Op, error) {
	const what = "apply"
	batch, err := prepare(what, ops)
	if err != nil || len(batch) == 0 {
		return nil, err
	}
	b.wmu.Lock()
	defer b.wmu.Unlock()
	b.mu.RLock()
	closed := b.closed
	w := &boltWrite{b: b, batch: batch, doc: b.doc, policy: b.policy, last: b.last}
	b.mu.RUnlock()
	if closed {
		return nil, fmt.Errorf("%s: %w", what, ErrClosed)
	}
	err = updateTx(b.db, what, w.tx)
	if errors.Is(err, errNoop) {
		return nil, nil
	}
	if err != nil {
		return nil, viewErr(what, fmt.Errorf("%s: %w", what, err))
	}
	out := w.out
	b.mu.Lock()
	if out.doc != nil {
		b.doc, b.policy = out.doc, out.policy
	}
	if w.v.last.Compare(b.last) > 0 {
		b.last = w.v.last
	}
	b.mu.Unlock()
	b.idx.put(append(out.sums(), w.repriced...)...)
	applied := make([]casebook.Op, len(w.v.applied))
	for i, p := range w.v.applied {
		applied[i] = *p.op
	}
	return applied, nil
}

// boltWrite is one Apply's write transaction: the batch and the state it
// starts from, and what the transaction made of them.
type boltWrite struct {
	b      *Bolt
	batch  []prepared
	doc    *casebook.SettingsDoc // the settings before the batch
	policy casebook.DeadlinePolicy
	last   casebook.HLC

	bk       map[string]*bbolt.Bucket // every top-level bucket, by name
	ws       writeSet                 // the writes but the log's, made at the end in key order
	v        *views
	out      *outcome
	repriced []*casebook.Summary // other summaries under a changed policy
}

// tx is the body of the write transaction: it logs the new ops, merges
// them into the views they change, and writes the views, the summaries,
// the indexes, the settings and the largest HLC. errNoop rolls back a
// batch that holds nothing new.
func (w *boltWrite) tx(tx *bbolt.Tx) error {
	if err := w.buckets(tx); err != nil {
		return err
	}
	w.v = newViews(w.doc, w.stored)
	if err := w.logOps(); err != nil {
		return err
	}
	if len(w.v.applied) == 0 {
		return errNoop
	}
	var err error
	if w.out, err = w.v.finish(w.policy); err != nil {
		return err
	}
	if err := w.writeViews(); err != nil {
		return err
	}
	if err := w.ws.write(); err != nil {
		return err
	}
	if w.out.doc != nil {
		raw, err := w.b.codec.JSON(bucketSettings, keySettings, w.out.docRaw)
		if err != nil {
			return err
		}
		if err := w.bk[string(bucketSettings)].Put(keySettings, raw); err != nil {
			return err
		}
	}
	if w.v.last.Compare(w.last) > 0 {
		return w.bk[string(bucketMeta)].Put(keyHLC, []byte(w.v.last.String()))
	}
	return nil
}

// buckets finds every top-level bucket; a missing one is damage.
func (w *boltWrite) buckets(tx *bbolt.Tx) error {
	w.bk = map[string]*bbolt.Bucket{}
	for _, name := range allBuckets {
		if w.bk[string(name)] = tx.Bucket(name); w.bk[string(name)] == nil {
			return fmt.Errorf("%w: bucket %s is missing", ErrCorrupt, name)
		}
	}
	setFill(w.bk)
	return nil
}

// stored is the stored view of a record (its JSON), for the views; nil if
// there is none, or if it does not decode (which the record set reports).
func (w *boltWrite) stored(bucket []byte, id string) []byte {
	raw := w.bk[string(bucket)].Get([]byte(id))
	if raw == nil {
		return nil
	}
	v, err := w.b.codec.Decode(nil, bucket, []byte(id), raw)
	if err != nil {
		return []byte{} // not JSON: the record set's decode fails with ErrCorrupt
	}
	return v
}

// fillPercent is how full bbolt fills a page before it splits one, by
// bucket (bbolt's default, half, elsewhere). Most keys of these buckets
// are appended in key order (log sequences, ids of new ops, cases and
// summaries by ids made from the time received, receipt times), so a split
// page is never written into again: fill it. The views keep room for a
// case's next steps.
// A case's entries in the category and building indexes are written once,
// at the end of their category's or building's run (the keys end in the
// case id). The op ids are set per batch (logOps).
var fillPercent = map[string]float64{
	string(bucketOps): 1, string(bucketReceived): 0.9, string(bucketCategory): 0.9, string(bucketBuilding): 0.9,
	string(bucketCases): 0.85, string(bucketSummaries): 0.9,
}

// setFill sets the fill factors of a write transaction's buckets.
func setFill(bk map[string]*bbolt.Bucket) {
	for name, f := range fillPercent {
		if b := bk[name]; b != nil {
			b.FillPercent = f
		}
	}
}

// logOps appends each op not yet in the log and merges it into the views.
// Every write but the log's is collected in ws and made at the end,
// bucket by bucket in key order: bbolt inserts into a node by shifting the
// keys after it, so a large batch in random order (index keys) costs time
// quadratic in the size of the nodes, and in order almost nothing.
func (w *boltWrite) logOps() error {
	opsB, opIDs := w.bk[string(bucketOps)], w.bk[string(bucketOpIDs)]
	// Op ids made here follow each other (ULIDs, time first): a batch of
	// them is appended, and fills its pages. Ids made elsewhere within one
	// millisecond (another device's, a benchmark's fixed clock) fall
	// among them: such a batch leaves bbolt's default room in the pages
	// it splits, which random inserts fill best.
	last, _ := opIDs.Cursor().Last()
	opIDs.FillPercent = 0.95
	seen := map[string]bool{}
	for i, p := range w.batch {
		if seen[p.op.ID] || opIDs.Get([]byte(p.op.ID)) != nil {
			continue // already in the log: applying twice changes nothing
		}
		seen[p.op.ID] = true
		if p.op.ID <= string(last) {
			opIDs.FillPercent = bbolt.DefaultFillPercent
		}
		seq, err := opsB.NextSequence()
		if err != nil {
			return err
		}
		raw, err := w.b.codec.JSON(bucketOps, seqKey(seq), p.raw)
		if err != nil {
			return err
		}
		if err := opsB.Put(seqKey(seq), raw); err != nil {
			return err
		}
		w.ws.put(opIDs, []byte(p.op.ID), seqKey(seq))
		if err := w.v.apply(p); err != nil {
			return fmt.Errorf("op %d of %d (id %s, kind %s): %w", i+1, len(w.batch), p.op.ID, clip(string(p.op.Kind)), err)
		}
	}
	return nil
}

// writeViews collects the writes of the changed records, their summaries
// and index entries, and under a changed policy every other summary.
func (w *boltWrite) writeViews() error {
	sums := w.bk[string(bucketSummaries)]
	for _, r := range w.out.records {
		if err := w.put(w.bk[string(r.bucket)], r.bucket, []byte(r.id), r.raw); err != nil {
			return err
		}
	}
	for _, s := range w.out.summaries {
		var old *casebook.Summary
		if raw := sums.Get([]byte(s.sum.ID)); raw != nil {
			// As stored: its index entries were made from these deadlines.
			old = &casebook.Summary{}
			raw, err := w.b.codec.Decode(nil, bucketSummaries, []byte(s.sum.ID), raw)
			if err != nil {
				return err
			}
			if err := NewSummaryDecoder().Decode(raw, old); err != nil {
				return fmt.Errorf("%w: summary of case %s: %v", ErrCorrupt, s.sum.ID, err)
			}
			old.SetDeadlines(&w.policy)
		}
		if err := w.putRaw(sums, bucketSummaries, []byte(s.sum.ID), s.raw); err != nil {
			return err
		}
		reindex(&w.ws, w.bk, old, s.sum)
	}
	if !w.out.policyChanged {
		return nil
	}
	// Every deadline moves: rewrite every other summary and its due-date
	// entry.
	w.repriced = w.b.idx.repriced(&w.out.policy, w.out.summarized())
	for _, s := range w.repriced {
		if err := w.putRaw(sums, bucketSummaries, []byte(s.ID), EncodeSummary(s)); err != nil {
			return err
		}
		old, _ := w.b.idx.Get(s.ID)
		reindex(&w.ws, w.bk, old, s)
	}
	return nil
}

// put collects the write of a JSON value, encoded.
func (w *boltWrite) put(bk *bbolt.Bucket, bucket, key, v []byte) error {
	enc, err := w.b.codec.JSON(bucket, key, v)
	if err != nil {
		return err
	}
	w.ws.put(bk, key, enc)
	return nil
}

// putRaw collects the write of a value that is not JSON, encoded.
func (w *boltWrite) putRaw(bk *bbolt.Bucket, bucket, key, v []byte) error {
	enc, err := w.b.codec.Raw(bucket, key, v)
	if err != nil {
		return err
	}
	w.ws.put(bk, key, enc)
	return nil
}

// reindex records the change of a case's entries in the secondary
// indexes: the old summary's entries are removed and the new ones added.
// An entry that stays is not touched; one that moves has a different key
// (the keys hold the case id), so the order of the writes does not matter.
func reindex(ws *writeSet, bk map[string]*bbolt.Bucket, old, s *casebook.Summary) {
	var oldKeys [5][]byte
	if old != nil {
		oldKeys = indexKeys(old)
	}
	newKeys := indexKeys(s)
	for i, name := range indexBuckets {
		if bytes.Equal(oldKeys[i], newKeys[i]) {
			continue
		}
		ib := bk[string(name)]
		if oldKeys[i] != nil {
			ws.del(ib, oldKeys[i])
		}
		if newKeys[i] != nil {
			ws.put(ib, newKeys[i], nil)
		}
	}
}

// writeSet collects the writes of a transaction to make them per bucket in
// key order.
type writeSet struct {
	buckets []*bbolt.Bucket
	writes  [][]write
}

// write is a put, or with del a delete, of a key.
type write struct {
	key, val []byte
	del      bool
}

func (ws *writeSet) add(bk *bbolt.Bucket, w write) {
	for i, b := range ws.buckets {
		if b == bk {
			ws.writes[i] = append(ws.writes[i], w)
			return
		}
	}
	ws.buckets = append(ws.buckets, bk)
	ws.writes = append(ws.writes, []write{w})
}

func (ws *writeSet) put(bk *bbolt.Bucket, key, val []byte) { ws.add(bk, write{key: key, val: val}) }
func (ws *writeSet) del(bk *bbolt.Bucket, key []byte)      { ws.add(bk, write{key: key, del: true}) }

// write makes the writes, each bucket's in key order; of two writes of one
// key the later wins, as if made in the order collected.
func (ws *writeSet) write() error {
	for i, bk := range ws.buckets {
		w := ws.writes[i]
		slices.SortStableFunc(w, func(a, b write) int { return bytes.Compare(a.key, b.key) })
		for _, w := range w {
			var err error
			if w.del {
				err = bk.Delete(w.key)
			} else {
				err = bk.Put(w.key, w.val)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// Case returns a copy of a case's full view, or an error wrapping
// casebook.ErrNotFound.
func (b *Bolt) Case(id string) (*casebook.Case, error) { return boltGet(b, caseKind, id) }

// Dispute returns a copy of a dispute's full view, or an error wrapping
// casebook.ErrNotFound (also while its create op has not arrived).
func (b *Bolt) Dispute(id string) (*casebook.Dispute, error) { return boltGet(b, disputeKind, id) }

// Disputes returns a copy of every created dispute, in id order (the order
// they were registered in). A community has dozens to hundreds, so they
// are read from the file each time rather than kept in memory.
func (b *Bolt) Disputes() ([]*casebook.Dispute, error) { return boltList(b, disputeKind) }

// boltGet reads one created record.
func boltGet[R record](b *Bolt, k *recordKind[R], id string) (R, error) {
	what := k.family + " " + clip(id)
	var r R
	if b.isClosed() {
		return r, fmt.Errorf("%s: %w", what, ErrClosed)
	}
	err := viewTx(b.db, what, func(tx *bbolt.Tx) error {
		raw := tx.Bucket(k.bucket).Get([]byte(id))
		if raw != nil {
			var err error
			if raw, err = b.codec.Decode(nil, k.bucket, []byte(id), raw); err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
		}
		var err error
		r, err = k.get(what, raw)
		return err
	})
	return r, viewErr(what, err)
}

// boltList reads every created record of a kind, in id order.
func boltList[R record](b *Bolt, k *recordKind[R]) ([]R, error) {
	what := k.family + "s"
	if b.isClosed() {
		return nil, fmt.Errorf("%s: %w", what, ErrClosed)
	}
	var out []R
	err := viewTx(b.db, what, func(tx *bbolt.Tx) error {
		var err error
		out, err = k.collect(what, b.decoded(tx.Bucket(k.bucket), k.bucket))
		return err
	})
	if err != nil {
		return nil, viewErr(what, err)
	}
	return out, nil
}

// decoded is bk.ForEach with each value decoded (a value that does not
// decode stops it with the error).
func (b *Bolt) decoded(bk *bbolt.Bucket, bucket []byte) func(fn func(k, v []byte) error) error {
	return func(fn func(k, v []byte) error) error {
		var buf []byte
		return bk.ForEach(func(k, v []byte) error {
			var err error
			if buf, err = b.codec.Decode(buf[:0], bucket, k, v); err != nil {
				return err
			}
			return fn(k, buf)
		})
	}
}

// Summaries returns every case summary, newest received first.
func (b *Bolt) Summaries() []*casebook.Summary { return b.idx.Snapshot() }

// Index is the in-memory summaries index.
func (b *Bolt) Index() *Index { return b.idx }

// Settings returns the current settings and a copy of their registers.
func (b *Bolt) Settings() (casebook.Settings, *casebook.SettingsDoc) {
	b.mu.RLock()
	doc := b.doc
	b.mu.RUnlock()
	return doc.Settings(), cloneDoc(doc)
}

// Device is this replica's origin id.
func (b *Bolt) Device() string {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.device
}

// Created is when the casebook file was made.
func (b *Bolt) Created() time.Time {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.created
}

// Path is the file's path.
func (b *Bolt) Path() string { return b.path }

// LastHLC is the largest HLC in the log.
func (b *Bolt) LastHLC() casebook.HLC {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.last
}

// DefaultPage is the page size of OpsSince when limit is not positive.
const DefaultPage = 500

// OpsSince returns up to limit operations in log order after sequence seq,
// and the sequence of the last one returned (seq itself when there are none).
func (b *Bolt) OpsSince(seq uint64, limit int) ([]casebook.Op, uint64, error) {
	raws, last, err := b.RawOpsSince(seq, limit)
	return decodeOps(seq, raws, last, err)
}

// HasOp reports whether an operation is in the log.
func (b *Bolt) HasOp(id string) bool {
	if b.isClosed() {
		return false
	}
	found := false
	_ = viewTx(b.db, "has op", func(tx *bbolt.Tx) error {
		found = tx.Bucket(bucketOpIDs).Get([]byte(id)) != nil
		return nil
	})
	return found
}

// Backup writes a consistent copy of the whole file to w from one read
// transaction, while the app keeps reading and writing.
func (b *Bolt) Backup(w io.Writer) (int64, error) {
	const what = "backup"
	if b.isClosed() {
		return 0, fmt.Errorf("%s: %w", what, ErrClosed)
	}
	var n int64
	err := viewTx(b.db, what, func(tx *bbolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, viewErr(what, fmt.Errorf("%s: %w", what, err))
	}
	return n, nil
}

// BackupFile writes a backup to path through a temporary file in the same
// folder, renamed into place when complete: never a half-written backup.
// The backup is itself a casebook file that OpenBolt opens.
func (b *Bolt) BackupFile(path string) error {
	err := writeAtomic(path, func(w io.Writer) error {
		_, err := b.Backup(w)
		return err
	})
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// GetLocal reads device-local state; a missing key gives nil, nil.
func (b *Bolt) GetLocal(key string) ([]byte, error) {
	what := "get local " + clip(key)
	if key == "" {
		return nil, fmt.Errorf("%s: %w: empty key", what, casebook.ErrInvalid)
	}
	if b.isClosed() {
		return nil, fmt.Errorf("%s: %w", what, ErrClosed)
	}
	var out []byte
	err := viewTx(b.db, what, func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bucketLocal).Get([]byte(key)); v != nil {
			var err error
			out, err = b.codec.Decode([]byte{}, bucketLocal, []byte(key), v)
			return err
		}
		return nil
	})
	return out, viewErr(what, err)
}

// PutLocal writes device-local state; a nil value deletes the key.
func (b *Bolt) PutLocal(key string, val []byte) error {
	what := "put local " + clip(key)
	if key == "" || len(key) > bbolt.MaxKeySize {
		return fmt.Errorf("%s: %w: empty or too long key", what, casebook.ErrInvalid)
	}
	if b.isClosed() {
		return fmt.Errorf("%s: %w", what, ErrClosed)
	}
	err := updateTx(b.db, what, func(tx *bbolt.Tx) error {
		bk := tx.Bucket(bucketLocal)
		if val == nil {
			return bk.Delete([]byte(key))
		}
		enc, err := b.codec.Raw(bucketLocal, []byte(key), val)
		if err != nil {
			return err
		}
		return bk.Put([]byte(key), enc)
	})
	return viewErr(what, err)
}

// Close releases the file. It waits for running transactions (a backup).
func (b *Bolt) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	b.mu.Unlock()
	if err := b.db.Close(); err != nil {
		return fmt.Errorf("close %s: %w", b.path, err)
	}
	return nil
}
