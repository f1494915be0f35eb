package enforcement

import (
	"context"
	"fazhi/internal/platform/option"
	"fmt"
	"math"
	"strconv"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	xl "fazhi/internal/platform/xlsx"
)

// CaseSheet is the sheet name of the case register's export and import.
const CaseSheet = "行政执法案件"

// maxImportRows bounds one import (a year of a district's cases).
const maxImportRows = 20000

// caseColumn is one column of the import (and export): header, the field
// refusals name, how a cell sets the input and how a case shows.
type caseColumn struct {
	header   string
	field    string
	required bool
	set      func(in *CaseInput, cell string) string // returns a problem, or ""
	get      func(c *Case) any
}

func yes(s string) (bool, bool) {
	switch strings.TrimSpace(s) {
	case "", "否", "N", "n", "no", "0":
		return false, true
	case "是", "Y", "y", "yes", "1":
		return true, true
	}
	return false, false
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func text(f func(in *CaseInput) *string) func(in *CaseInput, cell string) string {
	return func(in *CaseInput, cell string) string { *f(in) = cell; return "" }
}

func flag(f func(in *CaseInput) *bool, lbl string) func(in *CaseInput, cell string) string {
	return func(in *CaseInput, cell string) string {
		b, ok := yes(cell)
		if !ok {
			return lbl + "应填“是”或“否”"
		}
		*f(in) = b
		return ""
	}
}

func dateCell(f func(in *CaseInput) *string) func(in *CaseInput, cell string) string {
	return func(in *CaseInput, cell string) string {
		if d, ok := xl.ParseDate(cell); ok && !d.IsZero() {
			cell = d.String()
		}
		*f(in) = cell
		return ""
	}
}

// parseYuan reads an amount in yuan (up to two decimals) as fen.
func parseYuan(s string) (int64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" {
		return 0, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || math.IsInf(f, 0) {
		return 0, false
	}
	fen := math.Round(f * 100)
	if math.Abs(fen-f*100) > 1e-6 {
		return 0, false
	}
	return int64(fen), true
}

var caseColumns = []caseColumn{
	{"平台案件编号", "platform_no", false, text(func(in *CaseInput) *string { return &in.PlatformNo }), func(c *Case) any { return c.PlatformNo }},
	{"执法主体", "body_id", true, text(func(in *CaseInput) *string { return &in.BodyName }), func(c *Case) any { return c.BodyName }},
	{"案件类别", "kind", true, text(func(in *CaseInput) *string { return &in.Kind }), func(c *Case) any { return c.KindLabel }},
	{"案由", "title", true, text(func(in *CaseInput) *string { return &in.Title }), func(c *Case) any { return c.Title }},
	{"当事人类型", "party_type", true, text(func(in *CaseInput) *string { return &in.PartyType }), func(c *Case) any { return c.PartyTypeLabel }},
	{"当事人名称", "party_name", true, text(func(in *CaseInput) *string { return &in.PartyName }), func(c *Case) any { return c.PartyName }},
	{"证件号码", "party_id_no", false, text(func(in *CaseInput) *string { return &in.PartyIDNo }), func(c *Case) any { return c.PartyIDNo }},
	{"联系电话", "party_phone", false, text(func(in *CaseInput) *string { return &in.PartyPhone }), func(c *Case) any { return c.PartyPhone }},
	{"地址", "party_address", false, text(func(in *CaseInput) *string { return &in.PartyAddress }), func(c *Case) any { return c.PartyAddress }},
	{"程序类型", "procedure", true, text(func(in *CaseInput) *string { return &in.Procedure }), func(c *Case) any { return c.ProcedureLabel }},
	{"罚没金额（元）", "amount_fen", false, func(in *CaseInput, cell string) string {
		fen, ok := parseYuan(cell)
		if !ok {
			return "罚没金额应为不小于 0 的数字（元，最多两位小数）"
		}
		in.AmountFen = fen
		return ""
	}, func(c *Case) any { return float64(c.AmountFen) / 100 }},
	{"执法依据", "legal_basis", false, text(func(in *CaseInput) *string { return &in.LegalBasis }), func(c *Case) any { return c.LegalBasis }},
	{"裁量阶次", "discretion_band", false, text(func(in *CaseInput) *string { return &in.DiscretionBand }), func(c *Case) any { return c.DiscretionBand }},
	{"重大执法决定", "major", false, flag(func(in *CaseInput) *bool { return &in.Major }, "重大执法决定"), func(c *Case) any { return yesNo(c.Major) }},
	{"应告知听证的处罚", "hearing_measure", false, flag(func(in *CaseInput) *bool { return &in.HearingMeasure }, "应告知听证的处罚"), func(c *Case) any { return yesNo(c.HearingMeasure) }},
	{"已批准延期", "extended", false, flag(func(in *CaseInput) *bool { return &in.Extended }, "已批准延期"), func(c *Case) any { return yesNo(c.Extended) }},
	{"延期说明", "extension_note", false, text(func(in *CaseInput) *string { return &in.ExtensionNote }), func(c *Case) any { return c.ExtensionNote }},
	{"立案日期", "filed_on", true, dateCell(func(in *CaseInput) *string { return &in.FiledOn }), func(c *Case) any { return c.FiledOn }},
	{"事先告知日期", "prior_notice_on", false, dateCell(func(in *CaseInput) *string { return &in.PriorNoticeOn }), func(c *Case) any { return c.PriorNoticeOn }},
	{"听证告知日期", "hearing_notice_on", false, dateCell(func(in *CaseInput) *string { return &in.HearingNoticeOn }), func(c *Case) any { return c.HearingNoticeOn }},
	{"听证日期", "hearing_on", false, dateCell(func(in *CaseInput) *string { return &in.HearingOn }), func(c *Case) any { return c.HearingOn }},
	{"决定日期", "decided_on", false, dateCell(func(in *CaseInput) *string { return &in.DecidedOn }), func(c *Case) any { return c.DecidedOn }},
	{"送达日期", "served_on", false, dateCell(func(in *CaseInput) *string { return &in.ServedOn }), func(c *Case) any { return c.ServedOn }},
	{"结案日期", "closed_on", false, dateCell(func(in *CaseInput) *string { return &in.ClosedOn }), func(c *Case) any { return c.ClosedOn }},
	{"公示日期", "disclosed_on", false, dateCell(func(in *CaseInput) *string { return &in.DisclosedOn }), func(c *Case) any { return c.DisclosedOn }},
	{"执法人员执法证号", "officer_cert_nos", false, func(in *CaseInput, cell string) string {
		for _, p := range strings.FieldsFunc(cell, func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == ';' || r == '；' || r == ' ' }) {
			in.OfficerCertNos = append(in.OfficerCertNos, p)
		}
		return ""
	}, func(c *Case) any {
		nos := make([]string, len(c.Officers))
		for i, o := range c.Officers {
			nos[i] = o.CertNo
		}
		return strings.Join(nos, "、")
	}},
}

// ImportProblem is one bad cell (or row) of an import.
type ImportProblem struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Column string `json:"column" doc:"列号及列名，如 D（案由）"`
	Reason string `json:"reason"`
}

// ImportReport says what an import found and did.
type ImportReport struct {
	Rows     int             `json:"rows"`
	Valid    int             `json:"valid"`
	Created  int             `json:"created"`
	Problems []ImportProblem `json:"problems"`
}

// ImportCases reads a workbook of cases. Every bad row is reported (sheet,
// row, column, reason) and nothing is written unless every row is good;
// checkOnly only reports. Officers are named by certificate number and must
// be in the roster; the bodies' units must be in the actor's scope. The
// rules run on every imported case.
func (s *Service) ImportCases(ctx context.Context, data []byte, checkOnly bool) (*ImportReport, error) {
	a, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	tb, err := xl.Read(data, xl.Options{Sheet: CaseSheet, MaxRows: maxImportRows,
		OpenMessage: "无法读取 Excel 文件，请上传 .xlsx 格式的行政执法案件表", SheetMessage: "无法读取工作表「%s」"})
	if err != nil {
		return nil, err
	}
	fields := make([]xl.Field, len(caseColumns))
	for i, c := range caseColumns {
		fields[i] = xl.Field{Key: c.field, Header: c.header, Required: c.required}
	}
	b, err := xl.BindWith(tb, xl.BindMessages{Missing: "工作表「%s」第 1 行缺少列：%s（请使用导出的表格或导入模板）"}, fields...)
	if err != nil {
		return nil, err
	}
	rep := &ImportReport{Problems: []ImportProblem{}}
	var valid []*checkedCase
	seen := map[string]int{}
	lk := newLookups()
	records := b.Records()
	var nos []string
	for _, r := range records {
		if no := r.Cell("platform_no"); no != "" {
			nos = append(nos, no)
		}
	}
	existing, err := s.st.existingPlatformNos(ctx, s.db, nos)
	if err != nil {
		return nil, err
	}
	// A refusal of checkCase on officer_ids is the certificate column's.
	alias := map[string]string{"officer_ids": "officer_cert_nos"}
	for _, r := range records {
		rep.Rows++
		var in CaseInput
		for _, c := range caseColumns {
			if !b.Has(c.field) {
				continue
			}
			cell := r.Cell(c.field)
			if c.required && cell == "" {
				r.Add(c.field, c.header+"不能为空")
				continue
			}
			if p := c.set(&in, cell); p != "" {
				r.Add(c.field, p)
			}
		}
		c, v, err := s.checkCase(ctx, s.db, in, lk)
		if err != nil {
			return nil, err
		}
		// A cell problem found while reading the row is not repeated
		// (Add reports each cell once).
		r.Report(v.Err(), alias, "")
		if !r.Bad() && c.body != nil && !a.CanIn(PermWrite, c.body.unitPath) {
			r.Addf("body_id", "执法主体「%s」不在您的数据权限范围内", c.body.Name)
		}
		if no := c.in.PlatformNo; no != "" {
			if first, dup := seen[no]; dup {
				r.Addf("platform_no", "平台案件编号「%s」与第 %d 行重复", no, first)
			} else {
				seen[no] = r.Num
				if existing[no] {
					r.Addf("platform_no", "平台案件编号「%s」已登记", no)
				}
			}
		}
		if !r.Bad() {
			valid = append(valid, c)
		}
	}
	if rep.Rows == 0 {
		return nil, apperr.Field("file", "工作表「%s」没有数据行", tb.Sheet)
	}
	for _, p := range b.List() {
		rep.Problems = append(rep.Problems, ImportProblem(p))
	}
	rep.Valid = len(valid)
	if len(rep.Problems) > 0 || checkOnly {
		return rep, nil
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		for _, c := range valid {
			if _, err := s.insertCase(ctx, tx, c, "import"); err != nil {
				return err
			}
		}
		// One event for the batch: who imported how many cases, and when.
		return audit.Record(ctx, tx, audit.Event{Action: "enforcement.case.import", ObjectType: "enforcement_case", ObjectID: "",
			UnitID: a.UnitID, Summary: fmt.Sprintf("Excel 导入行政执法案件 %d 件", len(valid))})
	})
	if err != nil {
		return nil, err
	}
	rep.Created = len(valid)
	return rep, nil
}

// ImportTemplate is an empty workbook with the import columns and an
// instructions sheet.
func ImportTemplate() ([]byte, error) {
	cols := make([]xl.Column, len(caseColumns))
	for i, c := range caseColumns {
		cols[i] = xl.Column{Title: c.header, Width: 14}
		if c.required {
			cols[i].Title += "*"
		}
		switch c.field {
		case "kind":
			cols[i].Choices = option.Labels(CaseKinds)
		case "party_type":
			cols[i].Choices = option.Labels(PartyTypes)
		case "procedure":
			cols[i].Choices = option.Labels(Procedures)
		case "major", "hearing_measure", "extended":
			cols[i].Choices = []string{"是", "否"}
		}
		if strings.HasSuffix(c.header, "日期") {
			cols[i].Kind = xl.Date
		}
	}
	sheet := xl.Sheet{Name: CaseSheet, Title: "行政执法案件导入模板", Columns: cols, Instructions: []string{
		"行政执法案件导入说明",
		"1. 第1行为表头，请勿修改；带 * 的列必填。",
		"2. 执法主体填写系统中已登记的执法主体名称；执法人员填写执法证号，多人用顿号分隔，须已在执法人员名册中登记。",
		"3. 案件类别可选：" + option.Joined(CaseKinds) + "；程序类型可选：" + option.Joined(Procedures) + "。",
		"4. 日期格式为 YYYY-MM-DD，也可使用 Excel 日期单元格；罚没金额以元为单位。",
		"5. 有错误的行会逐行列出（工作表、行号、列、原因），全部无误才导入。",
	}}
	return xl.StreamBytes(sheet, xl.Slice(nil))
}
