package db

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
)

type pRow struct {
	ID  int64
	Day string
	Grp int
}

func scanPRow(sc Scanner) (pRow, error) {
	var r pRow
	err := sc.Scan(&r.ID, &r.Day, &r.Grp)
	return r, err
}

// pagingTable makes paging_t with n rows: ids 1..n, days repeating over 7
// values (many ties, so the id must break them), groups 0..4.
func pagingTable(t *testing.T, d *DB, n int) {
	t.Helper()
	ctx := context.Background()
	for _, s := range []string{
		"CREATE TABLE paging_t (id BIGINT PRIMARY KEY, day TEXT NOT NULL, grp INTEGER NOT NULL)",
		"CREATE INDEX paging_t_day ON paging_t (day, id)",
		"CREATE INDEX paging_t_grp ON paging_t (grp, day, id)",
	} {
		if _, err := d.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	_, err := d.Exec(ctx, `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
INSERT INTO paging_t (id, day, grp) SELECT i, '2026-01-0' || CAST(i % 7 + 1 AS TEXT), i % 5 FROM seq`, n)
	if err != nil {
		t.Fatal(err)
	}
}

func walk(t *testing.T, d *DB, l ListSQL, size int) ([]pRow, []Paged[pRow]) {
	t.Helper()
	var all []pRow
	var pages []Paged[pRow]
	req := ListReq{Size: size}
	for i := 0; i < 1000; i++ {
		p, err := Fetch(context.Background(), d, l, req, scanPRow, func(r pRow) []any { return []any{r.Day, r.ID} })
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
		all = append(all, p.Items...)
		if p.Next == "" {
			return all, pages
		}
		req = ListReq{Size: size, After: p.Next}
	}
	t.Fatal("paging did not end")
	return nil, nil
}

func TestKeysetPaging(t *testing.T) {
	each(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		pagingTable(t, d, 103)
		for _, c := range []struct {
			name  string
			order []Key
			sql   string
			where string
			args  []any
		}{
			{"desc", []Key{{"day", true}, {"id", true}}, "day DESC, id DESC", "", nil},
			{"asc", []Key{{"day", false}, {"id", false}}, "day, id", "", nil},
			{"mixed", []Key{{"day", true}, {"id", false}}, "day DESC, id", "", nil},
			{"filtered", []Key{{"day", true}, {"id", true}}, "day DESC, id DESC", "grp = ?", []any{2}},
		} {
			t.Run(c.name, func(t *testing.T) {
				l := ListSQL{Cols: "id, day, grp", From: "paging_t", Where: c.where, Args: c.args, Order: c.order}
				w := "1=1"
				if c.where != "" {
					w = c.where
				}
				want, err := All(ctx, d, scanPRow, "SELECT id, day, grp FROM paging_t WHERE "+w+" ORDER BY "+c.sql, c.args...)
				if err != nil {
					t.Fatal(err)
				}
				got, pages := walk(t, d, l, 10)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("keyset walk differs from the ordered query:\n got %v\nwant %v", got, want)
				}
				for i, p := range pages {
					if p.Page != i+1 || p.Total != len(want) || p.TotalCapped {
						t.Fatalf("page %d: page=%d total=%d capped=%v, want page %d total %d", i, p.Page, p.Total, p.TotalCapped, i+1, len(want))
					}
				}
				// Page numbers give the same rows as the cursor walk.
				p3, err := Fetch(ctx, d, l, ListReq{Page: 2, Size: 10}, scanPRow, func(r pRow) []any { return []any{r.Day, r.ID} })
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(p3.Items) != fmt.Sprint(pages[1].Items) || p3.Page != 2 {
					t.Fatalf("page 2 by number %v differs from page 2 by cursor %v", p3.Items, pages[1].Items)
				}
				// Following page 2's cursor continues where the cursor walk did.
				p4, err := Fetch(ctx, d, l, ListReq{Size: 10, After: p3.Next}, scanPRow, func(r pRow) []any { return []any{r.Day, r.ID} })
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(p4.Items) != fmt.Sprint(pages[2].Items) || p4.Page != 3 {
					t.Fatalf("page 3 after page 2 by number: %v, want %v", p4.Items, pages[2].Items)
				}
			})
		}

		// A bad cursor and a page past the offset limit are field errors.
		l := ListSQL{Cols: "id, day, grp", From: "paging_t", Order: []Key{{"day", true}, {"id", true}}}
		keys := func(r pRow) []any { return []any{r.Day, r.ID} }
		for _, after := range []string{"garbage!", Cursor(2, []any{"x"}), Cursor(1, []any{"x", 1}), Cursor(2, []any{"x", []int{1}})} {
			_, err := Fetch(ctx, d, l, ListReq{After: after}, scanPRow, keys)
			if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "游标") {
				t.Fatalf("cursor %q: want invalid 游标 error, got %v", after, err)
			}
		}
		_, err := Fetch(ctx, d, l, ListReq{Page: CountCap/20 + 1, Size: 20}, scanPRow, keys)
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "页码过大") {
			t.Fatalf("page past the offset limit: got %v", err)
		}
		// An empty result is one empty page, items [] not null.
		p, err := Fetch(ctx, d, ListSQL{Cols: "id, day, grp", From: "paging_t", Where: "grp = ?", Args: []any{99}, Order: l.Order}, ListReq{}, scanPRow, keys)
		if err != nil || p.Items == nil || len(p.Items) != 0 || p.Total != 0 || p.Next != "" || p.Page != 1 {
			t.Fatalf("empty page: %+v %v", p, err)
		}
		// Stream reads the whole result in order through one cursor.
		var streamed []int64
		err = Stream(ctx, d, l, func(sc Scanner) error {
			r, err := scanPRow(sc)
			streamed = append(streamed, r.ID)
			return err
		})
		if err != nil || len(streamed) != 103 {
			t.Fatalf("stream: %d rows, %v", len(streamed), err)
		}
	})
}

func TestCountCap(t *testing.T) {
	each(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		pagingTable(t, d, CountCap+5)
		l := ListSQL{Cols: "id, day, grp", From: "paging_t", Order: []Key{{"id", true}}}
		p, err := Fetch(ctx, d, l, ListReq{}, scanPRow, func(r pRow) []any { return []any{r.ID} })
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != CountCap || !p.TotalCapped || len(p.Items) != 20 || p.Items[0].ID != CountCap+5 {
			t.Fatalf("capped count: total=%d capped=%v items=%d first=%v", p.Total, p.TotalCapped, len(p.Items), p.Items[0])
		}
		// Below the cap the count is exact.
		l.Where, l.Args = "grp = ?", []any{1}
		p, err = Fetch(ctx, d, l, ListReq{}, scanPRow, func(r pRow) []any { return []any{r.ID} })
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != (CountCap+5)/5 || p.TotalCapped {
			t.Fatalf("exact count below the cap: total=%d capped=%v", p.Total, p.TotalCapped)
		}
		// The index on (day, id) serves the keyset order with no sort, on
		// the first page and after a cursor; a filter on grp uses its index.
		l = ListSQL{Cols: "id, day, grp", From: "paging_t", Order: []Key{{"day", true}, {"id", true}}}
		for _, req := range []ListReq{{}, {After: Cursor(2, []any{"2026-01-03", 50})}} {
			q, args, _, _, err := l.PageSQL(req)
			if err != nil {
				t.Fatal(err)
			}
			plan, err := Plan(ctx, d, q, args...)
			if err != nil {
				t.Fatal(err)
			}
			if probs := PlanProblems(d.Dialect(), plan, true, "paging_t"); len(probs) > 0 {
				t.Fatalf("plan of %s:\n%s\nproblems: %v", q, plan, probs)
			}
		}
		l.Where, l.Args = "grp = ?", []any{1}
		q, args, _, _, _ := l.PageSQL(ListReq{})
		plan, err := Plan(ctx, d, q, args...)
		if err != nil {
			t.Fatal(err)
		}
		if probs := PlanProblems(d.Dialect(), plan, false, "paging_t"); len(probs) > 0 {
			t.Fatalf("plan of %s:\n%s\nproblems: %v", q, plan, probs)
		}
		// The check can fail: without an index on the order, it reports the sort.
		q, args, _, _, _ = ListSQL{Cols: "id", From: "paging_t", Order: []Key{{"id % 7", false}, {"id", false}}, Where: "day = ?", Args: []any{"2026-01-01"}}.PageSQL(ListReq{})
		plan, err = Plan(ctx, d, q, args...)
		if err != nil {
			t.Fatal(err)
		}
		if probs := PlanProblems(d.Dialect(), plan, false, "paging_t"); len(probs) == 0 {
			t.Fatalf("an order no index serves was not reported:\n%s", plan)
		}
	})
}

// A page number is refused past CountCap rows whatever its size: the
// offset is never computed from a number large enough to overflow (which
// used to wrap it round to the first page, or to an OFFSET past the cap).
func TestPageNumberBoundedByCountCap(t *testing.T) {
	l := ListSQL{Cols: "id", From: "t", Order: []Key{{"id", true}}}
	for _, size := range []int{1, 20, MaxPageSize} {
		last := (CountCap + size - 1) / size // the last page that starts below the cap
		q, args, page, _, err := l.PageSQL(ListReq{Page: last, Size: size})
		if err != nil || page != last || !strings.Contains(q, "OFFSET") || args[len(args)-1].(int) >= CountCap {
			t.Errorf("size %d, page %d: %q %v %v", size, last, q, args, err)
		}
		for _, p := range []int{last + 1, 1 << 40, math.MaxInt / size, math.MaxInt/size + 2, math.MaxInt} {
			if p <= last {
				continue // math.MaxInt/1 + 2 wraps round
			}
			_, _, _, _, err := l.PageSQL(ListReq{Page: p, Size: size})
			var e *apperr.Error
			if !errors.As(err, &e) || len(e.Fields) == 0 || e.Fields[0].Field != "page" {
				t.Errorf("size %d, page %d: %v, want a page field error", size, p, err)
			}
		}
	}
}

// The count runs once per walk: the next cursor carries it, so the pages
// after the first do not count again (rows added meanwhile show in a new
// walk); a cursor that carries no total (db.Cursor) still gets one.
func TestCursorCarriesTheTotal(t *testing.T) {
	each(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		pagingTable(t, d, 50)
		keys := func(r pRow) []any { return []any{r.ID} }
		l := ListSQL{Cols: "id, day, grp", From: "paging_t", Order: []Key{{"id", true}}}
		p1, err := Fetch(ctx, d, l, ListReq{Size: 10}, scanPRow, keys)
		if err != nil || p1.Total != 50 || p1.Next == "" {
			t.Fatalf("page 1: total %d next %q %v", p1.Total, p1.Next, err)
		}
		if _, err := d.Exec(ctx, "INSERT INTO paging_t (id, day, grp) VALUES (51, '2026-01-01', 0)"); err != nil {
			t.Fatal(err)
		}
		p2, err := Fetch(ctx, d, l, ListReq{Size: 10, After: p1.Next}, scanPRow, keys)
		if err != nil || p2.Total != 50 || p2.Page != 2 || p2.Items[0].ID != 40 {
			t.Fatalf("page 2 by cursor: total %d page %d first %v %v", p2.Total, p2.Page, p2.Items[0], err)
		}
		p3, err := Fetch(ctx, d, l, ListReq{Size: 10, After: p2.Next}, scanPRow, keys)
		if err != nil || p3.Total != 50 {
			t.Fatalf("page 3 by cursor: total %d %v", p3.Total, err)
		}
		p, err := Fetch(ctx, d, l, ListReq{Size: 10, After: Cursor(2, []any{int64(41)})}, scanPRow, keys)
		if err != nil || p.Total != 51 {
			t.Fatalf("a cursor without a total counts: %d %v", p.Total, err)
		}
		if _, err := Fetch(ctx, d, l, ListReq{Size: 10, After: cursor{P: 2, K: []any{int64(41)}, T: CountCap + 1}.encode()}, scanPRow, keys); err == nil {
			t.Fatal("a cursor with a total past the cap must be refused")
		}
	})
}
