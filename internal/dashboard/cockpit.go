package dashboard

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"

	"github.com/danielgtaylor/huma/v2"
)

// The metric catalogue page, a metric's page and the cockpit (驾驶舱,
// issue 16): every number read from the metric registry for a chosen unit
// subtree and period, with the previous period and the same period last
// year, a monthly trend, the units under the chosen one compared, and the
// records behind each number one click away (the figure's link).

// TreeUnit is one unit the actor may choose (org sets the lister).
type TreeUnit struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	ParentID int64  `json:"parent_id"`
	Path     string `json:"path"`
}

// TreeLister lists the active units the actor in ctx may choose, ordered by
// path.
type TreeLister func(ctx context.Context) ([]TreeUnit, error)

// SetTree registers the unit tree lister.
func (s *Service) SetTree(p TreeLister) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tree = p
}

// PeriodInput chooses the unit subtree and the period.
type PeriodInput struct {
	UnitID int64  `query:"unit_id" doc:"单位（含下级）；不填为权限范围内全部（部门用户为本单位）"`
	Period string `query:"period" doc:"期间：2026（年度）、2026-Q2（季度）、2026-03（月份）、custom（自定义，填 from、to）；不填为本年度"`
	From   string `query:"from" doc:"自定义期间起始日期（YYYY-MM-DD）"`
	To     string `query:"to" doc:"自定义期间截止日期（YYYY-MM-DD）"`
}

// scope is a resolved PeriodInput.
type scope struct {
	unit     TreeUnit // zero ID: everything in the actor's scope
	name     string
	period   metric.Period
	units    []TreeUnit // the units the actor may choose
	children []TreeUnit // the units compared under the chosen one
}

func (s *Service) resolve(ctx context.Context, a *auth.Actor, in PeriodInput) (*scope, error) {
	p, err := metric.ParsePeriod(in.Period, in.From, in.To, calendar.Today(clockNow(ctx, s.now)))
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	tree := s.tree
	s.mu.Unlock()
	sc := &scope{period: p, name: "全区", units: []TreeUnit{}, children: []TreeUnit{}}
	if tree != nil {
		if sc.units, err = tree(ctx); err != nil {
			return nil, err
		}
	}
	unit := in.UnitID
	if unit == 0 && viewOf(a) == ViewUnit {
		unit = a.UnitID
	}
	if unit < 0 {
		return nil, apperr.Field("unit_id", "单位不存在或不在权限范围内")
	}
	if unit > 0 {
		i := slices.IndexFunc(sc.units, func(u TreeUnit) bool { return u.ID == unit })
		switch {
		case i >= 0:
			sc.unit = sc.units[i]
		case unit == a.UnitID && a.UnitID > 0:
			sc.unit = TreeUnit{ID: a.UnitID, Name: a.UnitName, Path: a.UnitPath}
		default:
			return nil, apperr.Field("unit_id", "单位不存在或不在权限范围内")
		}
		sc.name = sc.unit.Name
	}
	sc.children = childrenOf(sc.units, sc.unit)
	return sc, nil
}

// childrenOf are the units compared under u: its direct children; for the
// whole scope, the children of the single top unit (the district's
// departments and towns) or the top units themselves.
func childrenOf(units []TreeUnit, u TreeUnit) []TreeUnit {
	in := map[int64]bool{}
	for _, x := range units {
		in[x.ID] = true
	}
	out := []TreeUnit{}
	parent := u.ID
	if parent == 0 {
		var tops []TreeUnit
		for _, x := range units {
			if !in[x.ParentID] {
				tops = append(tops, x)
			}
		}
		if len(tops) != 1 {
			return append(out, tops...)
		}
		parent = tops[0].ID
	}
	for _, x := range units {
		if x.ParentID == parent {
			out = append(out, x)
		}
	}
	return out
}

// clockNow is the request's time (a simulated clock in demo loading).
func clockNow(ctx context.Context, now func() time.Time) time.Time { return clock.Now(ctx, now) }

// Value is a figure's number and parts with the link to its records (the
// trend's months and the compared units carry these, not the whole figure).
type Value struct {
	Code        string  `json:"code"`
	Value       float64 `json:"value"`
	Numerator   int     `json:"numerator"`
	Denominator int     `json:"denominator"`
	NoData      bool    `json:"no_data"`
	Link        string  `json:"link" doc:"明细记录的前端路由"`
}

func valueOf(f metric.Figure) Value {
	return Value{Code: f.Code, Value: f.Value, Numerator: f.Numerator, Denominator: f.Denominator, NoData: f.NoData, Link: f.Link}
}

func valuesOf(fs []metric.Figure) []Value {
	out := make([]Value, len(fs))
	for i, f := range fs {
		out[i] = valueOf(f)
	}
	return out
}

// Compared is a figure with the same figure for the previous period and
// the same period last year (each with its own link).
type Compared struct {
	metric.Figure
	Previous Value `json:"previous" doc:"上一期间（上月、上季度、上年或等长的前一段）的同一指标"`
	LastYear Value `json:"last_year" doc:"上年同期的同一指标"`
	Current  bool  `json:"current" doc:"当前数，不随期间变化（比较值与本期相同）"`
}

// AreaFigures is one area's figures.
type AreaFigures struct {
	Key     string     `json:"key"`
	Label   string     `json:"label"`
	Figures []Compared `json:"figures"`
}

// MonthValues is one month of the cockpit's trend.
type MonthValues struct {
	Month  string  `json:"month" doc:"YYYY-MM"`
	Values []Value `json:"values" doc:"该月当月的指标"`
}

// UnitRow is one compared unit's figures.
type UnitRow struct {
	UnitID   int64   `json:"unit_id"`
	UnitName string  `json:"unit_name"`
	Values   []Value `json:"values"`
	Score    float64 `json:"score" doc:"各项比率指标（有数据的）的平均值"`
	Rated    int     `json:"rated"`
	Rank     int     `json:"rank"`
}

// OverdueUnit is one unit's part of an overdue list.
type OverdueUnit struct {
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Count    int    `json:"count"`
	Link     string `json:"link"`
}

// Overdue is one overdue list: what is past its deadline (an overdue
// count) or was not done on time (a rate's denominator less its
// numerator), with the units that hold most of it.
type Overdue struct {
	Code  string        `json:"code"`
	Name  string        `json:"name"`
	Count int           `json:"count"`
	Of    int           `json:"of" doc:"比率类：应办总数；计数类为 0"`
	Link  string        `json:"link" doc:"明细记录"`
	Units []OverdueUnit `json:"units" doc:"数量最多的单位（至多 8 个）"`
}

// Cockpit is the 驾驶舱's data for one unit subtree and period.
type Cockpit struct {
	GeneratedAt time.Time     `json:"generated_at"`
	Period      metric.Period `json:"period"`
	Previous    metric.Period `json:"previous"`
	LastYear    metric.Period `json:"last_year"`
	UnitID      int64         `json:"unit_id" doc:"所选单位；0 为权限范围内全部"`
	ScopeName   string        `json:"scope_name"`
	Units       []TreeUnit    `json:"units" doc:"可选择的单位"`
	Areas       []AreaFigures `json:"areas"`
	Trend       []MonthValues `json:"trend" doc:"期间截止月及之前 12 个月，每月为该月当月的指标"`
	Compare     []UnitRow     `json:"compare" doc:"所选单位的下级单位（全区为各部门、镇街）的指标，按比率平均值排名"`
	Overdue     []Overdue     `json:"overdue"`
}

// Cockpit computes the 驾驶舱 for in: every figure the actor may see for the
// subtree and period, beside the previous period and the same period last
// year; the twelve months' trend; the units under the chosen one; the
// overdue lists. Every number carries its records' link.
func (s *Service) Cockpit(ctx context.Context, in PeriodInput) (*Cockpit, error) {
	a, err := auth.Require(ctx, "dashboard.read")
	if err != nil {
		return nil, err
	}
	sc, err := s.resolve(ctx, a, in)
	if err != nil {
		return nil, err
	}
	out := &Cockpit{GeneratedAt: clockNow(ctx, s.now).UTC(), Period: sc.period, Previous: sc.period.Previous(), LastYear: sc.period.LastYear(),
		UnitID: sc.unit.ID, ScopeName: sc.name, Units: sc.units, Areas: []AreaFigures{}, Trend: []MonthValues{}, Compare: []UnitRow{}, Overdue: []Overdue{}}
	// The counters are read once per tally and query for all units in
	// scope; each unit's and each month's sums are added up in memory.
	bctx := metric.WithBreakdown(ctx)
	months := sc.period.Months()
	queries := []metric.Query{sc.period.Query(sc.unit.ID), out.Previous.Query(sc.unit.ID), out.LastYear.Query(sc.unit.ID)}
	for _, m := range months {
		queries = append(queries, m.Query(sc.unit.ID))
	}
	for _, u := range sc.children {
		queries = append(queries, sc.period.Query(u.ID))
	}
	got := make([][]metric.Figure, len(queries))
	if err := s.each(bctx, queries, got); err != nil {
		return nil, err
	}
	cur, prev, last := got[0], got[1], got[2]
	byCode := func(fs []metric.Figure) map[string]metric.Figure {
		m := map[string]metric.Figure{}
		for _, f := range fs {
			m[f.Code] = f
		}
		return m
	}
	pm, lm := byCode(prev), byCode(last)
	areas := map[string]*AreaFigures{}
	for _, f := range cur {
		ar := metric.AreaOf(f.Code)
		if areas[ar.Key] == nil {
			areas[ar.Key] = &AreaFigures{Key: ar.Key, Label: ar.Label, Figures: []Compared{}}
		}
		areas[ar.Key].Figures = append(areas[ar.Key].Figures, Compared{Figure: f, Previous: valueOf(pm[f.Code]), LastYear: valueOf(lm[f.Code]), Current: metric.IsCurrent(f)})
	}
	for _, ar := range append(slices.Clone(metric.Areas), metric.OtherArea) {
		if x := areas[ar.Key]; x != nil {
			out.Areas = append(out.Areas, *x)
		}
	}
	for i, m := range months {
		out.Trend = append(out.Trend, MonthValues{Month: m.Spec, Values: valuesOf(got[3+i])})
	}
	for i, u := range sc.children {
		uf := scored(UnitRef{ID: u.ID, Name: u.Name}, got[3+len(months)+i])
		out.Compare = append(out.Compare, UnitRow{UnitID: uf.UnitID, UnitName: uf.UnitName, Values: valuesOf(uf.Figures), Score: uf.Score, Rated: uf.Rated})
	}
	rankRows(out.Compare)
	out.Overdue = overdueLists(cur, out.Compare)
	return out, nil
}

// each runs the registry for every query, two at a time (each is already
// a set of concurrent providers), into got.
func (s *Service) each(ctx context.Context, qs []metric.Query, got [][]metric.Figure) error {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	sem := make(chan struct{}, 2)
	for i, q := range qs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			fs, err := s.metrics.Figures(ctx, q)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			got[i] = fs
		})
	}
	wg.Wait()
	return firstErr
}

// rankRows ranks compared units as the district page does.
func rankRows(rows []UnitRow) {
	us := make([]UnitFigures, len(rows))
	vals := map[int64][]Value{}
	for i, r := range rows {
		us[i] = UnitFigures{UnitID: r.UnitID, UnitName: r.UnitName, Score: r.Score, Rated: r.Rated}
		vals[r.UnitID] = r.Values
	}
	rank(us)
	for i, u := range us {
		rows[i] = UnitRow{UnitID: u.UnitID, UnitName: u.UnitName, Values: vals[u.UnitID], Score: u.Score, Rated: u.Rated, Rank: u.Rank}
	}
}

// overdueLists are the overdue counts and the not-on-time parts of the
// on-time rates, each with the units holding most of it.
func overdueLists(cur []metric.Figure, units []UnitRow) []Overdue {
	out := []Overdue{}
	rate := map[string]bool{}
	for _, f := range cur {
		rate[f.Code] = f.Unit == "%"
	}
	late := func(f Value) (int, bool) {
		switch {
		case strings.Contains(f.Code, "overdue") && !rate[f.Code]:
			return f.Numerator, true
		case strings.Contains(f.Code, "on_time") && rate[f.Code]:
			return f.Denominator - f.Numerator, true
		}
		return 0, false
	}
	for _, f := range cur {
		n, ok := late(valueOf(f))
		if !ok {
			continue
		}
		o := Overdue{Code: f.Code, Name: f.Name, Count: n, Link: f.Link, Units: []OverdueUnit{}}
		if f.Unit == "%" {
			o.Name, o.Of = f.Name+"：未按期", f.Denominator
		}
		for _, u := range units {
			for _, uf := range u.Values {
				if uf.Code == f.Code {
					if m, _ := late(uf); m > 0 {
						o.Units = append(o.Units, OverdueUnit{UnitID: u.UnitID, UnitName: u.UnitName, Count: m, Link: uf.Link})
					}
				}
			}
		}
		slices.SortStableFunc(o.Units, func(x, y OverdueUnit) int {
			return cmp.Or(cmp.Compare(y.Count, x.Count), strings.Compare(x.UnitName, y.UnitName))
		})
		o.Units = o.Units[:min(len(o.Units), 8)]
		out = append(out, o)
	}
	slices.SortStableFunc(out, func(x, y Overdue) int { return cmp.Compare(y.Count, x.Count) })
	return out
}

// Catalogue is the metric catalogue page's data.
type Catalogue struct {
	Period    metric.Period  `json:"period"`
	UnitID    int64          `json:"unit_id"`
	ScopeName string         `json:"scope_name"`
	Units     []TreeUnit     `json:"units" doc:"可选择的单位"`
	Areas     []metric.Area  `json:"areas" doc:"领域（页面顺序）"`
	Entries   []metric.Entry `json:"entries"`
}

// Catalogue lists every metric the actor may see, described as the modules
// compute it for the chosen unit and period.
func (s *Service) Catalogue(ctx context.Context, in PeriodInput) (*Catalogue, error) {
	a, err := auth.Require(ctx, "dashboard.read")
	if err != nil {
		return nil, err
	}
	sc, err := s.resolve(ctx, a, in)
	if err != nil {
		return nil, err
	}
	es, err := s.metrics.Catalogue(ctx, sc.period.Query(sc.unit.ID))
	if err != nil {
		return nil, err
	}
	return &Catalogue{Period: sc.period, UnitID: sc.unit.ID, ScopeName: sc.name, Units: sc.units, Areas: append(slices.Clone(metric.Areas), metric.OtherArea), Entries: es}, nil
}

// MonthValue is one month of a metric's trend.
type MonthValue struct {
	Month string `json:"month" doc:"YYYY-MM"`
	Value Value  `json:"value"`
}

// UnitValue is one unit's value of a metric.
type UnitValue struct {
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Value    Value  `json:"value"`
}

// MetricPage is one metric evaluated for a unit subtree and period.
type MetricPage struct {
	Entry     metric.Entry  `json:"entry"`
	Period    metric.Period `json:"period"`
	UnitID    int64         `json:"unit_id"`
	ScopeName string        `json:"scope_name"`
	Units     []TreeUnit    `json:"units" doc:"可选择的单位"`
	Value     Compared      `json:"value"`
	Trend     []MonthValue  `json:"trend" doc:"期间截止月及之前 12 个月的当月值"`
	Compare   []UnitValue   `json:"compare" doc:"下级单位的同一指标"`
}

// Metric evaluates one metric for in: its definition, value beside the
// previous period and the same period last year, its monthly trend and the
// units under the chosen one — each number with its records' link.
func (s *Service) Metric(ctx context.Context, code string, in PeriodInput) (*MetricPage, error) {
	a, err := auth.Require(ctx, "dashboard.read")
	if err != nil {
		return nil, err
	}
	sc, err := s.resolve(ctx, a, in)
	if err != nil {
		return nil, err
	}
	ctx = metric.WithBreakdown(ctx)
	ev := func(p metric.Period, unit int64) (metric.Figure, error) {
		return s.metrics.Evaluate(ctx, code, p.Query(unit))
	}
	cur, err := ev(sc.period, sc.unit.ID)
	if err != nil {
		return nil, err
	}
	out := &MetricPage{Period: sc.period, UnitID: sc.unit.ID, ScopeName: sc.name, Units: sc.units, Trend: []MonthValue{}, Compare: []UnitValue{}}
	out.Entry = metric.Describe(cur, "")
	out.Value = Compared{Figure: cur, Current: metric.IsCurrent(cur)}
	prev, err := ev(sc.period.Previous(), sc.unit.ID)
	if err != nil {
		return nil, err
	}
	last, err := ev(sc.period.LastYear(), sc.unit.ID)
	if err != nil {
		return nil, err
	}
	out.Value.Previous, out.Value.LastYear = valueOf(prev), valueOf(last)
	for _, m := range sc.period.Months() {
		f, err := ev(m, sc.unit.ID)
		if err != nil {
			return nil, err
		}
		out.Trend = append(out.Trend, MonthValue{Month: m.Spec, Value: valueOf(f)})
	}
	for _, u := range sc.children {
		f, err := ev(sc.period, u.ID)
		if err != nil {
			return nil, err
		}
		out.Compare = append(out.Compare, UnitValue{UnitID: u.ID, UnitName: u.Name, Value: valueOf(f)})
	}
	return out, nil
}

type cockpitOutput struct{ Body *Cockpit }
type catalogueOutput struct{ Body *Catalogue }
type metricOutput struct{ Body *MetricPage }

type metricInput struct {
	Code string `path:"code" maxLength:"100" doc:"指标代码"`
	PeriodInput
}

// registerCockpit declares the catalogue, metric and cockpit routes.
func (s *Service) registerCockpit(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "dashboard-cockpit", Method: http.MethodGet, Path: "/api/dashboard/cockpit",
		Summary: "驾驶舱数据：所选单位（含下级）与期间的全部指标、同比环比、趋势、单位比较、超期清单", Tags: []string{"工作台"},
	}, func(ctx context.Context, in *PeriodInput) (*cockpitOutput, error) {
		c, err := s.Cockpit(ctx, *in)
		if err != nil {
			return nil, err
		}
		return &cockpitOutput{Body: c}, nil
	})
	huma.Register(api, huma.Operation{
		OperationID: "metric-catalogue", Method: http.MethodGet, Path: "/api/metrics",
		Summary: "指标目录：各模块登记的全部指标及其口径", Tags: []string{"指标"},
	}, func(ctx context.Context, in *PeriodInput) (*catalogueOutput, error) {
		c, err := s.Catalogue(ctx, *in)
		if err != nil {
			return nil, err
		}
		return &catalogueOutput{Body: c}, nil
	})
	huma.Register(api, huma.Operation{
		OperationID: "metric-get", Method: http.MethodGet, Path: "/api/metrics/{code}",
		Summary: "指标页：口径、本期与上期及上年同期、月度趋势、下级单位比较", Tags: []string{"指标"},
	}, func(ctx context.Context, in *metricInput) (*metricOutput, error) {
		m, err := s.Metric(ctx, in.Code, in.PeriodInput)
		if err != nil {
			return nil, err
		}
		return &metricOutput{Body: m}, nil
	})
}
