package report

import (
	"context"
	"fmt"
	"slices"
	"time"

	"fazhi/internal/platform/auth"
	cal "fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/workflow"
	"fazhi/internal/todo"
)

// maxReviewing bounds the reports under review read for one to-do list
// (one per unit and year: a district has a few dozen at most).
const maxReviewing = 500

// Todo lists the reports waiting for the actor's review step, and for
// publishers the approved reports not yet published, with the deadline.
func (s *Service) Todo(ctx context.Context, now time.Time) ([]todo.Item, error) {
	a := auth.From(ctx)
	out := []todo.Item{}
	if a == nil || a.System || !a.Can(PermRead) {
		return out, nil
	}
	type row struct {
		id          int64
		kind, title string
		unit, flow  string
		year        int
		status      string
	}
	scope, args := auth.ScopeClause(a, PermRead, "r.unit_id")
	rows, err := db.All(ctx, s.db, func(sc db.Scanner) (row, error) {
		var r row
		err := sc.Scan(&r.id, &r.kind, &r.title, &r.unit, &r.flow, &r.year, &r.status)
		return r, err
	}, `SELECT r.id, r.kind, r.title, r.unit_name, r.flow, r.year, r.status FROM reports r
WHERE r.status IN ('reviewing', 'approved') AND `+scope+` ORDER BY r.id LIMIT ?`, append(args, maxReviewing)...)
	if err != nil {
		return nil, err
	}
	today := cal.Today(now).String()
	for _, r := range rows {
		item := todo.Item{Title: r.title, UnitName: r.unit, Link: fmt.Sprintf("/reports/%d", r.id)}
		if res, rule, err := s.Deadline(r.kind, r.year); err == nil {
			item.Due, item.DueRule, item.Overdue = res.Due.String(), rule.Label, res.Due.String() < today
		}
		switch r.status {
		case StatusReviewing:
			if !a.Can(PermApprove) || r.flow == "" {
				continue
			}
			flows, err := parseFlows(r.flow)
			if err != nil || len(flows) == 0 {
				continue
			}
			in := flows[len(flows)-1]
			if in.Status != workflow.Running || !slices.Contains(in.Pending(), a.UserID) {
				continue
			}
			item.Action = "审核：" + in.CurrentStep().Name
		case StatusApproved:
			if !a.Can(PermPublish) {
				continue
			}
			item.Action = "公布年度报告"
		}
		out = append(out, item)
	}
	return out, nil
}
