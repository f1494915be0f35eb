package finding

import (
	"context"
	"fmt"
	"time"

	"fazhi/internal/notification"
	"fazhi/internal/notification/reminders"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/jobs"
)

// The rectification clock: reminders before the deadline and the overdue
// escalation (超期督办) when it passes.

func clockKey(id int64) string   { return fmt.Sprintf("finding:%d:rectify", id) }
func groupKey(id int64) string   { return fmt.Sprintf("finding:%d", id) }
func recheckKey(id int64) string { return fmt.Sprintf("finding:%d:recheck", id) }

type escalatePayload struct {
	ID  int64  `json:"id"`
	Due string `json:"due"`
}

// scheduleClock enqueues reminders before the rectification deadline and
// the escalation job for the moment it passes.
func (s *Service) scheduleClock(ctx context.Context, q db.Querier, f *Finding) error {
	r, esc, err := clockJobs(f)
	if err != nil {
		return err
	}
	if _, err := reminders.Schedule(ctx, q, r); err != nil {
		return err
	}
	_, _, err = jobs.Enqueue(ctx, q, esc)
	return err
}

// scheduleClocks is scheduleClock for findings created in this transaction
// (an import's batch), in a few statements.
func (s *Service) scheduleClocks(ctx context.Context, q db.Querier, fs []*Finding) error {
	rs := make([]reminders.Reminder, len(fs))
	escs := make([]jobs.New, len(fs))
	for i, f := range fs {
		var err error
		if rs[i], escs[i], err = clockJobs(f); err != nil {
			return err
		}
	}
	if err := reminders.ScheduleNew(ctx, q, rs); err != nil {
		return err
	}
	return jobs.EnqueueBatch(ctx, q, escs)
}

// clockJobs are f's rectification reminders and its escalation job.
func clockJobs(f *Finding) (reminders.Reminder, jobs.New, error) {
	due, err := calendar.ParseDate(f.RectifyDue)
	if err != nil {
		return reminders.Reminder{}, jobs.New{}, err
	}
	at := endOfDay(due)
	return reminders.Reminder{
			Key: clockKey(f.ID), UnitID: f.UnitID, UserIDs: []int64{f.CreatedBy},
			Title: fmt.Sprintf("问题整改期限将至：%s", f.Title),
			Body:  fmt.Sprintf("问题 %s「%s」的整改期限为 %s，请按期完成整改、上传佐证材料并申请销号。", f.Code, f.Title, f.RectifyDue),
			Link:  fmt.Sprintf("/findings/%d", f.ID), Due: at, Offsets: remindOffsets,
		}, jobs.New{Kind: JobEscalate, UniqueKey: fmt.Sprintf("finding:%d:escalate:%s", f.ID, f.RectifyDue),
			GroupKey: groupKey(f.ID), RunAt: at, Payload: escalatePayload{ID: f.ID, Due: f.RectifyDue}}, nil
}

func (s *Service) cancelClock(ctx context.Context, q db.Querier, id int64) error {
	if err := reminders.Cancel(ctx, q, clockKey(id)); err != nil {
		return err
	}
	_, err := jobs.CancelGroup(ctx, q, groupKey(id))
	return err
}

// RegisterJobs adds the overdue escalation and the close-out step deadline
// job kinds.
func (s *Service) RegisterJobs(r *jobs.Runner) {
	r.Register(jobs.Kind{Name: JobEscalate, Timeout: 30 * time.Second, Handler: s.escalate})
	r.Register(jobs.Kind{Name: JobStepDeadline, Timeout: 30 * time.Second, Handler: s.stepDeadline})
}

// escalate runs when a rectification deadline has passed: if the finding
// is still under rectification with that deadline, it is marked escalated
// (超期督办), the timeline and audit log record it, and the unit's heads,
// the supervisors and the registrar are notified.
func (s *Service) escalate(ctx context.Context, q db.Querier, j *jobs.Job) error {
	var p escalatePayload
	if err := j.Decode(&p); err != nil {
		return err
	}
	f, err := s.load(ctx, q, p.ID)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if f.Status != string(StatusOpen) || f.RectifyDue != p.Due {
		return nil // rectified in time, or the deadline changed
	}
	ctx = auth.With(ctx, auth.SystemActor("超期督办"))
	now := s.clock(ctx).UTC()
	if err := s.st.stamp(ctx, q, f.ID, now, []string{"escalated_at = ?"}, now); err != nil {
		return err
	}
	after, err := s.load(ctx, q, f.ID)
	if err != nil {
		return err
	}
	if err := s.record(ctx, q, after, "escalate", "整改期限 "+f.RectifyDue+" 已过，问题仍未整改销号", nil, nil); err != nil {
		return err
	}
	supervisors, err := s.dir.UsersInRole(ctx, q, "supervisor", f.UnitID)
	if err != nil {
		return err
	}
	msg := notification.New{
		UserIDs: append([]int64{f.CreatedBy}, supervisors...), UnitID: f.UnitID,
		Title: "问题整改已超期：" + f.Title,
		Body:  fmt.Sprintf("问题 %s「%s」（责任单位：%s）整改期限 %s 已过，仍未整改销号，请督办。", f.Code, f.Title, f.UnitName, f.RectifyDue),
		Link:  fmt.Sprintf("/findings/%d", f.ID), SourceKey: j.UniqueKey,
	}
	if s.notes == nil {
		return nil
	}
	users, err := s.notes.Create(ctx, q, msg)
	if err != nil {
		return err
	}
	j.AfterCommit(func() { s.notes.Deliver(context.WithoutCancel(ctx), users, msg) })
	return nil
}
