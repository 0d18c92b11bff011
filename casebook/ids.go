package casebook

import (
	"crypto/rand"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
)

// Ids are ULIDs: made offline on any device without coordination, and they
// sort by creation time, which keeps bbolt keys in a useful order.
var (
	idMu      sync.Mutex
	idEntropy = ulid.Monotonic(rand.Reader, 0)
)

// NewID returns a new unique id for a record or an operation. An id holds
// its time as milliseconds since 1970 in 48 bits: a time outside that range
// (a typing error that validation refuses later, say) is taken as the
// nearest end, never a panic.
func NewID(t time.Time) string {
	ms := min(max(t.UnixMilli(), 0), int64(ulid.MaxTime()))
	idMu.Lock()
	defer idMu.Unlock()
	id, err := ulid.New(uint64(ms), idEntropy)
	if err != nil { // the monotonic entropy ran out within one millisecond
		id = ulid.MustNew(uint64(ms), rand.Reader)
	}
	return id.String()
}

// ParseID checks that s is an id made by NewID (case-insensitive, spaces trimmed).
func ParseID(s string) (string, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	id, err := ulid.ParseStrict(t)
	if err != nil {
		return "", fmt.Errorf("parse id %q: %w", s, invalid(CodeBadID, err.Error(), s))
	}
	return id.String(), nil
}
