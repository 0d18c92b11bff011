package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"casebook/casebook"
	"casebook/casebook/demo"
	"casebook/casebook/store"
	"casebook/ui/screen"
	"casebook/ui/words"
)

// TestScreenshots draws screens that a real-window screenshot cannot reach
// without clicking (the step dialogs, the form with its errors and
// duplicate hints) with Fyne's software renderer, into the folder named by
// CASEBOOK_UI_SHOTS, for a person to look at. It is skipped otherwise.
//
//	CASEBOOK_UI_SHOTS=/tmp/shots go test -run TestScreenshots ./ui/
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("CASEBOOK_UI_SHOTS")
	if dir == "" {
		t.Skip("set CASEBOOK_UI_SHOTS to a folder to write the screenshots")
	}
	for _, language := range []string{words.LangChinese, words.LangEnglish} {
		var id string
		a, w := newTestApp(t, language, func(b *store.Book) {
			c := addCase(t, b, casebook.CaseInput{Summary: "7号楼顶层漏水", Category: "老旧小区改造", Building: "7号楼", Complainant: "李阿姨"})
			id = c.ID
			for _, s := range []casebook.Step{{Action: casebook.ActRespond}, {Action: casebook.ActResolve, Note: "已修复"}, {Action: casebook.ActFeedback, Note: "已告知"}} {
				if _, err := b.Step(id, s); err != nil {
					t.Fatal(err)
				}
			}
		})
		w.Resize(fyne.NewSize(1100, 760))
		shot := func(name string) {
			// The real driver re-lays out a container whose child's minimum
			// size changed on every frame; the test canvas on a resize.
			sz := w.Canvas().Size()
			w.Resize(sz.Add(fyne.NewSize(1, 1)))
			w.Resize(sz)
			f, err := os.Create(filepath.Join(dir, name+"_"+language+".png"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := png.Encode(f, w.Canvas().Capture()); err != nil {
				t.Fatal(err)
			}
		}
		a.OpenCase(id)
		shot("case")
		a.NewAppeal()
		test.Tap(findButton(t, w.Content(), lang.X("form.save", "Save appeal")))
		shot("form_errors")
	}
	// The whole metrics screen on the demo community, in a tall window.
	a, w := newTestApp(t, words.LangChinese, func(b *store.Book) {
		if _, err := demo.Generate(b, demo.Options{Seed: 1, Now: time.Now()}); err != nil {
			t.Fatal(err)
		}
	})
	w.Resize(fyne.NewSize(1200, 2000))
	a.ShowSection(screen.Metrics)
	capture(t, w, filepath.Join(dir, "metrics_full_"+words.LangChinese+".png"))

	// The resolved footpath dispute whole, and the dialogs that edit its
	// record: a party, an empty addition to the minutes, more appeals.
	w.Resize(fyne.NewSize(1200, 2600))
	d, err := a.Book().Dispute("14号楼与15号楼之间坡地修路")
	if err != nil {
		t.Fatal(err)
	}
	a.OpenDispute(d.ID)
	capture(t, w, filepath.Join(dir, "dispute_full_"+words.LangChinese+".png"))
	// A dispute in negotiation whose meeting has an addition to its minutes.
	d, err = a.Book().Dispute("地下车库车位分配争议")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Book().AppendMinutes(d.ID, d.Meetings()[0].ID, "会后补记：物业答应两周内提供车位使用台账。"); err != nil {
		t.Fatal(err)
	}
	w.Resize(fyne.NewSize(1200, 2000))
	a.OpenDispute(d.ID)
	capture(t, w, filepath.Join(dir, "dispute_minutes_"+words.LangChinese+".png"))

}

// capture writes the window's canvas to a PNG file, laid out afresh (see
// shot above).
func capture(t *testing.T, w fyne.Window, path string) {
	t.Helper()
	sz := w.Canvas().Size()
	w.Resize(sz.Add(fyne.NewSize(1, 1)))
	w.Resize(sz)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}
