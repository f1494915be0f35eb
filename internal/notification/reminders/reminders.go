// Package reminders schedules notifications at offsets before (and, for
// escalation, after) a deadline, as background jobs. A reminder for one
// (record key, deadline, offset) is enqueued once, whatever the number of
// calls or processes: the job's unique key says so and the database
// enforces it.
package reminders

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fazhi/internal/notification"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/jobs"
)

// Kind is the job kind that delivers reminders.
const Kind = "notification.reminder"

// Reminder asks for notifications about a deadline.
type Reminder struct {
	// Key names the record and clock, e.g. "finding:12:rectify". Scheduling
	// again with the same key replaces reminders for a moved deadline.
	Key     string
	UserIDs []int64
	UnitID  int64 // also notify the unit's responsible users (resolved at send time)
	Title   string
	Body    string
	Link    string
	// OverdueTitle, when set, is used for offsets at or after Due.
	OverdueTitle string
	Due          time.Time
	// Offsets before Due; 0 is at Due, a negative offset is after Due
	// (overdue escalation).
	Offsets []time.Duration
}

type payload struct {
	Key     string  `json:"key"`
	UserIDs []int64 `json:"user_ids,omitempty"`
	UnitID  int64   `json:"unit_id,omitempty"`
	Title   string  `json:"title"`
	Body    string  `json:"body,omitempty"`
	Link    string  `json:"link,omitempty"`
	Due     string  `json:"due"`
	Offset  string  `json:"offset"`
}

func group(key string) string { return "reminder:" + key }

// UniqueKey is the job key of one reminder: record key, deadline, offset.
func UniqueKey(key string, due time.Time, offset time.Duration) string {
	return fmt.Sprintf("reminder:%s@%s-%s", key, due.UTC().Format(time.RFC3339), offset)
}

// Schedule enqueues r's reminders in q (normally the transaction that set
// the deadline) and cancels pending reminders for the same key at other
// deadlines or offsets. Offsets whose time has already passed are dropped,
// except the latest of them, so a deadline entered late still reminds once.
// It returns how many jobs were created.
func Schedule(ctx context.Context, q db.Querier, r Reminder) (int, error) {
	if strings.TrimSpace(r.Key) == "" || r.Due.IsZero() || strings.TrimSpace(r.Title) == "" {
		return 0, fmt.Errorf("reminders: key, due and title are required")
	}
	keep := r.jobs(time.Now())
	keys := make([]string, len(keep))
	for i, j := range keep {
		keys[i] = j.UniqueKey
	}
	if _, err := jobs.CancelGroupExcept(ctx, q, group(r.Key), keys); err != nil {
		return 0, err
	}
	// Reminders already delivered about another deadline of the key speak
	// of a day that no longer holds: they leave the to-do list (the new
	// deadline's reminders take their place when they fire).
	if err := closeDelivered(ctx, q, r.Key, "AND reminder_due <> ?", dueDay(r.Due)); err != nil {
		return 0, err
	}
	n := 0
	for _, j := range keep {
		_, created, err := jobs.Enqueue(ctx, q, j)
		if err != nil {
			return n, err
		}
		if created {
			n++
		}
	}
	return n, nil
}

// jobs are the reminder jobs of r: one per offset whose run time is still
// ahead of now, and of those already past only the most recent one.
func (r Reminder) jobs(now time.Time) []jobs.New {
	offsets := slices.Clone(r.Offsets)
	slices.Sort(offsets)
	offsets = slices.Compact(offsets)
	var keep []jobs.New
	var pastKept bool
	// Ascending offsets are descending run times: the first past run time
	// met is the most recent one, and the only past one kept.
	for i := 0; i < len(offsets); i++ {
		off := offsets[i]
		at := r.Due.Add(-off)
		if at.Before(now) {
			if pastKept {
				continue
			}
			pastKept = true
		}
		title := r.Title
		if off <= 0 && r.OverdueTitle != "" {
			title = r.OverdueTitle
		}
		keep = append(keep, jobs.New{
			Kind:      Kind,
			UniqueKey: UniqueKey(r.Key, r.Due, off),
			GroupKey:  group(r.Key),
			RunAt:     at,
			Payload: payload{Key: r.Key, UserIDs: r.UserIDs, UnitID: r.UnitID, Title: title, Body: r.Body, Link: r.Link,
				Due: r.Due.UTC().Format(time.RFC3339), Offset: off.String()},
		})
	}
	return keep
}

// ScheduleNew schedules the reminders of records created in this
// transaction (an import's batch) with jobs.EnqueueBatch: the jobs Schedule
// would enqueue for each, in a few statements. A new record has no earlier
// reminders to cancel or close, so ScheduleNew is for new keys only; a
// deadline that moves goes through Schedule.
func ScheduleNew(ctx context.Context, q db.Querier, rs []Reminder) error {
	now := time.Now()
	var all []jobs.New
	for _, r := range rs {
		if strings.TrimSpace(r.Key) == "" || r.Due.IsZero() || strings.TrimSpace(r.Title) == "" {
			return fmt.Errorf("reminders: key, due and title are required")
		}
		all = append(all, r.jobs(now)...)
	}
	return jobs.EnqueueBatch(ctx, q, all)
}

// Cancel cancels every pending reminder for key (the matter was done) and
// takes the delivered ones out of their recipients' to-do lists.
func Cancel(ctx context.Context, q db.Querier, key string) error {
	if _, err := jobs.CancelGroup(ctx, q, group(key)); err != nil {
		return err
	}
	return closeDelivered(ctx, q, key, "")
}

// closeDelivered closes the open notifications of reminder key (plus an
// extra condition).
func closeDelivered(ctx context.Context, q db.Querier, key, cond string, args ...any) error {
	_, err := q.Exec(ctx, "UPDATE notifications SET closed_at = ? WHERE reminder_key = ? AND closed_at IS NULL "+cond,
		append([]any{time.Now().UTC(), key}, args...)...)
	return err
}

// dueDay is the Beijing day of a deadline, as to-do items show it.
func dueDay(t time.Time) string { return calendar.Today(t).String() }

// Register adds the reminder job kind: each run creates the in-app
// notifications in the job's transaction and sends copies after commit.
func Register(r *jobs.Runner, n *notification.Service) {
	r.Register(jobs.Kind{
		Name:    Kind,
		Timeout: 30 * time.Second,
		Handler: func(ctx context.Context, q db.Querier, j *jobs.Job) error {
			var p payload
			if err := j.Decode(&p); err != nil {
				return err
			}
			msg := notification.New{UserIDs: p.UserIDs, UnitID: p.UnitID, Title: p.Title, Body: p.Body, Link: p.Link, SourceKey: j.UniqueKey,
				ReminderKey: p.Key}
			if due, err := time.Parse(time.RFC3339, p.Due); err == nil {
				msg.ReminderDue = dueDay(due)
			}
			users, err := n.Create(ctx, q, msg)
			if err != nil {
				return err
			}
			j.AfterCommit(func() { n.Deliver(context.WithoutCancel(ctx), users, msg) })
			return nil
		},
	})
}
