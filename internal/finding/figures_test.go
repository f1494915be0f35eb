package finding

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

// The ledger's figures come from counters moved in each write's
// transaction. Random inserts and edits through the store — deadlines,
// rectification and closing days, status changes both ways, moves between
// units — leave no drift (metric.Tally.Verify), and every figure equals a
// live count over the ledger with the filter behind its link, for any
// period, unit subtree and scope.
func TestFiguresFromCountersMatchLedger(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		today := calendar.NewDate(2026, 11, 20)
		f.s.SetNow(func() time.Time { return time.Date(2026, 11, 20, 10, 0, 0, 0, calendar.Shanghai) })
		day := func(t *rapid.T, label string) string {
			return today.AddDays(rapid.IntRange(-500, 120).Draw(t, label)).String()
		}
		rapid.Check(t, func(rt *rapid.T) {
			for _, q := range []string{"DELETE FROM findings", "DELETE FROM metric_counts"} {
				if _, err := d.Exec(ctx, q); err != nil {
					rt.Fatal(err)
				}
			}
			var ids []int64
			version := map[int64]int{}
			for i := range rapid.IntRange(1, 20).Draw(rt, "writes") {
				err := d.WithTx(ctx, func(tx *db.Tx) error {
					if len(ids) == 0 || rapid.IntRange(0, 2).Draw(rt, "op") == 0 {
						found := day(rt, "found")
						id, err := f.s.st.insert(ctx, tx, insertRow{Title: "t", Source: "inspection", UnitID: int64(rapid.IntRange(2, 4).Draw(rt, "unit")),
							Severity: "general", FoundOn: found, RectifyDue: day(rt, "due")}, fmt.Sprint("tmp", i))
						ids, version[id] = append(ids, id), 1
						return err
					}
					id := rapid.SampledFrom(ids).Draw(rt, "id")
					var sets []string
					var args []any
					switch rapid.IntRange(0, 3).Draw(rt, "edit") {
					case 0: // closed (rectified on time or late), or reopened
						status := rapid.SampledFrom([]string{"open", "closing", "closed"}).Draw(rt, "status")
						var rect, closed any
						if status != "open" {
							rect = day(rt, "rectified")
						}
						if status == "closed" {
							closed = day(rt, "closed")
						}
						sets, args = []string{"status = ?", "rectified_on = ?", "closed_on = ?"}, []any{status, rect, closed}
					case 1: // deadline moved
						sets, args = []string{"rectify_due = ?"}, []any{day(rt, "new due")}
					case 2: // moved to another unit
						sets, args = []string{"unit_id = ?"}, []any{int64(rapid.IntRange(2, 4).Draw(rt, "to unit"))}
					default: // a change that counts nowhere
						sets, args = []string{"title = ?"}, []any{"t2"}
					}
					ok, err := f.s.st.bump(ctx, tx, id, version[id], time.Now(), sets, args...)
					if ok {
						version[id]++
					}
					return err
				})
				if err != nil {
					rt.Fatal(err)
				}
			}
			if drift, n, err := FigureTally.Verify(ctx, d, 10); err != nil || n != 0 {
				rt.Fatalf("drift: %d %v %v", n, drift, err)
			}
			who := rapid.SampledFrom([]int64{supervisor, clerk, outsider}).Draw(rt, "actor")
			q := metric.Query{UnitID: int64(rapid.IntRange(0, 4).Draw(rt, "subtree"))}
			q.From = day(rt, "from")
			q.To = today.AddDays(rapid.IntRange(-30, 60).Draw(rt, "to")).String()
			if q.To < q.From {
				q.From, q.To = q.To, q.From
			}
			figs, err := f.s.Figures(as(who), q)
			if err != nil {
				rt.Fatal(err)
			}
			// The live counts the figures replaced: the ledger's own filters.
			a := auth.From(as(who))
			cl, sargs := auth.ScopeClause(a, PermRead, "f.unit_id")
			live := func(flt Filter, extra string) int {
				flt.UnitID = q.UnitID
				w, wargs := f.s.st.where(flt, today.String())
				n, err := f.s.st.count(ctx, d, cl+" AND "+w+extra, append(append([]any(nil), sargs...), wargs...))
				if err != nil {
					rt.Fatal(err)
				}
				return n
			}
			due := Filter{AccountableFrom: q.From, AccountableTo: q.To}
			onTime := due
			onTime.OnTime = true
			want := fmt.Sprint(live(Filter{Status: StatusUnclosed}, ""), live(Filter{Overdue: true}, ""), live(onTime, ""), live(due, ""))
			got := fmt.Sprint(figs[0].Numerator, figs[1].Numerator, figs[2].Numerator, figs[2].Denominator)
			if figs[0].Code != FigureOpen || figs[1].Code != FigureOverdue || figs[2].Code != FigureClosedOnTimeRate || got != want {
				rt.Fatalf("actor %d %+v: figures %s, ledger %s", who, q, got, want)
			}
		})
	})
}

// count counts the findings matching cond (a WHERE clause over f).
func (Store) count(ctx context.Context, q db.Querier, cond string, args []any) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COUNT(*) FROM findings f WHERE "+cond, args...).Scan(&n)
	return n, err
}
