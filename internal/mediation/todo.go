package mediation

import (
	"context"
	"fmt"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/todo"
)

// Todo lists, for the to-do centre, the written agreements of the actor's
// own unit (and the units below it: a town's villages) whose
// judicial-confirmation window is still open with no application recorded
// — the one clock of the register (rule mediation.confirm). Served by the
// confirm_due index: only windows not yet closed are read.
func (s *Service) Todo(ctx context.Context, now time.Time) ([]todo.Item, error) {
	a := auth.From(ctx)
	out := []todo.Item{}
	if a == nil || a.UnitID == 0 || !a.CanIn(PermWrite, a.UnitPath) {
		return out, nil
	}
	today := calendar.Today(now).String()
	scope, args := auth.ScopeClause(a, PermWrite, "c.unit_id")
	type row struct {
		id                          int64
		code, parties, unit, due, c string
	}
	rows, err := db.All(ctx, s.db, func(sc db.Scanner) (row, error) {
		var r row
		err := sc.Scan(&r.id, &r.code, &r.parties, &r.unit, &r.due, &r.c)
		return r, err
	}, `SELECT c.id, COALESCE(c.code, ''), c.parties, COALESCE(u.name, ''), c.confirm_due, COALESCE(m.name, '')
FROM mediation_cases c LEFT JOIN org_unit_refs u ON u.id = c.unit_id LEFT JOIN mediation_committees m ON m.id = c.committee_id
WHERE c.confirm_due >= ? AND c.status = 'succeeded' AND c.confirm_applied_on IS NULL AND `+inSubtree("c.unit_id")+` AND `+scope+`
ORDER BY c.confirm_due, c.id LIMIT ?`, append(append([]any{today, a.UnitID}, args...), todo.Cap)...)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out = append(out, todo.Item{Action: "告知当事人可申请司法确认", Title: r.c + "调解协议（" + r.parties + "）", Number: r.code,
			UnitName: r.unit, Due: r.due, DueRule: ConfirmRule.Label + "（协议生效之日起 30 日）", Link: fmt.Sprintf("/mediation/cases/%d", r.id)})
	}
	return out, nil
}
