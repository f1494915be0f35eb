package app

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"fazhi/internal/legalreview"
	"fazhi/internal/normdoc"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
)

// normdocs holds each App's normative-document service (beside App, like
// the engines).
var normdocs sync.Map // *App → *normdoc.Service

// Normdoc returns the normative-document service (nil before it is wired).
func (a *App) Normdoc() *normdoc.Service {
	v, _ := normdocs.Load(a)
	s, _ := v.(*normdoc.Service)
	return s
}

// normdocOptions reads the province-configurable periods:
// FAZHI_NORMDOC_VALID_YEARS (default 5), FAZHI_NORMDOC_TRIAL_VALID_YEARS
// (暂行/试行, default 2), FAZHI_NORMDOC_EFFECTIVE_DAYS (default 30) and
// FAZHI_NORMDOC_EXPIRY_REMINDER_DAYS (default "90,30"). The filing deadline
// is the calendar rule normdoc.filing, overridden like every rule.
func normdocOptions() (normdoc.Options, error) {
	var o normdoc.Options
	num := func(name string, dst *int, max int) error {
		v := envOr(name, "")
		if v == "" {
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > max {
			return fmt.Errorf("%s 应为 1 到 %d 之间的整数，收到 %q", name, max, v)
		}
		*dst = n
		return nil
	}
	if err := num("FAZHI_NORMDOC_VALID_YEARS", &o.ValidYears, 10); err != nil {
		return o, err
	}
	if err := num("FAZHI_NORMDOC_TRIAL_VALID_YEARS", &o.ProvisionalValidYears, 10); err != nil {
		return o, err
	}
	if err := num("FAZHI_NORMDOC_EFFECTIVE_DAYS", &o.EffectiveDelayDays, 365); err != nil {
		return o, err
	}
	if v := envOr("FAZHI_NORMDOC_EXPIRY_REMINDER_DAYS", ""); v != "" {
		for _, p := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil || n < 1 || n > 730 {
				return o, fmt.Errorf("FAZHI_NORMDOC_EXPIRY_REMINDER_DAYS 应为逗号分隔的天数（如 90,30），收到 %q", v)
			}
			o.ExpiryReminderDays = append(o.ExpiryReminderDays, n)
		}
	}
	return o, nil
}

// wireNormdoc builds 规范性文件: routes (including the public library under
// /api/public/normdocs), legality review through legalreview, dashboard
// figures, demo data and the hourly expiry sweep. Expiry and filing
// reminders are jobs run by the engines' runner. It runs after
// wireLegalreview.
func (a *App) wireNormdoc(ctx context.Context) error {
	opt, err := normdocOptions()
	if err != nil {
		return err
	}
	var reviews normdoc.LegalReviewer = noLegalReview{}
	if lr := a.LegalReview(); lr != nil {
		reviews = lr
	}
	svc := normdoc.NewService(a.DB, a.Calendar, a.Rules, reviews, opt)
	normdocs.Store(a, svc)
	a.OnClose(func() { normdocs.Delete(a) })
	svc.RegisterRoutes(a.API)
	a.AddSeeder(Seeder{Name: "normdoc", Run: func(ctx context.Context, scale int) error {
		return svc.SeedDemo(ctx, decisionDemo{demoPeople: demoPeople{a.Org}, app: a})
	}})
	a.Metrics.Register(normdoc.PermRead, svc.Figures)
	// Documents past their validity become 已失效. The sweep is idempotent,
	// so several processes may run it.
	a.Go(func(ctx context.Context) {
		sys := auth.With(ctx, auth.SystemActor("规范性文件有效期"))
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			if n, err := svc.ExpireDue(sys); err != nil && ctx.Err() == nil {
				slog.Warn("normdoc: expiry sweep failed", "err", err)
			} else if n > 0 {
				slog.Info("normdoc: documents expired", "count", n)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
	return nil
}

// noLegalReview stands in when the legality review module is not wired.
type noLegalReview struct{}

func (noLegalReview) Open(context.Context, legalreview.OpenInput) (*legalreview.Review, error) {
	return nil, apperr.New(apperr.Unavailable, "合法性审查模块未启用")
}

func (noLegalReview) Outcome(context.Context, string, int64) (legalreview.Outcome, error) {
	return legalreview.Outcome{Status: legalreview.OutcomeNone}, nil
}
