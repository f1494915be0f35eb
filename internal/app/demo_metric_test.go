package app

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"fazhi/internal/dashboard"
	"fazhi/internal/metric"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// TestDemoMetric checks the metric catalogue, the two ways of computing
// every metric and the cockpit and metric routes on the demo district.
func TestDemoMetric(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a := demoApp(t, dsn)
		sys := auth.With(ctx, auth.SystemActor("test"))

		// The catalogue is every figure a provider returns, and only those:
		// for every demo account and a spread of queries, each figure is in
		// the system's catalogue (which sees every provider), with the same
		// name, unit and area; each catalogue entry is returned by some
		// provider for some account.
		cat, err := a.Metrics.Catalogue(sys, metric.Query{})
		if err != nil {
			t.Fatal(err)
		}
		byCode := map[string]metric.Entry{}
		for _, e := range cat {
			if byCode[e.Code].Code != "" {
				t.Errorf("catalogue lists %s twice", e.Code)
			}
			byCode[e.Code] = e
			if e.Area == metric.OtherArea.Key {
				t.Errorf("%s (%s) is in no area: add its module to metric.Areas", e.Code, e.Name)
			}
			if e.Name == "" || e.Unit == "" || e.Definition == "" || e.Link == "" || !strings.HasPrefix(e.Link, "/") || e.Perm == "" {
				t.Errorf("catalogue entry without name, unit, definition, perm or records link: %+v", e)
			}
			if e.Kind == "rate" && (e.Numerator == "" || e.Denominator == "") {
				t.Errorf("rate %s: definition names no 分子/分母: %q", e.Code, e.Definition)
			}
		}
		if len(cat) < 40 {
			t.Fatalf("catalogue has %d metrics; every module's figures should be there", len(cat))
		}
		users, err := db.All(ctx, a.DB, func(sc db.Scanner) (int64, error) {
			var id int64
			return id, sc.Scan(&id)
		}, "SELECT id FROM users WHERE status = 'active' ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		returned := map[string]bool{}
		queries := []metric.Query{{}, metric.YearPeriod(2025).Query(0), metric.MonthPeriod(2026, 3).Query(0), metric.QuarterPeriod(2026, 4).Query(0)}
		for i, id := range users {
			if i%3 != 0 && i > 12 { // every account of the first dozen, then every third
				continue
			}
			ac, err := a.Org.LoadActor(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			actx := auth.With(ctx, ac)
			for _, q := range queries {
				fs, err := a.Metrics.Figures(actx, q)
				if err != nil {
					t.Fatalf("%s: %v", ac.Username, err)
				}
				own, err := a.Metrics.Catalogue(actx, q)
				if err != nil {
					t.Fatal(err)
				}
				if len(own) != len(fs) {
					t.Errorf("%s: catalogue %d entries, figures %d", ac.Username, len(own), len(fs))
				}
				for _, f := range fs {
					returned[f.Code] = true
					e, ok := byCode[f.Code]
					if !ok {
						t.Errorf("%s returns %s, which is not in the catalogue", ac.Username, f.Code)
						continue
					}
					if e.Name != f.Name || e.Unit != f.Unit {
						t.Errorf("%s: %s/%s in the catalogue, %s/%s from the provider", f.Code, e.Name, e.Unit, f.Name, f.Unit)
					}
				}
			}
		}
		for _, e := range cat {
			if !returned[e.Code] && e.Code != "org.user_count" {
				t.Errorf("catalogue entry %s returned by no provider for any account", e.Code)
			}
		}

		// Both ways: every metric from the counters equals the same metric
		// computed by direct aggregates over the base tables, for the
		// district and each department, over years, quarters, months and
		// custom ranges — after the demo's writes and after random writes.
		check := func(label string) {
			t.Helper()
			units, err := a.Org.ActiveUnitIDs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			rnd := rand.New(rand.NewPCG(uint64(len(units)), 16))
			periods := []metric.Period{metric.YearPeriod(2026), metric.YearPeriod(2025), metric.QuarterPeriod(2026, 3), metric.MonthPeriod(2026, 11), metric.MonthPeriod(2024, 2)}
			for range 4 {
				f := fmt.Sprintf("20%02d-%02d-%02d", 23+rnd.IntN(4), 1+rnd.IntN(12), 1+rnd.IntN(28))
				p, err := metric.ParsePeriod("custom", f, fmt.Sprintf("%s-12-31", f[:4]), calendar.MustDate("2026-12-07"))
				if err != nil {
					t.Fatal(err)
				}
				periods = append(periods, p)
			}
			checked := 0
			for _, p := range periods {
				roots := append([]int64{0}, units[rnd.IntN(len(units))], units[rnd.IntN(len(units))], units[rnd.IntN(len(units))])
				for _, c := range []context.Context{sys, metric.WithBreakdown(sys)} {
					for _, root := range roots {
						q := p.Query(root)
						tallied, err := a.Metrics.Figures(c, q)
						if err != nil {
							t.Fatal(err)
						}
						direct, err := a.Metrics.Figures(metric.WithDirect(c), q)
						if err != nil {
							t.Fatal(err)
						}
						if len(tallied) != len(direct) {
							t.Fatalf("%s: %d figures from counters, %d direct", label, len(tallied), len(direct))
						}
						for i := range tallied {
							x, y := tallied[i], direct[i]
							if x.Code != y.Code || x.Value != y.Value || x.Numerator != y.Numerator || x.Denominator != y.Denominator || x.NoData != y.NoData {
								t.Errorf("%s %s unit %d: %s counters %v (%d/%d), direct %v (%d/%d)", label, p.Spec, root, x.Code, x.Value, x.Numerator, x.Denominator, y.Value, y.Numerator, y.Denominator)
							}
							if x.Numerator > 0 || x.Denominator > 0 {
								checked++
							}
						}
					}
				}
			}
			if checked < 100 {
				t.Errorf("%s: only %d non-zero figures compared: the check would not see drift", label, checked)
			}
			for _, tl := range a.Metrics.Tallies() {
				if drift, n, err := tl.Verify(ctx, a.DB, 5); err != nil || n != 0 {
					t.Errorf("%s: tally %s drifts: %d %v %v", label, tl.Name, n, drift, err)
				}
			}
		}
		check("demo")
		randomWrites(t, a, 40)
		check("after random writes")

		// The routes: the cockpit, the catalogue and a metric page, for the
		// 司法局, the leader and a department's clerk.
		h := a.Handler()
		get := func(user, path string, want int, into any) {
			t.Helper()
			w := send(h, loginCookie(t, h, user), "GET", path, "", nil)
			if w.Code != want {
				t.Fatalf("%s %s: %d %s", user, path, w.Code, w.Body.String())
			}
			if into != nil {
				if err := json.Unmarshal(w.Body.Bytes(), into); err != nil {
					t.Fatal(err)
				}
			}
		}
		var ck dashboard.Cockpit
		get("sifaju", "/api/dashboard/cockpit?period=2026", 200, &ck)
		if ck.ScopeName != "全区" || len(ck.Areas) < 6 || len(ck.Trend) != 12 || len(ck.Compare) < 10 || ck.Previous.Spec != "2025" || ck.LastYear.Spec != "2025" {
			t.Fatalf("cockpit: scope %s, %d areas, %d months, %d units, prev %s", ck.ScopeName, len(ck.Areas), len(ck.Trend), len(ck.Compare), ck.Previous.Spec)
		}
		sum := map[string]int{}
		for _, ar := range ck.Areas {
			for _, f := range ar.Figures {
				if f.Link == "" || (f.Previous.Code != f.Code) || f.LastYear.Code != f.Code {
					t.Errorf("cockpit figure %s without link or comparison", f.Code)
				}
				sum[f.Code] = f.Denominator
				if f.Denominator == 0 && !strings.HasSuffix(f.Code, "rate") {
					sum[f.Code] = f.Numerator
				}
			}
		}
		// The departments and towns add up to the district (each record
		// belongs to one unit; the district's own records are the rest).
		parts := map[string]int{}
		for _, u := range ck.Compare {
			for _, f := range u.Values {
				if f.Denominator > 0 || strings.HasSuffix(f.Code, "rate") {
					parts[f.Code] += f.Denominator
				} else {
					parts[f.Code] += f.Numerator
				}
			}
		}
		for code, n := range parts {
			if strings.HasPrefix(code, "org.") {
				continue
			}
			if n > sum[code] {
				t.Errorf("%s: units add up to %d, more than the district's %d", code, n, sum[code])
			}
		}
		if len(ck.Overdue) == 0 {
			t.Error("the demo district has overdue lists")
		}
		var leader dashboard.Cockpit
		get("leader", "/api/dashboard/cockpit?period=2026-Q4", 200, &leader)
		if leader.Period.Label != "2026年第四季度" || leader.Previous.Spec != "2026-Q3" || leader.LastYear.Spec != "2025-Q4" {
			t.Errorf("leader's quarter: %+v %+v %+v", leader.Period, leader.Previous, leader.LastYear)
		}
		var clerk dashboard.Cockpit
		get("clerk_sj", "/api/dashboard/cockpit", 200, &clerk)
		if clerk.UnitID == 0 || clerk.ScopeName == "全区" {
			t.Errorf("a department's clerk sees their own unit: %d %s", clerk.UnitID, clerk.ScopeName)
		}
		// Another unit's id is refused for the clerk, naming the field.
		other := ck.Compare[0].UnitID
		if other == clerk.UnitID {
			other = ck.Compare[1].UnitID
		}
		for _, bad := range []string{fmt.Sprintf("unit_id=%d", other), "unit_id=-1", "unit_id=99999999", "period=2026-13", "period=custom&from=0000-01-01&to=2026-01-01",
			"period=" + url.QueryEscape("2026\x00"), "period=" + strings.Repeat("9", 5000)} {
			w := send(h, loginCookie(t, h, "clerk_sj"), "GET", "/api/dashboard/cockpit?"+bad, "", nil)
			if w.Code != 422 && w.Code != 400 {
				t.Errorf("clerk %s: %d %s", bad, w.Code, w.Body.String())
			}
		}
		var catPage dashboard.Catalogue
		get("sifaju", "/api/metrics?period=2026-11", 200, &catPage)
		if len(catPage.Entries) < 40 || catPage.Period.Spec != "2026-11" {
			t.Errorf("catalogue page: %d entries, %s", len(catPage.Entries), catPage.Period.Spec)
		}
		var mp dashboard.MetricPage
		get("sifaju", "/api/metrics/finding.closed_on_time_rate?period=2026", 200, &mp)
		if mp.Entry.Kind != "rate" || len(mp.Trend) != 12 || len(mp.Compare) < 10 || mp.Value.Code != "finding.closed_on_time_rate" || mp.Value.Previous.Code != mp.Value.Code {
			t.Errorf("metric page: %+v", mp.Entry)
		}
		want, err := a.Metrics.Evaluate(auth.With(ctx, mustActor(t, a, "sifaju")), "finding.closed_on_time_rate", metric.YearPeriod(2026).Query(0))
		if err != nil || want.Value != mp.Value.Value || want.Denominator != mp.Value.Denominator {
			t.Errorf("metric page value %v, registry %v %v", mp.Value.Value, want.Value, err)
		}
		get("clerk_sj", "/api/metrics/no.such_metric", 404, nil)
		get("clerk_sj", "/api/metrics/org.user_count", 404, nil)     // left out by its provider without user.read
		get("clerk_sj", "/api/metrics/finding.open_count", 200, nil) // the clerk's own unit
	})
}

// mustActor loads a demo account's actor.
func mustActor(t *testing.T, a *App, username string) *auth.Actor {
	t.Helper()
	id := scalar[int64](t, a, "SELECT id FROM users WHERE username = ?", username)
	ac, err := a.Org.LoadActor(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ac
}

// randomWrites changes n random records of the tallied registers through
// each tally's write path (Tally.Write around an UPDATE of a date or unit
// column the tally reads), as a module's store does.
func randomWrites(t *testing.T, a *App, n int) {
	t.Helper()
	ctx := context.Background()
	rnd := rand.New(rand.NewPCG(7, 16))
	units, err := a.Org.ActiveUnitIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var done int
	for _, tl := range a.Metrics.Tallies() {
		alias, col, ok := strings.Cut(strings.TrimSpace(tl.IDColumn), ".")
		if !ok {
			continue
		}
		// The register's table is the one the points read with that alias.
		tbl := tableOf(tl.Points, alias)
		if tbl == "" {
			continue
		}
		ids, err := db.All(ctx, a.DB, func(sc db.Scanner) (int64, error) {
			var id int64
			return id, sc.Scan(&id)
		}, "SELECT "+col+" FROM "+tbl+" ORDER BY "+col)
		if err != nil || len(ids) == 0 {
			continue
		}
		for range max(1, n/len(a.Metrics.Tallies())) {
			id := ids[rnd.IntN(len(ids))]
			unit := units[rnd.IntN(len(units))]
			err := a.DB.WithTx(ctx, func(tx *db.Tx) error {
				return tl.Write(ctx, tx, id, func() error {
					_, err := tx.Exec(ctx, "UPDATE "+tbl+" SET unit_id = ? WHERE "+col+" = ?", unit, id)
					return err
				})
			})
			if err != nil {
				t.Logf("tally %s: random move skipped: %v", tl.Name, err)
				break
			}
			done++
		}
	}
	if done < n/2 {
		t.Fatalf("only %d random writes made", done)
	}
}

// tableOf finds the table Points reads under alias ("FROM findings f" → findings).
func tableOf(points, alias string) string {
	fs := strings.Fields(points)
	for i := 1; i+1 < len(fs); i++ {
		if (strings.EqualFold(fs[i-1], "FROM") || strings.EqualFold(fs[i-1], "JOIN")) && fs[i+1] == alias {
			return fs[i]
		}
	}
	return ""
}
