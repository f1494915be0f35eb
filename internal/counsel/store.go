package counsel

import (
	"context"
	"database/sql"
	"errors"
	"fazhi/internal/platform/option"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// Store holds the register's SQL; unit names and paths come from org's view
// org_unit_refs. No rules here.
type Store struct{}

// adviserCols are the adviser columns with the count of contracts in force
// on today — a date the service formats (calendar.Date.String, never user
// text), written into the SQL because ListSQL's arguments follow the WHERE.
func adviserCols(today string) string {
	if _, err := calendar.ParseDate(today); err != nil {
		panic("counsel: adviserCols needs a YYYY-MM-DD date")
	}
	return `a.id, a.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''), a.name, a.level, a.kind, a.firm, a.license_no, a.qualification,
a.phone, COALESCE(a.user_id, 0), a.active,
(SELECT COUNT(*) FROM counsel_contracts k WHERE k.adviser_id = a.id AND k.starts_on <= '` + today + `' AND k.ends_on >= '` + today + `'), a.updated_at, a.version`
}

const adviserFrom = `counsel_advisers a LEFT JOIN org_unit_refs u ON u.id = a.unit_id`

func scanAdviser(sc db.Scanner) (Adviser, error) {
	var a Adviser
	var active int
	err := sc.Scan(&a.ID, &a.UnitID, &a.UnitName, &a.unitPath, &a.Name, &a.Level, &a.Kind, &a.Firm, &a.LicenseNo, &a.Qualification,
		&a.Phone, &a.UserID, &active, &a.Serving, &a.UpdatedAt, &a.Version)
	a.Active = active != 0
	a.LevelLabel, a.KindLabel = option.Label(Levels, a.Level), option.Label(Kinds, a.Kind)
	a.UpdatedAt = a.UpdatedAt.UTC()
	return a, err
}

func (Store) adviser(ctx context.Context, q db.Querier, id int64, today string) (*Adviser, error) {
	a, err := scanAdviser(q.QueryRow(ctx, "SELECT "+adviserCols(today)+" FROM "+adviserFrom+" WHERE a.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "法律顾问不存在")
	}
	return &a, err
}

func inSubtree(col string) string {
	return col + " IN (SELECT su.id FROM org_unit_refs su, org_unit_refs pu WHERE pu.id = ? AND su.path LIKE pu.path || '%')"
}

// AdviserFilter narrows the pool.
type AdviserFilter struct {
	Q      string `query:"q" doc:"姓名、执业机构或执业证号"`
	Level  string `query:"level"`
	Kind   string `query:"kind"`
	UnitID int64  `query:"unit_id" doc:"管理单位（含下级）"`
	Active string `query:"active" enum:"yes,no," doc:"yes 在册 / no 已解聘"`
}

func (Store) adviserList(f AdviserFilter, today, scope string, scopeArgs []any) db.ListSQL {
	conds := []string{scope}
	args := append([]any(nil), scopeArgs...)
	if q := strings.TrimSpace(f.Q); q != "" {
		l := db.Like(q)
		conds = append(conds, `(a.name LIKE ? ESCAPE '\' OR a.firm LIKE ? ESCAPE '\' OR a.license_no LIKE ? ESCAPE '\')`)
		args = append(args, l, l, l)
	}
	if f.Level != "" {
		conds, args = append(conds, "a.level = ?"), append(args, f.Level)
	}
	if f.Kind != "" {
		conds, args = append(conds, "a.kind = ?"), append(args, f.Kind)
	}
	if f.UnitID > 0 {
		conds, args = append(conds, inSubtree("a.unit_id")), append(args, f.UnitID)
	}
	switch f.Active {
	case "yes":
		conds = append(conds, "a.active = 1")
	case "no":
		conds = append(conds, "a.active = 0")
	}
	return db.ListSQL{Cols: adviserCols(today), From: adviserFrom, CountFrom: "counsel_advisers a", Where: strings.Join(conds, " AND "),
		Args: args, Order: []db.Key{{Expr: "a.id", Desc: true}}}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nullID(id int64) any {
	if id <= 0 {
		return nil
	}
	return id
}

func (Store) insertAdviser(ctx context.Context, tx db.Querier, a *Adviser, at time.Time) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO counsel_advisers (unit_id, name, level, kind, firm, license_no, qualification, phone, user_id, active, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, a.UnitID, a.Name, a.Level, a.Kind, a.Firm, a.LicenseNo, a.Qualification, a.Phone,
		nullID(a.UserID), at.UTC(), at.UTC()).Scan(&id)
	return id, db.Classify(err)
}

func (Store) updateAdviser(ctx context.Context, tx db.Querier, a *Adviser, version int, at time.Time) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE counsel_advisers SET name = ?, level = ?, kind = ?, firm = ?, license_no = ?, qualification = ?, phone = ?,
user_id = ?, active = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`, a.Name, a.Level, a.Kind, a.Firm, a.LicenseNo,
		a.Qualification, a.Phone, nullID(a.UserID), b2i(a.Active), at.UTC(), a.ID, version)
	if err != nil {
		return false, db.Classify(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ---- contracts ----

const contractCols = `k.id, k.adviser_id, k.unit_id, COALESCE(u.name, ''), k.starts_on, k.ends_on, k.fee, k.fee_basis, k.note, k.version`

func scanContract(sc db.Scanner) (Contract, error) {
	var k Contract
	err := sc.Scan(&k.ID, &k.AdviserID, &k.UnitID, &k.UnitName, &k.StartsOn, &k.EndsOn, &k.Fee, &k.FeeBasis, &k.Note, &k.Version)
	return k, err
}

func (Store) contracts(ctx context.Context, q db.Querier, adviserID int64) ([]Contract, error) {
	return db.All(ctx, q, scanContract, "SELECT "+contractCols+` FROM counsel_contracts k LEFT JOIN org_unit_refs u ON u.id = k.unit_id
WHERE k.adviser_id = ? ORDER BY k.starts_on DESC, k.id DESC`, adviserID)
}

func (Store) contract(ctx context.Context, q db.Querier, id int64) (*Contract, error) {
	k, err := scanContract(q.QueryRow(ctx, "SELECT "+contractCols+" FROM counsel_contracts k LEFT JOIN org_unit_refs u ON u.id = k.unit_id WHERE k.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "聘用合同不存在")
	}
	return &k, err
}

// covering reports whether the adviser has a contract with unit covering day.
func (Store) covering(ctx context.Context, q db.Querier, adviserID, unitID int64, day string) (bool, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COUNT(*) FROM counsel_contracts WHERE adviser_id = ? AND unit_id = ? AND starts_on <= ? AND ends_on >= ?",
		adviserID, unitID, day, day).Scan(&n)
	return n > 0, err
}

// coveredUnits are the units with a contract in force on day. Contracts are
// a small table (one row per adviser and unit served, a few hundred in a
// district), read through the ends_on index; coverage is a state, not a sum
// over days, so it is not a metric.Tally.
func (Store) coveredUnits(ctx context.Context, q db.Querier, day string) (map[int64]bool, error) {
	ids, err := db.All(ctx, q, func(sc db.Scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	}, "SELECT DISTINCT unit_id FROM counsel_contracts WHERE ends_on >= ? AND starts_on <= ?", day, day)
	out := map[int64]bool{}
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// ---- works ----

const workCols = `w.id, w.adviser_id, COALESCE(a.name, ''), w.unit_id, COALESCE(u.name, ''), w.kind, w.day, w.title, w.note`
const workFrom = `counsel_works w LEFT JOIN counsel_advisers a ON a.id = w.adviser_id LEFT JOIN org_unit_refs u ON u.id = w.unit_id`

func scanWork(sc db.Scanner) (Work, error) {
	var w Work
	err := sc.Scan(&w.ID, &w.AdviserID, &w.AdviserName, &w.UnitID, &w.UnitName, &w.Kind, &w.Day, &w.Title, &w.Note)
	w.KindLabel = option.Label(WorkKinds, w.Kind)
	return w, err
}

// WorkFilter narrows the work records.
type WorkFilter struct {
	AdviserID int64  `query:"adviser_id"`
	Kind      string `query:"kind"`
	UnitID    int64  `query:"unit_id" doc:"服务单位（含下级）"`
	From      string `query:"from" doc:"日期起"`
	To        string `query:"to" doc:"日期止"`
}

func (Store) workList(f WorkFilter, scope string, scopeArgs []any) db.ListSQL {
	conds := []string{scope}
	args := append([]any(nil), scopeArgs...)
	if f.AdviserID > 0 {
		conds, args = append(conds, "w.adviser_id = ?"), append(args, f.AdviserID)
	}
	if f.Kind != "" {
		conds, args = append(conds, "w.kind = ?"), append(args, f.Kind)
	}
	if f.UnitID > 0 {
		conds, args = append(conds, inSubtree("w.unit_id")), append(args, f.UnitID)
	}
	if f.From != "" {
		conds, args = append(conds, "w.day >= ?"), append(args, f.From)
	}
	if f.To != "" {
		conds, args = append(conds, "w.day <= ?"), append(args, f.To)
	}
	return db.ListSQL{Cols: workCols, From: workFrom, CountFrom: "counsel_works w", Where: strings.Join(conds, " AND "), Args: args,
		Order: []db.Key{{Expr: "w.id", Desc: true}}}
}

func (Store) insertWork(ctx context.Context, tx db.Querier, w *Work, by int64, at time.Time) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO counsel_works (adviser_id, unit_id, kind, day, title, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		w.AdviserID, w.UnitID, w.Kind, w.Day, w.Title, w.Note, by, at.UTC()).Scan(&id)
	if err != nil {
		return 0, db.Classify(err)
	}
	return id, FigureTally.Added(ctx, tx, id)
}

// ---- evaluations ----

func (Store) evaluations(ctx context.Context, q db.Querier, adviserID int64) ([]Evaluation, error) {
	return db.All(ctx, q, func(sc db.Scanner) (Evaluation, error) {
		var e Evaluation
		var s, m, d, p int
		err := sc.Scan(&e.ID, &e.Year, &s, &m, &d, &p, &e.Score, &e.Grade, &e.Note, &e.EvaluatedOn)
		e.SelectionOK, e.ManagementOK, e.DutiesOK, e.PayOK = s != 0, m != 0, d != 0, p != 0
		e.GradeLabel = option.Label(Grades, e.Grade)
		return e, err
	}, `SELECT id, year, selection_ok, management_ok, duties_ok, pay_ok, score, grade, note, evaluated_on FROM counsel_evaluations
WHERE adviser_id = ? ORDER BY year DESC`, adviserID)
}
