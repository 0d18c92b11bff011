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

// NewID returns a new unique id for a record or an operation.
func NewID(t time.Time) string {
	idMu.Lock()
	defer idMu.Unlock()
	return ulid.MustNew(ulid.Timestamp(t), idEntropy).String()
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
