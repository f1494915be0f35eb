package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"fazhi/internal/finding"
	"fazhi/internal/metric"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The demo ledger: every source, every state, deadlines from the calendar
// rule, and the home page figures as counted by hand in finding.DemoFigures.
func TestFindingDemo(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a := demoApp(t, dsn)
		fds := a.Engines().Findings
		sys := auth.With(ctx, auth.SystemActor("test"))
		// The hand counts are the findings seed's own records. Findings a
		// module's rules raise (reconsideration's corrections, enforcement's
		// rule and inspection hits, lost lawsuits, random checks with
		// problems, and whatever module comes next) go through
		// finding.RaiseTx, which creates them as the system (created_by 0):
		// each module's demo walk in TestDemoConsistency checks them, and
		// they are added to the figures below.
		raisedBy := "(created_by = 0)"
		own := "(SELECT * FROM findings WHERE NOT " + raisedBy + ")"
		count := func(q string, args ...any) int {
			t.Helper()
			for _, alias := range []string{"FROM findings f", "FROM findings n", "JOIN findings p"} {
				q = strings.ReplaceAll(q, alias, alias[:strings.Index(alias, "findings")]+own+alias[len(alias)-2:])
			}
			q = strings.ReplaceAll(q, "FROM findings WHERE", "FROM "+own+" findings WHERE")
			if strings.HasSuffix(q, "FROM findings") {
				q += " WHERE NOT " + raisedBy
			}
			return scalar[int](t, a, q, args...)
		}
		raisedOpen := scalar[int](t, a, "SELECT COUNT(*) FROM findings WHERE "+raisedBy+" AND status <> 'closed'")
		raisedOverdue := scalar[int](t, a, "SELECT COUNT(*) FROM findings WHERE "+raisedBy+" AND status <> 'closed' AND rectify_due < '2026-11-20'")
		raised := scalar[int](t, a, "SELECT COUNT(*) FROM findings WHERE "+raisedBy)

		// States, counted by hand from the seed table.
		for q, want := range map[string]int{
			"SELECT COUNT(*) FROM findings":                                                                               21,
			"SELECT COUNT(*) FROM findings WHERE status = 'open'":                                                         9,
			"SELECT COUNT(*) FROM findings WHERE status = 'open' AND measures <> ''":                                      3, // two rectifying, one refused close-out
			"SELECT COUNT(*) FROM findings WHERE status = 'closing'":                                                      3,
			"SELECT COUNT(*) FROM findings WHERE status = 'closed'":                                                       9,
			"SELECT COUNT(*) FROM findings WHERE status = 'closed' AND rectified_on <= rectify_due":                       6,
			"SELECT COUNT(*) FROM findings WHERE status = 'closed' AND rectified_on > rectify_due":                        3,
			"SELECT COUNT(*) FROM findings WHERE recheck_result = 'ok'":                                                   2,
			"SELECT COUNT(*) FROM findings WHERE recheck_result = 'recurred'":                                             1,
			"SELECT COUNT(*) FROM findings WHERE status = 'open' AND rectify_due < '2026-11-20'":                          4,
			"SELECT COUNT(DISTINCT source) FROM findings":                                                                 9,
			"SELECT COUNT(DISTINCT f.unit_id) FROM findings f JOIN org_units u ON u.id = f.unit_id WHERE u.type = 'town'": 4,
			// The recurrence points at the closed finding whose re-check found it back.
			"SELECT COUNT(*) FROM findings n JOIN findings p ON p.id = n.previous_id WHERE p.status = 'closed' AND p.recheck_result = 'recurred' AND n.found_on = p.rechecked_on": 1,
			// Every finding was registered with a timeline; closed ones carry the whole chain.
			"SELECT COUNT(*) FROM findings f WHERE NOT EXISTS (SELECT 1 FROM finding_events e WHERE e.finding_id = f.id AND e.action = 'create')": 0,
			"SELECT COUNT(*) FROM finding_events WHERE action = 'closeout.return'":                                                                1,
			"SELECT COUNT(*) FROM finding_events WHERE action = 'closeout.reject'":                                                                1,
			"SELECT COUNT(*) FROM finding_events WHERE action = 'closed'":                                                                         9,
		} {
			if got := count(q); got != want {
				t.Errorf("%s = %d, want %d", q, got, want)
			}
		}
		// No date in the demo lies after its "today".
		if n := count(`SELECT COUNT(*) FROM findings WHERE found_on > '2026-11-20' OR COALESCE(rectified_on, '') > '2026-11-20'
OR COALESCE(closed_on, '') > '2026-11-20' OR COALESCE(rechecked_on, '') > '2026-11-20'`); n != 0 {
			t.Errorf("%d findings dated after 2026-11-20", n)
		}

		// Deadlines come from the calendar rule, as the service computes them.
		rule, err := a.Rules.Get(finding.RuleRectify)
		if err != nil {
			t.Fatal(err)
		}
		page, err := fds.List(sys, finding.Filter{}, db.ListReq{Size: 500})
		items, total := page.Items, page.Total
		if err != nil || total != 21+raised {
			t.Fatalf("list: %d %v", total, err)
		}
		closing := map[string]int{}
		for _, f := range items {
			res, err := a.Calendar.Compute(rule.Period, calendar.MustDate(f.FoundOn))
			if err != nil {
				t.Fatal(err)
			}
			if f.RectifyDue != res.Due.String() || !strings.Contains(f.DueExplain, res.Due.String()) {
				t.Errorf("%s found %s: due %s, calendar says %s", f.Code, f.FoundOn, f.RectifyDue, res.Due)
			}
			if f.Status == "closing" {
				d, err := fds.Get(sys, f.ID)
				if err != nil {
					t.Fatal(err)
				}
				closing[d.Closeout.CurrentStep]++
			}
		}
		// The hotline clue and the returned complaint wait for the unit head;
		// the property complaint waits for the inspection office.
		if closing["责任单位负责人审核"] != 2 || closing["法治督察机构审核销号"] != 1 {
			t.Errorf("close-out steps: %v", closing)
		}
		// A hand check of one deadline: registered 2026-09-01, 30 days end on
		// 2026-10-01 inside the National Day holiday → 2026-10-08.
		for _, f := range items {
			if f.Title == "综合行政执法未落实全过程记录制度" && f.RectifyDue != "2026-10-08" {
				t.Errorf("石桥镇 finding due %s, want 2026-10-08", f.RectifyDue)
			}
		}

		// Figures on the demo's day.
		fds.SetNow(func() time.Time { return time.Date(2026, 11, 20, 12, 0, 0, 0, calendar.Shanghai) })
		defer fds.SetNow(time.Now)
		figs, err := fds.Figures(sys, metric.Query{})
		if err != nil {
			t.Fatal(err)
		}
		// Issue 24 changes the rate's denominator (closed + not closed past
		// the deadline, within the period: 6 ÷ 15, was 6 ÷ 9 = 66.7) and the
		// overdue count to every finding not closed past its deadline (6,
		// as the ledger's 只看超期 lists; was 4, rectification only).
		// The findings seed's documented figures, plus the reconsideration
		// demo's correction findings (open; overdue once their deadline passed,
		// counting against the rate's denominator).
		want := map[string]float64{finding.FigureOpen: 12, finding.FigureOverdue: 6, finding.FigureClosedOnTimeRate: 40}
		plus := map[string]float64{finding.FigureOpen: float64(12 + raisedOpen), finding.FigureOverdue: float64(6 + raisedOverdue),
			finding.FigureClosedOnTimeRate: metric.Figure{}.Rate(6, 15+raisedOverdue).Value}
		got := map[string]float64{}
		for _, f := range figs {
			got[f.Code] = f.Value
		}
		for k, v := range want {
			if got[k] != plus[k] || finding.DemoFigures[k] != v {
				t.Errorf("figure %s = %v (documented %v), want %v (%v with the reconsideration findings)", k, got[k], finding.DemoFigures[k], v, plus[k])
			}
		}
	})
}
