package normdoc

import (
	"testing"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The ledger's default order (published_on DESC, id DESC) and its common
// filters are served by indexes (migration 00130) on both databases.
func TestListPlans(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := &auth.Actor{UserID: 1, Perms: map[string]auth.Scope{PermRead: {Ranges: []auth.UnitRange{{Path: "/1/3/", Subtree: true}}}}}
		scope, sargs := auth.ScopeClause(a, PermRead, "d.unit_id")
		list := func(conds ...Where) db.ListSQL {
			var w Where
			for _, c := range conds {
				w.Add(c.Conds[0], c.Args...)
			}
			l, _ := docList(d.Dialect(), w)
			return l
		}
		cond := func(c string, args ...any) Where { return Where{Conds: []string{c}, Args: args} }
		keys := []any{"2026-06-01", int64(500)}
		idx := []string{"d", "normdoc_documents"}
		dbtest.CheckPlans(t, d, []dbtest.PlanCase{
			{Name: "whole ledger", List: list(), Keys: keys},
			{Name: "by status", List: list(cond("d.status = ?", string(StatusPublished))), Keys: keys, Indexed: idx},
			{Name: "by issuer", List: list(cond("d.issuer_id = ?", 3)), Keys: keys, Indexed: idx},
			{Name: "published in a year", List: list(cond("d.published_on >= ? AND d.published_on <= ?", "2026-01-01", "2026-12-31")), Keys: keys, Indexed: idx},
			{Name: "a department's scope", List: list(cond(scope, sargs...)), Keys: keys, SortOK: true, Indexed: idx},
		})
	})
}
