package db

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// Plan returns the query plan of query, one line per plan node, for tests
// that check that an index serves a list's order and filters. On PostgreSQL
// sequential scans, bitmap scans and sorts are switched off for the EXPLAIN
// (tables in tests are tiny, and the planner would rightly scan them), so the
// plan shows a sort or a sequential scan only when no index can serve.
func Plan(ctx context.Context, d *DB, query string, args ...any) (string, error) {
	var lines []string
	err := d.WithTx(ctx, func(tx *Tx) error {
		explain := "EXPLAIN QUERY PLAN "
		if d.Dialect() == Postgres {
			for _, s := range []string{"SET LOCAL enable_seqscan = off", "SET LOCAL enable_sort = off", "SET LOCAL enable_bitmapscan = off"} {
				if _, err := tx.Exec(ctx, s); err != nil {
					return err
				}
			}
			explain = "EXPLAIN "
		}
		rows, err := tx.Query(ctx, explain+query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			// SQLite: id, parent, notused, detail; PostgreSQL: one text column.
			lines = append(lines, fmt.Sprint(vals[len(vals)-1]))
		}
		if err := rows.Err(); err != nil {
			return err
		}
		// Leave nothing behind: an EXPLAIN changes nothing, SET LOCAL ends here.
		return nil
	})
	return strings.Join(lines, "\n"), err
}

var (
	sqliteScan = regexp.MustCompile(`(?m)^SCAN (\w+)( |$)`)
	pgSeqScan  = regexp.MustCompile(`Seq Scan on (\w+)(?: (\w+))?`)
)

// PlanProblems lists what in plan shows that no index serves the query: a
// sort for ORDER BY (LIMIT cannot stop early) and, when fullScanOK is false,
// a full scan of a table read without an index (SQLite "SCAN t", PostgreSQL
// "Seq Scan on t"); only tables named in tables (by name or alias) are
// checked for scans.
func PlanProblems(d Dialect, plan string, fullScanOK bool, tables ...string) []string {
	var out []string
	checked := map[string]bool{}
	for _, t := range tables {
		checked[t] = true
	}
	if d == Postgres {
		for _, line := range strings.Split(plan, "\n") {
			s := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "->"))
			if strings.HasPrefix(s, "Sort ") || strings.HasPrefix(s, "Incremental Sort") {
				out = append(out, "sort: "+s)
			}
		}
		if !fullScanOK {
			for _, m := range pgSeqScan.FindAllStringSubmatch(plan, -1) {
				if checked[m[1]] || checked[m[2]] {
					out = append(out, "full scan of "+m[1])
				}
			}
		}
		return out
	}
	for _, line := range strings.Split(plan, "\n") {
		if strings.Contains(line, "USE TEMP B-TREE FOR ORDER BY") || strings.Contains(line, "USE TEMP B-TREE FOR RIGHT PART OF ORDER BY") {
			out = append(out, "sort: "+line)
		}
	}
	if !fullScanOK {
		for _, m := range sqliteScan.FindAllStringSubmatch(plan, -1) {
			if checked[m[1]] {
				out = append(out, "full scan of "+m[1])
			}
		}
	}
	return out
}
