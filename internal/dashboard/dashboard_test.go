package dashboard

import (
	"context"
	"errors"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
)

func TestRate(t *testing.T) {
	f := Rate("x.rate", "按时率", 7, 8, "/x")
	if f.NoData || f.Value != 87.5 || *f.Numerator != 7 || *f.Denominator != 8 || f.Unit != "%" {
		t.Fatalf("7/8: %+v", f)
	}
	if f := Rate("x.rate", "按时率", 2, 3, ""); f.Value != 66.7 {
		t.Fatalf("2/3 rounds to one decimal: %v", f.Value)
	}
	z := Rate("x.rate", "按时率", 0, 0, "")
	if !z.NoData || z.Value != 0 {
		t.Fatalf("0/0 must be no-data, got %+v", z)
	}
}

func TestSummaryCollectsProvidersForSignedInActor(t *testing.T) {
	s := NewService()
	s.AddFigures(func(ctx context.Context) ([]Figure, error) {
		return []Figure{{Key: "a.count", Label: "甲", Value: 3, Unit: "个"}}, nil
	})
	s.AddFigures(func(ctx context.Context) ([]Figure, error) {
		return []Figure{Rate("b.rate", "乙", 1, 4, "/b")}, nil
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
	// A failing provider fails the summary rather than showing partial figures as complete.
	s.AddFigures(func(ctx context.Context) ([]Figure, error) { return nil, errors.New("boom") })
	if _, err := s.Summary(ctx); err == nil {
		t.Fatal("provider error swallowed")
	}
}
