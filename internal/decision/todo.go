package decision

import (
	"context"
	"strconv"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/todo"
)

// bodySteps are the steps the decision body records in its own name.
var bodySteps = []Step{StepCollective, StepPartyReport, StepPublication}

// Todo lists, for the to-do centre, the decisions whose next step is the
// actor's: for the responsible unit's staff (decision.write for their own
// unit), the open decisions of their unit whose stage is theirs (served by
// the unit index); for an account acting for a decision body
// (decision.certify for exactly its own unit), the decisions at a body step
// (collective decision, party-committee report, publication) whose body is
// that unit (served by the stage index). A decision waiting for its
// legality review is the reviewers' item, not the unit's. The public
// comment period's end, from the calendar rule applied when consultation
// opened, is the consultation item's deadline.
func (s *Service) Todo(ctx context.Context, _ time.Time) ([]todo.Item, error) {
	a := auth.From(ctx)
	out := []todo.Item{}
	if a == nil || a.UnitID <= 0 {
		return out, nil
	}
	if a.CanIn(PermWrite, a.UnitPath) {
		ds, err := db.All(ctx, s.db, scanDecision, "SELECT "+decisionListCols+decisionFrom+
			" WHERE d.unit_id = ? AND d.status IN (?, ?) ORDER BY d.id LIMIT ?", a.UnitID, string(StatusActive), string(StatusPublished), todo.Cap)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			if it, ok := unitTodo(d); ok {
				out = append(out, it)
			}
		}
	}
	if a.ActsFor(PermCertify, a.UnitPath) {
		ds, err := db.All(ctx, s.db, scanDecision, "SELECT "+decisionListCols+decisionFrom+
			" WHERE d.stage IN (?, ?, ?) AND d.status = ? AND d.body_unit_id = ? AND d.unit_id <> ? ORDER BY d.id LIMIT ?",
			string(bodySteps[0]), string(bodySteps[1]), string(bodySteps[2]), string(StatusActive), a.UnitID, a.UnitID, todo.Cap)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			out = append(out, item(d, "决策机关登记："+d.Stage.Label()))
		}
	}
	return out[:min(len(out), todo.Cap)], nil
}

// unitTodo is the responsible unit's item for d, if its next step is the
// unit's.
func unitTodo(d Decision) (todo.Item, bool) {
	switch {
	case d.Status == StatusActive && d.Consultation == ConsultOpen:
		it := item(d, "公众参与：征求意见期满后公布意见采纳情况")
		it.Due, it.DueRule = d.CommentEnd, "公开征求意见截止日（不少于30日，按工作日历顺延）"
		return it, true
	case d.Status == StatusActive && d.Stage == StepLegalReview && d.LegalReviewStatus == ReviewPending:
		return todo.Item{}, false // the reviewers' step
	case d.Status == StatusActive && d.Stage == StepLegalReview && d.LegalReviewStatus == ReviewFailed:
		return item(d, "合法性审查未通过：修改草案后重新送审"), true
	case d.Status == StatusActive:
		for _, b := range bodySteps {
			if d.Stage == b {
				return todo.Item{}, false // the decision body's step
			}
		}
		return item(d, "决策办理："+d.Stage.Label()), true
	case d.Status == StatusPublished && (d.Stage == StepImplementation || d.Stage == StepArchive):
		return item(d, "决策办理："+d.Stage.Label()), true
	}
	return todo.Item{}, false
}

func item(d Decision, action string) todo.Item {
	return todo.Item{Action: action, Title: d.Title, Number: d.Code, UnitName: d.UnitName,
		Link: "/decisions/" + strconv.FormatInt(d.ID, 10)}
}
