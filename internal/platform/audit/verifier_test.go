package audit

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/xlsx"
)

func auditor() context.Context {
	return auth.With(context.Background(), &auth.Actor{UserID: 3, Username: "auditor", Name: "审计员",
		Perms: map[string]auth.Scope{"audit.read": {}}})
}

func writeEvents(t *testing.T, d *db.DB, n int) {
	t.Helper()
	ctx := auth.With(context.Background(), &auth.Actor{UserID: 7, Username: "clerk", Name: "办事员"})
	for i := 0; i < n; i++ {
		if err := d.WithTx(ctx, func(tx *db.Tx) error {
			return Record(ctx, tx, Event{Action: "test.write", Summary: fmt.Sprint("事件 ", i)})
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// The chain verification runs in the background: a request queues one run
// (a second request while it waits gets the same run), the worker walks the
// chain and stores the result; an edited event is reported; a run whose
// process stopped shows as interrupted; the request is audited; someone
// without audit.read may neither request nor read.
func TestVerificationRuns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := auditor()
		writeEvents(t, d, 5)
		v := NewVerifier(d, nil)
		r1, err := v.Request(ctx)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := v.Request(ctx)
		if err != nil || r2.ID != r1.ID || r1.Status != "queued" || r1.Total != 5 {
			t.Fatalf("second request: %+v %v (first %+v)", r2, err, r1)
		}
		if !v.runOne(ctx) {
			t.Fatal("queued run not claimed")
		}
		if v.runOne(ctx) {
			t.Fatal("a run claimed twice")
		}
		l, err := v.List(ctx)
		if err != nil || len(l) != 1 {
			t.Fatalf("list: %v %v", l, err)
		}
		if got := l[0]; got.Status != "done" || got.Result == nil || got.Result.Broken != nil || got.Result.Events != 6 || got.Checked != 6 || got.FinishedAt == nil {
			t.Fatalf("finished run: %+v result %+v", got, got.Result)
		}
		var requested int
		d.QueryRow(ctx, "SELECT COUNT(*) FROM audit_events WHERE action = 'audit.verify'").Scan(&requested)
		if requested != 1 {
			t.Fatalf("%d audit events for the request, want 1", requested)
		}

		// Tampering is found by the next run.
		if _, err := d.Exec(ctx, "UPDATE audit_events SET summary = '改过' WHERE seq = 3"); err != nil {
			t.Fatal(err)
		}
		r3, err := v.Request(ctx)
		if err != nil || r3.ID == r1.ID {
			t.Fatalf("new request after a finished run: %+v %v", r3, err)
		}
		v.runOne(ctx)
		got, _ := v.get(ctx, r3.ID)
		if got.Status != "done" || got.Result == nil || got.Result.Broken == nil || got.Result.Broken.Seq != 3 {
			t.Fatalf("tampered chain: %+v %+v", got, got.Result)
		}

		// A running run without a heartbeat for longer than staleAfter is shown
		// as interrupted, and a new request marks it so and queues another.
		v2 := NewVerifier(d, nil)
		r4, _ := v2.Request(ctx)
		old := time.Now().Add(-staleAfter - time.Minute).UTC().Format(timeLayout)
		if _, err := d.Exec(ctx, "UPDATE audit_verifications SET status = 'running', heartbeat_at = ? WHERE id = ?", old, r4.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := v2.get(ctx, r4.ID); got.Status != "failed" || got.Error != interrupted {
			t.Fatalf("stale run shown as %+v", got)
		}
		r5, err := v2.Request(ctx)
		if err != nil || r5.ID == r4.ID || r5.Status != "queued" {
			t.Fatalf("request after a stale run: %+v %v", r5, err)
		}

		clerk := auth.With(context.Background(), &auth.Actor{UserID: 7, Username: "clerk"})
		if _, err := v.Request(clerk); err == nil {
			t.Fatal("a user without audit.read queued a verification")
		}
		if _, err := v.List(clerk); err == nil {
			t.Fatal("a user without audit.read read the verifications")
		}
	})
}

// The viewer pages newest first by keyset (the next cursor walks on with
// the same rows a page number gives), and the export streams the filtered
// events with the export itself audited.
func TestViewerPagesAndExports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := auditor()
		writeEvents(t, d, 7)
		p1, err := List(ctx, d, Filter{Action: "test."}, db.ListReq{Size: 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(p1.Items) != 3 || p1.Items[0].Seq != 7 || p1.Total != 7 || p1.Next == "" {
			t.Fatalf("first page: %d items, first seq %d, total %d, next %q", len(p1.Items), p1.Items[0].Seq, p1.Total, p1.Next)
		}
		p2, err := List(ctx, d, Filter{Action: "test."}, db.ListReq{After: p1.Next, Size: 3})
		if err != nil || len(p2.Items) != 3 || p2.Items[0].Seq != 4 {
			t.Fatalf("second page by cursor: %+v %v", p2.Items, err)
		}
		if _, err := List(ctx, d, Filter{From: "2026-13-01"}, db.ListReq{}); err == nil {
			t.Fatal("a bad date was accepted")
		}
		l, err := ExportSQL(ctx, d, Filter{Q: "事件 1", Action: "test."})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := ExportTo(ctx, d, &buf, l); err != nil {
			t.Fatal(err)
		}
		tab, err := xlsx.Read(buf.Bytes(), xlsx.Options{})
		if err != nil {
			t.Fatal(err)
		}
		// Header and the one event whose summary contains "事件 1".
		if len(tab.Rows) != 2 || tab.Rows[1][5] != "事件 1" {
			t.Fatalf("export rows: %q", tab.Rows)
		}
		var summary string
		d.QueryRow(ctx, "SELECT summary FROM audit_events WHERE action = 'audit.export'").Scan(&summary)
		if summary != "导出审计日志（操作：test.，摘要：事件 1）" {
			t.Fatalf("export audit event: %q", summary)
		}
	})
}
