package audit

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// A batch (longer than one INSERT statement) between single events makes
// one unbroken chain: one event per record, in order, each with the actor;
// editing an event in the middle of the batch breaks it there; a batch
// whose transaction rolls back leaves the head where it was.
func TestRecordBatchChains(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := auth.With(context.Background(), &auth.Actor{UserID: 7, Username: "tester", Name: "测试员", IP: "10.1.2.3"})
		one := func(i int) {
			if err := d.WithTx(ctx, func(tx *db.Tx) error {
				return Record(ctx, tx, Event{Action: "test.one", Summary: fmt.Sprint("单条 ", i)})
			}); err != nil {
				t.Fatal(err)
			}
		}
		one(1)
		one(2)
		const n = 1203 // three statements (500 rows a statement)
		evs := make([]Event, n)
		for i := range evs {
			evs[i] = Event{Action: "test.import", ObjectType: "thing", ObjectID: strconv.Itoa(i + 1), UnitID: int64(i%3 + 1),
				Summary: fmt.Sprint("导入 ", i+1), After: map[string]int{"n": i}}
		}
		if err := d.WithTx(ctx, func(tx *db.Tx) error { return RecordBatch(ctx, tx, evs) }); err != nil {
			t.Fatal(err)
		}
		one(3)
		_ = d.WithTx(ctx, func(tx *db.Tx) error {
			if err := RecordBatch(ctx, tx, []Event{{Action: "test.gone"}, {Action: "test.gone"}}); err != nil {
				t.Fatal(err)
			}
			return fmt.Errorf("roll back")
		})
		if err := d.WithTx(ctx, func(tx *db.Tx) error { return RecordBatch(ctx, tx, []Event{{Action: "test.ok"}, {Action: ""}}) }); err == nil {
			t.Fatal("an event without action was recorded")
		}
		one(4)
		res, err := Verify(ctx, d)
		if err != nil || res.Broken != nil || res.Events != n+4 {
			t.Fatalf("verify: %+v %v", res, err)
		}
		var seq int64
		var actor, ip, obj, after string
		if err := d.QueryRow(ctx, "SELECT seq, actor_name, ip, object_id, after_data FROM audit_events WHERE action = 'test.import' AND object_id = '600'").
			Scan(&seq, &actor, &ip, &obj, &after); err != nil {
			t.Fatal(err)
		}
		if seq != 2+600 || actor != "tester（测试员）" || ip != "10.1.2.3" || after != `{"n":599}` {
			t.Fatalf("event 600: seq %d %q %q %q", seq, actor, ip, after)
		}
		if _, err := d.Exec(ctx, "UPDATE audit_events SET summary = '改过' WHERE seq = ?", seq); err != nil {
			t.Fatal(err)
		}
		res, err = Verify(ctx, d)
		if err != nil || res.Broken == nil || res.Broken.Seq != seq {
			t.Fatalf("an edited batch event was not found: %+v %v", res, err)
		}
	})
}
