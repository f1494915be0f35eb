package app

import (
	"context"
	"io"
	"log/slog"
	"strings"

	"fazhi/internal/dashboard"
	"fazhi/internal/org"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/httpx"
)

// wire builds every module's Service in dependency order and registers its
// routes, seeders and background work. Keep it a flat, readable list.
func (a *App) wire(ctx context.Context) error {
	// ---- engines: every module computes deadlines through the calendar ----
	if err := a.wireCalendar(ctx); err != nil {
		return err
	}

	// ---- identity and audit: org tree, accounts, roles, sessions, audit log ----
	a.Org = org.NewService(a.DB)
	orgs := a.Org
	// Single sign-on first: an unreachable provider stops the start before
	// first-start accounts are created.
	if err := a.wireOIDC(ctx, orgs); err != nil {
		return err
	}
	// The administrators' one-time passwords: logged at once, except when the
	// demo may load into this empty database and give every account the demo
	// password — then serve logs them only if the demo did not load.
	var firstStart io.Writer = logLines{}
	if a.Cfg.DemoIfEmpty {
		firstStart = &a.firstStart
	}
	if err := orgs.Bootstrap(ctx, firstStart); err != nil {
		return err
	}
	orgs.Register(a.API)
	// The chain verification walks the whole log: a background worker in
	// each process, requested from the viewer.
	verifier := audit.NewVerifier(a.DB, a.Audit)
	audit.Register(a.API, a.DB, verifier)
	a.Go(verifier.Run)
	a.Use(auth.Sessions(a.DB, orgs.LoadActor, httpx.Client))
	a.AddSeeder(Seeder{Name: "org", Run: orgs.SeedDemo})
	a.Metrics.Register("org.read", orgs.Figures)
	a.Dashboard.SetUnitChart(orgs.UnitChart)
	a.Dashboard.SetUnits(func(ctx context.Context) ([]dashboard.UnitRef, error) {
		out := []dashboard.UnitRef{}
		if !auth.From(ctx).Can("org.read") {
			return out, nil
		}
		us, err := orgs.Tree(ctx, org.UnitFilter{Type: string(org.TypeDepartment), Status: "active"})
		for _, u := range us {
			out = append(out, dashboard.UnitRef{ID: u.ID, Name: u.Name})
		}
		return out, err
	})
	// The units one may choose on the cockpit and a metric's page: the
	// active units in the actor's org.read scope, or only the actor's own.
	a.Dashboard.SetTree(func(ctx context.Context) ([]dashboard.TreeUnit, error) {
		out := []dashboard.TreeUnit{}
		if ac := auth.From(ctx); !ac.Can("org.read") {
			if ac.UnitID > 0 {
				out = append(out, dashboard.TreeUnit{ID: ac.UnitID, Name: ac.UnitName, Path: ac.UnitPath})
			}
			return out, nil
		}
		us, err := orgs.Tree(ctx, org.UnitFilter{Status: "active"})
		for _, u := range us {
			out = append(out, dashboard.TreeUnit{ID: u.ID, Name: u.Name, ParentID: u.ParentID, Path: u.Path})
		}
		return out, err
	})

	if err := a.wireEngines(ctx); err != nil {
		return err
	}
	if err := a.wireLegalreview(ctx); err != nil {
		return err
	}
	if err := a.wireDecision(ctx); err != nil {
		return err
	}
	if err := a.wireNormdoc(ctx); err != nil {
		return err
	}
	if err := a.wireMediation(ctx); err != nil {
		return err
	}
	if err := a.wireCounsel(ctx); err != nil {
		return err
	}
	if err := a.wireDisclosure(ctx); err != nil {
		return err
	}
	if err := a.wireReconsideration(ctx); err != nil {
		return err
	}
	if err := a.wireEnforcement(ctx); err != nil {
		return err
	}
	if err := a.wireRandomInspection(ctx); err != nil {
		return err
	}
	if err := a.wireCaseReview(ctx); err != nil {
		return err
	}
	if err := a.wireExam(ctx); err != nil {
		return err
	}
	if err := a.wireLitigation(ctx); err != nil {
		return err
	}
	if err := a.wireIndicator(ctx); err != nil {
		return err
	}
	// The annual report reads every module's figures: wired last.
	if err := a.wireReport(ctx); err != nil {
		return err
	}
	return nil
}

// heldLines keeps the lines it receives (first-start notices held back).
type heldLines []string

func (h *heldLines) Write(p []byte) (int, error) {
	for _, l := range strings.Split(strings.TrimSpace(string(p)), "\n") {
		if l != "" {
			*h = append(*h, l)
		}
	}
	return len(p), nil
}

// HeldNotices returns the first-start notices held back by --demo-if-empty
// (the administrators' one-time passwords); serve logs them when the demo
// did not load.
func (a *App) HeldNotices() []string { return a.firstStart }

// logLines writes each line it receives to the log (first-start notices).
type logLines struct{}

func (logLines) Write(p []byte) (int, error) {
	for _, l := range strings.Split(strings.TrimSpace(string(p)), "\n") {
		if l != "" {
			slog.Warn(l)
		}
	}
	return len(p), nil
}
