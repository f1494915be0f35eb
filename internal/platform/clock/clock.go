// Package clock lets a caller run services at a simulated time. Requests
// read the wall clock; the demo loader carries a Sim on the context, and
// every service reads its time through Now, so that a record seeded for a
// day in February is recorded in February, gates and deadlines included,
// also across module calls (a decision opening its legality review).
package clock

import (
	"context"
	"sync"
	"time"

	"fazhi/internal/platform/calendar"
)

// Sim is a settable clock.
type Sim struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the simulated time.
func (s *Sim) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.t
}

// Set moves the clock to t.
func (s *Sim) Set(t time.Time) {
	s.mu.Lock()
	s.t = t
	s.mu.Unlock()
}

// At moves the clock to the hour of a day in Shanghai.
func (s *Sim) At(d calendar.Date, hour int) {
	s.Set(time.Date(d.Year, d.Month, d.Day, hour, 0, 0, 0, calendar.Shanghai))
}

type ctxKey struct{}

// With returns ctx carrying the simulated clock s.
func With(ctx context.Context, s *Sim) context.Context { return context.WithValue(ctx, ctxKey{}, s) }

// From returns the simulated clock ctx carries, or nil.
func From(ctx context.Context) *Sim {
	s, _ := ctx.Value(ctxKey{}).(*Sim)
	return s
}

// Now is the time a service reads: the simulated clock's when ctx carries
// one, otherwise fallback's (the service's own clock).
func Now(ctx context.Context, fallback func() time.Time) time.Time {
	if s := From(ctx); s != nil {
		return s.Now()
	}
	return fallback()
}

// Simulate returns ctx with a simulated clock (the one ctx already carries,
// so that a seeder called by another shares its clock) and that clock.
func Simulate(ctx context.Context) (context.Context, *Sim) {
	if s := From(ctx); s != nil {
		return ctx, s
	}
	s := &Sim{t: time.Now()}
	return With(ctx, s), s
}
