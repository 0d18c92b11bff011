package main

// `casebook dispute` commands of the implementation and the status steps:
// tasks, implement, stall, resume, resolve, closing the linked appeals out,
// and the dispute figures.

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"

	"github.com/spf13/cobra"
)

func (a *app) disputeTaskCmd() *cobra.Command {
	var id, actor, due string
	var t casebook.Task
	c := &cobra.Command{
		Use:   "task --id D --title T --owner O --due YYYY-MM-DD",
		Short: "Add an implementation task (落实任务) of the agreement, and print its id",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if t.Due, err = parseDay("due", due); err != nil {
				return err
			}
			return a.withDispute(id, actor, func(f *casebookFile, d *casebook.Dispute) error {
				got, err := f.book.AddTask(d.ID, t)
				return a.printID(got.ID, err)
			})
		},
	}
	disputeArg(c, &id, &actor)
	c.Flags().StringVar(&t.Title, "title", "", "what is to be done (required)")
	c.Flags().StringVar(&t.Owner, "owner", "", "who is responsible (责任人/责任单位) (required)")
	c.Flags().StringVar(&due, "due", "", "due day, 2026-05-15 (required)")
	for _, r := range []string{"title", "owner", "due"} {
		_ = c.MarkFlagRequired(r)
	}
	return c
}

func (a *app) disputeTaskDoneCmd() *cobra.Command {
	var id, actor, task, at string
	var undo bool
	c := &cobra.Command{
		Use:   "task-done --id D --task T [--at T] [--undo]",
		Short: "Mark an implementation task done (or, with --undo, not done)",
		Long: `Mark an implementation task done at --at (default now); --task is its
number in dispute show or its id. The first task done moves an agreed
dispute to implementing. --undo takes the mark back.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			when, err := parseAt("at", at)
			if err != nil {
				return err
			}
			return a.withDispute(id, actor, func(f *casebookFile, d *casebook.Dispute) error {
				tid, err := pickNumbered("task", "task", task, taskIDs(d))
				if err != nil {
					return err
				}
				t, err := f.book.SetTaskDone(d.ID, tid, !undo, when)
				if err != nil {
					return err
				}
				state := a.tr("未完成", "not done")
				if t.Done {
					state = a.tr("已完成 ", "done ") + shanghai(t.DoneAt)
				}
				fmt.Fprintf(a.stdout, "%s %s\n", t.Title, state)
				return nil
			})
		},
	}
	disputeArg(c, &id, &actor)
	c.Flags().StringVar(&task, "task", "", "task number or id (required)")
	c.Flags().StringVar(&at, "at", "", "when it was done (default now)")
	c.Flags().BoolVar(&undo, "undo", false, "take the done mark back")
	_ = c.MarkFlagRequired("task")
	return c
}

// disputeStepCmd makes implement, stall, resume and resolve.
func (a *app) disputeStepCmd(use, short string, needNote bool) *cobra.Command {
	var id, actor, at, note string
	c := &cobra.Command{
		Use:   use + " --id D [--at T] [--note TEXT]",
		Short: short,
		Long: short + `.

--at is when it happened (default now), as RFC 3339 or Beijing time
"2026-03-02 14:30"; it cannot be in the future. A step the dispute's
status does not allow is refused, and nothing is written.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			when, err := parseAt("at", at)
			if err != nil {
				return err
			}
			if needNote && strings.TrimSpace(note) == "" {
				return fmt.Errorf("--note: say why (required for %s)", use)
			}
			return a.withDispute(id, actor, func(f *casebookFile, d *casebook.Dispute) error {
				var step func(string, time.Time, string) (*casebook.Dispute, error)
				switch use {
				case "implement":
					step = f.book.Implement
				case "stall":
					step = f.book.Stall
				case "resume":
					step = f.book.Resume
				default:
					step = f.book.Resolve
				}
				d, err := step(d.ID, when, note)
				if err != nil {
					return err
				}
				a.printStatus(d)
				return nil
			})
		},
	}
	disputeArg(c, &id, &actor)
	c.Flags().StringVar(&at, "at", "", "when (default now)")
	c.Flags().StringVar(&note, "note", "", "note")
	if needNote {
		_ = c.MarkFlagRequired("note")
	}
	return c
}

func (a *app) disputeCloseCasesCmd() *cobra.Command {
	var id, actor, at string
	c := &cobra.Command{
		Use:   "close-cases --id D [--at T]",
		Short: "Close out (销号) the appeals linked to a resolved dispute",
		Long: `Close out (销号) every appeal linked to a resolved dispute, each with the
loop steps it still lacks (办结, 反馈, 销号) at --at (default now), noted
"矛盾纠纷已化解：<title>" and referring to the dispute. No evaluation is made
up: the callback (回访) is the resident's to give.

The appeals that can be closed are closed together, in one write. An
appeal that cannot be (found unresolvable, or its callback said not solved)
is left as it is; the command then exits non-zero, naming each such appeal
and why, after printing the ones it closed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			when, err := parseAt("at", at)
			if err != nil {
				return err
			}
			return a.withDispute(id, actor, func(f *casebookFile, d *casebook.Dispute) error {
				rep, err := f.book.CloseLinkedCases(d.ID, when)
				if err != nil {
					return err
				}
				for _, cid := range rep.Closed {
					if c, err := f.book.Case(cid); err == nil {
						fmt.Fprintf(a.stdout, "%s %s %s\n", c.Number(), c.Status, c.Status.Chinese())
					}
				}
				fmt.Fprintln(a.stdout, a.tr(fmt.Sprintf("销号 %d 件，此前已销号 %d 件，未能销号 %d 件", len(rep.Closed), len(rep.Already), len(rep.Failed)),
					fmt.Sprintf("%d closed out, %d closed before, %d not closed", len(rep.Closed), len(rep.Already), len(rep.Failed))))
				if len(rep.Failed) > 0 {
					msgs := make([]string, len(rep.Failed))
					for i, e := range rep.Failed {
						msgs[i] = e.Error()
					}
					return fmt.Errorf("%d of %d linked appeals not closed: %s", len(rep.Failed), len(d.Cases), strings.Join(msgs, "; "))
				}
				return nil
			})
		},
	}
	disputeArg(c, &id, &actor)
	c.Flags().StringVar(&at, "at", "", "when (default now)")
	return c
}

func (a *app) disputeMetricsCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "metrics [--json]",
		Short: "Dispute figures: open disputes, days to agreement, plan versions, repeat appeals before and after",
		Long: `Dispute figures (矛盾纠纷指标) as of now: how many disputes there are and
how many are open (not resolved), and for each: days from the first
appeal to the agreement, plan versions before the agreement, and repeat
appeals (other appeals about a building and category of its appeals)
received before and after the agreement. Fewer after than before is what a
lasting solution looks like. The formulas are stated in
casebook/dispute_metrics.go.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			return a.withBook(false, "", func(f *casebookFile) error {
				m, err := f.book.DisputeMetrics(a.now())
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(m)
				}
				a.printDisputeMetrics(&m)
				return nil
			})
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func (a *app) printDisputeMetrics(m *store.DisputeMetrics) {
	avg := "—"
	if m.AvgDaysToAgreement != nil {
		avg = fmt.Sprintf("%.1f", *m.AvgDaysToAgreement)
	}
	fmt.Fprintf(a.stdout, a.tr("纠纷 %d 件  未化解 %d  已达成协议 %d  平均达成协议用时 %s 天  同类重复诉求 协议前 %d / 协议后 %d\n",
		"%d disputes  open %d  with an agreement %d  average days to agreement %s  repeat appeals before %d / after %d\n"),
		m.Disputes, m.Open, m.Agreed, avg, m.RepeatBefore, m.RepeatAfter)
	rows := [][]string{{a.tr("标题", "Title"), a.tr("状态", "Status"), a.tr("达成协议用时（天）", "Days to agreement"),
		a.tr("协议前方案", "Plans before"), a.tr("协议前重复", "Repeats before"), a.tr("协议后重复", "Repeats after")}}
	for _, it := range m.Items {
		days := "—"
		if it.DaysToAgreement != nil {
			days = strconv.Itoa(*it.DaysToAgreement)
		}
		rows = append(rows, []string{clipWidth(it.Title, 36), a.disputeStatusName(it.Status), days,
			strconv.Itoa(it.PlanVersions), strconv.Itoa(it.RepeatBefore), strconv.Itoa(it.RepeatAfter)})
	}
	fmt.Fprint(a.stdout, table(rows))
}
