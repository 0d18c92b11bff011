package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"casebook/casebook"
	"casebook/casebook/demo"
	"casebook/casebook/store"
)

func (a *app) demoCmd() *cobra.Command {
	var community string
	var seed int64
	var cases int
	c := &cobra.Command{
		Use:   "demo --db PATH [--appeals N] [--community NAME] [--seed N]",
		Short: "Make a new casebook filled with a fictional community's appeals",
		Long: `Make a new casebook at --db filled with a realistic, entirely fictional
community: about 2,100 households in buildings 1号楼 to 30号楼, a governance
secretary's term from December to October, and about 1,200 appeals walked
round the closed loop up to now, with rates improving month by month, open
and overdue items, escalations, duplicates and the footpath dispute between
buildings 14 and 15. All names and numbers are invented.

--appeals makes a larger (or smaller) community: up to 1,000,000 appeals
over the same term, a street office's or a district's load, to try the app
at that scale. A million take a few minutes; progress is shown on stderr.

The file must not exist yet: demo never overwrites anything. The casebook
is built beside it and moved into place only when complete.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.db == "" {
				return errors.New("--db: say where to write the demo casebook")
			}
			if _, err := os.Lstat(a.db); err == nil {
				return fmt.Errorf("%s already exists; demo never overwrites a file: choose another --db", a.db)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			dir := filepath.Dir(a.db)
			if a.db == defaultDB() {
				if err := os.MkdirAll(dir, 0o700); err != nil {
					return err
				}
			}
			var rnd [6]byte
			_, _ = rand.Read(rnd[:])
			tmp := filepath.Join(dir, "."+filepath.Base(a.db)+".demo-"+hex.EncodeToString(rnd[:]))
			opts := demo.Options{Community: community, Seed: seed, Cases: cases, Now: a.now()}
			if cases >= 100_000 {
				step := cases / 10
				next := step
				opts.Progress = func(done, total int) {
					if done >= next || done == total {
						fmt.Fprintf(a.stderr, a.tr("已写入 %d / %d 件诉求\n", "%d of %d appeals written\n"), done, total)
						for next <= done {
							next += step
						}
					}
				}
			}
			st, err := a.writeDemo(tmp, opts)
			defer os.Remove(tmp)
			if err != nil {
				return err
			}
			// A hard link publishes the file only if nothing is there yet.
			if err := os.Link(tmp, a.db); err != nil {
				if errors.Is(err, fs.ErrExist) {
					return fmt.Errorf("%s appeared while the demo was being made; it was left alone", a.db)
				}
				return err
			}
			fmt.Fprintf(a.stdout, a.tr("已生成示例台账 %s：诉求 %d 件，在办 %d，超期 %d；矛盾纠纷 %d 件，未化解 %d\n",
				"demo casebook written to %s: %d appeals, %d open, %d overdue; %d disputes, %d open\n"),
				a.db, st.Cases, st.Open, st.Overdue, st.Disputes, st.OpenDisputes)
			return nil
		},
	}
	fl := c.Flags()
	fl.StringVar(&community, "community", demo.DefaultCommunity, "community name")
	fl.Int64Var(&seed, "seed", 1, "random seed: the same seed makes the same appeals")
	fl.IntVar(&cases, "appeals", demo.DefaultCases, fmt.Sprintf("number of appeals (at most %d)", demo.MaxCases))
	fl.IntVar(&cases, "cases", demo.DefaultCases, "the same as --appeals")
	_ = fl.MarkHidden("cases")
	return c
}

func (a *app) writeDemo(path string, opts demo.Options) (st demo.Stats, err error) {
	bo, err := store.OpenBolt(path)
	if err != nil {
		return st, err
	}
	b, err := store.NewBook(bo, demo.Secretary, a.now)
	if err != nil {
		_ = bo.Close()
		return st, err
	}
	defer func() {
		if cerr := b.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return demo.Generate(b, opts)
}

func (a *app) backupCmd() *cobra.Command {
	var out string
	var force bool
	c := &cobra.Command{
		Use:   "backup --db PATH --out PATH [--force]",
		Short: "Write a consistent copy of the casebook, while it stays usable",
		Long: `Write a consistent copy of the casebook to --out. The copy is itself a
casebook file. An existing --out is refused unless --force; the copy is
written beside it and moved into place only when complete.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if err := a.checkOut(out, "the backup", force); err != nil {
				return err
			}
			return a.withBook(false, "", func(f *casebookFile) error {
				if err := f.bolt.BackupFile(out); err != nil {
					return err
				}
				size := int64(0)
				if fi, err := os.Stat(out); err == nil {
					size = fi.Size()
				}
				fmt.Fprintf(a.stdout, a.tr("已备份到 %s（%d 字节）\n", "backed up to %s (%d bytes)\n"), out, size)
				return nil
			})
		},
	}
	c.Flags().StringVar(&out, "out", "", "backup file (required)")
	c.Flags().BoolVar(&force, "force", false, "replace an existing --out")
	_ = c.MarkFlagRequired("out")
	return c
}

// checkOut refuses an --out that is missing, is the casebook itself, is a
// folder, or exists without --force, before anything is written.
func (a *app) checkOut(out, what string, force bool) error {
	if out == "" {
		return fmt.Errorf("--out: say where to write %s", what)
	}
	if same(out, a.db) {
		return fmt.Errorf("--out %s is the casebook itself", out)
	}
	if fi, err := os.Stat(out); err == nil {
		if fi.IsDir() {
			return fmt.Errorf("--out %s is a folder; give a file name", out)
		}
		if !force {
			return fmt.Errorf("%s already exists; use --force to replace it", out)
		}
	}
	return nil
}

// same reports whether two paths name the same file.
func same(x, y string) bool {
	ax, err1 := filepath.Abs(x)
	ay, err2 := filepath.Abs(y)
	if err1 == nil && err2 == nil && ax == ay {
		return true
	}
	fx, err1 := os.Stat(x)
	fy, err2 := os.Stat(y)
	return err1 == nil && err2 == nil && os.SameFile(fx, fy)
}

func (a *app) checkCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "check --db PATH",
		Short: "Verify the casebook: replay its operation log and compare with the stored views",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			return a.withBook(false, "", func(f *casebookFile) error {
				start := time.Now()
				if err := f.bolt.Check(); err != nil {
					return err
				}
				n := len(f.book.List(casebook.Filter{}, a.now()))
				ds, err := f.book.ListDisputes(a.now())
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, a.tr("正常：%d 件诉求，%d 件矛盾纠纷，检查用时 %v\n", "ok: %d appeals, %d disputes, checked in %v\n"),
					n, len(ds), time.Since(start).Round(time.Millisecond))
				return nil
			})
		},
	}
}
