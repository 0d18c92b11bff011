package store

import (
	"bytes"
	"errors"
	"fmt"
	"math"

	"go.etcd.io/bbolt"

	"casebook/casebook"
)

// Reading a few fields of many cases (the export's unit, location,
// complainant and phone of every row) without decoding each whole case:
// encoding/json spends most of 70 µs on a stored case, nearly all of it on
// the timeline and the registers nobody asked for. fieldDecoder walks the
// stored JSON, steps over everything but the wanted registers and picks
// each one's winning value (casebook.Register.Value) straight from the
// bytes. Stored cases are what json.Marshal wrote; anything else (an
// escape in a string, an unknown or differently spelled key, null, a
// number it does not expect) makes it give up, and the case is decoded
// whole. It agrees with the full decode on every case the full decode
// reads (FuzzCaseFields). It does not check the parts of the JSON it steps
// over: a damaged stored case may give values where the full decode fails.

// caseKeys are the keys of a stored case (casebook.Case's JSON).
var caseKeys = map[string]uint32{"id": 1 << 0, "registers": 1 << 1, "timeline": 1 << 2, "links": 1 << 3,
	"status": 1 << 4, "responded_at": 1 << 5, "dispatched_to": 1 << 6, "handled_at": 1 << 7, "resolved_at": 1 << 8,
	"feedback_at": 1 << 9, "evaluated_at": 1 << 10, "closed_at": 1 << 11, "solved": 1 << 12, "satisfaction": 1 << 13,
	"escalation": 1 << 14, "unresolvable": 1 << 15, "reopened": 1 << 16,
	"pending": 1 << 17, "return_to": 1 << 18, "contested": 1 << 19, "extended_to": 1 << 20, "away": 1 << 21,
	"merged_into": 1 << 22, "merged": 1 << 23, "callback": 1 << 24, "whistle": 1 << 25}

// fieldDecoder reads chosen registers of stored cases. Its buffers are
// reused from case to case; it is not safe for concurrent use.
type fieldDecoder struct {
	fields []string
	regs   [][]byte     // the raw register of each field, nil if absent
	vers   []rawVersion // the versions of the register being read
	bases  [][]byte     // every base of those versions
}

// rawVersion is a casebook.Version as bytes of the stored JSON.
type rawVersion struct {
	op, origin, value []byte
	hlc               casebook.HLC
	bases             [2]int // bases[0]:bases[1] in fieldDecoder.bases
}

func newFieldDecoder(fields []string) *fieldDecoder {
	return &fieldDecoder{fields: fields, regs: make([][]byte, len(fields))}
}

// values fills out (len(fields)) with the current value of each field of
// the stored case raw, as decodeCase(raw).Field would give it.
func (d *fieldDecoder) values(raw []byte, out []string) error {
	if d.fast(raw, out) {
		return nil
	}
	c, err := decodeCase(raw)
	if err != nil {
		return err
	}
	for i, f := range d.fields {
		out[i] = c.Field(f)
	}
	return nil
}

// fast is values on what json.Marshal writes; false means "decode it whole".
func (d *fieldDecoder) fast(raw []byte, out []string) bool {
	clear(d.regs)
	p := &scanner{b: raw}
	if !p.eat('{') {
		return false
	}
	if !p.eat('}') {
		var seen uint32 // the keys read, to refuse a duplicate
		for {
			key := p.str()
			bit := caseKeys[string(key)]
			if p.bad || !p.eat(':') || bit == 0 || seen&bit != 0 {
				return false
			}
			seen |= bit
			if string(key) == "registers" {
				if !d.registers(p) {
					return false
				}
			} else if !p.skip() {
				return false
			}
			if p.eat('}') {
				break
			}
			if !p.eat(',') {
				return false
			}
		}
	}
	p.ws()
	if p.i != len(p.b) {
		return false
	}
	for i, r := range d.regs {
		if r == nil {
			out[i] = ""
			continue
		}
		v, ok := d.value(r)
		if !ok {
			return false
		}
		out[i] = v
	}
	return true
}

// registers reads the registers object, keeping the raw value of each
// wanted field.
func (d *fieldDecoder) registers(p *scanner) bool {
	if !p.eat('{') {
		return false
	}
	if p.eat('}') {
		return true
	}
	var prev []byte
	for {
		key := p.str()
		if p.bad || !p.eat(':') {
			return false
		}
		// json.Marshal writes map keys sorted: a key out of order may be a
		// duplicate, which encoding/json would let the later win.
		if prev != nil && bytes.Compare(prev, key) >= 0 {
			return false
		}
		prev = key
		p.ws()
		start := p.i
		if !p.skip() {
			return false
		}
		for i, f := range d.fields {
			if string(key) == f {
				d.regs[i] = p.b[start:p.i]
			}
		}
		if p.eat('}') {
			return true
		}
		if !p.eat(',') {
			return false
		}
	}
}

// value is the winning value of a raw register: the largest of the
// versions no version cites as a base (casebook.Register.Heads).
func (d *fieldDecoder) value(raw []byte) (string, bool) {
	d.vers, d.bases = d.vers[:0], d.bases[:0]
	p := &scanner{b: raw}
	if !p.eat('{') {
		return "", false
	}
	if key := p.str(); p.bad || string(key) != "v" || !p.eat(':') {
		return "", false
	}
	if p.literal("null") { // a register without versions
	} else if !p.eat('[') {
		return "", false
	} else if !p.eat(']') {
		for {
			if !d.version(p) {
				return "", false
			}
			if p.eat(']') {
				break
			}
			if !p.eat(',') {
				return "", false
			}
		}
	}
	if !p.eat('}') {
		return "", false
	}
	p.ws()
	if p.i != len(p.b) {
		return "", false
	}
	best := -1
	for i := range d.vers {
		v := &d.vers[i]
		superseded := false
		for _, b := range d.bases {
			if bytes.Equal(b, v.op) {
				superseded = true
				break
			}
		}
		if !superseded && (best < 0 || d.vers[best].before(v)) {
			best = i
		}
	}
	if best < 0 {
		return "", true
	}
	return string(d.vers[best].value), true
}

// before is casebook.Version's order.
func (v *rawVersion) before(w *rawVersion) bool {
	if c := v.hlc.Compare(w.hlc); c != 0 {
		return c < 0
	}
	if c := bytes.Compare(v.origin, w.origin); c != 0 {
		return c < 0
	}
	return bytes.Compare(v.op, w.op) < 0
}

// versionKeys are the keys of a stored casebook.Version, in the order
// json.Marshal writes them; "bases" is left out when empty.
var versionKeys = [...]string{"op", "hlc", "origin", "value", "bases"}

// version reads one version of a register, each key once, in order.
func (d *fieldDecoder) version(p *scanner) bool {
	v := rawVersion{}
	v.bases[0] = len(d.bases)
	v.bases[1] = len(d.bases)
	if !p.eat('{') {
		return false
	}
	for n, want := range versionKeys {
		if n > 0 {
			if p.eat('}') {
				if n < len(versionKeys)-1 {
					return false
				}
				d.vers = append(d.vers, v)
				return true
			}
			if !p.eat(',') {
				return false
			}
		}
		if key := p.str(); p.bad || string(key) != want || !p.eat(':') {
			return false
		}
		switch want {
		case "op":
			v.op = p.str()
		case "hlc":
			if !p.eat('{') {
				return false
			}
			if key := p.str(); p.bad || string(key) != "w" || !p.eat(':') {
				return false
			}
			w, ok := p.num(math.MaxInt64)
			if !ok || !p.eat(',') {
				return false
			}
			if key := p.str(); p.bad || string(key) != "l" || !p.eat(':') {
				return false
			}
			l, ok := p.num(math.MaxUint32)
			if !ok || !p.eat('}') {
				return false
			}
			v.hlc = casebook.HLC{Wall: w, Logical: uint32(l)}
		case "origin":
			v.origin = p.str()
		case "value":
			v.value = p.str()
		case "bases":
			if !p.eat('[') {
				return false
			}
			if !p.eat(']') {
				for {
					b := p.str()
					if p.bad {
						return false
					}
					d.bases = append(d.bases, b)
					if p.eat(']') {
						break
					}
					if !p.eat(',') {
						return false
					}
				}
			}
			v.bases[1] = len(d.bases)
		}
		if p.bad {
			return false
		}
	}
	if !p.eat('}') {
		return false
	}
	d.vers = append(d.vers, v)
	return true
}

// num reads a non-negative whole number up to limit, in the plain form
// json.Marshal writes (no sign, fraction, exponent or leading zero).
func (p *scanner) num(limit uint64) (int64, bool) {
	p.ws()
	start := p.i
	var n uint64
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		if p.i-start >= 19 {
			return 0, false
		}
		n = n*10 + uint64(p.b[p.i]-'0')
		p.i++
	}
	if p.i == start || (p.b[start] == '0' && p.i-start > 1) || n > limit {
		return 0, false
	}
	if p.i < len(p.b) {
		switch p.b[p.i] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	return int64(n), true
}

// skip steps over one JSON value: a string, number, literal, object or
// array. It checks the brackets and strings but not what lies between.
func (p *scanner) skip() bool {
	p.ws()
	if p.i >= len(p.b) {
		return false
	}
	switch c := p.b[p.i]; {
	case c == '"':
		return p.skipString()
	case c == '{' || c == '[':
		depth := 0
		for p.i < len(p.b) {
			switch p.b[p.i] {
			case '"':
				if !p.skipString() {
					return false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					p.i++
					return true
				}
			}
			p.i++
		}
		return false
	default:
		start := p.i
		for p.i < len(p.b) {
			switch p.b[p.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return p.i > start
			}
			p.i++
		}
		return p.i > start
	}
}

// skipString steps over a string, escapes included.
func (p *scanner) skipString() bool {
	for j := p.i + 1; j < len(p.b); j++ {
		switch p.b[j] {
		case '\\':
			j++
		case '"':
			p.i = j + 1
			return true
		}
	}
	return false
}

// fieldBlock is how many cases CaseFields reads in one read transaction
// before handing their values on: enough to make the transactions cheap,
// few enough that a write waits little and the values take little memory.
const fieldBlock = 1024

// CaseFields calls fn for each of ids in order with the current values of
// fields ("" for a field not set, and for every field of a case that is
// missing or not yet created), as Case(id).Field would give them. The
// cases are read a block at a time, each block in one read transaction
// while fn handles the one before: the values of two blocks may come from
// before and after a write. fn is not called during a transaction, and
// values is fn's to keep. An error of fn stops the reading and is returned.
func (b *Bolt) CaseFields(ids []string, fields []string, fn func(i int, values []string) error) error {
	const what = "case fields"
	return pipeFields(ids, fields, fn, func(d *fieldDecoder, lo, hi int, flat []string) error {
		if b.isClosed() {
			return fmt.Errorf("%s: %w", what, ErrClosed)
		}
		err := viewTx(b.db, what, func(tx *bbolt.Tx) error {
			cases, sums := tx.Bucket(bucketCases), tx.Bucket(bucketSummaries)
			var buf []byte
			for i := lo; i < hi; i++ {
				k := []byte(ids[i])
				// A case is listed (has a summary) once created: the
				// same as Case's check, without reading the timeline.
				raw := cases.Get(k)
				if raw == nil || sums.Get(k) == nil {
					continue
				}
				var err error
				if buf, err = b.codec.Decode(buf[:0], bucketCases, k, raw); err != nil {
					return fmt.Errorf("%s: %w", what, err)
				}
				if err := d.values(buf, flat[(i-lo)*len(fields):(i-lo+1)*len(fields)]); err != nil {
					return fmt.Errorf("%s: %w: case %s does not decode: %v", what, ErrCorrupt, clip(ids[i]), err)
				}
			}
			return nil
		})
		return viewErr(what, err)
	})
}

// CaseFields is Bolt.CaseFields on the cases in memory.
func (m *Memory) CaseFields(ids []string, fields []string, fn func(i int, values []string) error) error {
	const what = "case fields"
	return pipeFields(ids, fields, fn, func(d *fieldDecoder, lo, hi int, flat []string) error {
		m.mu.RLock()
		defer m.mu.RUnlock()
		if m.closed {
			return fmt.Errorf("%s: %w", what, ErrClosed)
		}
		for i := lo; i < hi; i++ {
			raw, ok := m.views[string(bucketCases)][ids[i]]
			if _, listed := m.idx.Get(ids[i]); !ok || !listed {
				continue
			}
			if err := d.values(raw, flat[(i-lo)*len(fields):(i-lo+1)*len(fields)]); err != nil {
				return fmt.Errorf("%s: %w: case %s does not decode: %v", what, ErrCorrupt, clip(ids[i]), err)
			}
		}
		return nil
	})
}

// pipeFields reads the values of ids a block at a time with read(lo, hi,
// flat), one block ahead of the calls of fn, so that reading and fn's work
// run on two cores.
func pipeFields(ids, fields []string, fn func(int, []string) error, read func(d *fieldDecoder, lo, hi int, flat []string) error) error {
	if len(ids) == 0 {
		return nil
	}
	fields = append([]string(nil), fields...)
	type block struct {
		lo, hi int
		flat   []string
		err    error
	}
	blocks := make(chan block, 1)
	quit := make(chan struct{})
	go func() {
		defer close(blocks)
		d := newFieldDecoder(fields)
		for lo := 0; lo < len(ids); lo += fieldBlock {
			bl := block{lo: lo, hi: min(lo+fieldBlock, len(ids))}
			bl.flat = make([]string, (bl.hi-bl.lo)*len(fields))
			bl.err = read(d, bl.lo, bl.hi, bl.flat)
			select {
			case blocks <- bl:
			case <-quit:
				return
			}
			if bl.err != nil {
				return
			}
		}
	}()
	defer func() {
		close(quit)
		for range blocks { // let the reader finish
		}
	}()
	n := len(fields)
	for bl := range blocks {
		if bl.err != nil {
			return bl.err
		}
		for i := bl.lo; i < bl.hi; i++ {
			k := i - bl.lo
			if err := fn(i, bl.flat[k*n:(k+1)*n:(k+1)*n]); err != nil {
				return err
			}
		}
	}
	return nil
}

// fieldReader is a Store that reads a few fields of many cases at once.
type fieldReader interface {
	CaseFields(ids []string, fields []string, fn func(i int, values []string) error) error
}

var (
	_ fieldReader = (*Bolt)(nil)
	_ fieldReader = (*Memory)(nil)
)

// caseFieldsSlow is CaseFields on any Store, a whole case at a time.
func caseFieldsSlow(s Store, ids []string, fields []string, fn func(i int, values []string) error) error {
	for i, id := range ids {
		v := make([]string, len(fields))
		if c, err := s.Case(id); err == nil {
			for j, f := range fields {
				v[j] = c.Field(f)
			}
		} else if !errors.Is(err, casebook.ErrNotFound) {
			return fmt.Errorf("case fields: %w", err)
		}
		if err := fn(i, v); err != nil {
			return err
		}
	}
	return nil
}
