package legalreview

import (
	"context"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"fazhi/internal/metric"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The figures come from counters moved by every write of a review and of
// its opinion items: random submissions, conclusions (on time, late,
// early), reopenings, time-limit changes, opinions and adoption answers
// leave no drift, and each figure equals the live ledger count behind its
// link, for any period and unit subtree.
func TestFiguresFromCountersMatchLedger(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		today := calendar.MustDate("2026-09-28")
		day := func(t *rapid.T, label string) string {
			return today.AddDays(rapid.IntRange(-200, 40).Draw(t, label)).String()
		}
		units := []int64{f.units["QH101000"], f.units["QH109000"], f.units["QH116000"], f.units["QH102000"]}
		rapid.Check(t, func(rt *rapid.T) {
			for _, q := range []string{"DELETE FROM legalreview_opinions", "DELETE FROM legalreviews", "DELETE FROM metric_counts"} {
				if _, err := d.Exec(ctx, q); err != nil {
					rt.Fatal(err)
				}
			}
			var ids []int64
			seqs := map[int64]int{}
			for range rapid.IntRange(1, 15).Draw(rt, "writes") {
				err := d.WithTx(ctx, func(tx *db.Tx) error {
					if len(ids) == 0 || rapid.IntRange(0, 2).Draw(rt, "op") == 0 {
						r := &Review{Kind: "contract", Title: "t", UnitID: rapid.SampledFrom(units).Draw(rt, "unit"), Status: StatusReviewing,
							SubmittedOn: day(rt, "submitted"), MinOn: day(rt, "min"), RequestedBy: day(rt, "requested"), DueOn: day(rt, "due")}
						if err := f.svc.st.insertReview(ctx, tx, r, time.Now()); err != nil {
							return err
						}
						ids = append(ids, r.ID)
						return nil
					}
					id := rapid.SampledFrom(ids).Draw(rt, "id")
					switch rapid.IntRange(0, 2).Draw(rt, "edit") {
					case 0: // concluded, reopened or withdrawn
						r, err := f.svc.st.review(ctx, tx, id)
						if err != nil {
							return err
						}
						r.Status = rapid.SampledFrom([]Status{StatusReviewing, StatusConcluding, StatusConcluded, StatusWithdrawn}).Draw(rt, "status")
						r.FinishedOn = ""
						if r.Status == StatusConcluded {
							r.FinishedOn = day(rt, "finished")
						}
						_, err = f.svc.st.updateReview(ctx, tx, r, r.Version, time.Now())
						return err
					case 1: // an opinion item
						seqs[id]++
						return f.svc.st.insertOpinion(ctx, tx, id, seqs[id], "意见")
					default: // an adoption answer
						if seqs[id] == 0 {
							return nil
						}
						a := rapid.SampledFrom([]Adoption{"adopted", "partial", "rejected"}).Draw(rt, "adoption")
						return f.svc.st.setAdoption(ctx, tx, id, rapid.IntRange(1, seqs[id]).Draw(rt, "seq"), a, "", "x", time.Now())
					}
				})
				if err != nil {
					rt.Fatal(err)
				}
			}
			if drift, n, err := FigureTally.Verify(ctx, d, 10); err != nil || n != 0 {
				rt.Fatalf("drift: %d %v %v", n, drift, err)
			}
			q := metric.Query{UnitID: rapid.SampledFrom(append([]int64{0}, units...)).Draw(rt, "subtree")}
			if rapid.Bool().Draw(rt, "period") {
				q.From, q.To = day(rt, "from"), day(rt, "to")
				if q.To < q.From {
					q.From, q.To = q.To, q.From
				}
			}
			ac := f.as(t, "sifaju")
			figs, err := f.svc.Figures(ac, q)
			if err != nil {
				rt.Fatal(err)
			}
			// The live ledger counts behind each figure's links.
			scope, sargs := auth.ScopeClause(auth.From(ac), PermRead, "r.unit_id")
			count := func(fl Filter) int {
				fl.today = today.String()
				n, err := f.svc.st.count(ctx, d, scope, sargs, fl)
				if err != nil {
					rt.Fatal(err)
				}
				return n
			}
			base := Filter{UnitID: q.UnitID, Status: string(StatusConcluded), FinishedFrom: q.From, FinishedTo: q.To}
			dueTo := q.To
			if dueTo == "" {
				dueTo = today.String()
			}
			onTime, early := base, base
			onTime.OnTime, early.Early = "yes", "yes"
			_, answered, adopted, err := f.svc.st.opinionCounts(ctx, d, scope, sargs, base)
			if err != nil {
				rt.Fatal(err)
			}
			want := fmt.Sprint(count(onTime), count(Filter{UnitID: q.UnitID, AccountableFrom: q.From, AccountableTo: dueTo}), adopted, answered, count(early), count(base))
			got := fmt.Sprint(figs[0].Numerator, figs[0].Denominator, figs[1].Numerator, figs[1].Denominator, figs[2].Numerator, figs[2].Denominator)
			if got != want {
				rt.Fatalf("%+v: figures %s, ledger %s", q, got, want)
			}
		})
	})
}

// counts returns COUNT(*) of reviews matching f.
func (Store) count(ctx context.Context, q db.Querier, scope string, scopeArgs []any, f Filter) (int, error) {
	where, args := f.where(scope, scopeArgs)
	var n int
	err := q.QueryRow(ctx, "SELECT COUNT(*)"+reviewFrom+" WHERE "+where, args...).Scan(&n)
	return n, err
}

// opinionCounts counts opinion items of reviews matching f: all of them,
// answered ones and adopted (采纳 or 部分采纳) ones.
func (Store) opinionCounts(ctx context.Context, q db.Querier, scope string, scopeArgs []any, f Filter) (items, answered, adopted int, err error) {
	where, args := f.where(scope, scopeArgs)
	err = q.QueryRow(ctx, `SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN o.adoption <> '' THEN 1 ELSE 0 END), 0) AS BIGINT),
 CAST(COALESCE(SUM(CASE WHEN o.adoption IN ('adopted', 'partial') THEN 1 ELSE 0 END), 0) AS BIGINT)
 FROM legalreview_opinions o JOIN legalreviews r ON r.id = o.review_id LEFT JOIN org_unit_refs ou ON ou.id = r.unit_id
 WHERE `+where, args...).Scan(&items, &answered, &adopted)
	return
}
