package app

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"fazhi/internal/enforcement"
	"fazhi/internal/exam"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
)

// Exam returns the online exam engine (nil before it is wired).
func (a *App) Exam() *exam.Service { return a.exam }

// examPurposeEnforcement is the officers' legal-knowledge exams (issue 21).
const examPurposeEnforcement = "enforcement"

// wireExam builds the exam engine, registers enforcement's officers as the
// candidates of its exams, connects enforcement's training overview and
// figures to the engine's counters, and sweeps attempts whose time ran out.
// It runs after wireEnforcement.
func (a *App) wireExam(ctx context.Context) error {
	svc := exam.NewService(a.DB)
	a.exam = svc
	svc.RegisterRoutes(a.API)
	a.Metrics.Keep(exam.CandidateTally)
	if en := a.Enforcement(); en != nil {
		svc.RegisterPurpose(exam.Purpose{Code: examPurposeEnforcement, Label: "行政执法人员法律知识考试",
			Candidates: func(ctx context.Context, unitID int64, userIDs []int64) ([]exam.Person, error) {
				ts, err := en.Trainees(ctx, unitID, userIDs)
				out := make([]exam.Person, len(ts))
				for i, t := range ts {
					out[i] = exam.Person{UserID: t.UserID, Name: t.Name, UnitID: t.UnitID}
				}
				return out, err
			}})
		en.SetTraining(enforcementExams{svc}, a.Org, 0)
		en.RegisterTrainingRoutes(a.API)
		a.Metrics.Register(enforcement.PermRead, en.TrainingFigures)
	}
	a.Go(func(ctx context.Context) {
		sys := auth.With(ctx, auth.SystemActor("在线考试到时交卷"))
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if n, err := svc.CloseExpired(sys, 0, 0, 500); err != nil || n > 0 {
					slog.Info("exam: attempts closed at their deadline", "n", n, "err", err)
				}
			}
		}
	})
	a.AddSeeder(Seeder{Name: "exam", Run: func(ctx context.Context, _ int) error { return a.seedExams(ctx) }})
	return nil
}

// enforcementExams adapts the engine's counters to enforcement.Exams.
type enforcementExams struct{ s *exam.Service }

func (e enforcementExams) Coverage(ctx context.Context, scopeCond string, scopeArgs []any, root int64, from, to string) (enforcement.ExamCounts, error) {
	c, err := e.s.Coverage(ctx, examPurposeEnforcement, scopeCond, scopeArgs, root, from, to)
	return enforcement.ExamCounts{Required: c.Required, Sat: c.Sat, Passed: c.Passed}, err
}

// demoExamAccounts are demo accounts of enforcement departments registered
// as officers (with their own names) and linked, so they sit the exams.
var demoExamAccounts = []string{"clerk_sj", "head_sj", "clerk_cgj", "head_cgj", "clerk_sthj", "head_sthj", "clerk_jtj", "head_jtj", "clerk_wjj", "head_wjj"}

// seedExams loads the demo bank (120 questions over five topics), links
// officers to demo accounts, holds the first-half-year exam in June (most
// pass, one passes at the retake, one runs out of time, one does not sit)
// and opens the second one from 16 November, which clerk_sj has not
// started yet. Every step goes through the services at its simulated time.
func (a *App) seedExams(ctx context.Context) error {
	svc, en := a.Exam(), a.Enforcement()
	if svc == nil || en == nil {
		return nil
	}
	ctx, sim := clock.Simulate(ctx)
	sys := auth.With(ctx, auth.SystemActor("演示数据"))
	at := func(d string, hour, minute int) {
		day := calendar.MustDate(d)
		sim.Set(time.Date(day.Year, day.Month, day.Day, hour, minute, 0, 0, calendar.Shanghai))
	}
	at("2026-06-01", 9, 0)
	for _, q := range exam.DemoBank() {
		if _, err := svc.CreateQuestion(sys, q); err != nil {
			return fmt.Errorf("demo question %q: %w", q.Stem, err)
		}
	}
	type cand struct {
		ctx  context.Context
		name string
	}
	var cands []cand
	units := map[int64]bool{}
	var unitOrder []int64
	for i, username := range demoExamAccounts {
		uid, name, unitID, err := a.Org.UserByUsername(ctx, username)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return err
		}
		h := 40 + (i*7)%30
		o, err := en.CreateOfficer(sys, enforcement.OfficerInput{UnitID: unitID, Name: name, Phone: fmt.Sprintf("139%08d", 20000000+i*7919), CertNo: fmt.Sprintf("QHKS%04d", i+1),
			CertKind: "admin", CertAuthority: "清河市人民政府", CertIssuedOn: "2024-03-15", CertExpiresOn: "2029-03-14", TrainingHours: &h})
		if err != nil {
			return fmt.Errorf("demo officer %s: %w", username, err)
		}
		if _, err := en.LinkAccount(sys, o.ID, enforcement.AccountInput{Username: username, Version: o.Version}); err != nil {
			return err
		}
		cands = append(cands, cand{auth.With(ctx, &auth.Actor{UserID: uid, Username: username, Name: name, UnitID: unitID,
			Perms: map[string]auth.Scope{exam.PermTake: {All: true}}}), name})
		if !units[unitID] {
			units[unitID] = true
			unitOrder = append(unitOrder, unitID)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	var quotas []exam.Quota
	for _, t := range []string{"行政处罚法", "行政许可法", "行政强制法", "行政复议法", "行政执法监督与三项制度"} {
		quotas = append(quotas, exam.Quota{Topic: t, Kind: exam.KindSingle, Count: 5, Points: 2}, exam.Quota{Topic: t, Kind: exam.KindMultiple, Count: 2, Points: 3},
			exam.Quota{Topic: t, Kind: exam.KindJudge, Count: 4, Points: 1})
	}
	sfj, _, _, err := a.Org.UnitByNameOrCode(ctx, "区司法局")
	if err != nil {
		return nil // a trimmed org demo
	}
	cst := func(d string, hour int) time.Time {
		day := calendar.MustDate(d)
		return time.Date(day.Year, day.Month, day.Day, hour, 0, 0, 0, calendar.Shanghai)
	}
	held, err := svc.CreateExam(sys, exam.ExamInput{Purpose: examPurposeEnforcement, UnitID: sfj, Title: "2026 年上半年行政执法人员法律知识考试",
		Quotas: quotas, DurationMin: 60, OpensAt: cst("2026-06-15", 9), ClosesAt: cst("2026-06-26", 18), PassMark: 60, MaxAttempts: 2})
	if err != nil {
		return fmt.Errorf("demo exam: %w", err)
	}
	for _, u := range unitOrder {
		if _, err := svc.AddCandidates(sys, held.ID, exam.CandidatesInput{UnitID: u}); err != nil {
			return err
		}
	}
	rng := rand.New(rand.NewPCG(2026, 6))
	sit := func(c cand, examID int64, day string, hour int, share float64, submit bool) error {
		at(day, hour, 0)
		p, err := svc.Start(c.ctx, examID)
		if err != nil {
			return fmt.Errorf("demo attempt of %s: %w", c.name, err)
		}
		at(day, hour, 35)
		ans, err := svc.DemoAnswers(c.ctx, p.AttemptID, share, rng)
		if err != nil {
			return err
		}
		if _, err := svc.SaveAnswers(c.ctx, p.AttemptID, ans); err != nil {
			return err
		}
		if submit {
			at(day, hour, 48)
			_, err = svc.Submit(c.ctx, p.AttemptID)
		}
		return err
	}
	for i, c := range cands {
		day := fmt.Sprintf("2026-06-%02d", 15+i%5)
		var err error
		switch i {
		case 1: // does not sit
		case 2: // fails, passes at the retake
			if err = sit(c, held.ID, day, 10, 0.35, true); err == nil {
				err = sit(c, held.ID, "2026-06-24", 15, 0.9, true)
			}
		case 4: // runs out of time: closed at the deadline with what was saved
			err = sit(c, held.ID, day, 14, 0.8, false)
		default:
			err = sit(c, held.ID, day, 9+i%3, 0.7+0.03*float64(i), true)
		}
		if err != nil {
			return err
		}
	}
	at("2026-06-27", 2, 0)
	if _, err := svc.CloseExpired(sys, 0, held.ID, 100); err != nil {
		return err
	}
	at("2026-11-10", 9, 0)
	open, err := svc.CreateExam(sys, exam.ExamInput{Purpose: examPurposeEnforcement, UnitID: sfj, Title: "2026 年下半年行政执法人员法律知识考试",
		Quotas: quotas, DurationMin: 60, OpensAt: cst("2026-11-16", 9), ClosesAt: cst("2027-03-31", 18), PassMark: 60, MaxAttempts: 3})
	if err != nil {
		return err
	}
	for _, u := range unitOrder {
		if _, err := svc.AddCandidates(sys, open.ID, exam.CandidatesInput{UnitID: u}); err != nil {
			return err
		}
	}
	for i, c := range cands {
		if i%3 == 2 { // a few have sat it already; clerk_sj (the first) has not
			if err := sit(c, open.ID, fmt.Sprintf("2026-11-%02d", 17+i%3), 10, 0.85, true); err != nil {
				return err
			}
		}
	}
	return nil
}
