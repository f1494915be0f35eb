package normdoc

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"

	"github.com/xuri/excelize/v2"
)

func workbook(t *testing.T, header []string, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", ImportSheet)
	for i, h := range header {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		_ = f.SetCellValue(ImportSheet, cell, h)
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
			if err := f.SetCellValue(ImportSheet, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func countDocs(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM normdoc_documents").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportReportsEveryBadRowAndWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		existing := f.publishDoc(f.gov, "清河区政府投资项目管理办法", "", "2026-03-02") // 清河府规〔2026〕1号
		rows := [][]any{
			{"清河区人民政府", "清河区养老服务补贴管理办法", "清河府规〔2023〕2号", "2023-03-15", "", "", "2023-03-30", "清河市人民政府", "审查通过", "", "规范养老服务补贴"},
			{"清河区某某局", "清河区某某管理办法", "清河某规〔2023〕1号", "2023-04-01"},
			{"清河区人民政府", "清河区信访事项办理规定", "清河府规〔2023〕5号", "2023-02-30"},
			{"清河区民政局", "清河区殡葬管理办法", "清河府规〔2023〕2号", "2023-05-01"},
			{"清河区民政局", "清河区社会组织登记管理办法", existing.DocNo, "2023-05-01"},
			{"清河区民政局", "清河区慈善超市管理办法", "清河民规〔2023〕4号", "2023-06-01", "", "", "", "", "审查通过"},
			{"清河区民政局", "清河区居家养老服务管理办法（试行）", "清河民规〔2024〕1号", time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "", "", "2024-03-20", "清河市民政局"},
			{},
			{"清河区人民政府", "清河区城市绿化管理办法", "清河府规〔2021〕3号", "2021-01-05", "2021-02-05", "", "", "", "", "已废止"},
		}
		data := workbook(t, importHeader, rows)
		before := countDocs(t, d)

		for _, mode := range []string{ImportCheck, ImportAll} {
			rep, err := f.s.Import(f.admin, data, mode)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Imported != 0 || countDocs(t, d) != before {
				t.Fatalf("%s: wrote %d rows", mode, rep.Imported)
			}
			if rep.Rows != 8 || rep.Valid != 3 {
				t.Fatalf("%s: rows %d valid %d", mode, rep.Rows, rep.Valid)
			}
			var got []string
			for _, p := range rep.Problems {
				got = append(got, fmt.Sprintf("%s!%d:%s %s", p.Sheet, p.Row, p.Column, p.Reason))
			}
			want := []string{
				"规范性文件!3:A（制定主体） 制定主体“清河区某某局”不在制定主体清单内",
				"规范性文件!4:D（公布日期） 公布日期“2023-02-30”不是有效日期，应为 YYYY-MM-DD",
				"规范性文件!5:C（文号） 文号“清河府规〔2023〕2号”与第 2 行重复",
				"规范性文件!6:C（文号） 文号“清河府规〔2026〕1号”已在台账中",
				"规范性文件!7:I（备案审查结果） 未报送备案的文件不能有备案审查结果",
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%s problems:\n%s\nwant:\n%s", mode, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if mode == ImportAll && !strings.Contains(rep.Message, "未导入任何数据") {
				t.Fatalf("message %q", rep.Message)
			}
		}

		// The user chose to import the valid rows.
		rep, err := f.s.Import(f.admin, data, ImportValid)
		if err != nil || rep.Imported != 3 || countDocs(t, d) != before+3 {
			t.Fatalf("valid rows: %+v %v", rep, err)
		}
		docs, _, err := listPage(f.s, f.admin, ListInput{Source: "import"})
		if err != nil {
			t.Fatal(err)
		}
		byTitle := map[string]Document{}
		for _, x := range docs {
			byTitle[x.Title] = x
		}
		yl := byTitle["清河区养老服务补贴管理办法"]
		// Published 2023-03-15: filing due 2023-04-14 (30 days, a Friday), filed 03-30 on time.
		if yl.EffectiveOn != "2023-04-14" || yl.ExpiresOn != "2028-04-13" || yl.FilingDue != "2023-04-14" || yl.FiledOnTime == nil || !*yl.FiledOnTime ||
			yl.FilingResult != FilingPassed || yl.Status != StatusPublished {
			t.Fatalf("imported row 2: %+v", yl)
		}
		// The imported result is the first entry of the filing-review history
		// (stored, not only derived from the document's columns), and final.
		var events int
		if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM normdoc_filing_events WHERE document_id = ? AND result = 'passed'", yl.ID).Scan(&events); err != nil || events != 1 {
			t.Fatalf("imported result history rows %d %v", events, err)
		}
		if full, err := f.s.Get(f.admin, yl.ID); err != nil || history(full) != "result:审查通过@2023-03-30" || full.FilingNext != "" || !strings.Contains(full.FilingHistory[0].RecordedBy, "导入") {
			t.Fatalf("imported history %+v %v", full, err)
		}
		jy := byTitle["清河区居家养老服务管理办法（试行）"]
		if jy.PublishedOn != "2024-03-01" || jy.ExpiresOn != "2026-03-30" || jy.Status != StatusExpired {
			t.Fatalf("Excel date cell and 试行 validity: %+v", jy)
		}
		if lh := byTitle["清河区城市绿化管理办法"]; lh.Status != StatusRepealed {
			t.Fatalf("repealed row: %+v", lh)
		}
		// Imported numbers take part in the sequence: the next 2023 number is 3.
		next := f.publishDoc(f.gov, "清河区地名管理办法", "", "2023-06-01")
		if next.DocNo != "清河府规〔2023〕3号" {
			t.Fatalf("numbering after import: %s", next.DocNo)
		}
		// Imported documents are searchable in the public library.
		items, _, _ := publicPage(f.s, context.Background(), PublicListInput{Q: "养老"})
		if len(items) != 2 {
			t.Fatalf("library after import: %+v", items)
		}

		// A workbook that is not the template is refused at the header.
		bad := workbook(t, []string{"标题", "文号"}, [][]any{{"x", "y"}})
		rep, err = f.s.Import(f.admin, bad, ImportValid)
		if err != nil || rep.Imported != 0 || len(rep.Problems) != len(importHeader) || rep.Problems[0].Row != 1 {
			t.Fatalf("bad header: %+v %v", rep, err)
		}
		// Not an Excel file at all.
		if _, err := f.s.Import(f.admin, []byte("not excel"), ImportCheck); err == nil || !strings.Contains(err.Error(), "无法读取 Excel 文件") {
			t.Fatalf("garbage: %v", err)
		}
		// A clerk may not import another unit's documents.
		rep, err = f.s.Import(f.outsider, data, ImportCheck)
		if err != nil || rep.Valid != 0 || !strings.Contains(rep.Problems[0].Reason, "无权导入") {
			t.Fatalf("outsider: %+v %v", rep, err)
		}
	})
}

func TestExportAndTemplateReadBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		doc := f.publishDoc(f.civil, "清河区养老服务补贴管理办法", "", "2026-03-02")
		m := must[*Document](t)
		m(f.s.File(f.admin, doc.ID, FilingInput{FiledOn: "2026-04-10", FilingTo: "清河市人民政府", Version: doc.Version}))
		f.publishDoc(f.gov, "清河区信访工作规定", "", "2026-04-01")

		b, err := f.s.Export(f.admin, ListInput{IssuerID: f.civil.ID})
		if err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows("规范性文件台账")
		x.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || !slices.Equal(rows[0], exportHeader) {
			t.Fatalf("export rows %v", rows)
		}
		// Due 2026-04-01 (30 days after 03-02); filed 04-10: late.
		want := []string{"1", "清河民规〔2026〕1号", "清河区养老服务补贴管理办法", "清河区民政局", "现行有效", "2026-03-02", "2026-04-01", "2031-03-31", "2026-04-01", "2026-04-10", "否（逾期）", "清河市人民政府", "", "系统制定"}
		if !slices.Equal(rows[1][:len(want)-2], want[:len(want)-2]) || rows[1][len(rows[1])-1] != "系统制定" {
			t.Fatalf("export row:\n got %q\nwant %q", rows[1], want)
		}

		tb, err := f.s.ImportTemplate(f.admin)
		if err != nil {
			t.Fatal(err)
		}
		x, err = excelize.OpenReader(bytes.NewReader(tb))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		head, _ := x.GetRows(ImportSheet)
		help, _ := x.GetRows("填写说明")
		if !slices.Equal(head[0], importHeader) {
			t.Fatalf("template header %v", head[0])
		}
		joined := fmt.Sprint(help)
		if !strings.Contains(joined, "清河区民政局（文号前缀：清河民规）") {
			t.Fatalf("template help lacks the issuer list: %s", joined)
		}
		// Header frozen and bold; drop-down lists on the coded columns
		// (制定主体 A, 备案审查结果 I, 效力状态 J).
		panes, _ := x.GetPanes(ImportSheet)
		sid, _ := x.GetCellStyle(ImportSheet, "A1")
		st, _ := x.GetStyle(sid)
		if !panes.Freeze || panes.YSplit != 1 || st.Font == nil || !st.Font.Bold {
			t.Fatalf("template header: panes %+v font %+v", panes, st.Font)
		}
		dvs, _ := x.GetDataValidations(ImportSheet)
		lists := map[string]string{}
		for _, d := range dvs {
			lists[d.Sqref[:1]] = d.Formula1
		}
		if len(lists) != 3 || !strings.Contains(lists["I"], "审查通过,责令纠正,予以撤销") || !strings.Contains(lists["J"], "现行有效,已失效,已废止") ||
			!(strings.Contains(lists["A"], "清河区民政局") || strings.Contains(lists["A"], "'选项'!")) {
			t.Fatalf("template lists %v", lists)
		}
		// The template's example row imports cleanly in check mode.
		rep, err := f.s.Import(f.admin, tb, ImportCheck)
		if err != nil || rep.Rows != 1 || rep.Valid != 1 {
			t.Fatalf("template example: %+v %v", rep, err)
		}
	})
}
