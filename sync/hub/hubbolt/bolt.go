// Package hubbolt keeps the district hub's data in one bbolt file under a
// data folder (the default back-end); see hubstore for the contract it
// meets.
package hubbolt

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"casebook/casebook"
	"casebook/sync/hub/hubstore"
)

// The hub's data folder:
//
//	hub.db       bbolt: everything below
//	hub.epoch    {"epoch":…,"commits":N}: the epoch and the commit count,
//	             rewritten after every commit (see "Epoch" below)
//	admin.sock   the running hub's admin socket (enroll, dispatch, export)
//
// hub.db:
//
//	meta/         format "casebook-hub", version, epoch, commits (8 bytes), created
//	tokens/       <hex sha256 of token> → hubstore.Token JSON
//	communities/  <name> → hubstore.Community JSON
//	owners/       <record id> → community name: which community a case or dispute belongs to
//	c/<name>/     one bucket per community:
//	    log/      <seq, 8 bytes big-endian> → op JSON as received
//	    ids/      <op id> → <seq>
//	    cases/    <case id> → casebook.Case JSON (the materialized view)
//	    sums/     <case id> → compact summary (hubstore.EncodeSummary: casebook/store/sumcodec.go)
//	    view/     "seq" → log sequence the views are at; "settings" → SettingsDoc JSON
//
// Epoch. People back up a hub by copying hub.db and restore it by copying
// it back. A hub restored from an older copy has forgotten operations that
// devices pushed since; devices that trusted their cursors would never send
// them again. So every commit also bumps meta/commits, and hub.epoch beside
// the database records the epoch and the commit count after each commit.
// At open, a database whose commit count is below the sidecar's, whose
// epoch differs from it, or that has no sidecar, was restored or copied:
// it gets a new epoch, and each device, seeing a new epoch at its next
// hello, pushes its whole log again (idempotent: the hub keeps what it has)
// and pulls from the start. A folder restored whole (database and sidecar
// together) cannot be told from the inside; there the devices' anchors catch
// it (wire.Anchor): a device whose last known operation is not where it
// left it starts over the same way.
var (
	bMeta        = []byte("meta")
	bTokens      = []byte("tokens")
	bCommunities = []byte("communities")
	bOwners      = []byte("owners")
	bC           = []byte("c")
	bLog         = []byte("log")
	bIDs         = []byte("ids")
	bCases       = []byte("cases")
	bSums        = []byte("sums")
	bView        = []byte("view")

	kFormat   = []byte("format")
	kVersion  = []byte("version")
	kEpoch    = []byte("epoch")
	kCommits  = []byte("commits")
	kCreated  = []byte("created")
	kSeq      = []byte("seq")
	kSettings = []byte("settings")

	hubFormat = []byte(hubstore.Format)
)

// File names in the data folder.
const (
	DBFile    = "hub.db"
	EpochFile = "hub.epoch"
)

// Store is the hub's store in a bbolt file.
type Store struct {
	dir string
	db  *bbolt.DB
	log *slog.Logger

	mu      sync.Mutex // serializes writes and the sidecar
	epoch   string
	commits uint64
}

var _ hubstore.Store = (*Store)(nil)

// DefaultTimeout is how long Open waits for another process to release
// the file before giving up with hubstore.ErrLocked.
const DefaultTimeout = time.Second

// Option changes how Open opens the hub's data, in the style of
// store.OpenBolt's options.
type Option func(*options)

type options struct {
	timeout time.Duration
	noSync  bool
	log     *slog.Logger
}

// WithTimeout sets how long to wait for a file locked by another process
// (default DefaultTimeout). Zero or negative means the default.
func WithTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.timeout = d
		}
	}
}

// WithNoSync skips fsync on commit: only for tests and benchmark fixtures.
func WithNoSync() Option { return func(o *options) { o.noSync = true } }

// WithLogger sets where the store logs a new epoch and ops that do not
// replay (default: nowhere).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l != nil {
			o.log = l
		}
	}
}

type sidecar struct {
	Epoch   string `json:"epoch"`
	Commits uint64 `json:"commits"`
}

// Open opens (or creates) the hub data in dir.
func Open(dir string, opts ...Option) (*Store, error) {
	o := options{timeout: DefaultTimeout, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, opt := range opts {
		opt(&o)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open hub %s: %w", dir, err)
	}
	path := filepath.Join(dir, DBFile)
	_, statErr := os.Stat(path)
	fresh := errors.Is(statErr, os.ErrNotExist)
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: o.timeout, NoSync: o.noSync, NoFreelistSync: true})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("open hub %s: %w", dir, hubstore.ErrLocked)
		}
		return nil, fmt.Errorf("open hub %s: %w", dir, err)
	}
	s := &Store{dir: dir, db: db, log: o.log}
	if err := s.init(fresh); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) init(fresh bool) error {
	what := "open hub " + s.dir
	var side *sidecar
	if raw, err := os.ReadFile(filepath.Join(s.dir, EpochFile)); err == nil {
		side = &sidecar{}
		if json.Unmarshal(raw, side) != nil {
			side = nil
		}
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bMeta)
		if meta == nil {
			if !fresh && tx.Bucket(bTokens) == nil && len(bucketNames(tx)) > 0 {
				return fmt.Errorf("%s: %w", what, hubstore.ErrNotHub)
			}
			var err error
			if meta, err = tx.CreateBucket(bMeta); err != nil {
				return err
			}
			_ = meta.Put(kFormat, hubFormat)
			_ = meta.Put(kVersion, []byte(fmt.Sprint(hubstore.Version)))
			_ = meta.Put(kCreated, []byte(time.Now().UTC().Format(time.RFC3339)))
			_ = meta.Put(kEpoch, []byte(hubstore.NewEpoch()))
			_ = meta.Put(kCommits, u64(0))
			fresh = true
		}
		if !bytes.Equal(meta.Get(kFormat), hubFormat) {
			return fmt.Errorf("%s: %w", what, hubstore.ErrNotHub)
		}
		if v := string(meta.Get(kVersion)); v != fmt.Sprint(hubstore.Version) {
			return fmt.Errorf("%s: hub data version %s, this program knows %d", what, v, hubstore.Version)
		}
		for _, b := range [][]byte{bTokens, bCommunities, bOwners, bC} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		s.epoch = string(meta.Get(kEpoch))
		s.commits = binary.BigEndian.Uint64(meta.Get(kCommits))
		reason := ""
		switch {
		case fresh:
		case side == nil:
			reason = "no epoch record beside the database (restored or copied?)"
		case side.Epoch != s.epoch:
			reason = "the database's epoch differs from the epoch record (restored or copied?)"
		case s.commits < side.Commits:
			reason = fmt.Sprintf("the database has %d commits, the epoch record %d: restored from an older copy", s.commits, side.Commits)
		}
		if reason != "" {
			old := s.epoch
			s.epoch = hubstore.NewEpoch()
			s.commits++
			s.log.Warn("hub data restored: new epoch; devices will push again what the hub lost",
				"reason", reason, "old_epoch", old, "epoch", s.epoch)
			if err := meta.Put(kEpoch, []byte(s.epoch)); err != nil {
				return err
			}
			if err := meta.Put(kCommits, u64(s.commits)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.writeSidecar()
}

func bucketNames(tx *bbolt.Tx) []string {
	var out []string
	_ = tx.ForEach(func(name []byte, _ *bbolt.Bucket) error {
		out = append(out, string(name))
		return nil
	})
	return out
}

// writeSidecar records the epoch and commit count beside the database. It
// is written after the database commit, so it never runs ahead of it; it is
// not fsynced: after a crash it may lag, which is the safe direction.
func (s *Store) writeSidecar() error {
	raw, _ := json.Marshal(sidecar{Epoch: s.epoch, Commits: s.commits})
	path := filepath.Join(s.dir, EpochFile)
	f, err := os.CreateTemp(s.dir, "."+EpochFile+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	_, werr := f.Write(raw)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, werr)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// update runs a write transaction that counts as a commit.
func (s *Store) update(fn func(tx *bbolt.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Bucket(bMeta).Put(kCommits, u64(s.commits+1))
	})
	if err != nil {
		return err
	}
	s.commits++
	if err := s.writeSidecar(); err != nil {
		s.log.Error("epoch record", "err", err)
	}
	return nil
}

func u64(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

// Dir is the data folder.
func (s *Store) Dir() string { return s.dir }

// Epoch is the current epoch.
func (s *Store) Epoch() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.epoch
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Backup writes a consistent copy of hub.db to w while the hub runs. sized,
// if not nil, is told the copy's length before any of it is written (so a
// server can announce it, and a cut-off copy is noticed).
func (s *Store) Backup(w io.Writer, sized func(int64)) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bbolt.Tx) error {
		if sized != nil {
			sized(tx.Size())
		}
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// AddToken stores a token.
func (s *Store) AddToken(t hubstore.Token) error {
	raw, _ := json.Marshal(t)
	return s.update(func(tx *bbolt.Tx) error {
		if tx.Bucket(bCommunities).Get([]byte(t.Community)) == nil {
			return fmt.Errorf("add token: %w: %s", hubstore.ErrNoCommunity, t.Community)
		}
		return tx.Bucket(bTokens).Put([]byte(t.Hash), raw)
	})
}

// TokenByHash finds a token by its hash.
func (s *Store) TokenByHash(hash string) (hubstore.Token, error) {
	var t hubstore.Token
	err := s.db.View(func(tx *bbolt.Tx) error {
		raw := tx.Bucket(bTokens).Get([]byte(hash))
		if raw == nil {
			return hubstore.ErrNoToken
		}
		return json.Unmarshal(raw, &t)
	})
	return t, err
}

// RevokeToken revokes a token by id or hash.
func (s *Store) RevokeToken(ref string, at time.Time) (hubstore.Token, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	var t hubstore.Token
	err := s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bTokens)
		var key []byte
		_ = b.ForEach(func(k, v []byte) error {
			var tk hubstore.Token
			if json.Unmarshal(v, &tk) == nil && ref != "" && (tk.ID == ref || tk.Hash == ref) {
				key, t = append([]byte(nil), k...), tk
			}
			return nil
		})
		if key == nil {
			return fmt.Errorf("revoke %s: %w", ref, hubstore.ErrNoToken)
		}
		if t.Revoked.IsZero() {
			t.Revoked = at.UTC()
		}
		raw, _ := json.Marshal(t)
		return b.Put(key, raw)
	})
	return t, err
}

// Tokens lists every token, oldest first.
func (s *Store) Tokens() ([]hubstore.Token, error) {
	var out []hubstore.Token
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bTokens).ForEach(func(_, v []byte) error {
			var t hubstore.Token
			if err := json.Unmarshal(v, &t); err != nil {
				return err
			}
			out = append(out, t)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out, err
}

// AddCommunity registers a community (idempotent).
func (s *Store) AddCommunity(name string, now time.Time) (hubstore.Community, error) {
	if c, err := s.Community(name); err == nil {
		return c, nil
	}
	c := hubstore.Community{Name: name, Created: now.UTC(), Device: casebook.NewID(now)}
	err := s.update(func(tx *bbolt.Tx) error {
		cb := tx.Bucket(bCommunities)
		if raw := cb.Get([]byte(name)); raw != nil {
			return json.Unmarshal(raw, &c)
		}
		raw, _ := json.Marshal(c)
		if err := cb.Put([]byte(name), raw); err != nil {
			return err
		}
		root, err := tx.Bucket(bC).CreateBucketIfNotExists([]byte(name))
		if err != nil {
			return err
		}
		for _, b := range [][]byte{bLog, bIDs, bCases, bSums, bView} {
			if _, err := root.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	return c, err
}

// hubstore.Community returns a registered community.
func (s *Store) Community(name string) (hubstore.Community, error) {
	var c hubstore.Community
	err := s.db.View(func(tx *bbolt.Tx) error {
		raw := tx.Bucket(bCommunities).Get([]byte(name))
		if raw == nil {
			return fmt.Errorf("community %q: %w", name, hubstore.ErrNoCommunity)
		}
		return json.Unmarshal(raw, &c)
	})
	return c, err
}

// Communities lists the registered communities by name.
func (s *Store) Communities() ([]hubstore.Community, error) {
	var out []hubstore.Community
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bCommunities).ForEach(func(_, v []byte) error {
			var c hubstore.Community
			if err := json.Unmarshal(v, &c); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
	})
	return out, err
}

func communityBucket(tx *bbolt.Tx, name string) (*bbolt.Bucket, error) {
	b := tx.Bucket(bC).Bucket([]byte(name))
	if b == nil {
		return nil, fmt.Errorf("community %q: %w", name, hubstore.ErrNoCommunity)
	}
	return b, nil
}

func headOf(log *bbolt.Bucket) (uint64, string) {
	k, v := log.Cursor().Last()
	if k == nil {
		return 0, ""
	}
	id, _ := hubstore.OpID(v)
	return binary.BigEndian.Uint64(k), id
}

// Append adds operations to a community's log; see hubstore.Store.
func (s *Store) Append(community string, ops []hubstore.Incoming) (hubstore.AppendResult, error) {
	var res hubstore.AppendResult
	err := s.update(func(tx *bbolt.Tx) error {
		root, err := communityBucket(tx, community)
		if err != nil {
			return err
		}
		log, ids, owners := root.Bucket(bLog), root.Bucket(bIDs), tx.Bucket(bOwners)
		log.FillPercent = 1   // sequences: appended in order
		ids.FillPercent = 0.9 // op ids (ULIDs): mostly in the order they were made
		name := []byte(community)
		seen := make(map[string]bool, len(ops))
		claims := map[string]bool{} // records this batch claims
		var newIDs []idSeq
		for i, in := range ops {
			op := in.Op
			// Scope first, for duplicates too: an op already in this log
			// cannot be on another community's record, but checking costs
			// little and keeps the rule simple.
			for _, e := range in.Records {
				if e == "" || claims[e] {
					continue
				}
				owner := owners.Get([]byte(e))
				switch {
				case owner == nil:
					claims[e] = true
				case !bytes.Equal(owner, name):
					return &hubstore.ScopeError{Index: i, Op: op.ID, Entity: e, Origin: op.Origin}
				}
			}
			if seen[op.ID] || ids.Get([]byte(op.ID)) != nil {
				res.Duplicates++
				continue
			}
			seen[op.ID] = true
			seq, err := log.NextSequence()
			if err != nil {
				return err
			}
			if err := log.Put(u64(seq), in.Raw); err != nil {
				return err
			}
			newIDs = append(newIDs, idSeq{op.ID, seq})
			res.Accepted++
		}
		// The index puts in key order: bbolt inserts into a page by
		// shifting what follows, so a batch in random order costs time
		// quadratic in the size of the pages, in order almost nothing.
		slices.SortFunc(newIDs, func(a, b idSeq) int { return strings.Compare(a.id, b.id) })
		for _, n := range newIDs {
			if err := ids.Put([]byte(n.id), u64(n.seq)); err != nil {
				return err
			}
		}
		for _, e := range slices.Sorted(maps.Keys(claims)) {
			if err := owners.Put([]byte(e), name); err != nil {
				return err
			}
		}
		res.Head, res.HeadID = headOf(log)
		return nil
	})
	if err != nil {
		return hubstore.AppendResult{}, err
	}
	return res, nil
}

// idSeq is a new op's id and its sequence in the log.
type idSeq struct {
	id  string
	seq uint64
}

// Since returns operations of a community's log after seq.
func (s *Store) Since(community string, seq uint64, limit, maxBytes int) ([]json.RawMessage, uint64, uint64, error) {
	var out []json.RawMessage
	last, head := seq, uint64(0)
	err := s.db.View(func(tx *bbolt.Tx) error {
		root, err := communityBucket(tx, community)
		if err != nil {
			return err
		}
		log := root.Bucket(bLog)
		head, _ = headOf(log)
		size := 0
		c := log.Cursor()
		for k, v := c.Seek(u64(seq + 1)); k != nil && len(out) < limit && (size < maxBytes || len(out) == 0); k, v = c.Next() {
			out = append(out, append(json.RawMessage(nil), v...))
			size += len(v)
			last = binary.BigEndian.Uint64(k)
		}
		return nil
	})
	return out, last, head, err
}

// OpAt returns the id of the op at seq.
func (s *Store) OpAt(community string, seq uint64) (string, error) {
	var id string
	err := s.db.View(func(tx *bbolt.Tx) error {
		root, err := communityBucket(tx, community)
		if err != nil {
			return err
		}
		if raw := root.Bucket(bLog).Get(u64(seq)); raw != nil {
			id, _ = hubstore.OpID(raw)
		}
		return nil
	})
	return id, err
}

// Head returns a community's last sequence.
func (s *Store) Head(community string) (uint64, error) {
	var head uint64
	err := s.db.View(func(tx *bbolt.Tx) error {
		root, err := communityBucket(tx, community)
		if err != nil {
			return err
		}
		head, _ = headOf(root.Bucket(bLog))
		return nil
	})
	return head, err
}
