package disclosure

import (
	"context"
	"fmt"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/todo"
)

// Todo lists, for the to-do centre, the requests of the actor's own unit
// whose clock runs: those to answer (due on the reply deadline) and those
// waiting for a third party (due on the third party's deadline). Served by
// the unit index; only open rows are read.
func (s *Service) Todo(ctx context.Context, now time.Time) ([]todo.Item, error) {
	actor := auth.From(ctx)
	out := []todo.Item{}
	if actor == nil || actor.UnitID == 0 || !actor.CanIn(PermWrite, actor.UnitPath) {
		return out, nil
	}
	type row struct {
		id                                           int64
		code, content, unit, status, due, consultDue string
	}
	rows, err := db.All(ctx, s.db, func(sc db.Scanner) (row, error) {
		var r row
		err := sc.Scan(&r.id, &r.code, &r.content, &r.unit, &r.status, &r.due, &r.consultDue)
		return r, err
	}, `SELECT r.id, r.code, r.content, COALESCE(u.name, ''), r.status, r.reply_due, r.consult_due
FROM disclosure_requests r LEFT JOIN org_unit_refs u ON u.id = r.unit_id
WHERE r.unit_id = ? AND r.status IN ('processing', 'consulting') ORDER BY r.reply_due, r.id LIMIT ?`, actor.UnitID, todo.Cap)
	if err != nil {
		return nil, err
	}
	today := calendar.Today(now).String()
	for _, r := range rows {
		title := []rune(r.content)
		if len(title) > 40 {
			title = append(title[:40], '…')
		}
		it := todo.Item{Action: "答复依申请公开申请", Title: string(title), Number: r.code, UnitName: r.unit, Due: r.due,
			DueRule: "依申请公开答复期限（20 个工作日，可延长）", Overdue: r.due < today, Link: fmt.Sprintf("/disclosure/%d", r.id)}
		if r.status == StatusConsulting {
			it.Action, it.Due, it.DueRule, it.Overdue = "催办第三方意见", r.consultDue, "第三方答复期限（15 个工作日）", r.consultDue < today
		}
		out = append(out, it)
	}
	return out, nil
}
