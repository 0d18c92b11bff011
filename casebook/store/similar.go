package store

import (
	"sort"
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
	b.Store().Index().Range(func(s *casebook.Summary) bool {
		if !s.Status.Open() && s.Received.Before(since) {
			return true // closed and old: newest first, but open ones may follow
		}
		if sc := q.Score(s.Summary); sc >= opts.Min {
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
