package client_test

import (
	"context"
	"slices"
	"testing"

	"casebook/casebook"
	"casebook/sync/client"
)

// Two devices of one community edit offline, including the same field of
// the same case, and converge after syncing in either order, with the
// conflict shown on both.
func TestTwoDevicesConverge(t *testing.T) {
	forStores(t, func(t *testing.T, hs hubStore) {
		for _, order := range []string{"AB", "BA"} {
			t.Run(order, func(t *testing.T) {
				th := startHub(t, hs)
				tokA, tokB := th.enroll("示例社区", false), th.enroll("示例社区", false)
				a, b := newBook(t, true), newBook(t, false)
				c := addCase(t, a, "楼下乱停车")
				addCase(t, a, "路灯不亮")
				if r := doSync(t, a, th, tokA); r.Pushed == 0 || r.Community != "示例社区" {
					t.Fatalf("first sync: %+v", r)
				}
				if r := doSync(t, b, th, tokB); r.Pulled == 0 {
					t.Fatalf("B pulled nothing: %+v", r)
				}
				if b.Settings().Community.Name != "示例社区" {
					t.Fatalf("B did not take the community: %q", b.Settings().Community.Name)
				}
				// Offline: both change the handler of the same case, and more.
				if _, err := a.SetFields(c.ID, map[string]string{casebook.FieldHandler: "张网格"}); err != nil {
					t.Fatal(err)
				}
				if _, err := b.SetFields(c.ID, map[string]string{casebook.FieldHandler: "李物业"}); err != nil {
					t.Fatal(err)
				}
				if _, err := a.Step(c.ID, casebook.Step{Action: casebook.ActRespond}); err != nil {
					t.Fatal(err)
				}
				addCase(t, b, "电梯故障")
				first, second := a, b
				ft, st := tokA, tokB
				if order == "BA" {
					first, second, ft, st = b, a, tokB, tokA
				}
				doSync(t, first, th, ft)
				doSync(t, second, th, st)
				r := doSync(t, first, th, ft)
				sameViews(t, a, b)
				if !slices.Equal(allOps(t, a), allOps(t, b)) {
					t.Fatal("op logs differ")
				}
				if r.Conflicts != 1 {
					t.Errorf("conflicts on %s: %d", order[:1], r.Conflicts)
				}
				sa, _ := client.Status(a)
				sb, _ := client.Status(b)
				if sa.Conflicts != 1 || sb.Conflicts != 1 {
					t.Errorf("conflicts shown: A %d, B %d", sa.Conflicts, sb.Conflicts)
				}
				if sa.Waiting != 0 || sb.Waiting != 0 || sa.LastSync.IsZero() || sa.LastError != "" {
					t.Errorf("status A %+v B %+v", sa, sb)
				}
				// Hub log: every op exactly once.
				ids := th.logIDs("示例社区")
				uniq := slices.Clone(ids)
				slices.Sort(uniq)
				if len(slices.Compact(uniq)) != len(ids) || len(ids) != len(allOps(t, a)) {
					t.Errorf("hub has %d ops (%d unique), devices %d", len(ids), len(uniq), len(allOps(t, a)))
				}
				// Settling the conflict on one device clears it on both.
				if _, err := a.SetFields(c.ID, map[string]string{casebook.FieldHandler: "张网格"}); err != nil {
					t.Fatal(err)
				}
				doSync(t, a, th, tokA)
				if r := doSync(t, b, th, tokB); r.Conflicts != 0 {
					t.Errorf("conflict not settled on B: %d", r.Conflicts)
				}
				sameViews(t, a, b)
			})
		}
	})
}

// A new, empty casebook syncing with a token takes the community and pulls
// its data; a casebook of another community is refused.
func TestEmptyCasebookTakesCommunity(t *testing.T) {
	forStores(t, func(t *testing.T, hs hubStore) {
		th := startHub(t, hs)
		tok := th.enroll("东风社区", false)
		a := newBook(t, false)
		r := doSync(t, a, th, tok) // empty casebook, empty hub
		if a.Settings().Community.Name != "东风社区" || r.Pushed != 1 {
			t.Fatalf("name %q, %+v", a.Settings().Community.Name, r)
		}
		addCase(t, a, "漏水")
		doSync(t, a, th, tok)
		b := newBook(t, false)
		doSync(t, b, th, th.enroll("东风社区", false))
		sameViews(t, a, b)

		other := newBook(t, false)
		set := other.Settings()
		set.Community.Name = "西山社区"
		if err := other.UpdateSettings(set, casebook.SettingCommunity); err != nil {
			t.Fatal(err)
		}
		addCase(t, other, "噪音")
		_, err := client.Sync(context.Background(), other, th.URL, tok)
		if !isCode(err, client.ErrCommunityMismatch) {
			t.Fatalf("want community mismatch, got %v", err)
		}
		if n := len(th.logIDs("东风社区")); n != len(allOps(t, a)) {
			t.Errorf("hub log changed: %d", n)
		}
	})
}
