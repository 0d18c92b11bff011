package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestRuleCommands walks the 12345 rules' commands: each allowed once and
// refused with one line when the case does not allow it; metrics --json
// keeps its keys and adds the assessment object.
func TestRuleCommands(t *testing.T) {
	db := newDB(t)
	rec := time.Now().Add(-48 * time.Hour)
	a, b, c := addCase(t, db, rec), addCase(t, db, rec.Add(time.Minute)), addCase(t, db, rec.Add(2*time.Minute))
	at := func(d time.Duration) string { return local(rec.Add(d)) }

	ok(t, "case", "return", "--db", db, "--id", c, "--reason", "属邻近社区", "--to", "西城社区", "--at", at(time.Hour))
	fails(t, "already waiting", "case", "return", "--db", db, "--id", c, "--reason", "再退")
	fails(t, "--accepted", "case", "return-decided", "--db", db, "--id", c, "--accepted", "maybe")
	ok(t, "case", "return-decided", "--db", db, "--id", c, "--accepted", "yes", "--at", at(2*time.Hour))
	fails(t, "not allowed", "case", "respond", "--db", db, "--id", c)

	ok(t, "case", "respond", "--db", db, "--id", a, "--at", at(time.Hour))
	ok(t, "case", "merge", "--db", db, "--id", b, "--into", a)
	fails(t, "the main appeal is returned", "case", "merge", "--db", db, "--id", b, "--into", c)
	fails(t, "merged into another already", "case", "merge", "--db", db, "--id", b, "--into", a)
	ok(t, "case", "whistle", "--db", db, "--id", a, "--departments", "城管，消防", "--at", at(3*time.Hour))
	ok(t, "case", "arrived", "--db", db, "--id", a, "--department", "城管", "--at", at(3*time.Hour+20*time.Minute))
	fails(t, "reported already", "case", "arrived", "--db", db, "--id", a, "--department", "城管")
	fails(t, "--rating", "case", "whistle-result", "--db", db, "--id", a, "--result", "x", "--rating", "城管")
	ok(t, "case", "whistle-result", "--db", db, "--id", a, "--result", "联合清理", "--rating", "城管=满意", "--rating", "消防=不满意")
	until := time.Now().AddDate(0, 0, 20).Format("2006-01-02")
	ok(t, "case", "extend", "--db", db, "--id", a, "--until", until, "--reason", "协调产权单位")
	ok(t, "case", "extend-decided", "--db", db, "--id", a, "--accepted", "同意")
	fails(t, "no extend request", "case", "extend-decided", "--db", db, "--id", a, "--accepted", "yes")
	for _, step := range [][]string{{"resolve", "--note", "已清理"}, {"feedback"}, {"evaluate", "--solved", "yes", "--satisfaction", "satisfied"}} {
		ok(t, append([]string{"case", step[0], "--db", db, "--id", a}, step[1:]...)...)
	}
	ok(t, "case", "evaluate", "--db", db, "--id", b, "--callback", "未接通")
	fails(t, "--callback alone", "case", "evaluate", "--db", db, "--id", b, "--callback", "未接通", "--solved", "yes")
	ok(t, "case", "contest", "--db", db, "--id", b, "--reason", "超出政策", "--evidence", "物业合同")
	ok(t, "case", "contest-decided", "--db", db, "--id", b, "--accepted", "yes")

	vb := showCase(t, db, b)
	if vb["merged_into"] == nil || vb["contested"] != true || vb["callback"] != "unreachable" || vb["status"] != "evaluated" {
		t.Errorf("merged appeal: %v", vb)
	}
	va := showCase(t, db, a)
	if va["merged"] != 1.0 || va["extended_to"] == nil || len(va["whistle"].([]any)) != 2 {
		t.Errorf("main appeal: merged %v extended %v whistle %v", va["merged"], va["extended_to"], va["whistle"])
	}
	if out := ok(t, "case", "show", "--db", db, "--id", a); !strings.Contains(out, "吹哨·城管") || !strings.Contains(out, "延期至") {
		t.Errorf("case show:\n%s", out)
	}

	var m map[string]any
	if err := json.Unmarshal([]byte(ok(t, "metrics", "--db", db, "--json")), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"cases", "response_rate", "resolution_rate", "satisfaction_rate", "composite_score", "on_time_rate", "open", "overdue", "by_category", "by_month"} {
		if _, ok := m[k]; !ok {
			t.Errorf("metrics --json lost %q", k)
		}
	}
	asm, _ := m["assessment"].(map[string]any)
	var keys []string
	for k := range asm {
		keys = append(keys, k)
	}
	if len(asm) != 6 || asm["cases"] != 1.0 || m["cases"] != 3.0 {
		t.Errorf("assessment = %v (keys %v), raw cases %v", asm, keys, m["cases"])
	}
	if out := ok(t, "metrics", "--db", db); !strings.Contains(out, "考核口径") || !strings.Contains(out, "全口径") {
		t.Errorf("metrics:\n%s", out)
	}
}

func TestRuleSettings(t *testing.T) {
	db := newDB(t)
	ok(t, "settings", "set", "--db", db, "--rule-merged", "each", "--rule-unevaluated", "计为未解决、不满意", "--arrive-minutes", "45", "--pause-while-returned", "yes")
	fails(t, "--rule-merged", "settings", "set", "--db", db, "--rule-merged", "excluded")
	fails(t, "--arrive-minutes", "settings", "set", "--db", db, "--arrive-minutes", "0")
	var s map[string]any
	if err := json.Unmarshal([]byte(ok(t, "settings", "show", "--db", db, "--json")), &s); err != nil {
		t.Fatal(err)
	}
	r := s["rules"].(map[string]any)
	if r["merged"] != "each" || r["unevaluated"] != "unsatisfied" || r["arrive_minutes"] != 45.0 || r["returned"] != "excluded" {
		t.Errorf("rules = %v", r)
	}
	if p := s["policy"].(map[string]any); p["pause_while_returned"] != true {
		t.Errorf("policy = %v", p)
	}
	if out := ok(t, "settings", "show", "--db", db); !strings.Contains(out, "各自计入") {
		t.Errorf("settings show:\n%s", out)
	}
}
