package counsel

import (
	"context"
	"fmt"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/todo"
)

// The to-do rules of the register (documented in the user manual):
//
//   - RenewWithin: a contract of an adviser on the roll managed by the
//     actor's unit that ends within this many days (today included) and is
//     not followed by a later contract with the same unit is an item due on
//     its last day — renew it or engage another adviser, or the unit drops
//     out of the coverage;
//   - EvaluationDue: year Y's evaluation ("five unified", 统一考核) of an
//     adviser on the roll who served under a contract in Y may be recorded
//     from 1 December of Y (the Evaluate gate) and is due by 31 January of
//     Y+1: it is an item from 1 December, overdue after the due date, until
//     it is recorded.
const RenewWithin = 60

// EvaluationDue is the last day of year's evaluation.
func EvaluationDue(year int) calendar.Date { return calendar.NewDate(year+1, 1, 31) }

// Todo lists, for the to-do centre, the contracts to renew and the yearly
// evaluations to record of the advisers the actor's own unit manages (the
// actor may manage them). It reads that unit's advisers through the
// (unit_id, id) index and their contracts and evaluations by adviser.
func (s *Service) Todo(ctx context.Context, now time.Time) ([]todo.Item, error) {
	actor := auth.From(ctx)
	out := []todo.Item{}
	if actor == nil || actor.UnitID == 0 || !actor.CanIn(PermWrite, actor.UnitPath) {
		return out, nil
	}
	today := calendar.Today(now)
	type ending struct {
		adviser            int64
		name, unit, endsOn string
	}
	ends, err := db.All(ctx, s.db, func(sc db.Scanner) (ending, error) {
		var e ending
		return e, sc.Scan(&e.adviser, &e.name, &e.unit, &e.endsOn)
	}, `SELECT a.id, a.name, COALESCE(u.name, ''), k.ends_on FROM counsel_advisers a
JOIN counsel_contracts k ON k.adviser_id = a.id LEFT JOIN org_unit_refs u ON u.id = k.unit_id
WHERE a.unit_id = ? AND a.active = 1 AND k.ends_on >= ? AND k.ends_on <= ?
AND NOT EXISTS (SELECT 1 FROM counsel_contracts n WHERE n.adviser_id = k.adviser_id AND n.unit_id = k.unit_id AND n.starts_on > k.ends_on)
ORDER BY k.ends_on, a.id LIMIT ?`, actor.UnitID, today.String(), today.AddDays(RenewWithin-1).String(), todo.Cap)
	if err != nil {
		return nil, err
	}
	for _, e := range ends {
		out = append(out, todo.Item{Action: "续聘或另行选聘法律顾问", Title: fmt.Sprintf("%s（服务单位：%s）聘用合同 %s 期满", e.name, e.unit, e.endsOn),
			UnitName: e.unit, Due: e.endsOn, DueRule: fmt.Sprintf("聘用合同期满（期满前 %d 日起提示）", RenewWithin), Link: fmt.Sprintf("/counsel/advisers/%d", e.adviser)})
	}
	years := []int{today.Year - 1}
	if !today.Before(calendar.NewDate(today.Year, 12, 1)) {
		years = append(years, today.Year)
	}
	for _, y := range years {
		due := EvaluationDue(y)
		type pending struct {
			id         int64
			name, unit string
		}
		ps, err := db.All(ctx, s.db, func(sc db.Scanner) (pending, error) {
			var p pending
			return p, sc.Scan(&p.id, &p.name, &p.unit)
		}, `SELECT a.id, a.name, COALESCE(u.name, '') FROM counsel_advisers a LEFT JOIN org_unit_refs u ON u.id = a.unit_id
WHERE a.unit_id = ? AND a.active = 1
AND EXISTS (SELECT 1 FROM counsel_contracts k WHERE k.adviser_id = a.id AND k.starts_on <= ? AND k.ends_on >= ?)
AND NOT EXISTS (SELECT 1 FROM counsel_evaluations e WHERE e.adviser_id = a.id AND e.year = ?)
ORDER BY a.id LIMIT ?`, actor.UnitID, fmt.Sprintf("%d-12-31", y), fmt.Sprintf("%d-01-01", y), y, todo.Cap)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			out = append(out, todo.Item{Action: "登记法律顾问年度考核", Title: fmt.Sprintf("%s %d 年度考核（“五统一”）", p.name, y), UnitName: p.unit,
				Due: due.String(), DueRule: "年度考核于次年 1 月 31 日前完成", Overdue: today.After(due), Link: fmt.Sprintf("/counsel/advisers/%d", p.id)})
		}
	}
	if len(out) > todo.Cap {
		out = out[:todo.Cap]
	}
	return out, nil
}
