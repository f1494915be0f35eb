package counsel

import (
	"context"
	"fmt"
	"slices"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
)

// FigureTally counts work records on their day (counsel_works is written
// only by Store.insertWork): every record, and the written opinions.
var FigureTally = &metric.Tally{Name: "counsel", IDColumn: "w.id", Points: `
SELECT 'work' AS series, w.unit_id AS unit_id, w.day AS day FROM counsel_works w WHERE {record}
UNION ALL SELECT 'opinion', w.unit_id, w.day FROM counsel_works w WHERE w.kind = 'opinion' AND {record}`}

// Coverage lists, within the actor's scope, the units that should have a
// legal adviser (CoveredTypes) and whether one serves each under a contract
// in force today; the gaps are the units without.
func (s *Service) Coverage(ctx context.Context) (*Coverage, error) {
	actor, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	return s.coverage(ctx, actor, 0)
}

func (s *Service) coverage(ctx context.Context, actor *auth.Actor, under int64) (*Coverage, error) {
	today := s.today(ctx).String()
	units, err := s.dir.Units(ctx)
	if err != nil {
		return nil, err
	}
	covered, err := s.st.coveredUnits(ctx, s.db, today)
	if err != nil {
		return nil, err
	}
	underPath := ""
	if under > 0 {
		for _, u := range units {
			if u.ID == under {
				underPath = u.Path
			}
		}
	}
	c := &Coverage{Gaps: []UnitRef{}, AsOf: today}
	rows := map[string]*TypeRow{}
	for _, t := range CoveredTypes {
		c.ByType = append(c.ByType, TypeRow{Type: t.Value, Label: t.Label})
	}
	for i := range c.ByType {
		rows[c.ByType[i].Type] = &c.ByType[i]
	}
	for _, u := range units {
		row := rows[u.Type]
		if row == nil || !actor.CanIn(PermRead, u.Path) || (under > 0 && (underPath == "" || len(u.Path) < len(underPath) || u.Path[:len(underPath)] != underPath)) {
			continue
		}
		u.TypeLabel = row.Label
		c.Required++
		row.Required++
		if covered[u.ID] {
			c.Covered++
			row.Covered++
		} else {
			c.Gaps = append(c.Gaps, u)
		}
	}
	slices.SortStableFunc(c.Gaps, func(a, b UnitRef) int {
		if a.Path < b.Path {
			return -1
		}
		if a.Path > b.Path {
			return 1
		}
		return 0
	})
	if c.Required > 0 {
		c.Rate = float64(c.Covered*1000/c.Required) / 10
	}
	return c, nil
}

// Figures: the coverage rate as it stands today (a state, computed from the
// contracts in force — see Store.coveredUnits), and the written opinions
// and all work records of the period from the counters.
func (s *Service) Figures(ctx context.Context, q metric.Query) ([]metric.Figure, error) {
	actor, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	today := s.today(ctx)
	from, to := q.From, q.To
	var v apperr.Fields
	for field, d := range map[string]string{"from": from, "to": to} {
		if d != "" {
			if _, err := calendar.ParseDate(d); err != nil {
				v.Add(field, "日期格式应为 YYYY-MM-DD")
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if from == "" {
		from = calendar.NewDate(today.Year, 1, 1).String()
	}
	if to == "" {
		to = today.String()
	}
	cov, err := s.coverage(ctx, actor, q.UnitID)
	if err != nil {
		return nil, err
	}
	cond, args := auth.ScopeClause(actor, PermRead, "c.unit_id")
	unit := ""
	if q.UnitID > 0 {
		cond += " AND " + inSubtree("c.unit_id")
		args = append(args, q.UnitID)
		unit = fmt.Sprintf("&unit_id=%d", q.UnitID)
	}
	n, err := FigureTally.Sums(ctx, s.db, cond, args, metric.Sum{Series: "opinion", From: from, To: to}, metric.Sum{Series: "work", From: from, To: to})
	if err != nil {
		return nil, err
	}
	period := fmt.Sprintf("期间：%s 至 %s（不填时为本年1月1日至今天）", from, to)
	return []metric.Figure{
		metric.Figure{Code: FigureCoverage, Name: "法律顾问覆盖率", Link: "/counsel/coverage",
			Definition: "分子：今天有有效聘用合同的法律顾问服务的单位数；分母：应配备法律顾问的单位数（区政府、区直部门、镇街、村居，不含内设机构）。当前数，不分期间"}.Rate(cov.Covered, cov.Required),
		{Code: FigureOpinions, Name: "法律顾问出具法律意见数", Value: float64(n[0]), Numerator: n[0], Unit: "份",
			Link: "/counsel/works?kind=opinion&from=" + from + "&to=" + to + unit, Definition: "期间内法律顾问出具的书面法律意见份数（按出具日期）。" + period},
		{Code: FigureWorks, Name: "法律顾问工作量", Value: float64(n[1]), Numerator: n[1], Unit: "件",
			Link: "/counsel/works?from=" + from + "&to=" + to + unit, Definition: "期间内登记的法律顾问工作记录数（咨询、列席会议、法律意见、合同审查、代理案件）。" + period},
	}, nil
}
