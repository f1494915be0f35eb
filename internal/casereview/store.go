package casereview

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fazhi/internal/platform/db"
)

// Store holds the module's SQL: one method per query, no permission checks.
type Store struct{}

func affected(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, db.Classify(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (Store) unit(ctx context.Context, q db.Querier, id int64) (path, name string, err error) {
	err = q.QueryRow(ctx, "SELECT path, name FROM org_unit_refs WHERE id = ?", id).Scan(&path, &name)
	return path, name, db.Classify(err)
}

// ---- rubrics ----

func scanRubric(sc db.Scanner) (*Rubric, error) {
	var r Rubric
	var def string
	if err := sc.Scan(&r.ID, &r.Name, &def, &r.ExcellentMin, &r.PassMin, &r.Version); err != nil {
		return nil, db.Classify(err)
	}
	if err := json.Unmarshal([]byte(def), &r.Definition); err != nil {
		return nil, fmt.Errorf("casereview: rubric %d: %w", r.ID, err)
	}
	for _, s := range r.Definition.Sections {
		r.Total += s.Cap
	}
	return &r, nil
}

const rubricCols = "id, name, definition, excellent_min, pass_min, version"

func (Store) rubrics(ctx context.Context, q db.Querier) ([]Rubric, error) {
	return db.All(ctx, q, func(sc db.Scanner) (Rubric, error) {
		r, err := scanRubric(sc)
		if err != nil {
			return Rubric{}, err
		}
		return *r, nil
	}, "SELECT "+rubricCols+" FROM review_rubrics ORDER BY id LIMIT 500")
}

func (Store) rubric(ctx context.Context, q db.Querier, id int64) (*Rubric, error) {
	return scanRubric(q.QueryRow(ctx, "SELECT "+rubricCols+" FROM review_rubrics WHERE id = ?", id))
}

func (Store) insertRubric(ctx context.Context, q db.Querier, r *Rubric, at time.Time) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO review_rubrics (name, definition, excellent_min, pass_min, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		r.Name, r.encode(), r.ExcellentMin, r.PassMin, at.UTC(), at.UTC()).Scan(&id)
	return id, db.Classify(err)
}

func (Store) updateRubric(ctx context.Context, q db.Querier, id, version int64, r *Rubric, at time.Time) (bool, error) {
	return affected(q.Exec(ctx, `UPDATE review_rubrics SET name = ?, definition = ?, excellent_min = ?, pass_min = ?, version = version + 1, updated_at = ?
WHERE id = ? AND version = ?`, r.Name, r.encode(), r.ExcellentMin, r.PassMin, at.UTC(), id, version))
}

// ---- plans ----

const planCols = `p.id, p.code, p.year, p.title, p.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''), p.rubric_id, COALESCE(r.name, ''), p.per_unit, p.per_file,
p.status, p.snapshot_sha256, p.seed_sha256, p.seed, p.committed_at, p.drawn_at, p.version,
(SELECT COUNT(*) FROM review_reviewers v WHERE v.plan_id = p.id), (SELECT COUNT(*) FROM review_files f WHERE f.plan_id = p.id),
(SELECT COUNT(*) FROM review_files f WHERE f.plan_id = p.id AND f.status = 'scored')`
const planFrom = `review_plans p LEFT JOIN org_unit_refs u ON u.id = p.unit_id LEFT JOIN review_rubrics r ON r.id = p.rubric_id`

func scanPlan(sc db.Scanner) (*Plan, error) {
	var p Plan
	var committed, drawn sql.NullTime
	err := sc.Scan(&p.ID, &p.Code, &p.Year, &p.Title, &p.UnitID, &p.UnitName, &p.unitPath, &p.RubricID, &p.RubricName, &p.PerUnit, &p.PerFile,
		&p.Status, &p.SnapshotSHA256, &p.SeedSHA256, &p.seed, &committed, &drawn, &p.Version, &p.Reviewers, &p.Files, &p.Scored)
	p.StatusLabel = labelOf(PlanStatuses, p.Status)
	if committed.Valid {
		p.CommittedAt = committed.Time.UTC().Format(time.RFC3339)
	}
	if drawn.Valid {
		p.DrawnAt = drawn.Time.UTC().Format(time.RFC3339)
	}
	if p.Status == StatusDrawn {
		p.Seed = p.seed
	}
	p.UnitIDs, p.UnitNames = []int64{}, []string{}
	return &p, err
}

func scanPlanValue(sc db.Scanner) (Plan, error) {
	p, err := scanPlan(sc)
	if err != nil {
		return Plan{}, err
	}
	return *p, nil
}

func (st Store) plan(ctx context.Context, q db.Querier, id int64) (*Plan, error) {
	p, err := scanPlan(q.QueryRow(ctx, "SELECT "+planCols+" FROM "+planFrom+" WHERE p.id = ?", id))
	if err != nil {
		return nil, db.Classify(err)
	}
	return p, st.fillUnits(ctx, q, p)
}

func (st Store) fillUnits(ctx context.Context, q db.Querier, p *Plan) error {
	units, err := st.planUnits(ctx, q, p.ID)
	for _, u := range units {
		p.UnitIDs, p.UnitNames = append(p.UnitIDs, u.id), append(p.UnitNames, u.name)
	}
	return err
}

func (Store) planUnits(ctx context.Context, q db.Querier, planID int64) ([]unitRef, error) {
	return db.All(ctx, q, func(sc db.Scanner) (unitRef, error) {
		var u unitRef
		err := sc.Scan(&u.id, &u.name, &u.path)
		return u, err
	}, `SELECT pu.unit_id, pu.unit_name, COALESCE(u.path, '') FROM review_plan_units pu LEFT JOIN org_unit_refs u ON u.id = pu.unit_id
WHERE pu.plan_id = ? ORDER BY pu.unit_id`, planID)
}

func (Store) setPlanUnits(ctx context.Context, q db.Querier, id int64, units []unitRef) error {
	if _, err := q.Exec(ctx, "DELETE FROM review_plan_units WHERE plan_id = ?", id); err != nil {
		return err
	}
	for _, u := range units {
		if _, err := q.Exec(ctx, "INSERT INTO review_plan_units (plan_id, unit_id, unit_name) VALUES (?, ?, ?)", id, u.id, u.name); err != nil {
			return db.Classify(err)
		}
	}
	return nil
}

// nextPlanCode is AJ-<year>-<n>.
func (Store) nextPlanCode(ctx context.Context, q db.Querier, year int) (string, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COUNT(*) FROM review_plans WHERE year = ?", year).Scan(&n)
	for err == nil {
		code := fmt.Sprintf("AJ-%d-%03d", year, n+1)
		var taken int
		if err = q.QueryRow(ctx, "SELECT COUNT(*) FROM review_plans WHERE code = ?", code).Scan(&taken); err == nil && taken == 0 {
			return code, nil
		}
		n++
	}
	return "", err
}

func (Store) insertPlan(ctx context.Context, q db.Querier, code string, in PlanInput, by int64, at time.Time) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO review_plans (code, year, title, unit_id, rubric_id, per_unit, per_file, created_by, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, code, in.Year, in.Title, in.UnitID, in.RubricID, in.PerUnit, in.PerFile, by, at.UTC(), at.UTC()).Scan(&id)
	return id, db.Classify(err)
}

func (Store) updatePlan(ctx context.Context, q db.Querier, id, version int64, in PlanInput, at time.Time) (bool, error) {
	return affected(q.Exec(ctx, `UPDATE review_plans SET year = ?, title = ?, unit_id = ?, rubric_id = ?, per_unit = ?, per_file = ?, version = version + 1, updated_at = ?
WHERE id = ? AND version = ? AND status = 'draft'`, in.Year, in.Title, in.UnitID, in.RubricID, in.PerUnit, in.PerFile, at.UTC(), id, version))
}

func (Store) touchPlan(ctx context.Context, q db.Querier, id int64, at time.Time) (bool, error) {
	return affected(q.Exec(ctx, "UPDATE review_plans SET version = version + 1, updated_at = ? WHERE id = ? AND status = 'draft'", at.UTC(), id))
}

func (Store) reviewers(ctx context.Context, q db.Querier, planID int64) ([]Reviewer, error) {
	return db.All(ctx, q, func(sc db.Scanner) (Reviewer, error) {
		var r Reviewer
		err := sc.Scan(&r.OfficerID, &r.Name, &r.UnitID, &r.UnitName)
		return r, err
	}, "SELECT officer_id, name, unit_id, unit_name FROM review_reviewers WHERE plan_id = ? ORDER BY plan_id, officer_id", planID)
}

func (Store) insertReviewers(ctx context.Context, q db.Querier, planID int64, os []OfficerRef) (int, error) {
	n := 0
	for _, o := range os {
		res, err := q.Exec(ctx, `INSERT INTO review_reviewers (plan_id, officer_id, name, unit_id, unit_name) SELECT ?, ?, ?, ?, ?
WHERE NOT EXISTS (SELECT 1 FROM review_reviewers WHERE plan_id = ? AND officer_id = ?)`, planID, o.ID, o.Name, o.UnitID, o.UnitName, planID, o.ID)
		if err != nil {
			return n, db.Classify(err)
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	return n, nil
}

func (Store) deleteReviewer(ctx context.Context, q db.Querier, planID, officerID int64) (bool, error) {
	return affected(q.Exec(ctx, "DELETE FROM review_reviewers WHERE plan_id = ? AND officer_id = ?", planID, officerID))
}

func (Store) commitPlan(ctx context.Context, q db.Querier, id, version int64, c committedPlan) (bool, error) {
	ok, err := affected(q.Exec(ctx, `UPDATE review_plans SET status = 'committed', snapshot = ?, snapshot_sha256 = ?, commitment = ?, seed_sha256 = ?, seed = ?, committed_at = ?,
version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND status = 'draft'`,
		string(c.snapshot), c.snapshotSHA, string(c.commitment), c.seedSHA, c.seed, c.at, c.at, id, version))
	if err != nil || !ok {
		return ok, err
	}
	for _, cs := range c.cases {
		if _, err := q.Exec(ctx, `INSERT INTO review_pool (plan_id, case_id, case_code, title, body_name, unit_id, closed_on) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, cs.ID, cs.Code, cs.Title, cs.BodyName, cs.UnitID, cs.ClosedOn); err != nil {
			return false, db.Classify(err)
		}
	}
	return true, nil
}

func (Store) drawInputs(ctx context.Context, q db.Querier, id int64) (snapshot []byte, seed string, cases []CaseRef, err error) {
	var s string
	if err = q.QueryRow(ctx, "SELECT snapshot, seed FROM review_plans WHERE id = ?", id).Scan(&s, &seed); err != nil {
		return nil, "", nil, db.Classify(err)
	}
	cases, err = db.All(ctx, q, func(sc db.Scanner) (CaseRef, error) {
		var c CaseRef
		err := sc.Scan(&c.ID, &c.Code, &c.Title, &c.BodyName, &c.UnitID, &c.ClosedOn)
		return c, err
	}, "SELECT case_id, case_code, title, body_name, unit_id, closed_on FROM review_pool WHERE plan_id = ? ORDER BY plan_id, case_id", id)
	return []byte(s), seed, cases, err
}

func (Store) drawPlan(ctx context.Context, q db.Querier, id, version int64, reveal, result []byte, at time.Time) (bool, error) {
	return affected(q.Exec(ctx, `UPDATE review_plans SET status = 'drawn', reveal = ?, result = ?, drawn_at = ?, version = version + 1, updated_at = ?
WHERE id = ? AND version = ? AND status = 'committed'`, string(reveal), string(result), at.UTC(), at.UTC(), id, version))
}

func (Store) drawFiles(ctx context.Context, q db.Querier, id int64) ([4]string, error) {
	var f [4]string
	err := q.QueryRow(ctx, "SELECT snapshot, commitment, reveal, result FROM review_plans WHERE id = ?", id).Scan(&f[0], &f[1], &f[2], &f[3])
	return f, db.Classify(err)
}

// ---- files ----

const fileCols = `f.id, f.plan_id, p.code, p.title, COALESCE(pu.path, ''), f.seq, f.case_id, f.case_code, f.case_title, f.body_name, f.closed_on, f.unit_id,
COALESCE(u.name, ''), COALESCE(u.path, ''), f.reviewers, f.status, f.score, f.grade, f.vetoed, f.problems, f.scoring, f.comment, f.reviewed_on, f.version`
const fileFrom = `review_files f JOIN review_plans p ON p.id = f.plan_id LEFT JOIN org_unit_refs u ON u.id = f.unit_id LEFT JOIN org_unit_refs pu ON pu.id = p.unit_id`

func scanFile(sc db.Scanner) (*File, error) {
	var f File
	var vetoed int
	err := sc.Scan(&f.ID, &f.PlanID, &f.PlanCode, &f.PlanTitle, &f.planPath, &f.Seq, &f.CaseID, &f.CaseCode, &f.CaseTitle, &f.BodyName, &f.ClosedOn, &f.UnitID,
		&f.UnitName, &f.unitPath, &f.Reviewers, &f.Status, &f.Score, &f.Grade, &vetoed, &f.Problems, &f.scoring, &f.Comment, &f.ReviewedOn, &f.Version)
	f.Vetoed = vetoed == 1
	f.StatusLabel, f.GradeLabel = labelOf(FileStatuses, f.Status), labelOf(Grades, f.Grade)
	f.ReviewerIDs = []int64{}
	return &f, err
}

func scanFileValue(sc db.Scanner) (File, error) {
	f, err := scanFile(sc)
	if err != nil {
		return File{}, err
	}
	return *f, nil
}

func (Store) file(ctx context.Context, q db.Querier, id int64) (*File, error) {
	f, err := scanFile(q.QueryRow(ctx, "SELECT "+fileCols+" FROM "+fileFrom+" WHERE f.id = ?", id))
	if err != nil {
		return nil, db.Classify(err)
	}
	ids, err := db.All(ctx, q, func(sc db.Scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	}, "SELECT officer_id FROM review_file_reviewers WHERE file_id = ? ORDER BY file_id, officer_id", id)
	f.ReviewerIDs = ids
	if f.scoring != "" {
		var sc Scored
		if err := json.Unmarshal([]byte(f.scoring), &sc); err == nil {
			f.Scoring = &sc
		}
	}
	return f, err
}

func (Store) fileReviewerUnits(ctx context.Context, q db.Querier, id int64) (map[int64]int64, error) {
	rows, err := db.All(ctx, q, func(sc db.Scanner) ([2]int64, error) {
		var r [2]int64
		return r, sc.Scan(&r[0], &r[1])
	}, "SELECT officer_id, unit_id FROM review_file_reviewers WHERE file_id = ? ORDER BY file_id, officer_id", id)
	out := map[int64]int64{}
	for _, r := range rows {
		out[r[0]] = r[1]
	}
	return out, err
}

func (Store) insertFile(ctx context.Context, tx *db.Tx, planID int64, seq int, unitID int64, c CaseRef, who []Reviewer, at time.Time) error {
	names := make([]string, len(who))
	for i, w := range who {
		names[i] = w.Name + "（" + w.UnitName + "）"
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO review_files (plan_id, seq, case_id, case_code, case_title, body_name, closed_on, unit_id, reviewers, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, planID, seq, c.ID, c.Code, c.Title, c.BodyName, c.ClosedOn, unitID, strings.Join(names, "、"), at.UTC(), at.UTC()).Scan(&id)
	if err != nil {
		return db.Classify(err)
	}
	for _, w := range who {
		if _, err := tx.Exec(ctx, "INSERT INTO review_file_reviewers (file_id, officer_id, unit_id) VALUES (?, ?, ?)", id, w.OfficerID, w.UnitID); err != nil {
			return db.Classify(err)
		}
	}
	return nil
}

func (Store) scoreFile(ctx context.Context, q db.Querier, id, version int64, sc Scored, problems int, comment string, reviewer int64, on string, at time.Time) (bool, error) {
	b, err := json.Marshal(sc)
	if err != nil {
		return false, err
	}
	return affected(q.Exec(ctx, `UPDATE review_files SET status = 'scored', score = ?, grade = ?, vetoed = ?, problems = ?, scoring = ?, comment = ?, reviewer_id = ?, reviewed_on = ?,
version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND status = 'pending'`, sc.Score, sc.Grade, b2i(sc.Vetoed), problems, string(b), comment, reviewer, on,
		at.UTC(), id, version))
}

func (Store) insertProblem(ctx context.Context, q db.Querier, fileID int64, p Problem) error {
	_, err := q.Exec(ctx, `INSERT INTO review_problems (file_id, kind, item_code, item_text, points, reason, finding_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		fileID, p.Kind, p.ItemCode, p.ItemText, p.Points, p.Reason, p.FindingID)
	return db.Classify(err)
}

func (Store) problems(ctx context.Context, q db.Querier, fileID int64) ([]Problem, error) {
	return db.All(ctx, q, func(sc db.Scanner) (Problem, error) {
		var p Problem
		err := sc.Scan(&p.Kind, &p.ItemCode, &p.ItemText, &p.Points, &p.Reason, &p.FindingID)
		return p, err
	}, "SELECT kind, item_code, item_text, points, reason, finding_id FROM review_problems WHERE file_id = ? ORDER BY file_id, id", fileID)
}

// rankings groups a plan's files by reviewed unit.
func (Store) rankings(ctx context.Context, q db.Querier, planID int64) ([]Ranking, error) {
	return db.All(ctx, q, func(sc db.Scanner) (Ranking, error) {
		var r Ranking
		var sum int64
		err := sc.Scan(&r.UnitID, &r.UnitName, &r.Files, &r.Scored, &sum, &r.Excellent, &r.Pass, &r.Fail, &r.Problems)
		if r.Scored > 0 {
			v, _ := strconv.ParseFloat(strconv.FormatFloat(float64(sum)/float64(r.Scored), 'f', 1, 64), 64)
			r.Average = v
		}
		return r, err
	}, `SELECT pu.unit_id, pu.unit_name, COUNT(f.id), COALESCE(SUM(CASE WHEN f.status = 'scored' THEN 1 ELSE 0 END), 0),
COALESCE(SUM(CASE WHEN f.status = 'scored' THEN f.score ELSE 0 END), 0),
COALESCE(SUM(CASE WHEN f.grade = 'excellent' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN f.grade = 'pass' THEN 1 ELSE 0 END), 0),
COALESCE(SUM(CASE WHEN f.grade = 'fail' THEN 1 ELSE 0 END), 0), COALESCE(SUM(f.problems), 0)
FROM review_plan_units pu LEFT JOIN review_files f ON f.plan_id = pu.plan_id AND f.unit_id = pu.unit_id
WHERE pu.plan_id = ? GROUP BY pu.unit_id, pu.unit_name ORDER BY pu.unit_id`, planID)
}
