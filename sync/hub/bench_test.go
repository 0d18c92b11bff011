package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"casebook/casebook"
	"casebook/sync/hub/hubbolt"
	"casebook/sync/internal/fixture"
	"casebook/sync/rollup"
)

func envInt(key string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil && n > 0 {
		return n
	}
	return def
}

// BenchmarkRollup300x5000: the hub holds 300 communities of 5,000 cases
// each (1.5 million cases) and writes the roll-up workbook. One community
// is synced in and materialized for real (its log replayed into case views
// and compact summaries); the other 299 are copies of its views under
// other names, which is what the roll-up reads, so the fixture builds in
// seconds rather than replaying 6 million operations.
//
//	go test -run '^$' -bench Rollup300x5000 -benchtime 1x ./sync/hub/
func BenchmarkRollup300x5000(b *testing.B) {
	communities := envInt("CASEBOOK_BENCH_COMMUNITIES", 300)
	perCommunity := envInt("CASEBOOK_BENCH_PER_COMMUNITY", 5000)
	dir := b.TempDir()
	st, err := hubbolt.Open(dir, hubbolt.WithNoSync())
	if err != nil {
		b.Fatal(err)
	}
	h := New(st, Options{MaterializeDelay: time.Hour})
	now := time.Now()
	first := "社区000"
	if _, _, err := h.Enroll(first, false, ""); err != nil {
		b.Fatal(err)
	}
	clock := casebook.NewClock(func() time.Time { return now.Add(-2 * time.Hour) })
	a := casebook.Author{Origin: casebook.NewID(now), Clock: clock}
	set := casebook.DefaultSettings()
	set.Community = casebook.Community{Name: first, Households: 2100}
	base := 0.6
	set.Term = casebook.Term{Secretary: "王明", Start: casebook.DateOf(now.AddDate(-1, 0, 0)), End: casebook.DateOf(now.AddDate(0, 1, 0)),
		Baseline: casebook.Rates{Response: &base, Resolution: &base, Satisfaction: &base}}
	setOp, err := a.SetSettings(nil, set, casebook.SettingCommunity, casebook.SettingTerm)
	if err != nil {
		b.Fatal(err)
	}
	ops := append([]casebook.Op{setOp}, fixture.Cases(perCommunity, fixture.Options{Seed: 5, Now: now.Add(-time.Hour)})...)
	for i := 0; i < len(ops); i += 2000 {
		part := ops[i:min(i+2000, len(ops))]
		raws := make([]json.RawMessage, len(part))
		for j := range part {
			raws[j], _ = json.Marshal(&part[j])
		}
		ins, werr := checkOps(raws, first, now)
		if werr != nil {
			b.Fatal(werr)
		}
		if _, err := st.Append(first, ins); err != nil {
			b.Fatal(err)
		}
	}
	if err := h.CatchUp(context.Background(), first); err != nil {
		b.Fatal(err)
	}
	// Copy the views to the other communities, in the file itself (the
	// layout drawn in hubbolt/bolt.go), with the hub stopped.
	var names []string
	for i := 1; i < communities; i++ {
		name := fmt.Sprintf("社区%03d", i)
		if _, err := st.AddCommunity(name, now); err != nil {
			b.Fatal(err)
		}
		names = append(names, name)
	}
	h.Close()
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	copyViews(b, filepath.Join(dir, hubbolt.DBFile), first, names)
	if st, err = hubbolt.Open(dir, hubbolt.WithNoSync()); err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	h = New(st, Options{MaterializeDelay: time.Hour})
	defer h.Close()
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if err := h.Export(context.Background(), io.Discard, rollup.Options{Now: now}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(communities*perCommunity)/time.Since(start).Seconds(), "cases/s")
	}
}

// copyViews copies the settings view and the summaries of community from
// to each of to in a stopped hub's hub.db.
func copyViews(b *testing.B, path, from string, to []string) {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	c, view, settings, sumsName := []byte("c"), []byte("view"), []byte("settings"), []byte("sums")
	for _, name := range to {
		err := db.Update(func(tx *bbolt.Tx) error {
			src, dst := tx.Bucket(c).Bucket([]byte(from)), tx.Bucket(c).Bucket([]byte(name))
			if err := dst.Bucket(view).Put(settings, src.Bucket(view).Get(settings)); err != nil {
				return err
			}
			sums := dst.Bucket(sumsName)
			sums.FillPercent = 0.95
			return src.Bucket(sumsName).ForEach(sums.Put)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
