package app

import (
	"context"
	"testing"

	"fazhi/internal/dashboard"
	"fazhi/internal/metric"
	"fazhi/internal/platform/auth"
)

// The cockpit for the whole district over this year on the demo district
// (scripts/bench.sh runs it): from the counters, and by direct aggregates
// over the base tables (metric.WithDirect) as the baseline.
func BenchmarkCockpitDemo(b *testing.B) {
	a := demoApp(b, b.TempDir()+"/b.db")
	id := scalar[int64](b, a, "SELECT id FROM users WHERE username = 'sifaju'")
	ac, err := a.Org.LoadActor(context.Background(), id)
	if err != nil {
		b.Fatal(err)
	}
	ctx := auth.With(context.Background(), ac)
	for _, c := range []struct {
		name string
		ctx  context.Context
	}{{"counters", ctx}, {"direct", metric.WithDirect(ctx)}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := a.Dashboard.Cockpit(c.ctx, dashboard.PeriodInput{Period: "2026"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
