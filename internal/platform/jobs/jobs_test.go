package jobs

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

func status(t *testing.T, d *db.DB, id int64) (st string, attempts int, runAt int64, lastErr string) {
	t.Helper()
	var le *string
	if err := d.QueryRow(context.Background(), "SELECT status, attempts, run_at, last_error FROM jobs WHERE id = ?", id).Scan(&st, &attempts, &runAt, &le); err != nil {
		t.Fatal(err)
	}
	if le != nil {
		lastErr = *le
	}
	return
}

func TestEnqueueDedupeAndRun(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		id1, created, err := Enqueue(ctx, d, New{Kind: "t.echo", UniqueKey: "rec:1:due:3d", GroupKey: "rec:1", Payload: map[string]int{"n": 7}})
		if err != nil || !created {
			t.Fatalf("first enqueue: %v %v", created, err)
		}
		// Same key again, also inside a transaction (PostgreSQL must not abort it).
		err = d.WithTx(ctx, func(tx *db.Tx) error {
			id2, created, err := Enqueue(ctx, tx, New{Kind: "t.echo", UniqueKey: "rec:1:due:3d", Payload: map[string]int{"n": 8}})
			if err != nil {
				return err
			}
			if created || id2 != id1 {
				t.Errorf("duplicate enqueue: created=%v id=%d want id %d", created, id2, id1)
			}
			_, _, err = Enqueue(ctx, tx, New{Kind: "t.echo", Payload: map[string]int{"n": 9}, RunAt: time.Now().Add(time.Hour)})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var total int
		d.QueryRow(ctx, "SELECT COUNT(*) FROM jobs").Scan(&total)
		if total != 2 {
			t.Fatalf("jobs = %d, want 2", total)
		}

		r := NewRunner(d)
		var seen []int
		var committed atomic.Int32
		r.Register(Kind{Name: "t.echo", Handler: func(ctx context.Context, q db.Querier, j *Job) error {
			var p struct{ N int }
			if err := j.Decode(&p); err != nil {
				return err
			}
			seen = append(seen, p.N)
			j.AfterCommit(func() { committed.Add(1) })
			return nil
		}})
		n, err := r.RunDue(ctx)
		if err != nil || n != 1 {
			t.Fatalf("RunDue = %d, %v; want 1 (the other job is an hour away)", n, err)
		}
		if len(seen) != 1 || seen[0] != 7 || committed.Load() != 1 {
			t.Fatalf("handler saw %v, after-commit ran %d times", seen, committed.Load())
		}
		if st, attempts, _, _ := status(t, d, id1); st != "done" || attempts != 1 {
			t.Fatalf("job: %s after %d attempts", st, attempts)
		}
		if n, _ := r.RunDue(ctx); n != 0 {
			t.Fatalf("a done job ran again (%d)", n)
		}
		// A done job's key still blocks a new enqueue: reminders are sent once.
		if _, created, _ := Enqueue(ctx, d, New{Kind: "t.echo", UniqueKey: "rec:1:due:3d"}); created {
			t.Fatal("re-enqueue of a done unique key created a job")
		}
	})
}

func TestRetryBackoffAndPermanentFailure(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := NewRunner(d)
		now := time.Now()
		r.now = func() time.Time { return now }
		var calls int
		r.Register(Kind{Name: "t.flaky", MaxAttempts: 3, Backoff: func(n int) time.Duration { return time.Duration(n) * time.Minute },
			Handler: func(ctx context.Context, q db.Querier, j *Job) error {
				calls++
				// The write must roll back with the failure.
				if _, err := q.Exec(ctx, "INSERT INTO notifications (user_id, title) VALUES (1, 'x')"); err != nil {
					return err
				}
				return errors.New("上游暂不可用")
			}})
		r.Register(Kind{Name: "t.bad", Handler: func(ctx context.Context, q db.Querier, j *Job) error {
			return Permanent(errors.New("数据不完整"))
		}})
		id, _, _ := Enqueue(ctx, d, New{Kind: "t.flaky", MaxAttempts: 3, RunAt: now})
		bad, _, _ := Enqueue(ctx, d, New{Kind: "t.bad", RunAt: now})
		r.RunDue(ctx)
		st, attempts, runAt, le := status(t, d, id)
		if st != "pending" || attempts != 1 || runAt != now.Add(time.Minute).UnixMilli() || le != "上游暂不可用" {
			t.Fatalf("after first failure: %s %d %d %q", st, attempts, runAt, le)
		}
		if st, attempts, _, le := status(t, d, bad); st != "failed" || attempts != 1 || le != "数据不完整" {
			t.Fatalf("permanent failure: %s %d %q", st, attempts, le)
		}
		var n int
		d.QueryRow(ctx, "SELECT COUNT(*) FROM notifications").Scan(&n)
		if n != 0 {
			t.Fatal("a failed run's writes were committed")
		}
		// Not yet due: nothing runs.
		if ran, _ := r.RunDue(ctx); ran != 0 {
			t.Fatal("ran before backoff elapsed")
		}
		for i := 0; i < 5; i++ {
			now = now.Add(time.Hour)
			r.RunDue(ctx)
		}
		if st, attempts, _, _ := status(t, d, id); st != "failed" || attempts != 3 || calls != 3 {
			t.Fatalf("after max attempts: %s attempts=%d calls=%d", st, attempts, calls)
		}
	})
}

// TestLeaseExpiry: a worker that claimed a job and stalled past its lease
// loses it; the job runs once, by the worker that took it over, and the
// stalled worker's late completion is refused.
func TestLeaseExpiry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var runs atomic.Int32
		h := func(ctx context.Context, q db.Querier, j *Job) error { runs.Add(1); return nil }
		a, b := NewRunner(d), NewRunner(d)
		a.Register(Kind{Name: "t.x", Handler: h, Timeout: time.Second})
		b.Register(Kind{Name: "t.x", Handler: h, Timeout: time.Second})
		id, _, _ := Enqueue(ctx, d, New{Kind: "t.x"})
		ja, ka, err := a.claim(ctx)
		if err != nil || ja == nil || ja.ID != id {
			t.Fatalf("a claims: %v %v", ja, err)
		}
		if jb, _, _ := b.claim(ctx); jb != nil {
			t.Fatal("b claimed a job under a's lease")
		}
		// a stalls past its lease; b takes over.
		later := time.Now().Add(10 * time.Minute)
		b.now = func() time.Time { return later }
		jb, kb, err := b.claim(ctx)
		if err != nil || jb == nil || jb.Attempt != 2 {
			t.Fatalf("b should take over the expired lease: %+v %v", jb, err)
		}
		b.execute(ctx, jb, kb)
		a.execute(ctx, ja, ka) // late: fenced out
		if runs.Load() != 1 {
			t.Fatalf("handler ran %d times, want 1", runs.Load())
		}
		if st, attempts, _, _ := status(t, d, id); st != "done" || attempts != 2 {
			t.Fatalf("job: %s %d", st, attempts)
		}
	})
}

func TestCancelGroup(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		later := time.Now().Add(time.Hour)
		Enqueue(ctx, d, New{Kind: "k", UniqueKey: "a1", GroupKey: "g", RunAt: later})
		Enqueue(ctx, d, New{Kind: "k", UniqueKey: "a2", GroupKey: "g", RunAt: later})
		Enqueue(ctx, d, New{Kind: "k", UniqueKey: "b1", GroupKey: "h", RunAt: later})
		if n, err := CancelGroupExcept(ctx, d, "g", []string{"a2"}); err != nil || n != 1 {
			t.Fatalf("cancel except: %d %v", n, err)
		}
		if n, err := CancelGroup(ctx, d, "g"); err != nil || n != 1 {
			t.Fatalf("cancel group: %d %v", n, err)
		}
		js, _ := ListGroup(ctx, d, "g")
		if len(js) != 2 || js[0].Status != Canceled || js[1].Status != Canceled {
			t.Fatalf("group g: %+v", js)
		}
		// A canceled job's key can be scheduled again (the matter reopened).
		if _, created, err := Enqueue(ctx, d, New{Kind: "k", UniqueKey: "a1", GroupKey: "g", RunAt: later}); err != nil || !created {
			t.Fatalf("revive canceled: %v %v", created, err)
		}
		if js, _ := ListGroup(ctx, d, "g"); js[0].Status != Pending || js[1].Status != Canceled {
			t.Fatalf("after revive: %+v", js)
		}
		hs, _ := ListGroup(ctx, d, "h")
		if len(hs) != 1 || hs[0].Status != Pending {
			t.Fatalf("group h untouched: %+v", hs)
		}
	})
}

// TestConcurrentRunners: several runners, each with its own connection
// pool, drain one queue; every job runs exactly once. On PostgreSQL this
// exercises FOR UPDATE SKIP LOCKED; on SQLite the writer serialises.
func TestConcurrentRunners(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		const jobsN = 120
		for i := 0; i < jobsN; i++ {
			if _, _, err := Enqueue(ctx, d, New{Kind: "t.count", Payload: map[string]int{"i": i}}); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		ran := map[int]int{}
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			pool, err := db.Open(ctx, d.DSN())
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Close()
			r := NewRunner(pool)
			r.Register(Kind{Name: "t.count", Handler: func(ctx context.Context, q db.Querier, j *Job) error {
				var p struct{ I int }
				if err := j.Decode(&p); err != nil {
					return err
				}
				if _, err := q.Exec(ctx, "INSERT INTO notifications (user_id, title) VALUES (?, 'x')", p.I); err != nil {
					return err
				}
				mu.Lock()
				ran[p.I]++
				mu.Unlock()
				return nil
			}})
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					n, err := r.RunDue(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					if n == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		if len(ran) != jobsN {
			t.Fatalf("%d distinct jobs ran, want %d", len(ran), jobsN)
		}
		for i, c := range ran {
			if c != 1 {
				t.Fatalf("job %d ran %d times", i, c)
			}
		}
		var notes, done, multi int
		d.QueryRow(ctx, "SELECT COUNT(*) FROM notifications").Scan(&notes)
		d.QueryRow(ctx, "SELECT COUNT(*) FROM jobs WHERE status = 'done'").Scan(&done)
		d.QueryRow(ctx, "SELECT COUNT(*) FROM jobs WHERE attempts <> 1").Scan(&multi)
		if notes != jobsN || done != jobsN || multi != 0 {
			t.Fatalf("notifications=%d done=%d jobs with attempts≠1: %d", notes, done, multi)
		}
	})
}
