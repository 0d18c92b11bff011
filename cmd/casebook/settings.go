package main

import (
	"fmt"
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
		{a.tr("计日方式", "Counting"), string(p.Counting)},
		{a.tr("即将到期提醒", "Due soon within"), p.DueSoon.String()},
		{a.tr("分类", "Categories"), strings.Join(s.Categories, "、")},
		{a.tr("权重 部分解决/基本满意", "Weights partly solved/basically satisfied"),
			fmt.Sprintf("%g / %g", s.Weights.PartlySolved, s.Weights.BasicSatisfied)},
		{a.tr("综合得分权重 响应/解决/满意", "Composite weights response/resolution/satisfaction"),
			fmt.Sprintf("%g / %g / %g", s.Weights.Response, s.Weights.Resolution, s.Weights.Satisfaction)},
		{a.tr("重复诉求天数", "Repeat days"), strconv.Itoa(s.Weights.RepeatDays)},
	}
	fmt.Fprint(a.stdout, table(rows))
}

func (a *app) settingsSetCmd() *cobra.Command {
	var v struct {
		community, street, district, buildings            string
		households                                        int
		termStart, termEnd, secretary                     string
		baseResponse, baseResolution, baseSatisfaction    string
		categories                                        string
		respond, general, complexL, utility, emergency    string
		counting, dueSoon                                 string
		wPartly, wBasic, wResponse, wResolution, wSatisfy string
		repeatDays                                        int
	}
	c := &cobra.Command{
		Use:   "set [flags]",
		Short: "Set the community, term, baseline, deadline policy, categories or weights",
		Long: `Set parts of the casebook's settings; only the flags given change, all in one
change. A new casebook is made at --db if there is none, so a term can be
set up without the desktop app.

Days are in Beijing time (2025-12-01). Rates are fractions or percentages
(0.86 or 86%; "none" clears). Limits are hours or days ("2h", "7d", "15天").`,
		Example: `  casebook settings set --db town.db --community 示例社区 --households 2100 \
    --buildings 1-30 --secretary 王明 --term-start 2025-12-01 --term-end 2026-10-31 \
    --baseline-response 0.86 --baseline-resolution 0.62 --baseline-satisfaction 0.70`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			changed := cmd.Flags().Changed
			var keys []string
			touch := func(k string) {
				for _, x := range keys {
					if x == k {
						return
					}
				}
				keys = append(keys, k)
			}
			// Parse everything before opening the file.
			var start, end casebook.Date
			if start, err = parseDay("term-start", v.termStart); err != nil {
				return err
			}
			if end, err = parseDay("term-end", v.termEnd); err != nil {
				return err
			}
			var rates [3]*float64
			for i, r := range []struct{ flag, val string }{
				{"baseline-response", v.baseResponse}, {"baseline-resolution", v.baseResolution}, {"baseline-satisfaction", v.baseSatisfaction},
			} {
				if rates[i], err = parseRate(r.flag, r.val); err != nil {
					return err
				}
			}
			buildings, err := input.Buildings(v.buildings)
			if err != nil {
				return flagErr("buildings", err)
			}
			limits := map[string]casebook.Limit{}
			for _, x := range []struct{ flag, val string }{{"respond", v.respond}, {"handle-general", v.general},
				{"handle-complex", v.complexL}, {"handle-utility", v.utility}, {"handle-emergency", v.emergency}} {
				if changed(x.flag) {
					l, err := casebook.ParseLimit(x.val)
					if err != nil {
						return fmt.Errorf("--%s: %w", x.flag, err)
					}
					limits[x.flag] = l
				}
			}
			var dueSoon time.Duration
			if changed("due-soon") {
				if dueSoon, err = time.ParseDuration(strings.TrimSpace(v.dueSoon)); err != nil || dueSoon < 0 {
					return fmt.Errorf("--due-soon: %q is not a duration like 24h or 48h", v.dueSoon)
				}
			}
			weights := map[string]float64{}
			for _, x := range []struct{ flag, val string }{{"weight-partly", v.wPartly}, {"weight-basic", v.wBasic},
				{"weight-response", v.wResponse}, {"weight-resolution", v.wResolution}, {"weight-satisfaction", v.wSatisfy}} {
				if changed(x.flag) {
					if weights[x.flag], err = parseFraction(x.flag, x.val); err != nil {
						return err
					}
				}
			}
			if changed("households") && v.households < 0 {
				return fmt.Errorf("--households: cannot be negative")
			}

			return a.withBook(true, "", func(f *casebookFile) error {
				// keys and UpdateSettings write every change as one operation.
				s := f.book.Settings()
				cm, tm, pol, w := &s.Community, &s.Term, &s.Policy, &s.Weights
				str := func(flag string, dst *string, val, key string) {
					if changed(flag) {
						*dst = strings.TrimSpace(val)
						touch(key)
					}
				}
				str("community", &cm.Name, v.community, casebook.SettingCommunity)
				str("street", &cm.Street, v.street, casebook.SettingCommunity)
				str("district", &cm.District, v.district, casebook.SettingCommunity)
				if changed("households") {
					cm.Households = v.households
					touch(casebook.SettingCommunity)
				}
				if changed("buildings") {
					cm.Buildings = buildings
					touch(casebook.SettingCommunity)
				}
				str("secretary", &tm.Secretary, v.secretary, casebook.SettingTerm)
				if changed("term-start") {
					tm.Start = start
					touch(casebook.SettingTerm)
				}
				if changed("term-end") {
					tm.End = end
					touch(casebook.SettingTerm)
				}
				for i, flag := range []string{"baseline-response", "baseline-resolution", "baseline-satisfaction"} {
					if changed(flag) {
						*[]**float64{&tm.Baseline.Response, &tm.Baseline.Resolution, &tm.Baseline.Satisfaction}[i] = rates[i]
						touch(casebook.SettingTerm)
					}
				}
				if changed("categories") {
					s.Categories = input.List(v.categories)
					touch(casebook.SettingCategories)
				}
				for flag, l := range limits {
					switch flag {
					case "respond":
						pol.Respond = l
					case "handle-general":
						pol.Handle[casebook.UrgencyGeneral] = l
					case "handle-complex":
						pol.Handle[casebook.UrgencyComplex] = l
					case "handle-utility":
						pol.Handle[casebook.UrgencyUtility] = l
					case "handle-emergency":
						pol.Handle[casebook.UrgencyEmergency] = l
					}
					touch(casebook.SettingPolicy)
				}
				if changed("counting") {
					switch casebook.Counting(strings.ToLower(strings.TrimSpace(v.counting))) {
					case casebook.CountCalendar, "自然日":
						pol.Counting = casebook.CountCalendar
					case casebook.CountWorking, "工作日":
						pol.Counting = casebook.CountWorking
					default:
						return fmt.Errorf("--counting: %q is not calendar or working", v.counting)
					}
					touch(casebook.SettingPolicy)
				}
				if changed("due-soon") {
					pol.DueSoon = dueSoon
					touch(casebook.SettingPolicy)
				}
				for flag, x := range weights {
					switch flag {
					case "weight-partly":
						w.PartlySolved = x
					case "weight-basic":
						w.BasicSatisfied = x
					case "weight-response":
						w.Response = x
					case "weight-resolution":
						w.Resolution = x
					case "weight-satisfaction":
						w.Satisfaction = x
					}
					touch(casebook.SettingWeights)
				}
				if changed("repeat-days") {
					w.RepeatDays = v.repeatDays
					touch(casebook.SettingWeights)
				}
				if len(keys) == 0 {
					return fmt.Errorf("nothing to set: give at least one setting flag (see --help)")
				}
				if err := f.book.UpdateSettings(s, keys...); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "%s: %s\n", a.tr("已保存", "saved"), strings.Join(keys, ", "))
				return nil
			})
		},
	}
	fl := c.Flags()
	fl.StringVar(&v.community, "community", "", "community name (社区)")
	fl.StringVar(&v.street, "street", "", "street office (街道)")
	fl.StringVar(&v.district, "district", "", "district (区)")
	fl.IntVar(&v.households, "households", 0, "number of households (户数)")
	fl.StringVar(&v.buildings, "buildings", "", "building pick-list: names separated by commas; 1-30 means 1号楼…30号楼")
	fl.StringVar(&v.secretary, "secretary", "", "governance secretary (治理书记)")
	fl.StringVar(&v.termStart, "term-start", "", "first day of the term")
	fl.StringVar(&v.termEnd, "term-end", "", "last day of the term")
	fl.StringVar(&v.baseResponse, "baseline-response", "", "response rate before the term")
	fl.StringVar(&v.baseResolution, "baseline-resolution", "", "resolution rate before the term")
	fl.StringVar(&v.baseSatisfaction, "baseline-satisfaction", "", "satisfaction rate before the term")
	fl.StringVar(&v.categories, "categories", "", "the category list, separated by commas (replaces the list)")
	fl.StringVar(&v.respond, "respond", "", "time to sign for an appeal, e.g. 1d")
	fl.StringVar(&v.general, "handle-general", "", "time to solve a general appeal, e.g. 7d")
	fl.StringVar(&v.complexL, "handle-complex", "", "time to give a plan on a complex appeal, e.g. 15d")
	fl.StringVar(&v.utility, "handle-utility", "", "time to solve a water/power/gas/heating appeal, e.g. 24h")
	fl.StringVar(&v.emergency, "handle-emergency", "", "time to act on an emergency, e.g. 2h")
	fl.StringVar(&v.counting, "counting", "", "count days as calendar or working days")
	fl.StringVar(&v.dueSoon, "due-soon", "", "warn this long before a deadline, e.g. 24h")
	fl.StringVar(&v.wPartly, "weight-partly", "", "weight of 部分解决 in the resolution rate (0..1)")
	fl.StringVar(&v.wBasic, "weight-basic", "", "weight of 基本满意 in the satisfaction rate (0..1)")
	fl.StringVar(&v.wResponse, "weight-response", "", "composite score weight of the response rate")
	fl.StringVar(&v.wResolution, "weight-resolution", "", "composite score weight of the resolution rate")
	fl.StringVar(&v.wSatisfy, "weight-satisfaction", "", "composite score weight of the satisfaction rate")
	fl.IntVar(&v.repeatDays, "repeat-days", 0, "same building and category within this many days is a repeat appeal (0 turns it off)")
	return c
}
