package dbtest

import (
	"context"
	"strings"
	"testing"

	"fazhi/internal/platform/db"
)

// PlanCase is one list query whose plan a test checks: the first page and a
// deep page (after a cursor with Keys, values of the order's columns) must be
// served by an index: no sort for the ORDER BY unless SortOK (a filter on a
// set of units, which no single index orders), and no full scan of the tables
// named in Indexed (aliases as written in the query).
type PlanCase struct {
	Name    string
	List    db.ListSQL
	Keys    []any
	SortOK  bool
	Indexed []string
}

// CheckPlans EXPLAINs each case on d and fails the test for every problem.
func CheckPlans(t *testing.T, d *db.DB, cases []PlanCase) {
	t.Helper()
	ctx := context.Background()
	for _, c := range cases {
		for _, req := range []db.ListReq{{}, {After: db.Cursor(600, c.Keys)}} {
			q, args, _, _, err := c.List.PageSQL(req)
			if err != nil {
				t.Fatalf("%s: %v", c.Name, err)
			}
			plan, err := db.Plan(ctx, d, q, args...)
			if err != nil {
				t.Fatalf("%s: explain: %v", c.Name, err)
			}
			var probs []string
			for _, p := range db.PlanProblems(d.Dialect(), plan, len(c.Indexed) == 0, c.Indexed...) {
				if c.SortOK && strings.HasPrefix(p, "sort") {
					continue
				}
				probs = append(probs, p)
			}
			if len(probs) > 0 {
				t.Errorf("%s (%s, after=%v): %v\n%s\n%s", c.Name, d.Dialect(), req.After != "", probs, q, plan)
			}
		}
	}
}
