package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// fazhi demo --records N loads the demo, then N bulk findings spread over
// the demo district's units, and says so; the same seed gives the same rows.
func TestDemoRecords(t *testing.T) {
	if code, _, stderr := runCLI(t, "demo", "--db", filepath.Join(t.TempDir(), "x.db"), "--records", "-1"); code == 0 || !strings.Contains(stderr, "--records 应在 0 到 50000000 之间") {
		t.Fatalf("negative --records: exit %d, %s", code, stderr)
	}
	var first string
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		code, stdout, stderr := runCLI(t, "demo", "--db", dsn, "--records", "500", "--seed", "3")
		if code != 0 || !strings.Contains(stdout, "问题台账：批量生成 500 条") || !strings.Contains(stdout, "ANALYZE：用时") {
			t.Fatalf("demo --records: exit %d\n%s\n%s", code, stdout, stderr)
		}
		d, err := db.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		var n, units, strays int
		var codes string
		err = d.QueryRow(ctx, `SELECT COUNT(*), COUNT(DISTINCT unit_id),
			SUM(CASE WHEN unit_id IN (SELECT id FROM org_units WHERE status = 'active') THEN 0 ELSE 1 END)
			FROM findings WHERE description = '（批量演示数据）'`).Scan(&n, &units, &strays)
		if err != nil {
			t.Fatal(err)
		}
		if n != 500 || units < 5 || strays != 0 {
			t.Fatalf("bulk findings: %d rows over %d units, %d outside the active units", n, units, strays)
		}
		if err := d.QueryRow(ctx, `SELECT MIN(title || '|' || unit_id || '|' || found_on) FROM findings WHERE description = '（批量演示数据）'`).Scan(&codes); err != nil {
			t.Fatal(err)
		}
		if first == "" {
			first = codes
		} else if codes != first {
			t.Errorf("seed 3 gave %q on one database and %q on the other", first, codes)
		}
	})
}
