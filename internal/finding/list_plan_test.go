package finding

import (
	"testing"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// Each default order and common filter of the ledger is served by an index
// (migrations 00030, 00031) on both databases: first page and deep page alike.
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
			{Name: "whole ledger", List: list(supervisor, Filter{}), Keys: keys},
			{Name: "by status", List: list(supervisor, Filter{Status: "open"}), Keys: keys, Indexed: []string{"f", "findings"}},
			{Name: "by source", List: list(supervisor, Filter{Source: "inspection"}), Keys: keys, Indexed: []string{"f", "findings"}},
			{Name: "overdue (not closed, past due): the partial index gives the order", List: list(supervisor, Filter{Overdue: true}), Keys: keys},
			{Name: "one unit's scope", List: list(clerk, Filter{}), Keys: keys, SortOK: true, Indexed: []string{"f", "findings"}},
			{Name: "unit subtree filter", List: list(supervisor, Filter{UnitID: 3}), Keys: keys, SortOK: true, Indexed: []string{"f", "findings"}},
		})
	})
}
