package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"casebook/casebook"
)

// The steps of the 12345 rules: 退单, 申诉, 延期 and their decisions, 并单,
// 吹哨报到. Each is a table row: its command, the flags it reads and how
// they fill the step; the plumbing (the case, the time, the actor, the
// output) is ruleCmd's.

// ruleFlag is one flag of a rule step: its name, usage, whether it is
// required, and how its text fills the step.
type ruleFlag struct {
	name, usage string
	required    bool
	set         func(s *casebook.Step, v string) error
}

var (
	flagReason   = ruleFlag{"reason", "why (required)", true, func(s *casebook.Step, v string) error { s.Note = v; return nil }}
	flagNote     = ruleFlag{"note", "a note", false, func(s *casebook.Step, v string) error { s.Note = v; return nil }}
	flagAccepted = ruleFlag{"accepted", "yes|no (同意/不同意) (required)", true, func(s *casebook.Step, v string) (err error) {
		s.Decision, err = casebook.ParseDecision(v)
		return err
	}}
	flagUntil = func(required bool, usage string) ruleFlag {
		return ruleFlag{"until", usage, required, func(s *casebook.Step, v string) (err error) {
			if strings.TrimSpace(v) == "" {
				return nil
			}
			s.Until, err = casebook.ParseDate(v)
			return err
		}}
	}
)

// ruleSteps are the commands of the rule steps.
var ruleSteps = []struct {
	act        casebook.Action
	use, short string
	flags      []ruleFlag
}{
	{casebook.ActReturn, "return", "Return a work order that is not the community's business (退单); --reason, --to the unit it belongs to",
		[]ruleFlag{flagReason, {"to", "the unit it belongs to (改派给)", false, func(s *casebook.Step, v string) error { s.To = v; return nil }}}},
	{casebook.ActReturnDecided, "return-decided", "Record the hotline's decision on a return (退单审核): accepted, it leaves the community's books",
		[]ruleFlag{flagAccepted, flagNote, {"to", "the unit it was reassigned to, if not the one asked", false, func(s *casebook.Step, v string) error { s.To = v; return nil }}}},
	{casebook.ActContest, "contest", "Contest an appeal as unreasonable (申诉, 不合理诉求); --reason, --evidence",
		[]ruleFlag{flagReason, {"evidence", "the evidence (证据)", false, func(s *casebook.Step, v string) error { s.Evidence = v; return nil }}}},
	{casebook.ActContestDecided, "contest-decided", "Record the decision on a contest (申诉审核): accepted, it leaves the assessment basis",
		[]ruleFlag{flagAccepted, flagNote}},
	{casebook.ActExtend, "extend", "Ask for more time (延期申请) until a day; --until YYYY-MM-DD --reason",
		[]ruleFlag{flagUntil(true, "the last day asked for (required)"), flagReason}},
	{casebook.ActExtendDecided, "extend-decided", "Record the decision on an extension (延期审批): approved, the handling deadline moves",
		[]ruleFlag{flagAccepted, flagUntil(false, "the day granted, if not the one asked"), flagNote}},
	{casebook.ActWhistle, "whistle", "Summon departments to a problem beyond the community (吹哨); --departments 城管,消防,物业",
		[]ruleFlag{{"departments", "the departments summoned, comma-separated (required)", true, func(s *casebook.Step, v string) error { s.To = v; return nil }}, flagNote}},
	{casebook.ActArrive, "arrived", "Record that a summoned department reported to the scene (报到); --department, --at",
		[]ruleFlag{{"department", "the department (required)", true, func(s *casebook.Step, v string) error { s.To = v; return nil }}, flagNote}},
	{casebook.ActWhistleResult, "whistle-result", "Record the joint handling's result and rate each department (联合处置结果); --result, --rating 城管=满意",
		[]ruleFlag{{"result", "what the joint handling did (required)", true, func(s *casebook.Step, v string) error { s.Note = v; return nil }}}},
}

func (a *app) ruleCmds() []*cobra.Command {
	out := make([]*cobra.Command, 0, len(ruleSteps)+1)
	for _, rs := range ruleSteps {
		out = append(out, a.ruleCmd(rs.act, rs.use, rs.short, rs.flags))
	}
	return append(out, a.caseMergeCmd())
}

// ruleCmd makes the command of one rule step.
func (a *app) ruleCmd(act casebook.Action, use, short string, flags []ruleFlag) *cobra.Command {
	var id, at, actor string
	var ratings []string
	vals := make([]*string, len(flags))
	c := &cobra.Command{
		Use:   use + " --id ID [flags]",
		Short: short,
		Long: short + `.

--id is the case's id or its number (编号). --at is when it happened (default
now). A request (退单, 申诉, 延期) waits for its decision; one of a kind at a
time. A step the case does not allow is refused with one line saying why,
and nothing is written.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			s := casebook.Step{Action: act}
			if s.At, err = parseAt("at", at); err != nil {
				return err
			}
			for i, fl := range flags {
				if err := fl.set(&s, *vals[i]); err != nil {
					return flagErr(fl.name, err)
				}
			}
			if s.Ratings, err = parseRatings(ratings); err != nil {
				return flagErr("rating", err)
			}
			return a.withBook(false, actor, func(f *casebookFile) error {
				c, err := f.book.Step(id, s)
				if err != nil {
					return err
				}
				a.printRuleState(c)
				return nil
			})
		},
	}
	fl := c.Flags()
	fl.StringVar(&id, "id", "", "case id or number (required)")
	fl.StringVar(&at, "at", "", "when (default now)")
	fl.StringVar(&actor, "actor", "", "who takes the step (default the term's secretary)")
	_ = c.MarkFlagRequired("id")
	for i, rf := range flags {
		vals[i] = fl.String(rf.name, "", rf.usage)
		if rf.required {
			_ = c.MarkFlagRequired(rf.name)
		}
	}
	if act == casebook.ActWhistleResult {
		fl.StringArrayVar(&ratings, "rating", nil, "DEPARTMENT=满意|基本满意|不满意 (repeatable)")
	}
	return c
}

// parseRatings reads --rating 城管=满意 flags.
func parseRatings(vs []string) ([]casebook.DeptRating, error) {
	var out []casebook.DeptRating
	for _, v := range vs {
		dept, grade, ok := strings.Cut(strings.ReplaceAll(v, "＝", "="), "=")
		if !ok {
			return nil, fmt.Errorf("%q: write DEPARTMENT=满意, 基本满意 or 不满意", v)
		}
		g, err := casebook.ParseSatisfaction(grade)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", v, err)
		}
		out = append(out, casebook.DeptRating{Dept: strings.TrimSpace(dept), Rating: g})
	}
	return out, nil
}

func (a *app) caseMergeCmd() *cobra.Command {
	var id, into, actor string
	c := &cobra.Command{
		Use:   "merge --id ID --into MAIN",
		Short: "Merge a repeated appeal into the main one's handling (并单)",
		Long: `Merge a repeated appeal into the main one's handling (并单). Steps taken on the
main appeal afterwards (签收, 交办, 办理进展, 办结, 反馈, 销号) are taken on the
merged ones too, each pointing at the main; each keeps its own evaluation.
The main appeal must be open; an appeal merged into another cannot be a
main itself.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withBook(false, actor, func(f *casebookFile) error {
				c, err := f.book.MergeCase(id, into)
				if err != nil {
					return err
				}
				m, _ := f.book.Case(c.MergedInto)
				if m != nil {
					fmt.Fprintf(a.stdout, "%s %s %s\n", c.Number(), a.tr("并入", "merged into"), m.Number())
				}
				return nil
			})
		},
	}
	fl := c.Flags()
	fl.StringVar(&id, "id", "", "the repeated appeal's id or number (required)")
	fl.StringVar(&into, "into", "", "the main appeal's id or number (required)")
	fl.StringVar(&actor, "actor", "", "who merges them")
	_ = c.MarkFlagRequired("id")
	_ = c.MarkFlagRequired("into")
	return c
}

// printRuleState prints the case's number, status and what of the 12345
// rules stands: a pending request, an accepted contest, an extension, the
// departments still to report.
func (a *app) printRuleState(c *casebook.Case) {
	parts := []string{c.Number(), string(c.Status), c.Status.Chinese()}
	for _, p := range []struct {
		r      casebook.Requests
		zh, en string
	}{{casebook.RequestReturn, "退单审核中", "return pending"}, {casebook.RequestContest, "申诉审核中", "contest pending"},
		{casebook.RequestExtend, "延期审批中", "extension pending"}} {
		if c.Pending.Has(p.r) {
			parts = append(parts, a.tr(p.zh, p.en))
		}
	}
	if c.Contested {
		parts = append(parts, a.tr("申诉成立", "contest accepted"))
	}
	if !c.ExtendedTo.IsZero() {
		parts = append(parts, a.tr("办理时限延至 ", "handle by ")+shanghai(c.ExtendedTo))
	}
	var waiting []string
	for _, w := range c.Whistle {
		if w.Arrived.IsZero() {
			waiting = append(waiting, w.Dept)
		}
	}
	if len(waiting) > 0 {
		parts = append(parts, a.tr("待报到：", "to report: ")+strings.Join(waiting, "、"))
	}
	fmt.Fprintln(a.stdout, strings.Join(parts, " "))
}
