package casebook

import (
	"encoding/json"
	"fmt"
)

// Records returns every record (case or dispute) an operation names, by
// id: the record it changes (Entity; none for settings), the case a
// case.link points at, the record a timeline event refers to (Ref: the
// dispute that closed the case), and the appeals a dispute.create or
// dispute.link gathers. A hub that serves several communities checks each
// of them against the community of the device that sent the operation.
//
// Other ids inside an operation (the plan version a vote or an agreement
// names, the meeting of minutes, parties and tasks) are operation ids of
// the same dispute, looked up in that dispute only: they cannot reach
// another record.
//
// The error is for an operation whose payload does not decode (Validate
// refuses it too).
func (o *Op) Records() ([]string, error) {
	var out []string
	add := func(id string) {
		if id == "" {
			return
		}
		for _, have := range out {
			if have == id {
				return
			}
		}
		out = append(out, id)
	}
	if o.Kind != OpSettings || o.Entity != SettingsEntity {
		add(o.Entity)
	}
	if o.Kind == OpCaseLink && o.Link != nil {
		add(o.Link.Target)
	}
	if o.Event != nil {
		add(o.Event.Ref)
	}
	if (o.Kind == OpDisputeCreate || o.Kind == OpDisputeLink) && len(o.Payload) > 0 {
		var p struct {
			Cases []string `json:"cases"`
		}
		if err := json.Unmarshal(o.Payload, &p); err != nil {
			return nil, fmt.Errorf("records of op %s: %w: payload does not decode", o.ID, ErrInvalid)
		}
		for _, c := range p.Cases {
			add(c)
		}
	}
	return out, nil
}
