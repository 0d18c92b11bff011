package hubpg

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Why a store call runs again. Every call of the store can: each one is
// idempotent (an operation appended twice is kept once, by its id; a claim,
// a token, a community, a revocation or a stretch of views written twice is
// written once), so running one again after an answer was lost is safe.
//
//   - A conflict: PostgreSQL gave up on the transaction to let another go
//     on (serialization failure 40001, deadlock 40P01). PostgreSQL raises
//     these rarely (the store takes its row locks in one order); a
//     distributed SQL engine raises them as a matter of course. At most
//     maxConflicts attempts.
//   - The primary is away: the connection broke, the server is shutting
//     down or starting up, or the server reached cannot take writes (a
//     standby not yet promoted). This is a failover: with a multi-host
//     connection string and target_session_attrs=read-write, a new
//     connection finds whichever server is the primary now. Tried again
//     until the store's failover wait (WithFailoverWait) has passed.
type failure int

const (
	final       failure = iota // not a failure a new attempt can cure (or none)
	conflict                   // 40001, 40P01
	unavailable                // the primary is away: a failover, a restart
)

// maxConflicts bounds the attempts of a transaction PostgreSQL keeps
// refusing as a conflict.
const maxConflicts = 8

// DefaultFailoverWait is how long a store call waits for a primary by
// default: pg_auto_failover's default failover takes about 20-30 s; a
// standby promoted at once by hand, a second or two.
const DefaultFailoverWait = 45 * time.Second

// classify says whether err is a failure a new attempt can cure.
func classify(err error) failure {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return final
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "40001" || pe.Code == "40P01":
			return conflict
		case strings.HasPrefix(pe.Code, "08"), // connection exception
			pe.Code == "57P01", // admin_shutdown: the server is stopping
			pe.Code == "57P02", // crash_shutdown
			pe.Code == "57P03", // cannot_connect_now: starting up, in recovery
			pe.Code == "25006": // read_only_sql_transaction: a standby, or a primary being demoted
			return unavailable
		}
		return final
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), // no server takes writes (yet): every host refused or is a standby
		pgconn.SafeToRetry(err),
		errors.As(err, &ne),
		errors.Is(err, pgconn.ErrConnClosed),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return unavailable
	}
	return final
}

// retry runs call until it succeeds, fails for good, or its failures have
// used up their bound (see failure). what names the call in the log.
func (s *Store) retry(ctx context.Context, what string, call func() error) error {
	start := time.Now()
	conflicts := 0
	pause := 20 * time.Millisecond
	for {
		err := call()
		switch classify(err) {
		case final:
			return err
		case conflict:
			if conflicts++; conflicts >= maxConflicts {
				return err
			}
		case unavailable:
			if time.Since(start) >= s.failoverWait {
				return err
			}
			if pause >= 640*time.Millisecond {
				s.log.Warn("database unavailable; trying again", "call", what, "waited_ms", time.Since(start).Milliseconds(), "err", err)
			}
		}
		// Jittered, doubling pauses (20 ms to 1 s): hubs that failed
		// together do not all come back at the same instant.
		d := pause/2 + rand.N(pause/2+1)
		pause = min(2*pause, time.Second)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}
