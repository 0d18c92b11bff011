package store

import (
	"sort"
	"sync"
	"time"

	"casebook/casebook"
)

// SimilarOptions bound the search for appeals like one being logged.
type SimilarOptions struct {
	// Now is the clock; Recent is how far back closed appeals are looked at
	// (open ones are looked at whatever their age).
	Now    time.Time
	Recent time.Duration
	// Min is the least similarity reported (0..1); Limit the most matches.
	Min   float64
	Limit int
}

// SimilarMatch is an appeal whose summary is like the text searched for.
type SimilarMatch struct {
	Summary *casebook.Summary
	Score   float64 // casebook.TextQuery's similarity, 0..1
}

// Similar finds the open appeals, and those received within opts.Recent,
// whose summaries are like text (casebook.TextQuery), the most similar
// first (then the newest). It reads the in-memory index only: on a
// 100,000-appeal casebook it takes a few milliseconds (BenchmarkSimilar100k),
// so the form can ask on every keystroke.
func (b *Book) Similar(text string, opts SimilarOptions) []SimilarMatch {
	q := casebook.NewTextQuery(text)
	if q.Empty() {
		return nil
	}
	if opts.Limit <= 0 {
		opts.Limit = 6
	}
	since := opts.Now.Add(-opts.Recent)
	var out []SimilarMatch
	c := &b.similar
	c.mu.Lock()
	defer c.mu.Unlock()
	idx := b.Store().Index()
	if c.pairs == nil || len(c.pairs) > 2*idx.Len()+1024 {
		c.pairs = map[*casebook.Summary][]uint64{} // drop the replaced summaries' pairs
	}
	idx.Range(func(s *casebook.Summary) bool {
		if !s.Status.Open() && s.Received.Before(since) {
			return true // closed and old: newest first, but open ones may follow
		}
		pairs, ok := c.pairs[s]
		if !ok {
			pairs = casebook.TextPairs(s.Summary)
			c.pairs[s] = pairs
		}
		if sc := q.ScorePairs(pairs); sc >= opts.Min {
			out = append(out, SimilarMatch{Summary: s, Score: sc})
		}
		return true
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	if len(out) > opts.Limit {
		out = out[:opts.Limit]
	}
	return out
}

// similarCache keeps each summary's text pairs (casebook.TextPairs) by its
// pointer: summaries in the index are never modified, a change replaces the
// pointer, so a pair list is computed once per version of a summary.
// Replaced summaries' lists are dropped when the cache outgrows the index.
// On the 100,000-appeal casebook the lists of its open and recent appeals
// take a few megabytes.
type similarCache struct {
	mu    sync.Mutex
	pairs map[*casebook.Summary][]uint64
}
