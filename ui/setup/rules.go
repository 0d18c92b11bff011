package setup

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/ui/guard"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// The rule set of the assessment basis (考核口径): for each kind of case
// the 12345 rules touch, how it counts; the minutes a summoned department
// has to report; and whether a refused return's time away moves the
// deadlines (a setting of the deadline policy, shown here with the rules
// it belongs with).

const groupRules = "rules"

// rulesView holds the inputs of the rule set.
type rulesView struct {
	choices map[string]*widget.Select
	arrive  *widget.Entry
	pause   *widget.Check
	save    *widget.Button
}

// rulesGroup builds the group with the form helpers of Build.
func (v *settingsView) rulesGroup(set casebook.Settings, row func(key, label string, input fyne.CanvasObject) []fyne.CanvasObject,
	group func(key string, save *widget.Button, rows ...[]fyne.CanvasObject) fyne.CanvasObject) fyne.CanvasObject {
	r := &rulesView{choices: map[string]*widget.Select{}}
	v.rules = r
	var rows [][]fyne.CanvasObject
	for _, name := range casebook.RuleNames {
		codes := casebook.RuleCodes[name].Codes()
		c := words.NewChoice(codes, words.RuleChoiceName)
		sel := widgets.NewSelect(c.Names, nil)
		for i, code := range codes {
			if code == set.Rules.Choice(name) {
				sel.SetSelectedIndex(i)
			}
		}
		r.choices[name] = sel
		rows = append(rows, row(name, words.RuleName(name), sel))
	}
	r.arrive = widget.NewEntry()
	r.arrive.SetText(strconv.Itoa(set.Rules.ArriveMinutes))
	rows = append(rows, row(casebook.RuleArrive, words.RuleName(casebook.RuleArrive), r.arrive))
	r.pause = widget.NewCheck(lang.X("settings.pause", "Deadlines move by the time a refused return took"), nil)
	r.pause.SetChecked(set.Policy.PauseWhileReturned)
	rows = append(rows, row("pause_while_returned", lang.X("settings.pause.label", "Refused returns"), r.pause))
	r.save = widget.NewButtonWithIcon(lang.X("settings.save", "Save"), theme.DocumentSaveIcon(), guard.Func(v.saveRulesGroup))
	return group(groupRules, r.save, rows...)
}

func (v *settingsView) saveRulesGroup() {
	r := v.rules
	v.clear(append(append([]string{}, casebook.RuleNames...), casebook.RuleArrive)...)
	widgets.SetErr(v.msgs[groupRules], "")
	s := v.a.Settings()
	for _, name := range casebook.RuleNames {
		codes := casebook.RuleCodes[name].Codes()
		if i := r.choices[name].SelectedIndex(); i >= 0 && i < len(codes) {
			_ = s.Rules.SetChoice(name, string(codes[i]))
		}
	}
	n, err := strconv.Atoi(strings.TrimSpace(casebook.NormalizeWidth(r.arrive.Text)))
	if err != nil {
		widgets.SetErr(v.errs[casebook.RuleArrive], words.MsgNumber())
		return
	}
	s.Rules.ArriveMinutes = n
	keys := []string{casebook.SettingRules}
	if s.Policy.PauseWhileReturned != r.pause.Checked {
		s.Policy.PauseWhileReturned = r.pause.Checked
		keys = append(keys, casebook.SettingPolicy)
	}
	v.save(groupRules, s, keys...)
}
