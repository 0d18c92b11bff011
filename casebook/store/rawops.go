package store

import (
	"encoding/json"
	"fmt"

	"go.etcd.io/bbolt"

	"casebook/casebook"
)

// RawOpsSince is OpsSince without decoding: up to limit operations after
// sequence seq as stored in the log (each the op's JSON, as written by
// Apply), and the sequence of the last one returned (seq itself when there
// are none). Sync reads the log with it to send operations on without
// decoding and re-encoding each one: the file keeps them packed (pack.go),
// the wire and the hub as JSON. The slices are copies.
func (b *Bolt) RawOpsSince(seq uint64, limit int) ([]json.RawMessage, uint64, error) {
	const what = "raw ops since"
	if limit <= 0 {
		limit = DefaultPage
	}
	if b.isClosed() {
		return nil, seq, fmt.Errorf("%s: %w", what, ErrClosed)
	}
	var out []json.RawMessage
	last := seq
	err := viewTx(b.db, what, func(tx *bbolt.Tx) error {
		if seq == ^uint64(0) {
			return nil
		}
		c := tx.Bucket(bucketOps).Cursor()
		for k, v := c.Seek(seqKey(seq + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			if len(k) != 8 {
				return fmt.Errorf("%s: %w: log key %x", what, ErrCorrupt, k)
			}
			n, err := nextSeq(k, last)
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			raw, err := b.codec.Decode(nil, bucketOps, k, v)
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			out = append(out, raw)
			last = n
		}
		return nil
	})
	if err != nil {
		return nil, seq, viewErr(what, err)
	}
	return out, last, nil
}

// decodeOps decodes what RawOpsSince returns, for OpsSince.
// On an error the sequence is seq, where the caller started.
func decodeOps(seq uint64, raws []json.RawMessage, last uint64, err error) ([]casebook.Op, uint64, error) {
	if err != nil || len(raws) == 0 {
		return nil, last, err
	}
	out := make([]casebook.Op, len(raws))
	for i, raw := range raws {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			return nil, seq, fmt.Errorf("ops since %d: %w: entry %d of the page does not decode: %v", seq, ErrCorrupt, i+1, err)
		}
	}
	return out, last, nil
}

// RawOpsSince is OpsSince without decoding; see Bolt.RawOpsSince.
func (m *Memory) RawOpsSince(seq uint64, limit int) ([]json.RawMessage, uint64, error) {
	const what = "raw ops since"
	if limit <= 0 {
		limit = DefaultPage
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, seq, fmt.Errorf("%s: %w", what, ErrClosed)
	}
	var out []json.RawMessage
	last := seq
	for s := seq + 1; s >= 1 && s <= uint64(len(m.log)) && len(out) < limit; s++ {
		out = append(out, append(json.RawMessage(nil), m.log[s-1]...))
		last = s
	}
	return out, last, nil
}
