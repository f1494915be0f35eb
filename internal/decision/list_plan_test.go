package decision

import (
	"testing"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The decision list's default order (id DESC) and its common filters are
// served by indexes (migration 00130) on both databases.
func TestListPlans(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := &auth.Actor{UserID: 1, Perms: map[string]auth.Scope{PermRead: {Ranges: []auth.UnitRange{{Path: "/1/3/", Subtree: true}}}}}
		scope, sargs := auth.ScopeClause(a, PermRead, "d.unit_id")
		var st Store
		keys := []any{int64(500)}
		idx := []string{"d", "decisions"}
		all := ListFilter{ScopeSQL: "1=1"}
		byStatus, byStage, byUnit := all, all, all
		byStatus.Status, byStage.Stage, byUnit.UnitID = "active", "collective", 3
		dbtest.CheckPlans(t, d, []dbtest.PlanCase{
			{Name: "whole list", List: st.DecisionList(all), Keys: keys},
			{Name: "by status", List: st.DecisionList(byStatus), Keys: keys, Indexed: idx},
			{Name: "by stage", List: st.DecisionList(byStage), Keys: keys, Indexed: idx},
			{Name: "by unit", List: st.DecisionList(byUnit), Keys: keys, Indexed: idx},
			{Name: "a department's scope", List: st.DecisionList(ListFilter{ScopeSQL: scope, ScopeArgs: sargs}), Keys: keys, SortOK: true, Indexed: idx},
		})
	})
}
