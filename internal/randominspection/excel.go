package randominspection

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/option"
	xl "fazhi/internal/platform/xlsx"
)

// EntitySheet is the sheet of the entity pool import.
const EntitySheet = "检查对象名录"

// MaxEntities bounds one plan's entity pool (a district's register of
// market entities in one sector).
const MaxEntities = 50000

var entityHeaders = []string{"名称", "统一社会信用代码", "对象类型", "风险等级", "所属单位"}

// ImportReport is what an import found and did.
type ImportReport struct {
	Rows     int           `json:"rows"`
	Valid    int           `json:"valid"`
	Created  int           `json:"created"`
	Problems []xl.RowError `json:"problems"`
}

// ImportEntities adds a workbook of entities to a draft plan's pool. Every
// bad row is reported (sheet, row, column, reason) and nothing is written
// unless every row is good; checkOnly only reports.
func (s *Service) ImportEntities(ctx context.Context, planID int64, data []byte, checkOnly bool) (*ImportReport, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	p, err := s.GetPlan(ctx, planID)
	if err != nil {
		return nil, err
	}
	tb, err := xl.Read(data, xl.Options{Sheet: EntitySheet, MaxRows: MaxEntities, MaxBytes: 32 << 20,
		OpenMessage: "无法读取 Excel 文件，请上传 .xlsx 格式的检查对象名录", SheetMessage: "无法读取工作表「%s」"})
	if err != nil {
		return nil, err
	}
	idx, _ := tb.Columns(entityHeaders...)
	var missing []string
	for _, h := range entityHeaders[:4] {
		if _, ok := idx[h]; !ok {
			missing = append(missing, h)
		}
	}
	if len(missing) > 0 {
		return nil, apperr.Field("file", "工作表「%s」第 1 行缺少列：%s（请使用导入模板）", tb.Sheet, strings.Join(missing, "、"))
	}
	col := func(h string) string { return xl.ColumnLabel(idx[h], h) }
	existing, err := s.st.creditCodes(ctx, s.db, planID)
	if err != nil {
		return nil, err
	}
	if p.Entities+len(tb.Data()) > MaxEntities {
		return nil, apperr.Field("file", "检查对象名录不能超过 %d 户", MaxEntities)
	}
	probs := xl.NewProblems(tb.Sheet)
	rep := &ImportReport{Problems: []xl.RowError{}}
	seen := map[string]int{}
	units := map[string]int64{}
	var valid []Entity
	for _, r := range tb.Data() {
		rep.Rows++
		var e Entity
		bad := func(h, reason string) {
			probs.Add(r.Num, col(h), reason)
		}
		e.Name = r.Cell(idx["名称"])
		switch n := utf8.RuneCountInString(e.Name); {
		case n == 0:
			bad("名称", "名称不能为空")
		case n > 100 || strings.ContainsRune(e.Name, 0):
			bad("名称", "名称不能超过 100 个字，且不能含无效字符")
		}
		if k, ok := option.Value(EntityKinds, r.Cell(idx["对象类型"])); ok {
			e.Kind = k
		} else {
			bad("对象类型", "对象类型应为："+option.Joined(EntityKinds))
		}
		if k, ok := option.Value(Risks, r.Cell(idx["风险等级"])); ok {
			e.Risk = k
		} else {
			bad("风险等级", "风险等级应为："+option.Joined(Risks))
		}
		e.CreditCode = strings.ToUpper(r.Cell(idx["统一社会信用代码"]))
		switch {
		case e.CreditCode == "" && e.Kind == "organisation":
			bad("统一社会信用代码", "企业或其他组织应填写统一社会信用代码")
		case e.CreditCode != "" && !creditCode.MatchString(e.CreditCode):
			bad("统一社会信用代码", "统一社会信用代码应为 18 位（数字和除 I、O、S、V、Z 以外的大写字母）")
		case e.CreditCode != "":
			if first, dup := seen[e.CreditCode]; dup {
				bad("统一社会信用代码", fmt.Sprintf("与第 %d 行重复", first))
			} else if existing[e.CreditCode] {
				bad("统一社会信用代码", "该对象已在名录中")
			}
			seen[e.CreditCode] = r.Num
		}
		if i, ok := idx["所属单位"]; ok {
			if name := r.Cell(i); name != "" {
				id, known := units[name]
				if !known {
					id, err = s.st.unitByName(ctx, s.db, name)
					if err != nil && !apperr.Is(err, apperr.NotFound) {
						return nil, err
					}
					units[name] = id
				}
				if id == 0 {
					bad("所属单位", fmt.Sprintf("单位「%s」不存在", name))
				}
				e.UnitID, e.UnitName = id, name
			}
		}
		if !probs.Bad(r.Num) {
			valid = append(valid, e)
		}
	}
	if rep.Rows == 0 {
		return nil, apperr.Field("file", "工作表「%s」没有数据行", tb.Sheet)
	}
	rep.Problems = probs.List()
	rep.Valid = len(valid)
	if len(rep.Problems) > 0 || checkOnly {
		return rep, nil
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		p, err := s.loadPool(ctx, tx, planID)
		if err != nil {
			return err
		}
		for _, e := range valid {
			if err := s.st.insertEntity(ctx, tx, planID, e); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{Action: "randominspection.entities.import", ObjectType: "random_plan", ObjectID: itoa(planID),
			UnitID: p.UnitID, Summary: fmt.Sprintf("Excel 导入检查对象名录 %d 户：%s", len(valid), p.Code)})
	})
	if err != nil {
		return nil, err
	}
	rep.Created = len(valid)
	return rep, nil
}

// EntityTemplate is an empty entity pool workbook with instructions.
func EntityTemplate() ([]byte, error) {
	cols := []xl.Column{{Title: "名称*", Width: 30}, {Title: "统一社会信用代码", Width: 22}, {Title: "对象类型*", Choices: option.Labels(EntityKinds)},
		{Title: "风险等级*", Choices: option.Labels(Risks)}, {Title: "所属单位", Width: 16}}
	return xl.StreamBytes(xl.Sheet{Name: EntitySheet, Title: "双随机抽查检查对象名录", Columns: cols, Instructions: []string{
		"检查对象名录导入说明",
		"1. 第1行为表头，请勿修改；带 * 的列必填。",
		"2. 企业或其他组织必须填写统一社会信用代码（18 位），同一计划内不能重复；个体工商户或自然人的姓名不会公开（公开名录中遮蔽，以内部编号标识）。",
		"3. 风险等级可选：" + option.Joined(Risks) + "；按计划中各风险等级的抽取比例分层抽取。",
		"4. 所属单位填写系统中的单位名称（可不填）；与检查人员同单位的对象，该检查人员回避。",
		"5. 有错误的行会逐行列出（工作表、行号、列、原因），全部无误才导入。",
	}}, xl.Slice(nil))
}
