package hub

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"casebook/casebook"
)

var errNothing = errors.New("nothing to do")

// Materialize brings a community's views up to date with up to max more
// operations of its log; see Store. The views are derived data: the log is
// the truth, and they can be rebuilt from it at any time.
func (s *BoltStore) Materialize(community string, max int) (bool, error) {
	if max <= 0 {
		max = 2000
	}
	done := false
	err := s.update(func(tx *bbolt.Tx) error {
		root, err := communityBucket(tx, community)
		if err != nil {
			return err
		}
		log, cases, sums, view := root.Bucket(bLog), root.Bucket(bCases), root.Bucket(bSums), root.Bucket(bView)
		var seq uint64
		if v := view.Get(kSeq); len(v) == 8 {
			seq = binary.BigEndian.Uint64(v)
		}
		head, _ := headOf(log)
		if seq >= head {
			done = true
			return errNothing
		}
		vb, err := newViewBuilder(community, view.Get(kSettings), func(id string) ([]byte, error) {
			return cases.Get([]byte(id)), nil
		}, s.log)
		if err != nil {
			return err
		}
		c := log.Cursor()
		n := 0
		for k, v := c.Seek(u64(seq + 1)); k != nil && n < max; k, v = c.Next() {
			seq = binary.BigEndian.Uint64(k)
			n++
			if err := vb.apply(seq, v); err != nil {
				return err
			}
		}
		views, settings, err := vb.finish()
		if err != nil {
			return err
		}
		for _, cv := range views {
			if err := cases.Put([]byte(cv.ID), cv.Case); err != nil {
				return err
			}
			if cv.Summary != nil {
				if err := sums.Put([]byte(cv.ID), cv.Summary); err != nil {
					return err
				}
			}
		}
		if settings != nil {
			if err := view.Put(kSettings, settings); err != nil {
				return err
			}
		}
		done = seq >= head
		return view.Put(kSeq, u64(seq))
	})
	if errors.Is(err, errNothing) {
		return true, nil
	}
	return done, err
}

// Views returns a community's settings and summaries as of the last
// Materialize.
func (s *BoltStore) Views(community string) (casebook.Settings, []*casebook.Summary, error) {
	var set casebook.Settings
	var out []*casebook.Summary
	err := s.db.View(func(tx *bbolt.Tx) error {
		root, err := communityBucket(tx, community)
		if err != nil {
			return err
		}
		if set, err = settingsOf(community, root.Bucket(bView).Get(kSettings)); err != nil {
			return err
		}
		sb := root.Bucket(bSums)
		block := make([]casebook.Summary, sb.Stats().KeyN)
		out = make([]*casebook.Summary, 0, len(block))
		i := 0
		return sb.ForEach(func(k, v []byte) error {
			if i >= len(block) {
				block = append(block, casebook.Summary{})
			}
			sum := &block[i]
			i++
			if err := decodeSummary(v, sum); err != nil {
				return fmt.Errorf("summary view %s of %s: %w", k, community, err)
			}
			sum.SetDeadlines(&set.Policy)
			out = append(out, sum)
			return nil
		})
	})
	return set, out, err
}

// The compact summary: what metrics need of a case, without its text or
// anyone's name. Times are Unix nanoseconds (0: unset), strings are
// length-prefixed.
const sumCodecVersion = 1

func encodeSummary(s *casebook.Summary) []byte {
	b := make([]byte, 0, 128)
	b = append(b, sumCodecVersion)
	str := func(v string) {
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	tm := func(t time.Time) {
		if t.IsZero() {
			b = binary.AppendVarint(b, 0)
			return
		}
		b = binary.AppendVarint(b, t.UnixNano())
	}
	str(s.ID)
	tm(s.Received)
	for _, v := range []string{string(s.Channel), string(s.Type), s.Category, s.Building, string(s.Urgency), string(s.Status),
		string(s.Solved), string(s.Satisfaction), string(s.Escalation)} {
		str(v)
	}
	for _, t := range []time.Time{s.RespondedAt, s.HandledAt, s.ResolvedAt, s.FeedbackAt, s.EvaluatedAt, s.ClosedAt} {
		tm(t)
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
	return b
}

var errSumCodec = errors.New("bad compact summary")

func decodeSummary(b []byte, s *casebook.Summary) error {
	if len(b) == 0 || b[0] != sumCodecVersion {
		return errSumCodec
	}
	b = b[1:]
	bad := false
	uv := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			bad = true
			return 0
		}
		b = b[n:]
		return v
	}
	str := func() string {
		n := uv()
		if bad || n > uint64(len(b)) {
			bad = true
			return ""
		}
		v := string(b[:n])
		b = b[n:]
		return v
	}
	tm := func() time.Time {
		v, n := binary.Varint(b)
		if n <= 0 {
			bad = true
			return time.Time{}
		}
		b = b[n:]
		if v == 0 {
			return time.Time{}
		}
		return time.Unix(0, v).UTC()
	}
	s.ID = str()
	s.Received = tm()
	s.Channel = casebook.Channel(str())
	s.Type = casebook.AppealType(str())
	s.Category = str()
	s.Building = str()
	s.Urgency = casebook.Urgency(str())
	s.Status = casebook.Status(str())
	s.Solved = casebook.Solved(str())
	s.Satisfaction = casebook.Satisfaction(str())
	s.Escalation = casebook.Level(str())
	s.RespondedAt, s.HandledAt, s.ResolvedAt = tm(), tm(), tm()
	s.FeedbackAt, s.EvaluatedAt, s.ClosedAt = tm(), tm(), tm()
	s.Unresolvable = uv()&1 == 1
	s.Conflicts = int(uv())
	n := uv()
	if n > uint64(len(b)) {
		bad = true
		n = 0
	}
	s.Linked = nil
	for range n {
		s.Linked = append(s.Linked, str())
	}
	if bad {
		return errSumCodec
	}
	return nil
}
