package metric

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// day draws a date between 2019-12-01 and 2027-01-31 (period edges around
// month and year boundaries are what Spans must get right).
func drawDay(t *rapid.T, label string) string {
	base := time.Date(2019, 12, 1, 0, 0, 0, 0, time.UTC)
	return base.AddDate(0, 0, rapid.IntRange(0, 2618).Draw(t, label)).Format(time.DateOnly)
}

// bucketSum sums counts (per day) through the day/month/year buckets the
// spans name: what Sums asks the database.
func bucketSum(counts map[string]int, spans []Span) int {
	stored := map[string]int{}
	for day, n := range counts {
		for _, b := range buckets(day) {
			stored[b] += n
		}
	}
	total := 0
	for b, n := range stored {
		for _, s := range spans {
			if b[0] == s.Lo[0] && b >= s.Lo && b <= s.Hi {
				total += n
			}
		}
	}
	return total
}

// Every day of a period is counted exactly once, whatever the period.
func TestSpansCountEachDayOnce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		counts := map[string]int{}
		for i := range rapid.IntRange(0, 40).Draw(t, "points") {
			counts[drawDay(t, fmt.Sprint("p", i))] += rapid.IntRange(1, 5).Draw(t, "n")
		}
		from, to := "", ""
		if rapid.Bool().Draw(t, "has from") {
			from = drawDay(t, "from")
		}
		if rapid.Bool().Draw(t, "has to") {
			to = drawDay(t, "to")
		}
		spans, err := Spans(from, to)
		if err != nil {
			t.Fatal(err)
		}
		if len(spans) > 5 {
			t.Fatalf("%s–%s: %d spans, want at most 5: %v", from, to, len(spans), spans)
		}
		want := 0
		for day, n := range counts {
			if (from == "" || day >= from) && (to == "" || day <= to) {
				want += n
			}
		}
		if got := bucketSum(counts, spans); got != want {
			t.Fatalf("%s–%s spans %v: sum %d, want %d", from, to, spans, got, want)
		}
	})
}

func TestSpansShape(t *testing.T) {
	for _, c := range []struct {
		from, to string
		want     string
	}{
		{"2026-01-01", "2026-12-31", "[{Y2026 Y2026}]"},
		{"2026-01-15", "2026-02-10", "[{D2026-01-15 D2026-02-10}]"},
		{"2025-11-20", "2027-02-03", "[{D2025-11-20 D2025-11-30} {M2025-12 M2025-12} {Y2026 Y2026} {M2027-01 M2027-01} {D2027-02-01 D2027-02-03}]"},
		{"", "", "[{Y0001 Y9999}]"},
		{"2026-03-01", "2026-02-01", "[]"},
	} {
		got, err := Spans(c.from, c.to)
		if err != nil {
			t.Fatal(err)
		}
		if s := fmt.Sprint(got); s != c.want && !(c.want == "[]" && len(got) == 0) {
			t.Errorf("Spans(%q, %q) = %s, want %s", c.from, c.to, s, c.want)
		}
	}
	if _, err := Spans("2026-13-01", ""); err == nil {
		t.Error("a bad date must be refused")
	}
}

// itemsTally counts a toy register the way a module does: open items by
// deadline, closed items by closing day.
var itemsTally = &Tally{Name: "items", IDColumn: "i.id", Points: `
SELECT 'open_due' AS series, i.unit_id AS unit_id, i.due AS day FROM tally_items i WHERE i.status <> 'closed' AND {record}
UNION ALL SELECT 'closed', i.unit_id, i.closed_on FROM tally_items i WHERE i.status = 'closed' AND {record}`}

type item struct {
	unit          int64
	status        string
	due, closedOn string
}

func createItems(t testing.TB, d *db.DB) {
	t.Helper()
	if _, err := d.Exec(context.Background(), `CREATE TABLE tally_items (id BIGINT PRIMARY KEY, unit_id BIGINT NOT NULL,
status TEXT NOT NULL, due TEXT NOT NULL, closed_on TEXT)`); err != nil {
		t.Fatal(err)
	}
}

// Random inserts, edits, moves between units and deletions, each through
// the tally in its transaction, leave no drift; every range sum equals the
// live count over the base table; a write that bypasses the tally is
// reported by Verify and mended by Rebuild.
func TestTallyNoDrift(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		createItems(t, d)
		if err := Sync(ctx, d, []*Tally{itemsTally}); err != nil {
			t.Fatal(err)
		}
		// Units 1–4 as a small tree for the subtree sums: 1 ⊃ 2 ⊃ 3, 1 ⊃ 4.
		for _, u := range []struct {
			id   int64
			path string
		}{{1, "/1/"}, {2, "/1/2/"}, {3, "/1/2/3/"}, {4, "/1/4/"}} {
			if _, err := d.Exec(ctx, "INSERT INTO org_units (id, code, name, type, path) VALUES (?, ?, ?, 'dept', ?)", u.id, fmt.Sprint("U", u.id), fmt.Sprint("单位", u.id), u.path); err != nil {
				t.Fatal(err)
			}
		}
		under := map[int64][]int64{0: {1, 2, 3, 4}, 1: {1, 2, 3, 4}, 2: {2, 3}, 3: {3}, 4: {4}}
		var nextID int64
		rapid.Check(t, func(rt *rapid.T) {
			for _, q := range []string{"DELETE FROM tally_items", "DELETE FROM metric_counts"} {
				if _, err := d.Exec(ctx, q); err != nil {
					rt.Fatal(err)
				}
			}
			live := map[int64]item{}
			drawItem := func() item {
				it := item{unit: int64(rapid.IntRange(1, 4).Draw(rt, "unit")), status: rapid.SampledFrom([]string{"open", "rectifying", "closed"}).Draw(rt, "status"),
					due: drawDay(rt, "due")}
				if it.status == "closed" {
					it.closedOn = drawDay(rt, "closed_on")
				}
				return it
			}
			pick := func() (int64, bool) {
				if len(live) == 0 {
					return 0, false
				}
				ids := make([]int64, 0, len(live))
				for id := range live {
					ids = append(ids, id)
				}
				return rapid.SampledFrom(ids).Draw(rt, "id"), true
			}
			for range rapid.IntRange(1, 25).Draw(rt, "ops") {
				err := d.WithTx(ctx, func(tx *db.Tx) error {
					switch op := rapid.IntRange(0, 4).Draw(rt, "op"); {
					case op == 4: // an import's batch
						var ids []int64
						for range rapid.IntRange(1, 40).Draw(rt, "batch") { // runs of 16 and more are read by range
							nextID++
							it := drawItem()
							if _, err := tx.Exec(ctx, "INSERT INTO tally_items (id, unit_id, status, due, closed_on) VALUES (?, ?, ?, ?, ?)",
								nextID, it.unit, it.status, it.due, nullable(it.closedOn)); err != nil {
								return err
							}
							live[nextID] = it
							ids = append(ids, nextID)
						}
						return itemsTally.AddedBatch(ctx, tx, ids)
					case op == 0 || len(live) == 0: // insert
						nextID++
						it := drawItem()
						if _, err := tx.Exec(ctx, "INSERT INTO tally_items (id, unit_id, status, due, closed_on) VALUES (?, ?, ?, ?, ?)",
							nextID, it.unit, it.status, it.due, nullable(it.closedOn)); err != nil {
							return err
						}
						live[nextID] = it
						return itemsTally.Added(ctx, tx, nextID)
					case op == 1: // edit
						id, _ := pick()
						it := drawItem()
						it.unit = live[id].unit
						live[id] = it
						return itemsTally.Write(ctx, tx, id, func() error {
							_, err := tx.Exec(ctx, "UPDATE tally_items SET status = ?, due = ?, closed_on = ? WHERE id = ?", it.status, it.due, nullable(it.closedOn), id)
							return err
						})
					case op == 2: // move to another unit
						id, _ := pick()
						it := live[id]
						it.unit = int64(rapid.IntRange(1, 4).Draw(rt, "to unit"))
						live[id] = it
						return itemsTally.Write(ctx, tx, id, func() error {
							_, err := tx.Exec(ctx, "UPDATE tally_items SET unit_id = ? WHERE id = ?", it.unit, id)
							return err
						})
					default: // delete
						id, _ := pick()
						delete(live, id)
						return itemsTally.Write(ctx, tx, id, func() error {
							_, err := tx.Exec(ctx, "DELETE FROM tally_items WHERE id = ?", id)
							return err
						})
					}
				})
				if err != nil {
					rt.Fatal(err)
				}
			}
			if drift, n, err := itemsTally.Verify(ctx, d, 10); err != nil || n != 0 {
				rt.Fatalf("drift after random writes: %d %v %v", n, drift, err)
			}
			// Range sums equal live counts, for a unit and for all units.
			from, to := drawDay(rt, "from"), drawDay(rt, "to")
			unit := int64(rapid.IntRange(0, 4).Draw(rt, "sum unit"))
			cond, args := "1=1", []any(nil)
			if unit > 0 {
				cond, args = "c.unit_id = ?", []any{unit}
			}
			got, err := itemsTally.Sums(ctx, d, cond, args, Sum{Series: "closed", From: from, To: to}, Sum{Series: "open_due", To: to}, Sum{Series: "open_due"})
			if err != nil {
				rt.Fatal(err)
			}
			want := [3]int{}
			for _, it := range live {
				if unit > 0 && it.unit != unit {
					continue
				}
				if it.status == "closed" && it.closedOn >= from && it.closedOn <= to {
					want[0]++
				}
				if it.status != "closed" && it.due <= to {
					want[1]++
				}
				if it.status != "closed" {
					want[2]++
				}
			}
			if [3]int(got) != want {
				rt.Fatalf("sums %v, live counts %v (unit %d, %s–%s)", got, want, unit, from, to)
			}
			// The same sums as direct aggregates over the base table.
			direct, err := itemsTally.Sums(WithDirect(ctx), d, cond, args, Sum{Series: "closed", From: from, To: to}, Sum{Series: "open_due", To: to}, Sum{Series: "open_due"})
			if err != nil {
				rt.Fatal(err)
			}
			if [3]int(direct) != want {
				rt.Fatalf("direct sums %v, live counts %v (unit %d, %s–%s)", direct, want, unit, from, to)
			}
			// A subtree's sums, one statement each or from the per-unit
			// breakdown of one request, equal the live counts.
			sums := []Sum{{Series: "closed", From: from, To: to}, {Series: "open_due", To: to}}
			bctx := WithBreakdown(ctx)
			dctx := WithBreakdown(WithDirect(ctx))
			for root := range int64(5) {
				want := [2]int{}
				for _, it := range live {
					if !slices.Contains(under[root], it.unit) {
						continue
					}
					if it.status == "closed" && it.closedOn >= from && it.closedOn <= to {
						want[0]++
					}
					if it.status != "closed" && it.due <= to {
						want[1]++
					}
				}
				for _, c := range []context.Context{ctx, bctx, dctx, WithDirect(ctx)} {
					got, err := itemsTally.SumsUnder(c, d, "1=1", nil, root, sums...)
					if err != nil {
						rt.Fatal(err)
					}
					if [2]int(got) != want {
						rt.Fatalf("subtree %d sums %v, live counts %v (breakdown %v, direct %v)", root, got, want, c != ctx, IsDirect(c))
					}
				}
			}
		})

		// A write that bypasses the tally is drift; Rebuild mends it.
		if _, err := d.Exec(ctx, "INSERT INTO tally_items (id, unit_id, status, due) VALUES (?, 9, 'open', '2026-05-06')", nextID+1); err != nil {
			t.Fatal(err)
		}
		drift, n, err := itemsTally.Verify(ctx, d, 10)
		if err != nil || n != 3 || len(drift) != 3 || drift[0].UnitID != 9 || drift[0].Stored != 0 || drift[0].Actual != 1 {
			t.Fatalf("a write without the tally must show as drift in its day, month and year: %d %v %v", n, drift, err)
		}
		if !strings.Contains(drift[0].String(), "items.open_due") {
			t.Errorf("drift line names the series: %s", drift[0])
		}
		if err := itemsTally.Rebuild(ctx, d); err != nil {
			t.Fatal(err)
		}
		if drift, n, err := itemsTally.Verify(ctx, d, 10); err != nil || n != 0 {
			t.Fatalf("after rebuild: %d %v %v", n, drift, err)
		}
	})
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// A batch larger than one statement (1,300 records, many sharing a
// counter) leaves the counters Rebuild would build; outside a transaction
// it is refused.
func TestAddedBatchLarge(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		createItems(t, d)
		if err := Sync(ctx, d, []*Tally{itemsTally}); err != nil {
			t.Fatal(err)
		}
		const n = 1300
		ids := make([]int64, n)
		err := d.WithTx(ctx, func(tx *db.Tx) error {
			rows := make([][]any, n)
			for i := range rows {
				// Two runs of consecutive ids (read by range) and ids three
				// apart (read through the IN lists).
				ids[i] = int64(i + 1)
				if i >= 600 {
					ids[i] += 100
				}
				if i >= 1200 {
					ids[i] = int64(2000 + 3*i)
				}
				closed := any(nil)
				status := "open"
				if i%3 == 0 {
					status, closed = "closed", fmt.Sprintf("2026-%02d-%02d", 1+i%12, 1+i%28)
				}
				rows[i] = []any{ids[i], int64(1 + i%4), status, fmt.Sprintf("2025-%02d-%02d", 1+i%12, 1+i%27), closed}
			}
			if err := db.InsertMany(ctx, tx, "tally_items", []string{"id", "unit_id", "status", "due", "closed_on"}, rows); err != nil {
				return err
			}
			return itemsTally.AddedBatch(ctx, tx, ids)
		})
		if err != nil {
			t.Fatal(err)
		}
		if drift, k, err := itemsTally.Verify(ctx, d, 10); err != nil || k != 0 {
			t.Fatalf("drift after a batch: %d %v %v", k, drift, err)
		}
		got, err := itemsTally.Sums(ctx, d, "1=1", nil, Sum{Series: "closed"}, Sum{Series: "open_due"})
		if err != nil || got[0] != 434 || got[1] != n-434 {
			t.Fatalf("sums %v %v", got, err)
		}
		if err := itemsTally.AddedBatch(ctx, d, ids); err == nil {
			t.Fatal("AddedBatch outside a transaction was accepted")
		}
	})
}

// Counters are written only inside the record's transaction.
func TestTallyRefusesWritesOutsideTx(t *testing.T) {
	d := dbtest.Open(t)
	createItems(t, d)
	if err := itemsTally.Added(context.Background(), d, 1); err == nil || !strings.Contains(err.Error(), "transaction") {
		t.Fatalf("Added outside a transaction: %v", err)
	}
}

// Sync builds a new tally's counters from what the table already holds,
// and rebuilds when the definition changes; an unchanged one is left alone.
func TestSyncRebuildsOnNewDefinition(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		createItems(t, d)
		if _, err := d.Exec(ctx, "INSERT INTO tally_items (id, unit_id, status, due, closed_on) VALUES (1, 2, 'closed', '2026-01-05', '2026-02-03'), (2, 2, 'open', '2026-03-01', NULL)"); err != nil {
			t.Fatal(err)
		}
		if err := Sync(ctx, d, []*Tally{itemsTally}); err != nil {
			t.Fatal(err)
		}
		sums := func(tl *Tally) []int {
			got, err := tl.Sums(ctx, d, "1=1", nil, Sum{Series: "closed", From: "2026-02-01", To: "2026-02-28"}, Sum{Series: "open_due"})
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := sums(itemsTally); fmt.Sprint(got) != "[1 1]" {
			t.Fatalf("after the first sync: %v", got)
		}
		// Counters left stale on purpose: an unchanged definition is not rebuilt.
		if _, err := d.Exec(ctx, "DELETE FROM metric_counts"); err != nil {
			t.Fatal(err)
		}
		if err := Sync(ctx, d, []*Tally{itemsTally}); err != nil {
			t.Fatal(err)
		}
		if got := sums(itemsTally); fmt.Sprint(got) != "[0 0]" {
			t.Fatalf("an unchanged definition must not rebuild: %v", got)
		}
		changed := *itemsTally
		changed.Points += " UNION ALL SELECT 'closed', i.unit_id, i.due FROM tally_items i WHERE i.status = 'never' AND {record}"
		if err := Sync(ctx, d, []*Tally{&changed}); err != nil {
			t.Fatal(err)
		}
		if got := sums(&changed); fmt.Sprint(got) != "[1 1]" {
			t.Fatalf("a changed definition must rebuild: %v", got)
		}
	})
}
