package hub

import (
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"time"

	"casebook/casebook"
	"casebook/sync/wire"
)

// checkOps decodes and checks every operation of a push before anything is
// written; the first bad one refuses the whole batch with an error that
// names its position, id and origin device. Deny by default: an operation
// must decode, pass casebook's Validate, have its id in canonical form, name
// every record (casebook.Op.Records) by a canonical id, carry a timestamp no
// more than wire.MaxSkew ahead of the hub's clock, and (settings) not rename
// the community. Which community the records belong to is the store's check.
func checkOps(raws []json.RawMessage, community string, now time.Time) ([]Incoming, *wire.Error) {
	out := make([]Incoming, len(raws))
	workers := min(runtime.GOMAXPROCS(0), 4, len(raws)/250+1)
	if workers <= 1 {
		return out, checkRange(raws, out, 0, len(raws), community, now)
	}
	errs := make([]*wire.Error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = checkRange(raws, out, len(raws)*w/workers, len(raws)*(w+1)/workers, community, now)
		}()
	}
	wg.Wait()
	for _, e := range errs { // the first bad op by position
		if e != nil {
			return nil, e
		}
	}
	return out, nil
}

func checkRange(raws []json.RawMessage, out []Incoming, lo, hi int, community string, now time.Time) *wire.Error {
	limit := now.Add(wire.MaxSkew).UnixMilli()
	for i := lo; i < hi; i++ {
		raw := raws[i]
		bad := func(status int, code, format string, a ...any) *wire.Error {
			e := wire.Errorf(status, code, format, a...)
			e.Index = i
			if out[i].Op != nil {
				e.Op, e.Origin = clip(out[i].Op.ID), clip(out[i].Op.Origin)
			} else {
				e.Op = "#" + fmt.Sprint(i+1)
			}
			return e
		}
		if len(raw) > casebook.MaxOpBytes {
			return bad(http.StatusRequestEntityTooLarge, wire.CodeTooLarge, "operation is %d bytes, more than %d", len(raw), casebook.MaxOpBytes)
		}
		op := &casebook.Op{}
		if err := json.Unmarshal(raw, op); err != nil {
			return bad(http.StatusUnprocessableEntity, wire.CodeInvalidOp, "operation does not decode")
		}
		out[i] = Incoming{Op: op, Raw: raw}
		if err := op.Validate(); err != nil {
			return bad(http.StatusUnprocessableEntity, wire.CodeInvalidOp, "%s", clipN(err.Error(), 200))
		}
		if id, _ := casebook.ParseID(op.ID); id != op.ID {
			return bad(http.StatusUnprocessableEntity, wire.CodeInvalidOp, "id is not in canonical form")
		}
		if len(op.Kind) > 64 {
			return bad(http.StatusUnprocessableEntity, wire.CodeInvalidOp, "kind too long")
		}
		if op.Kind == casebook.OpSettings || op.Entity == casebook.SettingsEntity {
			if op.Kind != casebook.OpSettings || op.Entity != casebook.SettingsEntity {
				return bad(http.StatusUnprocessableEntity, wire.CodeInvalidOp, "settings operation on a record, or a record named settings")
			}
			if v, ok := op.Fields[casebook.SettingCommunity]; ok {
				var c casebook.Community
				if err := json.Unmarshal([]byte(v), &c); err != nil {
					return bad(http.StatusUnprocessableEntity, wire.CodeInvalidOp, "community setting does not decode")
				}
				if c.Name != community {
					return bad(http.StatusForbidden, wire.CodeOutOfScope, "names the community %q; this token is for %q", clip(c.Name), community)
				}
			}
		} else if id, _ := casebook.ParseID(op.Entity); id != op.Entity {
			return bad(http.StatusUnprocessableEntity, wire.CodeInvalidOp, "record id is not in canonical form")
		}
		// Every record the op names, not only the one it changes, is
		// checked against the token's community by the store (Append).
		recs, err := op.Records()
		if err != nil {
			return bad(http.StatusUnprocessableEntity, wire.CodeInvalidOp, "operation does not decode")
		}
		for _, rec := range recs {
			if id, _ := casebook.ParseID(rec); id != rec {
				return bad(http.StatusUnprocessableEntity, wire.CodeInvalidOp, "names a record by %q, not an id", clip(rec))
			}
		}
		out[i].Records = recs
		if op.HLC.Wall > limit {
			return bad(http.StatusUnprocessableEntity, wire.CodeClockSkew,
				"timestamp is %s ahead of the hub's clock (at most %s): the clock of device %s is wrong; set it right — its operations wait on the device until then",
				(time.Duration(op.HLC.Wall-now.UnixMilli()) * time.Millisecond).Round(time.Second), wire.MaxSkew, clip(op.Origin))
		}
	}
	return nil
}

// clip and clipN shorten untrusted text (a device id, an origin, an error
// quoting an op) for a reply or the log: at a character boundary, with
// control characters escaped.
func clip(s string) string { return casebook.Clip(s, 40) }

func clipN(s string, n int) string { return casebook.Clip(s, n) }
