package app

import (
	"context"
	"log/slog"
	"time"

	"fazhi/internal/legalreview"
	"fazhi/internal/normdoc"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/todo"
)

// Normdoc returns the normative-document service (nil before it is wired).
func (a *App) Normdoc() *normdoc.Service { return a.normdoc }

// wireNormdoc builds 规范性文件: routes (including the public library under
// /api/public/normdocs), legality review through legalreview, dashboard
// figures, demo data and the hourly expiry sweep. Expiry and filing
// reminders are jobs run by the engines' runner. It runs after
// wireLegalreview.
func (a *App) wireNormdoc(ctx context.Context) error {
	opt, err := a.Cfg.Normdoc.Options()
	if err != nil {
		return err
	}
	var reviews normdoc.LegalReviewer = noLegalReview{}
	if lr := a.LegalReview(); lr != nil {
		reviews = lr
	}
	svc := normdoc.NewService(a.DB, a.Calendar, a.Rules, reviews, opt)
	a.normdoc = svc
	svc.RegisterRoutes(a.API)
	a.AddSeeder(Seeder{Name: "normdoc", Run: func(ctx context.Context, scale int) error {
		return svc.SeedDemo(ctx, decisionDemo{demoPeople: demoPeople{a.Org}, app: a})
	}})
	a.Metrics.Register(normdoc.PermRead, svc.Figures)
	a.Metrics.Keep(normdoc.FigureTally)
	a.Todo.Register(todo.Source{Module: "normdoc", Label: "规范性文件", Perm: normdoc.PermRead}, svc.Todo)
	// Documents past their validity become 已失效. The sweep is idempotent,
	// so several processes may run it.
	a.Go(func(ctx context.Context) {
		sys := auth.With(ctx, auth.SystemActor("规范性文件有效期"))
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			if n, err := svc.ExpireDue(sys); err != nil && ctx.Err() == nil {
				slog.Warn("normdoc: expiry sweep failed", "err", err)
			} else if n > 0 {
				slog.Info("normdoc: documents expired", "count", n)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
	return nil
}

// noLegalReview stands in when the legality review module is not wired.
type noLegalReview struct{}

func (noLegalReview) Open(context.Context, legalreview.OpenInput) (*legalreview.Review, error) {
	return nil, apperr.New(apperr.Unavailable, "合法性审查模块未启用")
}

func (noLegalReview) Outcome(context.Context, string, int64) (legalreview.Outcome, error) {
	return legalreview.Outcome{Status: legalreview.OutcomeNone}, nil
}
