package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"time"

	"casebook/casebook"
)

// The summary codec: the one encoding of casebook.Summary, behind one
// function pair, EncodeSummary and SummaryDecoder.Decode, for the casebook
// file and the district hub.
//
// EncodeSummary writes the compact form: a version byte, then each field in
// a fixed order, strings length-prefixed (uvarint), times as Unix
// nanoseconds (varint, 0 for unset). Version 1 leaves out the text fields
// (what the hub keeps: it needs no text and must not carry it), version 2
// has them. The deadlines and the search text are not encoded: they follow
// from the policy (Summary.SetDeadlines).
//
// Decode reads every summary ever written: the compact form, and
// JSON as json.Marshal writes it, which is what casebook files of schema 2
// hold. JSON is read by a scanner (jsonscan.go) that handles exactly what
// json.Marshal writes and leaves anything unusual to encoding/json, which
// spends about 8 µs a summary (most of a second to open 100,000 cases).
//
// Why compact, and why the casebook file still holds JSON: decoding 5,000
// summaries took 6–7 ms compact against about 40 ms JSON with the scanner,
// and encoding 5–8 ms against 57–110 ms with encoding/json (2 cores, busy
// machine; BenchmarkSummaryCodec), and the hub decodes every summary of
// every community for a roll-up. A casebook file of schema 3 holds compact
// summaries (through the store's Codec); the upgrade from schema 2, whose
// files hold JSON, rewrites them (rewrite.go).

const (
	sumCompactV1 = 1 // the hub's first compact form: no text fields
	sumCompactV2 = 2 // every encoded field
	// Versions 3 and 4 are 1 and 2 followed by the fields of the 12345
	// rules (pending requests, contest, merge, callback outcome, extension,
	// time away, whistle): written only when one is set, so a summary they
	// do not touch encodes as before.
	sumCompactV3 = 3
	sumCompactV4 = 4
)

var errSumCodec = errors.New("bad compact summary")

// EncodeSummary encodes a summary in the compact form: version 1 when it
// has no text fields (number, work order, summary, handler, dispatched to;
// what the hub keeps, which needs no text and must not carry it), else
// version 2.
func EncodeSummary(s *casebook.Summary) []byte {
	v2 := s.Number != "" || s.WorkOrder != "" || s.Summary != "" || s.Handler != "" || s.DispatchedTo != "" || s.Place != ""
	b := make([]byte, 0, 160)
	str := func(v string) {
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	text := func(v string) {
		if v2 {
			str(v)
		}
	}
	rules := hasRuleFields(s)
	b = append(b, sumCompactV1)
	switch {
	case v2 && rules:
		b[0] = sumCompactV4
	case rules:
		b[0] = sumCompactV3
	case v2:
		b[0] = sumCompactV2
	}
	str(s.ID)
	text(s.Number)
	text(s.WorkOrder)
	b = appendTime(b, s.Received)
	for _, v := range []string{string(s.Channel), string(s.Type), s.Category, s.Building} {
		str(v)
	}
	text(s.Summary)
	text(s.Handler)
	str(string(s.Urgency))
	str(string(s.Status))
	text(s.DispatchedTo)
	for _, v := range []string{string(s.Solved), string(s.Satisfaction), string(s.Escalation)} {
		str(v)
	}
	for _, t := range []time.Time{s.RespondedAt, s.HandledAt, s.ResolvedAt, s.FeedbackAt, s.EvaluatedAt, s.ClosedAt} {
		b = appendTime(b, t)
	}
	flags := uint64(0)
	if s.Unresolvable {
		flags = 1
	}
	b = binary.AppendUvarint(b, flags)
	b = binary.AppendUvarint(b, uint64(s.Conflicts))
	b = binary.AppendUvarint(b, uint64(len(s.Linked)))
	for _, l := range s.Linked {
		str(l)
	}
	if rules {
		b = appendRuleFields(b, s)
		if v2 {
			str(s.Place)
		}
	}
	return b
}

// hasRuleFields reports whether any field of the 12345 rules is set.
func hasRuleFields(s *casebook.Summary) bool {
	return s.Pending != 0 || s.Contested || s.MergedInto != "" || s.Merged != 0 || s.Callback != "" ||
		!s.ExtendedTo.IsZero() || s.Away != 0 || len(s.Whistle) > 0 || s.Place != ""
}

// appendRuleFields writes the fields of the 12345 rules of versions 3 and 4.
func appendRuleFields(b []byte, s *casebook.Summary) []byte {
	str := func(v string) {
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	flags := uint64(0)
	if s.Contested {
		flags = 1
	}
	b = binary.AppendUvarint(b, uint64(s.Pending))
	b = binary.AppendUvarint(b, flags)
	str(s.MergedInto)
	b = binary.AppendUvarint(b, uint64(s.Merged))
	str(string(s.Callback))
	b = appendTime(b, s.ExtendedTo)
	b = binary.AppendVarint(b, int64(s.Away))
	b = binary.AppendUvarint(b, uint64(len(s.Whistle)))
	for _, w := range s.Whistle {
		str(w.Dept)
		b = appendTime(b, w.Summoned)
		b = appendTime(b, w.Arrived)
		str(string(w.Rating))
	}
	return b
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return binary.AppendVarint(b, 0)
	}
	return binary.AppendVarint(b, t.UnixNano())
}

// SummaryDecoder decodes summaries, sharing repeated strings (statuses,
// categories, buildings, handlers) between them to save memory. It is not
// safe for concurrent use: give each goroutine its own.
type SummaryDecoder struct {
	strs map[string]string
}

// NewSummaryDecoder returns a decoder with an empty table of shared strings.
func NewSummaryDecoder() *SummaryDecoder { return &SummaryDecoder{strs: map[string]string{}} }

// intern returns a shared copy of short, much repeated values.
func (d *SummaryDecoder) intern(b []byte) string {
	if s, ok := d.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(d.strs) < 1<<16 {
		d.strs[s] = s
	}
	return s
}

// Decode fills s from an encoded summary in any form (see above). The
// deadlines are the stored ones for JSON and zero for the compact form:
// callers set them under the policy in force.
func (d *SummaryDecoder) Decode(raw []byte, s *casebook.Summary) error {
	if len(raw) > 0 && raw[0] >= sumCompactV1 && raw[0] <= sumCompactV4 {
		return d.compact(raw, s)
	}
	if d.fast(raw, s) {
		return nil
	}
	*s = casebook.Summary{}
	return json.Unmarshal(raw, s)
}

// compactReader reads the compact form; bad is set on the first problem.
type compactReader struct {
	b   []byte
	bad bool
}

func (r *compactReader) uv() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *compactReader) bytes() []byte {
	n := r.uv()
	if r.bad || n > uint64(len(r.b)) {
		r.bad = true
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *compactReader) time() time.Time {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad = true
		return time.Time{}
	}
	r.b = r.b[n:]
	if v == 0 {
		return time.Time{}
	}
	return time.Unix(0, v).UTC()
}

// compact decodes the compact form, version 1 to 4.
func (d *SummaryDecoder) compact(raw []byte, s *casebook.Summary) error {
	v2 := raw[0] == sumCompactV2 || raw[0] == sumCompactV4
	r := &compactReader{b: raw[1:]}
	text := func(dst *string) { // a field of version 2 only
		if v2 {
			*dst = string(r.bytes())
		}
	}
	*s = casebook.Summary{}
	s.ID = string(r.bytes())
	text(&s.Number)
	text(&s.WorkOrder)
	s.Received = r.time()
	s.Channel = casebook.Channel(d.intern(r.bytes()))
	s.Type = casebook.AppealType(d.intern(r.bytes()))
	s.Category = d.intern(r.bytes())
	s.Building = d.intern(r.bytes())
	text(&s.Summary)
	if v2 {
		s.Handler = d.intern(r.bytes())
	}
	s.Urgency = casebook.Urgency(d.intern(r.bytes()))
	s.Status = casebook.Status(d.intern(r.bytes()))
	if v2 {
		s.DispatchedTo = d.intern(r.bytes())
	}
	s.Solved = casebook.Solved(d.intern(r.bytes()))
	s.Satisfaction = casebook.Satisfaction(d.intern(r.bytes()))
	s.Escalation = casebook.Level(d.intern(r.bytes()))
	s.RespondedAt, s.HandledAt, s.ResolvedAt = r.time(), r.time(), r.time()
	s.FeedbackAt, s.EvaluatedAt, s.ClosedAt = r.time(), r.time(), r.time()
	s.Unresolvable = r.uv()&1 == 1
	s.Conflicts = int(r.uv())
	n := r.uv()
	if n > uint64(len(r.b)) {
		r.bad = true
		n = 0
	}
	for range n {
		s.Linked = append(s.Linked, string(r.bytes()))
	}
	if raw[0] >= sumCompactV3 {
		d.ruleFields(r, s)
		if v2 {
			s.Place = d.intern(r.bytes())
		}
	}
	if r.bad || len(r.b) != 0 {
		return errSumCodec
	}
	return nil
}

// ruleFields reads the fields of the 12345 rules of versions 3 and 4.
func (d *SummaryDecoder) ruleFields(r *compactReader, s *casebook.Summary) {
	s.Pending = casebook.Requests(r.uv())
	s.Contested = r.uv()&1 == 1
	s.MergedInto = string(r.bytes())
	s.Merged = int(r.uv())
	s.Callback = casebook.Callback(d.intern(r.bytes()))
	s.ExtendedTo = r.time()
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad = true
		return
	}
	r.b, s.Away = r.b[n:], time.Duration(v)
	calls := r.uv()
	if calls > uint64(len(r.b)) {
		r.bad = true
		return
	}
	for range calls {
		c := casebook.DeptCall{Dept: d.intern(r.bytes()), Summoned: r.time(), Arrived: r.time()}
		c.Rating = casebook.Satisfaction(d.intern(r.bytes()))
		s.Whistle = append(s.Whistle, c)
	}
}

// fast decodes what json.Marshal writes for a Summary; false means "use
// encoding/json" (an escape, an unknown key, anything unusual).
func (d *SummaryDecoder) fast(raw []byte, s *casebook.Summary) bool {
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
		if p.bad || !p.eat(':') || !d.field(p, key, s) || p.bad {
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

// field reads the value of one key of a JSON summary.
func (d *SummaryDecoder) field(p *scanner, key []byte, s *casebook.Summary) bool {
	switch string(key) {
	case "unresolvable":
		switch {
		case p.literal("true"):
			s.Unresolvable = true
		case p.literal("false"):
		default:
			return false
		}
		return true
	case "conflicts":
		s.Conflicts = p.int()
		return true
	case "linked":
		return p.strings(&s.Linked)
	case "contested":
		s.Contested = p.literal("true")
		return s.Contested
	case "pending":
		s.Pending = casebook.Requests(p.int())
		return true
	case "merged":
		s.Merged = p.int()
		return true
	case "away":
		n, ok := p.int64()
		s.Away = time.Duration(n)
		return ok
	case "whistle":
		return false // rare: left to encoding/json
	}
	if t := summaryTime(s, key); t != nil {
		v, ok := timeUTC(p.str())
		*t = v
		return ok
	}
	return d.stringField(p, key, s)
}

// summaryTime is the time field of a JSON key, or nil.
func summaryTime(s *casebook.Summary, key []byte) *time.Time {
	switch string(key) {
	case "received":
		return &s.Received
	case "responded_at":
		return &s.RespondedAt
	case "handled_at":
		return &s.HandledAt
	case "resolved_at":
		return &s.ResolvedAt
	case "feedback_at":
		return &s.FeedbackAt
	case "evaluated_at":
		return &s.EvaluatedAt
	case "closed_at":
		return &s.ClosedAt
	case "respond_due":
		return &s.RespondDue
	case "handle_due":
		return &s.HandleDue
	case "extended_to":
		return &s.ExtendedTo
	}
	return nil
}

// stringField reads a string field of a JSON summary; false for a key a
// Summary does not have.
func (d *SummaryDecoder) stringField(p *scanner, key []byte, s *casebook.Summary) bool {
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
	case "merged_into":
		s.MergedInto = string(p.str())
	case "callback":
		s.Callback = casebook.Callback(d.intern(p.str()))
	case "place":
		s.Place = d.intern(p.str())
	default:
		return false
	}
	return true
}
