package main

import (
	"context"
	"strings"
	"testing"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// fazhi metric verify finds no drift after the demo and a bulk load, finds
// (and exits non-zero on) a ledger row changed behind the counters' back,
// and fazhi metric rebuild mends it.
func TestMetricVerifyAndRebuild(t *testing.T) {
	if code, _, stderr := runCLI(t, "metric"); code != 2 || !strings.Contains(stderr, "用法：fazhi metric verify|rebuild") {
		t.Fatalf("no subcommand: exit %d, %s", code, stderr)
	}
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		if code, stdout, stderr := runCLI(t, "demo", "--db", dsn, "--records", "300"); code != 0 || !strings.Contains(stdout, "指标计数器：用时") {
			t.Fatalf("demo: exit %d\n%s\n%s", code, stdout, stderr)
		}
		if code, stdout, stderr := runCLI(t, "metric", "verify", "--db", dsn); code != 0 || !strings.Contains(stdout, "finding：计数器与台账一致，无偏差") {
			t.Fatalf("verify after demo: exit %d\n%s\n%s", code, stdout, stderr)
		}
		ctx := context.Background()
		d, err := db.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		_, err = d.Exec(ctx, "UPDATE findings SET status = 'closed', rectified_on = '2026-05-06', closed_on = '2026-05-07' WHERE id = (SELECT MIN(id) FROM findings WHERE status <> 'closed')")
		d.Close()
		if err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := runCLI(t, "metric", "verify", "--db", dsn)
		if code != 1 || !strings.Contains(stdout, "个计数器与台账不一致") || !strings.Contains(stdout, "finding.closed D2026-05-07") || !strings.Contains(stderr, "发现偏差") {
			t.Fatalf("verify after a write behind the counters: exit %d\n%s\n%s", code, stdout, stderr)
		}
		if code, stdout, stderr := runCLI(t, "metric", "rebuild", "--db", dsn); code != 0 || !strings.Contains(stdout, "finding：计数器已按台账重建") {
			t.Fatalf("rebuild: exit %d\n%s\n%s", code, stdout, stderr)
		}
		if code, stdout, stderr := runCLI(t, "metric", "verify", "--db", dsn); code != 0 {
			t.Fatalf("verify after rebuild: exit %d\n%s\n%s", code, stdout, stderr)
		}
	})
}
