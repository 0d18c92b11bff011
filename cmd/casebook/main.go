// Command casebook is the governance secretary's casebook (治理书记台账).
//
// Without a subcommand it opens the desktop app on the casebook in the
// user's configuration folder (or --db). With a subcommand it works headless
// on the same file, for scripts and for the office PC without a screen:
//
//	casebook demo      make a casebook filled with a fictional community
//	casebook case      add appeals, take loop steps, set fields, link, list, show
//	casebook dispute   disputes: parties, plan versions, meetings, votes, agreement, tasks
//	casebook metrics   the three rates (三率) and the backlog for a period
//	casebook receipt   print the 受理回执 for a walk-in resident (PDF)
//	casebook report    print the 任期工作报告, or the 报告会 version (PDF)
//	casebook settings  show or set the community, term, deadline policy, weights
//	casebook backup    write a consistent copy of the casebook
//	casebook check     verify the casebook's views against its operation log
//
// Every subcommand prints --help, exits non-zero with one line on stderr on
// bad input, and writes either everything it was asked to or nothing. Times
// are stored in UTC and shown in Beijing time (Asia/Shanghai).
//
// This package is thin: it parses flags, calls casebook/store and
// casebook/demo, and prints. The rules live in casebook/.
package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	_ "casebook/cmd/casebook/internal/quietlocale" // before Fyne's init: see its doc
	"casebook/cmd/internal/command"
	"casebook/cmd/internal/version"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// runGUI starts the desktop app, and checkUI checks --lang and --theme;
// gui.go sets both. Tests replace runGUI.
var (
	runGUI  func(db, lang, theme string) error
	checkUI func(lang, theme string) error
)

// app holds the global flags and the output of one run.
type app struct {
	stdout, stderr io.Writer
	db             string
	lang           string
	theme          string
	now            func() time.Time
}

// run executes the command line and returns the exit code (command.Run: 0,
// or 1 after one line "casebook: <command>: <what went wrong>" on stderr).
func run(args []string, stdout, stderr io.Writer) int {
	return command.Run(args, stdout, stderr, func(stdout, stderr io.Writer) *cobra.Command {
		a := &app{stdout: stdout, stderr: stderr, now: time.Now}
		return a.rootCmd()
	})
}

// defaultDB is the casebook in the user's configuration folder, or "" if
// the system has none (no home folder).
func defaultDB() string {
	dir, err := os.UserConfigDir()
	if err != nil || dir == "" {
		return ""
	}
	return filepath.Join(dir, "casebook", "casebook.db")
}

func (a *app) rootCmd() *cobra.Command {
	def := defaultDB()
	root := &cobra.Command{
		Use:   "casebook",
		Short: "治理书记台账 Casebook: the governance secretary's ledger of residents' appeals",
		Long: `治理书记台账 Casebook: the governance secretary's ledger of residents' appeals (诉求).

Without a subcommand, opens the desktop app on the casebook file (--db).
With a subcommand, works headless on the same file. A casebook open in the
desktop app is locked: close the app first, or the command stops at once
with a message saying so.

Times are typed as RFC 3339 ("2026-03-02T14:30:00+08:00") or Beijing local
time ("2026-03-02 14:30"); days as "2026-03-02". Codes may be given in
Chinese too (渠道 12345派单, 状态 已签收, 评价 满意 ...).`,
		Version:       version.String(),
		Args:          cobra.NoArgs,
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if checkUI != nil {
				return checkUI(a.lang, a.theme)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.db == "" {
				return errors.New("no --db given and no user configuration folder to keep the casebook in")
			}
			if a.db == def {
				if err := os.MkdirAll(filepath.Dir(a.db), 0o700); err != nil {
					return err
				}
			}
			if runGUI == nil {
				return errors.New("this build has no desktop app; use a subcommand (see --help)")
			}
			return runGUI(a.db, a.lang, a.theme)
		},
	}
	root.CompletionOptions.DisableDefaultCmd = true
	pf := root.PersistentFlags()
	pf.StringVar(&a.db, "db", def, "casebook file")
	pf.StringVar(&a.lang, "lang", "", "language: zh-Hans (default) or en; also for tables printed by subcommands")
	pf.StringVar(&a.theme, "theme", "", "desktop app theme: light or dark (default: follow the system)")
	root.AddCommand(a.demoCmd(), a.caseCmd(), a.disputeCmd(), a.metricsCmd(), a.settingsCmd(), a.backupCmd(), a.checkCmd(), a.exportCmd(), a.importCmd(), a.syncCmd(), a.receiptCmd(), a.reportCmd())
	return root
}

// group is command.Group; errorLine is command.ErrorLine.
var (
	group     = command.Group
	errorLine = command.ErrorLine
)

// english reports whether output should be in English rather than Chinese.
func (a *app) english() bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.lang)), "en")
}

// tr picks the Chinese or English text.
func (a *app) tr(zh, en string) string {
	if a.english() {
		return en
	}
	return zh
}
