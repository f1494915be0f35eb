package reconsideration

import (
	"testing"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The register's default order (newest first by id) and its common filters
// are served by an index (migration 00200) on both databases: a unit's
// scope, the open cases and their current deadlines, a receipt period and a
// conclusion period (the figures' links).
func TestListPlans(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		list := func(who int64, flt Filter) db.ListSQL {
			l, err := f.s.listSQL(f.as(who, "2026-11-20"), flt)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		keys := []any{int64(500)}
		indexed := []string{"c", "reconsideration_cases"}
		dbtest.CheckPlans(t, d, []dbtest.PlanCase{
			{Name: "whole register", List: list(handler, Filter{}), Keys: keys},
			{Name: "the respondent's scope", List: list(clerk, Filter{}), Keys: keys, SortOK: true, Indexed: indexed},
			{Name: "by status", List: list(handler, Filter{Status: string(StatusReviewing)}), Keys: keys, SortOK: true, Indexed: indexed},
			{Name: "overdue", List: list(handler, Filter{Overdue: true}), Keys: keys, SortOK: true, Indexed: indexed},
			{Name: "received in a period", List: list(handler, Filter{ReceivedFrom: "2026-01-01", ReceivedTo: "2026-06-30"}), Keys: keys, SortOK: true, Indexed: indexed},
			{Name: "concluded in a period", List: list(handler, Filter{ConcludedFrom: "2026-01-01", ConcludedTo: "2026-06-30"}), Keys: keys, SortOK: true, Indexed: indexed},
		})
	})
}
