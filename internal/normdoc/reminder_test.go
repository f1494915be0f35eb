package normdoc

import (
	"context"
	"strconv"
	"testing"
	"time"

	"fazhi/internal/notification"
	"fazhi/internal/notification/reminders"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/jobs"
)

// jobRunAt returns the run times (Unix ms) and statuses of a reminder group.
func jobRunAt(t *testing.T, d *db.DB, key string) map[int64]string {
	t.Helper()
	rows, err := d.Query(context.Background(), "SELECT run_at, status FROM jobs WHERE group_key = ? ORDER BY run_at", "reminder:"+key)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var at int64
		var st string
		if err := rows.Scan(&at, &st); err != nil {
			t.Fatal(err)
		}
		out[at] = st
	}
	return out
}

func TestExpiryReminderCreatedAtTheRightTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		// The job runner works on the real clock, so the document is placed
		// relative to today: it expires in 60 days, so the 90-day reminder is
		// already due and the 30-day one is 30 days ahead.
		now := time.Now()
		today := calendar.Today(now)
		f := newFixture(t, d, now)
		expires := today.AddDays(60)
		eff := expires.AddDays(1).AddMonths(-24) // 试行: 2 years
		pub := eff.AddDays(-30)
		doc := f.publishDoc(f.civil, "清河区社区养老服务驿站运营管理办法（试行）", "", pub.String())
		if doc.ExpiresOn != expires.String() {
			t.Fatalf("expires %s, want %s (effective %s + 2 years - 1 day)", doc.ExpiresOn, expires, doc.EffectiveOn)
		}
		m := must[*Document](t)
		doc = m(f.s.File(f.admin, doc.ID, FilingInput{FiledOn: doc.FilingDue, FilingTo: "清河市人民政府", Version: doc.Version}))

		at90 := time.Date(expires.Year, expires.Month, expires.Day, 9, 0, 0, 0, calendar.Shanghai).Add(-90 * 24 * time.Hour).UnixMilli()
		at30 := time.Date(expires.Year, expires.Month, expires.Day, 9, 0, 0, 0, calendar.Shanghai).Add(-30 * 24 * time.Hour).UnixMilli()
		got := jobRunAt(t, d, ExpiryReminderKey(doc.ID))
		if len(got) != 2 || got[at90] != "pending" || got[at30] != "pending" {
			t.Fatalf("expiry reminder jobs %v, want pending at %d (90 days) and %d (30 days)", got, at90, at30)
		}
		// Filing cancelled the filing reminders.
		for at, st := range jobRunAt(t, d, FilingReminderKey(doc.ID)) {
			if st != "canceled" {
				t.Fatalf("filing reminder at %d still %s after filing", at, st)
			}
		}

		runner := jobs.NewRunner(d)
		ns := notification.NewService(d)
		ns.SetUnitRecipients(func(ctx context.Context, q db.Querier, unitID int64) ([]int64, error) {
			if unitID == f.mzj {
				return []int64{42}, nil
			}
			return nil, nil
		})
		reminders.Register(runner, ns)
		if _, err := runner.RunDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		var n int
		var title, link string
		if err := d.QueryRow(context.Background(), "SELECT COUNT(*), MIN(title), MIN(link) FROM notifications WHERE user_id = 42").Scan(&n, &title, &link); err != nil {
			t.Fatal(err)
		}
		want := "规范性文件《清河区社区养老服务驿站运营管理办法（试行）》将于 " + expires.String() + " 有效期届满"
		if n != 1 || title != want || link != "/normdocs/"+strconv.FormatInt(doc.ID, 10) {
			t.Fatalf("notifications: %d %q %q, want 1 %q", n, title, link, want)
		}
		got = jobRunAt(t, d, ExpiryReminderKey(doc.ID))
		if got[at90] != "done" || got[at30] != "pending" {
			t.Fatalf("after run: %v (90-day done, 30-day still pending)", got)
		}
		// Running again creates nothing new.
		if _, err := runner.RunDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM notifications").Scan(&n); err != nil || n != 1 {
			t.Fatalf("notifications after second run: %d %v", n, err)
		}
	})
}

func TestOverdueFilingReminder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		now := time.Now()
		f := newFixture(t, d, now)
		pub := calendar.Today(now).AddDays(-60)
		doc := f.publishDoc(f.gov, "清河区政府购买服务管理办法", "", pub.String())
		due := calendar.MustDate(doc.FilingDue)
		// Only one past reminder is kept (the overdue one), not a burst.
		got := jobRunAt(t, d, FilingReminderKey(doc.ID))
		overdue := time.Date(due.Year, due.Month, due.Day, 9, 0, 0, 0, calendar.Shanghai).Add(24 * time.Hour).UnixMilli()
		if len(got) != 1 || got[overdue] != "pending" {
			t.Fatalf("filing reminder jobs %v, want one at %d", got, overdue)
		}
		runner := jobs.NewRunner(d)
		ns := notification.NewService(d)
		ns.SetUnitRecipients(func(ctx context.Context, q db.Querier, unitID int64) ([]int64, error) { return []int64{7}, nil })
		reminders.Register(runner, ns)
		if _, err := runner.RunDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		var title string
		if err := d.QueryRow(context.Background(), "SELECT title FROM notifications WHERE user_id = 7").Scan(&title); err != nil {
			t.Fatal(err)
		}
		if title != "规范性文件《清河区政府购买服务管理办法》已超过备案期限（"+doc.FilingDue+"）未报送备案" {
			t.Fatalf("overdue title %q", title)
		}
	})
}
