package finding

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"fazhi/internal/notification"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/workflow"
)

// Rectification: the unit reports its measures and asks for close-out
// (整改销号申请), which starts the close-out chain.

// RectifyInput reports rectification and asks for close-out.
type RectifyInput struct {
	Version     int    `json:"version"`
	Measures    string `json:"measures" doc:"整改措施及成效"`
	RectifiedOn string `json:"rectified_on" doc:"整改完成日期"`
}

// pending notifications to deliver after commit
type outbox struct {
	users []int64
	msg   notification.New
}

func (s *Service) notifyIn(ctx context.Context, tx db.Querier, box *[]outbox, users []int64, msg notification.New) error {
	if s.notes == nil || len(users) == 0 {
		return nil
	}
	msg.UserIDs = users
	got, err := s.notes.Create(ctx, tx, msg)
	if err != nil {
		return err
	}
	*box = append(*box, outbox{got, msg})
	return nil
}

func (s *Service) flush(ctx context.Context, box []outbox) {
	for _, o := range box {
		s.notes.Deliver(context.WithoutCancel(ctx), o.users, o.msg)
	}
}

// workflowNotices turns chain events into to-do notifications.
func (s *Service) workflowNotices(ctx context.Context, tx db.Querier, box *[]outbox, f *Finding, evs []workflow.Event) error {
	for _, e := range evs {
		if e.Action != workflow.ActActivate || len(e.To) == 0 {
			continue
		}
		err := s.notifyIn(ctx, tx, box, e.To, notification.New{
			Title:     "待审核：问题整改销号",
			Body:      fmt.Sprintf("问题 %s「%s」已报送整改情况，请审核销号。", f.Code, f.Title),
			Link:      fmt.Sprintf("/findings/%d", f.ID),
			SourceKey: fmt.Sprintf("finding:%d:closeout:%s:%d:%d", f.ID, e.Step, e.Round, e.Seq),
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Rectify records the measures, starts the close-out chain and stops the
// rectification reminders. At least one piece of evidence is required.
func (s *Service) Rectify(ctx context.Context, id int64, in RectifyInput) (*Detail, error) {
	var box []outbox
	err := s.update(ctx, id, in.Version, PermWrite, func(tx *db.Tx, actor *auth.Actor, f *Finding) (*edit, error) {
		if f.Status != string(StatusOpen) {
			return nil, apperr.New(apperr.Precondition, "问题已%s，不能重复申请销号", f.StatusLabel)
		}
		var v apperr.Fields
		measures := strings.TrimSpace(in.Measures)
		if measures == "" {
			measures = f.Measures
		}
		if measures == "" {
			v.Add("measures", "请填写整改措施及成效")
		} else if utf8.RuneCountInString(measures) > maxText {
			v.Add("measures", "整改措施不能超过 %d 个字", maxText)
		}
		// Required: a missing date never silently becomes today (the form
		// prefills today for the user to see and change).
		done := calendar.CheckDate(&v, "rectified_on", "整改完成日期", strings.TrimSpace(in.RectifiedOn), true, calendar.Happened(calendar.MustDate(f.FoundOn), s.today(ctx)))
		if err := v.Err(); err != nil {
			return nil, err
		}
		if s.files != nil {
			n, err := s.files.Count(ctx, tx, OwnerType, f.ID)
			if err != nil {
				return nil, err
			}
			if n == 0 {
				return nil, apperr.New(apperr.Precondition, "请先上传整改佐证材料，再申请销号")
			}
		}
		chain, err := s.closeoutChain(ctx, tx)
		if err != nil {
			return nil, err
		}
		inst, evs, err := s.engine(ctx, tx).Start(chain, actor.UserID, f.UnitID, s.clock(ctx))
		if err != nil {
			return nil, err
		}
		if len(inst.Pending()) == 0 && inst.Status == workflow.Running {
			return nil, apperr.New(apperr.Precondition, "销号审核人员未配置（%s），请联系管理员", inst.CurrentStep().Name)
		}
		js, err := json.Marshal(inst)
		if err != nil {
			return nil, err
		}
		note := "整改完成于 " + done.String()
		if done.String() > f.RectifyDue {
			note += "（超过整改期限 " + f.RectifyDue + "）"
		}
		return &edit{action: "rectify", note: note,
			sets: []string{"measures = ?", "rectified_on = ?", "status = ?", "closeout = ?"},
			args: []any{measures, done.String(), string(StatusClosing), string(js)},
			then: func(tx *db.Tx, after *Finding) error {
				if err := s.cancelClock(ctx, tx, f.ID); err != nil {
					return err
				}
				if err := s.scheduleSteps(ctx, tx, after.ID, inst); err != nil {
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
