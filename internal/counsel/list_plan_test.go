package counsel

import (
	"context"
	"testing"

	"fazhi/internal/platform/auth"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The pool's and the work records' default order (newest first by id) and
// their common filters are served by an index (migration 00240) on both
// databases.
func TestListPlans(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		pool := func(path string, f AdviserFilter) db.ListSQL {
			_, l, err := s.listSQL(as(path, false), f)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		works := func(path string, f WorkFilter) db.ListSQL {
			a := as(path, false)
			scope, args := scopeOf(a, "w.unit_id")
			return s.st.workList(f, scope, args)
		}
		keys := []any{int64(500)}
		dbtest.CheckPlans(t, d, []dbtest.PlanCase{
			{Name: "whole pool", List: pool("/1/", AdviserFilter{}), Keys: keys},
			{Name: "a town's pool", List: pool("/1/4/", AdviserFilter{}), Keys: keys, SortOK: true, Indexed: []string{"a", "counsel_advisers"}},
			{Name: "all work records", List: works("/1/", WorkFilter{}), Keys: keys},
			{Name: "a town's work records", List: works("/1/4/", WorkFilter{}), Keys: keys, SortOK: true, Indexed: []string{"w", "counsel_works"}},
			{Name: "one adviser's work", List: works("/1/", WorkFilter{AdviserID: 3}), Keys: keys, SortOK: true, Indexed: []string{"w", "counsel_works"}},
		})
	})
}

// scopeOf is the read scope clause of the actor in ctx over col.
func scopeOf(ctx context.Context, col string) (string, []any) {
	return auth.ScopeClause(auth.From(ctx), PermRead, col)
}
