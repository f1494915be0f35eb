package audit

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"fazhi/internal/platform/audit/auditkey"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

func TestConcurrentAppendsKeepOneChain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := auth.With(context.Background(), &auth.Actor{UserID: 7, Username: "tester", IP: "10.9.9.9"})
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- d.WithTx(ctx, func(tx *db.Tx) error {
					return Record(ctx, tx, Event{Action: "test.write", Summary: fmt.Sprint("事件 ", i), Before: map[string]int{"n": i}, After: map[string]int{"n": i + 1}})
				})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		res, err := Verify(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if res.Broken != nil || res.Events != 40 {
			t.Fatalf("events %d, broken %v", res.Events, res.Broken)
		}
		var ip, actor string
		d.QueryRow(ctx, "SELECT ip, actor_name FROM audit_events WHERE seq = 1").Scan(&ip, &actor)
		if ip != "10.9.9.9" || actor != "tester" {
			t.Fatalf("actor/ip from ctx not recorded: %q %q", actor, ip)
		}
	})
}

func TestRolledBackEventLeavesNoTrace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		_ = d.WithTx(ctx, func(tx *db.Tx) error {
			if err := Record(ctx, tx, Event{Action: "test.write"}); err != nil {
				t.Fatal(err)
			}
			return fmt.Errorf("business rule failed")
		})
		if err := d.WithTx(ctx, func(tx *db.Tx) error { return Record(ctx, tx, Event{Action: "test.ok"}) }); err != nil {
			t.Fatal(err)
		}
		res, err := Verify(ctx, d)
		if err != nil || res.Broken != nil || res.Events != 1 {
			t.Fatalf("after rollback: %+v %v", res, err)
		}
	})
}

func TestAlgorithmsMixInOneChain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		// The hash is a setting of the key ring (Config's --audit-hash), not
		// a global: each event records the MAC it was signed with.
		secret := []byte("one secret, two hash functions")
		for i, alg := range []string{SM3, SHA256, SM3} {
			kr, err := auditkey.New(alg, secret)
			if err != nil {
				t.Fatal(err)
			}
			d.SetAuditKeys(kr)
			if err := d.WithTx(ctx, func(tx *db.Tx) error { return Record(ctx, tx, Event{Action: "test.alg", Summary: fmt.Sprint(i)}) }); err != nil {
				t.Fatal(err)
			}
		}
		var h string
		d.QueryRow(ctx, "SELECT alg FROM audit_events WHERE seq = 2").Scan(&h)
		if h != HMACSHA256 {
			t.Fatalf("alg of event 2 = %q", h)
		}
		res, err := Verify(ctx, d)
		if err != nil || res.Broken != nil || res.Events != 3 {
			t.Fatalf("%+v %v", res, err)
		}
		d.Exec(ctx, "UPDATE audit_events SET alg = 'hmac-sm3' WHERE seq = 2")
		if res, _ := Verify(ctx, d); res.Broken == nil || res.Broken.Seq != 2 {
			t.Fatalf("switching an event's algorithm not detected: %+v", res.Broken)
		}
	})
}

// TestSimulatedClockStampsEvents: an event written under a simulated clock
// (the demo loader) carries the simulated time, one written without it the
// wall clock, and the chain mixing both still verifies.
func TestSimulatedClockStampsEvents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		before := time.Now().Add(-time.Second)
		sctx, sim := clock.Simulate(ctx)
		sim.At(calendar.MustDate("2026-02-16"), 10)
		for i, c := range []context.Context{ctx, sctx, ctx} {
			if err := d.WithTx(c, func(tx *db.Tx) error { return Record(c, tx, Event{Action: fmt.Sprint("test.", i)}) }); err != nil {
				t.Fatal(err)
			}
		}
		evs, err := db.All(ctx, d, scanListed, selectEvent+" ORDER BY seq")
		if err != nil {
			t.Fatal(err)
		}
		at := map[string]time.Time{}
		for _, ev := range evs {
			at[ev.Action] = ev.At
		}
		if want := time.Date(2026, 2, 16, 2, 0, 0, 0, time.UTC); !at["test.1"].Equal(want) {
			t.Errorf("simulated event at %s, want %s", at["test.1"], want)
		}
		for _, a := range []string{"test.0", "test.2"} {
			if at[a].Before(before) || at[a].After(time.Now().Add(time.Second)) {
				t.Errorf("%s at %s, want the wall clock", a, at[a])
			}
		}
		res, err := Verify(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if res.Broken != nil || res.Events != 3 {
			t.Fatalf("events %d, broken %v", res.Events, res.Broken)
		}
	})
}
