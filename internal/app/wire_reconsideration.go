package app

import (
	"context"
	"log/slog"
	"time"

	"fazhi/internal/finding"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/jobs"
	"fazhi/internal/reconsideration"
	"fazhi/internal/todo"
)

// Reconsideration returns the 行政复议 service (nil before it is wired).
func (a *App) Reconsideration() *reconsideration.Service { return a.reconsideration }

// wireReconsideration builds 行政复议: routes (including the published
// decisions under /api/public), figures, the to-do provider and demo data.
// A correcting decision raises a finding through the findings engine in the
// decision's transaction; a nightly job records deemed acceptances. It
// runs after wireEngines.
func (a *App) wireReconsideration(ctx context.Context) error {
	var fnd reconsideration.Findings
	if en := a.Engines(); en != nil && en.Findings != nil {
		fnd = reconFindings{en.Findings}
	}
	svc, err := reconsideration.NewService(a.DB, a.Calendar, a.Rules, a.Org, fnd)
	if err != nil {
		return err
	}
	a.reconsideration = svc
	svc.RegisterRoutes(a.API)
	a.Metrics.Register(reconsideration.PermRead, svc.Figures)
	a.Metrics.Keep(reconsideration.FigureTally)
	a.Todo.Register(todo.Source{Module: "reconsideration", Label: "行政复议", Perm: reconsideration.PermRead}, svc.Todo)
	a.Engines().Jobs.Register(jobs.Kind{Name: jobReconsiderationNightly, OutsideTx: true, Timeout: time.Hour, Handler: func(ctx context.Context, _ db.Querier, j *jobs.Job) error {
		n, err := svc.DeemOverdue(auth.With(ctx, auth.SystemActor("行政复议受理审查期满检查")))
		slog.Info("reconsideration: deemed acceptance run", "deemed", n, "err", err)
		if qerr := enqueueNightly(ctx, a.DB, jobReconsiderationNightly, 0, 30, time.Now()); qerr != nil && err == nil {
			err = qerr
		}
		return err
	}})
	a.AddSeeder(Seeder{Name: "reconsideration", Run: func(ctx context.Context, scale int) error {
		return svc.SeedDemo(ctx, demoPeople{a.Org})
	}})
	return enqueueNightly(ctx, a.DB, jobReconsiderationNightly, 0, 30, time.Now())
}

// jobReconsiderationNightly records, shortly after midnight, the deemed
// acceptance of every case whose acceptance review passed the day before
// without a decision (reconsideration.Service.DeemOverdue).
const jobReconsiderationNightly = "reconsideration.nightly"

// reconFindings registers a correction in the findings ledger as a
// problem of the respondent unit (source 行政复议纠错), through the
// ledger's one raise path inside the decision's transaction.
type reconFindings struct{ f *finding.Service }

func (r reconFindings) Raise(ctx context.Context, tx *db.Tx, in reconsideration.FindingInput) (int64, error) {
	return r.f.RaiseTx(ctx, tx, finding.CreateInput{Title: in.Title, Description: in.Description, Source: string(finding.SourceReconsideration),
		SourceRef: in.SourceRef, UnitID: in.UnitID, Severity: string(finding.SeverityGeneral), FoundOn: in.FoundOn})
}
