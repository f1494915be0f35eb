package jobs

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// EnqueueBatch behaves as Enqueue job by job: a pending key is left alone,
// a canceled one revived, a key given twice enqueued once; more jobs than
// one statement holds are all written.
func TestEnqueueBatch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		pending, _, err := Enqueue(ctx, d, New{Kind: "t.b", UniqueKey: "k:pending", GroupKey: "g:1", Payload: map[string]int{"n": 1}})
		if err != nil {
			t.Fatal(err)
		}
		canceled, _, err := Enqueue(ctx, d, New{Kind: "t.b", UniqueKey: "k:canceled", GroupKey: "g:2"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := CancelGroup(ctx, d, "g:2"); err != nil {
			t.Fatal(err)
		}
		at := time.Now().Add(time.Hour)
		js := []New{{Kind: "t.b", UniqueKey: "k:pending", Payload: map[string]int{"n": 2}}, {Kind: "t.b", UniqueKey: "k:canceled", GroupKey: "g:2", RunAt: at},
			{Kind: "t.b", UniqueKey: "k:twice", Payload: map[string]int{"n": 3}}, {Kind: "t.b", UniqueKey: "k:twice", Payload: map[string]int{"n": 4}}}
		for i := range 1100 {
			js = append(js, New{Kind: "t.many", UniqueKey: fmt.Sprint("many:", i), GroupKey: fmt.Sprint("many:", i%7), RunAt: at})
		}
		js = append(js, New{Kind: "t.nokey"}, New{Kind: "t.nokey"})
		if err := d.WithTx(ctx, func(tx *db.Tx) error { return EnqueueBatch(ctx, tx, js) }); err != nil {
			t.Fatal(err)
		}
		var payload string
		if err := d.QueryRow(ctx, "SELECT payload FROM jobs WHERE id = ?", pending).Scan(&payload); err != nil || payload != `{"n":1}` {
			t.Fatalf("a pending key was overwritten: %q %v", payload, err)
		}
		if st, _, runAt, _ := status(t, d, canceled); st != "pending" || runAt != at.UnixMilli() {
			t.Fatalf("a canceled key was not revived: %s %d", st, runAt)
		}
		if err := d.QueryRow(ctx, "SELECT payload FROM jobs WHERE unique_key = 'k:twice'").Scan(&payload); err != nil || payload != `{"n":4}` {
			t.Fatalf("a key given twice: %q %v", payload, err)
		}
		var many, nokey, maxAttempts int
		d.QueryRow(ctx, "SELECT COUNT(*), MIN(max_attempts) FROM jobs WHERE kind = 't.many' AND status = 'pending'").Scan(&many, &maxAttempts)
		d.QueryRow(ctx, "SELECT COUNT(*) FROM jobs WHERE kind = 't.nokey'").Scan(&nokey)
		if many != 1100 || nokey != 2 || maxAttempts != 5 {
			t.Fatalf("many %d, without key %d, max attempts %d", many, nokey, maxAttempts)
		}
		if err := EnqueueBatch(ctx, d, []New{{UniqueKey: "no kind"}}); err == nil {
			t.Fatal("a job without kind was accepted")
		}
	})
}
