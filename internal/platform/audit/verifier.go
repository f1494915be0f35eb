package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
)

// Verification is one run of the chain verification requested from the
// viewer. Walking millions of events takes minutes, longer than a request
// may hold a connection, so a request queues a run and a Verifier in one
// of the processes walks the chain in the background, writing its progress.
type Verification struct {
	ID          int64         `json:"id"`
	Status      string        `json:"status" enum:"queued,running,done,failed" doc:"queued 排队中，running 校验中，done 已完成，failed 未完成"`
	StatusLabel string        `json:"status_label"`
	RequestedBy string        `json:"requested_by"`
	RequestedAt time.Time     `json:"requested_at"`
	StartedAt   *time.Time    `json:"started_at,omitempty"`
	FinishedAt  *time.Time    `json:"finished_at,omitempty"`
	Checked     int64         `json:"checked" doc:"已校验的事件数"`
	Total       int64         `json:"total" doc:"发起时日志中的事件数（链头序号）"`
	Result      *VerifyResult `json:"result,omitempty" doc:"完成后的校验结果"`
	Error       string        `json:"error,omitempty"`
}

var verificationLabels = map[string]string{"queued": "排队中", "running": "校验中", "done": "已完成", "failed": "未完成"}

// staleAfter is how long a running verification may go without a heartbeat
// before it is taken as interrupted (its process stopped).
const staleAfter = 2 * time.Minute

// Verifier walks queued verifications, one at a time per process.
type Verifier struct {
	d      *db.DB
	cp     *Checkpointer
	worker string
	wake   chan struct{}
	now    func() time.Time
}

// NewVerifier returns the verifier for d; cp (may be nil) names the
// checkpoint file the chain is compared with.
func NewVerifier(d *db.DB, cp *Checkpointer) *Verifier {
	host, _ := os.Hostname()
	return &Verifier{d: d, cp: cp, worker: host + "/" + strconv.Itoa(os.Getpid()), wake: make(chan struct{}, 1), now: time.Now}
}

func (v *Verifier) stamp() string { return v.now().UTC().Format(timeLayout) }

// Request queues a verification (audit.read), or returns the one already
// queued or running. The request is audited.
func (v *Verifier) Request(ctx context.Context) (*Verification, error) {
	a, err := auth.Require(ctx, "audit.read")
	if err != nil {
		return nil, err
	}
	var id int64
	err = v.d.WithTx(ctx, func(tx *db.Tx) error {
		if err := v.expire(ctx, tx); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, "SELECT id FROM audit_verifications WHERE status IN ('queued', 'running') ORDER BY id DESC LIMIT 1").Scan(&id)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var total int64
		if err := tx.QueryRow(ctx, "SELECT last_seq FROM audit_chain_head WHERE id = 1").Scan(&total); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := tx.QueryRow(ctx, "INSERT INTO audit_verifications (requested_by, requested_at, total) VALUES (?, ?, ?) RETURNING id",
			a.Name, v.stamp(), total).Scan(&id); err != nil {
			return err
		}
		return Record(ctx, tx, Event{Action: "audit.verify", ObjectType: "audit_verification", ObjectID: strconv.FormatInt(id, 10),
			Summary: fmt.Sprintf("发起审计日志哈希链校验（约 %d 条事件）", total)})
	})
	if err != nil {
		return nil, err
	}
	select {
	case v.wake <- struct{}{}:
	default:
	}
	return v.get(ctx, id)
}

// List returns the latest runs, newest first (audit.read).
func (v *Verifier) List(ctx context.Context) ([]Verification, error) {
	if _, err := auth.Require(ctx, "audit.read"); err != nil {
		return nil, err
	}
	return db.All(ctx, v.d, v.scan, selectVerification+" ORDER BY id DESC LIMIT 10")
}

func (v *Verifier) get(ctx context.Context, id int64) (*Verification, error) {
	out, err := v.scan(v.d.QueryRow(ctx, selectVerification+" WHERE id = ?", id))
	return &out, err
}

const selectVerification = `SELECT id, status, requested_by, requested_at, COALESCE(started_at, ''), COALESCE(finished_at, ''),
COALESCE(heartbeat_at, ''), checked, total, result, error FROM audit_verifications`

func (v *Verifier) scan(sc db.Scanner) (Verification, error) {
	var out Verification
	var req, started, finished, beat, result string
	if err := sc.Scan(&out.ID, &out.Status, &out.RequestedBy, &req, &started, &finished, &beat, &out.Checked, &out.Total, &result, &out.Error); err != nil {
		return out, err
	}
	parse := func(s string) *time.Time {
		if t, err := time.Parse(timeLayout, s); err == nil {
			return &t
		}
		return nil
	}
	if t := parse(req); t != nil {
		out.RequestedAt = *t
	}
	out.StartedAt, out.FinishedAt = parse(started), parse(finished)
	// A run whose process stopped shows as interrupted at once, before
	// the next request marks it so.
	if hb := parse(beat); out.Status == "running" && hb != nil && v.now().Sub(*hb) > staleAfter {
		out.Status, out.Error = "failed", interrupted
	}
	if result != "" {
		out.Result = &VerifyResult{}
		if err := json.Unmarshal([]byte(result), out.Result); err != nil {
			return out, err
		}
	}
	out.StatusLabel = verificationLabels[out.Status]
	return out, nil
}

const interrupted = "校验中断：执行校验的进程已停止，请重新发起"

// expire marks running verifications without a recent heartbeat failed.
func (v *Verifier) expire(ctx context.Context, q db.Querier) error {
	_, err := q.Exec(ctx, "UPDATE audit_verifications SET status = 'failed', error = ?, finished_at = ? WHERE status = 'running' AND heartbeat_at < ?",
		interrupted, v.stamp(), v.now().Add(-staleAfter).UTC().Format(timeLayout))
	return err
}

// Run walks queued verifications until ctx ends: at once when this
// process queued one, and every minute for runs queued by another process
// (or left queued by a restart).
func (v *Verifier) Run(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		for v.runOne(ctx) {
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-v.wake:
		}
	}
}

// runOne claims the oldest queued run and walks the chain; false when none
// was queued (or the claim failed).
func (v *Verifier) runOne(ctx context.Context) bool {
	// Every process polls every minute: look on the read pool first, so an
	// empty queue costs no write (SQLite has one writer).
	var id int64
	if err := v.d.QueryRow(ctx, "SELECT id FROM audit_verifications WHERE status = 'queued' LIMIT 1").Scan(&id); err != nil {
		if !errors.Is(err, sql.ErrNoRows) && ctx.Err() == nil {
			slog.Warn("audit: reading the verification queue failed", "err", err)
		}
		return false
	}
	now := v.stamp()
	err := v.d.QueryRow(ctx, `UPDATE audit_verifications SET status = 'running', worker = ?, started_at = ?, heartbeat_at = ?
WHERE id = (SELECT id FROM audit_verifications WHERE status = 'queued' ORDER BY id LIMIT 1) AND status = 'queued' RETURNING id`,
		v.worker, now, now).Scan(&id)
	if err != nil {
		if !errors.Is(err, sql.ErrNoRows) && ctx.Err() == nil {
			slog.Warn("audit: claiming a verification failed", "err", err)
		}
		return false
	}
	var cps []Checkpoint
	if v.cp != nil {
		if cps, err = ReadCheckpoints(v.cp.Path()); err != nil {
			v.finish(id, nil, err)
			return true
		}
	}
	last := time.Time{}
	progress := func(n int64) {
		if time.Since(last) < time.Second {
			return
		}
		last = time.Now()
		if _, err := v.d.Exec(ctx, "UPDATE audit_verifications SET checked = ?, heartbeat_at = ? WHERE id = ?", n, v.stamp(), id); err != nil && ctx.Err() == nil {
			slog.Warn("audit: verification progress not saved", "err", err)
		}
	}
	res, err := Verify(withProgress(ctx, progress), v.d, cps...)
	v.finish(id, res, err)
	return true
}

// finish stores the outcome, with its own context: a run stopped by
// shutdown is still recorded as not finished.
func (v *Verifier) finish(id int64, res *VerifyResult, runErr error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	status, msg, body, checked := "done", "", "", int64(0)
	if runErr != nil {
		status, msg = "failed", "校验未完成："+runErr.Error()
		if errors.Is(runErr, context.Canceled) {
			msg = "校验被中断（服务停止），请重新发起"
		}
	} else {
		b, _ := json.Marshal(res)
		body, checked = string(b), res.Events
	}
	if _, err := v.d.Exec(ctx, "UPDATE audit_verifications SET status = ?, error = ?, result = ?, checked = CASE WHEN ? > 0 THEN ? ELSE checked END, finished_at = ?, heartbeat_at = ? WHERE id = ?",
		status, msg, body, checked, checked, v.stamp(), v.stamp(), id); err != nil {
		slog.Warn("audit: verification result not saved", "id", id, "err", err)
	}
	if res != nil && res.Broken != nil {
		slog.Error("审计日志哈希链校验发现问题", "seq", res.Broken.Seq, "reason", res.Broken.Reason)
	}
}

type progressKey struct{}

// withProgress makes Verify report the number of events checked to fn as it goes.
func withProgress(ctx context.Context, fn func(int64)) context.Context {
	return context.WithValue(ctx, progressKey{}, fn)
}
