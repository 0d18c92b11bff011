package store

import (
	"time"
	"unicode/utf8"
)

// scanner reads the JSON that json.Marshal writes, without reflection, for
// the fast paths of the summary codec (sumcodec.go) and of CaseFields
// (casefields.go). It handles plain forms only and sets bad on anything
// else, so that the caller leaves that value to encoding/json.
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

// int64 reads a non-negative integer of up to 18 digits.
func (p *scanner) int64() (int64, bool) {
	p.ws()
	var n int64
	start := p.i
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' && p.i-start < 18 {
		n = n*10 + int64(p.b[p.i]-'0')
		p.i++
	}
	return n, p.i > start
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

// strings reads null or an array of plain strings into *dst (null: nil,
// [] an empty slice, as encoding/json does).
func (p *scanner) strings(dst *[]string) bool {
	*dst = nil
	if p.literal("null") {
		return true
	}
	if !p.eat('[') {
		return false
	}
	*dst = []string{}
	if p.eat(']') {
		return true
	}
	for {
		*dst = append(*dst, string(p.str()))
		if p.bad {
			return false
		}
		if p.eat(']') {
			return true
		}
		if !p.eat(',') {
			return false
		}
	}
}
