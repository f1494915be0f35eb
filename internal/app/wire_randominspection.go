package app

import (
	"context"

	"fazhi/internal/enforcement"
	"fazhi/internal/finding"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/randominspection"
	"fazhi/internal/todo"
)

// RandomInspection returns the 双随机一公开 service (nil before it is wired).
func (a *App) RandomInspection() *randominspection.Service { return a.randomInspection }

// wireRandomInspection builds 双随机、一公开 on the enforcement register
// (bodies and officers read through enforcement's service as the actor)
// and the findings ledger. It runs after wireEnforcement.
func (a *App) wireRandomInspection(ctx context.Context) error {
	en := a.Engines()
	svc := randominspection.NewService(a.DB, a.Calendar, a.Rules, randomEnforcement{a.Enforcement()}, randomLedger{en.Findings})
	a.randomInspection = svc
	svc.RegisterRoutes(a.API)
	a.AddSeeder(Seeder{Name: "randominspection", Run: func(ctx context.Context, scale int) error { return svc.SeedDemo(ctx) }})
	a.Metrics.Register(randominspection.PermRead, svc.Figures)
	a.Metrics.Keep(randominspection.FigureTally)
	a.Todo.Register(todo.Source{Module: "randominspection", Label: "双随机抽查", Perm: randominspection.PermWrite}, svc.Todo)
	return nil
}

// randomEnforcement adapts enforcement's scoped lookups.
type randomEnforcement struct{ s *enforcement.Service }

func (e randomEnforcement) Bodies(ctx context.Context) ([]randominspection.BodyRef, error) {
	bodies, err := e.s.ListBodies(ctx)
	out := make([]randominspection.BodyRef, len(bodies))
	for i, b := range bodies {
		out[i] = randominspection.BodyRef{ID: b.ID, Name: b.Name, UnitID: b.UnitID}
	}
	return out, err
}

// Body is one body of the actor's scope (a district has a few dozen).
func (e randomEnforcement) Body(ctx context.Context, id int64) (randominspection.BodyRef, error) {
	bodies, err := e.Bodies(ctx)
	if err != nil {
		return randominspection.BodyRef{}, err
	}
	for _, b := range bodies {
		if b.ID == id {
			return b, nil
		}
	}
	return randominspection.BodyRef{}, apperr.New(apperr.NotFound, "执法主体不存在")
}

func officerRef(o *enforcement.Officer) randominspection.OfficerRef {
	return randominspection.OfficerRef{ID: o.ID, Name: o.Name, UnitID: o.UnitID, UnitName: o.UnitName, Certified: o.CertValidToday}
}

func (e randomEnforcement) Officer(ctx context.Context, id int64) (randominspection.OfficerRef, error) {
	o, err := e.s.GetOfficer(ctx, id)
	if err != nil {
		return randominspection.OfficerRef{}, err
	}
	return officerRef(o), nil
}

func (e randomEnforcement) CertifiedOfficers(ctx context.Context, unitID int64) ([]randominspection.OfficerRef, error) {
	var out []randominspection.OfficerRef
	req := db.ListReq{Size: 500}
	for {
		p, err := e.s.ListOfficers(ctx, enforcement.OfficerFilter{UnitID: unitID, Valid: true}, req)
		if err != nil {
			return nil, err
		}
		for i := range p.Items {
			out = append(out, officerRef(&p.Items[i]))
		}
		if p.Next == "" || len(out) > 5000 {
			return out, nil
		}
		req = db.ListReq{Size: 500, After: p.Next}
	}
}

// randomLedger adapts the findings ledger.
type randomLedger struct{ f *finding.Service }

func (l randomLedger) Raise(ctx context.Context, tx *db.Tx, p randominspection.Problem) (int64, error) {
	return l.f.RaiseTx(ctx, tx, finding.CreateInput{Title: p.Title, Description: p.Description, SourceRef: p.SourceRef, UnitID: p.UnitID,
		FoundOn: p.FoundOn, Source: string(finding.SourceAutoRule), Severity: string(finding.SeverityGeneral)})
}
