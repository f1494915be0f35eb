package mediation

import (
	"testing"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The case register's default order (newest first by id) and its common
// filters are served by an index (migration 00230) on both databases: a
// town's scope, the open cases, one committee's cases, a receipt period
// (the figures' link).
func TestListPlans(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		list := func(who int64, f Filter) db.ListSQL {
			_, l, err := s.listSQL(as(who), f)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		keys := []any{int64(500)}
		indexed := []string{"c", "mediation_cases"}
		dbtest.CheckPlans(t, d, []dbtest.PlanCase{
			{Name: "whole register", List: list(leader, Filter{}), Keys: keys},
			{Name: "a town's scope", List: list(townClerk, Filter{}), Keys: keys, SortOK: true, Indexed: indexed},
			{Name: "open cases", List: list(leader, Filter{Status: StatusOpen}), Keys: keys, SortOK: true, Indexed: indexed},
			{Name: "by status", List: list(leader, Filter{Status: StatusSucceeded}), Keys: keys, SortOK: true, Indexed: indexed},
			{Name: "one committee", List: list(leader, Filter{CommitteeID: 1}), Keys: keys, SortOK: true, Indexed: indexed},
			{Name: "received in a period", List: list(leader, Filter{ReceivedFrom: "2026-01-01", ReceivedTo: "2026-03-31"}), Keys: keys, SortOK: true, Indexed: indexed},
		})
	})
}
