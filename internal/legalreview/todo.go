package legalreview

import (
	"context"
	"strconv"
	"time"

	"fazhi/internal/todo"
)

// Todo lists, for the to-do centre, the running reviews whose current step
// waits for the actor (the status index narrows to running reviews; the
// pending list names the actor). The deadline is the step's, from the
// review chain on the working-day calendar, else the review's statutory one.
func (s *Service) Todo(ctx context.Context, now time.Time) ([]todo.Item, error) {
	ts, err := s.Tasks(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]todo.Item, 0, len(ts))
	for _, t := range ts {
		it := todo.Item{Action: "审查办理：" + t.Step, Title: t.Title, UnitName: t.UnitName,
			Link: "/legalreviews/" + strconv.FormatInt(t.ReviewID, 10)}
		if t.Step == "" {
			it.Action = "审查办理"
		}
		if d := todo.DateOf(t.StepDue); d != "" {
			it.Due, it.DueRule = d, "审查流程本步骤期限"
			it.Overdue = now.After(t.StepDue)
		} else {
			it.Due, it.DueRule = t.DueOn, "审查办结期限"
		}
		out = append(out, it)
		if len(out) == todo.Cap {
			break
		}
	}
	return out, nil
}
