package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"casebook/casebook"
	"casebook/casebook/input"
	"casebook/casebook/store"
)

// `casebook dispute`: disputes (矛盾纠纷) and their negotiated solutions
// (协商方案). A dispute is named by --id: its id or its exact title. The
// records inside it are named by id or by their number in `dispute show`:
// parties, meetings and tasks 1, 2, …; plan versions by version number
// (3, 第3版, v3).

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
				fmt.Fprintln(a.stdout, d.ID)
				return nil
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

func (a *app) disputePartyCmd() *cobra.Command {
	var id, actor, party string
	var p casebook.Party
	var kind string
	flagFields := []struct{ flag, field string }{
		{"name", casebook.PartyFieldName}, {"kind", casebook.PartyFieldKind}, {"building", casebook.PartyFieldBuilding},
		{"side", casebook.PartyFieldSide}, {"position", casebook.PartyFieldPosition}, {"interest", casebook.PartyFieldInterest},
	}
	c := &cobra.Command{
		Use:   "party --id D --name N --kind K [flags] | party --id D --party P [flags]",
		Short: "Add a party (当事方) to a dispute, or with --party change one",
		Long: `Add a party (当事方) to a dispute and print its id: --name and --kind are
needed. Kinds: household (居民户), building (楼栋), property (物业),
owners_committee (业委会), street_dept (街道部门), developer (开发商), other.
--position is what they ask for (诉求/立场), --interest why (关切).

With --party (the party's id or its number in dispute show), change the
fields given instead, typically the position as the talks move on.`,
		Example: `  casebook dispute party --db town.db --id 坡地修路 --name 15号楼居民 --kind 楼栋 \
    --building 15号楼 --side B --position 不同意修路 --interest 路在窗下：隐私与噪音
  casebook dispute party --db town.db --id 坡地修路 --party 2 --position 下端远离窗户即可同意`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p.Kind = casebook.PartyKind(kind)
			values := map[string]string{casebook.PartyFieldName: p.Name, casebook.PartyFieldKind: kind,
				casebook.PartyFieldBuilding: p.Building, casebook.PartyFieldSide: p.Side,
				casebook.PartyFieldPosition: p.Position, casebook.PartyFieldInterest: p.Interest}
			changes := map[string]string{}
			for _, ff := range flagFields {
				if cmd.Flags().Changed(ff.flag) {
					changes[ff.field] = values[ff.field]
				}
			}
			if party == "" {
				if strings.TrimSpace(p.Name) == "" || strings.TrimSpace(kind) == "" {
					return errors.New("a new party needs --name and --kind (or give --party to change one)")
				}
			} else if len(changes) == 0 {
				return errors.New("nothing to change: give the fields to change with --party")
			}
			return a.withDispute(id, actor, func(f *casebookFile, d *casebook.Dispute) error {
				if party == "" {
					got, err := f.book.AddParty(d.ID, p)
					if err != nil {
						return err
					}
					fmt.Fprintln(a.stdout, got.ID)
					return nil
				}
				pid, err := pickNumbered("party", "party", party, partyIDs(d))
				if err != nil {
					return err
				}
				got, err := f.book.SetParty(d.ID, pid, changes)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "%s %s\n", got.Name, a.tr("已修改", "updated"))
				return nil
			})
		},
	}
	disputeArg(c, &id, &actor)
	fl := c.Flags()
	fl.StringVar(&party, "party", "", "change this party (id or number) instead of adding one")
	fl.StringVar(&p.Name, "name", "", "name, e.g. 14号楼居民")
	fl.StringVar(&kind, "kind", "", "kind (see above)")
	fl.StringVar(&p.Building, "building", "", "building")
	fl.StringVar(&p.Side, "side", "", "which side, e.g. A, B, 中立")
	fl.StringVar(&p.Position, "position", "", "what they ask for (诉求/立场)")
	fl.StringVar(&p.Interest, "interest", "", "why (关切)")
	return c
}

func (a *app) disputePlanCmd() *cobra.Command {
	var id, actor, at string
	var p casebook.PlanVersion
	c := &cobra.Command{
		Use:   "plan --id D --description TEXT [flags]",
		Short: "Put a plan version (方案) on the table and print its id",
		Long: `Put a plan version (方案) on the table and print its id. Versions are
numbered 1, 2, 3 … and never edited: a revision is a new version, and it
must say what changed from the previous one (--changes) and why (--reason).
The description may have several lines; dispute diff compares it line by
line. A plan cannot be added once agreed (the agreement would be reopened).`,
		Example: `  casebook dispute plan --db town.db --id 坡地修路 --title 下端北移加扶手 \
    --description "$(cat plan3.txt)" --changes "下端北移10米以上；一侧加装扶手" \
    --reason "15号楼居民不愿路在窗下" --cost 约2.6万元 --funding 街道专项经费`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if p.At, err = parseAt("at", at); err != nil {
				return err
			}
			return a.withDispute(id, actor, func(f *casebookFile, d *casebook.Dispute) error {
				got, err := f.book.AddPlan(d.ID, p)
				if err != nil {
					return err
				}
				fmt.Fprintln(a.stdout, got.ID)
				return nil
			})
		},
	}
	disputeArg(c, &id, &actor)
	fl := c.Flags()
	fl.StringVar(&p.Description, "description", "", "the plan (required)")
	fl.StringVar(&p.Title, "title", "", "a short name for this version")
	fl.StringVar(&p.Changes, "changes", "", "what changed from the previous version (required for a revision)")
	fl.StringVar(&p.Reason, "reason", "", "why it changed (required for a revision)")
	fl.StringVar(&p.Cost, "cost", "", "cost (费用), free text")
	fl.StringVar(&p.Funding, "funding", "", "funding (资金来源)")
	fl.StringVar(&p.Upkeep, "upkeep", "", "upkeep (后期管护)")
	fl.StringVar(&at, "at", "", "when it was proposed (default now)")
	_ = c.MarkFlagRequired("description")
	return c
}

func (a *app) disputeMeetingCmd() *cobra.Command {
	var id, actor, at, place, kind, minutes string
	var attendees []string
	c := &cobra.Command{
		Use:   "meeting --id D --place P --kind K [flags]",
		Short: "Record a meeting about a dispute that took place, and print its id",
		Long: `Record a meeting (议事会) that took place, and print its id. Kinds:
courtyard (小院议事厅), consultation (协商会), hearing (听证会), other.
--attendee is repeated, one line each as in the app: a role, then a name
or a head count ("物业 李经理", "14号楼居民 12"; a role alone is one person;
ROLE:NAME and ROLE:COUNT are read too). Minutes written now can only be added to later
(dispute minutes), never edited. Votes are recorded with dispute vote.`,
		Example: `  casebook dispute meeting --db town.db --id 坡地修路 --place 14号楼小院 --kind 小院议事厅 \
    --at "2026-03-20 19:00" --attendee "14号楼居民 12" --attendee "15号楼居民 11" --attendee "物业 李经理" \
    --minutes "展示方案第2版。15号楼居民认为下端仍在窗下。"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			m := casebook.Meeting{Place: place, Kind: casebook.MeetingKind(kind), Minutes: minutes}
			if m.At, err = parseAt("at", at); err != nil {
				return err
			}
			for _, s := range attendees {
				att, ok, err := input.Attendee(s)
				if err != nil {
					return flagErr("attendee", err)
				}
				if ok {
					m.Attendees = append(m.Attendees, att)
				}
			}
			return a.withDispute(id, actor, func(f *casebookFile, d *casebook.Dispute) error {
				got, err := f.book.AddMeeting(d.ID, m)
				if err != nil {
					return err
				}
				fmt.Fprintln(a.stdout, got.ID)
				return nil
			})
		},
	}
	disputeArg(c, &id, &actor)
	fl := c.Flags()
	fl.StringVar(&place, "place", "", "where (required)")
	fl.StringVar(&kind, "kind", "", "kind of meeting (required)")
	fl.StringVar(&at, "at", "", "when it took place (default now)")
	fl.StringArrayVar(&attendees, "attendee", nil, `"ROLE NAME" or "ROLE COUNT" (repeatable)`)
	fl.StringVar(&minutes, "minutes", "", "minutes (纪要)")
	_ = c.MarkFlagRequired("place")
	_ = c.MarkFlagRequired("kind")
	return c
}

func (a *app) disputeMinutesCmd() *cobra.Command {
	var id, actor, meeting, text string
	c := &cobra.Command{
		Use:   "minutes --id D --meeting M --text TEXT",
		Short: "Add to a meeting's minutes (纪要补充); what was written stays",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withDispute(id, actor, func(f *casebookFile, d *casebook.Dispute) error {
				mid, err := pickNumbered("meeting", "meeting", meeting, meetingIDs(d))
				if err != nil {
					return err
				}
				m, err := f.book.AppendMinutes(d.ID, mid, text)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, a.tr("%s %s 纪要已补充（共 %d 条补充）\n", "%s %s minutes added to (%d additions)\n"),
					shanghai(m.At), m.Place, len(m.Addenda))
				return nil
			})
		},
	}
	disputeArg(c, &id, &actor)
	c.Flags().StringVar(&meeting, "meeting", "", "meeting id or number (required)")
	c.Flags().StringVar(&text, "text", "", "what to add (required)")
	_ = c.MarkFlagRequired("meeting")
	_ = c.MarkFlagRequired("text")
	return c
}

func (a *app) disputeVoteCmd() *cobra.Command {
	var id, actor, meeting, plan, method, at string
	var v casebook.Vote
	c := &cobra.Command{
		Use:   "vote --id D --meeting M --plan P --for N --against N [--abstain N] [--at T]",
		Short: "Record a vote (表决) on a plan version at a meeting",
		Long: `Record the count of a vote on a plan version at a meeting. --plan is
the version number (3, 第3版) or id; --meeting the meeting's number in
dispute show or its id. A vote passes with more than half of the votes
cast for it (abstentions count as cast). Methods: show_of_hands (举牌表决,
default), ballot (投票表决), other. --at is when the vote was taken (default
now; not before its meeting).`,
		Example: `  casebook dispute vote --db town.db --id 坡地修路 --meeting 2 --plan 3 --for 21 --against 2 --abstain 1`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			v.Method = casebook.VoteMethod(method)
			if v.At, err = parseAt("at", at); err != nil {
				return err
			}
			return a.withDispute(id, actor, func(f *casebookFile, d *casebook.Dispute) error {
				var err error
				if v.Meeting, err = pickNumbered("meeting", "meeting", meeting, meetingIDs(d)); err != nil {
					return err
				}
				p, err := pickPlan("plan", d, plan)
				if err != nil {
					return err
				}
				v.Plan = p.ID
				got, err := f.book.RecordVote(d.ID, v)
				if err != nil {
					return err
				}
				fmt.Fprintln(a.stdout, a.voteText(got, p.N))
				return nil
			})
		},
	}
	disputeArg(c, &id, &actor)
	fl := c.Flags()
	fl.StringVar(&meeting, "meeting", "", "meeting id or number (required)")
	fl.StringVar(&plan, "plan", "", "plan version number or id (required)")
	fl.IntVar(&v.For, "for", 0, "votes for")
	fl.IntVar(&v.Against, "against", 0, "votes against")
	fl.IntVar(&v.Abstain, "abstain", 0, "abstentions")
	fl.StringVar(&method, "method", "", "how the vote was taken (default show_of_hands)")
	fl.StringVar(&at, "at", "", "when the vote was taken (default now)")
	_ = c.MarkFlagRequired("meeting")
	_ = c.MarkFlagRequired("plan")
	return c
}

// voteText describes a vote: "第3版：赞成 21，反对 2，弃权 1（举牌表决）通过".
func (a *app) voteText(v casebook.Vote, n int) string {
	passed := a.tr("未通过", "not passed")
	if v.Passed() {
		passed = a.tr("通过", "passed")
	}
	return a.tr(fmt.Sprintf("第%d版：赞成 %d，反对 %d，弃权 %d（%s）%s", n, v.For, v.Against, v.Abstain, v.Method.Chinese(), passed),
		fmt.Sprintf("version %d: for %d, against %d, abstain %d (%s) %s", n, v.For, v.Against, v.Abstain, v.Method.English(), passed))
}

func (a *app) disputeAgreeCmd() *cobra.Command {
	var id, actor, plan, at string
	var signed []string
	c := &cobra.Command{
		Use:   "agree --id D --plan P --signed NAMES [--at T]",
		Short: "Record the agreement (达成协议): the plan version agreed and who signed off",
		Long: `Record the agreement (协议): the plan version agreed to (--plan, version
number or id) and who signed off (--signed, repeated or comma-separated).
A later agreement supersedes the one in force.`,
		Example: `  casebook dispute agree --db town.db --id 坡地修路 --plan 3 --signed 14号楼居民代表,15号楼居民代表,物业,业委会`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			when, err := parseAt("at", at)
			if err != nil {
				return err
			}
			names := listArgs(signed)
			if len(names) == 0 {
				return errors.New("--signed: name who signed off")
			}
			return a.withDispute(id, actor, func(f *casebookFile, d *casebook.Dispute) error {
				p, err := pickPlan("plan", d, plan)
				if err != nil {
					return err
				}
				d, err = f.book.Agree(d.ID, p.ID, names, when)
				if err != nil {
					return err
				}
				a.printStatus(d)
				return nil
			})
		},
	}
	disputeArg(c, &id, &actor)
	c.Flags().StringVar(&plan, "plan", "", "plan version number or id (required)")
	c.Flags().StringArrayVar(&signed, "signed", nil, "who signed off (required)")
	c.Flags().StringVar(&at, "at", "", "when (default now)")
	_ = c.MarkFlagRequired("plan")
	_ = c.MarkFlagRequired("signed")
	return c
}

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
				if err != nil {
					return err
				}
				fmt.Fprintln(a.stdout, got.ID)
				return nil
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

// linkedCase is a linked appeal as dispute show prints it.
type linkedCase struct {
	ID       string          `json:"id"`
	Number   string          `json:"number,omitempty"`
	Status   casebook.Status `json:"status,omitempty"`
	Building string          `json:"building,omitempty"`
	Summary  string          `json:"summary,omitempty"`
	Received time.Time       `json:"received,omitzero"`
	Missing  bool            `json:"missing,omitempty"` // not in this casebook (yet)
}

// disputeView is a dispute as `dispute show --json` prints it.
type disputeView struct {
	casebook.DisputeSummary
	Summary     string                   `json:"summary,omitempty"`
	LinkedCases []linkedCase             `json:"linked_cases"`
	Parties     []casebook.Party         `json:"parties"`
	Plans       []casebook.PlanVersion   `json:"plans"`
	Meetings    []casebook.Meeting       `json:"meetings"`
	Votes       []casebook.Vote          `json:"votes"`
	Agreement   *casebook.Agreement      `json:"agreement"`
	Tasks       []casebook.Task          `json:"tasks"`
	Record      []casebook.DisputeEvent  `json:"record"`
	Conflicts   []casebook.Conflict      `json:"conflicts"`
	Allowed     []casebook.DisputeAction `json:"allowed"`
	Stats       casebook.DisputeStats    `json:"stats"`
}

func orEmpty[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

func (a *app) newDisputeView(f *casebookFile, d *casebook.Dispute) (*disputeView, error) {
	st, err := f.book.DisputeStats(d.ID)
	if err != nil {
		return nil, err
	}
	v := &disputeView{
		DisputeSummary: d.Summarize(st.FirstAppeal, a.now()), Summary: d.Summary(),
		Parties: orEmpty(d.Parties()), Plans: orEmpty(d.Plans()), Meetings: orEmpty(d.Meetings()), Votes: orEmpty(d.Votes()),
		Agreement: d.Agreement, Tasks: orEmpty(d.Tasks()), Record: orEmpty(d.Log), Conflicts: orEmpty(d.Conflicts()),
		Allowed: orEmpty(casebook.DisputeAllowed(d.Status)), Stats: st, LinkedCases: []linkedCase{},
	}
	for _, id := range d.Cases {
		lc := linkedCase{ID: id}
		if c, err := f.book.Case(id); err == nil {
			lc.Number, lc.Status, lc.Building, lc.Summary, lc.Received = c.Number(), c.Status, c.Building(), c.Summary(), c.Received()
		} else {
			lc.Missing = true
		}
		v.LinkedCases = append(v.LinkedCases, lc)
	}
	return v, nil
}

func (a *app) disputeShowCmd() *cobra.Command {
	var id string
	var asJSON bool
	c := &cobra.Command{
		Use:   "show --id D [--json]",
		Short: "Show a dispute: appeals, parties, plan versions, meetings and votes, agreement, tasks, record",
		Long: `Show a dispute with its linked appeals, parties, plan versions, meetings
(with minutes and votes), the agreement, tasks, the full record (记录) of
what was done, any conflicting edits to review, and its figures: days
from the first appeal to the agreement, plan versions before it, and
repeat appeals (same building and category) before and after it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withDispute(id, "", func(f *casebookFile, d *casebook.Dispute) error {
				v, err := a.newDisputeView(f, d)
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(v)
				}
				a.printDispute(d, v)
				return nil
			})
		},
	}
	disputeArg(c, &id, nil)
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

// disputeEventNames name the entries of a dispute's record.
var disputeEventNames = map[casebook.OpKind][2]string{
	casebook.OpDisputeCreate:    {"登记纠纷", "registered"},
	casebook.OpDisputeLink:      {"关联诉求", "linked appeals"},
	casebook.OpDisputeParty:     {"添加当事方", "added a party"},
	casebook.OpDisputePlan:      {"提出方案", "proposed a plan"},
	casebook.OpDisputeMeeting:   {"召开会议", "held a meeting"},
	casebook.OpDisputeMinutes:   {"补充纪要", "added to minutes"},
	casebook.OpDisputeVote:      {"表决", "vote"},
	casebook.OpDisputeAgree:     {"达成协议", "agreed"},
	casebook.OpDisputeTask:      {"添加任务", "added a task"},
	casebook.OpDisputeImplement: {"开始实施", "implementation began"},
	casebook.OpDisputeStall:     {"搁置", "stalled"},
	casebook.OpDisputeResume:    {"恢复协商", "resumed"},
	casebook.OpDisputeResolve:   {"化解", "resolved"},
}

func (a *app) printDispute(d *casebook.Dispute, v *disputeView) {
	var rows [][]string
	add := func(zh, en, val string) {
		if val != "" {
			rows = append(rows, []string{a.tr(zh, en), val})
		}
	}
	add("标题", "Title", d.Title())
	add("ID", "ID", d.ID)
	add("状态", "Status", a.disputeStatusName(d.Status))
	add("地点", "Place", d.Place())
	add("概述", "Summary", d.Summary())
	add("登记时间", "Registered", shanghai(d.CreatedAt))
	add("首次诉求", "First appeal", shanghai(v.Stats.FirstAppeal))
	add("纠纷时长", "Age", a.tr(fmt.Sprintf("%d 天", v.AgeDays), fmt.Sprintf("%d days", v.AgeDays)))
	if v.Stats.DaysToAgreement != nil {
		add("达成协议用时", "Days to agreement", a.tr(fmt.Sprintf("%d 天（协议前方案 %d 版）", *v.Stats.DaysToAgreement, v.Stats.PlanVersions),
			fmt.Sprintf("%d days (%d plan versions before it)", *v.Stats.DaysToAgreement, v.Stats.PlanVersions)))
	}
	add("同类重复诉求", "Repeat appeals", a.tr(fmt.Sprintf("协议前 %d，协议后 %d", v.Stats.RepeatBefore, v.Stats.RepeatAfter),
		fmt.Sprintf("%d before the agreement, %d after", v.Stats.RepeatBefore, v.Stats.RepeatAfter)))
	add("化解时间", "Resolved", shanghai(d.ResolvedAt))
	fmt.Fprint(a.stdout, table(rows))

	section := func(zh, en string) { fmt.Fprintln(a.stdout, a.tr(zh, en)) }
	section("关联诉求：", "Linked appeals:")
	var lc [][]string
	for _, c := range v.LinkedCases {
		if c.Missing {
			lc = append(lc, []string{"  " + c.ID, a.tr("（尚未同步到本台账）", "(not in this casebook yet)")})
			continue
		}
		lc = append(lc, []string{"  " + c.Number, a.statusName(c.Status), c.Building, clipWidth(c.Summary, 44)})
	}
	fmt.Fprint(a.stdout, table(lc))
	if len(v.Parties) > 0 {
		section("当事方：", "Parties:")
		var ps [][]string
		for i, p := range v.Parties {
			row := []string{fmt.Sprintf("  %d", i+1), p.Name, a.tr(p.Kind.Chinese(), p.Kind.English()), p.Building, p.Side, "", ""}
			if p.Position != "" {
				row[5] = a.tr("诉求：", "position: ") + p.Position
			}
			if p.Interest != "" {
				row[6] = a.tr("关切：", "interest: ") + p.Interest
			}
			ps = append(ps, row)
		}
		fmt.Fprint(a.stdout, table(ps))
	}
	if len(v.Plans) > 0 {
		section("方案：", "Plan versions:")
		for _, p := range v.Plans {
			head := a.tr(fmt.Sprintf("  第%d版", p.N), fmt.Sprintf("  version %d", p.N))
			if p.Title != "" {
				head += " " + p.Title
			}
			fmt.Fprintf(a.stdout, "%s  %s\n", head, shanghai(p.At))
			for _, l := range strings.Split(p.Description, "\n") {
				fmt.Fprintf(a.stdout, "      %s\n", l)
			}
			for _, x := range [][3]string{{"变化", "changes", p.Changes}, {"原因", "reason", p.Reason}, {"费用", "cost", p.Cost},
				{"资金", "funding", p.Funding}, {"管护", "upkeep", p.Upkeep}} {
				if x[2] != "" {
					fmt.Fprintf(a.stdout, "      %s：%s\n", a.tr(x[0], x[1]), x[2])
				}
			}
		}
	}
	planN := map[string]int{}
	for _, p := range v.Plans {
		planN[p.ID] = p.N
	}
	if len(v.Meetings) > 0 {
		section("会议：", "Meetings:")
		for i, m := range v.Meetings {
			fmt.Fprintf(a.stdout, "  %d  %s  %s  %s\n", i+1, shanghai(m.At), a.tr(m.Kind.Chinese(), m.Kind.English()), m.Place)
			var att []string
			for _, x := range m.Attendees {
				switch {
				case x.Count > 0:
					att = append(att, fmt.Sprintf("%s%s", x.Role, a.tr(fmt.Sprintf("%d人", x.Count), fmt.Sprintf(" ×%d", x.Count))))
				default:
					att = append(att, x.Role+" "+x.Name)
				}
			}
			if len(att) > 0 {
				fmt.Fprintf(a.stdout, "      %s%s\n", a.tr("出席：", "attending: "), strings.Join(att, a.tr("、", ", ")))
			}
			if m.Minutes != "" {
				fmt.Fprintf(a.stdout, "      %s%s\n", a.tr("纪要：", "minutes: "), m.Minutes)
			}
			for _, ad := range m.Addenda {
				fmt.Fprintf(a.stdout, "      %s %s：%s\n", a.tr("补记", "added"), shanghai(ad.At), ad.Text)
			}
			for _, vt := range v.Votes {
				if vt.Meeting == m.ID {
					fmt.Fprintf(a.stdout, "      %s%s\n", a.tr("表决 ", "vote "), a.voteText(vt, planN[vt.Plan]))
				}
			}
		}
	}
	if ag := v.Agreement; ag != nil {
		section("协议：", "Agreement:")
		fmt.Fprintf(a.stdout, "  %s  %s  %s%s\n", shanghai(ag.At), a.tr(fmt.Sprintf("第%d版", planN[ag.Plan]), fmt.Sprintf("version %d", planN[ag.Plan])),
			a.tr("签字：", "signed off: "), strings.Join(ag.SignedOff, a.tr("、", ", ")))
	}
	if len(v.Tasks) > 0 {
		section("任务：", "Tasks:")
		var ts [][]string
		for i, t := range v.Tasks {
			state := a.tr("未完成", "open")
			if t.Done {
				state = a.tr("已完成 ", "done ") + shanghai(t.DoneAt)
			}
			ts = append(ts, []string{fmt.Sprintf("  %d", i+1), t.Title, t.Owner, a.tr("截止 ", "due ") + t.Due.String(), state})
		}
		fmt.Fprint(a.stdout, table(ts))
	}
	section("记录：", "Record:")
	var rec [][]string
	for _, e := range v.Record {
		names := disputeEventNames[e.Kind]
		what := a.tr(names[0], names[1])
		if what == "" {
			what = string(e.Kind)
		}
		note := e.Note
		if e.Refused != "" {
			note = strings.TrimSpace(note + " " + a.tr("[未生效："+e.Refused+"]", "[refused: "+e.Refused+"]"))
		}
		rec = append(rec, []string{"  " + shanghai(e.At), what, e.Actor, note})
	}
	fmt.Fprint(a.stdout, table(rec))
	if len(v.Conflicts) > 0 {
		fmt.Fprintln(a.stdout, a.tr("待确认的冲突修改（用 dispute set、dispute party 或 dispute agree 确认）：",
			"Conflicting edits to settle (with dispute set, dispute party or dispute agree):"))
		for _, k := range v.Conflicts {
			fmt.Fprintf(a.stdout, "  %s: %q %s %q\n", k.Field, k.Shown, a.tr("另一设备改为", "shown; other device wrote"), k.Value)
		}
	}
	if len(v.Allowed) > 0 {
		var acts []string
		for _, x := range v.Allowed {
			acts = append(acts, a.tr(x.Chinese(), x.English()))
		}
		fmt.Fprintf(a.stdout, "%s%s\n", a.tr("下一步可以：", "Next steps allowed: "), strings.Join(acts, a.tr("、", ", ")))
	}
}

func (a *app) disputeDiffCmd() *cobra.Command {
	var id, from, to string
	var asJSON bool
	c := &cobra.Command{
		Use:   "diff --id D --from N --to M [--json]",
		Short: "Compare two plan versions: what changed from one to the other",
		Long: `Compare two plan versions (version numbers or ids): the description line
by line, then title, cost, funding and upkeep. Lines only in --from are
marked "-", lines only in --to "+", unchanged lines " ". With --json, the
two versions and the lines.`,
		Example: `  casebook dispute diff --db town.db --id 坡地修路 --from 1 --to 3`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withDispute(id, "", func(f *casebookFile, d *casebook.Dispute) error {
				pa, err := pickPlan("from", d, from)
				if err != nil {
					return err
				}
				pb, err := pickPlan("to", d, to)
				if err != nil {
					return err
				}
				lines := casebook.PlanDiff(pa, pb)
				if asJSON {
					return a.printJSON(struct {
						From  casebook.PlanVersion `json:"from"`
						To    casebook.PlanVersion `json:"to"`
						Lines []casebook.DiffLine  `json:"lines"`
					}{pa, pb, orEmpty(lines)})
				}
				fmt.Fprintln(a.stdout, a.tr(fmt.Sprintf("第%d版 → 第%d版", pa.N, pb.N), fmt.Sprintf("version %d → version %d", pa.N, pb.N)))
				names := map[string][2]string{"title": {"标题", "title"}, "description": {"内容", "description"},
					"cost": {"费用", "cost"}, "funding": {"资金", "funding"}, "upkeep": {"管护", "upkeep"}}
				field := ""
				for _, l := range lines {
					if l.Field != field {
						field = l.Field
						n := names[field]
						fmt.Fprintf(a.stdout, "%s:\n", a.tr(n[0], n[1]))
					}
					mark := " "
					if l.Kind != casebook.DiffSame {
						mark = string(l.Kind)
					}
					fmt.Fprintf(a.stdout, "%s %s\n", mark, l.Text)
				}
				for _, x := range [][3]string{{"变化", "changes", pb.Changes}, {"原因", "reason", pb.Reason}} {
					if x[2] != "" && pb.N == pa.N+1 {
						fmt.Fprintf(a.stdout, "%s：%s\n", a.tr(x[0], x[1]), x[2])
					}
				}
				return nil
			})
		},
	}
	disputeArg(c, &id, nil)
	c.Flags().StringVar(&from, "from", "", "the older version: number or id (required)")
	c.Flags().StringVar(&to, "to", "", "the newer version: number or id (required)")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	_ = c.MarkFlagRequired("from")
	_ = c.MarkFlagRequired("to")
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
