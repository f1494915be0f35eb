package report

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/workflow"
)

// Store is the SQL of the module: one method per query.
type Store struct{}

const reportCols = `r.id, r.unit_id, r.unit_name, u.path, r.year, r.kind, r.title, r.status, r.generated_at, r.note, r.versions,
r.published_no, r.published_at, r.created_by, r.version, r.created_at, r.updated_at`

const reportTables = "reports r JOIN org_unit_refs u ON u.id = r.unit_id"

const reportFrom = " FROM " + reportTables

func scanReport(sc db.Scanner) (Report, error) {
	var r Report
	var pub sql.NullTime
	err := sc.Scan(&r.ID, &r.UnitID, &r.UnitName, &r.unitPath, &r.Year, &r.Kind, &r.Title, &r.Status, &r.GeneratedAt, &r.Note, &r.Versions,
		&r.PublishedNo, &pub, &r.CreatedBy, &r.Version, &r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		return r, err
	}
	r.GeneratedAt, r.CreatedAt, r.UpdatedAt = r.GeneratedAt.UTC(), r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	if pub.Valid {
		t := pub.Time.UTC()
		r.PublishedAt = &t
	}
	r.KindLabel, r.StatusLabel = KindLabel(r.Kind), StatusLabel(r.Status)
	return r, nil
}

// get reads a report with its content, figures and chain.
func (Store) get(ctx context.Context, q db.Querier, id int64) (*Report, error) {
	var content, figures, flow string
	row := q.QueryRow(ctx, "SELECT "+reportCols+", r.content, r.figures, r.flow"+reportFrom+" WHERE r.id = ?", id)
	r, err := scanReport(scanTail{row, []any{&content, &figures, &flow}})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "年度报告不存在")
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(content), &r.Sections); err != nil {
		return nil, fmt.Errorf("report %d: content: %w", id, err)
	}
	if err := json.Unmarshal([]byte(figures), &r.Figures); err != nil {
		return nil, fmt.Errorf("report %d: figures: %w", id, err)
	}
	if r.flows, err = parseFlows(flow); err != nil {
		return nil, fmt.Errorf("report %d: flow: %w", id, err)
	}
	if n := len(r.flows); n > 0 {
		r.flow = r.flows[n-1]
	}
	return &r, nil
}

// scanTail scans a report's columns followed by extra ones.
type scanTail struct {
	sc    db.Scanner
	extra []any
}

func (s scanTail) Scan(dest ...any) error { return s.sc.Scan(append(dest, s.extra...)...) }

func (Store) exists(ctx context.Context, q db.Querier, unitID int64, year int) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, "SELECT id FROM reports WHERE unit_id = ? AND year = ?", unitID, year).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

func marshal(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func (Store) insert(ctx context.Context, tx *db.Tx, r *Report, at time.Time) error {
	content, err := marshal(r.Sections)
	if err != nil {
		return err
	}
	figures, err := marshal(r.Figures)
	if err != nil {
		return err
	}
	err = tx.QueryRow(ctx, `INSERT INTO reports (unit_id, unit_name, year, kind, title, status, content, figures, generated_at, note, created_by,
created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.UnitID, r.UnitName, r.Year, r.Kind, r.Title, r.Status, content, figures, r.GeneratedAt.UTC(), r.Note, r.CreatedBy, at.UTC(), at.UTC()).Scan(&r.ID)
	if err != nil {
		err = db.Classify(err)
		if apperr.Is(err, apperr.Conflict) {
			return apperr.Field("year", "该单位该年度的报告已存在")
		}
		return err
	}
	r.Version, r.CreatedAt, r.UpdatedAt = 1, at.UTC(), at.UTC()
	return nil
}

// save writes every changeable column of r at version loaded; false when
// the row was not at that version.
func (Store) save(ctx context.Context, tx *db.Tx, r *Report, loaded int64, at time.Time) (bool, error) {
	content, err := marshal(r.Sections)
	if err != nil {
		return false, err
	}
	figures, err := marshal(r.Figures)
	if err != nil {
		return false, err
	}
	flow := ""
	if len(r.flows) > 0 {
		if flow, err = marshal(r.flows); err != nil {
			return false, err
		}
	}
	var pub any
	if r.PublishedAt != nil {
		pub = r.PublishedAt.UTC()
	}
	res, err := tx.Exec(ctx, `UPDATE reports SET title = ?, status = ?, content = ?, figures = ?, generated_at = ?, flow = ?, note = ?,
versions = ?, published_no = ?, published_at = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		r.Title, r.Status, content, figures, r.GeneratedAt.UTC(), flow, r.Note, r.Versions, r.PublishedNo, pub, at.UTC(), r.ID, loaded)
	if err != nil {
		return false, db.Classify(err)
	}
	n, err := res.RowsAffected()
	if err == nil && n == 1 {
		r.Version, r.UpdatedAt = loaded+1, at.UTC()
	}
	return n == 1, err
}

func (Store) setPublishedBy(ctx context.Context, tx *db.Tx, id, by int64) error {
	_, err := tx.Exec(ctx, "UPDATE reports SET published_by = ? WHERE id = ?", by, id)
	return db.Classify(err)
}

func (Store) insertVersion(ctx context.Context, tx *db.Tx, reportID int64, v FrozenVersion, by int64) error {
	content, err := marshal(v.Sections)
	if err != nil {
		return err
	}
	figures, err := marshal(v.Figures)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO report_versions (report_id, seq, title, content, figures, submitted_by, submitter, submitted_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, reportID, v.Seq, v.Title, content, figures, by, v.Submitter, v.SubmittedAt.UTC())
	return db.Classify(err)
}

func (Store) versions(ctx context.Context, q db.Querier, reportID int64) ([]VersionRef, error) {
	return db.All(ctx, q, func(sc db.Scanner) (VersionRef, error) {
		var v VersionRef
		err := sc.Scan(&v.Seq, &v.Title, &v.Submitter, &v.SubmittedAt)
		v.SubmittedAt = v.SubmittedAt.UTC()
		return v, err
	}, "SELECT seq, title, submitter, submitted_at FROM report_versions WHERE report_id = ? ORDER BY seq", reportID)
}

func (Store) version(ctx context.Context, q db.Querier, reportID int64, seq int) (*FrozenVersion, error) {
	var v FrozenVersion
	var content, figures string
	err := q.QueryRow(ctx, "SELECT seq, title, submitter, submitted_at, content, figures FROM report_versions WHERE report_id = ? AND seq = ?",
		reportID, seq).Scan(&v.Seq, &v.Title, &v.Submitter, &v.SubmittedAt, &content, &figures)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "第 %d 版不存在", seq)
	}
	if err != nil {
		return nil, err
	}
	v.SubmittedAt = v.SubmittedAt.UTC()
	if err := json.Unmarshal([]byte(content), &v.Sections); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(figures), &v.Figures); err != nil {
		return nil, err
	}
	return &v, nil
}

func (Store) listSQL(flt Filter, scope string, args []any) db.ListSQL {
	where, a := scope, append([]any{}, args...)
	if flt.Year != 0 {
		where += " AND r.year = ?"
		a = append(a, flt.Year)
	}
	if flt.UnitID != 0 {
		where += " AND r.unit_id = ?"
		a = append(a, flt.UnitID)
	}
	if flt.Status != "" {
		where += " AND r.status = ?"
		a = append(a, flt.Status)
	}
	if flt.Kind != "" {
		where += " AND r.kind = ?"
		a = append(a, flt.Kind)
	}
	return db.ListSQL{Cols: reportCols, From: reportTables, CountFrom: "reports r", Where: where, Args: a,
		Order: []db.Key{{Expr: "r.year", Desc: true}, {Expr: "r.id", Desc: true}}}
}

func publicSQL() db.ListSQL {
	return db.ListSQL{Cols: reportCols, From: reportTables, CountFrom: "reports r", Where: "r.published_no > 0",
		Order: []db.Key{{Expr: "r.year", Desc: true}, {Expr: "r.id", Desc: true}}}
}

// parseFlows reads the flow column: the review chains, one per submission.
func parseFlows(s string) ([]*workflow.Instance, error) {
	if s == "" {
		return nil, nil
	}
	var out []*workflow.Instance
	err := json.Unmarshal([]byte(s), &out)
	return out, err
}
