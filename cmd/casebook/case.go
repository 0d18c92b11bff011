package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"casebook/casebook"
)

func (a *app) caseCmd() *cobra.Command {
	steps := []*cobra.Command{
		a.caseAddCmd(),
		a.stepCmd(casebook.ActRespond, "respond", "Sign for an appeal (签收)"),
		a.stepCmd(casebook.ActDispatch, "dispatch", "Dispatch an appeal to whoever handles it (分流交办); --to WHOM"),
		a.stepCmd(casebook.ActProgress, "progress", "Record handling progress (办理进展); --note"),
		a.stepCmd(casebook.ActResolve, "resolve", "Record that an appeal is solved (办结)"),
		a.stepCmd(casebook.ActUnresolvable, "unresolvable", "Record that an appeal cannot be solved (无法解决); --note says why"),
		a.stepCmd(casebook.ActFeedback, "feedback", "Record telling the resident the result, or the plan and progress (反馈)"),
		a.stepCmd(casebook.ActEvaluate, "evaluate", "Record the resident's evaluation at callback (评价/回访)"),
		a.stepCmd(casebook.ActEscalate, "escalate", "Escalate an appeal (提级办); --to street|district|city"),
		a.stepCmd(casebook.ActClose, "close", "Close out an appeal (销号)"),
		a.stepCmd(casebook.ActReopen, "reopen", "Reopen a finished appeal (重新办理); --note says why"),
		a.stepCmd(casebook.ActNote, "note", "Add a note to the timeline (备注); --note"),
		a.caseSetCmd(),
		a.caseLinkCmd(),
		a.caseListCmd(),
		a.caseShowCmd(),
		a.caseSheetCmd(),
	}
	return group("case", "Add appeals (诉求), take closed-loop steps and the 12345 rules' steps, set fields, link, list and show",
		append(steps, a.ruleCmds()...)...)
}

func (a *app) caseAddCmd() *cobra.Command {
	var in casebook.CaseInput
	var received, actor string
	c := &cobra.Command{
		Use:   "add --channel C --type T --category K --summary S [flags]",
		Short: "Record a new appeal (受理) and print its id",
		Long: `Record a new appeal (受理) and print its id.

Channels: 12345 (12345派单, needs --workorder), walk-in (来访来电), grid (网格员上报),
online (网络平台), box (说事点), report-meeting (报告会), deliberation (议事会),
proactive (未诉先办). Types: complaint (投诉), help (求助), suggestion (建议),
consultation (咨询). Urgency: general (一般, default), complex (复杂),
utility (水电气热), emergency (紧急). The category must be one of the
casebook's categories (casebook settings show).

The number (编号) is given from the day received, e.g. 20260315-007. The
complainant's name and phone are personal data: they stay in the casebook.`,
		Example: `  casebook case add --db town.db --channel 12345 --workorder 2026031512345678 \
    --type complaint --category 停车管理 --building 14号楼 \
    --summary "小区东门机动车乱停占用消防通道" --received "2026-03-15 09:20"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if in.Received, err = parseAt("received", received); err != nil {
				return err
			}
			return a.withBook(true, actor, func(f *casebookFile) error {
				c, err := f.book.AddCase(in)
				if err != nil {
					return err
				}
				return a.printID(c.ID, nil)
			})
		},
	}
	fl := c.Flags()
	fl.StringVar(&in.Channel, "channel", "", "intake channel (required)")
	fl.StringVar(&in.Type, "type", "", "appeal type (required)")
	fl.StringVar(&in.Category, "category", "", "category (required)")
	fl.StringVar(&in.Summary, "summary", "", "short summary (required)")
	fl.StringVar(&in.Building, "building", "", "building, e.g. 14号楼")
	fl.StringVar(&in.Unit, "unit", "", "unit or door, e.g. 2单元302")
	fl.StringVar(&in.Location, "location", "", "place, free text")
	fl.StringVar(&in.Details, "details", "", "details")
	fl.StringVar(&received, "received", "", "when received (default now)")
	fl.StringVar(&in.WorkOrder, "workorder", "", "12345 work-order number")
	fl.StringVar(&in.Urgency, "urgency", "", "urgency (default general)")
	fl.StringVar(&in.Complainant, "complainant", "", "the resident's name (personal data)")
	fl.StringVar(&in.Phone, "phone", "", "the resident's phone (personal data)")
	fl.StringVar(&in.Handler, "handler", "", "who handles it (default --actor)")
	fl.StringVar(&in.Meeting, "meeting", "", "the report meeting (报告会) it was raised at: its place")
	fl.StringVar(&in.Number, "number", "", "number (编号), if not the next one")
	fl.StringVar(&actor, "actor", "", "who records it (default the term's secretary)")
	for _, r := range []string{"channel", "type", "category", "summary"} {
		_ = c.MarkFlagRequired(r)
	}
	return c
}

// stepCmd makes the command for one step of the closed loop.
func (a *app) stepCmd(act casebook.Action, use, short string) *cobra.Command {
	var id, at, note, to, solved, satisfaction, callback, actor string
	c := &cobra.Command{
		Use:   use + " --id ID [flags]",
		Short: short,
		Long: short + `.

--id is the case's id or its number (编号). --at is when it happened (default
now), as RFC 3339 or Beijing time "2026-03-02 14:30"; it cannot be before the
appeal was received or in the future. A step the loop does not allow from
the case's status is refused, and nothing is written.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			s := casebook.Step{Action: act, Note: note, To: to}
			if s.At, err = parseAt("at", at); err != nil {
				return err
			}
			switch act {
			case casebook.ActDispatch:
				if strings.TrimSpace(to) == "" {
					return fmt.Errorf("--to: say to whom it is dispatched (物业公司, 网格员, 街道城管科 ...)")
				}
			case casebook.ActEscalate:
				lv, err := casebook.ParseLevel(to)
				if err != nil {
					return fmt.Errorf("--to: %w", err)
				}
				s.To = string(lv)
			case casebook.ActEvaluate:
				if strings.TrimSpace(callback) != "" && solved == "" && satisfaction == "" {
					if s.Callback, err = casebook.ParseCallback(callback); err != nil {
						return fmt.Errorf("--callback: %w", err)
					}
					break
				}
				if strings.TrimSpace(solved) == "" || strings.TrimSpace(satisfaction) == "" || callback != "" {
					return fmt.Errorf("an evaluation needs both --solved yes|partly|no and --satisfaction satisfied|basic|unsatisfied, or --callback alone (未评价, 未接通, 拒绝评价)")
				}
				if s.Solved, err = casebook.ParseSolved(solved); err != nil {
					return fmt.Errorf("--solved: %w", err)
				}
				if s.Satisfaction, err = casebook.ParseSatisfaction(satisfaction); err != nil {
					return fmt.Errorf("--satisfaction: %w", err)
				}
			case casebook.ActUnresolvable, casebook.ActReopen, casebook.ActProgress, casebook.ActNote:
				if strings.TrimSpace(note) == "" {
					return fmt.Errorf("--note: required for %s", use)
				}
			}
			return a.withBook(false, actor, func(f *casebookFile) error {
				c, err := f.book.Step(id, s)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "%s %s %s\n", c.Number(), c.Status, c.Status.Chinese())
				return nil
			})
		},
	}
	fl := c.Flags()
	fl.StringVar(&id, "id", "", "case id or number (required)")
	fl.StringVar(&at, "at", "", "when (default now)")
	fl.StringVar(&note, "note", "", "note")
	fl.StringVar(&actor, "actor", "", "who takes the step (default the term's secretary)")
	_ = c.MarkFlagRequired("id")
	switch act {
	case casebook.ActDispatch:
		fl.StringVar(&to, "to", "", "to whom (required)")
		_ = c.MarkFlagRequired("to")
	case casebook.ActEscalate:
		fl.StringVar(&to, "to", "", "level: street (街道), district (区) or city (市) (required)")
		_ = c.MarkFlagRequired("to")
	case casebook.ActEvaluate:
		fl.StringVar(&solved, "solved", "", "yes|partly|no (解决/部分解决/未解决)")
		fl.StringVar(&satisfaction, "satisfaction", "", "satisfied|basic|unsatisfied (满意/基本满意/不满意)")
		fl.StringVar(&callback, "callback", "", "a callback without a verdict: unevaluated|unreachable|refused (未评价/未接通/拒绝评价), instead of --solved and --satisfaction")
	case casebook.ActUnresolvable, casebook.ActReopen, casebook.ActProgress, casebook.ActNote:
		_ = c.MarkFlagRequired("note")
	}
	return c
}

func (a *app) caseSetCmd() *cobra.Command {
	var id, actor string
	var fields, values []string
	c := &cobra.Command{
		Use:   "set --id ID (--field F --value V)... | set --id ID F=V...",
		Short: "Change fields of an appeal",
		Long: `Change fields of an appeal, all in one change.

Fields: ` + strings.Join(casebook.CaseFields, ", ") + `.
An empty value clears an optional field. Setting a field that shows a
conflict (two devices changed it offline) settles the conflict.`,
		Example: `  casebook case set --db town.db --id 20260315-007 --field handler --value 李华
  casebook case set --db town.db --id 20260315-007 building=15号楼 unit=1单元`,
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			changes, err := parseChanges(fields, values, args)
			if err != nil {
				return err
			}
			return a.withBook(false, actor, func(f *casebookFile) error {
				c, err := f.book.SetFields(id, changes)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "%s %s\n", c.Number(), a.tr("已修改", "updated"))
				return nil
			})
		},
	}
	fl := c.Flags()
	fl.StringVar(&id, "id", "", "case id or number (required)")
	fl.StringArrayVar(&fields, "field", nil, "field to change (repeatable, paired with --value)")
	fl.StringArrayVar(&values, "value", nil, "its new value")
	fl.StringVar(&actor, "actor", "", "who makes the change")
	_ = c.MarkFlagRequired("id")
	return c
}

func (a *app) caseLinkCmd() *cobra.Command {
	var id, to, kind, actor string
	c := &cobra.Command{
		Use:   "link --id ID --to ID2 --kind duplicate|recurring|opposing|related",
		Short: "Link two appeals: duplicate (重复), recurring (反复), opposing (对立), related (相关)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			k, err := casebook.ParseLinkKind(kind)
			if err != nil {
				return fmt.Errorf("--kind: %w", err)
			}
			return a.withBook(false, actor, func(f *casebookFile) error {
				if err := f.book.Link(id, to, k); err != nil {
					return err
				}
				x, _ := f.book.Case(id)
				y, _ := f.book.Case(to)
				if x != nil && y != nil {
					fmt.Fprintf(a.stdout, "%s %s %s\n", x.Number(), k, y.Number())
				}
				return nil
			})
		},
	}
	fl := c.Flags()
	fl.StringVar(&id, "id", "", "case id or number (required)")
	fl.StringVar(&to, "to", "", "the other case's id or number (required)")
	fl.StringVar(&kind, "kind", "", "link kind (required)")
	fl.StringVar(&actor, "actor", "", "who links them")
	for _, r := range []string{"id", "to", "kind"} {
		_ = c.MarkFlagRequired(r)
	}
	return c
}

// filterFlags are the selection flags shared by `case list` and `metrics`.
type filterFlags struct {
	statuses, categories, buildings, channels []string
	open, overdue                             bool
	from, to, search                          string
}

func (ff *filterFlags) add(c *cobra.Command, list bool) {
	fl := c.Flags()
	fl.StringSliceVar(&ff.categories, "category", nil, "only these categories (repeatable or comma-separated)")
	fl.StringSliceVar(&ff.buildings, "building", nil, "only these buildings")
	fl.StringSliceVar(&ff.channels, "channel", nil, "only these channels")
	fl.StringVar(&ff.from, "from", "", "received on or after this day (Beijing time, 2026-03-01)")
	fl.StringVar(&ff.to, "to", "", "received on or before this day (inclusive)")
	if list {
		fl.StringSliceVar(&ff.statuses, "status", nil, "only these statuses (received, responded, dispatched, in_progress, resolved, unresolvable, feedback, evaluated, closed, returned)")
		fl.BoolVar(&ff.open, "open", false, "only appeals not closed out")
		fl.BoolVar(&ff.overdue, "overdue", false, "only appeals past their next deadline")
		fl.StringVar(&ff.search, "search", "", "words to find in number, work order, summary, category, building, handler")
	}
}

func (ff *filterFlags) filter() (casebook.Filter, error) {
	f := casebook.Filter{Open: ff.open, Overdue: ff.overdue, Text: ff.search}
	for _, s := range ff.statuses {
		st, err := casebook.ParseStatus(s)
		if err != nil {
			return f, fmt.Errorf("--status: %w", err)
		}
		f.Statuses = append(f.Statuses, st)
	}
	for _, s := range ff.channels {
		ch, err := casebook.ParseChannel(s)
		if err != nil {
			return f, fmt.Errorf("--channel: %w", err)
		}
		f.Channels = append(f.Channels, ch)
	}
	for _, s := range ff.categories {
		f.Categories = append(f.Categories, strings.TrimSpace(s))
	}
	for _, s := range ff.buildings {
		f.Buildings = append(f.Buildings, strings.TrimSpace(casebook.NormalizeWidth(s)))
	}
	var err error
	f.From, f.To, err = dayRange(ff.from, ff.to)
	return f, err
}

// listItem is a summary as `case list --json` prints it.
type listItem struct {
	*casebook.Summary
	NextDeadlineKind casebook.DeadlineKind `json:"next_deadline_kind,omitempty"`
	NextDeadline     *time.Time            `json:"next_deadline"`
	Overdue          bool                  `json:"overdue"`
	DueSoon          bool                  `json:"due_soon"`
}

func newListItem(s *casebook.Summary, now time.Time, soon time.Duration) listItem {
	it := listItem{Summary: s}
	if k, t := s.Next(); k != casebook.DeadlineNone {
		t = t.UTC()
		it.NextDeadlineKind, it.NextDeadline = k, &t
	}
	switch s.Due(now, soon) {
	case casebook.DueOverdue:
		it.Overdue = true
	case casebook.DueSoon:
		it.DueSoon = true
	}
	return it
}

func (a *app) caseListCmd() *cobra.Command {
	var ff filterFlags
	var asJSON bool
	c := &cobra.Command{
		Use:   "list [flags]",
		Short: "List appeals, newest first, as a table or JSON",
		Long: `List appeals, newest first: number, received (Beijing time), status,
category, building, summary and the next deadline. With --json, an array of
summaries with next_deadline (UTC, null if none), overdue and due_soon.`,
		Example: `  casebook case list --db town.db --open --overdue
  casebook case list --db town.db --category 停车管理 --from 2026-03-01 --to 2026-03-31 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			flt, err := ff.filter()
			if err != nil {
				return err
			}
			return a.withBook(false, "", func(f *casebookFile) error {
				now := a.now()
				soon := f.book.Settings().Policy.DueSoon
				list := f.book.List(flt, now)
				if asJSON {
					items := make([]listItem, 0, len(list))
					for _, s := range list {
						items = append(items, newListItem(s, now, soon))
					}
					return a.printJSON(items)
				}
				a.printList(list, now, soon)
				return nil
			})
		},
	}
	ff.add(c, true)
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

// caseView is a case as `case show --json` prints it: the summary's
// fields, every field's value (personal data included: it is the owner's
// casebook), the timeline, links and conflicts.
type caseView struct {
	*casebook.Summary
	Fields           map[string]string     `json:"fields"`
	Timeline         []casebook.Event      `json:"timeline"`
	Links            []casebook.Link       `json:"links"`
	Conflicts        []casebook.Conflict   `json:"conflicts"`
	NextDeadlineKind casebook.DeadlineKind `json:"next_deadline_kind,omitempty"`
	NextDeadline     *time.Time            `json:"next_deadline"`
	Overdue          bool                  `json:"overdue"`
	DueSoon          bool                  `json:"due_soon"`
}

func (a *app) caseShowCmd() *cobra.Command {
	var id string
	var asJSON bool
	c := &cobra.Command{
		Use:   "show --id ID [--json]",
		Short: "Show an appeal with its timeline, links and conflicts",
		Long: `Show an appeal with every field (the resident's name and phone included:
this is your own casebook), its timeline, links and any conflicting edits
to review.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			return a.withBook(false, "", func(f *casebookFile) error {
				c, err := f.book.Case(id)
				if err != nil {
					return err
				}
				set := f.book.Settings()
				sum := c.Summarize(&set.Policy)
				it := newListItem(&sum, a.now(), set.Policy.DueSoon)
				v := caseView{Summary: &sum, Fields: map[string]string{}, Timeline: c.Timeline, Links: c.Links,
					Conflicts: c.Conflicts(), NextDeadlineKind: it.NextDeadlineKind, NextDeadline: it.NextDeadline,
					Overdue: it.Overdue, DueSoon: it.DueSoon}
				for _, fl := range casebook.CaseFields {
					if val := c.Field(fl); val != "" {
						v.Fields[fl] = val
					}
				}
				if v.Timeline == nil {
					v.Timeline = []casebook.Event{}
				}
				if v.Links == nil {
					v.Links = []casebook.Link{}
				}
				if v.Conflicts == nil {
					v.Conflicts = []casebook.Conflict{}
				}
				if asJSON {
					return a.printJSON(v)
				}
				a.printCase(f, c, &v)
				return nil
			})
		},
	}
	c.Flags().StringVar(&id, "id", "", "case id or number (required)")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	_ = c.MarkFlagRequired("id")
	return c
}

func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
