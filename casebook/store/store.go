// Package store persists a casebook: the operation log and the views derived
// from it (cases, summaries, indexes, settings, disputes), written together in one
// transaction so that a crash never leaves them out of step.
//
// Store is the persistence contract, with two implementations run through
// one shared contract test: Bolt (bbolt, the file on disk) and Memory (for
// tests and previews). Book is the service the UI and CLI use on top of any
// Store: it authors operations (HLC, origin device), numbers new cases and
// answers list and metrics queries from the in-memory summaries.
package store

import (
	"errors"
	"io"

	"casebook/casebook"
)

// Errors of opening a casebook file. The UI maps each to a translated message.
var (
	// ErrLocked: another program (usually another window of the app) has the file open.
	ErrLocked = errors.New("casebook file is in use by another program")
	// ErrNotCasebook: the file exists but is not a casebook; it was left untouched.
	ErrNotCasebook = errors.New("file is not a casebook")
	// ErrCorrupt: the file is a casebook but damaged; it was left untouched.
	ErrCorrupt = errors.New("casebook file is damaged")
	// ErrTooNew: the file was written by a newer version of the app.
	ErrTooNew = errors.New("casebook file is from a newer version")
	// ErrClosed: the store was used after Close.
	ErrClosed = errors.New("casebook is closed")
	// ErrDuplicate: the record already exists (a 12345 work-order number
	// already in the casebook).
	ErrDuplicate = errors.New("already in the casebook")
)

// Store is the persistence of one casebook replica.
type Store interface {
	// Apply stores and merges operations in one transaction, all or nothing.
	// Operations already present (by id) are skipped, so applying the same
	// batch twice changes nothing. It returns the operations newly applied.
	Apply(ops ...casebook.Op) ([]casebook.Op, error)
	// Case returns a copy of a case's full view, or casebook.ErrNotFound.
	Case(id string) (*casebook.Case, error)
	// Summaries returns a snapshot of every case summary. The slice is new;
	// the summaries are shared and must not be modified.
	Summaries() []*casebook.Summary
	// Dispute returns a copy of a dispute's full view, or an error wrapping
	// casebook.ErrNotFound (also while its create op has not arrived).
	Dispute(id string) (*casebook.Dispute, error)
	// Disputes returns a copy of every created dispute, in id order (the
	// order they were registered in).
	Disputes() ([]*casebook.Dispute, error)
	// Settings returns the current settings and their registers.
	Settings() (casebook.Settings, *casebook.SettingsDoc)
	// Device is this replica's origin id, made when the casebook was created.
	Device() string
	// LastHLC is the largest HLC in the log, to start the clock above it.
	LastHLC() casebook.HLC
	// OpsSince returns up to limit operations in local log order after
	// sequence seq, and the sequence of the last one returned.
	OpsSince(seq uint64, limit int) ([]casebook.Op, uint64, error)
	// HasOp reports whether an operation is in the log.
	HasOp(id string) bool
	// Backup writes a consistent copy of the whole casebook to w while the
	// store stays open for reads and writes.
	Backup(w io.Writer) (int64, error)
	// Close releases the file.
	Close() error

	// Index is the in-memory index of every case summary, kept up to date
	// by Apply: what lists, lookups by number or work order, numbering and
	// metrics read. It is safe for concurrent use.
	Index() *Index
	// GetLocal reads device-local state that is never replicated (sync
	// cursors, window layout). A missing key gives nil and no error.
	GetLocal(key string) ([]byte, error)
	// PutLocal writes device-local state; a nil value deletes the key.
	PutLocal(key string, val []byte) error
	// Check replays the operation log into fresh views and compares them
	// with the stored views and indexes; an error wrapping ErrCorrupt lists
	// what differs.
	Check() error
}
