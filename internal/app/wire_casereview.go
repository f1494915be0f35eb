package app

import (
	"context"
	"fmt"
	"time"

	"fazhi/internal/casereview"
	"fazhi/internal/enforcement"
	"fazhi/internal/finding"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/jobs"
	"fazhi/internal/todo"
)

// CaseReview returns the 案卷评查 and supervision service (nil before it is wired).
func (a *App) CaseReview() *casereview.Service { return a.caseReview }

// wireCaseReview builds 案卷评查 and 行政执法监督 on the enforcement
// register (closed cases, officers and bodies read through enforcement's
// service as the actor) and the findings ledger. It runs after
// wireEnforcement.
func (a *App) wireCaseReview(ctx context.Context) error {
	en := a.Engines()
	svc := casereview.NewService(a.DB, a.Calendar, a.Rules, reviewEnforcement{a.Enforcement()}, reviewLedger{en.Findings})
	a.caseReview = svc
	svc.RegisterRoutes(a.API)
	en.Jobs.Register(jobs.Kind{Name: casereview.JobNoticeOverdue, Timeout: 30 * time.Second, Handler: svc.HandleOverdue})
	a.AddSeeder(Seeder{Name: "casereview", Run: func(ctx context.Context, scale int) error { return svc.SeedDemo(ctx) }})
	a.Metrics.Register(casereview.PermRead, svc.Figures)
	a.Todo.Register(todo.Source{Module: "casereview", Label: "案卷评查与执法监督", Perm: casereview.PermRead}, svc.Todo)
	return nil
}

// reviewEnforcement adapts enforcement's scoped lookups.
type reviewEnforcement struct{ s *enforcement.Service }

// ClosedCases pages the unit's cases filed up to the year's end and keeps
// those closed in the year.
func (e reviewEnforcement) ClosedCases(ctx context.Context, unitID int64, year int) ([]casereview.CaseRef, error) {
	var out []casereview.CaseRef
	req := db.ListReq{Size: 500}
	y := fmt.Sprint(year)
	for {
		p, err := e.s.ListCases(ctx, enforcement.CaseFilter{UnitID: unitID, FiledTo: y + "-12-31"}, req)
		if err != nil {
			return nil, err
		}
		for _, c := range p.Items {
			if len(c.ClosedOn) >= 4 && c.ClosedOn[:4] == y {
				out = append(out, casereview.CaseRef{ID: c.ID, Code: c.Code, Title: c.Title, BodyName: c.BodyName, UnitID: c.UnitID, ClosedOn: c.ClosedOn})
			}
		}
		if p.Next == "" || len(p.Items) == 0 {
			return out, nil
		}
		req = db.ListReq{Size: 500, After: p.Next}
	}
}

func (e reviewEnforcement) Officer(ctx context.Context, id int64) (casereview.OfficerRef, error) {
	o, err := e.s.GetOfficer(ctx, id)
	if err != nil {
		return casereview.OfficerRef{}, err
	}
	return casereview.OfficerRef{ID: o.ID, Name: o.Name, UnitID: o.UnitID, UnitName: o.UnitName}, nil
}

// Body is one body of the actor's scope (a district has a few dozen).
func (e reviewEnforcement) Body(ctx context.Context, id int64) (casereview.BodyRef, error) {
	bodies, err := e.s.ListBodies(ctx)
	if err != nil {
		return casereview.BodyRef{}, err
	}
	for _, b := range bodies {
		if b.ID == id {
			return casereview.BodyRef{ID: b.ID, Name: b.Name, UnitID: b.UnitID}, nil
		}
	}
	return casereview.BodyRef{}, apperr.New(apperr.NotFound, "执法主体不存在")
}

func (e reviewEnforcement) Bodies(ctx context.Context) ([]casereview.BodyRef, error) {
	bodies, err := e.s.ListBodies(ctx)
	out := make([]casereview.BodyRef, len(bodies))
	for i, b := range bodies {
		out[i] = casereview.BodyRef{ID: b.ID, Name: b.Name, UnitID: b.UnitID}
	}
	return out, err
}

func (e reviewEnforcement) Officers(ctx context.Context, unitID int64) ([]casereview.OfficerRef, error) {
	p, err := e.s.ListOfficers(ctx, enforcement.OfficerFilter{UnitID: unitID}, db.ListReq{Size: 500})
	if err != nil {
		return nil, err
	}
	out := make([]casereview.OfficerRef, len(p.Items))
	for i, o := range p.Items {
		out[i] = casereview.OfficerRef{ID: o.ID, Name: o.Name, UnitID: o.UnitID, UnitName: o.UnitName}
	}
	return out, nil
}

// reviewLedger adapts the findings ledger.
type reviewLedger struct{ f *finding.Service }

func (l reviewLedger) Raise(ctx context.Context, tx *db.Tx, p casereview.Raise) (int64, error) {
	sev := finding.SeverityGeneral
	if p.Serious {
		sev = finding.SeveritySerious
	}
	return l.f.RaiseTx(ctx, tx, finding.CreateInput{Title: p.Title, Description: p.Description, SourceRef: p.SourceRef, UnitID: p.UnitID,
		FoundOn: p.FoundOn, Source: p.Source, Severity: string(sev)})
}

// States reads the findings as the system: a unit that may see a notice
// sees the rectification state of its items even without finding.read.
func (l reviewLedger) States(ctx context.Context, ids []int64) (map[int64]casereview.FindingState, error) {
	sys := auth.With(ctx, auth.SystemActor("案卷评查与执法监督"))
	out := make(map[int64]casereview.FindingState, len(ids))
	for _, id := range ids {
		if id <= 0 {
			continue
		}
		d, err := l.f.Get(sys, id)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = casereview.FindingState{Code: d.Code, Status: d.Status, StatusLabel: d.StatusLabel, Closed: d.Status == string(finding.StatusClosed)}
	}
	return out, nil
}
