package app

import (
	"context"

	"fazhi/internal/indicator"
	"fazhi/internal/org"
	"fazhi/internal/platform/auth"
	"fazhi/internal/todo"
)

// Indicator returns the 示范创建 service (nil before it is wired).
func (a *App) Indicator() *indicator.Service { return a.indicator }

// wireIndicator builds the indicator framework and the demonstration
// self-assessment: evidence through the files engine, bound items scored
// from every registered figure (a.Metrics, read as the system), reviews by
// the 司法局's supervisors. It runs last so that the registry holds every
// module's figures; the shipped framework is installed at start.
func (a *App) wireIndicator(ctx context.Context) error {
	deps := indicator.Deps{Units: a.Org, Figures: a.Metrics.Figures,
		Reviewers: func(ctx context.Context) ([]int64, error) { return a.Org.UsersInRole(ctx, org.RoleSupervisor, 0) }}
	if en := a.Engines(); en != nil {
		deps.Files = en.Files
	}
	svc, err := indicator.NewService(a.DB, a.Calendar, a.Rules, deps)
	if err != nil {
		return err
	}
	a.indicator = svc
	if _, err := svc.EnsureDefault(auth.With(ctx, auth.SystemActor("安装默认指标体系"))); err != nil {
		return err
	}
	svc.RegisterRoutes(a.API)
	a.Todo.Register(todo.Source{Module: "indicator", Label: "示范创建", Perm: indicator.PermRead}, svc.Todo)
	a.AddSeeder(Seeder{Name: "indicator", Run: func(ctx context.Context, scale int) error {
		return svc.SeedDemo(ctx, demoPeople{a.Org})
	}})
	return nil
}
