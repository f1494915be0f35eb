package reminders

import (
	"context"
	"testing"
	"time"

	"fazhi/internal/notification"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/jobs"
	"fazhi/internal/todo"
)

// A delivered reminder is its recipient's to-do item until the matter is
// done (Cancel), its deadline moves, or the recipient dismisses it.
func TestReminderTodo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ns := notification.NewService(d)
		runner := jobs.NewRunner(d)
		Register(runner, ns)
		provider := Todo(d)
		as := func(user int64) context.Context {
			return auth.With(ctx, &auth.Actor{UserID: user, Username: "u", Perms: map[string]auth.Scope{"finding.write": {}}})
		}
		items := func(user int64) []todo.Item {
			t.Helper()
			its, err := provider(as(user), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			return its
		}
		due := time.Now().Add(48 * time.Hour)
		r := Reminder{Key: "normdoc:5:filing", UserIDs: []int64{7}, Title: "《甲》应于期限前报送备案", OverdueTitle: "《甲》已超过备案期限", Link: "/normdocs/5",
			Due: due, Offsets: []time.Duration{72 * time.Hour, 0}}
		if _, err := Schedule(ctx, d, r); err != nil {
			t.Fatal(err)
		}
		if its := items(7); len(its) != 0 {
			t.Fatalf("an item before the reminder fired: %+v", its)
		}
		if _, err := runner.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		its := items(7)
		if len(its) != 1 || its[0].Title != r.Title || its[0].Link != "/normdocs/5" || its[0].Due != calendar.Today(due).String() ||
			its[0].ReminderID == 0 || its[0].Action != "期限将至，请及时办理" {
			t.Fatalf("recipient's items: %+v", its)
		}
		if its := items(8); len(its) != 0 {
			t.Fatalf("another user sees the reminder: %+v", its)
		}
		// A recipient who only reads (区领导) keeps it in the bell: no item.
		reader := auth.With(ctx, &auth.Actor{UserID: 7, Perms: map[string]auth.Scope{"finding.read": {All: true}}})
		if its, err := provider(reader, time.Now()); err != nil || len(its) != 0 {
			t.Fatalf("read-only recipient's items: %+v %v", its, err)
		}
		// Someone else cannot dismiss it; the record done takes it away.
		if err := ns.Dismiss(as(8), its[0].ReminderID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("dismiss by another user: %v", err)
		}
		if err := d.WithTx(ctx, func(tx *db.Tx) error { return Cancel(ctx, tx, r.Key) }); err != nil {
			t.Fatal(err)
		}
		if its := items(7); len(its) != 0 {
			t.Fatalf("item after the matter was done: %+v", its)
		}

		// Another matter: a deadline already passed (the overdue notice is
		// the item); the deadline moves, then the recipient dismisses.
		r2 := Reminder{Key: "finding:9:rectify", UserIDs: []int64{7}, Title: "整改期限将至", OverdueTitle: "整改已超期", Link: "/findings/9",
			Due: time.Now().Add(-50 * time.Hour), Offsets: []time.Duration{24 * time.Hour, 0}}
		if _, err := Schedule(ctx, d, r2); err != nil {
			t.Fatal(err)
		}
		runner.RunDue(ctx)
		its = items(7)
		if len(its) != 1 || its[0].Title != "整改已超期" || its[0].Action != "已超过期限，请尽快办理" {
			t.Fatalf("overdue item: %+v", its)
		}
		r2.Due = time.Now().Add(-26 * time.Hour) // extended, still past: a new notice about the new day
		if _, err := Schedule(ctx, d, r2); err != nil {
			t.Fatal(err)
		}
		if its := items(7); len(its) != 0 {
			t.Fatalf("the old deadline's reminder after the deadline moved: %+v", its)
		}
		runner.RunDue(ctx)
		its = items(7)
		if len(its) != 1 || its[0].Due != calendar.Today(r2.Due).String() {
			t.Fatalf("moved deadline's item: %+v", its)
		}
		if err := ns.Dismiss(as(7), its[0].ReminderID); err != nil {
			t.Fatal(err)
		}
		if its := items(7); len(its) != 0 {
			t.Fatalf("item after dismissal: %+v", its)
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM audit_events WHERE action = 'notification.reminder.dismiss'").Scan(&n); err != nil || n != 1 {
			t.Fatalf("dismissal audited %d times (%v)", n, err)
		}
		// A notification that is no reminder cannot be dismissed.
		if err := ns.Notify(ctx, notification.New{UserIDs: []int64{7}, Title: "普通通知"}); err != nil {
			t.Fatal(err)
		}
		var plain int64
		if err := d.QueryRow(ctx, "SELECT id FROM notifications WHERE title = '普通通知'").Scan(&plain); err != nil {
			t.Fatal(err)
		}
		if err := ns.Dismiss(as(7), plain); !apperr.Is(err, apperr.Precondition) {
			t.Fatalf("dismissing a plain notification: %v", err)
		}
	})
}
