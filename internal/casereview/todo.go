package casereview

import (
	"context"
	"fmt"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/todo"
)

// Todo lists, for the to-do centre: the notices addressed to the actor's
// own unit still to answer (casereview.write), due on their reply
// deadline (rule casereview.notice_reply); and, for the organising unit
// (casereview.manage), the drawn files still to score.
func (s *Service) Todo(ctx context.Context, now time.Time) ([]todo.Item, error) {
	a := auth.From(ctx)
	out := []todo.Item{}
	if a == nil || a.UnitID <= 0 {
		return out, nil
	}
	today := calendar.Today(now).String()
	if a.CanIn(PermWrite, a.UnitPath) {
		ns, err := db.All(ctx, s.db, scanNotice, "SELECT "+noticeCols+" FROM "+noticeFrom+
			" WHERE n.unit_id = ? AND n.status = 'issued' ORDER BY n.unit_id, n.id LIMIT ?", a.UnitID, todo.Cap)
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			decorate(n, today)
			out = append(out, todo.Item{Title: n.Subject, Number: n.Number, UnitName: n.UnitName, Link: fmt.Sprintf("/case-review/notices/%d", n.ID),
				Action: "答复" + n.KindLabel, Due: n.ReplyDue, DueRule: "监督意见书答复（规则 casereview.notice_reply）", Overdue: n.Overdue})
		}
	}
	if a.CanIn(PermManage, a.UnitPath) {
		fs, err := db.All(ctx, s.db, scanFileValue, "SELECT "+fileCols+" FROM "+fileFrom+
			" WHERE p.unit_id = ? AND f.status = 'pending' ORDER BY f.id LIMIT ?", a.UnitID, todo.Cap)
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			out = append(out, todo.Item{Title: f.CaseTitle, Number: fmt.Sprintf("%s-%d %s", f.PlanCode, f.Seq, f.CaseCode), UnitName: f.UnitName,
				Link: fmt.Sprintf("/case-review/files/%d", f.ID), Action: "案卷评查：评分"})
		}
	}
	return out, nil
}
