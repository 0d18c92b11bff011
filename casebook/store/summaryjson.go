package store

import (
	"encoding/json"
	"time"
	"unicode/utf8"

	"casebook/casebook"
)

// A fast reader for stored summaries. Opening a casebook decodes every
// summary, and encoding/json spends about 8 µs on each (most of a second
// for 100,000 cases). Stored summaries are what json.Marshal wrote, so this
// reader handles exactly that shape: known keys, plain strings, RFC 3339
// times, and gives up (ok == false) on anything else, leaving the summary
// to encoding/json. The format on disk stays plain JSON.

// summaryDecoder decodes summaries, sharing repeated strings (statuses,
// categories, buildings, handlers) between them to save memory.
type summaryDecoder struct {
	strs map[string]string
}

func newSummaryDecoder() *summaryDecoder { return &summaryDecoder{strs: map[string]string{}} }

// intern returns a shared copy of short, much repeated values.
func (d *summaryDecoder) intern(b []byte) string {
	if s, ok := d.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(d.strs) < 1<<16 {
		d.strs[s] = s
	}
	return s
}

// decode fills s from raw, trying the fast path first.
func (d *summaryDecoder) decode(raw []byte, s *casebook.Summary) error {
	if d.fast(raw, s) {
		return nil
	}
	*s = casebook.Summary{}
	return json.Unmarshal(raw, s)
}

type scanner struct {
	b   []byte
	i   int
	bad bool
}

func (p *scanner) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *scanner) eat(c byte) bool {
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// str reads a string without escapes, returning the bytes inside the quotes.
func (p *scanner) str() []byte {
	p.ws()
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		p.bad = true
		return nil
	}
	start := p.i + 1
	high := false
	for j := start; j < len(p.b); j++ {
		switch c := p.b[j]; {
		case c == '"':
			if high && !utf8.Valid(p.b[start:j]) {
				p.bad = true // encoding/json would substitute U+FFFD
				return nil
			}
			p.i = j + 1
			return p.b[start:j]
		case c >= 0x80:
			high = true
		case c == '\\' || c < 0x20:
			p.bad = true // escapes: leave to encoding/json
			return nil
		}
	}
	p.bad = true
	return nil
}

func (p *scanner) literal(word string) bool {
	p.ws()
	if len(p.b)-p.i >= len(word) && string(p.b[p.i:p.i+len(word)]) == word {
		p.i += len(word)
		return true
	}
	return false
}

func (p *scanner) int() int {
	p.ws()
	n, start := 0, p.i
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' && p.i-start < 9 {
		n = n*10 + int(p.b[p.i]-'0')
		p.i++
	}
	if p.i == start {
		p.bad = true
	}
	return n
}

// timeUTC parses the form json.Marshal gives a UTC time:
// 2006-01-02T15:04:05Z, with optional fractional seconds. Other forms
// (offsets) go through time.Parse, as encoding/json does.
func timeUTC(b []byte) (time.Time, bool) {
	num := func(i, n int) (int, bool) {
		v := 0
		for _, c := range b[i : i+n] {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	if len(b) >= 20 && b[len(b)-1] == 'Z' && b[4] == '-' && b[7] == '-' && b[10] == 'T' && b[13] == ':' && b[16] == ':' {
		y, ok1 := num(0, 4)
		mo, ok2 := num(5, 2)
		d, ok3 := num(8, 2)
		h, ok4 := num(11, 2)
		mi, ok5 := num(14, 2)
		sec, ok6 := num(17, 2)
		ns := 0
		ok7 := true
		if frac := b[19 : len(b)-1]; len(frac) > 0 {
			if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
				return time.Time{}, false
			}
			var v int
			v, ok7 = num(20, len(frac)-1)
			for range 10 - len(frac) {
				v *= 10
			}
			ns = v
		}
		if ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && sec < 60 {
			t := time.Date(y, time.Month(mo), d, h, mi, sec, ns, time.UTC)
			if t.Day() == d { // no 31 February
				return t, true
			}
		}
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, string(b))
	return t, err == nil
}

// fast decodes what json.Marshal writes for a Summary; false means "use
// encoding/json" (an escape, an unknown key, anything unusual).
func (d *summaryDecoder) fast(raw []byte, s *casebook.Summary) bool {
	p := &scanner{b: raw}
	*s = casebook.Summary{}
	if !p.eat('{') {
		return false
	}
	if p.eat('}') {
		p.ws()
		return p.i == len(p.b)
	}
	for {
		key := p.str()
		if p.bad || !p.eat(':') {
			return false
		}
		var t *time.Time
		switch string(key) {
		case "id":
			s.ID = string(p.str())
		case "number":
			s.Number = string(p.str())
		case "workorder":
			s.WorkOrder = string(p.str())
		case "summary":
			s.Summary = string(p.str())
		case "channel":
			s.Channel = casebook.Channel(d.intern(p.str()))
		case "type":
			s.Type = casebook.AppealType(d.intern(p.str()))
		case "category":
			s.Category = d.intern(p.str())
		case "building":
			s.Building = d.intern(p.str())
		case "handler":
			s.Handler = d.intern(p.str())
		case "urgency":
			s.Urgency = casebook.Urgency(d.intern(p.str()))
		case "status":
			s.Status = casebook.Status(d.intern(p.str()))
		case "dispatched_to":
			s.DispatchedTo = d.intern(p.str())
		case "solved":
			s.Solved = casebook.Solved(d.intern(p.str()))
		case "satisfaction":
			s.Satisfaction = casebook.Satisfaction(d.intern(p.str()))
		case "escalation":
			s.Escalation = casebook.Level(d.intern(p.str()))
		case "unresolvable":
			switch {
			case p.literal("true"):
				s.Unresolvable = true
			case p.literal("false"):
			default:
				return false
			}
		case "conflicts":
			s.Conflicts = p.int()
		case "linked":
			s.Linked = nil
			if p.literal("null") {
				break
			}
			if !p.eat('[') {
				return false
			}
			s.Linked = []string{}
			if !p.eat(']') {
				for {
					s.Linked = append(s.Linked, string(p.str()))
					if p.bad {
						return false
					}
					if p.eat(']') {
						break
					}
					if !p.eat(',') {
						return false
					}
				}
			}
		case "received":
			t = &s.Received
		case "responded_at":
			t = &s.RespondedAt
		case "handled_at":
			t = &s.HandledAt
		case "resolved_at":
			t = &s.ResolvedAt
		case "feedback_at":
			t = &s.FeedbackAt
		case "evaluated_at":
			t = &s.EvaluatedAt
		case "closed_at":
			t = &s.ClosedAt
		case "respond_due":
			t = &s.RespondDue
		case "handle_due":
			t = &s.HandleDue
		default:
			return false
		}
		if t != nil {
			v, ok := timeUTC(p.str())
			if !ok || p.bad {
				return false
			}
			*t = v
		}
		if p.bad {
			return false
		}
		if p.eat('}') {
			p.ws()
			return p.i == len(p.b)
		}
		if !p.eat(',') {
			return false
		}
	}
}
