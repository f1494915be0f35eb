package org

import (
	"context"

	"fazhi/internal/dashboard"
	"fazhi/internal/platform/auth"
)

// Figures computes the org figures of the home page within the actor's
// org.read scope (an actor without it sees none).
func (s *Service) Figures(ctx context.Context) ([]dashboard.Figure, error) {
	a := auth.From(ctx)
	if !a.Can("org.read") {
		return nil, nil
	}
	cl, args := auth.ScopeClause(a, "org.read", "id")
	// One pass over the units in scope: all, departments, towns.
	var units, depts, towns int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN type = ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN type = ? THEN 1 ELSE 0 END), 0) FROM org_units WHERE status = 'active' AND `+cl,
		append([]any{TypeDepartment, TypeTown}, args...)...).Scan(&units, &depts, &towns)
	if err != nil {
		return nil, err
	}
	out := []dashboard.Figure{
		{Key: "org.unit_count", Label: "单位数", Value: float64(units), Unit: "个", Link: "/system/org-units"},
		{Key: "org.department_count", Label: "部门数", Value: float64(depts), Unit: "个", Link: "/system/org-units?type=department"},
		{Key: "org.town_count", Label: "镇街数", Value: float64(towns), Unit: "个", Link: "/system/org-units?type=town"},
	}
	if a.Can("user.read") {
		ucl, uargs := auth.ScopeClause(a, "user.read", "unit_id")
		var n int
		if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM users WHERE status = 'active' AND "+ucl, uargs...).Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, dashboard.Figure{Key: "org.user_count", Label: "用户数", Value: float64(n), Unit: "人", Link: "/system/users"})
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
