package disclosure

import (
	"testing"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The register's default order and common filters are served by an index
// (migration 00220) on both databases.
func TestListPlans(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		list := func(who int64, flt Filter) db.ListSQL {
			l, err := f.s.listSQL(as(who), flt)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		keys := []any{int64(500)}
		dbtest.CheckPlans(t, d, []dbtest.PlanCase{
			{Name: "whole register", List: list(supervisor, Filter{}), Keys: keys},
			{Name: "one unit's scope", List: list(clerk, Filter{}), Keys: keys, SortOK: true, Indexed: []string{"r", "disclosure_requests"}},
			{Name: "by status", List: list(supervisor, Filter{Status: StatusProcessing}), Keys: keys, SortOK: true, Indexed: []string{"r", "disclosure_requests"}},
			{Name: "received in a year", List: list(supervisor, Filter{Year: 2026}), Keys: keys, SortOK: true, Indexed: []string{"r", "disclosure_requests"}},
		})
	})
}
