package store

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"casebook/casebook"
)

// Index is the in-memory index of every case summary that Bolt and Memory
// keep up to date after each Apply. Lists, lookups by number or work-order
// number, numbering of new cases and metrics all read it, so none of them
// touches the disk. It is safe for concurrent use.
//
// Summaries in the index are shared and never modified: a change replaces
// the pointer. A case whose create operation has not arrived yet (sync can
// deliver its steps first) has no summary.
type Index struct {
	mu       sync.RWMutex
	byID     map[string]*casebook.Summary
	order    []*casebook.Summary // newest received first, then larger id first
	byNumber map[string][]string // human number → case ids (two offline devices can give the same number)
	byWO     map[string][]string // 12345 work-order number → case ids
	daySeq   map[string]int      // "20260315" → largest NNN of the numbers "20260315-NNN"
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{
		byID:     map[string]*casebook.Summary{},
		byNumber: map[string][]string{},
		byWO:     map[string][]string{},
		daySeq:   map[string]int{},
	}
}

// newer orders the list: newest received first; ties by id, larger first.
func newer(a, b *casebook.Summary) bool {
	if !a.Received.Equal(b.Received) {
		return a.Received.After(b.Received)
	}
	return a.ID > b.ID
}

// Len is the number of cases.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.order)
}

// Get returns the summary of a case by id.
func (x *Index) Get(id string) (*casebook.Summary, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	s, ok := x.byID[id]
	return s, ok
}

// Snapshot returns every summary, newest received first. The slice is new;
// the summaries are shared and must not be modified.
func (x *Index) Snapshot() []*casebook.Summary {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := make([]*casebook.Summary, len(x.order))
	copy(out, x.order)
	return out
}

// Range calls fn for each summary, newest received first, until fn returns
// false. It holds a read lock: fn must not call back into the store.
func (x *Index) Range(fn func(*casebook.Summary) bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	for _, s := range x.order {
		if !fn(s) {
			return
		}
	}
}

// ByNumber returns the cases with a human number, oldest first. There is
// usually one; two devices that numbered cases offline on the same day can
// have given the same number to different cases.
func (x *Index) ByNumber(number string) []*casebook.Summary {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.lookup(x.byNumber[normKey(number)])
}

// ByWorkOrder returns the cases with a 12345 work-order number, oldest first.
func (x *Index) ByWorkOrder(wo string) []*casebook.Summary {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.lookup(x.byWO[normKey(wo)])
}

func (x *Index) lookup(ids []string) []*casebook.Summary {
	out := make([]*casebook.Summary, 0, len(ids))
	for _, id := range ids {
		if s := x.byID[id]; s != nil {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return newer(out[j], out[i]) })
	return out
}

// NextNumber proposes the human number of a new case received at t: the
// Shanghai date and a 3-digit sequence, "20260315-007", one more than the
// largest sequence of that day in this casebook. The number is a label, not
// the identity (that is the case id): two devices adding cases offline on
// the same day can give the same number, and both cases are kept.
func (x *Index) NextNumber(t time.Time) string {
	day := dayPrefix(t)
	x.mu.RLock()
	n := x.daySeq[day]
	x.mu.RUnlock()
	return fmt.Sprintf("%s-%03d", day, n+1)
}

func dayPrefix(t time.Time) string { return t.In(casebook.Shanghai).Format("20060102") }

// parseNumber splits a number made by NextNumber into its day and sequence.
func parseNumber(n string) (day string, seq int, ok bool) {
	d, s, found := strings.Cut(n, "-")
	if !found || len(d) != 8 || len(s) == 0 || len(s) > 6 || !digits(d) || !digits(s) {
		return "", 0, false
	}
	v, err := strconv.Atoi(s)
	return d, v, err == nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// normKey normalizes a number or work-order number typed by a person the
// way CaseInput.Validate normalizes stored ones.
func normKey(s string) string { return strings.TrimSpace(casebook.NormalizeWidth(s)) }

// pos is where s sits (or would sit) in order.
func (x *Index) pos(s *casebook.Summary) int {
	return sort.Search(len(x.order), func(i int) bool { return !newer(x.order[i], s) })
}

// reset replaces the whole content (used when a store is loaded).
func (x *Index) reset(all []*casebook.Summary) {
	order := make([]*casebook.Summary, 0, len(all))
	byID := make(map[string]*casebook.Summary, len(all))
	for _, s := range all {
		if _, dup := byID[s.ID]; dup {
			continue
		}
		byID[s.ID] = s
		order = append(order, s)
	}
	sort.Slice(order, func(i, j int) bool { return newer(order[i], order[j]) })
	x.mu.Lock()
	defer x.mu.Unlock()
	x.byID, x.order = byID, order
	x.byNumber = make(map[string][]string, len(order))
	x.byWO = map[string][]string{}
	x.daySeq = map[string]int{}
	for _, s := range order {
		x.addKeys(s)
	}
}

// put adds or replaces summaries.
func (x *Index) put(ss ...*casebook.Summary) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(ss) > 64 {
		x.putMany(ss)
		return
	}
	for _, s := range ss {
		old := x.byID[s.ID]
		if old != nil {
			x.removeKeys(old)
			i := x.pos(old)
			if old.Received.Equal(s.Received) && i < len(x.order) && x.order[i] == old {
				x.order[i] = s
				x.byID[s.ID] = s
				x.addKeys(s)
				continue
			}
			if i < len(x.order) && x.order[i] == old {
				x.order = append(x.order[:i], x.order[i+1:]...)
			} else {
				x.removeSlow(old)
			}
		}
		i := x.pos(s)
		x.order = append(x.order, nil)
		copy(x.order[i+1:], x.order[i:])
		x.order[i] = s
		x.byID[s.ID] = s
		x.addKeys(s)
	}
}

// putMany adds or replaces many summaries (a large sync batch, a policy
// change) by one merge of sorted lists instead of one insertion each.
func (x *Index) putMany(ss []*casebook.Summary) {
	latest := make(map[string]*casebook.Summary, len(ss))
	for _, s := range ss {
		latest[s.ID] = s
	}
	fresh := make([]*casebook.Summary, 0, len(latest))
	for _, s := range ss {
		if latest[s.ID] == s {
			fresh = append(fresh, s)
		}
	}
	sort.Slice(fresh, func(i, j int) bool { return newer(fresh[i], fresh[j]) })
	kept := make([]*casebook.Summary, 0, len(x.order))
	for _, s := range x.order {
		if _, replaced := latest[s.ID]; replaced {
			x.removeKeys(s)
			continue
		}
		kept = append(kept, s)
	}
	merged := make([]*casebook.Summary, 0, len(kept)+len(fresh))
	i, j := 0, 0
	for i < len(kept) || j < len(fresh) {
		if j == len(fresh) || (i < len(kept) && newer(kept[i], fresh[j])) {
			merged = append(merged, kept[i])
			i++
		} else {
			merged = append(merged, fresh[j])
			j++
		}
	}
	x.order = merged
	for _, s := range fresh {
		x.byID[s.ID] = s
		x.addKeys(s)
	}
}

// removeSlow drops a summary from order by scanning; only reached if the
// binary search missed it, which would be a bug, but the list stays right.
func (x *Index) removeSlow(old *casebook.Summary) {
	for i, s := range x.order {
		if s == old {
			x.order = append(x.order[:i], x.order[i+1:]...)
			return
		}
	}
}

func (x *Index) addKeys(s *casebook.Summary) {
	if s.Number != "" {
		x.byNumber[s.Number] = append(x.byNumber[s.Number], s.ID)
		if day, seq, ok := parseNumber(s.Number); ok && seq > x.daySeq[day] {
			x.daySeq[day] = seq
		}
	}
	if s.WorkOrder != "" {
		x.byWO[s.WorkOrder] = append(x.byWO[s.WorkOrder], s.ID)
	}
}

// removeKeys drops the lookups of a summary. The day sequence only grows,
// so a renumbered case does not free its old number for a new case.
func (x *Index) removeKeys(s *casebook.Summary) {
	drop := func(m map[string][]string, k string) {
		ids := m[k]
		for i, id := range ids {
			if id == s.ID {
				ids = append(ids[:i:i], ids[i+1:]...)
				break
			}
		}
		if len(ids) == 0 {
			delete(m, k)
		} else {
			m[k] = ids
		}
	}
	if s.Number != "" {
		drop(x.byNumber, s.Number)
	}
	if s.WorkOrder != "" {
		drop(x.byWO, s.WorkOrder)
	}
}

// repriced returns new summaries of every case except those in skip, with
// the deadlines recomputed under policy p (after a policy change).
func (x *Index) repriced(p *casebook.DeadlinePolicy, skip map[string]bool) []*casebook.Summary {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := make([]*casebook.Summary, 0, len(x.order))
	for _, old := range x.order {
		if skip[old.ID] {
			continue
		}
		s := *old
		s.SetDeadlines(p)
		out = append(out, &s)
	}
	return out
}
