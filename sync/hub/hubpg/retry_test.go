package hubpg

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"casebook/sync/hub/hubstore"
)

func TestClassify(t *testing.T) {
	pg := func(code string) error { return fmt.Errorf("append: %w", &pgconn.PgError{Code: code}) }
	cases := []struct {
		err  error
		want failure
	}{
		{nil, final},
		{pg("40001"), conflict},
		{pg("40P01"), conflict},
		{pg("08006"), unavailable},
		{pg("57P01"), unavailable},
		{pg("57P02"), unavailable},
		{pg("57P03"), unavailable},
		{pg("25006"), unavailable},
		{pg("23505"), final}, // unique violation: a bug, not a failover
		{pg("42P01"), final},
		{pg("28P01"), final}, // wrong password: trying again does not help
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, unavailable},
		{fmt.Errorf("read: %w", io.ErrUnexpectedEOF), unavailable},
		{pgconn.ErrConnClosed, unavailable},
		{context.DeadlineExceeded, final},
		{context.Canceled, final},
		{hubstore.ErrNoCommunity, final},
		{&hubstore.ScopeError{}, final},
		{hubstore.ErrBusy, final},
	}
	for _, c := range cases {
		if got := classify(c.err); got != c.want {
			t.Errorf("classify(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}

// retry gives up on conflicts after maxConflicts attempts and on an absent
// primary after the failover wait, and stops at once on a final error.
func TestRetryBounds(t *testing.T) {
	s := &Store{log: slog.New(slog.NewTextHandler(io.Discard, nil)), failoverWait: 300 * time.Millisecond}
	ctx := context.Background()
	n := 0
	err := s.retry(ctx, "test", func() error { n++; return &pgconn.PgError{Code: "40001"} })
	if n != maxConflicts || err == nil {
		t.Errorf("conflicts: %d attempts, %v", n, err)
	}
	n = 0
	start := time.Now()
	err = s.retry(ctx, "test", func() error { n++; return pgconn.ErrConnClosed })
	if err == nil || time.Since(start) < 300*time.Millisecond || n < 3 {
		t.Errorf("unavailable: %d attempts in %v, %v", n, time.Since(start), err)
	}
	n = 0
	if err := s.retry(ctx, "test", func() error { n++; return hubstore.ErrNoCommunity }); n != 1 || !errors.Is(err, hubstore.ErrNoCommunity) {
		t.Errorf("final: %d attempts, %v", n, err)
	}
	n = 0
	if err := s.retry(ctx, "test", func() error {
		if n++; n < 3 {
			return &pgconn.PgError{Code: "57P01"}
		}
		return nil
	}); err != nil || n != 3 {
		t.Errorf("recovered: %d attempts, %v", n, err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	n = 0
	if err := s.retry(cctx, "test", func() error { n++; return pgconn.ErrConnClosed }); n != 1 || err == nil {
		t.Errorf("cancelled: %d attempts, %v", n, err)
	}
}
