package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"casebook/casebook"
	"casebook/casebook/store"
)

// cli runs the command line as main would, capturing its output.
func cli(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return out.String(), errb.String(), code
}

// ok runs a command that must succeed and returns its stdout.
func ok(t *testing.T, args ...string) string {
	t.Helper()
	out, errs, code := cli(t, args...)
	if code != 0 {
		t.Fatalf("casebook %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

// fails runs a command that must fail with one line on stderr containing want.
func fails(t *testing.T, want string, args ...string) {
	t.Helper()
	out, errs, code := cli(t, args...)
	if code == 0 {
		t.Errorf("casebook %s: succeeded, want failure %q; stdout %q", strings.Join(args, " "), want, out)
		return
	}
	if strings.Count(errs, "\n") != 1 || !strings.HasSuffix(errs, "\n") || !strings.HasPrefix(errs, "casebook") {
		t.Errorf("casebook %s: stderr is not one line: %q", strings.Join(args, " "), errs)
	}
	if !strings.Contains(errs, want) {
		t.Errorf("casebook %s: stderr %q does not say %q", strings.Join(args, " "), errs, want)
	}
}

// newDB makes a casebook with settings and returns its path.
func newDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "town.db")
	ok(t, "settings", "set", "--db", db, "--community", "测试社区", "--secretary", "王明",
		"--term-start", "2025-12-01", "--term-end", "2026-10-31", "--baseline-response", "86%",
		"--baseline-resolution", "0.62", "--baseline-satisfaction", "0.70", "--households", "2100", "--buildings", "1-30")
	return db
}

// local formats t as a Beijing local time, as people type it.
func local(t time.Time) string { return t.In(casebook.Shanghai).Format("2006-01-02 15:04") }

func addCase(t *testing.T, db string, received time.Time, extra ...string) string {
	t.Helper()
	args := append([]string{"case", "add", "--db", db, "--channel", "walk-in", "--type", "投诉", "--category", "停车管理",
		"--summary", "小区东门机动车乱停占用消防通道", "--building", "14号楼", "--received", local(received),
		"--complainant", "张某", "--phone", "13800000000"}, extra...)
	id := strings.TrimSpace(ok(t, args...))
	if _, err := casebook.ParseID(id); err != nil {
		t.Fatalf("case add printed %q, not an id", id)
	}
	return id
}

func showCase(t *testing.T, db, id string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(ok(t, "case", "show", "--db", db, "--id", id, "--json")), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRoundTrip(t *testing.T) {
	db := newDB(t)
	base := time.Now().Add(-72 * time.Hour).Truncate(time.Hour)
	id := addCase(t, db, base, "--unit", "2单元", "--urgency", "一般")
	at := func(d time.Duration) string { return local(base.Add(d)) }

	v := showCase(t, db, id)
	if v["status"] != "received" || v["number"] == "" || v["next_deadline_kind"] != "respond" {
		t.Fatalf("new case: %v", v)
	}
	ok(t, "case", "respond", "--db", db, "--id", id, "--at", at(time.Hour))
	ok(t, "case", "dispatch", "--db", db, "--id", id, "--to", "物业公司", "--at", at(2*time.Hour))
	ok(t, "case", "progress", "--db", db, "--id", id, "--note", "物业已到场", "--at", at(24*time.Hour), "--actor", "李华")
	ok(t, "case", "resolve", "--db", db, "--id", id, "--note", "已协调车主挪车", "--at", base.Add(48*time.Hour).Format(time.RFC3339))
	ok(t, "case", "feedback", "--db", db, "--id", id, "--at", at(49*time.Hour))
	ok(t, "case", "evaluate", "--db", db, "--id", id, "--solved", "解决", "--satisfaction", "satisfied", "--at", at(50*time.Hour))
	number := v["number"].(string)
	out := ok(t, "case", "close", "--db", db, "--id", number, "--at", at(51*time.Hour))
	if !strings.Contains(out, "closed") {
		t.Errorf("close printed %q", out)
	}

	v = showCase(t, db, id)
	if v["status"] != "closed" || v["solved"] != "yes" || v["satisfaction"] != "satisfied" || v["dispatched_to"] != "物业公司" {
		t.Errorf("closed case: %v", v)
	}
	if v["next_deadline"] != nil || v["overdue"] != false {
		t.Errorf("closed case deadline %v overdue %v", v["next_deadline"], v["overdue"])
	}
	tl := v["timeline"].([]any)
	if len(tl) != 8 {
		t.Errorf("timeline has %d events, want 8", len(tl))
	}
	if e := tl[3].(map[string]any); e["actor"] != "李华" || e["action"] != "progress" {
		t.Errorf("progress event %v", e)
	}
	if e := tl[1].(map[string]any); e["actor"] != "王明" {
		t.Errorf("respond event actor %v, want the secretary", e["actor"])
	}
	fields := v["fields"].(map[string]any)
	if fields["complainant"] != "张某" || fields["phone"] != "13800000000" || fields["unit"] != "2单元" {
		t.Errorf("fields %v", fields)
	}
	if r, _ := time.Parse(time.RFC3339, v["received"].(string)); !r.Equal(base) {
		t.Errorf("received %v, want %v", v["received"], base)
	}

	// List, as JSON and as a table.
	var list []map[string]any
	if err := json.Unmarshal([]byte(ok(t, "case", "list", "--db", db, "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0]["id"] != id || list[0]["next_deadline"] != nil || list[0]["overdue"] != false {
		t.Errorf("list %v", list)
	}
	if _, hasPhone := list[0]["phone"]; hasPhone {
		t.Error("list shows the phone number")
	}
	table := ok(t, "case", "list", "--db", db)
	if !strings.Contains(table, number) || !strings.Contains(table, "已销号") || !strings.Contains(table, local(base)) {
		t.Errorf("table:\n%s", table)
	}
	if en := ok(t, "case", "list", "--db", db, "--lang", "en"); !strings.Contains(en, "closed out") {
		t.Errorf("English table:\n%s", en)
	}
	if out := ok(t, "case", "list", "--db", db, "--open", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("open list %q, want []", out)
	}
	if out := ok(t, "case", "list", "--db", db, "--status", "已销号", "--category", "停车管理", "--building", "14号楼",
		"--channel", "来访", "--search", "消防", "--from", local(base)[:10], "--to", local(base)[:10], "--json"); !strings.Contains(out, id) {
		t.Errorf("filtered list %q", out)
	}
	if out := ok(t, "case", "list", "--db", db, "--from", local(base.Add(48 * time.Hour))[:10], "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("list from a later day %q", out)
	}

	// Metrics.
	var m map[string]any
	if err := json.Unmarshal([]byte(ok(t, "metrics", "--db", db, "--json")), &m); err != nil {
		t.Fatal(err)
	}
	if m["cases"] != 1.0 || m["resolution_rate"] != 1.0 || m["satisfaction_rate"] != 1.0 || m["response_rate"] != 1.0 {
		t.Errorf("metrics %v", m)
	}
	if txt := ok(t, "metrics", "--db", db); !strings.Contains(txt, "解决率") || !strings.Contains(txt, "100.0%") || !strings.Contains(txt, "+38.0") {
		t.Errorf("metrics text:\n%s", txt)
	}

	// Text show has the timeline in Beijing time.
	if txt := ok(t, "case", "show", "--db", db, "--id", id); !strings.Contains(txt, "物业已到场") || !strings.Contains(txt, at(24*time.Hour)) {
		t.Errorf("show:\n%s", txt)
	}

	// Set, link, reopen, note, escalate.
	ok(t, "case", "set", "--db", db, "--id", id, "--field", "handler", "--value", "李华", "unit=3单元")
	v = showCase(t, db, id)
	if f := v["fields"].(map[string]any); f["handler"] != "李华" || f["unit"] != "3单元" {
		t.Errorf("after set: %v", f)
	}
	id2 := addCase(t, db, base.Add(time.Hour))
	ok(t, "case", "link", "--db", db, "--id", id2, "--to", id, "--kind", "重复")
	if l := showCase(t, db, id2)["links"].([]any); len(l) != 1 {
		t.Errorf("links %v", l)
	}
	ok(t, "case", "reopen", "--db", db, "--id", id, "--note", "居民再次反映")
	ok(t, "case", "note", "--db", db, "--id", id, "--note", "已电话沟通")
	ok(t, "case", "escalate", "--db", db, "--id", id, "--to", "街道")
	if v := showCase(t, db, id); v["status"] != "in_progress" || v["escalation"] != "street" {
		t.Errorf("after reopen and escalate: status %v, escalation %v", v["status"], v["escalation"])
	}
	ok(t, "case", "unresolvable", "--db", db, "--id", id, "--note", "超出社区职权")
	ok(t, "check", "--db", db)
}

func TestBadInput(t *testing.T) {
	db := newDB(t)
	dir := t.TempDir()
	base := time.Now().Add(-48 * time.Hour).Truncate(time.Minute)
	id := addCase(t, db, base, "--channel", "12345", "--workorder", "2026031512345678")
	ok(t, "case", "respond", "--db", db, "--id", id)

	add := []string{"case", "add", "--db", db, "--type", "complaint", "--category", "停车管理", "--summary", "s"}
	notCasebook := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notCasebook, []byte("not a casebook\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.db")

	for _, c := range []struct {
		want string
		args []string
	}{
		{`channel "fax" is not one of`, append(add, "--channel", "fax")},
		{`required flag(s) "summary" not set`, []string{"case", "add", "--db", db, "--channel", "walk-in", "--type", "complaint", "--category", "停车管理"}},
		{"work-order number", append(add, "--channel", "12345")},
		{"already in the casebook", append(add, "--channel", "12345", "--workorder", "2026031512345678")},
		{`category "火星" is not in the list`, []string{"case", "add", "--db", db, "--channel", "grid", "--type", "complaint", "--category", "火星", "--summary", "s"}},
		{"--received", append(add, "--channel", "grid", "--received", "yesterday")},
		{"received time is in the future", append(add, "--channel", "grid", "--received", local(time.Now().Add(time.Hour)))},
		{"--received: invalid input: the time", append(add, "--channel", "grid", "--received", local(time.Now().Add(50*time.Hour)))},
		{"phone", append(add, "--channel", "grid", "--phone", "call me")},
		{"cannot respond a case that is responded", []string{"case", "respond", "--db", db, "--id", id}},
		{"cannot close a case that is responded", []string{"case", "close", "--db", db, "--id", id}},
		{"--solved", []string{"case", "evaluate", "--db", db, "--id", id, "--satisfaction", "满意"}},
		{`--solved: invalid input: solved "maybe"`, []string{"case", "evaluate", "--db", db, "--id", id, "--solved", "maybe", "--satisfaction", "满意"}},
		{"--at", []string{"case", "dispatch", "--db", db, "--id", id, "--to", "物业公司", "--at", "next tuesday"}},
		{"before the appeal was received", []string{"case", "dispatch", "--db", db, "--id", id, "--to", "物业公司", "--at", local(base.Add(-time.Hour))}},
		{"time is in the future", []string{"case", "dispatch", "--db", db, "--id", id, "--to", "物业公司", "--at", local(time.Now().Add(24 * time.Hour))}},
		{`required flag(s) "to" not set`, []string{"case", "dispatch", "--db", db, "--id", id}},
		{"--to: say to whom", []string{"case", "dispatch", "--db", db, "--id", id, "--to", " "}},
		{`level "moon"`, []string{"case", "escalate", "--db", db, "--id", id, "--to", "moon"}},
		{`required flag(s) "note" not set`, []string{"case", "unresolvable", "--db", db, "--id", id}},
		{"not found", []string{"case", "respond", "--db", db, "--id", "20990101-001"}},
		{"not found", []string{"case", "show", "--db", db, "--id", "01ARZ3NDEKTSV4RRFFQ69G5FAV"}},
		{"unknown field", []string{"case", "set", "--db", db, "--id", id, "colour=red"}},
		{"give them in pairs", []string{"case", "set", "--db", db, "--id", id, "--field", "unit"}},
		{"not FIELD=VALUE", []string{"case", "set", "--db", db, "--id", id, "unit"}},
		{"nothing to set", []string{"case", "set", "--db", db, "--id", id}},
		{`link "twin"`, []string{"case", "link", "--db", db, "--id", id, "--to", id, "--kind", "twin"}},
		{"cannot link to itself", []string{"case", "link", "--db", db, "--id", id, "--to", id, "--kind", "related"}},
		{`status "lost"`, []string{"case", "list", "--db", db, "--status", "lost"}},
		{"--from", []string{"case", "list", "--db", db, "--from", "2026-02-30"}},
		{"--to 2026-01-01 is before --from 2026-02-01", []string{"metrics", "--db", db, "--from", "2026-02-01", "--to", "2026-01-01"}},
		{"--to", []string{"metrics", "--db", db, "--to", "tomorrow"}},
		{"no casebook at", []string{"case", "list", "--db", missing}},
		{"no casebook at", []string{"metrics", "--db", missing}},
		{"file is not a casebook", []string{"case", "list", "--db", notCasebook}},
		{"file is not a casebook", []string{"case", "add", "--db", notCasebook, "--channel", "grid", "--type", "complaint", "--category", "停车管理", "--summary", "s"}},
		{"file is not a casebook", []string{"check", "--db", notCasebook}},
		{"nothing to set", []string{"settings", "set", "--db", db}},
		{"--baseline-response: invalid input: 150 is not between 0% and 100%", []string{"settings", "set", "--db", db, "--baseline-response", "150"}},
		{"--term-start", []string{"settings", "set", "--db", db, "--term-start", "Dec 1"}},
		{"term ends before it starts", []string{"settings", "set", "--db", db, "--term-end", "2025-01-01"}},
		{"--handle-general", []string{"settings", "set", "--db", db, "--handle-general", "7"}},
		{"composite weights add up to", []string{"settings", "set", "--db", db, "--weight-response", "0.5"}},
		{"--counting", []string{"settings", "set", "--db", db, "--counting", "lunar"}},
		{"--buildings", []string{"settings", "set", "--db", db, "--buildings", "9-1"}},
		{"already exists; use --force", []string{"backup", "--db", db, "--out", notCasebook}},
		{"is the casebook itself", []string{"backup", "--db", db, "--out", db}},
		{"already exists; demo never overwrites", []string{"demo", "--db", notCasebook}},
		{"already exists; demo never overwrites", []string{"demo", "--db", db}},
		{`unknown command "frobnicate"`, []string{"case", "frobnicate", "--db", db}},
		{`unknown command "frobnicate"`, []string{"frobnicate"}},
		{"unknown flag: --colour", []string{"case", "list", "--db", db, "--colour"}},
		{`unsupported language "tlh"`, []string{"case", "list", "--db", db, "--lang", "tlh"}},
		{`unsupported theme "neon"`, []string{"--db", db, "--theme", "neon"}},
	} {
		fails(t, c.want, c.args...)
	}

	// Nothing was half-written: the case is as it was, the bad files untouched.
	v := showCase(t, db, id)
	if v["status"] != "responded" || len(v["timeline"].([]any)) != 2 {
		t.Errorf("case changed by refused commands: status %v, %d events", v["status"], len(v["timeline"].([]any)))
	}
	if f := v["fields"].(map[string]any); f["unit"] != nil {
		t.Errorf("refused set changed fields: %v", f)
	}
	if b, _ := os.ReadFile(notCasebook); string(b) != "not a casebook\n" {
		t.Errorf("not-a-casebook file changed: %q", b)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("a read-only command made a casebook")
	}
	var list []any
	_ = json.Unmarshal([]byte(ok(t, "case", "list", "--db", db, "--json")), &list)
	if len(list) != 1 {
		t.Errorf("%d cases after refused adds, want 1", len(list))
	}
	// A refused add on a new path leaves no file behind.
	fresh := filepath.Join(dir, "fresh.db")
	fails(t, "channel", "case", "add", "--db", fresh, "--channel", "fax", "--type", "complaint", "--category", "停车管理", "--summary", "s")
	if _, err := os.Stat(fresh); err == nil {
		t.Error("a refused case add left a new casebook behind")
	}
}

func TestLocked(t *testing.T) {
	db := newDB(t)
	held, err := store.OpenBolt(db)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	fails(t, "in use by another program", "case", "list", "--db", db)
	fails(t, "in use by another program", "case", "add", "--db", db, "--channel", "grid", "--type", "complaint", "--category", "停车管理", "--summary", "s")
}

func TestMetricsEmpty(t *testing.T) {
	db := newDB(t)
	var m map[string]any
	if err := json.Unmarshal([]byte(ok(t, "metrics", "--db", db, "--json", "--from", "2026-01-01", "--to", "2026-01-31")), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"cases", "response_rate", "resolution_rate", "satisfaction_rate", "composite_score",
		"on_time_rate", "open", "overdue", "by_category", "by_month", "by_building", "by_channel", "term"} {
		if _, ok := m[k]; !ok {
			t.Errorf("metrics JSON lacks %q", k)
		}
	}
	for _, k := range []string{"response_rate", "resolution_rate", "satisfaction_rate", "composite_score", "on_time_rate"} {
		if m[k] != nil {
			t.Errorf("%s = %v with no appeals, want null", k, m[k])
		}
	}
	if m["cases"] != 0.0 {
		t.Errorf("cases %v", m["cases"])
	}
	from, _ := time.Parse(time.RFC3339, m["from"].(string))
	to, _ := time.Parse(time.RFC3339, m["to"].(string))
	if !from.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, casebook.Shanghai)) || !to.Equal(time.Date(2026, 2, 1, 0, 0, 0, 0, casebook.Shanghai)) {
		t.Errorf("period %v – %v, want 2026-01-01 to 2026-02-01 00:00 Beijing", from, to)
	}
	if txt := ok(t, "metrics", "--db", db); !strings.Contains(txt, "—") || !strings.Contains(txt, "86.0%") {
		t.Errorf("metrics text:\n%s", txt)
	}
}

func TestSettings(t *testing.T) {
	db := newDB(t)
	ok(t, "settings", "set", "--db", db, "--handle-general", "5天", "--counting", "working", "--categories", "停车管理，环境卫生、其他",
		"--baseline-satisfaction", "none", "--due-soon", "48h", "--weight-basic", "0.8", "--repeat-days", "14", "--street", "示例街道")
	var s casebook.Settings
	if err := json.Unmarshal([]byte(ok(t, "settings", "show", "--db", db, "--json")), &s); err != nil {
		t.Fatal(err)
	}
	if s.Community.Name != "测试社区" || s.Community.Street != "示例街道" || s.Community.Households != 2100 || len(s.Community.Buildings) != 30 || s.Community.Buildings[13] != "14号楼" {
		t.Errorf("community %+v", s.Community)
	}
	if s.Term.Secretary != "王明" || s.Term.Start.String() != "2025-12-01" || s.Term.Baseline.Satisfaction != nil ||
		s.Term.Baseline.Response == nil || *s.Term.Baseline.Response != 0.86 {
		t.Errorf("term %+v", s.Term)
	}
	if s.Policy.HandleLimit(casebook.UrgencyGeneral) != (casebook.Limit{Amount: 5, Unit: casebook.UnitDays}) || s.Policy.Counting != casebook.CountWorking || s.Policy.DueSoon != 48*time.Hour {
		t.Errorf("policy %+v", s.Policy)
	}
	if strings.Join(s.Categories, "|") != "停车管理|环境卫生|其他" || s.Weights.BasicSatisfied != 0.8 || s.Weights.RepeatDays != 14 {
		t.Errorf("categories %v weights %+v", s.Categories, s.Weights)
	}
	if txt := ok(t, "settings", "show", "--db", db); !strings.Contains(txt, "测试社区") || !strings.Contains(txt, "5d") {
		t.Errorf("settings text:\n%s", txt)
	}
}

func TestDemoBackupCheck(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	out := ok(t, "demo", "--db", db, "--cases", "200", "--seed", "5", "--community", "样板社区")
	if !strings.Contains(out, "200") {
		t.Errorf("demo printed %q", out)
	}
	fails(t, "already exists", "demo", "--db", db)
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("demo left files behind: %v", entries)
	}
	if txt := ok(t, "check", "--db", db); !strings.Contains(txt, "200") {
		t.Errorf("check printed %q", txt)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(ok(t, "case", "list", "--db", db, "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 200 {
		t.Errorf("%d cases, want 200", len(list))
	}
	if txt := ok(t, "metrics", "--db", db, "--lang", "en"); !strings.Contains(txt, "样板社区") || !strings.Contains(txt, "Resolution rate") {
		t.Errorf("metrics:\n%s", txt)
	}

	bak := filepath.Join(dir, "backup.db")
	ok(t, "backup", "--db", db, "--out", bak)
	fails(t, "already exists", "backup", "--db", db, "--out", bak)
	ok(t, "backup", "--db", db, "--out", bak, "--force")
	if txt := ok(t, "check", "--db", bak); !strings.Contains(txt, "200") {
		t.Errorf("backup check printed %q", txt)
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"case", "--help"}, {"case", "add", "--help"}, {"case", "evaluate", "--help"}, {"case"},
		{"metrics", "--help"}, {"settings", "set", "--help"}, {"demo", "--help"}, {"backup", "--help"}, {"check", "--help"},
	} {
		out := ok(t, args...)
		if !strings.Contains(out, "Usage:") {
			t.Errorf("casebook %s: no usage in %q", strings.Join(args, " "), out)
		}
	}
	if out := ok(t, "case", "evaluate", "--help"); !strings.Contains(out, "--satisfaction") {
		t.Errorf("evaluate help lacks --satisfaction:\n%s", out)
	}
}

func TestDesktopApp(t *testing.T) {
	var got []string
	old := runGUI
	defer func() { runGUI = old }()
	runGUI = func(db, lang, theme string) error {
		got = []string{db, lang, theme}
		return nil
	}
	db := filepath.Join(t.TempDir(), "x.db")
	ok(t, "--db", db, "--lang", "en", "--theme", "dark")
	if strings.Join(got, "|") != db+"|en|dark" {
		t.Errorf("desktop app started with %q", got)
	}
	if p := defaultDB(); p != "" && (filepath.Base(p) != "casebook.db" || filepath.Base(filepath.Dir(p)) != "casebook") {
		t.Errorf("default casebook %q", p)
	}
}

func TestErrorLine(t *testing.T) {
	root := (&app{}).rootCmd()
	sub, _, _ := root.Find([]string{"case", "respond"})
	err := errorLine(sub, errFromText("respond case X: step not allowed:\n cannot respond"))
	if err != "casebook: case respond: respond case X: step not allowed: cannot respond" {
		t.Errorf("errorLine = %q", err)
	}
}

type errFromText string

func (e errFromText) Error() string { return string(e) }

func TestTable(t *testing.T) {
	got := table([][]string{{"编号", "x"}, {"ab", "y"}})
	if got != "编号  x\nab    y\n" {
		t.Errorf("table = %q", got)
	}
	if c := clipWidth("一二三四五六", 7); c != "一二三…" || textWidth(c) > 7 {
		t.Errorf("clipWidth = %q", c)
	}
}
