package normdoc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	xl "fazhi/internal/platform/xlsx"
)

// ImportSheet is the sheet name of the import template.
const ImportSheet = "规范性文件"

// importHeader is the template's header row; * marks required columns.
var importHeader = []string{"制定主体*", "文件标题*", "文号*", "公布日期*", "施行日期", "有效期至", "报送备案日期", "备案机关", "备案审查结果", "效力状态", "摘要"}

const (
	colIssuer = iota
	colTitle
	colDocNo
	colPublished
	colEffective
	colExpires
	colFiled
	colFilingTo
	colResult
	colValidity
	colSummary
)

// ImportProblem is one bad cell or row.
type ImportProblem struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Column string `json:"column" doc:"列字母及列名，如 C（文号）"`
	Reason string `json:"reason"`
}

// ImportReport says what an import found and did.
type ImportReport struct {
	Mode     string          `json:"mode" doc:"check 只检查；all 全部无误才导入；valid 只导入无误的行"`
	Rows     int             `json:"rows" doc:"数据行数"`
	Valid    int             `json:"valid" doc:"无误的行数"`
	Imported int             `json:"imported" doc:"实际写入的行数"`
	Problems []ImportProblem `json:"problems"`
	Message  string          `json:"message"`
}

// Import modes.
const (
	ImportCheck = "check"
	ImportAll   = "all"
	ImportValid = "valid"
)

func colName(i int) string { return xl.ColumnLabel(i, importHeader[i]) }

// ImportTemplate returns the import workbook: a frozen bold header with
// drop-down lists for the coded columns (issuing body, filing-review result,
// validity), an example row and an instructions sheet listing the issuing
// bodies.
func (s *Service) ImportTemplate(ctx context.Context) ([]byte, error) {
	issuers, err := s.ListIssuers(ctx, true)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(issuers))
	for i, is := range issuers {
		names[i] = is.Name
	}
	cols := make([]xl.Column, len(importHeader))
	for i, h := range importHeader {
		cols[i] = xl.Column{Title: h, Width: 12}
	}
	for _, i := range []int{colPublished, colEffective, colExpires, colFiled} {
		cols[i].Kind = xl.Date
	}
	cols[colIssuer].Width, cols[colTitle].Width, cols[colDocNo].Width, cols[colSummary].Width = 22, 36, 20, 36
	cols[colIssuer].Choices = names
	cols[colResult].Choices = []string{"审查通过", "责令纠正", "予以撤销"}
	cols[colValidity].Choices = []string{"现行有效", "已失效", "已废止"}
	example := []any{"清河区人民政府", "清河区养老服务补贴管理办法", "清河府规〔2023〕2号", "2023-03-15", "2023-04-15", "", "2023-03-30", "清河市人民政府", "审查通过", "现行有效", "规范养老服务补贴的申请、审核和发放"}
	if len(issuers) > 0 {
		example[colIssuer] = issuers[0].Name
	}
	lines := []string{
		"规范性文件存量导入说明",
		"1. 第1行为表头，请勿修改；第2行为示例，导入前请删除或替换。",
		"2. 带 * 的列必填。日期格式为 YYYY-MM-DD（如 2023-03-15），也可使用 Excel 日期单元格。",
		"3. 制定主体须为制定主体清单中的名称（见下方，单元格内有下拉列表）。文号不得与台账中已有文号重复。",
		"4. 施行日期不填时按公布之日起30日计；有效期至不填时按施行日期起5年（暂行、试行2年）计。",
		"5. 备案审查结果填写：审查通过、责令纠正、予以撤销；效力状态填写：现行有效、已失效、已废止（不填按有效期判断）。",
		"", "制定主体清单：",
	}
	for _, is := range issuers {
		lines = append(lines, is.Name+"（文号前缀："+is.Prefix+"）")
	}
	return xl.StreamBytes(xl.Sheet{Name: ImportSheet, Title: "规范性文件导入模板", Columns: cols, Instructions: lines}, xl.Slice([][]any{example}))
}

var docNoPattern = regexp.MustCompile(`^(.+)〔(\d{4})〕(\d+)号$`)

type importRow struct {
	row int
	doc Document
}

// Import reads a workbook in the template layout. Every bad row is reported
// with its sheet, row, column and a reason in Chinese. Mode check writes
// nothing; mode all writes only when every row is valid; mode valid writes
// the valid rows.
func (s *Service) Import(ctx context.Context, data []byte, mode string) (*ImportReport, error) {
	a, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	switch mode {
	case "":
		mode = ImportCheck
	case ImportCheck, ImportAll, ImportValid:
	default:
		return nil, apperr.Field("mode", "导入方式只能为 check（只检查）、all（全部无误才导入）或 valid（只导入无误的行）")
	}
	tb, err := xl.Read(data, xl.Options{Sheet: ImportSheet, Raw: true,
		OpenMessage: "无法读取 Excel 文件，请使用下载的导入模板（.xlsx）", SheetMessage: "无法读取工作表“%s”"})
	if err != nil {
		return nil, err
	}
	rows := tb.Rows
	rep := &ImportReport{Mode: mode, Problems: []ImportProblem{}}
	probs := xl.NewProblems(tb.Sheet)
	defer func() { // every report returned below carries the problems found
		for _, p := range probs.List() {
			rep.Problems = append(rep.Problems, ImportProblem(p))
		}
	}()
	bad := func(row, col int, format string, args ...any) {
		c := ""
		if col >= 0 {
			c = colName(col)
		}
		probs.Addf(row, c, format, args...)
	}
	if len(rows) == 0 {
		bad(1, -1, "工作表为空，请使用导入模板")
		rep.Message = "文件没有内容"
		return rep, nil
	}
	for i, h := range importHeader {
		got := ""
		if i < len(rows[0]) {
			got = strings.TrimSpace(rows[0][i])
		}
		if strings.TrimSuffix(got, "*") != strings.TrimSuffix(h, "*") {
			bad(1, i, "表头应为“%s”，实际为“%s”，请使用导入模板", strings.TrimSuffix(h, "*"), got)
		}
	}
	if probs.Len() > 0 {
		rep.Message = "表头与模板不符，未导入任何数据"
		return rep, nil
	}
	issuers, err := s.store.ListIssuers(ctx, s.db, "1=1", nil, false)
	if err != nil {
		return nil, err
	}
	byName := map[string]Issuer{}
	for _, is := range issuers {
		byName[is.Name] = is
	}
	seenNo := map[string]int{}
	today := s.today(ctx)
	rule, err := s.rules.Get(FilingRule)
	if err != nil {
		return nil, err
	}
	var good []importRow
	for _, r := range tb.Data() {
		rowNo, cell := r.Num, r.Cell
		if r.BlankIn(len(importHeader)) {
			continue
		}
		rep.Rows++
		before := probs.Len()
		d := Document{Source: "import", Status: StatusPublished}
		// 制定主体
		if name := cell(colIssuer); name == "" {
			bad(rowNo, colIssuer, "制定主体不能为空")
		} else if is, ok := byName[name]; !ok {
			bad(rowNo, colIssuer, "制定主体“%s”不在制定主体清单内", name)
		} else if path, _, err := s.store.UnitInfo(ctx, s.db, is.UnitID); err != nil || !a.CanIn(PermWrite, path) {
			bad(rowNo, colIssuer, "无权导入“%s”的文件", name)
		} else {
			d.IssuerID, d.IssuerName, d.UnitID = is.ID, is.Name, is.UnitID
			if m := docNoPattern.FindStringSubmatch(cell(colDocNo)); m != nil && m[1] == is.Prefix {
				d.NumberYear, _ = strconv.Atoi(m[2])
				d.NumberSeq, _ = strconv.Atoi(m[3])
			}
		}
		d.Title = cell(colTitle)
		if d.Title == "" {
			bad(rowNo, colTitle, "文件标题不能为空")
		} else if len([]rune(d.Title)) > 200 {
			bad(rowNo, colTitle, "文件标题不能超过 200 个字")
		}
		d.DocNo = cell(colDocNo)
		if d.DocNo == "" {
			bad(rowNo, colDocNo, "文号不能为空")
		} else if first, dup := seenNo[d.DocNo]; dup {
			bad(rowNo, colDocNo, "文号“%s”与第 %d 行重复", d.DocNo, first)
		} else if exists, err := s.store.DocNoExists(ctx, s.db, d.DocNo); err != nil {
			return nil, err
		} else if exists {
			bad(rowNo, colDocNo, "文号“%s”已在台账中", d.DocNo)
		}
		if d.DocNo != "" {
			if _, dup := seenNo[d.DocNo]; !dup {
				seenNo[d.DocNo] = rowNo
			}
		}
		date := func(c int, label string, required bool) calendar.Date {
			v := cell(c)
			if v == "" {
				if required {
					bad(rowNo, c, "%s不能为空", label)
				}
				return calendar.Date{}
			}
			dt, ok := xl.ParseDate(v)
			if !ok {
				bad(rowNo, c, "%s“%s”不是有效日期，应为 YYYY-MM-DD", label, v)
			}
			return dt
		}
		pub := date(colPublished, "公布日期", true)
		eff := date(colEffective, "施行日期", false)
		exp := date(colExpires, "有效期至", false)
		filed := date(colFiled, "报送备案日期", false)
		if !pub.IsZero() {
			if pub.After(today) {
				bad(rowNo, colPublished, "公布日期 %s 晚于今天", pub)
			}
			if eff.IsZero() {
				eff = pub.AddDays(s.opt.EffectiveDelayDays)
			} else if eff.Before(pub) {
				bad(rowNo, colEffective, "施行日期 %s 早于公布日期 %s", eff, pub)
			}
			if !filed.IsZero() && filed.Before(pub) {
				bad(rowNo, colFiled, "报送备案日期 %s 早于公布日期 %s", filed, pub)
			}
			if !filed.IsZero() && filed.After(today) {
				bad(rowNo, colFiled, "报送备案日期 %s 晚于今天", filed)
			}
		}
		years := s.validYears(d.Title)
		if !eff.IsZero() {
			if exp.IsZero() {
				exp = expiry(eff, years)
			} else if !exp.After(eff) {
				bad(rowNo, colExpires, "有效期至 %s 应晚于施行日期 %s", exp, eff)
			} else if exp.After(expiry(eff, years)) {
				bad(rowNo, colExpires, "有效期至 %s 超过了%d年的有效期上限（%s）", exp, years, expiry(eff, years))
			}
		}
		d.FilingTo = cell(colFilingTo)
		if !filed.IsZero() && d.FilingTo == "" {
			bad(rowNo, colFilingTo, "已填写报送备案日期的，请填写备案机关")
		}
		switch res := cell(colResult); res {
		case "":
		case "审查通过", "通过":
			d.FilingResult = FilingPassed
		case "责令纠正", "纠正":
			d.FilingResult = FilingCorrection
		case "予以撤销", "撤销":
			d.FilingResult = FilingRevoked
		default:
			bad(rowNo, colResult, "备案审查结果“%s”无效，应为 审查通过、责令纠正 或 予以撤销", res)
		}
		if d.FilingResult != "" && filed.IsZero() {
			bad(rowNo, colResult, "未报送备案的文件不能有备案审查结果")
		}
		switch v := cell(colValidity); v {
		case "", "现行有效", "有效":
			if !exp.IsZero() && exp.Before(today) {
				d.Status, d.EndedOn, d.EndReason = StatusExpired, exp.String(), "有效期届满失效"
			}
			if v != "" && !exp.IsZero() && exp.Before(today) {
				bad(rowNo, colValidity, "效力状态为“现行有效”，但有效期已于 %s 届满", exp)
			}
		case "已失效", "失效":
			d.Status, d.EndedOn, d.EndReason = StatusExpired, exp.String(), "有效期届满失效"
		case "已废止", "废止":
			d.Status, d.EndedOn, d.EndReason = StatusRepealed, "", "导入时已废止"
		default:
			bad(rowNo, colValidity, "效力状态“%s”无效，应为 现行有效、已失效 或 已废止", v)
		}
		if d.FilingResult == FilingRevoked {
			d.Status, d.EndReason = StatusRevoked, "备案审查予以撤销"
		}
		d.Summary = cell(colSummary)
		if probs.Len() > before {
			continue
		}
		d.DraftedOn, d.PublishedOn, d.EffectiveOn, d.ExpiresOn = pub.String(), pub.String(), eff.String(), exp.String()
		d.ValidYears = years
		var clock calendar.Clock
		if err := clock.Start(rule, pub); err != nil {
			return nil, err
		}
		due, err := clock.Due(s.cal)
		if err != nil {
			return nil, err
		}
		cj, _ := json.Marshal(clock)
		d.filingClock, d.FilingDue = string(cj), due.String()
		if !filed.IsZero() {
			onTime := !filed.After(due)
			d.FiledOn, d.FiledOnTime = filed.String(), &onTime
		}
		if d.FilingResult != "" {
			d.FilingResultOn = filed.String()
		}
		if d.NumberYear != 0 {
			d.RegisteredOn = pub.String()
		}
		good = append(good, importRow{row: rowNo, doc: d})
	}
	rep.Valid = len(good)
	bad0 := rep.Rows - rep.Valid
	switch {
	case rep.Rows == 0:
		rep.Message = "文件中没有数据行"
		return rep, nil
	case mode == ImportCheck:
		rep.Message = fmt.Sprintf("共 %d 行，无误 %d 行，有问题 %d 行；仅检查，未写入", rep.Rows, rep.Valid, bad0)
		return rep, nil
	case mode == ImportAll && bad0 > 0:
		rep.Message = fmt.Sprintf("共 %d 行，其中 %d 行有问题，未导入任何数据；请修改后重新导入，或选择“只导入无误的行”", rep.Rows, bad0)
		return rep, nil
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		for _, g := range good {
			d := g.doc
			id, err := s.store.InsertDocument(ctx, tx, &d)
			if err != nil {
				if apperr.Is(err, apperr.Conflict) {
					return apperr.New(apperr.Conflict, "第 %d 行：文号“%s”已被占用，未导入任何数据", g.row, d.DocNo)
				}
				return err
			}
			d.ID = id
			if d.FilingResult != "" {
				if err := s.store.InsertFilingEvent(ctx, tx, id, initialFilingEvent(&d, actorName(ctx)+"（导入）", s.now(ctx))); err != nil {
					return err
				}
			}
			if err := s.store.IndexDocument(ctx, tx, &d); err != nil {
				return err
			}
			if err := s.scheduleReminders(ctx, tx, &d); err != nil {
				return err
			}
		}
		rep.Imported = len(good)
		return audit.Record(ctx, tx, audit.Event{Action: "normdoc.document.import", ObjectType: "normdoc", ObjectID: "",
			Summary: fmt.Sprintf("导入存量规范性文件 %d 件（共 %d 行，跳过 %d 行）", len(good), rep.Rows, bad0)})
	})
	if err != nil {
		return nil, err
	}
	rep.Message = fmt.Sprintf("已导入 %d 件", rep.Imported)
	if bad0 > 0 {
		rep.Message += fmt.Sprintf("，跳过有问题的 %d 行", bad0)
	}
	return rep, nil
}

var exportHeader = []string{"序号", "文号", "文件标题", "制定主体", "状态", "公布日期", "施行日期", "有效期至", "备案期限", "报送备案日期", "是否按期报送", "备案机关", "备案审查结果", "来源"}

// Export writes the ledger (same filters as List, every page) to Excel.
func (s *Service) Export(ctx context.Context, in ListInput) ([]byte, error) {
	var buf bytes.Buffer
	err := s.ExportTo(ctx, &buf, in)
	return buf.Bytes(), err
}

// ExportTo writes the filtered ledger as .xlsx to w, read through one
// cursor; nothing reaches w if a check fails.
func (s *Service) ExportTo(ctx context.Context, w io.Writer, in ListInput) error {
	cols := make([]xl.Column, len(exportHeader))
	for i, h := range exportHeader {
		cols[i] = xl.Column{Title: h}
		if strings.HasSuffix(h, "日期") || h == "有效期至" || h == "备案期限" {
			cols[i].Kind = xl.Date
		}
	}
	cols[2].Width = 30
	return xl.Write(w, "规范性文件台账", cols, func(add func(...any) error) error {
		return s.exportRows(ctx, in, add)
	})
}

// exportRows adds every document of the filtered ledger, numbered from 1,
// read through one cursor (no paging, no count).
func (s *Service) exportRows(ctx context.Context, in ListInput, add func(...any) error) error {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return err
	}
	w, err := s.where(ctx, a, in)
	if err != nil {
		return err
	}
	n := 0
	return s.store.EachDocument(ctx, s.db, w, func(d Document) error {
		n++
		s.label(ctx, &d)
		onTime := ""
		if d.FiledOnTime != nil {
			onTime = map[bool]string{true: "是", false: "否（逾期）"}[*d.FiledOnTime]
		}
		src := map[string]string{"system": "系统制定", "import": "存量导入"}[d.Source]
		return add(n, d.DocNo, d.Title, d.IssuerName, d.StatusLabel, d.PublishedOn, d.EffectiveOn, d.ExpiresOn, d.FilingDue, d.FiledOn, onTime,
			d.FilingTo, d.FilingResult.Label(), src)
	})
}
