package decision

import (
	"context"
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"fazhi/internal/metric"
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
			period, pargs := "", []any{}
			if q.From != "" {
				period, pargs = " AND d.collective_on >= ? AND d.collective_on <= ?", []any{q.From, q.To}
			}
			var total, reviewed, all int
			if err := d.QueryRow(ctx, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN d.collective_review IN ('passed', 'passed_with_changes') THEN 1 ELSE 0 END), 0) FROM decisions d WHERE d.collective_on <> '' AND "+
				where+period, append(append([]any{}, args...), pargs...)...).Scan(&total, &reviewed); err != nil {
				rt.Fatal(err)
			}
			if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM decisions d WHERE "+where, args...).Scan(&all); err != nil {
				rt.Fatal(err)
			}
			cperiod := ""
			if q.From != "" {
				cperiod = " AND c.corrected_on >= ? AND c.corrected_on <= ?"
			}
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
