package legalreview

import (
	"testing"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The ledger's default order (submitted_on DESC, id DESC) and its common
// filters are served by indexes (migration 00130) on both databases.
func TestListPlans(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := &auth.Actor{UserID: 1, Perms: map[string]auth.Scope{PermRead: {Ranges: []auth.UnitRange{{Path: "/1/3/", Subtree: true}}}}}
		scope, sargs := auth.ScopeClause(a, PermRead, "r.unit_id")
		var st Store
		keys := []any{"2026-06-01", int64(500)}
		idx := []string{"r", "legalreviews"}
		dbtest.CheckPlans(t, d, []dbtest.PlanCase{
			{Name: "whole ledger", List: st.listSQL("1=1", nil, Filter{}), Keys: keys},
			{Name: "by status", List: st.listSQL("1=1", nil, Filter{Status: string(StatusReviewing)}), Keys: keys, Indexed: idx},
			{Name: "by kind", List: st.listSQL("1=1", nil, Filter{Kind: string(KindNormdoc)}), Keys: keys, Indexed: idx},
			{Name: "submitted in a period", List: st.listSQL("1=1", nil, Filter{From: "2026-01-01", To: "2026-06-30"}), Keys: keys, Indexed: idx},
			{Name: "a department's scope", List: st.listSQL(scope, sargs, Filter{}), Keys: keys, SortOK: true, Indexed: idx},
		})
	})
}
