package randominspection

import (
	"context"
	"fmt"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/todo"
)

// Todo lists, for the to-do centre, the checks of the actor's own unit
// (randominspection.write in the unit): results to record for checks
// drawn, and results to publish, due on the publication deadline (rule
// randominspection.publish). Read through the (unit_id, status) index.
func (s *Service) Todo(ctx context.Context, now time.Time) ([]todo.Item, error) {
	a := auth.From(ctx)
	out := []todo.Item{}
	if a == nil || a.UnitID <= 0 || !a.CanIn(PermWrite, a.UnitPath) {
		return out, nil
	}
	today := calendar.Today(now).String()
	checks, err := db.All(ctx, s.db, scanCheck, "SELECT "+checkCols+" FROM "+checkFrom+
		" WHERE c.unit_id = ? AND c.status IN ('pending', 'recorded') ORDER BY c.unit_id, c.status, c.id LIMIT ?", a.UnitID, todo.Cap)
	if err != nil {
		return nil, err
	}
	for _, c := range checks {
		s.decorate(c, today)
		it := todo.Item{Title: c.EntityName, Number: fmt.Sprintf("%s-%d", c.PlanCode, c.Seq), UnitName: c.UnitName,
			Link: fmt.Sprintf("/random-inspections/checks/%d", c.ID)}
		if c.Status == CheckPending {
			it.Action = "双随机抽查：录入检查结果"
		} else {
			it.Action, it.Due, it.DueRule, it.Overdue = "双随机抽查：公示检查结果", c.PublishDue, "双随机抽查结果公示（20 个工作日）", c.PublishDue < today
		}
		out = append(out, it)
	}
	return out, nil
}
