package paper

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"casebook/casebook"
	"casebook/casebook/demo"
	"casebook/casebook/store"
)

// testNow is the tests' "today": 2026-11-24 10:00 in Shanghai, or the
// computer's clock if it is earlier (demo.Generate refuses a future now).
func testNow() time.Time {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, casebook.Shanghai)
	if c := time.Now().Truncate(time.Hour); c.Before(now) {
		return c
	}
	return now
}

var (
	demoOnce sync.Once
	demoB    *store.Book
)

// demoBook is the demo casebook, generated once for the test binary.
func demoBook(t testing.TB) *store.Book {
	t.Helper()
	demoOnce.Do(func() {
		b, err := store.NewBook(store.NewMemory(), demo.Secretary, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Generate(b, demo.Options{Seed: 7, Now: testNow()}); err != nil {
			t.Fatal(err)
		}
		demoB = b
	})
	if demoB == nil {
		t.Fatal("no demo casebook")
	}
	return demoB
}

// pdfText reads a PDF back with a second tool (poppler's pdftotext), one
// string per page. Without it the test skips, unless CASEBOOK_REQUIRE_CALC
// is set (CI installs poppler-utils with LibreOffice).
func pdfText(t testing.TB, data []byte) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CASEBOOK_REQUIRE_CALC") != "" {
			t.Fatal("pdftotext is not installed but CASEBOOK_REQUIRE_CALC is set")
		}
		t.Skip("pdftotext is not installed (Debian: apt-get install poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	pages := strings.Split(string(out), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	keep(t, data)
	return pages
}

// keep writes the PDF and its pages as PNG (pdftoppm, 80 dpi) into the
// folder CASEBOOK_KEEP_PRINT names, for a person to look at.
func keep(t testing.TB, data []byte) {
	dir := os.Getenv("CASEBOOK_KEEP_PRINT")
	if dir == "" {
		return
	}
	_ = os.MkdirAll(dir, 0o755)
	name := strings.NewReplacer("/", "-", " ", "_").Replace(t.Name())
	path := filepath.Join(dir, name+".pdf")
	for i := 2; ; i++ { // a test may keep several: the first keeps its name
		if _, err := os.Stat(path); err != nil {
			break
		}
		name = fmt.Sprintf("%s-%d", strings.NewReplacer("/", "-", " ", "_").Replace(t.Name()), i)
		path = filepath.Join(dir, name+".pdf")
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "80", "-png", path, filepath.Join(dir, name)).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
}

// flat is a page's text without spaces, for finding phrases that the
// layout spaced out.
func flat(s string) string { return strings.Join(strings.Fields(s), "") }

// walkIn is an open walk-in appeal of the demo casebook with a resident's
// name and phone.
func walkIn(t testing.TB, b *store.Book) *casebook.Case {
	t.Helper()
	for _, s := range b.List(casebook.Filter{Channels: []casebook.Channel{casebook.ChannelWalkIn}}, testNow()) {
		c, err := b.Case(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Complainant() != "" && c.Phone() != "" && c.Field(casebook.FieldDetails) != "" {
			return c
		}
	}
	for _, s := range b.List(casebook.Filter{Channels: []casebook.Channel{casebook.ChannelWalkIn}}, testNow()) {
		c, _ := b.Case(s.ID)
		if c.Complainant() != "" && c.Phone() != "" {
			return c
		}
	}
	t.Fatal("no walk-in appeal with a name and phone in the demo")
	return nil
}

func TestReceipt(t *testing.T) {
	b := demoBook(t)
	c := walkIn(t, b)
	var buf bytes.Buffer
	res, err := Receipt(&buf, c, b.Settings(), Options{Now: testNow(), Contact: "社区服务站 010-63801234"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages != 1 || len(res.Missing) > 0 {
		t.Errorf("receipt: %+v", res)
	}
	pages := pdfText(t, buf.Bytes())
	text := flat(strings.Join(pages, ""))
	set := b.Settings()
	s := c.Summarize(&set.Policy)
	for _, want := range []string{"居民诉求受理回执", c.Number(), flat(c.Summary()), c.Complainant(), c.Phone(),
		flat(deadline(s.RespondDue)), flat(deadline(s.HandleDue)), "010-63801234", flat(minute(c.Received()))} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt lacks %q:\n%s", want, pages[0])
		}
	}
}

// closedCase is a closed, evaluated appeal of the demo with a timeline.
func closedCase(t testing.TB, b *store.Book) *casebook.Case {
	t.Helper()
	for _, s := range b.List(casebook.Filter{Statuses: []casebook.Status{casebook.StatusClosed}}, testNow()) {
		c, err := b.Case(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Complainant() != "" && c.Phone() != "" && len(c.Timeline) >= 6 && c.DispatchedTo != "" {
			return c
		}
	}
	t.Fatal("no closed appeal with a full timeline in the demo")
	return nil
}

func TestCaseSheet(t *testing.T) {
	b := demoBook(t)
	c := closedCase(t, b)
	number := func(id string) string {
		if o, err := b.Case(id); err == nil {
			return o.Number()
		}
		return ""
	}
	var buf bytes.Buffer
	res, err := CaseSheet(&buf, c, b.Settings(), number, Options{Now: testNow()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Missing) > 0 {
		t.Errorf("missing characters: %s", res.MissingText())
	}
	text := flat(strings.Join(pdfText(t, buf.Bytes()), ""))
	for _, want := range []string{"诉求办理单", c.Number(), flat(c.Summary()), c.DispatchedTo, c.Solved.Chinese(), c.Satisfaction.Chinese(),
		"承办人（签字）", flat(minute(c.ClosedAt))} {
		if !strings.Contains(text, want) {
			t.Errorf("case sheet lacks %q", want)
		}
	}
	for _, e := range c.Timeline {
		if !strings.Contains(text, flat(minute(e.At))+e.Action.Chinese()) {
			t.Errorf("case sheet lacks the step %s at %s", e.Action.Chinese(), minute(e.At))
		}
	}
	if strings.Contains(text, c.Phone()) || strings.Contains(text, c.Complainant()) {
		t.Error("the masked case sheet shows the resident's name or phone")
	}
	buf.Reset()
	if _, err := CaseSheet(&buf, c, b.Settings(), number, Options{Now: testNow(), Unmasked: true}); err != nil {
		t.Fatal(err)
	}
	if text := flat(strings.Join(pdfText(t, buf.Bytes()), "")); !strings.Contains(text, c.Phone()) {
		t.Error("the unmasked case sheet lacks the phone")
	}
}

// agreedDispute is the demo's footpath dispute: agreed, built, resolved.
func agreedDispute(t testing.TB, b *store.Book) *casebook.Dispute {
	t.Helper()
	ds, err := b.Store().Disputes()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Agreement != nil && len(d.Tasks()) > 0 {
			return d
		}
	}
	t.Fatal("no agreed dispute with tasks in the demo")
	return nil
}

func TestAgreement(t *testing.T) {
	b := demoBook(t)
	dsp := agreedDispute(t, b)
	var buf bytes.Buffer
	res, err := Agreement(&buf, dsp, b.Settings(), Options{Now: testNow()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Missing) > 0 {
		t.Errorf("missing characters: %s", res.MissingText())
	}
	text := flat(strings.Join(pdfText(t, buf.Bytes()), ""))
	plan, _ := dsp.Plan(dsp.Agreement.Plan)
	for _, want := range []string{"人民调解协议书", "当事人", "纠纷主要事实及争议事项", "履行", "司法确认", "人民调解员（签名）", "人民调解委员会（印章）",
		flat(plan.Cost), flat(plan.Funding), flat(plan.Upkeep), day(dsp.Agreement.At)} {
		if !strings.Contains(text, want) {
			t.Errorf("agreement lacks %q", want)
		}
	}
	for _, p := range dsp.Parties() {
		if !strings.Contains(text, flat(p.Name)+"（签名/盖章）") {
			t.Errorf("no signature line for %s", p.Name)
		}
	}
	for _, tk := range dsp.Tasks() {
		if !strings.Contains(text, flat(tk.Title)) || !strings.Contains(text, day(tk.Due.Time())) {
			t.Errorf("the obligation %q (by %s) is missing", tk.Title, tk.Due)
		}
	}

	var none casebook.Dispute
	if _, err := Agreement(&buf, &none, b.Settings(), Options{}); !errors.Is(err, ErrNoAgreement) {
		t.Errorf("a dispute without agreement: %v", err)
	}
}

// rateOn finds "label ... NN.NN%" on a page and returns the percentage text.
func rateOn(text, label string) string {
	i := strings.Index(text, label)
	if i < 0 {
		return ""
	}
	rest := text[i+len(label):]
	j := strings.Index(rest, "%")
	if j < 0 {
		return ""
	}
	k := j
	for k > 0 && (rest[k-1] >= '0' && rest[k-1] <= '9' || rest[k-1] == '.') {
		k--
	}
	return rest[k : j+1]
}

// TestReportRates reads the term report back with pdftotext and compares
// its rates with casebook.ComputeMetrics over the same appeals.
func TestReportRates(t *testing.T) {
	b := demoBook(t)
	now := testNow()
	set := b.Settings()
	from, to := set.Term.Start.Time(), set.Term.End.AddDays(1).Time()
	var buf bytes.Buffer
	res, err := Report(&buf, b, ReportOptions{Options: Options{Now: now}, From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Missing) > 0 {
		t.Errorf("missing characters: %s", res.MissingText())
	}
	pages := pdfText(t, buf.Bytes())
	all := strings.Join(pages, "\n")
	m := casebook.ComputeMetrics(b.List(casebook.Filter{}, now), &set, casebook.MetricsQuery{From: from, To: to, Now: now})
	for _, r := range []struct {
		label string
		v     *float64
	}{{"响应率", m.ResponseRate}, {"解决率", m.ResolutionRate}, {"满意率", m.SatisfactionRate}, {"按时率", m.OnTimeRate}} {
		// The 本期指标 table: "响应率  92.22%  1103  1196".
		i := strings.Index(all, "本期指标")
		if i < 0 {
			t.Fatal("no 本期指标 table")
		}
		if got, want := rateOn(all[i:], r.label), pct(r.v); got != want {
			t.Errorf("%s: the report says %q, ComputeMetrics %q", r.label, got, want)
		}
	}
	tc := m.Term
	if tc == nil {
		t.Fatal("no term comparison")
	}
	i := strings.Index(all, "一、三率总览")
	for _, r := range []struct {
		label  string
		during *float64
		change *float64
	}{{"解决率", tc.During.ResolutionRate, tc.Change.Resolution}, {"满意率", tc.During.SatisfactionRate, tc.Change.Satisfaction}} {
		line := ""
		for _, l := range strings.Split(all[i:], "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), r.label) {
				line = l
				break
			}
		}
		if !strings.Contains(line, pct(r.during)) || !strings.Contains(flat(line), flat(points(r.change))) {
			t.Errorf("%s row %q lacks %s and %s", r.label, line, pct(r.during), points(r.change))
		}
	}
	for _, want := range []string{"二、逐月走势", "三率按月走势", "三、分类与楼栋", "四、在办事项账龄", "五、减少了的重复诉求", "六、矛盾纠纷化解", "七、提级办理", "八、尚未办结的事项及原因"} {
		if !strings.Contains(all, want) {
			t.Errorf("the report lacks %s", want)
		}
	}
	for _, mr := range m.ByMonth {
		if !strings.Contains(all, mr.Key) {
			t.Errorf("month %s missing", mr.Key)
		}
	}
	if n := pageNumbers(pages); n != len(pages) {
		t.Errorf("%d of %d pages say 第 N 页 共 M 页", n, len(pages))
	}
}

func pageNumbers(pages []string) int {
	n := 0
	for i, p := range pages {
		if strings.Contains(flat(p), fmt.Sprintf("第%d页共%d页", i+1, len(pages))) {
			n++
		}
	}
	return n
}

func TestReportMeeting(t *testing.T) {
	b := demoBook(t)
	now := testNow()
	set := b.Settings()
	var buf bytes.Buffer
	lists := []Section{{Title: "意见清单（示例）", Paragraphs: []string{"由12345规则模块提供。"}}}
	if _, err := Report(&buf, b, ReportOptions{Options: Options{Now: now}, Meeting: true, Lists: lists}); err != nil {
		t.Fatal(err)
	}
	pages := pdfText(t, buf.Bytes())
	all := strings.Join(pages, "\n")
	m := b.Metrics(casebook.MetricsQuery{Now: now})
	for _, want := range []string{"向居民报告工作", "我们办了多少事", pct(m.ResolutionRate), pct(m.SatisfactionRate), "上次报告会大家提的事", "下一步", "意见清单（示例）"} {
		if !strings.Contains(all, want) {
			t.Errorf("the meeting report lacks %q", want)
		}
	}
	// No personal data: no resident's name or phone, no case number.
	for _, s := range b.List(casebook.Filter{}, now) {
		if strings.Contains(all, s.Number) {
			t.Fatalf("the meeting report shows the case number %s", s.Number)
		}
	}
	for _, s := range b.List(casebook.Filter{Channels: []casebook.Channel{casebook.ChannelWalkIn}}, now)[:50] {
		c, _ := b.Case(s.ID)
		if p := c.Phone(); p != "" && strings.Contains(flat(all), p) {
			t.Fatalf("the meeting report shows a phone number")
		}
		if n := c.Complainant(); len([]rune(n)) >= 2 && strings.Contains(flat(all), n) {
			t.Fatalf("the meeting report shows a resident's name")
		}
	}
	_ = set
}

// TestRareCharacters: a name with a hanzi outside GB2312 (堃) is printed
// from a system CJK font when the PC has one; without one it is printed as
// 〓 and reported, never dropped. Latin, digits and full-width forms come
// out as typed.
func TestRareCharacters(t *testing.T) {
	b, err := store.NewBook(store.NewMemory(), "王明", nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := b.AddCase(casebook.CaseInput{Received: testNow().Add(-time.Hour), Channel: "walk-in", Type: "complaint",
		Category: "停车管理", Building: "3号楼", Summary: "ＡＢ区地库B2层“僵尸车”占位（约12辆）", Complainant: "王堃", Phone: "13812345678"})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := loadFaces()
	if err != nil {
		t.Fatal(err)
	}
	system := faces[fontSystem]
	t.Cleanup(func() { faces[fontSystem] = system })

	faces[fontSystem] = nil // a PC with no Chinese font
	var buf bytes.Buffer
	res, err := Receipt(&buf, c, b.Settings(), Options{Now: testNow()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Missing) != 1 || res.Missing[0] != '堃' || !strings.Contains(res.MissingText(), "U+5803") {
		t.Errorf("missing %q, want 堃", res.Missing)
	}
	text := flat(strings.Join(pdfText(t, buf.Bytes()), ""))
	for _, want := range []string{"王〓", flat(c.Summary()), "13812345678"} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt lacks %q:\n%s", want, text)
		}
	}

	if system == nil {
		t.Log("no system CJK font here (Debian: fonts-droid-fallback): the fallback path is not exercised")
		return
	}
	faces[fontSystem] = system
	buf.Reset()
	if res, err = Receipt(&buf, c, b.Settings(), Options{Now: testNow()}); err != nil {
		t.Fatal(err)
	}
	if len(res.Missing) > 0 {
		t.Errorf("with the system font, still missing %q", res.Missing)
	}
	if text := flat(strings.Join(pdfText(t, buf.Bytes()), "")); !strings.Contains(text, "王堃") {
		t.Errorf("with the system font, the receipt lacks 王堃")
	}
	_ = fs
}
