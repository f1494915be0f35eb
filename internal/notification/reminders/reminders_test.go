package reminders

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fazhi/internal/notification"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/jobs"
)

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestScheduleDedupeAndDelivery(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		due := time.Now().Add(48 * time.Hour).Truncate(time.Second)
		r := Reminder{Key: "finding:1:rectify", UserIDs: []int64{7}, Title: "整改期限将至", OverdueTitle: "整改已超期", Link: "/findings/1",
			Due: due, Offsets: []time.Duration{72 * time.Hour, 24 * time.Hour, 0, -24 * time.Hour}}
		n, err := Schedule(ctx, d, r)
		if err != nil {
			t.Fatal(err)
		}
		// 72h before is already past (due is 48h away) and kept as the one
		// late reminder; 24h, 0 and -24h are in the future.
		if n != 4 {
			t.Fatalf("created %d jobs, want 4", n)
		}
		// Scheduling the same reminder again (from another request or
		// process) creates nothing.
		for i := 0; i < 3; i++ {
			err := d.WithTx(ctx, func(tx *db.Tx) error {
				n, err := Schedule(ctx, tx, r)
				if n != 0 {
					t.Errorf("repeat schedule created %d", n)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if c := count(t, d, "SELECT COUNT(*) FROM jobs WHERE kind = ?", Kind); c != 4 {
			t.Fatalf("jobs = %d, want 4", c)
		}

		ns := notification.NewService(d)
		runner := jobs.NewRunner(d)
		Register(runner, ns)
		ran, err := runner.RunDue(ctx)
		if err != nil || ran != 1 {
			t.Fatalf("RunDue ran %d (%v); want the one late reminder", ran, err)
		}
		if c := count(t, d, "SELECT COUNT(*) FROM notifications WHERE user_id = 7 AND title = '整改期限将至' AND link = '/findings/1'"); c != 1 {
			t.Fatalf("notifications = %d", c)
		}

		// The deadline moves: old pending reminders are canceled, new ones made.
		r.Due = due.Add(7 * 24 * time.Hour)
		n, err = Schedule(ctx, d, r)
		if err != nil || n != 4 {
			t.Fatalf("moved deadline: %d %v", n, err)
		}
		if c := count(t, d, "SELECT COUNT(*) FROM jobs WHERE status = 'canceled'"); c != 3 {
			t.Fatalf("canceled = %d, want 3", c)
		}
		if err := Cancel(ctx, d, r.Key); err != nil {
			t.Fatal(err)
		}
		if c := count(t, d, "SELECT COUNT(*) FROM jobs WHERE status = 'pending'"); c != 0 {
			t.Fatalf("pending after cancel = %d", c)
		}
	})
}

func TestOverdueTitle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		due := time.Now().Add(-time.Hour)
		_, err := Schedule(ctx, d, Reminder{Key: "x:1", UserIDs: []int64{3}, Title: "将至", OverdueTitle: "已超期", Due: due, Offsets: []time.Duration{24 * time.Hour, 0}})
		if err != nil {
			t.Fatal(err)
		}
		ns := notification.NewService(d)
		runner := jobs.NewRunner(d)
		Register(runner, ns)
		runner.RunDue(ctx)
		// Both offsets are past: only the latest (at due, overdue) is sent.
		if c := count(t, d, "SELECT COUNT(*) FROM notifications WHERE user_id = 3 AND title = '已超期'"); c != 1 {
			t.Fatalf("overdue notifications = %d", c)
		}
		if c := count(t, d, "SELECT COUNT(*) FROM notifications"); c != 1 {
			t.Fatalf("notifications = %d, want 1", c)
		}
	})
}

// ScheduleNew enqueues for a new key exactly the jobs Schedule does (the
// same run times, titles and payloads, the past ones cut the same way).
func TestScheduleNewMatchesSchedule(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		due := time.Now().Add(48 * time.Hour).Truncate(time.Second)
		mk := func(key string) Reminder {
			return Reminder{Key: key, UserIDs: []int64{7}, UnitID: 3, Title: "整改期限将至", OverdueTitle: "整改已超期", Link: "/findings/1",
				Due: due, Offsets: []time.Duration{96 * time.Hour, 72 * time.Hour, 24 * time.Hour, 0, -24 * time.Hour}}
		}
		if _, err := Schedule(ctx, d, mk("a:1")); err != nil {
			t.Fatal(err)
		}
		if err := d.WithTx(ctx, func(tx *db.Tx) error { return ScheduleNew(ctx, tx, []Reminder{mk("b:1"), mk("b:2")}) }); err != nil {
			t.Fatal(err)
		}
		rows := func(key string) []string {
			var out []string
			rs, err := d.Query(ctx, "SELECT kind, run_at, REPLACE(payload, ?, 'K'), REPLACE(REPLACE(unique_key, ?, 'K'), ?, 'K'), status FROM jobs WHERE group_key = ? ORDER BY run_at",
				`"`+key+`"`, "reminder:"+key+"@", "reminder:"+key+"@", "reminder:"+key)
			if err != nil {
				t.Fatal(err)
			}
			defer rs.Close()
			for rs.Next() {
				var k, p, u, st string
				var at int64
				if err := rs.Scan(&k, &at, &p, &u, &st); err != nil {
					t.Fatal(err)
				}
				out = append(out, fmt.Sprint(k, at, p, u, st))
			}
			return out
		}
		a, b1, b2 := rows("a:1"), rows("b:1"), rows("b:2")
		if len(a) != 4 || fmt.Sprint(a) != fmt.Sprint(b1) || fmt.Sprint(a) != fmt.Sprint(b2) {
			t.Fatalf("Schedule %v\nScheduleNew %v\n%v", a, b1, b2)
		}
		if err := d.WithTx(ctx, func(tx *db.Tx) error { return ScheduleNew(ctx, tx, []Reminder{{Key: "c"}}) }); err == nil {
			t.Fatal("a reminder without due and title was accepted")
		}
	})
}
