package app

import (
	"context"

	"fazhi/internal/counsel"
	"fazhi/internal/legalreview"
	"fazhi/internal/org"
	"fazhi/internal/platform/auth"
	"fazhi/internal/todo"
)

// Counsel returns the legal adviser register (nil before it is wired).
func (a *App) Counsel() *counsel.Service { return a.counsel }

// wireCounsel builds 法律顾问: routes, figures (coverage from org's units,
// opinions from counters), and the demo pool. Org's units and accounts come
// through counselOrg; the legality reviews an adviser took part in come from
// legalreview through counselReviews. It runs after wireLegalreview, whose
// demo creates the counsel accounts the demo pool links.
func (a *App) wireCounsel(ctx context.Context) error {
	var reviews counsel.ReviewLookup
	if lr := a.LegalReview(); lr != nil {
		reviews = counselReviews{lr}
	}
	svc := counsel.NewService(a.DB, counselOrg{a.Org}, reviews)
	a.counsel = svc
	svc.Register(a.API)
	a.Metrics.Register(counsel.PermRead, svc.Figures)
	a.Metrics.Keep(counsel.FigureTally)
	a.Todo.Register(todo.Source{Module: "counsel", Label: "法律顾问", Perm: counsel.PermWrite}, svc.Todo)
	a.AddSeeder(Seeder{Name: "counsel", Run: func(ctx context.Context, scale int) error {
		return svc.SeedDemo(ctx, demoPeople{a.Org})
	}})
	return nil
}

// counselOrg adapts org's unit tree and account lookup (read unscoped:
// counsel applies the actor's scope to the coverage itself).
type counselOrg struct{ orgs *org.Service }

func (o counselOrg) Units(ctx context.Context) ([]counsel.UnitRef, error) {
	us, err := o.orgs.Tree(auth.With(ctx, auth.SystemActor("法律顾问覆盖")), org.UnitFilter{Status: "active"})
	if err != nil {
		return nil, err
	}
	out := make([]counsel.UnitRef, 0, len(us))
	for _, u := range us {
		out = append(out, counsel.UnitRef{ID: u.ID, Name: u.Name, Path: u.Path, Type: string(u.Type)})
	}
	return out, nil
}

func (o counselOrg) UserActive(ctx context.Context, id int64) (bool, error) {
	return o.orgs.UserActive(ctx, id)
}

// counselReviews adapts legalreview's participation lookup.
type counselReviews struct{ lr *legalreview.Service }

func (r counselReviews) ReviewsOf(ctx context.Context, userID int64, limit int) ([]counsel.ReviewLink, error) {
	ps, err := r.lr.ParticipationsOf(ctx, userID, limit)
	if err != nil {
		return nil, err
	}
	out := make([]counsel.ReviewLink, len(ps))
	for i, p := range ps {
		out[i] = counsel.ReviewLink(p)
	}
	return out, nil
}
