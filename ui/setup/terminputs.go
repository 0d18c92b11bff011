package setup

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2/widget"

	"casebook/casebook"
	"casebook/ui/widgets"
	"casebook/ui/words"
)

// termInputs are the community and term entries that the first-start form
// and the settings screen share, so both parse them the same way.
type termInputs struct {
	households, secretary, termStart, termEnd *widget.Entry
	baseResp, baseReso, baseSat               *widget.Entry
}

// read parses the entries into s, showing a message under each bad one
// (errs is keyed by field); it reports whether every entry parsed.
func (t *termInputs) read(s *casebook.Settings, errs map[string]*widget.Label) bool {
	ok := true
	s.Community.Households = 0
	if h := strings.TrimSpace(casebook.NormalizeWidth(t.households.Text)); h != "" {
		n, err := strconv.Atoi(h)
		if err != nil || n < 0 {
			widgets.SetErr(errs["households"], words.MsgNumber())
			ok = false
		}
		s.Community.Households = n
	}
	s.Term.Secretary = strings.TrimSpace(t.secretary.Text)
	var good bool
	if s.Term.Start, good = parseOptDate(t.termStart.Text); !good {
		widgets.SetErr(errs["term_start"], words.MsgDate())
		ok = false
	}
	if s.Term.End, good = parseOptDate(t.termEnd.Text); !good {
		widgets.SetErr(errs["term_end"], words.MsgDate())
		ok = false
	}
	for _, b := range []struct {
		key string
		e   *widget.Entry
		to  **float64
	}{{"base_response", t.baseResp, &s.Term.Baseline.Response}, {"base_resolution", t.baseReso, &s.Term.Baseline.Resolution}, {"base_satisfaction", t.baseSat, &s.Term.Baseline.Satisfaction}} {
		r, good := parsePercent(b.e.Text)
		if !good {
			widgets.SetErr(errs[b.key], words.MsgPercent())
			ok = false
		}
		*b.to = r
	}
	return ok
}
