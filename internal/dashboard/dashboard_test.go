package dashboard

import (
	"context"
	"errors"
	"fmt"
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

// Each role gets its own home page from the same registry: a department's
// clerk their unit's figures; the 司法局 the district's with each
// department's behind them; a read-only district leader the cockpit, which
// adds the year to date at the end of each month so far and ranks the departments by the
// mean of their rates (a department without any rate is last, unranked).
func TestSummaryPerRole(t *testing.T) {
	reg := metric.NewRegistry()
	s := NewService(reg)
	// 15 March 2026 in Beijing.
	s.now = func() time.Time { return time.Date(2026, 3, 15, 2, 0, 0, 0, time.UTC) }
	var asked []metric.Query
	rates := map[int64][2]int{0: {6, 8}, 11: {1, 4}, 12: {3, 4}, 13: {0, 0}, 14: {3, 4}}
	reg.Register("decision.read", func(ctx context.Context, q metric.Query) ([]metric.Figure, error) {
		asked = append(asked, q)
		r := rates[q.UnitID]
		return []metric.Figure{
			{Code: "x.count", Name: "件数", Unit: "件", Value: float64(r[1]), Numerator: r[1]},
			metric.Figure{Code: "x.rate", Name: "比率"}.Rate(r[0], r[1]),
		}, nil
	})
	s.SetUnits(func(ctx context.Context) ([]UnitRef, error) {
		return []UnitRef{{11, "区教育局"}, {12, "区民政局"}, {13, "区水利局"}, {14, "区财政局"}}, nil
	})
	all, sub := auth.Scope{All: true}, auth.Scope{Ranges: []auth.UnitRange{{Path: "/1/12/", Subtree: true}}}
	clerk := auth.With(context.Background(), &auth.Actor{UserID: 2, UnitID: 12, UnitName: "区民政局", UnitPath: "/1/12/",
		Perms: map[string]auth.Scope{"dashboard.read": all, "decision.read": sub, "decision.write": sub}})
	sifaju := auth.With(context.Background(), &auth.Actor{UserID: 3, UnitID: 5, UnitName: "区司法局", UnitPath: "/1/5/",
		Perms: map[string]auth.Scope{"dashboard.read": all, "decision.read": all, "decision.write": all}})
	leader := auth.With(context.Background(), &auth.Actor{UserID: 4, UnitID: 1, UnitName: "清河区人民政府", UnitPath: "/1/",
		Perms: map[string]auth.Scope{"dashboard.read": all, "decision.read": all, "org.read": all}})

	sum, err := s.Summary(clerk)
	if err != nil {
		t.Fatal(err)
	}
	if sum.View != ViewUnit || sum.ScopeName != "区民政局" || len(asked) != 1 || asked[0].UnitID != 12 || sum.Figures[1].Value != 75 ||
		len(sum.Units) != 0 || len(sum.Trend) != 0 {
		t.Fatalf("clerk: %+v, asked %+v", sum, asked)
	}

	asked = nil
	if sum, err = s.Summary(sifaju); err != nil {
		t.Fatal(err)
	}
	if sum.View != ViewDistrict || sum.ScopeName != "全区" || sum.Figures[1].Value != 75 || len(sum.Units) != 4 || len(sum.Trend) != 0 || len(asked) != 5 {
		t.Fatalf("司法局: %+v, asked %+v", sum, asked)
	}
	if u := sum.Units[0]; u.UnitName != "区教育局" || u.Figures[1].Value != 25 || u.Score != 25 || u.Rated != 1 {
		t.Fatalf("司法局's first department (in the lister's order): %+v", u)
	}

	asked = nil
	if sum, err = s.Summary(leader); err != nil {
		t.Fatal(err)
	}
	if sum.View != ViewCockpit || len(sum.Trend) != 3 {
		t.Fatalf("leader: view %s, trend %+v", sum.View, sum.Trend)
	}
	months := []metric.Query{{From: "2026-01-01", To: "2026-01-31"}, {From: "2026-01-01", To: "2026-02-28"}, {From: "2026-01-01", To: "2026-03-31"}}
	for i, m := range months {
		if got := asked[len(asked)-3+i]; got != m || sum.Trend[i].Month != m.To[:7] {
			t.Fatalf("month %d: asked %+v (trend %s), want %+v", i+1, got, sum.Trend[i].Month, m)
		}
	}
	var order []string
	var ranks []int
	for _, u := range sum.Units {
		order, ranks = append(order, u.UnitName), append(ranks, u.Rank)
	}
	if fmt.Sprint(order) != "[区民政局 区财政局 区教育局 区水利局]" || fmt.Sprint(ranks) != "[1 1 3 0]" {
		t.Fatalf("ranking %v %v", order, ranks)
	}
}
