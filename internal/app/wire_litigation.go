package app

import (
	"context"
	"fmt"

	"fazhi/internal/enforcement"
	"fazhi/internal/finding"
	"fazhi/internal/litigation"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/reconsideration"
	"fazhi/internal/todo"
)

// Litigation returns the 行政应诉 service (nil before it is wired).
func (a *App) Litigation() *litigation.Service { return a.litigation }

// wireLitigation builds 行政应诉: routes, figures, the to-do provider and
// demo data. A lost lawsuit raises a finding through finding.RaiseTx in the
// outcome's transaction; the loss-risk rules and the link back read
// reconsideration and enforcement through the adapters below. It runs
// after wireReconsideration and wireEnforcement.
func (a *App) wireLitigation(ctx context.Context) error {
	deps := litigation.Deps{Units: a.Org}
	if en := a.Engines(); en != nil && en.Findings != nil {
		deps.Ledger = litigationLedger{en.Findings}
	}
	if rc := a.Reconsideration(); rc != nil {
		deps.Recon = litigationRecon{rc}
	}
	if ef := a.Enforcement(); ef != nil {
		deps.Enforcement = litigationEnforcement{ef}
	}
	svc, err := litigation.NewService(a.DB, a.Calendar, a.Rules, deps)
	if err != nil {
		return err
	}
	a.litigation = svc
	svc.RegisterRoutes(a.API)
	a.Metrics.Register(litigation.PermRead, svc.Figures)
	for _, t := range litigation.Tallies {
		a.Metrics.Keep(t)
	}
	a.Todo.Register(todo.Source{Module: "litigation", Label: "行政应诉", Perm: litigation.PermWrite}, svc.Todo)
	a.AddSeeder(Seeder{Name: "litigation", Run: func(ctx context.Context, scale int) error {
		return svc.SeedDemo(ctx, litigationDemo{demoPeople{a.Org}, a.Reconsideration(), a.Enforcement()})
	}})
	return nil
}

// litigationLedger registers a lost lawsuit in the findings ledger as an
// automatic problem of the defendant unit.
type litigationLedger struct{ f *finding.Service }

func (l litigationLedger) Raise(ctx context.Context, tx *db.Tx, p litigation.Problem) (int64, error) {
	return l.f.RaiseTx(ctx, tx, finding.CreateInput{Title: p.Title, Description: p.Description, SourceRef: p.SourceRef, UnitID: p.UnitID,
		FoundOn: p.FoundOn, Source: string(finding.SourceAutoRule), Severity: string(finding.SeverityGeneral)})
}

// litigationRecon reads a reconsideration case and records the lawsuit on
// it (the step 登记申请人起诉).
type litigationRecon struct{ s *reconsideration.Service }

func (r litigationRecon) Case(ctx context.Context, id int64) (litigation.ReconCase, error) {
	d, err := r.s.Get(ctx, id)
	if err != nil {
		return litigation.ReconCase{}, err
	}
	return litigation.ReconCase{ID: d.ID, Code: d.Code, Act: d.Act, Decided: d.Outcome != "", Corrected: reconsideration.IsCorrection(d.Outcome),
		Outcome: d.OutcomeLabel, ConcludedOn: d.ConcludedOn, Sued: d.Sued}, nil
}

func (r litigationRecon) MarkSued(ctx context.Context, id int64, day calendar.Date, note string) error {
	d, err := r.s.Get(ctx, id)
	if err != nil {
		return err
	}
	_, err = r.s.Step(ctx, id, reconsideration.ActSued, reconsideration.StepInput{Version: d.Version, Date: day.String(), Reason: note})
	return err
}

// litigationEnforcement reads an enforcement case: the officers whose
// certificate did not cover the act's date and the open rule hits.
type litigationEnforcement struct{ s *enforcement.Service }

func (e litigationEnforcement) Case(ctx context.Context, id int64) (litigation.EnforcementCase, error) {
	c, err := e.s.GetCase(ctx, id)
	if err != nil {
		return litigation.EnforcementCase{}, err
	}
	out := litigation.EnforcementCase{ID: c.ID, Code: c.Code, Date: c.DecidedOn}
	if out.Date == "" {
		out.Date = c.FiledOn
	}
	// The case was read in the caller's scope; its officers are read as
	// the system (an officer may belong to another unit of the body).
	sys := auth.With(ctx, auth.SystemActor("行政应诉风险评估"))
	for _, co := range c.Officers {
		o, err := e.s.GetOfficer(sys, co.ID)
		if err != nil {
			return out, err
		}
		if o.CertIssuedOn == "" || out.Date < o.CertIssuedOn || out.Date > o.CertExpiresOn {
			out.LapsedOfficer = append(out.LapsedOfficer, fmt.Sprintf("%s（证号 %s，有效期 %s 至 %s）", o.Name, o.CertNo, o.CertIssuedOn, o.CertExpiresOn))
		}
	}
	for _, h := range c.OpenHits {
		out.OpenHits = append(out.OpenHits, h.RuleLabel)
	}
	return out, nil
}

// litigationDemo gives the litigation demo its accounts, units and the
// demo acts a lawsuit may be about (decided reconsideration cases, decided
// enforcement cases with and without open rule hits).
type litigationDemo struct {
	demoPeople
	rc *reconsideration.Service
	ef *enforcement.Service
}

func (d litigationDemo) ReconActs(ctx context.Context) ([]litigation.DemoAct, error) {
	out := []litigation.DemoAct{}
	if d.rc == nil {
		return out, nil
	}
	p, err := d.rc.List(d.sys(ctx), reconsideration.Filter{}, db.ListReq{Size: 500})
	if err != nil {
		return nil, err
	}
	for _, c := range p.Items {
		if c.Outcome == "" || c.Sued {
			continue
		}
		out = append(out, litigation.DemoAct{ReconCaseID: c.ID, UnitID: c.UnitID, Act: c.Act, ActRef: c.ActRef, Plaintiff: c.ApplicantName,
			PlaintiffType: c.ApplicantType, Date: c.ConcludedOn, Corrected: reconsideration.IsCorrection(c.Outcome)})
	}
	return out, nil
}

func (d litigationDemo) EnforcementActs(ctx context.Context) ([]litigation.DemoAct, error) {
	out := []litigation.DemoAct{}
	if d.ef == nil {
		return out, nil
	}
	sys := d.sys(ctx)
	hits, err := d.ef.ListHits(sys, enforcement.HitFilter{Status: "open"}, db.ListReq{Size: 20})
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	ids := []int64{}
	for _, h := range hits.Items {
		if !seen[h.CaseID] {
			seen[h.CaseID] = true
			ids = append(ids, h.CaseID)
		}
	}
	cases, err := d.ef.ListCases(sys, enforcement.CaseFilter{DecidedFrom: "2026-01-01"}, db.ListReq{Size: 20})
	if err != nil {
		return nil, err
	}
	for _, c := range cases.Items {
		if !seen[c.ID] {
			seen[c.ID] = true
			ids = append(ids, c.ID)
		}
	}
	for _, id := range ids {
		c, err := d.ef.GetCase(sys, id)
		if err != nil {
			return nil, err
		}
		if c.DecidedOn == "" {
			continue
		}
		ptype := "person"
		if c.PartyType != "person" {
			ptype = "org"
		}
		out = append(out, litigation.DemoAct{EnforcementCaseID: c.ID, UnitID: c.UnitID, Act: c.Title, Plaintiff: c.PartyName,
			PlaintiffType: ptype, Date: c.DecidedOn})
	}
	return out, nil
}
