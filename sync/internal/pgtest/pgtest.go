// Package pgtest gives a test a PostgreSQL schema of its own, for the
// district hub's PostgreSQL store (sync/hub/hubpg) and the commands
// and clients that run on it.
//
// The database is named by CASEBOOK_HUB_PG (a postgres:// URL or a libpq
// key=value string). Without it the tests that need PostgreSQL are skipped,
// or fail if CASEBOOK_REQUIRE_PG is set (CI). .ci/postgres.sh starts a
// throwaway server:
//
//	CASEBOOK_HUB_PG=postgres://postgres@127.0.0.1:54329/casebook_test?sslmode=disable \
//	CASEBOOK_REQUIRE_PG=1 go test ./sync/... ./cmd/casebook-district
//
// Only test code imports this package.
package pgtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	// EnvURL names the variable holding the connection string.
	EnvURL = "CASEBOOK_HUB_PG"
	// EnvRequire names the variable that makes a missing database a failure.
	EnvRequire = "CASEBOOK_REQUIRE_PG"
)

// Require skips the test (or fails it, under CASEBOOK_REQUIRE_PG) when no
// database is configured, and returns CASEBOOK_HUB_PG otherwise.
func Require(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		const msg = "PostgreSQL not tested: set " + EnvURL + " to a connection string, e.g. postgres://postgres@127.0.0.1:5432/casebook_test?sslmode=disable"
		if os.Getenv(EnvRequire) != "" {
			tb.Fatal(msg + " (" + EnvRequire + " is set)")
		}
		tb.Skip(msg)
	}
	return base
}

var prefixRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,30}$`)

// URL creates a new, uniquely named, empty schema (prefix_ and random hex)
// and returns CASEBOOK_HUB_PG with that schema as its search_path, so that
// whatever opens it (hubpg.Open without hubpg.WithSchema, the
// casebook-district --store flag) keeps its tables there. Opening the URL
// again reaches the same data. The schema is dropped, with everything in
// it, in tb.Cleanup: close what uses it in a cleanup registered after URL
// (cleanups run last registered first). prefix is a lowercase SQL
// identifier, such as "hubtest".
//
// Like Require, URL skips or fails the test when no database is configured.
func URL(tb testing.TB, prefix string) string {
	tb.Helper()
	base := Require(tb)
	if !prefixRE.MatchString(prefix) {
		tb.Fatalf("pgtest: bad schema prefix %q", prefix)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := prefix + "_" + hex.EncodeToString(b[:])
	ident := pgx.Identifier{schema}.Sanitize()
	exec := func(sql string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, sql)
		return err
	}
	if err := exec(`CREATE SCHEMA ` + ident); err != nil {
		tb.Fatalf("pgtest: create schema %s: %v", schema, err)
	}
	tb.Cleanup(func() {
		if err := exec(`DROP SCHEMA IF EXISTS ` + ident + ` CASCADE`); err != nil {
			tb.Errorf("pgtest: drop schema %s: %v", schema, err)
		}
	})
	s, err := withSearchPath(base, schema)
	if err != nil {
		tb.Fatalf("pgtest: %s: %v", EnvURL, err)
	}
	return s
}

// withSearchPath sets search_path in a connection string, URL or key=value.
func withSearchPath(base, schema string) (string, error) {
	if strings.HasPrefix(base, "postgres://") || strings.HasPrefix(base, "postgresql://") {
		u, err := url.Parse(base)
		if err != nil {
			return "", err
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	// key=value: a later setting overrides an earlier one.
	return base + " search_path=" + schema, nil
}

// WithParam adds a libpq setting (application_name, …) to a connection
// string, URL or key=value.
func WithParam(conn, key, value string) string {
	if strings.HasPrefix(conn, "postgres://") || strings.HasPrefix(conn, "postgresql://") {
		sep := "?"
		if strings.Contains(conn, "?") {
			sep = "&"
		}
		return conn + sep + url.QueryEscape(key) + "=" + url.QueryEscape(value)
	}
	return conn + " " + key + "=" + value
}

// BackendCPU is the CPU time, in seconds, the PostgreSQL server processes
// serving the connections named app (application_name) have used, read
// from /proc: benchmarks report it beside their rates so that a figure
// taken on a busy machine can be read. It is 0 for a database on another
// machine.
func BackendCPU(tb testing.TB, conn, app string) float64 {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, conn)
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close(ctx)
	rows, _ := c.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE application_name = $1`, app)
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		tb.Fatal(err)
	}
	ticks := 0
	for _, pid := range pids {
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		i := bytes.LastIndexByte(raw, ')')
		if err != nil || i < 0 {
			continue
		}
		f := strings.Fields(string(raw[i+1:]))
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.Atoi(f[11]) // fields 14 and 15 of stat: utime, stime
		st, _ := strconv.Atoi(f[12])
		ticks += ut + st
	}
	return float64(ticks) / 100 // USER_HZ
}

// ProcessCPU is the CPU time, in seconds, this process has used.
func ProcessCPU() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
