package metric

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
)

func TestRate(t *testing.T) {
	f := Figure{Code: "x.rate", Name: "按时率", Link: "/x", Definition: "分子 ÷ 分母"}.Rate(7, 8)
	if f.NoData || f.Value != 87.5 || f.Numerator != 7 || f.Denominator != 8 || f.Unit != "%" || f.Code != "x.rate" || f.Link != "/x" || f.Definition == "" {
		t.Fatalf("7/8: %+v", f)
	}
	if f := (Figure{}).Rate(2, 3); f.Value != 66.7 {
		t.Fatalf("2/3 rounds to one decimal: %v", f.Value)
	}
	if f := (Figure{}).Rate(1, 8); f.Value != 12.5 {
		t.Fatalf("1/8 rounds half up: %v", f.Value)
	}
	z := Figure{Value: 100}.Rate(0, 0)
	if !z.NoData || z.Value != 0 {
		t.Fatalf("0/0 must be no-data with value 0, got %+v", z)
	}
}

func TestYear(t *testing.T) {
	q := Year(calendar.NewDate(2026, 11, 20))
	if q.From != "2026-01-01" || q.To != "2026-12-31" || q.UnitID != 0 {
		t.Fatalf("year query %+v", q)
	}
}

func TestRegistryRunsProvidersTheActorMaySee(t *testing.T) {
	r := NewRegistry()
	var got Query
	r.Register("a.read", func(ctx context.Context, q Query) ([]Figure, error) {
		got = q
		return []Figure{{Code: "a.count", Name: "甲", Value: 3, Unit: "个"}}, nil
	})
	r.Register("b.read", func(ctx context.Context, q Query) ([]Figure, error) {
		return []Figure{Figure{Code: "b.rate", Name: "乙"}.Rate(1, 4)}, nil
	})
	q := Query{UnitID: 7, From: "2026-01-01", To: "2026-12-31"}

	// Anonymous: nothing, and an empty list rather than nil.
	figs, err := r.Figures(context.Background(), q)
	if err != nil || figs == nil || len(figs) != 0 {
		t.Fatalf("anonymous: %v %v", figs, err)
	}
	onlyA := auth.With(context.Background(), &auth.Actor{UserID: 1, Perms: map[string]auth.Scope{"a.read": {All: true}}})
	figs, err = r.Figures(onlyA, q)
	if err != nil || len(figs) != 1 || figs[0].Code != "a.count" || got != q {
		t.Fatalf("a.read only: %+v %v (query %+v)", figs, err, got)
	}
	both := auth.With(context.Background(), &auth.Actor{UserID: 1, Perms: map[string]auth.Scope{"a.read": {All: true}, "b.read": {All: true}}})
	figs, err = r.Figures(both, q)
	if err != nil || len(figs) != 2 || figs[1].Code != "b.rate" || figs[1].Value != 25 {
		t.Fatalf("both, in registration order: %+v %v", figs, err)
	}
	// A failing provider fails the whole call.
	r.Register("b.read", func(ctx context.Context, q Query) ([]Figure, error) { return nil, errors.New("boom") })
	if _, err := r.Figures(both, q); err == nil {
		t.Fatal("provider error swallowed")
	}
	if _, err := r.Figures(onlyA, q); err != nil {
		t.Fatalf("a provider the actor may not see must not run: %v", err)
	}
}

// Providers run side by side; the figures still come in registration order,
// the first failure cancels the rest, and a panic reaches the caller.
func TestRegistryRunsProvidersConcurrently(t *testing.T) {
	r := NewRegistry()
	const n = 3
	var started sync.WaitGroup
	started.Add(n)
	for i := range n {
		r.Register("x.read", func(ctx context.Context, q Query) ([]Figure, error) {
			started.Done()
			// Each waits until all have started: one after another, the
			// first would wait forever (the timeout fails the test instead).
			done := make(chan struct{})
			go func() { started.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				return nil, errors.New("providers ran one after another")
			}
			time.Sleep(time.Duration(n-i) * 5 * time.Millisecond) // the last registered finishes first
			return []Figure{{Code: fmt.Sprintf("x.%d", i)}}, nil
		})
	}
	ctx := auth.With(context.Background(), &auth.Actor{UserID: 1, Perms: map[string]auth.Scope{"x.read": {All: true}}})
	figs, err := r.Figures(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != n || figs[0].Code != "x.0" || figs[1].Code != "x.1" || figs[2].Code != "x.2" {
		t.Fatalf("want registration order: %+v", figs)
	}

	r = NewRegistry()
	boom := errors.New("boom")
	r.Register("x.read", func(ctx context.Context, q Query) ([]Figure, error) {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(10 * time.Second):
			return nil, errors.New("not cancelled")
		}
	})
	r.Register("x.read", func(context.Context, Query) ([]Figure, error) { return nil, boom })
	if _, err := r.Figures(ctx, Query{}); err != boom {
		t.Fatalf("want the failing provider's error, got %v", err)
	}

	r = NewRegistry()
	r.Register("x.read", func(context.Context, Query) ([]Figure, error) { panic("provider bug") })
	defer func() {
		if v := recover(); v == nil || !strings.Contains(fmt.Sprint(v), "provider bug") {
			t.Fatalf("panic not raised in the caller: %v", v)
		}
	}()
	_, _ = r.Figures(ctx, Query{})
	t.Fatal("no panic")
}
