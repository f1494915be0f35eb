package randominspection

import (
	"context"
	"fmt"
	"io"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/mask"
	"fazhi/internal/platform/option"
	xl "fazhi/internal/platform/xlsx"
)

const subtree = " IN (SELECT s.id FROM org_unit_refs s WHERE s.path LIKE (SELECT p2.path FROM org_unit_refs p2 WHERE p2.id = ?) || '%')"

// PlanFilter narrows the plan register.
type PlanFilter struct {
	Year   int    `query:"year" doc:"年度"`
	Status string `query:"status" doc:"状态"`
	UnitID int64  `query:"unit_id" doc:"牵头单位（含下级）"`
}

func (s *Service) planSQL(ctx context.Context, f PlanFilter) (db.ListSQL, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "p.unit_id")
	conds := []string{scope}
	if f.Year != 0 {
		conds = append(conds, "p.year = ?")
		args = append(args, f.Year)
	}
	if f.Status != "" {
		st, ok := option.Value(PlanStatuses, f.Status)
		if !ok {
			return db.ListSQL{}, apperr.Field("status", "状态应为：%s", option.Joined(PlanStatuses))
		}
		conds = append(conds, "p.status = ?")
		args = append(args, st)
	}
	if f.UnitID > 0 {
		conds = append(conds, "p.unit_id"+subtree)
		args = append(args, f.UnitID)
	}
	return db.ListSQL{Cols: planCols, From: planFrom, CountFrom: "random_plans p", Where: strings.Join(conds, " AND "), Args: args,
		Order: []db.Key{{Expr: "p.id", Desc: true}}}, nil
}

// ListPlans pages the plans in scope.
func (s *Service) ListPlans(ctx context.Context, f PlanFilter, req db.ListReq) (db.Paged[Plan], error) {
	l, err := s.planSQL(ctx, f)
	if err != nil {
		return db.Paged[Plan]{}, err
	}
	out, err := db.Fetch(ctx, s.db, l, req, scanPlanValue, func(p Plan) []any { return []any{p.ID} })
	if err != nil {
		return out, err
	}
	// The bodies and matters after the page's cursor is closed.
	for i := range out.Items {
		if err := s.st.planRefs(ctx, s.db, &out.Items[i]); err != nil {
			return out, err
		}
	}
	return out, nil
}

// CheckFilter narrows the check register.
type CheckFilter struct {
	PlanID          int64  `query:"plan_id" doc:"抽查计划"`
	Status          string `query:"status" doc:"状态"`
	Result          string `query:"result" doc:"检查结果"`
	UnitID          int64  `query:"unit_id" doc:"单位（含下级）"`
	CheckedFrom     string `query:"checked_from" doc:"检查完成日期起"`
	CheckedTo       string `query:"checked_to" doc:"检查完成日期止"`
	PublishDueFrom  string `query:"publish_due_from" doc:"公示期限起"`
	PublishDueTo    string `query:"publish_due_to" doc:"公示期限止"`
	PublishedOnTime bool   `query:"published_on_time" doc:"只看按期公示的"`
}

func (s *Service) checkSQL(ctx context.Context, f CheckFilter) (db.ListSQL, *auth.Actor, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, nil, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "c.unit_id")
	conds := []string{scope}
	var v apperr.Fields
	if f.PlanID > 0 {
		conds = append(conds, "c.plan_id = ?")
		args = append(args, f.PlanID)
	}
	if f.Status != "" {
		st, ok := option.Value(CheckStatuses, f.Status)
		if !ok {
			v.Add("status", "状态应为：%s", option.Joined(CheckStatuses))
		}
		conds = append(conds, "c.status = ?")
		args = append(args, st)
	}
	if f.Result != "" {
		r, ok := option.Value(Results, f.Result)
		if !ok {
			v.Add("result", "检查结果应为：%s", option.Joined(Results))
		}
		conds = append(conds, "c.result = ?")
		args = append(args, r)
	}
	if f.UnitID > 0 {
		conds = append(conds, "c.unit_id"+subtree)
		args = append(args, f.UnitID)
	}
	for _, d := range []struct{ field, label, value, cond string }{
		{"checked_from", "检查完成日期起", f.CheckedFrom, "c.checked_on <> '' AND c.checked_on >= ?"},
		{"checked_to", "检查完成日期止", f.CheckedTo, "c.checked_on <> '' AND c.checked_on <= ?"},
		{"publish_due_from", "公示期限起", f.PublishDueFrom, "c.publish_due <> '' AND c.publish_due >= ?"},
		{"publish_due_to", "公示期限止", f.PublishDueTo, "c.publish_due <> '' AND c.publish_due <= ?"},
	} {
		if strings.TrimSpace(d.value) == "" {
			continue
		}
		if day := calendar.CheckDate(&v, d.field, d.label, strings.TrimSpace(d.value), false, calendar.Span{}); !day.IsZero() {
			conds = append(conds, d.cond)
			args = append(args, day.String())
		}
	}
	if f.PublishedOnTime {
		conds = append(conds, "c.publish_due <> '' AND c.published_on <> '' AND c.published_on <= c.publish_due")
	}
	if err := v.Err(); err != nil {
		return db.ListSQL{}, nil, err
	}
	return db.ListSQL{Cols: checkCols, From: checkFrom, CountFrom: "random_checks c", Where: strings.Join(conds, " AND "), Args: args,
		Order: []db.Key{{Expr: "c.id", Desc: true}}}, a, nil
}

// decorate sets what depends on the day and masks a person's name for an
// actor without enforcement-party rights (persons are masked for everyone
// here: the inspectors need the entity's name, which they see on site).
func (s *Service) decorate(c *Check, today string) {
	c.PublishLate = c.PublishDue != "" && ((c.PublishedOn == "" && c.PublishDue < today) || (c.PublishedOn != "" && c.PublishedOn > c.PublishDue))
	if c.entityKind == "person" {
		c.EntityName = mask.Name(c.EntityName)
		c.CreditCode = ""
	}
}

// ListChecks pages the checks in scope.
func (s *Service) ListChecks(ctx context.Context, f CheckFilter, req db.ListReq) (db.Paged[Check], error) {
	l, _, err := s.checkSQL(ctx, f)
	if err != nil {
		return db.Paged[Check]{}, err
	}
	today := s.today(ctx).String()
	return db.Fetch(ctx, s.db, l, req, func(sc db.Scanner) (Check, error) {
		c, err := scanCheck(sc)
		if err != nil {
			return Check{}, err
		}
		s.decorate(c, today)
		return *c, nil
	}, func(c Check) []any { return []any{c.ID} })
}

// ExportChecks streams the check register of f as Excel.
func (s *Service) ExportChecks(ctx context.Context, w io.Writer, f CheckFilter) error {
	l, _, err := s.checkSQL(ctx, f)
	if err != nil {
		return err
	}
	today := s.today(ctx).String()
	cols := []xl.Column{{Title: "计划编号"}, {Title: "计划名称"}, {Title: "序号"}, {Title: "检查对象"}, {Title: "统一社会信用代码"}, {Title: "风险等级"},
		{Title: "牵头单位"}, {Title: "检查人员"}, {Title: "状态"}, {Title: "检查完成日期", Kind: xl.Date}, {Title: "检查结果"}, {Title: "发现的问题"},
		{Title: "公示期限", Kind: xl.Date}, {Title: "公示日期", Kind: xl.Date}, {Title: "是否超期"}}
	return xl.Stream(w, xl.Sheet{Name: "抽查结果", Title: "双随机抽查结果台账", Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			c, err := scanCheck(sc)
			if err != nil {
				return err
			}
			s.decorate(c, today)
			late := ""
			if c.PublishLate {
				late = "超期"
			}
			return add(c.PlanCode, c.PlanTitle, c.Seq, c.EntityName, c.CreditCode, c.RiskLabel, c.UnitName, c.Inspectors, c.StatusLabel,
				c.CheckedOn, c.ResultLabel, c.Problems, c.PublishDue, c.PublishedOn, late)
		})
	}))
}

// ExportPlans streams the plan register of f as Excel.
func (s *Service) ExportPlans(ctx context.Context, w io.Writer, f PlanFilter) error {
	l, err := s.planSQL(ctx, f)
	if err != nil {
		return err
	}
	cols := []xl.Column{{Title: "计划编号"}, {Title: "年度"}, {Title: "计划名称"}, {Title: "牵头单位"}, {Title: "联合抽查"}, {Title: "执法主体"},
		{Title: "抽查事项"}, {Title: "抽取比例（高/中/低，‰）"}, {Title: "每户检查人员"}, {Title: "对象名录户数"}, {Title: "检查人员数"},
		{Title: "状态"}, {Title: "名录快照 SHA-256"}, {Title: "种子承诺值"}, {Title: "抽中户数"}}
	return xl.Stream(w, xl.Sheet{Name: "抽查计划", Title: "双随机抽查计划台账", Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Batches(ctx, s.db, l, 200, scanPlanValue, func(p Plan) []any { return []any{p.ID} }, func(batch []Plan) error {
			for _, p := range batch {
				if err := s.st.planRefs(ctx, s.db, &p); err != nil {
					return err
				}
				if err := addPlanRow(add, &p); err != nil {
					return err
				}
			}
			return nil
		})
	}))
}

func addPlanRow(add func(...any) error, p *Plan) error {
	joint := "否"
	if p.Joint {
		joint = "是"
	}
	return add(p.Code, p.Year, p.Title, p.UnitName, joint, strings.Join(p.BodyNames, "、"), strings.Join(p.MatterNames, "、"),
		fmt.Sprintf("%d/%d/%d", p.Ratios.High, p.Ratios.Medium, p.Ratios.Low), p.PerCheck, p.Entities, p.Inspectors, p.StatusLabel,
		p.SnapshotSHA256, p.SeedSHA256, p.Checks)
}

func scanPlanValue(sc db.Scanner) (Plan, error) {
	p, err := scanPlan(sc)
	if err != nil {
		return Plan{}, err
	}
	return *p, nil
}
