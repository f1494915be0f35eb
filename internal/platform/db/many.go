package db

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Parameter limits of one statement: SQLite's SQLITE_MAX_VARIABLE_NUMBER
// (32,766 since 3.32, the build modernc ships) and PostgreSQL's wire
// protocol (65,535 bind parameters).
const (
	sqliteMaxParams   = 32766
	postgresMaxParams = 65535
	// manyRowsCap bounds the rows of one INSERT whatever the width: past a
	// few hundred rows a longer statement saves nothing and costs parsing.
	manyRowsCap = 500
)

// RowsPerInsert is how many rows of cols columns one multi-row INSERT
// carries on dialect d: the parameter limit divided by the width, capped at
// 500 rows.
func RowsPerInsert(d Dialect, cols int) int {
	limit := sqliteMaxParams
	if d == Postgres {
		limit = postgresMaxParams
	}
	if cols <= 0 {
		return manyRowsCap
	}
	return max(1, min(manyRowsCap, limit/cols))
}

// InsertMany writes rows into table's cols with multi-row INSERTs inside q
// (the caller's transaction: an import writes its batch all or nothing),
// each statement as long as the dialect's parameter limit allows. Every row
// must hold one value per column.
func InsertMany(ctx context.Context, q Querier, table string, cols []string, rows [][]any) error {
	_, err := insertMany(ctx, q, table, cols, rows, false)
	return err
}

// InsertManyIDs is InsertMany returning the new rows' ids (column id) in
// the order of rows. Both databases number the rows of one INSERT … VALUES
// in the order of its VALUES (SQLite's rowid, PostgreSQL's identity
// sequence drawn row by row), so the ids RETURNING gives, sorted, are the
// rows' ids in order even when another transaction draws from the sequence
// meanwhile; the count is checked.
func InsertManyIDs(ctx context.Context, q Querier, table string, cols []string, rows [][]any) ([]int64, error) {
	return insertMany(ctx, q, table, cols, rows, true)
}

func insertMany(ctx context.Context, q Querier, table string, cols []string, rows [][]any, ids bool) ([]int64, error) {
	if len(rows) == 0 {
		return []int64{}, nil
	}
	per := RowsPerInsert(q.Dialect(), len(cols))
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	var out []int64
	if ids {
		out = make([]int64, 0, len(rows))
	}
	args := make([]any, 0, per*len(cols))
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		args = args[:0]
		for i, r := range chunk {
			if len(r) != len(cols) {
				return nil, fmt.Errorf("%s: row %d has %d values for %d columns", table, start+i, len(r), len(cols))
			}
			args = append(args, r...)
		}
		stmt := head + strings.TrimSuffix(strings.Repeat(one+", ", len(chunk)), ", ")
		if !ids {
			if _, err := q.Exec(ctx, stmt, args...); err != nil {
				return nil, Classify(err)
			}
			continue
		}
		got, err := All(ctx, q, func(sc Scanner) (int64, error) {
			var id int64
			return id, sc.Scan(&id)
		}, stmt+" RETURNING id", args...)
		if err != nil {
			return nil, Classify(err)
		}
		if len(got) != len(chunk) {
			return nil, fmt.Errorf("%s: INSERT returned %d ids for %d rows", table, len(got), len(chunk))
		}
		slices.Sort(got)
		out = append(out, got...)
	}
	return out, nil
}

// ReserveIDs draws n new ids for table's id column inside tx, so a batch
// can carry ids it knows before its INSERT (register numbers made from the
// id, child rows, audit events) and write explicit ids with InsertMany:
// PostgreSQL draws them from the column's identity sequence (what a plain
// INSERT would get, never given twice); SQLite, whose write transactions
// are serialized (BEGIN IMMEDIATE), continues after the largest id, as a
// plain INSERT into an INTEGER PRIMARY KEY would. Ascending.
func ReserveIDs(ctx context.Context, tx *Tx, table string, n int) ([]int64, error) {
	if n <= 0 {
		return []int64{}, nil
	}
	if tx.Dialect() == Postgres {
		ids, err := All(ctx, tx, func(sc Scanner) (int64, error) {
			var id int64
			return id, sc.Scan(&id)
		}, "SELECT nextval(pg_get_serial_sequence(CAST(? AS TEXT), 'id')) FROM generate_series(1, CAST(? AS INTEGER))", table, n)
		if err != nil {
			return nil, err
		}
		slices.Sort(ids)
		return ids, nil
	}
	var last int64
	if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM "+table).Scan(&last); err != nil {
		return nil, err
	}
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = last + 1 + int64(i)
	}
	return ids, nil
}
