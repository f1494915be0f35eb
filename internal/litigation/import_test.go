package litigation

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

func workbook(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", SheetName)
	header := []any{}
	for _, c := range importColumns {
		header = append(header, c.header)
	}
	if err := f.SetSheetRow(SheetName, "A1", &header); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(SheetName, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// row is a good import row: case no, court, cause, instance, plaintiff,
// type, id, phone, address, defendant, act, ref, received, defence,
// evidence, hearing, appearance, attendee, outcome, judged, judgement no.
func row(edit func(r []any)) []any {
	r := []any{"（2026）示0102行初1号", "示范区人民法院", "行政处罚", "一审", "王五", "自然人", "", "", "", "区市场监管局", "罚款决定", "",
		"2026-02-04", "2026-02-20", "2026-02-24", "2026-03-20", "分管负责人出庭", "李副局长", "胜诉", "2026-04-10", "（2026）示0102行初1号"}
	if edit != nil {
		edit(r)
	}
	return r
}

// TestImport: every bad row is reported by sheet, row, column and reason,
// and nothing of a bad batch is written; a good batch lands with its
// deadlines from the calendar, its hearing and its outcome.
func TestImport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := f.as(handler, "2026-06-30")
		count := func(table string) int {
			var n int
			if err := d.QueryRow(f.ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		bad := workbook(t,
			row(nil),
			row(func(r []any) { r[9] = "不存在的局" }),                    // row 3: unknown defendant
			row(func(r []any) { r[12] = "2026-13-40"; r[3] = "三审" }), // row 4: bad date, bad instance
			row(func(r []any) { r[15], r[16] = "", "" }),             // row 5: judged without a hearing
			row(func(r []any) { r[17] = "" }),                        // row 6: deputy without a name
			row(func(r []any) { r[19] = "2026-03-01" }),              // row 7: judged before the hearing
			row(func(r []any) { r[12] = "2027-01-01" }),              // row 8: receipt in the future
			row(func(r []any) { r[10] = strings.Repeat("罚", 301) }),  // row 9: overlong
		)
		rep, err := f.s.Import(ctx, bad)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 0 || count("litigation_cases") != 0 || count("litigation_hearings") != 0 {
			t.Fatalf("a bad batch wrote: %+v", rep)
		}
		want := map[int]string{3: "被告", 4: "审级", 5: "开庭日期", 6: "出庭人员", 7: "裁判日期", 8: "收到起诉状副本日期", 9: "被诉行政行为"}
		got := map[int]bool{}
		for _, p := range rep.Problems {
			if p.Sheet != SheetName || p.Reason == "" {
				t.Fatalf("problem without sheet or reason: %+v", p)
			}
			if col, ok := want[p.Row]; ok && strings.Contains(p.Column, col) {
				got[p.Row] = true
			}
			if p.Row == 2 {
				t.Fatalf("the good row was reported: %+v", p)
			}
		}
		for r, col := range want {
			if !got[r] {
				t.Errorf("row %d: no problem in column %s; problems %+v", r, col, rep.Problems)
			}
		}
		if rep.Rows != 8 || rep.Valid != 1 {
			t.Fatalf("rows %d valid %d", rep.Rows, rep.Valid)
		}

		good := workbook(t, row(nil), row(func(r []any) {
			r[0], r[4], r[15], r[16], r[17], r[18], r[19], r[20] = "（2026）示0102行初2号", "赵六", "", "", "", "原告撤诉", "2026-03-01", ""
		}))
		rep, err = f.s.Import(ctx, good)
		if err != nil || rep.Created != 2 || len(rep.Problems) != 0 {
			t.Fatalf("good import: %v %+v", err, rep)
		}
		p, err := f.s.List(ctx, Filter{Q: "行初1号"}, db.ListReq{})
		if err != nil || len(p.Items) != 1 {
			t.Fatalf("imported lawsuit not listed: %v %+v", err, p)
		}
		c, err := f.s.Get(ctx, p.Items[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.DefenceDue != "2026-02-24" || c.Outcome != "won" || len(c.Hearings) != 1 || c.Hearings[0].Appearance != "deputy" || c.DefenceLate {
			t.Fatalf("imported lawsuit %+v", c)
		}
		if count("litigation_hearings") != 1 {
			t.Fatalf("hearings %d, want 1", count("litigation_hearings"))
		}
	})
}
