package legalreview

import (
	"context"
	"testing"
	"time"

	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

type fakeNotifier struct{ sent []string }

func (f *fakeNotifier) Notify(ctx context.Context, users []int64, key, title, body, link string) error {
	f.sent = append(f.sent, key+"|"+body)
	return nil
}

// Step 承办人初审 has 5 working days and a reminder 1 day before: activated
// Monday 2026-09-28, its 5th working day is the make-up Saturday 2026-10-10
// (09-29, 09-30, 10-08, 10-09, 10-10; 国庆 skipped), so it is due at the end
// of 10-10, reminded once the 4th working day (10-09) has ended, and
// escalated after 10-10.
func TestStepRemindersOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		n := &fakeNotifier{}
		f.svc.SetNotifier(n)
		r := f.open(t, OpenInput{Title: "清河区养犬管理规定"})
		at := func(date string, hour int) time.Time {
			x := calendar.MustDate(date)
			return time.Date(x.Year, x.Month, x.Day, hour, 0, 0, 0, calendar.Shanghai)
		}
		if c, err := f.svc.SweepReminders(context.Background(), at("2026-10-09", 18)); err != nil || c != 0 {
			t.Fatalf("early sweep: %d %v", c, err)
		}
		for i := 0; i < 2; i++ {
			c, err := f.svc.SweepReminders(context.Background(), at("2026-10-10", 10))
			if err != nil || c != map[int]int{0: 1, 1: 0}[i] {
				t.Fatalf("sweep %d: %d %v", i, c, err)
			}
		}
		if c, _ := f.svc.SweepReminders(context.Background(), at("2026-10-12", 10)); c != 1 {
			t.Fatalf("escalation sweep: %d", c)
		}
		if len(n.sent) != 1 { // the escalation has no escalate_to in this chain
			t.Fatalf("notifications %v", n.sent)
		}
		tl, err := f.svc.Timeline(f.as(t, "clerk_zjj"), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		var remind, escalate int
		for _, e := range tl {
			switch e.Action {
			case "remind":
				remind++
			case "escalate":
				escalate++
			}
		}
		if remind != 1 || escalate != 1 {
			t.Fatalf("timeline remind=%d escalate=%d", remind, escalate)
		}
	})
}
