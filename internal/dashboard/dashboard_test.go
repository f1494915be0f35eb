package dashboard

import (
	"context"
	"errors"
	"testing"
	"time"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
)

// The rate itself (7/8, 2/3, 0/0 → no data) is tested in package metric.

func TestSummaryCollectsProvidersForSignedInActor(t *testing.T) {
	reg := metric.NewRegistry()
	s := NewService(reg)
	// 31 December 2026 20:00 UTC is 1 January 2027 in Beijing.
	s.now = func() time.Time { return time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC) }
	var asked metric.Query
	reg.Register("dashboard.read", func(ctx context.Context, q metric.Query) ([]metric.Figure, error) {
		asked = q
		return []metric.Figure{{Code: "a.count", Name: "甲", Value: 3, Unit: "个"}}, nil
	})
	reg.Register("dashboard.read", func(ctx context.Context, q metric.Query) ([]metric.Figure, error) {
		return []metric.Figure{metric.Figure{Code: "b.rate", Name: "乙", Link: "/b"}.Rate(1, 4)}, nil
	})
	reg.Register("other.read", func(ctx context.Context, q metric.Query) ([]metric.Figure, error) {
		return []metric.Figure{{Code: "c.count", Name: "丙"}}, nil
	})
	s.SetUnitChart(func(ctx context.Context) ([]TypeCount, error) {
		return []TypeCount{{Type: "department", Label: "部门", Count: 30}}, nil
	})
	if _, err := s.Summary(context.Background()); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("anonymous: want unauthenticated, got %v", err)
	}
	ctx := auth.With(context.Background(), &auth.Actor{UserID: 1, Perms: map[string]auth.Scope{"dashboard.read": {All: true}}})
	sum, err := s.Summary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Figures) != 2 || sum.Figures[1].Value != 25 || len(sum.UnitsByType) != 1 {
		t.Fatalf("summary %+v", sum)
	}
	if asked != (metric.Query{From: "2027-01-01", To: "2027-12-31"}) {
		t.Fatalf("the home page asks for this Beijing year, got %+v", asked)
	}
	// A failing provider fails the summary rather than showing partial figures as complete.
	reg.Register("dashboard.read", func(ctx context.Context, q metric.Query) ([]metric.Figure, error) { return nil, errors.New("boom") })
	if _, err := s.Summary(ctx); err == nil {
		t.Fatal("provider error swallowed")
	}
}
