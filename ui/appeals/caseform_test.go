package appeals

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"casebook/casebook"
	"casebook/casebook/store"
	"casebook/ui/internal/uitest"
	"casebook/ui/screen"
	"casebook/ui/words"
)

// TestDuplicateWarnings: while the form is filled in, open appeals about
// the same building and category, a recent appeal from the same person and
// the same 12345 work order are offered, each with one click to link or to
// add to it instead of filing it twice.
func TestDuplicateWarnings(t *testing.T) {
	var leak, person, order *casebook.Case
	a, _ := newTestApp(t, words.LangChinese, func(b *store.Book) {
		leak = addCase(t, b, casebook.CaseInput{Summary: "7号楼顶层漏水", Category: "老旧小区改造", Building: "7号楼", Complainant: "李阿姨"})
		person = addCase(t, b, casebook.CaseInput{Summary: "楼下饭店油烟", Category: "环境卫生", Building: "3号楼", Complainant: "赵先生", Phone: "13911112222"})
		order = addCase(t, b, casebook.CaseInput{Summary: "路灯不亮", Category: "道路设施", Channel: string(casebook.Channel12345), WorkOrder: "2026031599990001"})
	})
	a.NewAppeal()
	f := a.form
	if len(f.hints) != 0 {
		t.Fatalf("an empty form has %d hints", len(f.hints))
	}
	hintFor := func(id string) *dupHint {
		for i := range f.hints {
			if f.hints[i].s.ID == id {
				return &f.hints[i]
			}
		}
		return nil
	}

	// The same building and category.
	test.Type(f.building, "7号楼")
	if len(f.hints) != 0 {
		t.Error("a building alone gives hints")
	}
	f.category.SetText("老旧小区改造")
	if hintFor(leak.ID) == nil {
		t.Fatal("no hint for the open appeal about the same building and category")
	}
	// Save linked as a duplicate: a new case, linked both ways.
	test.Type(f.summary, "7号楼顶层又漏水了")
	f.save(leak.ID)
	if a.mode != modeCase || a.caseView.c == nil {
		t.Fatal("saving linked did not open the new case")
	}
	nc := a.caseView.c
	if len(nc.Links) != 1 || nc.Links[0].Target != leak.ID || nc.Links[0].Kind != casebook.LinkDuplicate {
		t.Errorf("new case links %+v", nc.Links)
	}
	if s, _ := a.Book.Store().Index().Get(nc.ID); len(s.Linked) != 1 {
		t.Error("the new case does not count as a repeat")
	}

	// The same person, by name or by phone.
	a.NewAppeal()
	f = a.form
	test.Type(f.phone, "13911112222")
	if h := hintFor(person.ID); h == nil || !strings.Contains(h.reason, "同一诉求人") {
		t.Fatalf("no hint for the same phone: %+v", f.hints)
	}
	f.phone.SetText("")
	test.Type(f.complainant, "赵先生")
	if hintFor(person.ID) == nil {
		t.Fatal("no hint for the same name")
	}
	// Add to that case instead: a note on it, no new case.
	n := a.Book.Store().Index().Len()
	test.Type(f.summary, "油烟问题仍未解决")
	test.Tap(findButton(t, f.dupBox, "记入该件"))
	if a.Book.Store().Index().Len() != n {
		t.Error("adding to an existing case made a new case")
	}
	c, _ := a.Book.Case(person.ID)
	last := c.Timeline[len(c.Timeline)-1]
	if last.Action != casebook.ActNote || !strings.Contains(last.Note, "油烟问题仍未解决") || !strings.Contains(last.Note, "再次反映") {
		t.Errorf("note on the existing case: %+v", last)
	}
	if a.caseView == nil || a.caseView.c.ID != person.ID {
		t.Error("the existing case is not shown")
	}

	// The same work order: a strong warning, and saving is refused by the
	// field.
	a.NewAppeal()
	f = a.form
	f.channel.SetSelected(words.ChannelName(casebook.Channel12345))
	test.Type(f.workorder, "2026031599990001")
	h := hintFor(order.ID)
	if h == nil || !h.strong {
		t.Fatalf("no strong hint for the same work order: %+v", f.hints)
	}
	test.Type(f.summary, "路灯又不亮")
	f.category.SetText("道路设施")
	test.Tap(f.saveBtn)
	if got := visibleErr(f.errs[casebook.FieldWorkOrder]); got != "已登记为"+order.Number()+"。" {
		t.Errorf("work order error %q", got)
	}
}

// TestFormCancelAsks: leaving a half-filled form asks first; an empty one
// leaves at once; the form keeps its content while the user looks
// elsewhere.
func TestFormCancelAsks(t *testing.T) {
	a, w := newTestApp(t, words.LangChinese, nil)
	a.NewAppeal()
	f := a.form
	f.cancel()
	if a.mode != modeLedger && a.h.Current == screen.Appeals {
		t.Error("cancelling an empty form did not leave it")
	}
	a.NewAppeal()
	test.Type(f.summary, "未写完的登记")
	a.ShowSection(screen.Today)
	a.ShowSection(screen.Appeals)
	if a.mode != modeForm || a.form.summary.Text != "未写完的登记" {
		t.Fatal("the half-filled form was lost by looking at Today")
	}
	f.cancel()
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("no confirmation before discarding typed text")
	}
	if a.mode != modeForm {
		t.Error("the form was left before the user confirmed")
	}
}

// TestFormDefaults: after a save the next form keeps the channel, type and
// handler, and starts at the current time.
func TestFormDefaults(t *testing.T) {
	a, _ := newTestApp(t, words.LangChinese, nil)
	a.NewAppeal()
	f := a.form
	f.channel.SetSelected(words.ChannelName(casebook.ChannelGrid))
	f.typ.SetSelected(words.TypeName(casebook.TypeHelp))
	f.handler.SetText("李华")
	test.Type(f.summary, "独居老人需要助餐")
	f.category.SetText("养老助餐")
	test.Tap(f.saveBtn)
	if a.Book.Store().Index().Len() != 1 {
		t.Fatalf("not saved: %q", visibleErr(f.formErr))
	}
	a.NewAppeal()
	if f.channel.Selected != words.ChannelName(casebook.ChannelGrid) || f.typ.Selected != words.TypeName(casebook.TypeHelp) || f.handler.Text != "李华" || f.summary.Text != "" {
		t.Errorf("next form: channel %q type %q handler %q summary %q", f.channel.Selected, f.typ.Selected, f.handler.Text, f.summary.Text)
	}
	if _, err := time.ParseInLocation(words.LayoutMinute, f.received.Text, casebook.Shanghai); err != nil {
		t.Errorf("received %q", f.received.Text)
	}
	// A received time that does not parse is an inline error.
	f.received.SetText("昨天下午")
	test.Type(f.summary, "x")
	f.category.SetText("养老助餐")
	test.Tap(f.saveBtn)
	if got := visibleErr(f.errs[casebook.FieldReceived]); got == "" {
		t.Error("no error for a bad received time")
	}
	if a.Book.Store().Index().Len() != 1 {
		t.Error("a bad time saved a case")
	}
}

// TestFormWalkFixes: what the walk found in the new-appeal form. The
// building is suggested from the summary; a report about the same thing in
// another building is warned of; a field's error goes when the field
// changes; a phone must be a resident's number; the discard dialog says
// 放弃 and 继续填写.
func TestFormWalkFixes(t *testing.T) {
	var open *casebook.Case
	a, w := newTestApp(t, words.LangChinese, func(b *store.Book) {
		open = addCase(t, b, casebook.CaseInput{Summary: "小区南门消防通道被车辆堵塞", Category: "消防安全"})
	})
	a.NewAppeal()
	f := a.form
	test.Type(f.summary, "14号楼东侧消防通道被占")
	if f.building.Text != "14号楼" {
		t.Errorf("building suggested %q", f.building.Text)
	}
	found := false
	for _, h := range f.hints {
		found = found || h.s.ID == open.ID && strings.Contains(h.reason, "内容相近")
	}
	if !found {
		t.Errorf("the open appeal about the same thing is not warned of: %+v", f.hints)
	}

	for phone, ok := range map[string]bool{"12345": false, "6234": false, "010-62345678": true} {
		f.phone.SetText(phone)
		f.category.SetText("消防安全")
		test.Tap(f.saveBtn)
		if got := visibleErr(f.errs[casebook.FieldPhone]); (got == "") != ok {
			t.Errorf("phone %q: error %q", phone, got)
		}
		if !ok {
			test.Type(f.phone, "1") // a change clears the error
			if got := visibleErr(f.errs[casebook.FieldPhone]); got != "" {
				t.Errorf("the phone error stays after a change: %q", got)
			}
		}
	}
	if n := a.Book.Store().Index().Len(); n != 2 {
		t.Fatalf("%d appeals", n)
	}

	a.NewAppeal()
	test.Type(a.form.summary, "未写完")
	a.form.cancel()
	top := w.Canvas().Overlays().Top()
	if top == nil || uitest.FindTappable(top, "放弃") == nil || uitest.FindTappable(top, "继续填写") == nil {
		t.Error("the discard dialog does not say 放弃 and 继续填写")
	}
}
