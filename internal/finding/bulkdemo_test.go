package finding

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// Bulk demo rows are deterministic for a seed, spread over every unit, and
// land as ledger rows the list and its filters read.
func TestBulkDemo(t *testing.T) {
	collect := func(seed uint64) [][]any {
		var out [][]any
		for r := range bulkRows(300, 1, []int64{2, 3, 4}, 12, seed) {
			out = append(out, r)
		}
		return out
	}
	a, b, c := collect(7), collect(7), collect(8)
	if fmt.Sprint(a) != fmt.Sprint(b) || fmt.Sprint(a) == fmt.Sprint(c) {
		t.Fatal("bulk rows are not determined by the seed")
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		n, err := BulkDemo(ctx, d, 300, []int64{2, 3, 4}, supervisor, 7)
		if err != nil || n != 300 {
			t.Fatalf("bulk demo: %d %v", n, err)
		}
		units := map[int64]int{}
		statuses := map[string]int{}
		var all []Finding
		req := db.ListReq{Size: 100}
		for {
			p, err := f.s.List(as(supervisor), Filter{}, req)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, p.Items...)
			if p.Next == "" {
				break
			}
			req.After = p.Next
		}
		for _, it := range all {
			units[it.UnitID]++
			statuses[it.Status]++
		}
		if len(all) != 300 || len(units) != 3 || statuses["open"] == 0 || statuses["closed"] == 0 {
			t.Fatalf("listed %d rows over units %v, statuses %v", len(all), units, statuses)
		}
		ids := make([]int64, len(all))
		for i, it := range all {
			ids[i] = it.ID
		}
		if !slices.IsSortedFunc(ids, func(x, y int64) int { return int(y - x) }) {
			t.Fatal("keyset walk is not newest first")
		}
		// The clerk's scope sees exactly unit 3's rows.
		p, err := f.s.List(as(clerk), Filter{}, db.ListReq{Size: 500})
		if err != nil || p.Total != units[3] {
			t.Fatalf("clerk sees %d, unit 3 holds %d (%v)", p.Total, units[3], err)
		}
	})
}
