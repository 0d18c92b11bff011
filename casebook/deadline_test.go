package casebook

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// cst is a wall-clock time in Shanghai, as the secretary would read it.
func cst(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, Shanghai)
}

// endOfCST is 24:00 Shanghai time of the given day, in UTC (16:00 UTC).
func endOfCST(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 16, 0, 0, 0, time.UTC)
}

func TestParseLimit(t *testing.T) {
	good := []struct {
		in   string
		want Limit
	}{
		{"2h", Limit{2, UnitHours}},
		{"24h", Limit{24, UnitHours}},
		{"7d", Limit{7, UnitDays}},
		{"15d", Limit{15, UnitDays}},
		{"1d", Limit{1, UnitDays}},
		{"7 days", Limit{7, UnitDays}},
		{"1 day", Limit{1, UnitDays}},
		{"2 hours", Limit{2, UnitHours}},
		{"1 hour", Limit{1, UnitHours}},
		{"3hrs", Limit{3, UnitHours}},
		{"7天", Limit{7, UnitDays}},
		{"7 天", Limit{7, UnitDays}},
		{"3日", Limit{3, UnitDays}},
		{"2小时", Limit{2, UnitHours}},
		{"2个小时", Limit{2, UnitHours}},
		{"７天", Limit{7, UnitDays}},
		{"１５天", Limit{15, UnitDays}},
		{"２４ｈ", Limit{24, UnitHours}},
		{"7D", Limit{7, UnitDays}},
		{"2 Hours", Limit{2, UnitHours}},
		{"  7d  ", Limit{7, UnitDays}},
		{"\u30007天\u3000", Limit{7, UnitDays}},
		{"07d", Limit{7, UnitDays}},
		{"366d", Limit{366, UnitDays}},
		{"8784h", Limit{8784, UnitHours}},
	}
	for _, c := range good {
		got, err := ParseLimit(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseLimit(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	bad := []string{
		"", "  ", "d", "h", "7", "0d", "0h", "000d", "-1d", "-2h", "+7d", "367d", "8785h",
		"99999999999999999999999d", "7w", "7 weeks", "abc", "1.5d", "7d7", "7 d ays",
		"七天", "7工作日", "7个工作日", "d7", "7dd", "7 days ago", "٧d",
	}
	for _, in := range bad {
		l, err := ParseLimit(in)
		if err == nil {
			t.Errorf("ParseLimit(%q) = %v, want error", in, l)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseLimit(%q) error %v is not ErrInvalid", in, err)
		}
		if !strings.Contains(err.Error(), strconv.Quote(in)) {
			t.Errorf("ParseLimit(%q) error %q does not name the input", in, err)
		}
	}
}

func TestLimitString(t *testing.T) {
	cases := []struct {
		l    Limit
		want string
	}{
		{Limit{2, UnitHours}, "2h"},
		{Limit{24, UnitHours}, "24h"},
		{Limit{7, UnitDays}, "7d"},
		{Limit{15, UnitDays}, "15d"},
	}
	for _, c := range cases {
		if got := c.l.String(); got != c.want {
			t.Errorf("%#v.String() = %q, want %q", c.l, got, c.want)
		}
	}
}

func TestDeadlinePolicyDue(t *testing.T) {
	cal := DefaultPolicy()
	work := DefaultPolicy()
	work.Counting = CountWorking
	h := func(n int) Limit { return Limit{n, UnitHours} }
	d := func(n int) Limit { return Limit{n, UnitDays} }

	cases := []struct {
		name string
		p    DeadlinePolicy
		from time.Time
		l    Limit
		want time.Time
	}{
		// Calendar days: the day of receipt does not count; every later day does.
		{"cal 1d Fri→Sat", cal, cst(2026, 1, 9, 15, 0), d(1), endOfCST(2026, 1, 10)},
		{"cal 7d from Fri", cal, cst(2026, 1, 9, 15, 0), d(7), endOfCST(2026, 1, 16)},
		{"cal 1d received 00:00", cal, cst(2026, 1, 9, 0, 0), d(1), endOfCST(2026, 1, 10)},
		{"cal 1d received 23:59", cal, cst(2026, 1, 9, 23, 59), d(1), endOfCST(2026, 1, 10)},
		{"cal 15d through 春节", cal, cst(2026, 2, 10, 10, 0), d(15), endOfCST(2026, 2, 25)},
		{"cal 7d through 国庆", cal, cst(2026, 9, 30, 9, 0), d(7), endOfCST(2026, 10, 7)},
		{"cal 1d over year end", cal, cst(2026, 12, 31, 18, 0), d(1), endOfCST(2027, 1, 1)},
		{"cal 1d Feb 28→Mar 1", cal, cst(2026, 2, 27, 18, 0), d(1), endOfCST(2026, 2, 28)},

		// Working days over an ordinary weekend.
		{"work 1d Fri→Mon", work, cst(2026, 1, 9, 15, 0), d(1), endOfCST(2026, 1, 12)},
		{"work 1d Sat→Mon", work, cst(2026, 1, 10, 10, 0), d(1), endOfCST(2026, 1, 12)},
		{"work 1d Sun→Mon", work, cst(2026, 1, 11, 10, 0), d(1), endOfCST(2026, 1, 12)},
		{"work 1d Mon→Tue", work, cst(2026, 1, 12, 10, 0), d(1), endOfCST(2026, 1, 13)},
		{"work 7d Fri→Tue+1wk", work, cst(2026, 1, 9, 15, 0), d(7), endOfCST(2026, 1, 20)},
		// 元旦: Jan 1–3 off, Sunday Jan 4 worked.
		{"work 1d over 元旦 to make-up Sun", work, cst(2025, 12, 31, 10, 0), d(1), endOfCST(2026, 1, 4)},
		{"work 2d over 元旦", work, cst(2025, 12, 31, 10, 0), d(2), endOfCST(2026, 1, 5)},
		{"work 1d received on holiday", work, cst(2026, 1, 2, 10, 0), d(1), endOfCST(2026, 1, 4)},
		// May Day: May 1–5 off, Saturday May 9 worked.
		{"work 1d over 劳动节 (brief's example)", work, cst(2026, 4, 30, 10, 0), d(1), endOfCST(2026, 5, 6)},
		{"work 1d Fri→make-up Sat May 9", work, cst(2026, 5, 8, 10, 0), d(1), endOfCST(2026, 5, 9)},
		{"work 1d make-up Sat→Mon", work, cst(2026, 5, 9, 10, 0), d(1), endOfCST(2026, 5, 11)},
		{"work 7d over 劳动节", work, cst(2026, 4, 30, 10, 0), d(7), endOfCST(2026, 5, 13)},
		// 春节: Feb 15–23 off, Saturdays Feb 14 and Feb 28 worked.
		{"work 1d Thu→Fri before 春节", work, cst(2026, 2, 12, 10, 0), d(1), endOfCST(2026, 2, 13)},
		{"work 2d to make-up Sat Feb 14", work, cst(2026, 2, 12, 10, 0), d(2), endOfCST(2026, 2, 14)},
		{"work 1d Fri→make-up Sat Feb 14", work, cst(2026, 2, 13, 10, 0), d(1), endOfCST(2026, 2, 14)},
		{"work 1d make-up Sat→after 春节", work, cst(2026, 2, 14, 10, 0), d(1), endOfCST(2026, 2, 24)},
		{"work 1d received in 春节", work, cst(2026, 2, 18, 10, 0), d(1), endOfCST(2026, 2, 24)},
		{"work 7d over 春节 and Feb 28", work, cst(2026, 2, 13, 10, 0), d(7), endOfCST(2026, 3, 2)},
		{"work 1d Fri→make-up Sat Feb 28", work, cst(2026, 2, 27, 10, 0), d(1), endOfCST(2026, 2, 28)},
		{"work 15d complex over 春节", work, cst(2026, 2, 9, 10, 0), d(15), endOfCST(2026, 3, 6)},
		// 中秋 and 国庆: Sep 25–27 and Oct 1–7 off; Sunday Sep 20 and Saturday Oct 10 worked.
		{"work 1d Fri→make-up Sun Sep 20", work, cst(2026, 9, 18, 10, 0), d(1), endOfCST(2026, 9, 20)},
		{"work 1d over 中秋", work, cst(2026, 9, 24, 10, 0), d(1), endOfCST(2026, 9, 28)},
		{"work 1d over 国庆", work, cst(2026, 9, 30, 10, 0), d(1), endOfCST(2026, 10, 8)},
		{"work 3d to make-up Sat Oct 10", work, cst(2026, 9, 30, 10, 0), d(3), endOfCST(2026, 10, 10)},
		{"work 15d over 国庆", work, cst(2026, 9, 30, 10, 0), d(15), endOfCST(2026, 10, 27)},

		// Hours: elapsed time, across midnight, weekends and holidays alike.
		{"2h across midnight", cal, cst(2026, 1, 9, 23, 0), h(2), time.Date(2026, 1, 9, 17, 0, 0, 0, time.UTC)},
		{"2h working, Sat", work, cst(2026, 1, 10, 10, 0), h(2), time.Date(2026, 1, 10, 4, 0, 0, 0, time.UTC)},
		{"24h working, Sat→Sun", work, cst(2026, 1, 10, 10, 0), h(24), time.Date(2026, 1, 11, 2, 0, 0, 0, time.UTC)},
		{"24h working, in 国庆", work, cst(2026, 10, 1, 12, 0), h(24), time.Date(2026, 10, 2, 4, 0, 0, 0, time.UTC)},
		{"2h keeps seconds", cal, time.Date(2026, 3, 1, 17, 30, 45, 123, time.UTC), h(2), time.Date(2026, 3, 1, 19, 30, 45, 123, time.UTC)},

		// Near midnight: 17:30 UTC on Mar 1 is 01:30 on Monday Mar 2 in Shanghai.
		{"cal 1d, UTC Sunday is Shanghai Monday", cal, time.Date(2026, 3, 1, 17, 30, 0, 0, time.UTC), d(1), endOfCST(2026, 3, 3)},
		{"work 1d, UTC Sunday is Shanghai Monday", work, time.Date(2026, 3, 1, 17, 30, 0, 0, time.UTC), d(1), endOfCST(2026, 3, 3)},
		{"cal 1d, last second of Shanghai Sunday", cal, time.Date(2026, 3, 1, 15, 59, 59, 0, time.UTC), d(1), endOfCST(2026, 3, 2)},
		{"work 1d, last second of Shanghai Sunday", work, time.Date(2026, 3, 1, 15, 59, 59, 0, time.UTC), d(1), endOfCST(2026, 3, 2)},
		{"cal 1d, Shanghai midnight exactly", cal, time.Date(2026, 3, 1, 16, 0, 0, 0, time.UTC), d(1), endOfCST(2026, 3, 3)},
		{"cal 1d, from UTC-5", cal, time.Date(2026, 3, 1, 12, 0, 0, 0, time.FixedZone("UTC-5", -5*3600)), d(1), endOfCST(2026, 3, 3)},
		// 16:30 UTC on Feb 13 is 00:30 on make-up Saturday Feb 14 in Shanghai.
		{"work 1d, UTC Fri is Shanghai make-up Sat", work, time.Date(2026, 2, 13, 16, 30, 0, 0, time.UTC), d(1), endOfCST(2026, 2, 24)},

		// Counting "" is calendar.
		{"empty counting is calendar", DeadlinePolicy{}, cst(2026, 1, 9, 15, 0), d(1), endOfCST(2026, 1, 10)},
		// Unusable limits come due at once.
		{"zero limit", cal, cst(2026, 1, 9, 15, 0), d(0), cst(2026, 1, 9, 15, 0)},
		{"negative limit", cal, cst(2026, 1, 9, 15, 0), h(-2), cst(2026, 1, 9, 15, 0)},
		{"unknown unit", cal, cst(2026, 1, 9, 15, 0), Limit{1, "weeks"}, cst(2026, 1, 9, 15, 0)},
		{"too long", work, cst(2026, 1, 9, 15, 0), d(367), cst(2026, 1, 9, 15, 0)},
	}
	for _, c := range cases {
		got := c.p.Due(c.from, c.l)
		if !got.Equal(c.want) {
			t.Errorf("%s: Due(%v, %v) = %v (%v Shanghai), want %v (%v Shanghai)", c.name,
				c.from, c.l, got, got.In(Shanghai), c.want, c.want.In(Shanghai))
		}
		if got.Location() != time.UTC {
			t.Errorf("%s: Due returned location %v, want UTC", c.name, got.Location())
		}
	}
}

// TestDeadlinePolicyDueWorkingProperties checks every day of 2026: a 1-working-day
// deadline ends a workday and skips only non-workdays, and is never earlier than
// the calendar-day deadline.
func TestDeadlinePolicyDueWorkingProperties(t *testing.T) {
	work := DefaultPolicy()
	work.Counting = CountWorking
	cal := DefaultPolicy()
	for d := (Date{2026, time.January, 1}); d.Year == 2026; d = d.AddDays(1) {
		from := d.Time().Add(13 * time.Hour)
		for _, n := range []int{1, 7, 15} {
			l := Limit{n, UnitDays}
			due := work.Due(from, l)
			last := DateOf(due.Add(-time.Nanosecond))
			if !work.Calendar.IsWorkday(last) {
				t.Fatalf("from %v, %v: last day %v is not a workday", d, l, last)
			}
			count := 0
			for x := d.AddDays(1); x != last.AddDays(1); x = x.AddDays(1) {
				if work.Calendar.IsWorkday(x) {
					count++
				}
			}
			if count != n {
				t.Fatalf("from %v, %v: %d workdays up to %v", d, l, count, last)
			}
			if c := cal.Due(from, l); due.Before(c) {
				t.Fatalf("from %v, %v: working %v before calendar %v", d, l, due, c)
			}
		}
	}
}

func TestDeadlinePolicyDefault(t *testing.T) {
	p := DefaultPolicy()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.Respond != (Limit{1, UnitDays}) || p.Counting != CountCalendar || p.DueSoon != 24*time.Hour {
		t.Errorf("defaults: %+v", p)
	}
	want := map[Urgency]Limit{
		UrgencyEmergency: {2, UnitHours},
		UrgencyUtility:   {24, UnitHours},
		UrgencyGeneral:   {7, UnitDays},
		UrgencyComplex:   {15, UnitDays},
	}
	if !reflect.DeepEqual(p.Handle, want) {
		t.Errorf("Handle = %v, want %v", p.Handle, want)
	}
	if !reflect.DeepEqual(p.Calendar, China2026()) {
		t.Error("default calendar is not China2026")
	}
	// Fresh maps each call.
	p.Handle[UrgencyGeneral] = Limit{3, UnitDays}
	if DefaultPolicy().Handle[UrgencyGeneral] != (Limit{7, UnitDays}) {
		t.Error("DefaultPolicy shares its Handle map")
	}
}

func TestDeadlinePolicyJSON(t *testing.T) {
	p := DefaultPolicy()
	p.Counting = CountWorking
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"respond":{"amount":1,"unit":"days"}`, `"emergency":{"amount":2,"unit":"hours"}`,
		`"counting":"working"`, `"2026-01-04"`, `"due_soon":86400000000000`} {
		if !strings.Contains(string(b), s) {
			t.Errorf("JSON %s lacks %s", b, s)
		}
	}
	var q DeadlinePolicy
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, q) {
		t.Errorf("round trip: got %+v, want %+v", q, p)
	}
}

func TestDeadlinePolicyValidate(t *testing.T) {
	cases := []struct {
		name string
		edit func(p *DeadlinePolicy)
		ok   bool
	}{
		{"default", func(p *DeadlinePolicy) {}, true},
		{"working", func(p *DeadlinePolicy) { p.Counting = CountWorking }, true},
		{"empty counting", func(p *DeadlinePolicy) { p.Counting = "" }, true},
		{"zero due soon", func(p *DeadlinePolicy) { p.DueSoon = 0 }, true},
		{"empty calendar", func(p *DeadlinePolicy) { p.Calendar = Calendar{} }, true},
		{"extra urgency", func(p *DeadlinePolicy) { p.Handle["future"] = Limit{3, UnitDays} }, true},
		{"hours respond", func(p *DeadlinePolicy) { p.Respond = Limit{12, UnitHours} }, true},
		{"bad counting", func(p *DeadlinePolicy) { p.Counting = "lunar" }, false},
		{"negative due soon", func(p *DeadlinePolicy) { p.DueSoon = -time.Hour }, false},
		{"zero respond", func(p *DeadlinePolicy) { p.Respond = Limit{} }, false},
		{"respond no unit", func(p *DeadlinePolicy) { p.Respond = Limit{1, ""} }, false},
		{"missing general", func(p *DeadlinePolicy) { delete(p.Handle, UrgencyGeneral) }, false},
		{"missing emergency", func(p *DeadlinePolicy) { delete(p.Handle, UrgencyEmergency) }, false},
		{"nil handle", func(p *DeadlinePolicy) { p.Handle = nil }, false},
		{"zero complex", func(p *DeadlinePolicy) { p.Handle[UrgencyComplex] = Limit{0, UnitDays} }, false},
		{"negative utility", func(p *DeadlinePolicy) { p.Handle[UrgencyUtility] = Limit{-24, UnitHours} }, false},
		{"too long", func(p *DeadlinePolicy) { p.Handle[UrgencyComplex] = Limit{400, UnitDays} }, false},
		{"bad extra urgency", func(p *DeadlinePolicy) { p.Handle["future"] = Limit{0, UnitDays} }, false},
		{"calendar conflict", func(p *DeadlinePolicy) {
			p.Calendar.Workdays = append(p.Calendar.Workdays, Date{2026, time.October, 1})
		}, false},
	}
	for _, c := range cases {
		p := DefaultPolicy()
		c.edit(&p)
		err := p.Validate()
		if (err == nil) != c.ok {
			t.Errorf("%s: Validate = %v, want ok=%v", c.name, err, c.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v is not ErrInvalid", c.name, err)
		}
	}
	if err := (DeadlinePolicy{}).Validate(); err == nil {
		t.Error("zero policy validated")
	}
}

func TestDeadlinePolicyHandleLimit(t *testing.T) {
	def := DefaultPolicy()
	custom := DefaultPolicy()
	custom.Handle[UrgencyGeneral] = Limit{5, UnitDays}
	partial := DeadlinePolicy{Handle: map[Urgency]Limit{UrgencyGeneral: {10, UnitDays}, UrgencyComplex: {0, UnitDays}}}
	cases := []struct {
		name string
		p    DeadlinePolicy
		u    Urgency
		want Limit
	}{
		{"emergency", def, UrgencyEmergency, Limit{2, UnitHours}},
		{"utility", def, UrgencyUtility, Limit{24, UnitHours}},
		{"general", def, UrgencyGeneral, Limit{7, UnitDays}},
		{"complex", def, UrgencyComplex, Limit{15, UnitDays}},
		{"empty", def, "", Limit{7, UnitDays}},
		{"unknown", def, "bogus", Limit{7, UnitDays}},
		{"custom general", custom, UrgencyGeneral, Limit{5, UnitDays}},
		{"unknown uses custom general", custom, "bogus", Limit{5, UnitDays}},
		{"empty uses custom general", custom, "", Limit{5, UnitDays}},
		{"missing emergency falls back to its default", partial, UrgencyEmergency, Limit{2, UnitHours}},
		{"unusable complex falls back to its default", partial, UrgencyComplex, Limit{15, UnitDays}},
		{"partial general", partial, "", Limit{10, UnitDays}},
		{"zero policy", DeadlinePolicy{}, "", Limit{7, UnitDays}},
		{"zero policy emergency", DeadlinePolicy{}, UrgencyEmergency, Limit{2, UnitHours}},
	}
	for _, c := range cases {
		if got := c.p.HandleLimit(c.u); got != c.want {
			t.Errorf("%s: HandleLimit(%q) = %v, want %v", c.name, c.u, got, c.want)
		}
	}
}

func FuzzParseLimit(f *testing.F) {
	for _, s := range []string{
		"2h", "24h", "7d", "15d", "7 days", "2 hours", "7天", "2小时", "７天", "２４ｈ",
		" 1 day ", "366d", "367d", "8784h", "8785h", "0d", "-1d", "+1d", "7", "d", "",
		"99999999999999999999d", "1.5d", "7 d ays", "七天", "\u30007天",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLimit(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("ParseLimit(%q) error %v is not ErrInvalid", s, err)
			}
			return
		}
		if err := l.check(); err != nil {
			t.Fatalf("ParseLimit(%q) = %#v, which is unusable: %v", s, l, err)
		}
		again, err := ParseLimit(l.String())
		if err != nil || again != l {
			t.Fatalf("ParseLimit(%q) = %v; reparsing %q gives %v, %v", s, l, l.String(), again, err)
		}
		from := time.Date(2026, 1, 9, 15, 0, 0, 0, Shanghai)
		if due := DefaultPolicy().Due(from, l); !due.After(from) {
			t.Fatalf("Due(%v, %v) = %v, not after from", from, l, due)
		}
	})
}
