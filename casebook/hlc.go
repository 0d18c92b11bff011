package casebook

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// HLC is a hybrid logical clock timestamp: wall-clock milliseconds plus a
// logical counter. It orders operations across devices consistently with
// causality (an operation made after seeing another has a larger HLC) while
// staying close to real time, so last-writer-wins is what people expect.
type HLC struct {
	Wall    int64  `json:"w"` // Unix milliseconds
	Logical uint32 `json:"l"`
}

// Compare orders timestamps: -1, 0 or +1.
func (h HLC) Compare(o HLC) int {
	switch {
	case h.Wall < o.Wall:
		return -1
	case h.Wall > o.Wall:
		return 1
	case h.Logical < o.Logical:
		return -1
	case h.Logical > o.Logical:
		return 1
	}
	return 0
}

// IsZero reports whether h was never set.
func (h HLC) IsZero() bool { return h.Wall == 0 && h.Logical == 0 }

// Time is the wall-clock part.
func (h HLC) Time() time.Time { return time.UnixMilli(h.Wall).UTC() }

// String is fixed-width so that string order equals HLC order (used in keys).
func (h HLC) String() string { return fmt.Sprintf("%015d.%010d", h.Wall, h.Logical) }

// ParseHLC reads the String form.
func ParseHLC(s string) (HLC, error) {
	w, l, ok := strings.Cut(s, ".")
	if !ok {
		return HLC{}, fmt.Errorf("parse hlc %q: %w: want WALL.LOGICAL", s, ErrInvalid)
	}
	wall, err := strconv.ParseInt(w, 10, 64)
	if err != nil || wall < 0 {
		return HLC{}, fmt.Errorf("parse hlc %q: %w: bad wall time", s, ErrInvalid)
	}
	logical, err := strconv.ParseUint(l, 10, 32)
	if err != nil {
		return HLC{}, fmt.Errorf("parse hlc %q: %w: bad counter", s, ErrInvalid)
	}
	return HLC{Wall: wall, Logical: uint32(logical)}, nil
}

// DefaultMaxSkew bounds how far ahead of the local clock a remote timestamp
// may be. Without a bound, one device with its clock set a day ahead would win
// every last-writer-wins merge for a day.
const DefaultMaxSkew = 5 * time.Minute

// Clock issues HLC timestamps. It is safe for concurrent use.
type Clock struct {
	mu      sync.Mutex
	last    HLC
	now     func() time.Time
	maxSkew time.Duration
}

// NewClock returns a clock reading physical time from now (time.Now when nil).
func NewClock(now func() time.Time) *Clock {
	if now == nil {
		now = time.Now
	}
	return &Clock{now: now, maxSkew: DefaultMaxSkew}
}

// SetMaxSkew changes the bound used by Observe.
func (c *Clock) SetMaxSkew(d time.Duration) {
	c.mu.Lock()
	c.maxSkew = d
	c.mu.Unlock()
}

// Now returns a timestamp larger than any issued or observed before.
func (c *Clock) Now() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	pt := c.now().UnixMilli()
	if pt > c.last.Wall {
		c.last = HLC{Wall: pt}
	} else {
		c.last.Logical++
	}
	return c.last
}

// Observe merges a timestamp seen on an operation from elsewhere, so that the
// next local timestamp is larger. A timestamp more than the skew bound ahead
// of local physical time is refused with ErrClockSkew and not merged.
func (c *Clock) Observe(remote HLC) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	pt := c.now().UnixMilli()
	if remote.Wall-pt > c.maxSkew.Milliseconds() {
		return fmt.Errorf("observe hlc: %w: remote is %s ahead (bound %s)", ErrClockSkew,
			time.Duration(remote.Wall-pt)*time.Millisecond, c.maxSkew)
	}
	if remote.Compare(c.last) > 0 {
		c.last = remote
	}
	return nil
}

// Last returns the largest timestamp issued or observed.
func (c *Clock) Last() HLC {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}
