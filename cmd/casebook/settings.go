package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"casebook/casebook"
	"casebook/casebook/input"
)

func (a *app) settingsCmd() *cobra.Command {
	return group("settings", "Show or set the community, term, deadline policy, categories and weights",
		a.settingsShowCmd(), a.settingsSetCmd())
}

func (a *app) settingsShowCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "show [--json]",
		Short: "Show the casebook's settings",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			return a.withBook(false, "", func(f *casebookFile) error {
				s := f.book.Settings()
				if asJSON {
					return a.printJSON(s)
				}
				a.printSettings(&s)
				return nil
			})
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func (a *app) printSettings(s *casebook.Settings) {
	p := &s.Policy
	rows := [][]string{
		{a.tr("社区", "Community"), s.Community.Name},
		{a.tr("街道", "Street"), s.Community.Street},
		{a.tr("区", "District"), s.Community.District},
		{a.tr("户数", "Households"), strconv.Itoa(s.Community.Households)},
		{a.tr("楼栋", "Buildings"), strings.Join(s.Community.Buildings, "、")},
		{a.tr("治理书记", "Secretary"), s.Term.Secretary},
		{a.tr("任期", "Term"), s.Term.Start.String() + " – " + s.Term.End.String()},
		{a.tr("基线 响应率/解决率/满意率", "Baseline response/resolution/satisfaction"),
			percent(s.Term.Baseline.Response) + " / " + percent(s.Term.Baseline.Resolution) + " / " + percent(s.Term.Baseline.Satisfaction)},
		{a.tr("签收时限", "Respond within"), p.Respond.String()},
		{a.tr("办理时限 一般/复杂/水电气热/紧急", "Handle within general/complex/utility/emergency"),
			p.HandleLimit(casebook.UrgencyGeneral).String() + " / " + p.HandleLimit(casebook.UrgencyComplex).String() + " / " +
				p.HandleLimit(casebook.UrgencyUtility).String() + " / " + p.HandleLimit(casebook.UrgencyEmergency).String()},
		{a.tr("计日方式", "Counting"), a.tr(p.Counting.Chinese(), p.Counting.English())},
		{a.tr("即将到期提醒", "Due soon within"), p.DueSoon.String()},
		{a.tr("分类", "Categories"), strings.Join(s.Categories, "、")},
		{a.tr("权重 部分解决/基本满意", "Weights partly solved/basically satisfied"),
			fmt.Sprintf("%g / %g", s.Weights.PartlySolved, s.Weights.BasicSatisfied)},
		{a.tr("综合得分权重 响应/解决/满意", "Composite weights response/resolution/satisfaction"),
			fmt.Sprintf("%g / %g / %g", s.Weights.Response, s.Weights.Resolution, s.Weights.Satisfaction)},
		{a.tr("重复诉求天数", "Repeat days"), strconv.Itoa(s.Weights.RepeatDays)},
		{a.tr("退单期间暂停计时", "Pause the clock while returned"), a.tr(yesNo(p.PauseWhileReturned))},
	}
	for _, name := range casebook.RuleNames {
		c := s.Rules.Choice(name)
		t := casebook.RuleCodes[name]
		rows = append(rows, []string{a.tr("考核口径·"+casebook.RuleTitles[name][0], "Assessment: "+casebook.RuleTitles[name][1]), a.tr(t.Chinese(c), t.English(c))})
	}
	rows = append(rows, []string{a.tr(casebook.RuleTitles[casebook.RuleArrive][0], casebook.RuleTitles[casebook.RuleArrive][1]), strconv.Itoa(s.Rules.ArriveMinutes)})
	fmt.Fprint(a.stdout, table(rows))
}

func yesNo(b bool) (string, string) {
	if b {
		return "是", "yes"
	}
	return "否", "no"
}

func (a *app) settingsSetCmd() *cobra.Command {
	vals := map[string]*string{}
	c := &cobra.Command{
		Use:   "set [flags]",
		Short: "Set the community, term, baseline, deadline policy, categories or weights",
		Long: `Set parts of the casebook's settings; only the flags given change, all in one
change. A new casebook is made at --db if there is none, so a term can be
set up without the desktop app.

Days are in Beijing time (2025-12-01). Rates are percentages as the
district writes them (86, 86%, or 0.86; "none" clears). Limits are hours or
days ("2h", "7d", "15天"). Counting is calendar or working (自然日, 工作日).
The rule set of the assessment basis (考核口径): --rule-returned,
--rule-contested (excluded, counted), --rule-merged (once, each),
--rule-unevaluated (excluded, unsatisfied, satisfied), --rule-extended
(approved, original, excluded), --arrive-minutes.`,
		Example: `  casebook settings set --db town.db --community 示例社区 --households 2100 \
    --buildings 1-30 --secretary 王明 --term-start 2025-12-01 --term-end 2026-10-31 \
    --baseline-response 86 --baseline-resolution 62% --baseline-satisfaction 0.70`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Read every flag given before opening the file.
			var given []settingFlag
			scratch := casebook.DefaultSettings()
			for _, sf := range settingFlags {
				if cmd.Flags().Changed(sf.name) {
					if err := sf.set(&scratch, *vals[sf.name]); err != nil {
						return flagErr(sf.name, err)
					}
					given = append(given, sf)
				}
			}
			if len(given) == 0 {
				return fmt.Errorf("nothing to set: give at least one setting flag (see --help)")
			}
			return a.withBook(true, "", func(f *casebookFile) error {
				s := f.book.Settings()
				var keys []string
				for _, sf := range given {
					_ = sf.set(&s, *vals[sf.name]) // read above
					if !slices.Contains(keys, sf.key) {
						keys = append(keys, sf.key)
					}
				}
				// UpdateSettings writes every change as one operation.
				if err := f.book.UpdateSettings(s, keys...); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "%s: %s\n", a.tr("已保存", "saved"), strings.Join(keys, ", "))
				return nil
			})
		},
	}
	for _, sf := range settingFlags {
		vals[sf.name] = c.Flags().String(sf.name, "", sf.usage)
	}
	return c
}

// settingFlag is one flag of settings set: the settings key it changes and
// how its text is read into the settings (set's error does not name the
// flag; the caller does). The table drives the flags, their reading and
// the keys written.
type settingFlag struct {
	name, usage string
	key         string // casebook.SettingCommunity, SettingTerm, …
	set         func(s *casebook.Settings, v string) error
}

var settingFlags = []settingFlag{
	{"community", "community name (社区)", casebook.SettingCommunity, setText(func(s *casebook.Settings) *string { return &s.Community.Name })},
	{"street", "street office (街道)", casebook.SettingCommunity, setText(func(s *casebook.Settings) *string { return &s.Community.Street })},
	{"district", "district (区)", casebook.SettingCommunity, setText(func(s *casebook.Settings) *string { return &s.Community.District })},
	{"households", "number of households (户数)", casebook.SettingCommunity, setCount(10_000_000, func(s *casebook.Settings) *int { return &s.Community.Households })},
	{"buildings", "building pick-list: names separated by commas; 1-30 means 1号楼…30号楼", casebook.SettingCommunity, setBuildings},
	{"secretary", "governance secretary (治理书记)", casebook.SettingTerm, setText(func(s *casebook.Settings) *string { return &s.Term.Secretary })},
	{"term-start", "first day of the term", casebook.SettingTerm, setDay(func(s *casebook.Settings) *casebook.Date { return &s.Term.Start })},
	{"term-end", "last day of the term", casebook.SettingTerm, setDay(func(s *casebook.Settings) *casebook.Date { return &s.Term.End })},
	{"baseline-response", "response rate before the term (86, 86% or 0.86)", casebook.SettingTerm, setRate(func(s *casebook.Settings) **float64 { return &s.Term.Baseline.Response })},
	{"baseline-resolution", "resolution rate before the term", casebook.SettingTerm, setRate(func(s *casebook.Settings) **float64 { return &s.Term.Baseline.Resolution })},
	{"baseline-satisfaction", "satisfaction rate before the term", casebook.SettingTerm, setRate(func(s *casebook.Settings) **float64 { return &s.Term.Baseline.Satisfaction })},
	{"categories", "the category list, separated by commas (replaces the list)", casebook.SettingCategories, setCategories},
	{"respond", "time to sign for an appeal, e.g. 1d", casebook.SettingPolicy, setLimit(func(p *casebook.DeadlinePolicy) *casebook.Limit { return &p.Respond })},
	{"handle-general", "time to solve a general appeal, e.g. 7d", casebook.SettingPolicy, setHandle(casebook.UrgencyGeneral)},
	{"handle-complex", "time to give a plan on a complex appeal, e.g. 15d", casebook.SettingPolicy, setHandle(casebook.UrgencyComplex)},
	{"handle-utility", "time to solve a water/power/gas/heating appeal, e.g. 24h", casebook.SettingPolicy, setHandle(casebook.UrgencyUtility)},
	{"handle-emergency", "time to act on an emergency, e.g. 2h", casebook.SettingPolicy, setHandle(casebook.UrgencyEmergency)},
	{"counting", "count days as calendar or working days (自然日, 工作日)", casebook.SettingPolicy, setCounting},
	{"due-soon", "warn this long before a deadline, e.g. 24h", casebook.SettingPolicy, setDueSoon},
	{"weight-partly", "weight of 部分解决 in the resolution rate (0..1)", casebook.SettingWeights, setFraction(func(w *casebook.Weights) *float64 { return &w.PartlySolved })},
	{"weight-basic", "weight of 基本满意 in the satisfaction rate (0..1)", casebook.SettingWeights, setFraction(func(w *casebook.Weights) *float64 { return &w.BasicSatisfied })},
	{"weight-response", "composite score weight of the response rate", casebook.SettingWeights, setFraction(func(w *casebook.Weights) *float64 { return &w.Response })},
	{"weight-resolution", "composite score weight of the resolution rate", casebook.SettingWeights, setFraction(func(w *casebook.Weights) *float64 { return &w.Resolution })},
	{"weight-satisfaction", "composite score weight of the satisfaction rate", casebook.SettingWeights, setFraction(func(w *casebook.Weights) *float64 { return &w.Satisfaction })},
	{"repeat-days", "same building and category within this many days is a repeat appeal (0 turns it off)", casebook.SettingWeights, setCount(366, func(s *casebook.Settings) *int { return &s.Weights.RepeatDays })},
	{"pause-while-returned", "yes: the time a refused return (退单) took moves the deadlines; no: the clock runs on", casebook.SettingPolicy, setPause},
	{"rule-returned", "assessment basis: returned appeals excluded|counted", casebook.SettingRules, setRule(casebook.RuleReturned)},
	{"rule-contested", "assessment basis: contested appeals (申诉成立) excluded|counted", casebook.SettingRules, setRule(casebook.RuleContested)},
	{"rule-merged", "assessment basis: merged appeals (并单) once|each", casebook.SettingRules, setRule(casebook.RuleMerged)},
	{"rule-unevaluated", "assessment basis: callbacks without a verdict excluded|unsatisfied|satisfied", casebook.SettingRules, setRule(casebook.RuleUnevaluated)},
	{"rule-extended", "assessment basis: extended appeals on time against the approved|original deadline, or excluded", casebook.SettingRules, setRule(casebook.RuleExtended)},
	{"arrive-minutes", "吹哨报到: minutes a summoned department has to report (1-1440)", casebook.SettingRules, setArrive},
}

func setRule(rule string) func(*casebook.Settings, string) error {
	return func(s *casebook.Settings, v string) error { return s.Rules.SetChoice(rule, v) }
}

func setArrive(s *casebook.Settings, v string) error {
	n, err := input.Count(v, 24*60)
	s.Rules.ArriveMinutes = n
	if err == nil && n < 1 {
		return fmt.Errorf("%q: at least 1 minute", v)
	}
	return err
}

func setPause(s *casebook.Settings, v string) error {
	d, err := casebook.ParseDecision(v)
	s.Policy.PauseWhileReturned = d == casebook.DecisionAccepted
	if err != nil {
		return fmt.Errorf("%q: write yes or no", v)
	}
	return nil
}

// The readers of settingFlags: each reads a flag's text into its setting.

func setText(field func(*casebook.Settings) *string) func(*casebook.Settings, string) error {
	return func(s *casebook.Settings, v string) error {
		*field(s) = strings.TrimSpace(v)
		return nil
	}
}

func setCount(max int, field func(*casebook.Settings) *int) func(*casebook.Settings, string) error {
	return func(s *casebook.Settings, v string) error {
		n, err := input.Count(v, max)
		*field(s) = n
		return err
	}
}

func setDay(field func(*casebook.Settings) *casebook.Date) func(*casebook.Settings, string) error {
	return func(s *casebook.Settings, v string) error {
		d := casebook.Date{}
		if strings.TrimSpace(v) != "" {
			var err error
			if d, err = casebook.ParseDate(v); err == nil {
				err = casebook.CheckDate(d)
			}
			if err != nil {
				return err
			}
		}
		*field(s) = d
		return nil
	}
}

func setRate(field func(*casebook.Settings) **float64) func(*casebook.Settings, string) error {
	return func(s *casebook.Settings, v string) error {
		r, err := input.Rate(v)
		*field(s) = r
		return err
	}
}

func setFraction(field func(*casebook.Weights) *float64) func(*casebook.Settings, string) error {
	return func(s *casebook.Settings, v string) error {
		x, err := input.Fraction(v)
		*field(&s.Weights) = x
		return err
	}
}

func setLimit(field func(*casebook.DeadlinePolicy) *casebook.Limit) func(*casebook.Settings, string) error {
	return func(s *casebook.Settings, v string) error {
		l, err := casebook.ParseLimit(v)
		*field(&s.Policy) = l
		return err
	}
}

func setHandle(u casebook.Urgency) func(*casebook.Settings, string) error {
	return func(s *casebook.Settings, v string) error {
		l, err := casebook.ParseLimit(v)
		if s.Policy.Handle == nil {
			s.Policy.Handle = map[casebook.Urgency]casebook.Limit{}
		}
		s.Policy.Handle[u] = l
		return err
	}
}

func setBuildings(s *casebook.Settings, v string) error {
	b, err := input.Buildings(v)
	s.Community.Buildings = b
	return err
}

func setCategories(s *casebook.Settings, v string) error {
	s.Categories = input.List(v)
	return nil
}

func setCounting(s *casebook.Settings, v string) error {
	c, err := casebook.ParseCounting(v)
	s.Policy.Counting = c
	return err
}

// setDueSoon reads a duration (24h, 90m) or a limit (1天, 48小时).
func setDueSoon(s *casebook.Settings, v string) error {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil {
		l, lerr := casebook.ParseLimit(v)
		if lerr != nil {
			return fmt.Errorf("%q is not a duration like 24h or 48h", v)
		}
		d = time.Duration(l.Amount) * time.Hour
		if l.Unit == casebook.UnitDays {
			d *= 24
		}
	}
	if d < 0 {
		return fmt.Errorf("%q is negative", v)
	}
	s.Policy.DueSoon = d
	return nil
}
