package casebook

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Community is the profile of the community the casebook belongs to. Its
// Name is the casebook's identity on the district hub.
type Community struct {
	Name       string   `json:"name"`
	Street     string   `json:"street,omitempty"`   // 街道/乡镇
	District   string   `json:"district,omitempty"` // 区
	Households int      `json:"households,omitempty"`
	Buildings  []string `json:"buildings,omitempty"` // pick-list for forms, e.g. "14号楼"
}

// Rates are the three rates (三率) as fractions 0..1; nil means no data.
type Rates struct {
	Response     *float64 `json:"response_rate"`
	Resolution   *float64 `json:"resolution_rate"`
	Satisfaction *float64 `json:"satisfaction_rate"`
}

// Term is the governance secretary's posting: who, from when to when, and
// the community's rates before it began (entered by hand from the district's
// 12345 figures), against which the term is judged.
type Term struct {
	Secretary string `json:"secretary"`
	Start     Date   `json:"start"`
	End       Date   `json:"end"`
	Baseline  Rates  `json:"baseline"`
}

// Weights of the metrics. The defaults are weights in use in practice, not an
// official standard, so every one is configurable.
type Weights struct {
	PartlySolved   float64 `json:"partly_solved"`   // weight of 部分解决 in the resolution rate (default 0)
	BasicSatisfied float64 `json:"basic_satisfied"` // weight of 基本满意 in the satisfaction rate (default 0.9)
	Response       float64 `json:"response"`        // composite score weights (default 0.1 / 0.5 / 0.4)
	Resolution     float64 `json:"resolution"`
	Satisfaction   float64 `json:"satisfaction"`
	RepeatDays     int     `json:"repeat_days"` // an appeal about the same building and category within this many days of an earlier one is a repeat (default 30)
}

// DefaultWeights returns the default metric weights.
func DefaultWeights() Weights {
	return Weights{PartlySolved: 0, BasicSatisfied: 0.9, Response: 0.1, Resolution: 0.5, Satisfaction: 0.4, RepeatDays: 30}
}

// Validate checks that weights are fractions and the composite weights sum to 1.
func (w Weights) Validate() error {
	for name, v := range map[string]float64{"partly_solved": w.PartlySolved, "basic_satisfied": w.BasicSatisfied,
		"response": w.Response, "resolution": w.Resolution, "satisfaction": w.Satisfaction} {
		if v < 0 || v > 1 {
			return fmt.Errorf("weights: %w", fieldErr(name, CodeOutOfRange, "must be between 0 and 1", 0.0, 1.0))
		}
	}
	if s := w.Response + w.Resolution + w.Satisfaction; s < 0.999 || s > 1.001 {
		return fmt.Errorf("weights: %w", fieldErr("response", CodeWeightsSum, fmt.Sprintf("composite weights add up to %.3f, not 1", s), s))
	}
	if w.RepeatDays < 0 || w.RepeatDays > 366 {
		return fmt.Errorf("weights: %w", fieldErr("repeat_days", CodeOutOfRange, "must be 0 to 366", 0, 366))
	}
	return nil
}

// Settings is everything configurable about a casebook. Each top-level key
// is a last-writer-wins register, so two devices editing different settings
// never clash.
type Settings struct {
	Community  Community      `json:"community"`
	Term       Term           `json:"term"`
	Policy     DeadlinePolicy `json:"policy"`
	Categories []string       `json:"categories"`
	Weights    Weights        `json:"weights"`
	Rules      Rules          `json:"rules"` // the assessment basis's rule set (考核口径)
}

// Settings keys, the register names of settings operations.
const (
	SettingCommunity  = "community"
	SettingTerm       = "term"
	SettingPolicy     = "policy"
	SettingCategories = "categories"
	SettingWeights    = "weights"
	SettingRules      = "rules"
)

// DefaultSettings is what a new casebook starts with.
func DefaultSettings() Settings {
	return Settings{
		Policy:     DefaultPolicy(),
		Categories: append([]string(nil), DefaultCategories...),
		Weights:    DefaultWeights(),
		Rules:      DefaultRules(),
	}
}

// clean removes control characters from the settings' names.
func (s *Settings) clean() {
	c := &s.Community
	c.Name, c.Street, c.District = CleanLine(c.Name), CleanLine(c.Street), CleanLine(c.District)
	c.Buildings = slices.Clone(c.Buildings)
	for i, b := range c.Buildings {
		c.Buildings[i] = CleanLine(b)
	}
	s.Categories = slices.Clone(s.Categories)
	for i, v := range s.Categories {
		s.Categories[i] = CleanLine(v)
	}
	s.Term.Secretary = CleanLine(s.Term.Secretary)
}

// Validate checks every part of the settings.
func (s *Settings) Validate() error {
	if err := s.Policy.Validate(); err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	if err := s.Weights.Validate(); err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	if err := s.Rules.Validate(); err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	if len(s.Categories) == 0 {
		return fmt.Errorf("settings: %w", fieldErr(SettingCategories, CodeTooFew, "at least one category", 1))
	}
	seen := map[string]bool{}
	for _, c := range s.Categories {
		if strings.TrimSpace(c) == "" || seen[c] {
			return fmt.Errorf("settings: %w", fieldErr(SettingCategories, CodeRepeated, fmt.Sprintf("empty or repeated category %q", c), c))
		}
		seen[c] = true
	}
	if s.Community.Households < 0 {
		return fmt.Errorf("settings: %w", fieldErr("households", CodeNegative, "cannot be negative"))
	}
	for _, t := range []struct {
		field string
		d     Date
	}{{"term_start", s.Term.Start}, {"term_end", s.Term.End}} {
		if t.d != (Date{}) {
			if err := CheckDate(t.d); err != nil {
				return fmt.Errorf("settings: %w", asField(t.field, "", err))
			}
		}
	}
	if s.Term.Start != (Date{}) && s.Term.End != (Date{}) && s.Term.End.Time().Before(s.Term.Start.Time()) {
		return fmt.Errorf("settings: %w", fieldErr("term_end", CodeBeforeStart, "term ends before it starts"))
	}
	for _, r := range []*float64{s.Term.Baseline.Response, s.Term.Baseline.Resolution, s.Term.Baseline.Satisfaction} {
		if r != nil && (*r < 0 || *r > 1) {
			return fmt.Errorf("settings: %w", fieldErr("baseline", CodeOutOfRange, "rates are fractions between 0 and 1", 0.0, 1.0))
		}
	}
	return nil
}

// SettingsDoc holds the settings registers; Settings() decodes the winners.
type SettingsDoc struct {
	Registers map[string]*Register `json:"registers"`
}

// Apply merges a settings operation (idempotent, commutative).
func (d *SettingsDoc) Apply(op *Op) bool {
	if op.Kind != OpSettings {
		return false
	}
	if d.Registers == nil {
		d.Registers = map[string]*Register{}
	}
	changed := false
	for k, v := range op.Fields {
		r := d.Registers[k]
		if r == nil {
			r = &Register{}
			d.Registers[k] = r
		}
		if r.add(Version{Op: op.ID, HLC: op.HLC, Origin: op.Origin, Value: v, Bases: op.Bases[k]}) {
			changed = true
		}
	}
	return changed
}

// Settings returns the current settings: defaults overlaid by every register
// whose value decodes. A value that does not decode (from a newer version,
// say) is skipped rather than breaking the casebook.
func (d *SettingsDoc) Settings() Settings {
	s := DefaultSettings()
	if d == nil {
		return s
	}
	dec := func(key string, into any) {
		if r := d.Registers[key]; r != nil {
			if v := r.Value(); v != "" {
				_ = json.Unmarshal([]byte(v), into)
			}
		}
	}
	dec(SettingCommunity, &s.Community)
	dec(SettingTerm, &s.Term)
	p := DefaultPolicy()
	if r := d.Registers[SettingPolicy]; r != nil && json.Unmarshal([]byte(r.Value()), &p) == nil && p.Validate() == nil {
		s.Policy = p
	}
	dec(SettingCategories, &s.Categories)
	w := DefaultWeights() // a stored value from an older version may lack newer keys
	if r := d.Registers[SettingWeights]; r != nil && json.Unmarshal([]byte(r.Value()), &w) == nil && w.Validate() == nil {
		s.Weights = w
	}
	rl := DefaultRules() // as for the weights: a newer rule a stored value lacks keeps its default
	if r := d.Registers[SettingRules]; r != nil && json.Unmarshal([]byte(r.Value()), &rl) == nil && rl.Validate() == nil {
		s.Rules = rl
	}
	return s
}

// SetSettings makes an operation that writes the given settings keys.
func (a *Author) SetSettings(d *SettingsDoc, s Settings, keys ...string) (Op, error) {
	s.clean()
	if err := s.Validate(); err != nil {
		return Op{}, err
	}
	op := a.op(OpSettings, SettingsEntity)
	op.Fields, op.Bases = map[string]string{}, map[string][]string{}
	for _, k := range keys {
		var v any
		switch k {
		case SettingCommunity:
			v = s.Community
		case SettingTerm:
			v = s.Term
		case SettingPolicy:
			v = s.Policy
		case SettingCategories:
			v = s.Categories
		case SettingWeights:
			v = s.Weights
		case SettingRules:
			v = s.Rules
		default:
			return Op{}, fmt.Errorf("set settings: %w", fieldErr(k, CodeUnknownField, "unknown key"))
		}
		b, err := json.Marshal(v)
		if err != nil {
			return Op{}, fmt.Errorf("set settings %s: %w", k, err)
		}
		op.Fields[k] = string(b)
		if d != nil && d.Registers[k] != nil {
			op.Bases[k] = d.Registers[k].HeadIDs()
		}
	}
	return made(op)
}
