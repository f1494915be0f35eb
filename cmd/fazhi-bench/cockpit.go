package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"fazhi/internal/app"
	"fazhi/internal/dashboard"
	"fazhi/internal/metric"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
)

// cockpitCase measures the 驾驶舱 (issue 16) for the district and for one
// department over this year and one quarter: over HTTP with the concurrent
// users, and in this process on the same database the same computation two
// ways — from the counters (what the server does) and by direct aggregates
// over the base tables (metric.WithDirect: each tally's points query over
// the whole register). The ratio is direct ÷ counters at the 95th percentile.
func cockpitCase(ctx context.Context, c config, dist, unit *client) error {
	a, err := app.New(ctx, app.Config{DB: c.dsn, DataDir: os.TempDir()})
	if err != nil {
		return fmt.Errorf("驾驶舱基线：%w", err)
	}
	defer a.Close()
	actor := func(username string) (*auth.Actor, error) {
		var id int64
		if err := a.DB.QueryRow(ctx, "SELECT id FROM users WHERE username = ?", username).Scan(&id); err != nil {
			return nil, fmt.Errorf("账号 %s：%w", username, err)
		}
		return a.Org.LoadActor(ctx, id)
	}
	today := calendar.Today(time.Now())
	year := strconv.Itoa(today.Year)
	quarter := fmt.Sprintf("%d-Q%d", today.Year, (int(today.Month)+2)/3)
	fmt.Printf("\n驾驶舱（/api/dashboard/cockpit：全部指标 × 本期、上期、上年同期、12 个月趋势、下级单位比较）\n\n")
	fmt.Println("| 测量项 | 请求数 | p50 | p95 | p99 | 进程内（计数器） p50 / p95 | 直接聚合基表 p50 / p95 | p95 倍数（直接 ÷ 计数器） |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for _, cs := range []struct {
		name, user, period string
		cl                 *client
	}{
		{"区级 " + c.district + "，" + year + " 年", c.district, year, dist},
		{"区级 " + c.district + "，" + quarter, c.district, quarter, dist},
		{"单位 " + c.unitUser + "，" + year + " 年", c.unitUser, year, unit},
	} {
		ac, err := actor(cs.user)
		if err != nil {
			return err
		}
		actx := auth.With(ctx, ac)
		in := dashboard.PeriodInput{Period: cs.period}
		httpStats := measure(c.conc, c.dur, c.max, func() error { _, err := cs.cl.get("/api/dashboard/cockpit?period=" + cs.period); return err })
		// In process, one at a time (the baseline would otherwise starve
		// the server's share of the CPU): a few runs each.
		runs := func(direct bool) stats {
			n := 0
			return measure(1, c.dur, max(3, c.max/500), func() error {
				n++
				cctx := actx
				if direct {
					cctx = metric.WithDirect(actx)
				}
				_, err := a.Dashboard.Cockpit(cctx, in)
				return err
			})
		}
		tallied, direct := runs(false), runs(true)
		ratio := "—"
		if tallied.p95 > 0 && direct.n > 0 {
			ratio = strconv.FormatFloat(float64(direct.p95)/float64(tallied.p95), 'f', 1, 64) + "×"
		}
		fmt.Printf("| %s | %s | %s / %s | %s / %s（%d 次） | %s |\n", cs.name, httpStats, ms(tallied.p50), ms(tallied.p95), ms(direct.p50), ms(direct.p95), direct.n, ratio)
	}
	return nil
}
