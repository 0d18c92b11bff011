package main

// `casebook dispute` commands of the talks: parties, plan versions and
// their comparison, meetings, minutes, votes and the agreement.

import (
	"errors"
	"fmt"
	"strings"

	"casebook/casebook"
	"casebook/casebook/input"

	"github.com/spf13/cobra"
)

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
					return a.printID(got.ID, err)
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
				return a.printID(got.ID, err)
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
				return a.printID(got.ID, err)
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
