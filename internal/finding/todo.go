package finding

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/workflow"
	"fazhi/internal/todo"
)

type todoRow struct {
	id                     int64
	code, title, unit, due string
	closeout               []byte
}

func scanTodoRow(sc db.Scanner) (todoRow, error) {
	var r todoRow
	var closeout *string
	err := sc.Scan(&r.id, &r.code, &r.title, &r.unit, &r.due, &closeout)
	if closeout != nil {
		r.closeout = []byte(*closeout)
	}
	return r, err
}

const todoCols = `SELECT f.id, f.code, f.title, COALESCE(u.name, ''), f.rectify_due, f.closeout
FROM findings f LEFT JOIN org_unit_refs u ON u.id = f.unit_id `

// Todo lists, for the to-do centre, the findings the actor's own unit has
// to rectify (the actor may write there; served by the unit index) and the
// close-out steps waiting for the actor (findings in 销号审核 within the
// actor's approval scope, served by the status index, whose current step
// names the actor).
func (s *Service) Todo(ctx context.Context, now time.Time) ([]todo.Item, error) {
	actor := auth.From(ctx)
	out := []todo.Item{}
	if actor == nil {
		return out, nil
	}
	if actor.UnitID > 0 && actor.CanIn(PermWrite, actor.UnitPath) {
		rows, err := db.All(ctx, s.db, scanTodoRow, todoCols+`WHERE f.unit_id = ? AND f.status = ?
ORDER BY f.rectify_due, f.id LIMIT ?`, actor.UnitID, string(StatusOpen), todo.Cap)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out = append(out, todo.Item{Action: "整改并申请销号", Title: r.title, Number: r.code, UnitName: r.unit,
				Due: r.due, DueRule: "整改期限", Link: fmt.Sprintf("/findings/%d", r.id)})
		}
	}
	if actor.Can(PermApprove) {
		scope, args := auth.ScopeClause(actor, PermApprove, "f.unit_id")
		rows, err := db.All(ctx, s.db, scanTodoRow, todoCols+`WHERE f.status = ? AND `+scope+` ORDER BY f.rectify_due, f.id`,
			append([]any{string(StatusClosing)}, args...)...)
		if err != nil {
			return nil, err
		}
		verify := 0
		for _, r := range rows {
			var in workflow.Instance
			if len(r.closeout) == 0 || json.Unmarshal(r.closeout, &in) != nil || in.Status != workflow.Running ||
				!slices.Contains(in.Pending(), actor.UserID) {
				continue
			}
			due := in.Steps[in.Current].DueAt
			out = append(out, todo.Item{Action: "销号审核：" + in.CurrentStep().Name, Title: r.title, Number: r.code, UnitName: r.unit,
				Due: todo.DateOf(due), DueRule: "销号审核本步骤期限", Overdue: !due.IsZero() && now.After(due),
				Link: fmt.Sprintf("/findings/%d", r.id)})
			if verify++; verify == todo.Cap {
				break
			}
		}
	}
	return out, nil
}
