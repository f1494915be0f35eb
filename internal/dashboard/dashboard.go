// Package dashboard serves the home page (工作台): this year's figures from
// the metric registry (the only source of figures), computed live within the
// actor's scope, each with a link to the records behind it, and the
// units-by-type chart.
package dashboard

import (
	"context"
	"net/http"
	"sync"
	"time"

	"fazhi/internal/metric"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"

	"github.com/danielgtaylor/huma/v2"
)

// TypeCount is one bar of the units-by-type chart.
type TypeCount struct {
	Type  string `json:"type"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// ChartProvider computes the units-by-type chart for the actor in ctx.
type ChartProvider func(ctx context.Context) ([]TypeCount, error)

// Service reads figures from the metric registry and the chart from the
// provider org sets at wiring time.
type Service struct {
	metrics *metric.Registry
	now     func() time.Time
	mu      sync.Mutex
	chart   ChartProvider
}

// NewService returns the dashboard over the registry modules register
// their figures in.
func NewService(metrics *metric.Registry) *Service {
	return &Service{metrics: metrics, now: time.Now}
}

// SetUnitChart registers the chart provider.
func (s *Service) SetUnitChart(p ChartProvider) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chart = p
}

// Summary is the home page's data.
type Summary struct {
	GeneratedAt time.Time       `json:"generated_at"`
	Figures     []metric.Figure `json:"figures" doc:"本年度（1月1日至12月31日）的指标"`
	UnitsByType []TypeCount     `json:"units_by_type"`
}

// Summary computes every registered figure the signed-in actor may see, for
// the current calendar year (Beijing date).
func (s *Service) Summary(ctx context.Context) (*Summary, error) {
	if _, err := auth.Require(ctx, "dashboard.read"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	chart := s.chart
	s.mu.Unlock()
	now := s.now()
	figs, err := s.metrics.Figures(ctx, metric.Year(calendar.Today(now)))
	if err != nil {
		return nil, err
	}
	out := &Summary{GeneratedAt: now.UTC(), Figures: figs, UnitsByType: []TypeCount{}}
	if chart != nil {
		c, err := chart(ctx)
		if err != nil {
			return nil, err
		}
		out.UnitsByType = c
	}
	return out, nil
}

func init() {
	auth.RegisterPerms("dashboard", map[string]string{"dashboard.read": "查看工作台"})
}

type summaryOutput struct{ Body *Summary }

// Register declares the dashboard routes.
func (s *Service) Register(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "dashboard-summary", Method: http.MethodGet, Path: "/api/dashboard/summary",
		Summary: "工作台数据", Tags: []string{"工作台"},
	}, func(ctx context.Context, _ *struct{}) (*summaryOutput, error) {
		sum, err := s.Summary(ctx)
		if err != nil {
			return nil, err
		}
		return &summaryOutput{Body: sum}, nil
	})
}
