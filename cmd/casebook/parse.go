package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"casebook/casebook"
)

// Parsers for the flags that casebook/ has no parser for. Each names the
// flag in its error, so that the one line on stderr says what to fix.

// parseAt reads an optional time flag (--at, --received): RFC 3339 or
// Beijing local time. Empty gives the zero time, which means "now" to the
// store.
func parseAt(flag, s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, nil
	}
	t, err := casebook.ParseTime(s)
	if err == nil {
		err = casebook.CheckTime(t, time.Now())
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("--%s: %w", flag, err)
	}
	return t, nil
}

// parseDate reads a day (--from, --to, --term-start, --due) and refuses
// one before 2000 or after casebook.LatestYear.
func parseDate(flag, s string) (casebook.Date, error) {
	d, err := casebook.ParseDate(s)
	if err == nil {
		err = casebook.CheckDate(d)
	}
	if err != nil {
		return casebook.Date{}, fmt.Errorf("--%s: %w", flag, err)
	}
	return d, nil
}

// dayRange reads --from and --to as days in Beijing time and returns the
// half-open range [from, to) of instants: --to is inclusive, so its end is
// the midnight after it. Either may be empty (unbounded).
func dayRange(from, to string) (time.Time, time.Time, error) {
	var f, t time.Time
	if strings.TrimSpace(from) != "" {
		d, err := parseDate("from", from)
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		f = d.Time().UTC()
	}
	if strings.TrimSpace(to) != "" {
		d, err := parseDate("to", to)
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		t = d.AddDays(1).Time().UTC()
	}
	if !f.IsZero() && !t.IsZero() && !f.Before(t) {
		return time.Time{}, time.Time{}, fmt.Errorf("--to %s is before --from %s", strings.TrimSpace(to), strings.TrimSpace(from))
	}
	return f, t, nil
}

// parseDay reads a day flag (--term-start, --term-end) in Beijing time.
func parseDay(flag, s string) (casebook.Date, error) {
	if strings.TrimSpace(s) == "" {
		return casebook.Date{}, nil
	}
	return parseDate(flag, s)
}

// parseRate reads a rate for the baseline: a fraction ("0.86") or a
// percentage ("86%", "86.5 %"). "none" or "" clears it (no data).
func parseRate(flag, s string) (*float64, error) {
	t := strings.TrimSpace(casebook.NormalizeWidth(s))
	if t == "" || strings.EqualFold(t, "none") || t == "-" {
		return nil, nil
	}
	pct := false
	if u, ok := strings.CutSuffix(t, "%"); ok {
		t, pct = strings.TrimSpace(u), true
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v != v { // NaN
		return nil, fmt.Errorf("--%s: %q is not a rate; write 0.86 or 86%%", flag, s)
	}
	if pct {
		v /= 100
	}
	if v < 0 || v > 1 {
		return nil, fmt.Errorf("--%s: %s is not between 0 and 1 (0%% and 100%%)", flag, strings.TrimSpace(s))
	}
	return &v, nil
}

// parseFraction reads a weight between 0 and 1.
func parseFraction(flag, s string) (float64, error) {
	t := strings.TrimSpace(casebook.NormalizeWidth(s))
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v != v || v < 0 || v > 1 {
		return 0, fmt.Errorf("--%s: %q is not a number between 0 and 1", flag, s)
	}
	return v, nil
}

// parseList splits a list typed on one line: commas (also Chinese ，and
// 、) separate items; spaces around items are dropped, and so are empty items.
func parseList(s string) []string {
	f := func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' }
	var out []string
	for _, p := range strings.FieldsFunc(s, f) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseBuildings reads the building pick-list: names separated by commas,
// where a range of numbers "1-30" stands for 1号楼 … 30号楼.
func parseBuildings(s string) ([]string, error) {
	var out []string
	for _, p := range parseList(casebook.NormalizeWidth(s)) {
		lo, hi, ok := strings.Cut(p, "-")
		if !ok {
			out = append(out, p)
			continue
		}
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b, err2 := strconv.Atoi(strings.TrimSpace(hi))
		if err1 != nil || err2 != nil || a < 1 || b < a || b-a >= 1000 {
			return nil, fmt.Errorf("--buildings: %q is not a range like 1-30", p)
		}
		for i := a; i <= b; i++ {
			out = append(out, strconv.Itoa(i)+"号楼")
		}
	}
	return out, nil
}

// parseChanges pairs the field changes of `case set`: --field/--value
// pairs in order, then FIELD=VALUE arguments. A field given twice is an
// error rather than a silent last-one-wins.
func parseChanges(fields, values, args []string) (map[string]string, error) {
	if len(fields) != len(values) {
		return nil, fmt.Errorf("%d --field but %d --value: give them in pairs", len(fields), len(values))
	}
	out := map[string]string{}
	put := func(f, v string) error {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			return fmt.Errorf("empty field name")
		}
		if _, dup := out[f]; dup {
			return fmt.Errorf("field %s given twice", f)
		}
		out[f] = v
		return nil
	}
	for i := range fields {
		if err := put(fields[i], values[i]); err != nil {
			return nil, err
		}
	}
	for _, a := range args {
		f, v, ok := strings.Cut(a, "=")
		if !ok {
			return nil, fmt.Errorf("argument %q is not FIELD=VALUE", a)
		}
		if err := put(f, v); err != nil {
			return nil, err
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("nothing to set: give --field F --value V or F=V")
	}
	return out, nil
}
