package db

import (
	"context"
	"slices"
	"testing"
)

func TestAccountable(t *testing.T) {
	each(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, "CREATE TABLE acc_t (id BIGINT PRIMARY KEY, status TEXT NOT NULL, done_on TEXT NOT NULL, due_on TEXT NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		for _, r := range []struct {
			id           int
			status, done string
			due          string
		}{
			{1, "done", "2026-03-10", "2026-03-01"}, // done in the period (late): counted
			{2, "done", "2026-02-10", "2026-03-01"}, // done before the period: not counted
			{3, "open", "", "2026-03-20"},           // open past its deadline in the period: counted
			{4, "open", "", "2026-03-30"},           // open, deadline in the period but not passed yet: not counted
			{5, "open", "", "2026-02-20"},           // open, deadline before the period: not counted
			{6, "withdrawn", "", "2026-03-05"},      // neither done nor open: never counted
			{7, "done", "2026-03-31", "2026-04-30"}, // done in the period (early): counted
			{8, "open", "", "2026-04-02"},           // deadline after the period: not counted
		} {
			if _, err := d.Exec(ctx, "INSERT INTO acc_t (id, status, done_on, due_on) VALUES (?, ?, ?, ?)", r.id, r.status, r.done, r.due); err != nil {
				t.Fatal(err)
			}
		}
		ids := func(from, to, today string) []int64 {
			t.Helper()
			cond, args := Accountable("status = 'done'", "status = 'open'", "done_on", "due_on", from, to, today)
			got, err := All(ctx, d, func(sc Scanner) (int64, error) {
				var id int64
				return id, sc.Scan(&id)
			}, "SELECT id FROM acc_t WHERE "+cond+" ORDER BY id", args...)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := ids("2026-03-01", "2026-03-31", "2026-03-25"); !slices.Equal(got, []int64{1, 3, 7}) {
			t.Errorf("March on 25 March: %v, want [1 3 7]", got)
		}
		// Later the open record 4 is overdue too; an open side takes every date.
		if got := ids("2026-03-01", "2026-03-31", "2026-04-05"); !slices.Equal(got, []int64{1, 3, 4, 7}) {
			t.Errorf("March on 5 April: %v, want [1 3 4 7]", got)
		}
		if got := ids("", "", "2026-04-05"); !slices.Equal(got, []int64{1, 2, 3, 4, 5, 7, 8}) {
			t.Errorf("open period: %v, want [1 2 3 4 5 7 8]", got)
		}
	})
}
