package disclosure

import (
	"bytes"
	"context"
	"fmt"
	"strconv"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/docx"

	"github.com/xuri/excelize/v2"
)

// The annual report's table 三、收到和处理政府信息公开申请情况 in the layout
// of 国办公开办函〔2021〕30号: rows 一 to 四 by the applicant-type columns.

// AnnualColumns are the value columns: 自然人, the five kinds of 法人或其他
// 组织, and 总计.
var AnnualColumns = []string{"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"}

// AnnualRow is one row of the table: the section (first column), the
// result group (second column) and the item (third column), as printed.
type AnnualRow struct {
	Code    string `json:"code" doc:"行代码，如 withhold.state_secret"`
	Section string `json:"section" doc:"一、二、三、四"`
	Group   string `json:"group" doc:"（一）至（七），只用于第三项"`
	Label   string `json:"label" doc:"分项，如 1．属于国家秘密"`
	Values  []int  `json:"values" doc:"按 columns 的 7 个数"`
}

// AnnualTable is the computed table.
type AnnualTable struct {
	Year    int         `json:"year"`
	Columns []string    `json:"columns"`
	Rows    []AnnualRow `json:"rows"`
}

const results = "三、本年度办理结果"

// annualLayout lists the rows in the official order.
var annualLayout = func() []AnnualRow {
	rows := []AnnualRow{
		{Code: "new", Section: "一、本年新收政府信息公开申请数量"},
		{Code: "carried_in", Section: "二、上年结转政府信息公开申请数量"},
		{Code: GroupDisclose, Section: results, Group: "（一）予以公开"},
		{Code: GroupPartial, Section: results, Group: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"},
	}
	sub := func(group, code string, reasons []Option) {
		for i, o := range reasons {
			rows = append(rows, AnnualRow{Code: code + "." + o.Value, Section: results, Group: group, Label: fmt.Sprintf("%d．%s", i+1, o.Label)})
		}
	}
	np := Reasons[ReplyNotProcessed]
	sub("（三）不予公开", GroupWithhold, Reasons[ReplyWithhold])
	sub("（四）无法提供", GroupUnable, Reasons[ReplyNotExist])
	sub("（五）不予处理", GroupNotProcessed, []Option{np[0], {Value: "duplicate", Label: "重复申请"}, np[1], np[2], np[3]})
	sub("（六）其他处理", GroupOther, []Option{
		{Value: "no_correction", Label: "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"},
		{Value: "no_fee", Label: "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"},
		{Value: "other", Label: "其他"}})
	return append(rows,
		AnnualRow{Code: "total", Section: results, Group: "（七）总计"},
		AnnualRow{Code: "carried_out", Section: "四、结转下年度继续办理"})
}()

// applicantColumn is the value column of an applicant type.
func applicantColumn(t string) int {
	for i, o := range ApplicantTypes {
		if o.Value == t {
			return i
		}
	}
	return len(ApplicantTypes) - 1
}

// Annual computes the table for year within the actor's scope (a unit
// subtree when unitID > 0): new requests are those received in the year;
// carried in, those received before it and not finished before it; the
// results count what was answered or closed in the year by its row; carried
// out, those received by its end and not finished in it. So new + carried in
// = total + carried out. It reads only the year's requests (the received_on
// and done_on indexes), once a year for a report, not on a dashboard path.
// Year 0 is this year.
func (s *Service) Annual(ctx context.Context, year int, unitID int64) (*AnnualTable, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	if year == 0 { // not given: this year
		year = s.today(ctx).Year
	}
	if year < 2008 || year > 2100 {
		return nil, apperr.Field("year", "年度应为 2008 到 2100 之间的年份")
	}
	scope, args := auth.ScopeClause(a, PermRead, "r.unit_id")
	if unitID > 0 {
		scope += " AND " + inSubtree("r.unit_id")
		args = append(args, unitID)
	}
	rows, err := s.st.statRows(ctx, s.db, year, scope, args)
	if err != nil {
		return nil, err
	}
	from, to := strconv.Itoa(year)+"-01-01", strconv.Itoa(year)+"-12-31"
	t := &AnnualTable{Year: year, Columns: AnnualColumns}
	index := map[string]int{}
	for i, r := range annualLayout {
		r.Values = make([]int, len(AnnualColumns))
		t.Rows = append(t.Rows, r)
		index[r.Code] = i
	}
	add := func(code string, col int) {
		i, ok := index[code]
		if !ok {
			return
		}
		t.Rows[i].Values[col]++
		t.Rows[i].Values[len(AnnualColumns)-1]++
	}
	for _, r := range rows {
		col := applicantColumn(r.ApplicantType)
		if r.ReceivedOn >= from {
			add("new", col)
		} else {
			add("carried_in", col)
		}
		if r.DoneOn != "" && r.DoneOn <= to {
			add(r.StatRow, col)
			add("total", col)
		} else {
			add("carried_out", col)
		}
	}
	return t, nil
}

// AnnualXLSX writes the table as a workbook in the official layout: the
// two-level column header (申请人情况 / 法人或其他组织), merged section
// labels, the sub-rows beside them.
func (s *Service) AnnualXLSX(ctx context.Context, year int, unitID int64) ([]byte, error) {
	t, err := s.Annual(ctx, year, unitID)
	if err != nil {
		return nil, err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := "收到和处理政府信息公开申请情况"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	set := func(cell string, v any) {
		if err == nil {
			err = f.SetCellValue(sheet, cell, v)
		}
	}
	merge := func(a, b string) {
		if err == nil {
			err = f.MergeCell(sheet, a, b)
		}
	}
	set("A1", fmt.Sprintf("%d年度 三、收到和处理政府信息公开申请情况", year))
	merge("A1", "I1")
	set("A2", "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和")
	merge("A2", "C4")
	set("D2", "申请人情况")
	merge("D2", "J2")
	set("D3", "自然人")
	merge("D3", "D4")
	set("E3", "法人或其他组织")
	merge("E3", "I3")
	for i, c := range AnnualColumns[1:6] {
		set(cellName(4+i, 4), c)
	}
	set("J3", "总计")
	merge("J3", "J4")
	r0 := 5
	for i, row := range t.Rows {
		n := r0 + i
		set(cellName(0, n), row.Section)
		switch {
		case row.Group == "":
			merge(cellName(0, n), cellName(2, n))
		case row.Label == "":
			set(cellName(1, n), row.Group)
			merge(cellName(1, n), cellName(2, n))
		default:
			set(cellName(1, n), row.Group)
			set(cellName(2, n), row.Label)
		}
		for j, v := range row.Values {
			set(cellName(3+j, n), v)
		}
	}
	// Repeated labels down columns A and B become one merged cell, as printed.
	for col, key := range []func(AnnualRow) string{
		func(r AnnualRow) string { return r.Section },
		func(r AnnualRow) string { return r.Section + r.Group },
	} {
		for i := 0; i < len(t.Rows); {
			j := i
			for j+1 < len(t.Rows) && key(t.Rows[j+1]) == key(t.Rows[i]) && t.Rows[i].Group != "" {
				j++
			}
			if col == 1 && t.Rows[i].Label == "" {
				j = i
			}
			if j > i {
				merge(cellName(col, r0+i), cellName(col, r0+j))
			}
			i = j + 1
		}
	}
	if err != nil {
		return nil, err
	}
	style, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border: []excelize.Border{{Type: "left", Style: 1, Color: "000000"}, {Type: "right", Style: 1, Color: "000000"},
			{Type: "top", Style: 1, Color: "000000"}, {Type: "bottom", Style: 1, Color: "000000"}}})
	if err != nil {
		return nil, err
	}
	if err := f.SetCellStyle(sheet, "A2", cellName(9, r0+len(t.Rows)-1), style); err != nil {
		return nil, err
	}
	for col, w := range map[string]float64{"A": 12, "B": 16, "C": 48} {
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return nil, err
		}
	}
	if err := f.SetColWidth(sheet, "D", "J", 9); err != nil {
		return nil, err
	}
	// Rows tall enough for their wrapped labels (spreadsheet programs do not
	// grow a row for wrapped text on their own), then A4 landscape, one page
	// wide, as the table is printed in the report.
	for row, h := range map[int]float64{1: 24, 2: 20, 3: 20, 4: 32} {
		if err := f.SetRowHeight(sheet, row, h); err != nil {
			return nil, err
		}
	}
	for i, row := range t.Rows {
		text, width := row.Label, 48.0
		if row.Label == "" {
			text, width = row.Group, 64.0
		}
		lines := int(docx.Width(text)*2/width) + 1
		if err := f.SetRowHeight(sheet, r0+i, float64(16*lines)); err != nil {
			return nil, err
		}
	}
	landscape, fit, one := "landscape", true, 1
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one}); err != nil {
		return nil, err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func cellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col+1, row)
	return n
}
