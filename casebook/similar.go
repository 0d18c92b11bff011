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
}

// NewTextQuery prepares text for Score.
func NewTextQuery(text string) *TextQuery {
	q := &TextQuery{}
	eachPair(text, func(p uint64) bool {
		for i := 0; i < q.n; i++ {
			if q.pairs[i] == p {
				return true
			}
		}
		q.pairs[q.n] = p
		q.n++
		return q.n < maxQueryPairs
	})
	return q
}

// Empty reports whether the query has nothing to compare (fewer than two
// characters that count).
func (q *TextQuery) Empty() bool { return q.n == 0 }

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
		for i := 0; i < q.n; i++ {
			if q.pairs[i] == p {
				if seen&(1<<uint(i)) != 0 {
					distinct-- // a repeat of a pair already counted
				}
				seen |= 1 << uint(i)
				break
			}
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
		if unicode.IsDigit(r) {
			// A number followed by 号楼/栋/单元/层/室 names a place: skip it
			// and its unit word.
			j := i
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if !unicode.IsDigit(foldRune(r2)) {
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
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
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
	return unicode.ToLower(r)
}
