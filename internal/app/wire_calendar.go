package app

import (
	"context"
	"time"

	"fazhi/internal/platform/calendar/calstore"
)

// wireCalendar loads administrator-entered holiday years and province rule
// overrides into the shared Calendar and Rules before any module uses them.
func (a *App) wireCalendar(ctx context.Context) error {
	cs := calstore.New(a.DB, a.Calendar, a.Rules)
	if err := cs.Load(ctx); err != nil {
		return err
	}
	cs.Register(a.API)
	a.Go(func(ctx context.Context) { cs.Reload(ctx, 5*time.Minute) })
	return nil
}
