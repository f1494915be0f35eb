// Package dashboard serves the home page (工作台): this year's figures from
// the metric registry (the only source of figures), computed live within the
// actor's scope, each with a link to the records behind it, and the
// units-by-type chart.
package dashboard

import (
	"context"
	"math"
	"net/http"
	"slices"
	"strings"
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
	units   UnitLister
	tree    TreeLister
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

// Views: which home page an actor gets.
const (
	// ViewUnit is a department's workbench: the to-do list and the figures
	// of the actor's own unit (and the units below it).
	ViewUnit = "unit"
	// ViewDistrict is the 司法局's page: the district's figures and, behind
	// them, each department's.
	ViewDistrict = "district"
	// ViewCockpit is a district leader's read-only overview (驾驶舱): the
	// figures by area, their monthly trend over the year and the
	// departments ranked.
	ViewCockpit = "cockpit"
)

// everyone's permissions say nothing about the actor's place.
var everyone = map[string]bool{"dashboard.read": true, "notification.read": true}

// viewOf picks the home page from what the actor may do: whoever sees only
// their own part of the district gets the unit workbench; a district-wide
// actor who may also change something (司法局) the district page; a
// district-wide reader who changes nothing (区领导) the cockpit.
func viewOf(a *auth.Actor) string {
	if a.System {
		return ViewDistrict
	}
	wide, works := false, false
	for perm, sc := range a.Perms {
		if !sc.All || everyone[perm] {
			continue
		}
		wide = true
		if !strings.HasSuffix(perm, ".read") {
			works = true
		}
	}
	switch {
	case !wide && a.UnitID > 0:
		return ViewUnit
	case works || !wide:
		return ViewDistrict
	}
	return ViewCockpit
}

// UnitRef names one department of the breakdown.
type UnitRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// UnitLister lists, for the actor in ctx, the departments whose figures
// stand behind the district's (org sets it at wiring time).
type UnitLister func(ctx context.Context) ([]UnitRef, error)

// SetUnits registers the department lister.
func (s *Service) SetUnits(p UnitLister) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.units = p
}

// UnitFigures is one department's figures for the year, with its score
// (the mean of its rates that have data) and rank.
type UnitFigures struct {
	UnitID   int64           `json:"unit_id"`
	UnitName string          `json:"unit_name"`
	Figures  []metric.Figure `json:"figures"`
	Score    float64         `json:"score" doc:"各项比率指标（有数据的）的平均值，保留一位小数"`
	Rated    int             `json:"rated" doc:"参与平均的比率指标个数；为 0 时不参与排名"`
	Rank     int             `json:"rank" doc:"名次（从 1 开始）；没有可计算比率的单位为 0"`
}

// MonthFigures is the district's figures from 1 January to the end of one
// month of the year (year to date: a month with few records does not make
// the line jump).
type MonthFigures struct {
	Month   string          `json:"month" doc:"YYYY-MM"`
	Figures []metric.Figure `json:"figures"`
}

// Summary is the home page's data.
type Summary struct {
	GeneratedAt time.Time       `json:"generated_at"`
	View        string          `json:"view" enum:"unit,district,cockpit" doc:"unit 部门工作台；district 全区（司法局）；cockpit 领导驾驶舱"`
	ScopeName   string          `json:"scope_name" doc:"指标范围：本单位名称或“全区”"`
	Figures     []metric.Figure `json:"figures" doc:"本年度（1月1日至12月31日）的指标"`
	UnitsByType []TypeCount     `json:"units_by_type"`
	Units       []UnitFigures   `json:"units" doc:"各部门本年度指标（全区、驾驶舱视图；驾驶舱按名次排序）"`
	Trend       []MonthFigures  `json:"trend" doc:"本年度逐月指标，每月为年初至该月末的累计（驾驶舱视图）"`
}

// Summary computes the actor's home page for the current calendar year
// (Beijing date): every figure the actor may see, from the metric registry
// only — for the actor's own unit on the unit workbench; for the district
// and each department on the district page and the cockpit, which adds the
// month-by-month trend (year to date at each month's end) and the
// departments' ranking.
func (s *Service) Summary(ctx context.Context) (*Summary, error) {
	a, err := auth.Require(ctx, "dashboard.read")
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	chart, units := s.chart, s.units
	s.mu.Unlock()
	now := s.now()
	today := calendar.Today(now)
	year := metric.Year(today)
	out := &Summary{GeneratedAt: now.UTC(), View: viewOf(a), ScopeName: "全区", UnitsByType: []TypeCount{}, Units: []UnitFigures{}, Trend: []MonthFigures{}}
	q := year
	if out.View == ViewUnit {
		q.UnitID, out.ScopeName = a.UnitID, a.UnitName
	}
	if out.Figures, err = s.metrics.Figures(ctx, q); err != nil {
		return nil, err
	}
	if chart != nil {
		c, err := chart(ctx)
		if err != nil {
			return nil, err
		}
		out.UnitsByType = c
	}
	if out.View == ViewUnit {
		return out, nil
	}
	// Each department's figures: the counters are read once per tally for
	// all units in scope and summed per department in memory.
	ctx = metric.WithBreakdown(ctx)
	if units != nil {
		us, err := units(ctx)
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			uq := year
			uq.UnitID = u.ID
			fs, err := s.metrics.Figures(ctx, uq)
			if err != nil {
				return nil, err
			}
			out.Units = append(out.Units, scored(u, fs))
		}
	}
	if out.View != ViewCockpit {
		return out, nil
	}
	rank(out.Units)
	for m := 1; m <= int(today.Month); m++ {
		first := calendar.NewDate(today.Year, time.Month(m), 1)
		fs, err := s.metrics.Figures(ctx, metric.Query{From: year.From, To: first.AddMonths(1).AddDays(-1).String()})
		if err != nil {
			return nil, err
		}
		out.Trend = append(out.Trend, MonthFigures{Month: first.String()[:7], Figures: fs})
	}
	return out, nil
}

// scored is u's figures with the mean of its rates that have data.
func scored(u UnitRef, fs []metric.Figure) UnitFigures {
	uf := UnitFigures{UnitID: u.ID, UnitName: u.Name, Figures: fs}
	sum := 0.0
	for _, f := range fs {
		if f.Unit == "%" && !f.NoData {
			sum += f.Value
			uf.Rated++
		}
	}
	if uf.Rated > 0 {
		uf.Score = math.Round(sum*10/float64(uf.Rated)) / 10
	}
	return uf
}

// rank orders the departments by score (those without a rate last, by
// name) and numbers them; equal scores share a rank.
func rank(us []UnitFigures) {
	slices.SortStableFunc(us, func(x, y UnitFigures) int {
		switch {
		case (x.Rated == 0) != (y.Rated == 0):
			if x.Rated == 0 {
				return 1
			}
			return -1
		case x.Score != y.Score:
			if x.Score > y.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(x.UnitName, y.UnitName)
	})
	for i := range us {
		switch {
		case us[i].Rated == 0:
			us[i].Rank = 0
		case i > 0 && us[i-1].Rated > 0 && us[i-1].Score == us[i].Score:
			us[i].Rank = us[i-1].Rank
		default:
			us[i].Rank = i + 1
		}
	}
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
	s.registerCockpit(api)
}
