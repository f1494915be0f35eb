package decision

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The decision figures come from counters moved by CreateDecision and
// UpdateDecision in the record's transaction: random creations and edits
// (collective discussion set, moved, cleared; review outcome changed)
// leave no drift, and each figure equals the live count over decisions
// it replaced, for any period and unit subtree.
func TestFiguresFromCountersMatchDecisions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		day := func(t *rapid.T, label string) string {
			return testNow.AddDate(0, 0, rapid.IntRange(-400, 30).Draw(t, label)).Format("2006-01-02")
		}
		var seq int
		rapid.Check(t, func(rt *rapid.T) {
			for _, q := range []string{"DELETE FROM decision_corrections", "DELETE FROM decisions", "DELETE FROM metric_counts"} {
				if _, err := d.Exec(ctx, q); err != nil {
					rt.Fatal(err)
				}
			}
			var ids []int64
			for range rapid.IntRange(1, 12).Draw(rt, "writes") {
				err := d.WithTx(ctx, func(tx *db.Tx) error {
					if len(ids) == 0 || rapid.Bool().Draw(rt, "create") {
						seq++
						id, err := f.s.st.CreateDecision(ctx, tx, Decision{Code: fmt.Sprint("JC-", seq), Title: "t", UnitID: int64(rapid.IntRange(1, 3).Draw(rt, "unit")),
							DecisionBody: "区政府常务会议", Stage: StepStart, Status: StatusActive, StartedOn: day(rt, "started")})
						ids = append(ids, id)
						return err
					}
					cur, err := f.s.st.GetDecision(ctx, tx, rapid.SampledFrom(ids).Draw(rt, "id"))
					if err != nil {
						return err
					}
					cur.CollectiveOn, cur.CollectiveReview = "", ""
					if rapid.IntRange(0, 3).Draw(rt, "collective") > 0 {
						cur.CollectiveOn = day(rt, "collective_on")
						cur.CollectiveReview = rapid.SampledFrom([]string{"passed", "passed_with_changes", "failed", ""}).Draw(rt, "review")
					}
					if rapid.Bool().Draw(rt, "corrected") {
						if _, err := f.s.st.InsertCorrection(ctx, tx, Correction{DecisionID: cur.ID, Authority: "市政府", CorrectedOn: day(rt, "corrected_on"), Description: "d", RecordedAt: "x"}); err != nil {
							return err
						}
					}
					if ok, err := f.s.st.UpdateDecision(ctx, tx, cur); err != nil || !ok {
						return orConflict(err)
					}
					return nil
				})
				if err != nil {
					rt.Fatal(err)
				}
			}
			if drift, n, err := FigureTally.Verify(ctx, d, 10); err != nil || n != 0 {
				rt.Fatalf("drift: %d %v %v", n, drift, err)
			}
			q := metric.Query{UnitID: int64(rapid.IntRange(0, 3).Draw(rt, "subtree"))}
			if rapid.Bool().Draw(rt, "period") {
				q.From, q.To = day(rt, "from"), day(rt, "to")
				if q.To < q.From {
					q.From, q.To = q.To, q.From
				}
			}
			figs, err := f.s.Figures(f.ctx, q)
			if err != nil {
				rt.Fatal(err)
			}
			// The live counts the figures replaced.
			where, args := "1=1", []any{}
			if q.UnitID > 0 {
				where, args = "d.unit_id IN (SELECT id FROM org_units WHERE path LIKE (SELECT path FROM org_units WHERE id = ?) || '%')", []any{q.UnitID}
			}
			// An empty period is this year up to today.
			from, to := q.From, q.To
			if from == "" {
				from, to = fmt.Sprintf("%d-01-01", testNow.Year()), testNow.Format("2006-01-02")
			}
			period, pargs := " AND d.collective_on >= ? AND d.collective_on <= ?", []any{from, to}
			var total, reviewed, all int
			if err := d.QueryRow(ctx, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN d.collective_review IN ('passed', 'passed_with_changes') THEN 1 ELSE 0 END), 0) FROM decisions d WHERE d.collective_on <> '' AND "+
				where+period, append(append([]any{}, args...), pargs...)...).Scan(&total, &reviewed); err != nil {
				rt.Fatal(err)
			}
			// The corrected count's denominator: the period's decisions (collectively decided in it).
			if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM decisions d WHERE d.collective_on <> '' AND "+where+period, append(append([]any{}, args...), pargs...)...).Scan(&all); err != nil {
				rt.Fatal(err)
			}
			cperiod := " AND c.corrected_on >= ? AND c.corrected_on <= ?"
			var corrected int
			if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM decisions d WHERE EXISTS (SELECT 1 FROM decision_corrections c WHERE c.decision_id = d.id"+cperiod+") AND "+where,
				append(append([]any{}, pargs...), args...)...).Scan(&corrected); err != nil {
				rt.Fatal(err)
			}
			if figs[1].Numerator != corrected {
				rt.Fatalf("%+v: corrected %d, live %d", q, figs[1].Numerator, corrected)
			}
			if figs[0].Numerator != reviewed || figs[0].Denominator != total || figs[1].Denominator != all {
				rt.Fatalf("%+v: figures %d/%d of %d, live %d/%d of %d", q, figs[0].Numerator, figs[0].Denominator, figs[1].Denominator, reviewed, total, all)
			}
		})
	})
}

// With no period chosen the figures are this year's up to today (as
// finding's and normdoc's), and each definition says so; the corrected
// count's denominator is the period's decisions, not every decision in
// scope. Before: an empty period counted all time, the definitions named
// no dates, and the denominator was every decision ever started.
func TestFiguresDefaultPeriodIsThisYear(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		var seq int
		add := func(started, collective, corrected string) {
			err := d.WithTx(ctx, func(tx *db.Tx) error {
				seq++
				id, err := f.s.st.CreateDecision(ctx, tx, Decision{Code: fmt.Sprint("JC-P-", seq), Title: "t", UnitID: 2,
					DecisionBody: "区政府常务会议", Stage: StepStart, Status: StatusActive, StartedOn: started})
				if err != nil {
					return err
				}
				cur, err := f.s.st.GetDecision(ctx, tx, id)
				if err != nil {
					return err
				}
				cur.CollectiveOn, cur.CollectiveReview = collective, "passed"
				if corrected != "" {
					if _, err := f.s.st.InsertCorrection(ctx, tx, Correction{DecisionID: id, Authority: "市政府", CorrectedOn: corrected, Description: "d", RecordedAt: "x"}); err != nil {
						return err
					}
				}
				ok, err := f.s.st.UpdateDecision(ctx, tx, cur)
				if err == nil && !ok {
					err = fmt.Errorf("stale")
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		add("2025-03-01", "2025-06-01", "2025-09-01") // last year's decision, corrected last year
		add("2025-04-01", "2025-07-01", "2026-02-01") // last year's decision, corrected this year
		add("2026-01-10", "2026-03-01", "")           // this year's
		add("2026-02-10", "", "")                     // started, not decided
		figs := must(f.s.Figures(f.ctx, metric.Query{}))(t)
		rate, corr := figs[0], figs[1]
		if rate.Numerator != 1 || rate.Denominator != 1 {
			t.Fatalf("legal_review_rate over this year: %+v", rate)
		}
		if corr.Numerator != 1 || corr.Denominator != 1 {
			t.Fatalf("corrected_count over this year (1 corrected, 1 decided): %+v", corr)
		}
		for _, fig := range figs {
			if !strings.Contains(fig.Definition, "期间：2026-01-01 至 2026-11-20") {
				t.Fatalf("%s does not state its period: %s", fig.Code, fig.Definition)
			}
		}
		if corr.Link != "/decisions?corrected=true&corrected_from=2026-01-01&corrected_to=2026-11-20" {
			t.Fatalf("corrected link: %s", corr.Link)
		}
		// The records behind the count: corrected in the period.
		if _, n := must2(listPage(f.s, f.ctx, ListQuery{Corrected: true, CorrectedFrom: "2026-01-01", CorrectedTo: "2026-11-20"}))(t); n != corr.Numerator {
			t.Fatalf("records behind corrected: %d, figure %d", n, corr.Numerator)
		}
		// Allowed path: an explicit period reaches last year's records.
		figs = must(f.s.Figures(f.ctx, metric.Query{From: "2025-01-01", To: "2025-12-31"}))(t)
		if figs[0].Denominator != 2 || figs[1].Numerator != 1 || figs[1].Denominator != 2 ||
			!strings.Contains(figs[1].Definition, "期间：2025-01-01 至 2025-12-31") {
			t.Fatalf("2025 figures: %+v", figs)
		}
		// A period ending before it starts is refused, naming the field.
		_, err := f.s.Figures(f.ctx, metric.Query{From: "2026-05-01", To: "2026-04-01"})
		wantErr(t, err, apperr.Invalid, "截止日期不能早于起始日期")
	})
}
