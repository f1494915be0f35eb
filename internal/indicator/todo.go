package indicator

import (
	"context"
	"fmt"
	"time"

	"fazhi/internal/metric"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/todo"
)

// Todo lists what waits in the to-do centre: for a unit's handlers the
// assignments of open campaigns led by their unit (or below) still to
// self-assess or returned for changes (by due date); for the 司法局 reviewers the submissions whose
// review task is theirs (by review due date).
func (s *Service) Todo(ctx context.Context, now time.Time) ([]todo.Item, error) {
	a := auth.From(ctx)
	out := []todo.Item{}
	if a == nil {
		return out, nil
	}
	today := s.today(ctx).String()
	if a.Can(PermWrite) {
		// The actor's own unit's assignments (a 司法局 account with a
		// district-wide scope is not handed every unit's work).
		scope, args := auth.ScopeClause(a, PermWrite, "a.unit_id")
		args = append(args, a.UnitPath+"%", todo.Cap)
		rows, err := db.All(ctx, s.db, scanAssignment, "SELECT "+assignmentCols+assignmentFrom+` JOIN indicator_campaigns c ON c.id = a.campaign_id
WHERE c.status = 'open' AND a.status IN ('pending', 'returned') AND `+scope+` AND u.path LIKE ? ORDER BY a.due_on, a.id LIMIT ?`, args...)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			action := "上传佐证材料并自评"
			if r.Status == StatusReturned {
				action = "按复核意见修改后重新提交"
			}
			out = append(out, todo.Item{Action: action, Title: r.ItemCode + " " + r.ItemTitle, Number: "指标 " + r.ItemCode, UnitName: r.UnitName,
				Due: r.DueOn, DueRule: "任务分解表确定的完成时限", Overdue: r.DueOn != "" && r.DueOn < today, Link: fmt.Sprintf("/indicator/assignments/%d", r.ID)})
		}
	}
	if a.Can(PermManage) {
		rows, err := db.All(ctx, s.db, scanAssignment, "SELECT "+assignmentCols+assignmentFrom+` JOIN indicator_campaigns c ON c.id = a.campaign_id
WHERE c.status = 'open' AND a.status = 'submitted' ORDER BY a.review_due, a.id LIMIT ?`, todo.Cap)
		if err != nil {
			return nil, err
		}
		rule := ""
		if r, err := s.rules.Get(RuleReview); err == nil {
			rule = r.Label + "（" + r.Period.String() + "）"
		}
		for _, r := range rows {
			if !isTaskHolder(flowOf(&r), a.UserID) {
				continue
			}
			out = append(out, todo.Item{Action: "复核自评（通过定分或退回修改）", Title: r.ItemCode + " " + r.ItemTitle, Number: "指标 " + r.ItemCode,
				UnitName: r.UnitName, Due: r.ReviewDue, DueRule: rule, Overdue: r.ReviewDue != "" && r.ReviewDue < today,
				Link: fmt.Sprintf("/indicator/assignments/%d", r.ID)})
		}
	}
	return out, nil
}

// FigureRef is a figure that items may bind to.
type FigureRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Unit string `json:"unit"`
}

// FigureCatalogue lists the figures the registers provide now (computed
// for this year as the system: the codes and names are what matters).
func (s *Service) FigureCatalogue(ctx context.Context) ([]FigureRef, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	out := []FigureRef{}
	if s.deps.Figures == nil {
		return out, nil
	}
	figs, err := s.deps.Figures(auth.With(ctx, auth.SystemActor("示范创建数据指标目录")), metric.Year(s.today(ctx)))
	if err != nil {
		return nil, err
	}
	for _, f := range figs {
		out = append(out, FigureRef{Code: f.Code, Name: f.Name, Unit: f.Unit})
	}
	return out, nil
}
