package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// disputeDB makes a casebook with three appeals about the slope between
// 14号楼 and 15号楼, received a month ago, and returns it with their ids.
func disputeDB(t *testing.T) (db string, ids []string) {
	t.Helper()
	db = newDB(t)
	base := time.Now().Add(-30 * 24 * time.Hour).Truncate(time.Hour)
	for i, c := range []struct{ building, category, summary string }{
		{"14号楼", "道路设施", "14号楼与15号楼之间坡地无路，老人摔倒三次"},
		{"15号楼", "邻里纠纷", "反对在15号楼窗下修路"},
		{"14号楼", "道路设施", "坡地修路的事何时解决"},
	} {
		ids = append(ids, addCase(t, db, base.Add(time.Duration(i)*time.Hour), "--building", c.building,
			"--category", c.category, "--summary", c.summary))
	}
	return db, ids
}

func jsonOf(t *testing.T, out string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return v
}

func showDispute(t *testing.T, db, id string) map[string]any {
	t.Helper()
	return jsonOf(t, ok(t, "dispute", "show", "--db", db, "--id", id, "--json"))
}

func TestDisputeRoundTrip(t *testing.T) {
	db, ids := disputeDB(t)
	number := showCase(t, db, ids[0])["number"].(string)
	id := strings.TrimSpace(ok(t, "dispute", "add", "--db", db, "--title", "14号楼与15号楼之间坡地修路", "--place", "14号楼与15号楼之间坡地",
		"--summary", "3米高坡地原设计为草坪，两楼居民意见对立", "--case", number, "--case", ids[1]))
	d := showDispute(t, db, id)
	if d["id"] != id || d["status"] != "open" || d["cases"] != 2.0 || d["summary"] != "3米高坡地原设计为草坪，两楼居民意见对立" {
		t.Fatalf("new dispute: %v", d)
	}
	dis := func(args ...string) string {
		t.Helper()
		return strings.TrimSpace(ok(t, append([]string{"dispute", args[0], "--db", db, "--id", id}, args[1:]...)...))
	}

	dis("party", "--name", "14号楼居民", "--kind", "楼栋", "--building", "14号楼", "--side", "A", "--position", "修一条正式步道",
		"--interest", "老人出行安全")
	dis("party", "--name", "15号楼居民", "--kind", "building", "--building", "１５号楼", "--side", "B", "--position", "不同意修路")
	if out := dis("party", "--party", "2", "--position", "下端远离窗户即可同意"); !strings.Contains(out, "15号楼居民") {
		t.Errorf("party update printed %q", out)
	}
	dis("plan", "--title", "直线步道", "--description", "从14号楼门前直线下行\n下端接15号楼窗前道路", "--cost", "约2万元")
	dis("plan", "--title", "绕树转弯", "--description", "从14号楼门前下行\n绕开现有树木\n下端接15号楼窗前道路",
		"--changes", "绕开树木", "--reason", "保留树木")
	m1 := dis("meeting", "--place", "14号楼小院", "--kind", "小院议事厅", "--at", local(time.Now().Add(-10*24*time.Hour)),
		"--attendee", "14号楼居民:12", "--attendee", "15号楼居民：11人", "--attendee", "物业:李经理", "--minutes", "展示方案第2版")
	if out := dis("vote", "--meeting", "1", "--plan", "第2版", "--for", "9", "--against", "14", "--abstain", "2"); !strings.Contains(out, "未通过") {
		t.Errorf("vote printed %q", out)
	}
	dis("minutes", "--meeting", m1, "--text", "会后补记：下端北移可以考虑")
	if out := dis("stall", "--note", "15号楼居民拒绝再参加协商"); !strings.Contains(out, "stalled 搁置") {
		t.Errorf("stall printed %q", out)
	}
	dis("resume", "--note", "入户走访后同意再议")
	dis("plan", "--title", "下端北移加扶手", "--description", "从14号楼门前下行\n绕开现有树木\n下端北移10米\n一侧加装扶手",
		"--changes", "下端北移；加扶手", "--reason", "远离窗户；老人需要扶手")
	dis("meeting", "--place", "社区活动室", "--kind", "consultation", "--attendee", "居民:24")
	if out := dis("vote", "--meeting", "2", "--plan", "3", "--for", "21", "--against", "2", "--abstain", "1", "--method", "举牌"); !strings.Contains(out, "通过") || strings.Contains(out, "未通过") {
		t.Errorf("vote printed %q", out)
	}
	if out := dis("agree", "--plan", "v3", "--signed", "14号楼居民代表,15号楼居民代表、物业", "--signed", "业委会"); !strings.Contains(out, "agreed") {
		t.Errorf("agree printed %q", out)
	}
	dis("task", "--title", "修建台阶步道", "--owner", "街道城建科", "--due", casebookDay(time.Now().Add(20*24*time.Hour)))
	dis("task", "--title", "安装扶手", "--owner", "物业", "--due", casebookDay(time.Now().Add(25*24*time.Hour)))
	dis("implement", "--note", "开工")
	if out := dis("task-done", "--task", "1"); !strings.Contains(out, "已完成") {
		t.Errorf("task-done printed %q", out)
	}
	dis("task-done", "--task", "2")
	dis("task-done", "--task", "2", "--undo")
	dis("task-done", "--task", "2")
	// A third appeal joins; it is then found unresolvable on its own.
	dis("link", "--case", ids[2])
	ok(t, "case", "respond", "--db", db, "--id", ids[2])
	ok(t, "case", "unresolvable", "--db", db, "--id", ids[2], "--note", "超出社区职权")
	if out := dis("resolve", "--note", "步道建成"); !strings.Contains(out, "resolved 已化解") {
		t.Errorf("resolve printed %q", out)
	}

	// Closing out: two closed, the third named in one line, non-zero exit.
	out, errs, code := cli(t, "dispute", "close-cases", "--db", db, "--id", id)
	if code == 0 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "1 of 3 linked appeals not closed") || !strings.Contains(errs, "unresolvable") {
		t.Errorf("close-cases: exit %d, stderr %q", code, errs)
	}
	if strings.Count(out, "closed 已销号") != 2 || !strings.Contains(out, number) {
		t.Errorf("close-cases printed %q", out)
	}
	for _, cid := range ids[:2] {
		c := showCase(t, db, cid)
		tl := c["timeline"].([]any)
		last := tl[len(tl)-1].(map[string]any)
		if c["status"] != "closed" || last["action"] != "close" || last["ref"] != id || !strings.Contains(last["note"].(string), "矛盾纠纷已化解") {
			t.Errorf("case %s: %v, last event %v", cid, c["status"], last)
		}
	}
	if c := showCase(t, db, ids[2]); c["status"] != "unresolvable" {
		t.Errorf("unresolvable case: %v", c["status"])
	}

	d = showDispute(t, db, id)
	plans := d["plans"].([]any)
	meetings := d["meetings"].([]any)
	votes := d["votes"].([]any)
	tasks := d["tasks"].([]any)
	parties := d["parties"].([]any)
	if d["status"] != "resolved" || len(plans) != 3 || len(meetings) != 2 || len(votes) != 2 || len(tasks) != 2 || len(parties) != 2 {
		t.Fatalf("dispute: status %v, %d plans, %d meetings, %d votes, %d tasks", d["status"], len(plans), len(meetings), len(votes), len(tasks))
	}
	if p := parties[1].(map[string]any); p["position"] != "下端远离窗户即可同意" || p["building"] != "15号楼" || p["kind"] != "building" {
		t.Errorf("party 2: %v", p)
	}
	if m := meetings[0].(map[string]any); len(m["attendees"].([]any)) != 3 || len(m["addenda"].([]any)) != 1 || m["kind"] != "courtyard" {
		t.Errorf("meeting 1: %v", m)
	}
	if att := meetings[0].(map[string]any)["attendees"].([]any)[1].(map[string]any); att["count"] != 11.0 || att["role"] != "15号楼居民" {
		t.Errorf("attendee: %v", att)
	}
	ag := d["agreement"].(map[string]any)
	if ag["plan"] != plans[2].(map[string]any)["id"] || len(ag["signed_off"].([]any)) != 4 {
		t.Errorf("agreement: %v", ag)
	}
	if st := d["stats"].(map[string]any); st["plan_versions_before_agreement"] != 3.0 || st["days_to_agreement"] != 30.0 {
		t.Errorf("stats: %v", st)
	}
	if lc := d["linked_cases"].([]any); len(lc) != 3 || lc[0].(map[string]any)["status"] != "closed" || lc[0].(map[string]any)["number"] != number {
		t.Errorf("linked cases: %v", lc)
	}
	// Resolved: the one step left is to take it up again (重新打开).
	if al := d["allowed"].([]any); len(d["record"].([]any)) < 15 || len(d["conflicts"].([]any)) != 0 || len(al) != 1 || al[0] != "reopen" {
		t.Errorf("record %d, conflicts %v, allowed %v", len(d["record"].([]any)), d["conflicts"], d["allowed"])
	}
	txt := ok(t, "dispute", "show", "--db", db, "--id", "14号楼与15号楼之间坡地修路")
	for _, want := range []string{"已化解", "第3版 下端北移加扶手", "表决 第2版：赞成 9，反对 14，弃权 2（举牌表决）未通过", "补记", "签字：14号楼居民代表",
		"搁置", "15号楼居民拒绝再参加协商", "达成协议用时", number} {
		if !strings.Contains(txt, want) {
			t.Errorf("show lacks %q:\n%s", want, txt)
		}
	}
	if en := ok(t, "dispute", "show", "--db", db, "--id", id, "--lang", "en"); !strings.Contains(en, "version 3") || !strings.Contains(en, "not passed") {
		t.Errorf("English show:\n%s", en)
	}

	// Lists.
	var list []map[string]any
	if err := json.Unmarshal([]byte(ok(t, "dispute", "list", "--db", db, "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0]["id"] != id || list[0]["plans"] != 3.0 || list[0]["status"] != "resolved" {
		t.Errorf("list: %v", list)
	}
	if _, hasLog := list[0]["record"]; hasLog {
		t.Error("the list carries the whole record")
	}
	if out := ok(t, "dispute", "list", "--db", db, "--open", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("open list %q", out)
	}
	if out := ok(t, "dispute", "list", "--db", db, "--status", "已化解"); !strings.Contains(out, "14号楼与15号楼之间坡地修路") || !strings.Contains(out, "共 1 件纠纷") {
		t.Errorf("list:\n%s", out)
	}
	if out := ok(t, "dispute", "list", "--db", db, "--lang", "en"); !strings.Contains(out, "resolved") || !strings.Contains(out, "1 disputes") {
		t.Errorf("English list:\n%s", out)
	}

	// Plan diff.
	diff := jsonOf(t, ok(t, "dispute", "diff", "--db", db, "--id", id, "--from", "1", "--to", "3", "--json"))
	added := map[string]bool{}
	for _, l := range diff["lines"].([]any) {
		l := l.(map[string]any)
		if l["kind"] == "+" {
			added[l["text"].(string)] = true
		}
	}
	if !added["一侧加装扶手"] || !added["下端北移10米"] || diff["to"].(map[string]any)["n"] != 3.0 {
		t.Errorf("diff: %v", diff)
	}
	if txt := ok(t, "dispute", "diff", "--db", db, "--id", id, "--from", "2", "--to", "3"); !strings.Contains(txt, "第2版 → 第3版") ||
		!strings.Contains(txt, "+ 一侧加装扶手") || !strings.Contains(txt, "  绕开现有树木") || !strings.Contains(txt, "- 下端接15号楼窗前道路") {
		t.Errorf("diff text:\n%s", txt)
	}

	// Figures.
	m := jsonOf(t, ok(t, "dispute", "metrics", "--db", db, "--json"))
	if m["disputes"] != 1.0 || m["open"] != 0.0 || m["agreed"] != 1.0 || m["avg_days_to_agreement"] != 30.0 {
		t.Errorf("metrics: %v", m)
	}
	if txt := ok(t, "dispute", "metrics", "--db", db); !strings.Contains(txt, "纠纷 1 件") {
		t.Errorf("metrics text:\n%s", txt)
	}
	ok(t, "dispute", "set", "--db", db, "--id", id, "title=坡地步道", "--field", "summary", "--value", "已化解")
	if d := showDispute(t, db, "坡地步道"); d["title"] != "坡地步道" || d["summary"] != "已化解" {
		t.Errorf("after set: %v %v", d["title"], d["summary"])
	}
	if out := ok(t, "check", "--db", db); !strings.Contains(out, "1 件矛盾纠纷") {
		t.Errorf("check printed %q", out)
	}
}

// casebookDay formats t as a Beijing day, as --due takes it.
func casebookDay(t time.Time) string { return local(t)[:10] }

func TestDisputeBadInput(t *testing.T) {
	db, ids := disputeDB(t)
	id := strings.TrimSpace(ok(t, "dispute", "add", "--db", db, "--title", "坡地修路", "--case", ids[0]+","+ids[1]))
	ok(t, "dispute", "party", "--db", db, "--id", id, "--name", "14号楼居民", "--kind", "楼栋")
	ok(t, "dispute", "plan", "--db", db, "--id", id, "--description", "直线步道")
	ok(t, "dispute", "meeting", "--db", db, "--id", id, "--place", "小院", "--kind", "小院议事厅")
	before := showDispute(t, db, id)
	missing := filepath.Join(t.TempDir(), "missing.db")
	d := func(cmd string, args ...string) []string {
		return append([]string{"dispute", cmd, "--db", db, "--id", id}, args...)
	}
	for _, c := range []struct {
		want string
		args []string
	}{
		{"--case: give at least two appeals", []string{"dispute", "add", "--db", db, "--title", "t", "--case", ids[0]}},
		{"not found", []string{"dispute", "add", "--db", db, "--title", "t", "--case", ids[0], "--case", "20990101-001"}},
		{"link at least two appeals", []string{"dispute", "add", "--db", db, "--title", "t", "--case", ids[0], "--case", ids[0]}},
		{`required flag(s) "title" not set`, []string{"dispute", "add", "--db", db, "--case", ids[0], "--case", ids[1]}},
		{"give the dispute a title", []string{"dispute", "add", "--db", db, "--title", " ", "--case", ids[0], "--case", ids[1]}},
		{"not found", []string{"dispute", "show", "--db", db, "--id", "01ARZ3NDEKTSV4RRFFQ69G5FAV"}},
		{"not found", []string{"dispute", "show", "--db", db, "--id", "没有这个纠纷"}},
		{`required flag(s) "id" not set`, []string{"dispute", "show", "--db", db}},
		{"needs --name and --kind", d("party", "--name", "物业")},
		{`party kind "alien"`, d("party", "--name", "x", "--kind", "alien")},
		{"no party 9 (the dispute has 1)", d("party", "--party", "9", "--position", "x")},
		{"nothing to change", d("party", "--party", "1")},
		{"say what changed from the previous version", d("plan", "--description", "绕树")},
		{"time is in the future", d("plan", "--description", "绕树", "--changes", "c", "--reason", "r", "--at", local(time.Now().Add(time.Hour)))},
		{"--at", d("plan", "--description", "绕树", "--at", "soon")},
		{`required flag(s) "description" not set`, d("plan")},
		{"write who attended first", d("meeting", "--place", "小院", "--kind", "小院议事厅", "--attendee", ":李经理")},
		{"a head count must be at least 1", d("meeting", "--place", "小院", "--kind", "小院议事厅", "--attendee", "居民:0")},
		{`meeting kind "party"`, d("meeting", "--place", "小院", "--kind", "party")},
		{"say where the meeting was held", d("meeting", "--place", " ", "--kind", "小院议事厅")},
		{"no plan version 9 (the dispute has 1)", d("vote", "--meeting", "1", "--plan", "9", "--for", "1")},
		{`"x" is neither a meeting number nor an id`, d("vote", "--meeting", "x", "--plan", "1", "--for", "1")},
		{"no meeting 2", d("minutes", "--meeting", "2", "--text", "t")},
		{"no votes recorded", d("vote", "--meeting", "1", "--plan", "1")},
		{"--at", d("vote", "--meeting", "1", "--plan", "1", "--for", "1", "--at", "soon")},
		{"before the meeting", d("vote", "--meeting", "1", "--plan", "1", "--for", "1", "--at", "2020-01-01 10:00")},
		{"for: cannot be negative", d("vote", "--meeting", "1", "--plan", "1", "--for", "-1", "--against", "3")},
		{`invalid argument "abc" for "--for"`, d("vote", "--meeting", "1", "--plan", "1", "--for", "abc")},
		{"--signed: name who signed off", d("agree", "--plan", "1", "--signed", " ，")},
		{"cannot resolve: the dispute is negotiating", d("resolve")},
		{"cannot start implementing: the dispute is negotiating", d("implement")},
		{"cannot add a task: the dispute is negotiating", d("task", "--title", "t", "--owner", "o", "--due", "2026-05-01")},
		{"--due", d("task", "--title", "t", "--owner", "o", "--due", "May 1")},
		{"no task 1 (the dispute has 0)", d("task-done", "--task", "1")},
		{`required flag(s) "note" not set`, d("stall")},
		{"--note: say why", d("stall", "--note", " ")},
		{"cannot resume", d("resume")},
		{"not resolved", d("close-cases")},
		{"no plan version 5", d("diff", "--from", "1", "--to", "5")},
		{"no appeal that is not linked already", d("link", "--case", ids[1])},
		{"unknown field", d("set", "colour=red")},
		{"nothing to set", d("set")},
		{`dispute status "lost"`, []string{"dispute", "list", "--db", db, "--status", "lost"}},
		{`unknown command "frobnicate"`, []string{"dispute", "frobnicate", "--db", db}},
		{"no casebook at", []string{"dispute", "list", "--db", missing}},
		{"no casebook at", []string{"dispute", "add", "--db", missing, "--title", "t", "--case", "a,b"}},
	} {
		fails(t, c.want, c.args...)
	}
	// Nothing was half-written.
	after := showDispute(t, db, id)
	if len(after["record"].([]any)) != len(before["record"].([]any)) || after["status"] != before["status"] {
		t.Errorf("refused commands changed the dispute: %d → %d entries", len(before["record"].([]any)), len(after["record"].([]any)))
	}
	var list []any
	_ = json.Unmarshal([]byte(ok(t, "dispute", "list", "--db", db, "--json")), &list)
	if len(list) != 1 {
		t.Errorf("%d disputes after refused adds", len(list))
	}
	ok(t, "check", "--db", db)
}

// TestDisputeDemo: the demo casebook has the footpath dispute resolved
// with its appeals closed out, and two other disputes still open.
func TestDisputeDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	if out := ok(t, "demo", "--db", db, "--cases", "200"); !strings.Contains(out, "矛盾纠纷 3 件，未化解 2") {
		t.Errorf("demo printed %q", out)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(ok(t, "dispute", "list", "--db", db, "--json")), &list); err != nil {
		t.Fatal(err)
	}
	statuses := map[string]string{}
	for _, d := range list {
		statuses[d["title"].(string)] = d["status"].(string)
	}
	if len(list) != 3 || statuses["14号楼与15号楼之间坡地修路"] != "resolved" || statuses["地下车库车位分配争议"] != "negotiating" || statuses["中心广场广场舞噪音"] != "stalled" {
		t.Errorf("demo disputes: %v", statuses)
	}
	d := showDispute(t, db, "14号楼与15号楼之间坡地修路")
	for _, c := range d["linked_cases"].([]any) {
		if c := c.(map[string]any); c["status"] != "closed" {
			t.Errorf("footpath appeal %v is %v", c["number"], c["status"])
		}
	}
	// Closing out again: all were closed before, nothing fails.
	if out := ok(t, "dispute", "close-cases", "--db", db, "--id", "14号楼与15号楼之间坡地修路"); !strings.Contains(out, "销号 0 件，此前已销号 8 件，未能销号 0 件") {
		t.Errorf("close-cases again printed %q", out)
	}
}

func TestDisputeHelp(t *testing.T) {
	for _, args := range [][]string{
		{"dispute"}, {"dispute", "--help"}, {"dispute", "add", "--help"}, {"dispute", "party", "--help"}, {"dispute", "vote", "--help"},
		{"dispute", "close-cases", "--help"}, {"dispute", "diff", "--help"}, {"dispute", "stall", "--help"}, {"dispute", "task-done", "--help"},
	} {
		if out := ok(t, args...); !strings.Contains(out, "Usage:") {
			t.Errorf("casebook %s: no usage in %q", strings.Join(args, " "), out)
		}
	}
	out := ok(t, "dispute", "--help")
	for _, sub := range []string{"add", "party", "plan", "meeting", "minutes", "vote", "agree", "task", "task-done", "implement",
		"stall", "resume", "resolve", "close-cases", "list", "show", "diff", "metrics", "link", "set"} {
		if !strings.Contains(out, "  "+sub+" ") {
			t.Errorf("dispute help lacks %s:\n%s", sub, out)
		}
	}
}
