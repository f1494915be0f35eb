package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"

	"fazhi/internal/finding"
	"fazhi/internal/notification"
	"fazhi/internal/notification/reminders"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/jobs"
	"fazhi/internal/todo"
)

// Engines are the shared services business modules build on: evidence
// files, background jobs and notifications. Modules reach them through
// a.Engines() when they are wired (after wireEngines).
type Engines struct {
	Files         *files.Service
	Jobs          *jobs.Runner
	Notifications *notification.Service
	Findings      *finding.Service
}

// Engines returns the shared engines (nil before wireEngines ran).
func (a *App) Engines() *Engines { return a.engines }

// wireEngines builds the files store, the job runner, notifications and
// the findings ledger, and starts the runner with the server.
func (a *App) wireEngines(ctx context.Context) error {
	maxSize := a.Cfg.MaxUploadMB << 20
	store, tmpDir, err := a.fileStore(ctx)
	if err != nil {
		return err
	}
	fs := files.NewService(a.DB, store, files.Options{MaxSize: maxSize, TempDir: tmpDir, Audit: auditFile})
	fs.Register(a.Mux, a.API)

	ns := notification.NewService(a.DB)
	ns.SetUnitRecipients(a.Org.UnitRecipients)
	ns.SetExcluded(a.Org.Privileged)
	ns.Register(a.API)

	runner := jobs.NewRunner(a.DB)
	reminders.Register(runner, ns)
	// Delivered reminders whose matter is open are to-do items; a record a
	// module already lists for the actor is not repeated (Supplement).
	a.Todo.Register(todo.Source{Module: "reminder", Label: "期限提醒", Supplement: true}, reminders.Todo(a.DB))

	fds, err := finding.NewService(a.DB, finding.OrgDirectory{Org: a.Org}, a.Calendar, a.Rules, fs, ns)
	if err != nil {
		return err
	}
	fds.Register(a.API)
	fds.RegisterJobs(runner)
	a.Metrics.Register(finding.PermRead, fds.Figures)
	a.Metrics.Keep(finding.FigureTally)
	a.Todo.Register(todo.Source{Module: "finding", Label: "问题整改"}, fds.Todo)
	// Demo ledger: needs only the org demo (registered before the engines).
	a.AddSeeder(Seeder{Name: "finding", Run: func(ctx context.Context, scale int) error {
		return fds.SeedDemo(ctx, demoPeople{a.Org})
	}})

	en := &Engines{Files: fs, Jobs: runner, Notifications: ns, Findings: fds}
	a.engines = en
	a.Go(func(ctx context.Context) { runner.Loop(ctx, a.Cfg.JobInterval) })
	return nil
}

// fileStore is the S3 bucket when --s3-endpoint/--s3-bucket are set (its
// existence is checked now, so a bad setting stops start-up), otherwise
// DataDir/files. Uploads are spooled under DataDir either way.
func (a *App) fileStore(ctx context.Context) (files.Storage, string, error) {
	if !a.Cfg.S3.Enabled() {
		l, err := files.NewLocal(filepath.Join(a.Cfg.DataDir, "files"))
		if err != nil {
			return nil, "", err
		}
		return l, l.TempDir(), nil
	}
	s3, err := files.NewS3(ctx, a.Cfg.S3)
	if err != nil {
		return nil, "", err
	}
	tmp := filepath.Join(a.Cfg.DataDir, "upload-tmp")
	if err := os.MkdirAll(tmp, 0o750); err != nil {
		return nil, "", fmt.Errorf("无法创建上传暂存目录 %s：%w", tmp, err)
	}
	slog.Info("evidence files are kept in S3-compatible storage", "endpoint", a.Cfg.S3.Endpoint, "bucket", a.Cfg.S3.Bucket, "prefix", a.Cfg.S3.Prefix)
	return s3, tmp, nil
}

func auditFile(ctx context.Context, q db.Querier, action string, f *files.File) error {
	return audit.Record(ctx, q, audit.Event{
		Action: action, ObjectType: "file", ObjectID: strconv.FormatInt(f.ID, 10), UnitID: f.UnitID,
		Summary: fmt.Sprintf("上传佐证材料「%s」第 %d 版（%s:%d，SM3 %s）", f.Name, f.Version, f.OwnerType, f.OwnerID, f.SM3),
		After:   f,
	})
}
