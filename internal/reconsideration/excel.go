package reconsideration

import (
	"context"
	"fazhi/internal/platform/option"
	"fmt"
	"io"
	"strconv"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	xl "fazhi/internal/platform/xlsx"
)

// SheetName is the worksheet of exports and imports.
const SheetName = "行政复议案件台账"

var exportHeaders = []string{"案件编号", "申请人", "申请人类型", "身份证件号码", "联系电话", "被申请人", "被申请复议的行政行为", "行政行为文书号",
	"案件类别", "涉及款额（元）", "申请方式", "收到申请日期", "状态", "简易程序", "受理方式", "受理日期", "当前期限", "当前步骤", "是否超期",
	"决定期限", "是否延长", "决定类型", "决定日期", "决定书文号", "按期决定", "终止情形", "公开日期", "申请人起诉"}

// ExportSQL checks the actor may read the register and returns the query an
// export of flt runs (before any byte of the file is sent).
func (s *Service) ExportSQL(ctx context.Context, flt Filter) (db.ListSQL, error) {
	return s.listSQL(ctx, flt)
}

// ExportTo streams the rows of l to w as .xlsx through one cursor; personal
// data is masked for actors who only read, as on screen.
func (s *Service) ExportTo(ctx context.Context, w io.Writer, l db.ListSQL) error {
	cols := make([]xl.Column, len(exportHeaders))
	for i, h := range exportHeaders {
		cols[i] = xl.Column{Title: h}
		if strings.HasSuffix(h, "日期") || strings.HasSuffix(h, "期限") {
			cols[i].Kind = xl.Date
		}
	}
	cols[6].Width = 30
	a, today := auth.From(ctx), s.today(ctx)
	yes := func(b bool) string { return map[bool]string{true: "是", false: "否"}[b] }
	return xl.Stream(w, xl.Sheet{Name: SheetName, Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			c, err := scanCase(sc)
			if err != nil {
				return err
			}
			s.decorate(c, a, today)
			onTime := ""
			if c.OnTime != nil {
				onTime = yes(*c.OnTime)
			}
			return add(c.Code, c.ApplicantName, option.Label(ApplicantTypes, c.ApplicantType), c.ApplicantIDNumber, c.ApplicantPhone, c.UnitName,
				c.Act, c.ActRef, c.CategoryLabel, yuan(c.AmountFen), c.ChannelLabel, c.ReceivedOn, c.StatusLabel, yes(c.Simple),
				map[string]string{"accepted": "决定受理", "deemed": "视为受理"}[c.AcceptKind], c.AcceptedOn, c.DueOn, c.DueStep, yes(c.Overdue),
				c.DecideDue, yes(c.Extended), c.OutcomeLabel, decidedOn(c), c.DecisionNo, onTime, c.TerminationLabel, c.PublishedOn, yes(c.Sued))
		})
	}))
}

func decidedOn(c *Case) string {
	if c.Outcome == "" {
		return ""
	}
	return c.ConcludedOn
}

// yuan formats fen as yuan with two decimals.
func yuan(fen int64) string {
	if fen == 0 {
		return ""
	}
	return fmt.Sprintf("%d.%02d", fen/100, fen%100)
}

// parseYuan reads an amount in yuan (up to two decimals) into fen.
func parseYuan(s string) (int64, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(strings.TrimSuffix(s, "元"), ",", ""))
	if s == "" {
		return 0, true
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 1e12 {
		return 0, false
	}
	f := int64(0)
	if frac != "" {
		f, err = strconv.ParseInt((frac + "0")[:2], 10, 64)
		if err != nil || f < 0 {
			return 0, false
		}
	}
	return w*100 + f, true
}

// Import columns, found by header text.
var importColumns = []struct {
	header, field string
	required      bool
	choices       []Option
}{
	{"申请人", "applicant_name", true, nil},
	{"申请人类型", "applicant_type", false, ApplicantTypes},
	{"身份证件号码", "applicant_id_number", false, nil},
	{"联系电话", "applicant_phone", false, nil},
	{"住址", "applicant_address", false, nil},
	{"被申请人", "unit_id", true, nil},
	{"被申请复议的行政行为", "act", true, nil},
	{"行政行为文书号", "act_ref", false, nil},
	{"案件类别", "category", true, Categories},
	{"涉及款额（元）", "amount", false, nil},
	{"申请方式", "channel", true, Channels},
	{"收到申请日期", "received_on", true, nil},
	{"复议请求", "request", false, nil},
	{"简易程序", "simple", false, []Option{{Value: "true", Label: "是"}, {Value: "false", Label: "否"}}},
	{"受理日期", "accepted_on", false, nil},
	{"决定类型", "outcome", false, Outcomes},
	{"决定日期", "decided_on", false, nil},
	{"决定书文号", "decision_no", false, nil},
}

// ImportTemplate is an empty import workbook with drop-down lists and an
// instructions sheet.
func (s *Service) ImportTemplate(ctx context.Context) ([]byte, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	cols := make([]xl.Column, len(importColumns))
	for i, c := range importColumns {
		cols[i] = xl.Column{Title: c.header, Width: 14, Choices: option.Labels(c.choices)}
		if c.required {
			cols[i].Title += "*"
		}
		if strings.HasSuffix(c.header, "日期") {
			cols[i].Kind = xl.Date
		}
	}
	sheet := xl.Sheet{Name: SheetName, Title: "行政复议案件台账导入模板", Columns: cols, Instructions: []string{
		"行政复议案件台账导入说明",
		"1. 第1行为表头，请勿修改；第2行为示例，导入前请删除或替换。带 * 的列必填。",
		"2. 被申请人填写系统中的单位名称或单位编码；日期格式为 YYYY-MM-DD，也可使用 Excel 日期单元格；涉及款额以元为单位。",
		"3. 已受理的案件填写受理日期（须在收到申请后五个工作日内，按工作日历计算）；已作出决定的再填写决定类型、决定日期和决定书文号。",
		"4. 决定期限按受理日期和程序（普通 60 日、简易 30 日）自动计算；导入的历史案件不自动登记问题台账。",
		"5. 有错误的行会逐行列出（工作表、行号、列、原因）；任何一行有误时整批不导入。",
	}}
	return xl.StreamBytes(sheet, xl.Slice([][]any{{"示例：张三", "自然人", "", "", "", "区市场监管局", "罚款五万元的行政处罚决定", "示市监罚〔2026〕12号",
		"行政处罚", "50000", "当面递交", "2026-03-02", "请求撤销", "否", "2026-03-04", "维持", "2026-04-20", "示府复决〔2026〕1号"}}))
}

// ImportProblem is one bad cell (or row) of an import.
type ImportProblem struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Column string `json:"column" doc:"列号及列名"`
	Reason string `json:"reason"`
}

// ImportReport says what an import found and did.
type ImportReport struct {
	Rows     int             `json:"rows"`
	Valid    int             `json:"valid"`
	Created  int             `json:"created"`
	Problems []ImportProblem `json:"problems"`
}

// maxImportRows bounds one import (a district's year is about 400 cases).
const maxImportRows = 5000

// Import reads a year's ledger: one case per row, received, accepted or
// decided as the row says. Every bad row is reported (sheet, row, column,
// reason), and nothing is written when any row is bad.
func (s *Service) Import(ctx context.Context, data []byte) (*ImportReport, error) {
	a, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	tb, err := xl.Read(data, xl.Options{Sheet: SheetName,
		OpenMessage: "无法读取 Excel 文件，请上传 .xlsx 格式的行政复议案件台账", SheetMessage: "无法读取工作表「%s」"})
	if err != nil {
		return nil, err
	}
	fields := make([]xl.Field, len(importColumns))
	for i, c := range importColumns {
		fields[i] = xl.Field{Key: c.field, Header: c.header, Required: c.required}
	}
	bind, err := xl.Bind(tb, fields...)
	if err != nil {
		return nil, err
	}
	rep := &ImportReport{Problems: []ImportProblem{}}
	var valid []*Case
	for _, r := range bind.Records() {
		rep.Rows++
		if rep.Rows > maxImportRows {
			return nil, apperr.Field("file", "一次最多导入 %d 行，请分批导入", maxImportRows)
		}
		c, ok, err := s.importRow(ctx, a, r.Cell, r.Add)
		if err != nil {
			return nil, err
		}
		if ok {
			valid = append(valid, c)
		}
	}
	for _, p := range bind.List() {
		rep.Problems = append(rep.Problems, ImportProblem(p))
	}
	rep.Valid = len(valid)
	if len(rep.Problems) > 0 {
		return rep, nil
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		for _, c := range valid {
			if err := s.insertImported(ctx, tx, a, c); err != nil {
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

// importRow checks one row through the same rules as intake and the steps.
func (s *Service) importRow(ctx context.Context, a *auth.Actor, get func(string) string, add func(field, reason string)) (*Case, bool, error) {
	bad := false
	fail := func(field, reason string) { add(field, reason); bad = true }
	in := ApplicationInput{ApplicantName: get("applicant_name"), ApplicantType: get("applicant_type"), ApplicantIDNumber: get("applicant_id_number"),
		ApplicantPhone: get("applicant_phone"), ApplicantAddress: get("applicant_address"), Act: get("act"), ActRef: get("act_ref"),
		Category: get("category"), Channel: get("channel"), ReceivedOn: excelDate(get("received_on")), Request: get("request")}
	if fen, ok := parseYuan(get("amount")); ok {
		in.AmountFen = fen
	} else {
		fail("amount", "涉及款额「"+get("amount")+"」不是有效的金额（元，最多两位小数）")
	}
	if u := get("unit_id"); u == "" {
		fail("unit_id", "被申请人不能为空")
	} else if id, _, _, err := s.units.UnitByNameOrCode(ctx, u); err != nil {
		fail("unit_id", "被申请人「"+u+"」不是系统中的单位")
	} else {
		in.UnitID = id
	}
	if in.UnitID == 0 {
		in.UnitID = -1 // report the other columns; the unit is reported above
	}
	c, v, err := s.checkApplication(ctx, a, in)
	if err != nil {
		return nil, false, err
	}
	for _, f := range v {
		if f.Field == "unit_id" && in.UnitID < 0 {
			continue
		}
		fail(f.Field, f.Message)
	}
	// The procedure columns are checked whether or not the application
	// columns are good, so one pass reports every bad cell of the row.
	simple := false
	switch get("simple") {
	case "是", "true":
		simple = true
	case "", "否", "false":
	default:
		fail("simple", "简易程序应填“是”或“否”")
	}
	today := s.today(ctx)
	recv, _ := calendar.ParseDate(in.ReceivedOn)
	var v2 apperr.Fields
	acc := calendar.CheckDate(&v2, "accepted_on", "受理日期", excelDate(get("accepted_on")), false, calendar.Happened(recv, today))
	dec := calendar.CheckDate(&v2, "decided_on", "决定日期", excelDate(get("decided_on")), false, calendar.Happened(acc, today))
	for _, f := range v2 {
		fail(f.Field, f.Message)
	}
	outcome, no := get("outcome"), get("decision_no")
	decided := outcome != "" || get("decided_on") != "" || no != ""
	o := ""
	if decided {
		if get("accepted_on") == "" {
			fail("accepted_on", "已作出决定的案件应填写受理日期")
		}
		var ok bool
		if o, ok = option.Value(Outcomes, outcome); !ok {
			fail("outcome", fmt.Sprintf("决定类型「%s」无效，应为：%s", outcome, strings.Join(option.Labels(Outcomes), "、")))
		}
		if get("decided_on") == "" {
			fail("decided_on", "已作出决定的案件应填写决定日期")
		}
		if no == "" {
			fail("decision_no", "已作出决定的案件应填写决定书文号")
		}
	}
	if c == nil {
		return nil, false, nil
	}
	if simple {
		if len(SimpleGrounds(c)) == 0 {
			fail("simple", "不符合简易程序的适用条件（《行政复议法》第五十三条）")
		}
		c.Simple = true
	}
	if !acc.IsZero() && acc.String() > c.AcceptDue {
		fail("accepted_on", fmt.Sprintf("受理日期晚于受理审查期限 %s（收到申请后五个工作日；期满未决定的视为受理）", c.AcceptDue))
	}
	if bad {
		return nil, false, nil
	}
	c.Outcome = o
	if !acc.IsZero() {
		if _, err := s.accepted(c, acc, "accepted"); err != nil {
			fail("accepted_on", apperr.As(err).Message)
			return nil, false, nil
		}
	}
	if decided {
		c.Status, c.ConcludedOn, c.DecisionNo, c.DecisionReason, c.RepliedOn = StatusDecided, dec.String(), no, "（导入的历史案件）", ""
		c.setDue("", "")
	}
	return c, true, nil
}

// insertImported writes an imported case and then its procedure state.
func (s *Service) insertImported(ctx context.Context, tx *db.Tx, a *auth.Actor, c *Case) error {
	want := *c
	id, err := s.insert(ctx, tx, a, c, "import")
	if err != nil {
		return err
	}
	if want.Status == StatusReceived {
		return nil
	}
	want.ID, want.Code = id, c.Code
	ok, err := s.st.save(ctx, tx, &want, 1, s.clock(ctx))
	if err == nil && !ok {
		err = fmt.Errorf("reconsideration: imported case %d changed while importing", id)
	}
	return err
}

// excelDate normalizes a date cell to YYYY-MM-DD; a cell it cannot read is
// left as is for the row check to report.
func excelDate(s string) string {
	if d, ok := xl.ParseDate(s); ok && !d.IsZero() {
		return d.String()
	}
	return s
}
