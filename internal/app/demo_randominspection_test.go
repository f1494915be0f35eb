package app

import (
	"context"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/draw"
	"fazhi/internal/randominspection"
)

// randomInspections walks the demo's random inspections: every published
// plan's files reproduce its draw, each check was checked after the draw
// and published after the check, and its publication deadline is the one
// the calendar rule gives.
func (c *demoCheck) randomInspections() {
	type row struct {
		id                         int64
		status, drawn              string
		checked, due, published, p string
	}
	plans, err := db.All(c.ctx, c.a.DB, func(sc db.Scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	}, "SELECT id FROM random_plans WHERE status <> 'draft' ORDER BY id")
	if err != nil {
		c.t.Fatal(err)
	}
	svc := c.a.RandomInspection()
	for _, id := range plans {
		files := map[string][]byte{}
		p, err := svc.PublicPlan(context.Background(), id)
		if err != nil {
			c.t.Fatal(err)
		}
		if p.Status != randominspection.StatusDrawn {
			continue
		}
		for _, n := range randominspection.PublicFileNames {
			if files[n], err = svc.PublicFile(context.Background(), id, n); err != nil {
				c.t.Fatal(err)
			}
		}
		pub, err := draw.Classify(files)
		if err != nil {
			c.t.Fatal(err)
		}
		if bad := draw.Verify(pub); len(bad) > 0 {
			c.bad("双随机抽查计划 "+p.Code, "公开文件无法复现抽取：%v", bad)
		}
		checks, err := db.All(c.ctx, c.a.DB, func(sc db.Scanner) (row, error) {
			var r row
			return r, sc.Scan(&r.id, &r.checked, &r.due, &r.published, &r.p)
		}, "SELECT c.id, c.checked_on, c.publish_due, c.published_on, p.code FROM random_checks c JOIN random_plans p ON p.id = c.plan_id WHERE c.plan_id = ? ORDER BY c.id", id)
		if err != nil {
			c.t.Fatal(err)
		}
		for _, r := range checks {
			c.count("randominspection")
			rec := "双随机抽查 " + r.p
			c.order(rec, "抽取", p.DrawnAt[:10], "检查", r.checked, "公示", r.published)
			if r.checked != "" {
				if want := c.due(randominspection.RulePublish, r.checked); r.due != want {
					c.bad(rec, "公示期限 %s，按规则应为 %s", r.due, want)
				}
			}
		}
	}
}
