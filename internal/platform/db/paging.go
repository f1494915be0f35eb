package db

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"fazhi/internal/platform/apperr"
)

// Paging at a million rows: every list answers with Paged, never counts the
// whole table and never skips more than CountCap rows with OFFSET.
//
//   - The order is a keyset: a few columns ending with a unique one (the id),
//     each NOT NULL, served by an index. The next page is "the rows after the
//     last one shown" (WHERE (k1, k2) < (?, ?)), so a deep page costs what the
//     first does.
//   - Page numbers are kept for the first pages (OFFSET up to CountCap rows),
//     so the page-number UI works where people use it.
//   - The total is exact up to CountCap and otherwise reported as "at least
//     CountCap" (TotalCapped): counting stops after CountCap+1 rows.
//
// A module declares its list once as a ListSQL and calls Fetch; the same
// ListSQL gives the export its one cursor (Stream) and the tests the SQL to
// EXPLAIN (PageSQL).

// CountCap is where counting stops: above it the total reads "10,000+".
const CountCap = 10000

// ListReq is the paging part of every list request.
type ListReq struct {
	Page  int    `query:"page" doc:"页码（从 1 开始；仅前 10,000 条可按页码跳转，之后用 after 游标继续）"`
	Size  int    `query:"page_size" doc:"每页条数（默认 20，最多 500）"`
	After string `query:"after" doc:"上一页返回的 next 游标；给出时忽略 page"`
}

// Paged is the one list response shape.
type Paged[T any] struct {
	Items       []T    `json:"items"`
	Total       int    `json:"total" doc:"符合条件的记录数；total_capped 为 true 时表示“至少 total 条”（显示为 10,000+）"`
	TotalCapped bool   `json:"total_capped" doc:"记录数超过计数上限，total 为上限值"`
	Page        int    `json:"page" doc:"本页页码"`
	Next        string `json:"next" doc:"下一页游标（作为 after 参数传回）；为空表示已是最后一页"`
}

// Key is one column of a keyset order. Expr must be NOT NULL; the last key of
// an order must be unique.
type Key struct {
	Expr string
	Desc bool
}

// ListSQL is a list query: SELECT Cols FROM From WHERE Where ORDER BY Order.
// CountFrom, when set, is a lighter FROM for counting (without joins that
// only add display columns); it must accept the same Where and Args.
type ListSQL struct {
	Cols      string
	From      string
	Where     string
	Args      []any
	Order     []Key
	CountFrom string
}

// cursor is what the opaque `next` carries: the page number it leads to,
// the keys of the last row shown and the total counted for the first page
// of the walk (T, with C when capped; T is 0 in cursors that carry none).
type cursor struct {
	P int   `json:"p"`
	K []any `json:"k"`
	T int   `json:"t,omitempty"`
	C bool  `json:"c,omitempty"`
}

// Cursor returns the `next` cursor leading to page, after a row with keys
// (what Fetch returns; tests use it to plan a deep page). It carries no
// total: the page it leads to counts.
func Cursor(page int, keys []any) string {
	return cursor{P: page, K: keys}.encode()
}

// WalkCursor is the cursor Fetch hands on during a walk through a list whose
// first page counted total (capped when over CountCap): benchmarks use it to
// ask a deep page as a user paging on by 下一页 does.
func WalkCursor(page int, keys []any, total int, capped bool) string {
	return cursor{P: page, K: keys, T: min(total, CountCap), C: capped}.encode()
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func badCursor() error {
	return apperr.Field("after", "翻页游标无效或已过期，请从第一页重新查询")
}

func decodeCursor(s string, nkeys int) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return c, badCursor()
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&c); err != nil || len(c.K) != nkeys || c.P < 2 || c.T < 0 || c.T > CountCap {
		return c, badCursor()
	}
	for i, v := range c.K {
		switch x := v.(type) {
		case json.Number:
			if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
				c.K[i] = n
			} else if f, err := strconv.ParseFloat(string(x), 64); err == nil {
				c.K[i] = f
			} else {
				return c, badCursor()
			}
		case string, bool:
		default:
			return c, badCursor()
		}
	}
	return c, nil
}

// PageSize normalises a requested page size (default 20, at most MaxPageSize).
func PageSize(n int) int {
	switch {
	case n <= 0:
		return 20
	case n > MaxPageSize:
		return MaxPageSize
	}
	return n
}

// orderBy renders the ORDER BY clause.
func (l ListSQL) orderBy() string {
	parts := make([]string, len(l.Order))
	for i, k := range l.Order {
		parts[i] = k.Expr
		if k.Desc {
			parts[i] += " DESC"
		}
	}
	return " ORDER BY " + strings.Join(parts, ", ")
}

// after renders the keyset condition "row comes after keys in the order".
// Uniform directions use a row-value comparison, which both SQLite and
// PostgreSQL turn into one index range; mixed directions expand it.
func (l ListSQL) after(keys []any) (string, []any) {
	uniform := true
	for _, k := range l.Order[1:] {
		if k.Desc != l.Order[0].Desc {
			uniform = false
		}
	}
	if uniform {
		op := ">"
		if l.Order[0].Desc {
			op = "<"
		}
		exprs := make([]string, len(l.Order))
		marks := make([]string, len(l.Order))
		for i, k := range l.Order {
			exprs[i], marks[i] = k.Expr, "?"
		}
		if len(exprs) == 1 {
			return exprs[0] + " " + op + " ?", keys
		}
		return "(" + strings.Join(exprs, ", ") + ") " + op + " (" + strings.Join(marks, ", ") + ")", keys
	}
	var ors []string
	var args []any
	for i, k := range l.Order {
		var ands []string
		for j := 0; j < i; j++ {
			ands = append(ands, l.Order[j].Expr+" = ?")
			args = append(args, keys[j])
		}
		op := ">"
		if k.Desc {
			op = "<"
		}
		ands = append(ands, k.Expr+" "+op+" ?")
		args = append(args, keys[i])
		ors = append(ors, "("+strings.Join(ands, " AND ")+")")
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

func (l ListSQL) where() string {
	if strings.TrimSpace(l.Where) == "" {
		return "1=1"
	}
	return l.Where
}

// PageSQL returns the query for the page req asks for, with LIMIT size+1 (one
// more row says whether a next page exists), and the page number it is.
func (l ListSQL) PageSQL(req ListReq) (query string, args []any, page, size int, err error) {
	if len(l.Order) == 0 {
		return "", nil, 0, 0, fmt.Errorf("db.ListSQL: no order")
	}
	size = PageSize(req.Size)
	where := l.where()
	args = append([]any(nil), l.Args...)
	offset := 0
	page = 1
	if req.After != "" {
		c, err := decodeCursor(req.After, len(l.Order))
		if err != nil {
			return "", nil, 0, 0, err
		}
		cond, cargs := l.after(c.K)
		where = "(" + where + ") AND " + cond
		args = append(args, cargs...)
		page = c.P
	} else if req.Page > 1 {
		page = req.Page
		// Compared before multiplying: a huge page number must not wrap
		// the offset round to a small or negative one.
		if page-1 >= (CountCap+size-1)/size {
			return "", nil, 0, 0, apperr.Field("page", "页码过大：按页码只能查看前 %d 条，请用“下一页”继续翻页或缩小查询条件", CountCap)
		}
		offset = (page - 1) * size
	}
	query = "SELECT " + l.Cols + " FROM " + l.From + " WHERE " + where + l.orderBy() + " LIMIT ?"
	args = append(args, size+1)
	if offset > 0 {
		query += " OFFSET ?"
		args = append(args, offset)
	}
	return query, args, page, size, nil
}

// CountSQL returns the capped count query: it stops after CountCap+1 rows.
func (l ListSQL) CountSQL() (string, []any) {
	from := l.CountFrom
	if from == "" {
		from = l.From
	}
	return "SELECT COUNT(*) FROM (SELECT 1 AS one FROM " + from + " WHERE " + l.where() + " LIMIT ?) capped",
		append(append([]any(nil), l.Args...), CountCap+1)
}

// Count returns the number of matching rows up to CountCap, and whether
// there are more.
func (l ListSQL) Count(ctx context.Context, q Querier) (n int, capped bool, err error) {
	query, args := l.CountSQL()
	if err := q.QueryRow(ctx, query, args...).Scan(&n); err != nil {
		return 0, false, err
	}
	if n > CountCap {
		return CountCap, true, nil
	}
	return n, false, nil
}

// Fetch runs one page of l: scan reads a row, keys returns the row's values
// for l.Order (the cursor of the next page is built from the last row).
//
// The capped count runs once per walk through the list: on the page asked by
// number (page 1, or a page number up to CountCap rows), and the `next`
// cursor carries its result to the pages after it, so paging on by cursor
// costs the page's own query only. A total carried that way is the count as
// of the walk's first page (records written since show when the list is
// asked again), as a page number is.
func Fetch[T any](ctx context.Context, q Querier, l ListSQL, req ListReq, scan func(Scanner) (T, error), keys func(T) []any) (Paged[T], error) {
	out := Paged[T]{Items: []T{}}
	query, args, page, size, err := l.PageSQL(req)
	if err != nil {
		return out, err
	}
	items, err := All(ctx, q, scan, query, args...)
	if err != nil {
		return out, err
	}
	out.Page = page
	more := len(items) > size
	if more {
		items = items[:size]
	}
	out.Items = items
	switch {
	case page == 1 && !more:
		// The whole result is on this page: no count needed.
		out.Total = len(items)
	case req.After != "":
		// PageSQL has decoded it already; this cannot fail.
		c, _ := decodeCursor(req.After, len(l.Order))
		out.Total, out.TotalCapped = c.T, c.C
		if c.T == 0 {
			out.Total, out.TotalCapped, err = l.Count(ctx, q)
		}
	default:
		out.Total, out.TotalCapped, err = l.Count(ctx, q)
	}
	if err != nil {
		return out, err
	}
	if more {
		out.Next = cursor{P: page + 1, K: keys(items[size-1]), T: out.Total, C: out.TotalCapped}.encode()
	}
	return out, nil
}

// Stream runs l's whole result through one cursor (no OFFSET, no count),
// calling each for every row in order; each returning an error stops it.
// Exports use it so that memory stays constant at any size.
func Stream(ctx context.Context, q Querier, l ListSQL, each func(Scanner) error) error {
	if len(l.Order) == 0 {
		return fmt.Errorf("db.ListSQL: no order")
	}
	rows, err := q.Query(ctx, "SELECT "+l.Cols+" FROM "+l.From+" WHERE "+l.where()+l.orderBy(), l.Args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Map converts a page's items, keeping the paging fields.
func Map[T, U any](p Paged[T], f func(T) U) Paged[U] {
	out := Paged[U]{Items: make([]U, len(p.Items)), Total: p.Total, TotalCapped: p.TotalCapped, Page: p.Page, Next: p.Next}
	for i, v := range p.Items {
		out.Items[i] = f(v)
	}
	return out
}

// Batches runs l in keyset batches of up to size rows (no count, no OFFSET),
// calling fn with each batch in order; for exports that enrich rows a batch
// at a time (one extra query per batch instead of per row).
func Batches[T any](ctx context.Context, q Querier, l ListSQL, size int, scan func(Scanner) (T, error), keys func(T) []any, fn func([]T) error) error {
	req := ListReq{Size: size}
	for {
		query, args, page, n, err := l.PageSQL(req)
		if err != nil {
			return err
		}
		items, err := All(ctx, q, scan, query, args...)
		if err != nil {
			return err
		}
		more := len(items) > n
		if more {
			items = items[:n]
		}
		if err := fn(items); err != nil {
			return err
		}
		if !more {
			return nil
		}
		req.After = Cursor(page+1, keys(items[n-1]))
	}
}
