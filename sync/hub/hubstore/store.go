// Package hubstore is the district hub's storage contract: the Store
// interface the hub's server (sync/hub) works against, the records it keeps
// (tokens, communities, each community's operation log), and what its two
// back-ends share: the replay of a community's log into case views
// (ViewBuilder) and the compact summary the roll-up reads. The back-ends
// are hubbolt (bbolt, one file under the data folder; the default) and
// hubpg (PostgreSQL, for a city-wide hub); sync/hub/contract_test.go holds
// both to one set of behaviours.
package hubstore

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"casebook/casebook"
)

// Errors of the hub's store.
var (
	ErrNoToken     = errors.New("no such token")
	ErrNoCommunity = errors.New("no such community")
	ErrLocked      = errors.New("hub data is in use by another process (a running hub?)")
	ErrNotHub      = errors.New("not a casebook hub data folder")
	// ErrNoBackup: the store cannot be copied by the hub (PostgreSQL:
	// pg_dump does it).
	ErrNoBackup = errors.New("this hub's store cannot be backed up")
	// ErrBusy: another hub process is bringing the community's views up to
	// date (Materialize on a store several hubs share); they will be.
	ErrBusy = errors.New("another hub process is bringing these views up to date")
)

// The hub's data, in either back-end, is marked with Format and a layout
// version; a back-end refuses data of a version it does not know. Version
// is hubbolt's; hubpg has its own (hubpg.Version), since its tables change
// apart from the file's buckets.
const (
	Format  = "casebook-hub"
	Version = 1
)

// NewEpoch returns a random epoch id (see Store.Epoch).
func NewEpoch() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// OpID reads the id of an operation from its JSON.
func OpID(raw []byte) (string, error) {
	var h struct {
		ID string `json:"id"`
	}
	err := json.Unmarshal(raw, &h)
	return h.ID, err
}

// Token is an enrolled device's grant, stored under the SHA-256 of the
// token (the token itself is shown once, at enrollment, and never stored).
type Token struct {
	ID        string    `json:"id"`   // short public id: the first 12 hex digits of the hash
	Hash      string    `json:"hash"` // hex SHA-256 of the token
	Community string    `json:"community"`
	ReadOnly  bool      `json:"read_only"`
	Note      string    `json:"note,omitempty"`
	Created   time.Time `json:"created"`
	Revoked   time.Time `json:"revoked,omitzero"`
}

// Community is a community known to the hub. Its Name is the casebook's
// identity (casebook.Community.Name).
type Community struct {
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
	// Device is the origin id of operations the hub itself makes for the
	// community (12345 dispatches).
	Device string `json:"device"`
}

// Incoming is an operation checked by the hub, with its JSON as received.
type Incoming struct {
	Op  *casebook.Op
	Raw json.RawMessage
	// Records are the records the operation names (casebook.Op.Records):
	// each must belong to the community the operation is appended to, and
	// one no community has claimed yet is claimed for it.
	Records []string
}

// AppendResult says what Append did.
type AppendResult struct {
	Accepted   int
	Duplicates int
	Head       uint64 // the community's last sequence
	HeadID     string // the id of the op at Head
}

// ScopeError refuses a batch with an operation on a record that belongs to
// another community.
type ScopeError struct {
	Index  int    // position in the batch
	Op     string // op id
	Entity string
	Origin string
}

func (e *ScopeError) Error() string {
	return fmt.Sprintf("op %d (%s) changes record %s, which belongs to another community", e.Index+1, e.Op, e.Entity)
}

// Store is the hub's persistence. Every method is safe for concurrent use.
type Store interface {
	// Epoch identifies this incarnation of the hub's data: a new one is made
	// when the data is found restored from an older copy, so that devices
	// push again what the hub lost rather than trust their cursors.
	Epoch() string

	AddToken(t Token) error
	// TokenByHash finds a token by its hash (ErrNoToken).
	TokenByHash(hash string) (Token, error)
	// RevokeToken revokes a token by its id or hash (ErrNoToken).
	RevokeToken(ref string, at time.Time) (Token, error)
	Tokens() ([]Token, error)

	// AddCommunity registers a community; registering it again returns it.
	AddCommunity(name string, now time.Time) (Community, error)
	Community(name string) (Community, error) // ErrNoCommunity
	Communities() ([]Community, error)

	// Append adds operations to a community's log in one transaction:
	// operations already there (by id) are skipped; the first operation to
	// name a record (case, dispute; Incoming.Records) claims it for the
	// community, and an operation naming a record another community claimed
	// fails the whole batch with a *ScopeError.
	Append(community string, ops []Incoming) (AppendResult, error)
	// Since returns up to limit operations (and at most about maxBytes) of
	// a community's log after seq, the sequence of the last, and the head.
	Since(community string, seq uint64, limit, maxBytes int) (ops []json.RawMessage, last, head uint64, err error)
	// OpAt returns the id of the operation at seq ("" if none).
	OpAt(community string, seq uint64) (string, error)
	// Head returns the community's last sequence.
	Head(community string) (uint64, error)

	// Materialize brings the community's views (cases, summaries,
	// settings) up to date with up to max more operations of its log, and
	// reports whether they are now up to date. A Shared store returns
	// ErrBusy at once while another process does it.
	Materialize(community string, max int) (done bool, err error)
	// Views returns the community's settings and case summaries as of the
	// last Materialize. The summaries are new and the caller's.
	Views(community string) (casebook.Settings, []*casebook.Summary, error)

	Close() error
}

// Shared is a Store several hub processes serve from at once (hubpg). Any
// of them may bring a community's views up to date, and exactly one does a
// given stretch: Materialize answers ErrBusy to the others. The hubs ask
// the store, not their own memory, which communities are due, so that a
// hub that took a push and stopped leaves no community behind.
type Shared interface {
	Store
	// Pending lists up to limit communities whose views are behind their
	// log and whose log has taken no operation for at least quiet, the
	// longest waiting first.
	Pending(quiet time.Duration, limit int) ([]string, error)
}
