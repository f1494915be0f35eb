// Package dashboard serves the home page (工作台) figures. Modules register
// FigureProviders; each figure is computed live from records within the
// actor's scope and carries a link to the records behind it. The metrics
// catalogue (package metric) will generalise this for every module.
package dashboard

import (
	"context"
	"math"
	"net/http"
	"sync"
	"time"

	"fazhi/internal/platform/auth"

	"github.com/danielgtaylor/huma/v2"
)

// Figure is one number on the home page.
type Figure struct {
	Key   string  `json:"key" doc:"稳定的指标名，如 org.unit_count"`
	Label string  `json:"label" doc:"中文名称"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit" doc:"计量单位，如 个、人、%"`
	Link  string  `json:"link,omitempty" doc:"下钻到明细记录的前端路由"`
	// Rates carry their parts so a reader can check them, and say when
	// there is nothing to compute: 0 of 0 is not "0 %".
	Numerator   *float64 `json:"numerator,omitempty" doc:"比率的分子（记录数）"`
	Denominator *float64 `json:"denominator,omitempty" doc:"比率的分母（记录数）"`
	NoData      bool     `json:"no_data,omitempty" doc:"分母为零：没有可计算的记录，页面显示“—”"`
}

// Rate makes a percentage figure from its parts, rounded to one decimal;
// a zero denominator gives a NoData figure instead of a misleading 0 %.
func Rate(key, label string, num, den float64, link string) Figure {
	f := Figure{Key: key, Label: label, Unit: "%", Link: link, Numerator: &num, Denominator: &den}
	if den == 0 {
		f.NoData = true
		return f
	}
	f.Value = math.Round(num/den*1000) / 10
	return f
}

// TypeCount is one bar of the units-by-type chart.
type TypeCount struct {
	Type  string `json:"type"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// FigureProvider computes figures for the actor in ctx.
type FigureProvider func(ctx context.Context) ([]Figure, error)

// ChartProvider computes the units-by-type chart for the actor in ctx.
type ChartProvider func(ctx context.Context) ([]TypeCount, error)

// Service collects providers registered by modules at wiring time.
type Service struct {
	mu      sync.Mutex
	figures []FigureProvider
	chart   ChartProvider
}

func NewService() *Service { return &Service{} }

// AddFigures registers a provider.
func (s *Service) AddFigures(p FigureProvider) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.figures = append(s.figures, p)
}

// SetUnitChart registers the chart provider.
func (s *Service) SetUnitChart(p ChartProvider) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chart = p
}

// Summary is the home page's data.
type Summary struct {
	GeneratedAt time.Time   `json:"generated_at"`
	Figures     []Figure    `json:"figures"`
	UnitsByType []TypeCount `json:"units_by_type"`
}

// Summary computes every registered figure for the signed-in actor.
func (s *Service) Summary(ctx context.Context) (*Summary, error) {
	if _, err := auth.Require(ctx, "dashboard.read"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	providers := append([]FigureProvider(nil), s.figures...)
	chart := s.chart
	s.mu.Unlock()
	out := &Summary{GeneratedAt: time.Now().UTC(), Figures: []Figure{}, UnitsByType: []TypeCount{}}
	for _, p := range providers {
		fs, err := p(ctx)
		if err != nil {
			return nil, err
		}
		out.Figures = append(out.Figures, fs...)
	}
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
