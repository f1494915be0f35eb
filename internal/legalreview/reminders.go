package legalreview

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/workflow"
)

// SweepReminders sends the due-soon reminders and overdue escalations of
// every running review's current step, once per step activation. The
// version check on the review makes a reminder go out once even when
// several processes sweep at the same time. It returns how many notices
// were recorded.
func (s *Service) SweepReminders(ctx context.Context, now time.Time) (int, error) {
	ctx = auth.With(ctx, auth.SystemActor("合法性审查期限提醒"))
	reviews, err := s.st.running(ctx, s.db)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, r := range reviews {
		if r.workflow == nil {
			continue
		}
		ns := append(r.workflow.Reminders(now), r.workflow.Overdue(now)...)
		if len(ns) == 0 {
			continue
		}
		next, evs := r.workflow.MarkNotified(ns, now)
		if len(evs) == 0 {
			continue
		}
		recorded := false
		err := s.db.WithTx(ctx, func(tx *db.Tx) error {
			version := r.Version
			r.workflow = next
			ok, err := s.st.updateReview(ctx, tx, r, version, now)
			if err != nil || !ok {
				return err // stale: another process sent it
			}
			recorded = true
			for _, e := range evs {
				if err := audit.Record(ctx, tx, audit.Event{Action: "legalreview." + string(e.Action), ObjectType: "legalreview",
					ObjectID: fmt.Sprint(r.ID), UnitID: r.UnitID, Summary: reminderText(r, e)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return sent, err
		}
		if !recorded {
			continue
		}
		sent += len(evs)
		if s.notifier != nil {
			for _, e := range evs {
				if len(e.To) == 0 {
					continue
				}
				if err := s.notifier.Notify(ctx, e.To, fmt.Sprintf("legalreview:%d:%s:%s:%d", r.ID, e.Action, e.Step, e.Round), "合法性审查办理提醒", reminderText(r, e), fmt.Sprintf("/legalreviews/%d", r.ID)); err != nil {
					slog.Warn("legalreview reminder not delivered", "review", r.ID, "err", err)
				}
			}
		}
	}
	return sent, nil
}

func reminderText(r Review, e workflow.Event) string {
	due := e.DueAt.In(calendar.Shanghai).Format("2006-01-02")
	if e.Action == workflow.ActEscalate {
		return fmt.Sprintf("《%s》的合法性审查已超过环节办理时限（%s），请督办", r.Title, due)
	}
	return fmt.Sprintf("《%s》的合法性审查请于 %s 前办理（审查时限 %s）", r.Title, due, r.DueOn)
}
