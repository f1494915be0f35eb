package app

import (
	"context"
	"fmt"
	"time"

	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/jobs"
)

// enqueueNightly schedules the next run of a nightly job kind at hour:min
// Beijing time tomorrow (one job per night: the unique key is the kind and
// the date, so every process may enqueue it).
func enqueueNightly(ctx context.Context, d *db.DB, kind string, hour, min int, now time.Time) error {
	day := calendar.Today(now).AddDays(1)
	at := time.Date(day.Year, day.Month, day.Day, hour, min, 0, 0, calendar.Shanghai)
	_, _, err := jobs.Enqueue(ctx, d, jobs.New{Kind: kind, UniqueKey: fmt.Sprintf("%s:%s", kind, day), RunAt: at, MaxAttempts: 2})
	return err
}
