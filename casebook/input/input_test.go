package input

import (
	"errors"
	"go/build"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"casebook/casebook"
)

func code(err error) casebook.Code {
	var fe *casebook.FieldError
	if errors.As(err, &fe) {
		return fe.Code
	}
	return ""
}

func TestRate(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64 // -1: nil
		code casebook.Code
	}{
		{"86", 0.86, ""}, {"86%", 0.86, ""}, {" 86.5 % ", 0.865, ""}, {"８６％", 0.86, ""}, {"0.86", 0.86, ""},
		{"100", 1, ""}, {"1", 1, ""}, {"0", 0, ""}, {"0.5%", 0.005, ""}, {"100%", 1, ""},
		{"", -1, ""}, {"-", -1, ""}, {"none", -1, ""}, {"无", -1, ""},
		{"101", 0, casebook.CodeOutOfRange}, {"-3", 0, casebook.CodeOutOfRange}, {"八成", 0, casebook.CodeNotANumber},
		{"NaN", 0, casebook.CodeNotANumber}, {"Inf", 0, casebook.CodeNotANumber}, {"86%%", 0, casebook.CodeNotANumber},
	} {
		got, err := Rate(c.in)
		switch {
		case c.code != "":
			if code(err) != c.code || !errors.Is(err, casebook.ErrInvalid) {
				t.Errorf("Rate(%q) = %v, %v; want %s", c.in, got, err, c.code)
			}
		case err != nil:
			t.Errorf("Rate(%q): %v", c.in, err)
		case c.want < 0 && got != nil, c.want >= 0 && (got == nil || abs(*got-c.want) > 1e-12):
			t.Errorf("Rate(%q) = %v, want %v", c.in, deref(got), c.want)
		}
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestFractionAndCount(t *testing.T) {
	for in, want := range map[string]float64{"0.9": 0.9, "90%": 0.9, "0": 0, "1": 1, "０.４": 0.4} {
		if got, err := Fraction(in); err != nil || abs(got-want) > 1e-12 {
			t.Errorf("Fraction(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"1.1", "-0.1", "x", "", "110%"} {
		if _, err := Fraction(in); err == nil {
			t.Errorf("Fraction(%q) accepted", in)
		}
	}
	for in, want := range map[string]int{"2100": 2100, "2,100": 2100, "2100户": 2100, "１２人": 12, "": 0, " 0 ": 0} {
		if got, err := Count(in, 1_000_000); err != nil || got != want {
			t.Errorf("Count(%q) = %v, %v", in, got, err)
		}
	}
	for in, c := range map[string]casebook.Code{"-1": casebook.CodeOutOfRange, "2.5": casebook.CodeNotANumber, "两千": casebook.CodeNotANumber, "2000001": casebook.CodeOutOfRange} {
		if _, err := Count(in, 2_000_000); code(err) != c {
			t.Errorf("Count(%q): %v, want %s", in, err, c)
		}
	}
}

func TestList(t *testing.T) {
	for in, want := range map[string][]string{
		"14号楼、15号楼":         {"14号楼", "15号楼"},
		"张三, 李四，王五；赵六; 钱七":  {"张三", "李四", "王五", "赵六", "钱七"},
		"停车管理 环境卫生\n群租\t其他": {"停车管理", "环境卫生", "群租", "其他"},
		" ,,、 ":    nil,
		"物业公司":     {"物业公司"},
		"甲\u3000乙": {"甲", "乙"},
	} {
		if got := List(in); !reflect.DeepEqual(got, want) {
			t.Errorf("List(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Lines(" 2026-01-01 元旦 \r\n\n2026-02-17\n"); !reflect.DeepEqual(got, []string{"2026-01-01 元旦", "2026-02-17"}) {
		t.Errorf("Lines: %q", got)
	}
}

func TestBuildings(t *testing.T) {
	for in, want := range map[string][]string{
		"1-3":         {"1号楼", "2号楼", "3号楼"},
		"1~2、5号楼":     {"1号楼", "2号楼", "5号楼"},
		"１－２":         {"1号楼", "2号楼"},
		"3至4号楼, 商业楼":  {"3号楼", "4号楼", "商业楼"},
		"A-3栋":        {"A-3栋"},
		"14号楼，１５号楼":   {"14号楼", "15号楼"},
		"":            nil,
		"2到2":         {"2号楼"},
		"9-10 东区-1":   {"9号楼", "10号楼", "东区-1"},
		"1—2":         {"1号楼", "2号楼"},
		"001-002":     {"1号楼", "2号楼"},
		"１号楼、２号楼、３号楼": {"1号楼", "2号楼", "3号楼"},
	} {
		got, err := Buildings(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Buildings(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"5-3", "0-2", "1-5000"} {
		if _, err := Buildings(in); code(err) != casebook.CodeBadRange {
			t.Errorf("Buildings(%q): %v", in, err)
		}
	}
}

func TestAttendees(t *testing.T) {
	got, err := Attendees("物业 李经理\n14号楼居民 12\n\n15号楼居民：9人\n社区民警\r\n业委会:张主任\n街道城建科 王 科长\n１６号楼居民　３名")
	want := []casebook.Attendee{
		{Role: "物业", Name: "李经理"}, {Role: "14号楼居民", Count: 12}, {Role: "15号楼居民", Count: 9},
		{Role: "社区民警", Count: 1}, {Role: "业委会", Name: "张主任"}, {Role: "街道城建科", Name: "王 科长"},
		{Role: "16号楼居民", Count: 3},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Attendees = %+v, %v\nwant %+v", got, err, want)
	}
	for _, in := range []string{"居民 0", ":李经理", "居民:-2"} {
		if _, err := Attendees("物业 李经理\n" + in); code(err) != casebook.CodeBadAttendee || !strings.HasPrefix(err.Error(), "line 2: ") {
			t.Errorf("Attendees(%q): %v", in, err)
		}
	}
}

func TestRefs(t *testing.T) {
	for in, want := range map[string]int{"3": 3, "第3个": 3, "第三项": 3, "#12": 12, "No.2": 2, "２": 2, "第十二次": 12, "二十三": 23} {
		if n, ok := Number(in); !ok || n != want {
			t.Errorf("Number(%q) = %d, %v", in, n, ok)
		}
	}
	for in, want := range map[string]int{"3": 3, "v3": 3, "V3": 3, "第3版": 3, "第三版": 3, "3版": 3, "第十版": 10, "第二十版": 20} {
		if n, ok := PlanNumber(in); !ok || n != want {
			t.Errorf("PlanNumber(%q) = %d, %v", in, n, ok)
		}
	}
	for _, in := range []string{"", "0", "01JX0000000000000000000000", "第版", "-1", "十十", "百"} {
		if n, ok := PlanNumber(in); ok {
			t.Errorf("PlanNumber(%q) = %d", in, n)
		}
		if n, ok := Number(in); ok {
			t.Errorf("Number(%q) = %d", in, n)
		}
	}
}

// TestPure: what people type is read without I/O (as the domain core).
func TestPure(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		switch imp {
		case "casebook/casebook", "errors", "fmt", "strconv", "strings", "unicode", "unicode/utf8":
		default:
			t.Errorf("package input imports %s", imp)
		}
	}
}

// The fuzz targets: no input panics, and what is read is within bounds.

func FuzzRate(f *testing.F) {
	for _, s := range []string{"86", "86%", "0.86", "８６％", "", "none", "1e400", "-0", "%", "1,000%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Rate(s)
		if err == nil && v != nil && (*v < 0 || *v > 1) {
			t.Fatalf("Rate(%q) = %v", s, *v)
		}
		w, err := Fraction(s)
		if err == nil && (w < 0 || w > 1) {
			t.Fatalf("Fraction(%q) = %v", s, w)
		}
		n, err := Count(s, 5000)
		if err == nil && (n < 0 || n > 5000) {
			t.Fatalf("Count(%q) = %v", s, n)
		}
	})
}

func FuzzList(f *testing.F) {
	for _, s := range []string{"14号楼、15号楼", "1-30", "A-3栋,１－２号楼", "1~999999999", "\u3000", "9-10 东区-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, item := range List(s) {
			if item == "" || strings.IndexFunc(item, isSeparator) >= 0 {
				t.Fatalf("List(%q) has item %q", s, item)
			}
		}
		b, err := Buildings(s)
		if err == nil && len(b) > len(s)*MaxBuildingRange {
			t.Fatalf("Buildings(%q): %d names", s, len(b))
		}
	})
}

func FuzzAttendees(f *testing.F) {
	for _, s := range []string{"物业 李经理\n14号楼居民 12", "居民:0", "：", ",", "a:b:c", "x 99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		as, err := Attendees(s)
		if err != nil {
			return
		}
		for _, a := range as {
			if a.Role == "" || a.Count < 0 || (a.Count == 0 && a.Name == "") || (a.Count > 0 && a.Name != "") {
				t.Fatalf("Attendees(%q) has %+v", s, a)
			}
			if utf8.ValidString(s) && !utf8.ValidString(a.Role+a.Name) {
				t.Fatalf("Attendees(%q) made invalid text", s)
			}
		}
	})
}

func FuzzRefs(f *testing.F) {
	for _, s := range []string{"第三版", "v3", "#12", "二十三", "十", "九十九", "第版"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, ok := PlanNumber(s); ok && n < 1 {
			t.Fatalf("PlanNumber(%q) = %d", s, n)
		}
		if n, ok := Number(s); ok && n < 1 {
			t.Fatalf("Number(%q) = %d", s, n)
		}
	})
}
