package app

import (
	"context"
	"strings"
	"testing"

	"fazhi/internal/indicator"
	"fazhi/internal/metric"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db/dbtest"
)

// TestDemoIndicator: the demo holds a 2026 campaign half way through, on
// the shipped framework whose bound items name figures the registry really
// provides; bound items carry the registers' values; every state of the
// review (approved, under review, returned, to do) is there, the override
// has its reason, and the tree's totals add up.
func TestDemoIndicator(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		a := demoApp(t, dsn)
		ctx := auth.With(context.Background(), auth.SystemActor("test"))
		svc := a.Indicator()
		figs, err := a.Metrics.Figures(ctx, metric.Year(calendar.MustDate("2026-06-01")))
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, f := range figs {
			have[f.Code] = true
		}
		cs, err := svc.Campaigns(ctx)
		if err != nil || len(cs) != 1 {
			t.Fatalf("campaigns %v %v", cs, err)
		}
		d, err := svc.Campaign(ctx, cs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		status := map[string]int{}
		bound, l3, live := 0, 0, 0
		var sum float64
		for _, r := range d.Rows {
			if r.Level != 3 {
				continue
			}
			l3++
			if r.FigureCode != "" {
				bound++
				if !have[r.FigureCode] {
					t.Errorf("item %s is bound to %s, which no module provides", r.Code, r.FigureCode)
				}
			}
			as := r.Assignment
			if as == nil {
				t.Errorf("item %s not broken down", r.Code)
				continue
			}
			status[as.Status]++
			if r.FigureCode != "" && as.AutoNote == "" {
				t.Errorf("bound item %s was not scored from the registers", r.Code)
			}
			if as.AutoValue != nil {
				live++
				if as.AutoLink == "" || !strings.HasPrefix(as.AutoLink, "/") {
					t.Errorf("item %s: no link to the records behind its figure", r.Code)
				}
			}
			if as.Overridden && as.OverrideReason == "" {
				t.Errorf("item %s overridden without a reason", r.Code)
			}
			if r.Kind == indicator.KindNormal && as.Score != nil {
				sum += *as.Score
			}
		}
		if status["approved"] < 5 || status["submitted"] < 3 || status["returned"] < 1 || status["pending"] < 5 {
			t.Errorf("not half way through: %v", status)
		}
		if bound*3 < l3 || live < bound/2 {
			t.Errorf("bound %d of %d level-3 items, %d with live values", bound, l3, live)
		}
		if d.Totals.Base < sum-0.01 || d.Totals.Base > sum+0.01 {
			t.Errorf("totals %.2f, rows add to %.2f", d.Totals.Base, sum)
		}
		t.Logf("demo campaign: %d level-3 items, %d bound to live figures (%d with values), states %v, total %.2f", l3, bound, live, status, d.Totals.Total)
	})
}
