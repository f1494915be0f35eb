// Package metric is the one home of figures (指标): the Figure every module
// reports, the one rate function, and the Registry where modules register
// the providers that compute their figures. The home page (dashboard) and,
// later, the metric catalogue and annual report read figures only from the
// Registry.
//
// A module registers one Provider per permission at wiring time:
//
//	reg.Register(mymodule.PermRead, svc.Figures)
//
// where svc.Figures(ctx, metric.Query) computes the module's figures for the
// actor in ctx (within the actor's scope of that permission), the unit
// subtree q.UnitID (0: everything in scope) and the period q.From–q.To.
package metric

import (
	"context"
	"fmt"
	"math"
	"runtime/debug"
	"sync"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
)

// Figure is one computed number with the records behind it.
type Figure struct {
	Code  string  `json:"code" doc:"稳定的指标代码，如 legalreview.on_time_rate"`
	Name  string  `json:"name" doc:"中文名称"`
	Unit  string  `json:"unit" doc:"计量单位，如 个、件、人、%"`
	Value float64 `json:"value" doc:"数值；比率为百分数（0–100，保留一位小数）"`
	// Rates carry their parts so a reader can check them against the
	// records; a count carries itself as the numerator.
	Numerator   int  `json:"numerator" doc:"分子（记录数）"`
	Denominator int  `json:"denominator" doc:"分母（记录数）；计数类指标为 0"`
	NoData      bool `json:"no_data" doc:"分母为零：没有可计算的记录，页面显示“—”而不是 0%"`
	// Link lists the records behind the figure (a rate's denominator);
	// NumeratorLink, when set, lists a rate's numerator records.
	Link          string `json:"link" doc:"下钻到明细记录的前端路由（含筛选条件）"`
	NumeratorLink string `json:"numerator_link,omitempty" doc:"比率分子记录的前端路由"`
	Definition    string `json:"definition" doc:"口径说明：分子、分母与期间规则"`
	Note          string `json:"note,omitempty" doc:"补充说明"`
}

// Rate returns f as the percentage num ÷ den, rounded to one decimal, with
// its parts. A zero denominator gives a NoData figure (value 0) instead of
// a misleading 0 % or 100 %.
func (f Figure) Rate(num, den int) Figure {
	f.Unit, f.Numerator, f.Denominator = "%", num, den
	f.NoData, f.Value = den == 0, 0
	if den != 0 {
		f.Value = math.Round(float64(num)*1000/float64(den)) / 10
	}
	return f
}

// Query selects the unit subtree and period a provider computes for.
// Empty From/To leave the period open on that side unless the module
// documents a default in its figures' definitions.
type Query struct {
	UnitID int64  `query:"unit_id" doc:"单位（含下级）；不填为权限范围内全部"`
	From   string `query:"from" doc:"期间起始日期（YYYY-MM-DD）"`
	To     string `query:"to" doc:"期间截止日期（YYYY-MM-DD）"`
}

// Year is the query for the whole calendar year (1 January – 31 December)
// of the given date, over everything in scope.
func Year(d calendar.Date) Query {
	return Query{From: calendar.NewDate(d.Year, 1, 1).String(), To: calendar.NewDate(d.Year, 12, 31).String()}
}

// Provider computes a module's figures for the actor in ctx.
type Provider func(ctx context.Context, q Query) ([]Figure, error)

// Registry holds the providers modules registered at wiring time.
type Registry struct {
	mu        sync.Mutex
	providers []registered
	tallies   []*Tally
	// owner maps each figure code seen to the index of the provider that
	// returned it (filled as providers run; Evaluate runs only that one).
	owner map[string]int
}

type registered struct {
	perm string
	p    Provider
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{} }

// Register adds a provider, run only for actors holding perm (in any
// scope; the provider restricts its counts to the actor's scope).
func (r *Registry) Register(perm string, p Provider) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.providers = append(r.providers, registered{perm: perm, p: p})
}

// Keep registers a module's tally (its incremental counters) so that
// start-up (Sync), `fazhi metric verify` and `fazhi metric rebuild` reach it.
func (r *Registry) Keep(t *Tally) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tallies = append(r.tallies, t)
}

// Tallies returns the registered tallies in registration order.
func (r *Registry) Tallies() []*Tally {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*Tally(nil), r.tallies...)
}

// Figures runs every provider the actor in ctx may see, side by side (each
// is a few independent counts, so the call takes as long as the slowest
// provider rather than their sum), and returns their figures in
// registration order. A failing provider fails the whole call rather than
// showing partial figures as complete: the first failure cancels the
// others' context and is the error returned. A provider's panic is raised
// again in the caller (where the HTTP recovery middleware answers it). The
// result is never nil.
func (r *Registry) Figures(ctx context.Context, q Query) ([]Figure, error) {
	_, got, err := r.run(ctx, q, nil)
	if err != nil {
		return nil, err
	}
	out := []Figure{}
	for _, fs := range got {
		out = append(out, fs...)
	}
	return out, nil
}

// run runs the providers the actor in ctx may see (and keep accepts, when
// not nil) side by side as Figures describes, and returns them with their
// figures, in registration order.
func (r *Registry) run(ctx context.Context, q Query, keep func(perm string) bool) ([]registered, [][]Figure, error) {
	r.mu.Lock()
	all := append([]registered(nil), r.providers...)
	r.mu.Unlock()
	a := auth.From(ctx)
	var ps []registered
	var idx []int
	for i, p := range all {
		if a.Can(p.perm) && (keep == nil || keep(p.perm)) {
			ps, idx = append(ps, p), append(idx, i)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	got := make([][]Figure, len(ps))
	var (
		mu       sync.Mutex
		firstErr error
		panicked any
		wg       sync.WaitGroup
	)
	for i, p := range ps {
		wg.Go(func() {
			defer func() {
				if v := recover(); v != nil {
					mu.Lock()
					if panicked == nil {
						panicked = fmt.Sprintf("metric provider panicked: %v\n%s", v, debug.Stack())
					}
					mu.Unlock()
					cancel()
				}
			}()
			fs, err := p.p(ctx, q)
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
				cancel()
				return
			}
			got[i] = fs
		})
	}
	wg.Wait()
	if panicked != nil {
		panic(panicked)
	}
	if firstErr != nil {
		return nil, nil, firstErr
	}
	r.mu.Lock()
	if r.owner == nil {
		r.owner = map[string]int{}
	}
	for i, fs := range got {
		for _, f := range fs {
			r.owner[f.Code] = idx[i]
		}
	}
	r.mu.Unlock()
	return ps, got, nil
}
