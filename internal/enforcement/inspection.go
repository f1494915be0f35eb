package enforcement

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/update"
	xl "fazhi/internal/platform/xlsx"
)

// 涉企行政检查: each body publishes a yearly inspection plan (items and how
// often one enterprise may be inspected in the year); inspections are
// entered against it. Named rules flag an inspection outside any published
// plan, one beyond the plan's limit for the same enterprise, and one beyond
// the district's yearly limit for an enterprise by all bodies together.

// PlanStatuses of an inspection plan.
var PlanStatuses = []Option{{Value: "draft", Label: "草稿"}, {Value: "published", Label: "已公布"}}

// InspectionRules are the checks over inspections (hits in
// enforcement_inspection_hits, one open per inspection and rule).
var InspectionRules = []Rule{
	{Name: "enforcement.inspection_unplanned", Version: 1, Label: "涉企行政检查未纳入已公布的年度检查计划",
		Basis: "《行政执法监督条例》；涉企行政检查计划公布制度"},
	{Name: "enforcement.inspection_repeat", Version: 1, Label: "同一执法主体对同一企业年度检查次数超过计划上限",
		Basis: "涉企行政检查频次上限（年度检查计划）"},
	{Name: "enforcement.inspection_repeat_all", Version: 1, Label: "同一企业年度被各执法主体检查合计次数超过上限",
		Basis: "涉企行政检查频次上限（本地设置）"},
}

func inspectionRule(name string) (Rule, bool) {
	for _, r := range InspectionRules {
		if r.Name == name {
			return r, true
		}
	}
	return Rule{}, false
}

// InspectionPlan is a body's yearly plan.
type InspectionPlan struct {
	ID               int64    `json:"id"`
	BodyID           int64    `json:"body_id"`
	BodyName         string   `json:"body_name"`
	UnitID           int64    `json:"unit_id"`
	UnitName         string   `json:"unit_name"`
	Year             int      `json:"year"`
	Title            string   `json:"title"`
	Items            []string `json:"items" doc:"检查事项"`
	MaxPerEnterprise int      `json:"max_per_enterprise" doc:"同一企业年度检查次数上限"`
	Status           string   `json:"status"`
	StatusLabel      string   `json:"status_label"`
	PublishedOn      string   `json:"published_on"`
	Version          int64    `json:"version"`
	unitPath         string
}

// PlanInput creates or edits a draft plan.
type PlanInput struct {
	BodyID           int64    `json:"body_id"`
	Year             int      `json:"year"`
	Title            string   `json:"title"`
	Items            []string `json:"items"`
	MaxPerEnterprise int      `json:"max_per_enterprise"`
	Version          int64    `json:"version,omitempty"`
}

// Inspection is one inspection of an enterprise.
type Inspection struct {
	ID          int64         `json:"id"`
	Code        string        `json:"code"`
	PlanID      int64         `json:"plan_id"`
	PlanTitle   string        `json:"plan_title"`
	BodyID      int64         `json:"body_id"`
	BodyName    string        `json:"body_name"`
	UnitID      int64         `json:"unit_id"`
	UnitName    string        `json:"unit_name"`
	Enterprise  string        `json:"enterprise"`
	CreditCode  string        `json:"credit_code" doc:"统一社会信用代码"`
	InspectedOn string        `json:"inspected_on"`
	Item        string        `json:"item" doc:"检查事项"`
	Result      string        `json:"result" doc:"检查结果"`
	Officers    []CaseOfficer `json:"officers"`
	OpenHits    []Hit         `json:"open_hits"`
	Version     int64         `json:"version"`
	unitPath    string
}

// InspectionInput enters or edits an inspection.
type InspectionInput struct {
	PlanID      int64   `json:"plan_id,omitempty" doc:"年度检查计划；不在计划内时为 0"`
	BodyID      int64   `json:"body_id"`
	Enterprise  string  `json:"enterprise"`
	CreditCode  string  `json:"credit_code"`
	InspectedOn string  `json:"inspected_on"`
	Item        string  `json:"item,omitempty"`
	Result      string  `json:"result"`
	OfficerIDs  []int64 `json:"officer_ids"`
	Version     int64   `json:"version,omitempty"`
}

func (s *Service) checkPlan(ctx context.Context, in *PlanInput) error {
	var v apperr.Fields
	in.Title = strings.TrimSpace(in.Title)
	if in.BodyID <= 0 {
		v.Add("body_id", "请选择执法主体")
	}
	if y := s.today(ctx).Year; in.Year < 2000 || in.Year > y+1 {
		v.Add("year", "年度应在 2000 至 %d 年之间", y+1)
	}
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		v.Add("title", "请填写计划名称")
	case n > 100:
		v.Add("title", "计划名称不能超过 100 个字")
	}
	var items []string
	for _, it := range in.Items {
		if it = strings.TrimSpace(it); it == "" {
			continue
		}
		if utf8.RuneCountInString(it) > 200 {
			v.Add("items", "检查事项「%s…」超过 200 个字", string([]rune(it)[:20]))
			break
		}
		if !slices.Contains(items, it) {
			items = append(items, it)
		}
	}
	in.Items = items
	switch {
	case len(items) == 0:
		v.Add("items", "请填写检查事项")
	case len(items) > 500:
		v.Add("items", "检查事项不能超过 500 项")
	}
	if in.MaxPerEnterprise < 1 || in.MaxPerEnterprise > 366 {
		v.Add("max_per_enterprise", "同一企业年度检查次数上限应在 1 至 366 之间")
	}
	return v.Err()
}

// CreatePlan adds a draft plan for a body.
func (s *Service) CreatePlan(ctx context.Context, in PlanInput) (*InspectionPlan, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	if err := s.bodyInScope(ctx, in.BodyID, PermWrite); err != nil {
		return nil, err
	}
	if err := s.checkPlan(ctx, &in); err != nil {
		return nil, err
	}
	var out *InspectionPlan
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		b, err := s.st.body(ctx, tx, in.BodyID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.Field("body_id", "执法主体不存在")
		} else if err != nil {
			return err
		}
		if _, err := auth.RequireIn(ctx, PermWrite, b.unitPath); err != nil {
			return err
		}
		id, err := s.st.insertPlan(ctx, tx, in, b.UnitID, s.clock(ctx))
		if err != nil {
			return err
		}
		if out, err = s.st.plan(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "enforcement.plan.create", ObjectType: "enforcement_inspection_plan", ObjectID: itoa(id), UnitID: b.UnitID,
			Summary: fmt.Sprintf("登记 %d 年度涉企行政检查计划「%s」", in.Year, in.Title), After: out})
	})
	return out, err
}

// UpdatePlan edits a draft plan; a published plan is not changed.
func (s *Service) UpdatePlan(ctx context.Context, id int64, in PlanInput) (*InspectionPlan, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	if err := s.checkPlan(ctx, &in); err != nil {
		return nil, err
	}
	return s.planStep(ctx, id, in.Version, func(p *InspectionPlan) (string, string, error) {
		if p.Status != "draft" {
			return "", "", apperr.New(apperr.Conflict, "检查计划已于 %s 公布，不能修改", p.PublishedOn)
		}
		if in.BodyID != p.BodyID {
			return "", "", apperr.Field("body_id", "检查计划所属执法主体不能更改")
		}
		p.Year, p.Title, p.Items, p.MaxPerEnterprise = in.Year, in.Title, in.Items, in.MaxPerEnterprise
		return "enforcement.plan.update", "修改涉企行政检查计划「" + in.Title + "」", nil
	})
}

// PublishPlan publishes a draft plan (today); inspections can then be
// entered against it.
func (s *Service) PublishPlan(ctx context.Context, id, version int64) (*InspectionPlan, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	return s.planStep(ctx, id, version, func(p *InspectionPlan) (string, string, error) {
		if p.Status != "draft" {
			return "", "", apperr.New(apperr.Conflict, "检查计划已于 %s 公布", p.PublishedOn)
		}
		p.Status, p.PublishedOn = "published", s.today(ctx).String()
		return "enforcement.plan.publish", fmt.Sprintf("公布 %d 年度涉企行政检查计划「%s」", p.Year, p.Title), nil
	})
}

func (s *Service) planStep(ctx context.Context, id, version int64, change func(p *InspectionPlan) (string, string, error)) (*InspectionPlan, error) {
	return update.Run(ctx, s.db, version, update.Update[*InspectionPlan]{
		Load: func(ctx context.Context, tx *db.Tx) (*InspectionPlan, error) {
			p, err := s.st.plan(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			_, err = auth.RequireIn(ctx, PermWrite, p.unitPath)
			return p, err
		},
		Version: func(p *InspectionPlan) int64 { return p.Version },
		Change: func(ctx context.Context, tx *db.Tx, pp **InspectionPlan) (audit.Event, error) {
			cp := **pp
			action, summary, err := change(&cp)
			*pp = &cp
			return audit.Event{Action: action, ObjectType: "enforcement_inspection_plan", ObjectID: itoa(id), UnitID: cp.UnitID, Summary: summary}, err
		},
		Write: func(ctx context.Context, tx *db.Tx, p *InspectionPlan, loaded int64) (bool, error) {
			return s.st.updatePlan(ctx, tx, p, loaded, s.clock(ctx))
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *InspectionPlan) (*InspectionPlan, error) {
			return s.st.plan(ctx, tx, id)
		},
	})
}

// PlanFilter narrows the plans.
type PlanFilter struct {
	BodyID int64  `query:"body_id"`
	Year   int    `query:"year"`
	Status string `query:"status" enum:"draft,published,"`
}

// ListPlans pages the plans in scope.
func (s *Service) ListPlans(ctx context.Context, f PlanFilter, req db.ListReq) (db.Paged[InspectionPlan], error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.Paged[InspectionPlan]{Items: []InspectionPlan{}}, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "p.unit_id")
	conds := []string{scope}
	if f.BodyID > 0 {
		conds, args = append(conds, "p.body_id = ?"), append(args, f.BodyID)
	}
	if f.Year > 0 {
		conds, args = append(conds, "p.year = ?"), append(args, f.Year)
	}
	if f.Status != "" {
		conds, args = append(conds, "p.status = ?"), append(args, f.Status)
	}
	l := db.ListSQL{Cols: planCols, From: planFrom, CountFrom: "enforcement_inspection_plans p", Where: strings.Join(conds, " AND "), Args: args,
		Order: []db.Key{{Expr: "p.id", Desc: true}}}
	return db.Fetch(ctx, s.db, l, req, func(sc db.Scanner) (InspectionPlan, error) {
		p, err := scanPlan(sc)
		return *p, err
	}, func(p InspectionPlan) []any { return []any{p.ID} })
}

// checkedInspection is a validated inspection with its body, plan and
// officers resolved.
type checkedInspection struct {
	in       InspectionInput
	body     *Body
	plan     *InspectionPlan
	officers []*Officer
}

func (s *Service) checkInspection(ctx context.Context, q db.Querier, in InspectionInput) (*checkedInspection, error) {
	var v apperr.Fields
	c := &checkedInspection{in: in}
	p := &c.in
	p.Enterprise, p.CreditCode, p.InspectedOn, p.Item, p.Result = strings.TrimSpace(p.Enterprise), strings.ToUpper(strings.TrimSpace(p.CreditCode)),
		strings.TrimSpace(p.InspectedOn), strings.TrimSpace(p.Item), strings.TrimSpace(p.Result)
	if in.BodyID <= 0 {
		v.Add("body_id", "请选择执法主体")
	} else if b, err := s.st.body(ctx, q, in.BodyID); apperr.Is(err, apperr.NotFound) {
		v.Add("body_id", "执法主体不存在")
	} else if err != nil {
		return nil, err
	} else {
		c.body = b
	}
	switch n := utf8.RuneCountInString(p.Enterprise); {
	case n == 0:
		v.Add("enterprise", "请填写被检查企业名称")
	case n > 100:
		v.Add("enterprise", "企业名称不能超过 100 个字")
	}
	if !creditCode.MatchString(p.CreditCode) {
		v.Add("credit_code", "统一社会信用代码应为 18 位数字或大写字母")
	}
	day := calendar.CheckDate(&v, "inspected_on", "检查日期", p.InspectedOn, true, calendar.Happened(earliestCase, s.today(ctx)))
	if utf8.RuneCountInString(p.Item) > 200 {
		v.Add("item", "检查事项不能超过 200 个字")
	}
	switch n := utf8.RuneCountInString(p.Result); {
	case n == 0:
		v.Add("result", "请填写检查结果")
	case n > 1000:
		v.Add("result", "检查结果不能超过 1000 个字")
	}
	if in.PlanID > 0 {
		pl, err := s.st.plan(ctx, q, in.PlanID)
		switch {
		case apperr.Is(err, apperr.NotFound):
			v.Add("plan_id", "检查计划不存在")
		case err != nil:
			return nil, err
		case pl.Status != "published":
			v.Add("plan_id", "检查计划「%s」尚未公布，不能按计划检查", pl.Title)
		case c.body != nil && pl.BodyID != c.body.ID:
			v.Add("plan_id", "检查计划「%s」不是执法主体「%s」的计划", pl.Title, c.body.Name)
		case !day.IsZero() && pl.Year != day.Year:
			v.Add("plan_id", "检查日期 %s 不在检查计划的年度（%d 年）内", p.InspectedOn, pl.Year)
		case p.Item != "" && !slices.Contains(pl.Items, p.Item):
			v.Add("item", "检查事项「%s」不在检查计划「%s」中", p.Item, pl.Title)
		default:
			c.plan = pl
		}
	}
	if len(in.OfficerIDs) == 0 {
		v.Add("officer_ids", "请选择检查人员")
	}
	seen := map[int64]bool{}
	for _, id := range in.OfficerIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		o, err := s.st.officer(ctx, q, id, s.today(ctx).Year)
		if apperr.Is(err, apperr.NotFound) {
			v.Add("officer_ids", "执法人员（编号 %d）不存在", id)
			continue
		} else if err != nil {
			return nil, err
		}
		if c.body != nil && !strings.HasPrefix(o.unitPath, c.body.unitPath) {
			v.Add("officer_ids", "执法人员 %s 不属于执法主体「%s」所在单位", o.Name, c.body.Name)
		}
		c.officers = append(c.officers, o)
	}
	return c, v.Err()
}

// CreateInspection enters an inspection; the inspection rules run on it
// and on the same enterprise's other inspections that year.
func (s *Service) CreateInspection(ctx context.Context, in InspectionInput) (*Inspection, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	if err := s.bodyInScope(ctx, in.BodyID, PermWrite); err != nil {
		return nil, err
	}
	c, err := s.checkInspection(ctx, s.db, in)
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := auth.RequireIn(ctx, PermWrite, c.body.unitPath); err != nil {
			return err
		}
		if id, err = s.st.insertInspection(ctx, tx, c, s.actorID(ctx), s.clock(ctx)); err != nil {
			return err
		}
		if err := s.st.setInspectionOfficers(ctx, tx, id, c.officers); err != nil {
			return err
		}
		stored, err := s.st.inspection(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Event{Action: "enforcement.inspection.create", ObjectType: "enforcement_inspection", ObjectID: itoa(id), UnitID: stored.UnitID,
			Summary: fmt.Sprintf("登记涉企行政检查 %s：%s（%s）", stored.Code, stored.Enterprise, stored.InspectedOn), After: stored}); err != nil {
			return err
		}
		return s.evaluateEnterprise(ctx, tx, stored.CreditCode, date(stored.InspectedOn).Year)
	})
	if err != nil {
		return nil, err
	}
	return s.GetInspection(ctx, id)
}

// UpdateInspection edits an inspection; the rules run again on the
// enterprise's year (and the old one's, if the code or year changed).
func (s *Service) UpdateInspection(ctx context.Context, id int64, in InspectionInput) (*Inspection, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	var c *checkedInspection
	var oldCode string
	var oldYear int
	_, err := update.Run(ctx, s.db, in.Version, update.Update[*Inspection]{
		Load: func(ctx context.Context, tx *db.Tx) (*Inspection, error) {
			x, err := s.st.inspection(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			oldCode, oldYear = x.CreditCode, date(x.InspectedOn).Year
			_, err = auth.RequireIn(ctx, PermWrite, x.unitPath)
			return x, err
		},
		Version: func(x *Inspection) int64 { return x.Version },
		Change: func(ctx context.Context, tx *db.Tx, xp **Inspection) (audit.Event, error) {
			var err error
			if c, err = s.checkInspection(ctx, tx, in); err != nil {
				return audit.Event{}, err
			}
			if _, err := auth.RequireIn(ctx, PermWrite, c.body.unitPath); err != nil {
				return audit.Event{}, err
			}
			return audit.Event{Action: "enforcement.inspection.update", ObjectType: "enforcement_inspection", ObjectID: itoa(id), UnitID: c.body.UnitID,
				Summary: fmt.Sprintf("修改涉企行政检查 %s：%s（%s）", (*xp).Code, c.in.Enterprise, c.in.InspectedOn)}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Inspection, loaded int64) (bool, error) {
			ok, err := s.st.updateInspection(ctx, tx, id, loaded, c, s.clock(ctx))
			if err != nil || !ok {
				return ok, err
			}
			return true, s.st.setInspectionOfficers(ctx, tx, id, c.officers)
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Inspection) (*Inspection, error) {
			return s.st.inspection(ctx, tx, id)
		},
		After: func(ctx context.Context, tx *db.Tx, x *Inspection) error {
			if oldCode != x.CreditCode || oldYear != date(x.InspectedOn).Year {
				if err := s.evaluateEnterprise(ctx, tx, oldCode, oldYear); err != nil {
					return err
				}
			}
			return s.evaluateEnterprise(ctx, tx, x.CreditCode, date(x.InspectedOn).Year)
		},
	})
	if err != nil {
		return nil, err
	}
	return s.GetInspection(ctx, id)
}

// GetInspection reads an inspection in scope with its open hits.
func (s *Service) GetInspection(ctx context.Context, id int64) (*Inspection, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	x, err := s.st.inspection(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if !a.CanIn(PermRead, x.unitPath) {
		return nil, apperr.New(apperr.NotFound, "检查记录不存在或无权查看")
	}
	if x.OpenHits, err = s.st.inspectionHits(ctx, s.db, id); err != nil {
		return nil, err
	}
	return x, nil
}

// evaluateEnterprise runs the inspection rules over one enterprise's
// inspections of one year (a few rows, through the credit-code index), so
// an edit that moves the count moves every hit it affects (an edit that
// changes the code or the year runs it on the old group too). An
// inspection that left the group keeps its own hits until its new group
// is checked, which the edit does.
func (s *Service) evaluateEnterprise(ctx context.Context, tx *db.Tx, code string, year int) error {
	xs, err := s.st.enterpriseYear(ctx, tx, code, year)
	if err != nil {
		return err
	}
	perBody := map[int64]int{}
	limits := map[int64]int{} // body → the published plan's limit that year (0: none)
	today := s.today(ctx).String()
	for i, x := range xs {
		perBody[x.bodyID]++
		want := map[string]string{}
		if x.planID == 0 {
			want["enforcement.inspection_unplanned"] = fmt.Sprintf("%s 对%s（%s）的检查未纳入已公布的年度检查计划", x.inspectedOn, x.enterprise, x.creditCode)
		}
		limit, ok := limits[x.bodyID]
		if !ok {
			if limit, err = s.st.planLimit(ctx, tx, x.bodyID, year); err != nil {
				return err
			}
			limits[x.bodyID] = limit
		}
		if limit > 0 && perBody[x.bodyID] > limit {
			want["enforcement.inspection_repeat"] = fmt.Sprintf("%d 年同一主体对%s的第 %d 次检查，超过检查计划上限 %d 次", year, x.enterprise, perBody[x.bodyID], limit)
		}
		if n := s.opt.InspectionsPerYear; n > 0 && i+1 > n {
			want["enforcement.inspection_repeat_all"] = fmt.Sprintf("%d 年各执法主体对%s的第 %d 次检查，超过合计上限 %d 次", year, x.enterprise, i+1, n)
		}
		if err := s.reconcileInspection(ctx, tx, x, want, today); err != nil {
			return err
		}
	}
	return nil
}

// reconcileInspection raises the findings of new hits and resolves those
// that no longer hold.
func (s *Service) reconcileInspection(ctx context.Context, tx *db.Tx, x inspectionFacts, want map[string]string, today string) error {
	open, err := s.st.inspectionHits(ctx, tx, x.id)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, h := range open {
		have[h.Rule] = true
		if _, still := want[h.Rule]; still {
			continue
		}
		if s.ledger != nil {
			if err := s.ledger.Resolve(ctx, tx, h.FindingID, fmt.Sprintf("检查记录 %s 复核已不再触发规则「%s」", x.code, h.RuleLabel)); err != nil {
				return err
			}
		}
		if err := s.st.closeInspectionHit(ctx, tx, h.ID, today); err != nil {
			return err
		}
	}
	for _, r := range InspectionRules {
		detail, hit := want[r.Name]
		if !hit || have[r.Name] {
			continue
		}
		if s.ledger == nil {
			return apperr.New(apperr.Unavailable, "问题台账未启用，无法登记规则预警")
		}
		fid, err := s.ledger.Raise(ctx, tx, Problem{
			Title:       ruleFindingPrefix + r.Label,
			Description: fmt.Sprintf("涉企行政检查 %s（%s）：%s。依据：%s。规则 %s 第 %d 版。", x.code, x.unitName, detail, r.Basis, r.Name, r.Version),
			SourceRef:   x.code, UnitID: x.unitID, FoundOn: today,
		})
		if err != nil {
			return err
		}
		if err := s.st.insertInspectionHit(ctx, tx, x.id, r, x.unitID, detail, fid, today); err != nil {
			return err
		}
	}
	return nil
}

// EvaluateInspections is the nightly run over every enterprise-year with
// inspections (a configuration change moves the limits).
func (s *Service) EvaluateInspections(ctx context.Context) (int, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return 0, err
	}
	groups, err := s.st.enterpriseYears(ctx, s.db)
	if err != nil {
		return 0, err
	}
	for _, g := range groups {
		if err := s.db.WithTx(ctx, func(tx *db.Tx) error { return s.evaluateEnterprise(ctx, tx, g.code, g.year) }); err != nil {
			return 0, err
		}
	}
	return len(groups), nil
}

// InspectionFilter narrows the inspections register.
type InspectionFilter struct {
	Q          string `query:"q" doc:"企业名称、统一社会信用代码或检查编号"`
	BodyID     int64  `query:"body_id"`
	UnitID     int64  `query:"unit_id" doc:"单位（含下级）"`
	PlanID     int64  `query:"plan_id"`
	CreditCode string `query:"credit_code"`
	From       string `query:"from" doc:"检查日期起 YYYY-MM-DD"`
	To         string `query:"to" doc:"检查日期止 YYYY-MM-DD"`
	Rule       string `query:"rule" doc:"只看该规则未纠正命中的检查"`
}

func (s *Service) inspectionSQL(ctx context.Context, f InspectionFilter) (db.ListSQL, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "x.unit_id")
	conds := []string{scope}
	var v apperr.Fields
	if q := strings.TrimSpace(f.Q); q != "" {
		l := db.Like(q)
		conds = append(conds, `(x.enterprise LIKE ? ESCAPE '\' OR x.credit_code LIKE ? ESCAPE '\')`)
		args = append(args, l, l)
	}
	if f.BodyID > 0 {
		conds, args = append(conds, "x.body_id = ?"), append(args, f.BodyID)
	}
	if f.PlanID > 0 {
		conds, args = append(conds, "x.plan_id = ?"), append(args, f.PlanID)
	}
	if f.UnitID > 0 {
		conds = append(conds, "x.unit_id IN (SELECT s.id FROM org_unit_refs s WHERE s.path LIKE (SELECT p.path FROM org_unit_refs p WHERE p.id = ?) || '%')")
		args = append(args, f.UnitID)
	}
	if c := strings.ToUpper(strings.TrimSpace(f.CreditCode)); c != "" {
		conds, args = append(conds, "x.credit_code = ?"), append(args, c)
	}
	for _, d := range []struct{ field, label, value, cond string }{
		{"from", "检查日期起", f.From, "x.inspected_on >= ?"}, {"to", "检查日期止", f.To, "x.inspected_on <= ?"},
	} {
		if strings.TrimSpace(d.value) == "" {
			continue
		}
		if day := calendar.CheckDate(&v, d.field, d.label, strings.TrimSpace(d.value), false, calendar.Span{}); !day.IsZero() {
			conds, args = append(conds, d.cond), append(args, day.String())
		}
	}
	if r := strings.TrimSpace(f.Rule); r != "" {
		if _, ok := inspectionRule(r); !ok {
			v.Add("rule", "没有名为“%s”的检查规则", r)
		}
		conds = append(conds, "x.id IN (SELECT h.inspection_id FROM enforcement_inspection_hits h WHERE h.rule = ? AND h.status = 'open')")
		args = append(args, r)
	}
	if err := v.Err(); err != nil {
		return db.ListSQL{}, err
	}
	return db.ListSQL{Cols: inspectionCols, From: inspectionFrom, CountFrom: "enforcement_inspections x", Where: strings.Join(conds, " AND "), Args: args,
		Order: []db.Key{{Expr: "x.id", Desc: true}}}, nil
}

// ListInspections pages the inspections in scope.
func (s *Service) ListInspections(ctx context.Context, f InspectionFilter, req db.ListReq) (db.Paged[Inspection], error) {
	l, err := s.inspectionSQL(ctx, f)
	if err != nil {
		return db.Paged[Inspection]{Items: []Inspection{}}, err
	}
	return db.Fetch(ctx, s.db, l, req, func(sc db.Scanner) (Inspection, error) {
		x, err := scanInspection(sc)
		return *x, err
	}, func(x Inspection) []any { return []any{x.ID} })
}

// ExportInspections writes the inspections of f (one cursor, streamed).
func (s *Service) ExportInspections(ctx context.Context, w io.Writer, f InspectionFilter) error {
	l, err := s.inspectionSQL(ctx, f)
	if err != nil {
		return err
	}
	cols := []xl.Column{{Title: "检查编号"}, {Title: "执法主体"}, {Title: "所属单位"}, {Title: "被检查企业"}, {Title: "统一社会信用代码"},
		{Title: "检查日期", Kind: xl.Date}, {Title: "检查计划"}, {Title: "检查事项"}, {Title: "检查结果"}}
	return xl.Stream(w, xl.Sheet{Name: "涉企行政检查", Title: "涉企行政检查台账", Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			x, err := scanInspection(sc)
			if err != nil {
				return err
			}
			plan := x.PlanTitle
			if x.PlanID == 0 {
				plan = "（计划外）"
			}
			return add(x.Code, x.BodyName, x.UnitName, x.Enterprise, x.CreditCode, x.InspectedOn, plan, x.Item, x.Result)
		})
	}))
}

func inspectionCode(id int64, inspectedOn string) string {
	return fmt.Sprintf("JC%d-%06d", date(inspectedOn).Year, id)
}
