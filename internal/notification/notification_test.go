package notification

import (
	"context"
	"sync"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

type recorder struct {
	mu   sync.Mutex
	msgs []Message
}

func (r *recorder) Channel() string { return "test" }
func (r *recorder) Send(ctx context.Context, m Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
	return nil
}

func as(id int64) context.Context {
	return auth.With(context.Background(), &auth.Actor{UserID: id, Username: "u"})
}

func TestBell(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		rec := &recorder{}
		s.SetSenders(rec)
		s.SetUnitRecipients(func(ctx context.Context, q db.Querier, unitID int64) ([]int64, error) {
			if unitID == 9 {
				return []int64{2, 3}, nil
			}
			return nil, nil
		})
		if err := s.Notify(ctx, New{UserIDs: []int64{1, 2}, UnitID: 9, Title: "整改期限将至", Body: "问题 WT-1 将于 2026-10-30 到期", Link: "/findings/1", SourceKey: "k1"}); err != nil {
			t.Fatal(err)
		}
		// Same source again: nobody is notified twice, nothing is re-sent.
		if err := s.Notify(ctx, New{UserIDs: []int64{1, 2, 3}, Title: "整改期限将至", SourceKey: "k1"}); err != nil {
			t.Fatal(err)
		}
		if len(rec.msgs) != 3 {
			t.Fatalf("sent %d messages, want 3 (users 1, 2, 3 once each)", len(rec.msgs))
		}
		if err := s.Notify(ctx, New{UserIDs: []int64{2}, Title: "第二条"}); err != nil {
			t.Fatal(err)
		}
		p, err := s.List(as(2), db.Page{}, false)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 2 || p.Items[0].Title != "第二条" || p.Items[1].Link != "/findings/1" || p.Items[0].ReadAt != nil {
			t.Fatalf("user 2 list: %+v", p)
		}
		if n, _ := s.UnreadCount(as(2)); n != 2 {
			t.Fatalf("unread = %d", n)
		}
		// Someone else's notification is not found.
		if err := s.MarkRead(as(1), p.Items[0].ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("mark other's read: %v", err)
		}
		if err := s.MarkRead(as(2), p.Items[0].ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.UnreadCount(as(2)); n != 1 {
			t.Fatalf("unread after mark = %d", n)
		}
		up, _ := s.List(as(2), db.Page{}, true)
		if up.Total != 1 || up.Items[0].Title != "整改期限将至" {
			t.Fatalf("unread list: %+v", up)
		}
		all, _ := s.List(as(2), db.Page{}, false)
		if all.Items[0].ReadAt == nil {
			t.Fatal("read_at not set")
		}
		if n, _ := s.MarkAllRead(as(2)); n != 1 {
			t.Fatalf("mark all = %d", n)
		}
		if _, err := s.UnreadCount(context.Background()); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("anonymous: %v", err)
		}
	})
}
