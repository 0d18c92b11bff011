package casebook

import (
	"errors"
	"testing"
	"time"
)

// TestDisputeReopenTransition: only a resolved dispute is taken up again,
// and it goes back to negotiation; a reopening op without its reason is
// malformed.
func TestDisputeReopenTransition(t *testing.T) {
	if got, err := NextDispute(DisputeResolved, DisputeActReopen); err != nil || got != DisputeNegotiating {
		t.Fatalf("resolved + reopen = %s, %v", got, err)
	}
	for _, s := range []DisputeStatus{DisputeOpen, DisputeNegotiating, DisputeAgreed, DisputeImplementing, DisputeStalled} {
		var se *StepError
		if _, err := NextDispute(s, DisputeActReopen); !errors.As(err, &se) || se.Code != CodeNotAllowed {
			t.Errorf("%s + reopen: %v, want a refusal", s, err)
		}
	}
	if msg := checkStallPayload(&Op{Kind: OpDisputeReopen}, &disputePayload{}); msg == "" {
		t.Error("a reopening without its reason passed the payload check")
	}
	// The footpath, resolved, flares up again: the op is well formed and
	// the replay puts the dispute back in negotiation.
	fp := buildFootpath(t)
	f := &dspFixture{t: t, a: fp.a, d: fp.d, clk: fp.clk}
	op := f.do(fp.a.Reopen(fp.d, time.Time{}, "台阶雨天湿滑"))
	if err := op.validateDispute(); err != nil {
		t.Fatalf("reopen op: %v", err)
	}
	if fp.d.Status != DisputeNegotiating || !fp.d.ResolvedAt.IsZero() {
		t.Fatalf("after reopening: %s, resolved at %v", fp.d.Status, fp.d.ResolvedAt)
	}
}
