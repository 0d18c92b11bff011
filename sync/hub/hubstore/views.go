package hubstore

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"casebook/casebook"
	"casebook/casebook/store"
)

// ViewBuilder replays a stretch of a community's log into its views. It
// knows nothing of storage: each store reads the stored case views through
// load and writes back what finish returns, so that every store derives its
// views with the same code and they cannot drift apart.
type ViewBuilder struct {
	community  string
	log        *slog.Logger
	load       func(id string) ([]byte, error) // a stored case view, nil if none
	doc        *casebook.SettingsDoc
	docChanged bool
	open       map[string]*casebook.Case
	touched    []string
}

// CaseView is one case view to store. Summary is nil when the case was
// never received (only edits of it have arrived yet): such a case has no
// place in metrics, and a summary stored before is kept.
type CaseView struct {
	ID      string
	Case    []byte
	Summary []byte
}

func NewViewBuilder(community string, settings []byte, load func(string) ([]byte, error), log *slog.Logger) (*ViewBuilder, error) {
	v := &ViewBuilder{community: community, log: log, load: load, doc: &casebook.SettingsDoc{}, open: map[string]*casebook.Case{}}
	if settings != nil {
		if err := json.Unmarshal(settings, v.doc); err != nil {
			return nil, fmt.Errorf("settings view of %s: %w", community, err)
		}
	}
	return v, nil
}

// apply replays one operation. An operation that does not decode or apply
// is logged (by sequence, never by content) and skipped: the views are
// derived data, and one bad operation must not stop the rest.
func (v *ViewBuilder) Apply(seq uint64, raw []byte) error {
	var op casebook.Op
	if err := json.Unmarshal(raw, &op); err != nil {
		v.log.Error("materialize: op does not decode", "community", v.community, "seq", seq)
		return nil
	}
	fam, _, _ := strings.Cut(string(op.Kind), ".")
	switch fam {
	case "settings":
		if v.doc.Apply(&op) {
			v.docChanged = true
		}
	case "case":
		cs := v.open[op.Entity]
		if cs == nil {
			cs = casebook.NewCase(op.Entity)
			raw, err := v.load(op.Entity)
			if err != nil {
				return fmt.Errorf("case view %s: %w", op.Entity, err)
			}
			if raw != nil {
				if err := json.Unmarshal(raw, cs); err != nil {
					return fmt.Errorf("case view %s: %w", op.Entity, err)
				}
				if cs.Registers == nil {
					cs.Registers = map[string]*casebook.Register{}
				}
			}
			v.open[op.Entity] = cs
			v.touched = append(v.touched, op.Entity)
		}
		if _, err := cs.Apply(&op); err != nil {
			v.log.Warn("materialize: op not applied", "community", v.community, "seq", seq, "err", err)
		}
	}
	return nil
}

// finish returns the case views to store, in the order first touched, and
// the settings view (nil: unchanged).
func (v *ViewBuilder) Finish() ([]CaseView, []byte, error) {
	policy := v.doc.Settings().Policy
	out := make([]CaseView, 0, len(v.touched))
	for _, id := range v.touched {
		cs := v.open[id]
		raw, err := json.Marshal(cs)
		if err != nil {
			return nil, nil, fmt.Errorf("case view %s: %w", id, err)
		}
		cv := CaseView{ID: id, Case: raw}
		if cs.Created() {
			sum := cs.Summarize(&policy)
			cv.Summary = EncodeSummary(&sum)
		}
		out = append(out, cv)
	}
	var settings []byte
	if v.docChanged {
		settings, _ = json.Marshal(v.doc)
	}
	return out, settings, nil
}

// SettingsOf decodes a stored settings view (nil: the defaults).
func SettingsOf(community string, raw []byte) (casebook.Settings, error) {
	doc := &casebook.SettingsDoc{}
	if raw != nil {
		if err := json.Unmarshal(raw, doc); err != nil {
			return casebook.Settings{}, fmt.Errorf("settings view of %s: %w", community, err)
		}
	}
	return doc.Settings(), nil
}

// EncodeSummary encodes the summary a case view feeds the roll-up: the
// casebook's summary codec (store.EncodeSummary) without the text fields,
// which metrics do not need and the hub must not carry (a summary may name
// a resident).
func EncodeSummary(s *casebook.Summary) []byte {
	m := *s
	m.Number, m.WorkOrder, m.Summary, m.Handler, m.DispatchedTo, m.Place = "", "", "", "", "", ""
	return store.EncodeSummary(&m)
}
