package client

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"casebook/casebook/store"
	"casebook/sync/wire"
)

// Device-local keys (never replicated).
const (
	keyCursor = "sync/cursor"
	keyConfig = "sync/config"
)

// cursor is the sync state of this device with one hub epoch.
type cursor struct {
	Hub         string       `json:"hub"`
	Epoch       string       `json:"epoch"`
	Community   string       `json:"community"`
	ReadOnly    bool         `json:"read_only"`
	Push        uint64       `json:"push"` // local log sequence sent up to
	Pull        uint64       `json:"pull"` // hub sequence taken up to
	Anchor      *wire.Anchor `json:"anchor,omitempty"`
	LastSync    time.Time    `json:"last_sync,omitzero"`
	LastAttempt time.Time    `json:"last_attempt,omitzero"`
	LastError   string       `json:"last_error,omitempty"`
}

func loadCursor(s store.Store) (*cursor, error) {
	raw, err := s.GetLocal(keyCursor)
	if err != nil {
		return nil, fmt.Errorf("sync: read state: %w", err)
	}
	c := &cursor{}
	if raw != nil && json.Unmarshal(raw, c) != nil {
		c = &cursor{} // unreadable: start over (idempotent)
	}
	return c, nil
}

func (s *session) save() error {
	raw, _ := json.Marshal(s.cur)
	if err := s.st.PutLocal(keyCursor, raw); err != nil {
		return fmt.Errorf("sync: save state: %w", err)
	}
	return nil
}

// State is what the Sync page shows.
type State struct {
	Hub         string    `json:"hub"`          // the saved hub address (or the last synced with)
	HasToken    bool      `json:"has_token"`    // a token is saved
	Community   string    `json:"community"`    // as the hub said
	ReadOnly    bool      `json:"read_only"`    // the token is read-only
	Epoch       string    `json:"epoch"`        // the hub epoch of the cursors
	LastSync    time.Time `json:"last_sync"`    // last successful sync (zero: never)
	LastAttempt time.Time `json:"last_attempt"` // last try
	LastError   string    `json:"last_error"`   // of the last try ("" if it succeeded)
	Waiting     int       `json:"waiting"`      // operations in the local log not yet sent
	Conflicts   int       `json:"conflicts"`    // concurrent edits to review
}

// Status reads the sync state of a casebook: hub, last sync, operations
// waiting (in the local log after the push cursor) and conflicts to review.
func Status(b *store.Book) (State, error) {
	c, err := loadCursor(b.Store())
	if err != nil {
		return State{}, err
	}
	st := State{Hub: c.Hub, Community: c.Community, ReadOnly: c.ReadOnly, Epoch: c.Epoch,
		LastSync: c.LastSync, LastAttempt: c.LastAttempt, LastError: c.LastError, Conflicts: conflicts(b)}
	if hub, tok, err := Config(b); err == nil {
		if hub != "" {
			st.Hub = hub
		}
		st.HasToken = tok != ""
	}
	s := &session{st: b.Store()}
	seq := c.Push
	for {
		raws, last, err := s.raw(seq, 5000)
		if err != nil {
			return st, fmt.Errorf("sync status: %w", err)
		}
		st.Waiting += len(raws)
		if len(raws) == 0 {
			break
		}
		seq = last
	}
	return st, nil
}

type config struct {
	Hub   string `json:"hub"`
	Token string `json:"token"`
}

// SaveConfig stores the hub address and the device token in the casebook's
// device-local state (never synced), for SyncSaved and the Sync page. An
// empty hub clears both.
func SaveConfig(b *store.Book, hubURL, token string) error {
	if hubURL == "" {
		return b.Store().PutLocal(keyConfig, nil)
	}
	if _, err := parseHub(hubURL); err != nil {
		return err
	}
	raw, _ := json.Marshal(config{Hub: hubURL, Token: token})
	return b.Store().PutLocal(keyConfig, raw)
}

// Config returns the saved hub address and token.
func Config(b *store.Book) (hubURL, token string, err error) {
	raw, err := b.Store().GetLocal(keyConfig)
	if err != nil || raw == nil {
		return "", "", err
	}
	var c config
	if err := json.Unmarshal(raw, &c); err != nil {
		return "", "", nil
	}
	return c.Hub, c.Token, nil
}

// SyncSaved syncs with the saved hub address and token (ErrNoHub if none).
func SyncSaved(ctx context.Context, b *store.Book, opts ...Option) (Result, error) {
	hub, tok, err := Config(b)
	if err != nil {
		return Result{}, err
	}
	if hub == "" || tok == "" {
		return Result{}, ErrNoHub
	}
	return Sync(ctx, b, hub, tok, opts...)
}
