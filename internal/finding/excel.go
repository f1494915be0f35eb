package finding

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/option"
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

// importFields are the import's columns (xlsx.Bind); keys are the fields
// check refuses, so its refusals land on their columns.
var importFields = func() []xl.Field {
	out := make([]xl.Field, len(importColumns))
	for i, c := range importColumns {
		out[i] = xl.Field{Key: c.field, Header: c.header, Required: c.required}
		if c.field == "found_on" {
			out[i].Kind = xl.DateCell
		}
	}
	return out
}()

// maxImportRows bounds one workbook.
const maxImportRows = 5000

// Import reads a workbook and registers one finding per data row. Every bad
// row is reported with sheet, row, column and reason. Nothing is written
// when any row is bad, unless validOnly ("导入无误的行") is set; then the
// valid rows are written in one transaction, the batched way (writeImport).
func (s *Service) Import(ctx context.Context, data []byte, validOnly bool) (*ImportReport, error) {
	actor, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	tb, err := xl.Read(data, xl.Options{Sheet: SheetName, MaxRows: maxImportRows,
		OpenMessage: "无法读取 Excel 文件，请上传 .xlsx 格式的问题台账", SheetMessage: "无法读取工作表「%s」"})
	if err != nil {
		return nil, err
	}
	b, err := xl.Bind(tb, importFields...)
	if err != nil {
		return nil, err
	}
	rep := &ImportReport{Problems: []ImportProblem{}}
	var valid []*checked
	cc := newCheckCache()
	// Units are named by name or code: each text resolved once a workbook.
	type unitHit struct {
		u   UnitInfo
		msg string
	}
	units := map[string]unitHit{}
	for _, r := range b.Records() {
		rep.Rows++
		in := CreateInput{Title: r.Text("title"), Description: r.Text("description"), Source: r.Text("source"),
			SourceRef: r.Text("source_ref"), Severity: r.Text("severity"), FoundOn: r.Date("found_on")}
		if unitText := r.Text("unit_id"); unitText != "" {
			hit, ok := units[unitText]
			if !ok {
				u, err := s.dir.UnitByNameOrCode(ctx, s.db, unitText)
				if err != nil {
					if apperr.CodeOf(err) == apperr.Internal {
						return nil, err
					}
					hit.msg = apperr.As(err).Message
				}
				hit.u = u
				units[unitText] = hit
			}
			if hit.msg != "" {
				r.Add("unit_id", hit.msg)
			} else {
				in.UnitID = hit.u.ID
			}
		}
		if in.UnitID <= 0 {
			in.UnitID = -1 // still check the other columns; the unit is reported already
		}
		c, bad, err := s.checkWith(ctx, s.db, actor, in, cc)
		if err != nil {
			return nil, err
		}
		r.Report(bad.Err(), nil, "")
		if c != nil && !r.Bad() {
			valid = append(valid, c)
		}
	}
	for _, p := range b.List() {
		rep.Problems = append(rep.Problems, ImportProblem(p))
	}
	rep.Valid = len(valid)
	if len(rep.Problems) > 0 && !validOnly {
		return rep, nil
	}
	if err := s.writeImport(ctx, actor, valid); err != nil {
		return nil, err
	}
	rep.Created = len(valid)
	return rep, nil
}

// writeImport writes checked findings in one transaction the one batched
// way (issue 11): ids reserved so each row carries its number, multi-row
// INSERTs of the findings and their timeline lines, the counters moved for
// the batch, one audit event per finding chained in one statement, and the
// rectification reminders and escalations enqueued in a few statements —
// what Create writes for each, without a statement per row.
func (s *Service) writeImport(ctx context.Context, actor *auth.Actor, cs []*checked) error {
	if len(cs) == 0 {
		return nil
	}
	now := s.clock(ctx)
	at := now.UTC()
	actorID, actorName := int64(0), "系统"
	if !actor.System {
		actorID, actorName = actor.UserID, cmp.Or(actor.Name, actor.Username)
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		ids, err := db.ReserveIDs(ctx, tx, "findings", len(cs))
		if err != nil {
			return err
		}
		fs := make([]*Finding, len(cs))
		rows := make([][]any, len(cs))
		events := make([][]any, len(cs))
		evs := make([]audit.Event, len(cs))
		for i, c := range cs {
			f := &Finding{ID: ids[i], Code: fmt.Sprintf("WT%d-%05d", c.found.Year, ids[i]), Title: c.in.Title, Description: c.in.Description,
				Source: c.in.Source, SourceRef: c.in.SourceRef, UnitID: c.unit.ID, UnitName: c.unit.Name, Severity: c.in.Severity,
				FoundOn: c.found.String(), RectifyDue: c.due.String(), DueExplain: c.explain, DueProvisional: c.prov,
				Status: string(StatusOpen), CreatedBy: actor.UserID, CreatedAt: at, UpdatedAt: at, Version: 1, unitPath: c.unit.Path}
			s.decorate(f)
			fs[i] = f
			rows[i] = []any{f.ID, f.Code, f.Title, f.Description, f.Source, f.SourceRef, f.UnitID, f.Severity, f.FoundOn, f.RectifyDue,
				f.DueExplain, boolInt(f.DueProvisional), nil, f.CreatedBy, at, at}
			note := "整改期限 " + f.RectifyDue
			events[i] = []any{f.ID, at, actorID, actorName, "import", note}
			evs[i] = auditEvent(f, "import", note)
			evs[i].After = f
		}
		if err := db.InsertMany(ctx, tx, "findings", []string{"id", "code", "title", "description", "source", "source_ref", "unit_id",
			"severity", "found_on", "rectify_due", "due_explain", "due_provisional", "previous_id", "created_by", "created_at", "updated_at"}, rows); err != nil {
			return err
		}
		if err := FigureTally.AddedBatch(ctx, tx, ids); err != nil {
			return err
		}
		if err := db.InsertMany(ctx, tx, "finding_events", []string{"finding_id", "at", "actor_id", "actor_name", "action", "note"}, events); err != nil {
			return err
		}
		if err := audit.RecordBatch(ctx, tx, evs); err != nil {
			return err
		}
		return s.scheduleClocks(ctx, tx, fs)
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// excelDate normalizes a date cell to YYYY-MM-DD (xlsx.ParseDate); a cell
// it cannot read is left as is for the row check to report.
func excelDate(s string) string {
	if d, ok := xl.ParseDate(s); ok && !d.IsZero() {
		return d.String()
	}
	return s
}
