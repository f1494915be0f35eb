package litigation

import (
	"testing"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The register's default order and common filters are served by an index
// (migration 00210) on both databases.
func TestListPlans(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		list := func(who int64, flt Filter) db.ListSQL {
			l, err := f.s.listSQL(f.as(who, "2026-06-30"), flt)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		keys := []any{int64(500)}
		dbtest.CheckPlans(t, d, []dbtest.PlanCase{
			{Name: "whole register", List: list(handler, Filter{}), Keys: keys},
			{Name: "one unit's scope", List: list(clerk, Filter{}), Keys: keys, SortOK: true, Indexed: []string{"c", "litigation_cases"}},
			{Name: "by status", List: list(handler, Filter{Status: string(StatusOpen)}), Keys: keys, SortOK: true, Indexed: []string{"c", "litigation_cases"}},
			{Name: "a year", List: list(handler, Filter{Year: 2026}), Keys: keys, SortOK: true, Indexed: []string{"c", "litigation_cases"}},
		})
		dbtest.CheckPlans(t, d, []dbtest.PlanCase{
			{Name: "hearings", List: f.s.st.hearingSQL(HearingFilter{From: "2026-01-01", To: "2026-06-30"}, "1=1", nil), Keys: keys, SortOK: true},
		})
	})
}
