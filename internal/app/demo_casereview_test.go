package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fazhi/internal/casereview"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/draw"
)

// TestDemoCaseReview loads the demo and walks its case reviews and notices
// (caseReviews, also part of TestDemoConsistency).
func TestDemoCaseReview(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		a := demoApp(t, dsn)
		c := &demoCheck{t: t, a: a, ctx: auth.With(context.Background(), auth.SystemActor("test")), now: time.Now()}
		c.today = calendar.Today(c.now)
		c.caseReviews()
		if c.seen["casereview.file"] < 6 || c.seen["casereview.notice"] < 2 {
			t.Errorf("records walked: %v", c.seen)
		}
	})
}

// caseReviews checks the demo's review plans and notices: every drawn
// plan's files reproduce its draw; no file went to a reviewer of its own
// unit; a file was scored after the draw, its problem count matches its
// problems and each problem is a finding; every notice's reply deadline is
// the calendar rule's, its reply not before its issue, and the numbers of
// a year run 1, 2, 3 … without gaps.
func (c *demoCheck) caseReviews() {
	svc := c.a.CaseReview()
	plans, err := db.All(c.ctx, c.a.DB, func(sc db.Scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	}, "SELECT id FROM review_plans WHERE status = 'drawn' ORDER BY id")
	if err != nil {
		c.t.Fatal(err)
	}
	for _, id := range plans {
		p, err := svc.GetPlan(c.ctx, id)
		if err != nil {
			c.t.Fatal(err)
		}
		files, err := svc.DrawFiles(c.ctx, id)
		if err != nil {
			c.t.Fatal(err)
		}
		pub, err := draw.Classify(files)
		if err != nil {
			c.t.Fatal(err)
		}
		if bad := draw.Verify(pub); len(bad) > 0 {
			c.bad("案卷评查计划 "+p.Code, "公开文件无法复现抽取：%v", bad)
		}
		type row struct {
			id, problems, raised int
			unitPath, reviewed   string
			ownReviewers         int
		}
		rows, err := db.All(c.ctx, c.a.DB, func(sc db.Scanner) (row, error) {
			var r row
			return r, sc.Scan(&r.id, &r.problems, &r.raised, &r.unitPath, &r.reviewed, &r.ownReviewers)
		}, `SELECT f.id, f.problems, (SELECT COUNT(*) FROM review_problems x WHERE x.file_id = f.id AND x.finding_id > 0), u.path, f.reviewed_on,
(SELECT COUNT(*) FROM review_file_reviewers r JOIN org_unit_refs ru ON ru.id = r.unit_id WHERE r.file_id = f.id AND ru.path LIKE u.path || '%')
FROM review_files f JOIN org_unit_refs u ON u.id = f.unit_id WHERE f.plan_id = ? ORDER BY f.id`, id)
		if err != nil {
			c.t.Fatal(err)
		}
		for _, r := range rows {
			c.count("casereview.file")
			rec := fmt.Sprintf("评查案卷 %s-%d", p.Code, r.id)
			if r.ownReviewers > 0 {
				c.bad(rec, "由本单位的评查人员评查")
			}
			if r.problems != r.raised {
				c.bad(rec, "问题数 %d，登记问题台账 %d", r.problems, r.raised)
			}
			c.order(rec, "抽取", p.DrawnAt[:10], "评查", r.reviewed)
		}
	}
	type notice struct {
		year, seq                        int
		number, issued, due, replied, kd string
	}
	ns, err := db.All(c.ctx, c.a.DB, func(sc db.Scanner) (notice, error) {
		var n notice
		return n, sc.Scan(&n.year, &n.seq, &n.number, &n.issued, &n.due, &n.replied, &n.kd)
	}, "SELECT year, seq, number, issued_on, reply_due, replied_on, kind FROM supervision_notices ORDER BY year, seq")
	if err != nil {
		c.t.Fatal(err)
	}
	last := map[int]int{}
	for _, n := range ns {
		c.count("casereview.notice")
		rec := "监督文书 " + n.number
		if n.seq != last[n.year]+1 || !strings.HasSuffix(n.number, fmt.Sprintf("〔%d〕%d号", n.year, n.seq)) {
			c.bad(rec, "文号不连续（上一号 %d）", last[n.year])
		}
		last[n.year] = n.seq
		if want := c.due(casereview.RuleNoticeReply, n.issued); n.due != want {
			c.bad(rec, "答复期限 %s，按规则应为 %s", n.due, want)
		}
		c.order(rec, "签发", n.issued, "答复", n.replied)
	}
}
