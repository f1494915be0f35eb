package finding

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"fazhi/internal/notification"
	"fazhi/internal/notification/reminders"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/workflow"
)

// The close-out chain: a reviewer approves, rejects or returns the
// request (销号审核).

// ActInput is a close-out reviewer's decision.
type ActInput struct {
	Version int    `json:"version"`
	Opinion string `json:"opinion,omitempty"`
	ToStep  string `json:"to_step,omitempty" doc:"退回到的步骤（退回时）"`
}

// Close-out actions.
const (
	ActApprove = "approve"
	ActReject  = "reject"
	ActReturn  = "return"
)

// Act applies a reviewer's approve, reject or return to the close-out
// chain. Approval of the last step closes the finding (销号) and schedules
// the re-check; a rejection sends it back to rectification with its
// reminders and escalation restored.
func (s *Service) Act(ctx context.Context, id int64, action string, in ActInput) (*Detail, error) {
	var box []outbox
	err := s.update(ctx, id, in.Version, PermApprove, func(tx *db.Tx, actor *auth.Actor, f *Finding) (*edit, error) {
		if f.Status != string(StatusClosing) || len(f.closeout) == 0 {
			return nil, apperr.New(apperr.Precondition, "问题当前为「%s」，不在销号审核中", f.StatusLabel)
		}
		var inst workflow.Instance
		if err := json.Unmarshal(f.closeout, &inst); err != nil {
			return nil, err
		}
		act := workflow.Act{Actor: actor.UserID, At: s.clock(ctx), Opinion: strings.TrimSpace(in.Opinion)}
		eng := s.engine(ctx, tx)
		var next *workflow.Instance
		var evs []workflow.Event
		var err error
		switch action {
		case ActApprove:
			next, evs, err = eng.Approve(&inst, act)
		case ActReject:
			next, evs, err = eng.Reject(&inst, act)
		case ActReturn:
			next, evs, err = eng.Return(&inst, act, in.ToStep)
		default:
			return nil, apperr.Field("action", "未知的审核操作「%s」", action)
		}
		if err != nil {
			return nil, err
		}
		js, err := json.Marshal(next)
		if err != nil {
			return nil, err
		}
		sets := []string{"closeout = ?"}
		args := []any{string(js)}
		var followUp string
		switch next.Status {
		case workflow.Approved:
			today := s.today(ctx)
			rule, err := s.rules.Get(RuleRecheck)
			if err != nil {
				return nil, err
			}
			res, err := s.cal.Compute(rule.Period, today)
			if err != nil {
				return nil, err
			}
			sets = append(sets, "status = ?", "closed_on = ?", "recheck_due = ?")
			args = append(args, string(StatusClosed), today.String(), res.Due.String())
			followUp = "closed"
		case workflow.Rejected:
			sets = append(sets, "status = ?")
			args = append(args, string(StatusOpen))
			followUp = "reopen"
		}
		return &edit{action: "closeout." + action, note: act.Opinion, sets: sets, args: args,
			then: func(tx *db.Tx, after *Finding) error {
				switch followUp {
				case "closed":
					if err := s.record(ctx, tx, after, "closed", "回头看期限 "+after.RecheckDue, nil, nil); err != nil {
						return err
					}
					rd, _ := calendar.ParseDate(after.RecheckDue)
					if _, err := reminders.Schedule(ctx, tx, reminders.Reminder{
						Key: recheckKey(id), UserIDs: []int64{after.CreatedBy}, UnitID: after.UnitID,
						Title: fmt.Sprintf("问题整改“回头看”期限将至：%s", after.Title),
						Body:  fmt.Sprintf("问题 %s 已于 %s 销号，请在 %s 前开展“回头看”。", after.Code, after.ClosedOn, after.RecheckDue),
						Link:  fmt.Sprintf("/findings/%d", id), Due: endOfDay(rd), Offsets: []time.Duration{7 * 24 * time.Hour},
					}); err != nil {
						return err
					}
					if err := s.notifyIn(ctx, tx, &box, []int64{after.CreatedBy}, notification.New{Title: "问题已销号：" + after.Title,
						Body: fmt.Sprintf("问题 %s 销号审核通过。", after.Code), Link: fmt.Sprintf("/findings/%d", id),
						SourceKey: fmt.Sprintf("finding:%d:closed:%d", id, after.Version)}); err != nil {
						return err
					}
				case "reopen":
					if err := s.record(ctx, tx, after, "reopen", "销号审核未通过，继续整改", nil, nil); err != nil {
						return err
					}
					if err := s.scheduleClock(ctx, tx, after); err != nil {
						return err
					}
					if err := s.notifyIn(ctx, tx, &box, []int64{after.CreatedBy}, notification.New{Title: "销号审核未通过：" + after.Title,
						Body: fmt.Sprintf("问题 %s 销号审核未通过：%s", after.Code, act.Opinion), Link: fmt.Sprintf("/findings/%d", id),
						SourceKey: fmt.Sprintf("finding:%d:reopen:%d", id, after.Version)}); err != nil {
						return err
					}
				}
				if err := s.scheduleSteps(ctx, tx, id, next); err != nil {
					return err
				}
				return s.workflowNotices(ctx, tx, &box, after, evs)
			}}, nil
	})
	if err != nil {
		return nil, err
	}
	s.flush(ctx, box)
	return s.Get(ctx, id)
}
