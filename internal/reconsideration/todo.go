package reconsideration

import (
	"context"
	"fmt"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/todo"
)

// Todo lists, for the to-do centre, the cases with a running clock that
// wait for the actor: for those who handle cases (the 复议机构), every open
// case in their scope whose current step is theirs; for a respondent
// unit's staff, their own unit's cases waiting for its reply. Served by the
// (status, due_on) index, open cases only.
func (s *Service) Todo(ctx context.Context, now time.Time) ([]todo.Item, error) {
	a := auth.From(ctx)
	out := []todo.Item{}
	if a == nil {
		return out, nil
	}
	today := s.today(ctx).String()
	type row struct {
		id                               int64
		code, applicant, unit, due, step string
		status                           Status
	}
	scan := func(sc db.Scanner) (row, error) {
		var r row
		err := sc.Scan(&r.id, &r.code, &r.applicant, &r.unit, &r.due, &r.step, &r.status)
		return r, err
	}
	const cols = `SELECT c.id, c.code, c.applicant_name, COALESCE(u.name, ''), c.due_on, c.due_step, c.status
FROM reconsideration_cases c LEFT JOIN org_unit_refs u ON u.id = c.unit_id WHERE `
	item := func(r row, action string) todo.Item {
		return todo.Item{Action: action, Title: "申请人 " + r.applicant + " 的行政复议申请", Number: r.code, UnitName: r.unit,
			Due: r.due, DueRule: r.step, Overdue: r.due != "" && r.due < today, Link: fmt.Sprintf("/reconsideration/%d", r.id)}
	}
	if a.Can(PermWrite) {
		scope, args := auth.ScopeClause(a, PermWrite, "c.unit_id")
		rows, err := db.All(ctx, s.db, scan, cols+`c.status IN ('received', 'correcting', 'accepted', 'reviewing') AND `+scope+
			` ORDER BY c.due_on, c.id LIMIT ?`, append(args, todo.Cap)...)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			action := r.step
			if r.status == StatusCorrecting {
				action = "等待申请人补正"
			}
			out = append(out, item(r, action))
		}
		return out, nil
	}
	if a.UnitID > 0 && a.CanIn(PermRead, a.UnitPath) {
		rows, err := db.All(ctx, s.db, scan, cols+`c.status = 'replying' AND c.unit_id = ? ORDER BY c.due_on, c.id LIMIT ?`, a.UnitID, todo.Cap)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out = append(out, item(r, "作为被申请人提交书面答复和证据"))
		}
	}
	return out, nil
}
