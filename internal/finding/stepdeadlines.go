package finding

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"fazhi/internal/notification"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/jobs"
	"fazhi/internal/platform/workflow"
)

// JobStepDeadline is the job kind that sends a close-out step's reminder
// (before its due time) and its escalation (after it).
//
// The jobs table gives the timing and runs each job once across processes;
// the workflow instance records what was sent (Reminders/Overdue/
// MarkNotified) and is stored with the finding's version check, so a notice
// goes out once per step activation even if a job ran twice or a step
// changed under it. (reminders.Schedule is not used here: its jobs deliver
// a fixed message without looking at the chain, and would remind a reviewer
// who has already acted.)
const JobStepDeadline = "finding.closeout.deadline"

func stepGroup(id int64) string { return fmt.Sprintf("finding:%d:closeout", id) }

type stepPayload struct {
	ID    int64  `json:"id"`
	Step  string `json:"step"`
	Round int    `json:"round"`
	Kind  string `json:"kind"`
}

// scheduleSteps enqueues the reminder and escalation jobs of the chain's
// current step activation and cancels those of earlier steps or rounds;
// when the chain has ended it cancels them all. Call it in the transaction
// that stores the instance.
func (s *Service) scheduleSteps(ctx context.Context, q db.Querier, id int64, in *workflow.Instance) error {
	group := stepGroup(id)
	if in == nil || in.Status != workflow.Running {
		_, err := jobs.CancelGroup(ctx, q, group)
		return err
	}
	st := in.Steps[in.Current]
	var want []jobs.New
	add := func(kind string, at time.Time) {
		want = append(want, jobs.New{Kind: JobStepDeadline, UniqueKey: fmt.Sprintf("%s:%s:%d:%s", group, st.Key, st.Round, kind),
			GroupKey: group, RunAt: at, Payload: stepPayload{ID: id, Step: st.Key, Round: st.Round, Kind: kind}})
	}
	if !st.RemindAt.IsZero() {
		add(string(workflow.NoticeRemind), st.RemindAt)
	}
	if !st.DueAt.IsZero() {
		// Overdue means strictly after the due instant.
		add(string(workflow.NoticeEscalate), st.DueAt.Add(time.Second))
	}
	keys := make([]string, len(want))
	for i, j := range want {
		keys[i] = j.UniqueKey
	}
	if _, err := jobs.CancelGroupExcept(ctx, q, group, keys); err != nil {
		return err
	}
	for _, j := range want {
		if _, _, err := jobs.Enqueue(ctx, q, j); err != nil {
			return err
		}
	}
	return nil
}

// stepDeadline runs a step deadline job. The job's own run time counts as
// "now" when the service clock is behind it (clock skew between hosts), so
// an escalation job never finds its step "not yet overdue".
func (s *Service) stepDeadline(ctx context.Context, q db.Querier, j *jobs.Job) error {
	var p stepPayload
	if err := j.Decode(&p); err != nil {
		return err
	}
	now := s.clock(ctx)
	if j.RunAt.After(now) {
		now = j.RunAt
	}
	f, err := s.load(ctx, q, p.ID)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	box, err := s.stepNotices(ctx, q, f, now)
	if err != nil {
		return err
	}
	j.AfterCommit(func() { s.flush(ctx, box) })
	return nil
}

// stepNotices records and prepares the reminder and escalation due at now
// for f's close-out step. The instance is stored with f's version: if f
// changed since it was loaded nothing is recorded and a Conflict error is
// returned (the job is retried and finds the notice already recorded or no
// longer due). It returns the notifications to deliver after commit.
func (s *Service) stepNotices(ctx context.Context, q db.Querier, f *Finding, now time.Time) ([]outbox, error) {
	if f.Status != string(StatusClosing) || len(f.closeout) == 0 {
		return nil, nil
	}
	var in workflow.Instance
	if err := json.Unmarshal(f.closeout, &in); err != nil {
		return nil, err
	}
	ns := append(in.Reminders(now), in.Overdue(now)...)
	if len(ns) == 0 {
		return nil, nil
	}
	next, evs := in.MarkNotified(ns, now)
	if len(evs) == 0 {
		return nil, nil
	}
	js, err := json.Marshal(next)
	if err != nil {
		return nil, err
	}
	ctx = auth.With(ctx, auth.SystemActor("销号审核期限提醒"))
	if err := bump(ctx, q, f, []string{"closeout = ?"}, string(js)); err != nil {
		return nil, err
	}
	after, err := s.load(ctx, q, f.ID)
	if err != nil {
		return nil, err
	}
	var box []outbox
	for _, e := range evs {
		stepName := e.Step
		for _, st := range next.Definition.Steps {
			if st.Key == e.Step {
				stepName = st.Name
			}
		}
		due := e.DueAt.In(calendar.Shanghai).Format("2006-01-02 15:04")
		var users []int64
		msg := notification.New{Link: fmt.Sprintf("/findings/%d", f.ID),
			SourceKey: fmt.Sprintf("finding:%d:closeout:%s:%s:%d", f.ID, e.Action, e.Step, e.Round)}
		var action, note string
		switch e.Action {
		case workflow.ActRemind:
			users = e.To
			action, note = "closeout.remind", fmt.Sprintf("「%s」环节办理时限 %s，已提醒待办理人", stepName, due)
			msg.Title = "销号审核即将到期：" + f.Title
			msg.Body = fmt.Sprintf("问题 %s「%s」的销号审核环节「%s」请于 %s 前办理。", f.Code, f.Title, stepName, due)
		case workflow.ActEscalate:
			users = e.To
			if len(users) == 0 {
				// The step names no escalate_to: the pending reviewers and the
				// rule-of-law inspection body are told.
				sup, err := s.dir.UsersInRole(ctx, q, "supervisor", f.UnitID)
				if err != nil {
					return nil, err
				}
				users = append(next.Pending(), sup...)
			}
			action, note = "closeout.escalate", fmt.Sprintf("「%s」环节办理时限 %s 已过，仍未办结", stepName, due)
			msg.Title = "销号审核已超期：" + f.Title
			msg.Body = fmt.Sprintf("问题 %s「%s」（责任单位：%s）的销号审核环节「%s」办理时限 %s 已过，仍未办结，请督办。", f.Code, f.Title, f.UnitName, stepName, due)
		default:
			continue
		}
		if err := s.record(ctx, q, after, action, note, nil, nil); err != nil {
			return nil, err
		}
		slices.Sort(users)
		if err := s.notifyIn(ctx, q, &box, slices.Compact(users), msg); err != nil {
			return nil, err
		}
	}
	return box, nil
}
