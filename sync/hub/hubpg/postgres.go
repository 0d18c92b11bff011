// Package hubpg keeps the district hub's data in PostgreSQL (pgx), for a
// hub that outgrows one file: a city's hub, served by several hub
// processes on one database that has a standby to fail over to. See
// hubstore for the contract it meets (hubstore.Shared: several processes at
// once).
//
// Rules the store keeps, so that it runs on several hubs, through a
// failover, and on a distributed SQL engine should a city need one:
//
//   - No state between calls but a cache of the epoch (refreshed every
//     few seconds): tokens, revocations, communities, logs and views are
//     read from the database at each call, so every hub sees what any hub
//     or admin command wrote.
//   - Transaction-scoped locks only (row locks; one transaction-scoped
//     advisory lock while making the tables), never a session's: a
//     connection that breaks, or a pooler that hands it to another hub,
//     leaves nothing held.
//   - Every call runs again, within a bound, after a serialization failure
//     or deadlock (40001, 40P01) or a lost primary (retry.go); every call
//     is idempotent, so running one again is safe.
//   - Every table that grows with the cases is keyed by community first
//     (the distribution column a sharded PostgreSQL such as Citus wants),
//     and there are no foreign keys: what a key of another table would
//     check is checked in the same transaction by the row lock the call
//     takes anyway.
package hubpg

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"casebook/sync/hub/hubstore"
)

// The PostgreSQL schema (in the connection's search_path, or in
// WithSchema). Every key column is COLLATE "C" so that orders
// are byte orders, as in the bbolt store, whatever the database's locale.
//
//	hub_meta         key → value: format "casebook-hub", version (Version),
//	                 epoch, created
//	hub_tokens       one row per token, keyed by the hash a request brings
//	hub_communities  one row per community; head is the last sequence of its
//	                 log, appended the time of the last append that added
//	                 operations. The row is locked (FOR UPDATE) by every
//	                 Append, which makes one community's sequences gap-free
//	                 under concurrent pushes from any hub while other
//	                 communities go on in parallel
//	hub_ops          (community, seq) → op JSON as received (bytea, so it is
//	                 given back byte for byte); op id unique per community
//	hub_owners       record id → the community that claimed it (the one
//	                 table keyed by something else: a record belongs to one
//	                 community in the whole city, so the check is global)
//	hub_views        per community: the log sequence the views are at, and the
//	                 settings view. Materialize locks the row with SKIP
//	                 LOCKED: one hub replays a stretch, the others pass
//	hub_case_views   (community, case id) → case JSON
//	hub_case_sums    (community, case id) → compact summary: all the roll-up
//	                 reads, in narrow rows of their own
//
// Epoch. The epoch is a row of hub_meta and stays as long as the database
// does; a standby promoted in a failover has it too. The bbolt store's
// detection of a restored copy (its hub.epoch sidecar) has no counterpart
// here: restoring a database is the DBA's business, with pg_dump/pg_restore
// or point-in-time recovery. A hub restored to an older state should get a
// new epoch so that devices push again what it lost: delete the epoch row
// (DELETE FROM hub_meta WHERE key = 'epoch'); the next hub to look makes a
// new one, and every hub announces it within epochTTL. Without that, the
// devices' anchors (wire.Anchor) still catch most restores.
const pgSchema = `
CREATE TABLE IF NOT EXISTS hub_meta (
	key   text COLLATE "C" PRIMARY KEY,
	value text NOT NULL
);
CREATE TABLE IF NOT EXISTS hub_communities (
	name     text COLLATE "C" PRIMARY KEY,
	created  timestamptz NOT NULL,
	device   text NOT NULL,
	head     bigint NOT NULL DEFAULT 0,
	appended timestamptz
);
CREATE TABLE IF NOT EXISTS hub_tokens (
	hash      text COLLATE "C" PRIMARY KEY,
	id        text COLLATE "C" NOT NULL,
	community text COLLATE "C" NOT NULL,
	read_only boolean NOT NULL,
	note      text NOT NULL,
	created   timestamptz NOT NULL,
	revoked   timestamptz
);
CREATE INDEX IF NOT EXISTS hub_tokens_id ON hub_tokens(id);
CREATE TABLE IF NOT EXISTS hub_ops (
	community text COLLATE "C" NOT NULL,
	seq       bigint NOT NULL,
	id        text COLLATE "C" NOT NULL,
	raw       bytea NOT NULL,
	PRIMARY KEY (community, seq),
	UNIQUE (community, id)
);
CREATE TABLE IF NOT EXISTS hub_owners (
	entity    text COLLATE "C" PRIMARY KEY,
	community text COLLATE "C" NOT NULL
);
CREATE TABLE IF NOT EXISTS hub_views (
	community text COLLATE "C" PRIMARY KEY,
	seq       bigint NOT NULL DEFAULT 0,
	settings  bytea
);
CREATE TABLE IF NOT EXISTS hub_case_views (
	community text COLLATE "C" NOT NULL,
	id        text COLLATE "C" NOT NULL,
	doc       bytea NOT NULL,
	PRIMARY KEY (community, id)
);
CREATE TABLE IF NOT EXISTS hub_case_sums (
	community text COLLATE "C" NOT NULL,
	id        text COLLATE "C" NOT NULL,
	summary   bytea NOT NULL,
	PRIMARY KEY (community, id)
);
`

// Version is the layout of the tables above. Version 1 (the hub before
// several processes shared it) had foreign keys to hub_communities, no
// hub_communities.appended, and the summaries in hub_case_views; Open
// brings it to 2 in one transaction (migrate1to2). A hub of version 1
// refuses a database of version 2 rather than write to it.
const Version = 2

// migrate1to2 brings a version 1 layout to version 2. It runs after
// pgSchema (which made hub_case_sums), in the same transaction.
const migrate1to2 = `
ALTER TABLE hub_communities ADD COLUMN IF NOT EXISTS appended timestamptz;
ALTER TABLE hub_tokens DROP CONSTRAINT IF EXISTS hub_tokens_community_fkey;
ALTER TABLE hub_ops DROP CONSTRAINT IF EXISTS hub_ops_community_fkey;
ALTER TABLE hub_owners DROP CONSTRAINT IF EXISTS hub_owners_community_fkey;
ALTER TABLE hub_views DROP CONSTRAINT IF EXISTS hub_views_community_fkey;
ALTER TABLE hub_case_views DROP CONSTRAINT IF EXISTS hub_case_views_community_fkey;
INSERT INTO hub_case_sums (community, id, summary)
	SELECT community, id, summary FROM hub_case_views WHERE summary IS NOT NULL
	ON CONFLICT (community, id) DO NOTHING;
ALTER TABLE hub_case_views DROP COLUMN summary;
`

// pgInitLock is the advisory lock key that serializes schema creation, so
// that two hubs (or a hub and an admin command) starting together on an
// empty database do not trip over each other's CREATE TABLE. It is a
// transaction-scoped lock (pg_advisory_xact_lock): it ends with the
// transaction, whatever becomes of the connection.
const pgInitLock = 0x63626b68756230 // "cbkhub0"

// epochTTL is how long a hub trusts the epoch it last read.
const epochTTL = 3 * time.Second

// Store is the hub's store in a PostgreSQL database, for a hub
// that outgrows one file (a city-wide hub, or several hub processes behind
// a load balancer: unlike bbolt, the database takes many writers, so the
// admin commands reach it directly even while hubs serve).
type Store struct {
	pool         *pgxpool.Pool
	life         context.Context // every call's context; Close cancels it
	end          context.CancelFunc
	log          *slog.Logger
	timeout      time.Duration
	failoverWait time.Duration

	epoch   atomic.Pointer[epochAt] // see "Epoch" above
	epochMu sync.Mutex              // one refresh at a time

	replayed atomic.Uint64 // operations this store replayed into views (Replayed)
}

type epochAt struct {
	value string
	at    time.Time
}

var _ hubstore.Shared = (*Store)(nil)

// DefaultTimeout bounds each store call, since hubstore.Store's methods
// take no context and a stuck database must not hang the hub. It is longer
// than DefaultFailoverWait, so that a call outlasts a failover.
const DefaultTimeout = time.Minute

// Option changes how Open connects, in the style of store.OpenBolt's
// options.
type Option func(*options)

type options struct {
	schema       string
	timeout      time.Duration
	failoverWait time.Duration
	log          *slog.Logger
}

// WithSchema puts the hub's tables in a schema, created if need be and made
// the connections' search_path. Tests use it to get a fresh hub per test in
// one database.
func WithSchema(schema string) Option { return func(o *options) { o.schema = schema } }

// WithTimeout bounds each store call (default DefaultTimeout). Zero or
// negative means the default.
func WithTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.timeout = d
		}
	}
}

// WithFailoverWait sets how long a call keeps trying to reach a primary
// that takes writes (default DefaultFailoverWait), within its timeout.
// Zero or negative means the default.
func WithFailoverWait(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.failoverWait = d
		}
	}
}

// WithLogger sets where the store logs a new epoch, a wait for the
// database, the views it brings up to date and ops that do not replay
// (default: nowhere).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l != nil {
			o.log = l
		}
	}
}

// Backup refuses: the hub cannot copy a PostgreSQL database; pg_dump does.
func (s *Store) Backup(io.Writer, func(int64)) (int64, error) {
	return 0, fmt.Errorf("%w: the hub's data is in PostgreSQL; back it up with pg_dump", hubstore.ErrNoBackup)
}

// IsURL reports whether a --store value names a PostgreSQL
// database rather than a data folder.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database at connString (a postgres:// URL
// or a libpq key=value string) and creates the hub's tables if they are
// not there, or brings an older layout up to Version. The connection
// string also takes pgxpool's settings, such as pool_max_conns (default:
// the larger of 4 and the number of CPUs), and libpq's multi-host form for
// a primary with standbys:
//
//	postgres://hub@db1:5432,db2:5432/casebook?target_session_attrs=read-write&connect_timeout=5
//
// Open itself does not wait for a failover: a hub that cannot reach a
// primary at start says so and stops.
func Open(connString string, opts ...Option) (*Store, error) {
	const what = "open hub database"
	o := options{timeout: DefaultTimeout, failoverWait: DefaultFailoverWait, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, opt := range opts {
		opt(&o)
	}
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		// pgx's parse errors can quote the string, password and all.
		return nil, fmt.Errorf("%s: the connection string does not parse", what)
	}
	if o.schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = o.schema
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	s := &Store{pool: pool, log: o.log, timeout: o.timeout, failoverWait: o.failoverWait}
	s.life, s.end = context.WithCancel(context.Background())
	if err := s.init(ctx, o.schema); err != nil {
		s.end()
		pool.Close()
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return s, nil
}

func (s *Store) init(ctx context.Context, schema string) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(pgInitLock)); err != nil {
			return err
		}
		if schema != "" {
			if _, err := tx.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{schema}.Sanitize()); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, pgSchema); err != nil {
			return err
		}
		meta := map[string]string{}
		rows, _ := tx.Query(ctx, `SELECT key, value FROM hub_meta`)
		var k, v string
		if _, err := pgx.ForEachRow(rows, []any{&k, &v}, func() error { meta[k] = v; return nil }); err != nil {
			return err
		}
		if err := s.checkLayout(ctx, tx, meta); err != nil {
			return err
		}
		if meta["epoch"] == "" {
			meta["epoch"] = hubstore.NewEpoch()
			if meta["created"] != "" {
				s.log.Warn("hub database has no epoch (restored?): new epoch; devices will push again what the hub lost", "epoch", meta["epoch"])
			}
		}
		if meta["created"] == "" {
			meta["created"] = time.Now().UTC().Format(time.RFC3339)
		}
		for _, key := range []string{"format", "version", "created", "epoch"} {
			if _, err := tx.Exec(ctx, `INSERT INTO hub_meta (key, value) VALUES ($1, $2)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, meta[key]); err != nil {
				return err
			}
		}
		s.epoch.Store(&epochAt{meta["epoch"], time.Now()})
		return nil
	})
}

// checkLayout refuses a database that is not a hub's or is of a newer
// layout, and brings an older layout up to Version (meta is updated; the
// caller writes it).
func (s *Store) checkLayout(ctx context.Context, tx pgx.Tx, meta map[string]string) error {
	if len(meta) == 0 { // a new hub
		meta["format"], meta["version"] = hubstore.Format, strconv.Itoa(Version)
		return nil
	}
	if meta["format"] != hubstore.Format {
		return hubstore.ErrNotHub
	}
	switch meta["version"] {
	case strconv.Itoa(Version):
		return nil
	case "1":
		if _, err := tx.Exec(ctx, migrate1to2); err != nil {
			return fmt.Errorf("bring hub tables from version 1 to %d: %w", Version, err)
		}
		s.log.Info("hub tables brought to the new layout", "from", 1, "to", Version)
		meta["version"] = strconv.Itoa(Version)
		return nil
	}
	return fmt.Errorf("hub data version %s, this program knows %d", meta["version"], Version)
}

// ctx bounds one store call: its timeout, or Close.
func (s *Store) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(s.life, s.timeout)
}

// Epoch is the hub's epoch, as last read from the database (at most
// epochTTL ago): several hubs on one database announce one epoch, and a
// new one (see "Epoch" above) reaches all of them.
func (s *Store) Epoch() string {
	e := s.epoch.Load()
	if time.Since(e.at) < epochTTL || !s.epochMu.TryLock() {
		return e.value
	}
	defer s.epochMu.Unlock()
	ctx, cancel := context.WithTimeout(s.life, 2*time.Second)
	defer cancel()
	v, err := s.readEpoch(ctx)
	if err != nil { // keep the one we know; look again later
		s.epoch.Store(&epochAt{e.value, time.Now()})
		return e.value
	}
	if v != e.value {
		s.log.Warn("hub epoch changed: devices will push again what the hub lost", "epoch", v, "was", e.value)
	}
	s.epoch.Store(&epochAt{v, time.Now()})
	return v
}

// readEpoch reads the epoch row, making a new one if it was deleted (the
// first hub to look makes it; the others read it).
func (s *Store) readEpoch(ctx context.Context) (string, error) {
	var v string
	err := s.retry(ctx, "epoch", func() error {
		err := s.pool.QueryRow(ctx, `SELECT value FROM hub_meta WHERE key = 'epoch'`).Scan(&v)
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if _, err := s.pool.Exec(ctx, `INSERT INTO hub_meta (key, value) VALUES ('epoch', $1) ON CONFLICT (key) DO NOTHING`,
			hubstore.NewEpoch()); err != nil {
			return err
		}
		return s.pool.QueryRow(ctx, `SELECT value FROM hub_meta WHERE key = 'epoch'`).Scan(&v)
	})
	return v, err
}

// Replayed is how many operations this Store replayed into views since it
// was opened; the hubs' tests add it up to show no stretch was replayed
// twice.
func (s *Store) Replayed() uint64 { return s.replayed.Load() }

// Close ends the calls still running (one waiting out a failover among
// them) and closes the connections.
func (s *Store) Close() error {
	s.end()
	s.pool.Close()
	return nil
}
