package client_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/xuri/excelize/v2"
)

func workOrderSheet(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetSheetName("Sheet1", "派单")
	hdr := []any{"工单编号", "受理时间", "诉求类型", "问题分类", "诉求内容", "诉求人", "联系电话", "地址", "办理时限"}
	_ = f.SetSheetRow("派单", "A1", &hdr)
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		_ = f.SetSheetRow("派单", cell, &r)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Work orders dispatched at the hub (with the app's import code) arrive on
// the community's devices at their next sync, and dispatching the same
// sheet again adds nothing.
func TestDispatchReachesDevices(t *testing.T) {
	forStores(t, func(t *testing.T, hs hubStore) {
		th := startHub(t, hs)
		tok := th.enroll("示例社区", false)
		a := newBook(t, false)
		addCase(t, a, "已有诉求")
		doSync(t, a, th, tok)
		sheet := workOrderSheet(t, [][]any{
			{"2603020001", "2026-03-02 08:30", "投诉", "停车管理", "14号楼前车辆乱停占用消防通道", "张三", "13812341234", "示例社区14号楼", "7天"},
			{"2603020002", "2026-03-02 09:15", "求助", "环境卫生", "3号楼垃圾桶满溢无人清理", "李四", "13900001111", "示例社区3号楼", "24小时"},
		})
		rep, err := th.h.Dispatch(context.Background(), "示例社区", sheet, false)
		if err != nil || rep.New != 2 {
			t.Fatalf("dispatch: %+v %v", rep, err)
		}
		r := doSync(t, a, th, tok)
		if r.Pulled == 0 {
			t.Fatalf("nothing pulled: %+v", r)
		}
		s, ok := a.FindByWorkOrder("2603020001")
		if !ok || s.Category != "停车管理" {
			t.Fatalf("work order not on the device: %+v", s)
		}
		rep, err = th.h.Dispatch(context.Background(), "示例社区", sheet, false)
		if err != nil || rep.New != 0 || rep.Applied != 0 {
			t.Fatalf("second dispatch: %+v %v", rep, err)
		}
		if r := doSync(t, a, th, tok); r.Pulled != 0 {
			t.Errorf("second dispatch brought %d ops", r.Pulled)
		}
		b := newBook(t, false)
		doSync(t, b, th, th.enroll("示例社区", false))
		sameViews(t, a, b)
	})
}
