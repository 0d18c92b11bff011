package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"strconv"
	"time"

	"github.com/oklog/ulid/v2"
)

// Packed JSON: the compact form in which the casebook file (schema 3)
// keeps its JSON values (operations, case and dispute views, summaries,
// settings). A stored case was 3 KB of JSON, most of it the same op id,
// origin and clock repeated in every register version and event, and key
// names; an op 330 bytes, a third of them three ids written as 26
// characters. Packing keeps the JSON's structure token by token and
// drops what repeats:
//
//   - a key or value from packWords (every key of the stored types and the
//     codes of kinds, actions, statuses, channels...) is its index;
//   - an id (a ULID: 26 characters) is its 16 bytes, a UTC time in RFC 3339
//     (as encoding/json writes time.Time) its seconds and fraction, an
//     integer its varint;
//   - a string, object or array already written in the same value is a
//     reference to it (an op's clock {"w":…,"l":…} is written once per
//     case, not once per field).
//
// It is lossless for JSON as encoding/json writes it: unpacking gives the
// same bytes back (whitespace outside strings, which encoding/json does
// not write, is dropped), so the decoders that read stored JSON read
// unpacked values unchanged, and a new field of a stored type needs no
// change here. Packing is a value at a time (a case, an op), so any
// value is read without the others; the values of a 100,000-case
// casebook pack to about a fifth (measured in BenchmarkFileSize100k).
//
// The token tags and packWords are part of the file format: a word may be
// appended to packWords, never changed or removed (an older build reading
// a newer file is refused by the schema version before it gets here).

// Token tags.
const (
	pkEnd    = 0x00 // closes the innermost object or array
	pkObject = 0x01
	pkArray  = 0x02
	pkNull   = 0x03
	pkTrue   = 0x04
	pkFalse  = 0x05
	pkInt    = 0x06 // zigzag varint: an integer written without sign, zeros or exponent
	pkNumber = 0x07 // uvarint length, then the number as written
	pkString = 0x08 // uvarint length, then the string as written between its quotes (escapes kept)
	pkULID   = 0x09 // 16 bytes: a ULID in its canonical 26-character form
	pkTime   = 0x0A // zigzag varint Unix seconds, a byte of fraction digits (0–9), uvarint fraction: "2006-01-02T15:04:05.999999999Z"
	pkRef    = 0x0B // uvarint: the number of an earlier string (pkString, pkULID, pkTime) or container, counted as each ends
	pkWord   = 0x0C // uvarint: an index of packWords
	pkEmpty  = 0x0D // ""

	// One-byte forms of the two most frequent tokens.
	pkRef0  = 0x10 // 0x10+n: a reference to item n < 32
	pkWord0 = 0x30 // 0x30+n: packWords[n], n < 208
)

// packWords are the strings packed as their index: keys and codes. Append
// only (see above).
var packWords = []string{
	// Keys of the stored types.
	"id", "registers", "timeline", "links", "status", "responded_at", "dispatched_to", "handled_at", "resolved_at",
	"feedback_at", "evaluated_at", "closed_at", "solved", "satisfaction", "escalation", "unresolvable", "reopened",
	"v", "op", "hlc", "w", "l", "origin", "value", "bases", "kind", "entity", "fields", "event", "link", "payload",
	"at", "actor", "action", "note", "to", "ref", "target", "refused", "number", "workorder", "received", "channel",
	"type", "category", "building", "summary", "handler", "urgency", "linked", "conflicts", "respond_due", "handle_due",
	"unit", "location", "complainant", "phone", "details", "title", "place", "name", "side", "position", "interest",
	"cases", "parties", "plans", "meetings", "votes", "tasks", "agreement", "agreed_at", "implementing_at", "stalled_at",
	"created_at", "description", "changes", "reason", "cost", "funding", "upkeep", "plan", "meeting", "minutes",
	"addenda", "attendees", "role", "count", "for", "against", "abstain", "signed_off", "owner", "due", "done",
	"done_at", "task", "text", "author", "community", "term", "policy", "categories", "weights", "street", "district",
	"households", "buildings", "secretary", "start", "end", "baseline", "response", "resolution", "holidays",
	"workdays", "calendar", "respond", "handle", "due_soon", "repeat_days", "partly_solved", "basic_satisfied",
	"counting", "method", "amount", "bucket", "key", "first_appeal", "change", "age_days",
	// Codes.
	"case.create", "case.set", "case.event", "case.link", "settings.set", "dispute.create", "dispute.set",
	"dispute.link", "dispute.party", "dispute.plan", "dispute.meeting", "dispute.minutes", "dispute.vote",
	"dispute.agree", "dispute.task", "dispute.implement", "dispute.resolve", "dispute.stall", "dispute.resume",
	"receive", "dispatch", "progress", "feedback", "resolve", "evaluate", "close", "reopen", "escalate",
	"received", "responded", "dispatched", "in_progress", "resolved", "evaluated", "closed", "open", "negotiating",
	"agreed", "implementing", "stalled", "12345", "walk-in", "grid", "online", "box", "report-meeting",
	"deliberation", "proactive", "complaint", "help", "suggestion", "consultation", "emergency", "utility",
	"general", "complex", "yes", "partly", "no", "satisfied", "basic", "unsatisfied", "city", "duplicate",
	"recurring", "opposing", "related", "courtyard", "hearing", "household", "owners_committee", "property",
	"developer", "street_dept", "other",
}

// maxWordLen is the length of the longest of packWords: a longer string
// is not looked up.
var maxWordLen = func() int {
	n := 0
	for _, w := range packWords {
		n = max(n, len(w))
	}
	return n
}()

// packWordIndex finds a word of packWords.
var packWordIndex = func() map[string]int {
	m := make(map[string]int, len(packWords))
	for i, w := range packWords {
		if _, dup := m[w]; !dup {
			m[w] = i
		}
	}
	return m
}()

// Limits of unpacking, so that a damaged value cannot make a reader
// allocate without bound (a chain of references can double the output at
// each step).
const (
	maxUnpacked  = 64 << 20
	maxPackDepth = 256
)

// errPack is a value that is not packed JSON: damage.
var errPack = errors.New("bad packed value")

// packer writes one value. Its map and buffers are reused from value to
// value; it is not safe for concurrent use.
type packer struct {
	in    []byte
	i     int
	out   []byte
	n     int            // strings and containers numbered so far
	seen  map[uint64]int // the hash of the packed form of a string or container → its number
	spans [][2]int       // where each numbered item's packed form lies in out
	added []uint64       // the keys of seen in the order added
	depth int
	seed  maphash.Seed
}

func newPacker() *packer { return &packer{seen: map[uint64]int{}, seed: maphash.MakeSeed()} }

// pack appends the packed form of the JSON value in to dst. ok is false
// (and dst unchanged) if in is not one valid JSON value.
func (p *packer) pack(dst, in []byte) (out []byte, ok bool) {
	p.in, p.i, p.out, p.n, p.depth = in, 0, dst, 0, 0
	clear(p.seen)
	p.added, p.spans = p.added[:0], p.spans[:0]
	ok = p.value() && p.ws() == len(in)
	out, p.out, p.in = p.out, nil, nil
	if !ok {
		return dst, false
	}
	return out, true
}

// ws skips whitespace and returns the position.
func (p *packer) ws() int {
	for p.i < len(p.in) {
		switch p.in[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return p.i
		}
	}
	return p.i
}

func (p *packer) value() bool {
	if p.ws() >= len(p.in) {
		return false
	}
	switch c := p.in[p.i]; {
	case c == '{' || c == '[':
		return p.container(c)
	case c == '"':
		return p.str()
	case c == 't':
		return p.literal("true", pkTrue)
	case c == 'f':
		return p.literal("false", pkFalse)
	case c == 'n':
		return p.literal("null", pkNull)
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	return false
}

func (p *packer) literal(word string, tag byte) bool {
	if len(p.in)-p.i < len(word) || string(p.in[p.i:p.i+len(word)]) != word {
		return false
	}
	p.i += len(word)
	p.out = append(p.out, tag)
	return true
}

// container packs an object or an array; one that repeats an earlier one
// of the value becomes a reference to it.
func (p *packer) container(open byte) bool {
	if p.depth++; p.depth > maxPackDepth {
		return false
	}
	start, mark, n0 := len(p.out), len(p.added), p.n
	tag, closer := byte(pkArray), byte(']')
	if open == '{' {
		tag, closer = pkObject, '}'
	}
	p.out = append(p.out, tag)
	p.i++
	for first := true; ; first = false {
		if p.ws() >= len(p.in) {
			return false
		}
		if p.in[p.i] == closer && first {
			p.i++
			break
		}
		if open == '{' {
			if p.in[p.i] != '"' || !p.str() || p.ws() >= len(p.in) || p.in[p.i] != ':' {
				return false
			}
			p.i++
		}
		if !p.value() || p.ws() >= len(p.in) {
			return false
		}
		if c := p.in[p.i]; c == closer {
			p.i++
			break
		} else if c != ',' {
			return false
		}
		p.i++
	}
	p.out = append(p.out, pkEnd)
	p.depth--
	if ref, ok := p.earlier(start); ok {
		// Written before: drop this copy and what it numbered.
		for _, k := range p.added[mark:] {
			delete(p.seen, k)
		}
		p.added, p.n, p.out, p.spans = p.added[:mark], n0, p.out[:start], p.spans[:n0]
		p.ref(ref)
		return true
	}
	p.number1(start)
	return true
}

// earlier finds a string or container packed before as out[start:] is,
// worth a reference (longer than one).
func (p *packer) earlier(start int) (int, bool) {
	enc := p.out[start:]
	if len(enc) <= 2 { // a reference takes one or two bytes
		return 0, false
	}
	ref, ok := p.seen[maphash.Bytes(p.seed, enc)]
	if !ok {
		return 0, false
	}
	sp := p.spans[ref]
	return ref, string(p.out[sp[0]:sp[1]]) == string(enc)
}

// number1 numbers the string or container packed from start on, and
// remembers it for references when a reference would be shorter.
func (p *packer) number1(start int) {
	if enc := p.out[start:]; len(enc) > 2 {
		k := maphash.Bytes(p.seed, enc)
		if _, ok := p.seen[k]; !ok { // (a collision keeps the first)
			p.seen[k] = p.n
			p.added = append(p.added, k)
		}
	}
	p.spans = append(p.spans, [2]int{start, len(p.out)})
	p.n++
}

func (p *packer) ref(n int) {
	if n < pkWord0-pkRef0 {
		p.out = append(p.out, pkRef0+byte(n))
		return
	}
	p.out = append(p.out, pkRef)
	p.out = binary.AppendUvarint(p.out, uint64(n))
}

// str packs a string: a word, an id, a time, a reference or as written.
func (p *packer) str() bool {
	s := p.i + 1
	e := s
	for ; e < len(p.in) && p.in[e] != '"'; e++ {
		if p.in[e] == '\\' {
			e++
		} else if p.in[e] < 0x20 {
			return false
		}
	}
	if e >= len(p.in) {
		return false
	}
	p.i = e + 1
	raw := p.in[s:e]
	if len(raw) == 0 {
		p.out = append(p.out, pkEmpty)
		return true
	}
	if len(raw) <= maxWordLen {
		if w, ok := packWordIndex[string(raw)]; ok {
			if w < 0x100-pkWord0 {
				p.out = append(p.out, pkWord0+byte(w))
			} else {
				p.out = append(p.out, pkWord)
				p.out = binary.AppendUvarint(p.out, uint64(w))
			}
			return true
		}
	}
	start := len(p.out)
	switch {
	case packULID(&p.out, raw):
	case packTime(&p.out, raw):
	default:
		p.out = append(p.out, pkString)
		p.out = binary.AppendUvarint(p.out, uint64(len(raw)))
		p.out = append(p.out, raw...)
	}
	if ref, ok := p.earlier(start); ok {
		p.out = p.out[:start]
		p.ref(ref)
		return true
	}
	p.number1(start)
	return true
}

// packULID packs raw if it is a ULID in canonical form.
func packULID(out *[]byte, raw []byte) bool {
	if len(raw) != ulid.EncodedSize {
		return false
	}
	u, err := ulid.ParseStrict(string(raw))
	if err != nil {
		return false
	}
	var back [ulid.EncodedSize]byte
	if u.MarshalTextTo(back[:]) != nil || string(back[:]) != string(raw) {
		return false // lower case: not what unpacking would give back
	}
	*out = append(append(*out, pkULID), u[:]...)
	return true
}

// timeLayout is a time as encoding/json writes a time.Time in UTC, without
// its fraction.
const timeLayout = "2006-01-02T15:04:05"

// packTime packs raw if it is a UTC time written as encoding/json writes
// one ("2026-03-02T06:30:00Z", "2026-03-02T06:30:00.25Z").
func packTime(out *[]byte, raw []byte) bool {
	n := len(raw)
	if n < 20 || n > 30 || raw[n-1] != 'Z' || raw[10] != 'T' {
		return false
	}
	t, err := time.Parse(timeLayout, string(raw[:19]))
	if err != nil {
		return false
	}
	var frac uint64
	digits := 0
	if n > 20 {
		if raw[19] != '.' || n == 21 {
			return false
		}
		for _, c := range raw[20 : n-1] {
			if c < '0' || c > '9' {
				return false
			}
			frac = frac*10 + uint64(c-'0')
			digits++
		}
	} else if raw[19] != 'Z' {
		return false
	}
	var back [len(timeLayout)]byte
	if string(t.AppendFormat(back[:0], timeLayout)) != string(raw[:19]) {
		return false // not written the way unpacking writes it
	}
	o := append(*out, pkTime)
	o = binary.AppendVarint(o, t.Unix())
	o = append(o, byte(digits))
	*out = binary.AppendUvarint(o, frac)
	return true
}

// number packs a number: an integer as a varint, anything else as written.
func (p *packer) number() bool {
	s := p.i
	if p.in[p.i] == '-' {
		p.i++
	}
	intOnly := true
	for p.i < len(p.in) {
		c := p.in[p.i]
		if c >= '0' && c <= '9' {
			p.i++
			continue
		}
		if c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' {
			intOnly = false
			p.i++
			continue
		}
		break
	}
	raw := p.in[s:p.i]
	if intOnly && len(raw) <= 18 {
		if v, err := strconv.ParseInt(string(raw), 10, 64); err == nil && strconv.FormatInt(v, 10) == string(raw) {
			p.out = append(p.out, pkInt)
			p.out = binary.AppendVarint(p.out, v)
			return true
		}
	}
	if len(raw) == 0 || (len(raw) == 1 && raw[0] == '-') {
		return false
	}
	p.out = append(p.out, pkNumber)
	p.out = binary.AppendUvarint(p.out, uint64(len(raw)))
	p.out = append(p.out, raw...)
	return true
}

// unpacker reads packed values back into JSON. Its buffers are reused; it
// is not safe for concurrent use.
type unpacker struct {
	items []packItem
	stack []packFrame
}

// packItem is a numbered string or container: where its JSON lies in the
// output.
type packItem struct {
	start, end int
	str        bool
}

type packFrame struct {
	obj   bool
	count int
	start int
}

// unpack appends the JSON of the packed value in to dst.
func (u *unpacker) unpack(dst, in []byte) ([]byte, error) {
	u.items, u.stack = u.items[:0], u.stack[:0]
	out := dst
	base := len(dst)
	top := false // the one top-level value was written
	for i := 0; ; {
		if len(out)-base > maxUnpacked {
			return dst, fmt.Errorf("%w: more than %d bytes", errPack, maxUnpacked)
		}
		if i >= len(in) {
			if len(u.stack) > 0 || !top {
				return dst, fmt.Errorf("%w: cut short", errPack)
			}
			return out, nil
		}
		tag := in[i]
		i++
		if tag == pkEnd {
			if len(u.stack) == 0 {
				return dst, fmt.Errorf("%w: unbalanced end", errPack)
			}
			f := u.stack[len(u.stack)-1]
			u.stack = u.stack[:len(u.stack)-1]
			if f.obj {
				if f.count%2 != 0 {
					return dst, fmt.Errorf("%w: a key without a value", errPack)
				}
				out = append(out, '}')
			} else {
				out = append(out, ']')
			}
			u.items = append(u.items, packItem{start: f.start, end: len(out)})
			continue
		}
		if len(u.stack) == 0 && top {
			return dst, fmt.Errorf("%w: more than one value", errPack)
		}
		// Separators: a key or an element after the first takes a comma,
		// a value after its key a colon.
		isKey := false
		if n := len(u.stack); n > 0 {
			f := &u.stack[n-1]
			switch {
			case f.obj && f.count%2 == 1:
				out = append(out, ':')
			case f.count > 0:
				out = append(out, ',')
			}
			isKey = f.obj && f.count%2 == 0
			f.count++
		} else {
			top = true
		}
		var err error
		if out, i, err = u.token(out, in, i, tag, isKey); err != nil {
			return dst, err
		}
	}
}

// token writes the token with tag whose body starts at in[i], and returns
// the position after it.
func (u *unpacker) token(out, in []byte, i int, tag byte, isKey bool) ([]byte, int, error) {
	bad := func(what string) ([]byte, int, error) { return out, i, fmt.Errorf("%w: %s", errPack, what) }
	if isKey {
		switch {
		case tag == pkString, tag == pkULID, tag == pkTime, tag == pkWord, tag == pkEmpty, tag == pkRef, tag >= pkRef0:
		default:
			return bad("a key that is not a string")
		}
	}
	switch {
	case tag >= pkWord0:
		w := int(tag - pkWord0)
		if w >= len(packWords) {
			return bad("word")
		}
		return append(append(append(out, '"'), packWords[w]...), '"'), i, nil
	case tag >= pkRef0:
		return u.refTo(out, uint64(tag-pkRef0), i, isKey)
	}
	switch tag {
	case pkObject, pkArray:
		if len(u.stack) >= maxPackDepth {
			return bad("nested too deep")
		}
		c := byte('[')
		if tag == pkObject {
			c = '{'
		}
		u.stack = append(u.stack, packFrame{obj: tag == pkObject, start: len(out)})
		return append(out, c), i, nil
	case pkNull:
		return append(out, "null"...), i, nil
	case pkTrue:
		return append(out, "true"...), i, nil
	case pkFalse:
		return append(out, "false"...), i, nil
	case pkEmpty:
		return append(out, '"', '"'), i, nil
	case pkInt:
		v, n := binary.Varint(in[i:])
		if n <= 0 {
			return bad("integer")
		}
		return strconv.AppendInt(out, v, 10), i + n, nil
	case pkWord:
		w, n := binary.Uvarint(in[i:])
		if n <= 0 || w >= uint64(len(packWords)) {
			return bad("word")
		}
		out = append(append(append(out, '"'), packWords[w]...), '"')
		return out, i + n, nil
	case pkRef:
		r, n := binary.Uvarint(in[i:])
		if n <= 0 {
			return bad("reference")
		}
		return u.refTo(out, r, i+n, isKey)
	case pkNumber, pkString:
		return u.text(out, in, i, tag)
	case pkULID:
		return u.ulid(out, in, i)
	case pkTime:
		return u.time(out, in, i)
	}
	return bad(fmt.Sprintf("tag %#x", tag))
}

// text writes a number or a string as written.
func (u *unpacker) text(out, in []byte, i int, tag byte) ([]byte, int, error) {
	l, n := binary.Uvarint(in[i:])
	if n <= 0 || l > uint64(len(in)-i-n) {
		return out, i, fmt.Errorf("%w: length", errPack)
	}
	body := in[i+n : i+n+int(l)]
	i += n + int(l)
	if tag == pkNumber {
		return append(out, body...), i, nil
	}
	start := len(out)
	out = append(append(append(out, '"'), body...), '"')
	u.items = append(u.items, packItem{start: start, end: len(out), str: true})
	return out, i, nil
}

// ulid writes an id from its 16 bytes.
func (u *unpacker) ulid(out, in []byte, i int) ([]byte, int, error) {
	if len(in)-i < 16 {
		return out, i, fmt.Errorf("%w: id", errPack)
	}
	var id ulid.ULID
	copy(id[:], in[i:i+16])
	var txt [ulid.EncodedSize]byte
	_ = id.MarshalTextTo(txt[:])
	start := len(out)
	out = append(append(append(out, '"'), txt[:]...), '"')
	u.items = append(u.items, packItem{start: start, end: len(out), str: true})
	return out, i + 16, nil
}

// refTo writes the JSON of item r again; i is the position after the token.
func (u *unpacker) refTo(out []byte, r uint64, i int, isKey bool) ([]byte, int, error) {
	if r >= uint64(len(u.items)) {
		return out, i, fmt.Errorf("%w: reference", errPack)
	}
	it := u.items[r]
	if isKey && !it.str {
		return out, i, fmt.Errorf("%w: a key that is not a string", errPack)
	}
	return append(out, out[it.start:it.end]...), i, nil
}

// pow10 are the fractions' bounds by their number of digits.
var pow10 = [10]uint64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

func (u *unpacker) time(out, in []byte, i int) ([]byte, int, error) {
	sec, n := binary.Varint(in[i:])
	if n <= 0 || i+n >= len(in) {
		return out, i, fmt.Errorf("%w: time", errPack)
	}
	i += n
	digits := int(in[i])
	i++
	frac, n := binary.Uvarint(in[i:])
	if n <= 0 || digits > 9 || frac >= pow10[digits] {
		return out, i, fmt.Errorf("%w: time", errPack)
	}
	i += n
	t := time.Unix(sec, 0).UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return out, i, fmt.Errorf("%w: time", errPack)
	}
	start := len(out)
	out = t.AppendFormat(append(out, '"'), timeLayout)
	if digits > 0 {
		out = append(out, '.')
		f := strconv.AppendUint(nil, frac, 10)
		for range digits - len(f) {
			out = append(out, '0')
		}
		out = append(out, f...)
	}
	out = append(out, 'Z', '"')
	u.items = append(u.items, packItem{start: start, end: len(out), str: true})
	return out, i, nil
}
