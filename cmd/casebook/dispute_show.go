package main

// `casebook dispute show`: one dispute in full, as a table or as JSON.

import (
	"fmt"
	"strings"
	"time"

	"casebook/casebook"

	"github.com/spf13/cobra"
)

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
	casebook.OpDisputeReopen:    {"重新打开", "reopened"},
	casebook.OpDisputeResolve:   {"化解", "resolved"},
}

// printDispute prints a dispute in full: its particulars and figures, then
// each part in its section.
func (a *app) printDispute(d *casebook.Dispute, v *disputeView) {
	a.printDisputeHead(d, v)
	a.section("关联诉求：", "Linked appeals:")
	a.printLinkedCases(v.LinkedCases)
	if len(v.Parties) > 0 {
		a.section("当事方：", "Parties:")
		a.printParties(v.Parties)
	}
	if len(v.Plans) > 0 {
		a.section("方案：", "Plan versions:")
		a.printPlans(v.Plans)
	}
	planN := map[string]int{}
	for _, p := range v.Plans {
		planN[p.ID] = p.N
	}
	if len(v.Meetings) > 0 {
		a.section("会议：", "Meetings:")
		for i, m := range v.Meetings {
			a.printMeeting(i+1, m, v.Votes, planN)
		}
	}
	if ag := v.Agreement; ag != nil {
		a.section("协议：", "Agreement:")
		fmt.Fprintf(a.stdout, "  %s  %s  %s%s\n", shanghai(ag.At), a.tr(fmt.Sprintf("第%d版", planN[ag.Plan]), fmt.Sprintf("version %d", planN[ag.Plan])),
			a.tr("签字：", "signed off: "), strings.Join(ag.SignedOff, a.tr("、", ", ")))
	}
	if len(v.Tasks) > 0 {
		a.section("任务：", "Tasks:")
		a.printTasks(v.Tasks)
	}
	a.section("记录：", "Record:")
	a.printRecord(v.Record)
	a.printConflictsAndNext(v)
}

// section prints a section's heading.
func (a *app) section(zh, en string) { fmt.Fprintln(a.stdout, a.tr(zh, en)) }

// printDisputeHead prints the particulars and figures of a dispute.
func (a *app) printDisputeHead(d *casebook.Dispute, v *disputeView) {
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
}

func (a *app) printLinkedCases(cases []linkedCase) {
	var lc [][]string
	for _, c := range cases {
		if c.Missing {
			lc = append(lc, []string{"  " + c.ID, a.tr("（尚未同步到本台账）", "(not in this casebook yet)")})
			continue
		}
		lc = append(lc, []string{"  " + c.Number, a.statusName(c.Status), c.Building, clipWidth(c.Summary, 44)})
	}
	fmt.Fprint(a.stdout, table(lc))
}

func (a *app) printParties(parties []casebook.Party) {
	var ps [][]string
	for i, p := range parties {
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

func (a *app) printPlans(plans []casebook.PlanVersion) {
	for _, p := range plans {
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

// printMeeting prints meeting number n with its attendance, minutes and
// the votes taken at it (planN numbers the plan versions).
func (a *app) printMeeting(n int, m casebook.Meeting, votes []casebook.Vote, planN map[string]int) {
	fmt.Fprintf(a.stdout, "  %d  %s  %s  %s\n", n, shanghai(m.At), a.tr(m.Kind.Chinese(), m.Kind.English()), m.Place)
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
	for _, vt := range votes {
		if vt.Meeting == m.ID {
			fmt.Fprintf(a.stdout, "      %s%s\n", a.tr("表决 ", "vote "), a.voteText(vt, planN[vt.Plan]))
		}
	}
}

func (a *app) printTasks(tasks []casebook.Task) {
	var ts [][]string
	for i, t := range tasks {
		state := a.tr("未完成", "open")
		if t.Done {
			state = a.tr("已完成 ", "done ") + shanghai(t.DoneAt)
		}
		ts = append(ts, []string{fmt.Sprintf("  %d", i+1), t.Title, t.Owner, a.tr("截止 ", "due ") + t.Due.String(), state})
	}
	fmt.Fprint(a.stdout, table(ts))
}

// printRecord prints the dispute's record, a refused step marked so.
func (a *app) printRecord(record []casebook.DisputeEvent) {
	var rec [][]string
	for _, e := range record {
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
}

// printConflictsAndNext prints the edits to settle and the steps allowed.
func (a *app) printConflictsAndNext(v *disputeView) {
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
