// Package hubpg keeps the district hub's data in PostgreSQL (pgx), for a
// hub that outgrows one file; see hubstore for the contract it meets.
package hubpg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/sync/hub/hubstore"
)

// The PostgreSQL schema (in the connection's search_path, or in
// WithSchema). Every key column is COLLATE "C" so that orders
// are byte orders, as in the bbolt store, whatever the database's locale.
//
//	hub_meta         key → value: format "casebook-hub", version, epoch, created
//	hub_tokens       one row per token, keyed by hash
//	hub_communities  one row per community; head is the last sequence of its
//	                 log, and the row is locked (FOR UPDATE) by every Append,
//	                 which makes one community's sequences gap-free under
//	                 concurrent pushes while other communities go on in parallel
//	hub_ops          (community, seq) → op JSON as received (bytea, so it is
//	                 given back byte for byte); op id unique per community
//	hub_owners       record id → the community that claimed it
//	hub_views        per community: the log sequence the views are at, and the
//	                 settings view
//	hub_case_views   (community, case id) → case JSON and compact summary
//
// Epoch. The epoch is a row of hub_meta and stays as long as the database
// does. The bbolt store's detection of a restored copy (its hub.epoch
// sidecar) has no counterpart here: restoring a database is the DBA's
// business, with pg_dump/pg_restore or point-in-time recovery. A hub
// restored to an older state should get a new epoch so that devices push
// again what it lost: delete the epoch row before starting the hub
// (DELETE FROM hub_meta WHERE key = 'epoch') and it makes a new one. Without
// that, the devices' anchors (wire.Anchor) still catch most restores.
const pgSchema = `
CREATE TABLE IF NOT EXISTS hub_meta (
	key   text COLLATE "C" PRIMARY KEY,
	value text NOT NULL
);
CREATE TABLE IF NOT EXISTS hub_communities (
	name    text COLLATE "C" PRIMARY KEY,
	created timestamptz NOT NULL,
	device  text NOT NULL,
	head    bigint NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS hub_tokens (
	hash      text COLLATE "C" PRIMARY KEY,
	id        text COLLATE "C" NOT NULL,
	community text COLLATE "C" NOT NULL REFERENCES hub_communities(name),
	read_only boolean NOT NULL,
	note      text NOT NULL,
	created   timestamptz NOT NULL,
	revoked   timestamptz
);
CREATE INDEX IF NOT EXISTS hub_tokens_id ON hub_tokens(id);
CREATE TABLE IF NOT EXISTS hub_ops (
	community text COLLATE "C" NOT NULL REFERENCES hub_communities(name),
	seq       bigint NOT NULL,
	id        text COLLATE "C" NOT NULL,
	raw       bytea NOT NULL,
	PRIMARY KEY (community, seq),
	UNIQUE (community, id)
);
CREATE TABLE IF NOT EXISTS hub_owners (
	entity    text COLLATE "C" PRIMARY KEY,
	community text COLLATE "C" NOT NULL REFERENCES hub_communities(name)
);
CREATE TABLE IF NOT EXISTS hub_views (
	community text COLLATE "C" PRIMARY KEY REFERENCES hub_communities(name),
	seq       bigint NOT NULL DEFAULT 0,
	settings  bytea
);
CREATE TABLE IF NOT EXISTS hub_case_views (
	community text COLLATE "C" NOT NULL REFERENCES hub_communities(name),
	id        text COLLATE "C" NOT NULL,
	doc       bytea NOT NULL,
	summary   bytea,
	PRIMARY KEY (community, id)
);
`

// pgInitLock is the advisory lock key that serializes schema creation, so
// that two hubs (or a hub and an admin command) starting together on an
// empty database do not trip over each other's CREATE TABLE.
const pgInitLock = 0x63626b68756230 // "cbkhub0"

// Store is the hub's store in a PostgreSQL database, for a hub
// that outgrows one file (a city-wide hub, or several hub processes behind
// a load balancer: unlike bbolt, the database takes many writers, so the
// admin commands reach it directly even while hubs serve).
type Store struct {
	pool    *pgxpool.Pool
	log     *slog.Logger
	timeout time.Duration
	epoch   string // read at open; see "Epoch" above
}

var _ hubstore.Store = (*Store)(nil)

// DefaultTimeout bounds each store call, since hubstore.Store's methods
// take no context and a stuck database must not hang the hub.
const DefaultTimeout = time.Minute

// Option changes how Open connects, in the style of store.OpenBolt's
// options.
type Option func(*options)

type options struct {
	schema  string
	timeout time.Duration
	log     *slog.Logger
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

// WithLogger sets where the store logs a new epoch and ops that do not
// replay (default: nowhere).
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
// not there. The connection string also takes pgxpool's settings, such as
// pool_max_conns (default: the larger of 4 and the number of CPUs).
func Open(connString string, opts ...Option) (*Store, error) {
	const what = "open hub database"
	o := options{timeout: DefaultTimeout, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
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
	s := &Store{pool: pool, log: o.log, timeout: o.timeout}
	if err := s.init(ctx, o.schema); err != nil {
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
		fresh := len(meta) == 0
		if fresh {
			meta["format"] = string(hubstore.Format)
			meta["version"] = strconv.Itoa(hubstore.Version)
			meta["created"] = time.Now().UTC().Format(time.RFC3339)
		}
		if meta["format"] != string(hubstore.Format) {
			return hubstore.ErrNotHub
		}
		if meta["version"] != strconv.Itoa(hubstore.Version) {
			return fmt.Errorf("hub data version %s, this program knows %d", meta["version"], hubstore.Version)
		}
		if meta["epoch"] == "" {
			meta["epoch"] = hubstore.NewEpoch()
			if !fresh {
				s.log.Warn("hub database has no epoch (restored?): new epoch; devices will push again what the hub lost", "epoch", meta["epoch"])
			}
		}
		for _, key := range []string{"format", "version", "created", "epoch"} {
			if _, err := tx.Exec(ctx, `INSERT INTO hub_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, meta[key]); err != nil {
				return err
			}
		}
		s.epoch = meta["epoch"]
		return nil
	})
}

// ctx bounds one store call.
func (s *Store) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), s.timeout)
}

// Epoch is the hub's epoch, as of Open.
func (s *Store) Epoch() string { return s.epoch }

// Close closes the connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// AddToken stores a token.
func (s *Store) AddToken(t hubstore.Token) error {
	ctx, cancel := s.ctx()
	defer cancel()
	var revoked *time.Time
	if !t.Revoked.IsZero() {
		revoked = &t.Revoked
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO hub_tokens (hash, id, community, read_only, note, created, revoked)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (hash) DO UPDATE SET id = excluded.id, community = excluded.community, read_only = excluded.read_only,
			note = excluded.note, created = excluded.created, revoked = excluded.revoked`,
		t.Hash, t.ID, t.Community, t.ReadOnly, t.Note, t.Created, revoked)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23503" { // foreign key: no such community
		return fmt.Errorf("add token: %w: %s", hubstore.ErrNoCommunity, t.Community)
	}
	if err != nil {
		return fmt.Errorf("add token: %w", err)
	}
	return nil
}

const tokenCols = `hash, id, community, read_only, note, created, revoked`

func scanToken(row pgx.Row) (hubstore.Token, error) {
	var t hubstore.Token
	var revoked *time.Time
	if err := row.Scan(&t.Hash, &t.ID, &t.Community, &t.ReadOnly, &t.Note, &t.Created, &revoked); err != nil {
		return hubstore.Token{}, err
	}
	t.Created = t.Created.UTC()
	if revoked != nil {
		t.Revoked = revoked.UTC()
	}
	return t, nil
}

// TokenByHash finds a token by its hash.
func (s *Store) TokenByHash(hash string) (hubstore.Token, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	t, err := scanToken(s.pool.QueryRow(ctx, `SELECT `+tokenCols+` FROM hub_tokens WHERE hash = $1`, hash))
	if errors.Is(err, pgx.ErrNoRows) {
		return hubstore.Token{}, hubstore.ErrNoToken
	}
	if err != nil {
		return hubstore.Token{}, fmt.Errorf("token: %w", err)
	}
	return t, nil
}

// RevokeToken revokes a token by id or hash; revoking it again keeps the
// first revocation time.
func (s *Store) RevokeToken(ref string, at time.Time) (hubstore.Token, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if ref == "" {
		return hubstore.Token{}, fmt.Errorf("revoke %s: %w", ref, hubstore.ErrNoToken)
	}
	ctx, cancel := s.ctx()
	defer cancel()
	// Should an id match two tokens (12 hex digits of a hash: not in
	// practice), the newest is revoked, as in the bbolt store's last match.
	t, err := scanToken(s.pool.QueryRow(ctx, `UPDATE hub_tokens SET revoked = COALESCE(revoked, $2)
		WHERE hash = (SELECT hash FROM hub_tokens WHERE id = $1 OR hash = $1 ORDER BY hash DESC LIMIT 1)
		RETURNING `+tokenCols, ref, at.UTC()))
	if errors.Is(err, pgx.ErrNoRows) {
		return hubstore.Token{}, fmt.Errorf("revoke %s: %w", ref, hubstore.ErrNoToken)
	}
	if err != nil {
		return hubstore.Token{}, fmt.Errorf("revoke %s: %w", ref, err)
	}
	return t, nil
}

// Tokens lists every token, oldest first.
func (s *Store) Tokens() ([]hubstore.Token, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT `+tokenCols+` FROM hub_tokens ORDER BY created, hash`)
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (hubstore.Token, error) { return scanToken(r) })
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	return out, nil
}

// AddCommunity registers a community (idempotent).
func (s *Store) AddCommunity(name string, now time.Time) (hubstore.Community, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	// PostgreSQL keeps microseconds: the community returned the first time
	// must be the one returned ever after.
	c := hubstore.Community{Name: name, Created: now.UTC().Truncate(time.Microsecond), Device: casebook.NewID(now)}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO hub_communities (name, created, device) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`,
			c.Name, c.Created, c.Device)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return tx.QueryRow(ctx, `SELECT name, created, device FROM hub_communities WHERE name = $1`, name).
				Scan(&c.Name, &c.Created, &c.Device)
		}
		_, err = tx.Exec(ctx, `INSERT INTO hub_views (community) VALUES ($1) ON CONFLICT DO NOTHING`, name)
		return err
	})
	if err != nil {
		return hubstore.Community{}, fmt.Errorf("add community: %w", err)
	}
	c.Created = c.Created.UTC()
	return c, nil
}

// hubstore.Community returns a registered community.
func (s *Store) Community(name string) (hubstore.Community, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var c hubstore.Community
	err := s.pool.QueryRow(ctx, `SELECT name, created, device FROM hub_communities WHERE name = $1`, name).
		Scan(&c.Name, &c.Created, &c.Device)
	if errors.Is(err, pgx.ErrNoRows) {
		return hubstore.Community{}, fmt.Errorf("community %q: %w", name, hubstore.ErrNoCommunity)
	}
	if err != nil {
		return hubstore.Community{}, fmt.Errorf("community %q: %w", name, err)
	}
	c.Created = c.Created.UTC()
	return c, nil
}

// Communities lists the registered communities by name.
func (s *Store) Communities() ([]hubstore.Community, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT name, created, device FROM hub_communities ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("communities: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (hubstore.Community, error) {
		var c hubstore.Community
		err := r.Scan(&c.Name, &c.Created, &c.Device)
		c.Created = c.Created.UTC()
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("communities: %w", err)
	}
	return out, nil
}

// pgRetryable reports a transaction PostgreSQL gave up on that can simply
// run again: a deadlock (two communities' batches claiming the same new
// records in different orders) or a serialization failure.
func pgRetryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// Append adds operations to a community's log in one transaction; see
// hubstore.Store. The community's row is locked first, so concurrent appends to one
// community take turns and their sequences follow on without gaps.
func (s *Store) Append(community string, ops []hubstore.Incoming) (hubstore.AppendResult, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var res hubstore.AppendResult
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			var e error
			res, e = s.appendTx(ctx, tx, community, ops)
			return e
		})
		if !pgRetryable(err) {
			break
		}
	}
	var se *hubstore.ScopeError
	if errors.As(err, &se) || errors.Is(err, hubstore.ErrNoCommunity) {
		return hubstore.AppendResult{}, err
	}
	if err != nil {
		return hubstore.AppendResult{}, fmt.Errorf("append to %q: %w", community, err)
	}
	return res, nil
}

func (s *Store) appendTx(ctx context.Context, tx pgx.Tx, community string, ops []hubstore.Incoming) (hubstore.AppendResult, error) {
	var res hubstore.AppendResult
	// Claim the batch's records for the community where no one has, then
	// check every one: a record claimed by another community, even a
	// moment ago by a transaction this one waited on, refuses the batch.
	var entities []string
	set := map[string]bool{}
	ids := make([]string, 0, len(ops))
	for _, in := range ops {
		for _, e := range in.Records {
			if e != "" && !set[e] {
				set[e] = true
				entities = append(entities, e)
			}
		}
		ids = append(ids, in.Op.ID)
	}
	sort.Strings(entities) // one order for every transaction: fewer deadlocks
	// The statements go to the server in one round trip (a pipeline), and
	// run there one after the other as they would one at a time: the
	// community's row is locked first, and each statement (READ COMMITTED)
	// sees what was committed before it started, so the owners read after
	// the claim include those of any transaction the claim waited on.
	var b pgx.Batch
	b.Queue(`SELECT head FROM hub_communities WHERE name = $1 FOR UPDATE`, community)
	if len(entities) > 0 {
		b.Queue(`INSERT INTO hub_owners (entity, community) SELECT e, $2 FROM unnest($1::text[]) AS e
			ORDER BY e ON CONFLICT (entity) DO NOTHING`, entities, community)
		b.Queue(`SELECT entity, community FROM hub_owners WHERE entity = ANY($1)`, entities)
	}
	if len(ids) > 0 {
		b.Queue(`SELECT id FROM hub_ops WHERE community = $1 AND id = ANY($2)`, community, ids)
	}
	br := tx.SendBatch(ctx, &b)
	defer br.Close()
	var head uint64
	err := br.QueryRow().Scan(&head)
	if errors.Is(err, pgx.ErrNoRows) {
		return res, fmt.Errorf("community %q: %w", community, hubstore.ErrNoCommunity)
	}
	if err != nil {
		return res, err
	}
	owners := map[string]string{}
	if len(entities) > 0 {
		if _, err := br.Exec(); err != nil {
			return res, err
		}
		rows, _ := br.Query()
		var e, c string
		if _, err := pgx.ForEachRow(rows, []any{&e, &c}, func() error { owners[e] = c; return nil }); err != nil {
			return res, err
		}
	}
	have := map[string]bool{}
	if len(ids) > 0 {
		rows, _ := br.Query()
		var id string
		if _, err := pgx.ForEachRow(rows, []any{&id}, func() error { have[id] = true; return nil }); err != nil {
			return res, err
		}
	}
	if err := br.Close(); err != nil {
		return res, err
	}
	for i, in := range ops {
		for _, e := range in.Records {
			if e != "" && owners[e] != community {
				return res, &hubstore.ScopeError{Index: i, Op: in.Op.ID, Entity: e, Origin: in.Op.Origin}
			}
		}
	}
	var fresh [][]any
	for _, in := range ops {
		if have[in.Op.ID] {
			res.Duplicates++
			continue
		}
		have[in.Op.ID] = true
		head++
		fresh = append(fresh, []any{community, int64(head), in.Op.ID, []byte(in.Raw)})
		res.HeadID = in.Op.ID
	}
	res.Accepted = len(fresh)
	res.Head = head
	if len(fresh) > 0 {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"hub_ops"}, []string{"community", "seq", "id", "raw"}, pgx.CopyFromRows(fresh)); err != nil {
			return res, err
		}
		if _, err := tx.Exec(ctx, `UPDATE hub_communities SET head = $2 WHERE name = $1`, community, int64(head)); err != nil {
			return res, err
		}
	} else if head > 0 {
		if err := tx.QueryRow(ctx, `SELECT id FROM hub_ops WHERE community = $1 AND seq = $2`, community, int64(head)).Scan(&res.HeadID); err != nil {
			return res, err
		}
	}
	return res, nil
}

// pgHead reads a community's head (hubstore.ErrNoCommunity).
func pgHead(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, community string) (uint64, error) {
	var head int64
	err := q.QueryRow(ctx, `SELECT head FROM hub_communities WHERE name = $1`, community).Scan(&head)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("community %q: %w", community, hubstore.ErrNoCommunity)
	}
	return uint64(head), err
}

// readTx runs fn in a read-only snapshot, so that what it reads of the log
// and the head agree as they do in the bbolt store.
func (s *Store) readTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

// pgWrap names the operation, but leaves hubstore.ErrNoCommunity errors as the bbolt
// store words them.
func pgWrap(what string, err error) error {
	if err == nil || errors.Is(err, hubstore.ErrNoCommunity) {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Since returns operations of a community's log after seq.
func (s *Store) Since(community string, seq uint64, limit, maxBytes int) ([]json.RawMessage, uint64, uint64, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var out []json.RawMessage
	last, head := seq, uint64(0)
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		var err error
		if head, err = pgHead(ctx, tx, community); err != nil {
			return err
		}
		if limit <= 0 || seq >= head {
			return nil
		}
		rows, err := tx.Query(ctx, `SELECT seq, raw FROM hub_ops WHERE community = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
			community, int64(seq), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		size := 0
		for rows.Next() {
			if size >= maxBytes && len(out) > 0 {
				break
			}
			var n int64
			var raw []byte
			if err := rows.Scan(&n, &raw); err != nil {
				return err
			}
			out = append(out, raw)
			size += len(raw)
			last = uint64(n)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, seq, 0, pgWrap("since", err)
	}
	return out, last, head, nil
}

// OpAt returns the id of the op at seq.
func (s *Store) OpAt(community string, seq uint64) (string, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var id string
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		if _, err := pgHead(ctx, tx, community); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `SELECT id FROM hub_ops WHERE community = $1 AND seq = $2`, community, int64(seq)).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
	return id, pgWrap("op at", err)
}

// Head returns a community's last sequence.
func (s *Store) Head(community string) (uint64, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	head, err := pgHead(ctx, s.pool, community)
	return head, pgWrap("head", err)
}

// Materialize brings a community's views up to date with up to max more
// operations of its log; see hubstore.Store. The views row is locked, so two hub
// processes on one database never replay the same stretch twice.
func (s *Store) Materialize(community string, max int) (bool, error) {
	if max <= 0 {
		max = 2000
	}
	ctx, cancel := s.ctx()
	defer cancel()
	done := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// The views row first: the head is read once this transaction has
		// its turn, so that it is not older than the views it builds on.
		var seq int64
		var settings []byte
		err := tx.QueryRow(ctx, `SELECT seq, settings FROM hub_views WHERE community = $1 FOR UPDATE`, community).Scan(&seq, &settings)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("community %q: %w", community, hubstore.ErrNoCommunity)
		}
		if err != nil {
			return err
		}
		head, err := pgHead(ctx, tx, community)
		if err != nil {
			return err
		}
		if uint64(seq) >= head {
			done = true
			return nil
		}
		rows, _ := tx.Query(ctx, `SELECT seq, raw FROM hub_ops WHERE community = $1 AND seq > $2 ORDER BY seq LIMIT $3`, community, seq, max)
		type logged struct {
			seq uint64
			raw []byte
		}
		var batch []logged
		var n int64
		var raw []byte
		if _, err := pgx.ForEachRow(rows, []any{&n, &raw}, func() error {
			batch = append(batch, logged{uint64(n), append([]byte(nil), raw...)})
			return nil
		}); err != nil {
			return err
		}
		// Load the case views the stretch touches in one query rather than
		// one round trip per case.
		var want []string
		seen := map[string]bool{}
		for _, l := range batch {
			var h struct {
				Kind   string `json:"kind"`
				Entity string `json:"entity"`
			}
			if json.Unmarshal(l.raw, &h) == nil && strings.HasPrefix(h.Kind, "case.") && !seen[h.Entity] {
				seen[h.Entity] = true
				want = append(want, h.Entity)
			}
		}
		stored := map[string][]byte{}
		if len(want) > 0 {
			rows, _ := tx.Query(ctx, `SELECT id, doc FROM hub_case_views WHERE community = $1 AND id = ANY($2)`, community, want)
			var id string
			var doc []byte
			if _, err := pgx.ForEachRow(rows, []any{&id, &doc}, func() error {
				stored[id] = append([]byte(nil), doc...)
				return nil
			}); err != nil {
				return err
			}
		}
		vb, err := hubstore.NewViewBuilder(community, settings, func(id string) ([]byte, error) { return stored[id], nil }, s.log)
		if err != nil {
			return err
		}
		for _, l := range batch {
			if err := vb.Apply(l.seq, l.raw); err != nil {
				return err
			}
			seq = int64(l.seq)
		}
		views, newSettings, err := vb.Finish()
		if err != nil {
			return err
		}
		if len(views) > 0 {
			vids := make([]string, len(views))
			docs := make([][]byte, len(views))
			sums := make([][]byte, len(views))
			for i, v := range views {
				vids[i], docs[i], sums[i] = v.ID, v.Case, v.Summary
			}
			if _, err := tx.Exec(ctx, `INSERT INTO hub_case_views (community, id, doc, summary)
				SELECT $1, v.id, v.doc, v.summary FROM unnest($2::text[], $3::bytea[], $4::bytea[]) AS v(id, doc, summary)
				ON CONFLICT (community, id) DO UPDATE SET doc = excluded.doc,
					summary = COALESCE(excluded.summary, hub_case_views.summary)`,
				community, vids, docs, sums); err != nil {
				return err
			}
		}
		if newSettings != nil {
			settings = newSettings
		}
		if _, err := tx.Exec(ctx, `UPDATE hub_views SET seq = $2, settings = $3 WHERE community = $1`, community, seq, settings); err != nil {
			return err
		}
		done = uint64(seq) >= head
		return nil
	})
	if err != nil {
		return false, pgWrap("materialize", err)
	}
	return done, nil
}

// Views returns a community's settings and summaries as of the last
// Materialize, in case id order.
func (s *Store) Views(community string) (casebook.Settings, []*casebook.Summary, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var set casebook.Settings
	var out []*casebook.Summary
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		if _, err := pgHead(ctx, tx, community); err != nil {
			return err
		}
		var raw []byte
		if err := tx.QueryRow(ctx, `SELECT settings FROM hub_views WHERE community = $1`, community).Scan(&raw); err != nil {
			return err
		}
		var err error
		if set, err = hubstore.SettingsOf(community, raw); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT id, summary FROM hub_case_views WHERE community = $1 AND summary IS NOT NULL ORDER BY id`, community)
		var id string
		var sb []byte
		dec := store.NewSummaryDecoder()
		_, err = pgx.ForEachRow(rows, []any{&id, &sb}, func() error {
			sum := &casebook.Summary{}
			if err := dec.Decode(sb, sum); err != nil {
				return fmt.Errorf("summary view %s of %s: %w", id, community, err)
			}
			sum.SetDeadlines(&set.Policy)
			out = append(out, sum)
			return nil
		})
		return err
	})
	if err != nil {
		return casebook.Settings{}, nil, pgWrap("views", err)
	}
	return set, out, nil
}
