package hubbolt

import (
	"encoding/binary"
	"errors"
	"fmt"

	"go.etcd.io/bbolt"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/sync/hub/hubstore"
)

var errNothing = errors.New("nothing to do")

// Materialize brings a community's views up to date with up to max more
// operations of its log; see hubstore.Store. The views are derived data: the log is
// the truth, and they can be rebuilt from it at any time.
func (s *Store) Materialize(community string, max int) (bool, error) {
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
		vb, err := hubstore.NewViewBuilder(community, view.Get(kSettings), func(id string) ([]byte, error) {
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
			if err := vb.Apply(seq, v); err != nil {
				return err
			}
		}
		views, settings, err := vb.Finish()
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
func (s *Store) Views(community string) (casebook.Settings, []*casebook.Summary, error) {
	var set casebook.Settings
	var out []*casebook.Summary
	err := s.db.View(func(tx *bbolt.Tx) error {
		root, err := communityBucket(tx, community)
		if err != nil {
			return err
		}
		if set, err = hubstore.SettingsOf(community, root.Bucket(bView).Get(kSettings)); err != nil {
			return err
		}
		sb := root.Bucket(bSums)
		block := make([]casebook.Summary, sb.Stats().KeyN)
		out = make([]*casebook.Summary, 0, len(block))
		i := 0
		dec := store.NewSummaryDecoder()
		return sb.ForEach(func(k, v []byte) error {
			if i >= len(block) {
				block = append(block, casebook.Summary{})
			}
			sum := &block[i]
			i++
			if err := dec.Decode(v, sum); err != nil {
				return fmt.Errorf("summary view %s of %s: %w", k, community, err)
			}
			sum.SetDeadlines(&set.Policy)
			out = append(out, sum)
			return nil
		})
	})
	return set, out, err
}
