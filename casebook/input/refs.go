package input

import (
	"strconv"
	"strings"
)

// Number reads the number of a record in a list as people refer to it:
// "3", "第3个", "第三项", "No.3", "#3". ok is false for anything else (an
// id, say). Records are numbered from 1 in the order they are shown.
func Number(ref string) (n int, ok bool) {
	t := clean(ref)
	for _, p := range []string{"第", "No.", "no.", "NO.", "#"} {
		t = strings.TrimPrefix(t, p)
	}
	t = strings.TrimSpace(strings.TrimRight(t, "个项次条场号"))
	return whole(t)
}

// PlanNumber reads a plan version's number: "3", "v3", "V3", "第3版",
// "第三版", "3版". ok is false for anything else (an id, say).
func PlanNumber(ref string) (n int, ok bool) {
	t := clean(ref)
	t = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(t, "第"), "v"), "V")
	t = strings.TrimSpace(strings.TrimSuffix(t, "版"))
	return whole(t)
}

// whole reads a positive whole number in digits or in Chinese numerals up
// to 99 (三, 十二, 二十三).
func whole(t string) (int, bool) {
	if allDigits(t) {
		n, err := strconv.Atoi(t)
		return n, err == nil && n > 0
	}
	return chineseNumber(t)
}

var chineseDigits = map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// chineseNumber reads 一 … 九十九.
func chineseNumber(t string) (int, bool) {
	r := []rune(t)
	digit := func(i int) (int, bool) {
		d, ok := chineseDigits[r[i]]
		return d, ok
	}
	switch {
	case len(r) == 1 && r[0] == '十':
		return 10, true
	case len(r) == 1:
		return digit(0)
	case len(r) == 2 && r[0] == '十': // 十二
		d, ok := digit(1)
		return 10 + d, ok
	case len(r) == 2 && r[1] == '十': // 二十
		d, ok := digit(0)
		return 10 * d, ok
	case len(r) == 3 && r[1] == '十': // 二十三
		tens, ok1 := digit(0)
		ones, ok2 := digit(2)
		return 10*tens + ones, ok1 && ok2
	}
	return 0, false
}
