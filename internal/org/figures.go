package org

import (
	"context"

	"fazhi/internal/dashboard"
	"fazhi/internal/metric"
	"fazhi/internal/platform/auth"
)

// Figures computes the org figures of the home page within the actor's
// org.read scope (registered under org.read; the user count needs
// user.read too). They count the units and users active now: the query's
// unit and period do not apply.
func (s *Service) Figures(ctx context.Context, _ metric.Query) ([]metric.Figure, error) {
	a, err := auth.Require(ctx, "org.read")
	if err != nil {
		return nil, err
	}
	cl, args := auth.ScopeClause(a, "org.read", "id")
	// One pass over the units in scope: all, departments, towns.
	var units, depts, towns int
	err = s.db.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN type = ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN type = ? THEN 1 ELSE 0 END), 0) FROM org_units WHERE status = 'active' AND `+cl,
		append([]any{TypeDepartment, TypeTown}, args...)...).Scan(&units, &depts, &towns)
	if err != nil {
		return nil, err
	}
	out := []metric.Figure{
		{Code: "org.unit_count", Name: "单位数", Value: float64(units), Numerator: units, Unit: "个", Link: "/system/org-units",
			Definition: "权限范围内状态为“启用”的单位个数（当前数，不分期间）"},
		{Code: "org.department_count", Name: "部门数", Value: float64(depts), Numerator: depts, Unit: "个", Link: "/system/org-units?type=department",
			Definition: "权限范围内状态为“启用”、类型为政府工作部门的单位个数（当前数，不分期间）"},
		{Code: "org.town_count", Name: "镇街数", Value: float64(towns), Numerator: towns, Unit: "个", Link: "/system/org-units?type=town",
			Definition: "权限范围内状态为“启用”、类型为乡镇（街道）的单位个数（当前数，不分期间）"},
	}
	if a.Can("user.read") {
		ucl, uargs := auth.ScopeClause(a, "user.read", "unit_id")
		var n int
		if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM users WHERE status = 'active' AND "+ucl, uargs...).Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, metric.Figure{Code: "org.user_count", Name: "用户数", Value: float64(n), Numerator: n, Unit: "人", Link: "/system/users",
			Definition: "用户管理权限范围内状态为“启用”的用户人数（当前数，不分期间）"})
	}
	return out, nil
}

// UnitChart counts active units by type within the actor's scope.
func (s *Service) UnitChart(ctx context.Context) ([]dashboard.TypeCount, error) {
	a := auth.From(ctx)
	out := []dashboard.TypeCount{}
	if !a.Can("org.read") {
		return out, nil
	}
	cl, args := auth.ScopeClause(a, "org.read", "id")
	rows, err := s.db.Query(ctx, "SELECT type, COUNT(*) FROM org_units WHERE status = 'active' AND "+cl+" GROUP BY type", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[UnitType]int{}
	for rows.Next() {
		var t UnitType
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, err
		}
		counts[t] = n
	}
	for _, l := range UnitTypeLabels {
		if n := counts[l.Type]; n > 0 {
			out = append(out, dashboard.TypeCount{Type: string(l.Type), Label: l.Label, Count: n})
		}
	}
	return out, rows.Err()
}
