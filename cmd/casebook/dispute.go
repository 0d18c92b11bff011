package main

// `casebook dispute`: disputes (矛盾纠纷) and their negotiated solutions
// (协商方案). A dispute is named by --id: its id or its exact title. The
// records inside it are named by id or by their number in `dispute show`:
// parties, meetings and tasks 1, 2, …; plan versions by version number
// (3, 第3版, v3).

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"casebook/casebook"
	"casebook/casebook/input"

	"github.com/spf13/cobra"
)

func (a *app) disputeCmd() *cobra.Command {
	return group("dispute", "Disputes (矛盾纠纷): parties, plan versions, meetings, votes, agreement, tasks, closing the appeals out",
		a.disputeAddCmd(),
		a.disputeSetCmd(),
		a.disputeLinkCmd(),
		a.disputePartyCmd(),
		a.disputePlanCmd(),
		a.disputeMeetingCmd(),
		a.disputeMinutesCmd(),
		a.disputeVoteCmd(),
		a.disputeAgreeCmd(),
		a.disputeTaskCmd(),
		a.disputeTaskDoneCmd(),
		a.disputeStepCmd("implement", "Record that implementation of the agreement has begun (开始实施)", false),
		a.disputeStepCmd("stall", "Record that the talks are stuck (搁置); --note says why", true),
		a.disputeStepCmd("resume", "Record that the talks resume after a stall (恢复协商)", false),
		a.disputeStepCmd("resolve", "Record that the dispute is resolved (化解): needs an agreement and every task done", false),
		a.disputeCloseCasesCmd(),
		a.disputeListCmd(),
		a.disputeAgreementCmd(),
		a.disputeShowCmd(),
		a.disputeDiffCmd(),
		a.disputeMetricsCmd(),
	)
}

const disputeIDHelp = "dispute id or exact title (required)"

// disputeArg is the --id and --actor of a command that changes a dispute.
func disputeArg(c *cobra.Command, id, actor *string) {
	c.Flags().StringVar(id, "id", "", disputeIDHelp)
	if actor != nil {
		c.Flags().StringVar(actor, "actor", "", "who records it (default the term's secretary)")
	}
	_ = c.MarkFlagRequired("id")
}

// cleanRef trims a reference typed by a person, with full-width digits.
func cleanRef(s string) string { return strings.TrimSpace(casebook.NormalizeWidth(s)) }

// pickNumbered resolves a record reference: its id, or its number 1, 2, …
// in the list ids (in the order `dispute show` lists them).
func pickNumbered(flag, what, ref string, ids []string) (string, error) {
	r := cleanRef(ref)
	if n, ok := input.Number(r); ok {
		if n > len(ids) {
			return "", fmt.Errorf("--%s: no %s %d (the dispute has %d)", flag, what, n, len(ids))
		}
		return ids[n-1], nil
	}
	if id, err := casebook.ParseID(r); err == nil {
		for _, x := range ids {
			if x == id {
				return id, nil
			}
		}
		return "", fmt.Errorf("--%s: no %s %s in this dispute", flag, what, id)
	}
	return "", fmt.Errorf("--%s: %q is neither a %s number nor an id", flag, ref, what)
}

// pickPlan resolves a plan version: its id or its version number (3, 第3版, v3).
func pickPlan(flag string, d *casebook.Dispute, ref string) (casebook.PlanVersion, error) {
	plans := d.Plans()
	r := cleanRef(ref)
	if n, ok := input.PlanNumber(r); ok {
		if n > len(plans) {
			return casebook.PlanVersion{}, fmt.Errorf("--%s: no plan version %d (the dispute has %d)", flag, n, len(plans))
		}
		return plans[n-1], nil
	}
	if id, err := casebook.ParseID(r); err == nil {
		if p, ok := d.Plan(id); ok {
			return p, nil
		}
		return casebook.PlanVersion{}, fmt.Errorf("--%s: no plan version %s on the table", flag, id)
	}
	return casebook.PlanVersion{}, fmt.Errorf("--%s: %q is neither a version number nor an id", flag, ref)
}

func partyIDs(d *casebook.Dispute) []string {
	var out []string
	for _, p := range d.Parties() {
		out = append(out, p.ID)
	}
	return out
}

func meetingIDs(d *casebook.Dispute) []string {
	var out []string
	for _, m := range d.Meetings() {
		out = append(out, m.ID)
	}
	return out
}

func taskIDs(d *casebook.Dispute) []string {
	var out []string
	for _, t := range d.Tasks() {
		out = append(out, t.ID)
	}
	return out
}

// listArgs gathers list flags given repeatedly or comma-separated (also
// with Chinese ，and 、).
func listArgs(vals []string) []string {
	var out []string
	for _, v := range vals {
		out = append(out, input.List(v)...)
	}
	return out
}

// withDispute opens the casebook (for writing as actor), finds the dispute
// and runs fn; the file is closed when fn returns.
func (a *app) withDispute(id, actor string, fn func(f *casebookFile, d *casebook.Dispute) error) error {
	return a.withBook(false, actor, func(f *casebookFile) error {
		d, err := f.book.Dispute(id)
		if err != nil {
			return err
		}
		return fn(f, d)
	})
}

// printStatus is the line a status-changing command prints.
func (a *app) printStatus(d *casebook.Dispute) {
	fmt.Fprintf(a.stdout, "%s %s %s\n", d.Title(), d.Status, d.Status.Chinese())
}

func (a *app) disputeAddCmd() *cobra.Command {
	var title, place, summary, actor string
	var cases []string
	c := &cobra.Command{
		Use:   "add --title T --case C1 --case C2 [flags]",
		Short: "Register a dispute gathered from two or more appeals, and print its id",
		Long: `Register a dispute (矛盾纠纷) gathered from the ledger: at least two appeals
(the two sides, or the same complaint filed again and again), given by id
or number (编号) with --case, repeated or comma-separated.`,
		Example: `  casebook dispute add --db town.db --title 14号楼与15号楼之间坡地修路 \
    --place 14号楼与15号楼之间坡地 --case 20251208-001,20260115-003`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			refs := listArgs(cases)
			if len(refs) < 2 {
				return errors.New("--case: give at least two appeals (ids or numbers)")
			}
			return a.withBook(false, actor, func(f *casebookFile) error {
				d, err := f.book.CreateDispute(title, place, summary, refs)
				if err != nil {
					return err
				}
				return a.printID(d.ID, nil)
			})
		},
	}
	fl := c.Flags()
	fl.StringVar(&title, "title", "", "title (required)")
	fl.StringVar(&place, "place", "", "where, e.g. 14号楼与15号楼之间坡地")
	fl.StringVar(&summary, "summary", "", "short account of the dispute")
	fl.StringArrayVar(&cases, "case", nil, "a linked appeal's id or number (at least two)")
	fl.StringVar(&actor, "actor", "", "who records it (default the term's secretary)")
	_ = c.MarkFlagRequired("title")
	_ = c.MarkFlagRequired("case")
	return c
}

func (a *app) disputeSetCmd() *cobra.Command {
	var id, actor string
	var fields, values []string
	c := &cobra.Command{
		Use:   "set --id D (--field F --value V)... | set --id D F=V...",
		Short: "Change the title, place or summary of a dispute",
		Long: `Change the title, place or summary of a dispute, all in one change.
Fields: title, place, summary. Setting a field that shows a conflict (two
devices changed it offline) settles the conflict.`,
		Example: `  casebook dispute set --db town.db --id 坡地修路 title=14号楼与15号楼之间坡地修路`,
		RunE: func(cmd *cobra.Command, args []string) error {
			changes, err := parseChanges(fields, values, args)
			if err != nil {
				return err
			}
			return a.withDispute(id, actor, func(f *casebookFile, d *casebook.Dispute) error {
				d, err := f.book.SetDisputeFields(d.ID, changes)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "%s %s\n", d.Title(), a.tr("已修改", "updated"))
				return nil
			})
		},
	}
	disputeArg(c, &id, &actor)
	c.Flags().StringArrayVar(&fields, "field", nil, "field to change (repeatable, paired with --value)")
	c.Flags().StringArrayVar(&values, "value", nil, "its new value")
	return c
}

func (a *app) disputeLinkCmd() *cobra.Command {
	var id, actor string
	var cases []string
	c := &cobra.Command{
		Use:   "link --id D --case C...",
		Short: "Link more appeals to a dispute (a new complaint about the same thing)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			refs := listArgs(cases)
			if len(refs) == 0 {
				return errors.New("--case: give the appeals to link (ids or numbers)")
			}
			return a.withDispute(id, actor, func(f *casebookFile, d *casebook.Dispute) error {
				d, err := f.book.LinkCase(d.ID, refs...)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, a.tr("%s：关联诉求 %d 件\n", "%s: %d appeals linked\n"), d.Title(), len(d.Cases))
				return nil
			})
		},
	}
	disputeArg(c, &id, &actor)
	c.Flags().StringArrayVar(&cases, "case", nil, "appeal id or number (repeatable or comma-separated)")
	_ = c.MarkFlagRequired("case")
	return c
}

func (a *app) disputeStatusName(s casebook.DisputeStatus) string {
	return a.tr(s.Chinese(), s.English())
}

func (a *app) disputeListCmd() *cobra.Command {
	var asJSON, open bool
	var statuses []string
	c := &cobra.Command{
		Use:   "list [--open] [--status S] [--json]",
		Short: "List disputes, newest first, as a table or JSON",
		Long: `List disputes, newest registered first: title, status, linked appeals,
plan versions, meetings, open and overdue tasks, the first appeal and how
many days the dispute has lasted (to its resolution once resolved).
Statuses: open (已登记), negotiating (协商中), agreed (已达成协议),
implementing (实施中), resolved (已化解), stalled (搁置). --open leaves out
the resolved. With --json, an array of summaries.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			want := map[casebook.DisputeStatus]bool{}
			for _, s := range listArgs(statuses) {
				st, err := casebook.ParseDisputeStatus(s)
				if err != nil {
					return fmt.Errorf("--status: %w", err)
				}
				want[st] = true
			}
			return a.withBook(false, "", func(f *casebookFile) error {
				all, err := f.book.ListDisputes(a.now())
				if err != nil {
					return err
				}
				list := []casebook.DisputeSummary{}
				for _, s := range all {
					if (open && !s.Status.Open()) || (len(want) > 0 && !want[s.Status]) {
						continue
					}
					list = append(list, s)
				}
				if asJSON {
					return a.printJSON(list)
				}
				rows := [][]string{{a.tr("标题", "Title"), a.tr("状态", "Status"), a.tr("诉求", "Appeals"), a.tr("方案", "Plans"),
					a.tr("会议", "Meetings"), a.tr("未完成任务", "Open tasks"), a.tr("首次诉求", "First appeal"), a.tr("天数", "Days"), "ID"}}
				for _, s := range list {
					tasks := strconv.Itoa(s.OpenTasks)
					if s.OverdueTasks > 0 {
						tasks += a.tr(fmt.Sprintf("（超期 %d）", s.OverdueTasks), fmt.Sprintf(" (%d overdue)", s.OverdueTasks))
					}
					title := clipWidth(s.Title, 36)
					if s.Conflicts > 0 {
						title += " *"
					}
					rows = append(rows, []string{title, a.disputeStatusName(s.Status), strconv.Itoa(s.Cases), strconv.Itoa(s.Plans),
						strconv.Itoa(s.Meetings), tasks, shanghai(s.FirstAppeal), strconv.Itoa(s.AgeDays), s.ID})
				}
				fmt.Fprint(a.stdout, table(rows))
				fmt.Fprintln(a.stdout, a.tr(fmt.Sprintf("共 %d 件纠纷", len(list)), fmt.Sprintf("%d disputes", len(list))))
				return nil
			})
		},
	}
	c.Flags().BoolVar(&open, "open", false, "only disputes not resolved")
	c.Flags().StringArrayVar(&statuses, "status", nil, "only these statuses (repeatable or comma-separated)")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}
