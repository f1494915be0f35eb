package reminders

import (
	"context"
	"strings"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/todo"
)

// Todo is the to-do centre's provider of reminders: each reminder delivered
// to the actor whose matter is still open (not cancelled by its module as
// done, its deadline not moved) and that the actor has not dismissed, one
// item per matter (the latest reminder: an overdue notice replaces the
// "期限将至" one), due on the deadline's day. Register it as a
// todo.Source{Supplement: true}: a record a module's own provider already
// lists for the actor is not listed twice.
//
// A to-do item is something the actor can do: an actor who only reads (区领导)
// keeps reminders in the bell and gets no items, the rule the home page uses
// to tell the read-only cockpit from a workbench.
//
// It reads the actor's own notifications through notifications_user
// (user_id first); an actor's open reminders are few.
func Todo(d *db.DB) todo.Provider {
	return func(ctx context.Context, now time.Time) ([]todo.Item, error) {
		out := []todo.Item{}
		a := auth.From(ctx)
		if a == nil || a.UserID <= 0 || !mayAct(a) {
			return out, nil
		}
		type row struct {
			id               int64
			title, link, key string
			due              string
		}
		rows, err := db.All(ctx, d, func(sc db.Scanner) (row, error) {
			var r row
			return r, sc.Scan(&r.id, &r.title, &r.link, &r.key, &r.due)
		}, `SELECT id, title, link, reminder_key, reminder_due FROM notifications
WHERE user_id = ? AND reminder_key IS NOT NULL AND closed_at IS NULL ORDER BY id DESC LIMIT ?`, a.UserID, 4*todo.Cap)
		if err != nil {
			return nil, err
		}
		today := calendar.Today(now).String()
		late := map[bool]string{false: "期限将至，请及时办理", true: "已超过期限，请尽快办理"}
		seen := map[string]bool{}
		for _, r := range rows {
			if seen[r.key] || len(out) == todo.Cap {
				continue
			}
			seen[r.key] = true
			out = append(out, todo.Item{Action: late[r.due != "" && r.due < today], Title: r.title, Due: r.due,
				DueRule: "提醒所依据的办理期限", Link: r.link, ReminderID: r.id})
		}
		return out, nil
	}
}

// mayAct reports whether the actor holds any permission besides reading.
func mayAct(a *auth.Actor) bool {
	for perm := range a.Perms {
		if !strings.HasSuffix(perm, ".read") {
			return true
		}
	}
	return a.System
}
