package client_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"casebook/casebook"
	"casebook/sync/wire"
)

// Every record an operation names is checked against the token's
// community, not only the one it changes: dispute.create and dispute.link
// naming another community's appeals were accepted (200), and so would a
// timeline event referring to another community's dispute.
func TestScopeOfEveryNamedRecord(t *testing.T) {
	forStores(t, func(t *testing.T, hs hubStore) {
		th := startHub(t, hs)
		tokA, tokB := th.enroll("甲社区", false), th.enroll("乙社区", false)
		a, b := newBook(t, false), newBook(t, false)
		a1, a2 := addCase(t, a, "甲的诉求一"), addCase(t, a, "甲的诉求二")
		dA, err := a.CreateDispute("甲的纠纷", "东门", "", []string{a1.ID, a2.ID})
		if err != nil {
			t.Fatal(err)
		}
		doSync(t, a, th, tokA)
		b1 := addCase(t, b, "乙的诉求")
		b2 := addCase(t, b, "乙的诉求二")
		dB, err := b.CreateDispute("乙的纠纷", "西门", "", []string{b1.ID, b2.ID})
		if err != nil {
			t.Fatal(err)
		}
		doSync(t, b, th, tokB)

		now := time.Now()
		author := &casebook.Author{Origin: "乙的设备", Actor: "乙", Clock: casebook.NewClock(time.Now), Now: time.Now}
		create, err := author.NewDispute("冒名", "", "", []string{b1.ID, a1.ID})
		if err != nil {
			t.Fatal(err)
		}
		link, err := author.LinkCase(dB, a2.ID)
		if err != nil {
			t.Fatal(err)
		}
		cb, err := b.Store().Case(b1.ID)
		if err != nil {
			t.Fatal(err)
		}
		note, err := author.Step(cb, casebook.Step{Action: casebook.ActNote, Note: "见甲的纠纷", At: now, Ref: dA.ID})
		if err != nil {
			t.Fatal(err)
		}
		linkCase, err := author.Link(cb, a1.ID, casebook.LinkRelated)
		if err != nil {
			t.Fatal(err)
		}
		// 并单 names the main appeal (on the merged one) and the merged one
		// (on the main): either way across communities is out of scope.
		merge, err := author.Step(cb, casebook.Step{Action: casebook.ActMerge, At: now, Ref: a1.ID})
		if err != nil {
			t.Fatal(err)
		}
		mergeIn, err := author.Step(cb, casebook.Step{Action: casebook.ActMergeIn, At: now, Ref: a2.ID})
		if err != nil {
			t.Fatal(err)
		}
		for name, op := range map[string]casebook.Op{"dispute.create": create, "dispute.link": link, "event ref": note, "case.link": linkCase,
			"case merge": merge, "case merge_in": mergeIn} {
			rawOp, _ := json.Marshal(op)
			headA, headB := len(th.logIDs("甲社区")), len(th.logIDs("乙社区"))
			_, e := raw(t, th, "POST", wire.PathPush, tokB, wire.Push{Ops: []json.RawMessage{rawOp}}, nil)
			if e == nil || e.Code != wire.CodeOutOfScope || e.Status != http.StatusForbidden {
				t.Errorf("%s naming 甲's records with 乙's token: %v", name, e)
			}
			if len(th.logIDs("甲社区")) != headA || len(th.logIDs("乙社区")) != headB {
				t.Fatalf("%s: a refused batch left something behind", name)
			}
		}
		// The same kinds of operation on 乙's own records are taken.
		own, err := author.NewDispute("乙的第二个纠纷", "", "", []string{b1.ID, b2.ID})
		if err != nil {
			t.Fatal(err)
		}
		rawOp, _ := json.Marshal(own)
		if _, e := raw(t, th, "POST", wire.PathPush, tokB, wire.Push{Ops: []json.RawMessage{rawOp}}, nil); e != nil {
			t.Fatalf("乙's own dispute: %v", e)
		}
	})
}
