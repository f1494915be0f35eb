package finding

import (
	"bytes"
	"context"
	"fazhi/internal/platform/option"
	"io"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	xl "fazhi/internal/platform/xlsx"
)

// SheetName is the worksheet of exports and imports.
const SheetName = "问题台账"

var exportHeaders = []string{"编号", "问题标题", "问题描述", "问题来源", "来源编号", "责任单位", "严重程度", "发现日期", "整改期限",
	"状态", "是否超期", "整改措施", "整改完成日期", "销号日期", "回头看期限", "回头看日期", "回头看结论", "原问题编号"}

// Export writes the filtered ledger (within scope) as .xlsx into memory (for
// tests and small callers; the HTTP export streams with ExportTo).
func (s *Service) Export(ctx context.Context, flt Filter) ([]byte, error) {
	l, err := s.listSQL(ctx, flt)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = s.ExportTo(ctx, &buf, l)
	return buf.Bytes(), err
}

// ExportSQL checks the actor may read the ledger and returns the query an
// export of flt runs (before any byte of the file is sent).
func (s *Service) ExportSQL(ctx context.Context, flt Filter) (db.ListSQL, error) {
	return s.listSQL(ctx, flt)
}

// ExportTo writes the ledger rows of l to w as .xlsx, reading them through
// one cursor (no paging, no count) into the streaming writer: memory stays
// flat at any size.
func (s *Service) ExportTo(ctx context.Context, w io.Writer, l db.ListSQL) error {
	cols := make([]xl.Column, len(exportHeaders))
	for i, h := range exportHeaders {
		cols[i] = xl.Column{Title: h}
		if strings.HasSuffix(h, "日期") || strings.HasSuffix(h, "期限") {
			cols[i].Kind = xl.Date
		}
	}
	cols[1].Width, cols[2].Width = 30, 30
	return xl.Stream(w, xl.Sheet{Name: SheetName, Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			it, err := s.scanListed(sc)
			if err != nil {
				return err
			}
			return add(exportRow(&it)...)
		})
	}))
}

// exportRow is one finding as the ledger's export columns.
func exportRow(it *Finding) []any {
	overdue := "否"
	if it.Overdue {
		overdue = "是"
	}
	recheck := ""
	switch it.RecheckResult {
	case RecheckOK:
		recheck = "整改成效巩固"
	case RecheckRecurred:
		recheck = "问题反弹"
	}
	return []any{it.Code, it.Title, it.Description, it.SourceLabel, it.SourceRef, it.UnitName, it.SeverityLabel,
		it.FoundOn, it.RectifyDue, it.StatusLabel, overdue, it.Measures, it.RectifiedOn, it.ClosedOn, it.RecheckDue, it.RecheckedOn,
		recheck, it.PreviousCode}
}

// ImportProblem is one bad cell (or row) of an import.
type ImportProblem struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Column string `json:"column" doc:"列号及列名，如 D（问题来源）"`
	Reason string `json:"reason"`
}

// ImportReport says what an import found and did.
type ImportReport struct {
	Rows     int             `json:"rows" doc:"数据行数"`
	Valid    int             `json:"valid" doc:"无误的行数"`
	Created  int             `json:"created" doc:"已导入的行数"`
	Problems []ImportProblem `json:"problems"`
}

// Import columns: found by header text, so the export file (or a template
// with these headers in any order) can be filled in and imported back.
var importColumns = []struct {
	header   string
	field    string
	required bool
}{
	{"问题标题", "title", true},
	{"问题描述", "description", false},
	{"问题来源", "source", true},
	{"来源编号", "source_ref", false},
	{"责任单位", "unit_id", true},
	{"严重程度", "severity", true},
	{"发现日期", "found_on", true},
}

// Template is an empty import workbook: the import columns (coded ones
// with drop-down lists), one example row and an instructions sheet.
func Template() ([]byte, error) {
	cols := make([]xl.Column, len(importColumns))
	for i, c := range importColumns {
		cols[i] = xl.Column{Title: c.header, Width: 14}
		if c.required {
			cols[i].Title += "*"
		}
		switch c.field {
		case "source":
			cols[i].Choices = option.Labels(Sources)
		case "severity":
			cols[i].Choices = option.Labels(Severities)
		case "found_on":
			cols[i].Kind = xl.Date
		}
	}
	cols[0].Width = 40
	sheet := xl.Sheet{Name: SheetName, Title: "问题台账导入模板", Columns: cols, Instructions: []string{
		"问题台账导入说明",
		"1. 第1行为表头，请勿修改；第2行为示例，导入前请删除或替换。",
		"2. 带 * 的列必填。",
		"3. 问题来源可选：" + option.Joined(Sources) + "（单元格内有下拉列表）。",
		"4. 严重程度可选：" + option.Joined(Severities) + "（单元格内有下拉列表）。",
		"5. 责任单位填写系统中的单位名称或单位编码。",
		"6. 发现日期格式为 YYYY-MM-DD（如 2026-03-15），也可使用 Excel 日期单元格。",
		"7. 有错误的行会逐行列出（工作表、行号、列、原因）；默认全部无误才导入，也可选择只导入无误的行。",
	}}
	return xl.StreamBytes(sheet, xl.Slice([][]any{{"示例：行政处罚案卷未附送达回证", nil, "案卷评查", nil, "区市场监管局", "一般",
		time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")}}))
}

// Import reads a workbook and registers one finding per data row. Every bad
// row is reported with sheet, row, column and reason. Nothing is written
// when any row is bad, unless validOnly ("导入无误的行") is set; then the
// valid rows are written in one transaction.
func (s *Service) Import(ctx context.Context, data []byte, validOnly bool) (*ImportReport, error) {
	actor, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	tb, err := xl.Read(data, xl.Options{Sheet: SheetName,
		OpenMessage: "无法读取 Excel 文件，请上传 .xlsx 格式的问题台账", SheetMessage: "无法读取工作表「%s」"})
	if err != nil {
		return nil, err
	}
	sheet := tb.Sheet
	rep := &ImportReport{Problems: []ImportProblem{}}
	if len(tb.Rows) == 0 {
		return nil, apperr.Field("file", "工作表「%s」是空的", sheet)
	}
	headers := make([]string, len(importColumns))
	for i, c := range importColumns {
		headers[i] = c.header
	}
	byHeader, _ := tb.Columns(headers...)
	col := map[string]int{}
	var missing []string
	for _, c := range importColumns {
		if i, ok := byHeader[c.header]; ok {
			col[c.field] = i
		} else if c.required {
			missing = append(missing, c.header)
		}
	}
	if len(missing) > 0 {
		return nil, apperr.Field("file", "工作表「%s」第 1 行缺少列：%s（请使用导入模板）", sheet, strings.Join(missing, "、"))
	}
	colName := func(field string) string {
		for _, c := range importColumns {
			if c.field == field {
				return xl.ColumnLabel(col[field], c.header)
			}
		}
		return xl.ColumnLabel(col[field], "")
	}
	get := func(r xl.Row, field string) string {
		i, ok := col[field]
		if !ok {
			return ""
		}
		return r.Cell(i)
	}
	var valid []*checked
	const maxRows = 5000
	probs := xl.NewProblems(sheet)
	for _, r := range tb.Data() {
		rep.Rows++
		if rep.Rows > maxRows {
			return nil, apperr.Field("file", "一次最多导入 %d 行，请分批导入", maxRows)
		}
		in := CreateInput{Title: get(r, "title"), Description: get(r, "description"), Source: get(r, "source"),
			SourceRef: get(r, "source_ref"), Severity: get(r, "severity"), FoundOn: excelDate(get(r, "found_on"))}
		add := func(field, reason string) { probs.Add(r.Num, colName(field), reason) }
		unitText := get(r, "unit_id")
		if unitText == "" {
			add("unit_id", "责任单位不能为空")
		} else if u, err := s.dir.UnitByNameOrCode(ctx, s.db, unitText); err != nil {
			if apperr.CodeOf(err) == apperr.Internal {
				return nil, err
			}
			add("unit_id", apperr.As(err).Message)
		} else {
			in.UnitID = u.ID
		}
		if get(r, "found_on") == "" {
			add("found_on", "发现日期不能为空")
		}
		if in.UnitID > 0 && get(r, "found_on") != "" {
			c, bad, err := s.check(ctx, s.db, actor, in)
			if err != nil {
				return nil, err
			}
			for _, b := range bad {
				add(b.Field, b.Message)
			}
			if len(bad) == 0 {
				valid = append(valid, c)
			}
		} else {
			// Still report the other columns' problems on this row.
			probe := in
			probe.UnitID = -1
			_, bad, err := s.check(ctx, s.db, actor, probe)
			if err != nil {
				return nil, err
			}
			for _, b := range bad {
				if b.Field != "unit_id" && !(b.Field == "found_on" && get(r, "found_on") == "") {
					add(b.Field, b.Message)
				}
			}
		}
	}
	for _, p := range probs.List() {
		rep.Problems = append(rep.Problems, ImportProblem(p))
	}
	rep.Valid = len(valid)
	if rep.Rows == 0 {
		return nil, apperr.Field("file", "工作表「%s」没有数据行", sheet)
	}
	if len(rep.Problems) > 0 && !validOnly {
		return rep, nil
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		for _, c := range valid {
			if _, err := s.insert(ctx, tx, actor, c, "import"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	rep.Created = len(valid)
	return rep, nil
}

// excelDate normalizes a date cell to YYYY-MM-DD (xlsx.ParseDate); a cell
// it cannot read is left as is for the row check to report.
func excelDate(s string) string {
	if d, ok := xl.ParseDate(s); ok && !d.IsZero() {
		return d.String()
	}
	return s
}
