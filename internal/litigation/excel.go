package litigation

import (
	"context"
	"fmt"
	"io"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/option"
	xl "fazhi/internal/platform/xlsx"
)

// SheetName is the worksheet of exports and imports.
const SheetName = "行政应诉案件台账"

var exportHeaders = []string{"案件编号", "案号", "受理法院", "案由", "审级", "原告", "身份证件号码", "联系电话", "被告", "被诉行政行为",
	"行政行为文书号", "关联复议案件", "关联执法案件", "收到起诉状副本日期", "答辩举证期限", "答辩状提交日期", "证据提交日期", "答辩举证逾期",
	"已开庭次数", "状态", "裁判结果", "裁判日期", "裁判文书号", "败诉风险", "司法建议收到日期", "司法建议回复期限", "司法建议回复日期",
	"复查期限", "复查办结日期"}

// ExportTo streams the rows of l to w as .xlsx through one cursor;
// personal data is masked for actors who only read, as on screen.
func (s *Service) ExportTo(ctx context.Context, w io.Writer, l db.ListSQL) error {
	cols := make([]xl.Column, len(exportHeaders))
	for i, h := range exportHeaders {
		cols[i] = xl.Column{Title: h}
		if strings.HasSuffix(h, "日期") || strings.HasSuffix(h, "期限") {
			cols[i].Kind = xl.Date
		}
	}
	cols[9].Width = 30
	a, today := auth.From(ctx), s.today(ctx)
	yes := func(b bool) string { return map[bool]string{true: "是", false: "否"}[b] }
	return xl.Stream(w, xl.Sheet{Name: SheetName, Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			c, err := scanCase(sc)
			if err != nil {
				return err
			}
			s.decorate(c, a, today)
			var risks []string
			for _, r := range c.Risks {
				risks = append(risks, r.Label)
			}
			return add(c.Code, c.CaseNo, c.Court, c.Cause, c.InstanceLabel, c.PlaintiffName, c.PlaintiffIDNumber, c.PlaintiffPhone, c.UnitName,
				c.Act, c.ActRef, c.ReconCode, c.EnforcementCode, c.ReceivedOn, c.DefenceDue, c.DefenceOn, c.EvidenceOn, yes(c.DefenceLate),
				c.HearingsHeld, c.StatusLabel, c.OutcomeLabel, c.JudgedOn, c.JudgementNo, strings.Join(risks, "；"), c.SuggestionOn,
				c.SuggestionDue, c.SuggestionReplyOn, c.ReviewDue, c.ReviewOn)
		})
	}))
}

// Import columns, found by header text.
var importColumns = []struct {
	header, field string
	required      bool
	choices       []Option
}{
	{"案号", "case_no", false, nil},
	{"受理法院", "court", true, nil},
	{"案由", "cause", false, nil},
	{"审级", "instance", true, Instances},
	{"原告", "plaintiff_name", true, nil},
	{"原告类型", "plaintiff_type", false, PlaintiffTypes},
	{"身份证件号码", "plaintiff_id_number", false, nil},
	{"联系电话", "plaintiff_phone", false, nil},
	{"住址", "plaintiff_address", false, nil},
	{"被告", "unit_id", true, nil},
	{"被诉行政行为", "act", true, nil},
	{"行政行为文书号", "act_ref", false, nil},
	{"收到起诉状副本日期", "received_on", true, nil},
	{"答辩状提交日期", "defence_on", false, nil},
	{"证据提交日期", "evidence_on", false, nil},
	{"开庭日期", "held_on", false, nil},
	{"出庭情况", "appearance", false, Appearances},
	{"出庭人员", "attendee", false, nil},
	{"裁判结果", "outcome", false, Outcomes},
	{"裁判日期", "judged_on", false, nil},
	{"裁判文书号", "judgement_no", false, nil},
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
	sheet := xl.Sheet{Name: SheetName, Title: "行政应诉案件台账导入模板", Columns: cols, Instructions: []string{
		"行政应诉案件台账导入说明",
		"1. 第1行为表头，请勿修改；第2行为示例，导入前请删除或替换。带 * 的列必填。",
		"2. 被告填写系统中的单位名称或单位编码；日期格式为 YYYY-MM-DD，也可使用 Excel 日期单元格。",
		"3. 答辩举证期限按收到起诉状副本日期自动计算（十五日，届满日为法定休假日的顺延）。",
		"4. 已开庭的案件填写开庭日期和出庭情况（正职或分管负责人出庭的填写出庭人员）；每行登记一次庭审，其余庭审导入后在案件页登记。",
		"5. 已结案的填写裁判结果和裁判日期；除原告撤诉外须已开庭。导入的历史案件不自动登记问题台账，败诉案件请在案件页办结复查。",
		"6. 有错误的行会逐行列出（工作表、行号、列、原因）；任何一行有误时整批不导入。",
	}}
	return xl.StreamBytes(sheet, xl.Slice([][]any{{"（2026）示0102行初12号", "示范区人民法院", "行政处罚", "一审", "示例：张三", "自然人", "", "", "",
		"区市场监管局", "罚款五万元的行政处罚决定", "示市监罚〔2026〕12号", "2026-03-02", "2026-03-12", "2026-03-12", "2026-04-20",
		"分管负责人出庭", "李四（副局长）", "胜诉", "2026-05-20", "（2026）示0102行初12号"}}))
}

// ImportProblem is one bad cell (or row) of an import.
type ImportProblem = xl.RowError

// ImportReport says what an import found and did.
type ImportReport struct {
	Rows     int             `json:"rows"`
	Valid    int             `json:"valid"`
	Created  int             `json:"created"`
	Problems []ImportProblem `json:"problems"`
}

// maxImportRows bounds one import (a district's year is a few hundred
// lawsuits).
const maxImportRows = 5000

// imported is one good row: the lawsuit and its one hearing.
type imported struct {
	c       *Case
	hearing *Hearing
}

// Import reads a year's ledger: one lawsuit per row, with its defence
// dates, one hearing and the outcome as the row says. Every bad row is
// reported (sheet, row, column, reason), and nothing is written when any
// row is bad.
func (s *Service) Import(ctx context.Context, data []byte) (*ImportReport, error) {
	a, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	tb, err := xl.Read(data, xl.Options{Sheet: SheetName,
		OpenMessage: "无法读取 Excel 文件，请上传 .xlsx 格式的行政应诉案件台账", SheetMessage: "无法读取工作表「%s」"})
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
	var valid []imported
	for _, r := range bind.Records() {
		rep.Rows++
		if rep.Rows > maxImportRows {
			return nil, apperr.Field("file", "一次最多导入 %d 行，请分批导入", maxImportRows)
		}
		im, ok, err := s.importRow(ctx, a, r.Cell, r.Add)
		if err != nil {
			return nil, err
		}
		if ok {
			valid = append(valid, im)
		}
	}
	rep.Problems = append(rep.Problems, bind.List()...)
	rep.Valid = len(valid)
	if len(rep.Problems) > 0 {
		return rep, nil
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		for _, im := range valid {
			if err := s.insertImported(ctx, tx, a, im); err != nil {
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

// importRow checks one row through the same rules as intake, hearings and
// the steps; every bad cell of the row is reported in one pass.
func (s *Service) importRow(ctx context.Context, a *auth.Actor, get func(string) string, add func(field, reason string)) (imported, bool, error) {
	bad := false
	fail := func(field, reason string) { add(field, reason); bad = true }
	instance := get("instance")
	if v, ok := option.Value(Instances, instance); ok {
		instance = v
	}
	ptype := get("plaintiff_type")
	if v, ok := option.Value(PlaintiffTypes, ptype); ok {
		ptype = v
	}
	in := CaseInput{CaseNo: get("case_no"), Court: get("court"), Cause: get("cause"), Instance: instance, PlaintiffName: get("plaintiff_name"),
		PlaintiffType: ptype, PlaintiffIDNumber: get("plaintiff_id_number"), PlaintiffPhone: get("plaintiff_phone"),
		PlaintiffAddress: get("plaintiff_address"), Act: get("act"), ActRef: get("act_ref"), ReceivedOn: excelDate(get("received_on"))}
	if u := get("unit_id"); u == "" {
		fail("unit_id", "被告不能为空")
	} else if id, _, _, err := s.deps.Units.UnitByNameOrCode(ctx, u); err != nil {
		fail("unit_id", "被告「"+u+"」不是系统中的单位")
	} else {
		in.UnitID = id
	}
	unitKnown := in.UnitID > 0
	if !unitKnown {
		in.UnitID = -1 // report the other columns; the unit is reported above
	}
	c, v, err := s.checkCase(ctx, a, in)
	if err != nil {
		return imported{}, false, err
	}
	for _, f := range v {
		if f.Field == "unit_id" && !unitKnown {
			continue
		}
		fail(f.Field, f.Message)
	}
	today := s.today(ctx)
	recv := receivedFrom // a bad receipt date is reported once, not again on every later date
	if c != nil {
		recv, _ = calendar.ParseDate(c.ReceivedOn)
	}
	var v2 apperr.Fields
	def := calendar.CheckDate(&v2, "defence_on", "答辩状提交日期", excelDate(get("defence_on")), false, calendar.Happened(recv, today))
	evi := calendar.CheckDate(&v2, "evidence_on", "证据提交日期", excelDate(get("evidence_on")), false, calendar.Happened(recv, today))
	held := calendar.CheckDate(&v2, "held_on", "开庭日期", excelDate(get("held_on")), false, calendar.Happened(recv, today))
	judged := calendar.CheckDate(&v2, "judged_on", "裁判日期", excelDate(get("judged_on")), false, calendar.Happened(recv, today))
	for _, f := range v2 {
		fail(f.Field, f.Message)
	}
	appearance := ""
	if ap := get("appearance"); ap != "" {
		if val, ok := option.Value(Appearances, ap); ok {
			appearance = val
		} else {
			fail("appearance", fmt.Sprintf("出庭情况「%s」无效，应为：%s", ap, strings.Join(option.Labels(Appearances), "、")))
		}
	}
	if (get("held_on") == "") != (get("appearance") == "") {
		if get("held_on") == "" {
			fail("held_on", "填写出庭情况的应同时填写开庭日期")
		} else {
			fail("appearance", "填写开庭日期的应同时填写出庭情况")
		}
	}
	if HeadCounts(appearance) && get("attendee") == "" {
		fail("attendee", "正职或分管负责人出庭的请填写出庭人员")
	}
	outcome := ""
	if o := get("outcome"); o != "" {
		if val, ok := option.Value(Outcomes, o); ok {
			outcome = val
		} else {
			fail("outcome", fmt.Sprintf("裁判结果「%s」无效，应为：%s", o, strings.Join(option.Labels(Outcomes), "、")))
		}
	}
	if (get("outcome") == "") != (get("judged_on") == "") {
		if get("outcome") == "" {
			fail("outcome", "填写裁判日期的应同时填写裁判结果")
		} else {
			fail("judged_on", "填写裁判结果的应同时填写裁判日期")
		}
	}
	if outcome != "" && outcome != "withdrawn" && get("held_on") == "" {
		fail("held_on", "除原告撤诉外，已结案的案件应填写开庭日期和出庭情况")
	}
	if !judged.IsZero() && !held.IsZero() && judged.Before(held) {
		fail("judged_on", "裁判日期不能早于开庭日期")
	}
	if bad || c == nil {
		return imported{}, false, nil
	}
	c.DefenceOn, c.EvidenceOn = dateOrEmpty(def), dateOrEmpty(evi)
	if c.DefenceOn != "" && c.EvidenceOn != "" {
		c.defenceDoneOn = max(c.DefenceOn, c.EvidenceOn)
	}
	im := imported{c: c}
	if !held.IsZero() {
		c.HearingsHeld = 1
		im.hearing = &Hearing{HeldOn: held.String(), Appearance: appearance, Attendee: get("attendee")}
	}
	if outcome != "" {
		c.Status, c.Outcome, c.JudgedOn, c.JudgementNo, c.JudgementNote = StatusConcluded, outcome, judged.String(), get("judgement_no"), "（导入的历史案件）"
	}
	return im, true, nil
}

func dateOrEmpty(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// insertImported writes an imported lawsuit, then its state and hearing.
func (s *Service) insertImported(ctx context.Context, tx *db.Tx, a *auth.Actor, im imported) error {
	if _, err := s.insert(ctx, tx, a, im.c, "import"); err != nil {
		return err
	}
	if im.hearing != nil {
		if _, err := s.st.insertHearing(ctx, tx, im.c.ID, im.c.UnitID, *im.hearing, s.clock(ctx)); err != nil {
			return err
		}
	}
	return nil
}

// excelDate normalizes a date cell to YYYY-MM-DD; a cell it cannot read is
// left as is for the row check to report.
func excelDate(s string) string {
	if d, ok := xl.ParseDate(s); ok && !d.IsZero() {
		return d.String()
	}
	return s
}
