package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"fazhi/internal/enforcement"
	"fazhi/internal/finding"
	"fazhi/internal/legalreview"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/jobs"
	"fazhi/internal/todo"
)

// Enforcement returns the enforcement supervision service (nil before it is wired).
func (a *App) Enforcement() *enforcement.Service { return a.enforcement }

// jobEnforcementNightly is the nightly run of the automatic rules over the
// case register (deadlines pass without anyone saving a case).
const jobEnforcementNightly = "enforcement.nightly"

// wireEnforcement builds 行政执法监督: bodies, officers, the case register,
// the automatic rules (findings through the ledger, legal review outcomes
// through legalreview) and their nightly run. It runs after
// wireLegalreview.
func (a *App) wireEnforcement(ctx context.Context) error {
	en := a.Engines()
	var reviews enforcement.LegalReviews
	if lr := a.LegalReview(); lr != nil {
		reviews = enforcementReviews{lr}
	}
	ec := a.Cfg.Enforcement
	if ec.ReportYuan < 0 || ec.ReportYuan > 100_000_000 || ec.InspectionsPerYear < -1 || ec.InspectionsPerYear > 366 {
		return fmt.Errorf("--enforcement-report-yuan 应在 0 到 1 亿之间，--enforcement-inspections-per-year 应在 -1 到 366 之间（收到 %d、%d）", ec.ReportYuan, ec.InspectionsPerYear)
	}
	svc := enforcement.NewService(a.DB, a.Calendar, a.Rules, enforcementLedger{en.Findings}, reviews, en.Files,
		enforcement.Options{ReportFen: ec.ReportYuan * 100, InspectionsPerYear: ec.InspectionsPerYear})
	a.enforcement = svc
	svc.RegisterRoutes(a.API)
	a.AddSeeder(Seeder{Name: "enforcement", Run: func(ctx context.Context, scale int) error { return svc.SeedDemo(ctx) }})
	a.Metrics.Register(enforcement.PermRead, svc.Figures)
	a.Metrics.Register(enforcement.PermRead, svc.HoursFigures)
	for _, t := range enforcement.Tallies {
		a.Metrics.Keep(t)
	}
	a.Todo.Register(todo.Source{Module: "enforcement", Label: "行政执法", Perm: enforcement.PermWrite}, svc.Todo)
	en.Jobs.Register(jobs.Kind{Name: jobEnforcementNightly, OutsideTx: true, Timeout: time.Hour, Handler: func(ctx context.Context, _ db.Querier, j *jobs.Job) error {
		sys := auth.With(ctx, auth.SystemActor("行政执法规则夜间检查"))
		n, err := svc.EvaluateAll(sys)
		slog.Info("enforcement: nightly rules run", "cases", n, "err", err)
		if qerr := enqueueEnforcementNightly(ctx, a.DB, time.Now()); qerr != nil && err == nil {
			err = qerr
		}
		return err
	}})
	return enqueueEnforcementNightly(ctx, a.DB, time.Now())
}

// enqueueEnforcementNightly schedules the next run at 02:00 Beijing time.
func enqueueEnforcementNightly(ctx context.Context, d *db.DB, now time.Time) error {
	return enqueueNightly(ctx, d, jobEnforcementNightly, 2, 0, now)
}

// enforcementLedger adapts the findings ledger to enforcement.Ledger.
type enforcementLedger struct{ f *finding.Service }

func (l enforcementLedger) Raise(ctx context.Context, tx *db.Tx, p enforcement.Problem) (int64, error) {
	return l.f.RaiseTx(ctx, tx, finding.CreateInput{Title: p.Title, Description: p.Description, SourceRef: p.SourceRef, UnitID: p.UnitID,
		FoundOn: p.FoundOn, Source: string(finding.SourceAutoRule), Severity: string(finding.SeverityGeneral)})
}

func (l enforcementLedger) Resolve(ctx context.Context, tx *db.Tx, id int64, note string) error {
	return l.f.ResolveTx(ctx, tx, id, note)
}

// enforcementReviews asks legalreview for the 法制审核 of a case.
type enforcementReviews struct{ lr *legalreview.Service }

func (r enforcementReviews) Passed(ctx context.Context, caseID int64) (bool, error) {
	o, err := r.lr.Outcome(ctx, legalreview.EnforcementSubject, caseID)
	return o.Passed(), err
}

func (r enforcementReviews) Outcome(ctx context.Context, caseID int64) (enforcement.ReviewOutcome, error) {
	o, err := r.lr.Outcome(ctx, legalreview.EnforcementSubject, caseID)
	return enforcement.ReviewOutcome{ReviewID: o.ReviewID, Status: o.Status, FinishedOn: o.FinishedOn}, err
}

// Open opens the case's 重大执法决定法制审核 as the actor on ctx (who needs
// legalreview's write permission over the case's unit).
func (r enforcementReviews) Open(ctx context.Context, q enforcement.ReviewRequest) (int64, error) {
	rv, err := r.lr.Open(ctx, legalreview.OpenInput{Kind: string(legalreview.KindEnforcement), Title: q.Title, UnitID: q.UnitID,
		SubjectType: legalreview.EnforcementSubject, SubjectID: q.CaseID, Summary: q.Summary, RequestedBy: q.RequestedBy})
	if err != nil {
		return 0, err
	}
	return rv.ID, nil
}
