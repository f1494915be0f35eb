package metric

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"fazhi/internal/platform/db"
)

// Incremental aggregates (issue 11): a module's figures are range sums over
// per-unit × per-period counters kept in metric_counts, written in the same
// transaction as the record they count, instead of live COUNTs over the
// whole register.
//
// A module declares one Tally per register: Points, one SELECT that lists
// what each record counts in, as rows (series, unit_id, day). The same SQL
// serves three uses, so they cannot disagree:
//
//   - on a write, the record's points are read before and after it inside
//     the transaction and the difference is added to the counters
//     (Tally.Write for an update or delete, Tally.Added after an insert);
//   - Rebuild recomputes every counter from the base table (start-up, when
//     the definition changed, and after bulk loads);
//   - Verify recomputes them and reports every counter that differs
//     (`fazhi metric verify`, the drift property test).
//
// Each point is added to three buckets: its day ("D2026-03-05"), its month
// ("M2026-03") and its year ("Y2026"), so a sum over any period reads at most
// two partial months of days, two partial years of months and the whole
// years between: a few hundred counter rows per unit whatever the register's
// size. A figure over a unit subtree sums the subtree's units.

// Tally declares the counters a module keeps for one register.
type Tally struct {
	// Name prefixes the series in metric_counts ("finding" → "finding.open_due").
	Name string
	// Points is a SELECT of (series, unit_id, day) — day a YYYY-MM-DD text
	// — with the placeholder {record} in each WHERE clause: it becomes
	// "<IDColumn> = ?" for one record and "1=1" for the whole register. A
	// record contributes one row per series it counts in (none if it
	// counts nowhere). Day must not be NULL.
	Points string
	// IDColumn is the record key column Points filters on ("f.id").
	IDColumn string
}

const recordMark = "{record}"

// series is the stored series name of one of t's series.
func (t *Tally) series(s string) string { return t.Name + "." + s }

func (t *Tally) pointsSQL(one bool) string {
	if one {
		return strings.ReplaceAll(t.Points, recordMark, t.IDColumn+" = ?")
	}
	return strings.ReplaceAll(t.Points, recordMark, "1=1")
}

// definition identifies the tally's SQL: when it changes, Sync rebuilds.
func (t *Tally) definition() string {
	h := sha256.Sum256([]byte(t.Name + "\x00" + t.IDColumn + "\x00" + t.Points))
	return hex.EncodeToString(h[:8])
}

type point struct {
	series string
	unit   int64
	day    string
	n      int64 // how many records count here (0 is read as 1)
}

// points reads what record id counts in now.
func (t *Tally) points(ctx context.Context, q db.Querier, id int64) ([]point, error) {
	n := strings.Count(t.Points, recordMark)
	args := make([]any, n)
	for i := range args {
		args[i] = id
	}
	return db.All(ctx, q, func(sc db.Scanner) (point, error) {
		var p point
		var day sql.NullString
		err := sc.Scan(&p.series, &p.unit, &day)
		if err == nil && !day.Valid {
			err = fmt.Errorf("metric: tally %s: series %s has a NULL day for record %d", t.Name, p.series, id)
		}
		p.day = day.String
		return p, err
	}, t.pointsSQL(true), args...)
}

// inTx refuses a Querier that is not a transaction: counters written
// outside the record's transaction could drift from it.
func inTx(q db.Querier) (*db.Tx, error) {
	tx, ok := q.(*db.Tx)
	if !ok {
		return nil, errors.New("metric: counters must be written in the record's transaction (pass the *db.Tx)")
	}
	return tx, nil
}

// Write runs write — an UPDATE or DELETE of record id — inside tx and moves
// the record's counts from what it counted in before to what it counts in
// after. When write fails nothing is counted (the caller rolls back).
func (t *Tally) Write(ctx context.Context, q db.Querier, id int64, write func() error) error {
	tx, err := inTx(q)
	if err != nil {
		return err
	}
	before, err := t.points(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := write(); err != nil {
		return err
	}
	after, err := t.points(ctx, tx, id)
	if err != nil {
		return err
	}
	return t.apply(ctx, tx, before, after)
}

// Added counts record id, just inserted in tx.
func (t *Tally) Added(ctx context.Context, q db.Querier, id int64) error {
	tx, err := inTx(q)
	if err != nil {
		return err
	}
	after, err := t.points(ctx, tx, id)
	if err != nil {
		return err
	}
	return t.apply(ctx, tx, nil, after)
}

type counterKey struct {
	series, bucket string
	unit           int64
}

// buckets are the day, month and year buckets a day is counted in.
func buckets(day string) []string {
	if len(day) < 10 {
		return []string{"D" + day}
	}
	return []string{"D" + day, "M" + day[:7], "Y" + day[:4]}
}

// AddedBatch counts records ids, all just inserted in tx (an import's
// batch). The ids are cut into runs of consecutive ids (an import's ids are
// reserved in one block, so usually one run): each run's points are read
// already counted per counter in one statement (IDColumn BETWEEN lo AND
// hi), and ids outside long runs a few hundred a statement (IDColumn IN
// (…)); the counters are written with multi-row upserts. They end as Added
// record by record would leave them (Verify and the tests check it), at a
// few statements per batch instead of up to ten per record.
func (t *Tally) AddedBatch(ctx context.Context, q db.Querier, ids []int64) error {
	tx, err := inTx(q)
	if err != nil {
		return err
	}
	marks := max(1, strings.Count(t.Points, recordMark))
	read := func(cond string, args []any) ([]point, error) {
		return db.All(ctx, tx, func(sc db.Scanner) (point, error) {
			var p point
			var day sql.NullString
			err := sc.Scan(&p.series, &p.unit, &day, &p.n)
			if err == nil && !day.Valid {
				err = fmt.Errorf("metric: tally %s: series %s has a NULL day", t.Name, p.series)
			}
			p.day = day.String
			return p, err
		}, "SELECT p.series, p.unit_id, p.day, COUNT(*) FROM ("+strings.ReplaceAll(t.Points, recordMark, cond)+") p GROUP BY p.series, p.unit_id, p.day", args...)
	}
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	var after []point
	var single []int64
	// A run shorter than this goes into the IN lists: a range costs a
	// statement of its own.
	const minRun = 16
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j] == sorted[j-1]+1 {
			j++
		}
		if j-i < minRun {
			single = append(single, sorted[i:j]...)
			i = j
			continue
		}
		args := make([]any, 0, 2*marks)
		for range marks {
			args = append(args, sorted[i], sorted[j-1])
		}
		ps, err := read(t.IDColumn+" BETWEEN ? AND ?", args)
		if err != nil {
			return err
		}
		after = append(after, ps...)
		i = j
	}
	// PostgreSQL takes the ids as one array parameter (a long IN list in
	// each branch of the points' UNION is slow to plan there); SQLite as an
	// IN list within its parameter limit.
	pg := tx.Dialect() == db.Postgres
	per := max(1, min(500, db.RowsPerInsert(tx.Dialect(), 1)/marks))
	if pg {
		per = 5000
	}
	for start := 0; start < len(single); start += per {
		chunk := single[start:min(start+per, len(single))]
		in := t.IDColumn + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ") + ")"
		args := make([]any, 0, marks*len(chunk))
		for range marks {
			if pg {
				args = append(args, chunk)
				continue
			}
			for _, id := range chunk {
				args = append(args, id)
			}
		}
		if pg {
			in = t.IDColumn + " = ANY(CAST(? AS BIGINT[]))"
		}
		ps, err := read(in, args)
		if err != nil {
			return err
		}
		after = append(after, ps...)
	}
	return t.apply(ctx, tx, nil, after)
}

// apply adds after − before to the transaction's pending counter changes;
// they are written once, just before the commit (db.Tx.Local): every
// tally's changes of the transaction in one sorted pass of multi-row
// upserts, so concurrent transactions on PostgreSQL take the counter rows'
// locks in one order and hold them for the commit only.
func (t *Tally) apply(_ context.Context, tx *db.Tx, before, after []point) error {
	delta := tx.Local(pendingKey{}, commitOrder, func() (any, func(context.Context) error) {
		p := pending{}
		return p, func(ctx context.Context) error { return p.write(ctx, tx) }
	}).(pending)
	add := func(ps []point, d int64) {
		for _, p := range ps {
			w := d * max(p.n, 1)
			for _, b := range buckets(p.day) {
				delta[counterKey{t.series(p.series), b, p.unit}] += w
			}
		}
	}
	add(before, -1)
	add(after, 1)
	return nil
}

// pending is a transaction's counter changes not yet written.
type pending map[counterKey]int64

type pendingKey struct{}

// commitOrder places the counters' write before the audit chain's (the
// head every write transaction locks is taken last).
const commitOrder = 10

// write applies the changes in key order with multi-row upserts (each key
// once a statement, as PostgreSQL's ON CONFLICT requires).
func (delta pending) write(ctx context.Context, tx *db.Tx) error {
	keys := make([]counterKey, 0, len(delta))
	for k, d := range delta {
		if d != 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b counterKey) int {
		return cmp.Or(cmp.Compare(a.series, b.series), cmp.Compare(a.bucket, b.bucket), cmp.Compare(a.unit, b.unit))
	})
	per := db.RowsPerInsert(tx.Dialect(), 4)
	for start := 0; start < len(keys); start += per {
		chunk := keys[start:min(start+per, len(keys))]
		args := make([]any, 0, 4*len(chunk))
		for _, k := range chunk {
			args = append(args, k.series, k.bucket, k.unit, delta[k])
		}
		q := "INSERT INTO metric_counts (series, bucket, unit_id, n) VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", len(chunk)), ", ") +
			" ON CONFLICT (series, bucket, unit_id) DO UPDATE SET n = metric_counts.n + excluded.n"
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			k := chunk[0]
			return fmt.Errorf("metric: counters from %s %s unit %d (%d keys): %w", k.series, k.bucket, k.unit, len(chunk), err)
		}
	}
	return nil
}

// withPoints prefixes body with the CTE d: the register's points counted
// per (series, day, unit); its one argument is the series prefix.
func (t *Tally) withPoints(body string) string {
	d := "SELECT CAST(? AS TEXT) || p.series AS series, p.day AS day, p.unit_id AS unit_id, COUNT(*) AS n FROM (" + t.pointsSQL(false) + ") p GROUP BY p.series, p.day, p.unit_id"
	return "WITH d AS (" + d + ") " + body
}

// Rebuild recomputes t's counters from the base table in one transaction
// (start-up when the definition changed, after bulk loads, `fazhi metric
// rebuild`). On PostgreSQL the counters table is locked for the rebuild, so
// a concurrent record write applies its change after the rebuild's snapshot.
func (t *Tally) Rebuild(ctx context.Context, d *db.DB) error {
	return d.WithTx(ctx, func(tx *db.Tx) error { return t.rebuild(ctx, tx) })
}

func (t *Tally) rebuild(ctx context.Context, tx *db.Tx) error {
	if tx.Dialect() == db.Postgres {
		if _, err := tx.Exec(ctx, "LOCK TABLE metric_counts IN EXCLUSIVE MODE"); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, "DELETE FROM metric_counts WHERE series LIKE ?", t.Name+".%"); err != nil {
		return err
	}
	// Days from the register, then months from the days and years from the
	// months (each step reads only the rows the step before wrote).
	steps := []struct {
		q    string
		args []any
	}{
		{"INSERT INTO metric_counts (series, bucket, unit_id, n) SELECT CAST(? AS TEXT) || p.series, 'D' || p.day, p.unit_id, COUNT(*) FROM (" + t.pointsSQL(false) +
			") p GROUP BY p.series, p.day, p.unit_id", []any{t.Name + "."}},
		{`INSERT INTO metric_counts (series, bucket, unit_id, n) SELECT series, 'M' || substr(bucket, 2, 7), unit_id, SUM(n) FROM metric_counts
WHERE series LIKE ? AND substr(bucket, 1, 1) = 'D' GROUP BY series, substr(bucket, 2, 7), unit_id`, []any{t.Name + ".%"}},
		{`INSERT INTO metric_counts (series, bucket, unit_id, n) SELECT series, 'Y' || substr(bucket, 2, 4), unit_id, SUM(n) FROM metric_counts
WHERE series LIKE ? AND substr(bucket, 1, 1) = 'M' GROUP BY series, substr(bucket, 2, 4), unit_id`, []any{t.Name + ".%"}},
	}
	for _, st := range steps {
		if _, err := tx.Exec(ctx, st.q, st.args...); err != nil {
			return fmt.Errorf("metric: rebuild %s: %w", t.Name, err)
		}
	}
	_, err := tx.Exec(ctx, `INSERT INTO metric_tallies (name, definition, built_at) VALUES (?, ?, ?)
ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, built_at = excluded.built_at`, t.Name, t.definition(), time.Now().UTC())
	return err
}

// expectedBody computes every counter of t from d: (series, bucket,
// unit_id, n).
func (t *Tally) expectedBody() string {
	return `SELECT x.series AS series, x.bucket AS bucket, x.unit_id AS unit_id, CAST(SUM(x.n) AS BIGINT) AS n FROM (
SELECT d.series AS series, 'D' || d.day AS bucket, d.unit_id AS unit_id, d.n AS n FROM d
UNION ALL SELECT d.series, 'M' || substr(d.day, 1, 7), d.unit_id, d.n FROM d
UNION ALL SELECT d.series, 'Y' || substr(d.day, 1, 4), d.unit_id, d.n FROM d) x
GROUP BY x.series, x.bucket, x.unit_id`
}

// Drift is one counter whose stored value differs from the base table's.
type Drift struct {
	Series, Bucket string
	UnitID         int64
	Stored, Actual int64
}

func (d Drift) String() string {
	return fmt.Sprintf("%s %s 单位 %d：计数器 %d，台账实际 %d", d.Series, d.Bucket, d.UnitID, d.Stored, d.Actual)
}

// Verify recomputes t's counters from the base table and returns those
// that differ from metric_counts (at most limit of them, and how many
// there are in all). Both are read in one transaction (REPEATABLE READ on
// PostgreSQL; a read transaction on SQLite), so the comparison sees one
// snapshot even while records are being written. The stored counters are
// held in memory while the recomputed ones stream past: their number is
// bounded by units × days, not by the register's size.
func (t *Tally) Verify(ctx context.Context, d *db.DB, limit int) ([]Drift, int, error) {
	out := []Drift{}
	total := 0
	err := d.WithTx(ctx, func(tx *db.Tx) error {
		out, total = out[:0], 0
		if tx.Dialect() == db.Postgres {
			if _, err := tx.Exec(ctx, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"); err != nil {
				return err
			}
		}
		stored := map[counterKey]int64{}
		rows, err := tx.Query(ctx, "SELECT series, bucket, unit_id, n FROM metric_counts WHERE series LIKE ? AND n <> 0", t.Name+".%")
		if err != nil {
			return err
		}
		for rows.Next() {
			var k counterKey
			var n int64
			if err := rows.Scan(&k.series, &k.bucket, &k.unit, &n); err != nil {
				rows.Close()
				return err
			}
			stored[k] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		report := func(k counterKey, s, a int64) {
			total++
			if len(out) < limit {
				out = append(out, Drift{Series: k.series, Bucket: k.bucket, UnitID: k.unit, Stored: s, Actual: a})
			}
		}
		rows, err = tx.Query(ctx, t.withPoints(t.expectedBody()), t.Name+".")
		if err != nil {
			return fmt.Errorf("metric: verify %s: %w", t.Name, err)
		}
		defer rows.Close()
		for rows.Next() {
			var k counterKey
			var n int64
			if err := rows.Scan(&k.series, &k.bucket, &k.unit, &n); err != nil {
				return err
			}
			if s := stored[k]; s != n {
				report(k, s, n)
			}
			delete(stored, k)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for k, s := range stored {
			report(k, s, 0)
		}
		return nil
	})
	slices.SortFunc(out, func(a, b Drift) int {
		return cmp.Or(cmp.Compare(a.Series, b.Series), cmp.Compare(a.Bucket, b.Bucket), cmp.Compare(a.UnitID, b.UnitID))
	})
	return out, total, err
}

// Sync rebuilds each tally whose definition differs from the one its
// counters were built with (a new installation, an upgrade that brings a
// tally, a changed definition). It runs at start-up, after migrations.
func Sync(ctx context.Context, d *db.DB, ts []*Tally) error {
	for _, t := range ts {
		var def string
		err := d.QueryRow(ctx, "SELECT definition FROM metric_tallies WHERE name = ?", t.Name).Scan(&def)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if def == t.definition() {
			continue
		}
		if err := t.Rebuild(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// Sum is one range sum: series (without the tally's prefix) over the days
// From–To inclusive (YYYY-MM-DD; an empty end is open).
type Sum struct {
	Series   string
	From, To string
}

// Sums answers each sum over the units matching unitCond, an SQL condition
// over the column c.unit_id (the actor's scope and the chosen subtree), with
// its arguments. All the sums are one statement (a request runs a provider
// per department on the district page: one statement each, not one per
// sum), and each sum reads a few counter rows per unit.
func (t *Tally) Sums(ctx context.Context, q db.Querier, unitCond string, unitArgs []any, sums ...Sum) ([]int, error) {
	out := make([]int, len(sums))
	inner, args, err := t.sumParts(ctx, sums)
	if err != nil || inner == "" {
		return out, err
	}
	rows, err := q.Query(ctx, "SELECT c.i, COALESCE(SUM(c.n), 0) FROM ("+inner+") c WHERE "+unitCond+" GROUP BY c.i", append(args, unitArgs...)...)
	if err != nil {
		return nil, fmt.Errorf("metric: sums %s: %w", t.Name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var i int
		var n int64
		if err := rows.Scan(&i, &n); err != nil {
			return nil, err
		}
		out[i] = int(n)
	}
	return out, rows.Err()
}

// sumParts is the UNION ALL of every sum's bucket ranges, as rows (i, n,
// unit_id) — i the sum's index — with its arguments; "" when no sum has a
// range.
func (t *Tally) sumParts(ctx context.Context, sums []Sum) (string, []any, error) {
	if IsDirect(ctx) {
		return t.directParts(sums)
	}
	var parts []string
	var args []any
	for i, s := range sums {
		rs, err := Spans(s.From, s.To)
		if err != nil {
			return "", nil, err
		}
		for _, r := range rs {
			parts = append(parts, "SELECT "+strconv.Itoa(i)+" AS i, m.n AS n, m.unit_id AS unit_id FROM metric_counts m WHERE m.series = ? AND m.bucket >= ? AND m.bucket <= ?")
			args = append(args, t.series(s.Series), r.Lo, r.Hi)
		}
	}
	return strings.Join(parts, " UNION ALL "), args, nil
}

// SumsUnder is Sums over the units matching scopeCond (the actor's scope,
// over c.unit_id) that lie in the subtree of unit root (0: no subtree). On
// a context from WithBreakdown (the district page asks every department's
// figures in one request) the sums are read once per unit in scope and each
// subtree is added up in memory: one statement per tally and request
// instead of one per department.
func (t *Tally) SumsUnder(ctx context.Context, q db.Querier, scopeCond string, scopeArgs []any, root int64, sums ...Sum) ([]int, error) {
	if b, ok := ctx.Value(breakdownKey{}).(*breakdown); ok {
		return b.sums(ctx, t, q, scopeCond, scopeArgs, root, sums)
	}
	if root > 0 {
		scopeCond += " AND c.unit_id IN (SELECT su.id FROM org_unit_refs su, org_unit_refs pu WHERE pu.id = ? AND su.path LIKE pu.path || '%')"
		scopeArgs = append(slices.Clone(scopeArgs), root)
	}
	return t.Sums(ctx, q, scopeCond, scopeArgs, sums...)
}

type breakdownKey struct{}

// breakdown holds, for one request, each tally's sums per unit in scope and
// the units' paths.
type breakdown struct {
	mu    sync.Mutex
	paths map[int64]string // unit → path, read once
	got   map[string]*unitSums
}

type unitSums struct {
	once sync.Once
	by   map[int64][]int64 // unit → value of each sum
	err  error
}

// WithBreakdown returns a context on which SumsUnder reads each tally's
// counters once for all units in scope and answers every subtree from
// them (for a request that asks the same figures for many units).
func WithBreakdown(ctx context.Context) context.Context {
	return context.WithValue(ctx, breakdownKey{}, &breakdown{got: map[string]*unitSums{}})
}

func (b *breakdown) sums(ctx context.Context, t *Tally, q db.Querier, scopeCond string, scopeArgs []any, root int64, sums []Sum) ([]int, error) {
	key := fmt.Sprintf("%s\x00%v\x00%s\x00%v\x00%v", t.Name, sums, scopeCond, scopeArgs, IsDirect(ctx))
	b.mu.Lock()
	us, ok := b.got[key]
	if !ok {
		us = &unitSums{}
		b.got[key] = us
	}
	b.mu.Unlock()
	us.once.Do(func() { us.by, us.err = t.sumsByUnit(ctx, q, scopeCond, scopeArgs, sums) })
	if us.err != nil {
		return nil, us.err
	}
	out := make([]int, len(sums))
	in := func(int64) bool { return true }
	if root > 0 {
		paths, err := b.unitPaths(ctx, q)
		if err != nil {
			return nil, err
		}
		top, ok := paths[root]
		if !ok {
			return out, nil // no such unit: nothing under it (as the subtree condition finds)
		}
		in = func(u int64) bool { return strings.HasPrefix(paths[u], top) }
	}
	for u, vs := range us.by {
		if in(u) {
			for i, v := range vs {
				out[i] += int(v)
			}
		}
	}
	return out, nil
}

func (b *breakdown) unitPaths(ctx context.Context, q db.Querier) (map[int64]string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.paths != nil {
		return b.paths, nil
	}
	rows, err := q.Query(ctx, "SELECT id, path FROM org_unit_refs")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	paths := map[int64]string{}
	for rows.Next() {
		var id int64
		var p string
		if err := rows.Scan(&id, &p); err != nil {
			return nil, err
		}
		paths[id] = p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	b.paths = paths
	return paths, nil
}

// sumsByUnit answers sums for each unit matching unitCond separately.
func (t *Tally) sumsByUnit(ctx context.Context, q db.Querier, unitCond string, unitArgs []any, sums []Sum) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	inner, args, err := t.sumParts(ctx, sums)
	if err != nil || inner == "" {
		return out, err
	}
	rows, err := q.Query(ctx, "SELECT c.unit_id, c.i, COALESCE(SUM(c.n), 0) FROM ("+inner+") c WHERE "+unitCond+" GROUP BY c.unit_id, c.i", append(args, unitArgs...)...)
	if err != nil {
		return nil, fmt.Errorf("metric: sums %s: %w", t.Name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var u int64
		var i int
		var n int64
		if err := rows.Scan(&u, &i, &n); err != nil {
			return nil, err
		}
		if out[u] == nil {
			out[u] = make([]int64, len(sums))
		}
		out[u][i] = n
	}
	return out, rows.Err()
}

// Span is an inclusive range of bucket keys of one level (days, months or
// years).
type Span struct{ Lo, Hi string }

const (
	minDay = "0001-01-01"
	maxDay = "9999-12-31"
)

// Spans splits the days from–to (inclusive; empty ends open) into at most
// five bucket ranges: the days up to the first month start, the months up
// to the first year start, the whole years, the months after them and the
// days after those. Every day of the period is counted exactly once.
func Spans(from, to string) ([]Span, error) {
	if from == "" {
		from = minDay
	}
	if to == "" {
		to = maxDay
	}
	f, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return nil, fmt.Errorf("metric: bad from date %q", from)
	}
	l, err := time.Parse(time.DateOnly, to)
	if err != nil {
		return nil, fmt.Errorf("metric: bad to date %q", to)
	}
	var out []Span
	emit := func(level byte, lo, hi time.Time) {
		layout := map[byte]string{'D': time.DateOnly, 'M': "2006-01", 'Y': "2006"}[level]
		s := Span{string(level) + lo.Format(layout), string(level) + hi.Format(layout)}
		if n := len(out); n > 0 && out[n-1].Lo[0] == level {
			out[n-1].Hi = s.Hi // adjacent ranges of one level merge
			return
		}
		out = append(out, s)
	}
	day := func(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) }
	monthEnd := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC) }
	yearEnd := func(t time.Time) time.Time { return time.Date(t.Year(), 12, 31, 0, 0, 0, 0, time.UTC) }
	cur := f
	for !cur.After(l) {
		switch {
		case cur.YearDay() == 1 && !yearEnd(cur).After(l):
			last := l.Year()
			if !yearEnd(l).Equal(l) {
				last--
			}
			end := time.Date(last, 12, 31, 0, 0, 0, 0, time.UTC)
			emit('Y', cur, end)
			cur = day(end, 1)
		case cur.Day() == 1 && !monthEnd(cur).After(l):
			end := monthEnd(cur)
			for end.Month() != 12 && !monthEnd(day(end, 1)).After(l) {
				end = monthEnd(day(end, 1))
			}
			emit('M', cur, end)
			cur = day(end, 1)
		default:
			end := monthEnd(cur)
			if end.After(l) {
				end = l
			}
			emit('D', cur, end)
			cur = day(end, 1)
		}
	}
	return out, nil
}

// RebuildIn is Rebuild inside the caller's transaction: a bulk import that
// writes its rows with multi-row INSERTs recounts with them, so the rows and
// their counters commit (or roll back) together.
func (t *Tally) RebuildIn(ctx context.Context, tx *db.Tx) error { return t.rebuild(ctx, tx) }

type directKey struct{}

// WithDirect returns a context on which every range sum is computed by a
// direct aggregate over the base tables — the tally's Points query over the
// whole register, filtered by series and day — instead of from the
// counters. The figures must come out the same (the drift test recomputes
// every metric both ways); `make bench` measures the counters against it.
func WithDirect(ctx context.Context) context.Context {
	return context.WithValue(ctx, directKey{}, true)
}

// IsDirect reports whether ctx asks for direct aggregates (WithDirect).
func IsDirect(ctx context.Context) bool { v, _ := ctx.Value(directKey{}).(bool); return v }

// directParts is sumParts over the base tables: one pass over the
// register's points joined to the sums' (series, first day, last day),
// as rows (i, n, unit_id).
func (t *Tally) directParts(sums []Sum) (string, []any, error) {
	if len(sums) == 0 {
		return "", nil, nil
	}
	var keys []string
	var args []any
	for i, s := range sums {
		if _, err := Spans(s.From, s.To); err != nil {
			return "", nil, err
		}
		lo, hi := cmp.Or(s.From, minDay), cmp.Or(s.To, maxDay)
		keys = append(keys, "SELECT "+strconv.Itoa(i)+" AS i, CAST(? AS TEXT) AS s, CAST(? AS TEXT) AS lo, CAST(? AS TEXT) AS hi")
		args = append(args, s.Series, lo, hi)
	}
	q := "SELECT k.i AS i, 1 AS n, p.unit_id AS unit_id FROM (" + t.pointsSQL(false) + ") p JOIN (" + strings.Join(keys, " UNION ALL ") +
		") k ON p.series = k.s AND p.day >= k.lo AND p.day <= k.hi"
	return q, args, nil
}
