package xlsx

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"casebook/casebook"
)

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "  ": "", "张": "*", "张三": "张*", " 王小明 ": "王**", "欧阳娜娜": "欧***", "王女士": "王**",
		"John": "J***",
	} {
		if got := MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"":                        "",
		"13812341234":             "138****1234",
		"１３８１２３４１２３４":             "138****1234",
		"138 1234 1234":           "138****1234",
		"138-1234-1234":           "138****1234",
		"+86 13812341234":         "+86 138****1234",
		"8613812341234":           "86138****1234",
		"010-62345678":            "010-****5678",
		"0755-12345678":           "0755-****5678",
		"01062345678":             "010****5678",
		"075512345678":            "0755****5678",
		"62345678":                "****5678",
		"62345678-123":            "****5678-***",
		"010-62345678转123":        "010-****5678转***",
		"13812341234/13900001111": "138****1234/139****1111",
		"12345":                   "***45",
		"无":                       "无",
	} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseCellTime(t *testing.T) {
	at := func(y int, m time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, m, d, h, mi, s, 0, casebook.Shanghai).UTC()
	}
	cases := []struct {
		in    string
		want  time.Time
		clock bool
	}{
		{"2026-03-02 14:30", at(2026, 3, 2, 14, 30, 0), true},
		{"2026-03-02 14:30:05", at(2026, 3, 2, 14, 30, 5), true},
		{"2026-03-02 14:30:05.250", at(2026, 3, 2, 14, 30, 5), true},
		{"2026-3-2 9:05", at(2026, 3, 2, 9, 5, 0), true},
		{"2026/3/2 14:30", at(2026, 3, 2, 14, 30, 0), true},
		{"2026/03/02", at(2026, 3, 2, 0, 0, 0), false},
		{"2026.3.2", at(2026, 3, 2, 0, 0, 0), false},
		{"2026年3月2日", at(2026, 3, 2, 0, 0, 0), false},
		{"2026年3月2日 14:30", at(2026, 3, 2, 14, 30, 0), true},
		{"2026年03月02日14时30分", at(2026, 3, 2, 14, 30, 0), true},
		{"2026年3月2日14时30分15秒", at(2026, 3, 2, 14, 30, 15), true},
		{"2026年3月2日 下午2:30", at(2026, 3, 2, 14, 30, 0), true},
		{"2026-03-02 上午9:30", at(2026, 3, 2, 9, 30, 0), true},
		{"2026-03-02T14:30:00", at(2026, 3, 2, 14, 30, 0), true},
		{"2026-03-02T14:30:00+08:00", at(2026, 3, 2, 14, 30, 0), true},
		{"2026-03-02T06:30:00Z", at(2026, 3, 2, 14, 30, 0), true},
		{"20260302", at(2026, 3, 2, 0, 0, 0), false},
		{"202603021430", at(2026, 3, 2, 14, 30, 0), true},
		{"20260302143005", at(2026, 3, 2, 14, 30, 5), true},
		{"２０２６－０３－０２　１４：３０", at(2026, 3, 2, 14, 30, 0), true},
		{"  2026 - 03 - 02   14 : 30  ", at(2026, 3, 2, 14, 30, 0), true},
		{"46083", at(2026, 3, 2, 0, 0, 0), false},
		{"46083.6041666667", at(2026, 3, 2, 14, 30, 0), true},
		{"4.60836041666667E4", at(2026, 3, 2, 14, 30, 0), true},
	}
	for _, c := range cases {
		got, clock, err := ParseCellTime(c.in, false)
		if err != nil || !got.Equal(c.want) || clock != c.clock {
			t.Errorf("ParseCellTime(%q) = %v, %v, %v; want %v, %v", c.in, got.In(casebook.Shanghai), clock, err, c.want.In(casebook.Shanghai), c.clock)
		}
	}
	// 1904 date system: serial 0 is 1904-01-01.
	if got, _, err := ParseCellTime("44621", true); err != nil || !got.Equal(at(2026, 3, 2, 0, 0, 0)) {
		t.Errorf("1904 serial: %v %v", got.In(casebook.Shanghai), err)
	}
	for _, bad := range []string{"", "  ", "2026-13-01", "2026-02-30", "2026-03-02 25:00", "2026-03-02 14:61", "明天",
		"-5", "0", "1e400", "NaN", "Inf", "99999999", "2026-03-02 下午13:00", "3/2/2026"} {
		if got, _, err := ParseCellTime(bad, false); err == nil {
			t.Errorf("ParseCellTime(%q) = %v, want an error", bad, got)
		}
	}
}

func TestExcelSerialRoundTrip(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(2026, 3, 2, 14, 30, 0, 0, casebook.Shanghai),
		time.Date(2025, 12, 31, 23, 59, 59, 0, casebook.Shanghai),
		time.Date(2026, 1, 1, 0, 0, 0, 0, casebook.Shanghai),
	} {
		got, ok := serialTime(ExcelSerial(tm), false)
		if !ok || !got.Equal(tm) {
			t.Errorf("serial round trip of %v gave %v", tm, got)
		}
	}
}

// TestExcelSerialAsWritten: as excelize writes it (15 significant digits),
// the serial of every minute of several days is not before that minute and
// less than a millisecond after it, so no spreadsheet shows the minute
// before (LibreOffice showed 09:24 as 09:23 before the nudge).
func TestExcelSerialAsWritten(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	var want []time.Time
	for _, day := range []time.Time{
		time.Date(2025, 12, 1, 0, 0, 0, 0, casebook.Shanghai),
		time.Date(2026, 11, 24, 0, 0, 0, 0, casebook.Shanghai),
		time.Date(2099, 6, 30, 0, 0, 0, 0, casebook.Shanghai),
	} {
		for m := range 24 * 60 {
			tm := day.Add(time.Duration(m) * time.Minute)
			want = append(want, tm)
			cell, _ := excelize.CoordinatesToCellName(1, len(want))
			if err := sw.SetRow(cell, []any{ExcelSerial(tm)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Sheet1", excelize.Options{RawCellValue: true})
	if err != nil || len(rows) != len(want) {
		t.Fatalf("%d rows: %v", len(rows), err)
	}
	for i, r := range rows {
		v, err := strconv.ParseFloat(r[0], 64)
		if err != nil {
			t.Fatal(err)
		}
		exact := float64(want[i].Unix()+8*3600)/86400 + 25569
		if off := (v - exact) * 86400; off < 0 || off >= 0.001 {
			t.Fatalf("%v written as %s: %.9f s off", want[i], r[0], off)
		}
		if got, ok := serialTime(v, false); !ok || !got.Equal(want[i]) {
			t.Fatalf("%v written as %s reads back as %v", want[i], r[0], got)
		}
	}
}

func TestParseTimeLimit(t *testing.T) {
	rec := time.Date(2026, 3, 2, 9, 0, 0, 0, casebook.Shanghai)
	for in, want := range map[string]casebook.Urgency{
		"2小时": casebook.UrgencyEmergency, "2h": casebook.UrgencyEmergency, "紧急": casebook.UrgencyEmergency,
		"24小时": casebook.UrgencyUtility, "２４个小时": casebook.UrgencyUtility, "1天": casebook.UrgencyUtility,
		"7天": casebook.UrgencyGeneral, "7个工作日": casebook.UrgencyGeneral, "一般": casebook.UrgencyGeneral, "3日内": casebook.UrgencyGeneral,
		"15个工作日": casebook.UrgencyComplex, "15天": casebook.UrgencyComplex, "复杂": casebook.UrgencyComplex,
		"2026-03-02 11:00": casebook.UrgencyEmergency, "2026-03-03 09:00": casebook.UrgencyUtility,
		"2026-03-09": casebook.UrgencyGeneral, "2026-03-27 17:00": casebook.UrgencyComplex,
	} {
		got, err := ParseTimeLimit(in, rec, false)
		if err != nil || got != want {
			t.Errorf("ParseTimeLimit(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"尽快", "abc", "2026-03-01"} {
		if _, err := ParseTimeLimit(bad, rec, false); err == nil {
			t.Errorf("ParseTimeLimit(%q): want an error", bad)
		}
	}
}

func TestCategoryMapping(t *testing.T) {
	list := casebook.DefaultCategories
	for in, want := range map[string]string{
		"停车管理": "停车管理", "城乡建设/物业管理/物业服务": "物业管理", "交通管理-停车": "停车管理",
		"环境保护>噪声污染": "噪音扰民", "市容环卫/垃圾清运": "环境卫生", "住房保障/老旧小区综合整治": "老旧小区改造",
		"城市管理/电动自行车充电": "电动车充电", "园林绿化/树木修剪": "绿化养护", "民政/老年餐桌": "养老助餐",
	} {
		if got, ok := mapCategory(in, list); !ok || got != want {
			t.Errorf("mapCategory(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, unknown := range []string{"社会保障/医保报销", "教育/招生入学", ""} {
		if got, ok := mapCategory(unknown, list); ok {
			t.Errorf("mapCategory(%q) = %q, want unknown", unknown, got)
		}
	}
	// A keyword rule applies only to a category the casebook has.
	if got, ok := mapCategory("交通管理/停车", []string{"交通", "其他"}); !ok || got != "交通" {
		t.Errorf("custom list: %q %v", got, ok)
	}
	if got, ok := mapCategory("停车", []string{"卫生", "其他"}); ok {
		t.Errorf("停车 mapped to %q in a list without parking", got)
	}
}

func TestFindHeader(t *testing.T) {
	rows := [][]string{
		{"示例街道12345热线派单明细表（2026年3月）"},
		{"导出时间：2026-03-31", "", "单位：件"},
		{},
		{"序号", "工单号", "来电时间", "派单时间", "诉求人姓名", "联系人电话", "问题描述", "一级分类", "二级分类", "办理时限（工作日）", "备注"},
		{"1", "2603020001", "46083.5"},
	}
	h, ok := FindHeader(rows)
	if !ok || h.Row != 3 || h.Kind != KindWorkOrders {
		t.Fatalf("FindHeader = %+v, %v", h, ok)
	}
	want := map[Column]int{ColWorkOrder: 1, ColReceived: 2, ColComplainant: 4, ColPhone: 5, ColContent: 6, ColTimeLimit: 9}
	for c, i := range want {
		if h.Cols[c] != i {
			t.Errorf("%s at column %d, want %d", c, h.Cols[c], i)
		}
	}
	if len(h.Categories) != 2 || h.Categories[0] != 7 || h.Categories[1] != 8 {
		t.Errorf("category columns %v", h.Categories)
	}
	cb, ok := FindHeader([][]string{{"工单编号", "回访时间", "是否解决", "是否满意", "回访内容"}})
	if !ok || cb.Kind != KindCallbacks || cb.Cols[ColSolved] != 2 || cb.Cols[ColSatisfaction] != 3 || cb.Cols[ColCallbackNote] != 4 {
		t.Errorf("callback header %+v %v", cb, ok)
	}
	for _, bad := range [][][]string{nil, {{"姓名", "电话"}}, {{"工单编号"}}, {{"受理时间", "诉求内容", "诉求人"}}} {
		if h, ok := FindHeader(bad); ok {
			t.Errorf("FindHeader(%v) = %+v, want none", bad, h)
		}
	}
}

// FuzzParseCellTime: never panics; whatever it accepts reads back the same
// from its own Shanghai text form.
func FuzzParseCellTime(f *testing.F) {
	for _, s := range []string{"2026-03-02 14:30", "2026年3月2日14时30分", "46083.6041666667", "20260302143005",
		"２０２６／３／２", "2026-03-02T14:30:00+08:00", "2026/3/2 下午2:30", "1e5", "2026-02-29", "9999-12-31 23:59:59",
		"0001-01-01", "2958465.99999", "  ", "年月日", "2026-03-02 14:30:05.123456789"} {
		f.Add(s, false)
	}
	f.Add("44621", true)
	f.Fuzz(func(t *testing.T, s string, date1904 bool) {
		got, clock, err := ParseCellTime(s, date1904)
		if err != nil {
			return
		}
		text := got.In(casebook.Shanghai).Format("2006-01-02 15:04:05")
		again, _, err := ParseCellTime(text, false)
		if err != nil || !again.Equal(got) {
			t.Fatalf("%q → %v (clock %v) → %q → %v, %v", s, got, clock, text, again, err)
		}
	})
}

// FuzzFindHeader: never panics; a header it finds has a work-order column
// and every column it maps lies within the header row.
func FuzzFindHeader(f *testing.F) {
	for _, s := range []string{
		"示例街道12345派单\n序号\t工单号\t来电时间\t问题描述\n1\t2603020001\t46083.5\t漏水",
		"工单编号\t回访时间\t解决情况\t满意度",
		"工单编号\t回访结果",
		"工 单 号\t受理时间（必填）\t诉求内容*\t一级分类\t二级分类",
		"", "\t\t\n\t", "工单编号\t工单编号\t受理时间\t受理时间\t诉求内容",
		"2026年3月15日报告会意见清单（社区党群服务中心）\n序号\t意见内容\t楼栋\t提出人",
		"工单编号\t办理结果\t回复内容\t办结时间\t办理单位",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var rows [][]string
		for _, line := range strings.Split(s, "\n") {
			rows = append(rows, strings.Split(line, "\t"))
		}
		h, ok := FindHeader(rows)
		if !ok {
			return
		}
		if h.Row < 0 || h.Row >= len(rows) || h.Row >= headerScanRows {
			t.Fatalf("header row %d of %d", h.Row, len(rows))
		}
		if _, has := h.Cols[ColWorkOrder]; !has && h.Kind != KindOpinions {
			t.Fatal("header without a work-order column")
		}
		if _, has := h.Cols[ColOpinion]; h.Kind == KindOpinions && !has {
			t.Fatal("an opinion list without its opinions")
		}
		used := map[int]bool{}
		for c, i := range h.Cols {
			if i < 0 || i >= len(rows[h.Row]) {
				t.Fatalf("%s at cell %d of a %d-cell row", c, i, len(rows[h.Row]))
			}
			if used[i] {
				t.Fatalf("cell %d mapped twice", i)
			}
			used[i] = true
		}
	})
}
