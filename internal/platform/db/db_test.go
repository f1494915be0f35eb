package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/testenv"
)

func TestRebind(t *testing.T) {
	cases := []struct{ in, pg string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = $2"},
		{"SELECT '?' , ? FROM t", "SELECT '?' , $1 FROM t"},
		{"UPDATE t SET a = ?, b = 'it''s ?' WHERE id = ?", "UPDATE t SET a = $1, b = 'it''s ?' WHERE id = $2"},
	}
	for _, c := range cases {
		if got := Rebind(Postgres, c.in); got != c.pg {
			t.Errorf("Rebind(%q) = %q, want %q", c.in, got, c.pg)
		}
		if got := Rebind(SQLite, c.in); got != c.in {
			t.Errorf("SQLite Rebind changed %q to %q", c.in, got)
		}
	}
}

func TestPageLimit(t *testing.T) {
	for _, c := range []struct {
		p           Page
		limit, offs int
	}{{Page{}, 20, 0}, {Page{Page: 3, Size: 10}, 10, 20}, {Page{Page: -1, Size: 100000}, MaxPageSize, 0}} {
		l, o := c.p.Limit()
		if l != c.limit || o != c.offs {
			t.Errorf("%+v.Limit() = %d,%d want %d,%d", c.p, l, o, c.limit, c.offs)
		}
	}
}

// each runs fn on a fresh SQLite file and, when FAZHI_TEST_PG is set, on a
// fresh PostgreSQL database (the shared dbtest package builds on this idea;
// it cannot be used here because it imports db). The DSN is the one the
// harness reads for every test, testenv.PGBase.
func each(t *testing.T, fn func(t *testing.T, d *DB)) {
	t.Run("sqlite", func(t *testing.T) {
		d, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		fn(t, d)
	})
	base := testenv.PGBase
	if base == "" {
		return
	}
	t.Run("postgres", func(t *testing.T) {
		ctx := context.Background()
		admin, err := Open(ctx, base)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		name := fmt.Sprintf("fazhi_dbtest_%d", rand.Int64())
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
			t.Fatal(err)
		}
		defer admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		dsn := replaceDBName(base, name)
		d, err := Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		fn(t, d)
	})
}

func replaceDBName(dsn, name string) string {
	q := ""
	if i := strings.Index(dsn, "?"); i >= 0 {
		dsn, q = dsn[:i], dsn[i:]
	}
	i := strings.LastIndex(dsn, "/")
	return dsn[:i+1] + name + q
}

func TestMigrateAndQuery(t *testing.T) {
	each(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		n, err := d.Migrate(ctx)
		if err != nil || n == 0 {
			t.Fatalf("first migrate: n=%d err=%v", n, err)
		}
		n, err = d.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second migrate should apply nothing: n=%d err=%v", n, err)
		}
		if _, err := d.Exec(ctx, "INSERT INTO app_meta (key, value) VALUES (?, ?)", "k", "值"); err != nil {
			t.Fatal(err)
		}
		var v string
		if err := d.QueryRow(ctx, "SELECT value FROM app_meta WHERE key = ?", "k").Scan(&v); err != nil || v != "值" {
			t.Fatalf("read back %q, %v", v, err)
		}
		// A duplicate key is a conflict users can understand, not an internal error.
		_, err = d.Exec(ctx, "INSERT INTO app_meta (key, value) VALUES (?, ?)", "k", "x")
		if !apperr.Is(Classify(err), apperr.Conflict) {
			t.Fatalf("duplicate insert: want conflict, got %v", err)
		}
		// A failed transaction leaves nothing behind.
		err = d.WithTx(ctx, func(tx *Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO app_meta (key, value) VALUES (?, ?)", "t1", "a"); err != nil {
				return err
			}
			return apperr.New(apperr.Invalid, "故意失败")
		})
		if !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("WithTx returned %v", err)
		}
		var cnt int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM app_meta WHERE key = ?", "t1").Scan(&cnt); err != nil || cnt != 0 {
			t.Fatalf("rolled-back row is visible: %d %v", cnt, err)
		}
	})
}

func TestRefusesNewerSchema(t *testing.T) {
	each(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		if _, err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		_, bin, err := d.SchemaVersions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Pretend a newer fazhi migrated this database.
		if _, err := d.Exec(ctx, "INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)", bin+100, true); err != nil {
			t.Fatal(err)
		}
		_, err = d.Migrate(ctx)
		if err == nil || !strings.Contains(err.Error(), "高于本程序支持") {
			t.Fatalf("want refusal of newer schema, got %v", err)
		}
	})
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := Open(ctx, "/proc/nonexistent/dir/x.db"); err == nil || !strings.Contains(err.Error(), "数据目录") {
		t.Fatalf("unwritable directory: got %v", err)
	}
	if _, err := Open(ctx, "postgres://nobody@127.0.0.1:1/none?connect_timeout=2"); err == nil || !strings.Contains(err.Error(), "无法连接 PostgreSQL") {
		t.Fatalf("unreachable PostgreSQL: got %v", err)
	}
}

func TestAll(t *testing.T) {
	each(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		if _, err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		type kv struct{ K, V string }
		scan := func(sc Scanner) (kv, error) {
			var r kv
			err := sc.Scan(&r.K, &r.V)
			return r, err
		}
		const q = "SELECT key, value FROM app_meta WHERE key LIKE ? ORDER BY key"
		got, err := All(ctx, d, scan, q, "all_%")
		if err != nil {
			t.Fatal(err)
		}
		if got == nil || len(got) != 0 {
			t.Fatalf("no rows: want empty non-nil slice, got %#v", got)
		}
		if b, _ := json.Marshal(got); string(b) != "[]" {
			t.Fatalf("no rows encode as %s, want []", b)
		}
		for _, k := range []string{"all_b", "all_a"} {
			if _, err := d.Exec(ctx, "INSERT INTO app_meta (key, value) VALUES (?, ?)", k, "值"+k); err != nil {
				t.Fatal(err)
			}
		}
		// Inside a transaction too (Tx is a Querier).
		err = d.WithTx(ctx, func(tx *Tx) error {
			got, err = All(ctx, tx, scan, q, "all_%")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []kv{{"all_a", "值all_a"}, {"all_b", "值all_b"}}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		// A scan error stops the loop and is returned.
		bad := func(sc Scanner) (kv, error) {
			var n int
			return kv{}, sc.Scan(&n)
		}
		if _, err := All(ctx, d, bad, q, "all_%"); err == nil {
			t.Fatal("scan with wrong column count: want error")
		}
		// A query error is returned.
		if _, err := All(ctx, d, scan, "SELECT key, value FROM no_such_table"); err == nil {
			t.Fatal("missing table: want error")
		}
	})
}

// A release may bring a migration numbered below the newest one an
// installation has applied (owners number in blocks): it is applied, not
// refused.
func TestMigrateAppliesOutOfOrder(t *testing.T) {
	each(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		if _, err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		// Pretend 00030 arrived after the newer ones were applied.
		if _, err := d.Exec(ctx, "DELETE FROM goose_db_version WHERE version_id = 30"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, "DROP INDEX findings_status_id"); err != nil {
			t.Fatal(err)
		}
		n, err := d.Migrate(ctx)
		if err != nil || n != 1 {
			t.Fatalf("out-of-order migration: applied %d, %v", n, err)
		}
		var cnt int
		q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'findings_status_id'"
		if d.Dialect() == Postgres {
			q = "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'findings_status_id'"
		}
		if err := d.QueryRow(ctx, q).Scan(&cnt); err != nil || cnt != 1 {
			t.Fatalf("index from the late migration: %d %v", cnt, err)
		}
	})
}

// The SQLite tuning reaches every connection of both pools, the read pool is
// sized from the core count, migrations leave planner statistics behind, and
// Optimize runs.
func TestSQLiteTuning(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if got := d.r.Stats().MaxOpenConnections; got != ReadPoolSize() || got < 4 {
		t.Fatalf("read pool %d, want %d", got, ReadPoolSize())
	}
	for name, pool := range map[string]interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}{"writer": d.w, "reader": d.r} {
		for pragma, want := range map[string]int64{"mmap_size": 1 << 30, "cache_size": -32768, "temp_store": 2} {
			var got int64
			if err := pool.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil || got != want {
				t.Errorf("%s: PRAGMA %s = %d (%v), want %d", name, pragma, got, err, want)
			}
		}
	}
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("no planner statistics after migrating: %d %v", n, err)
	}
	if err := d.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
}
