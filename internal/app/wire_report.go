package app

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"fazhi/internal/notification"
	"fazhi/internal/org"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/report"
	"fazhi/internal/todo"
)

// Report returns the annual report service (nil before it is wired).
func (a *App) Report() *report.Service { return a.report }

// wireReport builds 法治政府建设年度报告: routes (and the public ones), the
// to-do provider, demo data and the deadline reminders. It reads figures
// only through the metric registry, so it is wired after every module that
// registers figures.
func (a *App) wireReport(ctx context.Context) error {
	deps := report.Deps{Figures: a.Metrics.Figures, Units: reportUnits{a.Org}, PDF: a.PDF}
	if en := a.Engines(); en != nil && en.Notifications != nil {
		deps.Notify = reportNotifier{en.Notifications}
	}
	svc, err := report.NewService(a.DB, a.Calendar, a.Rules, deps)
	if err != nil {
		return err
	}
	a.report = svc
	svc.RegisterRoutes(a.API)
	a.Todo.Register(todo.Source{Module: "report", Label: "年度报告", Perm: report.PermRead}, svc.Todo)
	a.AddSeeder(Seeder{Name: "report", Run: func(ctx context.Context, scale int) error {
		return svc.SeedDemo(ctx, demoPeople{a.Org})
	}})
	// The deadline reminders of the reports now due (last year's until
	// April, this year's from then on); scheduling again replaces them.
	a.Go(func(ctx context.Context) {
		sys := auth.With(ctx, auth.SystemActor("年度报告期限提醒"))
		today := calendar.Today(time.Now())
		years := []int{today.Year}
		if today.Month <= time.April {
			years = []int{today.Year - 1, today.Year}
		}
		for _, y := range years {
			if _, err := svc.ScheduleReminders(sys, y); err != nil && ctx.Err() == nil {
				slog.Warn("report reminders", "year", y, "err", err)
			}
		}
	})
	return nil
}

// reportUnits resolves units and people for the reports through org's
// engine lookups (no scope: the chain names reviewers in other units).
type reportUnits struct{ o *org.Service }

func (u reportUnits) sys(ctx context.Context) context.Context {
	return auth.With(ctx, auth.SystemActor("年度报告"))
}

func (u reportUnits) Unit(ctx context.Context, id int64) (report.UnitInfo, error) {
	x, err := u.o.GetUnit(u.sys(ctx), id)
	if err != nil {
		return report.UnitInfo{}, err
	}
	if x.Status != "active" {
		return report.UnitInfo{}, apperr.New(apperr.NotFound, "单位不存在或已停用")
	}
	return report.UnitInfo{ID: x.ID, Name: x.Name, Path: x.Path, Type: string(x.Type)}, nil
}

func (u reportUnits) ReportUnits(ctx context.Context) ([]report.UnitInfo, error) {
	out := []report.UnitInfo{}
	for _, t := range []org.UnitType{org.TypeDistrict, org.TypeDepartment} {
		us, err := u.o.Tree(u.sys(ctx), org.UnitFilter{Type: string(t), Status: "active"})
		if err != nil {
			return nil, err
		}
		for _, x := range us {
			out = append(out, report.UnitInfo{ID: x.ID, Name: x.Name, Path: x.Path, Type: string(x.Type)})
		}
	}
	return out, nil
}

// UsersInRole returns the active holders of role in the unit, or in the
// nearest ancestor that has some, or anywhere (unit 0: anywhere).
func (u reportUnits) UsersInRole(ctx context.Context, role string, unitID int64) ([]int64, error) {
	if unitID > 0 {
		_, path, err := u.o.UnitNamePath(ctx, unitID)
		if err != nil {
			return nil, err
		}
		ids := splitPath(path)
		for i := len(ids) - 1; i >= 0; i-- {
			out, err := u.o.UsersInRole(ctx, role, ids[i])
			if err != nil || len(out) > 0 {
				return out, err
			}
		}
	}
	return u.o.UsersInRole(ctx, role, 0)
}

func (u reportUnits) UserNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	return u.o.UserNames(ctx, ids)
}

type reportNotifier struct{ ns *notification.Service }

func (n reportNotifier) Notify(ctx context.Context, tx *db.Tx, users []int64, title, body, link string) error {
	_, err := n.ns.Create(ctx, tx, notification.New{UserIDs: users, Title: title, Body: body, Link: link})
	return err
}

// splitPath returns the unit ids of a materialized path ("/1/5/" → 1, 5).
func splitPath(path string) []int64 {
	var out []int64
	for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}
