package app

import (
	"context"

	"fazhi/internal/disclosure"
	"fazhi/internal/todo"
)

// Disclosure returns the disclosure-request service (nil before it is wired).
func (a *App) Disclosure() *disclosure.Service { return a.disclosure }

// wireDisclosure builds 依申请公开: routes, files of requests (application
// materials, released information, redacted copies), dashboard figures,
// to-do items and demo data. It runs after the engines.
func (a *App) wireDisclosure(ctx context.Context) error {
	var fs disclosure.FileCounter
	var up disclosure.Uploader
	if en := a.Engines(); en != nil && en.Files != nil {
		fs, up = en.Files, en.Files
	}
	svc, err := disclosure.NewService(a.DB, disclosure.OrgDirectory{Org: a.Org}, a.Calendar, a.Rules, fs)
	if err != nil {
		return err
	}
	a.disclosure = svc
	svc.Register(a.API)
	a.Metrics.Register(disclosure.PermRead, svc.Figures)
	a.Metrics.Keep(disclosure.FigureTally)
	a.Todo.Register(todo.Source{Module: "disclosure", Label: "依申请公开", Perm: disclosure.PermWrite}, svc.Todo)
	a.AddSeeder(Seeder{Name: "disclosure", Run: func(ctx context.Context, scale int) error {
		return svc.SeedDemo(ctx, demoPeople{a.Org}, up)
	}})
	return nil
}
