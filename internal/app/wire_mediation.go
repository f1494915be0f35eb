package app

import (
	"context"

	"fazhi/internal/mediation"
	"fazhi/internal/todo"
)

// Mediation returns the people's mediation register (nil before it is wired).
func (a *App) Mediation() *mediation.Service { return a.mediation }

// wireMediation builds 人民调解: routes, the confirmation-window rule,
// figures and their counters, the to-do provider and the demo register
// (after org's demo, whose towns, villages and clerks it uses).
func (a *App) wireMediation(ctx context.Context) error {
	svc, err := mediation.NewService(a.DB, a.Calendar, a.Rules)
	if err != nil {
		return err
	}
	a.mediation = svc
	svc.Register(a.API)
	a.Metrics.Register(mediation.PermRead, svc.Figures)
	a.Metrics.Keep(mediation.FigureTally)
	a.Todo.Register(todo.Source{Module: "mediation", Label: "人民调解", Perm: mediation.PermWrite}, svc.Todo)
	a.AddSeeder(Seeder{Name: "mediation", Run: func(ctx context.Context, scale int) error {
		return svc.SeedDemo(ctx, demoPeople{a.Org})
	}})
	return nil
}
