package report

import (
	"context"
	"fmt"
	"time"

	"fazhi/internal/notification/reminders"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// RemindWorkingDays are the working days before a deadline on which its
// reminders go out (and one on the day itself), counted on the calendar so
// that holidays are skipped and make-up working days count.
var RemindWorkingDays = []int{10, 3}

// remindHour is the Beijing hour reminders go out.
const remindHour = 9

// ReminderKey names the reminders of a unit's report for a year.
func ReminderKey(unitID int64, year int) string { return fmt.Sprintf("report:%d:%d", unitID, year) }

func at(d calendar.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, remindHour, 0, 0, 0, calendar.Shanghai)
}

// Reminder is the reminder of the year's deadline for a unit of kind:
// a department reports to the government by 1 March, a government
// publishes by 1 April. The offsets fall on working days before the due
// day (calendar.AddWorkingDays) and on the due day.
func (s *Service) Reminder(u UnitInfo, kind string, year int, extra []int64) (reminders.Reminder, error) {
	res, rule, err := s.Deadline(kind, year)
	if err != nil {
		return reminders.Reminder{}, err
	}
	due := at(res.Due)
	r := reminders.Reminder{Key: ReminderKey(u.ID, year), UnitID: u.ID, UserIDs: extra, Due: due, Link: "/reports",
		Title:        fmt.Sprintf("%s：%s前完成%d年度法治政府建设年度报告", u.Name, res.Due, year),
		Body:         rule.Label + "。依据：" + rule.Basis,
		OverdueTitle: fmt.Sprintf("%s：%d年度法治政府建设年度报告已超过期限（%s）", u.Name, year, res.Due),
		Offsets:      []time.Duration{0}}
	for _, n := range RemindWorkingDays {
		d := s.cal.AddWorkingDays(res.Due, -n)
		r.Offsets = append(r.Offsets, due.Sub(at(d)))
	}
	return r, nil
}

// ScheduleReminders schedules, for every reporting unit, the reminders of
// the report on year: departments by 1 March, governments by 1 April
// (their holders of the unit's head role, and for a government also the
// rule-of-law office, 依法治区办, the supervisors). Units whose report is
// already done are skipped. Scheduling again replaces, never duplicates.
func (s *Service) ScheduleReminders(ctx context.Context, year int) (int, error) {
	us, err := s.deps.Units.ReportUnits(ctx)
	if err != nil {
		return 0, err
	}
	office, err := s.deps.Units.UsersInRole(ctx, "supervisor", 0)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		for _, u := range us {
			kind, ok := kindOf(u.Type)
			if !ok {
				continue
			}
			var status string
			if id, err := s.st.exists(ctx, tx, u.ID, year); err != nil {
				return err
			} else if id != 0 {
				r, err := s.st.get(ctx, tx, id)
				if err != nil {
					return err
				}
				status = r.Status
			}
			if done(kind, status) {
				continue
			}
			var extra []int64
			if kind == KindGovernment {
				extra = office
			}
			r, err := s.Reminder(u, kind, year, extra)
			if err != nil {
				return err
			}
			c, err := reminders.Schedule(ctx, tx, r)
			if err != nil {
				return err
			}
			n += c
		}
		return nil
	})
	return n, err
}

// done reports whether a report of kind at status has met its deadline's
// duty: a department's once approved (reported), a government's once
// published.
func done(kind, status string) bool {
	if kind == KindGovernment {
		return status == StatusPublished
	}
	return status == StatusApproved || status == StatusPublished
}

// cancelReminders cancels the deadline's reminders once r has met it.
func (s *Service) cancelReminders(ctx context.Context, tx *db.Tx, r *Report) error {
	if !done(r.Kind, r.Status) {
		return nil
	}
	return reminders.Cancel(ctx, tx, ReminderKey(r.UnitID, r.Year))
}
