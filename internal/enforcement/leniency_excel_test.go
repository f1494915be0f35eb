package enforcement

import (
	"bytes"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	xl "fazhi/internal/platform/xlsx"

	"github.com/xuri/excelize/v2"
)

func leniencyBook(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetSheetName("Sheet1", LeniencySheet)
	head := []any{"违法行为*", "法律依据*", "类型*", "适用条件", "从轻处罚罚款上限（元）"}
	_ = f.SetSheetRow(LeniencySheet, "A1", &head)
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		_ = f.SetSheetRow(LeniencySheet, cell, &r)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A list's items imported from Excel: every bad row is reported by sheet,
// row, column and reason and nothing is written; the fixed file creates
// the list; its export reads back and, imported again over the version in
// force, makes the next version; another unit's body or list is not found.
func TestLeniencyExcel(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		head := LeniencyImport{BodyID: f.body.ID, Title: "市场监管领域轻微违法行为不予处罚清单", GrantingDoc: "清市监发〔2026〕3号", EffectiveFrom: "2026-01-01"}
		good := [][]any{
			{"未按规定公示营业执照", "《市场主体登记管理条例》第四十八条", "不予处罚", "初次违法、危害后果轻微", ""},
			{"未按规定标注食品生产日期", "《食品安全法》第一百二十五条", "exempt", "first", ""},
			{"销售标签瑕疵食品", "《食品安全法》第一百二十五条", "从轻处罚", "", "2000"},
		}
		bad := [][]any{
			good[0],
			{"未按规定标注食品生产日期", "《食品安全法》第一百二十五条", "免予处罚", "", ""}, // no condition
			{"销售标签瑕疵食品", "", "从轻处罚", "", "-5"},                 // no basis, negative amount
			{"某行为", "某依据", "罚款", "偶然违法", ""},                   // unknown kind and condition
		}
		rep, err := f.s.ImportLeniencyList(f.clerk, leniencyBook(t, bad), head)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, p := range rep.Problems {
			if p.Sheet != LeniencySheet {
				t.Fatalf("problem sheet %+v", p)
			}
			got[p.Column+"@"+string(rune('0'+p.Row))] = true
		}
		for _, want := range []string{"D（适用条件）@3", "B（法律依据）@4", "E（从轻处罚罚款上限（元））@4", "C（类型）@5", "D（适用条件）@5"} {
			if !got[want] {
				t.Errorf("missing problem %s in %+v", want, rep.Problems)
			}
		}
		if rep.Rows != 4 || rep.Valid != 1 || rep.Created != 0 || f.count("SELECT COUNT(*) FROM enforcement_leniency_lists") != 0 {
			t.Fatalf("bad batch: %+v, lists %d", rep, f.count("SELECT COUNT(*) FROM enforcement_leniency_lists"))
		}
		check := head
		check.Mode = "check"
		if rep, err = f.s.ImportLeniencyList(f.clerk, leniencyBook(t, good), check); err != nil || len(rep.Problems) != 0 || rep.Created != 0 ||
			f.count("SELECT COUNT(*) FROM enforcement_leniency_lists") != 0 {
			t.Fatalf("check only: %+v %v", rep, err)
		}
		if _, err := f.s.ImportLeniencyList(f.outsider, leniencyBook(t, good), head); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another unit's body: %v", err)
		}
		rep, err = f.s.ImportLeniencyList(f.clerk, leniencyBook(t, good), head)
		if err != nil || rep.Created != 3 || rep.ListID == 0 {
			t.Fatalf("good batch: %+v %v", rep, err)
		}
		l, err := f.s.GetLeniencyList(f.clerk, rep.ListID)
		if err != nil {
			t.Fatal(err)
		}
		if it := l.Items[0]; it.Kind != "no_penalty" || strings.Join(it.Conditions, ",") != "first,minor" || l.Items[2].LightMaxFen != 2000_00 {
			t.Fatalf("imported items: %+v", l.Items)
		}

		var out bytes.Buffer
		if err := f.s.ExportLeniencyList(f.clerk, &out, l.ID); err != nil {
			t.Fatal(err)
		}
		tb, err := xl.Read(out.Bytes(), xl.Options{Sheet: LeniencySheet})
		if err != nil {
			t.Fatal(err)
		}
		data := tb.Data()
		if len(data) != 3 || data[0].Cell(1) != "未按规定公示营业执照" || data[0].Cell(3) != "不予处罚" || data[0].Cell(4) != "初次违法、危害后果轻微" || data[2].Cell(5) != "2000" {
			t.Fatalf("export: %+v", data)
		}
		if err := f.s.ExportLeniencyList(f.outsider, &out, l.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("export of another unit's list: %v", err)
		}
		// The export, imported over the version in force: version 2.
		rev := LeniencyImport{ListID: l.ID, Title: l.Title, GrantingDoc: "清市监发〔2026〕9号", EffectiveFrom: "2026-12-15", Version: l.Version}
		if _, err := f.s.ImportLeniencyList(f.outsider, out.Bytes(), rev); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("revision of another unit's list: %v", err)
		}
		rep, err = f.s.ImportLeniencyList(f.clerk, out.Bytes(), rev)
		if err != nil || rep.Created != 3 || rep.ListID == l.ID {
			t.Fatalf("revision: %+v %v", rep, err)
		}
		v2, err := f.s.GetLeniencyList(f.clerk, rep.ListID)
		if err != nil || v2.ListVersion != 2 || v2.ListNo != l.ListNo || len(v2.Items) != 3 {
			t.Fatalf("version 2: %+v %v", v2, err)
		}
		if _, err := f.s.ImportLeniencyList(f.clerk, out.Bytes(), rev); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("stale revision: %v", err)
		}
		if _, err := f.s.ImportLeniencyList(f.clerk, []byte("not a workbook\x00"), head); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("not a workbook: %v", err)
		}
		if _, err := LeniencyTemplate(); err != nil {
			t.Fatal(err)
		}
	})
}
