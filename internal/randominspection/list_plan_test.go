package randominspection

import (
	"testing"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The registers' default order and common filters are served by an index
// (migration 00270) on both databases.
func TestListPlans(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		plans := func(flt PlanFilter, clerk bool) db.ListSQL {
			ctx := f.admin
			if clerk {
				ctx = f.clerk
			}
			l, err := f.s.planSQL(ctx, flt)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		checks := func(flt CheckFilter, clerk bool) db.ListSQL {
			ctx := f.admin
			if clerk {
				ctx = f.clerk
			}
			l, _, err := f.s.checkSQL(ctx, flt)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		keys := []any{int64(500)}
		dbtest.CheckPlans(t, f.d, []dbtest.PlanCase{
			{Name: "plans", List: plans(PlanFilter{}, false), Keys: keys},
			{Name: "plans of one unit's scope", List: plans(PlanFilter{}, true), Keys: keys, SortOK: true, Indexed: []string{"p", "random_plans"}},
			{Name: "plans of a year", List: plans(PlanFilter{Year: 2026}, false), Keys: keys, SortOK: true, Indexed: []string{"p", "random_plans"}},
			{Name: "checks", List: checks(CheckFilter{}, false), Keys: keys},
			{Name: "checks of one unit's scope", List: checks(CheckFilter{}, true), Keys: keys, SortOK: true, Indexed: []string{"c", "random_checks"}},
			{Name: "checks of a plan", List: checks(CheckFilter{PlanID: 1}, false), Keys: keys, SortOK: true, Indexed: []string{"c", "random_checks"}},
			{Name: "checks by status", List: checks(CheckFilter{Status: CheckRecorded}, false), Keys: keys, SortOK: true, Indexed: []string{"c", "random_checks"}},
		})
	})
}
