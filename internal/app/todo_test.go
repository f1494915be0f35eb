package app

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"fazhi/internal/finding"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/files"
	"fazhi/internal/todo"
)

// The to-do centre follows the close-out chain: a new finding is the
// responsible unit's clerk's item until they rectify it, then the current
// close-out step's reviewer's item until they act on it.
func TestTodoFollowsSteps(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a := demoApp(t, dsn)
		people := demoPeople{a.Org}
		clerk, err := people.Actor(ctx, "clerk_sj")
		if err != nil {
			t.Fatal(err)
		}
		asClerk := auth.With(ctx, clerk)
		sys := auth.With(ctx, auth.SystemActor("test"))
		en := a.Engines()
		f, err := en.Findings.Create(sys, finding.CreateInput{Title: "待办测试问题", Source: "inspection", UnitID: clerk.UnitID, Severity: "general", FoundOn: calendar.Today(time.Now()).String()})
		if err != nil {
			t.Fatal(err)
		}
		// find returns the actor's item for the finding, if any.
		find := func(ctx context.Context) *todo.Item {
			t.Helper()
			p, err := a.Todo.List(ctx, todo.Filter{Module: "finding", Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != len(p.Items) && len(p.Items) < 100 {
				t.Fatalf("total %d, %d items on the only page", p.Total, len(p.Items))
			}
			for i := range p.Items {
				if p.Items[i].Number == f.Code {
					return &p.Items[i]
				}
			}
			return nil
		}
		it := find(asClerk)
		if it == nil || it.Action != "整改并申请销号" || it.Due != f.RectifyDue || it.Link == "" || it.ModuleLabel != "问题整改" {
			t.Fatalf("clerk's item after registration: %+v", it)
		}
		if c, err := a.Todo.Counts(asClerk); err != nil || c.Total == 0 {
			t.Fatalf("counts %+v, %v", c, err)
		}

		if _, err := en.Files.Upload(sys, files.UploadInput{OwnerType: finding.OwnerType, OwnerID: f.ID, Name: "整改佐证.pdf"},
			bytes.NewReader([]byte("%PDF-1.7\n佐证\n%%EOF\n"))); err != nil {
			t.Fatal(err)
		}
		d, err := en.Findings.Rectify(asClerk, f.ID, finding.RectifyInput{Version: f.Version, Measures: "已整改", RectifiedOn: calendar.Today(time.Now()).String()})
		if err != nil {
			t.Fatal(err)
		}
		if it := find(asClerk); it != nil && it.Action == "整改并申请销号" {
			t.Fatalf("still the clerk's to rectify after rectifying: %+v", it)
		}
		if d.Closeout == nil || len(d.Closeout.Pending) == 0 {
			t.Fatalf("close-out chain not waiting for anyone: %+v", d.Closeout)
		}
		reviewer, err := a.Org.LoadActor(ctx, d.Closeout.Pending[0])
		if err != nil {
			t.Fatal(err)
		}
		asReviewer := auth.With(ctx, reviewer)
		step := d.Closeout.CurrentStep
		it = find(asReviewer)
		if it == nil || !strings.HasSuffix(it.Action, step) || it.Due == "" {
			t.Fatalf("reviewer %s's item for step %q: %+v", reviewer.Username, step, it)
		}
		if _, err := en.Findings.Act(asReviewer, f.ID, finding.ActApprove, finding.ActInput{Version: d.Version, Opinion: "同意"}); err != nil {
			t.Fatal(err)
		}
		if it := find(asReviewer); it != nil && strings.HasSuffix(it.Action, step) {
			t.Fatalf("step %q still the reviewer's after approving: %+v", step, it)
		}
	})
}

// Delivered reminders reach the to-do centre: after the demo's due
// reminders run, every open reminder of a user is in that user's list,
// once (as the module's own item when the module lists the record, else
// as a reminder item); a dismissed one leaves it.
func TestTodoReminders(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a := demoApp(t, dsn)
		if _, err := a.Engines().Jobs.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		type open struct {
			id, user int64
			link     string
		}
		rows, err := a.DB.Query(ctx, "SELECT id, user_id, link FROM notifications WHERE reminder_key IS NOT NULL AND closed_at IS NULL ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		var opens []open
		for rows.Next() {
			var o open
			if err := rows.Scan(&o.id, &o.user, &o.link); err != nil {
				t.Fatal(err)
			}
			opens = append(opens, o)
		}
		rows.Close()
		if len(opens) == 0 {
			t.Fatal("the demo delivered no reminder")
		}
		var dismiss *todo.Item
		var dismissCtx context.Context
		for _, o := range opens {
			actor, err := a.Org.LoadActor(ctx, o.user)
			if err != nil {
				t.Fatal(err)
			}
			as := auth.With(ctx, actor)
			p, err := a.Todo.List(as, todo.Filter{Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			var mine []todo.Item
			for _, it := range p.Items {
				if it.Link == o.link {
					mine = append(mine, it)
				}
			}
			kinds := map[bool]int{}
			for _, it := range mine {
				kinds[it.Module == "reminder"]++
			}
			readOnly := true
			for perm := range actor.Perms {
				readOnly = readOnly && strings.HasSuffix(perm, ".read")
			}
			if readOnly {
				// 区领导: the reminder stays in the bell, not in a to-do list.
				if kinds[true] > 0 {
					t.Fatalf("read-only %s has a reminder item: %+v", actor.Username, mine)
				}
				continue
			}
			if len(mine) == 0 || (kinds[true] > 0 && kinds[false] > 0) || kinds[true] > 1 {
				t.Fatalf("%s's items for %s: %+v", actor.Username, o.link, mine)
			}
			t.Logf("%s: %s as %v", actor.Username, o.link, kinds)
			if kinds[true] == 1 {
				if dismiss == nil {
					dismiss, dismissCtx = &mine[0], as
				}
			}
		}
		if dismiss == nil {
			t.Fatalf("no reminder item: every open reminder (%d) is also a module's item", len(opens))
		}
		if err := a.Engines().Notifications.Dismiss(dismissCtx, dismiss.ReminderID); err != nil {
			t.Fatal(err)
		}
		p, err := a.Todo.List(dismissCtx, todo.Filter{Module: "reminder", Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range p.Items {
			if it.ReminderID == dismiss.ReminderID {
				t.Fatalf("dismissed reminder still listed: %+v", it)
			}
		}
	})
}
