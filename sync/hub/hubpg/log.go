package hubpg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"casebook/sync/hub/hubstore"
)

// The communities' operation logs.

// Append adds operations to a community's log in one transaction; see
// hubstore.Store. The community's row is locked first, so concurrent
// appends to one community, through any hub, take turns and their
// sequences follow on without gaps. A transaction that fails because the
// primary went away runs again (retry.go); the operations it had appended
// before are then found by their ids and counted as duplicates, never
// appended twice.
//
// Most batches are new operations (a device pushes what the hub lacks), so
// the first attempt does not look for duplicates: it copies the batch in
// and lets the log's unique index on (community, id) refuse it if one is
// there, which costs one index probe per operation instead of two. A
// refused batch runs again, looking first (appendChecked).
func (s *Store) Append(community string, ops []hubstore.Incoming) (hubstore.AppendResult, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var res hubstore.AppendResult
	checked := false
	err := s.retry(ctx, "append", func() error {
		for {
			err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
				var e error
				res, e = s.appendTx(ctx, tx, community, ops, checked)
				return e
			})
			if checked || !duplicateOp(err) {
				return err
			}
			checked = true
		}
	})
	var se *hubstore.ScopeError
	if errors.As(err, &se) || errors.Is(err, hubstore.ErrNoCommunity) {
		return hubstore.AppendResult{}, err
	}
	if err != nil {
		return hubstore.AppendResult{}, fmt.Errorf("append to %q: %w", community, err)
	}
	return res, nil
}

// duplicateOp reports the log refusing a row as a duplicate: an operation
// id already there. (A duplicate sequence would be refused again by the
// checked attempt, and reported.)
func duplicateOp(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505" && pe.TableName == "hub_ops"
}

// batchRecords lists the records a batch names (sorted: one order for
// every transaction, fewer deadlocks) and its op ids.
func batchRecords(ops []hubstore.Incoming) (entities, ids []string) {
	set := map[string]bool{}
	ids = make([]string, 0, len(ops))
	for _, in := range ops {
		for _, e := range in.Records {
			if e != "" && !set[e] {
				set[e] = true
				entities = append(entities, e)
			}
		}
		ids = append(ids, in.Op.ID)
	}
	sort.Strings(entities)
	return entities, ids
}

// lockAndRead locks the community's row, claims the batch's records where
// no one has, and reads the head, the records' owners and the op ids
// already in the log. The statements go to the server in one round trip
// (a pipeline) and run there one after the other as they would one at a
// time: the community's row is locked first, and each statement (READ
// COMMITTED) sees what was committed before it started, so the owners read
// after the claim include those of any transaction the claim waited on.
// ids is nil when the batch is copied in unchecked (see Append).
func lockAndRead(ctx context.Context, tx pgx.Tx, community string, entities, ids []string) (head uint64, owners map[string]string, have map[string]bool, err error) {
	var b pgx.Batch
	b.Queue(`SELECT head FROM hub_communities WHERE name = $1 FOR NO KEY UPDATE`, community)
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
	err = br.QueryRow().Scan(&head)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil, nil, fmt.Errorf("community %q: %w", community, hubstore.ErrNoCommunity)
	}
	if err != nil {
		return 0, nil, nil, err
	}
	owners = map[string]string{}
	if len(entities) > 0 {
		if _, err := br.Exec(); err != nil {
			return 0, nil, nil, err
		}
		rows, _ := br.Query()
		var e, c string
		if _, err := pgx.ForEachRow(rows, []any{&e, &c}, func() error { owners[e] = c; return nil }); err != nil {
			return 0, nil, nil, err
		}
	}
	have = map[string]bool{}
	if len(ids) > 0 {
		rows, _ := br.Query()
		var id string
		if _, err := pgx.ForEachRow(rows, []any{&id}, func() error { have[id] = true; return nil }); err != nil {
			return 0, nil, nil, err
		}
	}
	return head, owners, have, br.Close()
}

// appendTx appends a batch; checked looks for operations already in the
// log first (see Append).
func (s *Store) appendTx(ctx context.Context, tx pgx.Tx, community string, ops []hubstore.Incoming, checked bool) (hubstore.AppendResult, error) {
	var res hubstore.AppendResult
	// Claim the batch's records for the community where no one has, then
	// check every one: a record claimed by another community, even a
	// moment ago by a transaction this one waited on, refuses the batch.
	entities, ids := batchRecords(ops)
	if !checked {
		ids = nil
	}
	head, owners, have, err := lockAndRead(ctx, tx, community, entities, ids)
	if err != nil {
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
		if _, err := tx.Exec(ctx, `UPDATE hub_communities SET head = $2, appended = now() WHERE name = $1`, community, int64(head)); err != nil {
			return res, err
		}
	} else if head > 0 {
		if err := tx.QueryRow(ctx, `SELECT id FROM hub_ops WHERE community = $1 AND seq = $2`, community, int64(head)).Scan(&res.HeadID); err != nil {
			return res, err
		}
	}
	return res, nil
}

// readTx runs fn in a read-only snapshot, so that what it reads of the log
// and the head agree as they do in the bbolt store; again after a failure
// a new attempt can cure.
func (s *Store) readTx(ctx context.Context, what string, fn func(tx pgx.Tx) error) error {
	return s.retry(ctx, what, func() error {
		return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
	})
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
	var last, head uint64
	err := s.readTx(ctx, "since", func(tx pgx.Tx) error {
		out, last, head = nil, seq, 0
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
	err := s.readTx(ctx, "op at", func(tx pgx.Tx) error {
		id = ""
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
	var head uint64
	err := s.retry(ctx, "head", func() (err error) {
		head, err = pgHead(ctx, s.pool, community)
		return err
	})
	return head, pgWrap("head", err)
}
