package main

import (
	"fmt"
	"strings"
	"time"

	"casebook/casebook"
	"casebook/casebook/input"
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

// flagErr names the flag in an error of the input package.
func flagErr(flag string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("--%s: %w", flag, err)
}

// parseRate reads a baseline rate (input.Rate: 86, 86%, 0.86; "none" clears).
func parseRate(flag, s string) (*float64, error) {
	v, err := input.Rate(s)
	return v, flagErr(flag, err)
}

// parseFraction reads a weight between 0 and 1 (input.Fraction).
func parseFraction(flag, s string) (float64, error) {
	v, err := input.Fraction(s)
	return v, flagErr(flag, err)
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
