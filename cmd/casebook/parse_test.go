package main

import (
	"strings"
	"testing"
	"time"

	"casebook/casebook"
)

func TestDayRange(t *testing.T) {
	from, to, err := dayRange("2026-03-01", "2026年3月31日")
	if err != nil {
		t.Fatal(err)
	}
	if !from.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, casebook.Shanghai)) || !to.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, casebook.Shanghai)) {
		t.Errorf("range %v – %v", from, to)
	}
	if from.Location() != time.UTC {
		t.Errorf("from is not UTC: %v", from)
	}
	// One day is a valid range: --to is inclusive.
	if _, _, err := dayRange("2026-03-01", "2026-03-01"); err != nil {
		t.Error(err)
	}
	for _, bad := range [][2]string{{"2026-03-02", "2026-03-01"}, {"x", ""}, {"", "2026-13-01"}} {
		if _, _, err := dayRange(bad[0], bad[1]); err == nil {
			t.Errorf("dayRange(%q, %q) accepted", bad[0], bad[1])
		}
	}
}

// TestParseRate: the rate flags read what input.Rate reads (tested there)
// and name the flag when they refuse.
func TestParseRate(t *testing.T) {
	if got, err := parseRate("r", "86"); err != nil || got == nil || *got != 0.86 {
		t.Errorf("parseRate(86) = %v, %v", got, err)
	}
	if _, err := parseRate("baseline-response", "150"); err == nil || !strings.HasPrefix(err.Error(), "--baseline-response: ") {
		t.Errorf("parseRate(150): %v", err)
	}
}

func TestParseChanges(t *testing.T) {
	got, err := parseChanges([]string{"Handler"}, []string{"李华"}, []string{"unit=2单元", "details=a=b", "phone="})
	if err != nil || len(got) != 4 || got["handler"] != "李华" || got["details"] != "a=b" || got["phone"] != "" {
		t.Errorf("parseChanges = %v, %v", got, err)
	}
	if _, err := parseChanges([]string{"unit"}, []string{"1"}, []string{"unit=2"}); err == nil {
		t.Error("a field given twice was accepted")
	}
}

// FuzzDayRange: whatever is typed for --from and --to, an accepted range
// starts and ends at Beijing midnight, in UTC, with from before to.
func FuzzDayRange(f *testing.F) {
	for _, s := range [][2]string{{"2026-03-01", "2026-03-31"}, {"", "2026-12-31"}, {"2026/1/2", ""}, {"20260102", "2026年1月2日"},
		{"２０２６-０１-０２", "2026.1.3"}, {"2026-02-29", ""}, {"9999-12-31", ""}, {"0001-01-01", "0001-01-01"}, {"2026-03-02", "2026-03-01"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, from, to string) {
		a, b, err := dayRange(from, to)
		if err != nil {
			if !a.IsZero() || !b.IsZero() {
				t.Fatalf("error %v with a range %v – %v", err, a, b)
			}
			return
		}
		for _, x := range []time.Time{a, b} {
			if x.IsZero() {
				continue
			}
			if x.Location() != time.UTC {
				t.Fatalf("%v is not UTC", x)
			}
			if l := x.In(casebook.Shanghai); l.Hour() != 0 || l.Minute() != 0 || l.Second() != 0 || l.Nanosecond() != 0 {
				t.Fatalf("%v is not Beijing midnight", x)
			}
		}
		if strings.TrimSpace(from) == "" != a.IsZero() || strings.TrimSpace(to) == "" != b.IsZero() {
			t.Fatalf("dayRange(%q, %q) = %v, %v: bounds do not follow the flags", from, to, a, b)
		}
		if !a.IsZero() && !b.IsZero() && !a.Before(b) {
			t.Fatalf("dayRange(%q, %q) = %v, %v: empty range accepted", from, to, a, b)
		}
		if !b.IsZero() && casebook.DateOf(b.Add(-time.Nanosecond)) != mustDate(t, to) {
			t.Fatalf("--to %q does not end at the midnight after it: %v", to, b)
		}
	})
}

func mustDate(t *testing.T, s string) casebook.Date {
	d, err := casebook.ParseDate(s)
	if err != nil {
		t.Fatalf("accepted %q but ParseDate refuses it: %v", s, err)
	}
	return d
}

// FuzzParseAt: --at and --received accept what casebook.ParseTime accepts,
// name the flag when they refuse, and treat blank as "now".
func FuzzParseAt(f *testing.F) {
	for _, s := range []string{"", " ", "2026-03-02 14:30", "2026-03-02T14:30:00+08:00", "2026-03-02T06:30:00Z", "2026/3/2 14:30",
		"2026-03-02", "２０２６-０３-０２ １４:３０", "yesterday", "2026-02-30 10:00", "2026-03-02 25:00",
		"1969-12-31 23:59", "0001-01-01T00:00:00Z", "9999-12-31 23:59", "1999-12-31T23:59:59+08:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseAt("at", s)
		if strings.TrimSpace(s) == "" {
			if err != nil || !got.IsZero() {
				t.Fatalf("blank: %v, %v", got, err)
			}
			return
		}
		want, werr := casebook.ParseTime(s)
		if werr == nil {
			werr = casebook.CheckTime(want, time.Now())
		}
		if (err == nil) != (werr == nil) || (err == nil && !got.Equal(want)) {
			t.Fatalf("parseAt(%q) = %v, %v; ParseTime = %v, %v", s, got, err, want, werr)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "--at: ") {
			t.Fatalf("error does not name the flag: %v", err)
		}
	})
}

// FuzzParseChanges: FIELD=VALUE arguments split at the first '=', fields
// are lower-cased and trimmed, and every accepted change is kept.
func FuzzParseChanges(f *testing.F) {
	for _, s := range []string{"unit=2单元", "details=a=b", "=x", "x", "Handler = 李华", "phone="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		got, err := parseChanges(nil, nil, []string{arg})
		if err != nil {
			return
		}
		field, value, _ := strings.Cut(arg, "=")
		key := strings.ToLower(strings.TrimSpace(field))
		if len(got) != 1 || got[key] != value || key == "" {
			t.Fatalf("parseChanges(%q) = %v", arg, got)
		}
	})
}
