package app

import (
	"context"
	"log/slog"
	"time"

	"fazhi/internal/legalreview"
	"fazhi/internal/notification"
	"fazhi/internal/org"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/todo"
)

// LegalReview returns the legality review service (nil before it is
// wired), for the modules wired after it (decision, normdoc).
func (a *App) LegalReview() *legalreview.Service { return a.legalReview }

// wireLegalreview builds 合法性审查: routes, demo data, dashboard figures and
// the reminder sweep for review chain steps.
func (a *App) wireLegalreview(ctx context.Context) error {
	svc, err := legalreview.NewService(a.DB, legalreview.OrgDirectory{Org: a.Org}, a.Calendar, a.Rules)
	if err != nil {
		return err
	}
	a.legalReview = svc
	svc.SetPDF(a.PDF)
	svc.Register(a.API)
	if en := a.Engines(); en != nil && en.Notifications != nil {
		svc.SetNotifier(lrNotifier{en.Notifications})
	}
	a.AddSeeder(Seeder{Name: "legalreview", Run: func(ctx context.Context, scale int) error {
		return svc.SeedDemo(ctx, reviewDemo{demoPeople{a.Org}, a})
	}})
	a.Metrics.Register(legalreview.PermRead, svc.Figures)
	a.Metrics.Keep(legalreview.FigureTally)
	a.Todo.Register(todo.Source{Module: "legalreview", Label: "合法性审查", Perm: legalreview.PermRead}, svc.Todo)
	// Reminders: each sweep records a step's reminder once (version check),
	// and notifications are keyed, so several processes may sweep.
	a.Go(func(ctx context.Context) {
		t := time.NewTicker(a.Cfg.JobInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if _, err := svc.SweepReminders(ctx, time.Now()); err != nil && ctx.Err() == nil {
					slog.Warn("legalreview reminders", "err", err)
				}
			}
		}
	})
	return nil
}

// reviewDemo leaves the reviews of decisions to the decision demo, which
// opens them for its decisions and plays them (decisionDemo.PlayReview).
type reviewDemo struct {
	demoPeople
	app *App
}

func (r reviewDemo) SeedsReviewsOf(kind legalreview.Kind) bool {
	return kind == legalreview.KindDecision && r.app.Decision() != nil
}

type lrNotifier struct{ ns *notification.Service }

func (n lrNotifier) Notify(ctx context.Context, users []int64, key, title, body, link string) error {
	return n.ns.Notify(ctx, notification.New{UserIDs: users, Title: title, Body: body, Link: link, SourceKey: key})
}

// demoPeople gives the demo seeders (legality review, findings, decision,
// normdoc) their actors, units and counsel accounts through the org service.
type demoPeople struct{ orgs *org.Service }

func (p demoPeople) sys(ctx context.Context) context.Context {
	return auth.With(ctx, auth.SystemActor("演示数据"))
}

func (p demoPeople) user(ctx context.Context, username string) (*org.User, error) {
	us, _, err := p.orgs.ListUsers(p.sys(ctx), org.UserFilter{Q: username}, db.Page{Size: 50})
	if err != nil {
		return nil, err
	}
	for i := range us {
		if us[i].Username == username {
			return &us[i], nil
		}
	}
	return nil, apperr.New(apperr.NotFound, "演示账号 %s 不存在", username)
}

func (p demoPeople) Actor(ctx context.Context, username string) (*auth.Actor, error) {
	u, err := p.user(ctx, username)
	if err != nil {
		return nil, err
	}
	return p.orgs.LoadActor(ctx, u.ID)
}

func (p demoPeople) UnitID(ctx context.Context, code string) (int64, error) {
	us, _, err := p.orgs.ListUnits(p.sys(ctx), org.UnitFilter{Q: code}, db.Page{Size: 50})
	if err != nil {
		return 0, err
	}
	for _, u := range us {
		if u.Code == code {
			return u.ID, nil
		}
	}
	return 0, apperr.New(apperr.NotFound, "演示单位 %s 不存在", code)
}

// EnsureCounsel creates a legal adviser account at 区司法局 (clerk role,
// own unit) with the demo password; accounts created by the system need no
// first-login password change.
func (p demoPeople) EnsureCounsel(ctx context.Context, username, name string) (int64, error) {
	if u, err := p.user(ctx, username); err == nil {
		return u.ID, nil
	}
	sfj, err := p.UnitID(ctx, "QH101000")
	if err != nil {
		return 0, err
	}
	u, err := p.orgs.CreateUser(p.sys(ctx), org.UserInput{Username: username, Name: name, UnitID: sfj, Password: org.DemoPassword,
		Roles: []org.Assignment{{Role: org.RoleClerk, Scope: auth.ScopeOwn}}})
	if err != nil {
		return 0, err
	}
	return u.ID, nil
}
