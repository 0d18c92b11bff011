package casebook

import (
	"math/bits"
	"unicode"
	"unicode/utf8"
)

// Text similarity of appeals, for the new-appeal form's duplicate warning:
// a resident reporting 消防通道被占 should hear that the same thing is open
// already, whichever building it was reported for. Summaries are short
// Chinese phrases, so the measure is the Dice coefficient of their
// character pairs (bigrams): 2·shared ÷ (pairs of one + pairs of the
// other), 0 to 1. Building and unit numbers ("14号楼", "3单元") are left out
// of the pairs, since the form compares buildings on their own and a
// number would make two reports of one problem in two buildings look
// different; so are punctuation and spaces.
//
// The query's pairs are kept in a small array and each candidate is read
// once without allocating, so that scoring every open and recent appeal of
// a 100,000-appeal casebook on each keystroke stays within a few
// milliseconds (casebook/store's BenchmarkSimilar100k).

// maxQueryPairs bounds the pairs of a query: a summary is at most 200
// characters, and the first 64 pairs are plenty to tell what it is about.
const maxQueryPairs = 64

// TextQuery is a text to compare others with.
type TextQuery struct {
	pairs [maxQueryPairs]uint64
	n     int
	// slots is an open-addressing table of the pairs (index+1, 0 empty),
	// so that each pair of a candidate is looked up in one or two probes.
	slots [queryTableSize]uint8
}

// queryTableSize is a power of two at least twice maxQueryPairs.
const queryTableSize = 256

// slot is where a pair's search starts in the table.
func slot(p uint64) uint64 { return (p * 0x9E3779B97F4A7C15) >> 56 }

// find returns the index of pair p in the query, or -1.
func (q *TextQuery) find(p uint64) int {
	for h := slot(p); ; h = (h + 1) & (queryTableSize - 1) {
		i := q.slots[h]
		if i == 0 {
			return -1
		}
		if q.pairs[i-1] == p {
			return int(i - 1)
		}
	}
}

// NewTextQuery prepares text for Score.
func NewTextQuery(text string) *TextQuery {
	q := &TextQuery{}
	eachPair(text, func(p uint64) bool {
		if q.find(p) >= 0 {
			return true
		}
		q.pairs[q.n] = p
		q.n++
		h := slot(p)
		for q.slots[h] != 0 {
			h = (h + 1) & (queryTableSize - 1)
		}
		q.slots[h] = uint8(q.n)
		return q.n < maxQueryPairs
	})
	return q
}

// Empty reports whether the query has nothing to compare (fewer than two
// characters that count).
func (q *TextQuery) Empty() bool { return q.n == 0 }

// TextPairs returns the distinct pairs of text that Score compares, for a
// caller that compares the same texts often (Book.Similar keeps them).
func TextPairs(text string) []uint64 {
	var out []uint64
	eachPair(text, func(p uint64) bool {
		for _, x := range out {
			if x == p {
				return true
			}
		}
		out = append(out, p)
		return true
	})
	return out
}

// ScorePairs is Score for a text given by its TextPairs.
func (q *TextQuery) ScorePairs(pairs []uint64) float64 {
	if q.n == 0 || len(pairs) == 0 {
		return 0
	}
	var seen uint64
	for _, p := range pairs {
		if i := q.find(p); i >= 0 {
			seen |= 1 << uint(i)
		}
	}
	return 2 * float64(bits.OnesCount64(seen)) / float64(q.n+len(pairs))
}

// Score is the similarity of other to the query, from 0 (nothing in
// common) to 1 (the same pairs). It does not allocate.
func (q *TextQuery) Score(other string) float64 {
	if q.n == 0 {
		return 0
	}
	var seen uint64 // which of the query's pairs other has
	distinct := 0   // other's pairs, counted once each as far as cheaply known
	eachPair(other, func(p uint64) bool {
		distinct++
		if i := q.find(p); i >= 0 {
			if seen&(1<<uint(i)) != 0 {
				distinct-- // a repeat of a pair already counted
			}
			seen |= 1 << uint(i)
		}
		return true
	})
	if distinct == 0 {
		return 0
	}
	shared := bits.OnesCount64(seen)
	return 2 * float64(shared) / float64(q.n+distinct)
}

// eachPair calls fn with each pair of adjacent characters of text that
// count (letters and Han characters, digits not part of a building or unit
// number), as one number; full-width forms are read as their half-width
// ones and letters case-folded. It stops when fn returns false.
func eachPair(text string, fn func(uint64) bool) {
	var prev rune = -1
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		r = foldRune(r)
		word, digit := classify(r)
		if digit {
			// A number followed by 号楼/栋/单元/层/室 names a place: skip it
			// and its unit word.
			j := i
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if _, d := classify(foldRune(r2)); !d {
					break
				}
				j += s2
			}
			if n := placeUnit(text[j:]); n > 0 {
				i = j + n
				prev = -1
				continue
			}
		}
		if !word {
			prev = -1
			continue
		}
		if prev >= 0 && !fn(uint64(prev)<<32|uint64(r)) {
			return
		}
		prev = r
	}
}

// placeUnits are the words that make a number a place: 号楼 and 栋
// (building), 单元 (entrance), 层 and 楼 (floor), 号 and 室 (door).
var placeUnits = []string{"号楼", "栋", "单元", "层", "楼", "号", "室"}

// placeUnit returns the length of the place word s starts with, or 0.
func placeUnit(s string) int {
	for _, u := range placeUnits {
		if len(s) >= len(u) && s[:len(u)] == u {
			return len(u)
		}
	}
	return 0
}

// foldRune reads a full-width form as its half-width one and folds case.
func foldRune(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	switch {
	case r >= 'A' && r <= 'Z':
		return r + ('a' - 'A')
	case r < 0x80 || r >= 0x3000 && r <= 0x9FFF:
		return r // no case: ASCII lower, CJK
	}
	return unicode.ToLower(r)
}

// classify says whether r counts in a pair (word) and whether it is a
// digit, with the common cases — ASCII and the CJK blocks of a Chinese
// summary — answered without the Unicode tables, which cost a binary
// search each.
func classify(r rune) (word, digit bool) {
	switch {
	case r >= '0' && r <= '9':
		return true, true
	case r >= 'a' && r <= 'z':
		return true, false
	case r < 0x80:
		return false, false
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3400 && r <= 0x4DBF:
		return true, false
	case r >= 0x3000 && r <= 0x303F:
		return false, false // CJK punctuation
	}
	d := unicode.IsDigit(r)
	return d || unicode.IsLetter(r), d
}
