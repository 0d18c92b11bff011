package hubpg

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"casebook/casebook"
	"casebook/sync/hub/hubstore"
)

// The registry: tokens and communities. Every hub reads them from the
// database at each request, so an enrollment or a revocation made through
// any hub, or by an admin command, holds on every hub at once.

// AddToken stores a token for a registered community.
func (s *Store) AddToken(t hubstore.Token) error {
	ctx, cancel := s.ctx()
	defer cancel()
	var revoked *time.Time
	if !t.Revoked.IsZero() {
		revoked = &t.Revoked
	}
	err := s.retry(ctx, "add token", func() error {
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			// The community's row, shared-locked, stands for a foreign key.
			var one int
			err := tx.QueryRow(ctx, `SELECT 1 FROM hub_communities WHERE name = $1 FOR KEY SHARE`, t.Community).Scan(&one)
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("%w: %s", hubstore.ErrNoCommunity, t.Community)
			}
			if err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `INSERT INTO hub_tokens (hash, id, community, read_only, note, created, revoked)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (hash) DO UPDATE SET id = excluded.id, community = excluded.community, read_only = excluded.read_only,
					note = excluded.note, created = excluded.created, revoked = excluded.revoked`,
				t.Hash, t.ID, t.Community, t.ReadOnly, t.Note, t.Created, revoked)
			return err
		})
	})
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
	var t hubstore.Token
	err := s.retry(ctx, "token", func() (err error) {
		t, err = scanToken(s.pool.QueryRow(ctx, `SELECT `+tokenCols+` FROM hub_tokens WHERE hash = $1`, hash))
		return err
	})
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
	var t hubstore.Token
	err := s.retry(ctx, "revoke", func() (err error) {
		t, err = scanToken(s.pool.QueryRow(ctx, `UPDATE hub_tokens SET revoked = COALESCE(revoked, $2)
			WHERE hash = (SELECT hash FROM hub_tokens WHERE id = $1 OR hash = $1 ORDER BY hash DESC LIMIT 1)
			RETURNING `+tokenCols, ref, at.UTC()))
		return err
	})
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
	var out []hubstore.Token
	err := s.retry(ctx, "tokens", func() error {
		rows, err := s.pool.Query(ctx, `SELECT `+tokenCols+` FROM hub_tokens ORDER BY created, hash`)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (hubstore.Token, error) { return scanToken(r) })
		return err
	})
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
	mine := hubstore.Community{Name: name, Created: now.UTC().Truncate(time.Microsecond), Device: casebook.NewID(now)}
	var c hubstore.Community
	err := s.retry(ctx, "add community", func() error {
		c = mine
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
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
	})
	if err != nil {
		return hubstore.Community{}, fmt.Errorf("add community: %w", err)
	}
	c.Created = c.Created.UTC()
	return c, nil
}

// Community returns a registered community.
func (s *Store) Community(name string) (hubstore.Community, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var c hubstore.Community
	err := s.retry(ctx, "community", func() error {
		return s.pool.QueryRow(ctx, `SELECT name, created, device FROM hub_communities WHERE name = $1`, name).
			Scan(&c.Name, &c.Created, &c.Device)
	})
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
	var out []hubstore.Community
	err := s.retry(ctx, "communities", func() error {
		rows, err := s.pool.Query(ctx, `SELECT name, created, device FROM hub_communities ORDER BY name`)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (hubstore.Community, error) {
			var c hubstore.Community
			err := r.Scan(&c.Name, &c.Created, &c.Device)
			c.Created = c.Created.UTC()
			return c, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("communities: %w", err)
	}
	return out, nil
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
