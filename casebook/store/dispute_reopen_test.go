package store

import (
	"errors"
	"testing"
	"time"

	"casebook/casebook"
)

// TestReopenDispute: a resolved dispute taken up again with a reason is
// negotiating, no longer resolved, its agreement on record and the reason a
// step of its record; without a reason nothing is written.
func TestReopenDispute(t *testing.T) {
	b, err := NewBook(NewMemory(), "王明", nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range []string{"14号楼要修路", "15号楼反对修路"} {
		c, err := b.AddCase(casebook.CaseInput{Channel: "walk-in", Type: "complaint", Category: "其他", Summary: s})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	d, err := b.CreateDispute("坡地修路", "", "", ids)
	if err != nil {
		t.Fatal(err)
	}
	p, err := b.AddPlan(d.ID, casebook.PlanVersion{Title: "步道", Description: "砌台阶"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Agree(d.ID, p.ID, []string{"王明"}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Resolve(d.ID, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	var fe *casebook.FieldError
	if _, err := b.Reopen(d.ID, time.Time{}, " "); !errors.As(err, &fe) || fe.Field != "note" || fe.Code != casebook.CodeRequired {
		t.Fatalf("reopen without a reason: %v", err)
	}
	d, err = b.Reopen(d.ID, time.Time{}, "台阶雨天湿滑，又有老人摔倒")
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != casebook.DisputeNegotiating || !d.ResolvedAt.IsZero() || d.Agreement == nil {
		t.Fatalf("after reopening: %s, resolved at %v, agreement %v", d.Status, d.ResolvedAt, d.Agreement)
	}
	last := d.Log[len(d.Log)-1]
	if last.Kind != casebook.OpDisputeReopen || last.Note != "台阶雨天湿滑，又有老人摔倒" {
		t.Fatalf("the record ends with %s %q", last.Kind, last.Note)
	}
	// Read back from the store, replayed: the same.
	again, err := b.Dispute(d.ID)
	if err != nil || again.Status != casebook.DisputeNegotiating {
		t.Fatalf("read back: %v %v", again, err)
	}
}
