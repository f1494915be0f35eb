package app

import (
	"fmt"

	"fazhi/internal/counsel"
	"fazhi/internal/platform/db"
)

// counsel walks the demo legal adviser pool (TestDemoConsistency): every
// contract's period in order and none starting after the load day, every
// work record inside a contract with its unit, evaluations dated in
// December of their year or later, the counsel accounts linked to their
// legality reviews, and coverage with the few gaps the demo leaves.
func (c *demoCheck) counsel() {
	svc := c.a.Counsel()
	page, err := svc.List(c.ctx, counsel.AdviserFilter{}, db.ListReq{Size: 500})
	if err != nil {
		c.t.Fatal(err)
	}
	linked := 0
	for _, item := range page.Items {
		c.count("counsel")
		a, err := svc.Get(c.ctx, item.ID)
		if err != nil {
			c.t.Fatal(err)
		}
		rec := fmt.Sprintf("法律顾问 %s", a.Name)
		for _, k := range a.Contracts {
			c.order(rec, "聘期起", k.StartsOn)
			if k.EndsOn < k.StartsOn {
				c.bad(rec, "聘期 %s 至 %s 倒置", k.StartsOn, k.EndsOn)
			}
		}
		for _, w := range a.Works {
			c.notFuture(rec, w.Title, w.Day)
			ok := false
			for _, k := range a.Contracts {
				ok = ok || (k.UnitID == w.UnitID && k.StartsOn <= w.Day && w.Day <= k.EndsOn)
			}
			if !ok {
				c.bad(rec, "%s「%s」不在与%s的聘期内", w.Day, w.Title, w.UnitName)
			}
		}
		for _, e := range a.Evaluations {
			c.notFuture(rec, "考核", e.EvaluatedOn)
			if e.EvaluatedOn < fmt.Sprintf("%d-12-01", e.Year) {
				c.bad(rec, "%d 年度考核日期 %s 早于年末", e.Year, e.EvaluatedOn)
			}
		}
		if a.UserID > 0 && len(a.Reviews) > 0 {
			linked++
		}
	}
	if linked == 0 {
		c.bad("法律顾问", "演示顾问账号未关联任何合法性审查")
	}
	cov, err := svc.Coverage(c.ctx)
	if err != nil {
		c.t.Fatal(err)
	}
	if len(cov.Gaps) < 3 || cov.Rate < 90 {
		c.bad("法律顾问覆盖", "覆盖率 %.1f%%，空白单位 %d 个（演示按少数空白设计）", cov.Rate, len(cov.Gaps))
	}
}
