// Package notification delivers in-app notifications (the bell: list,
// unread count, mark read) and hands copies to e-mail/SMS senders behind an
// interface. Reminders before deadlines are scheduled through the
// reminders sub-package, which runs as background jobs.
package notification

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"

	"github.com/danielgtaylor/huma/v2"
)

// Notification is one message in a user's bell.
type Notification struct {
	ID        int64      `json:"id"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Link      string     `json:"link,omitempty" doc:"前端路由，点击后跳转"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

// Message is what a Sender delivers outside the app.
type Message struct {
	UserID    int64
	Title     string
	Body      string
	Link      string
	SourceKey string
}

// Sender delivers a copy of a notification by e-mail or SMS. Contact
// details are the implementation's business (it looks them up by user).
type Sender interface {
	Channel() string // "email", "sms", "log"
	Send(ctx context.Context, m Message) error
}

// LogSender is the default Sender: it writes each message to the log at
// DEBUG level (loading the demo sends about a hundred; at INFO they flooded
// the console of `make run`), which is also what the exactly-once tests count
// (they run the server with --log-level debug).
type LogSender struct{ Logger *slog.Logger }

func (LogSender) Channel() string { return "log" }

func (s LogSender) Send(ctx context.Context, m Message) error {
	l := s.Logger
	if l == nil {
		l = slog.Default()
	}
	l.Debug("notification sent", "channel", "log", "user", m.UserID, "title", m.Title, "source", m.SourceKey)
	return nil
}

// UnitRecipients returns the users who should hear about a unit's matters
// (its responsible staff); the org module provides it at wiring.
type UnitRecipients func(ctx context.Context, q db.Querier, unitID int64) ([]int64, error)

// Service stores and lists notifications.
type Service struct {
	db       *db.DB
	senders  []Sender
	unit     UnitRecipients
	excluded Excluded
}

// Excluded returns those of users who must receive no notification (the
// three administrators: 三员分立); the org module provides it at wiring.
type Excluded func(ctx context.Context, q db.Querier, users []int64) ([]int64, error)

// SetExcluded plugs in the lookup of users who get no notifications.
func (s *Service) SetExcluded(f Excluded) { s.excluded = f }

// NewService returns a Service with the logging sender.
func NewService(d *db.DB) *Service {
	return &Service{db: d, senders: []Sender{LogSender{}}}
}

// SetSenders replaces the outside-app senders.
func (s *Service) SetSenders(ss ...Sender) { s.senders = ss }

// SetUnitRecipients plugs in the lookup of a unit's responsible users.
func (s *Service) SetUnitRecipients(f UnitRecipients) { s.unit = f }

// New is a notification to create.
type New struct {
	UserIDs []int64
	UnitID  int64 // also notify the unit's responsible users
	Title   string
	Body    string
	Link    string
	// SourceKey names what produced the notification (a job key, an event);
	// a user gets at most one notification per key.
	SourceKey string
	// ReminderKey and ReminderDue (YYYY-MM-DD) mark a reminder about a
	// deadline (package reminders): until the matter is done or the user
	// dismisses it, it is a to-do item of its recipient.
	ReminderKey string
	ReminderDue string
}

// Recipients resolves n's users (explicit ones plus the unit's), deduped.
func (s *Service) Recipients(ctx context.Context, q db.Querier, n New) ([]int64, error) {
	users := slices.Clone(n.UserIDs)
	if n.UnitID > 0 && s.unit != nil {
		more, err := s.unit(ctx, q, n.UnitID)
		if err != nil {
			return nil, err
		}
		users = append(users, more...)
	}
	slices.Sort(users)
	users = slices.DeleteFunc(slices.Compact(users), func(u int64) bool { return u <= 0 })
	if s.excluded != nil && len(users) > 0 {
		drop, err := s.excluded(ctx, q, users)
		if err != nil {
			return nil, err
		}
		users = slices.DeleteFunc(users, func(u int64) bool { return slices.Contains(drop, u) })
	}
	return users, nil
}

// Create writes n for each recipient in q and returns the users who got a
// new notification (a repeated SourceKey creates nothing). Call Deliver with
// the result after the transaction commits.
func (s *Service) Create(ctx context.Context, q db.Querier, n New) ([]int64, error) {
	title := strings.TrimSpace(n.Title)
	if title == "" {
		return nil, apperr.Field("title", "通知标题不能为空")
	}
	if utf8.RuneCountInString(title) > 200 {
		title = string([]rune(title)[:200])
	}
	users, err := s.Recipients(ctx, q, n)
	if err != nil {
		return nil, err
	}
	var src, rkey any
	if n.SourceKey != "" {
		src = n.SourceKey
	}
	if n.ReminderKey != "" {
		rkey = n.ReminderKey
	}
	var created []int64
	for _, u := range users {
		var id int64
		err := q.QueryRow(ctx, `INSERT INTO notifications (user_id, title, body, link, source_key, reminder_key, reminder_due) VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (user_id, source_key) DO NOTHING RETURNING id`, u, title, n.Body, n.Link, src, rkey, n.ReminderDue).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		created = append(created, u)
	}
	return created, nil
}

// Deliver hands copies to the senders (after commit). Failures are logged:
// the in-app notification already exists.
func (s *Service) Deliver(ctx context.Context, users []int64, n New) {
	for _, u := range users {
		for _, snd := range s.senders {
			m := Message{UserID: u, Title: n.Title, Body: n.Body, Link: n.Link, SourceKey: n.SourceKey}
			if err := snd.Send(ctx, m); err != nil {
				slog.Warn("notification: sending failed", "channel", snd.Channel(), "user", u, "err", err)
			}
		}
	}
}

// Notify creates and delivers in one call, in its own transaction.
func (s *Service) Notify(ctx context.Context, n New) error {
	var users []int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		users, err = s.Create(ctx, tx, n)
		return err
	})
	if err == nil {
		s.Deliver(ctx, users, n)
	}
	return err
}

func current(ctx context.Context) (*auth.Actor, error) {
	a := auth.From(ctx)
	if a == nil || a.UserID == 0 {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	return a, nil
}

// Page is one page of the actor's notifications.
type Page struct {
	Items []Notification `json:"items"`
	Total int            `json:"total"`
}

// List returns the actor's notifications, newest first.
func (s *Service) List(ctx context.Context, p db.Page, unreadOnly bool) (*Page, error) {
	a, err := current(ctx)
	if err != nil {
		return nil, err
	}
	where := "user_id = ?"
	if unreadOnly {
		where += " AND read_at IS NULL"
	}
	out := &Page{}
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM notifications WHERE "+where, a.UserID).Scan(&out.Total); err != nil {
		return nil, err
	}
	limit, offset := p.Limit()
	out.Items, err = db.All(ctx, s.db, scanNotification, "SELECT id, title, body, link, created_at, read_at FROM notifications WHERE "+where+" ORDER BY id DESC LIMIT ? OFFSET ?", a.UserID, limit, offset)
	if err != nil {
		return nil, err
	}
	return out, nil
}

func scanNotification(row db.Scanner) (Notification, error) {
	var n Notification
	var readAt sql.NullTime
	if err := row.Scan(&n.ID, &n.Title, &n.Body, &n.Link, &n.CreatedAt, &readAt); err != nil {
		return n, err
	}
	if readAt.Valid {
		t := readAt.Time.UTC()
		n.ReadAt = &t
	}
	n.CreatedAt = n.CreatedAt.UTC()
	return n, nil
}

// UnreadCount returns how many unread notifications the actor has.
func (s *Service) UnreadCount(ctx context.Context) (int, error) {
	a, err := current(ctx)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.db.QueryRow(ctx, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", a.UserID).Scan(&n)
	return n, err
}

// MarkRead marks one of the actor's notifications read (again is harmless).
func (s *Service) MarkRead(ctx context.Context, id int64) error {
	a, err := current(ctx)
	if err != nil {
		return err
	}
	var owner int64
	err = s.db.QueryRow(ctx, "SELECT user_id FROM notifications WHERE id = ?", id).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != a.UserID) {
		return apperr.New(apperr.NotFound, "通知不存在")
	}
	if err != nil {
		return err
	}
	_, err = s.db.Exec(ctx, "UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL", time.Now().UTC(), id, a.UserID)
	return err
}

// Dismiss closes one of the actor's reminders (通知 about a deadline): it
// leaves the actor's to-do list although the matter is not recorded done.
// The dismissal is audited: an overdue matter someone chose to ignore is
// worth knowing about.
func (s *Service) Dismiss(ctx context.Context, id int64) error {
	a, err := current(ctx)
	if err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		var owner int64
		var key sql.NullString
		var title string
		err := tx.QueryRow(ctx, "SELECT user_id, reminder_key, title FROM notifications WHERE id = ?", id).Scan(&owner, &key, &title)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != a.UserID) {
			return apperr.New(apperr.NotFound, "通知不存在")
		}
		if err != nil {
			return err
		}
		if !key.Valid {
			return apperr.New(apperr.Precondition, "这条通知不是期限提醒，不在待办中")
		}
		res, err := tx.Exec(ctx, "UPDATE notifications SET closed_at = ?, read_at = COALESCE(read_at, ?) WHERE id = ? AND closed_at IS NULL",
			time.Now().UTC(), time.Now().UTC(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // already closed: dismissing again changes nothing
		}
		return audit.Record(ctx, tx, audit.Event{Action: "notification.reminder.dismiss", ObjectType: "notification",
			ObjectID: strconv.FormatInt(id, 10), Summary: "忽略期限提醒：" + title})
	})
}

// MarkAllRead marks every notification of the actor read.
func (s *Service) MarkAllRead(ctx context.Context) (int64, error) {
	a, err := current(ctx)
	if err != nil {
		return 0, err
	}
	res, err := s.db.Exec(ctx, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", time.Now().UTC(), a.UserID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// UnreadCountBody is the unread count.
type UnreadCountBody struct {
	Count int `json:"count"`
}

// Register adds the bell's routes.
func (s *Service) Register(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "listNotifications", Method: http.MethodGet, Path: "/api/notifications", Summary: "通知列表", Tags: []string{"notifications"}},
		func(ctx context.Context, in *struct {
			Page     int  `query:"page"`
			PageSize int  `query:"page_size"`
			Unread   bool `query:"unread" doc:"只看未读"`
		}) (*struct{ Body Page }, error) {
			p, err := s.List(ctx, db.Page{Page: in.Page, Size: in.PageSize}, in.Unread)
			if err != nil {
				return nil, err
			}
			return &struct{ Body Page }{Body: *p}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "unreadNotificationCount", Method: http.MethodGet, Path: "/api/notifications/unread_count", Summary: "未读通知数", Tags: []string{"notifications"}},
		func(ctx context.Context, _ *struct{}) (*struct{ Body UnreadCountBody }, error) {
			n, err := s.UnreadCount(ctx)
			if err != nil {
				return nil, err
			}
			return &struct{ Body UnreadCountBody }{Body: UnreadCountBody{Count: n}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "markNotificationRead", Method: http.MethodPost, Path: "/api/notifications/{id}/read", Summary: "标记已读", Tags: []string{"notifications"}, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *struct {
			ID int64 `path:"id"`
		}) (*struct{}, error) {
			return nil, s.MarkRead(ctx, in.ID)
		})
	huma.Register(api, huma.Operation{OperationID: "dismissReminder", Method: http.MethodPost, Path: "/api/notifications/{id}/dismiss", Summary: "忽略期限提醒（移出待办）", Tags: []string{"notifications"}, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *struct {
			ID int64 `path:"id"`
		}) (*struct{}, error) {
			return nil, s.Dismiss(ctx, in.ID)
		})
	huma.Register(api, huma.Operation{OperationID: "markAllNotificationsRead", Method: http.MethodPost, Path: "/api/notifications/read_all", Summary: "全部标记已读", Tags: []string{"notifications"}, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, _ *struct{}) (*struct{}, error) {
			_, err := s.MarkAllRead(ctx)
			return nil, err
		})
}
