package hubpg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/sync/hub/hubstore"
)

// The communities' views (case views, summaries, settings), replayed from
// their logs by whichever hub gets there first.

// Pending lists up to limit communities whose views are behind their log
// and whose log has taken no operation for quiet, the longest waiting
// first; see hubstore.Shared. The times are the database's, so hubs whose
// clocks differ agree on what is quiet.
func (s *Store) Pending(quiet time.Duration, limit int) ([]string, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var out []string
	err := s.retry(ctx, "pending", func() error {
		rows, err := s.pool.Query(ctx, `SELECT c.name FROM hub_communities c JOIN hub_views v ON v.community = c.name
			WHERE v.seq < c.head AND (c.appended IS NULL OR c.appended <= now() - make_interval(secs => $1))
			ORDER BY c.appended NULLS FIRST, c.name LIMIT $2`, quiet.Seconds(), limit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("pending views: %w", err)
	}
	return out, nil
}

// Materialize brings a community's views up to date with up to max more
// operations of its log; see hubstore.Store. The views row is locked with
// SKIP LOCKED: while one hub replays a stretch, another asking for the same
// community gets hubstore.ErrBusy at once rather than wait, and when it
// asks again the stretch is done; no stretch is replayed twice, and no two
// hubs write one row.
func (s *Store) Materialize(community string, max int) (bool, error) {
	if max <= 0 {
		max = 2000
	}
	ctx, cancel := s.ctx()
	defer cancel()
	var done bool
	var from, to int64
	err := s.retry(ctx, "materialize", func() error {
		done, from, to = false, 0, 0
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) (err error) {
			done, from, to, err = s.materializeTx(ctx, tx, community, max)
			return err
		})
	})
	if err != nil {
		if errors.Is(err, hubstore.ErrBusy) {
			return false, err
		}
		return false, pgWrap("materialize", err)
	}
	if to > from {
		s.replayed.Add(uint64(to - from))
		s.log.Info("views brought up to date", "community", community, "from", from, "to", to, "done", done)
	}
	return done, nil
}

// lockViews locks a community's views row (SKIP LOCKED) and reads it.
func lockViews(ctx context.Context, tx pgx.Tx, community string) (seq int64, settings []byte, err error) {
	err = tx.QueryRow(ctx, `SELECT seq, settings FROM hub_views WHERE community = $1 FOR UPDATE SKIP LOCKED`, community).Scan(&seq, &settings)
	if !errors.Is(err, pgx.ErrNoRows) {
		return seq, settings, err
	}
	// No row to lock: no such community, or another hub holds it.
	var one int
	switch err := tx.QueryRow(ctx, `SELECT 1 FROM hub_views WHERE community = $1`, community).Scan(&one); {
	case errors.Is(err, pgx.ErrNoRows):
		return 0, nil, fmt.Errorf("community %q: %w", community, hubstore.ErrNoCommunity)
	case err != nil:
		return 0, nil, err
	}
	return 0, nil, hubstore.ErrBusy
}

type logged struct {
	seq uint64
	raw []byte
}

// materializeTx replays the stretch of the log after the views' sequence,
// and reports where it started and ended.
func (s *Store) materializeTx(ctx context.Context, tx pgx.Tx, community string, max int) (done bool, from, to int64, err error) {
	// The views row first: the head is read once this transaction has the
	// row, so that it is not older than the views it builds on.
	seq, settings, err := lockViews(ctx, tx, community)
	if err != nil {
		return false, 0, 0, err
	}
	from = seq
	head, err := pgHead(ctx, tx, community)
	if err != nil {
		return false, 0, 0, err
	}
	if uint64(seq) >= head {
		return true, from, from, nil
	}
	rows, _ := tx.Query(ctx, `SELECT seq, raw FROM hub_ops WHERE community = $1 AND seq > $2 ORDER BY seq LIMIT $3`, community, seq, max)
	var batch []logged
	var n int64
	var raw []byte
	if _, err := pgx.ForEachRow(rows, []any{&n, &raw}, func() error {
		batch = append(batch, logged{uint64(n), append([]byte(nil), raw...)})
		return nil
	}); err != nil {
		return false, 0, 0, err
	}
	stored, err := loadCaseViews(ctx, tx, community, batch)
	if err != nil {
		return false, 0, 0, err
	}
	vb, err := hubstore.NewViewBuilder(community, settings, func(id string) ([]byte, error) { return stored[id], nil }, s.log)
	if err != nil {
		return false, 0, 0, err
	}
	for _, l := range batch {
		if err := vb.Apply(l.seq, l.raw); err != nil {
			return false, 0, 0, err
		}
		seq = int64(l.seq)
	}
	views, newSettings, err := vb.Finish()
	if err != nil {
		return false, 0, 0, err
	}
	if newSettings != nil {
		settings = newSettings
	}
	if err := writeViews(ctx, tx, community, views, seq, settings); err != nil {
		return false, 0, 0, err
	}
	return uint64(seq) >= head, from, seq, nil
}

// loadCaseViews loads the case views a stretch of the log touches, in one
// query rather than one round trip per case.
func loadCaseViews(ctx context.Context, tx pgx.Tx, community string, batch []logged) (map[string][]byte, error) {
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
	if len(want) == 0 {
		return stored, nil
	}
	rows, _ := tx.Query(ctx, `SELECT id, doc FROM hub_case_views WHERE community = $1 AND id = ANY($2)`, community, want)
	var id string
	var doc []byte
	_, err := pgx.ForEachRow(rows, []any{&id, &doc}, func() error {
		stored[id] = append([]byte(nil), doc...)
		return nil
	})
	return stored, err
}

// writeViews writes the case views and summaries a stretch made, and the
// views row, in one round trip.
func writeViews(ctx context.Context, tx pgx.Tx, community string, views []hubstore.CaseView, seq int64, settings []byte) error {
	var b pgx.Batch
	if len(views) > 0 {
		ids := make([]string, len(views))
		docs := make([][]byte, len(views))
		var sumIDs []string
		var sums [][]byte
		for i, v := range views {
			ids[i], docs[i] = v.ID, v.Case
			if v.Summary != nil { // a case not yet received keeps no summary
				sumIDs, sums = append(sumIDs, v.ID), append(sums, v.Summary)
			}
		}
		b.Queue(`INSERT INTO hub_case_views (community, id, doc)
			SELECT $1, v.id, v.doc FROM unnest($2::text[], $3::bytea[]) AS v(id, doc)
			ON CONFLICT (community, id) DO UPDATE SET doc = excluded.doc`, community, ids, docs)
		if len(sums) > 0 {
			b.Queue(`INSERT INTO hub_case_sums (community, id, summary)
				SELECT $1, v.id, v.summary FROM unnest($2::text[], $3::bytea[]) AS v(id, summary)
				ON CONFLICT (community, id) DO UPDATE SET summary = excluded.summary`, community, sumIDs, sums)
		}
	}
	b.Queue(`UPDATE hub_views SET seq = $2, settings = $3 WHERE community = $1`, community, seq, settings)
	return tx.SendBatch(ctx, &b).Close()
}

// Views returns a community's settings and summaries as of the last
// Materialize, in case id order.
func (s *Store) Views(community string) (casebook.Settings, []*casebook.Summary, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var set casebook.Settings
	var out []*casebook.Summary
	err := s.readTx(ctx, "views", func(tx pgx.Tx) error {
		out = nil
		var raw []byte
		err := tx.QueryRow(ctx, `SELECT settings FROM hub_views WHERE community = $1`, community).Scan(&raw)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("community %q: %w", community, hubstore.ErrNoCommunity)
		}
		if err != nil {
			return err
		}
		if set, err = hubstore.SettingsOf(community, raw); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT id, summary FROM hub_case_sums WHERE community = $1 ORDER BY id`, community)
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
