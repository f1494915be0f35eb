// Package jobs runs background work from a jobs table with leases, safe with
// several fazhi processes on one PostgreSQL database: a job is claimed with
// UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) and its handler runs
// in a transaction that first re-checks the lease (the attempt number is the
// fencing token) and finally marks the job done. Database effects of a
// handler therefore happen exactly once; effects outside the database
// (e-mail, SMS) go in AfterCommit and happen at most once per successful run.
// On SQLite the single writer connection serialises claims.
package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"

	"github.com/prometheus/client_golang/prometheus"
)

// Status of a job.
type Status string

const (
	Pending  Status = "pending"
	Running  Status = "running"
	Done     Status = "done"
	Failed   Status = "failed"
	Canceled Status = "canceled"
)

// Label is the Chinese name of a status.
func (s Status) Label() string {
	return map[Status]string{Pending: "待执行", Running: "执行中", Done: "已完成", Failed: "失败", Canceled: "已取消"}[s]
}

// Job is a claimed job as its handler sees it.
type Job struct {
	ID          int64
	Kind        string
	UniqueKey   string
	GroupKey    string
	Payload     json.RawMessage
	Attempt     int // 1 on the first run
	MaxAttempts int
	RunAt       time.Time

	afterCommit []func()
}

// Decode unmarshals the payload into v.
func (j *Job) Decode(v any) error {
	if err := json.Unmarshal(j.Payload, v); err != nil {
		return Permanent(fmt.Errorf("job %d (%s): bad payload: %w", j.ID, j.Kind, err))
	}
	return nil
}

// AfterCommit registers f to run once the handler's transaction committed
// (sending e-mail or SMS). f is not called when the run fails.
func (j *Job) AfterCommit(f func()) { j.afterCommit = append(j.afterCommit, f) }

// Handler does a job's work. For in-transaction kinds q is the transaction
// that also marks the job done; for OutsideTx kinds q is the database.
type Handler func(ctx context.Context, q db.Querier, j *Job) error

// Kind is a job type a module registers.
type Kind struct {
	Name        string
	Handler     Handler
	Timeout     time.Duration // per run; default 2 minutes
	MaxAttempts int           // default 5
	// OutsideTx runs the handler without a surrounding transaction, for long
	// work (report generation, imports) that must not hold the writer. Such
	// a handler must be idempotent: a run that outlives its lease may be
	// repeated by another process.
	OutsideTx bool
	// Backoff returns the delay before attempt n+1 after attempt n failed;
	// default 30s·2^(n-1), at most one hour.
	Backoff func(n int) time.Duration
}

func defaultBackoff(n int) time.Duration {
	d := 30 * time.Second << min(n-1, 10)
	return min(d, time.Hour)
}

type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent marks err as not worth retrying: the job fails at once.
func Permanent(err error) error { return permanent{err} }

// New describes a job to enqueue.
type New struct {
	Kind string
	// UniqueKey, when set, makes the enqueue idempotent: a second job with
	// the same key is not created (whatever the first one's status).
	UniqueKey string
	// GroupKey names the record the job belongs to, for CancelGroup.
	GroupKey    string
	Payload     any
	RunAt       time.Time // zero means now
	MaxAttempts int       // 0 means the default (5)
}

// ms converts to the Unix milliseconds stored in the table.
func ms(t time.Time) int64 { return t.UnixMilli() }

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Enqueue adds a job in q (typically the transaction that changed the
// record the job is about, so the job exists if and only if the change
// committed). created is false when UniqueKey already existed and was not
// canceled; a canceled job with the key is revived (a matter reopened).
func Enqueue(ctx context.Context, q db.Querier, j New) (id int64, created bool, err error) {
	payload, err := j.prepare()
	if err != nil {
		return 0, false, err
	}
	err = q.QueryRow(ctx, `INSERT INTO jobs (kind, unique_key, group_key, payload, status, run_at, max_attempts)
VALUES (?, ?, ?, ?, 'pending', ?, ?)
`+enqueueConflict+`
RETURNING id`,
		j.Kind, nullable(j.UniqueKey), nullable(j.GroupKey), payload, ms(j.RunAt), j.MaxAttempts).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		if err := q.QueryRow(ctx, "SELECT id FROM jobs WHERE unique_key = ?", j.UniqueKey).Scan(&id); err != nil {
			return 0, false, err
		}
		return id, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	return id, true, nil
}

// enqueueConflict: a job whose unique key exists is not created again,
// unless the existing one was canceled (then it is revived).
const enqueueConflict = `ON CONFLICT (unique_key) DO UPDATE SET status = 'pending', payload = excluded.payload, run_at = excluded.run_at,
    group_key = excluded.group_key, attempts = 0, last_error = NULL, finished_at = NULL
  WHERE jobs.status = 'canceled'`

// prepare checks j, fills its defaults and encodes its payload.
func (j *New) prepare() (string, error) {
	if j.Kind == "" {
		return "", errors.New("jobs: kind is required")
	}
	payload := []byte("{}")
	if j.Payload != nil {
		var err error
		if payload, err = json.Marshal(j.Payload); err != nil {
			return "", fmt.Errorf("jobs: payload: %w", err)
		}
	}
	if j.RunAt.IsZero() {
		j.RunAt = time.Now()
	}
	if j.MaxAttempts <= 0 {
		j.MaxAttempts = 5
	}
	return string(payload), nil
}

// EnqueueBatch adds js in q as Enqueue adds each (an existing unique key is
// left alone unless canceled), with multi-row INSERTs: an import schedules
// its records' jobs in a few statements. A unique key given twice in js is
// enqueued once (the last one given).
func EnqueueBatch(ctx context.Context, q db.Querier, js []New) error {
	last := map[string]int{}
	for i := range js {
		if js[i].UniqueKey != "" {
			last[js[i].UniqueKey] = i
		}
	}
	cols := []string{"kind", "unique_key", "group_key", "payload", "status", "run_at", "max_attempts"}
	per := db.RowsPerInsert(q.Dialect(), len(cols))
	var rows [][]any
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		args := make([]any, 0, len(rows)*len(cols))
		for _, r := range rows {
			args = append(args, r...)
		}
		stmt := "INSERT INTO jobs (" + strings.Join(cols, ", ") + ") VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", len(rows)), ", ") + " " + enqueueConflict
		rows = rows[:0]
		_, err := q.Exec(ctx, stmt, args...)
		return err
	}
	for i := range js {
		j := js[i]
		if j.UniqueKey != "" && last[j.UniqueKey] != i {
			continue
		}
		payload, err := j.prepare()
		if err != nil {
			return err
		}
		rows = append(rows, []any{j.Kind, nullable(j.UniqueKey), nullable(j.GroupKey), payload, "pending", ms(j.RunAt), j.MaxAttempts})
		if len(rows) == per {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// CancelGroup cancels every pending job of a group (a record closed before
// its reminders were due) and returns how many.
func CancelGroup(ctx context.Context, q db.Querier, groupKey string) (int64, error) {
	res, err := q.Exec(ctx, "UPDATE jobs SET status = 'canceled', finished_at = ? WHERE group_key = ? AND status = 'pending'", ms(time.Now()), groupKey)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// CancelGroupExcept cancels the pending jobs of a group whose unique keys
// are not in keep (a deadline moved: reminders for the old date go, those
// for the new date stay).
func CancelGroupExcept(ctx context.Context, q db.Querier, groupKey string, keep []string) (int64, error) {
	if len(keep) == 0 {
		return CancelGroup(ctx, q, groupKey)
	}
	args := []any{ms(time.Now()), groupKey}
	for _, k := range keep {
		args = append(args, k)
	}
	in := strings.TrimSuffix(strings.Repeat("?, ", len(keep)), ", ")
	res, err := q.Exec(ctx, "UPDATE jobs SET status = 'canceled', finished_at = ? WHERE group_key = ? AND status = 'pending' AND (unique_key IS NULL OR unique_key NOT IN ("+in+"))", args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Info is a job as administrators and tests see it.
type Info struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	UniqueKey   string    `json:"unique_key"`
	GroupKey    string    `json:"group_key"`
	Status      Status    `json:"status"`
	RunAt       time.Time `json:"run_at"`
	Attempts    int       `json:"attempts"`
	MaxAttempts int       `json:"max_attempts"`
	LockedBy    string    `json:"locked_by"`
	LastError   string    `json:"last_error"`
}

// ListGroup returns the jobs of a group, by run time.
func ListGroup(ctx context.Context, q db.Querier, groupKey string) ([]Info, error) {
	return db.All(ctx, q, scanInfo, `SELECT id, kind, COALESCE(unique_key, ''), COALESCE(group_key, ''), status, run_at, attempts, max_attempts, COALESCE(locked_by, ''), COALESCE(last_error, '')
FROM jobs WHERE group_key = ? ORDER BY run_at, id`, groupKey)
}

func scanInfo(row db.Scanner) (Info, error) {
	var i Info
	var runAt int64
	var st string
	if err := row.Scan(&i.ID, &i.Kind, &i.UniqueKey, &i.GroupKey, &st, &runAt, &i.Attempts, &i.MaxAttempts, &i.LockedBy, &i.LastError); err != nil {
		return i, err
	}
	i.Status = Status(st)
	i.RunAt = time.UnixMilli(runAt).UTC()
	return i, nil
}

var (
	metricRuns = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fazhi_jobs_runs_total", Help: "Background job runs by kind and result (done, retry, failed, lost_lease).",
	}, []string{"kind", "result"})
	metricsOnce sync.Once
)

// Runner claims and runs due jobs of the kinds registered with it.
type Runner struct {
	db     *db.DB
	worker string
	now    func() time.Time

	mu    sync.RWMutex
	kinds map[string]Kind
	// claimSQL, kindArgs and lease are derived from kinds when a kind is
	// registered, so that each poll does not sort names and rebuild SQL.
	claimSQL string
	kindArgs []any
	lease    time.Duration
}

// NewRunner returns a runner for d. Each runner has its own worker id
// (host, process, random suffix) written into the leases it takes.
func NewRunner(d *db.DB) *Runner {
	metricsOnce.Do(func() { _ = prometheus.Register(metricRuns) })
	host, _ := os.Hostname()
	return &Runner{
		db:     d,
		worker: fmt.Sprintf("%s/%d/%08x", host, os.Getpid(), rand.Uint32()),
		now:    time.Now,
		kinds:  map[string]Kind{},
	}
}

// Worker is the id this runner writes into locked_by.
func (r *Runner) Worker() string { return r.worker }

// Register adds a job kind. Registering the same name twice is a wiring bug.
func (r *Runner) Register(k Kind) {
	if k.Name == "" || k.Handler == nil {
		panic("jobs: kind needs a name and a handler")
	}
	if k.Timeout <= 0 {
		k.Timeout = 2 * time.Minute
	}
	if k.MaxAttempts <= 0 {
		k.MaxAttempts = 5
	}
	if k.Backoff == nil {
		k.Backoff = defaultBackoff
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.kinds[k.Name]; dup {
		panic("jobs: kind registered twice: " + k.Name)
	}
	r.kinds[k.Name] = k
	r.prepareLocked()
}

// prepareLocked rebuilds the claim statement for the registered kinds. A
// claimed job's lease covers the longest timeout of any kind, plus a minute.
// The caller holds r.mu for writing.
func (r *Runner) prepareLocked() {
	names := make([]string, 0, len(r.kinds))
	var longest time.Duration
	for n, k := range r.kinds {
		names = append(names, n)
		longest = max(longest, k.Timeout)
	}
	sort.Strings(names)
	r.kindArgs = make([]any, len(names))
	for i, n := range names {
		r.kindArgs[i] = n
	}
	r.lease = longest + time.Minute
	lock := ""
	if r.db.Dialect() == db.Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	in := strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ")
	r.claimSQL = `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = ?, locked_until = ?
WHERE id = (SELECT id FROM jobs
            WHERE ((status = 'pending' AND run_at <= ?) OR (status = 'running' AND locked_until < ?))
              AND kind IN (` + in + `)
            ORDER BY run_at, id LIMIT 1` + lock + `)
RETURNING id, kind, unique_key, group_key, payload, attempts, max_attempts, run_at`
}

// Loop runs due jobs every interval until ctx ends.
func (r *Runner) Loop(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := r.RunDue(ctx); err != nil && ctx.Err() == nil {
			slog.Warn("jobs: poll failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// maxPerPoll bounds one poll so that a backlog does not starve shutdown.
const maxPerPoll = 200

// RunDue claims and runs due jobs one at a time until none is due, and
// returns how many it ran.
func (r *Runner) RunDue(ctx context.Context) (int, error) {
	n := 0
	for n < maxPerPoll && ctx.Err() == nil {
		j, k, err := r.claim(ctx)
		if err != nil {
			return n, err
		}
		if j == nil {
			return n, nil
		}
		r.execute(ctx, j, k)
		n++
	}
	return n, nil
}

// claim takes the lease on the next due job (or one whose lease expired).
func (r *Runner) claim(ctx context.Context) (*Job, Kind, error) {
	r.mu.RLock()
	query, kindArgs, lease := r.claimSQL, r.kindArgs, r.lease
	r.mu.RUnlock()
	if len(kindArgs) == 0 {
		return nil, Kind{}, nil
	}
	now := r.now()
	args := append([]any{r.worker, ms(now.Add(lease)), ms(now), ms(now)}, kindArgs...)
	var (
		j        Job
		uk, gk   *string
		payload  string
		runAt    int64
		maxTries int
	)
	err := r.db.QueryRow(ctx, query, args...).
		Scan(&j.ID, &j.Kind, &uk, &gk, &payload, &j.Attempt, &maxTries, &runAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Kind{}, nil
	}
	if err != nil {
		return nil, Kind{}, err
	}
	if uk != nil {
		j.UniqueKey = *uk
	}
	if gk != nil {
		j.GroupKey = *gk
	}
	j.Payload = json.RawMessage(payload)
	j.MaxAttempts = maxTries
	j.RunAt = time.UnixMilli(runAt).UTC()
	r.mu.RLock()
	k := r.kinds[j.Kind]
	r.mu.RUnlock()
	return &j, k, nil
}

var errLostLease = errors.New("jobs: lease lost")

// execute runs one claimed job and records the outcome.
func (r *Runner) execute(ctx context.Context, j *Job, k Kind) {
	if j.Attempt > j.MaxAttempts {
		// A lease expired after the last allowed attempt (the process died).
		r.finish(ctx, j, k, fmt.Errorf("超过最大尝试次数（%d 次），上次执行未能完成", j.MaxAttempts), true)
		return
	}
	hctx, cancel := context.WithTimeout(ctx, k.Timeout)
	defer cancel()
	var err error
	if k.OutsideTx {
		err = safeRun(hctx, k, r.db, j)
		if err == nil {
			err = r.markDone(ctx, r.db, j)
		}
	} else {
		err = r.db.WithTx(hctx, func(tx *db.Tx) error {
			// Re-check and extend the lease inside the transaction: on
			// PostgreSQL this also locks the row, so no other process can
			// claim it while the handler runs.
			if err := r.fence(hctx, tx, j, ms(r.now().Add(k.Timeout+time.Minute))); err != nil {
				return err
			}
			if err := safeRun(hctx, k, tx, j); err != nil {
				return err
			}
			return r.markDone(hctx, tx, j)
		})
	}
	switch {
	case err == nil:
		metricRuns.WithLabelValues(j.Kind, "done").Inc()
		for _, f := range j.afterCommit {
			f()
		}
	case errors.Is(err, errLostLease):
		metricRuns.WithLabelValues(j.Kind, "lost_lease").Inc()
		slog.Warn("jobs: lease lost, another worker took the job", "job", j.ID, "kind", j.Kind)
	default:
		var p permanent
		r.finish(ctx, j, k, err, errors.As(err, &p))
	}
}

func safeRun(ctx context.Context, k Kind, q db.Querier, j *Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = Permanent(fmt.Errorf("panic: %v", p))
		}
	}()
	return k.Handler(ctx, q, j)
}

func (r *Runner) fence(ctx context.Context, q db.Querier, j *Job, lockedUntil int64) error {
	res, err := q.Exec(ctx, "UPDATE jobs SET locked_until = ? WHERE id = ? AND locked_by = ? AND attempts = ? AND status = 'running'",
		lockedUntil, j.ID, r.worker, j.Attempt)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errLostLease
	}
	return nil
}

func (r *Runner) markDone(ctx context.Context, q db.Querier, j *Job) error {
	res, err := q.Exec(ctx, `UPDATE jobs SET status = 'done', finished_at = ?, locked_by = NULL, locked_until = NULL, last_error = NULL
WHERE id = ? AND locked_by = ? AND attempts = ? AND status = 'running'`, ms(r.now()), j.ID, r.worker, j.Attempt)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errLostLease
	}
	return nil
}

// finish records a failed run: back to pending after the backoff, or failed
// for good when attempts are used up or the error is permanent.
func (r *Runner) finish(ctx context.Context, j *Job, k Kind, cause error, permanent bool) {
	final := permanent || j.Attempt >= j.MaxAttempts
	status, result := Pending, "retry"
	if final {
		status, result = Failed, "failed"
	}
	msg := cause.Error()
	if ae := apperr.As(cause); ae != nil {
		msg = ae.Error()
	}
	if len(msg) > 2000 {
		msg = msg[:2000]
	}
	now := r.now()
	next := now.Add(k.Backoff(j.Attempt))
	var finished any
	if final {
		finished = ms(now)
	}
	// A fresh context: the run's context may be what timed out.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_, err := r.db.Exec(wctx, `UPDATE jobs SET status = ?, run_at = ?, last_error = ?, locked_by = NULL, locked_until = NULL, finished_at = ?
WHERE id = ? AND locked_by = ? AND attempts = ?`, string(status), ms(next), msg, finished, j.ID, r.worker, j.Attempt)
	if err != nil {
		slog.Error("jobs: recording failure failed", "job", j.ID, "kind", j.Kind, "err", err)
	}
	metricRuns.WithLabelValues(j.Kind, result).Inc()
	slog.Warn("jobs: run failed", "job", j.ID, "kind", j.Kind, "attempt", j.Attempt, "final", final, "err", cause)
}
