// Package db opens fazhi's database (embedded SQLite by default, PostgreSQL
// when the DSN says so), applies migrations and hides the few dialect
// differences behind small helpers. Stores write plain SQL with '?'
// placeholders; Rebind turns them into $n for PostgreSQL.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit/auditkey"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// Dialect names the SQL dialect in use.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DefaultPath is where the embedded database lives unless --db says otherwise.
const DefaultPath = "./data/fazhi.db"

// DB is the handle every store receives. On SQLite it holds one writer
// connection (SQLite allows one writer at a time; queueing in Go avoids
// SQLITE_BUSY storms) beside a read pool; on PostgreSQL both are one pool.
type DB struct {
	dialect Dialect
	w       *sql.DB
	r       *sql.DB
	dsn     string
	// auditKeys signs audit rows (set once at start from Config, see
	// SetAuditKeys); every transaction on the handle carries it.
	auditKeys *auditkey.Keyring
}

// IsPostgres reports whether dsn names a PostgreSQL server.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens dsn and checks that it answers. It does not migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if dsn == "" {
		dsn = DefaultPath
	}
	if IsPostgres(dsn) {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("无法打开 PostgreSQL 连接：%w", err)
	}
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(10)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.PingContext(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("无法连接 PostgreSQL 数据库（%s）：%s", redact(dsn), oneLine(err))
	}
	return &DB{dialect: Postgres, w: pool, r: pool, dsn: dsn}, nil
}

// sqlitePragmas are applied on every new connection, busy_timeout first so
// that the others do not fail on a locked database. Then the tuning an
// embedded database holding a million-row register needs: the file mapped
// into memory (reads without a copy through the page cache; 1 GiB of address
// space, not of RAM), a 32 MiB page cache per connection (default 2 MiB),
// and temporary b-trees (sorts, DISTINCT) in memory instead of temp files.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)" +
	"&_pragma=mmap_size(1073741824)&_pragma=cache_size(-32768)&_pragma=temp_store(MEMORY)"

// ReadPoolSize is the number of SQLite read connections: two per core (a
// reader waits on I/O part of the time), at least 4.
func ReadPoolSize() int { return max(4, 2*runtime.NumCPU()) }

func openSQLite(ctx context.Context, path string) (*DB, error) {
	path = strings.TrimPrefix(path, "sqlite://")
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("无法创建数据目录 %s：%w", dir, err)
	}
	// Probe writability up front: SQLite would only fail at the first write.
	probe, err := os.CreateTemp(dir, ".fazhi-probe-*")
	if err != nil {
		return nil, fmt.Errorf("数据目录 %s 不可写：%w", dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())

	w, err := sql.Open("sqlite", "file:"+path+"?"+sqlitePragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("无法打开数据库文件 %s：%w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", "file:"+path+"?"+sqlitePragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("无法打开数据库文件 %s：%w", path, err)
	}
	r.SetMaxOpenConns(ReadPoolSize())
	r.SetMaxIdleConns(ReadPoolSize())
	d := &DB{dialect: SQLite, w: w, r: r, dsn: path}
	if err := d.Ping(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("无法打开数据库文件 %s：%w", path, err)
	}
	return d, nil
}

func redact(dsn string) string {
	if i := strings.Index(dsn, "@"); i > 0 {
		if j := strings.Index(dsn, "://"); j > 0 && j < i {
			return dsn[:j+3] + "***" + dsn[i:]
		}
	}
	return dsn
}

// Analyze refreshes the planner's statistics: after migrations (new indexes)
// and bulk loads, so that the planner knows a million-row register from an
// empty one. On SQLite it is ANALYZE (sqlite_stat1), on PostgreSQL ANALYZE.
func (d *DB) Analyze(ctx context.Context) error {
	_, err := d.w.ExecContext(ctx, "ANALYZE")
	return err
}

// Optimize is the periodic upkeep SQLite recommends for long-running
// processes (PRAGMA optimize: re-analyzes tables whose statistics drifted,
// within a bounded amount of work). PostgreSQL's autovacuum does this itself.
func (d *DB) Optimize(ctx context.Context) error {
	if d.dialect != SQLite {
		return nil
	}
	_, err := d.w.ExecContext(ctx, "PRAGMA analysis_limit=1000; PRAGMA optimize")
	return err
}

// OptimizeEvery runs Optimize every interval until ctx ends (fazhi serve
// starts it in the background); a failure is logged, not fatal.
func (d *DB) OptimizeEvery(ctx context.Context, interval time.Duration, logf func(msg string, args ...any)) {
	if d.dialect != SQLite {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := d.Optimize(ctx); err != nil && ctx.Err() == nil {
				logf("PRAGMA optimize 失败", "error", err)
			}
		}
	}
}

// Dialect returns the dialect in use.
func (d *DB) Dialect() Dialect { return d.dialect }

// SetAuditKeys gives the handle the audit log's key ring (loaded from Config
// at start, before the handle is shared): audit.Record signs each row with
// it, so the key travels with the handle instead of a global or a parameter
// at every call site. A handle without keys cannot write audit rows.
func (d *DB) SetAuditKeys(k *auditkey.Keyring) { d.auditKeys = k }

// AuditKeys is the key ring set by SetAuditKeys (nil when none).
func (d *DB) AuditKeys() *auditkey.Keyring { return d.auditKeys }

// DSN returns the DSN the database was opened with (for subprocesses, tests).
func (d *DB) DSN() string { return d.dsn }

// Writer exposes the writer pool for libraries that need a *sql.DB (goose).
func (d *DB) Writer() *sql.DB { return d.w }

// Ping checks that both pools answer.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.w.PingContext(ctx); err != nil {
		return err
	}
	var one int
	return d.r.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Close closes both pools.
func (d *DB) Close() error {
	err := d.w.Close()
	if d.r != d.w {
		if e := d.r.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Querier is what store methods run SQL through: the DB itself or a Tx.
type Querier interface {
	Dialect() Dialect
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) *sql.Row
}

// Exec runs a write on the writer.
func (d *DB) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return d.w.ExecContext(ctx, Rebind(d.dialect, q), args...)
}

// Query runs a read on the read pool.
func (d *DB) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return d.r.QueryContext(ctx, Rebind(d.dialect, q), args...)
}

// QueryRow runs a single-row read on the read pool. A statement with
// RETURNING writes, so it goes to the writer.
func (d *DB) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	pool := d.r
	if writes(q) {
		pool = d.w
	}
	return pool.QueryRowContext(ctx, Rebind(d.dialect, q), args...)
}

func writes(q string) bool {
	s := strings.ToUpper(strings.TrimSpace(q))
	return strings.HasPrefix(s, "INSERT") || strings.HasPrefix(s, "UPDATE") || strings.HasPrefix(s, "DELETE") || strings.Contains(s, "RETURNING")
}

// Tx is a transaction; it satisfies Querier.
type Tx struct {
	dialect   Dialect
	tx        *sql.Tx
	auditKeys *auditkey.Keyring
	locals    map[any]any
	hooks     []commitHook
}

type commitHook struct {
	order int
	run   func(ctx context.Context) error
}

// Local returns the transaction's value under key, made by init on the
// first call; the flush init returns with it runs once, after the
// transaction's function has succeeded and just before the commit, in
// ascending order (ties in the order of first use). Writers of rows that
// every transaction touches — the metric counters, the audit chain head —
// gather their writes here and write them at the end, so that their row
// locks are held for the commit only: concurrent transactions on
// PostgreSQL wait for each other's last statements, not for each other's
// whole work.
func (t *Tx) Local(key any, order int, init func() (any, func(ctx context.Context) error)) any {
	if v, ok := t.locals[key]; ok {
		return v
	}
	if t.locals == nil {
		t.locals = map[any]any{}
	}
	v, flush := init()
	t.locals[key] = v
	t.hooks = append(t.hooks, commitHook{order: order, run: flush})
	return v
}

// flush runs the commit hooks (and any a hook registers while running).
func (t *Tx) flush(ctx context.Context) error {
	for len(t.hooks) > 0 {
		hs := t.hooks
		t.hooks = nil
		slices.SortStableFunc(hs, func(a, b commitHook) int { return a.order - b.order })
		for _, h := range hs {
			if err := h.run(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *Tx) Dialect() Dialect { return t.dialect }

// AuditKeys is the key ring of the handle the transaction was begun on.
func (t *Tx) AuditKeys() *auditkey.Keyring { return t.auditKeys }
func (t *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, Rebind(t.dialect, q), args...)
}
func (t *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, Rebind(t.dialect, q), args...)
}
func (t *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, Rebind(t.dialect, q), args...)
}

// WithTx runs fn in a transaction on the writer, committing when fn returns
// nil and rolling back otherwise (also on panic). The transaction's commit
// hooks (Local) run between fn and the commit; a failing hook rolls back.
func (d *DB) WithTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	stx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return Classify(err)
	}
	tx := &Tx{dialect: d.dialect, tx: stx, auditKeys: d.auditKeys}
	defer func() {
		if p := recover(); p != nil {
			_ = stx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = stx.Rollback()
			return
		}
		err = Classify(stx.Commit())
	}()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.flush(ctx)
}

// Rebind rewrites '?' placeholders to $1, $2 … for PostgreSQL, leaving
// question marks inside quoted strings alone.
func Rebind(d Dialect, q string) string {
	if d != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	inQuote := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(fmt.Sprint(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Classify turns driver errors that users can act on into apperr values:
// unique violations become conflicts; sql.ErrNoRows becomes not_found.
// Others pass through unchanged (and end up as internal errors).
func Classify(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.Wrap(err, apperr.NotFound, "记录不存在")
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "UNIQUE constraint failed"), strings.Contains(msg, "SQLSTATE 23505"):
		return apperr.Wrap(err, apperr.Conflict, "记录已存在（编码或名称重复）")
	case strings.Contains(msg, "FOREIGN KEY constraint failed"), strings.Contains(msg, "SQLSTATE 23503"):
		return apperr.Wrap(err, apperr.Conflict, "关联的记录不存在或仍被引用")
	}
	return err
}

// likeEscaper escapes LIKE's wildcards and its escape character.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// Like escapes a user string for a LIKE pattern with ESCAPE '\'.
func Like(s string) string { return "%" + likeEscaper.Replace(s) + "%" }

// Page is a server-side page request. Zero values mean page 1 of 20.
type Page struct {
	Page int `json:"page" query:"page"`
	Size int `json:"page_size" query:"page_size"`
}

// MaxPageSize bounds what one request may ask for.
const MaxPageSize = 500

// Limit returns LIMIT and OFFSET values, normalised.
func (p Page) Limit() (limit, offset int) {
	size := p.Size
	if size <= 0 {
		size = 20
	}
	if size > MaxPageSize {
		size = MaxPageSize
	}
	page := p.Page
	if page <= 0 {
		page = 1
	}
	return size, (page - 1) * size
}

// oneLine flattens multi-line driver errors for a one-line CLI message.
func oneLine(err error) string {
	lines := strings.Fields(strings.ReplaceAll(err.Error(), "\n", " "))
	return strings.Join(lines, " ")
}

// Scanner is what a row scanner reads from: *sql.Row or *sql.Rows. It is an
// alias so that stores' scan functions written against the literal interface
// type can be passed to All unchanged.
type Scanner = interface{ Scan(dest ...any) error }

// All runs query and scans every row with scan. It returns an empty, non-nil
// slice when no row matches, so that JSON lists encode as [] and not null.
func All[T any](ctx context.Context, q Querier, scan func(Scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
