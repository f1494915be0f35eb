package disclosure

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"fazhi/internal/metric"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"

	"github.com/xuri/excelize/v2"
)

// filterOf turns a figure's link ("/disclosure?a=b&…") into the register
// filter it stands for.
func filterOf(t *testing.T, link string) Filter {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	return Filter{Status: q.Get("status"), StatGroup: q.Get("stat_group"), AccountableFrom: q.Get("accountable_from"), AccountableTo: q.Get("accountable_to"),
		OnTime: q.Get("on_time") == "true", ReceivedFrom: q.Get("received_from"), ReceivedTo: q.Get("received_to"),
		CorrectionFrom: q.Get("correction_from"), CorrectionTo: q.Get("correction_to"), ExtendedFrom: q.Get("extended_from"), ExtendedTo: q.Get("extended_to")}
}

// TestFiguresMatchRegister: the counters kept in each write's transaction
// show no drift, and every figure equals the register's total under the
// filter of its link (and its numerator link).
func TestFiguresMatchRegister(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		fixtureRegister(t, f)
		// A late reply, an extension and a running request past its deadline.
		late := f.request(t, "2025-03-03")
		if _, err := f.s.Reply(as(clerk), late.ID, ReplyInput{Version: late.Version, Date: "2025-04-30", ReplyType: ReplyNotExist, Reason: "not_held"}); err != nil {
			t.Fatal(err)
		}
		ext := f.request(t, "2025-06-02")
		if _, err := f.s.Extend(as(head), ext.ID, ExtendInput{Version: ext.Version, Date: "2025-06-10", Days: 10, ApprovedBy: "王主任", Reason: "量大"}); err != nil {
			t.Fatal(err)
		}
		drift, _, err := FigureTally.Verify(as(supervisor), d, 10)
		if err != nil || len(drift) > 0 {
			t.Fatalf("drift: %v %v", drift, err)
		}
		for _, who := range []int64{supervisor, clerk, outsider} {
			figs, err := f.s.Figures(as(who), metric.Query{From: "2025-01-01", To: "2025-12-31"})
			if err != nil {
				t.Fatal(err)
			}
			for _, fg := range figs {
				check := func(link string, want int) {
					page, err := f.s.List(as(who), filterOf(t, link), db.ListReq{Size: 500})
					if err != nil {
						t.Fatal(err)
					}
					if page.Total != want {
						t.Errorf("user %d %s (%s): figure %d, register %d via %s", who, fg.Code, fg.Name, want, page.Total, link)
					}
				}
				if fg.Denominator > 0 || strings.Contains(fg.Code, "rate") {
					check(fg.Link, fg.Denominator)
					check(fg.NumeratorLink, fg.Numerator)
				} else {
					check(fg.Link, fg.Numerator)
				}
			}
			if who == supervisor {
				rate := figs[0]
				// 2025 replies: A C D E F K L M on time, the late one; plus the
				// extended request, running and past its deadline.
				if rate.Code != FigureOnTimeRate || rate.Numerator != 8 || rate.Denominator != 10 {
					t.Errorf("on-time rate %d/%d, want 8/10", rate.Numerator, rate.Denominator)
				}
			}
		}
	})
}

// TestExportImport: the export streams the register (masked for a reader
// without the handling right); the import reports every bad row and writes
// nothing from a bad batch.
func TestExportImport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		f.request(t, "2026-11-02")
		b, err := f.s.Export(as(leader), Filter{})
		if err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows(SheetName)
		x.Close()
		if len(rows) != 2 || rows[0][0] != "登记编号" || rows[1][4] != "张三" || rows[1][5] == "110101199003071234" || !strings.Contains(rows[1][5], "*") {
			t.Fatalf("export rows: %v", rows)
		}

		tpl, err := Template()
		if err != nil {
			t.Fatal(err)
		}
		x, err = excelize.OpenReader(bytes.NewReader(tpl))
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range [][]any{
			{"区市场监管局", "当面提交", "自然人", "王五", nil, nil, nil, "某许可文件", "2026-11-03", nil, nil},
			{"区市场监管局", "邮寄", "商业企业", "某公司", nil, nil, nil, "某处罚决定", "2026-11-03", nil, nil}, // no 签收日期
			{"不存在的局", "传真", "外星人", "", nil, nil, nil, "", "2026/11/4", nil, nil},
			{"区市场监管局", "网络平台", "科研机构", "某大学", nil, nil, nil, "某统计数据", "2026-11-04", nil, "2026-11-05"},
		} {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := x.SetSheetRow(SheetName, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if err := x.Write(&buf); err != nil {
			t.Fatal(err)
		}
		x.Close()
		rep, err := f.s.Import(as(clerk), buf.Bytes(), false)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rows != 4 || rep.Valid != 2 || rep.Created != 0 || len(rep.Problems) != 6 {
			t.Fatalf("report: %+v", rep)
		}
		// By row, then by column from left (the binder's order).
		want := []string{"3 J（签收日期） 请填写签收日期", "4 A（办理机关） 找不到单位「不存在的局」", "4 C（申请人类型） 申请人类型「外星人」无效",
			"4 D（申请人） 请填写", "4 H（申请内容） 请填写", "4 K（确认日期） 请填写确认日期（通过传真提交的"}
		for i, p := range rep.Problems {
			got := strings.Join([]string{strconv.Itoa(p.Row), p.Column, p.Reason}, " ")
			if !strings.HasPrefix(got, want[i]) || p.Sheet != SheetName {
				t.Errorf("problem %d = %q, want prefix %q", i, got, want[i])
			}
		}
		page, _ := f.s.List(as(clerk), Filter{}, db.ListReq{})
		if page.Total != 1 {
			t.Fatalf("a bad batch wrote rows: %d", page.Total)
		}
		rep, err = f.s.Import(as(clerk), buf.Bytes(), true)
		if err != nil || rep.Created != 2 {
			t.Fatalf("valid only: %+v %v", rep, err)
		}
		page, _ = f.s.List(as(clerk), Filter{Channel: ChannelOnline}, db.ListReq{})
		if page.Total != 1 || page.Items[0].ReceivedOn != "2026-11-05" {
			t.Fatalf("imported online request: %+v", page.Items)
		}
	})
}
