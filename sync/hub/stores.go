// Package hub is the district hub: it keeps each community's operation log,
// serves sync to the community's devices (sync/wire), enrolls and revokes
// device tokens, pushes 12345 work orders down, and keeps the case views
// from which the organization department's roll-up is computed.
//
// The hub's data sits behind hubstore.Store, with two back-ends in packages
// of their own: hubbolt (bbolt, one file under the data folder; the
// default) and hubpg (PostgreSQL, for a city-wide hub). contract_test.go
// holds both to one set of behaviours.
package hub

import "casebook/sync/hub/hubstore"

// The hub's storage contract and its two back-ends live in packages of
// their own: hubstore (the Store interface, its records and the view
// replay both back-ends share), hubbolt (bbolt, the default) and hubpg
// (PostgreSQL). The server works against hubstore.Store; these names keep
// its code and its callers' to the one import.
type (
	Store        = hubstore.Store
	Token        = hubstore.Token
	Community    = hubstore.Community
	Incoming     = hubstore.Incoming
	AppendResult = hubstore.AppendResult
	ScopeError   = hubstore.ScopeError
	Shared       = hubstore.Shared
)

// Errors of the hub's store.
var (
	ErrNoToken     = hubstore.ErrNoToken
	ErrNoCommunity = hubstore.ErrNoCommunity
	ErrLocked      = hubstore.ErrLocked
	ErrNotHub      = hubstore.ErrNotHub
	ErrNoBackup    = hubstore.ErrNoBackup
	ErrBusy        = hubstore.ErrBusy
)

func opID(raw []byte) (string, error) { return hubstore.OpID(raw) }

// AdminSocket is the running hub's admin socket in its data folder (beside
// hubbolt.DBFile and hubbolt.EpochFile): enroll, dispatch, export, backup.
const AdminSocket = "admin.sock"
