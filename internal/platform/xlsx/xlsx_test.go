package xlsx

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"

	"github.com/xuri/excelize/v2"
)

func TestWriteStylesHeaderAndKeepsValues(t *testing.T) {
	cols := []Column{{Title: "编号", Width: 12}, {Title: "问题标题", Width: 40}, {Title: "数量"}}
	b, err := Bytes("问题台账", cols, func(add func(...any) error) error {
		if err := add("F-001", "未附送达回证", 3); err != nil {
			return err
		}
		return add("F-002", "超期办结", 0)
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "问题台账" {
		t.Fatalf("sheets %v", got)
	}
	rows, err := f.GetRows("问题台账")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"编号", "问题标题", "数量"}, {"F-001", "未附送达回证", "3"}, {"F-002", "超期办结", "0"}}
	if len(rows) != len(want) {
		t.Fatalf("rows %v", rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Fatalf("row %d = %v, want %v", i+1, rows[i], want[i])
		}
	}
	// Header: bold on a light fill; data cells plain.
	for _, cell := range []string{"A1", "B1", "C1"} {
		id, _ := f.GetCellStyle("问题台账", cell)
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Font == nil || !st.Font.Bold || st.Fill.Pattern != 1 || len(st.Fill.Color) != 1 || !strings.EqualFold("#"+strings.TrimPrefix(st.Fill.Color[0], "#"), HeaderFill) {
			t.Fatalf("%s style: font %+v fill %+v", cell, st.Font, st.Fill)
		}
	}
	if id, _ := f.GetCellStyle("问题台账", "A2"); id != 0 {
		t.Fatalf("data cell styled: %d", id)
	}
	if v, _ := f.GetCellValue("问题台账", "C2", excelize.Options{RawCellValue: true}); v != "3" {
		t.Fatalf("number cell %q", v)
	}
	// Widths as given; a zero width keeps the default.
	for col, w := range map[string]float64{"A": 12, "B": 40} {
		if got, _ := f.GetColWidth("问题台账", col); got != w {
			t.Fatalf("width %s = %v, want %v", col, got, w)
		}
	}
	if got, _ := f.GetColWidth("问题台账", "C"); got == 40 || got == 12 {
		t.Fatalf("width C = %v, want default", got)
	}
	// First row frozen.
	p, err := f.GetPanes("问题台账")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Freeze || p.YSplit != 1 || p.XSplit != 0 || p.TopLeftCell != "A2" {
		t.Fatalf("panes %+v", p)
	}
	// Autofilter over header and data.
	names := f.GetDefinedName()
	found := false
	for _, n := range names {
		if n.Name == "_xlnm._FilterDatabase" && strings.Contains(n.RefersTo, "$A$1:$C$3") {
			found = true
		}
	}
	if !found {
		t.Fatalf("no autofilter over A1:C3: %+v", names)
	}
}

func TestWriteEmptyLedgerAndRowError(t *testing.T) {
	b, err := Bytes("台账", []Column{{Title: "编号"}}, func(func(...any) error) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("台账")
	if len(rows) != 1 || rows[0][0] != "编号" {
		t.Fatalf("rows %v", rows)
	}
	boom := errors.New("list failed")
	if _, err := Bytes("台账", []Column{{Title: "编号"}}, func(func(...any) error) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("rows error lost: %v", err)
	}
}

// workbook builds an upload with the given sheet cells.
func workbook(t *testing.T, sheet string, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadImportReportsExactCells(t *testing.T) {
	data := workbook(t, "问题台账", [][]any{
		{"发现日期*", " 问题标题* ", "责任单位"},
		{"2026-01-05", "未附送达回证", "区市场监管局"},
		{"", "", ""}, // blank row: skipped, but row numbers keep counting
		{"2026-13-40", "", "区司法局"},
		{"2026-02-01", "超期办结", ""},
	})
	tb, err := Read(data, Options{Sheet: "问题台账"})
	if err != nil {
		t.Fatal(err)
	}
	if tb.Sheet != "问题台账" {
		t.Fatalf("sheet %q", tb.Sheet)
	}
	idx, missing := tb.Columns("问题标题", "责任单位", "发现日期", "来源编号")
	if idx["问题标题"] != 1 || idx["责任单位"] != 2 || idx["发现日期"] != 0 || len(missing) != 1 || missing[0] != "来源编号" {
		t.Fatalf("columns %v missing %v", idx, missing)
	}
	p := NewProblems(tb.Sheet)
	var nums []int
	for _, r := range tb.Data() {
		nums = append(nums, r.Num)
		if r.Cell(idx["问题标题"]) == "" {
			p.Add(r.Num, ColumnLabel(idx["问题标题"], "问题标题*"), "问题标题不能为空")
		}
		if r.Cell(idx["责任单位"]) == "" {
			p.Addf(r.Num, ColumnLabel(idx["责任单位"], "责任单位"), "%s不能为空", "责任单位")
		}
	}
	if len(nums) != 3 || nums[0] != 2 || nums[1] != 4 || nums[2] != 5 {
		t.Fatalf("data rows %v", nums)
	}
	want := []RowError{
		{Sheet: "问题台账", Row: 4, Column: "B（问题标题）", Reason: "问题标题不能为空"},
		{Sheet: "问题台账", Row: 5, Column: "C（责任单位）", Reason: "责任单位不能为空"},
	}
	got := p.List()
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("problems %+v", got)
	}
	if !p.Bad(4) || !p.Bad(5) || p.Bad(2) || p.BadRows() != 2 || p.Len() != 2 {
		t.Fatalf("bad rows wrong")
	}
	if txt := p.Text(); txt != "工作表「问题台账」第 4 行 B（问题标题）：问题标题不能为空\n工作表「问题台账」第 5 行 C（责任单位）：责任单位不能为空" {
		t.Fatalf("text %q", txt)
	}
	e := apperr.As(p.Err())
	if e == nil || e.Code != apperr.Invalid || len(e.Fields) != 2 || e.Fields[0].Field != "问题台账!4:B（问题标题）" {
		t.Fatalf("err %+v", e)
	}
	if NewProblems("x").Err() != nil || NewProblems("x").List() == nil {
		t.Fatal("empty collector must give nil error and an empty list")
	}
	if ColumnLabel(27, "") != "AB" || ColumnLabel(2, "文号*") != "C（文号）" {
		t.Fatalf("labels %q %q", ColumnLabel(27, ""), ColumnLabel(2, "文号*"))
	}
}

func TestReadFallbackAndLimits(t *testing.T) {
	data := workbook(t, "别的表", [][]any{{"编号"}, {"1"}, {"2"}, {"3"}})
	tb, err := Read(data, Options{Sheet: "问题台账"})
	if err != nil || tb.Sheet != "别的表" || len(tb.Data()) != 3 {
		t.Fatalf("fallback: %+v %v", tb, err)
	}
	if _, err := Read(data, Options{MaxRows: 2}); err == nil || !strings.Contains(err.Error(), "一次最多导入 2 行") {
		t.Fatalf("row limit: %v", err)
	}
	if _, err := Read(data, Options{MaxBytes: 10}); apperr.CodeOf(err) != apperr.TooLarge {
		t.Fatalf("size limit: %v", err)
	}
	_, err = Read([]byte("not excel"), Options{OpenMessage: "无法读取 Excel 文件，请使用导入模板"})
	e := apperr.As(err)
	if e == nil || e.Code != apperr.Invalid || e.Fields[0].Field != "file" || e.Message != "无法读取 Excel 文件，请使用导入模板" {
		t.Fatalf("open error: %+v", e)
	}
	date := workbook(t, "S", [][]any{{"日期"}, {45292.0}})
	tb, _ = Read(date, Options{Raw: true})
	if v := tb.Data()[0].Cell(0); v != "45292" {
		t.Fatalf("raw value %q", v)
	}
	r := Row{Num: 2, Cells: []string{" ", "", "x"}}
	if !r.BlankIn(2) || r.BlankIn(3) || r.Raw(5) != "" || r.Raw(0) != " " {
		t.Fatal("row helpers")
	}
}
