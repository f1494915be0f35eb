package normdoc

import (
	"context"
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"fazhi/internal/metric"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The normdoc figures come from counters moved by InsertDocument and
// UpdateDocument in the record's transaction: random inserts and edits
// (filing deadline set, moved or cleared; filed or not, on time or not;
// filing review concluded, changed or cleared; moved between units) leave
// no drift, and each figure's numerator and denominator equal the ledger's
// total behind its link, for any period, unit subtree and actor scope.
func TestFiguresFromCountersMatchLedger(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		ctx := context.Background()
		units := []int64{f.root, f.sfj, f.mzj, f.jyj}
		day := func(t *rapid.T, label string) string {
			return fixedNow.AddDate(0, 0, rapid.IntRange(-400, 40).Draw(t, label)).Format("2006-01-02")
		}
		maybe := func(t *rapid.T, label string) string {
			if rapid.Bool().Draw(t, label+"_set") {
				return day(t, label)
			}
			return ""
		}
		rapid.Check(t, func(rt *rapid.T) {
			for _, q := range []string{"DELETE FROM normdoc_documents", "DELETE FROM metric_counts"} {
				if _, err := d.Exec(ctx, q); err != nil {
					rt.Fatal(err)
				}
			}
			var ids []int64
			for range rapid.IntRange(1, 12).Draw(rt, "writes") {
				err := d.WithTx(ctx, func(tx *db.Tx) error {
					doc := &Document{IssuerID: f.civil.ID, Title: "t", Status: StatusPublished, Source: "system"}
					if len(ids) > 0 && rapid.Bool().Draw(rt, "edit") {
						cur, err := f.s.store.GetDocument(ctx, tx, rapid.SampledFrom(ids).Draw(rt, "id"))
						if err != nil {
							return err
						}
						doc = cur
					}
					doc.UnitID = rapid.SampledFrom(units).Draw(rt, "unit")
					doc.FilingDue, doc.FiledOn, doc.FiledOnTime = maybe(rt, "filing_due"), "", nil
					if doc.FilingDue != "" && rapid.Bool().Draw(rt, "filed") {
						doc.FiledOn = day(rt, "filed_on")
						onTime := doc.FiledOn <= doc.FilingDue
						doc.FiledOnTime = &onTime
					}
					doc.FilingResultOn, doc.FilingResult = maybe(rt, "result_on"), ""
					if doc.FilingResultOn != "" {
						doc.FilingResult = rapid.SampledFrom([]FilingResult{FilingPassed, FilingCorrection}).Draw(rt, "result")
					}
					if doc.ID == 0 {
						id, err := f.s.store.InsertDocument(ctx, tx, doc)
						ids = append(ids, id)
						return err
					}
					if ok, err := f.s.store.UpdateDocument(ctx, tx, doc); err != nil || !ok {
						return fmt.Errorf("update: %v %v", ok, err)
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
			q := metric.Query{UnitID: rapid.SampledFrom(append([]int64{0}, units...)).Draw(rt, "subtree")}
			from, to := fmt.Sprintf("%d-01-01", fixedNow.Year()), fixedNow.Format("2006-01-02")
			if rapid.Bool().Draw(rt, "period") {
				q.From, q.To = day(rt, "from"), day(rt, "to")
				if q.To < q.From {
					q.From, q.To = q.To, q.From
				}
				from, to = q.From, q.To
			}
			who := rapid.SampledFrom([]string{"admin", "clerk", "outsider"}).Draw(rt, "actor")
			actx := map[string]context.Context{"admin": f.admin, "clerk": f.clerk, "outsider": f.outsider}[who]
			figs, err := f.s.Figures(actx, q)
			if err != nil {
				rt.Fatal(err)
			}
			total := func(li ListInput) int {
				li.UnitID = q.UnitID
				_, n, err := listPage(f.s, actx, li)
				if err != nil {
					rt.Fatal(err)
				}
				return n
			}
			want := []int{
				total(ListInput{FilingDueFrom: from, FilingDueTo: to, FiledOnTime: "yes"}),
				total(ListInput{FilingDueFrom: from, FilingDueTo: to}),
				total(ListInput{ResultFrom: from, ResultTo: to, FilingResult: string(FilingPassed)}),
				total(ListInput{ResultFrom: from, ResultTo: to}),
			}
			got := []int{figs[0].Numerator, figs[0].Denominator, figs[1].Numerator, figs[1].Denominator}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				rt.Fatalf("%s %+v: figures %v, ledger %v", who, q, got, want)
			}
		})
	})
}
