package clock

import (
	"context"
	"testing"
	"time"

	"fazhi/internal/platform/calendar"
)

func TestNowReadsTheContextsClock(t *testing.T) {
	wall := time.Date(2026, 12, 7, 9, 0, 0, 0, calendar.Shanghai)
	fallback := func() time.Time { return wall }
	ctx := context.Background()
	if got := Now(ctx, fallback); !got.Equal(wall) {
		t.Fatalf("without a simulated clock: %v, want the service's %v", got, wall)
	}
	sim, s := Simulate(ctx)
	s.At(calendar.MustDate("2026-02-09"), 10)
	if got := Now(sim, fallback); got.Format(time.RFC3339) != "2026-02-09T10:00:00+08:00" {
		t.Fatalf("simulated: %v", got)
	}
	// A seeder called by another shares the caller's clock.
	again, s2 := Simulate(sim)
	if s2 != s || again != sim {
		t.Fatal("Simulate on a simulated context made a second clock")
	}
	s2.At(calendar.MustDate("2026-05-13"), 16)
	if got := calendar.Today(Now(sim, fallback)).String(); got != "2026-05-13" {
		t.Fatalf("the caller's clock did not move: %s", got)
	}
	// The context without the clock is untouched.
	if got := Now(ctx, fallback); !got.Equal(wall) {
		t.Fatalf("parent context: %v", got)
	}
}
