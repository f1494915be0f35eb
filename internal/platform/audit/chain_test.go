package audit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fazhi/internal/platform/audit/auditkey"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// started is a database readied by Start with files in a temporary data
// directory, holding n events.
type started struct {
	d  *db.DB
	s  Settings
	cp *Checkpointer
}

func start(t *testing.T, d *db.DB, s Settings) *started {
	t.Helper()
	cp, err := Start(context.Background(), d, s)
	if err != nil {
		t.Fatal(err)
	}
	return &started{d: d, s: s, cp: cp}
}

func settings(t *testing.T) Settings {
	var s Settings
	if err := s.Normalize(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	return s
}

func (st *started) record(t *testing.T, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		if err := st.d.WithTx(ctx, func(tx *db.Tx) error {
			return Record(ctx, tx, Event{Action: "test.write", Summary: fmt.Sprint("事件 ", i), After: map[string]int{"n": i}})
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// verify runs Verify with the keys of st.s and its checkpoint file.
func (st *started) verify(t *testing.T) *VerifyResult {
	t.Helper()
	kr, err := st.s.LoadKeys()
	if err != nil {
		t.Fatal(err)
	}
	st.d.SetAuditKeys(kr)
	cps, err := ReadCheckpoints(st.s.CheckpointFile)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Verify(context.Background(), st.d, cps...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func wantBreak(t *testing.T, res *VerifyResult, seq int64, reason string) {
	t.Helper()
	if res.Broken == nil {
		t.Fatalf("tampering not detected: %+v", res)
	}
	if res.Broken.Seq != seq || !strings.Contains(res.Broken.Error(), reason) {
		t.Fatalf("break at %d %q, want %d and %q", res.Broken.Seq, res.Broken.Error(), seq, reason)
	}
}

func wantClean(t *testing.T, res *VerifyResult, events int64) {
	t.Helper()
	if res.Broken != nil || res.Events != events {
		t.Fatalf("want %d clean events: %+v %v", events, res, res.Broken)
	}
}

func events(t *testing.T, q db.Querier, from int64) []Event {
	t.Helper()
	evs, err := db.All(context.Background(), q, scanEvent, selectEvent+" WHERE seq >= ? ORDER BY seq", from)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// rechain is the attacker with write access to the database but not the
// key: it edits event from (or drops it, renumbering the rest) and
// recomputes every later hash the way the unkeyed chain did (alg sm3) or
// with a key of its own (hmac-sm3 under forged), then moves the head so
// that the table is consistent again.
func rechain(t *testing.T, d *db.DB, from int64, drop bool, forged *auditkey.Keyring) {
	t.Helper()
	ctx := context.Background()
	evs := events(t, d, from)
	var prev Event // seq 0: the chain's start
	if from > 1 {
		prev = events(t, d, from-1)[0]
	}
	if drop {
		if _, err := d.Exec(ctx, "DELETE FROM audit_events WHERE seq = ?", from); err != nil {
			t.Fatal(err)
		}
		evs = evs[1:]
	} else {
		evs[0].Summary = "被改写的摘要"
	}
	for i := range evs {
		ev := &evs[i]
		old := ev.Seq
		ev.Seq = prev.Seq + 1
		ev.PrevHash = prev.Hash
		if forged != nil {
			ev.Alg, ev.KeyID = HMACSM3, forged.Current()
		} else {
			ev.Alg, ev.KeyID = SM3, ""
		}
		h, err := ev.digest(forged)
		if err != nil {
			t.Fatal(err)
		}
		ev.Hash = h
		if _, err := d.Exec(ctx, "UPDATE audit_events SET seq = ?, summary = ?, alg = ?, key_id = ?, prev_hash = ?, hash = ? WHERE seq = ?",
			ev.Seq, ev.Summary, ev.Alg, ev.KeyID, ev.PrevHash, ev.Hash, old); err != nil {
			t.Fatal(err)
		}
		prev = *ev
	}
	if _, err := d.Exec(ctx, "UPDATE audit_chain_head SET last_seq = ?, hash = ? WHERE id = 1", prev.Seq, prev.Hash); err != nil {
		t.Fatal(err)
	}
}

// truncate deletes the events after seq and moves the head back to it.
func truncate(t *testing.T, d *db.DB, seq int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := d.Exec(ctx, "DELETE FROM audit_events WHERE seq > ?", seq); err != nil {
		t.Fatal(err)
	}
	ev := events(t, d, seq)[0]
	if _, err := d.Exec(ctx, "UPDATE audit_chain_head SET last_seq = ?, hash = ? WHERE id = 1", ev.Seq, ev.Hash); err != nil {
		t.Fatal(err)
	}
}

func TestChainAttacksAreDetected(t *testing.T) {
	forged, err := auditkey.New(SM3, []byte("the attacker's own key, 32 bytes"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		attack func(t *testing.T, st *started)
		seq    int64
		reason string
	}{
		{"rewrite and rechain without the key", func(t *testing.T, st *started) { rechain(t, st.d, 5, false, nil) }, 5, "未签名的事件出现在已签名的事件之后"},
		{"rewrite and rechain with another key", func(t *testing.T, st *started) { rechain(t, st.d, 5, false, forged) }, 5, "不在密钥文件中"},
		{"delete a middle row and renumber", func(t *testing.T, st *started) { rechain(t, st.d, 4, true, nil) }, 4, "未签名的事件"},
		{"delete a middle row", func(t *testing.T, st *started) {
			st.d.Exec(context.Background(), "DELETE FROM audit_events WHERE seq = 4")
		}, 5, "序号不连续"},
		{"delete the tail and move the head", func(t *testing.T, st *started) { truncate(t, st.d, 6) }, 9, "其后的事件已被删除"},
		{"rechain everything unkeyed", func(t *testing.T, st *started) { rechain(t, st.d, 1, false, nil) }, 1, "检查点不符"},
		{"edit a checkpoint", func(t *testing.T, st *started) {
			b, _ := os.ReadFile(st.s.CheckpointFile)
			os.WriteFile(st.s.CheckpointFile, []byte(strings.Replace(string(b), `"seq":9`, `"seq":8`, 1)), 0o600)
		}, 8, "签名无效"},
		{"forge a checkpoint", func(t *testing.T, st *started) {
			f, _ := os.OpenFile(st.s.CheckpointFile, os.O_APPEND|os.O_WRONLY, 0)
			fmt.Fprintln(f, `{"seq":3,"hash":"00","at":"2026-01-01T00:00:00Z","key_id":"x","alg":"sm3","mac":"00"}`)
			f.Close()
		}, 3, "签名无效"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				st := start(t, d, settings(t)) // event 1: audit.key.create
				st.record(t, 8)
				st.cp.Close() // the shutdown checkpoint: head at 9
				wantClean(t, st.verify(t), 9)
				c.attack(t, st)
				wantBreak(t, st.verify(t), c.seq, c.reason)
			})
		})
	}
}

func TestChainAcrossRestartAndRotation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := settings(t)
		st := start(t, d, s)
		st.record(t, 3)
		st.cp.Close()
		first := st.d.AuditKeys().Current()

		// Restart: same key, one more checkpoint, the chain goes on.
		st = start(t, d, s)
		st.record(t, 2)
		st.cp.Close()
		wantClean(t, st.verify(t), 6)

		// Rotation: a new key appended to the file; the next start signs
		// with it and records the rotation under it.
		id, err := auditkey.Rotate(s.KeyFile)
		if err != nil || id == first {
			t.Fatalf("rotate: %q %v", id, err)
		}
		st = start(t, d, s)
		if st.d.AuditKeys().Current() != id {
			t.Fatalf("current key %s, want %s", st.d.AuditKeys().Current(), id)
		}
		st.record(t, 2)
		st.cp.Close()
		res := st.verify(t)
		wantClean(t, res, 9)
		var action, key string
		d.QueryRow(ctx, "SELECT action, key_id FROM audit_events WHERE seq = 7").Scan(&action, &key)
		if action != "audit.key.rotate" || key != id {
			t.Fatalf("event 7: %s under %s", action, key)
		}
		if n := len(st.d.AuditKeys().IDs()); n != 2 {
			t.Fatalf("keys after rotation: %d", n)
		}
		if res.Checkpoints < 4 {
			t.Fatalf("checkpoints compared: %d", res.Checkpoints)
		}

		// Without the old key the old events cannot be verified.
		newOnly, err := auditkey.Load("", strings.Fields(lastLine(t, s.KeyFile))[1], SM3)
		if err != nil {
			t.Fatal(err)
		}
		d.SetAuditKeys(newOnly)
		res, err = Verify(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		wantBreak(t, res, 1, "不在密钥文件中")
	})
}

func lastLine(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

// appendLegacy writes events the way fazhi did before the audit key: a
// plain SM3 hash chain.
func appendLegacy(t *testing.T, d *db.DB, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		var last int64
		var prev string
		d.QueryRow(ctx, "SELECT last_seq, hash FROM audit_chain_head WHERE id = 1").Scan(&last, &prev)
		ev := Event{Seq: last + 1, At: time.Now().UTC().Truncate(time.Microsecond), ActorName: "old", Action: "legacy.write",
			Summary: fmt.Sprint("旧事件 ", i), Result: "ok", Alg: SM3, PrevHash: prev}
		h, err := ev.digest(nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `INSERT INTO audit_events (seq, at, actor_name, ip, action, object_type, object_id, summary, before_data, after_data, result, alg, prev_hash, hash)
			VALUES (?, ?, ?, '', ?, '', '', ?, '', '', 'ok', ?, ?, ?)`, ev.Seq, ev.At.Format(timeLayout), ev.ActorName, ev.Action, ev.Summary, ev.Alg, ev.PrevHash, h); err != nil {
			t.Fatal(err)
		}
		d.Exec(ctx, "UPDATE audit_chain_head SET last_seq = ?, hash = ? WHERE id = 1", ev.Seq, h)
	}
}

func TestLegacySegmentVerifiesAndIsPinned(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		appendLegacy(t, d, 4)
		st := start(t, d, settings(t)) // first start with a key: event 5 signs over event 4
		st.record(t, 2)
		st.cp.Close()
		res := st.verify(t)
		wantClean(t, res, 7)
		if res.Legacy != 4 {
			t.Fatalf("legacy events %d, want 4", res.Legacy)
		}
		var action string
		d.QueryRow(ctx, "SELECT action FROM audit_events WHERE seq = 5").Scan(&action)
		if action != "audit.key.create" {
			t.Fatalf("event 5 is %q", action)
		}
		// Rewriting an old event and recomputing the old segment breaks the
		// first signed event, which covers the old segment's last hash.
		evs := events(t, d, 1)[:4]
		evs[1].Summary = "改写的旧事件"
		prev := evs[0].Hash
		for i := 1; i < 4; i++ {
			evs[i].PrevHash = prev
			evs[i].Hash, _ = evs[i].digest(nil)
			d.Exec(ctx, "UPDATE audit_events SET summary = ?, prev_hash = ?, hash = ? WHERE seq = ?", evs[i].Summary, evs[i].PrevHash, evs[i].Hash, evs[i].Seq)
			prev = evs[i].Hash
		}
		wantBreak(t, st.verify(t), 5, "前序签名与上一条事件不符")
	})
}

func TestStartRefusesSignedChainWithoutItsKey(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := settings(t)
		st := start(t, d, s)
		st.record(t, 1)
		os.Rename(s.KeyFile, s.KeyFile+".moved")
		if _, err := Start(context.Background(), d, s); err == nil || !strings.Contains(err.Error(), "找不到审计密钥") {
			t.Fatalf("start without the key: %v", err)
		}
		if _, err := os.Stat(s.KeyFile); err == nil {
			t.Fatal("a fresh key was generated for a signed chain")
		}
		// Another key file is refused too.
		other := filepath.Join(t.TempDir(), "other.key")
		if _, err := auditkey.Create(other, SM3); err != nil {
			t.Fatal(err)
		}
		s.KeyFile = other
		if _, err := Start(context.Background(), d, s); err == nil || !strings.Contains(err.Error(), "没有这个密钥") {
			t.Fatalf("start with another key: %v", err)
		}
	})
}

func TestKeyFileIsPrivateAndRecordNeedsKeys(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := settings(t)
		start(t, d, s)
		st, err := os.Stat(s.KeyFile)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("key file mode: %v %v", st.Mode(), err)
		}
		d.SetAuditKeys(nil)
		err = d.WithTx(context.Background(), func(tx *db.Tx) error { return Record(context.Background(), tx, Event{Action: "test.nokey"}) })
		if err == nil {
			t.Fatal("an event was written without a key")
		}
	})
}
