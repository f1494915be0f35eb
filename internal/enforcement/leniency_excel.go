package enforcement

import (
	"context"
	"fmt"
	"io"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/option"
	xl "fazhi/internal/platform/xlsx"
)

// LeniencySheet is the sheet of a list's items (export, template, import).
const LeniencySheet = "清单事项"

// leniencyFields are the import columns; their keys are the item fields
// checkLeniencyItem names, so its refusals land on their cells.
var leniencyFields = []xl.Field{
	{Key: "violation", Header: "违法行为", Required: true, Max: 300},
	{Key: "legal_basis", Header: "法律依据", Required: true, Max: 500},
	{Key: "kind", Header: "类型", Required: true, Kind: xl.EnumCell, Options: LeniencyKinds},
	{Key: "conditions", Header: "适用条件", Max: 100},
	{Key: "light_max_fen", Header: "从轻处罚罚款上限（元）", Kind: xl.MoneyCell},
}

func leniencyColumns() []xl.Column {
	return []xl.Column{{Title: "序号", Width: 6}, {Title: "违法行为", Width: 30}, {Title: "法律依据", Width: 30},
		{Title: "类型", Width: 10, Choices: option.Labels(LeniencyKinds)}, {Title: "适用条件", Width: 24}, {Title: "从轻处罚罚款上限（元）", Width: 14}}
}

// ExportLeniencyList writes one list version's items (the sheet the import
// reads back: a version exported, edited and imported is its revision).
func (s *Service) ExportLeniencyList(ctx context.Context, w io.Writer, id int64) error {
	l, err := s.GetLeniencyList(ctx, id)
	if err != nil {
		return err
	}
	to := l.EffectiveTo
	if to == "" {
		to = "今"
	}
	sheet := xl.Sheet{Name: LeniencySheet, Title: fmt.Sprintf("%s「%s」第 %d 版（%s，%s 至 %s）", l.BodyName, l.Title, l.ListVersion, l.GrantingDoc, l.EffectiveFrom, to),
		Columns: leniencyColumns()}
	return xl.Stream(w, sheet, xl.Rows(func(add func(values ...any) error) error {
		for _, it := range l.Items {
			var max any = ""
			if it.Kind == "light" {
				max = float64(it.LightMaxFen) / 100
			}
			if err := add(it.Seq, it.Violation, it.LegalBasis, it.KindLabel, it.ConditionsLabel, max); err != nil {
				return err
			}
		}
		return nil
	}))
}

// LeniencyTemplate is an empty items sheet with its instructions.
func LeniencyTemplate() ([]byte, error) {
	cols := leniencyColumns()[1:]
	for i, f := range leniencyFields {
		if f.Required {
			cols[i].Title += "*"
		}
	}
	return xl.StreamBytes(xl.Sheet{Name: LeniencySheet, Title: "不罚、免罚、轻罚清单导入模板", Columns: cols, Instructions: []string{
		"不罚、免罚、轻罚清单导入说明",
		"1. 第1行为表头，请勿修改；带 * 的列必填。每行一项，按行的先后编号。",
		"2. 类型可选：" + option.Joined(LeniencyKinds) + "。",
		"3. 适用条件可选：" + option.Joined(LeniencyConditions) + "，多项用顿号分隔；不予处罚、免予处罚事项必填。",
		"4. 从轻处罚罚款上限以元为单位，只有从轻处罚事项填写。",
		"5. 清单名称、印发文号、生效日期和执法主体在页面上填写；有错误的行会逐行列出（工作表、行号、列、原因），全部无误才导入。",
	}}, xl.Slice(nil))
}

// LeniencyImport is what the page sends beside the workbook: a new list
// (ListID 0) or the revision of list version ListID (at its Version).
type LeniencyImport struct {
	ListID        int64  `query:"list_id" doc:"修订的清单版本；0 表示新清单"`
	BodyID        int64  `query:"body_id" doc:"执法主体"`
	Title         string `query:"title" doc:"清单名称"`
	GrantingDoc   string `query:"granting_doc" doc:"印发文件文号"`
	EffectiveFrom string `query:"effective_from" doc:"生效日期 YYYY-MM-DD"`
	Version       int64  `query:"version" doc:"修订时：清单版本的记录版本号"`
	Mode          string `query:"mode" enum:"check,all," doc:"check 只检查；all（默认）全部无误才导入"`
}

// LeniencyImportReport says what the import found and did.
type LeniencyImportReport struct {
	Rows     int             `json:"rows"`
	Valid    int             `json:"valid"`
	Created  int             `json:"created" doc:"导入的事项数"`
	ListID   int64           `json:"list_id" doc:"登记或修订后的清单版本"`
	Problems []ImportProblem `json:"problems"`
}

// ImportLeniencyList reads a list's items from a workbook: every bad row is
// reported (sheet, row, column, reason) and nothing is written unless every
// row is good; then the list is created, or list in.ListID revised, exactly
// as on the form (a version in force gets a new version).
func (s *Service) ImportLeniencyList(ctx context.Context, data []byte, in LeniencyImport) (*LeniencyImportReport, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	if in.ListID < 0 {
		return nil, apperr.Field("list_id", "清单版本无效")
	}
	if in.ListID > 0 { // the list in scope before anything is said about the file
		l, err := s.GetLeniencyList(ctx, in.ListID)
		if err != nil {
			return nil, err
		}
		if _, err := auth.RequireIn(ctx, PermWrite, l.unitPath); err != nil {
			return nil, err
		}
		if in.BodyID == 0 {
			in.BodyID = l.BodyID
		}
	} else if err := s.bodyInScope(ctx, in.BodyID, PermWrite); err != nil {
		return nil, err
	}
	tb, err := xl.Read(data, xl.Options{Sheet: LeniencySheet, MaxRows: maxLeniencyItems,
		OpenMessage: "无法读取 Excel 文件，请上传 .xlsx 格式的清单事项表", SheetMessage: "无法读取工作表「%s」"})
	if err != nil {
		return nil, err
	}
	b, err := xl.BindWith(tb, xl.BindMessages{Missing: "工作表「%s」第 1 行缺少列：%s（请使用导出的清单或导入模板）"}, leniencyFields...)
	if err != nil {
		return nil, err
	}
	rep := &LeniencyImportReport{Problems: []ImportProblem{}}
	var items []LeniencyItemInput
	for _, r := range b.Records() {
		rep.Rows++
		it := LeniencyItemInput{Violation: r.Text("violation"), LegalBasis: r.Text("legal_basis"), Kind: r.Enum("kind"), LightMaxFen: r.Money("light_max_fen")}
		it.Conditions = strings.FieldsFunc(r.Text("conditions"), func(c rune) bool { return strings.ContainsRune("、,，;； ", c) })
		for _, p := range checkLeniencyItem(&it) {
			if !r.Reported(p[0]) {
				r.Add(p[0], p[1])
			}
		}
		if !r.Bad() {
			items = append(items, it)
		}
	}
	for _, p := range b.List() {
		rep.Problems = append(rep.Problems, ImportProblem(p))
	}
	rep.Valid = len(items)
	if len(rep.Problems) > 0 || in.Mode == "check" {
		return rep, nil
	}
	li := LeniencyInput{BodyID: in.BodyID, Title: in.Title, GrantingDoc: in.GrantingDoc, EffectiveFrom: in.EffectiveFrom, Items: items, Version: in.Version}
	var l *LeniencyList
	if in.ListID > 0 {
		l, err = s.ReviseLeniencyList(ctx, in.ListID, li)
	} else {
		l, err = s.CreateLeniencyList(ctx, li)
	}
	if err != nil {
		return nil, err
	}
	rep.Created, rep.ListID = len(l.Items), l.ID
	return rep, nil
}
