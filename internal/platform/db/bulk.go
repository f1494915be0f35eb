package db

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// bulkRowsPerStatement is how many rows one SQLite INSERT carries (SQLite
// allows 32,766 parameters per statement).
const bulkRowsPerStatement = 200

// CopyIn loads rows into table's cols as fast as the database allows: COPY
// on PostgreSQL, multi-row INSERTs in one transaction on SQLite. It is for
// bulk loads (demo data at scale, benchmarks, imports), all or nothing. When
// cols holds "id", PostgreSQL's identity sequence is moved past the largest
// id afterwards, so later inserts do not collide. Statistics are refreshed
// with Analyze once the load is done (the caller does it after its last table).
func (d *DB) CopyIn(ctx context.Context, table string, cols []string, rows iter.Seq[[]any]) (int64, error) {
	if d.dialect == Postgres {
		return d.copyPG(ctx, table, cols, rows)
	}
	return d.insertSQLite(ctx, table, cols, rows)
}

func (d *DB) copyPG(ctx context.Context, table string, cols []string, rows iter.Seq[[]any]) (int64, error) {
	conn, err := d.w.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	next, stop := iter.Pull(rows)
	defer stop()
	var n int64
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		var cur []any
		src := pgx.CopyFromFunc(func() ([]any, error) {
			row, ok := next()
			if !ok {
				return nil, nil
			}
			cur = row
			return cur, nil
		})
		var err error
		n, err = pc.CopyFrom(ctx, pgx.Identifier{table}, cols, src)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("COPY %s: %w", table, err)
	}
	if slices.Contains(cols, "id") {
		_, err = d.w.ExecContext(ctx, fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))", table, table))
	}
	return n, err
}

func (d *DB) insertSQLite(ctx context.Context, table string, cols []string, rows iter.Seq[[]any]) (n int64, err error) {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	full := head + strings.TrimSuffix(strings.Repeat(one+", ", bulkRowsPerStatement), ", ")
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	stmt, err := tx.PrepareContext(ctx, full)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	args := make([]any, 0, len(cols)*bulkRowsPerStatement)
	pending := 0
	flush := func(s *sql.Stmt, q string) error {
		var err error
		if s != nil {
			_, err = s.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, q, args...)
		}
		n += int64(pending)
		args, pending = args[:0], 0
		return err
	}
	for row := range rows {
		if len(row) != len(cols) {
			return n, fmt.Errorf("%s: row has %d values for %d columns", table, len(row), len(cols))
		}
		args = append(args, row...)
		pending++
		if pending == bulkRowsPerStatement {
			if err := flush(stmt, ""); err != nil {
				return n, err
			}
		}
	}
	if pending > 0 {
		if err := flush(nil, head+strings.TrimSuffix(strings.Repeat(one+", ", pending), ", ")); err != nil {
			return n, err
		}
	}
	return n, tx.Commit()
}
