package xlsx

import (
	"regexp"
	"strings"
)

// Column is a column of a 12345 sheet that the importer understands.
type Column int

// The columns of 12345 work-order (派单) and callback (回访结果) sheets.
const (
	ColWorkOrder    Column = iota // 工单编号
	ColReceived                   // 受理时间
	ColTitle                      // 诉求标题 (short)
	ColContent                    // 诉求内容 (full text)
	ColComplainant                // 诉求人
	ColPhone                      // 联系电话
	ColAddress                    // 地址
	ColBuilding                   // 楼号
	ColUnit                       // 单元/门牌
	ColCategory                   // 问题分类
	ColType                       // 诉求类型
	ColTimeLimit                  // 办理时限
	ColSolved                     // 解决情况
	ColSatisfaction               // 满意度
	ColResult                     // 回访结果 (both verdicts in one cell)
	ColCallbackTime               // 回访时间
	ColCallbackNote               // 回访内容
	// 办结/回复 sheets.
	ColOutcome     // 办理结果
	ColReply       // 回复内容
	ColResolvedAt  // 办结时间
	ColHandlerUnit // 办理单位
	// Report-meeting opinion lists (报告会意见清单).
	ColOpinion // 意见内容
	ColSerial  // 序号
	numColumns
)

// columnNames are the names a column goes by in the sheets that reach a
// community, best first: when two columns of a sheet both match (受理时间
// and 派单时间), the one whose name comes first in its list wins.
var columnNames = [numColumns][]string{
	ColWorkOrder:    {"工单编号", "工单号", "工单号码", "工单编码", "12345工单号", "12345工单编号", "派单编号", "诉求编号", "案件编号", "工单id"},
	ColReceived:     {"受理时间", "来电时间", "派单时间", "登记时间", "诉求时间", "接诉时间", "交办时间", "下派时间", "工单时间", "创建时间", "受理日期", "来电日期", "派单日期"},
	ColTitle:        {"诉求标题", "工单标题", "标题", "诉求摘要", "摘要", "事项名称", "诉求主题"},
	ColContent:      {"诉求内容", "问题描述", "来电内容", "反映内容", "诉求描述", "事项内容", "工单内容", "详细内容", "具体诉求", "问题内容", "主要内容", "内容"},
	ColComplainant:  {"诉求人", "来电人", "反映人", "来电人姓名", "诉求人姓名", "联系人", "姓名", "市民姓名", "来电市民", "提出人", "意见人", "提议人"},
	ColPhone:        {"联系电话", "来电号码", "联系人电话", "诉求人电话", "来电人电话", "诉求人联系电话", "来电人联系电话", "市民电话", "电话", "联系方式", "手机号", "手机号码", "来电电话", "联系号码", "电话号码"},
	ColAddress:      {"地址", "诉求地址", "事发地址", "问题地址", "发生地点", "事发地点", "详细地址", "地点", "问题发生地址", "诉求地点"},
	ColBuilding:     {"楼号", "楼栋", "楼宇", "楼栋号", "楼门"},
	ColUnit:         {"单元", "门牌", "门牌号", "房号", "单元号"},
	ColCategory:     {"问题分类", "诉求类别", "诉求分类", "问题类别", "事项分类", "业务分类", "分类", "类别", "问题类型"},
	ColType:         {"诉求类型", "来电类型", "诉求性质", "工单类型", "来电目的", "类型"},
	ColTimeLimit:    {"办理时限", "时限", "办结时限", "处理时限", "承办时限", "处置时限", "办理期限", "截止时间", "办结期限"},
	ColSolved:       {"解决情况", "是否解决", "解决程度", "问题解决情况", "解决结果", "解决率评价", "问题是否解决"},
	ColSatisfaction: {"满意度", "满意情况", "是否满意", "满意程度", "回访满意度", "满意度评价", "满意评价"},
	ColResult:       {"回访结果", "评价结果", "回访情况", "评价情况"},
	ColCallbackTime: {"回访时间", "评价时间", "回访日期", "评价日期"},
	ColCallbackNote: {"回访内容", "回访记录", "回访意见", "市民意见", "回访备注", "备注"},
	ColOutcome:      {"办理结果", "处理结果", "办结情况", "办理情况", "处置结果", "处理情况"},
	ColReply:        {"回复内容", "答复内容", "回复意见", "答复意见", "办理回复", "回复", "答复"},
	ColResolvedAt:   {"办结时间", "办结日期", "回复时间", "答复时间", "办理完成时间", "完成时间"},
	ColHandlerUnit:  {"办理单位", "承办单位", "责任单位", "处理单位", "办理部门", "承办部门"},
	ColOpinion:      {"意见内容", "意见建议", "意见和建议", "意见及建议", "群众意见", "居民意见", "意见", "建议内容", "问题及建议", "意见诉求", "提出的意见"},
	ColSerial:       {"序号", "意见编号", "编号"},
}

// columnLabels are the canonical Chinese names, for reports.
var columnLabels = [numColumns]string{
	"工单编号", "受理时间", "诉求标题", "诉求内容", "诉求人", "联系电话", "地址", "楼号", "单元",
	"问题分类", "诉求类型", "办理时限", "解决情况", "满意度", "回访结果", "回访时间", "回访内容",
	"办理结果", "回复内容", "办结时间", "办理单位", "意见内容", "序号",
}

// String is the column's canonical Chinese name.
func (c Column) String() string {
	if c >= 0 && c < numColumns {
		return columnLabels[c]
	}
	return "?"
}

// Sheet kinds.
const (
	KindWorkOrders = "workorders" // 12345 派单: new appeals
	KindCallbacks  = "callbacks"  // 回访结果: evaluations of known appeals
	KindResults    = "results"    // 办结/回复: the handling result of known appeals
	KindOpinions   = "opinions"   // 报告会意见清单: items raised at a report meeting
)

// Header is the header row found in a sheet and what each column is.
type Header struct {
	Row  int            // index of the header row among the rows given (0-based)
	Kind string         // KindWorkOrders or KindCallbacks
	Cols map[Column]int // column → index of the cell in a row (0-based)
	// Names are the sheet's own header texts of the mapped columns.
	Names map[Column]string
	// Categories are every category column, left to right: 12345 sheets
	// often split the category into levels (一级分类, 二级分类, 三级分类),
	// which are read together.
	Categories []int
}

// headerScanRows is how far down a sheet the header may be (below titles,
// dates and notes).
const headerScanRows = 30

// parenthesized drops "(…)" and "（…）" notes from a header: "办理时限（工作日）".
var parenthesized = regexp.MustCompile(`[(（\[【][^)）\]】]*[)）\]】]`)

// normHeader reduces a header cell to what is compared with the names:
// half-width, no spaces or line breaks, no notes in brackets, no marks such
// as "*" (required) or a trailing colon, lower case.
func normHeader(s string) string {
	s = cleanCell(s)
	s = parenthesized.ReplaceAllString(s, "")
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '*', ':', '：', '★', '※', '#', '_', '-', '/', '、':
			return -1
		}
		return r
	}, s)
	return strings.ToLower(s)
}

// matchColumn says which column a header cell names, and how well (0: none).
// An exact name beats a name contained in the header ("诉求人姓名" contains
// "诉求人"); earlier names in a list beat later ones; longer contained names
// beat shorter ones.
func matchColumn(cell string) (Column, int) {
	h := normHeader(cell)
	if h == "" || len([]rune(h)) > 20 {
		return 0, 0
	}
	best, score := Column(0), 0
	for c := Column(0); c < numColumns; c++ {
		for i, name := range columnNames[c] {
			s := 0
			switch {
			case h == name:
				s = 1000 - i
			case len(name) >= 6 && strings.Contains(h, name): // at least two Chinese characters
				s = 100 + 10*len(name) - i
			}
			if s > score {
				best, score = c, s
			}
		}
	}
	return best, score
}

// FindHeader looks for the header row in the first rows of a sheet: the row
// that names the most known columns, with a work-order number column and
// either what makes a new appeal (受理时间 and 诉求内容 or a title), a
// callback verdict (解决情况, 满意度 or 回访结果) or a handling result
// (办理结果, 回复内容 or 办结时间); or, without work orders, an opinion
// list's 意见内容 and one more known column (序号, 楼栋, 提出人). Rows above it (a merged
// title, the date of the report) are ignored. ok is false if no row
// qualifies.
func FindHeader(rows [][]string) (h Header, ok bool) {
	bestScore := 0
	for r := 0; r < len(rows) && r < headerScanRows; r++ {
		cand, score := headerOf(rows[r])
		if score == 0 || score <= bestScore {
			continue
		}
		cand.Row = r
		h, bestScore, ok = cand, score, true
	}
	return h, ok
}

// headerOf maps one row's cells to columns and scores the row (0: not a
// header).
func headerOf(row []string) (Header, int) {
	type pick struct{ idx, score int }
	picks := map[Column]pick{}
	var cats []int
	for i, cell := range row {
		c, s := matchColumn(cell)
		if s == 0 {
			continue
		}
		if c == ColCategory {
			cats = append(cats, i)
		}
		if p, seen := picks[c]; !seen || s > p.score {
			picks[c] = pick{i, s}
		}
	}
	has := func(c Column) bool { _, ok := picks[c]; return ok }
	h := Header{Cols: map[Column]int{}, Names: map[Column]string{}}
	switch {
	case !has(ColWorkOrder):
		// An opinion list has no work orders: its items are new appeals.
		if !has(ColOpinion) || len(picks) < 2 {
			return Header{}, 0
		}
		h.Kind = KindOpinions
	case has(ColReceived) && (has(ColContent) || has(ColTitle)):
		h.Kind = KindWorkOrders
	case has(ColSolved) || has(ColSatisfaction) || has(ColResult):
		h.Kind = KindCallbacks
	case has(ColOutcome) || has(ColReply) || has(ColResolvedAt):
		h.Kind = KindResults
	default:
		return Header{}, 0
	}
	for c, p := range picks {
		h.Cols[c] = p.idx
		h.Names[c] = strings.TrimSpace(row[p.idx])
	}
	h.Categories = cats
	return h, len(picks)
}
