package casebook

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	good := []struct {
		in   string
		want Date
	}{
		{"2026-01-02", Date{2026, time.January, 2}},
		{"2026-1-2", Date{2026, time.January, 2}},
		{"2026/1/2", Date{2026, time.January, 2}},
		{"2026/01/02", Date{2026, time.January, 2}},
		{"2026.1.2", Date{2026, time.January, 2}},
		{"20260102", Date{2026, time.January, 2}},
		{"2026年1月2日", Date{2026, time.January, 2}},
		{"2026年1月2号", Date{2026, time.January, 2}},
		{"2026年1月2", Date{2026, time.January, 2}},
		{"2026年12月31日", Date{2026, time.December, 31}},
		{"2026 年 1 月 2 日", Date{2026, time.January, 2}},
		{"２０２６年１月２日", Date{2026, time.January, 2}},
		{"２０２６－０１－０２", Date{2026, time.January, 2}},
		{"2026／1／2", Date{2026, time.January, 2}},
		{"  2026-01-02\t", Date{2026, time.January, 2}},
		{"\u30002026-01-02\u3000", Date{2026, time.January, 2}},
		{"2024-02-29", Date{2024, time.February, 29}}, // leap year
		{"2000-02-29", Date{2000, time.February, 29}}, // divisible by 400
		{"0001-01-01", Date{1, time.January, 1}},
		{"9999-12-31", Date{9999, time.December, 31}},
	}
	for _, c := range good {
		got, err := ParseDate(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	bad := []string{
		"", "   ", "abc", "2026", "2026-01", "2026-01-02-03", "2026-01-02T10:00",
		"2026-01-02 10:00", "2026-02-29", "1900-02-29", "2026-04-31", "2026-13-01",
		"2026-00-10", "2026-01-00", "2026-01-32", "26-01-02", "202-01-02", "02026-01-02",
		"2026-001-02", "2026-01-002", "2026/01-02", "2026-+1-02", "2026--1-02",
		"0000-01-01", "2026年13月1日", "2026年1月", "2026年1月2日日", "二〇二六年一月二日",
		"20261301", "2026010", "202601021", "1.2.3", "-2026-01-02",
	}
	for _, in := range bad {
		d, err := ParseDate(in)
		if err == nil {
			t.Errorf("ParseDate(%q) = %v, want error", in, d)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseDate(%q) error %v is not ErrInvalid", in, err)
		}
		if !strings.Contains(err.Error(), strconv.Quote(in)) {
			t.Errorf("ParseDate(%q) error %q does not name the input", in, err)
		}
	}
}

func TestDateMethods(t *testing.T) {
	d := Date{2026, time.January, 2}
	if s := d.String(); s != "2026-01-02" {
		t.Errorf("String = %q", s)
	}
	if s := (Date{}).String(); s != "" {
		t.Errorf("zero String = %q, want empty", s)
	}
	if s := (Date{33, time.March, 4}).String(); s != "0033-03-04" {
		t.Errorf("short year String = %q", s)
	}
	want := time.Date(2026, 1, 1, 16, 0, 0, 0, time.UTC)
	if got := d.Time(); !got.Equal(want) || got.Location() != Shanghai {
		t.Errorf("Time = %v, want %v in Shanghai", got, want)
	}

	adds := []struct {
		from Date
		n    int
		want Date
	}{
		{Date{2026, time.January, 2}, 0, Date{2026, time.January, 2}},
		{Date{2026, time.January, 2}, 1, Date{2026, time.January, 3}},
		{Date{2026, time.January, 31}, 1, Date{2026, time.February, 1}},
		{Date{2026, time.December, 31}, 1, Date{2027, time.January, 1}},
		{Date{2026, time.January, 1}, -1, Date{2025, time.December, 31}},
		{Date{2026, time.February, 28}, 1, Date{2026, time.March, 1}},
		{Date{2024, time.February, 28}, 1, Date{2024, time.February, 29}},
		{Date{2026, time.January, 1}, 365, Date{2027, time.January, 1}},
		{Date{2026, time.March, 1}, -1, Date{2026, time.February, 28}},
	}
	for _, c := range adds {
		if got := c.from.AddDays(c.n); got != c.want {
			t.Errorf("%v.AddDays(%d) = %v, want %v", c.from, c.n, got, c.want)
		}
	}

	days := []struct {
		d    Date
		want time.Weekday
	}{
		{Date{2026, time.January, 1}, time.Thursday},
		{Date{2026, time.January, 4}, time.Sunday},
		{Date{2026, time.February, 14}, time.Saturday},
		{Date{2026, time.March, 1}, time.Sunday},
		{Date{2026, time.October, 1}, time.Thursday},
		{Date{2024, time.February, 29}, time.Thursday},
	}
	for _, c := range days {
		if got := c.d.Weekday(); got != c.want {
			t.Errorf("%v.Weekday() = %v, want %v", c.d, got, c.want)
		}
	}
}

func TestDateOf(t *testing.T) {
	west := time.FixedZone("UTC-5", -5*3600)
	cases := []struct {
		in   time.Time
		want Date
	}{
		// 17:30 UTC is already 01:30 the next day in Shanghai.
		{time.Date(2026, 3, 1, 17, 30, 0, 0, time.UTC), Date{2026, time.March, 2}},
		{time.Date(2026, 3, 1, 15, 59, 59, 0, time.UTC), Date{2026, time.March, 1}},
		{time.Date(2026, 3, 1, 16, 0, 0, 0, time.UTC), Date{2026, time.March, 2}},
		{time.Date(2026, 3, 2, 0, 0, 0, 0, Shanghai), Date{2026, time.March, 2}},
		{time.Date(2026, 3, 1, 23, 59, 59, 999999999, Shanghai), Date{2026, time.March, 1}},
		// 12:00 at UTC-5 is 01:00 the next day in Shanghai.
		{time.Date(2026, 3, 1, 12, 0, 0, 0, west), Date{2026, time.March, 2}},
		{time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC), Date{2026, time.January, 1}},
	}
	for _, c := range cases {
		if got := DateOf(c.in); got != c.want {
			t.Errorf("DateOf(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	for d := (Date{2025, time.December, 25}); d != (Date{2027, time.January, 10}); d = d.AddDays(1) {
		if got := DateOf(d.Time()); got != d {
			t.Fatalf("DateOf(%v.Time()) = %v", d, got)
		}
		if got := DateOf(d.AddDays(1).Time().Add(-time.Nanosecond)); got != d {
			t.Fatalf("DateOf(last instant of %v) = %v", d, got)
		}
	}
}

func TestDateJSON(t *testing.T) {
	type row struct {
		On   Date `json:"on"`
		Zero Date `json:"zero"`
	}
	b, err := json.Marshal(row{On: Date{2026, time.January, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"on":"2026-01-02","zero":""}`; got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
	var r row
	if err := json.Unmarshal(b, &r); err != nil || r.On != (Date{2026, time.January, 2}) || r.Zero != (Date{}) {
		t.Errorf("Unmarshal = %+v, %v", r, err)
	}

	m := map[Date]int{{2026, time.February, 14}: 1, {2026, time.January, 4}: 2}
	b, err = json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"2026-01-04":2,"2026-02-14":1}`; got != want {
		t.Errorf("Marshal map = %s, want %s", got, want)
	}
	var m2 map[Date]int
	if err := json.Unmarshal(b, &m2); err != nil || len(m2) != 2 || m2[Date{2026, time.January, 4}] != 2 {
		t.Errorf("Unmarshal map = %v, %v", m2, err)
	}

	// Lenient on input, like ParseDate.
	if err := json.Unmarshal([]byte(`{"on":"2026/2/14"}`), &r); err != nil || r.On != (Date{2026, time.February, 14}) {
		t.Errorf("Unmarshal lenient = %+v, %v", r, err)
	}
	if err := json.Unmarshal([]byte(`{"on":"2026-02-30"}`), &r); !errors.Is(err, ErrInvalid) {
		t.Errorf("Unmarshal bad date: err = %v, want ErrInvalid", err)
	}
	if _, err := json.Marshal(row{On: Date{2026, time.February, 30}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("Marshal nonexistent date: err = %v, want ErrInvalid", err)
	}
}

func TestCalendarIsWorkday(t *testing.T) {
	c := China2026()
	cases := []struct {
		d    Date
		want bool
		why  string
	}{
		{Date{2026, time.January, 1}, false, "元旦 Thu"},
		{Date{2026, time.January, 2}, false, "元旦 Fri"},
		{Date{2026, time.January, 3}, false, "元旦 Sat"},
		{Date{2026, time.January, 4}, true, "make-up Sun"},
		{Date{2026, time.January, 5}, true, "ordinary Mon"},
		{Date{2026, time.January, 10}, false, "ordinary Sat"},
		{Date{2026, time.January, 11}, false, "ordinary Sun"},
		{Date{2026, time.February, 13}, true, "Fri before 春节"},
		{Date{2026, time.February, 14}, true, "make-up Sat"},
		{Date{2026, time.February, 15}, false, "春节 Sun"},
		{Date{2026, time.February, 16}, false, "春节 Mon"},
		{Date{2026, time.February, 20}, false, "春节 Fri"},
		{Date{2026, time.February, 23}, false, "春节 Mon"},
		{Date{2026, time.February, 24}, true, "Tue after 春节"},
		{Date{2026, time.February, 28}, true, "make-up Sat"},
		{Date{2026, time.March, 1}, false, "ordinary Sun"},
		{Date{2026, time.April, 6}, false, "清明 Mon"},
		{Date{2026, time.May, 1}, false, "劳动节 Fri"},
		{Date{2026, time.May, 5}, false, "劳动节 Tue"},
		{Date{2026, time.May, 6}, true, "Wed after 劳动节"},
		{Date{2026, time.May, 9}, true, "make-up Sat"},
		{Date{2026, time.June, 19}, false, "端午 Fri"},
		{Date{2026, time.September, 20}, true, "make-up Sun"},
		{Date{2026, time.September, 25}, false, "中秋 Fri"},
		{Date{2026, time.October, 1}, false, "国庆 Thu"},
		{Date{2026, time.October, 7}, false, "国庆 Wed"},
		{Date{2026, time.October, 8}, true, "Thu after 国庆"},
		{Date{2026, time.October, 10}, true, "make-up Sat"},
		{Date{2027, time.January, 1}, true, "2027 not listed: plain Fri"},
		{Date{2027, time.January, 2}, false, "2027 not listed: plain Sat"},
	}
	for _, x := range cases {
		if got := c.IsWorkday(x.d); got != x.want {
			t.Errorf("IsWorkday(%v) [%s] = %v, want %v", x.d, x.why, got, x.want)
		}
	}
	var empty Calendar
	if !empty.IsWorkday(Date{2026, time.January, 1}) || empty.IsWorkday(Date{2026, time.January, 4}) {
		t.Error("empty calendar should follow Monday–Friday")
	}
}

func TestCalendarChina2026(t *testing.T) {
	c := China2026()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	// 3+9+3+5+3+3+7 days off; 6 make-up workdays.
	if len(c.Holidays) != 33 || len(c.Workdays) != 6 {
		t.Errorf("got %d holidays, %d workdays; want 33, 6", len(c.Holidays), len(c.Workdays))
	}
	for _, w := range c.Workdays {
		if wd := w.Weekday(); wd != time.Saturday && wd != time.Sunday {
			t.Errorf("make-up workday %v is a %v", w, wd)
		}
	}
	// 261 weekdays, 19 of them holidays, plus 6 make-up days.
	n := 0
	for d := (Date{2026, time.January, 1}); d.Year == 2026; d = d.AddDays(1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	if n != 248 {
		t.Errorf("2026 has %d workdays, want 248", n)
	}
	// Each call is a fresh copy.
	c.Holidays[0] = Date{2026, time.March, 3}
	if China2026().Holidays[0] != (Date{2026, time.January, 1}) {
		t.Error("China2026 shares its slices between calls")
	}
}

func TestCalendarValidate(t *testing.T) {
	cases := []struct {
		name string
		c    Calendar
		ok   bool
	}{
		{"empty", Calendar{}, true},
		{"china 2026", China2026(), true},
		{"duplicates within a list", Calendar{Holidays: []Date{{2026, 1, 1}, {2026, 1, 1}}}, true},
		{"both", Calendar{Holidays: []Date{{2026, 1, 1}, {2026, 1, 4}}, Workdays: []Date{{2026, 1, 4}}}, false},
		{"bad holiday", Calendar{Holidays: []Date{{2026, 2, 30}}}, false},
		{"zero holiday", Calendar{Holidays: []Date{{}}}, false},
		{"bad workday", Calendar{Workdays: []Date{{2026, 13, 1}}}, false},
	}
	for _, c := range cases {
		err := c.c.Validate()
		if (err == nil) != c.ok {
			t.Errorf("%s: Validate = %v, want ok=%v", c.name, err, c.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v is not ErrInvalid", c.name, err)
		}
	}
	c := China2026()
	c.Holidays = append(c.Holidays, Date{2026, time.October, 10})
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "2026-10-10") {
		t.Errorf("conflict error %v should name the date", err)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"2026-01-02", "2026/1/2", "2026.1.2", "20260102", "2026年1月2日", "2026年1月2号",
		"２０２６年１月２日", "2024-02-29", "2026-02-29", "9999-12-31", "0001-01-01",
		"", " ", "2026-13-01", "2026-1-", "年月日", "2026年1月2日日", "2026--2", "-1-1-1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("ParseDate(%q) error %v is not ErrInvalid", s, err)
			}
			return
		}
		if !d.valid() {
			t.Fatalf("ParseDate(%q) = %#v, which does not exist", s, d)
		}
		again, err := ParseDate(d.String())
		if err != nil || again != d {
			t.Fatalf("ParseDate(%q) = %v; reparsing %q gives %v, %v", s, d, d.String(), again, err)
		}
		b, err := d.MarshalText()
		if err != nil {
			t.Fatalf("MarshalText(%v): %v", d, err)
		}
		var u Date
		if err := u.UnmarshalText(b); err != nil || u != d {
			t.Fatalf("UnmarshalText(%q) = %v, %v; want %v", b, u, err, d)
		}
		if got := DateOf(d.Time()); got != d {
			t.Fatalf("DateOf(%v.Time()) = %v", d, got)
		}
		if got := d.AddDays(1).AddDays(-1); got != d {
			t.Fatalf("%v.AddDays(1).AddDays(-1) = %v", d, got)
		}
	})
}
