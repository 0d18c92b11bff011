package casebook

// The 12345 rules beyond the loop (DOMAIN.md): 退单/改派 (a return of a
// work order that is not the community's business, and the hotline's
// decision), 申诉 (a contest of an unreasonable appeal, 不合理诉求), 延期
// (an extension of the handling deadline), 并单 (a repeated appeal merged
// into the main one's handling), 吹哨报到 (departments summoned to a
// problem beyond the community), and the callback outcomes without a
// verdict (未评价, 未接通, 拒绝评价). No national text fixes how these
// count, so the assessment basis (考核口径) follows a rule set kept in the
// settings (Rules), and the rates are shown both ways: the raw basis
// (全口径) counts every appeal as the casebook records it.

import (
	"fmt"
	"strings"
	"time"
)

// Callback is a callback (回访) that brought no verdict.
type Callback string

// Callback outcomes without a verdict.
const (
	CallbackNone        Callback = "unevaluated" // 未评价: the resident gave no evaluation
	CallbackUnreachable Callback = "unreachable" // 未接通: the call did not get through
	CallbackRefused     Callback = "refused"     // 拒绝评价: the resident declined to evaluate
)

// CallbackCodes is the code table of the callback outcomes without a verdict.
var CallbackCodes = &CodeTable[Callback]{
	what: "callback",
	names: []codeName{
		{string(CallbackNone), "未评价", "not evaluated"},
		{string(CallbackUnreachable), "未接通", "not reached"},
		{string(CallbackRefused), "拒绝评价", "declined to evaluate"},
	},
	aliases: map[string]string{"无法联系": "unreachable", "联系不上": "unreachable", "未回访": "unevaluated", "不评价": "refused", "拒评": "refused", "none": "unevaluated"},
}

// ParseCallback accepts a callback outcome code or its Chinese name.
func ParseCallback(s string) (Callback, error) { return CallbackCodes.Parse(s) }

// Chinese returns the outcome's Chinese name.
func (c Callback) Chinese() string { return CallbackCodes.Chinese(c) }

// English returns the outcome's English name.
func (c Callback) English() string { return CallbackCodes.English(c) }

// Decision is the hotline's (or the street's) answer to a request: a
// return, a contest or an extension.
type Decision string

// Decisions.
const (
	DecisionAccepted Decision = "accepted" // 同意 / 通过
	DecisionRefused  Decision = "refused"  // 不同意 / 驳回
)

// DecisionCodes is the code table of decisions; yes|no are accepted.
var DecisionCodes = &CodeTable[Decision]{
	what: "decision",
	names: []codeName{
		{string(DecisionAccepted), "同意", "accepted"},
		{string(DecisionRefused), "不同意", "refused"},
	},
	aliases: map[string]string{"yes": "accepted", "y": "accepted", "是": "accepted", "通过": "accepted", "批准": "accepted", "准予": "accepted",
		"no": "refused", "n": "refused", "否": "refused", "驳回": "refused", "不通过": "refused", "不予": "refused"},
}

// ParseDecision accepts accepted|refused, yes|no or the Chinese words.
func ParseDecision(s string) (Decision, error) { return DecisionCodes.Parse(s) }

// Chinese returns the decision's Chinese name.
func (d Decision) Chinese() string { return DecisionCodes.Chinese(d) }

// English returns the decision's English name.
func (d Decision) English() string { return DecisionCodes.English(d) }

// Requests are the requests of a case awaiting a decision, as bits.
type Requests uint8

// Request bits.
const (
	RequestReturn  Requests = 1 << iota // 退单审核中
	RequestContest                      // 申诉审核中
	RequestExtend                       // 延期审批中
)

// Has reports whether every bit of r is set.
func (p Requests) Has(r Requests) bool { return p&r == r && r != 0 }

// DeptCall is one department summoned by a whistle (吹哨) to a case: when
// it was summoned, when it reported to the scene (报到; zero until then),
// and the rating it was given for its part in the joint handling.
type DeptCall struct {
	Dept     string       `json:"dept"`
	Summoned time.Time    `json:"summoned"`
	Arrived  time.Time    `json:"arrived,omitzero"`
	Rating   Satisfaction `json:"rating,omitempty"`
}

// DeptRating is one department's rating in a joint handling result.
type DeptRating struct {
	Dept   string       `json:"dept"`
	Rating Satisfaction `json:"rating"`
}

// Limits of the whistle: so many departments at once, so long a name.
const (
	MaxDepartments = 20
	MaxDeptRunes   = 32
)

// ParseDepartments reads a list of departments as typed: separated by
// commas (either width), 、 or ；, each trimmed; empty items dropped.
func ParseDepartments(s string) ([]string, error) {
	f := func(r rune) bool { return strings.ContainsRune(",，、;；", r) }
	var out []string
	for _, d := range strings.FieldsFunc(CleanLine(s), f) {
		d = strings.TrimSpace(normalizeWidth(d))
		switch {
		case d == "":
			continue
		case TooLong(d, MaxDeptRunes):
			return nil, invalid(CodeTooLong, fmt.Sprintf("department %q is longer than %d characters", Clip(d, 40), MaxDeptRunes), MaxDeptRunes)
		case contains(out, d):
			return nil, invalid(CodeRepeated, fmt.Sprintf("department %q is listed twice", d), d)
		}
		out = append(out, d)
	}
	switch {
	case len(out) == 0:
		return nil, invalid(CodeRequired, "name at least one department")
	case len(out) > MaxDepartments:
		return nil, invalid(CodeTooMany, fmt.Sprintf("more than %d departments", MaxDepartments), MaxDepartments)
	}
	return out, nil
}

// departmentsOf is the list a whistle event carries in To.
func departmentsOf(to string) []string { return strings.Split(to, ",") }

// RuleChoice is how one kind of case counts on the assessment basis.
type RuleChoice string

// Rule choices. Each rule of Rules takes some of them (see RuleCodes).
const (
	RuleExcluded    RuleChoice = "excluded"    // left out of the assessment basis
	RuleCounted     RuleChoice = "counted"     // counted as on the raw basis
	RuleOnce        RuleChoice = "once"        // merged: one handling (the main's), each its own evaluation
	RuleEach        RuleChoice = "each"        // merged: each appeal a handling of its own
	RuleUnsatisfied RuleChoice = "unsatisfied" // no verdict: counted as 未解决 and 不满意
	RuleSatisfied   RuleChoice = "satisfied"   // no verdict: counted as 解决 and 满意
	RuleApproved    RuleChoice = "approved"    // extended: on time against the approved deadline
	RuleOriginal    RuleChoice = "original"    // extended: on time against the deadline of the policy
)

// Rules is the rule set of the assessment basis (考核口径): which of the
// cases the 12345 rules touch count where. The defaults are what places
// that publish a rule do; every one is a setting because no national text
// fixes them.
type Rules struct {
	// Returned: appeals whose return (退单) was accepted. Default excluded.
	Returned RuleChoice `json:"returned"`
	// Contested: appeals whose contest (申诉) was accepted. Default excluded.
	Contested RuleChoice `json:"contested"`
	// Merged: appeals merged into a main one (并单). Default once: they are
	// out of the response and handling counts (the main's handling counts
	// once) and each keeps its own evaluation.
	Merged RuleChoice `json:"merged"`
	// Unevaluated: callbacks without a verdict (未评价, 未接通, 拒绝评价).
	// Default excluded from the resolution and satisfaction counts.
	Unevaluated RuleChoice `json:"unevaluated"`
	// Extended: appeals with an approved extension (延期). Default approved:
	// handling is on time against the approved deadline.
	Extended RuleChoice `json:"extended"`
	// ArriveMinutes is how soon a summoned department must report to the
	// scene (吹哨报到; some districts set 30 minutes). Default 30.
	ArriveMinutes int `json:"arrive_minutes"`
}

// DefaultRules returns the default rule set.
func DefaultRules() Rules {
	return Rules{Returned: RuleExcluded, Contested: RuleExcluded, Merged: RuleOnce,
		Unevaluated: RuleExcluded, Extended: RuleApproved, ArriveMinutes: 30}
}

// Rule names, the keys of the rule set in JSON, FieldErrors and RuleCodes.
const (
	RuleReturned    = "returned"
	RuleContested   = "contested"
	RuleMerged      = "merged"
	RuleUnevaluated = "unevaluated"
	RuleExtended    = "extended"
	RuleArrive      = "arrive_minutes"
)

// RuleNames lists the rules with a choice, in display order.
var RuleNames = []string{RuleReturned, RuleContested, RuleMerged, RuleUnevaluated, RuleExtended}

var ruleChoiceNames = map[RuleChoice]codeName{
	RuleExcluded:    {string(RuleExcluded), "不计入考核", "left out"},
	RuleCounted:     {string(RuleCounted), "照常计入", "counted"},
	RuleOnce:        {string(RuleOnce), "合并为一次办理、各自评价", "one handling, each its own evaluation"},
	RuleEach:        {string(RuleEach), "各自计入", "each counted"},
	RuleUnsatisfied: {string(RuleUnsatisfied), "计为未解决、不满意", "counted as not solved, unsatisfied"},
	RuleSatisfied:   {string(RuleSatisfied), "计为解决、满意", "counted as solved, satisfied"},
	RuleApproved:    {string(RuleApproved), "按批准的延期时限", "against the approved deadline"},
	RuleOriginal:    {string(RuleOriginal), "按原办理时限", "against the original deadline"},
}

func ruleTable(what string, choices ...RuleChoice) *CodeTable[RuleChoice] {
	t := &CodeTable[RuleChoice]{what: what}
	for _, c := range choices {
		t.names = append(t.names, ruleChoiceNames[c])
	}
	return t
}

// RuleCodes holds the choices each rule takes, in display order.
var RuleCodes = map[string]*CodeTable[RuleChoice]{
	RuleReturned:    ruleTable("rule for returned appeals", RuleExcluded, RuleCounted),
	RuleContested:   ruleTable("rule for contested appeals", RuleExcluded, RuleCounted),
	RuleMerged:      ruleTable("rule for merged appeals", RuleOnce, RuleEach),
	RuleUnevaluated: ruleTable("rule for callbacks without a verdict", RuleExcluded, RuleUnsatisfied, RuleSatisfied),
	RuleExtended:    ruleTable("rule for extended appeals", RuleApproved, RuleOriginal, RuleExcluded),
}

// RuleTitles are the rules' names in Chinese and English.
var RuleTitles = map[string][2]string{
	RuleReturned:    {"已退单（同意退单）", "returned (return accepted)"},
	RuleContested:   {"申诉成立（不合理诉求）", "contested (contest accepted)"},
	RuleMerged:      {"并单", "merged"},
	RuleUnevaluated: {"未评价、未接通、拒绝评价", "callbacks without a verdict"},
	RuleExtended:    {"延期（批准）", "extended (approved)"},
	RuleArrive:      {"吹哨报到时限（分钟）", "minutes to report after a whistle"},
}

// Choice returns the choice of a rule by name ("" for an unknown name).
func (r *Rules) Choice(rule string) RuleChoice {
	if p := r.field(rule); p != nil {
		return *p
	}
	return ""
}

// SetChoice parses and sets the choice of a rule by name.
func (r *Rules) SetChoice(rule, v string) error {
	p, t := r.field(rule), RuleCodes[rule]
	if p == nil || t == nil {
		return fieldErr(rule, CodeUnknownField, "no such rule")
	}
	c, err := t.Parse(v)
	if err != nil {
		return asField(rule, "", err)
	}
	*p = c
	return nil
}

func (r *Rules) field(rule string) *RuleChoice {
	switch rule {
	case RuleReturned:
		return &r.Returned
	case RuleContested:
		return &r.Contested
	case RuleMerged:
		return &r.Merged
	case RuleUnevaluated:
		return &r.Unevaluated
	case RuleExtended:
		return &r.Extended
	}
	return nil
}

// Validate checks each rule's choice against its table.
func (r Rules) Validate() error {
	for _, name := range RuleNames {
		c := r.Choice(name)
		if _, ok := RuleCodes[name].name(c); !ok {
			return fmt.Errorf("rules: %w", fieldErr(name, CodeNotInList, fmt.Sprintf("%q is not a choice of this rule", c), string(c)))
		}
	}
	if r.ArriveMinutes < 1 || r.ArriveMinutes > 24*60 {
		return fmt.Errorf("rules: %w", fieldErr(RuleArrive, CodeOutOfRange, "must be 1 to 1440 minutes", 1, 24*60))
	}
	return nil
}

// Describe writes the rule set out in Chinese, one line a rule, for the
// 说明 of a workbook and the term report.
func (r Rules) Describe() []string {
	out := make([]string, 0, len(RuleNames)+1)
	for _, name := range RuleNames {
		out = append(out, RuleTitles[name][0]+"："+RuleCodes[name].Chinese(r.Choice(name)))
	}
	return append(out, fmt.Sprintf("%s：%d", RuleTitles[RuleArrive][0], r.ArriveMinutes))
}
