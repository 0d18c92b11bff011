// Command casebook-district is the district hub (区级同步中心): it serves
// sync to the communities' casebooks, enrolls and revokes their devices,
// pushes 12345 work orders down to a community, and writes the
// organization department's roll-up workbook.
//
//	casebook-district serve    --data DIR [--addr 127.0.0.1:8710] [--tls-cert F --tls-key F]
//	casebook-district enroll   --data DIR --community NAME [--read-only] [--note TEXT]
//	casebook-district revoke   --data DIR TOKEN|ID
//	casebook-district tokens   --data DIR
//	casebook-district dispatch --data DIR --community NAME [--dry-run] FILE.xlsx
//	casebook-district export   --data DIR --out rollup.xlsx [--from DATE --to DATE]
//	casebook-district backup   --data DIR --out hub-copy.db [--force]
//
// Every command takes --store postgres://… in place of (or, for serve's
// admin socket, beside) --data DIR.
//
// enroll, revoke, tokens, dispatch, export and backup work whether or not the hub
// is running: with the hub stopped they open its data directly, with it
// running they go through its admin socket in the data folder.
//
// The hub's data is a bbolt file in --data DIR by default. A city-wide hub
// can keep it in PostgreSQL instead: --store postgres://USER@HOST/DB on
// serve and on every admin command. Those then connect to the database
// directly, running hub or not (PostgreSQL takes many writers; the running
// hub's background work catches up with what they write). serve --store
// makes an admin socket only when --data DIR is given too; admin commands
// given only that --data DIR (no hub.db in it) go through the socket. Give
// each hub process its own --data DIR: PostgreSQL takes several hubs, but a
// socket serves one. backup refuses with --store: back the database up with
// pg_dump. Keep passwords out of the URL (it shows in the process list):
// use PGPASSWORD or ~/.pgpass.
//
// It is pure Go (CGO_ENABLED=0 builds it). Logs are structured (log/slog,
// --log-format json|text) and never carry residents' personal data.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"casebook/casebook"
	"casebook/cmd/internal/command"
	"casebook/cmd/internal/version"
	"casebook/sync/hub"
	"casebook/sync/hub/hubbolt"
	"casebook/sync/hub/hubpg"
	"casebook/sync/rollup"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run executes the command line and returns the exit code (command.Run: 0,
// or 1 after one line "casebook-district: <command>: <what went wrong>").
func run(args []string, stdout, stderr io.Writer) int {
	return command.Run(args, stdout, stderr, rootCmd)
}

type app struct {
	stdout, stderr io.Writer
	data           string
	store          string
	logFormat      string
}

func rootCmd(stdout, stderr io.Writer) *cobra.Command {
	a := &app{stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:     "casebook-district",
		Short:   "The district hub: sync server, enrollment, 12345 dispatch and the roll-up workbook",
		Version: version.String(),
	}
	root.PersistentFlags().StringVar(&a.data, "data", "", "the hub's data folder (required unless --store; with --store, where serve makes its admin socket)")
	root.PersistentFlags().StringVar(&a.store, "store", "", "keep the hub's data in PostgreSQL: postgres://USER@HOST:PORT/DB (instead of --data)")
	root.PersistentFlags().StringVar(&a.logFormat, "log-format", "text", "log format: text or json")
	root.AddCommand(a.serveCmd(), a.enrollCmd(), a.revokeCmd(), a.tokensCmd(), a.dispatchCmd(), a.exportCmd(), a.backupCmd())
	return root
}

func (a *app) logger() *slog.Logger {
	if a.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(a.stderr, nil))
	}
	return slog.New(slog.NewTextHandler(a.stderr, nil))
}

func (a *app) needData() error {
	if a.store != "" {
		if !hubpg.IsURL(a.store) {
			return fmt.Errorf("%w: --store takes a postgres:// URL; a data folder is --data DIR", casebook.ErrInvalid)
		}
		return nil
	}
	if strings.TrimSpace(a.data) == "" {
		return fmt.Errorf("%w: --data DIR (or --store postgres://…) is required", casebook.ErrInvalid)
	}
	return nil
}

// openPostgres opens the --store database.
func (a *app) openPostgres(log *slog.Logger) (*hubpg.Store, error) {
	return hubpg.Open(a.store, hubpg.WithLogger(log))
}

// admin opens the hub's data directly, or reaches the running hub.
func (a *app) admin(quiet bool) (hub.Admin, func(), error) {
	if err := a.needData(); err != nil {
		return nil, nil, err
	}
	log := a.logger()
	if quiet {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if a.store != "" {
		pg, err := a.openPostgres(log)
		if err != nil {
			return nil, nil, err
		}
		h := hub.New(pg, hub.Options{Logger: log})
		return h, func() { h.Close(); _ = pg.Close() }, nil
	}
	if a.servesPostgres() {
		ra, err := hub.DialAdmin(a.data)
		if err != nil {
			return nil, nil, err
		}
		return ra, func() {}, nil
	}
	st, err := hubbolt.Open(a.data, hubbolt.WithTimeout(300*time.Millisecond), hubbolt.WithLogger(log))
	if errors.Is(err, hub.ErrLocked) {
		ra, derr := hub.DialAdmin(a.data)
		if derr != nil {
			return nil, nil, derr
		}
		return ra, func() {}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	h := hub.New(st, hub.Options{Logger: log})
	return h, func() { h.Close(); _ = st.Close() }, nil
}

// servesPostgres reports whether --data DIR is the admin folder of a hub
// serving from PostgreSQL (an admin socket and no hub.db): opening it as a
// bbolt hub would quietly make a new, empty hub beside the real one.
func (a *app) servesPostgres() bool {
	_, dberr := os.Stat(filepath.Join(a.data, hubbolt.DBFile))
	_, sockerr := os.Stat(filepath.Join(a.data, hub.AdminSocket))
	return errors.Is(dberr, os.ErrNotExist) && sockerr == nil
}

func (a *app) serveCmd() *cobra.Command {
	var cfg hub.ServeConfig
	c := &cobra.Command{
		Use:   "serve",
		Short: "Serve sync over HTTP(S) until interrupted",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.needData(); err != nil {
				return err
			}
			log := a.logger()
			var st hub.Store
			var err error
			if a.store != "" {
				st, err = a.openPostgres(log)
			} else {
				st, err = hubbolt.Open(a.data, hubbolt.WithLogger(log))
			}
			if err != nil {
				return err
			}
			h := hub.New(st, hub.Options{Logger: log})
			defer stopHub(h, st)
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if a.store != "" && a.data != "" {
				if err := os.MkdirAll(a.data, 0o700); err != nil {
					return err
				}
			}
			cfg.AdminDir = a.data
			return h.Serve(ctx, cfg)
		},
	}
	c.Flags().StringVar(&cfg.Addr, "addr", "127.0.0.1:8710", "address to listen on")
	c.Flags().StringVar(&cfg.CertFile, "tls-cert", "", "TLS certificate file (PEM)")
	c.Flags().StringVar(&cfg.KeyFile, "tls-key", "", "TLS key file (PEM)")
	return c
}

// stopHub stops the hub's background work, then closes its store. A store
// call waiting for a database that is away (hubpg waits out a failover)
// would hold the stop for up to a minute: after two seconds the store is
// closed under it, which ends the wait.
func stopHub(h *hub.Hub, st hub.Store) {
	done := make(chan struct{})
	go func() { h.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	_ = st.Close()
	<-done
}

func (a *app) enrollCmd() *cobra.Command {
	var community, note string
	var readOnly, asJSON bool
	c := &cobra.Command{
		Use:   "enroll",
		Short: "Make a device token for one community (printed once; the hub keeps only its hash)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if strings.TrimSpace(community) == "" {
				return fmt.Errorf("%w: --community NAME is required", casebook.ErrInvalid)
			}
			ad, done, err := a.admin(true)
			if err != nil {
				return err
			}
			defer done()
			tok, t, err := ad.Enroll(community, readOnly, note)
			if err != nil {
				return err
			}
			if asJSON {
				return json.NewEncoder(a.stdout).Encode(map[string]any{"token": tok, "id": t.ID, "community": t.Community, "read_only": t.ReadOnly})
			}
			fmt.Fprintln(a.stdout, tok)
			mode := "read-write"
			if t.ReadOnly {
				mode = "read-only"
			}
			fmt.Fprintf(a.stderr, "token %s for %s (%s); give it to the device, it is not shown again\n", t.ID, t.Community, mode)
			return nil
		},
	}
	c.Flags().StringVar(&community, "community", "", "community name (the casebook's identity)")
	c.Flags().BoolVar(&readOnly, "read-only", false, "a district reader: can pull, cannot write")
	c.Flags().StringVar(&note, "note", "", "who the token is for (no personal data)")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func (a *app) revokeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "revoke TOKEN|ID",
		Short: "End a device token; the device gets nothing more from the hub",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ad, done, err := a.admin(true)
			if err != nil {
				return err
			}
			defer done()
			t, err := ad.Revoke(args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "revoked token %s of %s\n", t.ID, t.Community)
			return nil
		},
	}
}

func (a *app) tokensCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "tokens",
		Short: "List the device tokens (ids, not the tokens)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ad, done, err := a.admin(true)
			if err != nil {
				return err
			}
			defer done()
			ts, err := ad.Tokens()
			if err != nil {
				return err
			}
			for _, t := range ts {
				state := "active"
				if !t.Revoked.IsZero() {
					state = "revoked " + t.Revoked.Format(time.RFC3339)
				}
				mode := "rw"
				if t.ReadOnly {
					mode = "ro"
				}
				fmt.Fprintf(a.stdout, "%s\t%s\t%s\t%s\t%s\n", t.ID, t.Community, mode, state, t.Note)
			}
			return nil
		},
	}
}

func (a *app) dispatchCmd() *cobra.Command {
	var community string
	var dryRun bool
	c := &cobra.Command{
		Use:   "dispatch FILE.xlsx",
		Short: "Import a 12345 work-order sheet for one community; its devices get the cases at their next sync",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(community) == "" {
				return fmt.Errorf("%w: --community NAME is required", casebook.ErrInvalid)
			}
			file, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			ad, done, err := a.admin(true)
			if err != nil {
				return err
			}
			defer done()
			rep, err := ad.Dispatch(cmd.Context(), community, file, dryRun)
			for _, p := range rep.Problems {
				fmt.Fprintln(a.stderr, p.String())
			}
			if err != nil {
				return err
			}
			verb := "dispatched"
			if dryRun {
				verb = "would dispatch"
			}
			fmt.Fprintf(a.stdout, "%s to %s: %d new, %d updated, %d unchanged (%d operations)\n", verb, community, rep.New, rep.Updated, rep.Unchanged, rep.Applied)
			return nil
		},
	}
	c.Flags().StringVar(&community, "community", "", "community name")
	c.Flags().BoolVar(&dryRun, "dry-run", false, "check and report; change nothing")
	return c
}

func parseDay(s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", s, casebook.Shanghai)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q is not a date (YYYY-MM-DD)", casebook.ErrInvalid, s)
	}
	return t, nil
}

func (a *app) exportCmd() *cobra.Command {
	var out, from, to string
	c := &cobra.Command{
		Use:   "export",
		Short: "Write the organization department's roll-up workbook",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return fmt.Errorf("%w: --out FILE.xlsx is required", casebook.ErrInvalid)
			}
			var o rollup.Options
			var err error
			if from != "" {
				if o.From, err = parseDay(from); err != nil {
					return err
				}
			}
			if to != "" {
				if o.To, err = parseDay(to); err != nil {
					return err
				}
				o.To = o.To.AddDate(0, 0, 1) // through the end of that day
			}
			ad, done, err := a.admin(true)
			if err != nil {
				return err
			}
			defer done()
			if err := writeBeside(out, func(f *os.File) error { return ad.Export(cmd.Context(), f, o) }); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "wrote %s\n", out)
			return nil
		},
	}
	c.Flags().StringVar(&out, "out", "", "workbook to write")
	c.Flags().StringVar(&from, "from", "", "first day received (YYYY-MM-DD, Beijing time); default: each community's term")
	c.Flags().StringVar(&to, "to", "", "last day received (YYYY-MM-DD)")
	return c
}

func (a *app) backupCmd() *cobra.Command {
	var out string
	var force bool
	c := &cobra.Command{
		Use:   "backup --out FILE",
		Short: "Write a consistent copy of the hub's database, while it serves or not",
		Long: `Write a consistent copy of the hub's database (hub.db) to --out, whether
the hub is running (through its admin socket) or stopped.

To restore: stop the hub, copy the backup over hub.db in the data folder
and keep hub.epoch beside it. At its next start the hub sees that its data
is older than its epoch record, takes a new epoch and logs it; each device,
at its next sync, pushes again whatever the copy lacks.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return fmt.Errorf("%w: --out FILE is required", casebook.ErrInvalid)
			}
			if a.store != "" {
				return fmt.Errorf("%w: the hub's data is in PostgreSQL; back it up with pg_dump (pg_dump -Fc -f hub.dump DBNAME)", hub.ErrNoBackup)
			}
			if _, serr := os.Stat(out); serr == nil && !force {
				return fmt.Errorf("%w: %s already exists; use --force to replace it", casebook.ErrInvalid, out)
			}
			ad, done, err := a.admin(true)
			if err != nil {
				return err
			}
			defer done()
			var n int64
			if err := writeBeside(out, func(f *os.File) (err error) { n, err = ad.Backup(cmd.Context(), f); return err }); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "wrote %s (%d bytes)\n", out, n)
			return nil
		},
	}
	c.Flags().StringVar(&out, "out", "", "file to write the copy to")
	c.Flags().BoolVar(&force, "force", false, "replace an existing --out")
	return c
}

// writeBeside writes out through a temporary file beside it, synced and
// moved into place only when write succeeded, so that a failure never
// leaves a partial file that looks complete.
func writeBeside(out string, write func(f *os.File) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = write(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}
