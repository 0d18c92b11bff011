package xlsx

import (
	"strings"
	"unicode/utf8"
)

// categoryWords map words of the 12345 classification (which has its own
// tree, such as 城乡建设/物业管理/物业服务) onto the casebook's default
// categories. A rule applies only if its category is in the casebook's list.
var categoryWords = []struct {
	category string
	words    []string
}{
	{"电动车充电", []string{"电动车", "电瓶车", "充电桩", "飞线充电", "充电"}},
	{"停车管理", []string{"停车", "车位", "僵尸车", "地锁", "占道停放"}},
	{"群租", []string{"群租", "隔断房", "打隔断"}},
	{"噪音扰民", []string{"噪音", "噪声", "扰民"}},
	{"养老助餐", []string{"助餐", "老年餐", "养老", "为老服务", "老年食堂"}},
	{"邻里纠纷", []string{"邻里", "邻居", "纠纷"}},
	{"消防安全", []string{"消防", "火灾", "楼道堆物", "堆物堆料", "安全隐患"}},
	{"老旧小区改造", []string{"老旧小区", "综合整治", "改造", "漏水", "渗水", "管道", "管线", "屋顶", "楼顶", "防水", "上下水", "外墙", "暖气", "供暖"}},
	{"物业管理", []string{"物业", "电梯", "门禁", "业委会", "业主委员会"}},
	{"绿化养护", []string{"绿化", "树木", "修剪", "草坪", "绿地", "树枝", "园林", "砍伐"}},
	{"道路设施", []string{"道路", "路面", "井盖", "路灯", "人行道", "坑洼", "步道", "台阶", "市政设施"}},
	{"环境卫生", []string{"环境卫生", "垃圾", "卫生", "清扫", "保洁", "异味", "污水", "环境", "渣土", "小广告"}},
}

// categorySeps split a classification path into its levels.
var categorySeps = strings.NewReplacer("／", "/", "-", "/", "－", "/", "—", "/", ">", "/", "＞", "/", "|", "/", "\\", "/", "、", "/", "→", "/")

// mapCategory maps a 12345 classification onto one of the casebook's
// categories: the same name; else the most specific level of the path that
// is (or contains, or is contained in) a category; else a known word. ok is
// false if nothing fits: the caller files the appeal under the fallback
// category and flags the original for the user.
func mapCategory(raw string, list []string) (string, bool) {
	v := cleanCell(raw)
	if v == "" {
		return "", false
	}
	in := make(map[string]bool, len(list))
	for _, c := range list {
		in[c] = true
	}
	if in[v] {
		return v, true
	}
	var parts []string
	for _, p := range strings.Split(categorySeps.Replace(v), "/") {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	for i := len(parts) - 1; i >= 0; i-- {
		if in[parts[i]] {
			return parts[i], true
		}
	}
	for i := len(parts) - 1; i >= 0; i-- {
		p := parts[i]
		for _, c := range list {
			if c == "其他" || utf8.RuneCountInString(c) < 2 || utf8.RuneCountInString(p) < 2 {
				continue
			}
			if strings.Contains(p, c) || strings.Contains(c, p) {
				return c, true
			}
		}
	}
	for i := len(parts) - 1; i >= 0; i-- {
		for _, rule := range categoryWords {
			if !in[rule.category] {
				continue
			}
			for _, w := range rule.words {
				if strings.Contains(parts[i], w) {
					return rule.category, true
				}
			}
		}
	}
	return "", false
}

// fallbackCategory is where an appeal with an unknown category goes: 其他
// if the casebook has it, else the last category of the list.
func fallbackCategory(list []string) string {
	for _, c := range list {
		if c == "其他" {
			return c
		}
	}
	if len(list) > 0 {
		return list[len(list)-1]
	}
	return "其他"
}

// guessCategory files an appeal whose sheet gives no category by the words
// of its text.
func guessCategory(text string, list []string) (string, bool) {
	in := make(map[string]bool, len(list))
	for _, c := range list {
		in[c] = true
	}
	for _, c := range list {
		if c != "其他" && utf8.RuneCountInString(c) >= 2 && strings.Contains(text, c) {
			return c, true
		}
	}
	for _, rule := range categoryWords {
		if !in[rule.category] {
			continue
		}
		for _, w := range rule.words {
			if strings.Contains(text, w) {
				return rule.category, true
			}
		}
	}
	return "", false
}
